#pragma once
// The claim (recover, find due work, check, order, claim), shared by
// `tick`, the supervisor that starts follow-on work and `queue`: loading
// the planner's snapshot from the store and writing a plan in the caller's
// write transaction (claim.cpp). Internal to service/.

#include <schedule/exec/launcher.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/plan/tick.hpp>
#include <schedule/service/context.hpp>
#include <schedule/service/notify.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schedule::service {

enum class Purpose {
    tick,      // fire due jobs, recover lost runs, start queued work
    follow_on, // only start queued work (a run ended)
};

// Reads what the planner needs at ctx.now(): active executions and their
// jobs, and for a tick the due jobs, @reboot jobs after a new boot, and
// the liveness of every supervisor (read from /proc). Call it inside the
// write transaction that applies the plan, so that no other tick can act
// on the same state.
plan::TickSnapshot load_snapshot(Context& ctx, Purpose purpose);

// True when this boot differs from the one the last tick saw (@reboot).
bool new_boot(Context& ctx, const std::string& boot_id);
// Notes `boot_id` in `tx` as the boot the last tick saw, when it is new.
void record_boot(Context& ctx, store::WriteTransaction& tx, const std::string& boot_id);

// Whether a run that `plan` recovers as lost calls for a hook: then a
// supervisor must be started to send it, runs to start or not.
bool recovery_hooks(const Context& ctx, const plan::TickSnapshot& snapshot,
                    const plan::TickPlan& plan);

struct Applied {
    std::vector<std::int64_t> started; // executions claimed for the supervisor
    std::vector<std::int64_t> queued;  // new executions left in the queue
    // Of `queued`, those that wait for the clock (a window to open, a
    // retry's delay) rather than for other runs: they start at a later
    // tick, and `tick --wait` does not wait for them.
    std::vector<std::int64_t> deferred;
    std::vector<model::Execution> claimed; // the rows of `started`, as written
};

// Writes `plan` (made from `snapshot`) in `tx`: recoveries (the orphaned
// group of a lost run is killed first), new and claimed runs (marked with
// `owner` when they start), skip records (coalesced with the job's
// previous skip for the same reason), job changes, and their events.
// `on_claim`, when given, may change a claimed row before it is written
// (a supervisor claiming for itself marks it running there).
Applied apply_plan(Context& ctx, store::WriteTransaction& tx, const plan::TickSnapshot& snapshot,
                   const plan::TickPlan& plan, std::optional<exec::SupervisorId> owner,
                   const std::function<void(model::Execution&)>& on_claim = {});

// True when the supervisor that owns `e` is gone: its pid is dead or now
// another process, or this boot differs from the run's (asks ctx.host()).
// False for a run no supervisor owns.
bool supervisor_gone(Context& ctx, const model::Execution& e);

// Records in `tx` that running execution `e` is lost (its supervisor is
// gone): kills its orphaned process group if the group's leader is still
// the run's, writes the status, the job's counters and execution.lost.
// Returns the run as recorded. The caller applies the retry policy.
model::Execution record_lost(Context& ctx, store::WriteTransaction& tx, model::Execution e,
                             const std::string& job_name);

// record_lost() for a running run whose supervisor is gone, then the retry
// its job's policy asks for, as a tick's recovery does, and the hook the
// loss calls for, noted for `sender` (none without a sender). Returns that
// hook.
std::optional<model::Notification> recover_lost_run(Context& ctx, store::WriteTransaction& tx,
                                                    const model::Execution& e,
                                                    const std::string& job_name,
                                                    const std::optional<Sender>& sender);

// Throws StoreError unless the store was opened to run jobs (Access::run,
// which refuses a store that another user could have written). Every use
// case that starts a job's process or a supervisor calls it first.
void require_trusted_store(const Context& ctx);

// Appends an execution.* event for `e` in `tx`.
void append_execution_event(Context& ctx, store::WriteTransaction& tx, const char* type,
                            const model::Execution& e, const std::string& job_name,
                            const std::map<std::string, std::string>& extra = {});

} // namespace schedule::service
