// Run functions of `tick` and `queue`.

#include "commands.hpp"

#include <schedule/exec/launcher.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/format/executions.hpp>
#include <schedule/format/tick.hpp>
#include <schedule/service/tick.hpp>
#include <schedule/util/error.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace schedule::app {

int run_tick(Invocation& inv, const TickOptions& o) {
    if (o.now && !o.dry_run)
        throw util::UsageError("--now works only with --dry-run",
                               "set SCHEDULE_NOW to run a tick at another time");
    if (o.dry_run && o.wait)
        throw util::UsageError("--dry-run and --wait cannot be combined");
    if (o.now)
        inv.override_now(*o.now, "--now");
    if (o.dry_run)
        inv.open_read_only();
    auto& ctx = inv.context();
    auto launcher = inv.supervisor_launcher();
    auto style = inv.style();
    // One line per fire, skip and recovery on stderr (man page TICK). With
    // -q, as under a crontab line that mails its output, only news: the
    // warning of each run recovered as lost, and errors. (Set up the rest
    // first, so that -q keeps hiding the warnings of other steps.)
    inv.raise_stderr_logging(inv.quiet() ? spdlog::level::warn : spdlog::level::info);
    auto report = service::tick(ctx, launcher,
                                o.dry_run ? service::TickMode::dry_run : service::TickMode::run);
    const bool lost = std::any_of(report.plan.recoveries.begin(), report.plan.recoveries.end(),
                                  [](const plan::Recovery& r) { return r.lost; });
    if (inv.output_format() == "json")
        inv.print(format::tick_json(report.plan, report.jobs, report.dry_run, style));
    else if (report.dry_run)
        inv.print(format::tick_dry_run_text(report.plan, report.jobs, style));
    else if (!inv.quiet() || lost)
        inv.print(format::tick_summary(report.plan));
    if (o.wait) {
        // The runs belong to supervisors, not to us. The one this tick
        // started usually takes them all: sleep until it exits, looking at
        // the store every second in case it lingers on other work. Runs
        // that another supervisor took are polled for.
        auto supervisor = report.supervisor;
        auto next_check = std::chrono::steady_clock::now();
        while (service::count_unfinished(ctx, report.executions) > 0) {
            if (supervisor) {
                if (exec::wait_gone(supervisor->pid, supervisor->start, std::chrono::seconds(1)))
                    supervisor.reset();
                continue;
            }
            // Runs whose supervisor died would wait for the next tick: end
            // them as it would (lost, or back to the queue and started).
            if (std::chrono::steady_clock::now() >= next_check) {
                if (service::recover_orphans(ctx, report.executions) > 0)
                    service::start_followers(ctx, launcher);
                next_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    return 0;
}

int run_queue(Invocation& inv) {
    warn_when_ticks_stopped(inv);
    auto report = service::queue(inv.context());
    auto style = inv.style();
    if (inv.output_format() == "json")
        inv.print(format::queue_json(report.entries, style));
    else if (report.entries.empty())
        inv.print(inv.quiet() ? "" : "Nothing is running or waiting.\n");
    else
        inv.print(format::queue_table(report.entries, style));
    return 0;
}

} // namespace schedule::app
