// Time windows: reading "[DAYS] HH:MM-HH:MM [ZONE]", writing it back, and
// which instants are inside, across midnight and daylight-saving changes.

#include <schedule/model/window.hpp>
#include <schedule/time/iso8601.hpp>

#include <doctest/doctest.h>

using namespace schedule;
using model::Window;

namespace {

time::Instant at(const char* iso) {
    auto parsed = time::parse_instant(iso, time::Zone::utc());
    REQUIRE_MESSAGE(parsed, iso);
    return parsed.value();
}

std::string iso(const std::optional<time::Instant>& t) {
    return t ? time::format_iso_utc(*t) : std::string("none");
}

Window window(const char* text) {
    auto w = model::parse_window(text);
    REQUIRE_MESSAGE(w, text << ": " << (w ? "" : w.error()));
    return w.value();
}

time::Zone zone(const char* name) {
    auto z = time::Zone::locate(name);
    REQUIRE(z);
    return z.value();
}

} // namespace

TEST_SUITE("model::window") {

    TEST_CASE("parse_window reads days, times and a zone") {
        CHECK(window("Mon-Fri 09:00-17:00") == Window{0x1f, 540, 1020, std::nullopt});
        CHECK(window("22:00-06:00") == Window{0x7f, 1320, 360, std::nullopt});
        CHECK(window("Sat,Sun 22:00-06:00 Europe/London") ==
              Window{0x60, 1320, 360, std::string("Europe/London")});
        CHECK(window("fri-MON 10:00-11:00").days == 0x71); // wraps over the week's end
        CHECK(window("Mon,Wed-Fri 9:30-10:00") == Window{0x1d, 570, 600, std::nullopt});
        CHECK(window("09:00-24:00").end == 1440);
        CHECK(window("  Tue   00:00-00:01  UTC ") == Window{0x02, 0, 1, std::string("UTC")});
    }

    TEST_CASE("parse_window names the part at fault") {
        auto failure = [](const char* text) {
            auto w = model::parse_window(text);
            CHECK_MESSAGE(!w, text);
            return w ? std::string() : w.error();
        };
        CHECK(failure("").starts_with("expected [DAYS] HH:MM-HH:MM [ZONE]"));
        CHECK(failure("Mon-Fri").starts_with("expected [DAYS] HH:MM-HH:MM [ZONE]"));
        CHECK(failure("Mon Fri 09:00-17:00").starts_with("expected [DAYS] HH:MM-HH:MM [ZONE]"));
        CHECK(failure("09:00-17:00 UTC extra").starts_with("expected"));
        CHECK(failure("Mon-Fry 09:00-17:00").starts_with("days: \"Mon-Fry\" is not a day"));
        CHECK(failure("Monday 09:00-17:00").starts_with("days: \"Monday\""));
        CHECK(failure("09:00-25:00").starts_with("times: \"09:00-25:00\" is not HH:MM-HH:MM"));
        CHECK(failure("24:00-01:00").starts_with("times:"));
        CHECK(failure("09:60-10:00").starts_with("times:"));
        CHECK(failure("9:0-10:00").starts_with("times:"));
        CHECK(failure("09:00-17").starts_with("times:"));
        CHECK(failure("09:00-09:00").starts_with("times: \"09:00-09:00\" starts and ends"));
        CHECK(failure("00:00-24:00").starts_with("times: \"00:00-24:00\" starts and ends"));
        CHECK(failure("09:00-17:00 Mars/Olympus").starts_with("zone: "));
    }

    TEST_CASE("parse_window quotes what it refuses: escaped, and of a long text its start") {
        auto failure = [](const std::string& text) {
            auto w = model::parse_window(text);
            REQUIRE_FALSE(w);
            return w.error();
        };
        CHECK(failure("Mo\x1b[2Jn 09:00-17:00").starts_with("days: \"Mo\\e[2Jn\" is not a day"));
        CHECK(failure("M\xffon 09:00-17:00").starts_with("days: \"M\\xffon\""));
        CHECK(failure("09:00-1\a7:00").starts_with("times: \"09:00-1\\x077:00\" is not"));
        const auto long_days = failure(std::string(1024 * 1024, 'M') + " 09:00-17:00");
        CHECK(long_days.starts_with("days: \"MMM"));
        CHECK(long_days.size() < 500);
        CHECK(failure("09:00-" + std::string(1024 * 1024, '1')).size() < 500);
    }

    TEST_CASE("to_string writes one spelling that reads back the same") {
        for (const char* text :
             {"Mon-Fri 09:00-17:00", "22:00-06:00", "Sat,Sun 22:00-06:00 Europe/London",
              "Mon,Wed,Fri 01:00-02:00", "Mon,Tue 01:00-02:00", "Mon,Fri-Sun 10:00-11:00",
              "Tue 00:00-00:01 UTC", "09:00-24:00"}) {
            CAPTURE(text);
            CHECK(model::to_string(window(text)) == text);
            CHECK(window(model::to_string(window(text)).c_str()) == window(text));
        }
        CHECK(model::to_string(window("fri-mon 9:00-10:00")) == "Mon,Fri-Sun 09:00-10:00");
        CHECK(model::to_string(window("Mon,Tue,Wed,Thu,Fri,Sat,Sun 09:00-10:00")) == "09:00-10:00");
    }

    TEST_CASE("in_window: days and times, ends excluded, and no window is always inside") {
        const auto utc = time::Zone::utc();
        const std::vector<Window> office{window("Mon-Fri 09:00-17:00")};
        CHECK(model::in_window({}, at("2026-01-17T03:00:00Z"), utc));
        // 2026-01-14 is a Wednesday.
        CHECK(model::in_window(office, at("2026-01-14T09:00:00Z"), utc));
        CHECK(model::in_window(office, at("2026-01-14T16:59:59Z"), utc));
        CHECK_FALSE(model::in_window(office, at("2026-01-14T08:59:59Z"), utc));
        CHECK_FALSE(model::in_window(office, at("2026-01-14T17:00:00Z"), utc));
        CHECK_FALSE(model::in_window(office, at("2026-01-17T10:00:00Z"), utc)); // Saturday
        // Several windows: either one.
        const std::vector<Window> two{window("Mon-Fri 09:00-17:00"), window("Sat 10:00-11:00")};
        CHECK(model::in_window(two, at("2026-01-17T10:30:00Z"), utc));
        CHECK_FALSE(model::in_window(two, at("2026-01-17T11:00:00Z"), utc));
    }

    TEST_CASE("a window across midnight belongs to the day it starts on") {
        const auto utc = time::Zone::utc();
        const std::vector<Window> friday_night{window("Fri 22:00-06:00")};
        CHECK(model::in_window(friday_night, at("2026-01-16T23:00:00Z"), utc)); // Friday
        CHECK(model::in_window(friday_night, at("2026-01-17T05:59:59Z"), utc)); // Saturday
        CHECK_FALSE(model::in_window(friday_night, at("2026-01-17T06:00:00Z"), utc));
        CHECK_FALSE(model::in_window(friday_night, at("2026-01-17T23:00:00Z"), utc));
        CHECK_FALSE(model::in_window(friday_night, at("2026-01-16T05:00:00Z"), utc));
        CHECK(iso(model::next_window_start(friday_night, at("2026-01-17T01:00:00Z"), utc)) ==
              "2026-01-23T22:00:00Z");
    }

    TEST_CASE("next_window_start: the next opening strictly after the instant") {
        const auto utc = time::Zone::utc();
        const std::vector<Window> office{window("Mon-Fri 09:00-17:00")};
        CHECK(iso(model::next_window_start(office, at("2026-01-17T10:00:00Z"), utc)) ==
              "2026-01-19T09:00:00Z"); // Saturday -> Monday
        CHECK(iso(model::next_window_start(office, at("2026-01-14T09:00:00Z"), utc)) ==
              "2026-01-15T09:00:00Z");
        CHECK(iso(model::next_window_start(office, at("2026-01-14T08:59:59Z"), utc)) ==
              "2026-01-14T09:00:00Z");
        CHECK(iso(model::next_window_start({}, at("2026-01-14T08:00:00Z"), utc)) == "none");
        const std::vector<Window> two{window("Mon-Fri 09:00-17:00"), window("Sat 10:00-11:00")};
        CHECK(iso(model::next_window_start(two, at("2026-01-16T18:00:00Z"), utc)) ==
              "2026-01-17T10:00:00Z");
    }

    TEST_CASE("a window's own zone, else the job's") {
        const auto utc = time::Zone::utc();
        const std::vector<Window> ny{window("09:00-17:00 America/New_York")};
        CHECK(model::in_window(ny, at("2026-01-14T14:00:00Z"), utc)); // 09:00 EST
        CHECK_FALSE(model::in_window(ny, at("2026-01-14T13:59:59Z"), utc));
        CHECK(model::in_window(ny, at("2026-07-14T13:00:00Z"), utc)); // 09:00 EDT
        const std::vector<Window> plain{window("09:00-17:00")};
        CHECK(model::in_window(plain, at("2026-01-14T14:00:00Z"), zone("America/New_York")));
        CHECK_FALSE(model::in_window(plain, at("2026-01-14T09:00:00Z"), zone("America/New_York")));
    }

    TEST_CASE(
        "daylight saving: a start in the gap opens at its end, and ends are wall-clock times") {
        const auto london = zone("Europe/London");
        // 2026-03-29: 01:00 GMT becomes 02:00 BST; 01:00-02:00 does not occur.
        const std::vector<Window> early{window("01:30-03:00")};
        CHECK(iso(model::next_window_start(early, at("2026-03-29T00:00:00Z"), london)) ==
              "2026-03-29T01:00:00Z"); // 02:00 BST, the gap's end
        CHECK(model::in_window(early, at("2026-03-29T01:00:00Z"), london));
        CHECK(model::in_window(early, at("2026-03-29T01:59:59Z"), london));       // 02:59:59 BST
        CHECK_FALSE(model::in_window(early, at("2026-03-29T02:00:00Z"), london)); // 03:00 BST
        // Wholly inside the gap: it does not open that day.
        const std::vector<Window> lost{window("01:10-01:50")};
        CHECK(iso(model::next_window_start(lost, at("2026-03-29T00:00:00Z"), london)) ==
              "2026-03-30T00:10:00Z"); // 01:10 BST the next day
        // 2026-10-25: 02:00 BST becomes 01:00 GMT; 01:00-02:00 happens twice.
        // A weekend night window ends at 06:00 on the wall clock: 9 hours.
        const std::vector<Window> weekend{window("Sat,Sun 22:00-06:00")};
        CHECK(iso(model::next_window_start(weekend, at("2026-10-24T12:00:00Z"), london)) ==
              "2026-10-24T21:00:00Z");                                        // Saturday 22:00 BST
        CHECK(model::in_window(weekend, at("2026-10-25T00:30:00Z"), london)); // 01:30 BST
        CHECK(model::in_window(weekend, at("2026-10-25T01:30:00Z"), london)); // 01:30 GMT
        CHECK(model::in_window(weekend, at("2026-10-25T05:59:59Z"), london));
        CHECK_FALSE(model::in_window(weekend, at("2026-10-25T06:00:00Z"), london));
        CHECK(iso(model::next_window_start(weekend, at("2026-10-25T06:00:00Z"), london)) ==
              "2026-10-25T22:00:00Z"); // Sunday 22:00 GMT
    }
}
