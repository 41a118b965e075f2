// format::Table, KeyValueList and relative times.

#include <schedule/format/style.hpp>
#include <schedule/format/table.hpp>

#include <doctest/doctest.h>

using namespace schedule;

TEST_SUITE("format::table") {

    TEST_CASE("columns are padded by display width, wide characters counting two") {
        format::Table t({"A", "B"});
        t.add_row({{"\xe6\x97\xa5\xe6\x9c\xac"}, {"x"}}); // two wide characters: width 4
        t.add_row({{"abcde"}, {"y"}});
        CHECK(t.render(false) == "A      B\n\xe6\x97\xa5\xe6\x9c\xac   x\nabcde  y\n");
    }

    TEST_CASE("cells are escaped before they are measured") {
        format::Table t({"NAME", "X"});
        t.add_row({{"a\nb"}, {"1"}});
        CHECK(t.render(false) == "NAME  X\na\\nb  1\n");
    }

    TEST_CASE("colour wraps cells only when asked") {
        format::Table t({"S"});
        t.add_row({{"ok", format::Color::green}});
        CHECK(t.render(false) == "S\nok\n");
        CHECK(t.render(true) == "\033[1mS\033[0m\n\033[32mok\033[0m\n");
    }

    TEST_CASE("a cell of spans paints each span and is measured by its text") {
        format::Table t({"RUNS", "X"});
        t.add_row(
            {{"", format::Color::none, {{"ab", format::Color::green}, {"\n", format::Color::red}}},
             {"1"}});
        t.add_row({{"abcdef"}, {"2"}});
        CHECK(t.render(false) == "RUNS    X\nab\\n    1\nabcdef  2\n");
        CHECK(t.render(true) == "\033[1mRUNS\033[0m    \033[1mX\033[0m\n"
                                "\033[32mab\033[0m\033[31m\\n\033[0m    1\n"
                                "abcdef  2\n");
        format::KeyValueList kv;
        kv.add("K", {"ignored", format::Color::red, {{"x", format::Color::green}, {"y"}}});
        CHECK(kv.render(false) == "K:  xy\n");
        CHECK(kv.render(true) == "\033[1mK:\033[0m  \033[32mx\033[0my\n");
    }

    TEST_CASE("key-value lists align their values") {
        format::KeyValueList kv;
        kv.add("ID", {"1"});
        kv.add("Longer key", {"v\x1b"});
        CHECK(kv.render(false) == "ID:          1\nLonger key:  v\\e\n");
    }

    TEST_CASE("relative times use the two largest units") {
        auto t0 = time::from_unix(1000000);
        CHECK(format::relative_time(t0, t0) == "now");
        CHECK(format::relative_time(t0 + time::Duration{45}, t0) == "in 45s");
        CHECK(format::relative_time(t0 + time::Duration{90}, t0) == "in 1m30s");
        CHECK(format::relative_time(t0 - time::Duration{7200 + 5}, t0) == "2h ago");
        CHECK(format::relative_time(t0 - time::Duration{9000}, t0) == "2h30m ago");
        CHECK(format::relative_time(t0 + time::Duration{3 * 86400 + 3600}, t0) == "in 3d1h");
    }

    TEST_CASE("relative times of a year or more count years of 365 days") {
        auto t0 = time::from_unix(1000000);
        const std::int64_t day = 86400;
        CHECK(format::relative_time(t0 + time::Duration{364 * day}, t0) == "in 364d");
        CHECK(format::relative_time(t0 + time::Duration{365 * day}, t0) == "in 1y");
        CHECK(format::relative_time(t0 - time::Duration{400 * day + 3600}, t0) == "1y35d ago");
        CHECK(format::relative_time(t0 + time::Duration{2912116 * day}, t0) == "in 7978y146d");
    }
}
