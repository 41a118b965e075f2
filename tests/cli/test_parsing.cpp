// The command line itself through the real binary: global flags anywhere,
// the command named by argv (only its options are built), and CLI11's own
// refusals turned into one clean line (man page: OUTPUT, EXIT STATUS).

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::RunResult;
using schedule::test::Sandbox;

TEST_SUITE("cli::parsing") {

    TEST_CASE("global flags work before, between and after the command words") {
        Sandbox sb;
        sb.ok({"job", "create", "a", "--command", "true"});
        const std::string store = sb.store().string();
        sb.env["SCHEDULE_STORE"] = std::nullopt;
        for (const Args& args : std::vector<Args>{
                 {"--store", store, "-o", "json", "job", "list"},
                 {"--store=" + store, "--format=json", "job", "list"},
                 {"--store", store, "job", "-o", "json", "list"},
                 {"job", "--store", store, "list", "--format", "json"},
                 {"-q", "--utc", "--store", store, "job", "list", "-ojson"},
             }) {
            CAPTURE(args);
            auto r = sb.run(args);
            REQUIRE(r.exit_code == 0);
            auto jobs = nlohmann::json::parse(r.out);
            REQUIRE(jobs.size() == 1);
            CHECK(jobs[0]["name"] == "a");
        }
        // A flag value that is also a command's name is still the value.
        auto r = sb.run({"--store", store, "-o", "json", "tick"});
        CHECK(r.exit_code == 0);
        CHECK(nlohmann::json::parse(r.out)["fired"] == 0);
    }

    TEST_CASE("help is for the deepest command named, wherever --help stands") {
        Sandbox sb;
        struct Case {
            Args args;
            std::string usage;
            std::vector<std::string> lists;
        };
        const std::vector<std::string> top = {"job", "config", "tick", "queue", "next"};
        const std::vector<std::string> job = {"create", "list", "update", "stats"};
        for (const Case& c : std::vector<Case>{
                 {{"--help"}, "Usage: schedule [OPTIONS] SUBCOMMAND", top},
                 {{"-q", "--help", "job"}, "Usage: schedule job [OPTIONS] SUBCOMMAND", job},
                 {{"job", "-h"}, "Usage: schedule job [OPTIONS] SUBCOMMAND", job},
                 {{"job", "--help", "create"}, "Usage: schedule job create [OPTIONS]", {"--tz"}},
                 {{"job", "update", "--help"}, "Usage: schedule job update", {"--clear-retry-on"}},
                 {{"--utc", "tick", "-h"}, "Usage: schedule tick", {"--dry-run", "--wait"}},
             }) {
            CAPTURE(c.args);
            auto r = sb.run(c.args);
            CHECK(r.exit_code == 0);
            CHECK(r.out.find(c.usage) != std::string::npos);
            for (const auto& word : c.lists)
                CHECK(r.out.find("  " + word) != std::string::npos);
        }
    }

    TEST_CASE("a word that is no command is named, at each level") {
        Sandbox sb;
        auto top = sb.run({"jbo", "list"});
        CHECK(top.exit_code == 2);
        check_error_line(top, "unknown command jbo");
        auto sub = sb.run({"job", "lsit"});
        CHECK(sub.exit_code == 2);
        check_error_line(sub, "unknown command lsit for `schedule job`");
        auto flag = sb.run({"tick", "--dry-runn"});
        CHECK(flag.exit_code == 2);
        check_error_line(flag, "--dry-runn");
    }
    TEST_CASE("control bytes in a refused word reach the terminal escaped") {
        Sandbox sb;
        for (const Args& args : std::vector<Args>{
                 {"\x1b[2Jx"},
                 {"job", "\x1b[2Jx"},
                 {"job", "list", "--\x1b[2J"},
                 {"tick", "--now=\x1b]0;title\x07"},
                 {"next", "* * * * *", "--count", "1", "--count", "\x1b[31m"},
                 {"job", "show", "a\xc2\x9b[31m", "b\x7f"},
                 {"job", "show", "c", "\x9b[31m"},
             }) {
            CAPTURE(args);
            auto r = sb.run(args);
            CHECK(r.exit_code == 2);
            check_error_line(r);
            CHECK(r.err.find('\x7f') == std::string::npos);
            CHECK(r.err.find("\x1b") == std::string::npos);
            CHECK(r.err.find("\xc2\x9b") == std::string::npos);
            CHECK(r.err.find('\x9b') == std::string::npos);
        }
        auto r = sb.run({"\x1b[2Jx"});
        CHECK(r.err.find("unknown command \\e[2Jx") != std::string::npos);
    }

    TEST_CASE("a flag given twice is named, with how often it was given") {
        Sandbox sb;
        struct Case {
            Args args;
            std::string says;
        };
        for (const Case& c : std::vector<Case>{
                 {{"next", "* * * * *", "--count", "1", "--count", "2"},
                  "--count was given 2 times"},
                 {{"--store", "a.db", "--store", "b.db", "tick"}, "--store was given 2 times"},
                 {{"-o", "json", "job", "list", "--format", "csv"},
                  "-o/--format was given 2 times"},
                 {{"job", "list", "--owner", "a", "--owner", "b", "--owner", "c"},
                  "--owner was given 3 times"},
             }) {
            CAPTURE(c.args);
            auto r = sb.run(c.args);
            CHECK(r.exit_code == 2);
            check_error_line(r, c.says);
            CHECK(r.err.find("takes one value") != std::string::npos);
            CHECK(r.err.find("At Most") == std::string::npos);
        }
        // Repeatable flags stay repeatable.
        CHECK(sb.run({"job", "create", "t", "--command", "true", "--tag", "a", "--tag", "b"})
                  .exit_code == 0);
    }

    TEST_CASE("a command group without its command lists the commands") {
        Sandbox sb;
        struct Case {
            Args args;
            std::string says;
        };
        for (const Case& c : std::vector<Case>{
                 {{}, "`schedule` needs a command: job, next, config, apply, tick, queue"},
                 {{"--utc"}, "`schedule` needs a command: job, next, config, apply, tick, queue"},
                 {{"job"},
                  "`schedule job` needs a command: create, list, show, update, delete, pause, "
                  "resume, next, graph, run, history, output, stats"},
                 {{"-q", "config"}, "`schedule config` needs a command: list, get, set, unset"},
             }) {
            CAPTURE(c.args);
            auto r = sb.run(c.args);
            CHECK(r.exit_code == 2);
            check_error_line(r, c.says);
            CHECK(r.err.find("subcommand") == std::string::npos);
            CHECK(r.err.find("__") == std::string::npos);
        }
    }
}
