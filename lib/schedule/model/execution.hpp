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
#include <utility>
#include <variant>
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

// Why a run did not happen: a `skipped` record's reason (schedule(1),
// Execution object). A conflict is not among them: such a run waits.
enum class SkipReason {
    overlap,
    window,
    dependency,
    deadline,
    max_executions,
    superseded,
    coalesced,
    paused,
};
inline constexpr std::array k_skip_reasons{
    SkipReason::overlap,   SkipReason::window,         SkipReason::dependency,
    SkipReason::deadline,  SkipReason::max_executions, SkipReason::superseded,
    SkipReason::coalesced, SkipReason::paused,
};
// The reason's text as stored and shown ("max_executions").
std::string_view to_string(SkipReason r);
std::optional<SkipReason> parse_skip_reason(std::string_view s);

// Why a run waits to start. slot, overlap, catchup, retry, window,
// dependency and conflict are stored on a queued run; tick (it starts at
// the next tick) and lost (its supervisor is gone) are only said by
// `schedule queue`.
enum class WaitReason { slot, overlap, catchup, retry, window, dependency, conflict, tick, lost };
inline constexpr std::array k_wait_reasons{
    WaitReason::slot,     WaitReason::overlap, WaitReason::catchup,
    WaitReason::retry,    WaitReason::window,  WaitReason::dependency,
    WaitReason::conflict, WaitReason::tick,    WaitReason::lost,
};
std::string_view to_string(WaitReason r);
std::optional<WaitReason> parse_wait_reason(std::string_view s);

// Why a run was cancelled: a signal (the reason's text names it: "signal
// TERM"), a newer run of an `overlap replace` job, or the deletion of its
// job (in the audit log only: the run goes with its job).
enum class CancelReason { signal, replaced, deleted };
inline constexpr std::array k_cancel_reasons{CancelReason::signal, CancelReason::replaced,
                                             CancelReason::deleted};
// "signal" for CancelReason::signal: Reason::text() adds the signal's name.
std::string_view to_string(CancelReason r);
// Reads "replaced", "deleted" or "signal NAME" (any NAME).
std::optional<CancelReason> parse_cancel_reason(std::string_view s);

// An execution's `reason`: a skip, wait or cancel reason, or a text that
// none of them reads (kept as it is, so that what a store or backup holds
// is written back unchanged).
class Reason {
public:
    Reason(SkipReason r) : m_value(r) {}
    Reason(WaitReason r) : m_value(r) {}
    // CancelReason::signal without a name: use signal().
    Reason(CancelReason r) : m_value(r) {}
    // Cancelled by the signal named `name` ("TERM"): text "signal TERM".
    static Reason signal(std::string name);
    // Reads the text of the reason of an execution in `status`: a skipped
    // record's as a SkipReason, a queued or waiting run's as a WaitReason, a
    // cancelled run's as a CancelReason; any other text is kept as text.
    static Reason parse(ExecutionStatus status, std::string_view text);

    std::optional<SkipReason> skip() const;
    std::optional<WaitReason> wait() const;
    std::optional<CancelReason> cancel() const;
    // The text stored in the `reason` column and shown as the `reason` key.
    std::string text() const;
    bool operator==(const Reason&) const = default;

private:
    explicit Reason(std::string text) : m_value(std::move(text)) {}
    std::variant<SkipReason, WaitReason, CancelReason, std::string> m_value;
    std::string m_signal; // CancelReason::signal: the signal's name
};

struct Execution {
    std::int64_t id = 0; // assigned by the store
    std::string job_id;
    // Read with the execution, for display: the job's name and zone.
    std::string job_name;
    std::string job_timezone;
    ExecutionTrigger trigger = ExecutionTrigger::manual;
    int attempt = 1;
    ExecutionStatus status = ExecutionStatus::queued;
    std::optional<Reason> reason; // skipped, queued, cancelled: see Reason
    // Overlap replace: a newer run has asked this one to stop (its
    // supervisor stops it and records it cancelled, reason replaced). Kept
    // in the store as the reason text "replaced" (reason_text()), which no
    // other status than cancelled has.
    bool replace_requested = false;
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

// The text of an execution's `reason` as the store keeps it and JSON shows
// it: its reason, else "replaced" when its replacement was requested, else
// nullopt.
std::optional<std::string> reason_text(const Execution& e);
// Sets `e.reason` and `e.replace_requested` from that text, as read for an
// execution in `e.status` (set the status first).
void set_reason_text(Execution& e, const std::optional<std::string>& text);
// Whether a newer run replaces `e`: asked to stop, or recorded cancelled
// with reason replaced.
bool is_replaced(const Execution& e);

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
