#include <schedule/model/job_json.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <map>
#include <utility>

namespace schedule::service {

namespace {

exec::RunResult could_not_start(std::string why) {
    exec::RunResult r;
    r.outcome = exec::Outcome::failed_to_start;
    r.error = std::move(why);
    return r;
}

// What the detail says went wrong, if anything did: why it could not
// start, or the signal that stopped it with its sender.
std::optional<std::string> hook_error(const exec::RunResult& r) {
    switch (r.outcome) {
    case exec::Outcome::failed_to_start:
        return r.error;
    case exec::Outcome::cancelled:
        return "stopped by signal " + exec::signal_name(r.cancel_signal);
    default:
        return std::nullopt;
    }
}

// "exit code 7", "signal KILL", "timed out", or the error, for log lines.
std::string outcome_text(const exec::RunResult& r) {
    if (auto error = hook_error(r))
        return *error;
    std::string out = r.outcome == exec::Outcome::timed_out ? "timed out, " : "";
    if (r.exit_code)
        return out + "exit code " + std::to_string(*r.exit_code);
    return out + "signal " + exec::signal_name(r.signal.value_or(0));
}

} // namespace

Sender this_process(Context& ctx) {
    const auto me = ctx.host().self();
    return {me.pid, me.start};
}

bool has_hook(const Context& ctx, const model::Job& job, model::ExecutionStatus status,
              bool retry_queued) {
    const auto kind = model::hook_for(status, retry_queued);
    return kind && model::hook_command(job, ctx.settings, *kind);
}

std::optional<model::Notification> note_hook(Context& ctx, store::WriteTransaction& tx,
                                             const model::Job& job, const model::Execution& ended,
                                             bool retry_queued, const Sender& sender) {
    const auto kind = model::hook_for(ended.status, retry_queued);
    if (!kind)
        return std::nullopt;
    auto command = model::hook_command(job, ctx.settings, *kind);
    if (!command)
        return std::nullopt;
    model::Notification n;
    n.execution_id = ended.id;
    n.kind = *kind;
    n.command = std::move(*command);
    n.sender_pid = sender.pid;
    n.sender_start = sender.start;
    n.created_at = ctx.now();
    ctx.store.insert_notification(tx, n);
    return n;
}

exec::RunId hook_run_id(const model::Notification& n) {
    return -n.execution_id;
}

std::optional<exec::RunResult> start_hook(Context& ctx, exec::ProcessRunner& runner,
                                          HookSend& send) {
    send.run = ctx.store.find_execution(send.hook.execution_id);
    if (!send.run)
        return could_not_start("its run is gone (its job was deleted)");
    auto job = ctx.store.find_job_by_id(send.run->job_id);
    if (!job)
        return could_not_start("its job was deleted");
    // The hook runs as the job would: its user, directory and environment.
    auto as_job = *job;
    as_job.command = send.hook.command;
    as_job.task_type.reset();
    const auto& run = *send.run;
    auto resolved = resolve_run(ctx, as_job, run);
    if (resolved.error)
        return could_not_start(*resolved.error);
    exec::RunSpec spec;
    spec.argv = std::move(resolved.argv);
    spec.env = std::move(resolved.env);
    spec.env.push_back("SCHEDULE_STATUS=" + std::string(model::to_string(run.status)));
    spec.env.push_back("SCHEDULE_EXIT_CODE=" +
                       (run.exit_code ? std::to_string(*run.exit_code) : std::string()));
    spec.env.push_back("SCHEDULE_HOOK=" + std::string(model::to_string(send.hook.kind)));
    spec.working_dir = std::move(resolved.working_dir);
    spec.user = std::move(resolved.switch_to);
    // The object `job history --format json` prints for the run.
    spec.stdin_data = model::dump_json(model::execution_to_json(run, model::zone_of(*job), false));
    *spec.stdin_data += '\n';
    spec.timeout = std::chrono::duration_cast<std::chrono::seconds>(ctx.settings.notify_timeout);
    spec.kill_grace = job->kill_grace;
    spec.max_bytes = k_hook_output_bytes;
    spec.marker = "SCHEDULE_EXECUTION_ID=" + std::to_string(run.id);
    // A start that fails is reported as the hook's end by the runner.
    runner.start(hook_run_id(send.hook), spec);
    return std::nullopt;
}

void record_hook(Context& ctx, store::WriteTransaction& tx, const HookSend& send,
                 const exec::RunResult& r) {
    using ojson = nlohmann::ordered_json;
    const bool sent = r.outcome == exec::Outcome::exited && r.exit_code == 0;
    const auto error = hook_error(r);
    ojson d;
    d["hook"] = std::string(model::to_string(send.hook.kind));
    d["exit_code"] = r.exit_code ? ojson(*r.exit_code) : ojson(nullptr);
    d["signal"] = r.signal ? ojson(*r.signal) : ojson(nullptr);
    d["timed_out"] = r.outcome == exec::Outcome::timed_out;
    d["duration_ms"] =
        r.outcome == exec::Outcome::failed_to_start ? ojson(nullptr) : ojson(r.duration.count());
    if (error)
        d["error"] = *error;
    if (!r.err.data.empty())
        d["stderr"] = r.err.data;
    model::Event ev;
    ev.time = ctx.now();
    ev.type = sent ? model::event_type::notify_sent : model::event_type::notify_failed;
    if (send.run) {
        ev.job_id = send.run->job_id;
        ev.job_name = send.run->job_name;
    }
    ev.execution_id = send.hook.execution_id;
    ev.user = ctx.user();
    ev.detail = model::dump_json(d);
    ctx.store.append_event(tx, ev);
    ctx.store.delete_notification(tx, send.hook.execution_id);
    const auto name = util::escape_control(send.run ? send.run->job_name : std::string("?"));
    if (sent)
        spdlog::info("{} hook of execution {} of {} sent", model::to_string(send.hook.kind),
                     send.hook.execution_id, name);
    else
        spdlog::warn("{} hook of execution {} of {} failed: {}", model::to_string(send.hook.kind),
                     send.hook.execution_id, name, util::escape_control(outcome_text(r)));
}

void send_hooks(Context& ctx, exec::ProcessRunner& runner,
                const std::vector<model::Notification>& hooks) {
    if (hooks.empty())
        return;
    std::map<exec::RunId, HookSend> running;
    std::vector<std::pair<HookSend, exec::RunResult>> ended;
    for (const auto& n : hooks) {
        HookSend send{n, std::nullopt};
        if (auto r = start_hook(ctx, runner, send))
            ended.emplace_back(std::move(send), std::move(*r));
        else
            running.emplace(hook_run_id(n), std::move(send));
    }
    while (!running.empty() && runner.active() > 0) {
        for (auto& f : runner.wait()) {
            auto it = running.find(f.id);
            if (it == running.end())
                continue;
            ended.emplace_back(std::move(it->second), std::move(f.result));
            running.erase(it);
        }
    }
    auto tx = ctx.store.begin_write();
    for (const auto& [send, r] : ended)
        record_hook(ctx, tx, send, r);
    tx.commit();
}

} // namespace schedule::service
