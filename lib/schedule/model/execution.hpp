#pragma once
// One run of a job, or one record of runs that did not happen (schedule(1),
// Execution object). Plain data; the store persists it, history/ computes
// statistics over it and format/ renders it.

#include <schedule/time/instant.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::model {

enum class ExecutionStatus {
    queued,
    waiting,
    running,
    completed,
    failed,
    timed_out,
    cancelled,
    skipped,
    lost,
};
// Every status, in the order above (`job history --status` takes their
// names; shell completion offers them).
inline constexpr std::array k_execution_statuses{
    ExecutionStatus::queued,    ExecutionStatus::waiting, ExecutionStatus::running,
    ExecutionStatus::completed, ExecutionStatus::failed,  ExecutionStatus::timed_out,
    ExecutionStatus::cancelled, ExecutionStatus::skipped, ExecutionStatus::lost,
};
std::string_view to_string(ExecutionStatus s);
std::optional<ExecutionStatus> parse_execution_status(std::string_view s);
// True for the statuses a run ends in (completed .. lost).
bool is_final(ExecutionStatus s);
// failed, timed_out and lost: what counts against a job (failure_count).
bool is_failure(ExecutionStatus s);

// Why an execution exists (its JSON `trigger`).
enum class ExecutionTrigger { schedule, manual, retry, after, dependency, catchup, reboot };
std::string_view to_string(ExecutionTrigger t);
std::optional<ExecutionTrigger> parse_execution_trigger(std::string_view s);
// Whether a run with this trigger counts toward its job's max_executions
// once it starts: every trigger but manual (`job run`) and retry (another
// attempt of a run that counted already).
bool counts_toward_limit(ExecutionTrigger t);

struct Execution {
    std::int64_t id = 0; // assigned by the store
    std::string job_id;
    // Read with the execution, for display: the job's name and zone.
    std::string job_name;
    std::string job_timezone;
    ExecutionTrigger trigger = ExecutionTrigger::manual;
    int attempt = 1;
    ExecutionStatus status = ExecutionStatus::queued;
    std::optional<std::string> reason;         // skipped: overlap, window, ...
    std::optional<std::int64_t> skipped_count; // skipped records only
    std::optional<time::Instant> scheduled_for;
    // A queued run starts no earlier than this (jitter, retry delay).
    std::optional<time::Instant> not_before;
    int priority = 50; // the job's priority when the run was queued
    // A retry: the attempt it follows. Overlap replace: the run it replaces.
    std::optional<std::int64_t> parent_execution_id;
    std::optional<time::Instant> start_time;
    std::optional<time::Instant> end_time;
    std::optional<std::int64_t> duration_ms; // steady-clock run time
    std::optional<int> exit_code;
    std::optional<int> signal;
    // Why a run failed without an exit code of its own ("no handler for task
    // type: x", "cannot run as nobody: ..."), or null.
    std::optional<std::string> error;
    std::optional<std::string> host;
    // The job's main process (also its process group and session id) and
    // its start time in clock ticks since boot (/proc/PID/stat field 22).
    std::optional<std::int64_t> pid;
    std::optional<std::int64_t> process_start;
    std::optional<std::string> boot_id;
    // The supervisor that owns the run while it is running.
    std::optional<std::int64_t> supervisor_pid;
    std::optional<std::int64_t> supervisor_start;
    time::Instant created_at{};
    time::Instant updated_at{};
};

// Captured output of one stream, as stored: at most `output.max_bytes`
// bytes, the head and the tail with a marker between when it was cut.
struct CapturedOutput {
    std::string data;
    std::int64_t total_bytes = 0; // everything the job wrote
    bool truncated = false;
};

// An ended execution with its stored output (nullopt for a stream with
// nothing stored): a backup's history.
struct ExecutionRecord {
    Execution execution;
    std::optional<CapturedOutput> out;
    std::optional<CapturedOutput> err;
};

// An ended execution as the run strips of `job list` and `job stats` draw
// it: its status and duration (none for a skip, or a run that never
// started or was lost).
struct RunOutcome {
    ExecutionStatus status = ExecutionStatus::completed;
    std::optional<std::int64_t> duration_ms;
    bool operator==(const RunOutcome&) const = default;
};
// The newest ended executions of jobs, by job id, each list oldest first.
using RecentRuns = std::map<std::string, std::vector<RunOutcome>, std::less<>>;

} // namespace schedule::model
