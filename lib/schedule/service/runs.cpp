#include <schedule/model/job_json.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/records.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/spdlog.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace schedule::service {

namespace {

constexpr const char* k_path = "PATH=/usr/local/bin:/usr/bin:/bin";

using model::zone_of;

bool is_directory(const std::string& path) {
    std::error_code ec;
    return !path.empty() && std::filesystem::is_directory(path, ec);
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
        if (supervisor_gone(ctx, e)) {
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

} // namespace

ResolvedRun resolve_run(Context& ctx, const model::Job& job, const model::Execution& execution) {
    ResolvedRun r;
    const exec::Identity me = ctx.host().current_identity();
    exec::Identity who = me;
    if (job.run_as) {
        auto u = ctx.host().lookup_user(*job.run_as);
        if (!u)
            r.error = "cannot run as " + *job.run_as + ": no such user";
        else if (u->uid != me.uid && me.uid != 0)
            r.error = "cannot run as " + *job.run_as + ": only root can switch users";
        else
            who = *u;
    } else if (me.uid == 0 && job.owner) {
        // In root's store a job runs as its owner when that is a user.
        if (auto u = ctx.host().lookup_user(*job.owner))
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
        hooks = check_overlap(ctx, tx, job, force, this_process(ctx));
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
        // A foreground run never retries. An end that cannot be written
        // with its output (a full disk) is written without it.
        auto record = [&] {
            auto tx = ctx.store.begin_write();
            auto own = record_ends(ctx, tx, ended, Retries::no, this_process(ctx));
            tx.commit();
            return own;
        };
        std::vector<model::Notification> own;
        try {
            own = record();
        } catch (const util::StoreError& err) {
            drop_outputs(ended, err.what());
            own = record();
        }
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
        e.boot_id = ctx.host().boot_id();
        e.id = ctx.store.insert_execution(tx, e);
        tx.commit();
    }
    launcher.release();
    return e;
}

} // namespace schedule::service
