// plan::next_fire and plan::next_fires: every trigger type of a job, its
// jitter, its start and end dates and its DST policies.

#include "../support/time_helpers.hpp"

#include <schedule/model/job.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/time/iso8601.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

using namespace schedule;
namespace chr = std::chrono;

using schedule::test::local;
using schedule::test::utc;
using schedule::test::zone;

namespace {

model::Trigger trigger(util::Result<model::Trigger> r) {
    INFO("error: ", r.ok() ? std::string() : r.error());
    REQUIRE(r.ok());
    return *r;
}

model::Trigger every(time::Duration step, time::Instant anchor) {
    model::Trigger t;
    t.type = model::TriggerType::every;
    t.every = step;
    t.anchor = anchor;
    return t;
}

model::Trigger at(time::Instant when) {
    model::Trigger t;
    t.type = model::TriggerType::at;
    t.at = when;
    return t;
}

model::Job job(model::Trigger t, const char* tz = "UTC", std::string id = "0a1b2c3d") {
    model::Job j;
    j.id = std::move(id);
    j.name = "backup";
    j.command = "true";
    j.trigger = std::move(t);
    j.timezone = tz;
    return j;
}

std::string iso(time::Instant t) {
    return time::format_iso_utc(t);
}

// The fire instants (jitter included) of the first `count` fires after `after`.
std::vector<std::string> fire_times(const model::Job& j, time::Instant after, std::size_t count) {
    std::vector<std::string> out;
    for (const auto& f : plan::next_fires(j, zone(j.timezone.c_str()), after, count))
        out.push_back(iso(f.at));
    return out;
}

std::vector<std::string> isos(std::initializer_list<time::Instant> ts) {
    std::vector<std::string> out;
    for (auto t : ts)
        out.push_back(iso(t));
    return out;
}

const time::Duration k_hour{3600};

} // namespace

TEST_SUITE("plan::fires") {

    // ---------------------------------------------------------------- triggers

    TEST_CASE("a cron trigger fires on its expression in the job's zone") {
        auto j = job(trigger(model::parse_cron_trigger("30 9 * * 1-5")), "Europe/Berlin");
        // From Friday 2025-06-06 noon: Monday and Tuesday 09:30 CEST (+02:00).
        auto fires = plan::next_fires(j, zone("Europe/Berlin"), utc(2025, 6, 6, 12), 2);
        REQUIRE(fires.size() == 2);
        CHECK(iso(fires[0].at) == iso(utc(2025, 6, 9, 7, 30)));
        CHECK(fires[0].scheduled == fires[0].at);
        CHECK(fires[0].wall == local(2025, 6, 9, 9, 30));
        CHECK(fires[0].mark == cron::DstMark::none);
        CHECK(iso(fires[1].at) == iso(utc(2025, 6, 10, 7, 30)));
    }

    TEST_CASE("a daily trigger fires every day at its wall-clock time") {
        auto j = job(trigger(model::parse_daily("9:30")), "America/New_York");
        // EST (-05:00) in January.
        CHECK(fire_times(j, utc(2025, 1, 1), 3) ==
              isos({utc(2025, 1, 1, 14, 30), utc(2025, 1, 2, 14, 30), utc(2025, 1, 3, 14, 30)}));
    }

    TEST_CASE("a weekly trigger fires on its days only") {
        auto j = job(trigger(model::parse_weekly("MON,THU@09:30")));
        // 2025-06-01 is a Sunday.
        CHECK(fire_times(j, utc(2025, 6, 1), 4) ==
              isos({utc(2025, 6, 2, 9, 30), utc(2025, 6, 5, 9, 30), utc(2025, 6, 9, 9, 30),
                    utc(2025, 6, 12, 9, 30)}));
    }

    TEST_CASE("a monthly trigger fires on its days of the month") {
        auto j = job(trigger(model::parse_monthly("1,15@00:00")));
        CHECK(fire_times(j, utc(2025, 6, 1), 3) ==
              isos({utc(2025, 6, 15), utc(2025, 7, 1), utc(2025, 7, 15)}));
    }

    TEST_CASE("a monthly trigger on the 31st skips the months without one") {
        auto j = job(trigger(model::parse_monthly("31@09:00")));
        CHECK(fire_times(j, utc(2025, 1, 1), 8) ==
              isos({utc(2025, 1, 31, 9), utc(2025, 3, 31, 9), utc(2025, 5, 31, 9),
                    utc(2025, 7, 31, 9), utc(2025, 8, 31, 9), utc(2025, 10, 31, 9),
                    utc(2025, 12, 31, 9), utc(2026, 1, 31, 9)}));
    }

    TEST_CASE("every: the anchor itself is a fire when it is after the given instant") {
        auto j = job(every(chr::minutes{15}, utc(2025, 1, 1, 0, 0)));
        CHECK(fire_times(j, utc(2024, 12, 31, 23, 59), 3) ==
              isos({utc(2025, 1, 1, 0, 0), utc(2025, 1, 1, 0, 15), utc(2025, 1, 1, 0, 30)}));
        // At the anchor exactly, the anchor is not after it.
        CHECK(fire_times(j, utc(2025, 1, 1, 0, 0), 1) == isos({utc(2025, 1, 1, 0, 15)}));
    }

    TEST_CASE("every: an anchor in the past gives the next step after the given instant") {
        auto j = job(every(chr::minutes{15}, utc(2025, 1, 1, 0, 0)));
        CHECK(fire_times(j, utc(2025, 1, 1, 0, 7, 30), 1) == isos({utc(2025, 1, 1, 0, 15)}));
        CHECK(fire_times(j, utc(2025, 1, 1, 0, 15), 1) == isos({utc(2025, 1, 1, 0, 30)}));
        // Steps stay on the anchor's grid years later: minutes 07, 22, 37, 52.
        auto old = job(every(chr::minutes{15}, utc(2020, 1, 1, 0, 7)));
        CHECK(fire_times(old, utc(2025, 6, 1, 12, 0), 2) ==
              isos({utc(2025, 6, 1, 12, 7), utc(2025, 6, 1, 12, 22)}));
        auto ninety = job(every(chr::minutes{90}, utc(2025, 1, 1, 0, 0)));
        CHECK(fire_times(ninety, utc(2025, 1, 1, 2, 0), 2) ==
              isos({utc(2025, 1, 1, 3, 0), utc(2025, 1, 1, 4, 30)}));
    }

    TEST_CASE("every: an anchor in the future is the first fire") {
        auto j = job(every(chr::minutes{15}, utc(2030, 1, 1, 9, 0)));
        CHECK(fire_times(j, utc(2025, 6, 1), 2) ==
              isos({utc(2030, 1, 1, 9, 0), utc(2030, 1, 1, 9, 15)}));
    }

    TEST_CASE("every: steps are real durations and the wall time follows the zone") {
        // One day after 09:00 EST is 10:00 EDT across the spring-forward.
        auto j = job(every(chr::hours{24}, utc(2025, 3, 8, 14, 0)), "America/New_York");
        auto f = plan::next_fire(j, zone("America/New_York"), utc(2025, 3, 8, 14, 0));
        REQUIRE(f);
        CHECK(iso(f->at) == iso(utc(2025, 3, 9, 14, 0)));
        CHECK(f->wall == local(2025, 3, 9, 10, 0));
        CHECK(f->mark == cron::DstMark::none);
    }

    TEST_CASE("at: fires once, then nothing") {
        auto j = job(at(utc(2026, 12, 25, 10, 0)), "Europe/Berlin");
        const auto z = zone("Europe/Berlin");
        auto fires = plan::next_fires(j, z, utc(2026, 1, 1), 5);
        REQUIRE(fires.size() == 1);
        CHECK(iso(fires[0].at) == iso(utc(2026, 12, 25, 10, 0)));
        CHECK(fires[0].wall == local(2026, 12, 25, 11, 0));
        CHECK_FALSE(plan::next_fire(j, z, utc(2026, 12, 25, 10, 0)));
        CHECK_FALSE(plan::next_fire(j, z, utc(2027, 1, 1)));
    }

    TEST_CASE("manual, @reboot and --after jobs have no calendar fires") {
        model::Trigger after;
        after.type = model::TriggerType::after;
        for (const auto& t :
             {model::Trigger{}, trigger(model::parse_cron_trigger("@reboot")), after}) {
            CAPTURE(model::to_string(t.type));
            auto j = job(t);
            CHECK_FALSE(plan::next_fire(j, time::Zone::utc(), utc(2025, 1, 1)));
            CHECK(plan::next_fires(j, time::Zone::utc(), utc(2025, 1, 1), 5).empty());
        }
    }

    TEST_CASE("next_fires gives at most count fires, in increasing order") {
        auto j = job(trigger(model::parse_cron_trigger("*/7 * * * *")));
        CHECK(plan::next_fires(j, time::Zone::utc(), utc(2025, 1, 1), 0).empty());
        auto fires = plan::next_fires(j, time::Zone::utc(), utc(2025, 1, 1), 20);
        REQUIRE(fires.size() == 20);
        for (std::size_t i = 1; i < fires.size(); ++i)
            CHECK(fires[i - 1].at < fires[i].at);
        // The step restarts each hour: :56 is followed by :00.
        CHECK(iso(fires[7].at) == iso(utc(2025, 1, 1, 0, 56)));
        CHECK(iso(fires[8].at) == iso(utc(2025, 1, 1, 1, 0)));
    }

    // ------------------------------------------------------------------ jitter

    TEST_CASE("jitter: the same delay is added to every fire") {
        auto j = job(trigger(model::parse_daily("09:30")));
        j.jitter = k_hour;
        const auto d = model::jitter_offset(j.id, j.jitter);
        REQUIRE(d > time::Duration{60}); // this id gives 21m21s
        auto fires = plan::next_fires(j, time::Zone::utc(), utc(2025, 6, 1), 5);
        REQUIRE(fires.size() == 5);
        for (int i = 0; i < 5; ++i) {
            CAPTURE(i);
            CHECK(iso(fires[i].scheduled) == iso(utc(2025, 6, 1 + i, 9, 30)));
            CHECK(fires[i].at - fires[i].scheduled == d);
            CHECK(fires[i].wall == local(2025, 6, 1 + i, 9, 30));
        }
    }

    TEST_CASE("jitter: the delay is stable per job id and differs between ids") {
        auto a = job(trigger(model::parse_daily("09:30")), "UTC", "0a1b2c3d");
        a.jitter = k_hour;
        auto same = a;
        same.name = "another name";
        same.trigger = trigger(model::parse_cron_trigger("30 9 * * *"));
        auto other = a;
        other.id = "5e6f7a8b";
        const auto after = utc(2025, 6, 1);
        auto fa = plan::next_fire(a, time::Zone::utc(), after);
        auto fs = plan::next_fire(same, time::Zone::utc(), after);
        auto fo = plan::next_fire(other, time::Zone::utc(), after);
        REQUIRE(fa);
        REQUIRE(fs);
        REQUIRE(fo);
        CHECK(fa->at == fs->at);
        CHECK(fa->scheduled == fo->scheduled);
        CHECK(fa->at != fo->at);
        CHECK(plan::next_fire(a, time::Zone::utc(), after)->at == fa->at);
    }

    TEST_CASE("jitter: the delay is at least 0 and below D for many ids") {
        const time::Duration d{600};
        for (int i = 0; i < 300; ++i) {
            char id[9];
            std::snprintf(id, sizeof id, "%08x", static_cast<unsigned>(i * 2654435761U));
            auto j = job(trigger(model::parse_cron_trigger("0 * * * *")), "UTC", id);
            j.jitter = d;
            auto f = plan::next_fire(j, time::Zone::utc(), utc(2025, 6, 1, 0, 30));
            REQUIRE(f);
            CAPTURE(id);
            CHECK(iso(f->scheduled) == iso(utc(2025, 6, 1, 1, 0)));
            CHECK(f->at >= f->scheduled);
            CHECK(f->at - f->scheduled < d);
            CHECK(f->at - f->scheduled == model::jitter_offset(id, d));
        }
    }

    TEST_CASE("jitter: a fire whose scheduled time passed but whose delayed time did not is "
              "still next") {
        auto j = job(trigger(model::parse_daily("09:30")));
        j.jitter = k_hour;
        const auto d = model::jitter_offset(j.id, j.jitter);
        const auto s = utc(2025, 6, 1, 9, 30);
        for (auto after : {s - time::Duration{1}, s, s + d - time::Duration{1}}) {
            CAPTURE(iso(after));
            auto f = plan::next_fire(j, time::Zone::utc(), after);
            REQUIRE(f);
            CHECK(iso(f->at) == iso(s + d));
        }
        auto f = plan::next_fire(j, time::Zone::utc(), s + d);
        REQUIRE(f);
        CHECK(iso(f->at) == iso(utc(2025, 6, 2, 9, 30) + d));
    }

    TEST_CASE("jitter: next_fire is strictly after the given instant and skips no fire") {
        auto j = job(trigger(model::parse_cron_trigger("0 */6 * * *")));
        j.jitter = chr::hours{5};
        const auto d = model::jitter_offset(j.id, j.jitter);
        REQUIRE(d > time::Duration{0});
        for (auto after = utc(2025, 6, 1); after < utc(2025, 6, 3); after += time::Duration{421}) {
            CAPTURE(iso(after));
            auto f = plan::next_fire(j, time::Zone::utc(), after);
            REQUIRE(f);
            CHECK(f->at > after);
            // The fires are the 6-hourly instants plus d: the first one after
            // `after` is at most six hours on.
            CHECK(f->at - after <= chr::hours{6});
            CHECK((f->at - d - utc(2025, 1, 1)) % chr::hours{6} == time::Duration{0});
        }
    }

    TEST_CASE("jitter: applies to every and at triggers too") {
        auto e = job(every(chr::minutes{30}, utc(2025, 1, 1)));
        e.jitter = chr::minutes{10};
        const auto de = model::jitter_offset(e.id, e.jitter);
        CHECK(fire_times(e, utc(2025, 1, 1, 0, 10), 2) ==
              isos({utc(2025, 1, 1, 0, 30) + de, utc(2025, 1, 1, 1, 0) + de}));

        auto o = job(at(utc(2026, 12, 25, 10, 0)));
        o.jitter = k_hour;
        const auto d = model::jitter_offset(o.id, o.jitter);
        CHECK(fire_times(o, utc(2026, 12, 25, 10, 0), 3) == isos({utc(2026, 12, 25, 10, 0) + d}));
        CHECK(fire_times(o, utc(2026, 12, 25, 10, 0) + d, 3).empty());
    }

    TEST_CASE("jitter: no jitter means the scheduled instant") {
        auto j = job(trigger(model::parse_daily("09:30")));
        auto f = plan::next_fire(j, time::Zone::utc(), utc(2025, 6, 1));
        REQUIRE(f);
        CHECK(f->at == f->scheduled);
    }

    // --------------------------------------------------------- start and end

    TEST_CASE("start_date: fires before it are passed over, a fire exactly at it is included") {
        auto j = job(trigger(model::parse_daily("09:30")));
        j.start_date = utc(2025, 6, 10, 9, 30);
        CHECK(fire_times(j, utc(2025, 6, 1), 2) ==
              isos({utc(2025, 6, 10, 9, 30), utc(2025, 6, 11, 9, 30)}));
        j.start_date = utc(2025, 6, 10, 9, 31);
        CHECK(fire_times(j, utc(2025, 6, 1), 1) == isos({utc(2025, 6, 11, 9, 30)}));
        // A start date in the past changes nothing.
        j.start_date = utc(2025, 1, 1);
        CHECK(fire_times(j, utc(2025, 6, 1), 1) == isos({utc(2025, 6, 1, 9, 30)}));
    }

    TEST_CASE("start_date applies to every and at triggers") {
        auto e = job(every(k_hour, utc(2025, 1, 1)));
        e.start_date = utc(2025, 1, 1, 5, 30);
        CHECK(fire_times(e, utc(2025, 1, 1), 2) ==
              isos({utc(2025, 1, 1, 6, 0), utc(2025, 1, 1, 7, 0)}));
        auto o = job(at(utc(2026, 12, 25, 10, 0)));
        o.start_date = utc(2027, 1, 1);
        CHECK_FALSE(plan::next_fire(o, time::Zone::utc(), utc(2026, 1, 1)));
    }

    TEST_CASE("end_date: nothing fires after it") {
        auto j = job(trigger(model::parse_daily("09:30")));
        j.end_date = utc(2025, 6, 12, 9, 30);
        CHECK(fire_times(j, utc(2025, 6, 10), 10) ==
              isos({utc(2025, 6, 10, 9, 30), utc(2025, 6, 11, 9, 30), utc(2025, 6, 12, 9, 30)}));
        CHECK_FALSE(plan::next_fire(j, time::Zone::utc(), utc(2025, 6, 12, 9, 30)));
        j.end_date = utc(2025, 6, 12, 9, 29);
        CHECK(fire_times(j, utc(2025, 6, 10), 10) ==
              isos({utc(2025, 6, 10, 9, 30), utc(2025, 6, 11, 9, 30)}));
        // An end date before the start date: nothing at all.
        j.start_date = utc(2025, 7, 1);
        CHECK(fire_times(j, utc(2025, 6, 1), 10).empty());
    }

    TEST_CASE("the supported range ends the fires and fires before it are passed over") {
        // Kiritimati is 14 h ahead: its last supported instant is 09:59:59Z.
        auto j = job(trigger(model::parse_cron_trigger("* * * * *")), "Pacific/Kiritimati");
        CHECK(fire_times(j, utc(9999, 12, 31, 9, 57), 5) ==
              isos({utc(9999, 12, 31, 9, 58), utc(9999, 12, 31, 9, 59)}));
        CHECK_FALSE(plan::next_fire(j, zone("Pacific/Kiritimati"), utc(9999, 12, 31, 9, 59)));
        // in UTC, the year 10000 is not reached either
        auto u = job(trigger(model::parse_cron_trigger("0 0 * * *")));
        CHECK(fire_times(u, utc(9999, 12, 30, 12), 5) == isos({utc(9999, 12, 31)}));
        // a jittered fire past the end is dropped with its scheduled instant in range
        auto jittered = job(trigger(model::parse_cron_trigger("59 23 * * *")));
        jittered.jitter = time::Duration{3600};
        if (model::jitter_offset(jittered.id, jittered.jitter) > time::Duration{0})
            CHECK_FALSE(plan::next_fire(jittered, zone("UTC"), utc(9999, 12, 31, 12)));
        // before the start: New York's range starts at its local 1970-01-01T00:00
        auto ny = job(trigger(model::parse_cron_trigger("*/30 * * * *")), "America/New_York");
        CHECK(fire_times(ny, utc(1969, 12, 31, 10), 2) ==
              isos({utc(1970, 1, 1, 5), utc(1970, 1, 1, 5, 30)}));
        auto hourly = job(every(k_hour, utc(1970, 1, 1)));
        CHECK(fire_times(hourly, utc(1969, 12, 31, 10), 1) == isos({utc(1970, 1, 1)}));
    }

    TEST_CASE("end_date stops every triggers") {
        auto e = job(every(chr::minutes{20}, utc(2025, 1, 1)));
        e.end_date = utc(2025, 1, 1, 1, 0);
        CHECK(fire_times(e, utc(2025, 1, 1, 0, 10), 10) ==
              isos({utc(2025, 1, 1, 0, 20), utc(2025, 1, 1, 0, 40), utc(2025, 1, 1, 1, 0)}));
    }

    // ------------------------------------------------------------- DST policy
    // America/New_York: 2025-03-09 02:00 EST -> 03:00 EDT at 07:00Z;
    // 2025-11-02 02:00 EDT -> 01:00 EST at 06:00Z.

    TEST_CASE("dst_gap run (default): a daily time in the gap fires once after the gap, marked "
              "moved") {
        auto j = job(trigger(model::parse_daily("02:30")), "America/New_York");
        auto fires = plan::next_fires(j, zone("America/New_York"), utc(2025, 3, 8, 12), 2);
        REQUIRE(fires.size() == 2);
        CHECK(iso(fires[0].at) == iso(utc(2025, 3, 9, 7, 0)));
        CHECK(fires[0].wall == local(2025, 3, 9, 2, 30));
        CHECK(fires[0].mark == cron::DstMark::moved);
        CHECK(iso(fires[1].at) == iso(utc(2025, 3, 10, 6, 30)));
        CHECK(fires[1].mark == cron::DstMark::none);
    }

    TEST_CASE("dst_gap skip: a daily time in the gap does not fire that day") {
        auto j = job(trigger(model::parse_daily("02:30")), "America/New_York");
        j.dst_gap = model::DstGap::skip;
        CHECK(fire_times(j, utc(2025, 3, 8, 12), 1) == isos({utc(2025, 3, 10, 6, 30)}));
    }

    TEST_CASE("dst_overlap once (default) and twice for a daily time in the repeated hour") {
        auto j = job(trigger(model::parse_daily("01:30")), "America/New_York");
        const auto z = zone("America/New_York");
        auto once = plan::next_fires(j, z, utc(2025, 11, 1, 12), 2);
        REQUIRE(once.size() == 2);
        CHECK(iso(once[0].at) == iso(utc(2025, 11, 2, 5, 30)));
        CHECK(once[0].mark == cron::DstMark::repeated);
        CHECK(iso(once[1].at) == iso(utc(2025, 11, 3, 6, 30)));

        j.dst_overlap = model::DstOverlap::twice;
        auto twice = plan::next_fires(j, z, utc(2025, 11, 1, 12), 3);
        REQUIRE(twice.size() == 3);
        CHECK(iso(twice[0].at) == iso(utc(2025, 11, 2, 5, 30)));
        CHECK(iso(twice[1].at) == iso(utc(2025, 11, 2, 6, 30)));
        CHECK(twice[1].wall == local(2025, 11, 2, 1, 30));
        CHECK(twice[1].mark == cron::DstMark::repeated);
        CHECK(iso(twice[2].at) == iso(utc(2025, 11, 3, 6, 30)));
    }

    TEST_CASE("DST policies do not change wildcard cron jobs") {
        auto j = job(trigger(model::parse_cron_trigger("0 * * * *")), "America/New_York");
        j.dst_gap = model::DstGap::skip;
        j.dst_overlap = model::DstOverlap::once;
        // Both passes of 01:00 on 2025-11-02.
        CHECK(fire_times(j, utc(2025, 11, 2, 4, 30), 3) ==
              isos({utc(2025, 11, 2, 5, 0), utc(2025, 11, 2, 6, 0), utc(2025, 11, 2, 7, 0)}));
    }

    TEST_CASE("jitter is added to a fire that DST moved") {
        auto j = job(trigger(model::parse_daily("02:30")), "America/New_York");
        j.jitter = k_hour;
        const auto d = model::jitter_offset(j.id, j.jitter);
        auto f = plan::next_fire(j, zone("America/New_York"), utc(2025, 3, 8, 12));
        REQUIRE(f);
        CHECK(iso(f->scheduled) == iso(utc(2025, 3, 9, 7, 0)));
        CHECK(iso(f->at) == iso(utc(2025, 3, 9, 7, 0) + d));
        CHECK(f->mark == cron::DstMark::moved);
    }

    TEST_CASE("next_runs: the runs a job's windows let start") {
        // Every 4 hours from Friday 2026-12-04 00:00 in New York, allowed
        // Mon-Fri 09:00-18:00.
        auto j = job(every(chr::hours(4), utc(2026, 12, 4, 5)), "America/New_York");
        j.windows = {*model::parse_window("Mon-Fri 09:00-18:00")};
        const auto z = zone("America/New_York");
        const auto from = utc(2026, 12, 5, 0, 30); // Friday 19:30 EST
        auto text = [&](const std::vector<plan::Fire>& fires) {
            std::vector<std::string> out;
            for (const auto& f : fires)
                out.push_back(time::format_iso(f.at, z) +
                              (f.waited_from ? " from " + time::format_iso(*f.waited_from, z)
                                             : std::string()));
            return out;
        };
        SUBCASE("given wait, a fire outside starts when the next window opens, once") {
            CHECK(text(plan::next_runs(j, z, from, 4)) ==
                  std::vector<std::string>{
                      "2026-12-07T09:00:00-05:00 from 2026-12-04T20:00:00-05:00",
                      "2026-12-07T12:00:00-05:00", "2026-12-07T16:00:00-05:00",
                      "2026-12-08T09:00:00-05:00 from 2026-12-07T20:00:00-05:00"});
        }
        SUBCASE("given skip, fires outside are left out") {
            j.outside_window = model::OutsideWindow::skip;
            CHECK(text(plan::next_runs(j, z, from, 3)) ==
                  std::vector<std::string>{"2026-12-07T12:00:00-05:00", "2026-12-07T16:00:00-05:00",
                                           "2026-12-08T12:00:00-05:00"});
        }
        SUBCASE("given skip and no fire ever inside, the search ends with none") {
            j.outside_window = model::OutsideWindow::skip;
            j.windows = {*model::parse_window("Mon-Fri 09:30-10:00")};
            CHECK(plan::next_runs(j, z, from, 3).empty());
        }
        SUBCASE("given no windows, the fires themselves") {
            j.windows.clear();
            CHECK(
                text(plan::next_runs(j, z, from, 2)) ==
                std::vector<std::string>{"2026-12-04T20:00:00-05:00", "2026-12-05T00:00:00-05:00"});
        }
    }
}
