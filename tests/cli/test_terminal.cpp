// What only a terminal shows (man page, OUTPUT and TICK): the run
// strip and duration sparkline of `job stats JOB`, the RECENT column of
// `job list` and the progress line of `tick --wait`, each through the real
// binary on a pseudo-terminal; and that off a terminal, and in JSON and
// CSV, the output is what it is without them.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using schedule::test::Args;
using schedule::test::lines_of;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// A terminal turns each "\n" into "\r\n": the text as a pipe would have it.
std::string from_terminal(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n'))
            out += s[i];
    return out;
}

// What a pipe's text looks like coming from a terminal.
std::string as_on_terminal(const std::string& s) {
    std::string out;
    for (char c : s)
        out += c == '\n' ? std::string("\r\n") : std::string(1, c);
    return out;
}

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

// "Key:  value" lines as (key, value) pairs.
std::vector<std::pair<std::string, std::string>> key_values(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& line : lines_of(text)) {
        if (line.rfind("  ", 0) == 0) { // a list under the key before (top errors)
            out.emplace_back("", line);
            continue;
        }
        auto colon = line.find(':');
        REQUIRE_MESSAGE(colon != std::string::npos, "not a key-value line: " << line);
        auto value = line.find_first_not_of(' ', colon + 1);
        out.emplace_back(line.substr(0, colon),
                         value == std::string::npos ? "" : line.substr(value));
    }
    return out;
}

RunResult tty(Sandbox& sb, const Args& args) {
    auto r = sb.run_tty(args);
    INFO("schedule " << args.front() << " output: " << r.out);
    REQUIRE(r.exit_code == 0);
    return r;
}

// Two jobs: `flaky` failed twice, then completed ten times; `never` never ran.
void two_jobs(Sandbox& sb) {
    sb.ok({"job", "create", "flaky", "--command", "false"});
    sb.ok({"job", "create", "never", "--command", "true"});
    for (int i = 0; i < 2; ++i)
        CHECK(sb.run({"job", "run", "flaky"}).exit_code == 1);
    sb.ok({"job", "update", "flaky", "--command", "true"});
    for (int i = 0; i < 10; ++i)
        sb.ok({"job", "run", "flaky"});
}

const std::string k_dot = "\u25cf";

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

// A sandbox with a job due each minute, at 10:01 (SCHEDULE_NOW).
std::unique_ptr<Sandbox> due_each_minute() {
    auto sb = std::make_unique<Sandbox>();
    sb->ok({"job", "create", "each-minute", "--command", "true", "--cron", "* * * * *"});
    sb->env["SCHEDULE_NOW"] = "2026-01-15T10:01:00Z";
    return sb;
}

} // namespace

TEST_SUITE("cli::terminal") {

    TEST_CASE("job stats on a terminal draws the last runs and their durations") {
        Sandbox sb;
        two_jobs(sb);
        auto piped = sb.ok({"job", "stats", "flaky"});

        SUBCASE("with NO_COLOR: plain characters, oldest first, and no escape at all") {
            sb.env["NO_COLOR"] = "1";
            auto out = from_terminal(tty(sb, {"job", "stats", "flaky"}).out);
            CHECK(out.find('\033') == std::string::npos);
            auto kv = key_values(out);
            auto off = key_values(piped);
            // the two lines come after the durations; every other line is as
            // off a terminal
            REQUIRE(kv.size() == off.size() + 2);
            CHECK(kv[3].first == "Duration");
            CHECK(kv[4] == std::pair<std::string, std::string>{"Recent runs", "xx++++++++++"});
            CHECK(kv[5].first == "Recent durations");
            static const std::regex sparkline("(\u2581|\u2582|\u2583|\u2584|\u2585|\u2586|\u2587|"
                                              "\u2588){12}  min \\S+  max \\S+");
            CHECK_MESSAGE(std::regex_match(kv[5].second, sparkline), kv[5].second);
            kv.erase(kv.begin() + 4, kv.begin() + 6);
            CHECK(kv == off);
        }
        SUBCASE("with --no-color: the same") {
            auto out = from_terminal(tty(sb, {"job", "stats", "flaky", "--no-color"}).out);
            CHECK(out.find('\033') == std::string::npos);
            CHECK(out.find("\nRecent runs:       xx++++++++++\n") != std::string::npos);
        }
        SUBCASE("in colour: red then green dots") {
            auto out = tty(sb, {"job", "stats", "flaky"}).out;
            CHECK(out.find("\033[1mRecent runs:\033[0m       \033[31m" + repeat(k_dot, 2) +
                           "\033[0m\033[32m" + repeat(k_dot, 10) + "\033[0m\r\n") !=
                  std::string::npos);
            CHECK(out.find("\033[1mRecent durations:\033[0m  ") != std::string::npos);
        }
        SUBCASE("a job that never ran: a dash") {
            sb.env["NO_COLOR"] = "1";
            auto kv = key_values(from_terminal(tty(sb, {"job", "stats", "never"}).out));
            REQUIRE(kv.size() > 5);
            CHECK(kv[4] == std::pair<std::string, std::string>{"Recent runs", "-"});
            CHECK(kv[5] == std::pair<std::string, std::string>{"Recent durations", "-"});
        }
        SUBCASE("off a terminal, in JSON and in Prometheus text: none of it") {
            std::vector<std::string> keys;
            for (const auto& [k, v] : key_values(piped))
                keys.push_back(k);
            CHECK(keys == std::vector<std::string>{"Job", "Runs", "Success rate", "Duration",
                                                   "Last 7 days", "Previous 7 days", "Last run",
                                                   "Next run", "Top errors", ""});
            for (const char* format : {"json", "prometheus"}) {
                CAPTURE(format);
                CHECK(tty(sb, {"job", "stats", "flaky", "-o", format}).out ==
                      as_on_terminal(sb.ok({"job", "stats", "flaky", "-o", format})));
            }
        }
    }

    TEST_CASE("job list on a terminal has a column of each job's last 10 runs") {
        Sandbox sb;
        two_jobs(sb);
        auto piped = lines_of(sb.ok({"job", "list"}));
        REQUIRE(piped.size() == 3);
        CHECK(words(piped[0]) == std::vector<std::string>{"ID", "NAME", "STATUS", "SCHEDULE",
                                                          "NEXT", "RUN", "LAST", "PRIORITY"});

        SUBCASE("with NO_COLOR: the plain characters of the newest 10, oldest first") {
            sb.env["NO_COLOR"] = "1";
            auto out = from_terminal(tty(sb, {"job", "list"}).out);
            CHECK(out.find('\033') == std::string::npos);
            auto rows = lines_of(out);
            REQUIRE(rows.size() == 3);
            auto column = rows[0].find("RECENT");
            REQUIRE(column != std::string::npos);
            CHECK(rows[0].find("LAST") < column);
            CHECK(rows[1].substr(column, 12) == "++++++++++  ");
            CHECK(rows[2].substr(column, 12) == "-           ");
            // otherwise the rows hold what they hold off a terminal
            for (std::size_t i = 0; i < rows.size(); ++i) {
                auto w = words(rows[i]);
                auto recent = words(rows[i].substr(column)).front();
                w.erase(std::find(w.begin(), w.end(), recent));
                CHECK(w == words(piped[i]));
            }
        }
        SUBCASE("in colour: green dots") {
            auto out = tty(sb, {"job", "list"}).out;
            CHECK(out.find("\033[32m" + repeat(k_dot, 10) + "\033[0m  ") != std::string::npos);
        }
        SUBCASE("in JSON and CSV: as off a terminal") {
            for (const char* format : {"json", "csv"}) {
                CAPTURE(format);
                CHECK(tty(sb, {"job", "list", "-o", format}).out ==
                      as_on_terminal(sb.ok({"job", "list", "-o", format})));
            }
        }
    }

    TEST_CASE("tick --wait on a terminal shows its progress and erases it") {
        // the same tick off a terminal and on one
        auto piped = due_each_minute();
        auto off = piped->run({"tick", "--wait"});
        REQUIRE(off.exit_code == 0);
        CHECK(off.out == "fired 1, skipped 0, queued 0, recovered 0\n");
        CHECK(off.err == "schedule: info: fired each-minute (schedule): execution 1, due\n");
        auto sb = due_each_minute();
        auto out = tty(*sb, {"tick", "--wait"}).out;

        // first what the tick prints off a terminal, then the progress line
        // rewritten as the run goes, last when it has ended, and erased
        auto before = as_on_terminal(off.err + off.out);
        REQUIRE(out.substr(0, before.size()) == before);
        auto after = out.substr(before.size());
        static const std::regex progress("(\r[01]/1 done, [01] running, [01] queued\033\\[K)+"
                                         "\r\033\\[K");
        CHECK_MESSAGE(std::regex_match(after, progress), after);
        const std::string last = "\r1/1 done, 0 running, 0 queued\033[K\r\033[K";
        REQUIRE(after.size() >= last.size());
        CHECK(after.substr(after.size() - last.size()) == last);
    }

    TEST_CASE("tick --wait with -q or in JSON shows no progress on a terminal") {
        for (const Args& flags : {Args{"-q"}, Args{"-o", "json"}}) {
            CAPTURE(flags.front());
            auto piped = due_each_minute();
            auto off = piped->run(schedule::test::concat({"tick", "--wait"}, flags));
            REQUIRE(off.exit_code == 0);
            auto sb = due_each_minute();
            CHECK(tty(*sb, schedule::test::concat({"tick", "--wait"}, flags)).out ==
                  as_on_terminal(off.err + off.out));
        }
    }
}
