#include "../support/time_helpers.hpp"

#include <doctest/doctest.h>

#include <schedule/time/iso8601.hpp>
#include <schedule/time/zone.hpp>

#include <chrono>
#include <string>

using namespace schedule::time;
namespace chr = std::chrono;

using schedule::test::local;
using schedule::test::utc;
using schedule::test::zone;

namespace {

ParsedDateTime parsed(std::string_view text) {
    auto r = parse_iso8601(text);
    INFO("input: ", std::string(text), ", error: ", r.ok() ? std::string() : r.error());
    REQUIRE(r.ok());
    return *r;
}

std::string error_of(std::string_view text) {
    auto r = parse_iso8601(text);
    INFO("input: ", std::string(text));
    REQUIRE_FALSE(r.ok());
    return r.error();
}

Instant instant(std::string_view text, const Zone& z) {
    auto r = parse_instant(text, z);
    INFO("input: ", std::string(text), ", error: ", r.ok() ? std::string() : r.error());
    REQUIRE(r.ok());
    return *r;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

} // namespace

TEST_SUITE("time::iso8601") {

    TEST_CASE("parse_iso8601 accepts a date alone as midnight") {
        auto p = parsed("2026-12-25");
        CHECK(p.local == local(2026, 12, 25));
        CHECK_FALSE(p.offset.has_value());
    }

    TEST_CASE("parse_iso8601 accepts a date and time with T, t or a space") {
        CHECK(parsed("2026-12-25T10:00").local == local(2026, 12, 25, 10, 0));
        CHECK(parsed("2026-12-25t10:00").local == local(2026, 12, 25, 10, 0));
        CHECK(parsed("2026-12-25 10:00:30").local == local(2026, 12, 25, 10, 0, 30));
        CHECK(parsed("2026-12-25T23:59:59").local == local(2026, 12, 25, 23, 59, 59));
        CHECK(parsed("2026-12-25T00:00").local == local(2026, 12, 25));
        CHECK_FALSE(parsed("2026-12-25T10:00").offset.has_value());
    }

    TEST_CASE("parse_iso8601 ignores surrounding white space") {
        CHECK(parsed("  2026-12-25T10:00\n").local == local(2026, 12, 25, 10, 0));
    }

    TEST_CASE("parse_iso8601 accepts and drops fractions of a second") {
        CHECK(parsed("2026-12-25T10:00:30.123").local == local(2026, 12, 25, 10, 0, 30));
        CHECK(parsed("2026-12-25T10:00:30,5").local == local(2026, 12, 25, 10, 0, 30));
        CHECK(parsed("2026-12-25T10:00:30.999999999Z").local == local(2026, 12, 25, 10, 0, 30));
        CHECK(contains(error_of("2026-12-25T10:00:30."), "fraction"));
    }

    TEST_CASE("parse_iso8601 reads a leap second as the last second of its minute") {
        CHECK(parsed("2016-12-31T23:59:60Z").local == local(2016, 12, 31, 23, 59, 59));
    }

    TEST_CASE("parse_iso8601 reads every offset form") {
        SUBCASE("Z and z are UTC") {
            CHECK(parsed("2026-12-25T10:00Z").offset == Duration{0});
            CHECK(parsed("2026-12-25T10:00:00z").offset == Duration{0});
        }
        SUBCASE("+HH:MM, +HHMM and +HH") {
            CHECK(parsed("2026-12-25T10:00+01:00").offset == Duration{3600});
            CHECK(parsed("2026-12-25T10:00+0100").offset == Duration{3600});
            CHECK(parsed("2026-12-25T10:00+01").offset == Duration{3600});
            CHECK(parsed("2026-12-25T10:00:00+05:30").offset == Duration{5 * 3600 + 30 * 60});
        }
        SUBCASE("negative offsets") {
            CHECK(parsed("2026-12-25T10:00-05:00").offset == Duration{-5 * 3600});
            CHECK(parsed("2026-12-25T10:00-0330").offset == Duration{-(3 * 3600 + 30 * 60)});
            CHECK(parsed("2026-12-25T10:00-00:00").offset == Duration{0});
        }
        SUBCASE("the limit is 18 hours either way") {
            CHECK(parsed("2026-12-25T10:00+18:00").offset == Duration{18 * 3600});
            CHECK(parsed("2026-12-25T10:00-18:00").offset == Duration{-18 * 3600});
        }
        SUBCASE("the wall-clock part is kept as written") {
            CHECK(parsed("2026-12-25T10:00+01:00").local == local(2026, 12, 25, 10, 0));
        }
    }

    TEST_CASE("parse_iso8601 rejects malformed dates") {
        for (const char* text :
             {"", "2026", "2026-12", "2026/12/25", "26-12-25", "2026-1-05", "2026-01-5", "20261225",
              "2026-12-25x", "abcd-ef-gh", "-2026-12-25"}) {
            CAPTURE(text);
            auto r = parse_iso8601(text);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "is not a valid date-time"));
        }
        CHECK(contains(error_of("2026/12/25"), "YYYY-MM-DD"));
    }

    TEST_CASE("parse_iso8601 rejects malformed times") {
        for (const char* text : {"2026-12-25T", "2026-12-25T10", "2026-12-25T1:00",
                                 "2026-12-25T10:0", "2026-12-25T10-00", "2026-12-25T10:00:0",
                                 "2026-12-25T10:00:", "2026-12-25T10h00", "2026-12-25  10:00"}) {
            CAPTURE(text);
            CHECK_FALSE(parse_iso8601(text).ok());
        }
        CHECK(contains(error_of("2026-12-25T10"), "HH:MM"));
    }

    TEST_CASE("parse_iso8601 rejects malformed offsets and trailing text") {
        for (const char* text :
             {"2026-12-25T10:00+1", "2026-12-25T10:00+", "2026-12-25T10:00+01:0",
              "2026-12-25T10:00+01:00:00", "2026-12-25T10:00 UTC", "2026-12-25T10:00ZZ",
              "2026-12-25T10:00Z+01:00", "2026-12-25T10:00EST", "2026-12-25T10:00+ab:cd"}) {
            CAPTURE(text);
            CHECK_FALSE(parse_iso8601(text).ok());
        }
    }

    TEST_CASE("parse_iso8601 names each range error") {
        SUBCASE("month") {
            CHECK(contains(error_of("2026-13-01"), "month 13 is out of range 1-12"));
            CHECK(contains(error_of("2026-00-01"), "month 0 is out of range 1-12"));
        }
        SUBCASE("day") {
            CHECK(contains(error_of("2026-01-00"), "day 0 does not exist in 2026-01"));
            CHECK(contains(error_of("2026-01-32"), "day 32 does not exist in 2026-01"));
            CHECK(contains(error_of("2026-04-31"), "day 31 does not exist in 2026-04"));
            CHECK(contains(error_of("2026-11-31"), "day 31 does not exist in 2026-11"));
        }
        SUBCASE("February 29 only in leap years") {
            CHECK(parsed("2024-02-29").local == local(2024, 2, 29));
            CHECK(parsed("2000-02-29").local == local(2000, 2, 29));
            CHECK(contains(error_of("2025-02-29"), "day 29 does not exist in 2025-02"));
            CHECK(contains(error_of("2100-02-29"), "day 29 does not exist in 2100-02"));
            CHECK(contains(error_of("2024-02-30"), "day 30 does not exist in 2024-02"));
        }
        SUBCASE("hour") {
            CHECK(contains(error_of("2026-12-25T24:00"), "hour 24 is out of range 0-23"));
            CHECK(contains(error_of("2026-12-25T99:00"), "hour 99"));
        }
        SUBCASE("minute") {
            CHECK(contains(error_of("2026-12-25T10:60"), "minute 60 is out of range 0-59"));
        }
        SUBCASE("second") {
            CHECK(contains(error_of("2026-12-25T10:00:61"), "second 61 is out of range"));
        }
        SUBCASE("offset beyond 18 hours") {
            CHECK(contains(error_of("2026-12-25T10:00+19:00"), "offset"));
            CHECK(contains(error_of("2026-12-25T10:00-19"), "offset"));
            CHECK(contains(error_of("2026-12-25T10:00+01:60"), "offset"));
            CHECK(contains(error_of("2026-12-25T10:00+18:30"), "offset"));
            CHECK(contains(error_of("2026-12-25T10:00-18:01"), "offset"));
        }
        SUBCASE("a colon without minutes") {
            CHECK(contains(error_of("2026-12-25T10:00+01:"), "offset"));
        }
        SUBCASE("year before 1970") {
            CHECK(contains(error_of("1969-12-31T23:59"), "year 1969"));
        }
    }

    TEST_CASE("parse_iso8601 errors quote the input and give an example") {
        auto e = error_of("2026-13-01T10:00");
        CHECK(contains(e, "\"2026-13-01T10:00\""));
        CHECK(contains(e, "expected e.g."));
    }

    TEST_CASE("parse_instant with an offset gives that exact instant in any zone") {
        auto ny = zone("America/New_York");
        CHECK(instant("2026-12-25T10:00:00+01:00", ny) == utc(2026, 12, 25, 9, 0));
        CHECK(instant("2026-12-25T10:00:00Z", ny) == utc(2026, 12, 25, 10, 0));
        CHECK(instant("2026-12-25T10:00:00-05:30", Zone::utc()) == utc(2026, 12, 25, 15, 30));
        CHECK(instant("2026-12-25+01:00", Zone::utc()) == utc(2026, 12, 24, 23, 0));
        SUBCASE("an offset overrides a DST gap in the zone") {
            // 02:30 does not exist in New York on 2025-03-09, but "-05:00" pins it.
            CHECK(instant("2025-03-09T02:30-05:00", ny) == utc(2025, 3, 9, 7, 30));
        }
    }

    TEST_CASE("parse_instant without an offset reads wall-clock time in the zone") {
        CHECK(instant("2026-12-25T10:00", Zone::utc()) == utc(2026, 12, 25, 10, 0));
        CHECK(instant("1970-01-01", Zone::utc()) == from_unix(0));
        CHECK(instant("2025-07-01T12:00", zone("America/New_York")) == utc(2025, 7, 1, 16, 0));
        CHECK(instant("2025-01-15T12:00", zone("America/New_York")) == utc(2025, 1, 15, 17, 0));
        CHECK(instant("2025-07-01T12:00", zone("Europe/London")) == utc(2025, 7, 1, 11, 0));
        CHECK(instant("2025-01-15T12:00", zone("Europe/London")) == utc(2025, 1, 15, 12, 0));
    }

    TEST_CASE("parse_instant in a DST gap gives the first instant after the gap") {
        SUBCASE("America/New_York, 2025-03-09 02:00-03:00 is skipped") {
            auto ny = zone("America/New_York");
            // 03:00 EDT = 07:00Z
            CHECK(instant("2025-03-09T02:30", ny) == utc(2025, 3, 9, 7, 0));
            CHECK(instant("2025-03-09T02:00", ny) == utc(2025, 3, 9, 7, 0));
            CHECK(instant("2025-03-09T02:59:59", ny) == utc(2025, 3, 9, 7, 0));
            // Just outside the gap, both sides are exact.
            CHECK(instant("2025-03-09T01:59", ny) == utc(2025, 3, 9, 6, 59));
            CHECK(instant("2025-03-09T03:00", ny) == utc(2025, 3, 9, 7, 0));
            CHECK(instant("2025-03-09T03:30", ny) == utc(2025, 3, 9, 7, 30));
        }
        SUBCASE("Europe/London, 2025-03-30 01:00-02:00 is skipped") {
            auto london = zone("Europe/London");
            // 02:00 BST = 01:00Z
            CHECK(instant("2025-03-30T01:30", london) == utc(2025, 3, 30, 1, 0));
            CHECK(instant("2025-03-30T01:00", london) == utc(2025, 3, 30, 1, 0));
            CHECK(instant("2025-03-30T00:59", london) == utc(2025, 3, 30, 0, 59));
        }
    }

    TEST_CASE("parse_instant in a DST overlap gives the first pass") {
        SUBCASE("America/New_York, 2025-11-02 01:00-02:00 happens twice") {
            auto ny = zone("America/New_York");
            // First pass is EDT (-04:00): 01:30 EDT = 05:30Z, not 06:30Z.
            CHECK(instant("2025-11-02T01:30", ny) == utc(2025, 11, 2, 5, 30));
            CHECK(instant("2025-11-02T01:00", ny) == utc(2025, 11, 2, 5, 0));
            CHECK(instant("2025-11-02T02:00", ny) == utc(2025, 11, 2, 7, 0));
        }
        SUBCASE("Europe/London, 2025-10-26 01:00-02:00 happens twice") {
            auto london = zone("Europe/London");
            // First pass is BST (+01:00): 01:30 BST = 00:30Z.
            CHECK(instant("2025-10-26T01:30", london) == utc(2025, 10, 26, 0, 30));
        }
    }

    TEST_CASE("parse_instant passes parse errors through") {
        auto r = parse_instant("2026-02-30T10:00", Zone::utc());
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error(), "day 30 does not exist in 2026-02"));
    }

    TEST_CASE("format_iso writes the wall-clock time with the zone's offset") {
        SUBCASE("UTC") {
            CHECK(format_iso(utc(2026, 12, 25, 10, 0), Zone::utc()) == "2026-12-25T10:00:00+00:00");
            CHECK(format_iso(from_unix(0), Zone::utc()) == "1970-01-01T00:00:00+00:00");
        }
        SUBCASE("New York in winter and summer") {
            auto ny = zone("America/New_York");
            CHECK(format_iso(utc(2025, 1, 15, 17, 0, 5), ny) == "2025-01-15T12:00:05-05:00");
            CHECK(format_iso(utc(2025, 7, 1, 16, 0), ny) == "2025-07-01T12:00:00-04:00");
        }
        SUBCASE("London in winter and summer") {
            auto london = zone("Europe/London");
            CHECK(format_iso(utc(2025, 1, 15, 12, 0), london) == "2025-01-15T12:00:00+00:00");
            CHECK(format_iso(utc(2025, 7, 1, 11, 0), london) == "2025-07-01T12:00:00+01:00");
        }
        SUBCASE("offsets with minutes, both signs") {
            CHECK(format_iso(utc(2025, 7, 1, 0, 0), zone("Asia/Kolkata")) ==
                  "2025-07-01T05:30:00+05:30");
            CHECK(format_iso(utc(2025, 1, 15, 12, 0), zone("America/St_Johns")) ==
                  "2025-01-15T08:30:00-03:30");
            CHECK(format_iso(utc(2025, 7, 1, 0, 0), zone("Australia/Lord_Howe")) ==
                  "2025-07-01T10:30:00+10:30");
        }
        SUBCASE("the date rolls over with the offset") {
            CHECK(format_iso(utc(2025, 12, 31, 23, 30), zone("Europe/Berlin")) ==
                  "2026-01-01T00:30:00+01:00");
            CHECK(format_iso(utc(2026, 1, 1, 2, 0), zone("America/New_York")) ==
                  "2025-12-31T21:00:00-05:00");
        }
        SUBCASE("both passes of a repeated hour show their own offset") {
            auto ny = zone("America/New_York");
            CHECK(format_iso(utc(2025, 11, 2, 5, 30), ny) == "2025-11-02T01:30:00-04:00");
            CHECK(format_iso(utc(2025, 11, 2, 6, 30), ny) == "2025-11-02T01:30:00-05:00");
        }
    }

    TEST_CASE("format_iso_utc writes UTC with Z") {
        CHECK(format_iso_utc(from_unix(0)) == "1970-01-01T00:00:00Z");
        CHECK(format_iso_utc(utc(2026, 12, 25, 10, 0, 7)) == "2026-12-25T10:00:07Z");
        CHECK(format_iso_utc(utc(2024, 2, 29, 23, 59, 59)) == "2024-02-29T23:59:59Z");
    }

    TEST_CASE("format_iso output parses back to the same instant") {
        const char* zones[] = {"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe",
                               "America/St_Johns"};
        const Instant instants[] = {utc(2025, 3, 9, 7, 0),    utc(2025, 11, 2, 5, 30),
                                    utc(2025, 11, 2, 6, 30),  utc(2025, 10, 26, 0, 30),
                                    utc(2025, 10, 26, 1, 30), utc(2030, 6, 15, 12, 34, 56)};
        for (const char* name : zones) {
            auto z = zone(name);
            for (auto t : instants) {
                auto text = format_iso(t, z);
                CAPTURE(text);
                CHECK(instant(text, zone("Asia/Tokyo")) == t);
            }
        }
        for (auto t : instants)
            CHECK(instant(format_iso_utc(t), zone("America/New_York")) == t);
    }

    TEST_CASE("the supported range is what the parser reads back in UTC and in the zone") {
        // zone: first, last
        const struct {
            const char* zone;
            Instant first, last;
        } cases[] = {
            {"UTC", utc(1970, 1, 1), utc(9999, 12, 31, 23, 59, 59)},
            // -10:40 in 1970, +14 since 1995
            {"Pacific/Kiritimati", utc(1970, 1, 1, 10, 40), utc(9999, 12, 31, 9, 59, 59)},
            {"Pacific/Pago_Pago", utc(1970, 1, 1, 11), utc(9999, 12, 31, 23, 59, 59)}, // -11
            {"America/New_York", utc(1970, 1, 1, 5), utc(9999, 12, 31, 23, 59, 59)},
            {"Asia/Tokyo", utc(1970, 1, 1), utc(9999, 12, 31, 14, 59, 59)},
        };
        for (const auto& c : cases) {
            CAPTURE(c.zone);
            auto z = zone(c.zone);
            CHECK(format_iso_utc(first_supported(z)) == format_iso_utc(c.first));
            CHECK(format_iso_utc(last_supported(z)) == format_iso_utc(c.last));
            for (auto t : {c.first, c.last, utc(2026, 1, 15)}) {
                CHECK(is_supported(t, z));
                // both texts parse back to the instant
                CHECK(instant(format_iso(t, z), Zone::utc()) == t);
                CHECK(instant(format_iso_utc(t), Zone::utc()) == t);
            }
            for (auto t : {c.first - Duration{1}, c.last + Duration{1}}) {
                CHECK_FALSE(is_supported(t, z));
                auto in_zone = parse_instant(format_iso(t, z), Zone::utc());
                auto in_utc = parse_instant(format_iso_utc(t), Zone::utc());
                CHECK_FALSE((in_zone.ok() && in_utc.ok()));
            }
        }
    }

    TEST_CASE("format_wall and format_local write minutes of wall-clock time") {
        CHECK(format_local(local(2026, 12, 25, 10, 5, 59)) == "2026-12-25 10:05");
        CHECK(format_wall(utc(2025, 7, 1, 16, 0), zone("America/New_York")) == "2025-07-01 12:00");
        CHECK(format_wall(utc(2025, 7, 1, 16, 0), Zone::utc()) == "2025-07-01 16:00");
    }

    TEST_CASE("to_civil splits a wall-clock reading, with weekday 0 = Sunday") {
        auto c = to_civil(local(2025, 3, 9, 2, 30, 15)); // a Sunday
        CHECK(c.year == 2025);
        CHECK(c.month == 3);
        CHECK(c.day == 9);
        CHECK(c.hour == 2);
        CHECK(c.minute == 30);
        CHECK(c.second == 15);
        CHECK(c.weekday == 0);
        CHECK(to_civil(local(2025, 3, 15)).weekday == 6); // a Saturday
        CHECK(to_civil(local(1970, 1, 1)).weekday == 4);  // a Thursday
    }

    TEST_CASE("from_civil is the inverse of to_civil and normalises overflowing times") {
        CHECK(from_civil(2025, 3, 9, 2, 30, 15) == local(2025, 3, 9, 2, 30, 15));
        CHECK(from_civil(2025, 12, 31, 24, 0, 0) == local(2026, 1, 1));
        CHECK(from_civil(2025, 1, 1, 0, 90, 0) == local(2025, 1, 1, 1, 30));
    }

    TEST_CASE("days_in_month follows the Gregorian calendar") {
        CHECK(days_in_month(2025, 1) == 31);
        CHECK(days_in_month(2025, 4) == 30);
        CHECK(days_in_month(2025, 2) == 28);
        CHECK(days_in_month(2024, 2) == 29);
        CHECK(days_in_month(1900, 2) == 28);
        CHECK(days_in_month(2000, 2) == 29);
        CHECK(days_in_month(2025, 12) == 31);
    }

} // TEST_SUITE
