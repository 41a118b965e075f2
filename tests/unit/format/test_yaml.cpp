// format::yaml_quote: any text as a double-quoted YAML scalar. Its escapes
// are the ones JSON has too, so a JSON parser reads the scalar back.

#include <schedule/format/yaml.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>

using schedule::format::yaml_quote;
using namespace std::string_literals;

TEST_SUITE("format::yaml") {

    TEST_CASE("plain text is quoted as it is") {
        CHECK(yaml_quote("") == "\"\"");
        CHECK(yaml_quote("30 2 * * *") == "\"30 2 * * *\"");
        CHECK(yaml_quote("yes") == "\"yes\""); // never a boolean
        CHECK(yaml_quote("- [a]: {b} # c & *d !e %f @g `h") ==
              "\"- [a]: {b} # c & *d !e %f @g `h\"");
        CHECK(yaml_quote("ünïcødé ✓") == "\"ünïcødé ✓\"");
    }

    TEST_CASE("quotes, backslashes and control characters are escaped") {
        CHECK(yaml_quote("say \"hi\" \\o/") == R"("say \"hi\" \\o/")");
        CHECK(yaml_quote("a\nb\tc\rd") == R"("a\nb\tc\rd")");
        CHECK(yaml_quote("\x01\x1b\x7f"s) == R"("\u0001\u001B\u007F")");
        CHECK(yaml_quote("\0x"s) == R"("\u0000x")");
    }

    TEST_CASE("separators, bidi controls, C1 controls and BOM are escaped") {
        CHECK(yaml_quote("a\u2028b\u2029c") == R"("a\u2028b\u2029c")");
        CHECK(yaml_quote("\u202eevil") == R"("\u202Eevil")");
        CHECK(yaml_quote("\u0085\u009f") == R"("\u0085\u009F")");
        CHECK(yaml_quote("\ufeffx\uffff") == R"("\uFEFFx\uFFFF")");
    }

    TEST_CASE("bytes that are not UTF-8 become U+FFFD") {
        CHECK(yaml_quote("a\xff"
                         "b") == "\"a\uFFFDb\"");
    }

    TEST_CASE("hostile strings are always quoted and read back as they are") {
        // Each would be something else as a plain scalar: a boolean or null
        // (YAML 1.1), a number, a comment, a mapping, a sequence, an alias,
        // a tag, a block scalar, or text with its spaces or breaks folded.
        for (const std::string& s : {"yes"s,
                                     "no"s,
                                     "on"s,
                                     "off"s,
                                     "y"s,
                                     "N"s,
                                     "true"s,
                                     "False"s,
                                     "null"s,
                                     "~"s,
                                     ""s,
                                     "0"s,
                                     "012"s,
                                     "0x1F"s,
                                     "1e3"s,
                                     ".inf"s,
                                     "-.5"s,
                                     "1_000"s,
                                     "12:30"s,
                                     "2026-01-01"s,
                                     "  leading spaces"s,
                                     "trailing  "s,
                                     "key: value"s,
                                     "a #comment"s,
                                     "#"s,
                                     "- item"s,
                                     "[a, b]"s,
                                     "{a: b}"s,
                                     "&anchor"s,
                                     "*alias"s,
                                     "!tag"s,
                                     "|"s,
                                     ">-"s,
                                     "%YAML"s,
                                     "@"s,
                                     "`"s,
                                     "'single'"s,
                                     "\"double\""s,
                                     "back\\slash"s,
                                     "---"s,
                                     "..."s,
                                     "line\nbreak"s,
                                     "\r\n"s,
                                     "tab\there"s,
                                     "ünïcødé ✓ 日本語"s,
                                     "\x01\x1b[31m\x7f"s,
                                     "\u0085\u2028\u2029"s,
                                     "\u202e\u2066"s,
                                     "\ufeffbom"s}) {
            INFO("text: " << s);
            const auto q = yaml_quote(s);
            REQUIRE(q.size() >= 2);
            CHECK(q.front() == '"');
            CHECK(q.back() == '"');
            // One line, nothing but printable text between the quotes.
            CHECK(std::none_of(q.begin(), q.end(),
                               [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
            // Line breaks of YAML 1.1 (NEL, U+2028, U+2029) and bidi
            // controls are escaped, never raw.
            for (const char* raw : {"\xc2\x85", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xae"})
                CHECK(q.find(raw) == std::string::npos);
            CHECK(nlohmann::json::parse(q).get<std::string>() == s);
        }
    }

    TEST_CASE("a JSON parser reads every scalar back as the text") {
        for (const std::string& s :
             {"plain"s, "q\"u\\o'te"s, "line\nbreak\r\n"s, "\x01\x02\x1f\x7f"s, "\u2028\u202e"s,
              "日本語 ✓ \U0001F600"s, "%{x} $HOME `id`"s, std::string("nul\0in", 6)}) {
            INFO("text: " << s);
            CHECK(nlohmann::json::parse(yaml_quote(s)).get<std::string>() == s);
        }
    }
}
