#pragma once
// Use cases of `schedule job create|list|show|update|delete|pause|resume`.
// Each validates its request completely before it writes, writes in one
// transaction with its audit event, and throws util::Error subclasses:
// ValidationError (exit 2) naming the flag, NotFound (3), Conflict (4),
// StoreError (5).

#include <schedule/model/job.hpp>
#include <schedule/service/context.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

// Job fields as the user wrote them. Absent means "not given". Used by
// create (absent = default) and update (absent = unchanged).
struct JobSpec {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::string> cron;
    std::optional<std::string> command;
    std::optional<std::string> task_type;
    std::optional<std::string> task_config;
    std::optional<std::string> priority;
    std::optional<std::string> owner;
    std::optional<std::vector<std::string>> tags;
    std::optional<std::string> timezone;
    std::optional<std::string> timeout;
    std::optional<std::vector<std::string>> env;
    std::optional<std::string> working_dir;
    std::optional<std::string> run_as;
    std::optional<std::string> kill_grace;
    std::optional<std::string> overlap;
    std::optional<std::string> max_instances;
    std::optional<std::string> catchup;
    std::optional<std::string> misfire_grace;
    std::optional<std::string> max_executions;
    std::optional<std::string> max_attempts;
    std::optional<std::string> retry_delay;
    std::optional<std::string> retry_max_delay;
    std::optional<std::string> backoff;
    std::optional<std::string> retry_on;
    std::optional<std::string> enabled; // update --enabled true|false
    bool disabled = false;              // create --disabled

    // Triggers other than --cron (at most one trigger flag) and scheduling.
    std::optional<std::string> every;
    std::optional<std::string> anchor;
    std::optional<std::string> daily;
    std::optional<std::string> weekly;
    std::optional<std::string> monthly;
    std::optional<std::string> at;
    std::optional<std::string> jitter;
    std::optional<std::string> dst_gap;
    std::optional<std::string> dst_overlap;
    std::optional<std::string> start_date;
    std::optional<std::string> end_date;

    // update: --clear-FIELD removes an optional field.
    bool clear_description = false;
    bool clear_owner = false;
    bool clear_tags = false;
    bool clear_timeout = false;
    bool clear_env = false;
    bool clear_working_dir = false;
    bool clear_run_as = false;
    bool clear_trigger = false;
    bool clear_jitter = false;
    bool clear_start_date = false;
    bool clear_end_date = false;
    bool clear_max_instances = false;
    bool clear_misfire_grace = false;
    bool clear_max_executions = false;
    bool clear_retry_on = false;

    friend bool operator==(const JobSpec&, const JobSpec&) = default;
};

// Creates a job; returns it as stored.
model::Job create_job(Context& ctx, const JobSpec& spec);

// Changes only the fields given; returns the job as stored. Throws
// UsageError when the spec changes nothing.
model::Job update_job(Context& ctx, std::string_view ref, const JobSpec& spec);

// The job with this id (8 hex digits, any case) or name. Throws NotFound.
model::Job get_job(Context& ctx, std::string_view ref);

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
};
// Deletes the job with its history. A run of it that is running is
// cancelled: recorded in the audit log (execution.cancelled, reason
// deleted) in the delete's transaction, then its process group is stopped
// (SIGTERM, SIGKILL after the job's kill grace; blocks up to that long),
// whoever runs it; the supervisor or `job run` that owned it finds its row
// gone and records nothing more.
DeleteResult delete_job(Context& ctx, std::string_view ref);

struct EnableResult {
    model::Job job;
    bool changed = false; // false when it already was in that state
};
// `job pause` (enabled = false) and `job resume` (enabled = true).
EnableResult set_job_enabled(Context& ctx, std::string_view ref, bool enabled);

} // namespace schedule::service
