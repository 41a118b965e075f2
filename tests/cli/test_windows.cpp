// Time windows through the real binary (man page TIME WINDOWS): --window
// and --outside-window on create, update, apply; ticks stepped by
// SCHEDULE_NOW that start runs only inside a window, waiting or skipping
// outside it, across a daylight-saving change; job show, job next, queue.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::KillLeftovers;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// Seconds since the epoch of a UTC date-time.
std::int64_t unix_utc(int y, int mo, int d, int h, int mi = 0) {
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    return static_cast<std::int64_t>(timegm(&tm));
}

// ISO-8601 UTC text of `t`.
std::string iso_utc(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// One `tick --wait` at `t`; requires success.
void tick_at(Sandbox& sb, std::int64_t t) {
    sb.env["SCHEDULE_NOW"] = iso_utc(t);
    auto r = sb.run({"tick", "--wait"});
    INFO("tick at " << iso_utc(t) << ": " << r.err);
    REQUIRE(r.exit_code == 0);
}

// The job's runs as `job history` gives them, oldest first.
std::vector<json> history(const Sandbox& sb, const std::string& job) {
    auto h = sb.json({"job", "history", job, "--limit", "0", "--utc"});
    std::vector<json> out(h.rbegin(), h.rend());
    return out;
}

} // namespace

TEST_SUITE("cli: time windows") {

    TEST_CASE("a job every 4 hours allowed Mon-Fri 09:00-18:00 in New York runs only then") {
        // Fires at 00, 04, 08, 12, 16 and 20 New York time from Friday
        // 2026-12-04. Hourly ticks from Friday 00:00 to Tuesday 00:00 EST.
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        sb.env["SCHEDULE_NOW"] = "2026-12-03T23:30:00-05:00";
        sb.ok({"job", "create", "report", "--every", "4h", "--anchor", "2026-12-04T00:00", "--tz",
               "America/New_York", "--window", "Mon-Fri 09:00-18:00", "--command", "true"});
        const auto start = unix_utc(2026, 12, 4, 5); // Friday 00:00 EST
        for (int h = 0; h < 96; ++h)
            tick_at(sb, start + h * 3600);

        std::vector<std::string> started, skipped_reasons;
        std::int64_t skipped = 0;
        for (const auto& e : history(sb, "report")) {
            if (e["status"] == "queued")
                continue; // the run waiting now, below
            if (e["status"] == "skipped") {
                skipped += e["skipped_count"].get<std::int64_t>();
                skipped_reasons.push_back(e["reason"].get<std::string>());
            } else {
                CHECK(e["status"] == "completed");
                started.push_back(e["start_time"].get<std::string>());
            }
        }
        // Friday: 00:00 waits for 09:00 (04:00 and 08:00 fold into it),
        // 12:00, 16:00; 20:00 waits, through the weekend, for Monday 09:00.
        // Hourly ticks, Friday 00:00 to Monday 23:00.
        CHECK(started == std::vector<std::string>{"2026-12-04T14:00:00Z", "2026-12-04T17:00:00Z",
                                                  "2026-12-04T21:00:00Z", "2026-12-07T14:00:00Z",
                                                  "2026-12-07T17:00:00Z", "2026-12-07T21:00:00Z"});
        // Folded: Fri 04, 08; Sat and Sun 6 each; Mon 00, 04, 08 (the last
        // tick is Monday 23:00, while Monday 20:00's run waits).
        CHECK(skipped == 2 + 12 + 3);
        for (const auto& r : skipped_reasons)
            CHECK(r == "coalesced");

        // What waits now: Monday 20:00's run, for Tuesday 09:00.
        auto q = sb.json({"queue"});
        REQUIRE(q.size() == 1);
        CHECK(q[0]["queue_reason"] == "window");
        CHECK(q[0]["until"] == "2026-12-08T09:00:00-05:00");
        auto show = sb.json({"job", "show", "report"});
        CHECK(show["in_window"] == false);
        CHECK(show["next_window_start"] == "2026-12-08T09:00:00-05:00");
        CHECK(show["windows"] == json::array({"Mon-Fri 09:00-18:00"}));
        CHECK(show["outside_window"] == "wait");
    }

    TEST_CASE("an overnight weekend window in London across the October DST change") {
        // An hourly job allowed Sat,Sun 22:00-06:00, skipped outside. The
        // clocks go back at 02:00 BST on Sunday 2026-10-25, so Saturday's
        // window lasts 9 hours (01:00 comes twice), Sunday's 8.
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        sb.env["SCHEDULE_NOW"] = "2026-10-23T19:30:00Z";
        sb.ok({"job", "create", "night", "--cron", "0 * * * *", "--tz", "Europe/London", "--window",
               "Sat,Sun 22:00-06:00", "--outside-window", "skip", "--command", "true"});
        sb.env["SCHEDULE_NOW"] = "2026-10-24T20:30:00Z"; // Saturday 21:30 BST
        auto before = sb.json({"job", "show", "night"});
        CHECK(before["in_window"] == false);
        CHECK(before["next_window_start"] == "2026-10-24T22:00:00+01:00");

        const auto start = unix_utc(2026, 10, 23, 20); // Friday 21:00 BST
        const auto end = unix_utc(2026, 10, 26, 8);    // Monday 08:00 GMT
        int ticks = 0;
        for (auto t = start; t <= end; t += 3600, ++ticks)
            tick_at(sb, t);

        std::vector<std::string> started;
        std::int64_t skipped = 0;
        for (const auto& e : history(sb, "night")) {
            if (e["status"] == "skipped") {
                CHECK(e["reason"] == "window");
                skipped += e["skipped_count"].get<std::int64_t>();
            } else {
                started.push_back(e["scheduled_for"].get<std::string>());
            }
        }
        std::vector<std::string> expected;
        for (int h : {21, 22, 23})
            expected.push_back(iso_utc(unix_utc(2026, 10, 24, h)));
        for (int h : {0, 1, 2, 3, 4, 5, 22, 23})
            expected.push_back(iso_utc(unix_utc(2026, 10, 25, h)));
        for (int h : {0, 1, 2, 3, 4, 5})
            expected.push_back(iso_utc(unix_utc(2026, 10, 26, h)));
        CHECK(started == expected);
        CHECK(skipped == ticks - static_cast<std::int64_t>(expected.size()));
    }

    TEST_CASE("job next lists only the runs the windows let start") {
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-12-04T19:30:00-05:00"; // Friday
        sb.ok({"job", "create", "w", "--every", "4h", "--anchor", "2026-12-04T00:00", "--tz",
               "America/New_York", "--window", "Mon-Fri 09:00-18:00", "--command", "true"});
        auto next = sb.json({"job", "next", "w", "--count", "3"});
        CHECK(next["next"] == json::array({"2026-12-07T09:00:00-05:00", "2026-12-07T12:00:00-05:00",
                                           "2026-12-07T16:00:00-05:00"}));
        CHECK(next["waited_from"] == json::array({"2026-12-04T20:00:00-05:00", nullptr, nullptr}));
        const auto text = sb.ok({"job", "next", "w", "--count", "1"});
        CHECK(text == "2026-12-07T09:00:00-05:00  (window: due 2026-12-04T20:00:00-05:00)\n");

        sb.ok({"job", "update", "w", "--outside-window", "skip"});
        next = sb.json({"job", "next", "w", "--count", "2"});
        CHECK(next["next"] ==
              json::array({"2026-12-07T12:00:00-05:00", "2026-12-07T16:00:00-05:00"}));
        CHECK(next["waited_from"] == json::array({nullptr, nullptr}));
    }

    TEST_CASE("update replaces the windows, --clear-windows removes them") {
        Sandbox sb;
        sb.ok({"job", "create", "w", "--daily", "03:00", "--tz", "UTC", "--window",
               "Mon 01:00-02:00", "--window", "Tue 01:00-02:00", "--command", "true"});
        CHECK(sb.json({"job", "show", "w"})["windows"] ==
              json::array({"Mon 01:00-02:00", "Tue 01:00-02:00"}));
        sb.ok({"job", "update", "w", "--window", "sat,sun 22:00-06:00 Europe/London"});
        CHECK(sb.json({"job", "show", "w"})["windows"] ==
              json::array({"Sat,Sun 22:00-06:00 Europe/London"}));
        sb.ok({"job", "update", "w", "--clear-windows"});
        auto show = sb.json({"job", "show", "w"});
        CHECK(show["windows"] == json::array());
        CHECK(show["in_window"] == true);
        CHECK(show["next_window_start"].is_null());
    }

    TEST_CASE("a bad window is refused naming the field and changes nothing") {
        Sandbox sb;
        sb.ok({"job", "create", "w", "--daily", "03:00", "--command", "true"});
        const auto before = sb.dump();
        struct Case {
            Args args;
            std::string names;
        };
        const std::vector<Case> cases{
            {{"job", "create", "x", "--daily", "03:00", "--command", "true", "--window",
              "Mon-Fry 09:00-17:00"},
             "--window: days: \"Mon-Fry\""},
            {{"job", "create", "x", "--daily", "03:00", "--command", "true", "--window",
              "09:00-25:00"},
             "--window: times"},
            {{"job", "create", "x", "--daily", "03:00", "--command", "true", "--window",
              "09:00-09:00"},
             "--window: times"},
            {{"job", "create", "x", "--daily", "03:00", "--command", "true", "--window",
              "09:00-10:00 Mars/Olympus"},
             "--window: zone"},
            {{"job", "create", "x", "--daily", "03:00", "--command", "true", "--window", ""},
             "--window"},
            {{"job", "create", "x", "--daily", "03:00", "--command", "true", "--outside-window",
              "later"},
             "--outside-window: \"later\" is not wait or skip"},
            {{"job", "update", "w", "--window", "09:00-10:00", "--clear-windows"}, "--window"},
            {{"job", "update", "w", "--window", "Mon 9-10"}, "--window"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.names);
            auto r = sb.run(c.args);
            CHECK(r.exit_code == 2);
            check_error_line(r, c.names);
        }
        auto r = sb.run({"apply", "-f", "-"},
                        R"({"jobs": [{"name": "y", "command": "true",
                                      "windows": ["Mon-Fri 09:00-17:00", "Funday 10:00-11:00"]}]})");
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].windows");
        r = sb.run({"apply", "-f", "-"},
                   R"({"jobs": [{"name": "y", "command": "true", "windows": "09:00-17:00"}]})");
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].windows");
        CHECK(sb.dump() == before);
    }

    TEST_CASE("windows go through apply and a backup and back") {
        Sandbox sb;
        auto r = sb.run({"apply", "-f", "-"},
                        R"({"jobs": [{"name": "y", "command": "true", "cron": "0 * * * *",
                                      "windows": ["Sat,Sun 22:00-06:00 Europe/London"],
                                      "outside_window": "skip"}]})");
        REQUIRE(r.exit_code == 0);
        auto show = sb.json({"job", "show", "y"});
        CHECK(show["windows"] == json::array({"Sat,Sun 22:00-06:00 Europe/London"}));
        CHECK(show["outside_window"] == "skip");
        const auto backup = sb.ok({"config", "backup", "--output", "-"});
        Sandbox other;
        REQUIRE(other.run({"config", "restore", "--input", "-"}, backup).exit_code == 0);
        auto restored = other.json({"job", "show", "y"});
        CHECK(restored["windows"] == show["windows"]);
        CHECK(restored["outside_window"] == "skip");
    }
}
