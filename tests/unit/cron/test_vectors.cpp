// The public cron vectors (tests/vectors, kept as published): every case of
// cron_next.jsonl must give exactly the listed instants.

#include <schedule/cron/next.hpp>
#include <schedule/time/iso8601.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

using namespace schedule;

TEST_SUITE("cron::vectors") {

    TEST_CASE("cron_next.jsonl: every vector gives exactly the listed instants") {
        std::ifstream in(std::string(SCHEDULE_VECTORS_DIR) + "/cron_next.jsonl");
        REQUIRE(in.good());
        std::string line;
        int total = 0, passed = 0;
        while (std::getline(in, line)) {
            if (line.empty())
                continue;
            auto v = nlohmann::json::parse(line);
            ++total;
            const std::string id = v["id"];
            const std::string expr = v["expr"];
            INFO(id << ": " << expr << " in " << v["tz"].get<std::string>() << " after "
                    << v["start"].get<std::string>() << " (" << v["note"].get<std::string>()
                    << ")");
            auto parsed = cron::parse(expr);
            const auto& expected = v["next"];
            if (expected.empty()) {
                CHECK_FALSE(parsed.ok());
                passed += !parsed.ok();
                continue;
            }
            REQUIRE(parsed.ok());
            auto zone = time::Zone::locate(v["tz"].get<std::string>());
            REQUIRE(zone.ok());
            auto start = time::parse_instant(v["start"].get<std::string>(), time::Zone::utc());
            REQUIRE(start.ok());
            std::vector<std::string> got;
            time::Instant t = *start;
            for (std::size_t i = 0; i < expected.size(); ++i) {
                auto f = cron::next_after(*parsed, *zone, t);
                if (!f)
                    break;
                got.push_back(time::format_iso_utc(f->at));
                t = f->at;
            }
            std::vector<std::string> want = expected.get<std::vector<std::string>>();
            CHECK(got == want);
            passed += got == want;
        }
        MESSAGE("cron_next.jsonl: " << passed << " of " << total << " vectors pass");
        CHECK(total >= 196);
    }

    TEST_CASE("cron_invalid.jsonl: every expression is rejected with a reason") {
        std::ifstream in(std::string(SCHEDULE_VECTORS_DIR) + "/cron_invalid.jsonl");
        REQUIRE(in.good());
        std::string line;
        int total = 0;
        while (std::getline(in, line)) {
            if (line.empty())
                continue;
            auto v = nlohmann::json::parse(line);
            ++total;
            auto r = cron::parse(v["expr"].get<std::string>());
            INFO(v["why"].get<std::string>());
            REQUIRE_FALSE(r.ok());
            CHECK_FALSE(r.error().empty());
        }
        MESSAGE("cron_invalid.jsonl: " << total << " expressions rejected");
        CHECK(total >= 36);
    }
}
