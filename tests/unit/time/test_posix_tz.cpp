// POSIX TZ rules from TZif footers, and zones after the tz database's last
// listed transition (2037), where those rules apply.

#include "../support/time_helpers.hpp"

#include <schedule/time/iso8601.hpp>
#include <schedule/time/posix_tz.hpp>
#include <schedule/time/zone.hpp>

#include <doctest/doctest.h>

#include <filesystem>

using namespace schedule::time;
using schedule::test::local;
using schedule::test::utc;
using schedule::test::zone;

TEST_SUITE("time::posix_tz") {

    TEST_CASE("rules in the forms the tz database uses parse") {
        auto berlin = parse_posix_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        REQUIRE(berlin.ok());
        CHECK(berlin->std_offset == Duration{3600});
        CHECK(berlin->dst_offset == Duration{7200});
        CHECK(berlin->start.month == 3);
        CHECK(berlin->start.week == 5);
        CHECK(berlin->end.time == Duration{3 * 3600});

        auto lord_howe = parse_posix_tz("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
        REQUIRE(lord_howe.ok());
        CHECK(lord_howe->std_abbrev == "+1030");
        CHECK(lord_howe->std_offset == Duration{10 * 3600 + 1800});
        CHECK(lord_howe->dst_offset == Duration{11 * 3600});

        auto dublin = parse_posix_tz("IST-1GMT0,M10.5.0,M3.5.0/1"); // negative daylight saving
        REQUIRE(dublin.ok());
        CHECK(dublin->dst_offset == Duration{0});

        CHECK(parse_posix_tz("IST-2IDT,M3.4.4/26,M10.5.0")->start.time == Duration{26 * 3600});
        CHECK(parse_posix_tz("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")->start.time == Duration{-3600});
        CHECK(parse_posix_tz("EST5EDT,M3.2.0,M11.1.0")->std_offset == Duration{-5 * 3600});
        auto fixed = parse_posix_tz("IST-5:30");
        REQUIRE(fixed.ok());
        CHECK_FALSE(fixed->has_dst);
        CHECK(fixed->std_offset == Duration{5 * 3600 + 1800});
        CHECK_FALSE(parse_posix_tz("J60/2,J300").ok()); // "J" is no abbreviation
        CHECK_FALSE(parse_posix_tz("").ok());
        CHECK_FALSE(parse_posix_tz("EST5EDT").ok()); // a rule-less DST zone is not guessed
        CHECK_FALSE(parse_posix_tz("CET-1CEST,M13.5.0,M10.5.0").ok());
    }

    TEST_CASE("the footer rule gives the same transitions as the listed ones, for every zone") {
        // For 2026-2037 the tz database lists each transition; the rule must
        // reproduce them (this checks both the parser and the date arithmetic).
        int zones = 0, transitions = 0;
        const std::filesystem::path root = "/usr/share/zoneinfo";
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file())
                continue;
            auto name = std::filesystem::relative(entry.path(), root).string();
            if (name.rfind("posix/", 0) == 0 || name.rfind("right/", 0) == 0 ||
                name.find('.') != std::string::npos || name == "posixrules" ||
                name == "localtime" || name == "Factory" || name == "leapseconds")
                continue;
            // Palestine's listed transitions follow Ramadan until 2086; its footer
            // rule applies only after them.
            if (name == "Asia/Gaza" || name == "Asia/Hebron")
                continue;
            auto z = Zone::locate(name);
            auto rule = read_tzif_footer(entry.path().string());
            if (!z || !rule || !rule->has_dst)
                continue;
            ++zones;
            for (int year = 2026; year <= 2037; ++year) {
                for (const auto& tr : rule->transitions(year)) {
                    auto at = z->offset_at(tr.at);
                    auto before = z->offset_at(tr.at - Duration{1});
                    INFO(name << " " << year << " at " << format_iso_utc(tr.at));
                    CHECK(at.begin == tr.at);
                    CHECK(at.offset == tr.offset);
                    CHECK(before.offset != tr.offset);
                    ++transitions;
                }
            }
        }
        MESSAGE(zones << " zones with daylight time, " << transitions << " transitions compared");
        CHECK(zones > 50);
    }

    TEST_CASE("after 2037 zones keep changing as their rule says") {
        auto berlin = zone("Europe/Berlin");
        CHECK(berlin.offset_at(utc(2040, 7, 1)).offset == Duration{7200});
        CHECK(berlin.offset_at(utc(2040, 7, 1)).abbrev == "CEST");
        CHECK(berlin.offset_at(utc(2040, 1, 1)).offset == Duration{3600});
        // 2040-03-25 01:00Z into CEST, 2040-10-28 01:00Z back to CET.
        auto summer = berlin.offset_at(utc(2040, 7, 1));
        CHECK(summer.begin == utc(2040, 3, 25, 1));
        CHECK(summer.end == utc(2040, 10, 28, 1));
        CHECK(berlin.resolve(local(2040, 3, 25, 2, 30)).kind == Zone::Resolved::Kind::gap);
        CHECK(berlin.resolve(local(2040, 3, 25, 2, 30)).first == utc(2040, 3, 25, 1));
        auto overlap = berlin.resolve(local(2040, 10, 28, 2, 30));
        CHECK(overlap.kind == Zone::Resolved::Kind::overlap);
        CHECK(overlap.first == utc(2040, 10, 28, 0, 30));
        CHECK(overlap.second == utc(2040, 10, 28, 1, 30));
        CHECK(berlin.resolve(local(2040, 7, 1, 12)).first == utc(2040, 7, 1, 10));

        // Southern hemisphere, 30-minute shift: Lord Howe 2045-04-02 02:00 -> 01:30.
        auto lord_howe = zone("Australia/Lord_Howe");
        CHECK(lord_howe.offset_at(utc(2045, 4, 1, 14, 59)).offset == Duration{11 * 3600});
        CHECK(lord_howe.offset_at(utc(2045, 4, 1, 15)).offset == Duration{10 * 3600 + 1800});
        // New York 2050-03-13 02:00 EST -> EDT (07:00Z).
        auto ny = zone("America/New_York");
        CHECK(ny.resolve(local(2050, 3, 13, 2, 30)).first == utc(2050, 3, 13, 7));
        // A zone without daylight time stays fixed.
        CHECK(zone("Asia/Kolkata").offset_at(utc(2050, 6, 1)).offset == Duration{5 * 3600 + 1800});
    }
}
