// `schedule next` and the trigger side of jobs through the real binary:
// the preview of a cron expression (man page PREVIEW, TIME),
// every public vector of tests/vectors/cron_next.jsonl, each trigger flag of
// `job create` with its `trigger` object and `next_execution` (man page JOB
// FIELD FLAGS, JSON REFERENCE), `job show`'s next runs, `job next`, pause and
// resume, updates, the DST policies, and the refusals of trigger flags.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

std::string args_text(const Args& args) {
    std::string s;
    for (const auto& a : args)
        s += "[" + a + "] ";
    return s;
}

// Runs `args` and requires exit 0 with nothing on stderr; returns stdout.
std::string ok_quiet(const Sandbox& sb, const Args& args) {
    auto r = sb.run(args);
    INFO("args: " << args_text(args));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    return r.out;
}

// Runs `args`, expecting refusal with `code`, one error line naming `names`,
// nothing on stdout and an unchanged store.
void check_refused(const Sandbox& sb, const Args& args, int code, const std::string& names) {
    const std::string before = sb.dump();
    auto r = sb.run(args);
    INFO("args: " << args_text(args));
    INFO("stdout: " << r.out);
    CHECK(r.exit_code == code);
    check_error_line(r, names);
    CHECK(r.out.empty());
    CHECK(sb.dump() == before);
}

// Seconds since the epoch of an instant `YYYY-MM-DDTHH:MM:SS` followed by
// `Z` or `±HH:MM`, as the binary prints them.
std::int64_t epoch_seconds(const std::string& s) {
    REQUIRE(s.size() >= 20);
    auto num = [&](std::size_t pos, std::size_t len) { return std::stoll(s.substr(pos, len)); };
    std::int64_t y = num(0, 4), m = num(5, 2), d = num(8, 2);
    // Days from civil (H. Hinnant).
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const std::int64_t days = era * 146097 + doe - 719468;
    std::int64_t t = days * 86400 + num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2);
    if (s[19] != 'Z') {
        REQUIRE(s.size() == 25);
        std::int64_t off = num(20, 2) * 3600 + num(23, 2) * 60;
        t -= s[19] == '+' ? off : -off;
    }
    return t;
}

json parse(const char* text) {
    return json::parse(text);
}

} // namespace

TEST_SUITE("cli::next") {

    TEST_CASE("next prints five instants strictly after SCHEDULE_NOW by default") {
        Sandbox sb;
        CHECK(ok_quiet(sb, {"next", "0 9 * * *"}) == "2026-01-16T09:00:00+00:00\n"
                                                     "2026-01-17T09:00:00+00:00\n"
                                                     "2026-01-18T09:00:00+00:00\n"
                                                     "2026-01-19T09:00:00+00:00\n"
                                                     "2026-01-20T09:00:00+00:00\n");
        // SCHEDULE_NOW is 10:00:00 exactly: an hourly job's next is 11:00.
        CHECK(ok_quiet(sb, {"next", "0 * * * *", "--count", "2"}) == "2026-01-15T11:00:00+00:00\n"
                                                                     "2026-01-15T12:00:00+00:00\n");
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:59:59Z";
        CHECK(ok_quiet(sb, {"next", "0 * * * *", "--count", "1"}) == "2026-01-15T11:00:00+00:00\n");
        sb.env["SCHEDULE_NOW"] = "2026-01-15T11:00:00Z";
        CHECK(ok_quiet(sb, {"next", "0 * * * *", "--count", "1"}) == "2026-01-15T12:00:00+00:00\n");
    }

    TEST_CASE("next honours --count and --from strictly after") {
        Sandbox sb;
        CHECK(ok_quiet(sb, {"next", "*/20 * * * *", "--count", "3"}) ==
              "2026-01-15T10:20:00+00:00\n"
              "2026-01-15T10:40:00+00:00\n"
              "2026-01-15T11:00:00+00:00\n");
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--count", "2", "--from",
                            "2026-01-15T09:00:00Z"}) == "2026-01-16T09:00:00+00:00\n"
                                                        "2026-01-17T09:00:00+00:00\n");
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--count", "2", "--from",
                            "2026-01-15T08:59:59Z"}) == "2026-01-15T09:00:00+00:00\n"
                                                        "2026-01-16T09:00:00+00:00\n");
        // --from in the past of SCHEDULE_NOW is used as given.
        CHECK(ok_quiet(sb, {"next", "0 0 1 1 *", "--count", "2", "--from", "2020-06-01"}) ==
              "2021-01-01T00:00:00+00:00\n"
              "2022-01-01T00:00:00+00:00\n");
        CHECK(ok_quiet(sb, {"next", "0 0 29 2 *", "--count", "3", "--utc"}) ==
              "2028-02-29T00:00:00Z\n"
              "2032-02-29T00:00:00Z\n"
              "2036-02-29T00:00:00Z\n");
        auto many = sb.json({"next", "* * * * *", "--count", "1000"});
        REQUIRE(many["next"].size() == 1000);
        CHECK(many["next"][0] == "2026-01-15T10:01:00+00:00");
        CHECK(many["next"][999] == "2026-01-16T02:40:00+00:00");
    }

    TEST_CASE("next shows the zone offset and --utc gives Z") {
        Sandbox sb;
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "Europe/Berlin", "--count", "2"}) ==
              "2026-01-16T09:00:00+01:00\n"
              "2026-01-17T09:00:00+01:00\n");
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "Europe/Berlin", "--count", "2",
                            "--utc"}) == "2026-01-16T08:00:00Z\n"
                                         "2026-01-17T08:00:00Z\n");
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "Asia/Kolkata", "--count", "1"}) ==
              "2026-01-16T09:00:00+05:30\n");
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "America/New_York", "--count", "1",
                            "--from", "2026-07-01T00:00"}) == "2026-07-01T09:00:00-04:00\n");
        // SCHEDULE_NOW 10:00Z is 11:00 in Berlin: an 11:00 job fires tomorrow.
        CHECK(ok_quiet(sb, {"next", "0 11 * * *", "--tz", "Europe/Berlin", "--count", "1"}) ==
              "2026-01-16T11:00:00+01:00\n");
    }

    TEST_CASE("next reads --from without an offset in --tz") {
        Sandbox sb;
        // 08:30 in Berlin is 07:30Z: 09:00 Berlin the same day comes next.
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "Europe/Berlin", "--from",
                            "2026-01-15T08:30", "--count", "1"}) == "2026-01-15T09:00:00+01:00\n");
        // 08:30Z is 09:30 in Berlin: tomorrow.
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "Europe/Berlin", "--from",
                            "2026-01-15T08:30Z", "--count", "1"}) == "2026-01-16T09:00:00+01:00\n");
        CHECK(ok_quiet(sb, {"next", "0 9 * * *", "--tz", "Asia/Kolkata", "--from",
                            "2026-01-15T09:00+05:30", "--count", "1"}) ==
              "2026-01-16T09:00:00+05:30\n");
        // A date alone is midnight in the zone.
        CHECK(ok_quiet(sb, {"next", "30 2 * * *", "--tz", "America/New_York", "--from",
                            "2025-03-08", "--count", "3"}) ==
              "2025-03-08T02:30:00-05:00\n"
              "2025-03-09T03:00:00-04:00  (dst: moved from 02:30)\n"
              "2025-03-10T02:30:00-04:00\n");
    }

    TEST_CASE("next takes the default zone from TZ and reads SCHEDULE_NOW in it") {
        Sandbox sb;
        sb.env["TZ"] = "Europe/Berlin";
        auto j = sb.json({"next", "0 * * * *", "--count", "2"});
        CHECK(j["timezone"] == "Europe/Berlin");
        CHECK(j["next"] == json({"2026-01-15T12:00:00+01:00", "2026-01-15T13:00:00+01:00"}));
        // Without an offset SCHEDULE_NOW is 10:00 in Berlin (09:00Z).
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00";
        CHECK(ok_quiet(sb, {"next", "0 * * * *", "--count", "1"}) == "2026-01-15T11:00:00+01:00\n");
        sb.env["TZ"] = ":Asia/Tokyo";
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
        CHECK(ok_quiet(sb, {"next", "0 * * * *", "--count", "1"}) == "2026-01-15T20:00:00+09:00\n");
    }

    TEST_CASE("next marks fires that DST moved or repeated") {
        Sandbox sb;
        const Args ny = {"--tz", "America/New_York"};

        SUBCASE("a fixed time in the spring-forward gap moves after it") {
            Args args =
                concat({"next", "30 2 * * *", "--from", "2025-03-08T12:00", "--count", "3"}, ny);
            CHECK(ok_quiet(sb, args) == "2025-03-09T03:00:00-04:00  (dst: moved from 02:30)\n"
                                        "2025-03-10T02:30:00-04:00\n"
                                        "2025-03-11T02:30:00-04:00\n");
            CHECK(ok_quiet(sb, concat(args, {"--utc"})) ==
                  "2025-03-09T07:00:00Z  (dst: moved from 02:30)\n"
                  "2025-03-10T06:30:00Z\n"
                  "2025-03-11T06:30:00Z\n");
            auto j = sb.json(args);
            CHECK(j["dst"] == json({"moved", nullptr, nullptr}));
        }
        SUBCASE("a fixed time in the fall-back overlap fires once and is marked") {
            Args args =
                concat({"next", "30 1 * * *", "--from", "2025-11-01T12:00", "--count", "3"}, ny);
            CHECK(ok_quiet(sb, args) == "2025-11-02T01:30:00-04:00  (dst: repeated hour)\n"
                                        "2025-11-03T01:30:00-05:00\n"
                                        "2025-11-04T01:30:00-05:00\n");
            CHECK(sb.json(args) == parse(R"({"expression": "30 1 * * *",
                "timezone": "America/New_York",
                "next": ["2025-11-02T01:30:00-04:00", "2025-11-03T01:30:00-05:00",
                         "2025-11-04T01:30:00-05:00"],
                "dst": ["repeated", null, null]})"));
        }
        SUBCASE("a wildcard job runs in both passes of the repeated hour") {
            Args args =
                concat({"next", "0 * * * *", "--from", "2025-11-02T00:00", "--count", "4"}, ny);
            CHECK(ok_quiet(sb, args) == "2025-11-02T01:00:00-04:00  (dst: repeated hour)\n"
                                        "2025-11-02T01:00:00-05:00  (dst: repeated hour)\n"
                                        "2025-11-02T02:00:00-05:00\n"
                                        "2025-11-02T03:00:00-05:00\n");
            CHECK(ok_quiet(sb, concat(args, {"--utc"})) ==
                  "2025-11-02T05:00:00Z  (dst: repeated hour)\n"
                  "2025-11-02T06:00:00Z  (dst: repeated hour)\n"
                  "2025-11-02T07:00:00Z\n"
                  "2025-11-02T08:00:00Z\n");
            auto j = sb.json(concat(args, {"--utc"}));
            CHECK(j["next"] == json({"2025-11-02T05:00:00Z", "2025-11-02T06:00:00Z",
                                     "2025-11-02T07:00:00Z", "2025-11-02T08:00:00Z"}));
            CHECK(j["dst"] == json({"repeated", "repeated", nullptr, nullptr}));
        }
        SUBCASE("a wildcard job does not run in the skipped hour") {
            Args args =
                concat({"next", "0 * * * *", "--from", "2025-03-09T00:30", "--count", "3"}, ny);
            CHECK(ok_quiet(sb, args) == "2025-03-09T01:00:00-05:00\n"
                                        "2025-03-09T03:00:00-04:00\n"
                                        "2025-03-09T04:00:00-04:00\n");
            CHECK(sb.json(args)["dst"] == json({nullptr, nullptr, nullptr}));
        }
    }

    TEST_CASE("next JSON has expression timezone next and a parallel dst array") {
        Sandbox sb;
        CHECK(sb.json({"next", "0 9 * * *", "--count", "2"}) ==
              parse(R"({"expression": "0 9 * * *", "timezone": "UTC",
                        "next": ["2026-01-16T09:00:00+00:00", "2026-01-17T09:00:00+00:00"],
                        "dst": [null, null]})"));
        CHECK(sb.json({"next", "0 9 * * *", "--count", "1", "--utc"}) ==
              parse(R"({"expression": "0 9 * * *", "timezone": "UTC",
                        "next": ["2026-01-16T09:00:00Z"], "dst": [null]})"));
        CHECK(sb.json({"next", "0 9 * * *", "--count", "1", "--tz", "Europe/Berlin"}) ==
              parse(R"({"expression": "0 9 * * *", "timezone": "Europe/Berlin",
                        "next": ["2026-01-16T09:00:00+01:00"], "dst": [null]})"));
        auto r = sb.run({"next", "0 9 * * *", "-o", "json", "--count", "1"});
        CHECK(r.exit_code == 0);
        CHECK(json::parse(r.out)["next"] == json({"2026-01-16T09:00:00+00:00"}));
        check_refused(sb, {"next", "0 9 * * *", "--format", "csv"}, 2, "--format");
    }

    TEST_CASE("next expands the macros") {
        Sandbox sb;
        struct Macro {
            const char* expr;
            std::vector<std::string> next;
        };
        const std::vector<Macro> macros = {
            {"@hourly", {"2026-01-15T11:00:00+00:00", "2026-01-15T12:00:00+00:00"}},
            {"@daily", {"2026-01-16T00:00:00+00:00", "2026-01-17T00:00:00+00:00"}},
            {"@midnight", {"2026-01-16T00:00:00+00:00", "2026-01-17T00:00:00+00:00"}},
            {"@weekly", {"2026-01-18T00:00:00+00:00", "2026-01-25T00:00:00+00:00"}},
            {"@monthly", {"2026-02-01T00:00:00+00:00", "2026-03-01T00:00:00+00:00"}},
            {"@yearly", {"2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00"}},
            {"@annually", {"2027-01-01T00:00:00+00:00", "2028-01-01T00:00:00+00:00"}},
        };
        for (const auto& m : macros) {
            const std::string expr = m.expr;
            CAPTURE(expr);
            auto j = sb.json({"next", m.expr, "--count", "2"});
            CHECK(j["expression"] == m.expr);
            CHECK(j["next"] == json(m.next));
        }
    }

    TEST_CASE("next @reboot exits 0 and prints nothing") {
        Sandbox sb;
        auto r = sb.run({"next", "@reboot"});
        CHECK(r.exit_code == 0);
        CHECK(r.out.empty());
        CHECK(r.err.empty());
        CHECK(sb.json({"next", "@reboot"}) ==
              parse(R"({"expression": "@reboot", "timezone": "UTC", "next": [], "dst": []})"));
    }

    TEST_CASE("next refuses an invalid expression naming the field and the reason") {
        Sandbox sb;
        struct Bad {
            const char* expr;
            const char* says;
        };
        const std::vector<Bad> bad = {
            {"60 * * * *", "minute field: 60 is out of range 0-59"},
            {"0 24 * * *", "hour field: 24 is out of range 0-23"},
            {"0 0 * * * *", "seconds are not supported"},
            {"0 0 30 2 *", "never fires"},
            {"* * 31 11 *", "never fires"},
            {"5-1 * * * *", "minute field"},
            {"* * *", "five fields"},
            {"", "empty"},
            {"@foo", "@foo"},
        };
        for (const auto& b : bad) {
            const std::string expr = b.expr;
            CAPTURE(expr);
            auto r = sb.run({"next", b.expr});
            CHECK(r.exit_code == 2);
            CHECK(r.out.empty());
            check_error_line(r, b.says);
        }
    }

    TEST_CASE("next refuses a bad --tz --from or --count") {
        Sandbox sb;
        const Args base = {"next", "0 9 * * *"};
        for (const char* tz : {"Mars/Olympus", "", "UTC+25"}) {
            const std::string shown_tz = tz;
            CAPTURE(shown_tz);
            check_refused(sb, concat(base, {"--tz", tz}), 2, "--tz");
        }
        for (const char* from : {"garbage", "2026-13-01", "2026-02-30T10:00", "2026-01-15T25:00"}) {
            const std::string shown_from = from;
            CAPTURE(shown_from);
            check_refused(sb, concat(base, {"--from", from}), 2, "--from");
        }
        for (const char* count : {"0", "-1", "abc", "1000001", "", "1.5"}) {
            const std::string shown_count = count;
            CAPTURE(shown_count);
            check_refused(sb, concat(base, {"--count", count}), 2, "--count");
        }
        auto max = sb.run(concat(base, {"--count", "1000000", "--format", "json"}));
        CHECK(max.exit_code == 0);
    }

    TEST_CASE("next never creates the store") {
        Sandbox sb;
        namespace fs = std::filesystem;
        sb.run({"next", "0 9 * * *"});
        sb.run({"next", "0 9 * * *", "--format", "json"});
        sb.run({"next", "@reboot"});
        sb.run({"next", "60 * * * *"});
        sb.run({"next", "0 9 * * *", "--count", "0"});
        CHECK_FALSE(fs::exists(sb.store()));
        CHECK_FALSE(fs::exists(sb.store().parent_path()));
        CHECK(sb.dump().empty());
    }

    TEST_CASE("next gives every public vector of cron_next.jsonl") {
        Sandbox sb;
        std::ifstream in(std::string(SCHEDULE_SOURCE_DIR) + "/tests/vectors/cron_next.jsonl");
        REQUIRE(in);
        std::string line;
        int total = 0, passed = 0, never = 0;
        while (std::getline(in, line)) {
            if (line.empty())
                continue;
            ++total;
            auto v = json::parse(line);
            const std::string id = v["id"];
            const std::vector<std::string> want = v["next"];
            const std::size_t count = want.empty() ? 5 : want.size();
            auto r = sb.run({"next", v["expr"], "--tz", v["tz"], "--from", v["start"], "--count",
                             std::to_string(count), "--utc", "--format", "json"});
            INFO("vector " << id << ": " << line);
            INFO("stdout: " << r.out);
            INFO("stderr: " << r.err);
            if (want.empty()) {
                ++never;
                CHECK(r.exit_code == 2);
                CHECK(r.out.empty());
                check_error_line(r, "never fires");
                if (r.exit_code == 2 && r.out.empty())
                    ++passed;
                continue;
            }
            REQUIRE(r.exit_code == 0);
            auto got = json::parse(r.out);
            CHECK(got["next"] == json(want));
            CHECK(got["timezone"] == v["tz"]);
            CHECK(got["dst"].size() == want.size());
            if (got["next"] == json(want))
                ++passed;
        }
        MESSAGE("cron_next.jsonl: " << passed << " of " << total << " vectors pass (" << never
                                    << " never fire)");
        CHECK(total >= 196);
        CHECK(passed == total);
    }

    TEST_CASE("each trigger flag gives the documented trigger object and next execution") {
        Sandbox sb;
        struct Case {
            const char* name;
            Args flags;
            const char* trigger;        // exact JSON of `trigger`
            const char* cron;           // cron_expression, nullptr for null
            const char* next_execution; // nullptr for null
        };
        const std::vector<Case> cases = {
            {"cron",
             {"--cron", "*/15 * * * *"},
             R"({"type": "cron", "expression": "*/15 * * * *"})",
             "*/15 * * * *",
             "2026-01-15T10:15:00+00:00"},
            {"macro",
             {"--cron", "@daily"},
             R"({"type": "cron", "expression": "@daily"})",
             "@daily",
             "2026-01-16T00:00:00+00:00"},
            {"reboot",
             {"--cron", "@reboot"},
             R"({"type": "reboot", "expression": "@reboot"})",
             "@reboot",
             nullptr},
            {"daily",
             {"--daily", "09:30"},
             R"({"type": "daily", "at": "09:30", "expression": "30 9 * * *"})",
             "30 9 * * *",
             "2026-01-16T09:30:00+00:00"},
            {"daily later today",
             {"--daily", "23:05"},
             R"({"type": "daily", "at": "23:05", "expression": "5 23 * * *"})",
             "5 23 * * *",
             "2026-01-15T23:05:00+00:00"},
            {"weekly two names",
             {"--weekly", "MON,THU@09:30"},
             R"({"type": "weekly", "at": "MON,THU@09:30", "expression": "30 9 * * MON,THU"})",
             "30 9 * * MON,THU",
             "2026-01-19T09:30:00+00:00"},
            {"weekly today later",
             {"--weekly", "THU@12:00"},
             R"({"type": "weekly", "at": "THU@12:00", "expression": "0 12 * * THU"})",
             "0 12 * * THU",
             "2026-01-15T12:00:00+00:00"},
            {"monthly",
             {"--monthly", "15@09:30"},
             R"({"type": "monthly", "at": "15@09:30", "expression": "30 9 15 * *"})",
             "30 9 15 * *",
             "2026-02-15T09:30:00+00:00"},
            {"monthly list",
             {"--monthly", "1,15@12:00"},
             R"({"type": "monthly", "at": "1,15@12:00", "expression": "0 12 1,15 * *"})",
             "0 12 1,15 * *",
             "2026-01-15T12:00:00+00:00"},
            {"monthly 31",
             {"--monthly", "31@00:00"},
             R"({"type": "monthly", "at": "31@00:00", "expression": "0 0 31 * *"})",
             "0 0 31 * *",
             "2026-01-31T00:00:00+00:00"},
            {"every",
             {"--every", "15m"},
             R"({"type": "every", "every": "15m", "anchor": "2026-01-15T10:00:00+00:00"})",
             nullptr,
             "2026-01-15T10:15:00+00:00"},
            {"every anchored",
             {"--every", "1h30m", "--anchor", "2026-01-15T09:50"},
             R"({"type": "every", "every": "1h30m", "anchor": "2026-01-15T09:50:00+00:00"})",
             nullptr,
             "2026-01-15T11:20:00+00:00"},
            {"every anchored with an offset",
             {"--every", "1d", "--anchor", "2026-01-01T00:00:00+01:00"},
             R"({"type": "every", "every": "1d", "anchor": "2025-12-31T23:00:00+00:00"})",
             nullptr,
             "2026-01-15T23:00:00+00:00"},
            {"every anchored in the future",
             {"--every", "1h", "--anchor", "2026-01-20T00:00"},
             R"({"type": "every", "every": "1h", "anchor": "2026-01-20T00:00:00+00:00"})",
             nullptr,
             "2026-01-20T00:00:00+00:00"},
            {"at",
             {"--at", "2026-02-01T12:00"},
             R"({"type": "at", "at": "2026-02-01T12:00:00+00:00"})",
             nullptr,
             "2026-02-01T12:00:00+00:00"},
            {"manual", {}, R"({"type": "manual"})", nullptr, nullptr},
        };
        for (const auto& c : cases) {
            const std::string name = c.name;
            CAPTURE(name);
            auto job = sb.json(concat({"job", "create", c.name, "--command", "true"}, c.flags));
            CHECK(job["trigger"] == json::parse(c.trigger));
            if (c.cron)
                CHECK(job["cron_expression"] == c.cron);
            else
                CHECK(job["cron_expression"].is_null());
            if (c.next_execution)
                CHECK(job["next_execution"] == c.next_execution);
            else
                CHECK(job["next_execution"].is_null());
            // Stored as created.
            auto shown = sb.json({"job", "show", c.name});
            CHECK(shown["trigger"] == job["trigger"]);
            CHECK(shown["cron_expression"] == job["cron_expression"]);
            CHECK(shown["next_execution"] == job["next_execution"]);
            if (c.next_execution) {
                REQUIRE(shown["next_runs"].size() >= 1);
                CHECK(shown["next_runs"][0] == c.next_execution);
            } else {
                CHECK(shown["next_runs"] == json::array());
            }
        }
    }

    TEST_CASE("weekly takes day names numbers and lists") {
        Sandbox sb;
        // `trigger.at` is not checked here: the binary normalises it ("monday@08:00"
        // gives "MON@08:00", "0,6@07:15" gives "SUN,SAT@07:15") where the man page's
        // Trigger object says "the text as written".
        struct Case {
            const char* spec;
            const char* expression;
            const char* next;
        };
        const std::vector<Case> cases = {
            {"monday@08:00", "0 8 * * MON", "2026-01-19T08:00:00+00:00"},
            {"mon@08:00", "0 8 * * MON", "2026-01-19T08:00:00+00:00"},
            {"0,6@07:15", "15 7 * * SUN,SAT", "2026-01-17T07:15:00+00:00"},
            {"7@07:15", "15 7 * * SUN", "2026-01-18T07:15:00+00:00"},
            {"FRI@23:59", "59 23 * * FRI", "2026-01-16T23:59:00+00:00"},
        };
        int n = 0;
        for (const auto& c : cases) {
            const std::string spec = c.spec;
            CAPTURE(spec);
            auto job = sb.json({"job", "create", "w" + std::to_string(++n), "--command", "true",
                                "--weekly", c.spec});
            CHECK(job["trigger"]["type"] == "weekly");
            CHECK(job["trigger"]["expression"] == c.expression);
            CHECK(job["cron_expression"] == c.expression);
            CHECK(job["next_execution"] == c.next);
        }
        auto berlin = sb.json({"job", "create", "berlin", "--command", "true", "--weekly",
                               "FRI@23:59", "--tz", "Europe/Berlin"});
        CHECK(berlin["timezone"] == "Europe/Berlin");
        CHECK(berlin["next_execution"] == "2026-01-16T23:59:00+01:00");
    }

    TEST_CASE("every is a grid from the creation minute or the anchor") {
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:07:45Z";
        auto job = sb.json({"job", "create", "grid", "--command", "true", "--every", "10m"});
        CHECK(job["trigger"]["anchor"] == "2026-01-15T10:07:00+00:00");
        CHECK(job["next_execution"] == "2026-01-15T10:17:00+00:00");
        CHECK(sb.json({"job", "show", "grid"})["next_runs"] ==
              json({"2026-01-15T10:17:00+00:00", "2026-01-15T10:27:00+00:00",
                    "2026-01-15T10:37:00+00:00", "2026-01-15T10:47:00+00:00",
                    "2026-01-15T10:57:00+00:00"}));
        // A bare integer is seconds, and a grid of real time ignores DST.
        auto minute = sb.json({"job", "create", "minute", "--command", "true", "--every", "60"});
        CHECK(minute["next_execution"] == "2026-01-15T10:08:00+00:00");
        sb.env["SCHEDULE_NOW"] = "2026-03-07T12:00:00Z";
        sb.json({"job", "create", "ny", "--command", "true", "--every", "1d", "--anchor",
                 "2026-03-01T12:00", "--tz", "America/New_York"});
        CHECK(ok_quiet(sb, {"job", "next", "ny", "--count", "3", "--utc"}) ==
              "2026-03-07T17:00:00Z\n"
              "2026-03-08T17:00:00Z\n"
              "2026-03-09T17:00:00Z\n");
        CHECK(ok_quiet(sb, {"job", "next", "ny", "--count", "3"}) == "2026-03-07T12:00:00-05:00\n"
                                                                     "2026-03-08T13:00:00-04:00\n"
                                                                     "2026-03-09T13:00:00-04:00\n");
    }

    TEST_CASE("at fires once in the job zone") {
        Sandbox sb;
        auto job = sb.json({"job", "create", "once", "--command", "true", "--at",
                            "2026-02-01T12:00+02:00", "--tz", "Asia/Tokyo"});
        CHECK(job["trigger"] == parse(R"({"type": "at", "at": "2026-02-01T19:00:00+09:00"})"));
        CHECK(job["next_execution"] == "2026-02-01T19:00:00+09:00");
        auto local = sb.json({"job", "create", "local", "--command", "true", "--at",
                              "2026-02-01T12:00", "--tz", "Asia/Tokyo"});
        CHECK(local["next_execution"] == "2026-02-01T12:00:00+09:00");
        CHECK(ok_quiet(sb, {"job", "next", "once", "--count", "3"}) ==
              "2026-02-01T19:00:00+09:00\n");
        CHECK(ok_quiet(sb, {"job", "next", "once", "--utc"}) == "2026-02-01T10:00:00Z\n");
    }

    TEST_CASE("jitter is included in next_execution and the previews") {
        Sandbox sb;
        auto job = sb.json({"job", "create", "jit", "--command", "true", "--cron", "0 12 * * *",
                            "--jitter", "10m"});
        CHECK(job["jitter_seconds"] == 600);
        const std::int64_t base = epoch_seconds("2026-01-15T12:00:00+00:00");
        const std::int64_t offset = epoch_seconds(job["next_execution"]) - base;
        CHECK(offset >= 0);
        CHECK(offset < 600);
        auto shown = sb.json({"job", "show", "jit"});
        REQUIRE(shown["next_runs"].size() == 5);
        for (int i = 0; i < 5; ++i)
            CHECK(epoch_seconds(shown["next_runs"][i]) == base + i * 86400 + offset);
        CHECK(shown["next_runs"][0] == job["next_execution"]);
        CHECK(sb.json({"job", "next", "jit"})["next"] == shown["next_runs"]);
        // Stable: the same job keeps the same delay.
        sb.env["SCHEDULE_NOW"] = "2026-01-15T11:00:00Z";
        auto updated = sb.json({"job", "update", "jit", "--description", "x"});
        CHECK(updated["next_execution"] == job["next_execution"]);
        auto again = sb.json({"job", "update", "jit", "--cron", "0 13 * * *"});
        CHECK(epoch_seconds(again["next_execution"]) ==
              epoch_seconds("2026-01-15T13:00:00+00:00") + offset);

        // A daily trigger with a jitter of an hour.
        auto daily = sb.json(
            {"job", "create", "jd", "--command", "true", "--daily", "12:00", "--jitter", "1h"});
        CHECK(daily["jitter_seconds"] == 3600);
        const std::int64_t d = epoch_seconds(daily["next_execution"]) - base;
        CHECK(d >= 0);
        CHECK(d < 3600);
        // At most one day is accepted.
        auto day = sb.json(
            {"job", "create", "jday", "--command", "true", "--daily", "12:00", "--jitter", "1d"});
        CHECK(day["jitter_seconds"] == 86400);
    }

    TEST_CASE("job show lists five next runs with next_runs_dst") {
        Sandbox sb;
        sb.json({"job", "create", "d", "--command", "true", "--daily", "09:30"});
        auto shown = sb.json({"job", "show", "d"});
        CHECK(shown["next_runs"] == json({"2026-01-16T09:30:00+00:00", "2026-01-17T09:30:00+00:00",
                                          "2026-01-18T09:30:00+00:00", "2026-01-19T09:30:00+00:00",
                                          "2026-01-20T09:30:00+00:00"}));
        CHECK(shown["next_runs_dst"] == json({nullptr, nullptr, nullptr, nullptr, nullptr}));

        sb.env["SCHEDULE_NOW"] = "2026-10-30T12:00:00Z";
        sb.json({"job", "create", "ov", "--command", "true", "--cron", "30 1 * * *", "--tz",
                 "America/New_York"});
        shown = sb.json({"job", "show", "ov"});
        CHECK(shown["next_runs"] == json({"2026-10-31T01:30:00-04:00", "2026-11-01T01:30:00-04:00",
                                          "2026-11-02T01:30:00-05:00", "2026-11-03T01:30:00-05:00",
                                          "2026-11-04T01:30:00-05:00"}));
        CHECK(shown["next_runs_dst"] == json({nullptr, "repeated", nullptr, nullptr, nullptr}));
        CHECK(shown["dst_gap"] == "run");
        CHECK(shown["dst_overlap"] == "once");
    }

    TEST_CASE("job next lists what job show lists") {
        Sandbox sb;
        std::string id = sb.json(
            {"job", "create", "web", "--command", "true", "--cron", "*/15 * * * *"})["job_id"];
        auto shown = sb.json({"job", "show", "web"});
        auto next = sb.json({"job", "next", "web"});
        CHECK(next["next"] == shown["next_runs"]);
        CHECK(next["dst"] == shown["next_runs_dst"]);
        CHECK(next["waited_from"] == shown["next_runs_waited_from"]);
        CHECK(next == json({{"job_id", id},
                            {"name", "web"},
                            {"timezone", "UTC"},
                            {"status", "active"},
                            {"trigger", parse(R"({"type": "cron", "expression": "*/15 * * * *"})")},
                            {"cron_expression", "*/15 * * * *"},
                            {"next", shown["next_runs"]},
                            {"dst", shown["next_runs_dst"]},
                            {"waited_from", shown["next_runs_waited_from"]}}));
        CHECK(ok_quiet(sb, {"job", "next", id}) == "2026-01-15T10:15:00+00:00\n"
                                                   "2026-01-15T10:30:00+00:00\n"
                                                   "2026-01-15T10:45:00+00:00\n"
                                                   "2026-01-15T11:00:00+00:00\n"
                                                   "2026-01-15T11:15:00+00:00\n");
        CHECK(ok_quiet(sb, {"job", "next", "web", "--count", "2"}) ==
              "2026-01-15T10:15:00+00:00\n"
              "2026-01-15T10:30:00+00:00\n");
        auto long_list = sb.json({"job", "next", "web", "--count", "100"});
        REQUIRE(long_list["next"].size() == 100);
        CHECK(long_list["next"][99] == "2026-01-16T11:00:00+00:00");
        for (int i = 0; i < 5; ++i)
            CHECK(long_list["next"][i] == shown["next_runs"][i]);

        // A job without a schedule, or @reboot, lists nothing (and says why
        // on stderr, see below).
        sb.json({"job", "create", "byhand", "--command", "true"});
        CHECK(sb.ok({"job", "next", "byhand"}).empty());
        auto manual = sb.json({"job", "next", "byhand"});
        CHECK(manual["next"] == json::array());
        CHECK(manual["dst"] == json::array());
        CHECK(manual["cron_expression"].is_null());
        CHECK(manual["trigger"] == parse(R"({"type": "manual"})"));
        sb.json({"job", "create", "boot", "--command", "true", "--cron", "@reboot"});
        CHECK(sb.ok({"job", "next", "boot"}).empty());
    }

    TEST_CASE("job next honours the start and end dates") {
        Sandbox sb;
        auto job = sb.json({"job", "create", "window", "--command", "true", "--daily", "08:00",
                            "--start-date", "2026-02-01", "--end-date", "2026-02-03T08:00"});
        CHECK(job["start_date"] == "2026-02-01T00:00:00+00:00");
        CHECK(job["end_date"] == "2026-02-03T08:00:00+00:00");
        CHECK(job["next_execution"] == "2026-02-01T08:00:00+00:00");
        CHECK(ok_quiet(sb, {"job", "next", "window", "--count", "10"}) ==
              "2026-02-01T08:00:00+00:00\n"
              "2026-02-02T08:00:00+00:00\n"
              "2026-02-03T08:00:00+00:00\n");
        CHECK(sb.json({"job", "show", "window"})["next_runs"] ==
              json({"2026-02-01T08:00:00+00:00", "2026-02-02T08:00:00+00:00",
                    "2026-02-03T08:00:00+00:00"}));

        sb.json({"job", "create", "tight", "--command", "true", "--daily", "08:00", "--start-date",
                 "2026-02-01T08:00", "--end-date", "2026-02-03T07:59"});
        CHECK(ok_quiet(sb, {"job", "next", "tight"}) == "2026-02-01T08:00:00+00:00\n"
                                                        "2026-02-02T08:00:00+00:00\n");

        // Dates without an offset are read in the job's zone.
        auto ny = sb.json({"job", "create", "ny", "--command", "true", "--daily", "08:00", "--tz",
                           "America/New_York", "--start-date", "2026-02-01"});
        CHECK(ny["start_date"] == "2026-02-01T00:00:00-05:00");
        CHECK(ok_quiet(sb, {"job", "next", "ny", "--count", "2"}) == "2026-02-01T08:00:00-05:00\n"
                                                                     "2026-02-02T08:00:00-05:00\n");
        // Clearing the start date recomputes from now.
        auto cleared = sb.json({"job", "update", "ny", "--clear-start-date"});
        CHECK(cleared["next_execution"] == "2026-01-15T08:00:00-05:00");
    }

    TEST_CASE("job next honours the job zone") {
        Sandbox sb;
        sb.json({"job", "create", "berlin", "--command", "true", "--daily", "09:00", "--tz",
                 "Europe/Berlin"});
        CHECK(ok_quiet(sb, {"job", "next", "berlin", "--count", "2"}) ==
              "2026-01-16T09:00:00+01:00\n"
              "2026-01-17T09:00:00+01:00\n");
        CHECK(ok_quiet(sb, {"job", "next", "berlin", "--count", "2", "--utc"}) ==
              "2026-01-16T08:00:00Z\n"
              "2026-01-17T08:00:00Z\n");
        auto j = sb.json({"job", "next", "berlin", "--count", "1"});
        CHECK(j["timezone"] == "Europe/Berlin");
        CHECK(j["next"] == json({"2026-01-16T09:00:00+01:00"}));
        // 10:00Z is 11:00 in Berlin, so an 11:30 daily job still fires today.
        auto late = sb.json({"job", "create", "late", "--command", "true", "--daily", "11:30",
                             "--tz", "Europe/Berlin"});
        CHECK(late["next_execution"] == "2026-01-15T11:30:00+01:00");
        // `job next` itself has no --tz: the zone is the job's.
        check_refused(sb, {"job", "next", "berlin", "--tz", "UTC"}, 2, "--tz");
    }

    TEST_CASE("job list shows the next run") {
        Sandbox sb;
        sb.json({"job", "create", "daily job", "--command", "true", "--daily", "09:30"});
        sb.json({"job", "create", "by hand", "--command", "true"});
        auto table = ok_quiet(sb, {"job", "list"});
        CHECK(table.find("2026-01-16 09:30 (in 23h30m)") != std::string::npos);
        CHECK(ok_quiet(sb, {"job", "list", "--utc"}).find("2026-01-16 09:30Z") !=
              std::string::npos);
        auto list = sb.json({"job", "list"});
        REQUIRE(list.size() == 2);
        CHECK(list[0]["name"] == "by hand");
        CHECK(list[0]["next_execution"].is_null());
        CHECK(list[1]["next_execution"] == "2026-01-16T09:30:00+00:00");
        auto utc = sb.json({"job", "list", "--utc"});
        CHECK(utc[1]["next_execution"] == "2026-01-16T09:30:00Z");
    }

    TEST_CASE("pause clears the next run and resume recomputes it from now") {
        Sandbox sb;
        sb.json({"job", "create", "c", "--command", "true", "--cron", "*/15 * * * *"});
        sb.json({"job", "create", "e", "--command", "true", "--every", "15m"});
        sb.json({"job", "create", "d", "--command", "true", "--daily", "09:30"});

        auto paused = sb.json({"job", "pause", "c"});
        CHECK(paused["status"] == "paused");
        CHECK(paused["next_execution"].is_null());
        CHECK(sb.json({"job", "show", "c"})["next_execution"].is_null());
        // The list shows no next run for it.
        auto table = ok_quiet(sb, {"job", "list"});
        auto at = table.find("cron */15 * * * *");
        REQUIRE(at != std::string::npos);
        auto row = table.substr(at, table.find('\n', at) - at);
        CHECK(row.find("2026-01-15") == std::string::npos);

        // A paused job's times are still previewed, with a warning.
        auto r = sb.run({"job", "next", "c", "--count", "2"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "2026-01-15T10:15:00+00:00\n2026-01-15T10:30:00+00:00\n");
        CHECK(r.err.rfind("schedule: warning: ", 0) == 0);
        CHECK(r.err.find("paused") != std::string::npos);
        CHECK(sb.json({"job", "next", "c", "--count", "1"})["status"] == "paused");

        sb.env["SCHEDULE_NOW"] = "2026-01-20T13:07:00Z";
        auto resumed = sb.json({"job", "resume", "c"});
        CHECK(resumed["status"] == "active");
        CHECK(resumed["next_execution"] == "2026-01-20T13:15:00+00:00");

        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
        sb.json({"job", "pause", "e"});
        sb.json({"job", "pause", "d"});
        sb.env["SCHEDULE_NOW"] = "2026-01-20T13:07:00Z";
        auto every = sb.json({"job", "resume", "e"});
        CHECK(every["next_execution"] == "2026-01-20T13:15:00+00:00");
        CHECK(every["trigger"]["anchor"] == "2026-01-15T10:00:00+00:00");
        auto daily = sb.json({"job", "update", "d", "--enabled", "true"});
        CHECK(daily["next_execution"] == "2026-01-21T09:30:00+00:00");
        CHECK(sb.json({"job", "update", "d", "--enabled", "false"})["next_execution"].is_null());
    }

    TEST_CASE("a one-shot job resumed or rescheduled after its time is finished") {
        Sandbox sb;
        sb.json({"job", "create", "once", "--command", "true", "--at", "2026-01-15T10:30"});
        sb.json({"job", "create", "twice", "--command", "true", "--at", "2026-01-15T10:30"});
        sb.json({"job", "pause", "once"});
        sb.json({"job", "pause", "twice"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T11:00:00Z";
        // Its time passed while it was paused: nothing is left to fire.
        auto resumed = sb.json({"job", "resume", "once"});
        CHECK(resumed["status"] == "finished");
        CHECK(resumed["enabled"] == true);
        CHECK(resumed["next_execution"].is_null());
        auto updated = sb.json({"job", "update", "twice", "--enabled", "true"});
        CHECK(updated["status"] == "finished");
        CHECK(updated["next_execution"].is_null());
    }

    TEST_CASE("an update of the trigger recomputes from now and other updates keep the next run") {
        Sandbox sb;
        sb.json({"job", "create", "m", "--command", "true", "--monthly", "1,15@12:00"});
        sb.json({"job", "create", "c", "--command", "true", "--cron", "*/15 * * * *"});
        sb.json({"job", "create", "w", "--command", "true", "--weekly", "SAT@07:15"});
        sb.env["SCHEDULE_NOW"] = "2026-01-17T10:00:00Z";

        // Unrelated fields do not move next_execution, even once it has passed.
        auto desc = sb.json({"job", "update", "c", "--description", "probe"});
        CHECK(desc["next_execution"] == "2026-01-15T10:15:00+00:00");
        CHECK(desc["updated_at"] == "2026-01-17T10:00:00+00:00");
        CHECK(sb.json({"job", "update", "m", "--priority", "high"})["next_execution"] ==
              "2026-01-15T12:00:00+00:00");

        // The trigger: from now, nothing for the past.
        auto cron = sb.json({"job", "update", "m", "--cron", "0 12 1,15 * *"});
        CHECK(cron["next_execution"] == "2026-02-01T12:00:00+00:00");
        CHECK(cron["trigger"] == parse(R"({"type": "cron", "expression": "0 12 1,15 * *"})"));
        CHECK(cron["cron_expression"] == "0 12 1,15 * *");
        auto c = sb.json({"job", "update", "c", "--cron", "*/20 * * * *"});
        CHECK(c["next_execution"] == "2026-01-17T10:20:00+00:00");

        // Switching kinds of trigger.
        auto every = sb.json({"job", "update", "w", "--every", "2h"});
        CHECK(every["trigger"] ==
              parse(R"({"type": "every", "every": "2h", "anchor": "2026-01-17T10:00:00+00:00"})"));
        CHECK(every["cron_expression"].is_null());
        CHECK(every["next_execution"] == "2026-01-17T12:00:00+00:00");
        auto daily = sb.json({"job", "update", "w", "--daily", "09:00"});
        CHECK(daily["trigger"] ==
              parse(R"({"type": "daily", "at": "09:00", "expression": "0 9 * * *"})"));
        CHECK(daily["cron_expression"] == "0 9 * * *");
        CHECK(daily["next_execution"] == "2026-01-18T09:00:00+00:00");
        // The zone: same wall-clock time elsewhere.
        auto tokyo = sb.json({"job", "update", "w", "--tz", "Asia/Tokyo"});
        CHECK(tokyo["next_execution"] == "2026-01-18T09:00:00+09:00");
        auto manual = sb.json({"job", "update", "w", "--clear-schedule"});
        CHECK(manual["trigger"] == parse(R"({"type": "manual"})"));
        CHECK(manual["next_execution"].is_null());

        // A new anchor for an --every job.
        sb.json({"job", "create", "grid", "--command", "true", "--every", "15m"});
        sb.env["SCHEDULE_NOW"] = "2026-01-17T10:20:00Z";
        auto anchored = sb.json({"job", "update", "grid", "--anchor", "2026-01-17T10:05"});
        CHECK(anchored["trigger"]["anchor"] == "2026-01-17T10:05:00+00:00");
        CHECK(anchored["next_execution"] == "2026-01-17T10:35:00+00:00");
    }

    TEST_CASE("dst-gap skip and dst-overlap twice change job next") {
        Sandbox sb;
        const Args ny = {"--command", "true", "--tz", "America/New_York"};

        SUBCASE("spring forward on 2026-03-08") {
            sb.env["SCHEDULE_NOW"] = "2026-03-06T12:00:00Z";
            auto run = sb.json(concat({"job", "create", "run", "--daily", "02:30"}, ny));
            CHECK(run["dst_gap"] == "run");
            auto skip = sb.json(
                concat({"job", "create", "skip", "--daily", "02:30", "--dst-gap", "skip"}, ny));
            CHECK(skip["dst_gap"] == "skip");
            CHECK(ok_quiet(sb, {"job", "next", "run", "--count", "4"}) ==
                  "2026-03-07T02:30:00-05:00\n"
                  "2026-03-08T03:00:00-04:00  (dst: moved from 02:30)\n"
                  "2026-03-09T02:30:00-04:00\n"
                  "2026-03-10T02:30:00-04:00\n");
            CHECK(ok_quiet(sb, {"job", "next", "skip", "--count", "4"}) ==
                  "2026-03-07T02:30:00-05:00\n"
                  "2026-03-09T02:30:00-04:00\n"
                  "2026-03-10T02:30:00-04:00\n"
                  "2026-03-11T02:30:00-04:00\n");
            CHECK(sb.json({"job", "next", "run", "--count", "4"})["dst"] ==
                  json({nullptr, "moved", nullptr, nullptr}));
            CHECK(sb.json({"job", "next", "skip", "--count", "4"})["dst"] ==
                  json({nullptr, nullptr, nullptr, nullptr}));
            // Switching the policy by update changes the preview.
            auto updated = sb.json({"job", "update", "skip", "--dst-gap", "run"});
            CHECK(updated["dst_gap"] == "run");
            CHECK(sb.json({"job", "next", "skip", "--count", "4"})["next"] ==
                  sb.json({"job", "next", "run", "--count", "4"})["next"]);
        }
        SUBCASE("fall back on 2026-11-01") {
            sb.env["SCHEDULE_NOW"] = "2026-10-30T12:00:00Z";
            sb.json(concat({"job", "create", "once", "--cron", "30 1 * * *"}, ny));
            auto twice = sb.json(concat(
                {"job", "create", "twice", "--cron", "30 1 * * *", "--dst-overlap", "twice"}, ny));
            CHECK(twice["dst_overlap"] == "twice");
            CHECK(ok_quiet(sb, {"job", "next", "once", "--count", "4"}) ==
                  "2026-10-31T01:30:00-04:00\n"
                  "2026-11-01T01:30:00-04:00  (dst: repeated hour)\n"
                  "2026-11-02T01:30:00-05:00\n"
                  "2026-11-03T01:30:00-05:00\n");
            CHECK(ok_quiet(sb, {"job", "next", "twice", "--count", "4"}) ==
                  "2026-10-31T01:30:00-04:00\n"
                  "2026-11-01T01:30:00-04:00  (dst: repeated hour)\n"
                  "2026-11-01T01:30:00-05:00  (dst: repeated hour)\n"
                  "2026-11-02T01:30:00-05:00\n");
            CHECK(ok_quiet(sb, {"job", "next", "twice", "--count", "4", "--utc"}) ==
                  "2026-10-31T05:30:00Z\n"
                  "2026-11-01T05:30:00Z  (dst: repeated hour)\n"
                  "2026-11-01T06:30:00Z  (dst: repeated hour)\n"
                  "2026-11-02T06:30:00Z\n");
            auto j = sb.json({"job", "next", "twice", "--count", "4"});
            CHECK(j["dst"] == json({nullptr, "repeated", "repeated", nullptr}));
            auto shown = sb.json({"job", "show", "twice"});
            CHECK(shown["next_runs_dst"] ==
                  json({nullptr, "repeated", "repeated", nullptr, nullptr}));
        }
    }

    TEST_CASE("trigger flags that are refused leave the store unchanged") {
        Sandbox sb;
        sb.ok({"job", "create", "base", "--command", "true", "--daily", "09:00"});
        struct Bad {
            Args flags;
            const char* names;
        };
        const std::vector<Bad> create_only = {
            {{"--cron", "0 * * * *", "--daily", "09:00"}, "--daily"},
            {{"--every", "5m", "--at", "2026-02-01T00:00"}, "--at"},
            {{"--weekly", "MON@09:00", "--monthly", "1@09:00"}, "--monthly"},
            {{"--at", "2026-01-15T09:59"}, "--at"},
            {{"--at", "2026-01-15T10:00:00Z"}, "--at"},
            {{"--at", "2025-12-31T00:00:00+01:00"}, "--at"},
            {{"--anchor", "2026-01-15T00:00"}, "--anchor"},
            {{"--daily", "09:00", "--anchor", "2026-01-15T00:00"}, "--anchor"},
            {{"--every", "90s"}, "--every"},
            {{"--every", "0"}, "--every"},
            {{"--every", "30s"}, "--every"},
            {{"--every", "0m"}, "--every"},
            {{"--every", "abc"}, "--every"},
            {{"--every", "15m", "--anchor", "yesterday"}, "--anchor"},
            {{"--daily", "24:00"}, "--daily"},
            {{"--daily", "9"}, "--daily"},
            {{"--daily", "09:60"}, "--daily"},
            {{"--weekly", "MONDAY9"}, "--weekly"},
            {{"--weekly", "XYZ@09:00"}, "--weekly"},
            {{"--weekly", "8@09:00"}, "--weekly"},
            {{"--weekly", "MON"}, "--weekly"},
            {{"--weekly", "MON@25:00"}, "--weekly"},
            {{"--monthly", "32@09:00"}, "--monthly"},
            {{"--monthly", "0@10:00"}, "--monthly"},
            {{"--monthly", "15"}, "--monthly"},
            {{"--jitter", "2d"}, "--jitter"},
            {{"--jitter", "-5m"}, "--jitter"},
            {{"--jitter", "soon"}, "--jitter"},
            {{"--dst-gap", "maybe"}, "--dst-gap"},
            {{"--dst-overlap", "thrice"}, "--dst-overlap"},
            {{"--daily", "09:00", "--start-date", "2026-03-01", "--end-date", "2026-02-01"},
             "--end-date"},
            {{"--daily", "09:00", "--start-date", "2026-03-01", "--end-date", "2026-03-01"},
             "--end-date"},
            {{"--daily", "09:00", "--start-date", "yesterday"}, "--start-date"},
            {{"--daily", "09:00", "--start-date", "2026-02-30"}, "--start-date"},
            {{"--daily", "09:00", "--end-date", "2026-13-01"}, "--end-date"},
            {{"--cron", "0 0 30 2 *"}, "never fires"},
            {{"--cron", "0 0 0 * * *"}, "seconds are not supported"},
            {{"--cron", "60 * * * *"}, "minute field: 60 is out of range 0-59"},
            {{"--daily", "09:00", "--tz", "Nowhere/Land"}, "--tz"},
        };
        for (const auto& b : create_only) {
            const std::string names = b.names;
            CAPTURE(names);
            check_refused(sb, concat({"job", "create", "x", "--command", "true"}, b.flags), 2,
                          b.names);
        }
        // The same flags on update (two triggers, bad values, an anchor for a
        // daily job, an end before the stored start).
        const std::vector<Bad> update = {
            {{"--cron", "0 * * * *", "--daily", "09:00"}, "--daily"},
            {{"--anchor", "2026-01-01T00:00"}, "--anchor"},
            {{"--at", "2026-01-01T00:00"}, "--at"},
            {{"--every", "30s"}, "--every"},
            {{"--daily", "24:00"}, "--daily"},
            {{"--weekly", "XYZ@09:00"}, "--weekly"},
            {{"--monthly", "32@09:00"}, "--monthly"},
            {{"--jitter", "2d"}, "--jitter"},
            {{"--dst-gap", "maybe"}, "--dst-gap"},
            {{"--dst-overlap", "thrice"}, "--dst-overlap"},
            {{"--start-date", "yesterday"}, "--start-date"},
            {{"--cron", "0 0 30 2 *"}, "never fires"},
        };
        for (const auto& b : update) {
            const std::string names = b.names;
            CAPTURE(names);
            check_refused(sb, concat({"job", "update", "base"}, b.flags), 2, b.names);
        }
        sb.ok({"job", "update", "base", "--start-date", "2026-03-01"});
        check_refused(sb, {"job", "update", "base", "--end-date", "2026-02-01"}, 2, "--end-date");
    }

    TEST_CASE("job next of a job without a next fire says why on stderr and exits 0") {
        Sandbox sb;
        sb.ok({"job", "create", "by-hand", "--command", "true"});
        sb.ok({"job", "create", "boot", "--command", "true", "--cron", "@reboot"});
        sb.ok({"job", "create", "ending", "--command", "true", "--daily", "08:00", "--end-date",
               "2026-01-20T09:00"});
        sb.ok({"job", "create", "once", "--command", "true", "--at", "2026-01-15T10:00:30"});
        // A tick runs the one-shot job, which is then finished.
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:00Z";
        sb.ok({"tick", "--wait"});
        REQUIRE(sb.json({"job", "show", "once"})["status"] == "finished");
        sb.env["SCHEDULE_NOW"] = "2026-01-21T00:00:00Z";
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"by-hand", "job by-hand has no schedule: it runs only by `job run`"},
            {"boot", "job boot fires at boot (@reboot), not at a time"},
            {"ending", "job ending fires no more before its end date"},
            {"once", "job once is finished: it fires no more"},
        };
        for (const auto& [job, note] : cases) {
            CAPTURE(job);
            auto r = sb.run({"job", "next", job});
            CHECK(r.exit_code == 0);
            CHECK(r.out == "");
            CHECK(r.err == "schedule: warning: " + note + "\n");
            r = sb.run({"job", "next", job, "--format", "json"});
            CHECK(r.exit_code == 0);
            CHECK(r.err == "schedule: warning: " + note + "\n");
            auto j = json::parse(r.out);
            CHECK(j["next"] == json::array());
            CHECK(j["dst"] == json::array());
            CHECK(sb.run({"job", "next", job, "-q"}).err == "");
        }
        // A paused job with fires still shows them, with its own warning.
        sb.ok({"job", "create", "resting", "--command", "true", "--daily", "08:00", "--disabled"});
        auto r = sb.run({"job", "next", "resting", "--count", "1"});
        CHECK(r.out == "2026-01-21T08:00:00+00:00\n");
        CHECK(r.err == "schedule: warning: job resting is paused: it does not fire until it is "
                       "resumed\n");
    }

    TEST_CASE("instants stay within 1970-9999 in UTC and in the zone: nothing outside is "
              "printed or stored") {
        Sandbox sb;
        // next stops at the end of the range, in the zone and in UTC.
        CHECK(ok_quiet(sb, {"next", "* * * * *", "--from", "9999-12-31T23:58", "--tz", "UTC"}) ==
              "9999-12-31T23:59:00+00:00\n");
        CHECK(ok_quiet(sb, {"next", "* * * * *", "--from", "9999-12-31T23:58", "--tz",
                            "Pacific/Kiritimati", "--utc"}) == "9999-12-31T09:59:00Z\n");
        CHECK(ok_quiet(sb, {"next", "* * * * *", "--from", "9999-12-31T12:57", "--tz",
                            "Pacific/Pago_Pago"}) ==
              "9999-12-31T12:58:00-11:00\n9999-12-31T12:59:00-11:00\n");
        CHECK(ok_quiet(sb, {"next", "0 0 1 1 *", "--from", "9999-12-31T00:00Z", "--tz", "UTC"})
                  .empty());
        auto j = sb.json({"next", "* * * * *", "--from", "9999-12-31T23:58", "--tz", "UTC"});
        CHECK(j["next"] == json({"9999-12-31T23:59:00+00:00"}));
        CHECK(j["dst"] == json({nullptr}));
        // A --from before the start (the parser reads offsets up to +18:00)
        // starts at the range's first instant.
        CHECK(ok_quiet(sb, {"next", "* * * * *", "--from", "1970-01-01T00:00+14:00", "--tz", "UTC",
                            "--count", "2"}) ==
              "1970-01-01T00:00:00+00:00\n1970-01-01T00:01:00+00:00\n");
        CHECK(ok_quiet(sb, {"next", "0 * * * *", "--from", "1970-01-01T00:00Z", "--tz",
                            "America/New_York", "--count", "1"}) == "1970-01-01T00:00:00-05:00\n");

        // --at, --start-date, --end-date and --anchor outside the range are
        // refused; an instant in range stays so however it is shown.
        const std::vector<std::pair<Args, const char*>> refused = {
            {{"--at", "9999-12-31T23:59", "--tz", "Pacific/Pago_Pago"}, "--at"},
            {{"--at", "9999-12-31T23:59:00-00:30"}, "--at"},
            {{"--at", "9999-12-31T10:00:00Z", "--tz", "Pacific/Kiritimati"}, "--at"},
            {{"--cron", "* * * * *", "--start-date", "9999-12-31T15:00Z", "--tz", "Asia/Tokyo"},
             "--start-date"},
            {{"--cron", "* * * * *", "--end-date", "9999-12-31T20:00Z", "--tz", "Asia/Tokyo"},
             "--end-date"},
            {{"--every", "1h", "--anchor", "1970-01-01T00:00Z", "--tz", "America/New_York"},
             "--anchor"},
            {{"--every", "1h", "--anchor", "1970-01-01T00:00", "--tz", "Asia/Tokyo"}, "--anchor"},
        };
        for (const auto& [flags, names] : refused) {
            CAPTURE(args_text(flags));
            check_refused(sb, concat({"job", "create", "x", "--command", "true"}, flags), 2, names);
        }
        CHECK_FALSE(std::filesystem::exists(sb.store()));
        auto east = sb.json({"job", "create", "east", "--command", "true", "--at",
                             "9999-12-31T09:59:59Z", "--tz", "Pacific/Kiritimati"});
        CHECK(east["trigger"]["at"] == "9999-12-31T23:59:59+14:00");
        CHECK(east["next_execution"] == "9999-12-31T23:59:59+14:00");
        auto far = sb.json({"job", "create", "far", "--command", "true", "--at",
                            "9999-12-31T23:00:00Z", "--tz", "Pacific/Pago_Pago"});
        CHECK(far["trigger"]["at"] == "9999-12-31T12:00:00-11:00");
        // A zone that would move it out of the range is refused naming --tz.
        check_refused(sb, {"job", "update", "far", "--tz", "Asia/Tokyo"}, 2, "--tz");
        check_refused(sb, {"job", "update", "far", "--tz", "Etc/GMT-1"}, 2, "--tz");
        sb.ok({"job", "update", "far", "--tz", "UTC"});
        CHECK(sb.json({"job", "show", "far"})["trigger"]["at"] == "9999-12-31T23:00:00+00:00");

        // A job's stored next run stops at the end of the range too.
        sb.env["SCHEDULE_NOW"] = "9999-12-31T09:58:30Z";
        auto last = sb.json({"job", "create", "last", "--command", "true", "--cron", "* * * * *",
                             "--tz", "Pacific/Kiritimati"});
        CHECK(last["next_execution"] == "9999-12-31T23:59:00+14:00");
        CHECK(sb.json({"job", "next", "last", "--count", "5"})["next"] ==
              json({"9999-12-31T23:59:00+14:00"}));
        CHECK(sb.json({"job", "show", "last"})["next_runs"] == json({"9999-12-31T23:59:00+14:00"}));
        sb.env["SCHEDULE_NOW"] = "9999-12-31T09:59:30Z";
        CHECK(sb.run({"tick", "--wait"}).exit_code == 0);
        last = sb.json({"job", "show", "last"});
        CHECK(last["next_execution"].is_null());
        CHECK(last["status"] == "finished");
        CHECK(last["execution_count"] == 1);
    }

    TEST_CASE("job next refusals") {
        Sandbox sb;
        namespace fs = std::filesystem;
        // Not found on a missing store, which stays missing.
        check_refused(sb, {"job", "next", "nosuch"}, 3, "nosuch");
        CHECK_FALSE(fs::exists(sb.store()));
        sb.ok({"job", "create", "c", "--command", "true", "--cron", "*/15 * * * *"});
        check_refused(sb, {"job", "next", "nosuch"}, 3, "nosuch");
        check_refused(sb, {"job", "next", "0badf00d"}, 3, "0badf00d");
        for (const char* count : {"0", "-1", "x", "1000001"}) {
            const std::string shown_count = count;
            CAPTURE(shown_count);
            check_refused(sb, {"job", "next", "c", "--count", count}, 2, "--count");
        }
        check_refused(sb, {"job", "next", "c", "--format", "csv"}, 2, "--format");
        check_refused(sb, {"job", "next"}, 2, "JOB");
    }
}
