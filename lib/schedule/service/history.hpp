#pragma once
// Use cases that read the record of runs: `job history`, `job output`,
// `job stats` (schedule(1), JOB COMMANDS). Read-only.

#include <schedule/history/stats.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/service/context.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedule::service {

// A whole number given to `flag` (--limit, --count); throws
// ValidationError naming it.
std::int64_t parse_count(const std::string& text, const char* flag);
// The instant `--since WHEN` means: a duration is that long before now,
// anything else a date-time (in the default zone when it has no offset).
// Throws ValidationError naming --since.
time::Instant since_instant(Context& ctx, const std::string& when);

struct HistoryRequest {
    std::optional<std::string> job;
    std::optional<std::string> limit; // default 20; 0 means all
    std::optional<std::string> status;
    std::optional<std::string> since; // a duration (that long ago) or a date-time
};
// Executions, newest first. Throws ValidationError naming the flag,
// NotFound for an unknown job.
std::vector<model::Execution> job_history(Context& ctx, const HistoryRequest& request);

struct ExecutionOutput {
    model::Execution execution;
    model::CapturedOutput out;
    model::CapturedOutput err;
};
// The execution with this id and its captured output. Throws
// ValidationError for an id that is not a number, NotFound when it is gone.
ExecutionOutput execution_output(Context& ctx, std::string_view id);

struct StatsReport {
    // Set when no job was named: the store-wide summary.
    std::optional<history::Summary> summary;
    std::vector<std::pair<model::Job, history::JobStats>> jobs;
};
// `job stats [JOB]`.
StatsReport job_stats(Context& ctx, const std::optional<std::string>& job);

// The newest `per_job` ended runs of each of `jobs`, oldest first, read in
// one query (the run strips of `job list` and `job stats` on a terminal).
// A job that has none is absent.
model::RecentRuns recent_runs(Context& ctx, const std::vector<model::Job>& jobs,
                              std::size_t per_job);

} // namespace schedule::service
