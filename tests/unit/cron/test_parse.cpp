#include <doctest/doctest.h>

#include <schedule/cron/expression.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <string>

using schedule::cron::Expression;
using schedule::cron::parse;

namespace {

std::uint64_t bits(std::initializer_list<int> values) {
    std::uint64_t b = 0;
    for (int v : values)
        b |= std::uint64_t{1} << v;
    return b;
}

std::uint64_t range(int lo, int hi, int step = 1) {
    std::uint64_t b = 0;
    for (int v = lo; v <= hi; v += step)
        b |= std::uint64_t{1} << v;
    return b;
}

Expression parsed(const std::string& text) {
    auto r = parse(text);
    INFO("expression: ", text, ", error: ", r.ok() ? std::string() : r.error());
    REQUIRE(r.ok());
    return *r;
}

std::string error_of(const std::string& text) {
    auto r = parse(text);
    INFO("expression: ", text);
    REQUIRE_FALSE(r.ok());
    return r.error();
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

bool contains(const std::string& s, const std::string& needle) {
    return s.find(needle) != std::string::npos;
}

// The bits of one field of a five-field expression where the others are '*'.
std::uint64_t minute_bits(const std::string& f) {
    return parsed(f + " * * * *").minutes;
}
std::uint64_t hour_bits(const std::string& f) {
    return parsed("* " + f + " * * *").hours;
}
std::uint64_t day_bits(const std::string& f) {
    return parsed("* * " + f + " * *").days;
}
std::uint64_t month_bits(const std::string& f) {
    return parsed("* * * " + f + " *").months;
}
std::uint64_t weekday_bits(const std::string& f) {
    return parsed("* * * * " + f).weekdays;
}

std::ifstream open_vector(const char* file) {
    std::string path = std::string(SCHEDULE_VECTORS_DIR) + "/" + file;
    std::ifstream in(path);
    INFO("path: ", path);
    REQUIRE(in.good());
    return in;
}

} // namespace

TEST_SUITE("cron::parse") {

    TEST_CASE("'* * * * *' allows every value of every field") {
        auto e = parsed("* * * * *");
        CHECK(e.minutes == range(0, 59));
        CHECK(e.hours == range(0, 23));
        CHECK(e.days == range(1, 31));
        CHECK(e.months == range(1, 12));
        CHECK(e.weekdays == range(0, 6));
        CHECK(e.dom_star);
        CHECK(e.dow_star);
        CHECK(e.wildcard);
        CHECK_FALSE(e.reboot);
        CHECK(e.text == "* * * * *");
    }

    TEST_CASE("single values set one bit in each field") {
        auto e = parsed("5 4 3 2 1");
        CHECK(e.minutes == bits({5}));
        CHECK(e.hours == bits({4}));
        CHECK(e.days == bits({3}));
        CHECK(e.months == bits({2}));
        CHECK(e.weekdays == bits({1}));
        CHECK(e.has_minute(5));
        CHECK_FALSE(e.has_minute(6));
        CHECK(e.has_hour(4));
        CHECK(e.has_month(2));
        CHECK_FALSE(e.dom_star);
        CHECK_FALSE(e.dow_star);
        CHECK_FALSE(e.wildcard);
    }

    TEST_CASE("the bounds of each field are accepted") {
        auto low = parsed("0 0 1 1 0");
        CHECK(low.minutes == bits({0}));
        CHECK(low.hours == bits({0}));
        CHECK(low.days == bits({1}));
        CHECK(low.months == bits({1}));
        CHECK(low.weekdays == bits({0}));
        auto high = parsed("59 23 31 12 6");
        CHECK(high.minutes == bits({59}));
        CHECK(high.hours == bits({23}));
        CHECK(high.days == bits({31}));
        CHECK(high.months == bits({12}));
        CHECK(high.weekdays == bits({6}));
    }

    TEST_CASE("ranges n-m include both ends") {
        CHECK(minute_bits("10-15") == range(10, 15));
        CHECK(minute_bits("0-59") == range(0, 59));
        CHECK(hour_bits("9-17") == range(9, 17));
        CHECK(day_bits("1-7") == range(1, 7));
        CHECK(month_bits("3-5") == range(3, 5));
        CHECK(weekday_bits("1-5") == range(1, 5));
        CHECK(minute_bits("7-7") == bits({7}));
    }

    TEST_CASE("steps */s select from the start of the field's range") {
        CHECK(minute_bits("*/15") == bits({0, 15, 30, 45}));
        CHECK(hour_bits("*/6") == bits({0, 6, 12, 18}));
        CHECK(day_bits("*/10") == bits({1, 11, 21, 31}));
        CHECK(month_bits("*/5") == bits({1, 6, 11}));
        CHECK(weekday_bits("*/2") == bits({0, 2, 4, 6}));
        CHECK(minute_bits("*/1") == range(0, 59));
    }

    TEST_CASE("a step restarts each period instead of running on") {
        // */7 minutes: :00 :07 ... :56, then :00 of the next hour, not :03.
        CHECK(minute_bits("*/7") == bits({0, 7, 14, 21, 28, 35, 42, 49, 56}));
        CHECK(hour_bits("*/5") == bits({0, 5, 10, 15, 20}));
        CHECK(day_bits("*/7") == bits({1, 8, 15, 22, 29}));
    }

    TEST_CASE("a step larger than its range fires at the range start only") {
        CHECK(minute_bits("*/60") == bits({0}));
        CHECK(minute_bits("*/100") == bits({0}));
        CHECK(hour_bits("*/24") == bits({0}));
        CHECK(day_bits("*/31") == bits({1}));
        CHECK(month_bits("*/12") == bits({1}));
        CHECK(weekday_bits("*/7") == bits({0}));
        CHECK(minute_bits("10-20/30") == bits({10}));
    }

    TEST_CASE("steps on ranges n-m/s") {
        CHECK(minute_bits("10-30/7") == bits({10, 17, 24}));
        CHECK(minute_bits("0-59/15") == bits({0, 15, 30, 45}));
        CHECK(hour_bits("9-17/4") == bits({9, 13, 17}));
        CHECK(month_bits("2-12/3") == bits({2, 5, 8, 11}));
        CHECK(weekday_bits("1-5/2") == bits({1, 3, 5}));
    }

    TEST_CASE("n/s means n-MAX/s") {
        CHECK(minute_bits("5/20") == bits({5, 25, 45}));
        CHECK(hour_bits("22/1") == bits({22, 23}));
        CHECK(day_bits("5/10") == bits({5, 15, 25}));
        CHECK(month_bits("3/4") == bits({3, 7, 11}));
        SUBCASE("MAX is 7 for day-of-week, so an odd start reaches Sunday as 7") {
            CHECK(weekday_bits("1/2") == bits({1, 3, 5, 0}));
            CHECK(weekday_bits("0/3") == bits({0, 3, 6}));
            CHECK(weekday_bits("6/1") == bits({6, 0}));
        }
    }

    TEST_CASE("lists combine every element") {
        CHECK(minute_bits("1,5,10-12,*/30") == bits({0, 1, 5, 10, 11, 12, 30}));
        CHECK(hour_bits("0,12") == bits({0, 12}));
        CHECK(day_bits("1,15") == bits({1, 15}));
    }

    TEST_CASE("0 and 7 are both Sunday") {
        CHECK(weekday_bits("0") == bits({0}));
        CHECK(weekday_bits("7") == bits({0}));
        CHECK(weekday_bits("0,7") == bits({0}));
        CHECK(weekday_bits("5-7") == bits({5, 6, 0}));
        CHECK(weekday_bits("0-7") == range(0, 6));
        CHECK(weekday_bits("6-7/2") == bits({6}));
    }

    TEST_CASE("a weekday range ending in Sunday (0) wraps up to Sunday") {
        CHECK(weekday_bits("6-0") == bits({6, 0}));
        CHECK(weekday_bits("5-0") == bits({5, 6, 0}));
        CHECK(weekday_bits("SAT-SUN") == bits({6, 0}));
        CHECK(weekday_bits("fri-sun") == bits({5, 6, 0}));
    }

    TEST_CASE("a wrapping weekday range cannot take a step") {
        auto e = error_of("* * * * 6-0/2");
        CHECK(starts_with(e, "day-of-week field: "));
        CHECK(contains(e, "step"));
        CHECK(starts_with(error_of("* * * * SAT-SUN/2"), "day-of-week field: "));
    }

    TEST_CASE("reversed ranges are errors in every field") {
        CHECK(starts_with(error_of("30-10 * * * *"), "minute field: "));
        CHECK(contains(error_of("30-10 * * * *"), "reversed range"));
        CHECK(starts_with(error_of("* 17-9 * * *"), "hour field: "));
        CHECK(starts_with(error_of("* * 20-10 * *"), "day-of-month field: "));
        CHECK(starts_with(error_of("* * * 12-1 *"), "month field: "));
        CHECK(contains(error_of("* * * DEC-JAN *"), "reversed range"));
        // Only ranges that end in Sunday wrap.
        CHECK(starts_with(error_of("* * * * 5-1"), "day-of-week field: "));
        CHECK(contains(error_of("* * * * 5-1"), "reversed range"));
        CHECK(contains(error_of("* * * * FRI-MON"), "reversed range"));
    }

    TEST_CASE("month and weekday names are case-insensitive") {
        for (const char* jan : {"JAN", "jan", "Jan", "jAN"}) {
            CAPTURE(jan);
            CHECK(month_bits(jan) == bits({1}));
        }
        for (const char* mon : {"MON", "mon", "Mon", "mOn"}) {
            CAPTURE(mon);
            CHECK(weekday_bits(mon) == bits({1}));
        }
    }

    TEST_CASE("every month and weekday name has its number") {
        const char* months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                "jul", "aug", "sep", "oct", "nov", "dec"};
        for (int m = 0; m < 12; ++m) {
            CAPTURE(months[m]);
            CHECK(month_bits(months[m]) == bits({m + 1}));
        }
        const char* days[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
        for (int d = 0; d < 7; ++d) {
            CAPTURE(days[d]);
            CHECK(weekday_bits(days[d]) == bits({d}));
        }
    }

    TEST_CASE("names work in ranges, lists and steps") {
        CHECK(weekday_bits("MON-FRI") == range(1, 5));
        CHECK(weekday_bits("mon,wed,fri") == bits({1, 3, 5}));
        CHECK(month_bits("jan-mar") == range(1, 3));
        CHECK(month_bits("JAN,JUL") == bits({1, 7}));
        CHECK(month_bits("JAN-DEC/3") == bits({1, 4, 7, 10}));
        CHECK(weekday_bits("1-FRI") == range(1, 5));
    }

    TEST_CASE("names belong to their own field only") {
        auto e = error_of("* * * MON *");
        CHECK(starts_with(e, "month field: "));
        CHECK(contains(e, "not a month name"));
        CHECK(starts_with(error_of("* * * * JAN"), "day-of-week field: "));
        CHECK(starts_with(error_of("JAN * * * *"), "minute field: "));
        CHECK(starts_with(error_of("* * MON * *"), "day-of-month field: "));
        CHECK(starts_with(error_of("* * * * MONDAY"), "day-of-week field: "));
        CHECK(starts_with(error_of("* * * JANUARY *"), "month field: "));
        CHECK(starts_with(error_of("* * * * mon-foo"), "day-of-week field: "));
    }

    TEST_CASE("macros expand to their five-field equivalents") {
        struct Case {
            const char* macro;
            const char* fields;
        };
        for (auto [macro, fields] : {Case{"@yearly", "0 0 1 1 *"}, Case{"@annually", "0 0 1 1 *"},
                                     Case{"@monthly", "0 0 1 * *"}, Case{"@weekly", "0 0 * * 0"},
                                     Case{"@daily", "0 0 * * *"}, Case{"@midnight", "0 0 * * *"},
                                     Case{"@hourly", "0 * * * *"}}) {
            CAPTURE(macro);
            auto m = parsed(macro);
            auto f = parsed(fields);
            CHECK(m.minutes == f.minutes);
            CHECK(m.hours == f.hours);
            CHECK(m.days == f.days);
            CHECK(m.months == f.months);
            CHECK(m.weekdays == f.weekdays);
            CHECK(m.dom_star == f.dom_star);
            CHECK(m.dow_star == f.dow_star);
            CHECK(m.wildcard == f.wildcard);
            CHECK_FALSE(m.reboot);
            CHECK(m.text == macro);
        }
    }

    TEST_CASE("macros are case-insensitive and keep their text in lower case") {
        auto e = parsed("@DAILY");
        CHECK(e.text == "@daily");
        CHECK(e.minutes == bits({0}));
        CHECK(e.hours == bits({0}));
        CHECK(parsed("  @Hourly ").text == "@hourly");
    }

    TEST_CASE("@hourly follows the wall clock, @daily is fixed-time") {
        CHECK(parsed("@hourly").wildcard);
        CHECK_FALSE(parsed("@daily").wildcard);
    }

    TEST_CASE("@reboot fires only after a boot, never on the calendar") {
        for (const char* text : {"@reboot", "@REBOOT", " @Reboot "}) {
            CAPTURE(text);
            auto e = parsed(text);
            CHECK(e.reboot);
            CHECK(e.text == "@reboot");
            CHECK(e.minutes == 0);
            CHECK(e.hours == 0);
            CHECK(e.days == 0);
            CHECK(e.months == 0);
            CHECK(e.weekdays == 0);
        }
    }

    TEST_CASE("unknown macros are errors") {
        for (const char* text : {"@every 5m", "@ hourly", "@", "@minutely", "@daily 0"}) {
            CAPTURE(text);
            CHECK(contains(error_of(text), "not a known macro"));
        }
        CHECK_FALSE(parse("hourly").ok());
    }

    TEST_CASE("dom_star and dow_star record whether a day field starts with '*'") {
        SUBCASE("given a day-of-month field starting with '*'") {
            auto e = parsed("0 0 */2 * 1");
            THEN("dom_star is set and the field still restricts by its values") {
                CHECK(e.dom_star);
                CHECK_FALSE(e.dow_star);
                CHECK(e.days == range(1, 31, 2));
            }
        }
        SUBCASE("given a day-of-week field starting with '*'") {
            auto e = parsed("0 0 1 * */2");
            CHECK_FALSE(e.dom_star);
            CHECK(e.dow_star);
        }
        SUBCASE("given both day fields restricted without '*'") {
            auto e = parsed("0 0 1-31 * 1");
            CHECK_FALSE(e.dom_star);
            CHECK_FALSE(e.dow_star);
            CHECK(e.days == range(1, 31));
        }
    }

    TEST_CASE("wildcard is set when the minute or hour field starts with '*'") {
        CHECK(parsed("* 3 * * *").wildcard);
        CHECK(parsed("*/15 3 * * *").wildcard);
        CHECK(parsed("0 * * * *").wildcard);
        CHECK(parsed("30 */2 * * *").wildcard);
        CHECK_FALSE(parsed("0 3 * * *").wildcard);
        CHECK_FALSE(parsed("0-59/15 1 * * *").wildcard); // no '*' in minute or hour
        CHECK_FALSE(parsed("0-59 0-23 * * *").wildcard);
        CHECK_FALSE(parsed("0 0 * * *").wildcard); // day fields do not count
    }

    TEST_CASE("matches_day uses OR when both day fields are restricted") {
        GIVEN("\"0 0 1,15 * 1\": the 1st, the 15th and every Monday") {
            auto e = parsed("0 0 1,15 * 1");
            CHECK(e.matches_day(1, 3));  // the 1st, a Wednesday
            CHECK(e.matches_day(15, 6)); // the 15th, a Saturday
            CHECK(e.matches_day(9, 1));  // a Monday
            CHECK_FALSE(e.matches_day(9, 2));
            CHECK_FALSE(e.matches_day(2, 0));
        }
        GIVEN("\"0 0 1-31 * 1\": every day, because OR") {
            auto e = parsed("0 0 1-31 * 1");
            for (int day = 1; day <= 31; ++day)
                for (int wd = 0; wd < 7; ++wd)
                    CHECK(e.matches_day(day, wd));
        }
    }

    TEST_CASE("matches_day uses AND when a day field starts with '*'") {
        GIVEN("\"0 0 */2 * 1\": odd-numbered days that are Mondays") {
            auto e = parsed("0 0 */2 * 1");
            CHECK(e.matches_day(3, 1));
            CHECK(e.matches_day(31, 1));
            CHECK_FALSE(e.matches_day(2, 1)); // even day
            CHECK_FALSE(e.matches_day(3, 2)); // not a Monday
            CHECK_FALSE(e.matches_day(4, 3));
        }
        GIVEN("\"0 0 * * 1\": Mondays only") {
            auto e = parsed("0 0 * * 1");
            CHECK(e.matches_day(10, 1));
            CHECK_FALSE(e.matches_day(10, 2));
        }
        GIVEN("\"0 0 13 * *\": the 13th only") {
            auto e = parsed("0 0 13 * *");
            CHECK(e.matches_day(13, 5));
            CHECK_FALSE(e.matches_day(14, 5));
        }
        GIVEN("\"0 0 13 * */1\": a day-of-week starting with '*' also selects AND") {
            auto e = parsed("0 0 13 * */1");
            CHECK(e.matches_day(13, 0));
            CHECK_FALSE(e.matches_day(12, 0));
        }
    }

    TEST_CASE("white space between fields is collapsed in the text") {
        auto e = parsed("  */5 \t *   * * *\n");
        CHECK(e.text == "*/5 * * * *");
        CHECK(e.minutes == range(0, 59, 5));
        CHECK(parsed("0 9 * * MON-FRI").text == "0 9 * * MON-FRI");
    }

    TEST_CASE("out-of-range values name the field and its range") {
        CHECK(error_of("60 * * * *") == "minute field: 60 is out of range 0-59");
        CHECK(error_of("* 24 * * *") == "hour field: 24 is out of range 0-23");
        CHECK(error_of("* * 0 * *") == "day-of-month field: 0 is out of range 1-31");
        CHECK(error_of("* * 32 * *") == "day-of-month field: 32 is out of range 1-31");
        CHECK(starts_with(error_of("* * * 0 *"), "month field: 0 is out of range 1-12"));
        CHECK(starts_with(error_of("* * * 13 *"), "month field: 13 is out of range 1-12"));
        CHECK(starts_with(error_of("* * * * 8"), "day-of-week field: 8 is out of range 0-7"));
        CHECK(starts_with(error_of("0-60 * * * *"), "minute field: 60 is out of range 0-59"));
        CHECK(starts_with(error_of("* * 1-32 * *"), "day-of-month field: 32 is out of range"));
        CHECK(starts_with(error_of("* * * * 0-8"), "day-of-week field: 8 is out of range"));
        CHECK(starts_with(error_of("99999999999999999999 * * * *"), "minute field: "));
    }

    TEST_CASE("malformed elements name the field and the reason") {
        struct Case {
            const char* text;
            const char* field;
            const char* reason;
        };
        for (auto [text, field, reason] : {
                 Case{"*/0 * * * *", "minute field: ", "step 0 is not allowed"},
                 Case{"0-59/0 * * * *", "minute field: ", "step 0 is not allowed"},
                 Case{"*/ * * * *", "minute field: ", "missing step"},
                 Case{"*/x * * * *", "minute field: ", "must be a positive number"},
                 Case{"*/-1 * * * *", "minute field: ", "must be a positive number"},
                 Case{"1-5/2/3 * * * *", "minute field: ", "more than one step"},
                 Case{"* 1,,2 * * *", "hour field: ", "empty list element"},
                 Case{",1 * * * *", "minute field: ", "empty list element"},
                 Case{"* 1, * * *", "hour field: ", "empty list element"},
                 Case{"5- * * * *", "minute field: ", "range without an end"},
                 Case{"5-* * * * *", "minute field: ", "cannot end in '*'"},
                 Case{"*-5 * * * *", "minute field: ", "'*' cannot be combined"},
                 Case{"* * * * -1", "day-of-week field: ", "negative"},
                 Case{"0x1 * * * *", "minute field: ", "not a valid value"},
                 Case{"1a * * * *", "minute field: ", "not a valid value"},
                 Case{"* * L * *", "day-of-month field: ", "not a valid value"},
                 Case{"* * 15W * *", "day-of-month field: ", "not a valid value"},
                 Case{"H * * * *", "minute field: ", "not a valid value"},
                 Case{"? * * * *", "minute field: ", "not a valid value"},
                 Case{"* * * * */99999999999", "day-of-week field: ", "too large"},
             }) {
            CAPTURE(text);
            auto e = error_of(text);
            CHECK(starts_with(e, field));
            CHECK(contains(e, reason));
        }
    }

    TEST_CASE("a field longer than 256 bytes is refused, and no message repeats a long field") {
        // Every minute written out is 170 bytes; leading zeros make it longer.
        std::string all;
        for (int m = 0; m < 60; ++m)
            all += (m ? ",0" : "0") + std::to_string(m);
        CHECK(parsed(all + " * * * *").minutes == range(0, 59));
        const auto huge = [](const std::string& unit) {
            std::string s;
            while (s.size() <= 1024 * 1024)
                s += unit;
            return s;
        };
        CHECK(error_of(huge("0,") + "0 * * * *") ==
              "minute field: longer than 256 bytes (1048579 given)");
        CHECK(error_of("0 0 1 " + huge("1,") + "1 *").starts_with("month field: longer than 256"));
        for (const auto& text : {"0 0 " + huge("3") + " * *", "*/" + huge("1") + " * * * *",
                                 "0 0 " + huge("30,") + "30 2 *", "0 0 1-" + huge("9") + " * *"}) {
            const auto e = error_of(text);
            CHECK(e.size() < 100);
            CHECK(e.find("longer than 256 bytes") != std::string::npos);
        }
    }

    TEST_CASE("an expression needs exactly five fields") {
        CHECK(contains(error_of(""), "empty expression"));
        CHECK(contains(error_of("   "), "empty expression"));
        CHECK(contains(error_of("* *"), "got 2"));
        CHECK(contains(error_of("* * * *"), "got 4"));
        CHECK(contains(error_of("* * * * * * *"), "got 7"));
        CHECK(contains(error_of("*"), "expected five fields"));
    }

    TEST_CASE("six fields are rejected because tick runs once a minute") {
        for (const char* text :
             {"* * * * * *", "0 */5 * * * *", "0 0 12 * * MON", "*/10 * * * * 2026"}) {
            CAPTURE(text);
            CHECK(
                starts_with(error_of(text), "seconds are not supported: tick runs once a minute"));
        }
    }

    TEST_CASE("a crontab line with a command is rejected") {
        auto e = error_of("* * * * * /bin/true");
        CHECK_FALSE(e.empty());
        CHECK(contains(e, "five"));
    }

    TEST_CASE("expressions that can never fire are rejected") {
        for (const char* text : {"0 0 30 2 *", "* * 31 11 *", "0 0 31 4,6,9,11 *", "0 0 30,31 2 *",
                                 "0 0 31 2 */1", "0 0 31 FEB *"}) {
            CAPTURE(text);
            CHECK(starts_with(error_of(text), "never fires"));
        }
    }

    TEST_CASE("rare but possible days are accepted") {
        SUBCASE("February 29 fires in leap years") {
            auto e = parsed("0 0 29 2 *");
            CHECK(e.days == bits({29}));
            CHECK(e.months == bits({2}));
        }
        SUBCASE("the 31st in a list of months that includes a long one") {
            CHECK(parsed("0 0 31 2,3 *").months == bits({2, 3}));
        }
        SUBCASE("the OR rule makes an impossible date fire on its weekday") {
            // February 30 never exists, but every Monday in February matches.
            auto e = parsed("0 0 30 2 1");
            CHECK(e.matches_day(9, 1));
        }
        SUBCASE("a day step that reaches a short month's day") {
            CHECK(parsed("0 0 */30 2 *").days == bits({1, 31}));
        }
    }

    TEST_CASE("every expression in cron_invalid.jsonl is rejected with a message") {
        auto in = open_vector("cron_invalid.jsonl");
        int count = 0;
        for (std::string line; std::getline(in, line);) {
            if (line.empty())
                continue;
            auto v = nlohmann::json::parse(line);
            auto expr = v.at("expr").get<std::string>();
            ++count;
            CAPTURE(expr.substr(0, 80));
            CAPTURE(v.value("why", std::string()));
            auto r = parse(expr);
            REQUIRE_FALSE(r.ok());
            CHECK_FALSE(r.error().empty());
        }
        CHECK(count > 30);
    }

    TEST_CASE("expressions in cron_next.jsonl parse exactly when they fire") {
        auto in = open_vector("cron_next.jsonl");
        int fires = 0;
        int never = 0;
        for (std::string line; std::getline(in, line);) {
            if (line.empty())
                continue;
            auto v = nlohmann::json::parse(line);
            auto expr = v.at("expr").get<std::string>();
            bool expect_fire = !v.at("next").empty();
            CAPTURE(v.value("id", std::string()));
            CAPTURE(expr);
            auto r = parse(expr);
            if (expect_fire) {
                ++fires;
                INFO("error: ", r.ok() ? std::string() : r.error());
                CHECK(r.ok());
            } else {
                ++never;
                REQUIRE_FALSE(r.ok());
                CHECK_FALSE(r.error().empty());
            }
        }
        CHECK(fires > 100);
        CHECK(never >= 1);
    }

} // TEST_SUITE
