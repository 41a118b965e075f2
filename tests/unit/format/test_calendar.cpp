// format::calendar: cron fields for other crons, systemd OnCalendar= values
// and --every grids as cron expressions. The rewritten expressions are
// checked by firing them: they must fire at the same instants as the
// original (cronie's rules, cron::next_after).

#include "../support/time_helpers.hpp"

#include <schedule/cron/next.hpp>
#include <schedule/format/calendar.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace schedule;
using schedule::test::utc;

namespace {

cron::Expression parsed(const std::string& text) {
    auto e = cron::parse(text);
    INFO("expression: " << text);
    REQUIRE(e.ok());
    return *e;
}

std::vector<time::Instant> fires(const cron::Expression& e, time::Instant from, int count) {
    std::vector<time::Instant> out;
    for (int i = 0; i < count; ++i) {
        auto f = cron::next_after(e, time::Zone::utc(), from);
        REQUIRE(f);
        out.push_back(f->at);
        from = f->at;
    }
    return out;
}

} // namespace

TEST_SUITE("format::calendar") {

    TEST_CASE("the day rule follows cronie") {
        using format::DayRule;
        CHECK(format::day_rule(parsed("0 0 * * *")) == DayRule::every_day);
        CHECK(format::day_rule(parsed("0 0 1,15 * *")) == DayRule::day_of_month);
        CHECK(format::day_rule(parsed("0 0 * * MON")) == DayRule::day_of_week);
        CHECK(format::day_rule(parsed("0 0 1,15 * MON")) == DayRule::either);
        CHECK(format::day_rule(parsed("0 0 */2 * MON")) == DayRule::both);
        CHECK(format::day_rule(parsed("0 0 1 * */2")) == DayRule::both);
        CHECK(format::day_rule(parsed("0 0 */2 * *")) == DayRule::day_of_month);
        // OR with a field that matches every day: every day.
        CHECK(format::day_rule(parsed("0 0 1-31 * MON")) == DayRule::every_day);
        CHECK(format::day_rule(parsed("0 0 1 * 0-6")) == DayRule::every_day);
    }

    TEST_CASE("portable cron uses numbers, plain ranges and steps") {
        CHECK(format::portable_cron(parsed("*/15 9-17 * * MON-FRI")) == "*/15 9-17 * * 1-5");
        CHECK(format::portable_cron(parsed("5/15 * * * *")) == "5-59/15 * * * *");
        CHECK(format::portable_cron(parsed("0 0 * * SAT-SUN")) == "0 0 * * 0,6");
        CHECK(format::portable_cron(parsed("0 0 * * 7")) == "0 0 * * 0");
        CHECK(format::portable_cron(parsed("@hourly")) == "0 * * * *");
        CHECK(format::portable_cron(parsed("@monthly")) == "0 0 1 * *");
        CHECK(format::portable_cron(parsed("0 12 1,15 JAN,JUL MON")) == "0 12 1,15 1,7 1");
        CHECK(format::portable_cron(parsed("0 0 1-31 * MON")) == "0 0 * * *");
        CHECK(format::portable_cron(parsed("0 0 */2 * *")) == "0 0 1-31/2 * *");
        CHECK_FALSE(format::portable_cron(parsed("0 0 */2 * MON")));
        CHECK_FALSE(format::portable_cron(parsed("@reboot")));
    }

    TEST_CASE("portable cron fires when the original fires") {
        for (const char* text :
             {"*/7 * * * *", "5/15 3-5 * * *", "0 0 1,15 * MON", "30 2 */3 FEB-APR *",
              "0 9 * * 6-0", "0 0 1-31 * MON", "0 12 * * 1-5/2", "1,2,3,10-20/5 0 29 2 *",
              "@weekly", "0 0 */2 * *"}) {
            auto original = cron::parse(text);
            if (!original)
                continue; // not an expression this parser takes
            INFO("expression: " << text);
            auto portable = format::portable_cron(*original);
            REQUIRE(portable);
            INFO("portable: " << *portable);
            auto from = utc(2026, 1, 1);
            CHECK(fires(parsed(*portable), from, 400) == fires(*original, from, 400));
        }
    }

    TEST_CASE("OnCalendar values carry the zone and split cron's OR rule in two") {
        CHECK(format::on_calendar(parsed("30 2 * * *"), "Europe/Berlin") ==
              std::vector<std::string>{"*-*-* 02:30:00 Europe/Berlin"});
        CHECK(format::on_calendar(parsed("*/15 9-17 * * MON-FRI"), "UTC") ==
              std::vector<std::string>{"Mon..Fri *-*-* 09..17:00/15:00 UTC"});
        CHECK(format::on_calendar(parsed("0 12 1,15 * MON"), "Asia/Kolkata") ==
              std::vector<std::string>{"*-*-01,15 12:00:00 Asia/Kolkata",
                                       "Mon *-*-* 12:00:00 Asia/Kolkata"});
        CHECK(format::on_calendar(parsed("0 0 */2 * MON"), "UTC") ==
              std::vector<std::string>{"Mon *-*-01/2 00:00:00 UTC"});
        CHECK(format::on_calendar(parsed("0 0 * * SAT,SUN"), "UTC") ==
              std::vector<std::string>{"Sat,Sun *-*-* 00:00:00 UTC"});
        CHECK(format::on_calendar(parsed("5 4 1 JAN-MAR,DEC *"), "UTC") ==
              std::vector<std::string>{"*-01..03,12-01 04:05:00 UTC"});
        CHECK(format::on_calendar(parsed("@reboot"), "UTC").empty());
    }

    TEST_CASE("an --every grid is a UTC cron expression when one fires at its instants") {
        using std::chrono::hours;
        using std::chrono::minutes;
        const auto anchor = utc(2026, 6, 1, 10, 3); // a Monday
        CHECK(format::every_as_utc_cron(minutes(1), anchor) == "* * * * *");
        CHECK(format::every_as_utc_cron(minutes(15), anchor) == "3-59/15 * * * *");
        CHECK(format::every_as_utc_cron(minutes(15), utc(2026, 6, 1, 10, 0)) == "*/15 * * * *");
        CHECK(format::every_as_utc_cron(minutes(60), anchor) == "3 * * * *");
        CHECK(format::every_as_utc_cron(hours(2), anchor) == "3 */2 * * *");
        CHECK(format::every_as_utc_cron(hours(8), utc(2026, 6, 1, 13, 0)) == "0 5-23/8 * * *");
        CHECK(format::every_as_utc_cron(hours(24), anchor) == "3 10 * * *");
        CHECK(format::every_as_utc_cron(hours(24 * 7), anchor) == "3 10 * * 1");
        CHECK_FALSE(format::every_as_utc_cron(minutes(7), anchor));
        CHECK_FALSE(format::every_as_utc_cron(minutes(90), anchor));
        CHECK_FALSE(format::every_as_utc_cron(hours(5), anchor));
        CHECK_FALSE(format::every_as_utc_cron(hours(48), anchor));
        CHECK_FALSE(format::every_as_utc_cron(minutes(15), anchor + std::chrono::seconds(30)));
    }

    TEST_CASE("the grid's cron expression fires at the grid's instants") {
        const auto anchor = utc(2026, 3, 7, 22, 41);
        for (int m : {1, 2, 5, 12, 20, 30, 60, 120, 180, 360, 720, 1440, 10080}) {
            INFO("every " << m << " minutes");
            auto text = format::every_as_utc_cron(std::chrono::minutes(m), anchor);
            REQUIRE(text);
            std::vector<time::Instant> grid;
            for (int k = 1; k <= 50; ++k)
                grid.push_back(anchor + std::chrono::minutes(m) * k);
            CHECK(fires(parsed(*text), anchor, 50) == grid);
        }
    }
}
