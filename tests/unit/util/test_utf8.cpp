#include <doctest/doctest.h>

#include <schedule/util/utf8.hpp>

#include <string>

using namespace schedule::util;
using namespace std::string_literals;

TEST_SUITE("util::utf8") {

    TEST_CASE("decode_utf8 gives each code point and its length, or 0 for a bad byte, and the "
              "short escapes") {
        char32_t cp = 0;
        CHECK(decode_utf8("a", 0, cp) == 1);
        CHECK(cp == U'a');
        CHECK(decode_utf8("x\u00fc", 1, cp) == 2);
        CHECK(cp == U'\u00fc');
        CHECK(decode_utf8("\u202e", 0, cp) == 3);
        CHECK(cp == U'\u202e');
        CHECK(decode_utf8("\U0001F600", 0, cp) == 4);
        CHECK(cp == U'\U0001F600');
        CHECK(decode_utf8("\xff", 0, cp) == 0);
        CHECK(decode_utf8("\xc3", 0, cp) == 0);         // cut short
        CHECK(decode_utf8("\xc0\xaf", 0, cp) == 0);     // overlong
        CHECK(decode_utf8("\xed\xa0\x80", 0, cp) == 0); // a surrogate
        CHECK(std::string(short_escape(U'\n')) == "\\n");
        CHECK(std::string(short_escape(U'\t')) == "\\t");
        CHECK(std::string(short_escape(U'\r')) == "\\r");
        CHECK(short_escape(U'\x1b') == nullptr);
        CHECK(short_escape(U'n') == nullptr);
        CHECK(is_bidi_control(U'\u202e'));
        CHECK(is_bidi_control(U'\u2066'));
        CHECK_FALSE(is_bidi_control(U'a'));
    }

    TEST_CASE("is_valid_utf8 accepts well-formed text") {
        CHECK(is_valid_utf8(""));
        CHECK(is_valid_utf8("plain ascii"));
        CHECK(is_valid_utf8("caf\xc3\xa9"));              // é
        CHECK(is_valid_utf8("\xe4\xb8\xad\xe6\x96\x87")); // 中文
        CHECK(is_valid_utf8("\xf0\x9f\x98\x80"));         // U+1F600
        CHECK(is_valid_utf8("\xf4\x8f\xbf\xbf"));         // U+10FFFF, the last code point
    }

    TEST_CASE("is_valid_utf8 rejects malformed text") {
        CHECK_FALSE(is_valid_utf8("\xff"));             // never valid
        CHECK_FALSE(is_valid_utf8("\x80"));             // lone continuation byte
        CHECK_FALSE(is_valid_utf8("\xc3"));             // truncated sequence
        CHECK_FALSE(is_valid_utf8("\xe4\xb8"));         // truncated sequence
        CHECK_FALSE(is_valid_utf8("\xc0\xaf"));         // overlong '/'
        CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));     // overlong '/'
        CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate U+D800
        CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // U+110000
        CHECK_FALSE(is_valid_utf8("ok\xc3("));          // lead byte followed by a non-continuation
    }

    TEST_CASE("codepoint_count counts code points and each invalid byte as one") {
        CHECK(codepoint_count("") == 0);
        CHECK(codepoint_count("abc") == 3);
        CHECK(codepoint_count("caf\xc3\xa9") == 4);
        CHECK(codepoint_count("\xe4\xb8\xad\xe6\x96\x87") == 2);
        CHECK(codepoint_count("\xf0\x9f\x98\x80") == 1);
        CHECK(codepoint_count("a\xff\xfe"
                              "b") == 4);
    }

    TEST_CASE("has_control finds C0, DEL and C1 controls") {
        CHECK(has_control("a\nb"));
        CHECK(has_control("\t"));
        CHECK(has_control("x\x00y"s));
        CHECK(has_control("\x1b[0m"));
        CHECK(has_control("\x7f"));
        CHECK(has_control("\xc2\x85")); // U+0085 NEL
        CHECK(has_control("\xc2\x9b")); // U+009B CSI
        CHECK_FALSE(has_control(""));
        CHECK_FALSE(has_control("plain text with spaces"));
        CHECK_FALSE(has_control("\xc2\xa0")); // U+00A0 is not a control
        CHECK_FALSE(has_control("\xe4\xb8\xad"));
    }

    TEST_CASE("escape_control escapes C0 controls") {
        SUBCASE("common controls get their short escapes") {
            CHECK(escape_control("a\nb") == "a\\nb");
            CHECK(escape_control("a\tb") == "a\\tb");
            CHECK(escape_control("a\rb") == "a\\rb");
            CHECK(escape_control("\x1b[31mred") == "\\e[31mred");
        }
        SUBCASE("other C0 controls become \\xNN") {
            CHECK(escape_control("\x01") == "\\x01");
            CHECK(escape_control("\x07") == "\\x07");
            CHECK(escape_control("a\x00"
                                 "b"s) == "a\\x00b");
            CHECK(escape_control("\x1f") == "\\x1f");
        }
    }

    TEST_CASE("escape_control escapes DEL") {
        CHECK(escape_control("a\x7f"
                             "b") == "a\\x7fb");
    }

    TEST_CASE("escape_control escapes C1 controls as code points") {
        CHECK(escape_control("\xc2\x80") == "\\u0080");
        CHECK(escape_control("x\xc2\x9b"
                             "31m") == "x\\u009b31m");
        CHECK(escape_control("\xc2\x9f") == "\\u009f");
    }

    TEST_CASE("escape_control escapes bidi override and isolate characters") {
        // U+202E RIGHT-TO-LEFT OVERRIDE: the "Trojan Source" character.
        auto rlo = escape_control("abc\xe2\x80\xae"
                                  "def");
        CHECK(rlo.find("\xe2\x80\xae") == std::string::npos);
        CHECK((rlo == "abc\\u202edef" || rlo == "abc\\u202Edef"));

        for (const char* bidi : {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
                                 "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9",
                                 "\xe2\x80\x8e", "\xe2\x80\x8f", "\xd8\x9c"}) {
            CAPTURE(bidi);
            auto escaped = escape_control(bidi);
            CHECK(escaped.rfind("\\u", 0) == 0);
            CHECK(escaped.size() == 6);
        }
    }

    TEST_CASE("escape_control turns each invalid byte into \\xNN") {
        CHECK(escape_control("\xff") == "\\xff");
        CHECK(escape_control("a\xc3(") == "a\\xc3(");
        CHECK(escape_control("\xc0\xaf") == "\\xc0\\xaf");
        CHECK(escape_control("\xed\xa0\x80") == "\\xed\\xa0\\x80");
    }

    TEST_CASE("escape_control leaves printable text unchanged") {
        CHECK(escape_control("") == "");
        CHECK(escape_control("hello, world! \"quotes\" \\ backslash") ==
              "hello, world! \"quotes\" \\ backslash");
        CHECK(escape_control("caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80") ==
              "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80");
        CHECK(escape_control("\xc2\xa0") == "\xc2\xa0");
    }

    TEST_CASE("display_width counts columns") {
        SUBCASE("ASCII is one column per character") {
            CHECK(display_width("") == 0);
            CHECK(display_width("abc") == 3);
            CHECK(display_width("a b") == 3);
        }
        SUBCASE("wide CJK characters are two columns") {
            CHECK(display_width("\xe4\xb8\xad\xe6\x96\x87") == 4); // 中文
            CHECK(display_width("a\xe4\xb8\xad"
                                "b") == 4);
            CHECK(display_width("\xed\x95\x9c") == 2); // 한 (Hangul)
            CHECK(display_width("\xe3\x81\x82") == 2); // あ (Hiragana)
            CHECK(display_width("\xef\xbc\xa1") == 2); // Ａ (fullwidth A)
        }
        SUBCASE("other non-ASCII characters are one column") {
            CHECK(display_width("caf\xc3\xa9") == 4);
            CHECK(display_width("\xce\xb1\xce\xb2") == 2); // αβ
        }
        SUBCASE("combining marks take no column") {
            CHECK(display_width("e\xcc\x81") == 1); // e + COMBINING ACUTE ACCENT
            CHECK(display_width("a\xe2\x80\x8b"
                                "b") == 2); // ZERO WIDTH SPACE
        }
        SUBCASE("an invalid byte counts as one column") {
            CHECK(display_width("\xff") == 1);
            CHECK(display_width("a\xff"
                                "b") == 3);
        }
    }

    TEST_CASE("truncate_to_width keeps text that fits") {
        CHECK(truncate_to_width("abc", 3) == "abc");
        CHECK(truncate_to_width("abc", 10) == "abc");
        CHECK(truncate_to_width("", 0) == "");
        CHECK(truncate_to_width("\xe4\xb8\xad\xe6\x96\x87", 4) == "\xe4\xb8\xad\xe6\x96\x87");
    }

    TEST_CASE("truncate_to_width cuts and ends with an ellipsis") {
        SUBCASE("ASCII") {
            CHECK(truncate_to_width("abcdef", 4) == "abc\u2026");
            CHECK(truncate_to_width("abcdef", 1) == "\u2026");
            CHECK(display_width(truncate_to_width("abcdef", 4)) == 4);
        }
        SUBCASE("a wide character that would straddle the limit is dropped whole") {
            // "ab中文" is 6 columns; 4 leaves room for "ab" + "…" only.
            auto cut = truncate_to_width("ab\xe4\xb8\xad\xe6\x96\x87", 4);
            CHECK(cut == "ab\u2026");
            CHECK(display_width(cut) <= 4);
        }
        SUBCASE("wide characters that fit are kept") {
            auto cut = truncate_to_width("\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97", 5); // 中文字
            CHECK(cut == "\xe4\xb8\xad\xe6\x96\x87\u2026");
            CHECK(display_width(cut) == 5);
        }
        SUBCASE("never splits a multi-byte character") {
            auto cut = truncate_to_width("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3); // éééé
            CHECK(cut == "\xc3\xa9\xc3\xa9\u2026");
            CHECK(is_valid_utf8(cut));
        }
        SUBCASE("width zero gives nothing") {
            CHECK(truncate_to_width("abc", 0) == "");
        }
    }

    TEST_CASE("truncate_to_width never exceeds the width") {
        const char* samples[] = {"hello world", "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6",
                                 "a\xe4\xb8\xad"
                                 "b\xe6\x96\x87"
                                 "c",
                                 "e\xcc\x81\xe4\xb8\xad"};
        for (const char* s : samples) {
            for (std::size_t w = 0; w <= 12; ++w) {
                CAPTURE(s);
                CAPTURE(w);
                auto cut = truncate_to_width(s, w);
                CHECK(display_width(cut) <= w);
                CHECK(is_valid_utf8(cut));
            }
        }
    }

} // TEST_SUITE
