// plan::plan_catchup: the catch-up policies and the misfire grace
// (--catchup, --misfire-grace; schedule(1), TICK), on jobs whose fires are
// easy to count.

#include "../support/time_helpers.hpp"

#include <schedule/model/trigger.hpp>
#include <schedule/plan/catchup.hpp>
#include <schedule/time/iso8601.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace schedule;
using model::Catchup;
using schedule::test::utc;
using schedule::test::zone;

namespace {

model::Job hourly() {
    model::Job j;
    j.id = "0a1b2c3d";
    j.name = "hourly";
    j.command = "true";
    auto t = model::parse_cron_trigger("0 * * * *");
    REQUIRE(t.ok());
    j.trigger = *t;
    j.timezone = "UTC";
    return j;
}

std::vector<std::string> run_times(const plan::CatchupPlan& p) {
    std::vector<std::string> out;
    for (const auto& r : p.runs)
        out.push_back(time::format_iso_utc(r.fire.scheduled) + (r.missed ? " missed" : ""));
    return out;
}

// The job's stored next run was 10:00; the host was down until 15:00:30.
const auto k_from = utc(2026, 5, 4, 10);
const auto k_now = utc(2026, 5, 4, 15, 0, 30);

} // namespace

TEST_SUITE("plan::catchup") {

    TEST_CASE("latest runs once for all missed instants and coalesces the rest") {
        SUBCASE("given a current fire, it is the one that runs, as scheduled") {
            auto p = plan::plan_catchup(hourly(), zone("UTC"), k_from, k_now, Catchup::latest, {});
            CHECK(run_times(p) == std::vector<std::string>{"2026-05-04T15:00:00Z"});
            CHECK(p.coalesced == 5); // 10:00 .. 14:00
            CHECK(p.expired == 0);
            CHECK_FALSE(p.first_expired);
            REQUIRE(p.next);
            CHECK(p.next->scheduled == utc(2026, 5, 4, 16));
        }
        SUBCASE("given only missed fires, the newest runs as a catch-up") {
            auto now = utc(2026, 5, 4, 14, 30);
            auto p = plan::plan_catchup(hourly(), zone("UTC"), k_from, now, Catchup::latest, {});
            CHECK(run_times(p) == std::vector<std::string>{"2026-05-04T14:00:00Z missed"});
            CHECK(p.coalesced == 4);
        }
    }

    TEST_CASE("all runs each missed instant, oldest first, at most 100") {
        SUBCASE("given five missed and one current fire") {
            auto p = plan::plan_catchup(hourly(), zone("UTC"), k_from, k_now, Catchup::all, {});
            CHECK(run_times(p) == std::vector<std::string>{
                                      "2026-05-04T10:00:00Z missed", "2026-05-04T11:00:00Z missed",
                                      "2026-05-04T12:00:00Z missed", "2026-05-04T13:00:00Z missed",
                                      "2026-05-04T14:00:00Z missed", "2026-05-04T15:00:00Z"});
            CHECK(p.coalesced == 0);
        }
        SUBCASE("given a week of missed hours, the newest 100 run and the rest coalesce") {
            auto from = utc(2026, 4, 27, 15);
            auto p = plan::plan_catchup(hourly(), zone("UTC"), from, k_now, Catchup::all, {});
            // 7 * 24 missed fires and the current one.
            CHECK(p.runs.size() == 101);
            CHECK(p.coalesced == 7 * 24 - 100);
            CHECK(p.runs.front().fire.scheduled == utc(2026, 4, 30, 11));
            CHECK(p.runs.back().fire.scheduled == utc(2026, 5, 4, 15));
        }
    }

    TEST_CASE("none runs only the current instant") {
        auto p = plan::plan_catchup(hourly(), zone("UTC"), k_from, k_now, Catchup::none, {});
        CHECK(run_times(p) == std::vector<std::string>{"2026-05-04T15:00:00Z"});
        CHECK(p.coalesced == 5);
        SUBCASE("given no current fire, nothing runs") {
            auto q = plan::plan_catchup(hourly(), zone("UTC"), k_from, utc(2026, 5, 4, 14, 59),
                                        Catchup::none, {});
            CHECK(q.runs.empty());
            CHECK(q.coalesced == 5);
        }
    }

    TEST_CASE("the misfire grace drops runs that would start too late") {
        SUBCASE("given catch-up all and a 2h grace") {
            auto p = plan::plan_catchup(hourly(), zone("UTC"), k_from, k_now, Catchup::all,
                                        time::Duration{2 * 3600});
            // 13:00 is 2h00m30s late: dropped; 14:00 and 15:00 run.
            CHECK(run_times(p) ==
                  std::vector<std::string>{"2026-05-04T14:00:00Z missed", "2026-05-04T15:00:00Z"});
            CHECK(p.expired == 4);
            CHECK(p.first_expired == utc(2026, 5, 4, 10)); // 10:00 .. 13:00
        }
        SUBCASE("given catch-up latest whose only run is too late") {
            auto now = utc(2026, 5, 4, 14, 30);
            auto p = plan::plan_catchup(hourly(), zone("UTC"), k_from, now, Catchup::latest,
                                        time::Duration{60});
            CHECK(p.runs.empty());
            CHECK(p.expired == 1);
            CHECK(p.first_expired == utc(2026, 5, 4, 14)); // the run, not the first missed
            CHECK(p.coalesced == 4);
        }
    }

    TEST_CASE("nothing is due before the stored next run") {
        auto p =
            plan::plan_catchup(hourly(), zone("UTC"), utc(2026, 5, 4, 16), k_now, Catchup::all, {});
        CHECK(p.runs.empty());
        CHECK(p.coalesced == 0);
        REQUIRE(p.next);
        CHECK(p.next->scheduled == utc(2026, 5, 4, 16));
    }

    TEST_CASE("a fire later in the current minute is due now") {
        // The tick claims runs whose instant falls before the next minute.
        auto j = hourly();
        auto p = plan::plan_catchup(j, zone("UTC"), k_from, utc(2026, 5, 4, 9, 59, 59),
                                    Catchup::latest, {});
        CHECK(p.runs.empty());
        auto q = plan::plan_catchup(j, zone("UTC"), k_from, utc(2026, 5, 4, 10, 0, 0),
                                    Catchup::latest, {});
        CHECK(run_times(q) == std::vector<std::string>{"2026-05-04T10:00:00Z"});
    }
}
