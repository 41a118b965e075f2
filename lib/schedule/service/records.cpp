#include <schedule/model/job_json.hpp>
#include <schedule/plan/retry.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/records.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace schedule::service {

namespace {

using model::zone_of;

const char* event_for(model::ExecutionStatus s) {
    switch (s) {
    case model::ExecutionStatus::completed:
        return model::event_type::execution_completed;
    case model::ExecutionStatus::timed_out:
        return model::event_type::execution_timed_out;
    case model::ExecutionStatus::cancelled:
        return model::event_type::execution_cancelled;
    default:
        return model::event_type::execution_failed;
    }
}

// Copies a runner's result into the execution record.
void apply_result(Context& ctx, model::Execution& e, const exec::RunResult& r) {
    e.end_time = ctx.now();
    e.updated_at = ctx.now();
    e.duration_ms = r.duration.count();
    e.exit_code = r.exit_code;
    e.signal = r.signal;
    switch (r.outcome) {
    case exec::Outcome::exited:
        e.status =
            r.exit_code == 0 ? model::ExecutionStatus::completed : model::ExecutionStatus::failed;
        break;
    case exec::Outcome::signaled:
        e.status = model::ExecutionStatus::failed;
        break;
    case exec::Outcome::timed_out:
        e.status = model::ExecutionStatus::timed_out;
        break;
    case exec::Outcome::cancelled:
        e.status = model::ExecutionStatus::cancelled;
        e.reason = model::Reason::signal(exec::signal_name(r.cancel_signal));
        break;
    case exec::Outcome::failed_to_start:
        e.status = model::ExecutionStatus::failed;
        e.error = r.error;
        e.duration_ms.reset(); // nothing ran: no duration to count in stats
        break;
    }
}

// After a failed attempt of `job`, queue the next one (trigger retry) due
// after the backoff delay, unless it would run into the next regular run
// (then it is recorded skipped). Returns whether a retry was queued.
bool schedule_retry(Context& ctx, store::WriteTransaction& tx, const model::Execution& e,
                    const std::string& name, const model::Job& job) {
    if (!model::is_failure(e.status))
        return false;
    auto retry = plan::plan_retry(job, e, e.end_time.value_or(ctx.now()));
    if (!retry)
        return false;
    model::Execution next;
    next.job_id = e.job_id;
    next.trigger = model::ExecutionTrigger::retry;
    next.attempt = retry->attempt;
    next.scheduled_for = next.not_before = retry->at;
    next.priority = job.priority;
    next.parent_execution_id = e.id;
    next.created_at = next.updated_at = ctx.now();
    if (retry->paused || retry->superseded) {
        // A paused job's queued runs are skipped: its retries too.
        const std::string detail =
            retry->paused ? "the job is paused" : "the retry would run into the next regular run";
        next.status = model::ExecutionStatus::skipped;
        next.reason = retry->paused ? model::SkipReason::paused : model::SkipReason::superseded;
        next.skipped_count = 1;
        next.end_time = ctx.now();
        next.id = ctx.store.record_skip(tx, next);
        append_execution_event(ctx, tx, model::event_type::execution_skipped, next, name,
                               {{"detail", detail}});
        spdlog::info("retry of execution {} of {} skipped: {}", e.id, util::escape_control(name),
                     detail);
        return false;
    }
    next.status = model::ExecutionStatus::queued;
    next.reason = model::WaitReason::retry;
    next.id = ctx.store.insert_execution(tx, next);
    append_execution_event(ctx, tx, model::event_type::execution_retrying, e, name,
                           {{"retry_execution_id", std::to_string(next.id)},
                            {"retry_at", time::format_iso_utc(retry->at)}});
    spdlog::info("execution {} of {} failed; attempt {} at {}", e.id, util::escape_control(name),
                 retry->attempt, time::format_iso_utc(retry->at));
    return true;
}

// The end of `e` (no retry following it when `retried` is false) fires the
// jobs that run --after its job in the state it ended in: each gets a run
// (trigger after) queued now, which the caller's claim of queued work
// starts in the same transaction.
void fire_followers(Context& ctx, store::WriteTransaction& tx, const model::Execution& e,
                    bool retried) {
    const bool completed = e.status == model::ExecutionStatus::completed;
    const bool failed = model::is_failure(e.status) && !retried;
    if (!completed && !failed)
        return;
    for (const auto& f : ctx.store.jobs_linked_to(e.job_id)) {
        if (!f.trigger.after || f.trigger.after->job_id != e.job_id || !f.enabled ||
            f.status != model::JobStatus::active)
            continue;
        const auto state = f.trigger.after->state;
        if (!(state == model::EndState::any || (state == model::EndState::completed && completed) ||
              (state == model::EndState::failed && failed)))
            continue;
        model::Execution next;
        next.job_id = f.id;
        next.trigger = model::ExecutionTrigger::after;
        next.scheduled_for = next.not_before = ctx.now();
        next.priority = f.priority;
        next.parent_execution_id = e.id;
        next.created_at = next.updated_at = ctx.now();
        next.status = model::ExecutionStatus::queued;
        next.reason = model::WaitReason::slot;
        next.id = ctx.store.insert_execution(tx, next);
        spdlog::info("execution {} of {} ended {}: queued execution {} of {} (--after)", e.id,
                     util::escape_control(e.job_name), model::to_string(e.status), next.id,
                     util::escape_control(f.name));
    }
}

} // namespace

void mark_running(Context& ctx, model::Execution& e) {
    const auto me = ctx.host().self();
    e.status = model::ExecutionStatus::running;
    e.start_time = ctx.now();
    e.updated_at = ctx.now();
    e.host = ctx.host().host_name();
    e.boot_id = ctx.host().boot_id();
    e.supervisor_pid = me.pid;
    e.supervisor_start = me.start;
}

exec::RunSpec spec_for(Context& ctx, const model::Job& job, const ResolvedRun& r, Tee tee,
                       std::int64_t execution_id) {
    exec::RunSpec spec;
    spec.argv = r.argv;
    spec.env = r.env;
    spec.working_dir = r.working_dir;
    spec.stdin_data = r.stdin_data;
    spec.user = r.switch_to;
    spec.timeout = job.timeout;
    spec.kill_grace = job.kill_grace;
    spec.max_bytes = static_cast<std::size_t>(ctx.settings.output_max_bytes);
    spec.tee = tee == Tee::yes;
    spec.marker = "SCHEDULE_EXECUTION_ID=" + std::to_string(execution_id);
    return spec;
}

std::optional<model::Notification> recover_lost_run(Context& ctx, store::WriteTransaction& tx,
                                                    const model::Execution& e,
                                                    const std::string& job_name,
                                                    const std::optional<Sender>& sender) {
    const auto lost = record_lost(ctx, tx, e, job_name);
    auto job = ctx.store.find_job_by_id(lost.job_id);
    if (!job)
        return std::nullopt;
    const bool retry = schedule_retry(ctx, tx, lost, job_name, *job);
    fire_followers(ctx, tx, lost, retry);
    if (!sender)
        return std::nullopt;
    return note_hook(ctx, tx, *job, lost, retry, *sender);
}

std::vector<model::Notification>
record_ends(Context& ctx, store::WriteTransaction& tx,
            std::vector<std::pair<model::Execution, exec::RunResult>>& ended, Retries retries,
            const Sender& sender) {
    std::vector<model::Notification> hooks;
    for (auto& [e, r] : ended) {
        apply_result(ctx, e, r);
        // The job (and with it the run) may have been deleted meanwhile: the
        // delete recorded the run cancelled (reason deleted) in the audit log
        // and stopped it, which is what the run's owner reports.
        auto current = ctx.store.find_execution(e.id);
        if (!current) {
            e.status = model::ExecutionStatus::cancelled;
            e.reason = model::CancelReason::deleted;
            if (!r.cancel_signal)
                r.cancel_signal = e.signal.value_or(exec::k_stop_signal);
            continue;
        }
        if (model::is_replaced(*current)) {
            e.status = model::ExecutionStatus::cancelled;
            e.reason = model::CancelReason::replaced;
        }
        ctx.store.update_end(tx, e);
        // An empty stream is not stored: a missing one reads as empty.
        for (const auto& [stream, out] : {std::pair{"stdout", &r.out}, {"stderr", &r.err}})
            if (out->total_bytes > 0 || !out->data.empty())
                ctx.store.save_output(tx, e.id, stream, *out);
        ctx.store.note_run_ended(tx, e);
        append_execution_event(ctx, tx, event_for(e.status), e, e.job_name);
        if (!model::hook_for(e.status, false))
            continue; // cancelled: no retry, no hook
        auto job = ctx.store.find_job_by_id(e.job_id);
        if (!job)
            continue;
        const bool retry = retries == Retries::yes && schedule_retry(ctx, tx, e, e.job_name, *job);
        fire_followers(ctx, tx, e, retry);
        if (auto hook = note_hook(ctx, tx, *job, e, retry, sender))
            hooks.push_back(std::move(*hook));
    }
    return hooks;
}

void drop_outputs(std::vector<std::pair<model::Execution, exec::RunResult>>& ended,
                  const std::string& why) {
    for (auto& [e, r] : ended) {
        if (r.out.data.empty() && r.err.data.empty())
            continue;
        for (auto* out : {&r.out, &r.err}) {
            out->data.clear();
            out->truncated = out->total_bytes > 0;
        }
        const std::string note = "its output was not stored: " + why;
        e.error = e.error ? *e.error + "; " + note : note;
    }
}

void log_ends(const std::vector<std::pair<model::Execution, exec::RunResult>>& ended) {
    for (const auto& [e, r] : ended)
        spdlog::info("execution {} of {} ended: {}", e.id, util::escape_control(e.job_name),
                     model::to_string(e.status));
}

} // namespace schedule::service
