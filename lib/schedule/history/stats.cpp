#include <schedule/history/stats.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

namespace schedule::history {

namespace {

using model::Execution;
using model::ExecutionStatus;

constexpr time::Duration k_week = std::chrono::days{7};

// Runs that ran their command to an end of its own: only these have a
// duration that says something about the job.
bool has_run_duration(ExecutionStatus s) {
    return s == ExecutionStatus::completed || s == ExecutionStatus::failed ||
           s == ExecutionStatus::timed_out;
}

// The denominator of success_rate: every run that ended, except the ones
// the user cancelled and the ones that never ran.
bool counts_as_run(ExecutionStatus s) {
    return s == ExecutionStatus::completed || s == ExecutionStatus::failed ||
           s == ExecutionStatus::timed_out || s == ExecutionStatus::lost;
}

std::optional<double> duration_seconds(const Execution& e) {
    if (!has_run_duration(e.status) || !e.duration_ms)
        return std::nullopt;
    return static_cast<double>(*e.duration_ms) / 1000.0;
}

// The instant that places a record in a trend window (stats.hpp).
time::Instant period_instant(const Execution& e) {
    if (e.start_time)
        return *e.start_time;
    if (e.status == ExecutionStatus::lost && e.end_time)
        return *e.end_time;
    return e.created_at;
}

// The runs a skip record stands for, added to `sum`: at most
// model::k_max_count in all, since each record may count that many.
std::int64_t add_skipped(std::int64_t sum, const Execution& e) {
    const auto n = e.skipped_count.value_or(1);
    return n >= model::k_max_count - sum ? model::k_max_count : sum + n;
}

std::optional<double> ratio(std::int64_t num, std::int64_t den) {
    if (den == 0)
        return std::nullopt;
    return static_cast<double>(num) / static_cast<double>(den);
}

std::optional<double> mean(const std::vector<double>& values) {
    if (values.empty())
        return std::nullopt;
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

Period period_of(const std::vector<Execution>& executions, time::Instant from, time::Instant to) {
    Period p;
    std::int64_t completed = 0;
    std::vector<double> durations;
    for (const auto& e : executions) {
        auto at = period_instant(e);
        if (at <= from || at > to || !counts_as_run(e.status))
            continue;
        ++p.runs;
        if (e.status == ExecutionStatus::completed)
            ++completed;
        if (auto d = duration_seconds(e))
            durations.push_back(*d);
    }
    p.success_rate = ratio(completed, p.runs);
    p.average_duration_seconds = mean(durations);
    return p;
}

DurationStats duration_stats(std::vector<double> sorted) {
    std::sort(sorted.begin(), sorted.end());
    DurationStats d;
    d.count = static_cast<std::int64_t>(sorted.size());
    if (sorted.empty())
        return d;
    d.average_seconds = mean(sorted);
    d.min_seconds = sorted.front();
    d.max_seconds = sorted.back();
    d.p50_seconds = nearest_rank(sorted, 50);
    d.p95_seconds = nearest_rank(sorted, 95);
    d.p99_seconds = nearest_rank(sorted, 99);
    return d;
}

std::vector<ErrorCount> top_errors(const std::vector<Execution>& executions) {
    std::map<std::string, std::int64_t> counts;
    for (const auto& e : executions)
        if (auto label = error_label(e))
            ++counts[*label];
    std::vector<ErrorCount> out;
    for (auto& [error, count] : counts)
        out.push_back({error, count});
    // The map is alphabetical already; a stable sort by count keeps ties in
    // that order.
    std::stable_sort(out.begin(), out.end(),
                     [](const ErrorCount& a, const ErrorCount& b) { return a.count > b.count; });
    if (out.size() > 5)
        out.resize(5);
    return out;
}

} // namespace

std::optional<double> nearest_rank(const std::vector<double>& sorted, double p) {
    if (sorted.empty())
        return std::nullopt;
    auto n = static_cast<double>(sorted.size());
    // p * n first: for whole p and n the product is exact, so a rank that
    // is a whole number (p95 of 100 values) is not pushed up by the
    // rounding of p / 100.
    auto rank = static_cast<std::int64_t>(std::ceil(p * n / 100.0));
    rank = std::clamp<std::int64_t>(rank, 1, static_cast<std::int64_t>(sorted.size()));
    return sorted[static_cast<std::size_t>(rank - 1)];
}

std::optional<std::string> error_label(const model::Execution& e) {
    switch (e.status) {
    case ExecutionStatus::timed_out:
        return "timed out";
    case ExecutionStatus::lost:
        return "lost";
    case ExecutionStatus::failed:
        if (e.error && !e.error->empty())
            return *e.error;
        if (e.signal)
            return "signal " + std::to_string(*e.signal);
        if (e.exit_code)
            return "exit code " + std::to_string(*e.exit_code);
        return "failed"; // a failure the runner could not describe
    default:
        return std::nullopt;
    }
}

JobStats job_stats(const std::vector<model::Execution>& executions, time::Instant now) {
    JobStats s;
    std::vector<double> durations;
    const Execution* newest = nullptr; // the newest run that started
    for (const auto& e : executions) {
        if (e.status != ExecutionStatus::skipped)
            ++s.total;
        switch (e.status) {
        case ExecutionStatus::completed:
            ++s.completed;
            break;
        case ExecutionStatus::failed:
            ++s.failed;
            break;
        case ExecutionStatus::timed_out:
            ++s.timed_out;
            break;
        case ExecutionStatus::cancelled:
            ++s.cancelled;
            break;
        case ExecutionStatus::lost:
            ++s.lost;
            break;
        case ExecutionStatus::skipped:
            s.skipped = add_skipped(s.skipped, e);
            break;
        case ExecutionStatus::queued:
        case ExecutionStatus::waiting:
        case ExecutionStatus::running:
            ++s.running;
            break;
        }
        if (auto d = duration_seconds(e))
            durations.push_back(*d);
        if (e.start_time && e.status != ExecutionStatus::skipped && (!newest || e.id > newest->id))
            newest = &e;
    }
    s.success_rate = ratio(s.completed, s.completed + s.failed + s.timed_out + s.lost);
    s.durations = duration_stats(std::move(durations));
    s.trend.last_7_days = period_of(executions, now - k_week, now);
    s.trend.previous_7_days = period_of(executions, now - 2 * k_week, now - k_week);
    s.top_errors = top_errors(executions);
    if (newest)
        s.last_execution = newest->start_time;
    return s;
}

Summary summarize(const std::vector<model::Job>& jobs, const std::vector<model::Execution>& recent,
                  time::Instant day_start) {
    Summary s;
    std::map<std::string, std::int64_t> by_type;
    for (const auto& job : jobs) {
        ++s.jobs;
        if (job.enabled)
            ++s.enabled;
        else
            ++s.paused;
        if (job.status == model::JobStatus::finished)
            ++s.finished;
        ++by_type[job.task_type.value_or("command")];
        if (job.enabled && job.next_execution)
            s.next_runs.push_back({job.id, job.name, job.timezone, *job.next_execution});
    }
    s.jobs_by_task_type.assign(by_type.begin(), by_type.end());

    std::sort(s.next_runs.begin(), s.next_runs.end(), [](const NextRun& a, const NextRun& b) {
        return a.at != b.at ? a.at < b.at : a.name < b.name;
    });
    if (s.next_runs.size() > 10)
        s.next_runs.resize(10);

    constexpr std::size_t k_statuses = 9; // ExecutionStatus::queued .. lost
    std::int64_t today[k_statuses] = {};
    for (const auto& e : recent) {
        if (e.status == ExecutionStatus::running)
            ++s.running;
        if (e.created_at < day_start)
            continue; // an old run still active: counted above only
        auto i = static_cast<std::size_t>(e.status);
        today[i] = e.status == ExecutionStatus::skipped ? add_skipped(today[i], e) : today[i] + 1;
    }
    for (std::size_t i = 0; i < k_statuses; ++i)
        s.today.emplace_back(std::string(model::to_string(static_cast<ExecutionStatus>(i))),
                             today[i]);
    return s;
}

} // namespace schedule::history
