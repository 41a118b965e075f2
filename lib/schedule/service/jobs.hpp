#pragma once
// Use cases of `schedule job create|list|show|update|delete|pause|resume`.
// Each validates its request completely before it writes, writes in one
// transaction with its audit event, and throws util::Error subclasses:
// ValidationError (exit 2) naming the flag, NotFound (3), Conflict (4),
// StoreError (5).

#include <schedule/model/job.hpp>
#include <schedule/model/job_builder.hpp>
#include <schedule/service/context.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

// Job fields as the user wrote them (model/job_builder.hpp). Absent means
// "not given": create uses the default, update keeps the value. Errors
// name the fields by their flags (model::FlagNamer).
using JobSpec = model::JobSpec;

// What model::build_job() and model::change_job() need from outside, as
// this process and host give it: `now`, the default zone, whether the user
// is root, and which users exist (for run_as). For every reader of job
// fields (the command line, job documents), so that all judge alike.
model::BuildContext build_context(Context& ctx, time::Instant now);

// Creates a job; returns it as stored.
model::Job create_job(Context& ctx, const JobSpec& spec);

// Changes only the fields given; returns the job as stored. Throws
// UsageError when the spec changes nothing.
model::Job update_job(Context& ctx, std::string_view ref, const JobSpec& spec);

// The job with this id (8 hex digits, any case) or name. Throws NotFound.
model::Job get_job(Context& ctx, std::string_view ref);
// The same, or nullopt when there is no such job.
std::optional<model::Job> find_job(Context& ctx, std::string_view ref);

struct ListJobsRequest {
    std::optional<std::string> owner;
    std::optional<std::string> status;  // active|paused|finished
    std::optional<std::string> tag;     // key or key=value
    std::optional<std::string> enabled; // true|false
};
std::vector<model::Job> list_jobs(Context& ctx, const ListJobsRequest& request);
// The same jobs one at a time (for output that need not hold them all).
void each_job(Context& ctx, const ListJobsRequest& request,
              const std::function<void(const model::Job&)>& visit);

struct DeleteResult {
    model::Job job;
    std::int64_t executions_deleted = 0;
    std::vector<std::int64_t> cancelled; // runs that were running, now cancelled
    std::vector<std::string> unlinked;   // jobs whose links to it were removed
};
// Deletes the job with its history. A run of it that is running is
// cancelled: recorded in the audit log (execution.cancelled, reason
// deleted) in the delete's transaction, then its process group is stopped
// (SIGTERM, SIGKILL after the job's kill grace; blocks up to that long),
// whoever runs it; the supervisor or `job run` that owned it finds its row
// gone and records nothing more. Jobs that depend on it or fire after it
// make it a Conflict unless `unlink` is set; then their links to it are
// removed (unlink_dependents()), as a conflict's always are.
DeleteResult delete_job(Context& ctx, std::string_view ref, bool unlink);
// The refusal of delete_job() without `unlink`, alone (before asking).
void delete_job_check(Context& ctx, std::string_view ref);

struct EnableResult {
    model::Job job;
    bool changed = false; // false when it already was in that state
};
// `job pause` (enabled = false) and `job resume` (enabled = true).
EnableResult set_job_enabled(Context& ctx, std::string_view ref, bool enabled);

} // namespace schedule::service
