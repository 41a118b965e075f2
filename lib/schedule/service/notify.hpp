#pragma once
// Notification hooks (schedule(1), NOTIFICATIONS): the hook a run's end
// calls for is decided in the transaction that records the end and noted
// for the process that sends it (model::Notification); that process sends
// it once that transaction is committed and records how it went
// (notify.sent or notify.failed) in a later one. Nothing else sends a
// noted hook, so none is sent twice. Internal to service/.

#include <schedule/exec/launcher.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/model/notify.hpp>
#include <schedule/service/context.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace schedule::service {

// The process that sends the hooks noted for it: a supervisor, or the
// process of a foreground `job run`.
using Sender = exec::SupervisorId;

// This process, as a sender (its pid and start time).
Sender this_process(Context& ctx);

// Notes in `tx` the hook that the end of `ended` (as recorded, with its
// final status) calls for, when `job` has a command for it
// (model::hook_command), to be sent by `sender`. `retry_queued`: a retry
// of `ended` was queued. Returns the hook, or nullopt for none.
std::optional<model::Notification> note_hook(Context& ctx, store::WriteTransaction& tx,
                                             const model::Job& job, const model::Execution& ended,
                                             bool retry_queued, const Sender& sender);

// Whether a run of `job` that ends in `status` calls for a hook that has a
// command (what note_hook() would note).
bool has_hook(const Context& ctx, const model::Job& job, model::ExecutionStatus status,
              bool retry_queued);

// The output of a hook kept in its event's detail (`stderr`): this many
// bytes, its head and tail when longer.
inline constexpr std::size_t k_hook_output_bytes = 1024;

// A hook being sent: what was noted, and its run as the store holds it
// (nullopt once the run is gone with its job).
struct HookSend {
    model::Notification hook;
    std::optional<model::Execution> run;
};

// The runner's id of a hook: the negated execution id, which no run has.
exec::RunId hook_run_id(const model::Notification& n);

// Starts the hook `send.hook` with `runner` (reads its run and job from the
// store): `/bin/sh -c COMMAND` as the job's user, in its directory and
// clean environment, with the run's SCHEDULE_* variables, SCHEDULE_STATUS,
// SCHEDULE_EXIT_CODE and SCHEDULE_HOOK, the run as `job history --format
// json` shows it on stdin, bounded by notify.timeout. Returns the result
// when the hook cannot start (its run or job is gone, no such user);
// otherwise the runner reports its end.
std::optional<exec::RunResult> start_hook(Context& ctx, exec::ProcessRunner& runner,
                                          HookSend& send);

// Records in `tx` how the hook went: notify.sent when it exited 0, else
// notify.failed, with a detail of hook, exit_code, signal, timed_out,
// duration_ms, and error and stderr when there are any; and forgets it.
void record_hook(Context& ctx, store::WriteTransaction& tx, const HookSend& send,
                 const exec::RunResult& result);

// Sends `hooks` with `runner`, all at once, waits for them and records
// how each went (`job run` in the foreground).
void send_hooks(Context& ctx, exec::ProcessRunner& runner,
                const std::vector<model::Notification>& hooks);

} // namespace schedule::service
