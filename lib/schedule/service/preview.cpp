#include <schedule/cron/next.hpp>
#include <schedule/plan/tick.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/preview.hpp>
#include <schedule/service/tick.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>

#include <algorithm>

namespace schedule::service {

namespace {

constexpr std::uint64_t k_max_count = 1000000;

std::size_t parse_count(const std::optional<std::string>& text) {
    if (!text)
        return 5;
    auto n = util::parse_uint(*text, k_max_count);
    if (!n || *n == 0)
        throw util::ValidationError("--count", util::quoted(*text) + " is not a count from 1 to " +
                                                   std::to_string(k_max_count));
    return std::size_t(*n);
}

// Why a job has no fire after now (see JobPreview::no_fires).
// Why `job next` shows nothing; `runs_left` as plan::runs_left gives it.
std::string no_fires_reason(const model::Job& job, std::optional<std::int64_t> runs_left) {
    switch (job.trigger.type) {
    case model::TriggerType::manual:
        return "has no schedule: it runs only by `job run`";
    case model::TriggerType::reboot:
        return "fires at boot (@reboot), not at a time";
    case model::TriggerType::after:
        return "fires when a run of another job ends (--after), not at a time";
    default:
        break;
    }
    if (job.status == model::JobStatus::finished)
        return "is finished: it fires no more";
    if (runs_left && *runs_left <= 0)
        return "has started (or holds waiting) its --max-executions runs: it fires no more";
    if (job.end_date)
        return "fires no more before its end date";
    if (!job.windows.empty() && job.outside_window == model::OutsideWindow::skip)
        return "has no fire inside its windows (--outside-window skip) within its next 1000 "
               "windows";
    return "has no fire after now";
}

} // namespace

ExpressionPreview preview_expression(Context& ctx, const ExpressionPreviewRequest& request) {
    auto expr = cron::parse(request.expression);
    if (!expr)
        throw util::ValidationError("EXPR", expr.error());
    time::Zone zone = ctx.default_zone_unless(request.timezone);
    time::Instant from = ctx.now();
    if (request.from) {
        auto t = time::parse_instant(*request.from, zone);
        if (!t)
            throw util::ValidationError("--from", t.error());
        from = *t;
    }
    // Only fires in the supported range are printed (time/iso8601.hpp): a
    // --from before it starts at its start, and its end stops the list.
    if (!time::is_supported(from, zone))
        from = std::max(from, time::first_supported(zone) - time::Duration{1});
    const std::size_t count = parse_count(request.count);
    ExpressionPreview out{expr->text, zone, {}};
    out.fires.reserve(std::min<std::size_t>(count, 100000));
    for (std::size_t i = 0; i < count; ++i) {
        auto f = cron::next_after(*expr, zone, from);
        if (!f || !time::is_supported(f->at, zone))
            break;
        out.fires.push_back(plan::Fire{f->at, f->at, f->wall, f->mark, std::nullopt});
        from = f->at;
    }
    return out;
}

JobPreview preview_job(Context& ctx, std::string_view ref,
                       const std::optional<std::string>& count) {
    const std::size_t n = parse_count(count);
    auto job = get_job(ctx, ref);
    auto zone = time::Zone::locate(job.timezone);
    JobPreview out{job, zone ? *zone : time::Zone::utc(), {}, {}, {}};
    // Honour max_executions: only the runs the job has left, those that
    // wait to start already counted (plan_tick's rule).
    const auto active = ctx.store.active_executions(job.id);
    std::size_t left = n;
    if (job.status == model::JobStatus::finished)
        left = 0;
    const auto limit = plan::runs_left(job, active);
    if (job.status != model::JobStatus::finished && limit)
        left =
            static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(n), *limit));
    out.fires = plan::next_runs(job, out.zone, ctx.now(), left);
    if (out.fires.empty())
        out.no_fires = no_fires_reason(job, limit);
    std::optional<model::Execution> newest;
    for (auto& e : ctx.store.list_executions({job.id, std::nullopt, std::nullopt, 50}))
        if (e.status != model::ExecutionStatus::skipped) {
            newest = std::move(e);
            break;
        }
    out.state = plan::run_state(job, active, newest);
    out.state.in_window = model::in_window(job.windows, ctx.now(), out.zone);
    out.state.next_window_start = model::next_window_start(job.windows, ctx.now(), out.zone);
    if (std::any_of(active.begin(), active.end(), [](const model::Execution& e) {
            return e.status != model::ExecutionStatus::running;
        }))
        for (const auto& q : queue(ctx).entries)
            if (q.execution.job_id == job.id && q.reason) {
                out.state.waits = std::string(model::to_string(*q.reason)) +
                                  (q.detail.empty() ? "" : ": " + q.detail) +
                                  (q.until ? " " + time::format_iso(*q.until, out.zone) : "");
                break;
            }
    return out;
}

} // namespace schedule::service
