#include <schedule/exec/process.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/runs.hpp>
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

namespace {

constexpr const char* k_boot_meta = "boot_id";

const std::string& name_of(const std::map<std::string, model::Job>& jobs, const std::string& id) {
    auto it = jobs.find(id);
    return it == jobs.end() ? id : it->second.name;
}

const model::Execution* find_active(const plan::TickSnapshot& s, std::int64_t id) {
    for (const auto& e : s.active)
        if (e.id == id)
            return &e;
    return nullptr;
}

// Whether `plan` queues a retry of the lost run `id` (a retry it records
// skipped, superseded or paused, is none).
bool retry_planned(const plan::TickPlan& plan, std::int64_t id) {
    return std::any_of(plan.runs.begin(), plan.runs.end(),
                       [&](const plan::RunDecision& d) { return d.retry_of == id; });
}

} // namespace

bool recovery_hooks(const Context& ctx, const plan::TickSnapshot& snapshot,
                    const plan::TickPlan& plan) {
    return std::any_of(plan.recoveries.begin(), plan.recoveries.end(), [&](const auto& r) {
        const auto job = snapshot.jobs.find(r.job_id);
        return r.lost && job != snapshot.jobs.end() &&
               has_hook(ctx, job->second, model::ExecutionStatus::lost,
                        retry_planned(plan, r.execution_id));
    });
}

bool supervisor_gone(Context& ctx, const model::Execution& e) {
    if (!e.supervisor_pid)
        return false;
    return e.boot_id != ctx.host().boot_id() ||
           !ctx.host().process_alive(*e.supervisor_pid, e.supervisor_start.value_or(-1));
}

model::Execution record_lost(Context& ctx, store::WriteTransaction& tx, model::Execution e,
                             const std::string& job_name) {
    const auto now = ctx.now();
    const auto boot_id = ctx.host().boot_id();
    const auto supervisor = e.supervisor_pid.value_or(0);
    // Kill what is left of it first: its group, if still led by the run's
    // main process, and whatever carries its ids in its environment (all of
    // it when the supervisor died before writing the pid).
    if (e.pid && e.process_start && e.boot_id == boot_id)
        ctx.host().kill_group(*e.pid, *e.process_start);
    if (e.boot_id == boot_id)
        ctx.host().kill_marked(
            {"SCHEDULE_EXECUTION_ID=" + std::to_string(e.id), "SCHEDULE_JOB_ID=" + e.job_id});
    e.status = model::ExecutionStatus::lost;
    e.end_time = now;
    e.updated_at = now;
    e.error = "its supervisor (pid " + std::to_string(supervisor) + ") is gone" +
              (e.boot_id != boot_id ? " (the host rebooted)" : "");
    ctx.store.update_execution(tx, e);
    ctx.store.note_run_ended(tx, e);
    append_execution_event(ctx, tx, model::event_type::execution_lost, e, job_name);
    spdlog::warn("execution {} of {} is lost: {}", e.id, util::escape_control(job_name),
                 util::escape_control(*e.error));
    return e;
}

void require_trusted_store(const Context& ctx) {
    if (!ctx.store.trusted_to_run())
        throw util::StoreError("the store " + ctx.store.path().string() +
                               " was not opened with the checks that running jobs needs");
}

void append_execution_event(Context& ctx, store::WriteTransaction& tx, const char* type,
                            const model::Execution& e, const std::string& job_name,
                            const std::map<std::string, std::string>& extra) {
    nlohmann::ordered_json d;
    d["trigger"] = std::string(model::to_string(e.trigger));
    d["attempt"] = e.attempt;
    if (e.pid)
        d["pid"] = *e.pid;
    if (model::is_final(e.status)) {
        d["status"] = std::string(model::to_string(e.status));
        if (e.status == model::ExecutionStatus::skipped) {
            const auto reason = model::reason_text(e);
            d["reason"] = reason ? nlohmann::ordered_json(*reason) : nullptr;
            d["skipped_count"] = e.skipped_count.value_or(1);
        } else {
            d["exit_code"] = e.exit_code ? nlohmann::ordered_json(*e.exit_code) : nullptr;
            d["signal"] = e.signal ? nlohmann::ordered_json(*e.signal) : nullptr;
            d["duration_ms"] = e.duration_ms ? nlohmann::ordered_json(*e.duration_ms) : nullptr;
        }
        if (e.error)
            d["error"] = *e.error;
    }
    for (const auto& [k, v] : extra)
        d[k] = v;
    model::Event ev;
    ev.time = ctx.now();
    ev.type = type;
    ev.job_id = e.job_id;
    ev.job_name = job_name;
    ev.execution_id = e.id;
    ev.user = ctx.user();
    ev.detail = model::dump_json(d);
    ctx.store.append_event(tx, ev);
}

bool new_boot(Context& ctx, const std::string& boot_id) {
    return !boot_id.empty() && ctx.store.meta(k_boot_meta) != boot_id;
}

void record_boot(Context& ctx, store::WriteTransaction& tx, const std::string& boot_id) {
    if (new_boot(ctx, boot_id))
        ctx.store.set_meta(tx, k_boot_meta, boot_id);
}

namespace {

// The links of the snapshot's jobs (plan::TickSnapshot::linked and the
// rest): read only when a job of it has dependencies or conflicts, or
// names none but another job may name it.
void load_links(Context& ctx, plan::TickSnapshot& s) {
    if (s.jobs.empty())
        return;
    std::set<std::string> linked;
    for (const auto& [id, j] : s.jobs) {
        for (const auto& d : j.depends_on)
            linked.insert(d.job_id);
        if (!j.depends_on.empty()) {
            if (auto t = ctx.store.last_scheduled(id, std::nullopt))
                s.last_due[id] = *t;
            for (const auto& e : s.active)
                if (e.job_id == id && e.status == model::ExecutionStatus::queued)
                    if (auto t =
                            ctx.store.last_scheduled(id, e.scheduled_for.value_or(e.created_at)))
                        s.previous_due[e.id] = *t;
        }
    }
    for (const auto& [a, b] : ctx.store.conflict_pairs())
        if (s.jobs.count(a) || s.jobs.count(b)) {
            s.conflicts.insert({a, b});
            linked.insert(a);
            linked.insert(b);
        }
    for (const auto& id : linked) {
        const auto a = ctx.store.job_activity(id);
        s.linked[id] = plan::LinkedJob{a.active, a.running, a.completed, a.failed, a.ended};
    }
}

} // namespace

plan::TickSnapshot load_snapshot(Context& ctx, Purpose purpose) {
    plan::TickSnapshot s;
    s.now = ctx.now();
    s.boot_id = ctx.host().boot_id();
    s.max_workers = ctx.settings.max_workers;
    s.fire_due = purpose == Purpose::tick;
    if (purpose == Purpose::tick) {
        s.active = ctx.store.active_executions();
    } else {
        // A supervisor whose run ended looks only at the front of the
        // queue: the runs that take the free slots first, with room for
        // some that their overlap policy holds back. A long queue then costs
        // each end a few rows; what it passes over, the next tick sees.
        s.active = ctx.store.queue_front(s.max_workers);
    }
    if (purpose == Purpose::tick) {
        for (auto& j : ctx.store.due_jobs(plan::due_horizon(s.now)))
            s.jobs.emplace(j.id, std::move(j));
        if (new_boot(ctx, s.boot_id))
            for (auto& j : ctx.store.reboot_jobs())
                s.jobs.emplace(j.id, std::move(j));
        // A supervisor is gone when its pid is dead or reused, or the host
        // rebooted since it claimed the run.
        for (const auto& e : s.active)
            if (supervisor_gone(ctx, e))
                s.orphaned.insert(e.id);
    }
    for (const auto& e : s.active)
        if (!s.jobs.count(e.job_id) &&
            (e.status != model::ExecutionStatus::running || s.orphaned.count(e.id)))
            if (auto j = ctx.store.find_job_by_id(e.job_id))
                s.jobs.emplace(j->id, std::move(*j));
    load_links(ctx, s);
    return s;
}

Applied apply_plan(Context& ctx, store::WriteTransaction& tx, const plan::TickSnapshot& snapshot,
                   const plan::TickPlan& plan, std::optional<exec::SupervisorId> owner,
                   const std::function<void(model::Execution&)>& on_claim) {
    Applied out;
    const auto now = ctx.now();
    const auto& jobs = snapshot.jobs;

    for (const auto& r : plan.recoveries) {
        const auto* found = find_active(snapshot, r.execution_id);
        if (!found)
            continue;
        auto e = *found;
        const auto supervisor = e.supervisor_pid.value_or(0);
        if (!r.lost) {
            e.supervisor_pid.reset();
            e.supervisor_start.reset();
            e.updated_at = now;
            ctx.store.update_execution(tx, e);
            spdlog::info("released execution {} of {}: its supervisor {} is gone", e.id,
                         util::escape_control(name_of(jobs, e.job_id)), supervisor);
            continue;
        }
        const auto lost = record_lost(ctx, tx, e, name_of(jobs, e.job_id));
        // Its hook goes to the supervisor the tick started for it
        // (recovery_hooks()), so the tick does not wait for it.
        const auto job = jobs.find(e.job_id);
        if (owner && job != jobs.end())
            note_hook(ctx, tx, job->second, lost, retry_planned(plan, e.id), *owner);
    }

    for (const auto& d : plan.runs) {
        model::Execution e;
        if (d.execution_id) {
            const auto* found = find_active(snapshot, *d.execution_id);
            if (!found)
                continue;
            e = *found;
        } else {
            e.job_id = d.job_id;
            e.trigger = d.trigger;
            e.attempt = d.attempt;
            e.scheduled_for = d.scheduled_for;
            e.not_before = d.not_before;
            e.priority = d.priority;
            e.created_at = now;
            if (d.retry_of)
                e.parent_execution_id = d.retry_of;
        }
        e.status = model::ExecutionStatus::queued;
        e.updated_at = now;
        if (d.start && owner) {
            e.reason.reset();
            e.supervisor_pid = owner->pid;
            e.supervisor_start = owner->start;
            e.boot_id = snapshot.boot_id;
            if (!d.replaces.empty())
                e.parent_execution_id = d.replaces.front();
        } else {
            e.reason = d.start ? model::WaitReason::slot : d.wait;
        }
        if (d.start && owner && on_claim)
            on_claim(e);
        if (d.execution_id)
            ctx.store.update_claim(tx, e);
        else
            e.id = ctx.store.insert_execution(tx, e);
        (d.start && owner ? out.started : out.queued).push_back(e.id);
        if (!d.start && (d.deferred || d.wait == model::WaitReason::window ||
                         d.wait == model::WaitReason::retry))
            out.deferred.push_back(e.id);
        const auto& name = name_of(jobs, e.job_id);
        if (d.start && owner) {
            e.job_name = name;
            out.claimed.push_back(e);
        }
        if (d.retry_of) {
            model::Execution failed;
            failed.id = *d.retry_of;
            failed.job_id = e.job_id;
            failed.trigger = e.trigger;
            failed.attempt = e.attempt - 1;
            append_execution_event(ctx, tx, model::event_type::execution_retrying, failed, name,
                                   {{"retry_execution_id", std::to_string(e.id)},
                                    {"retry_at", time::format_iso_utc(*e.not_before)}});
        }
        const auto no_replacements = std::vector<std::int64_t>{};
        for (auto replaced : (d.start && owner) ? d.replaces : no_replacements) {
            const auto* old = find_active(snapshot, replaced);
            if (!old)
                continue;
            auto o = *old;
            o.updated_at = now;
            o.reason.reset();
            if (o.status != model::ExecutionStatus::running) {
                // Claimed but not started: its supervisor will find it
                // cancelled and never start it.
                o.status = model::ExecutionStatus::cancelled;
                o.reason = model::CancelReason::replaced;
                o.end_time = now;
                ctx.store.update_execution(tx, o);
                append_execution_event(ctx, tx, model::event_type::execution_cancelled, o, name);
                continue;
            }
            // Running: its supervisor records it cancelled once the new
            // run's supervisor has stopped it.
            o.replace_requested = true;
            ctx.store.update_execution(tx, o);
        }
        if (d.start && owner)
            spdlog::info("fired {} ({}): execution {}, {}", util::escape_control(name),
                         model::to_string(e.trigger), e.id, util::escape_control(d.reason));
        else
            spdlog::info("queued {} ({}): execution {}, waits for {}", util::escape_control(name),
                         model::to_string(e.trigger), e.id, model::reason_text(e).value_or(""));
    }

    for (const auto& s : plan.skips) {
        model::Execution e;
        if (s.execution_id) {
            const auto* found = find_active(snapshot, *s.execution_id);
            if (!found)
                continue;
            e = *found;
            e.supervisor_pid.reset();
            e.supervisor_start.reset();
        } else {
            e.job_id = s.job_id;
            e.trigger = model::ExecutionTrigger::schedule;
            e.scheduled_for = s.scheduled_for;
            e.created_at = now;
        }
        e.status = model::ExecutionStatus::skipped;
        e.reason = s.reason;
        e.skipped_count = s.count;
        e.end_time = now;
        e.updated_at = now;
        if (s.execution_id)
            ctx.store.update_execution(tx, e);
        else
            e.id = ctx.store.record_skip(tx, e);
        const auto& name = name_of(jobs, e.job_id);
        append_execution_event(ctx, tx, model::event_type::execution_skipped, e, name,
                               {{"detail", s.detail}});
        spdlog::info("skipped {} x{}: {} ({})", util::escape_control(name), s.count,
                     model::to_string(s.reason), util::escape_control(s.detail));
    }

    for (const auto& c : plan.jobs)
        ctx.store.advance_job(tx, c.job_id, c.next_execution, c.status, c.boot_id);
    return out;
}

} // namespace schedule::service
