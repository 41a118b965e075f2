#pragma once
// Retry delays and decisions (schedule(1), RETRIES). Pure.

#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/time/instant.hpp>

#include <optional>
#include <string>
#include <vector>

namespace schedule::plan {

// The delay before attempt `failed_attempt + 1`, counted from the end of
// the failed attempt `failed_attempt` (>= 1): fixed d, d, d...; linear d,
// 2d, 3d...; exponential d, 2d, 4d...; fibonacci d, d, 2d, 3d, 5d...;
// never above `max_delay` (and never negative). Does not overflow for any
// attempt number.
time::Duration retry_delay(model::Backoff backoff, time::Duration delay, time::Duration max_delay,
                           int failed_attempt);

// Whether `job`'s retry policy retries the ended run `ended`: a failure
// (failed, timed_out, lost; never cancelled) that `--retry-on` names (any
// failure when it is empty), with attempts left.
bool retries(const model::Job& job, const model::Execution& ended);

// The retry of an ended run, due `retry_delay` after `ended_at`.
// `superseded` when that is at or after the job's next regular run (a
// retry never runs into it), `paused` when the job is paused (its
// queued runs are skipped); the caller then records a skip instead, with
// that reason.
struct Retry {
    int attempt = 2;
    time::Instant at{};
    bool superseded = false;
    bool paused = false;
};
std::optional<Retry> plan_retry(const model::Job& job, const model::Execution& ended,
                                time::Instant ended_at);

// A job's state from its executions, as `job show` gives it.
struct RunState {
    std::string state = "idle"; // running, retrying (a retry is queued), queued, idle
    int attempt = 0;            // the newest attempt (0: it never ran)
    int attempts_left = 0;      // further attempts the retry policy allows after it
    std::optional<time::Instant> next_retry;
    // The job's windows now (preview_job sets them): whether a run may
    // start, and when the next window opens (nullopt without windows).
    bool in_window = true;
    std::optional<time::Instant> next_window_start;
    // Why a run of the job waits to start, as `queue` says it
    // ("dependency: waits for snap to end completed"); nullopt when none
    // waits (preview_job sets it).
    std::optional<std::string> waits;
};
// From the job's queued/waiting/running executions and its newest run that
// is not a skip record.
RunState run_state(const model::Job& job, const std::vector<model::Execution>& active,
                   const std::optional<model::Execution>& newest);

} // namespace schedule::plan
