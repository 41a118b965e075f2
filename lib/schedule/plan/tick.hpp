#pragma once
// The tick planner (schedule(1), TICK): given a snapshot of the store at
// instant `now`, decides which runs start, which wait in the queue, which
// are skipped and why, which lost runs are recovered, and how each due
// job's next run moves on. Pure: no store, no processes, no clock of its
// own. The service loads the snapshot, calls plan_tick() inside the claim
// transaction, and writes the plan; `tick --dry-run` and `queue` print it.

#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/time/instant.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace schedule::plan {

// A job that jobs of the snapshot depend on or conflict with, as its runs
// stand (schedule(1), DEPENDENCIES).
struct LinkedJob {
    bool active = false;  // a run of it is queued, waiting or running
    bool running = false; // a run of it is running or claimed
    // Its newest end in each state (failed: a failure no retry follows).
    std::optional<time::Instant> completed, failed, ended;
};

// What the planner looks at.
struct TickSnapshot {
    time::Instant now{};
    std::string boot_id; // this boot (@reboot jobs fire once per boot)
    std::int64_t max_workers = 8;
    // Fire due jobs (the tick) or only start queued work (a supervisor
    // whose run ended).
    bool fire_due = true;
    // Every job that may have work, by id: jobs whose next run falls before
    // the next minute, @reboot jobs of another boot, and the jobs of every
    // active execution. Other jobs may be present; they are left alone.
    std::map<std::string, model::Job> jobs;
    // Every queued, waiting and running execution, of all jobs.
    std::vector<model::Execution> active;
    // Active executions whose supervisor is gone (dead, its pid reused, or
    // an earlier boot): running ones are lost, claimed ones released.
    std::set<std::int64_t> orphaned;

    // Links: every job that a job of `jobs` depends on or conflicts with
    // (either side naming the other), by id; the conflicting pairs; for
    // each job with dependencies, the instant its newest scheduled run or
    // skip was due, and for each of its queued runs the one before that
    // run. A run's requirement on a job is met by an end in the state
    // since then (the job's creation when there is none).
    std::map<std::string, LinkedJob> linked;
    std::set<std::pair<std::string, std::string>> conflicts;
    std::map<std::string, time::Instant> last_due;
    std::map<std::int64_t, time::Instant> previous_due;
};

// A run that starts now (claimed for a supervisor) or waits in the queue.
struct RunDecision {
    std::string job_id;
    // An existing queued run; nullopt for a new execution.
    std::optional<std::int64_t> execution_id;
    model::ExecutionTrigger trigger = model::ExecutionTrigger::schedule;
    int attempt = 1;
    time::Instant scheduled_for{};
    time::Instant not_before{}; // the supervisor starts it then (jitter, retry delay)
    int priority = model::k_priority_normal;
    bool start = false;
    // start: why it fires, for people ("due", "missed fire (catch-up
    // all)", "retry of lost execution 12").
    std::string reason;
    // queued: why it waits, stored as the run's reason (slot, overlap,
    // catchup, retry).
    model::WaitReason wait = model::WaitReason::slot;
    // Overlap replace: running executions of the job to cancel first.
    std::vector<std::int64_t> replaces;
    // A retry planned for a lost run: the run it retries.
    std::optional<std::int64_t> retry_of;
    // queued: it waits for the clock or for a job with no run under way
    // (a window, a retry's delay, a dependency on an idle job), not for
    // runs this plan starts: `tick --wait` does not wait for it.
    bool deferred = false;
};

// A run that does not happen: recorded as `skipped` with `reason` and
// `count`.
struct SkipDecision {
    std::string job_id;
    std::optional<std::int64_t> execution_id; // an existing queued run that is dropped
    time::Instant scheduled_for{};
    model::SkipReason reason = model::SkipReason::overlap;
    std::int64_t count = 1;
    std::string detail; // for people: "execution 12 is running"
};

// An active execution whose supervisor is gone: a running one becomes
// `lost`, a claimed one that never started goes back to the queue.
struct Recovery {
    std::int64_t execution_id = 0;
    std::string job_id;
    bool lost = false; // false: released to the queue
};

// How a due job changes: its next run, status, boot. (Its scheduled_count
// moves when a run starts, not here: the limit counts runs that started.)
struct JobChange {
    std::string job_id;
    std::optional<time::Instant> next_execution;
    model::JobStatus status = model::JobStatus::active;
    std::optional<std::string> boot_id;
};

// A queued run that keeps waiting, and why (slot, overlap, catchup, retry
// time); nothing is written for it.
struct Waiting {
    std::int64_t execution_id = 0;
    std::string job_id;
    model::WaitReason reason = model::WaitReason::slot;
    std::string detail;                 // for people; followed by `until` when there is one
    std::optional<time::Instant> until; // when it may start ("not before", a window opening)
};

struct TickPlan {
    std::vector<Recovery> recoveries;
    std::vector<RunDecision> runs; // in start order: priority, then scheduled time
    std::vector<SkipDecision> skips;
    std::vector<JobChange> jobs;
    std::vector<Waiting> waiting;

    // Whether applying the plan writes anything (the idle tick does not).
    bool writes() const;
    std::int64_t fired() const;   // runs that start now
    std::int64_t queued() const;  // new runs put in the queue
    std::int64_t skipped() const; // runs skipped (counts summed)
    std::int64_t recovered() const;
};

// One line of `schedule queue`: an active execution and why it waits.
struct QueueEntry {
    model::Execution execution;
    std::string state; // running, starting (claimed by a supervisor), queued, waiting
    std::optional<model::WaitReason> reason; // why it waits, if it does
    std::string detail;                      // as Waiting's
    std::optional<time::Instant> until;
};

// Plans one pass at `snapshot.now`.
//
// Order of work: recovery (lost runs get their retry when the policy asks
// for one); due fires with catch-up and misfire grace (plan_catchup),
// max_executions, @reboot; queued runs (misfire grace, paused jobs, retries
// superseded by a regular fire, max_executions); the overlap policy of each
// job; then the worker limit: runs that may start are taken by priority
// (higher first), then scheduled time, while fewer than max_workers runs
// are claimed or running; the rest wait with reason `slot`.
//
// max_executions counts runs that started (the job's scheduled_count, which
// the store moves when a run is recorded running). A due fire becomes a run
// only while that count plus the job's runs waiting to start (queued, or
// claimed and not started; runs_left()) is below the limit, else it is
// skipped with reason `max_executions`; the job is finished once the count
// itself reaches the limit. Fires skipped for overlap or folded by catch-up
// never count.
TickPlan plan_tick(const TickSnapshot& snapshot);

// How many more runs of its schedule `job` may start under its
// max_executions: the limit less the runs that started and those of
// `active` (executions of any job) that wait to start. nullopt without a
// limit; never negative.
std::optional<std::int64_t> runs_left(const model::Job& job,
                                      const std::vector<model::Execution>& active);

// The end of the minute that `now` lies in: fires before it are due.
time::Instant due_horizon(time::Instant now);

} // namespace schedule::plan
