#include <doctest/doctest.h>

#include <schedule/util/strings.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace schedule::util;
using namespace std::string_view_literals;

namespace {
std::vector<std::string> strings(const std::vector<std::string_view>& views) {
    return {views.begin(), views.end()};
}
} // namespace

TEST_SUITE("util::strings") {

    TEST_CASE("trim removes ASCII white space from both ends only") {
        CHECK(trim("  abc  ") == "abc");
        CHECK(trim("\t\r\n\f\vabc\n") == "abc");
        CHECK(trim("a b") == "a b");
        CHECK(trim(" a  b ") == "a  b");
        CHECK(trim("") == "");
        CHECK(trim(" \t\n ") == "");
        CHECK(trim("abc") == "abc");
    }

    TEST_CASE("trim leaves non-ASCII space characters alone") {
        // U+00A0 NO-BREAK SPACE is not ASCII white space.
        CHECK(trim("\u00a0x\u00a0") == "\u00a0x\u00a0");
    }

    TEST_CASE("split keeps empty pieces between, before and after separators") {
        CHECK(strings(split("a,,b", ',')) == std::vector<std::string>{"a", "", "b"});
        CHECK(strings(split("", ',')) == std::vector<std::string>{""});
        CHECK(strings(split("a", ',')) == std::vector<std::string>{"a"});
        CHECK(strings(split(",a,", ',')) == std::vector<std::string>{"", "a", ""});
        CHECK(strings(split(",", ',')) == std::vector<std::string>{"", ""});
        CHECK(strings(split("1,2,3", ',')) == std::vector<std::string>{"1", "2", "3"});
    }

    TEST_CASE("split_ws splits on runs of white space and drops empty pieces") {
        CHECK(strings(split_ws("  a \t b\n\nc  ")) == std::vector<std::string>{"a", "b", "c"});
        CHECK(split_ws("").empty());
        CHECK(split_ws(" \t \n").empty());
        CHECK(strings(split_ws("one")) == std::vector<std::string>{"one"});
        CHECK(strings(split_ws("* * * * *")) == std::vector<std::string>{"*", "*", "*", "*", "*"});
    }

    TEST_CASE("join puts the separator between parts only") {
        CHECK(join({}, ", ") == "");
        CHECK(join({"a"}, ", ") == "a");
        CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
        CHECK(join({"", ""}, "-") == "-");
        CHECK(join({"x", "y"}, "") == "xy");
    }

    TEST_CASE("to_lower folds ASCII letters only") {
        CHECK(to_lower("JAN Mon") == "jan mon");
        CHECK(to_lower("abc123_-") == "abc123_-");
        CHECK(to_lower("") == "");
        // Non-ASCII bytes pass through untouched.
        CHECK(to_lower("\xc3\x89T\xc3\x89") == "\xc3\x89t\xc3\x89");
    }

    TEST_CASE("iequals compares ASCII case-insensitively") {
        CHECK(iequals("MON", "mon"));
        CHECK(iequals("", ""));
        CHECK(iequals("Critical", "cRITICAL"));
        CHECK_FALSE(iequals("mon", "mo"));
        CHECK_FALSE(iequals("mon", "tue"));
        CHECK_FALSE(iequals("a", ""));
    }

    TEST_CASE("is_digits requires a non-empty string of ASCII digits") {
        CHECK(is_digits("0"));
        CHECK(is_digits("0123456789"));
        CHECK_FALSE(is_digits(""));
        CHECK_FALSE(is_digits("-1"));
        CHECK_FALSE(is_digits("+1"));
        CHECK_FALSE(is_digits(" 1"));
        CHECK_FALSE(is_digits("1a"));
        CHECK_FALSE(is_digits("1.5"));
        CHECK_FALSE(is_digits("\xc2\xb9")); // superscript one
    }

    TEST_CASE("is_hex requires exactly n hex digits in either case") {
        CHECK(is_hex("deadbeef", 8));
        CHECK(is_hex("DEADBEEF", 8));
        CHECK(is_hex("0a1B2c3D", 8));
        CHECK(is_hex("", 0));
        CHECK_FALSE(is_hex("deadbee", 8));
        CHECK_FALSE(is_hex("deadbeef0", 8));
        CHECK_FALSE(is_hex("deadbeeg", 8));
        CHECK_FALSE(is_hex("dead-bee", 8));
        CHECK_FALSE(is_hex("", 8));
    }

    TEST_CASE("parse_uint reads plain decimal numbers") {
        CHECK(parse_uint("0") == std::uint64_t{0});
        CHECK(parse_uint("42") == std::uint64_t{42});
        CHECK(parse_uint("007") == std::uint64_t{7});
        CHECK(parse_uint("18446744073709551615") == UINT64_MAX);
        CHECK_FALSE(parse_uint("18446744073709551616"));
        CHECK(parse_uint("3", 3) == std::uint64_t{3});
        CHECK_FALSE(parse_uint("5", 3));
        CHECK_FALSE(parse_uint("9", 0));
        CHECK_FALSE(parse_uint("101", 100));
    }

    TEST_CASE("parse_uint rejects signs, white space and other characters") {
        CHECK_FALSE(parse_uint(""));
        CHECK_FALSE(parse_uint("-1"));
        CHECK_FALSE(parse_uint("+1"));
        CHECK_FALSE(parse_uint(" 1"));
        CHECK_FALSE(parse_uint("1 "));
        CHECK_FALSE(parse_uint("1e3"));
        CHECK_FALSE(parse_uint("0x10"));
    }

    TEST_CASE("parse_uint rejects values above max") {
        SUBCASE("a custom max is inclusive") {
            CHECK(parse_uint("100", 100) == std::uint64_t{100});
            CHECK_FALSE(parse_uint("101", 100));
            CHECK_FALSE(parse_uint("1000", 100));
        }
        SUBCASE("the default max is UINT64_MAX") {
            CHECK_FALSE(parse_uint("18446744073709551616"));
            CHECK_FALSE(parse_uint("99999999999999999999999"));
        }
    }

    TEST_CASE("quoted wraps text in double quotes and escapes control characters") {
        CHECK(quoted("abc") == "\"abc\"");
        CHECK(quoted("") == "\"\"");
        CHECK(quoted("a b") == "\"a b\"");
        CHECK(quoted("a\nb") == "\"a\\nb\"");
        CHECK(quoted("\x1b[31m") == "\"\\e[31m\"");
    }

    TEST_CASE("base64 follows RFC 4648's test vectors") {
        const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                               {"f", "Zg=="},
                                                               {"fo", "Zm8="},
                                                               {"foo", "Zm9v"},
                                                               {"foob", "Zm9vYg=="},
                                                               {"fooba", "Zm9vYmE="},
                                                               {"foobar", "Zm9vYmFy"}};
        for (auto [plain, coded] : vectors) {
            CAPTURE(plain);
            CHECK(encode_base64(plain) == coded);
            CHECK(decode_base64(coded) == std::optional<std::string>(plain));
        }
    }

    TEST_CASE("base64 round-trips every byte value") {
        std::string bytes;
        for (int i = 0; i < 256; ++i)
            bytes += static_cast<char>(i);
        for (std::size_t n = 0; n <= bytes.size(); n += 37)
            CHECK(decode_base64(encode_base64(bytes.substr(0, n))) == bytes.substr(0, n));
    }

    TEST_CASE("base64 decoding refuses anything but canonical text") {
        for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v=", "Zh==", "Zm9=", "Zm 9v", "Zm9\n",
                                "====", "Zg==Zg==", "Zm-v", "Zm_v"}) {
            CAPTURE(bad);
            CHECK(!decode_base64(bad));
        }
    }

    TEST_CASE("quoted shows long text by its first 256 bytes and its length") {
        const std::string at_limit(256, 'x');
        CHECK(quoted(at_limit) == "\"" + at_limit + "\"");
        CHECK(quoted(std::string(10'000'000, 'x')) ==
              "\"" + at_limit + "\u2026\" (10000000 bytes)");
        // Cut between characters: 255 bytes of 'a', then 2-byte characters.
        std::string mixed(255, 'a');
        for (int i = 0; i < 100; ++i)
            mixed += "\u00e9";
        CHECK(quoted(mixed) == "\"" + std::string(255, 'a') + "\u2026\" (455 bytes)");
    }

} // TEST_SUITE
