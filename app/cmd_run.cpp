// Run functions of `job run`, `job history`, `job output`, `job stats` and
// the hidden `__supervise`.

#include "commands.hpp"

#include <schedule/exec/launcher.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/format/executions.hpp>
#include <schedule/format/runs.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/history.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/service/tick.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <malloc.h>
#include <unistd.h>

namespace schedule::app {

namespace {

void print_dry_run(Invocation& inv, const service::DryRun& d) {
    if (inv.output_format() == "json") {
        nlohmann::ordered_json j;
        j["job_id"] = d.job.id;
        j["name"] = d.job.name;
        j["argv"] = d.run.argv;
        j["stdin"] = d.run.stdin_data ? nlohmann::ordered_json(*d.run.stdin_data) : nullptr;
        j["user"] = d.run.user;
        j["working_dir"] = d.run.working_dir;
        j["env"] = d.run.env;
        j["timeout_seconds"] =
            d.job.timeout ? nlohmann::ordered_json(d.job.timeout->count()) : nullptr;
        j["kill_grace_seconds"] = d.job.kill_grace.count();
        auto& checks = j["checks"] = nlohmann::ordered_json::array();
        for (const auto& c : d.checks)
            checks.push_back({{"check", c.name}, {"ok", c.ok}, {"detail", c.detail}});
        j["would_run"] = !d.run.error && std::all_of(d.checks.begin(), d.checks.end(),
                                                     [](const auto& c) { return c.ok; });
        inv.print(model::dump_json(j, 2) + "\n");
        return;
    }
    std::string out = "Job:          " + util::escape_control(d.job.name) + " (" + d.job.id + ")\n";
    std::string argv;
    for (const auto& a : d.run.argv)
        argv += (argv.empty() ? "" : " ") + util::quoted(a);
    out += "Command:      " + (argv.empty() ? "-" : argv) + "\n";
    if (d.run.stdin_data)
        out += "Stdin:        " + util::escape_control(*d.run.stdin_data) + "\n";
    out += "User:         " + d.run.user + "\n";
    out += "Directory:    " + util::escape_control(d.run.working_dir) + "\n";
    out +=
        "Timeout:      " +
        (d.job.timeout ? time::format_duration(*d.job.timeout) + " (then SIGTERM, SIGKILL after " +
                             time::format_duration(d.job.kill_grace) + ")"
                       : std::string("none")) +
        "\n";
    out += "Environment:\n";
    for (const auto& e : d.run.env)
        out += "  " + util::escape_control(e) + "\n";
    out += "Checks:\n";
    for (const auto& c : d.checks)
        out += std::string("  ") + (c.ok ? "ok      " : "refused ") + c.name + ": " +
               util::escape_control(c.detail) + "\n";
    out += "Nothing was run (--dry-run).\n";
    inv.print(out);
}

} // namespace

int run_job_run(Invocation& inv, const JobRunOptions& o) {
    if (o.dry_run && o.detach)
        throw util::UsageError("--dry-run and --detach cannot be combined");
    if (o.dry_run)
        inv.open_read_only();
    auto& ctx = inv.context();
    auto force = o.force ? service::Force::yes : service::Force::no;
    if (o.dry_run) {
        print_dry_run(inv, service::dry_run(ctx, o.job));
        return 0;
    }
    if (o.detach) {
        auto launcher = inv.supervisor_launcher();
        auto e = service::run_detached(ctx, launcher, o.job, force);
        if (inv.output_format() == "json" && !inv.quiet())
            inv.print(format::execution_json(e, inv.style()));
        else
            inv.print(std::to_string(e.id) + "\n");
        return 0;
    }
    bool json = inv.output_format() == "json";
    auto runner = exec::make_system_runner(exec::Interrupts::cancel_runs);
    auto report =
        service::run_now(ctx, *runner, o.job, force, json ? service::Tee::no : service::Tee::yes);
    runner.reset();
    try {
        // A run that ends starts the work waiting on it (schedule(1), TICK,
        // Claim).
        auto launcher = inv.supervisor_launcher();
        service::start_followers(ctx, launcher);
    } catch (const util::Error& err) {
        std::cerr << "schedule: warning: could not start queued work: "
                  << util::escape_control(err.what()) << "\n";
    }
    const auto& e = report.execution;
    if (json)
        inv.print(format::execution_json(e, inv.style()));
    if (e.error && e.status == model::ExecutionStatus::failed)
        std::cerr << "schedule: error: execution " << e.id
                  << " failed: " << util::escape_control(*e.error) << "\n";
    else if (e.error) // it ran, but not all of it could be recorded
        std::cerr << "schedule: warning: execution " << e.id << ": "
                  << util::escape_control(*e.error) << "\n";
    else if (model::is_replaced(e))
        std::cerr << "schedule: execution " << e.id << " was replaced by "
                  << (report.replaced_by ? "execution " + std::to_string(*report.replaced_by)
                                         : std::string("a newer run"))
                  << " of the job (overlap replace)\n";
    else if (!inv.quiet() && ::isatty(STDERR_FILENO))
        std::cerr << "schedule: execution " << e.id << " " << model::to_string(e.status) << " in "
                  << format::duration_text(e.duration_ms)
                  << (e.exit_code ? " (exit " + std::to_string(*e.exit_code) + ")"
                      : e.signal  ? " (signal " + exec::signal_name(*e.signal) + ")"
                                  : std::string())
                  << "\n";
    return report.exit_code;
}

int run_job_history(Invocation& inv, const JobHistoryOptions& o) {
    auto list = service::job_history(inv.context(), {o.job, o.limit, o.status, o.since});
    auto style = inv.style();
    if (inv.output_format() == "json")
        inv.print(format::history_json(list, style));
    else if (inv.output_format() == "csv")
        inv.print(format::history_csv(list, style));
    else if (list.empty())
        inv.print(inv.quiet() ? "" : "No executions.\n");
    else
        inv.print(format::history_table(list, style));
    return 0;
}

int run_job_output(Invocation& inv, const JobOutputOptions& o) {
    if (o.stderr_only && o.both)
        throw util::UsageError("--stderr and --both cannot be combined");
    auto r = service::execution_output(inv.context(), o.execution);
    if (!model::is_final(r.execution.status))
        spdlog::warn("execution {} is {}: its output is stored when it ends", r.execution.id,
                     model::to_string(r.execution.status));
    if (inv.output_format() == "json") {
        inv.print(format::output_json(r.execution, r.out, r.err, inv.style()));
        return 0;
    }
    // The stored bytes as they are for pipes and files; escaped on a terminal.
    auto emit = [](int fd, const std::string& data) {
        std::string text = ::isatty(fd) ? util::escape_control_keep_lines(data) : data;
        if (fd == STDOUT_FILENO) {
            std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
            std::cout.flush();
        } else {
            std::cerr.write(text.data(), static_cast<std::streamsize>(text.size()));
        }
    };
    if (o.stderr_only)
        emit(STDOUT_FILENO, r.err.data);
    else
        emit(STDOUT_FILENO, r.out.data);
    if (o.both)
        emit(STDERR_FILENO, r.err.data);
    return 0;
}

int run_job_stats(Invocation& inv, const JobStatsOptions& o) {
    auto report = service::job_stats(inv.context(), o.job);
    auto style = inv.style();
    const auto& fmt = inv.output_format();
    if (fmt == "prometheus") {
        inv.print(
            format::stats_prometheus(report.summary ? &*report.summary : nullptr, report.jobs));
    } else if (o.job) {
        const auto& [job, stats] = report.jobs.front();
        if (fmt == "json") {
            inv.print(format::job_stats_json(job, stats, style));
        } else if (!style.terminal) {
            inv.print(format::job_stats_table(job, stats, style));
        } else {
            // On a terminal, the last runs too (man page, OUTPUT).
            auto recent = service::recent_runs(inv.context(), {job}, format::k_stats_strip_runs);
            inv.print(format::job_stats_table(job, stats, style, &recent));
        }
    } else {
        inv.print(fmt == "json" ? format::stats_json(*report.summary, report.jobs, style)
                                : format::stats_table(*report.summary, report.jobs, style));
    }
    return 0;
}

int run_supervise(Invocation& inv) {
    // Wait for the launcher's release: it closes our stdin once the runs
    // claimed for us are committed (or dies, which closes it too).
    char buf[256];
    for (;;) {
        auto n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n > 0 || (n < 0 && errno == EINTR))
            continue;
        break;
    }
    // Keep freed memory instead of handing it back to the kernel: every
    // unmap (heap trim, large block) flushes the TLB of each CPU that ran
    // one of the runs' vfork children, and a supervisor starts many.
    ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
    ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
    auto runner = exec::make_system_runner(exec::Interrupts::cancel_runs);
    service::supervise(inv.context(), *runner);
    return 0;
}

} // namespace schedule::app
