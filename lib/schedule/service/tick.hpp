#pragma once
// `schedule tick` and `schedule queue` (schedule(1), TICK): one scheduling
// pass, and what is running and waiting.

#include <schedule/exec/launcher.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/plan/tick.hpp>
#include <schedule/service/context.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schedule::service {

enum class TickMode { run, dry_run };

struct TickReport {
    plan::TickPlan plan;
    std::map<std::string, model::Job> jobs; // the jobs the plan names
    bool dry_run = false;
    // Executions this tick claimed or queued (what `tick --wait` waits
    // for), apart from those queued to wait for a window or a retry's delay.
    std::vector<std::int64_t> executions;
    // The supervisor this tick started, if it fired anything.
    std::optional<exec::SupervisorId> supervisor;
};

// One scheduling pass at ctx.now(): plans on a read snapshot; when there is
// nothing to write (the idle tick) returns without a write transaction or a
// time-zone lookup. Otherwise plans again inside one write transaction,
// starts a supervisor for the runs that start (launcher), writes the claim
// and releases the supervisor; then prunes history (at most hourly). With
// TickMode::dry_run writes nothing and starts nothing. Every tick that is
// not a dry run records its instant beside the store (Store::record_tick)
// for `schedule doctor`. Throws StoreError (exit 5)
// for a store owned by another user or writable by group or others, and
// RuntimeFailure when no supervisor can be started.
TickReport tick(Context& ctx, exec::Launcher& launcher, TickMode mode);

// After a run in this process ended (`job run`): claims queued work that may
// start now and hands it to a supervisor. Returns how many runs started.
std::int64_t start_followers(Context& ctx, exec::Launcher& launcher);

// How far the runs that `tick --wait` waits for have come.
struct WaitProgress {
    std::int64_t total = 0;   // the executions asked about
    std::int64_t running = 0; // of them, running now
    std::int64_t queued = 0;  // of them, queued or waiting
    std::int64_t unfinished() const { return running + queued; }
    std::int64_t done() const { return total - unfinished(); }
};
// Of the executions `ids`: how many are running and how many are queued or
// waiting (the others have ended, or are gone with their job).
WaitProgress wait_progress(Context& ctx, const std::vector<std::int64_t>& ids);

// `tick --wait`: returns once none of the runs `report` started or queued
// is running or queued. Sleeps until the supervisor the tick started
// exits, looking at the store every second in case it lingers on other
// work; after that polls the store, and every second ends runs whose
// supervisor died as the next tick would (recover_orphans, then
// start_followers). `progress` is told each state seen; `recovering` is
// called before a recovery, which may log.
void wait_for_runs(Context& ctx, exec::Launcher& launcher, const TickReport& report,
                   const std::function<void(const WaitProgress&)>& progress,
                   const std::function<void()>& recovering);

// For `tick --wait` once the supervisor it started is gone: of the
// executions `ids`, records lost (with their retries) those still running
// under a supervisor that is gone, and hands back to the queue those
// claimed by one, as the next tick would, so that waiting on them ends.
// Returns how many went back to the queue (start_followers starts them).
// The hooks the lost runs call for go to a supervisor from `launcher`.
std::int64_t recover_orphans(Context& ctx, exec::Launcher& launcher,
                             const std::vector<std::int64_t>& ids);

struct QueueReport {
    std::vector<plan::QueueEntry> entries; // running first, then by priority and age
    std::int64_t max_workers = 0;
};
// `schedule queue`: running and waiting runs, and why each waits.
QueueReport queue(Context& ctx);

} // namespace schedule::service
