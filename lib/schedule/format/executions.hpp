#pragma once
// Executions and statistics as tables, JSON, CSV and Prometheus text
// (`job history`, `job output --format json`, `job stats`). Pure: strings
// out. Instants are shown in each execution's job zone (schedule(1), TIME).

#include <schedule/format/style.hpp>
#include <schedule/history/stats.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/plan/tick.hpp>

#include <string>
#include <utility>
#include <vector>

namespace schedule::format {

// "1.5s", "2m03s", "1h02m", "-" for none: a duration in milliseconds.
std::string duration_text(const std::optional<std::int64_t>& ms);

// `job history`: ID, JOB, TRIGGER, ATTEMPT, SCHEDULED, STARTED, DURATION,
// STATUS, EXIT (exit code, "SIGTERM"-style signal name, or the reason of a
// skipped record with its count).
std::string history_table(const std::vector<model::Execution>& executions, const Style& style);
// A JSON array of execution objects (schedule(1), Execution object), one
// per line.
std::string history_json(const std::vector<model::Execution>& executions, const Style& style);
// One execution object (`job run --format json`).
std::string execution_json(const model::Execution& execution, const Style& style);
// RFC 4180 CSV with a header row of the JSON keys.
// `schedule queue`: running and waiting runs. The table has ID, JOB, STATE,
// PRIORITY, TRIGGER, ATTEMPT, SCHEDULED, STARTED and WHY; JSON is an array
// of execution objects with `state`, `queue_reason` and `detail` added.
std::string queue_table(const std::vector<plan::QueueEntry>& entries, const Style& style);
std::string queue_json(const std::vector<plan::QueueEntry>& entries, const Style& style);

std::string history_csv(const std::vector<model::Execution>& executions, const Style& style);

// `job output --format json`: the execution object plus "stdout" and
// "stderr" objects {"data" (text, invalid UTF-8 replaced), "total_bytes",
// "truncated"}.
std::string output_json(const model::Execution& execution, const model::CapturedOutput& out,
                        const model::CapturedOutput& err, const Style& style);

// `job stats JOB`. With `recent` (on a terminal), also the lines "Recent
// runs" (run_strip) and "Recent durations" (duration_sparkline) of the
// job's runs in it, "-" when it has none.
std::string job_stats_table(const model::Job& job, const history::JobStats& stats,
                            const Style& style, const model::RecentRuns* recent = nullptr);
std::string job_stats_json(const model::Job& job, const history::JobStats& stats,
                           const Style& style);

// `job stats` without JOB: the summary then one row per job;
// JSON {"summary": {...}, "jobs": [...]}.
using JobStatsList = std::vector<std::pair<model::Job, history::JobStats>>;
std::string stats_table(const history::Summary& summary, const JobStatsList& jobs,
                        const Style& style);
std::string stats_json(const history::Summary& summary, const JobStatsList& jobs,
                       const Style& style);

// Prometheus text exposition (version 0.0.4) of the same figures; the
// summary's gauges only when `summary` is given.
std::string stats_prometheus(const history::Summary* summary, const JobStatsList& jobs);

} // namespace schedule::format
