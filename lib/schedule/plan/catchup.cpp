#include <schedule/plan/catchup.hpp>

#include <deque>

namespace schedule::plan {

CatchupPlan plan_catchup(const model::Job& job, const time::Zone& zone, time::Instant from,
                         time::Instant now, model::Catchup policy,
                         std::optional<time::Duration> misfire_grace) {
    CatchupPlan plan;
    const auto minute = time::floor_minute(now);
    const auto horizon = minute + std::chrono::minutes(1);

    // Walk the due fires once, keeping only what a policy can use: the
    // newest missed ones and the current ones. Counting the rest is enough.
    std::deque<Fire> missed;
    std::vector<Fire> current;
    std::int64_t missed_total = 0;
    auto f = next_fire(job, zone, from - time::Duration{1});
    while (f && f->at < horizon) {
        if (f->at < minute) {
            ++missed_total;
            missed.push_back(*f);
            if (missed.size() > k_max_catchup_runs)
                missed.pop_front();
        } else {
            current.push_back(*f);
        }
        f = next_fire(job, zone, f->at);
    }
    plan.next = f;

    std::vector<DueRun> chosen;
    const auto due_total = missed_total + static_cast<std::int64_t>(current.size());
    switch (policy) {
    case model::Catchup::latest:
        if (!current.empty())
            chosen.push_back({current.back(), false});
        else if (!missed.empty())
            chosen.push_back({missed.back(), true});
        break;
    case model::Catchup::all:
        for (const auto& m : missed)
            chosen.push_back({m, true});
        for (const auto& c : current)
            chosen.push_back({c, false});
        break;
    case model::Catchup::none:
        for (const auto& c : current)
            chosen.push_back({c, false});
        break;
    }
    plan.coalesced = due_total - static_cast<std::int64_t>(chosen.size());
    for (const auto& run : chosen) {
        if (misfire_grace && now - run.fire.scheduled > *misfire_grace) {
            if (plan.expired++ == 0)
                plan.first_expired = run.fire.scheduled;
        } else
            plan.runs.push_back(run);
    }
    return plan;
}

} // namespace schedule::plan
