// format::JobsJson: the job list written a job at a time is the same text
// as the whole list written at once.

#include <schedule/format/jobs.hpp>
#include <schedule/time/zone.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace schedule;

namespace {

model::Job job_named(const std::string& id, const std::string& name, const std::string& zone) {
    model::Job j;
    j.id = id;
    j.name = name;
    j.timezone = zone;
    j.command = "true";
    j.trigger.type = model::TriggerType::cron;
    j.trigger.expression = "0 3 * * *";
    j.next_execution = time::from_unix(1767236400); // 2026-01-01T03:00:00Z
    return j;
}

} // namespace

TEST_SUITE("format::jobs") {

    TEST_CASE("no jobs is an empty array") {
        CHECK(format::jobs_json({}, format::Style{}) == "[]\n");
        format::JobsJson json{format::Style{}};
        json.finish();
        CHECK(json.take() == "[]\n");
    }

    TEST_CASE("jobs written one at a time and taken in pieces make the whole array") {
        std::vector<model::Job> jobs = {job_named("0000000a", "a", "UTC"),
                                        job_named("0000000b", "b", "Europe/Berlin"),
                                        job_named("0000000c", "c", "UTC")};
        format::Style style;
        auto whole = format::jobs_json(jobs, style);
        format::JobsJson json(style);
        std::string pieces;
        for (const auto& j : jobs) {
            json.add(j);
            CHECK(json.pending() > 0);
            pieces += json.take();
            CHECK(json.pending() == 0);
        }
        json.finish();
        pieces += json.take();
        CHECK(pieces == whole);
        auto parsed = nlohmann::ordered_json::parse(whole);
        REQUIRE(parsed.size() == 3);
        CHECK(parsed[1]["name"] == "b");
        // each job in its own zone
        CHECK(parsed[0]["next_execution"] == "2026-01-01T03:00:00+00:00");
        CHECK(parsed[1]["next_execution"] == "2026-01-01T04:00:00+01:00");
        // one job per line
        CHECK(std::count(whole.begin(), whole.end(), '\n') == 5);
    }

    TEST_CASE("on a terminal the job table has a column of each job's recent runs") {
        std::vector<model::Job> jobs = {job_named("0000000a", "a", "UTC"),
                                        job_named("0000000b", "b", "UTC")};
        model::RecentRuns recent;
        recent["0000000a"] = {{model::ExecutionStatus::completed, 5},
                              {model::ExecutionStatus::failed, 7},
                              {model::ExecutionStatus::completed, 5}};
        format::Style style;
        style.now = time::from_unix(1767225600); // 2026-01-01T00:00:00Z
        auto plain = format::jobs_table(jobs, style);
        CHECK(
            plain ==
            "ID        NAME  STATUS  SCHEDULE        NEXT RUN                  LAST  PRIORITY\n"
            "0000000a  a     active  cron 0 3 * * *  2026-01-01 03:00 (in 3h)  -     normal (50)\n"
            "0000000b  b     active  cron 0 3 * * *  2026-01-01 03:00 (in 3h)  -     normal "
            "(50)\n");
        CHECK(format::jobs_table(jobs, style, &recent) ==
              "ID        NAME  STATUS  SCHEDULE        NEXT RUN                  LAST  RECENT  "
              "PRIORITY\n"
              "0000000a  a     active  cron 0 3 * * *  2026-01-01 03:00 (in 3h)  -     +x+     "
              "normal (50)\n"
              "0000000b  b     active  cron 0 3 * * *  2026-01-01 03:00 (in 3h)  -     -       "
              "normal (50)\n");
        style.color = true;
        auto coloured = format::jobs_table(jobs, style, &recent);
        CHECK(coloured.find("\033[32m\u25cf\033[0m\033[31m\u25cf\033[0m\033[32m\u25cf\033[0m  ") !=
              std::string::npos);
    }
}
