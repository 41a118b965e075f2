#pragma once
// Statistics over a job's recorded executions (schedule(1): `job stats`, and
// the Stats object).
// Pure: no store, no clock; the caller passes the executions and `now`.
//
// Conventions:
// - Durations, averages and percentiles cover completed, failed and
//   timed_out runs that have a duration; percentiles are nearest-rank
//   (the value at rank ceil(p/100 * n) of the sorted durations).
// - success_rate = completed / (completed + failed + timed_out + lost);
//   nullopt when that denominator is 0.
// - Skips are not runs: a skipped record counts `skipped_count` runs (1
//   when unset) towards `skipped` and nowhere else; total counts the other
//   records (one per run).

#include <schedule/model/execution.hpp>
#include <schedule/time/instant.hpp>

#include <cstdint>
#include <optional>
#include <schedule/model/job.hpp>

#include <string>
#include <utility>
#include <vector>

namespace schedule::history {

// The nearest-rank percentile `p` (0 < p <= 100) of `sorted` (ascending);
// nullopt when it is empty.
std::optional<double> nearest_rank(const std::vector<double>& sorted, double p);

struct DurationStats {
    std::int64_t count = 0; // runs with a duration
    std::optional<double> average_seconds;
    std::optional<double> min_seconds;
    std::optional<double> max_seconds;
    std::optional<double> p50_seconds;
    std::optional<double> p95_seconds;
    std::optional<double> p99_seconds;
};

// Figures of the runs that started in one period.
struct Period {
    std::int64_t runs = 0; // completed + failed + timed_out + lost
    std::optional<double> success_rate;
    std::optional<double> average_duration_seconds;
};

// The last 7 days ((now - 7d, now], so a run that started this second
// counts) against the 7 before ((now - 14d, now - 7d]), by start time (end time for lost runs
// without one, created_at for records that never started).
struct Trend {
    Period last_7_days;
    Period previous_7_days;
};

// How often one kind of failure happened.
struct ErrorCount {
    std::string error; // error_label()
    std::int64_t count = 0;
};

struct JobStats {
    std::int64_t total = 0; // runs: records of every status but skipped
    std::int64_t completed = 0;
    std::int64_t failed = 0;
    std::int64_t timed_out = 0;
    std::int64_t cancelled = 0;
    std::int64_t lost = 0;
    std::int64_t skipped = 0; // sum of skipped_count
    std::int64_t running = 0; // queued, waiting or running now
    std::optional<double> success_rate;
    DurationStats durations;
    Trend trend;
    std::vector<ErrorCount> top_errors; // at most 5, most frequent first
    // The start of the newest run (by id) that started; skip records and
    // runs that never started do not count.
    std::optional<time::Instant> last_execution;
};

// What a failed, timed_out or lost run's failure is called in top_errors:
// "timed out", "lost", the recorded error text when there is one, else
// "signal N" or "exit code N"; nullopt for runs that did not fail.
std::optional<std::string> error_label(const model::Execution& e);

// Statistics of one job's executions (any order).
JobStats job_stats(const std::vector<model::Execution>& executions, time::Instant now);

// --- the store-wide summary (`job stats` without JOB) ---------------------

struct NextRun {
    std::string job_id;
    std::string name;
    std::string timezone;
    time::Instant at;
};

struct Summary {
    std::int64_t jobs = 0;
    std::int64_t enabled = 0;
    std::int64_t paused = 0; // not enabled
    std::int64_t finished = 0;
    std::int64_t running = 0; // executions running now
    // Executions created since `day_start`, by status: every status of
    // model::ExecutionStatus in enum order, zeros included (skipped counts
    // skipped_count).
    std::vector<std::pair<std::string, std::int64_t>> today;
    // Jobs by task type, "command" for command jobs; sorted by type.
    std::vector<std::pair<std::string, std::int64_t>> jobs_by_task_type;
    // The 10 soonest next runs of enabled jobs, soonest first (then by name).
    std::vector<NextRun> next_runs;
};

// `recent` holds the executions created since `day_start` plus every
// queued, waiting or running one.
Summary summarize(const std::vector<model::Job>& jobs, const std::vector<model::Execution>& recent,
                  time::Instant day_start);

} // namespace schedule::history
