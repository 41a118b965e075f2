#include "../support/time_helpers.hpp"

#include <doctest/doctest.h>

#include <schedule/time/zone.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

using namespace schedule::time;
namespace chr = std::chrono;
using Kind = Zone::Resolved::Kind;

using schedule::test::local;
using schedule::test::utc;
using schedule::test::zone;

namespace {

const std::optional<std::string> none;

} // namespace

TEST_SUITE("time::zone") {

    TEST_CASE("locate finds IANA zones by name") {
        CHECK(zone("America/New_York").name() == "America/New_York");
        CHECK(zone("Europe/London").name() == "Europe/London");
        CHECK(zone("Australia/Lord_Howe").name() == "Australia/Lord_Howe");
        CHECK(zone("America/Argentina/Buenos_Aires").name() == "America/Argentina/Buenos_Aires");
        CHECK(zone("Etc/GMT+5").name() == "Etc/GMT+5");
        CHECK(zone("Etc/GMT-14").name() == "Etc/GMT-14");
        CHECK_FALSE(zone("America/New_York").is_utc());
    }

    TEST_CASE("locate gives the special UTC zone for \"UTC\"") {
        auto z = zone("UTC");
        CHECK(z.is_utc());
        CHECK(z.name() == "UTC");
        CHECK(z == Zone::utc());
    }

    TEST_CASE("locate returns the same handle for the same name") {
        CHECK(zone("Europe/Berlin") == zone("Europe/Berlin"));
        CHECK_FALSE(zone("Europe/Berlin") == zone("Europe/Paris"));
        CHECK_FALSE(zone("Europe/Berlin") == Zone::utc());
    }

    TEST_CASE("locate rejects names that are not zones") {
        SUBCASE("unknown names") {
            for (const char* name : {"Mars/Olympus_Mons", "Europe/Atlantis", "America", "EST5"}) {
                CAPTURE(name);
                auto z = Zone::locate(name);
                REQUIRE_FALSE(z.ok());
                CHECK(z.error().find(std::string("\"") + name + "\"") != std::string::npos);
                CHECK(z.error().find("IANA time zone") != std::string::npos);
            }
        }
        SUBCASE("zone names are case-sensitive") {
            CHECK_FALSE(Zone::locate("Europe/london").ok());
            CHECK_FALSE(Zone::locate("europe/london").ok());
            CHECK_FALSE(Zone::locate("utc").ok());
        }
        SUBCASE("files in the tz directory that are not zones") {
            CHECK_FALSE(Zone::locate("localtime").ok());
            CHECK_FALSE(Zone::locate("posixrules").ok());
        }
        SUBCASE("paths that could escape the tz directory") {
            for (const char* name : {"../x", "../../etc/passwd", "/etc/localtime", "Europe/../UTC",
                                     "..", "America/../../x"}) {
                CAPTURE(name);
                CHECK_FALSE(Zone::locate(name).ok());
            }
        }
        SUBCASE("empty names, white space and odd characters") {
            for (const char* name : {"", " UTC", "UTC ", "Europe/London\n", "Europe London",
                                     "Europe/London;", "Europe\\London"}) {
                CAPTURE(name);
                CHECK_FALSE(Zone::locate(name).ok());
            }
        }
        SUBCASE("POSIX TZ strings are not zone names") {
            CHECK_FALSE(Zone::locate(":Europe/London").ok());
            CHECK_FALSE(Zone::locate("<+03>-3").ok());
        }
    }

    TEST_CASE("resolve finds the unique instant of an ordinary wall-clock time") {
        SUBCASE("in New York in summer and winter") {
            auto ny = zone("America/New_York");
            auto summer = ny.resolve(local(2025, 7, 1, 12, 0));
            CHECK(summer.kind == Kind::unique);
            CHECK(summer.first == utc(2025, 7, 1, 16, 0));
            CHECK(summer.second == summer.first);
            auto winter = ny.resolve(local(2025, 1, 15, 12, 0));
            CHECK(winter.kind == Kind::unique);
            CHECK(winter.first == utc(2025, 1, 15, 17, 0));
        }
        SUBCASE("in UTC") {
            auto r = Zone::utc().resolve(local(2025, 3, 9, 2, 30));
            CHECK(r.kind == Kind::unique);
            CHECK(r.first == utc(2025, 3, 9, 2, 30));
            CHECK(r.second == r.first);
        }
    }

    TEST_CASE("resolve in a spring-forward gap gives the instant of the transition") {
        SUBCASE("America/New_York 2025-03-09 02:30 does not exist") {
            auto r = zone("America/New_York").resolve(local(2025, 3, 9, 2, 30));
            CHECK(r.kind == Kind::gap);
            CHECK(r.first == utc(2025, 3, 9, 7, 0)); // 03:00 EDT
            CHECK(r.second == r.first);
        }
        SUBCASE("the edges of the New York gap") {
            auto ny = zone("America/New_York");
            CHECK(ny.resolve(local(2025, 3, 9, 1, 59, 59)).kind == Kind::unique);
            CHECK(ny.resolve(local(2025, 3, 9, 2, 0)).kind == Kind::gap);
            CHECK(ny.resolve(local(2025, 3, 9, 2, 59, 59)).kind == Kind::gap);
            auto after = ny.resolve(local(2025, 3, 9, 3, 0));
            CHECK(after.kind == Kind::unique);
            CHECK(after.first == utc(2025, 3, 9, 7, 0));
        }
        SUBCASE("Australia/Lord_Howe skips only 30 minutes: 2025-10-05 02:00-02:30") {
            auto lh = zone("Australia/Lord_Howe");
            auto r = lh.resolve(local(2025, 10, 5, 2, 15));
            CHECK(r.kind == Kind::gap);
            CHECK(r.first == utc(2025, 10, 4, 15, 30)); // 02:30 +11
            CHECK(lh.resolve(local(2025, 10, 5, 1, 59)).kind == Kind::unique);
            auto after = lh.resolve(local(2025, 10, 5, 2, 30));
            CHECK(after.kind == Kind::unique);
            CHECK(after.first == utc(2025, 10, 4, 15, 30));
        }
    }

    TEST_CASE("resolve in a fall-back overlap gives both passes, earlier first") {
        SUBCASE("America/New_York 2025-11-02 01:30 happens twice") {
            auto r = zone("America/New_York").resolve(local(2025, 11, 2, 1, 30));
            CHECK(r.kind == Kind::overlap);
            CHECK(r.first == utc(2025, 11, 2, 5, 30));  // 01:30 EDT
            CHECK(r.second == utc(2025, 11, 2, 6, 30)); // 01:30 EST
        }
        SUBCASE("the edges of the New York overlap") {
            auto ny = zone("America/New_York");
            CHECK(ny.resolve(local(2025, 11, 2, 0, 59, 59)).kind == Kind::unique);
            CHECK(ny.resolve(local(2025, 11, 2, 1, 0)).kind == Kind::overlap);
            CHECK(ny.resolve(local(2025, 11, 2, 1, 59, 59)).kind == Kind::overlap);
            auto after = ny.resolve(local(2025, 11, 2, 2, 0));
            CHECK(after.kind == Kind::unique);
            CHECK(after.first == utc(2025, 11, 2, 7, 0));
        }
        SUBCASE("Australia/Lord_Howe repeats only 30 minutes: 2025-04-06 01:30-02:00") {
            auto lh = zone("Australia/Lord_Howe");
            auto r = lh.resolve(local(2025, 4, 6, 1, 45));
            CHECK(r.kind == Kind::overlap);
            CHECK(r.first == utc(2025, 4, 5, 14, 45));  // 01:45 +11
            CHECK(r.second == utc(2025, 4, 5, 15, 15)); // 01:45 +10:30
            CHECK(r.second - r.first == chr::minutes{30});
            CHECK(lh.resolve(local(2025, 4, 6, 1, 29)).kind == Kind::unique);
            CHECK(lh.resolve(local(2025, 4, 6, 2, 0)).kind == Kind::unique);
        }
    }

    TEST_CASE("to_local is the wall-clock reading at an instant") {
        auto ny = zone("America/New_York");
        CHECK(ny.to_local(utc(2025, 7, 1, 16, 0)) == local(2025, 7, 1, 12, 0));
        CHECK(ny.to_local(utc(2025, 11, 2, 5, 30)) == local(2025, 11, 2, 1, 30));
        CHECK(ny.to_local(utc(2025, 11, 2, 6, 30)) == local(2025, 11, 2, 1, 30));
        CHECK(ny.to_local(utc(2025, 3, 9, 7, 0)) == local(2025, 3, 9, 3, 0));
        CHECK(zone("Australia/Lord_Howe").to_local(utc(2025, 7, 1)) == local(2025, 7, 1, 10, 30));
        CHECK(Zone::utc().to_local(utc(2025, 7, 1, 16, 0)) == local(2025, 7, 1, 16, 0));
    }

    TEST_CASE("offset_at gives the offset, abbreviation and its interval") {
        SUBCASE("New York: EST and EDT") {
            auto ny = zone("America/New_York");
            auto winter = ny.offset_at(utc(2025, 1, 15, 12, 0));
            CHECK(winter.offset == chr::hours{-5});
            CHECK(winter.abbrev == "EST");
            auto summer = ny.offset_at(utc(2025, 7, 1, 12, 0));
            CHECK(summer.offset == chr::hours{-4});
            CHECK(summer.abbrev == "EDT");
            CHECK(summer.begin == utc(2025, 3, 9, 7, 0));
            CHECK(summer.end == utc(2025, 11, 2, 6, 0));
        }
        SUBCASE("the interval is half-open at the transition") {
            auto ny = zone("America/New_York");
            CHECK(ny.offset_at(utc(2025, 3, 9, 6, 59, 59)).abbrev == "EST");
            CHECK(ny.offset_at(utc(2025, 3, 9, 7, 0)).abbrev == "EDT");
            CHECK(ny.offset_at(utc(2025, 11, 2, 5, 59, 59)).abbrev == "EDT");
            CHECK(ny.offset_at(utc(2025, 11, 2, 6, 0)).abbrev == "EST");
        }
        SUBCASE("London: GMT and BST") {
            auto london = zone("Europe/London");
            auto winter = london.offset_at(utc(2025, 1, 15));
            CHECK(winter.offset == chr::seconds{0});
            CHECK(winter.abbrev == "GMT");
            auto summer = london.offset_at(utc(2025, 7, 1));
            CHECK(summer.offset == chr::hours{1});
            CHECK(summer.abbrev == "BST");
            CHECK(summer.begin == utc(2025, 3, 30, 1, 0));
            CHECK(summer.end == utc(2025, 10, 26, 1, 0));
        }
        SUBCASE("Lord Howe: half-hour offsets") {
            auto lh = zone("Australia/Lord_Howe");
            CHECK(lh.offset_at(utc(2025, 7, 1)).offset == chr::minutes{10 * 60 + 30});
            CHECK(lh.offset_at(utc(2025, 12, 1)).offset == chr::hours{11});
        }
        SUBCASE("UTC covers all time") {
            auto o = Zone::utc().offset_at(utc(2025, 7, 1));
            CHECK(o.offset == chr::seconds{0});
            CHECK(o.abbrev == "UTC");
            CHECK(o.begin <= utc(1970, 1, 1));
            CHECK(o.end > utc(9999, 12, 31));
        }
        SUBCASE("the instant lies inside the interval it returns") {
            auto t = utc(2025, 11, 2, 6, 30);
            auto o = zone("America/New_York").offset_at(t);
            CHECK(o.begin <= t);
            CHECK(t < o.end);
        }
    }

    TEST_CASE("host_default prefers the configured zone") {
        auto z = Zone::host_default(std::string("Asia/Tokyo"), std::string("Europe/London"));
        CHECK(z.name() == "Asia/Tokyo");
        CHECK(Zone::host_default(std::string("UTC"), std::string("Europe/London")).is_utc());
    }

    TEST_CASE("host_default falls back to $TZ, with or without a leading ':'") {
        SUBCASE("without a configured zone") {
            CHECK(Zone::host_default(none, std::string("Europe/London")).name() == "Europe/London");
            CHECK(Zone::host_default(none, std::string(":Europe/London")).name() ==
                  "Europe/London");
            CHECK(Zone::host_default(none, std::string(":America/New_York")).name() ==
                  "America/New_York");
        }
        SUBCASE("a path into the zoneinfo tree, as glibc accepts") {
            CHECK(Zone::host_default(none, std::string(":/usr/share/zoneinfo/Europe/London"))
                      .name() == "Europe/London");
        }
        SUBCASE("when the configured zone names no zone") {
            CHECK(
                Zone::host_default(std::string("Not/AZone"), std::string("Europe/London")).name() ==
                "Europe/London");
            CHECK(Zone::host_default(std::string(""), std::string(":Asia/Tokyo")).name() ==
                  "Asia/Tokyo");
        }
    }

    TEST_CASE("host_default falls back to /etc/localtime, then UTC") {
        // What the host says when neither setting nor $TZ helps.
        auto host = Zone::host_default(none, none);
        SUBCASE("an invalid or empty $TZ is passed over") {
            CHECK(Zone::host_default(none, std::string("")) == host);
            CHECK(Zone::host_default(none, std::string(":")) == host);
            CHECK(Zone::host_default(none, std::string("Nowhere/Special")) == host);
            CHECK(Zone::host_default(std::string("Bad/Zone"), std::string("../x")) == host);
        }
        SUBCASE("the host zone is the one /etc/localtime links to") {
            std::error_code ec;
            auto target = std::filesystem::read_symlink("/etc/localtime", ec);
            if (ec) {
                MESSAGE("/etc/localtime is not a symlink; comparing names skipped");
                return;
            }
            auto text = target.string();
            auto at = text.find("zoneinfo/");
            REQUIRE(at != std::string::npos);
            auto name = text.substr(at + 9);
            if (name == "UTC" || name == "Etc/UTC")
                CHECK(host.is_utc());
            else
                CHECK(host.name() == name);
        }
    }

    TEST_CASE("zone_name_from_link reads the zone name from /etc/localtime's target") {
        CHECK(zone_name_from_link("/usr/share/zoneinfo/Europe/Berlin") == "Europe/Berlin");
        CHECK(zone_name_from_link("../usr/share/zoneinfo/America/New_York") == "America/New_York");
        CHECK(zone_name_from_link("/usr/share/zoneinfo/Etc/UTC") == "Etc/UTC");
        CHECK(zone_name_from_link("/usr/share/zoneinfo/UTC") == "UTC");
        CHECK(zone_name_from_link("/var/db/timezone/zoneinfo/Asia/Tokyo") == "Asia/Tokyo");
        SUBCASE("posix/ holds the same zones, right/ counts leap seconds") {
            CHECK(zone_name_from_link("/usr/share/zoneinfo/posix/Europe/Paris") == "Europe/Paris");
            CHECK(zone_name_from_link("/usr/share/zoneinfo/right/Europe/Paris") == std::nullopt);
        }
        SUBCASE("targets that name no zone") {
            for (const char* target :
                 {"", "Europe/Berlin", "/etc/tz", "/usr/share/zoneinfo/", "/usr/share/zoneinfo",
                  "/usr/share/zoneinfo/../../../etc/passwd", "/usr/share/zoneinfo/localtime",
                  "/usr/share/zoneinfo/posixrules", "/usr/share/zoneinfo/Factory",
                  "/usr/share/zoneinfo/Europe/Berlin\n", "/usr/share/zoneinfo/zone.tab"}) {
                CAPTURE(target);
                CHECK(zone_name_from_link(target) == std::nullopt);
            }
        }
    }

    TEST_CASE("host_default gives the zone locate gives, by name") {
        for (const char* name : {"Europe/Berlin", "America/New_York", "Etc/UTC"}) {
            CAPTURE(name);
            auto host = Zone::host_default(none, std::string(name));
            CHECK(host.name() == name);
            CHECK(host == zone(name));
            CHECK(zone(name) == host);
            auto t = utc(2026, 7, 1, 12);
            CHECK(host.offset_at(t).offset == zone(name).offset_at(t).offset);
            CHECK(host.offset_at(t).abbrev == zone(name).offset_at(t).abbrev);
            CHECK(host.to_local(t) == zone(name).to_local(t));
        }
        CHECK(Zone::host_default(std::string("Asia/Tokyo"), none) == zone("Asia/Tokyo"));
    }

    TEST_CASE("tz_problem says why $TZ gives no default zone") {
        SUBCASE("unset, empty and zone names are no problem") {
            CHECK(Zone::tz_problem(none) == std::nullopt);
            CHECK(Zone::tz_problem(std::string("")) == std::nullopt);
            for (const char* tz : {"UTC", "Europe/Berlin", ":Europe/Berlin",
                                   "/usr/share/zoneinfo/Asia/Tokyo", "EST5EDT"}) {
                CAPTURE(tz);
                CHECK(Zone::tz_problem(std::string(tz)) == std::nullopt);
            }
        }
        SUBCASE("unknown names") {
            for (const char* tz : {"Nowhere/Bogus", ":", "europe/berlin", "../x", "posixrules"}) {
                CAPTURE(tz);
                auto p = Zone::tz_problem(std::string(tz));
                REQUIRE(p);
                CHECK(p->find("not a known IANA time zone") != std::string::npos);
            }
        }
        SUBCASE("POSIX rules are named as such") {
            for (const char* tz :
                 {"EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3", "JST-9"}) {
                CAPTURE(tz);
                auto p = Zone::tz_problem(std::string(tz));
                REQUIRE(p);
                CHECK(p->find("POSIX") != std::string::npos);
            }
        }
        SUBCASE("the value is quoted with its control characters escaped") {
            auto p = Zone::tz_problem(std::string("Bad\x1b[2J"));
            REQUIRE(p);
            CHECK(p->find('\x1b') == std::string::npos);
            CHECK(p->find("Bad\\e[2J") != std::string::npos);
        }
    }

    TEST_CASE("every zone and link the tz database lists reads and round-trips") {
        // Zones from zone1970.tab (third column), links from tzdata.zi ("L TARGET NAME").
        std::vector<std::string> names;
        std::ifstream tab("/usr/share/zoneinfo/zone1970.tab");
        for (std::string line; std::getline(tab, line);) {
            if (line.empty() || line[0] == '#')
                continue;
            std::istringstream fields(line);
            std::string codes, coordinates, name;
            std::getline(fields, codes, '\t');
            std::getline(fields, coordinates, '\t');
            std::getline(fields, name, '\t');
            names.push_back(name);
        }
        std::ifstream zi("/usr/share/zoneinfo/tzdata.zi");
        for (std::string line; std::getline(zi, line);) {
            std::istringstream fields(line);
            std::string kind, target, name;
            if (fields >> kind >> target >> name && kind == "L")
                names.push_back(name);
        }
        REQUIRE(names.size() > 400);
        for (const auto& name : names) {
            CAPTURE(name);
            auto z = Zone::locate(name);
            REQUIRE(z.ok());
            CHECK(z->name() == name);
            for (auto t : {utc(1950, 6, 1), utc(2026, 1, 15, 12), utc(2026, 7, 1, 3),
                           utc(2100, 3, 31, 23, 59)}) {
                auto o = z->offset_at(t);
                CHECK(o.begin <= t);
                CHECK(t < o.end);
                CHECK(o.offset >= Duration{-16 * 3600});
                CHECK(o.offset <= Duration{16 * 3600});
                CHECK_FALSE(o.abbrev.empty());
                auto r = z->resolve(z->to_local(t));
                CHECK(r.kind != Zone::Resolved::Kind::gap);
                CHECK((r.first == t || r.second == t));
            }
        }
    }

    TEST_CASE("names that are directories or other files of the tree are no zones") {
        for (const char* name : {"America", "Europe", "Etc", "leapseconds", "Factory",
                                 "posix/Europe/Berlin", "right/Europe/Berlin"}) {
            CAPTURE(name);
            CHECK_FALSE(Zone::locate(name).ok());
            CHECK(Zone::host_default(std::nullopt, std::string(name)) ==
                  Zone::host_default(std::nullopt, std::nullopt));
        }
    }

    TEST_CASE("zone_names lists the zones locate accepts that start with a prefix") {
        auto be = zone_names("Europe/Be");
        CHECK(be == std::vector<std::string>{"Europe/Belfast", "Europe/Belgrade", "Europe/Berlin"});
        // Nested directories, and names of the top level.
        auto ba = zone_names("America/Argentina/Bu");
        CHECK(ba == std::vector<std::string>{"America/Argentina/Buenos_Aires"});
        auto ut = zone_names("UT");
        CHECK(std::find(ut.begin(), ut.end(), "UTC") != ut.end());
        CHECK(zone_names("Nowhere/").empty());

        // Everything: each name is a zone, and every zone of the database's
        // lists is there; directories and other files of the tree are not.
        auto all = zone_names("");
        CHECK(std::is_sorted(all.begin(), all.end()));
        REQUIRE(all.size() > 400);
        for (const auto& name : all) {
            CAPTURE(name);
            CHECK(Zone::locate(name).ok());
        }
        std::ifstream tab("/usr/share/zoneinfo/zone1970.tab");
        for (std::string line; std::getline(tab, line);) {
            if (line.empty() || line[0] == '#')
                continue;
            auto name = line.substr(line.find('\t', line.find('\t') + 1) + 1);
            name = name.substr(0, name.find('\t'));
            CAPTURE(name);
            CHECK(std::binary_search(all.begin(), all.end(), name));
        }
        for (const char* not_zone :
             {"America", "Europe/", "leapseconds", "Factory", "localtime", "posixrules",
              "posix/Europe/Berlin", "right/Europe/Berlin", "zone1970.tab"}) {
            CAPTURE(not_zone);
            CHECK_FALSE(std::binary_search(all.begin(), all.end(), std::string(not_zone)));
        }
    }

} // TEST_SUITE
