#include <schedule/model/job_json.hpp>
#include <schedule/plan/retry.hpp>
#include <schedule/plan/tick.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

namespace schedule::service {

namespace {

constexpr const char* k_path = "PATH=/usr/local/bin:/usr/bin:/bin";
constexpr const char* k_last_prune = "last_prune";
// How often the owner of a running run (a supervisor, a foreground `job
// run`) checks that the run's row is still running: a run whose job was
// deleted is stopped by the delete, or here should the delete die first.
constexpr std::chrono::seconds k_owner_check{1};

using model::zone_of;

bool is_directory(const std::string& path) {
    std::error_code ec;
    return !path.empty() && std::filesystem::is_directory(path, ec);
}

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

// A queued run of `job` by hand, due now (`job run`).
model::Execution manual_execution(Context& ctx, const model::Job& job) {
    model::Execution e;
    e.job_id = job.id;
    e.job_name = job.name;
    e.job_timezone = job.timezone;
    e.trigger = model::ExecutionTrigger::manual;
    e.status = model::ExecutionStatus::queued;
    e.scheduled_for = ctx.now();
    e.created_at = ctx.now();
    e.updated_at = ctx.now();
    return e;
}

// The fields of a run that starts now in this process.
void mark_running(Context& ctx, model::Execution& e) {
    // Facts that do not change while this process lives, read once.
    static const std::string host = exec::host_name();
    static const std::string boot = exec::boot_id();
    static const std::int64_t pid = exec::self_pid();
    static const std::optional<std::int64_t> start = exec::process_start_time(pid);
    e.status = model::ExecutionStatus::running;
    e.start_time = ctx.now();
    e.updated_at = ctx.now();
    e.host = host;
    e.boot_id = boot;
    e.supervisor_pid = pid;
    e.supervisor_start = start;
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

enum class Retries { no, yes };

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

std::optional<model::Notification> recover_lost_run(Context& ctx, store::WriteTransaction& tx,
                                                    const model::Execution& e,
                                                    const std::string& job_name,
                                                    const std::optional<Sender>& sender) {
    const auto lost = record_lost(ctx, tx, e, exec::boot_id(), job_name);
    auto job = ctx.store.find_job_by_id(lost.job_id);
    if (!job)
        return std::nullopt;
    const bool retry = schedule_retry(ctx, tx, lost, job_name, *job);
    fire_followers(ctx, tx, lost, retry);
    if (!sender)
        return std::nullopt;
    return note_hook(ctx, tx, *job, lost, retry, *sender);
}

namespace {

// Refuses a second run of a job whose overlap policy is skip (`job run`).
// Called inside the write transaction that records the new run, so two
// racing `job run`s cannot both pass. A running run whose supervisor is
// gone (it died before recording the end) does not count: it is recorded
// lost first, with its retry and the hook that `sender` is to send, as the
// next tick would. Returns those hooks.
std::vector<model::Notification> check_overlap(Context& ctx, store::WriteTransaction& tx,
                                               const model::Job& job, Force force,
                                               const Sender& sender) {
    std::vector<model::Notification> hooks;
    if (force == Force::yes || job.overlap != model::Overlap::skip)
        return hooks;
    for (const auto& e : ctx.store.active_executions(job.id)) {
        if (e.status != model::ExecutionStatus::running)
            continue;
        if (supervisor_gone(e, exec::boot_id())) {
            if (auto hook = recover_lost_run(ctx, tx, e, job.name, sender))
                hooks.push_back(std::move(*hook));
            continue;
        }
        throw util::Conflict("job " + job.name + " is already running (execution " +
                                 std::to_string(e.id) + ") and its overlap policy is skip",
                             "use --force to run it anyway");
    }
    return hooks;
}

// Records the end of runs in `tx`: status (a run that a replacing run
// stopped is `cancelled`), output, counters and events; with Retries::yes
// also the retry the job's policy asks for, or the skip of a superseded
// one; and the hook each end calls for, to be sent by `sender`. Returns
// those hooks.
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

void log_ends(const std::vector<std::pair<model::Execution, exec::RunResult>>& ended) {
    for (const auto& [e, r] : ended)
        spdlog::info("execution {} of {} ended: {}", e.id, util::escape_control(e.job_name),
                     model::to_string(e.status));
}

} // namespace

ResolvedRun resolve_run(Context& ctx, const model::Job& job, const model::Execution& execution) {
    ResolvedRun r;
    static const exec::Identity me = exec::current_identity(); // read once per process
    exec::Identity who = me;
    if (job.run_as) {
        auto u = exec::lookup_user(*job.run_as);
        if (!u)
            r.error = "cannot run as " + *job.run_as + ": no such user";
        else if (u->uid != me.uid && !util::running_as_root())
            r.error = "cannot run as " + *job.run_as + ": only root can switch users";
        else
            who = *u;
    } else if (util::running_as_root() && job.owner) {
        // In root's store a job runs as its owner when that is a user.
        if (auto u = exec::lookup_user(*job.owner))
            who = *u;
    }
    r.user = who.name;
    if (who.uid != me.uid)
        r.switch_to = who;
    std::string home = is_directory(who.home) ? who.home : "/";
    r.working_dir = job.working_dir ? *job.working_dir : home;

    if (job.command) {
        r.argv = {"/bin/sh", "-c", *job.command};
    } else if (job.task_type) {
        auto h = ctx.settings.handlers.find(*job.task_type);
        if (h == ctx.settings.handlers.end()) {
            if (!r.error)
                r.error = "no handler for task type: " + *job.task_type;
            r.argv = {};
        } else {
            r.argv = {h->second};
        }
        r.stdin_data = job.task_config;
    }

    // A clean environment like cron's (schedule(1), RUNNING JOBS), then the
    // job's, then ours.
    std::map<std::string, std::string> env = {
        {"PATH", std::string(k_path).substr(5)},
        {"HOME", home},
        {"USER", who.name},
        {"LOGNAME", who.name},
        {"SHELL", "/bin/sh"},
    };
    for (const auto& v : job.env)
        env[v.name] = v.value;
    auto zone = zone_of(job);
    env["SCHEDULE_JOB_ID"] = job.id;
    env["SCHEDULE_JOB_NAME"] = job.name;
    env["SCHEDULE_EXECUTION_ID"] = std::to_string(execution.id);
    env["SCHEDULE_ATTEMPT"] = std::to_string(execution.attempt);
    env["SCHEDULE_TRIGGER"] = std::string(model::to_string(execution.trigger));
    env["SCHEDULE_SCHEDULED_FOR"] =
        execution.scheduled_for ? time::format_iso(*execution.scheduled_for, zone) : "";
    for (const auto& [k, v] : env)
        r.env.push_back(k + "=" + v);
    return r;
}

DryRun dry_run(Context& ctx, std::string_view ref) {
    DryRun d;
    d.job = get_job(ctx, ref);
    model::Execution e;
    e.job_id = d.job.id;
    e.trigger = model::ExecutionTrigger::manual;
    e.scheduled_for = ctx.now();
    d.run = resolve_run(ctx, d.job, e);
    for (auto& v : d.run.env)
        if (v.starts_with("SCHEDULE_EXECUTION_ID="))
            v = "SCHEDULE_EXECUTION_ID=(assigned when it runs)";

    RunCheck overlap{"overlap", true, ""};
    std::vector<std::string> running;
    for (const auto& a : ctx.store.active_executions(d.job.id))
        if (a.status == model::ExecutionStatus::running)
            running.push_back(std::to_string(a.id));
    std::string policy = std::string(model::to_string(d.job.overlap));
    if (running.empty()) {
        overlap.detail = "not running (policy " + policy + ")";
    } else {
        overlap.ok = d.job.overlap != model::Overlap::skip;
        overlap.detail = "running as execution " + running.front() + " (policy " + policy +
                         (overlap.ok ? ")" : "; refused without --force)");
    }
    d.checks.push_back(overlap);
    d.checks.push_back({"dependencies", true, "none (job run ignores dependencies)"});
    d.checks.push_back({"window", true, "none (job run ignores windows)"});
    if (d.run.error)
        d.checks.push_back({"start", false, *d.run.error});
    return d;
}

int run_exit_code(const model::Execution& e, int cancel_signal) {
    switch (e.status) {
    case model::ExecutionStatus::completed:
        return 0;
    case model::ExecutionStatus::timed_out:
        return 124;
    case model::ExecutionStatus::cancelled:
        // Interrupted here (Ctrl-C, SIGTERM to `job run`), or stopped by the
        // signal a replacing run sent.
        if (cancel_signal)
            return 128 + cancel_signal;
        return 128 + e.signal.value_or(2); // 130, as after Ctrl-C
    default:
        break;
    }
    if (e.exit_code)
        return *e.exit_code;
    if (e.signal)
        return 128 + *e.signal;
    return 1;
}

RunReport run_now(Context& ctx, exec::ProcessRunner& runner, std::string_view ref, Force force,
                  Tee tee) {
    require_trusted_store(ctx);
    auto job = get_job(ctx, ref);
    auto e = manual_execution(ctx, job);
    mark_running(ctx, e);
    // This process sends the hooks of its run (and of a lost one it finds):
    // after the run, as a supervisor would, so `job run` returns once they
    // have run.
    std::vector<model::Notification> hooks;
    {
        auto tx = ctx.store.begin_write();
        hooks = check_overlap(ctx, tx, job, force, this_process());
        e.id = ctx.store.insert_execution(tx, e);
        ctx.store.note_run_started(tx, e);
        append_execution_event(ctx, tx, model::event_type::execution_started, e, job.name);
        tx.commit();
    }
    auto resolved = resolve_run(ctx, job, e);
    std::vector<std::pair<model::Execution, exec::RunResult>> ended;
    if (resolved.error) {
        exec::RunResult r;
        r.outcome = exec::Outcome::failed_to_start;
        r.error = *resolved.error;
        ended.emplace_back(e, r);
    } else {
        if (auto started = runner.start(e.id, spec_for(ctx, job, resolved, tee, e.id))) {
            e.pid = started->pid;
            e.process_start = started->process_start;
            auto tx = ctx.store.begin_write();
            const bool kept = ctx.store.note_process(tx, e);
            tx.commit();
            if (!kept) // the job was deleted before its pid was known: stop it here
                runner.cancel(e.id, exec::k_stop_signal);
        }
        // Should a delete of the job die before it stops the run, the
        // run's row is gone: stop it here.
        std::vector<exec::Finished> done;
        while ((done = runner.wait_for(k_owner_check)).empty() && runner.active() > 0)
            if (!ctx.store.find_execution(e.id))
                runner.cancel(e.id, exec::k_stop_signal);
        for (auto& f : done)
            ended.emplace_back(e, f.result);
    }
    {
        // A foreground run never retries.
        auto tx = ctx.store.begin_write();
        auto own = record_ends(ctx, tx, ended, Retries::no, this_process());
        tx.commit();
        log_ends(ended);
        hooks.insert(hooks.end(), own.begin(), own.end());
    }
    try {
        send_hooks(ctx, runner, hooks);
    } catch (const util::Error& err) {
        // The run is recorded; only how its hooks went may be missing.
        spdlog::warn("could not record how the hooks of execution {} went: {}", e.id,
                     util::escape_control(err.what()));
    }
    int cancel_signal = ended.front().second.cancel_signal;
    RunReport report;
    report.execution = ended.front().first;
    report.exit_code = run_exit_code(report.execution, cancel_signal);
    if (model::is_replaced(report.execution))
        for (const auto& later : ctx.store.list_executions({.job_id = job.id, .limit = 20}))
            if (later.parent_execution_id == report.execution.id &&
                later.trigger != model::ExecutionTrigger::retry)
                report.replaced_by = later.id;
    prune_history(ctx);
    return report;
}

model::Execution run_detached(Context& ctx, exec::Launcher& launcher, std::string_view ref,
                              Force force) {
    require_trusted_store(ctx);
    auto job = get_job(ctx, ref);
    auto e = manual_execution(ctx, job);
    // The supervisor exists before the run names it (exec/launcher.hpp).
    auto owner = launcher.start();
    {
        auto tx = ctx.store.begin_write();
        check_overlap(ctx, tx, job, force, owner);
        e.supervisor_pid = owner.pid;
        e.supervisor_start = owner.start;
        e.boot_id = exec::boot_id();
        e.id = ctx.store.insert_execution(tx, e);
        tx.commit();
    }
    launcher.release();
    return e;
}

namespace {

// The runs a supervisor owns, from claimed to recorded:
//
//   later   claimed (queued, marked with our id), waiting for not_before
//   ready   marked running in the store, not started yet
//   runs    started: a process of the runner
//   ended   over, not recorded yet
//
// The loop starts one ready run, writes what changed when it must, then
// waits. A write is one transaction: the ends (with retries), the pids of
// the runs started since the last write, and the queued work claimed for
// the slots that freed up, which it marks running at once. It happens when
// no run is ready (so the claim refills the ready runs while the run just
// started goes on), when nothing is left to run, or k_write_delay after
// the oldest change not written; so a burst of short runs costs one
// transaction per max_workers runs. A run is marked running in a committed
// transaction before its process starts: if the supervisor dies, the run is
// recovered as lost, never started twice (and a run that ended less than
// k_write_delay before is recorded lost too).
class Supervisor {
    using Steady = std::chrono::steady_clock;

public:
    Supervisor(Context& ctx, exec::ProcessRunner& runner)
        : m_ctx(ctx),
          m_runner(runner), m_me{exec::self_pid(),
                                 exec::process_start_time(exec::self_pid()).value_or(0)} {}

    void run() {
        adopt();
        // Hooks of runs that a tick recovered as lost, handed to us.
        start_hooks(m_ctx.store.notifications_of(m_me.pid, m_me.start));
        for (;;) {
            if (m_runner.interrupted_by() != 0 && !m_stopping)
                stop_taking_work();
            start_one();
            if (must_write())
                write();
            if (m_runner.active() == 0 && m_ready.empty() && m_later.empty() && m_ended.empty() &&
                m_hooks_ended.empty())
                break;
            collect(m_runner.wait_for(wait_limit()));
            stop_disowned();
        }
    }

private:
    // Takes the queued runs that the tick (or `job run`) claimed for us.
    void adopt() {
        for (auto& e : m_ctx.store.claimed_executions(m_me.pid, m_me.start)) {
            if (!m_jobs.count(e.job_id)) {
                auto job = m_ctx.store.find_job_by_id(e.job_id);
                if (!job)
                    continue;
                m_jobs.insert_or_assign(e.job_id, std::move(*job));
            }
            e.job_name = m_jobs.at(e.job_id).name;
            m_later.push_back(std::move(e));
        }
    }

    bool due(const model::Execution& e, time::Instant now) const {
        return !e.not_before || *e.not_before <= now;
    }

    bool must_write() const {
        const auto now = m_ctx.now();
        if (std::any_of(m_later.begin(), m_later.end(),
                        [&](const auto& e) { return m_stopping || due(e, now); }))
            return true;
        if (!m_write_by)
            return false; // nothing changed
        return m_ready.empty() || m_stopping || Steady::now() >= *m_write_by;
    }

    // A run ended or started: written by k_write_delay from the first such
    // change at the latest.
    // A run of an overlap=replace job is written at once (`now`): a
    // replacing run's supervisor looks for its pid.
    void changed(bool now = false) {
        const auto by = now ? Steady::now() : Steady::now() + k_write_delay;
        if (!m_write_by || by < *m_write_by)
            m_write_by = by;
    }

    // Zero while a ready run waits; otherwise until the first not_before
    // (nothing: until a run ends). No change waits unwritten here: with no
    // run ready, must_write() held.
    std::optional<std::chrono::milliseconds> wait_limit() const {
        using std::chrono::milliseconds;
        if (!m_ready.empty())
            return milliseconds(0);
        const auto check =
            m_runs.empty() ? std::nullopt : std::optional(milliseconds(k_owner_check));
        if (m_later.empty())
            return check;
        auto first = time::Instant::max();
        for (const auto& e : m_later)
            first = std::min(first, e.not_before.value_or(time::Instant{}));
        const auto until = std::max(milliseconds(0),
                                    std::chrono::duration_cast<milliseconds>(first - m_ctx.now()));
        return check ? std::min(*check, until) : until;
    }

    // A run whose row is gone or no longer running (its job was deleted):
    // see k_owner_check.
    void stop_disowned() {
        if (m_runs.empty() || Steady::now() < m_next_check)
            return;
        m_next_check = Steady::now() + k_owner_check;
        std::set<std::int64_t> running;
        for (auto [id, status] : m_ctx.store.active_execution_statuses())
            if (status == model::ExecutionStatus::running)
                running.insert(id);
        for (const auto& [id, e] : m_runs)
            if (!running.count(id))
                m_runner.cancel(id, exec::k_stop_signal);
    }

    void collect(std::vector<exec::Finished> finished) {
        for (auto& f : finished) {
            if (auto hook = m_hooks.find(f.id); hook != m_hooks.end()) {
                m_hooks_ended.emplace_back(std::move(hook->second), std::move(f.result));
                m_hooks.erase(hook);
                changed();
                continue;
            }
            auto it = m_runs.find(f.id);
            if (it == m_runs.end())
                continue;
            m_ended.emplace_back(std::move(it->second), std::move(f.result));
            m_runs.erase(it);
            m_unsaved.erase(f.id); // its end carries the pid
            changed();
        }
    }

    // Starts hooks noted for us, each beside the runs (they hold no worker);
    // their ends are recorded with the next write.
    void start_hooks(const std::vector<model::Notification>& hooks) {
        for (const auto& n : hooks) {
            HookSend send{n, std::nullopt};
            if (auto r = start_hook(m_ctx, m_runner, send)) {
                m_hooks_ended.emplace_back(std::move(send), std::move(*r));
                changed();
            } else {
                m_hooks.emplace(hook_run_id(n), std::move(send));
            }
        }
    }

    // A run marked ready that must not start after all.
    void end_unstarted(model::Execution e, exec::Outcome outcome, std::string error, int signal) {
        exec::RunResult r;
        r.outcome = outcome;
        r.error = std::move(error);
        r.cancel_signal = signal;
        m_ended.emplace_back(std::move(e), std::move(r));
        changed();
    }

    // Starts the first ready run. The runner paces starts (exec/process.hpp).
    void start_one() {
        if (m_ready.empty())
            return;
        auto e = std::move(m_ready.front());
        m_ready.pop_front();
        if (m_stopping) {
            end_unstarted(std::move(e), exec::Outcome::cancelled, "", m_runner.interrupted_by());
            return;
        }
        const auto& job = m_jobs.at(e.job_id);
        if (job.overlap == model::Overlap::replace) {
            // A newer run may have replaced this one before it started.
            auto current = m_ctx.store.find_execution(e.id);
            if (current && model::is_replaced(*current)) {
                // Recorded cancelled, reason replaced (record_ends).
                end_unstarted(std::move(e), exec::Outcome::cancelled, "", 0);
                return;
            }
            // Stopping may take the kill grace: what waits is written first.
            if (m_write_by)
                write();
            stop_replaced(e, job);
        }
        auto resolved = resolve_run(m_ctx, job, e);
        if (resolved.error) {
            end_unstarted(std::move(e), exec::Outcome::failed_to_start, *resolved.error, 0);
            return;
        }
        e.start_time = m_ctx.now();
        if (auto started = m_runner.start(e.id, spec_for(m_ctx, job, resolved, Tee::no, e.id))) {
            e.pid = started->pid;
            e.process_start = started->process_start;
            m_unsaved.insert(e.id);
            changed(job.overlap == model::Overlap::replace);
        }
        m_runs.emplace(e.id, std::move(e)); // a start that failed ends in wait_for
    }

    // Overlap replace: the run this one replaces is stopped first.
    void stop_replaced(const model::Execution& e, const model::Job& job) {
        if (!e.parent_execution_id || e.trigger == model::ExecutionTrigger::retry)
            return;
        auto old = m_ctx.store.find_execution(*e.parent_execution_id);
        // Its supervisor records its pid right after starting it: give it a moment.
        for (int i = 0; i < 100 && old && old->status == model::ExecutionStatus::running &&
                        old->replace_requested && !old->pid;
             ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            old = m_ctx.store.find_execution(*e.parent_execution_id);
        }
        if (!old || old->status != model::ExecutionStatus::running || !old->replace_requested ||
            !old->pid || !old->process_start)
            return;
        spdlog::info("stopping execution {} of {}: replaced by execution {}", old->id,
                     util::escape_control(job.name), e.id);
        exec::terminate_group(*old->pid, *old->process_start, job.kill_grace);
    }

    // On SIGTERM/SIGINT/SIGHUP the runner cancels the running runs; the
    // ready ones are recorded cancelled and the later ones go back to the
    // queue for the next tick.
    void stop_taking_work() {
        m_stopping = true;
        spdlog::info("supervisor {} stopping: signal {}", m_me.pid,
                     exec::signal_name(m_runner.interrupted_by()));
    }

    // One transaction: ends, pids, claims; then the claimed runs are ready.
    void write() {
        const auto now = m_ctx.now();
        std::vector<model::Execution> ready;
        auto tx = m_ctx.store.begin_write();
        const auto hooks = record_ends(m_ctx, tx, m_ended, Retries::yes, m_me);
        for (const auto& [send, result] : m_hooks_ended)
            record_hook(m_ctx, tx, send, result);
        // A run whose job was deleted before its pid was written: the
        // delete could not stop it, so it is stopped here once committed.
        std::vector<std::int64_t> deleted;
        for (auto id : m_unsaved)
            if (!m_ctx.store.note_process(tx, m_runs.at(id)))
                deleted.push_back(id);
        std::vector<model::Execution> take;
        for (auto it = m_later.begin(); it != m_later.end();) {
            if (m_stopping || due(*it, now)) {
                take.push_back(std::move(*it));
                it = m_later.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& e : take) {
            // Claimed earlier: a replacing run may have cancelled it since.
            auto current = m_ctx.store.find_execution(e.id);
            if (!current || current->status != model::ExecutionStatus::queued ||
                current->supervisor_pid != m_me.pid)
                continue;
            if (m_stopping) {
                current->supervisor_pid.reset();
                current->supervisor_start.reset();
                current->updated_at = now;
                m_ctx.store.update_execution(tx, *current);
                continue;
            }
            mark_running(m_ctx, e);
            m_ctx.store.update_claim(tx, e);
            note_started(tx, e, ready);
        }
        if (!m_stopping) {
            auto snapshot = load_snapshot(m_ctx, Purpose::follow_on);
            auto plan = plan::plan_tick(snapshot);
            if (plan.fired() > 0) {
                // A claimed run that may start now is written running at
                // once, in the claim's own row update.
                auto applied = apply_plan(m_ctx, tx, snapshot, plan, m_me, [&](auto& e) {
                    if (due(e, now) && snapshot.jobs.count(e.job_id))
                        mark_running(m_ctx, e);
                });
                for (auto& e : applied.claimed) {
                    m_jobs.insert_or_assign(e.job_id, snapshot.jobs.at(e.job_id));
                    if (e.status == model::ExecutionStatus::running)
                        note_started(tx, e, ready);
                    else
                        m_later.push_back(std::move(e));
                }
            }
        }
        tx.commit();
        for (auto id : deleted)
            m_runner.cancel(id, exec::k_stop_signal);
        log_ends(m_ended);
        m_ended.clear();
        m_hooks_ended.clear();
        m_unsaved.clear();
        m_write_by.reset();
        for (auto& e : ready)
            m_ready.push_back(std::move(e));
        // The ends are committed: their hooks may go.
        start_hooks(hooks);
    }

    // The counters and event of a run written running in `tx`; its process
    // starts after the commit. The run that uses up the job's
    // max_executions (the limit counts runs that started) finishes the job.
    void note_started(store::WriteTransaction& tx, model::Execution& e,
                      std::vector<model::Execution>& ready) {
        auto count = m_ctx.store.note_run_started(tx, e);
        if (count && model::counts_toward_limit(e.trigger) &&
            model::limit_reached(count->max_executions, count->scheduled_count))
            m_ctx.store.advance_job(tx, e.job_id, std::nullopt, model::JobStatus::finished,
                                    std::nullopt);
        append_execution_event(m_ctx, tx, model::event_type::execution_started, e, e.job_name);
        ready.push_back(std::move(e));
    }

    Context& m_ctx;
    exec::ProcessRunner& m_runner;
    const exec::SupervisorId m_me;
    std::vector<model::Execution> m_later;
    std::deque<model::Execution> m_ready;
    std::map<std::int64_t, model::Execution> m_runs;
    std::vector<std::pair<model::Execution, exec::RunResult>> m_ended;
    std::set<std::int64_t> m_unsaved;                                // started, pid not written yet
    std::map<exec::RunId, HookSend> m_hooks;                         // hooks running
    std::vector<std::pair<HookSend, exec::RunResult>> m_hooks_ended; // not recorded yet
    std::map<std::string, model::Job> m_jobs;
    std::optional<Steady::time_point> m_write_by;                    // a change waits to be written
    Steady::time_point m_next_check = Steady::now() + k_owner_check; // stop_disowned()
    bool m_stopping = false;
};

} // namespace

void supervise(Context& ctx, exec::ProcessRunner& runner) {
    require_trusted_store(ctx);
    Supervisor(ctx, runner).run();
    prune_history(ctx);
}

std::int64_t prune_history(Context& ctx, Force force) {
    auto now = ctx.now();
    if (force == Force::no) {
        if (auto last = ctx.store.meta(k_last_prune)) {
            try {
                if (now - time::from_unix(std::stoll(*last)) < std::chrono::hours(1))
                    return 0;
            } catch (const std::exception&) {
                // An unreadable mark: prune and write a good one.
            }
        }
    }
    auto tx = ctx.store.begin_write();
    auto n = ctx.store.prune_executions(tx, now - ctx.settings.history_retention,
                                        ctx.settings.history_keep_last);
    ctx.store.set_meta(tx, k_last_prune, std::to_string(time::to_unix(now)));
    tx.commit();
    if (n > 0)
        spdlog::info("pruned {} executions older than the retention period", n);
    return n;
}

} // namespace schedule::service
