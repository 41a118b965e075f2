// cron::next_after and cron::next_local_match (schedule(1), --cron): the
// calendar, the day rule, and cronie's DST rules in zones with one-hour and
// half-hour shifts in both hemispheres. Expected instants are worked out by hand from
// each zone's published transitions; the property tests at the end compare
// the engine with an independent matcher written here.

#include "../support/time_helpers.hpp"

#include <schedule/cron/expression.hpp>
#include <schedule/cron/next.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/time/zone.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

using namespace schedule;
namespace chr = std::chrono;

using schedule::test::local;
using schedule::test::utc;
using schedule::test::zone;

namespace {

using cron::DstMark;
using cron::DstPolicy;
using cron::GapPolicy;
using cron::OverlapPolicy;

constexpr DstPolicy k_gap_skip{GapPolicy::skip, OverlapPolicy::once};
constexpr DstPolicy k_overlap_twice{GapPolicy::run, OverlapPolicy::twice};

cron::Expression expr(std::string_view text) {
    auto e = cron::parse(text);
    INFO("expression: ", std::string(text), ", error: ", e.ok() ? std::string() : e.error());
    REQUIRE(e.ok());
    return *e;
}

const char* mark_name(DstMark m) {
    switch (m) {
    case DstMark::none:
        return "none";
    case DstMark::moved:
        return "moved";
    case DstMark::repeated:
        return "repeated";
    }
    return "?";
}

// One expected fire: the instant, the scheduled wall-clock time and the mark.
struct Want {
    time::Instant at;
    time::LocalTime wall;
    DstMark mark = DstMark::none;
};

// Follows next_after from `after` and checks each successive fire.
void check_fires(std::string_view text, const char* zone_name, time::Instant after,
                 const std::vector<Want>& want, DstPolicy policy = {}) {
    const auto e = expr(text);
    const auto z = zone(zone_name);
    time::Instant t = after;
    for (std::size_t i = 0; i < want.size(); ++i) {
        INFO(std::string(text), " in ", std::string(zone_name), ": fire ", i + 1, " after ",
             time::format_iso_utc(t));
        auto f = cron::next_after(e, z, t, policy);
        REQUIRE(f.has_value());
        CHECK(time::format_iso_utc(f->at) == time::format_iso_utc(want[i].at));
        CHECK(time::format_local(f->wall) == time::format_local(want[i].wall));
        CHECK(std::string(mark_name(f->mark)) == mark_name(want[i].mark));
        t = f->at;
    }
}

// Successive fire instants in UTC, for calendar checks where marks do not
// matter.
std::vector<std::string> fires_utc(std::string_view text, time::Instant after, int count,
                                   const time::Zone& z = time::Zone::utc()) {
    const auto e = expr(text);
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        auto f = cron::next_after(e, z, after);
        if (!f)
            break;
        out.push_back(time::format_iso_utc(f->at));
        after = f->at;
    }
    return out;
}

std::string iso(time::Instant t) {
    return time::format_iso_utc(t);
}

} // namespace

TEST_SUITE("cron::next") {

    // ---------------------------------------------------------------- calendar

    TEST_CASE("results are strictly after the given instant") {
        CHECK(fires_utc("0 10 * * *", utc(2025, 6, 1, 10, 0), 1) ==
              std::vector<std::string>{iso(utc(2025, 6, 2, 10, 0))});
        CHECK(fires_utc("0 10 * * *", utc(2025, 6, 1, 9, 59, 59), 1) ==
              std::vector<std::string>{iso(utc(2025, 6, 1, 10, 0))});
        CHECK(fires_utc("* * * * *", utc(2025, 6, 1, 10, 0), 2) ==
              std::vector<std::string>{iso(utc(2025, 6, 1, 10, 1)), iso(utc(2025, 6, 1, 10, 2))});
        CHECK(fires_utc("* * * * *", utc(2025, 6, 1, 10, 0, 30), 1) ==
              std::vector<std::string>{iso(utc(2025, 6, 1, 10, 1))});
    }

    TEST_CASE("a plain fire carries its wall-clock time and no DST mark") {
        check_fires("30 9 * * *", "Europe/Berlin", utc(2025, 6, 1),
                    {{utc(2025, 6, 1, 7, 30), local(2025, 6, 1, 9, 30)},
                     {utc(2025, 6, 2, 7, 30), local(2025, 6, 2, 9, 30)}});
        check_fires("30 9 * * *", "Europe/Berlin", utc(2025, 12, 1),
                    {{utc(2025, 12, 1, 8, 30), local(2025, 12, 1, 9, 30)}});
    }

    TEST_CASE("steps restart each hour and lists combine") {
        CHECK(fires_utc("*/25 10 * * *", utc(2025, 6, 1, 9, 0), 4) ==
              std::vector<std::string>{iso(utc(2025, 6, 1, 10, 0)), iso(utc(2025, 6, 1, 10, 25)),
                                       iso(utc(2025, 6, 1, 10, 50)), iso(utc(2025, 6, 2, 10, 0))});
        CHECK(fires_utc("5,10-11/1 8,20 * * *", utc(2025, 6, 1), 4) ==
              std::vector<std::string>{iso(utc(2025, 6, 1, 8, 5)), iso(utc(2025, 6, 1, 8, 10)),
                                       iso(utc(2025, 6, 1, 8, 11)), iso(utc(2025, 6, 1, 20, 5))});
    }

    TEST_CASE("Feb 29 fires only in leap years") {
        CHECK(fires_utc("0 0 29 2 *", utc(2023, 1, 1), 3) ==
              std::vector<std::string>{iso(utc(2024, 2, 29)), iso(utc(2028, 2, 29)),
                                       iso(utc(2032, 2, 29))});
        // 2000 is a leap year (divisible by 400).
        CHECK(fires_utc("0 0 29 2 *", utc(1997, 1, 1), 1) ==
              std::vector<std::string>{iso(utc(2000, 2, 29))});
        // A fire on Feb 29 itself: the next one is four years on.
        CHECK(fires_utc("0 12 29 2 *", utc(2024, 2, 29, 12, 0), 1) ==
              std::vector<std::string>{iso(utc(2028, 2, 29, 12, 0))});
    }

    TEST_CASE("2100 is not a leap year: Feb 29 after 2096 is in 2104") {
        CHECK(fires_utc("0 0 29 2 *", utc(2096, 3, 1), 1) ==
              std::vector<std::string>{iso(utc(2104, 2, 29))});
        // Feb 28 2100 is followed by March 1.
        CHECK(fires_utc("0 0 28-31 2-3 *", utc(2100, 2, 27, 12), 3) ==
              std::vector<std::string>{iso(utc(2100, 2, 28)), iso(utc(2100, 3, 28)),
                                       iso(utc(2100, 3, 29))});
    }

    TEST_CASE("Feb 29 on a Sunday (AND rule) waits for the right leap year") {
        // */7 in day-of-week is Sunday only and starts with '*': AND rule.
        CHECK(fires_utc("0 0 29 2 */7", utc(2025, 1, 1), 2) ==
              std::vector<std::string>{iso(utc(2032, 2, 29)), iso(utc(2060, 2, 29))});
    }

    TEST_CASE("the 31st is skipped in months of 30 days and in February") {
        CHECK(fires_utc("0 0 31 * *", utc(2025, 1, 31), 7) ==
              std::vector<std::string>{iso(utc(2025, 3, 31)), iso(utc(2025, 5, 31)),
                                       iso(utc(2025, 7, 31)), iso(utc(2025, 8, 31)),
                                       iso(utc(2025, 10, 31)), iso(utc(2025, 12, 31)),
                                       iso(utc(2026, 1, 31))});
        CHECK(fires_utc("0 0 30 * *", utc(2025, 1, 30), 2) ==
              std::vector<std::string>{iso(utc(2025, 3, 30)), iso(utc(2025, 4, 30))});
        CHECK(fires_utc("0 0 29 * *", utc(2025, 1, 29), 1) ==
              std::vector<std::string>{iso(utc(2025, 3, 29))});
    }

    TEST_CASE("both day fields restricted: a day matches if either matches (OR)") {
        // 13th of the month OR a Friday.
        CHECK(fires_utc("0 0 13 * 5", utc(2025, 6, 1), 9) ==
              std::vector<std::string>{
                  iso(utc(2025, 6, 6)), iso(utc(2025, 6, 13)), iso(utc(2025, 6, 20)),
                  iso(utc(2025, 6, 27)), iso(utc(2025, 7, 4)), iso(utc(2025, 7, 11)),
                  iso(utc(2025, 7, 13)), iso(utc(2025, 7, 18)), iso(utc(2025, 7, 25))});
        // 1-31 restricts (it does not start with '*'): every day matches.
        CHECK(fires_utc("0 0 1-31 * 1", utc(2025, 6, 1), 2) ==
              std::vector<std::string>{iso(utc(2025, 6, 2)), iso(utc(2025, 6, 3))});
    }

    TEST_CASE("a day field starting with '*' switches to AND") {
        // Odd-numbered days that are Mondays.
        CHECK(fires_utc("0 0 */2 * 1", utc(2025, 6, 1), 4) ==
              std::vector<std::string>{iso(utc(2025, 6, 9)), iso(utc(2025, 6, 23)),
                                       iso(utc(2025, 7, 7)), iso(utc(2025, 7, 21))});
        // '*' in day-of-month: only the weekdays count.
        CHECK(fires_utc("0 0 * * 1", utc(2025, 6, 1), 2) ==
              std::vector<std::string>{iso(utc(2025, 6, 2)), iso(utc(2025, 6, 9))});
        // '*' in day-of-week: only the days of the month count.
        CHECK(fires_utc("0 0 13 * *", utc(2025, 6, 1), 2) ==
              std::vector<std::string>{iso(utc(2025, 6, 13)), iso(utc(2025, 7, 13))});
    }

    TEST_CASE("weekday 7 and 0 are Sunday, and SAT-SUN wraps to Sunday") {
        const auto sundays =
            std::vector<std::string>{iso(utc(2025, 6, 1, 12)), iso(utc(2025, 6, 8, 12))};
        CHECK(fires_utc("0 12 * * 7", utc(2025, 5, 31), 2) == sundays);
        CHECK(fires_utc("0 12 * * 0", utc(2025, 5, 31), 2) == sundays);
        CHECK(fires_utc("0 12 * * sun", utc(2025, 5, 31), 2) == sundays);
        CHECK(fires_utc("0 12 * * SAT-SUN", utc(2025, 5, 30), 3) ==
              std::vector<std::string>{iso(utc(2025, 5, 31, 12)), iso(utc(2025, 6, 1, 12)),
                                       iso(utc(2025, 6, 7, 12))});
    }

    TEST_CASE("fires cross year boundaries") {
        CHECK(fires_utc("59 23 31 12 *", utc(2025, 12, 31, 23, 59), 1) ==
              std::vector<std::string>{iso(utc(2026, 12, 31, 23, 59))});
        CHECK(fires_utc("0 0 1 1 *", utc(2025, 12, 31, 23, 59), 2) ==
              std::vector<std::string>{iso(utc(2026, 1, 1)), iso(utc(2027, 1, 1))});
        CHECK(fires_utc("* * * * *", utc(2025, 12, 31, 23, 59, 30), 1) ==
              std::vector<std::string>{iso(utc(2026, 1, 1))});
        CHECK(fires_utc("@yearly", utc(2025, 6, 1), 1) ==
              std::vector<std::string>{iso(utc(2026, 1, 1))});
        CHECK(fires_utc("0 0 * DEC,jan *", utc(2025, 12, 31, 0, 0), 2) ==
              std::vector<std::string>{iso(utc(2026, 1, 1)), iso(utc(2026, 1, 2))});
        // New Year in New York is 05:00Z (EST, -05:00).
        CHECK(fires_utc("0 0 1 1 *", utc(2025, 12, 31, 12), 1, zone("America/New_York")) ==
              std::vector<std::string>{iso(utc(2026, 1, 1, 5, 0))});
    }

    TEST_CASE("fires in zones with fractional offsets") {
        // Kolkata +05:30, Kathmandu +05:45, Chatham +13:45 in January (DST).
        CHECK(fires_utc("0 9 * * *", utc(2025, 1, 1), 1, zone("Asia/Kolkata")) ==
              std::vector<std::string>{iso(utc(2025, 1, 1, 3, 30))});
        CHECK(fires_utc("0 9 * * *", utc(2025, 1, 1), 1, zone("Asia/Kathmandu")) ==
              std::vector<std::string>{iso(utc(2025, 1, 1, 3, 15))});
        CHECK(fires_utc("0 9 * * *", utc(2025, 1, 1), 1, zone("Pacific/Chatham")) ==
              std::vector<std::string>{iso(utc(2025, 1, 1, 19, 15))});
    }

    TEST_CASE("@reboot and expressions that match nothing never fire") {
        CHECK_FALSE(cron::next_after(expr("@reboot"), time::Zone::utc(), utc(2025, 1, 1)));
        cron::Expression never = expr("0 0 30 * *");
        never.months = std::uint16_t{1} << 2; // February only: no Feb 30
        CHECK_FALSE(cron::next_after(never, time::Zone::utc(), utc(2025, 1, 1)));
        CHECK_FALSE(cron::next_after(never, zone("Europe/London"), utc(2025, 1, 1)));
        CHECK_FALSE(cron::next_local_match(never, local(2025, 1, 1)));
    }

    // -------------------------------------------------------- next_local_match

    TEST_CASE("next_local_match returns the start itself when it matches") {
        auto m = cron::next_local_match(expr("30 9 * * *"), local(2025, 6, 1, 9, 30));
        REQUIRE(m);
        CHECK(*m == local(2025, 6, 1, 9, 30));
    }

    TEST_CASE("next_local_match rounds the start up to a whole minute") {
        auto m = cron::next_local_match(expr("* * * * *"), local(2025, 6, 1, 9, 30, 1));
        REQUIRE(m);
        CHECK(*m == local(2025, 6, 1, 9, 31));
        m = cron::next_local_match(expr("30 9 * * *"), local(2025, 6, 1, 9, 30, 59));
        REQUIRE(m);
        CHECK(*m == local(2025, 6, 2, 9, 30));
    }

    TEST_CASE("next_local_match ignores zones: wall times in a DST gap still match") {
        // 02:30 on 2025-03-09 does not exist in New York, but the bare
        // wall-clock search knows no zone.
        auto m = cron::next_local_match(expr("30 2 * * *"), local(2025, 3, 9, 0, 0));
        REQUIRE(m);
        CHECK(*m == local(2025, 3, 9, 2, 30));
    }

    TEST_CASE("next_local_match walks months, leap days and the day rule") {
        auto e = expr("15 6 29 2 *");
        auto m = cron::next_local_match(e, local(2097, 1, 1));
        REQUIRE(m);
        CHECK(*m == local(2104, 2, 29, 6, 15));
        m = cron::next_local_match(expr("0 0 */2 * 1"), local(2025, 6, 10));
        REQUIRE(m);
        CHECK(*m == local(2025, 6, 23));
        m = cron::next_local_match(expr("0 0 31 * *"), local(2025, 4, 1));
        REQUIRE(m);
        CHECK(*m == local(2025, 5, 31));
        m = cron::next_local_match(expr("0 0 1 1 *"), local(1969, 12, 31, 23, 59));
        REQUIRE(m);
        CHECK(*m == local(1970, 1, 1));
    }

    // ------------------------------------------------------- America/New_York
    // EST -05:00 / EDT -04:00.
    // Spring forward 2025-03-09 02:00 EST -> 03:00 EDT at 07:00Z: 02:00-02:59 skipped.
    // Fall back 2025-11-02 02:00 EDT -> 01:00 EST at 06:00Z: 01:00-01:59
    // repeated, first pass 05:00Z-06:00Z (EDT), second 06:00Z-07:00Z (EST).

    TEST_CASE("America/New_York: a fixed time in the spring-forward gap fires once right after the "
              "gap") {
        check_fires("30 2 * * *", "America/New_York", utc(2025, 3, 7, 12),
                    {{utc(2025, 3, 8, 7, 30), local(2025, 3, 8, 2, 30)},
                     {utc(2025, 3, 9, 7, 0), local(2025, 3, 9, 2, 30), DstMark::moved},
                     {utc(2025, 3, 10, 6, 30), local(2025, 3, 10, 2, 30)}});
    }

    TEST_CASE("America/New_York: with --dst-gap skip a fixed time in the gap does not fire that "
              "day") {
        check_fires("30 2 * * *", "America/New_York", utc(2025, 3, 7, 12),
                    {{utc(2025, 3, 8, 7, 30), local(2025, 3, 8, 2, 30)},
                     {utc(2025, 3, 10, 6, 30), local(2025, 3, 10, 2, 30)}},
                    k_gap_skip);
    }

    TEST_CASE("America/New_York: a fixed time in the fall-back overlap fires once, in the first "
              "pass") {
        check_fires("30 1 * * *", "America/New_York", utc(2025, 10, 31, 12),
                    {{utc(2025, 11, 1, 5, 30), local(2025, 11, 1, 1, 30)},
                     {utc(2025, 11, 2, 5, 30), local(2025, 11, 2, 1, 30), DstMark::repeated},
                     {utc(2025, 11, 3, 6, 30), local(2025, 11, 3, 1, 30)}});
    }

    TEST_CASE("America/New_York: with --dst-overlap twice a fixed time fires in both passes") {
        check_fires("30 1 * * *", "America/New_York", utc(2025, 11, 1, 12),
                    {{utc(2025, 11, 2, 5, 30), local(2025, 11, 2, 1, 30), DstMark::repeated},
                     {utc(2025, 11, 2, 6, 30), local(2025, 11, 2, 1, 30), DstMark::repeated},
                     {utc(2025, 11, 3, 6, 30), local(2025, 11, 3, 1, 30)}},
                    k_overlap_twice);
    }

    TEST_CASE("America/New_York: an hourly wildcard job fires in both passes of the repeated "
              "hour") {
        check_fires("0 * * * *", "America/New_York", utc(2025, 11, 2, 4, 30),
                    {{utc(2025, 11, 2, 5, 0), local(2025, 11, 2, 1, 0), DstMark::repeated},
                     {utc(2025, 11, 2, 6, 0), local(2025, 11, 2, 1, 0), DstMark::repeated},
                     {utc(2025, 11, 2, 7, 0), local(2025, 11, 2, 2, 0)}});
        // Wildcard by its minute field: both passes too, whatever the policy.
        check_fires("*/30 1 * * *", "America/New_York", utc(2025, 11, 2, 4, 30),
                    {{utc(2025, 11, 2, 5, 0), local(2025, 11, 2, 1, 0), DstMark::repeated},
                     {utc(2025, 11, 2, 5, 30), local(2025, 11, 2, 1, 30), DstMark::repeated},
                     {utc(2025, 11, 2, 6, 0), local(2025, 11, 2, 1, 0), DstMark::repeated},
                     {utc(2025, 11, 2, 6, 30), local(2025, 11, 2, 1, 30), DstMark::repeated},
                     {utc(2025, 11, 3, 6, 0), local(2025, 11, 3, 1, 0)}});
    }

    TEST_CASE("America/New_York: a wildcard job does not fire in the skipped hour") {
        check_fires("0 * * * *", "America/New_York", utc(2025, 3, 9, 5, 30),
                    {{utc(2025, 3, 9, 6, 0), local(2025, 3, 9, 1, 0)},
                     {utc(2025, 3, 9, 7, 0), local(2025, 3, 9, 3, 0)},
                     {utc(2025, 3, 9, 8, 0), local(2025, 3, 9, 4, 0)}});
        check_fires("15 * * * *", "America/New_York", utc(2025, 3, 9, 5, 30),
                    {{utc(2025, 3, 9, 6, 15), local(2025, 3, 9, 1, 15)},
                     {utc(2025, 3, 9, 7, 15), local(2025, 3, 9, 3, 15)}});
        // Only in hour 2, which does not exist on 2025-03-09.
        check_fires("* 2 * * *", "America/New_York", utc(2025, 3, 8, 12),
                    {{utc(2025, 3, 10, 6, 0), local(2025, 3, 10, 2, 0)}});
    }

    TEST_CASE("America/New_York: several fixed times in the gap fire once together") {
        check_fires("0,15,30,45 2 * * *", "America/New_York", utc(2025, 3, 9, 5, 0),
                    {{utc(2025, 3, 9, 7, 0), local(2025, 3, 9, 2, 0), DstMark::moved},
                     {utc(2025, 3, 10, 6, 0), local(2025, 3, 10, 2, 0)},
                     {utc(2025, 3, 10, 6, 15), local(2025, 3, 10, 2, 15)}});
        // A time after the gap still fires at its own time.
        check_fires("30 2,3 * * *", "America/New_York", utc(2025, 3, 9, 5, 0),
                    {{utc(2025, 3, 9, 7, 0), local(2025, 3, 9, 2, 30), DstMark::moved},
                     {utc(2025, 3, 9, 7, 30), local(2025, 3, 9, 3, 30)},
                     {utc(2025, 3, 10, 6, 30), local(2025, 3, 10, 2, 30)}});
    }

    TEST_CASE("America/New_York: a fixed time starting inside the second pass waits for the next "
              "day") {
        // From 01:10 EST (second pass), 01:30 already fired in the first pass.
        check_fires("30 1 * * *", "America/New_York", utc(2025, 11, 2, 6, 10),
                    {{utc(2025, 11, 3, 6, 30), local(2025, 11, 3, 1, 30)}});
        // From 01:45 EDT (first pass, after the fire): no second fire either.
        check_fires("30 1 * * *", "America/New_York", utc(2025, 11, 2, 5, 45),
                    {{utc(2025, 11, 3, 6, 30), local(2025, 11, 3, 1, 30)}});
        // With overlap twice it fires in the second pass.
        check_fires("30 1 * * *", "America/New_York", utc(2025, 11, 2, 6, 10),
                    {{utc(2025, 11, 2, 6, 30), local(2025, 11, 2, 1, 30), DstMark::repeated}},
                    k_overlap_twice);
    }

    TEST_CASE("America/New_York: 0-59/15 1 * * * is fixed-time (no leading *)") {
        CHECK_FALSE(expr("0-59/15 1 * * *").wildcard);
        CHECK(expr("*/15 1 * * *").wildcard);
        // Fixed-time: first pass only.
        check_fires("0-59/15 1 * * *", "America/New_York", utc(2025, 11, 2, 4, 0),
                    {{utc(2025, 11, 2, 5, 0), local(2025, 11, 2, 1, 0), DstMark::repeated},
                     {utc(2025, 11, 2, 5, 15), local(2025, 11, 2, 1, 15), DstMark::repeated},
                     {utc(2025, 11, 2, 5, 30), local(2025, 11, 2, 1, 30), DstMark::repeated},
                     {utc(2025, 11, 2, 5, 45), local(2025, 11, 2, 1, 45), DstMark::repeated},
                     {utc(2025, 11, 3, 6, 0), local(2025, 11, 3, 1, 0)}});
        // The wildcard spelling follows the wall clock through both passes.
        check_fires("*/15 1 * * *", "America/New_York", utc(2025, 11, 2, 5, 40),
                    {{utc(2025, 11, 2, 5, 45), local(2025, 11, 2, 1, 45), DstMark::repeated},
                     {utc(2025, 11, 2, 6, 0), local(2025, 11, 2, 1, 0), DstMark::repeated},
                     {utc(2025, 11, 2, 6, 15), local(2025, 11, 2, 1, 15), DstMark::repeated}});
        // In the gap: the fixed-time spelling fires once after it, the
        // wildcard spelling not at all.
        check_fires("0-59/15 2 * * *", "America/New_York", utc(2025, 3, 9, 5, 0),
                    {{utc(2025, 3, 9, 7, 0), local(2025, 3, 9, 2, 0), DstMark::moved},
                     {utc(2025, 3, 10, 6, 0), local(2025, 3, 10, 2, 0)}});
        check_fires("*/15 2 * * *", "America/New_York", utc(2025, 3, 9, 5, 0),
                    {{utc(2025, 3, 10, 6, 0), local(2025, 3, 10, 2, 0)}});
    }

    // ---------------------------------------------------------- Europe/London
    // GMT +00:00 / BST +01:00.
    // Spring forward 2025-03-30 01:00 GMT -> 02:00 BST at 01:00Z: 01:00-01:59 skipped.
    // Fall back 2025-10-26 02:00 BST -> 01:00 GMT at 01:00Z: 01:00-01:59
    // repeated, first pass 00:00Z-01:00Z (BST), second 01:00Z-02:00Z (GMT).

    TEST_CASE("Europe/London: a fixed time in the spring-forward gap fires once right after the "
              "gap") {
        check_fires("30 1 * * *", "Europe/London", utc(2025, 3, 28, 12),
                    {{utc(2025, 3, 29, 1, 30), local(2025, 3, 29, 1, 30)},
                     {utc(2025, 3, 30, 1, 0), local(2025, 3, 30, 1, 30), DstMark::moved},
                     {utc(2025, 3, 31, 0, 30), local(2025, 3, 31, 1, 30)}});
    }

    TEST_CASE("Europe/London: with --dst-gap skip a fixed time in the gap does not fire that day") {
        check_fires("30 1 * * *", "Europe/London", utc(2025, 3, 28, 12),
                    {{utc(2025, 3, 29, 1, 30), local(2025, 3, 29, 1, 30)},
                     {utc(2025, 3, 31, 0, 30), local(2025, 3, 31, 1, 30)}},
                    k_gap_skip);
    }

    TEST_CASE("Europe/London: a fixed time in the fall-back overlap fires once, in the first "
              "pass") {
        check_fires("30 1 * * *", "Europe/London", utc(2025, 10, 25, 12),
                    {{utc(2025, 10, 26, 0, 30), local(2025, 10, 26, 1, 30), DstMark::repeated},
                     {utc(2025, 10, 27, 1, 30), local(2025, 10, 27, 1, 30)}});
    }

    TEST_CASE("Europe/London: with --dst-overlap twice a fixed time fires in both passes") {
        check_fires("30 1 * * *", "Europe/London", utc(2025, 10, 25, 12),
                    {{utc(2025, 10, 26, 0, 30), local(2025, 10, 26, 1, 30), DstMark::repeated},
                     {utc(2025, 10, 26, 1, 30), local(2025, 10, 26, 1, 30), DstMark::repeated},
                     {utc(2025, 10, 27, 1, 30), local(2025, 10, 27, 1, 30)}},
                    k_overlap_twice);
    }

    TEST_CASE("Europe/London: an hourly wildcard job fires in both passes of the repeated hour") {
        check_fires("0 * * * *", "Europe/London", utc(2025, 10, 25, 23, 30),
                    {{utc(2025, 10, 26, 0, 0), local(2025, 10, 26, 1, 0), DstMark::repeated},
                     {utc(2025, 10, 26, 1, 0), local(2025, 10, 26, 1, 0), DstMark::repeated},
                     {utc(2025, 10, 26, 2, 0), local(2025, 10, 26, 2, 0)}});
        // @hourly is the same job.
        check_fires("@hourly", "Europe/London", utc(2025, 10, 25, 23, 30),
                    {{utc(2025, 10, 26, 0, 0), local(2025, 10, 26, 1, 0), DstMark::repeated},
                     {utc(2025, 10, 26, 1, 0), local(2025, 10, 26, 1, 0), DstMark::repeated}});
    }

    TEST_CASE("Europe/London: a wildcard job does not fire in the skipped hour") {
        check_fires("0 * * * *", "Europe/London", utc(2025, 3, 29, 23, 30),
                    {{utc(2025, 3, 30, 0, 0), local(2025, 3, 30, 0, 0)},
                     {utc(2025, 3, 30, 1, 0), local(2025, 3, 30, 2, 0)},
                     {utc(2025, 3, 30, 2, 0), local(2025, 3, 30, 3, 0)}});
        check_fires("* 1 * * *", "Europe/London", utc(2025, 3, 29, 12),
                    {{utc(2025, 3, 31, 0, 0), local(2025, 3, 31, 1, 0)}});
    }

    TEST_CASE("Europe/London: several fixed times in the gap fire once together") {
        check_fires("0,20,40 1 * * *", "Europe/London", utc(2025, 3, 29, 12),
                    {{utc(2025, 3, 30, 1, 0), local(2025, 3, 30, 1, 0), DstMark::moved},
                     {utc(2025, 3, 31, 0, 0), local(2025, 3, 31, 1, 0)},
                     {utc(2025, 3, 31, 0, 20), local(2025, 3, 31, 1, 20)}});
    }

    TEST_CASE("Europe/London: a fixed time starting inside the second pass waits for the next "
              "day") {
        check_fires("30 1 * * *", "Europe/London", utc(2025, 10, 26, 1, 10),
                    {{utc(2025, 10, 27, 1, 30), local(2025, 10, 27, 1, 30)}});
        check_fires("30 1 * * *", "Europe/London", utc(2025, 10, 26, 1, 10),
                    {{utc(2025, 10, 26, 1, 30), local(2025, 10, 26, 1, 30), DstMark::repeated}},
                    k_overlap_twice);
    }

    TEST_CASE("Europe/London: 0-59/15 1 * * * is fixed-time (no leading *)") {
        check_fires("0-59/15 1 * * *", "Europe/London", utc(2025, 10, 25, 23, 0),
                    {{utc(2025, 10, 26, 0, 0), local(2025, 10, 26, 1, 0), DstMark::repeated},
                     {utc(2025, 10, 26, 0, 15), local(2025, 10, 26, 1, 15), DstMark::repeated},
                     {utc(2025, 10, 26, 0, 30), local(2025, 10, 26, 1, 30), DstMark::repeated},
                     {utc(2025, 10, 26, 0, 45), local(2025, 10, 26, 1, 45), DstMark::repeated},
                     {utc(2025, 10, 27, 1, 0), local(2025, 10, 27, 1, 0)}});
        check_fires("*/15 1 * * *", "Europe/London", utc(2025, 10, 26, 0, 40),
                    {{utc(2025, 10, 26, 0, 45), local(2025, 10, 26, 1, 45), DstMark::repeated},
                     {utc(2025, 10, 26, 1, 0), local(2025, 10, 26, 1, 0), DstMark::repeated},
                     {utc(2025, 10, 26, 1, 15), local(2025, 10, 26, 1, 15), DstMark::repeated}});
        check_fires("0-59/15 1 * * *", "Europe/London", utc(2025, 3, 29, 12),
                    {{utc(2025, 3, 30, 1, 0), local(2025, 3, 30, 1, 0), DstMark::moved},
                     {utc(2025, 3, 31, 0, 0), local(2025, 3, 31, 1, 0)}});
    }

    // -------------------------------------------------------- Australia/Sydney
    // AEST +10:00 / AEDT +11:00, southern hemisphere.
    // Spring forward 2025-10-05 02:00 AEST -> 03:00 AEDT at 2025-10-04T16:00Z.
    // Fall back 2025-04-06 03:00 AEDT -> 02:00 AEST at 2025-04-05T16:00Z:
    // 02:00-02:59 repeated, first pass 15:00Z-16:00Z, second 16:00Z-17:00Z.

    TEST_CASE("Australia/Sydney: a fixed time in the spring-forward gap fires once right after the "
              "gap") {
        check_fires("30 2 * * *", "Australia/Sydney", utc(2025, 10, 3, 0),
                    {{utc(2025, 10, 3, 16, 30), local(2025, 10, 4, 2, 30)},
                     {utc(2025, 10, 4, 16, 0), local(2025, 10, 5, 2, 30), DstMark::moved},
                     {utc(2025, 10, 5, 15, 30), local(2025, 10, 6, 2, 30)}});
    }

    TEST_CASE("Australia/Sydney: with --dst-gap skip a fixed time in the gap does not fire that "
              "day") {
        check_fires("30 2 * * *", "Australia/Sydney", utc(2025, 10, 3, 0),
                    {{utc(2025, 10, 3, 16, 30), local(2025, 10, 4, 2, 30)},
                     {utc(2025, 10, 5, 15, 30), local(2025, 10, 6, 2, 30)}},
                    k_gap_skip);
    }

    TEST_CASE("Australia/Sydney: a fixed time in the fall-back overlap fires once, in the first "
              "pass") {
        check_fires("30 2 * * *", "Australia/Sydney", utc(2025, 4, 4, 0),
                    {{utc(2025, 4, 4, 15, 30), local(2025, 4, 5, 2, 30)},
                     {utc(2025, 4, 5, 15, 30), local(2025, 4, 6, 2, 30), DstMark::repeated},
                     {utc(2025, 4, 6, 16, 30), local(2025, 4, 7, 2, 30)}});
    }

    TEST_CASE("Australia/Sydney: with --dst-overlap twice a fixed time fires in both passes") {
        check_fires("30 2 * * *", "Australia/Sydney", utc(2025, 4, 5, 0),
                    {{utc(2025, 4, 5, 15, 30), local(2025, 4, 6, 2, 30), DstMark::repeated},
                     {utc(2025, 4, 5, 16, 30), local(2025, 4, 6, 2, 30), DstMark::repeated},
                     {utc(2025, 4, 6, 16, 30), local(2025, 4, 7, 2, 30)}},
                    k_overlap_twice);
    }

    TEST_CASE("Australia/Sydney: an hourly wildcard job fires in both passes of the repeated "
              "hour") {
        check_fires("0 * * * *", "Australia/Sydney", utc(2025, 4, 5, 14, 30),
                    {{utc(2025, 4, 5, 15, 0), local(2025, 4, 6, 2, 0), DstMark::repeated},
                     {utc(2025, 4, 5, 16, 0), local(2025, 4, 6, 2, 0), DstMark::repeated},
                     {utc(2025, 4, 5, 17, 0), local(2025, 4, 6, 3, 0)}});
    }

    TEST_CASE("Australia/Sydney: a wildcard job does not fire in the skipped hour") {
        check_fires("0 * * * *", "Australia/Sydney", utc(2025, 10, 4, 14, 30),
                    {{utc(2025, 10, 4, 15, 0), local(2025, 10, 5, 1, 0)},
                     {utc(2025, 10, 4, 16, 0), local(2025, 10, 5, 3, 0)},
                     {utc(2025, 10, 4, 17, 0), local(2025, 10, 5, 4, 0)}});
        check_fires("* 2 * * *", "Australia/Sydney", utc(2025, 10, 4, 0),
                    {{utc(2025, 10, 5, 15, 0), local(2025, 10, 6, 2, 0)}});
    }

    TEST_CASE("Australia/Sydney: several fixed times in the gap fire once together") {
        check_fires("0,30 2 * * *", "Australia/Sydney", utc(2025, 10, 4, 0),
                    {{utc(2025, 10, 4, 16, 0), local(2025, 10, 5, 2, 0), DstMark::moved},
                     {utc(2025, 10, 5, 15, 0), local(2025, 10, 6, 2, 0)},
                     {utc(2025, 10, 5, 15, 30), local(2025, 10, 6, 2, 30)}});
    }

    TEST_CASE("Australia/Sydney: a fixed time starting inside the second pass waits for the next "
              "day") {
        check_fires("30 2 * * *", "Australia/Sydney", utc(2025, 4, 5, 16, 10),
                    {{utc(2025, 4, 6, 16, 30), local(2025, 4, 7, 2, 30)}});
        check_fires("30 2 * * *", "Australia/Sydney", utc(2025, 4, 5, 16, 10),
                    {{utc(2025, 4, 5, 16, 30), local(2025, 4, 6, 2, 30), DstMark::repeated}},
                    k_overlap_twice);
    }

    TEST_CASE("Australia/Sydney: 0-59/15 2 * * * is fixed-time (no leading *)") {
        check_fires("0-59/15 2 * * *", "Australia/Sydney", utc(2025, 4, 5, 14, 0),
                    {{utc(2025, 4, 5, 15, 0), local(2025, 4, 6, 2, 0), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 15), local(2025, 4, 6, 2, 15), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 30), local(2025, 4, 6, 2, 30), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 45), local(2025, 4, 6, 2, 45), DstMark::repeated},
                     {utc(2025, 4, 6, 16, 0), local(2025, 4, 7, 2, 0)}});
        check_fires("*/15 2 * * *", "Australia/Sydney", utc(2025, 4, 5, 15, 40),
                    {{utc(2025, 4, 5, 15, 45), local(2025, 4, 6, 2, 45), DstMark::repeated},
                     {utc(2025, 4, 5, 16, 0), local(2025, 4, 6, 2, 0), DstMark::repeated},
                     {utc(2025, 4, 5, 16, 15), local(2025, 4, 6, 2, 15), DstMark::repeated}});
        check_fires("0-59/15 2 * * *", "Australia/Sydney", utc(2025, 10, 4, 0),
                    {{utc(2025, 10, 4, 16, 0), local(2025, 10, 5, 2, 0), DstMark::moved},
                     {utc(2025, 10, 5, 15, 0), local(2025, 10, 6, 2, 0)}});
    }

    // ----------------------------------------------------- Australia/Lord_Howe
    // +10:30 standard / +11:00 summer: a 30-minute shift, southern hemisphere.
    // Spring forward 2025-10-05 02:00 -> 02:30 at 2025-10-04T15:30Z:
    // 02:00-02:29 skipped.
    // Fall back 2025-04-06 02:00 -> 01:30 at 2025-04-05T15:00Z: 01:30-01:59
    // repeated, first pass 14:30Z-15:00Z (+11), second 15:00Z-15:30Z (+10:30).

    TEST_CASE("Australia/Lord_Howe: a fixed time in the spring-forward gap fires once right after "
              "the gap") {
        check_fires("15 2 * * *", "Australia/Lord_Howe", utc(2025, 10, 3, 0),
                    {{utc(2025, 10, 3, 15, 45), local(2025, 10, 4, 2, 15)},
                     {utc(2025, 10, 4, 15, 30), local(2025, 10, 5, 2, 15), DstMark::moved},
                     {utc(2025, 10, 5, 15, 15), local(2025, 10, 6, 2, 15)}});
        // 02:30 is the first minute after the jump: it exists and is not moved.
        check_fires("30 2 * * *", "Australia/Lord_Howe", utc(2025, 10, 4, 0),
                    {{utc(2025, 10, 4, 15, 30), local(2025, 10, 5, 2, 30)}});
    }

    TEST_CASE("Australia/Lord_Howe: with --dst-gap skip a fixed time in the gap does not fire that "
              "day") {
        check_fires("15 2 * * *", "Australia/Lord_Howe", utc(2025, 10, 3, 0),
                    {{utc(2025, 10, 3, 15, 45), local(2025, 10, 4, 2, 15)},
                     {utc(2025, 10, 5, 15, 15), local(2025, 10, 6, 2, 15)}},
                    k_gap_skip);
    }

    TEST_CASE("Australia/Lord_Howe: a fixed time in the fall-back overlap fires once, in the first "
              "pass") {
        check_fires("45 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 4, 0),
                    {{utc(2025, 4, 4, 14, 45), local(2025, 4, 5, 1, 45)},
                     {utc(2025, 4, 5, 14, 45), local(2025, 4, 6, 1, 45), DstMark::repeated},
                     {utc(2025, 4, 6, 15, 15), local(2025, 4, 7, 1, 45)}});
        // 01:15 and 02:00 occur once that day: no mark.
        check_fires("15 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 0),
                    {{utc(2025, 4, 5, 14, 15), local(2025, 4, 6, 1, 15)}});
        check_fires("0 2 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 0),
                    {{utc(2025, 4, 5, 15, 30), local(2025, 4, 6, 2, 0)}});
    }

    TEST_CASE("Australia/Lord_Howe: with --dst-overlap twice a fixed time fires in both passes") {
        check_fires("45 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 0),
                    {{utc(2025, 4, 5, 14, 45), local(2025, 4, 6, 1, 45), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 15), local(2025, 4, 6, 1, 45), DstMark::repeated},
                     {utc(2025, 4, 6, 15, 15), local(2025, 4, 7, 1, 45)}},
                    k_overlap_twice);
    }

    TEST_CASE("Australia/Lord_Howe: an hourly wildcard job fires in both passes of the repeated "
              "half hour") {
        check_fires("30 * * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 14, 0),
                    {{utc(2025, 4, 5, 14, 30), local(2025, 4, 6, 1, 30), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 0), local(2025, 4, 6, 1, 30), DstMark::repeated},
                     {utc(2025, 4, 5, 16, 0), local(2025, 4, 6, 2, 30)}});
        // On the hour nothing repeats: 01:00 is before the overlap, 02:00 after.
        check_fires("0 * * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 13, 30),
                    {{utc(2025, 4, 5, 14, 0), local(2025, 4, 6, 1, 0)},
                     {utc(2025, 4, 5, 15, 30), local(2025, 4, 6, 2, 0)},
                     {utc(2025, 4, 5, 16, 30), local(2025, 4, 6, 3, 0)}});
    }

    TEST_CASE("Australia/Lord_Howe: a wildcard job does not fire in the skipped half hour") {
        check_fires("15 * * * *", "Australia/Lord_Howe", utc(2025, 10, 4, 14, 0),
                    {{utc(2025, 10, 4, 14, 45), local(2025, 10, 5, 1, 15)},
                     {utc(2025, 10, 4, 16, 15), local(2025, 10, 5, 3, 15)}});
        // Hour 2 still has 02:30-02:59 that day.
        check_fires("*/15 2 * * *", "Australia/Lord_Howe", utc(2025, 10, 4, 12, 0),
                    {{utc(2025, 10, 4, 15, 30), local(2025, 10, 5, 2, 30)},
                     {utc(2025, 10, 4, 15, 45), local(2025, 10, 5, 2, 45)},
                     {utc(2025, 10, 5, 15, 0), local(2025, 10, 6, 2, 0)}});
    }

    TEST_CASE("Australia/Lord_Howe: several fixed times in the gap fire once together") {
        check_fires("0,10,20 2 * * *", "Australia/Lord_Howe", utc(2025, 10, 4, 0),
                    {{utc(2025, 10, 4, 15, 30), local(2025, 10, 5, 2, 0), DstMark::moved},
                     {utc(2025, 10, 5, 15, 0), local(2025, 10, 6, 2, 0)},
                     {utc(2025, 10, 5, 15, 10), local(2025, 10, 6, 2, 10)}});
    }

    TEST_CASE("Australia/Lord_Howe: a fixed time starting inside the second pass waits for the "
              "next day") {
        // From 01:35 +10:30 (second pass).
        check_fires("45 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 15, 5),
                    {{utc(2025, 4, 6, 15, 15), local(2025, 4, 7, 1, 45)}});
        check_fires("45 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 15, 5),
                    {{utc(2025, 4, 5, 15, 15), local(2025, 4, 6, 1, 45), DstMark::repeated}},
                    k_overlap_twice);
    }

    TEST_CASE("Australia/Lord_Howe: 0-59/15 1 * * * is fixed-time (no leading *)") {
        check_fires("0-59/15 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 13, 0),
                    {{utc(2025, 4, 5, 14, 0), local(2025, 4, 6, 1, 0)},
                     {utc(2025, 4, 5, 14, 15), local(2025, 4, 6, 1, 15)},
                     {utc(2025, 4, 5, 14, 30), local(2025, 4, 6, 1, 30), DstMark::repeated},
                     {utc(2025, 4, 5, 14, 45), local(2025, 4, 6, 1, 45), DstMark::repeated},
                     {utc(2025, 4, 6, 14, 30), local(2025, 4, 7, 1, 0)}});
        check_fires("*/15 1 * * *", "Australia/Lord_Howe", utc(2025, 4, 5, 14, 40),
                    {{utc(2025, 4, 5, 14, 45), local(2025, 4, 6, 1, 45), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 0), local(2025, 4, 6, 1, 30), DstMark::repeated},
                     {utc(2025, 4, 5, 15, 15), local(2025, 4, 6, 1, 45), DstMark::repeated},
                     {utc(2025, 4, 6, 14, 30), local(2025, 4, 7, 1, 0)}});
    }

    // ------------------------------------------------------------ Pacific/Apia
    // Samoa skipped 2011-12-30 entirely: 2011-12-29 24:00 -10:00 became
    // 2011-12-31 00:00 +14:00 at 2011-12-30T10:00Z.

    TEST_CASE("Pacific/Apia: a fixed time on the skipped day fires once at the jump") {
        check_fires("0 12 * * *", "Pacific/Apia", utc(2011, 12, 29),
                    {{utc(2011, 12, 29, 22, 0), local(2011, 12, 29, 12, 0)},
                     {utc(2011, 12, 30, 10, 0), local(2011, 12, 30, 12, 0), DstMark::moved},
                     {utc(2011, 12, 30, 22, 0), local(2011, 12, 31, 12, 0)}});
        check_fires("0 12 * * *", "Pacific/Apia", utc(2011, 12, 29),
                    {{utc(2011, 12, 29, 22, 0), local(2011, 12, 29, 12, 0)},
                     {utc(2011, 12, 30, 22, 0), local(2011, 12, 31, 12, 0)}},
                    k_gap_skip);
        // A wildcard job has no fire on the missing day.
        check_fires("0 */12 * * *", "Pacific/Apia", utc(2011, 12, 29, 20),
                    {{utc(2011, 12, 29, 22, 0), local(2011, 12, 29, 12, 0)},
                     {utc(2011, 12, 30, 10, 0), local(2011, 12, 31, 0, 0)}});
    }
}

// ------------------------------------------------------------ property tests

namespace {

// Allowed values of the five fields, computed here from the generated text
// pieces (not from cron::Expression), plus the day-rule flags.
struct Fields {
    std::string text;
    std::uint64_t minute = 0; // bit m
    std::uint64_t hour = 0;   // bit h
    std::uint64_t dom = 0;    // bit d, 1-31
    std::uint64_t month = 0;  // bit m, 1-12
    std::uint64_t dow = 0;    // bit w, 0 = Sunday .. 6
    bool dom_star = false;
    bool dow_star = false;

    static bool has(std::uint64_t bits, unsigned v) { return (bits >> v) & 1U; }

    bool day_matches(unsigned mo, unsigned d, unsigned wd) const {
        if (!has(month, mo))
            return false;
        const bool a = has(dom, d);
        const bool b = has(dow, wd);
        return (dom_star || dow_star) ? (a && b) : (a || b);
    }

    // Some calendar day can match: only the AND rule can rule every day out
    // (each month/day pair falls on each weekday in some year).
    bool can_fire() const {
        if (!(dom_star || dow_star))
            return true;
        static const unsigned k_max_day[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        for (unsigned mo = 1; mo <= 12; ++mo)
            for (unsigned d = 1; d <= k_max_day[mo]; ++d)
                if (has(month, mo) && has(dom, d))
                    return true;
        return false;
    }
};

struct FieldKind {
    int min;
    int max;                  // the largest value written: 7 for day-of-week
    const char* const* names; // names[v - min] for v in [min, min + name_count)
    int name_count;
    bool weekday;
};

const char* const k_month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};
const char* const k_day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const FieldKind k_minute{0, 59, nullptr, 0, false};
const FieldKind k_hour{0, 23, nullptr, 0, false};
const FieldKind k_dom{1, 31, nullptr, 0, false};
const FieldKind k_month{1, 12, k_month_names, 12, false};
const FieldKind k_dow{0, 7, k_day_names, 7, true};

class Generator {
public:
    explicit Generator(std::uint32_t seed) : m_rng(seed) {}

    int below(int n) { return static_cast<int>(m_rng() % static_cast<std::uint32_t>(n)); }
    int between(int lo, int hi) { return lo + below(hi - lo + 1); }
    bool chance(int percent) { return below(100) < percent; }
    std::int64_t between64(std::int64_t lo, std::int64_t hi) {
        std::uint64_t r = (std::uint64_t{m_rng()} << 32) | m_rng();
        return lo + static_cast<std::int64_t>(r % static_cast<std::uint64_t>(hi - lo + 1));
    }

    // A value as text: a number, or sometimes a name in random case. Weekday
    // 7 has no name of its own: "sun" is 0, which means the same only as a
    // single value or as the end of a range without a step.
    std::string value_text(const FieldKind& k, int v, bool allow_name) {
        int index = k.weekday && v == 7 ? 0 : v - k.min;
        if (allow_name && k.names && index < k.name_count && chance(50)) {
            std::string n = k.names[index];
            for (char& c : n)
                if (chance(50))
                    c = static_cast<char>(c - 'a' + 'A');
            return n;
        }
        return std::to_string(v);
    }

    // One list element; sets its values into `bits`.
    std::string element(const FieldKind& k, std::uint64_t& bits) {
        const int span = k.max - k.min + 1;
        auto set = [&](int lo, int hi, int step) {
            for (int v = lo; v <= hi; v += step)
                bits |= std::uint64_t{1} << (k.weekday && v == 7 ? 0 : v);
        };
        const int star_hi = k.weekday ? 6 : k.max; // '*' in day-of-week is 0-6
        switch (below(k.weekday ? 7 : 6)) {
        case 0:
            set(k.min, star_hi, 1);
            return "*";
        case 1: {
            int s = between(1, span + 3);
            set(k.min, star_hi, s);
            return "*/" + std::to_string(s);
        }
        case 2: {
            int v = between(k.min, k.max);
            set(v, v, 1);
            return value_text(k, v, true);
        }
        case 3: {
            int a = between(k.min, k.max), b = between(k.min, k.max);
            if (a > b)
                std::swap(a, b);
            set(a, b, 1);
            // "0-sun" is 0-0, Sunday only: name 7 only when the range wraps.
            return value_text(k, a, a != 7) + "-" + value_text(k, b, b != 7 || a != 0);
        }
        case 4: {
            int a = between(k.min, k.max), b = between(k.min, k.max);
            if (a > b)
                std::swap(a, b);
            int s = between(1, span);
            set(a, b, s);
            return value_text(k, a, a != 7) + "-" + value_text(k, b, b != 7) + "/" +
                   std::to_string(s);
        }
        case 5: {
            int a = between(k.min, k.max);
            int s = between(1, span);
            set(a, k.max, s); // n/s means n-MAX/s
            return value_text(k, a, a != 7) + "/" + std::to_string(s);
        }
        default: {
            // Day-of-week range ending in Sunday (0): runs up to Sunday.
            int a = between(1, 6);
            set(a, 7, 1);
            return value_text(k, a, true) + "-" + value_text(k, 0, true);
        }
        }
    }

    std::string field(const FieldKind& k, std::uint64_t& bits, int star_percent) {
        if (chance(star_percent)) {
            bits = 0;
            for (int v = k.min; v <= (k.weekday ? 6 : k.max); ++v)
                bits |= std::uint64_t{1} << v;
            return "*";
        }
        std::string text;
        const int n = chance(30) ? between(2, 3) : 1;
        for (int i = 0; i < n; ++i) {
            if (i)
                text += ",";
            text += element(k, bits);
        }
        return text;
    }

    // A random expression; with `hour` set, a fixed-time one whose hour
    // field is that hour, perhaps with others.
    Fields expression(std::optional<int> hour = std::nullopt) {
        Fields f;
        std::string hour_text;
        if (hour) {
            hour_text = std::to_string(*hour);
            f.hour = std::uint64_t{1} << *hour;
            if (chance(30)) {
                const int other = below(24);
                hour_text += "," + std::to_string(other);
                f.hour |= std::uint64_t{1} << other;
            }
        } else {
            hour_text = field(k_hour, f.hour, 25);
        }
        const int day_star = hour ? 75 : 0; // keep the transition day likely
        const std::string parts[5] = {
            field(k_minute, f.minute, 15),
            hour_text,
            field(k_dom, f.dom, std::max(55, day_star)),
            field(k_month, f.month, std::max(65, day_star)),
            field(k_dow, f.dow, std::max(60, day_star)),
        };
        f.dom_star = parts[2].front() == '*';
        f.dow_star = parts[4].front() == '*';
        f.text = parts[0] + " " + parts[1] + " " + parts[2] + " " + parts[3] + " " + parts[4];
        return f;
    }

    // An instant in 1970-2100, sometimes on a whole minute.
    time::Instant instant() {
        auto t = time::from_unix(between64(0, time::to_unix(utc(2100, 12, 31, 23, 59))));
        if (chance(40))
            t = time::floor_minute(t);
        return t;
    }

private:
    std::mt19937 m_rng;
};

struct Civil {
    unsigned month, day, weekday, hour, minute;
};

Civil civil_of(time::LocalTime lt) {
    const auto day = chr::floor<chr::days>(lt);
    const chr::year_month_day ymd{day};
    const chr::weekday wd{day};
    const chr::hh_mm_ss hms{chr::floor<chr::minutes>(lt - day)};
    return {unsigned(ymd.month()), unsigned(ymd.day()), wd.c_encoding(),
            unsigned(hms.hours().count()), unsigned(hms.minutes().count())};
}

bool matches(const Fields& f, time::LocalTime lt) {
    const Civil c = civil_of(lt);
    return f.day_matches(c.month, c.day, c.weekday) && Fields::has(f.hour, c.hour) &&
           Fields::has(f.minute, c.minute);
}

// The first wall-clock minute strictly after `from` that matches, looking
// no further than `limit` ahead; nullopt if none. Every minute of a matching
// day is tried; days whose date does not match are passed over whole.
std::optional<time::LocalTime> brute_next(const Fields& f, time::LocalTime from, chr::days limit) {
    const time::LocalTime end = from + limit;
    time::LocalTime m = chr::floor<chr::minutes>(from) + chr::minutes{1};
    while (m < end) {
        const auto day = chr::floor<chr::days>(m);
        const chr::year_month_day ymd{day};
        if (!f.day_matches(unsigned(ymd.month()), unsigned(ymd.day()),
                           chr::weekday{day}.c_encoding())) {
            m = day + chr::days{1};
            continue;
        }
        for (const time::LocalTime next_day = day + chr::days{1}; m < next_day && m < end;
             m += chr::minutes{1}) {
            if (matches(f, m))
                return m;
        }
    }
    return std::nullopt;
}

time::LocalTime as_local(time::Instant t, time::Duration offset = time::Duration{0}) {
    return time::LocalTime{t.time_since_epoch() + offset};
}

// Expressions generated per property test (about 1.5 s for all of them in
// a Release build).
constexpr int k_expressions = 10000;
constexpr auto k_brute_limit = chr::days{4 * 366};

} // namespace

TEST_SUITE("cron::next") {

    TEST_CASE("property: generated expressions parse unless they can never fire") {
        Generator gen(20250309);
        int parsed = 0;
        for (int i = 0; i < k_expressions; ++i) {
            const Fields f = gen.expression();
            auto e = cron::parse(f.text);
            INFO("expression: ", f.text, ", error: ", e.ok() ? std::string() : e.error());
            CHECK(e.ok() == f.can_fire());
            if (!e.ok())
                continue;
            ++parsed;
            CHECK(e->dom_star == f.dom_star);
            CHECK(e->dow_star == f.dow_star);
        }
        CHECK(parsed > k_expressions * 9 / 10);
    }

    TEST_CASE("property: next_after is strictly after the instant in every zone and policy") {
        const time::Zone zones[] = {
            time::Zone::utc(),        zone("America/New_York"), zone("Europe/London"),
            zone("Europe/Berlin"),    zone("Australia/Sydney"), zone("Australia/Lord_Howe"),
            zone("America/St_Johns"), zone("Pacific/Chatham"),  zone("America/Santiago"),
            zone("Asia/Kolkata"),
        };
        const DstPolicy policies[] = {
            {}, k_gap_skip, k_overlap_twice, {GapPolicy::skip, OverlapPolicy::twice}};
        Generator gen(1883);
        int checked = 0;
        for (int i = 0; i < k_expressions; ++i) {
            const Fields f = gen.expression();
            auto e = cron::parse(f.text);
            if (!e)
                continue;
            for (int j = 0; j < 4; ++j) {
                const auto& z = zones[gen.below(10)];
                const auto policy = policies[gen.below(4)];
                time::Instant t = gen.instant();
                // Follow a short chain: each fire is strictly after the last.
                for (int k = 0; k < 3; ++k) {
                    auto r = cron::next_after(*e, z, t, policy);
                    INFO("expression: ", f.text, " in ", z.name(), " after ",
                         time::format_iso_utc(t));
                    if (!r)
                        break;
                    ++checked;
                    CHECK(r->at > t);
                    t = r->at;
                }
            }
        }
        CHECK(checked > k_expressions * 4);
    }

    TEST_CASE("property: in UTC the result matches and no earlier minute does") {
        Generator gen(19700101);
        int exact = 0;
        for (int i = 0; i < k_expressions; ++i) {
            const Fields f = gen.expression();
            auto e = cron::parse(f.text);
            if (!e)
                continue;
            for (int j = 0; j < 3; ++j) {
                const time::Instant t = gen.instant();
                INFO("expression: ", f.text, " after ", time::format_iso_utc(t));
                auto r = cron::next_after(*e, time::Zone::utc(), t);
                REQUIRE(r.has_value());
                CHECK(r->at > t);
                CHECK(r->at == time::floor_minute(r->at));
                CHECK(matches(f, as_local(r->at)));
                CHECK(r->wall == as_local(r->at));
                CHECK(r->mark == DstMark::none);
                const auto expected = brute_next(f, as_local(t), k_brute_limit);
                if (expected) {
                    ++exact;
                    CHECK(time::format_local(as_local(r->at)) == time::format_local(*expected));
                    // next_local_match agrees from a wall-clock start too.
                    auto m = cron::next_local_match(*e, as_local(t) + time::Duration{1});
                    REQUIRE(m.has_value());
                    CHECK(*m == *expected);
                } else {
                    CHECK(as_local(r->at) >= as_local(t) + k_brute_limit);
                }
            }
        }
        CHECK(exact > k_expressions * 2);
    }

    TEST_CASE("property: in DST zones, away from transitions, the result is the next local "
              "match") {
        const time::Zone zones[] = {zone("Europe/Berlin"), zone("America/New_York"),
                                    zone("Australia/Sydney"), zone("Australia/Lord_Howe")};
        const DstPolicy policies[] = {{}, k_gap_skip, k_overlap_twice};
        const auto margin = chr::days{2};
        Generator gen(20251102);
        int exact = 0;
        for (int i = 0; i < k_expressions; ++i) {
            const Fields f = gen.expression();
            auto e = cron::parse(f.text);
            if (!e)
                continue;
            for (int j = 0; j < 3; ++j) {
                const auto& z = zones[gen.below(4)];
                const time::Instant t = gen.instant();
                const auto off = z.offset_at(t + time::Duration{1});
                const auto expected = brute_next(f, as_local(t, off.offset), k_brute_limit);
                // Only when the days of t and of the expected fire, and all
                // between, lie inside one interval of constant offset.
                if (!expected || t - off.begin < margin ||
                    off.end - margin <= time::Instant{expected->time_since_epoch() - off.offset})
                    continue;
                ++exact;
                const time::Instant want{expected->time_since_epoch() - off.offset};
                INFO("expression: ", f.text, " in ", z.name(), " after ", time::format_iso_utc(t),
                     ", expected ", time::format_iso_utc(want));
                auto r = cron::next_after(*e, z, t, policies[gen.below(3)]);
                REQUIRE(r.has_value());
                CHECK(time::format_iso_utc(r->at) == time::format_iso_utc(want));
                CHECK(z.offset_at(r->at).offset == off.offset);
                CHECK(matches(f, z.to_local(r->at)));
                CHECK(r->wall == *expected);
                CHECK(r->mark == DstMark::none);
            }
        }
        CHECK(exact > k_expressions);
    }

    TEST_CASE("property: around zone transitions the fires are exactly cronie's rule applied to "
              "each wall-clock match") {
        // The expected fires, from the wall-clock matches and Zone::resolve:
        // wildcard jobs fire at every real minute whose reading matches;
        // fixed-time jobs fire at a unique reading's instant, at the first
        // pass of a repeated one (and the second with overlap twice), and at
        // the instant after a gap for a skipped one (gap run; fires landing
        // on the same instant are one fire, the earliest wall time).
        const time::Zone zones[] = {
            zone("America/New_York"), zone("Europe/London"),       zone("Europe/Berlin"),
            zone("Australia/Sydney"), zone("Australia/Lord_Howe"), zone("America/Santiago"),
            zone("America/Havana"),   zone("Pacific/Chatham"),     zone("America/St_Johns"),
            zone("Europe/Moscow"),    zone("Pacific/Apia"),        zone("Antarctica/Troll"),
        };
        constexpr int k_zones = sizeof zones / sizeof zones[0];
        const DstPolicy policies[] = {
            {}, k_gap_skip, k_overlap_twice, {GapPolicy::skip, OverlapPolicy::twice}};
        Generator gen(20111230);
        int cases = 0, fires = 0, moved = 0, repeated = 0;
        for (int i = 0; i < k_expressions / 4; ++i) {
            const auto& z = zones[gen.below(k_zones)];
            const auto policy = policies[gen.below(4)];
            // A transition: the end of the offset interval of a random
            // instant in 1970-2037.
            const auto probe = time::from_unix(gen.between64(0, time::to_unix(utc(2037, 1, 1))));
            const time::Instant transition = z.offset_at(probe).end;
            if (transition >= utc(2100, 1, 1))
                continue; // no transition after the probe
            // Half the expressions are fixed-time in the hour that the
            // transition skips or repeats (read with the offset before it or
            // after it).
            std::optional<int> hour;
            if (gen.chance(50)) {
                const auto offset = gen.chance(50)
                                        ? z.offset_at(transition - time::Duration{1}).offset
                                        : z.offset_at(transition).offset;
                hour = int(civil_of(as_local(transition, offset)).hour);
            }
            const Fields f = gen.expression(hour);
            auto e = cron::parse(f.text);
            if (!e)
                continue;
            time::Instant a = transition - time::Duration{gen.between64(0, 30 * 3600)};
            if (gen.chance(40))
                a = time::floor_minute(a);
            const time::Instant b = transition + chr::hours{30};

            struct Expected {
                time::Instant at;
                time::LocalTime wall;
                DstMark mark;
            };
            std::vector<Expected> want;
            using Kind = time::Zone::Resolved::Kind;
            if (e->wildcard) {
                for (auto u = time::floor_minute(a) + chr::minutes{1}; u <= b;
                     u += chr::minutes{1}) {
                    const auto lt = z.to_local(u);
                    if (matches(f, lt))
                        want.push_back({u, lt,
                                        z.resolve(lt).kind == Kind::overlap ? DstMark::repeated
                                                                            : DstMark::none});
                }
            } else {
                const time::LocalTime from = z.to_local(a) - chr::hours{26};
                const time::LocalTime to = z.to_local(b) + chr::hours{26};
                for (auto w = brute_next(f, from,
                                         to - from < chr::days{1} ? chr::days{1} : chr::days{6});
                     w && *w <= to; w = brute_next(f, *w, chr::days{6})) {
                    const auto r = z.resolve(*w);
                    switch (r.kind) {
                    case Kind::unique:
                        want.push_back({r.first, *w, DstMark::none});
                        break;
                    case Kind::gap:
                        if (policy.gap == GapPolicy::run)
                            want.push_back({r.first, *w, DstMark::moved});
                        break;
                    case Kind::overlap:
                        want.push_back({r.first, *w, DstMark::repeated});
                        if (policy.overlap == OverlapPolicy::twice)
                            want.push_back({r.second, *w, DstMark::repeated});
                        break;
                    }
                }
                std::stable_sort(want.begin(), want.end(), [](const auto& x, const auto& y) {
                    return x.at < y.at || (x.at == y.at && x.wall < y.wall);
                });
                std::vector<Expected> kept;
                for (const auto& x : want)
                    if (x.at > a && x.at <= b && (kept.empty() || kept.back().at != x.at))
                        kept.push_back(x);
                want = std::move(kept);
            }

            ++cases;
            time::Instant t = a;
            std::size_t n = 0;
            for (;; ++n) {
                auto r = cron::next_after(*e, z, t, policy);
                const bool past = !r || r->at > b;
                INFO("expression: ", f.text, " in ", z.name(), " from ", time::format_iso_utc(a),
                     " (transition ", time::format_iso_utc(transition), "), policy gap ",
                     std::string(policy.gap == GapPolicy::run ? "run" : "skip"), " overlap ",
                     std::string(policy.overlap == OverlapPolicy::once ? "once" : "twice"),
                     ", fire ", n + 1, ": got ",
                     past ? std::string("none") : time::format_iso_utc(r->at), ", expected ",
                     n < want.size() ? time::format_iso_utc(want[n].at) : std::string("none"));
                if (past || n >= want.size()) {
                    CHECK(past);
                    CHECK(n == want.size());
                    break;
                }
                ++fires;
                moved += r->mark == DstMark::moved;
                repeated += r->mark == DstMark::repeated;
                if (r->at != want[n].at || r->wall != want[n].wall || r->mark != want[n].mark) {
                    CHECK(time::format_iso_utc(r->at) == time::format_iso_utc(want[n].at));
                    CHECK(time::format_local(r->wall) == time::format_local(want[n].wall));
                    CHECK(std::string(mark_name(r->mark)) == mark_name(want[n].mark));
                    break;
                }
                t = r->at;
            }
        }
        CHECK(cases > k_expressions / 5);
        CHECK(moved > 30);
        CHECK(repeated > 1000);
    }
}
