// Triggers as users write them: --cron, --daily, --weekly, --monthly,
// --every and --jitter, the per-job jitter delay, and the short description
// shown in tables.

#include "../support/time_helpers.hpp"

#include <schedule/model/job.hpp>
#include <schedule/model/trigger.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

using namespace schedule;
namespace chr = std::chrono;

using schedule::test::utc;
using schedule::test::zone;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Checks that `r` failed with a reason containing `why`.
template <class T> void check_error(const util::Result<T>& r, const std::string& why) {
    REQUIRE_FALSE(r.ok());
    INFO("error: ", r.error());
    CHECK(contains(r.error(), why));
}

} // namespace

TEST_SUITE("model::trigger") {

    // -------------------------------------------------------------------- cron

    TEST_CASE("parse_cron_trigger keeps the expression with its spacing normalised") {
        auto t = model::parse_cron_trigger("  0   3 * *\t* ");
        REQUIRE(t.ok());
        CHECK(t->type == model::TriggerType::cron);
        CHECK(t->expression == "0 3 * * *");
        CHECK(t->cron_expression() == std::optional<std::string>("0 3 * * *"));
    }

    TEST_CASE("parse_cron_trigger keeps macros in lower case, @reboot as a reboot trigger") {
        auto daily = model::parse_cron_trigger("@Daily");
        REQUIRE(daily.ok());
        CHECK(daily->type == model::TriggerType::cron);
        CHECK(daily->expression == "@daily");
        auto reboot = model::parse_cron_trigger("@REBOOT");
        REQUIRE(reboot.ok());
        CHECK(reboot->type == model::TriggerType::reboot);
        CHECK(reboot->expression == "@reboot");
    }

    TEST_CASE("parse_cron_trigger passes on the cron parser's reason") {
        check_error(model::parse_cron_trigger("60 * * * *"),
                    "minute field: 60 is out of range 0-59");
        check_error(model::parse_cron_trigger("0 * * * * *"), "seconds are not supported");
        check_error(model::parse_cron_trigger("0 0 30 2 *"), "never fires");
    }

    // ------------------------------------------------------------------- daily

    TEST_CASE("parse_daily normalises the time to HH:MM and compiles it to cron") {
        struct Case {
            const char* in;
            const char* spec;
            const char* expression;
        };
        for (auto c : {Case{"09:30", "09:30", "30 9 * * *"}, Case{"9:30", "09:30", "30 9 * * *"},
                       Case{"00:00", "00:00", "0 0 * * *"}, Case{"23:59", "23:59", "59 23 * * *"},
                       Case{" 7:05 ", "07:05", "5 7 * * *"}}) {
            CAPTURE(c.in);
            auto t = model::parse_daily(c.in);
            REQUIRE(t.ok());
            CHECK(t->type == model::TriggerType::daily);
            CHECK(t->spec == c.spec);
            CHECK(t->expression == c.expression);
            CHECK(t->cron_expression() == std::optional<std::string>(c.expression));
        }
    }

    TEST_CASE("parse_daily rejects hours and minutes out of range") {
        check_error(model::parse_daily("24:00"), "hour 24 is out of range 0-23");
        check_error(model::parse_daily("99:00"), "hour 99 is out of range 0-23");
        check_error(model::parse_daily("12:60"), "minute 60 is out of range 0-59");
    }

    TEST_CASE("parse_daily rejects text that is not HH:MM") {
        for (const char* bad : {"", "930", "9.30", "9:3", ":30", "9:", "123:00", "09:30:00",
                                "ab:cd", "-1:30", "9:30pm", "09:030"}) {
            CAPTURE(bad);
            check_error(model::parse_daily(bad), "is not a time of day (expected HH:MM");
        }
    }

    // ------------------------------------------------------------------ weekly

    TEST_CASE("parse_weekly normalises days to upper-case names and compiles to cron") {
        struct Case {
            const char* in;
            const char* spec;
            const char* expression;
        };
        for (auto c : {Case{"MON@09:30", "MON@09:30", "30 9 * * MON"},
                       Case{"monday,thu@9:05", "MON,THU@09:05", "5 9 * * MON,THU"},
                       Case{"Wednesday@08:00", "WED@08:00", "0 8 * * WED"},
                       Case{"mon, fri@18:00", "MON,FRI@18:00", "0 18 * * MON,FRI"},
                       Case{"0@10:00", "SUN@10:00", "0 10 * * SUN"},
                       Case{"7@10:00", "SUN@10:00", "0 10 * * SUN"},
                       Case{"1,6@00:00", "MON,SAT@00:00", "0 0 * * MON,SAT"},
                       Case{" sunday@23:59 ", "SUN@23:59", "59 23 * * SUN"}}) {
            CAPTURE(c.in);
            auto t = model::parse_weekly(c.in);
            REQUIRE(t.ok());
            CHECK(t->type == model::TriggerType::weekly);
            CHECK(t->spec == c.spec);
            CHECK(t->expression == c.expression);
        }
    }

    TEST_CASE("parse_weekly errors name what is wrong") {
        check_error(model::parse_weekly("MON 09:30"), "must be DAY@HH:MM, e.g. MON@09:30");
        check_error(model::parse_weekly("@09:30"), "the day is missing");
        check_error(model::parse_weekly("MON@25:00"), "hour 25 is out of range 0-23");
        check_error(model::parse_weekly("MON@9"), "is not a time of day");
        check_error(model::parse_weekly("FUNDAY@09:00"),
                    "\"FUNDAY\" is not a weekday (use MON-SUN or 0-7)");
        check_error(model::parse_weekly("8@09:00"), "\"8\" is not a weekday");
        check_error(model::parse_weekly("MO@09:00"), "\"MO\" is not a weekday");
        check_error(model::parse_weekly("MON,,TUE@09:00"), "\"\" is not a weekday");
    }

    // ----------------------------------------------------------------- monthly

    TEST_CASE("parse_monthly normalises days and time and compiles to cron") {
        struct Case {
            const char* in;
            const char* spec;
            const char* expression;
        };
        for (auto c : {Case{"15@09:30", "15@09:30", "30 9 15 * *"},
                       Case{"1,15@9:00", "1,15@09:00", "0 9 1,15 * *"},
                       Case{"01@09:00", "1@09:00", "0 9 1 * *"},
                       Case{"31@23:59", "31@23:59", "59 23 31 * *"},
                       Case{"1, 31@00:00", "1,31@00:00", "0 0 1,31 * *"}}) {
            CAPTURE(c.in);
            auto t = model::parse_monthly(c.in);
            REQUIRE(t.ok());
            CHECK(t->type == model::TriggerType::monthly);
            CHECK(t->spec == c.spec);
            CHECK(t->expression == c.expression);
        }
    }

    TEST_CASE("parse_monthly errors name what is wrong") {
        check_error(model::parse_monthly("15 09:30"), "must be DAY@HH:MM, e.g. 15@09:30");
        check_error(model::parse_monthly("@09:30"), "the day is missing");
        check_error(model::parse_monthly("15@09:61"), "minute 61 is out of range 0-59");
        check_error(model::parse_monthly("15@noon"), "is not a time of day");
        for (const char* day : {"0", "32", "x", "-1", "MON"}) {
            CAPTURE(day);
            check_error(model::parse_monthly(std::string(day) + "@09:00"),
                        "\"" + std::string(day) + "\" is not a day of the month (use 1-31)");
        }
        check_error(model::parse_monthly("1,,2@09:00"), "\"\" is not a day of the month");
    }

    // ------------------------------------------------------------------- every

    TEST_CASE("parse_every accepts whole minutes of at least one minute") {
        struct Case {
            const char* in;
            long long seconds;
        };
        for (auto c : {Case{"1m", 60}, Case{"15m", 900}, Case{"1h30m", 5400}, Case{"2h", 7200},
                       Case{"1d", 86400}, Case{"1w", 604800}, Case{"60", 60}, Case{"120", 120}}) {
            CAPTURE(c.in);
            auto d = model::parse_every(c.in);
            REQUIRE(d.ok());
            CHECK(d->count() == c.seconds);
        }
    }

    TEST_CASE("parse_every rejects less than a minute and parts of minutes") {
        for (const char* bad : {"30s", "90s", "1m30s", "59", "0", "0m", "61"}) {
            CAPTURE(bad);
            check_error(model::parse_every(bad), "must be whole minutes, at least 1m");
        }
    }

    TEST_CASE("parse_every rejects text that is not a duration") {
        for (const char* bad : {"", "abc", "-5m", "5x", "m"}) {
            CAPTURE(bad);
            REQUIRE_FALSE(model::parse_every(bad).ok());
            CHECK_FALSE(model::parse_every(bad).error().empty());
        }
    }

    // ------------------------------------------------------------------ jitter

    TEST_CASE("parse_jitter accepts durations from 0s to 1d") {
        struct Case {
            const char* in;
            long long seconds;
        };
        for (auto c :
             {Case{"0s", 0}, Case{"0", 0}, Case{"30s", 30}, Case{"90s", 90}, Case{"15m", 900},
              Case{"1h", 3600}, Case{"1d", 86400}, Case{"24h", 86400}, Case{"86400", 86400}}) {
            CAPTURE(c.in);
            auto d = model::parse_jitter(c.in);
            REQUIRE(d.ok());
            CHECK(d->count() == c.seconds);
        }
    }

    TEST_CASE("parse_jitter rejects more than a day") {
        for (const char* bad : {"1d1s", "86401", "25h", "2d", "1w"}) {
            CAPTURE(bad);
            check_error(model::parse_jitter(bad), "is longer than 1d");
        }
    }

    TEST_CASE("parse_jitter rejects text that is not a duration") {
        for (const char* bad : {"", "abc", "-5m", "5x"}) {
            CAPTURE(bad);
            REQUIRE_FALSE(model::parse_jitter(bad).ok());
            CHECK_FALSE(model::parse_jitter(bad).error().empty());
        }
    }

    TEST_CASE("jitter_offset is deterministic for an id") {
        const time::Duration d{3600};
        const std::string id = "0a1b2c3d";
        CHECK(model::jitter_offset(id, d) == model::jitter_offset(std::string("0a1b") + "2c3d", d));
        CHECK(model::jitter_offset("5e6f7a8b", d) == model::jitter_offset("5e6f7a8b", d));
        CHECK(model::jitter_offset("0a1b2c3d", d) != model::jitter_offset("5e6f7a8b", d));
    }

    TEST_CASE("jitter_offset is 0 without jitter and below the jitter otherwise") {
        CHECK(model::jitter_offset("0a1b2c3d", time::Duration{0}) == time::Duration{0});
        CHECK(model::jitter_offset("0a1b2c3d", time::Duration{-60}) == time::Duration{0});
        CHECK(model::jitter_offset("0a1b2c3d", time::Duration{1}) == time::Duration{0});
        for (long long d : {2LL, 7LL, 60LL, 3600LL, 86400LL}) {
            for (const char* id : {"0a1b2c3d", "5e6f7a8b", "deadbeef", "00000000", "ffffffff"}) {
                CAPTURE(d);
                CAPTURE(id);
                auto o = model::jitter_offset(id, time::Duration{d});
                CHECK(o >= time::Duration{0});
                CHECK(o < time::Duration{d});
            }
        }
    }

    TEST_CASE("jitter_offset spreads many ids across the whole range") {
        const time::Duration d{86400};
        std::set<long long> distinct;
        int buckets[10] = {};
        long long sum = 0;
        const int n = 1000;
        for (int i = 0; i < n; ++i) {
            char id[9];
            std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(i)); // sequential ids
            const auto o = model::jitter_offset(id, d).count();
            REQUIRE(o >= 0);
            REQUIRE(o < d.count());
            distinct.insert(o);
            ++buckets[o * 10 / d.count()];
            sum += o;
        }
        CHECK(distinct.size() >= 980);
        for (int b = 0; b < 10; ++b) {
            CAPTURE(b);
            CHECK(buckets[b] >= 60); // 100 expected in each tenth
        }
        const double mean = double(sum) / n / double(d.count());
        CHECK(mean > 0.4);
        CHECK(mean < 0.6);
    }

    // ---------------------------------------------------------------- describe

    TEST_CASE("describe names cron-backed triggers with their text") {
        const auto z = time::Zone::utc();
        CHECK(model::describe(*model::parse_cron_trigger("0 3 * * *"), z) == "cron 0 3 * * *");
        CHECK(model::describe(*model::parse_cron_trigger("@reboot"), z) == "@reboot");
        CHECK(model::describe(*model::parse_daily("9:30"), z) == "daily at 09:30");
        CHECK(model::describe(*model::parse_weekly("mon,thu@9:30"), z) == "weekly MON,THU@09:30");
        CHECK(model::describe(*model::parse_monthly("15@09:30"), z) == "monthly 15@09:30");
    }

    TEST_CASE("describe shows every with its duration and its anchor in the zone") {
        model::Trigger t;
        t.type = model::TriggerType::every;
        t.every = chr::minutes{15};
        CHECK(model::describe(t, time::Zone::utc()) == "every 15m");
        t.every = chr::minutes{90};
        CHECK(model::describe(t, time::Zone::utc()) == "every 1h30m");
        t.anchor = utc(2026, 1, 1, 10, 0);
        // 10:00Z is 05:00 in New York (EST).
        CHECK(model::describe(t, zone("America/New_York")) == "every 1h30m from 2026-01-01 05:00");
    }

    TEST_CASE("describe shows a one-shot time in the zone") {
        model::Trigger t;
        t.type = model::TriggerType::at;
        t.at = utc(2026, 12, 25, 10, 0);
        // 10:00Z is 11:00 in Berlin (CET).
        const auto text = model::describe(t, zone("Europe/Berlin"));
        INFO("describe: ", text);
        CHECK(ends_with(text, "at 2026-12-25 11:00"));
    }

    TEST_CASE("describe names manual and --after triggers") {
        model::Trigger t;
        CHECK(model::describe(t, time::Zone::utc()) == "manual");
        t.type = model::TriggerType::after;
        CHECK(model::describe(t, time::Zone::utc()) == "after another job");
    }
}
