#include <schedule/model/trigger.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/time/iso8601.hpp>

#include <algorithm>

namespace schedule::plan {

namespace {

using time::Duration;
using time::Instant;

// The trigger's first scheduled instant strictly after `after`, without
// jitter or dates.
std::optional<Fire> next_scheduled(const model::Job& job, const std::optional<cron::Expression>& e,
                                   const time::Zone& zone, Instant after) {
    const auto& t = job.trigger;
    switch (t.type) {
    case model::TriggerType::cron:
    case model::TriggerType::daily:
    case model::TriggerType::weekly:
    case model::TriggerType::monthly: {
        if (!e)
            return std::nullopt;
        cron::DstPolicy policy{
            job.dst_gap == model::DstGap::run ? cron::GapPolicy::run : cron::GapPolicy::skip,
            job.dst_overlap == model::DstOverlap::once ? cron::OverlapPolicy::once
                                                       : cron::OverlapPolicy::twice};
        auto f = cron::next_after(*e, zone, after, policy);
        if (!f)
            return std::nullopt;
        return Fire{f->at, f->at, f->wall, f->mark, std::nullopt};
    }
    case model::TriggerType::every: {
        if (!t.every || !t.anchor || t.every->count() <= 0)
            return std::nullopt;
        const auto step = t.every->count();
        Instant s = *t.anchor;
        if (after >= s)
            s += Duration{((after - s).count() / step + 1) * step};
        return Fire{s, s, zone.to_local(s), cron::DstMark::none, std::nullopt};
    }
    case model::TriggerType::at:
        if (t.at && *t.at > after)
            return Fire{*t.at, *t.at, zone.to_local(*t.at), cron::DstMark::none, std::nullopt};
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

std::optional<cron::Expression> expression_of(const model::Job& job) {
    auto text = job.trigger.cron_expression();
    if (!text || job.trigger.type == model::TriggerType::reboot)
        return std::nullopt;
    auto e = cron::parse(*text);
    return e ? std::optional(*e) : std::nullopt;
}

std::optional<Fire> next_with(const model::Job& job, const std::optional<cron::Expression>& e,
                              const time::Zone& zone, Instant after) {
    const Duration jitter = model::jitter_offset(job.id, job.jitter);
    // A fire at scheduled + jitter comes after `after` when scheduled does
    // after `after - jitter`.
    Instant from = after - jitter;
    if (job.start_date && *job.start_date - Duration{1} > from)
        from = *job.start_date - Duration{1};
    // Fires before the supported range are passed over, and the range
    // ends the fires (time/iso8601.hpp): none is stored or shown.
    if (!time::is_supported(from, zone))
        from = std::max(from, time::first_supported(zone) - Duration{1});
    auto f = next_scheduled(job, e, zone, from);
    if (!f || (job.end_date && f->scheduled > *job.end_date))
        return std::nullopt;
    f->at = f->scheduled + jitter;
    if (!time::is_supported(f->at, zone))
        return std::nullopt;
    return f;
}

} // namespace

std::optional<Fire> next_fire(const model::Job& job, const time::Zone& zone, Instant after) {
    return next_with(job, expression_of(job), zone, after);
}

bool time_based(model::TriggerType t) {
    using T = model::TriggerType;
    return t == T::cron || t == T::every || t == T::daily || t == T::weekly || t == T::monthly ||
           t == T::at;
}

bool spent(const model::Job& job, const time::Zone& zone, Instant after) {
    return time_based(job.trigger.type) && !next_fire(job, zone, after);
}

std::vector<Fire> next_fires(const model::Job& job, const time::Zone& zone, Instant after,
                             std::size_t count) {
    std::vector<Fire> out;
    auto e = expression_of(job);
    while (out.size() < count) {
        auto f = next_with(job, e, zone, after);
        if (!f)
            break;
        out.push_back(*f);
        after = f->at;
    }
    return out;
}

std::vector<Fire> next_runs(const model::Job& job, const time::Zone& zone, Instant after,
                            std::size_t count) {
    if (job.windows.empty())
        return next_fires(job, zone, after, count);
    std::vector<Fire> out;
    auto e = expression_of(job);
    // Under skip, a job whose fires all fall outside its windows has no
    // run at all: the search gives up after this many fires in a row.
    constexpr int k_max_skipped = 1000;
    int skipped = 0;
    while (out.size() < count && skipped < k_max_skipped) {
        auto f = next_with(job, e, zone, after);
        if (!f)
            break;
        if (model::in_window(job.windows, f->at, zone)) {
            out.push_back(*f);
            after = f->at;
            skipped = 0;
            continue;
        }
        // The fires until the window opens are all outside: one step to it.
        const auto opens = model::next_window_start(job.windows, f->at, zone);
        if (!opens)
            break;
        if (job.outside_window == model::OutsideWindow::wait) {
            f->waited_from = f->at;
            f->at = *opens;
            out.push_back(*f);
            after = *opens; // a fire at the opening folds into the waiting run
        } else {
            after = *opens - Duration{1};
            ++skipped;
        }
    }
    return out;
}

} // namespace schedule::plan
