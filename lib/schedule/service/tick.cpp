#include <schedule/exec/process.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/service/tick.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

namespace schedule::service {

TickReport tick(Context& ctx, exec::Launcher& launcher, TickMode mode) {
    TickReport report;
    report.dry_run = mode == TickMode::dry_run;
    if (!report.dry_run)
        require_trusted_store(ctx);
    auto snapshot = load_snapshot(ctx, Purpose::tick);
    // A job due now always makes the plan write (its next run moves on):
    // then the plan is made only under the write lock. Otherwise it is made
    // first without the lock, and a tick with nothing to do stops there.
    const auto horizon = plan::due_horizon(snapshot.now);
    const bool due = std::any_of(snapshot.jobs.begin(), snapshot.jobs.end(), [&](const auto& kv) {
        const auto& j = kv.second;
        return j.enabled && j.status == model::JobStatus::active && j.next_execution &&
               *j.next_execution < horizon;
    });
    if (report.dry_run || !due || !ctx.store.exists()) {
        report.plan = plan::plan_tick(snapshot);
        if (!ctx.store.exists())
            return report; // no store: no jobs, and nothing is created
        if (report.dry_run || (!report.plan.writes() && !new_boot(ctx, snapshot.boot_id))) {
            report.jobs = std::move(snapshot.jobs);
            if (!report.dry_run) {
                ctx.store.record_tick(snapshot.now);
                prune_history(ctx);
            }
            return report;
        }
    }

    // The claim: plan again under the write lock, so that of several racing
    // ticks exactly one acts on each due run.
    {
        auto tx = ctx.store.begin_write();
        snapshot = load_snapshot(ctx, Purpose::tick);
        report.plan = plan::plan_tick(snapshot);
        std::optional<exec::SupervisorId> owner;
        if (report.plan.fired() > 0 || recovery_hooks(ctx, snapshot, report.plan))
            owner = launcher.start();
        auto applied = apply_plan(ctx, tx, snapshot, report.plan, owner);
        record_boot(ctx, tx, snapshot.boot_id);
        tx.commit();
        if (owner)
            launcher.release();
        report.supervisor = owner;
        report.executions = applied.started;
        for (auto id : applied.queued)
            if (std::find(applied.deferred.begin(), applied.deferred.end(), id) ==
                applied.deferred.end())
                report.executions.push_back(id);
    }
    report.jobs = std::move(snapshot.jobs);
    ctx.store.record_tick(snapshot.now);
    prune_history(ctx);
    return report;
}

std::int64_t start_followers(Context& ctx, exec::Launcher& launcher) {
    require_trusted_store(ctx);
    auto snapshot = load_snapshot(ctx, Purpose::follow_on);
    if (plan::plan_tick(snapshot).fired() == 0)
        return 0;
    auto tx = ctx.store.begin_write();
    snapshot = load_snapshot(ctx, Purpose::follow_on);
    auto plan = plan::plan_tick(snapshot);
    std::optional<exec::SupervisorId> owner;
    if (plan.fired() > 0)
        owner = launcher.start();
    apply_plan(ctx, tx, snapshot, plan, owner);
    tx.commit();
    if (owner)
        launcher.release();
    return plan.fired();
}

WaitProgress wait_progress(Context& ctx, const std::vector<std::int64_t>& ids) {
    const std::set<std::int64_t> wanted(ids.begin(), ids.end());
    WaitProgress p;
    p.total = static_cast<std::int64_t>(wanted.size());
    for (auto [id, status] : ctx.store.active_execution_statuses()) {
        if (!wanted.count(id))
            continue;
        if (status == model::ExecutionStatus::running)
            ++p.running;
        else
            ++p.queued;
    }
    return p;
}

void wait_for_runs(Context& ctx, exec::Launcher& launcher, const TickReport& report,
                   const std::function<void(const WaitProgress&)>& progress,
                   const std::function<void()>& recovering) {
    auto& host = ctx.host();
    auto supervisor = report.supervisor;
    auto next_check = host.steady_now();
    for (;;) {
        const auto seen = wait_progress(ctx, report.executions);
        progress(seen);
        if (seen.unfinished() == 0)
            return;
        if (supervisor) {
            if (host.wait_gone(supervisor->pid, supervisor->start, std::chrono::seconds(1)))
                supervisor.reset();
            continue;
        }
        // Runs whose supervisor died would wait for the next tick: end
        // them as it would (lost, or back to the queue and started).
        if (host.steady_now() >= next_check) {
            recovering();
            if (recover_orphans(ctx, launcher, report.executions) > 0)
                start_followers(ctx, launcher);
            next_check = host.steady_now() + std::chrono::seconds(1);
        }
        host.sleep_for(std::chrono::milliseconds(20));
    }
}

std::int64_t recover_orphans(Context& ctx, exec::Launcher& launcher,
                             const std::vector<std::int64_t>& ids) {
    require_trusted_store(ctx);
    const std::set<std::int64_t> wanted(ids.begin(), ids.end());
    auto orphans = [&] {
        std::vector<model::Execution> out;
        for (auto& e : ctx.store.active_executions())
            if (wanted.count(e.id) && supervisor_gone(ctx, e))
                out.push_back(std::move(e));
        return out;
    };
    if (orphans().empty())
        return 0;
    // The hooks of lost runs go to a supervisor, started when a lost run's
    // job has hooks of the kinds a loss calls for.
    std::optional<exec::SupervisorId> sender;
    for (const auto& e : orphans()) {
        if (e.status != model::ExecutionStatus::running || sender)
            continue;
        if (auto job = ctx.store.find_job_by_id(e.job_id))
            if (has_hook(ctx, *job, model::ExecutionStatus::lost, false) ||
                has_hook(ctx, *job, model::ExecutionStatus::lost, true))
                sender = launcher.start();
    }
    auto tx = ctx.store.begin_write();
    std::int64_t released = 0;
    for (auto& e : orphans()) {
        if (e.status == model::ExecutionStatus::running) {
            recover_lost_run(ctx, tx, e, e.job_name, sender);
            continue;
        }
        spdlog::info("released execution {} of {}: its supervisor {} is gone", e.id,
                     util::escape_control(e.job_name), e.supervisor_pid.value_or(0));
        e.supervisor_pid.reset();
        e.supervisor_start.reset();
        e.updated_at = ctx.now();
        ctx.store.update_claim(tx, e);
        ++released;
    }
    tx.commit();
    if (sender)
        launcher.release();
    return released;
}

QueueReport queue(Context& ctx) {
    QueueReport report;
    report.max_workers = ctx.settings.max_workers;
    auto snapshot = load_snapshot(ctx, Purpose::tick);
    snapshot.fire_due = false; // what waits now, not what the next tick fires
    auto plan = plan::plan_tick(snapshot);
    std::map<std::int64_t, const plan::Waiting*> waiting;
    for (const auto& w : plan.waiting)
        waiting[w.execution_id] = &w;
    std::set<std::int64_t> startable;
    for (const auto& r : plan.runs)
        if (r.execution_id)
            startable.insert(*r.execution_id);
    for (const auto& e : snapshot.active) {
        plan::QueueEntry q;
        q.execution = e;
        if (e.status == model::ExecutionStatus::running) {
            q.state = "running";
            if (snapshot.orphaned.count(e.id)) {
                q.reason = model::WaitReason::lost;
                q.detail = "its supervisor is gone; the next tick records it lost";
            }
        } else if (e.supervisor_pid && !snapshot.orphaned.count(e.id)) {
            q.state = "starting";
            q.detail = "claimed by supervisor " + std::to_string(*e.supervisor_pid);
        } else {
            q.state = std::string(model::to_string(e.status));
            if (auto it = waiting.find(e.id); it != waiting.end()) {
                q.reason = it->second->reason;
                q.detail = it->second->detail;
                q.until = it->second->until;
            } else if (startable.count(e.id)) {
                q.reason = model::WaitReason::tick;
                q.detail = "starts at the next tick";
            } else {
                q.reason = e.reason ? e.reason->wait() : std::nullopt;
            }
        }
        report.entries.push_back(std::move(q));
    }
    auto rank = [](const plan::QueueEntry& q) {
        return q.state == "running" ? 0 : q.state == "starting" ? 1 : 2;
    };
    std::stable_sort(report.entries.begin(), report.entries.end(),
                     [&](const plan::QueueEntry& a, const plan::QueueEntry& b) {
                         if (rank(a) != rank(b))
                             return rank(a) < rank(b);
                         if (a.execution.priority != b.execution.priority)
                             return a.execution.priority > b.execution.priority;
                         return a.execution.id < b.execution.id;
                     });
    return report;
}

} // namespace schedule::service
