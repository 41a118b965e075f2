#include <schedule/service/history.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>

#include <map>

namespace schedule::service {

std::int64_t parse_count(const std::string& text, const char* flag) {
    auto t = util::trim(text);
    if (t.empty() || t.size() > 9 || t.find_first_not_of("0123456789") != std::string_view::npos)
        throw util::ValidationError(flag, util::quoted(text) + " is not a whole number");
    return std::stoll(std::string(t));
}

time::Instant since_instant(Context& ctx, const std::string& when) {
    // A duration means "that long ago"; anything else must be a date-time.
    if (auto d = time::parse_duration(when))
        return ctx.now() - *d;
    if (auto t = time::parse_instant(when, ctx.default_zone()))
        return *t;
    throw util::ValidationError("--since", util::quoted(when) +
                                               " is neither a duration (2h, 7d) nor a "
                                               "date-time (2026-12-25T10:00)");
}

std::vector<model::Execution> job_history(Context& ctx, const HistoryRequest& request) {
    store::ExecutionFilter f;
    if (request.status) {
        auto s = model::parse_execution_status(*request.status);
        if (!s)
            throw util::ValidationError(
                "--status", util::quoted(*request.status) + " is not an execution status",
                "queued, waiting, running, completed, failed, "
                "timed_out, cancelled, skipped, lost");
        f.status = *s;
    }
    if (request.since)
        f.since = since_instant(ctx, *request.since);
    auto limit = request.limit ? parse_count(*request.limit, "--limit") : 20;
    if (limit > 0)
        f.limit = limit;
    if (request.job)
        f.job_id = get_job(ctx, *request.job).id;
    return ctx.store.list_executions(f);
}

ExecutionOutput execution_output(Context& ctx, std::string_view id) {
    auto t = util::trim(id);
    if (t.empty() || t.size() > 18 || t.find_first_not_of("0123456789") != std::string_view::npos)
        throw util::ValidationError("EXECUTION_ID", util::quoted(id) + " is not an execution id",
                                    "ids are the numbers `schedule job history` shows");
    auto e = ctx.store.find_execution(std::stoll(std::string(t)));
    if (!e)
        throw util::NotFound("no execution " + std::string(t), "see `schedule job history`");
    ExecutionOutput out;
    out.execution = *e;
    out.out = ctx.store.load_output(e->id, "stdout").value_or(model::CapturedOutput{});
    out.err = ctx.store.load_output(e->id, "stderr").value_or(model::CapturedOutput{});
    return out;
}

StatsReport job_stats(Context& ctx, const std::optional<std::string>& job) {
    StatsReport report;
    auto now = ctx.now();
    if (job) {
        auto j = get_job(ctx, *job);
        store::ExecutionFilter f;
        f.job_id = j.id;
        report.jobs.emplace_back(j, history::job_stats(ctx.store.list_executions(f), now));
        return report;
    }
    auto jobs = ctx.store.list_jobs({});
    std::map<std::string, std::vector<model::Execution>> by_job;
    for (auto& e : ctx.store.list_executions({}))
        by_job[e.job_id].push_back(std::move(e));
    // "Today" is the calendar day in the default zone.
    const auto& zone = ctx.default_zone();
    auto local = zone.to_local(now);
    auto midnight = std::chrono::floor<std::chrono::days>(local);
    auto day_start = zone.resolve(time::LocalTime{midnight.time_since_epoch()}).first;
    std::vector<model::Execution> recent;
    for (const auto& [id, list] : by_job)
        for (const auto& e : list)
            if (e.created_at >= day_start || !model::is_final(e.status))
                recent.push_back(e);
    report.summary = history::summarize(jobs, recent, day_start);
    for (auto& j : jobs) {
        auto it = by_job.find(j.id);
        auto stats = history::job_stats(
            it == by_job.end() ? std::vector<model::Execution>{} : it->second, now);
        report.jobs.emplace_back(std::move(j), std::move(stats));
    }
    return report;
}

model::RecentRuns recent_runs(Context& ctx, const std::vector<model::Job>& jobs,
                              std::size_t per_job) {
    std::vector<std::string> ids;
    ids.reserve(jobs.size());
    for (const auto& j : jobs)
        ids.push_back(j.id);
    return ctx.store.recent_runs(ids, per_job);
}

} // namespace schedule::service
