// Run functions of `tick` and `queue`.

#include "commands.hpp"

#include <schedule/exec/launcher.hpp>
#include <schedule/format/executions.hpp>
#include <schedule/format/tick.hpp>
#include <schedule/service/tick.hpp>
#include <schedule/util/error.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <string>

namespace schedule::app {

namespace {

// The line `tick --wait` keeps on stderr while it waits (man page, TICK):
// written again when it changes, erased when the wait ends, so what stays
// on the terminal is what a wait off a terminal prints.
class ProgressLine {
public:
    explicit ProgressLine(bool shown) : m_shown(shown) {}
    ~ProgressLine() { erase(); }
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void show(const service::WaitProgress& p) {
        if (!m_shown || p.total == 0)
            return;
        auto line = format::tick_progress_line(p.done(), p.total, p.running, p.queued);
        if (line == m_line)
            return;
        std::cerr << line << std::flush;
        m_line = std::move(line);
    }

    void erase() {
        if (m_line.empty())
            return;
        std::cerr << format::k_erase_progress_line << std::flush;
        m_line.clear();
    }

private:
    bool m_shown;
    std::string m_line; // on the terminal now; empty when none is
};

} // namespace

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
        // On a terminal a progress line shows how far the runs are; never
        // with -q or JSON.
        ProgressLine line(inv.stderr_is_terminal() && !inv.quiet() &&
                          inv.output_format() != "json");
        service::wait_for_runs(
            ctx, launcher, report, [&](const service::WaitProgress& p) { line.show(p); },
            [&] { line.erase(); });
        line.erase();
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
