#pragma once
// Use cases that run jobs (schedule(1), RUNNING JOBS): resolving what a run
// executes, running it in the foreground, handing it to a detached
// supervisor, the supervisor itself, and retention.
//
// Every state change of an execution is written in one transaction with
// its event (execution.started, .completed, .failed, .timed_out,
// .cancelled) and the job's counters.

#include <schedule/exec/launcher.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/service/context.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

// What a run of a job executes, resolved against this host (schedule(1),
// RUNNING JOBS).
struct ResolvedRun {
    std::vector<std::string> argv;           // {"/bin/sh", "-c", command} or {handler}
    std::optional<std::string> stdin_data;   // the task config for handlers
    std::string user;                        // the user it runs as
    std::optional<exec::Identity> switch_to; // set when that is not us
    std::string working_dir;
    std::vector<std::string> env; // NAME=value, the whole environment
    // Why the run cannot start ("no handler for task type: x"), if it cannot.
    std::optional<std::string> error;
};

// Resolves `job` for execution `execution` (whose id, trigger, attempt and
// scheduled time go into the SCHEDULE_* variables). Reads the passwd
// database; starts nothing.
ResolvedRun resolve_run(Context& ctx, const model::Job& job, const model::Execution& execution);

struct RunCheck {
    std::string name; // overlap, dependencies, window
    bool ok = true;
    std::string detail;
};

struct DryRun {
    model::Job job;
    ResolvedRun run;
    std::vector<RunCheck> checks;
};
// `job run --dry-run`: what would run and the checks, writing nothing.
DryRun dry_run(Context& ctx, std::string_view ref);

enum class Force { no, yes };
enum class Tee { no, yes };

struct RunReport {
    model::Execution execution;
    // What `schedule job run` exits with: the job's exit code, 124 for a
    // timeout, 128+N for signal N (143 when a run of an `overlap replace`
    // job was stopped by its replacement), 130 for Ctrl-C, 1 when the run
    // could not start.
    int exit_code = 0;
    // The execution that replaced this run (overlap replace), if one did.
    std::optional<std::int64_t> replaced_by;
};

// `job run`: runs the job now in this process and records it. Throws
// Conflict (exit 4) when the job is running and its overlap policy is
// skip, unless forced; NotFound for an unknown job.
RunReport run_now(Context& ctx, exec::ProcessRunner& runner, std::string_view ref, Force force,
                  Tee tee);

// `job run --detach`: starts a supervisor, records a manual run claimed
// for it and lets it go; returns the run. Same refusals as run_now.
model::Execution run_detached(Context& ctx, exec::Launcher& launcher, std::string_view ref,
                              Force force);

// The supervisor (`schedule __supervise`, or a test's launcher in-process):
// takes the queued executions marked with this process's id (pid and start
// time), starts each at its not_before, records each start and end, queues
// retries, and after every end claims for itself the queued work that may
// start (a freed slot, the next catch-up run). Returns when it owns nothing.
// Starts and ends are written in batches: when no claimed run is ready to
// start, and at the latest k_write_delay after the first unwritten one.
void supervise(Context& ctx, exec::ProcessRunner& runner);
inline constexpr std::chrono::milliseconds k_write_delay{100};
// How often the owner of a running run (a supervisor, a foreground `job
// run`) checks that the run's row is still running: a run whose job was
// deleted is stopped by the delete, or by its owner should the delete die
// first.
inline constexpr std::chrono::seconds k_owner_check{1};
// A supervisor whose write fails (the store's disk is full) tries again
// every k_store_retry, keeping the ends in memory, for k_store_patience.
inline constexpr std::chrono::seconds k_store_retry{1};
inline constexpr std::chrono::minutes k_store_patience{10};
// After this many failed tries it writes the ends without their output.
inline constexpr int k_tries_with_output = 3;

// Retention: prunes executions older than
// history.retention, keeping history.keep_last per job. Without Force::yes
// it does nothing when the last pruning was less than an hour ago.
// Returns how many executions were deleted.
std::int64_t prune_history(Context& ctx, Force force = Force::no);

// Maps a recorded execution to the exit code of `job run` (see RunReport);
// `cancel_signal` is the signal that interrupted `job run` itself, if any.
int run_exit_code(const model::Execution& e, int cancel_signal);

} // namespace schedule::service
