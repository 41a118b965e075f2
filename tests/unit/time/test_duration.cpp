#include <doctest/doctest.h>

#include <schedule/time/duration.hpp>

#include <string>

using namespace schedule::time;

namespace {
// The parsed value in seconds; fails the test when parsing fails.
long long seconds_of(std::string_view text) {
    auto d = parse_duration(text);
    INFO("input: ", std::string(text), ", error: ", d.ok() ? std::string() : d.error());
    REQUIRE(d.ok());
    return d->count();
}

std::string error_of(std::string_view text) {
    auto d = parse_duration(text);
    INFO("input: ", std::string(text));
    REQUIRE_FALSE(d.ok());
    return d.error();
}

constexpr long long k_hundred_years = 100LL * 366 * 86400;
} // namespace

TEST_SUITE("time::duration") {

    TEST_CASE("parse_duration reads each unit") {
        CHECK(seconds_of("90s") == 90);
        CHECK(seconds_of("15m") == 15 * 60);
        CHECK(seconds_of("2h") == 2 * 3600);
        CHECK(seconds_of("1d") == 86400);
        CHECK(seconds_of("1w") == 7 * 86400);
        CHECK(seconds_of("0s") == 0);
    }

    TEST_CASE("parse_duration combines units largest first") {
        CHECK(seconds_of("1h30m") == 5400);
        CHECK(seconds_of("1d12h") == 86400 + 12 * 3600);
        CHECK(seconds_of("1w1d1h1m1s") == 7 * 86400 + 86400 + 3600 + 60 + 1);
        CHECK(seconds_of("2h0m5s") == 7205);
        CHECK(seconds_of("1h90m") == 3600 + 5400); // a unit may exceed the next larger one
    }

    TEST_CASE("parse_duration reads bare integers as seconds") {
        CHECK(seconds_of("0") == 0);
        CHECK(seconds_of("45") == 45);
        CHECK(seconds_of("3600") == 3600);
        CHECK(seconds_of("007") == 7);
    }

    TEST_CASE("parse_duration ignores surrounding white space") {
        CHECK(seconds_of("  15m ") == 900);
        CHECK(seconds_of("\t30\n") == 30);
    }

    TEST_CASE("parse_duration rejects empty input") {
        CHECK(error_of("").find("empty") != std::string::npos);
        CHECK(error_of("   ").find("empty") != std::string::npos);
    }

    TEST_CASE("parse_duration rejects unknown units") {
        SUBCASE("a unit letter it does not know") {
            auto e = error_of("5x");
            CHECK(e.find("unknown unit 'x'") != std::string::npos);
            CHECK(e.find("\"5x\"") != std::string::npos);
        }
        SUBCASE("upper-case units are not units") {
            CHECK(error_of("5M").find("unknown unit 'M'") != std::string::npos);
            CHECK(error_of("1H").find("unknown unit") != std::string::npos);
        }
        SUBCASE("a unit that is a control or multi-byte character is shown escaped") {
            CHECK(error_of("5\x1b").find("unknown unit '\\e'") != std::string::npos);
            CHECK(error_of("5\xe2\x80\xae").find("unknown unit '\\u202e'") != std::string::npos);
            CHECK(error_of("5ab3m").find("unknown unit 'ab'") != std::string::npos);
        }
        SUBCASE("a long unit is shown by its start") {
            const auto e = error_of("5" + std::string(1024 * 1024, 'x'));
            CHECK(e.find("unknown unit 'xxxxxxxxxxxxxxxx\u2026'") != std::string::npos);
            CHECK(e.size() < 400);
            std::string sixteen_escapes;
            for (int i = 0; i < 16; ++i)
                sixteen_escapes += "\\e";
            const auto escapes = error_of("5" + std::string(1024 * 1024, '\x1b'));
            CHECK(escapes.find("unknown unit '" + sixteen_escapes + "\u2026'") !=
                  std::string::npos);
            CHECK(escapes.size() < 1200);
        }
        SUBCASE("months and years are not units") {
            CHECK(error_of("1y").find("unknown unit 'y'") != std::string::npos);
            CHECK_FALSE(parse_duration("1mo").ok());
        }
    }

    TEST_CASE("parse_duration rejects malformed text") {
        for (const char* text :
             {"m", "h5", "1h30", "5 m", "1h 30m", "1.5h", "+5m", "5mm", "abc", "1,5s", "s30"}) {
            CAPTURE(text);
            CHECK_FALSE(parse_duration(text).ok());
        }
    }

    TEST_CASE("parse_duration rejects units in the wrong order or repeated") {
        SUBCASE("smaller before larger") {
            CHECK(error_of("30m1h").find("largest to smallest") != std::string::npos);
            CHECK(error_of("1s1m").find("largest to smallest") != std::string::npos);
            CHECK(error_of("1d1w").find("largest to smallest") != std::string::npos);
        }
        SUBCASE("the same unit twice") {
            CHECK(error_of("1h1h").find("once each") != std::string::npos);
            CHECK(error_of("5m5m").find("once each") != std::string::npos);
        }
    }

    TEST_CASE("parse_duration rejects negative values") {
        CHECK(error_of("-5").find("negative") != std::string::npos);
        CHECK(error_of("-5m").find("negative") != std::string::npos);
        CHECK(error_of(" -1h").find("negative") != std::string::npos);
        CHECK_FALSE(parse_duration("1h-5m").ok());
    }

    TEST_CASE("parse_duration rejects totals above 100 years") {
        SUBCASE("exactly 100 years is accepted") {
            CHECK(seconds_of(std::to_string(k_hundred_years)) == k_hundred_years);
            CHECK(seconds_of("36600d") == k_hundred_years);
        }
        SUBCASE("one second more is too large") {
            CHECK(error_of(std::to_string(k_hundred_years + 1)).find("too large") !=
                  std::string::npos);
            CHECK(error_of("36600d1s").find("too large") != std::string::npos);
            CHECK(error_of("36601d").find("too large") != std::string::npos);
        }
        SUBCASE("numbers that overflow 64 bits are too large, not wrapped") {
            CHECK(error_of("99999999999999999999999").find("too large") != std::string::npos);
            CHECK(error_of("99999999999999999999999s").find("too large") != std::string::npos);
            CHECK(error_of("18446744073709551616s").find("too large") != std::string::npos);
            CHECK(error_of("9223372036854775807w").find("too large") != std::string::npos);
        }
        SUBCASE("a sum of allowed parts above the limit is too large") {
            CHECK(error_of("5000w2000d").find("too large") != std::string::npos);
        }
    }

    TEST_CASE("format_duration writes canonical text, largest units first") {
        CHECK(format_duration(Duration{0}) == "0s");
        CHECK(format_duration(Duration{45}) == "45s");
        CHECK(format_duration(Duration{60}) == "1m");
        CHECK(format_duration(Duration{90}) == "1m30s");
        CHECK(format_duration(Duration{5400}) == "1h30m");
        CHECK(format_duration(Duration{3600}) == "1h");
        CHECK(format_duration(Duration{86400}) == "1d");
        CHECK(format_duration(Duration{90061}) == "1d1h1m1s");
        CHECK(format_duration(Duration{86400 + 5}) == "1d5s");
    }

    TEST_CASE("format_duration round trips through parse_duration") {
        for (long long s : {0LL, 1LL, 59LL, 60LL, 61LL, 3599LL, 3600LL, 5400LL, 86399LL, 86400LL,
                            7 * 86400LL, 8 * 86400LL + 3661, 123456789LL, k_hundred_years}) {
            CAPTURE(s);
            auto text = format_duration(Duration{s});
            auto back = parse_duration(text);
            INFO("text: ", text);
            REQUIRE(back.ok());
            CHECK(back->count() == s);
        }
    }

    TEST_CASE("parse_duration then format_duration gives the canonical form") {
        CHECK(format_duration(*parse_duration("90")) == "1m30s");
        CHECK(format_duration(*parse_duration("90s")) == "1m30s");
        CHECK(format_duration(*parse_duration("1h90m")) == "2h30m");
        CHECK(format_duration(*parse_duration("1w")) == "7d");
    }

} // TEST_SUITE
