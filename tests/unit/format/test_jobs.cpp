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
}
