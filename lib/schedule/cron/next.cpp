#include <schedule/cron/next.hpp>

#include <algorithm>
#include <bit>
#include <cstdint>

namespace schedule::cron {

namespace {

using time::Duration;
using time::Instant;
using time::LocalTime;

// Howard Hinnant's civil-date algorithms (public domain), inlined here
// because the search calls them in its inner loop.
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Ymd {
    std::int64_t y;
    unsigned m;
    unsigned d;
};

constexpr Ymd civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

// 0 = Sunday; 1970-01-01 was a Thursday.
constexpr int weekday_of(std::int64_t days) {
    return static_cast<int>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

constexpr unsigned days_in(std::int64_t y, unsigned m) {
    if (m == 2)
        return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28;
    return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

// The lowest set bit of `mask` at position >= from and <= max, or -1.
int next_bit(std::uint64_t mask, int from, int max) {
    if (from > max || from > 63)
        return -1;
    std::uint64_t m = mask >> from;
    if (m == 0)
        return -1;
    int r = from + std::countr_zero(m);
    return r <= max ? r : -1;
}

LocalTime local_of(Instant t, Duration offset) {
    return LocalTime{t.time_since_epoch() + offset};
}
Instant instant_of(LocalTime l, Duration offset) {
    return Instant{l.time_since_epoch() - offset};
}

} // namespace

std::optional<LocalTime> next_local_match(const Expression& e, LocalTime start) {
    const std::int64_t minutes = -floor_div(-start.time_since_epoch().count(), 60); // ceil
    std::int64_t day_number = floor_div(minutes, 1440);
    const auto minute_of_day = static_cast<int>(minutes - day_number * 1440);
    Ymd c = civil_from_days(day_number);
    std::int64_t y = c.y;
    unsigned mo = c.m;
    unsigned d = c.d;
    int h = minute_of_day / 60;
    int mi = minute_of_day % 60;
    const std::int64_t last_year = y + 400;

    while (y <= last_year) {
        if (!e.has_month(int(mo))) {
            int nm = next_bit(e.months, int(mo) + 1, 12);
            if (nm < 0) {
                ++y;
                mo = unsigned(next_bit(e.months, 1, 12));
            } else {
                mo = unsigned(nm);
            }
            d = 1;
            h = 0;
            mi = 0;
            continue;
        }
        const unsigned dim = days_in(y, mo);
        if (d > dim) {
            if (++mo > 12) {
                mo = 1;
                ++y;
            }
            d = 1;
            h = 0;
            mi = 0;
            continue;
        }
        int wd = weekday_of(days_from_civil(y, mo, d));
        if (!e.matches_day(int(d), wd)) {
            do {
                ++d;
                wd = (wd + 1) % 7;
            } while (d <= dim && !e.matches_day(int(d), wd));
            h = 0;
            mi = 0;
            if (d > dim)
                continue;
        }
        int nh = next_bit(e.hours, h, 23);
        if (nh < 0) {
            ++d;
            h = 0;
            mi = 0;
            continue;
        }
        if (nh != h) {
            h = nh;
            mi = 0;
        }
        int nmi = next_bit(e.minutes, mi, 59);
        if (nmi < 0) {
            mi = 0;
            if (++h > 23) {
                h = 0;
                ++d;
            }
            continue;
        }
        const std::int64_t total = (days_from_civil(y, mo, d) * 1440 + h * 60 + nmi) * 60;
        return LocalTime{Duration{total}};
    }
    return std::nullopt;
}

std::optional<Fire> next_after(const Expression& e, const time::Zone& zone, Instant after,
                               DstPolicy policy) {
    if (e.reboot)
        return std::nullopt;
    const bool fixed = !e.wildcard;

    // next_local_match results are reused while they stay valid: a far
    // match found from one offset interval is found again from the next.
    std::optional<LocalTime> cached;
    LocalTime cached_from{};
    auto match_from = [&](LocalTime from) {
        if (!(cached && cached_from <= from && *cached >= from)) {
            cached = next_local_match(e, from);
            cached_from = from;
        }
        return cached;
    };

    // Walk the zone's intervals of constant UTC offset, starting with the one
    // that holds the first candidate instant, and stop at the first interval
    // that holds a fire.
    Instant t = after;
    for (int guard = 0; guard < 4000; ++guard) {
        const Instant probe = t + Duration{1};
        const auto cur = zone.offset_at(probe);
        const Duration o = cur.offset;
        const bool has_begin = cur.begin != Instant::min();
        const bool has_end = cur.end != Instant::max();
        const Duration prev_o = has_begin ? zone.offset_at(cur.begin - Duration{1}).offset : o;

        // A spring-forward gap just before this interval: a fixed time inside
        // it fires once, at the first instant after the gap.
        if (fixed && policy.gap == GapPolicy::run && o > prev_o && cur.begin > after) {
            const LocalTime gap_begin = local_of(cur.begin, prev_o);
            const LocalTime gap_end = local_of(cur.begin, o);
            auto m = match_from(gap_begin);
            if (m && *m < gap_end)
                return Fire{cur.begin, *m, DstMark::moved};
        }

        LocalTime from = local_of(std::max(probe, cur.begin), o);
        // After a fall-back, the wall-clock times at the start of this
        // interval already passed once; a fixed time fires in the first pass
        // only, unless the policy asks for both.
        const bool after_fall_back = o < prev_o;
        if (fixed && policy.overlap == OverlapPolicy::once && after_fall_back)
            from = std::max(from, local_of(cur.begin, prev_o));

        auto m = match_from(from);
        if (!m)
            return std::nullopt;
        const Instant at = instant_of(*m, o);
        if (!has_end || at < cur.end) {
            DstMark mark = DstMark::none;
            if (after_fall_back && *m < local_of(cur.begin, prev_o))
                mark = DstMark::repeated; // second pass
            if (has_end && cur.end - at <= Duration{86400}) {
                const Duration next_o = zone.offset_at(cur.end).offset;
                if (next_o < o && *m >= local_of(cur.end, next_o))
                    mark = DstMark::repeated; // first pass, repeated after cur.end
            }
            return Fire{at, *m, mark};
        }
        t = cur.end - Duration{1};
    }
    return std::nullopt;
}

} // namespace schedule::cron
