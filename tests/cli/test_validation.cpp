// Every validation rule of `job create` and `job update`, plus not-found,
// name conflicts and unsupported formats, through the real binary. A refused
// command exits with its code (man page EXIT STATUS: 2 validation, 3 not
// found, 4 conflict), prints exactly one `schedule: error: …` line naming
// the flag, and leaves the store byte-identical (`sqlite3 .dump`).

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// Runs `args`, expecting refusal with `code`, one error line naming `names`,
// nothing on stdout and an unchanged store.
void check_refused(const Sandbox& sb, const Args& args, int code, const std::string& names) {
    const std::string before = sb.dump();
    REQUIRE_FALSE(before.empty());
    auto r = sb.run(args);
    INFO("args: " << [&] {
        std::string s;
        for (const auto& a : args)
            s += "[" + a + "] ";
        return s;
    }());
    INFO("stdout: " << r.out);
    CHECK(r.exit_code == code);
    check_error_line(r, names);
    CHECK(r.out.empty());
    CHECK(sb.dump() == before);
}

// A store holding two command jobs, "alpha" and "beta".
void seed(const Sandbox& sb) {
    sb.ok({"job", "create", "--name", "alpha", "--command", "true", "--cron", "0 3 * * *", "--tag",
           "team=infra"});
    sb.ok({"job", "create", "--name", "beta", "--command", "echo hi"});
}

// A rule that applies to a field on both create and update. `sets_runner`:
// the args say what the job runs, so create must not add `--command true`.
struct FieldRule {
    const char* name;
    Args args;
    const char* flag;
    bool sets_runner = false;
};

const std::vector<FieldRule>& field_rules() {
    static const std::vector<FieldRule> k_rules = {
        // --name
        {"name empty", {"--name", ""}, "--name"},
        {"name of 65 characters", {"--name", std::string(65, 'n')}, "--name"},
        {"name of 65 multibyte characters",
         {"--name",
          [] {
              std::string s;
              for (int i = 0; i < 65; ++i)
                  s += "\xc3\xa9";
              return s;
          }()},
         "--name"},
        {"name with a tab", {"--name", "a\tb"}, "--name"},
        {"name with a newline", {"--name", "a\nb"}, "--name"},
        {"name with an escape", {"--name", "a\x1b[31mb"}, "--name"},
        {"name with DEL",
         {"--name", "a\x7f"
                    "b"},
         "--name"},
        {"name with ':'", {"--name", "db:completed"}, "--name"},
        {"name with a leading space", {"--name", " lead"}, "--name"},
        {"name with a trailing space", {"--name", "trail "}, "--name"},
        {"name of exactly 8 hex digits", {"--name", "deadbeef"}, "--name"},
        {"name of exactly 8 upper-case hex digits", {"--name", "DEADBEEF"}, "--name"},
        {"name of exactly 8 decimal digits", {"--name", "12345678"}, "--name"},
        {"name not UTF-8", {"--name", "bad\xff"}, "--name"},
        // what it runs: --command, --task-type, --task-config
        {"both --command and --task-type",
         {"--command", "true", "--task-type", "backup"},
         "--command",
         true},
        {"--task-config without --task-type", {"--task-config", "{}"}, "--task-config"},
        {"task config not JSON",
         {"--task-type", "backup", "--task-config", "{nope"},
         "--task-config",
         true},
        {"task config an array",
         {"--task-type", "backup", "--task-config", "[1, 2]"},
         "--task-config",
         true},
        {"task config a string",
         {"--task-type", "backup", "--task-config", "\"x\""},
         "--task-config",
         true},
        {"task type with a space", {"--task-type", "back up"}, "--task-type", true},
        {"task type starting with '-'", {"--task-type=-x"}, "--task-type", true},
        {"task type empty", {"--task-type", ""}, "--task-type", true},
        {"command empty", {"--command", ""}, "--command", true},
        {"command blank", {"--command", "   "}, "--command", true},
        // --priority
        {"priority 101", {"--priority", "101"}, "--priority"},
        {"priority -1", {"--priority", "-1"}, "--priority"},
        {"priority urgent", {"--priority", "urgent"}, "--priority"},
        {"priority 1.5", {"--priority", "1.5"}, "--priority"},
        // --tag
        {"tag with empty key", {"--tag", "=infra"}, "--tag"},
        {"tag empty", {"--tag", ""}, "--tag"},
        {"duplicate tag key", {"--tag", "team=a", "--tag", "team=b"}, "--tag"},
        {"duplicate bare tag", {"--tag", "prod", "--tag", "prod"}, "--tag"},
        {"tag key with a control character", {"--tag", "a\tb=c"}, "--tag"},
        // --env
        {"env without '='", {"--env", "FOO"}, "--env"},
        {"env name starting with a digit", {"--env", "1FOO=x"}, "--env"},
        {"env name with '-'", {"--env", "FOO-BAR=x"}, "--env"},
        {"env name empty", {"--env", "=x"}, "--env"},
        {"env with SCHEDULE_ prefix", {"--env", "SCHEDULE_JOB_ID=x"}, "--env"},
        {"duplicate env name", {"--env", "A=1", "--env", "A=2"}, "--env"},
        // --tz
        {"unknown time zone", {"--tz", "Mars/Base"}, "--tz"},
        {"empty time zone", {"--tz", ""}, "--tz"},
        // --timeout (a duration above zero)
        {"timeout 0", {"--timeout", "0"}, "--timeout"},
        {"timeout 0s", {"--timeout", "0s"}, "--timeout"},
        {"timeout 5x", {"--timeout", "5x"}, "--timeout"},
        {"timeout -5m", {"--timeout", "-5m"}, "--timeout"},
        {"timeout empty", {"--timeout", ""}, "--timeout"},
        // --working-dir
        {"relative working dir", {"--working-dir", "tmp/work"}, "--working-dir"},
        {"empty working dir", {"--working-dir", ""}, "--working-dir"},
        // --owner
        {"owner empty", {"--owner", ""}, "--owner"},
        {"owner with a newline", {"--owner", "a\nb"}, "--owner"},
        // --description
        {"description over 4096 bytes", {"--description", std::string(4097, 'd')}, "--description"},
        // --cron
        {"cron minute 60", {"--cron", "60 * * * *"}, "--cron"},
        {"cron hour 24", {"--cron", "0 24 * * *"}, "--cron"},
        {"cron six fields", {"--cron", "0 0 3 * * *"}, "--cron"},
        {"cron four fields", {"--cron", "0 3 * *"}, "--cron"},
        {"cron never fires", {"--cron", "0 0 30 2 *"}, "--cron"},
        {"cron garbage", {"--cron", "garbage"}, "--cron"},
        {"cron empty", {"--cron", ""}, "--cron"},
        {"cron reversed range", {"--cron", "5-1 * * * *"}, "--cron"},
        {"cron weekday range to 0 with a step", {"--cron", "0 0 * * 6-0/2"}, "--cron"},
        {"cron unknown macro", {"--cron", "@fortnightly"}, "--cron"},
        {"cron month 13", {"--cron", "0 0 1 13 *"}, "--cron"},
        {"cron step 0", {"--cron", "*/0 * * * *"}, "--cron"},
        // tick policies: --catchup, --misfire-grace, --max-executions,
        // --max-instances
        {"catchup sometimes", {"--catchup", "sometimes"}, "--catchup"},
        {"misfire grace 0", {"--misfire-grace", "0"}, "--misfire-grace"},
        {"misfire grace 5x", {"--misfire-grace", "5x"}, "--misfire-grace"},
        {"max executions 0", {"--max-executions", "0"}, "--max-executions"},
        {"max executions -1", {"--max-executions", "-1"}, "--max-executions"},
        {"max instances 0", {"--overlap", "allow", "--max-instances", "0"}, "--max-instances"},
        {"max instances two", {"--overlap", "allow", "--max-instances", "two"}, "--max-instances"},
        {"max instances without overlap allow", {"--max-instances", "2"}, "--max-instances"},
        {"max instances under overlap queue",
         {"--overlap", "queue", "--max-instances", "2"},
         "--max-instances"},
        // --end-date (like --at, a time that has passed is refused)
        {"end date in the past", {"--end-date", "2026-01-10"}, "--end-date"},
        {"end date now", {"--end-date", "2026-01-15T10:00:00Z"}, "--end-date"},
        // retries
        {"max attempts 0", {"--max-attempts", "0"}, "--max-attempts"},
        {"max attempts 101", {"--max-attempts", "101"}, "--max-attempts"},
        {"retry delay -1m", {"--retry-delay", "-1m"}, "--retry-delay"},
        {"retry delay above the default maximum", {"--retry-delay", "2h"}, "--retry-delay"},
        {"retry max delay below the delay",
         {"--retry-delay", "5m", "--retry-max-delay", "1m"},
         "--retry-max-delay"},
        {"backoff random", {"--backoff", "random"}, "--backoff"},
        {"retry on exit:0", {"--retry-on", "exit:0"}, "--retry-on"},
        {"retry on exit:256", {"--retry-on", "exit:256"}, "--retry-on"},
        {"retry on crash", {"--retry-on", "timeout,crash"}, "--retry-on"},
        {"retry on empty", {"--retry-on", ""}, "--retry-on"},
    };
    return k_rules;
}

struct Rule {
    const char* name;
    Args args;
    const char* flag;
};

} // namespace

TEST_SUITE("cli::validation") {

    TEST_CASE("job create refuses each invalid field with exit 2 and writes nothing") {
        Sandbox sb;
        seed(sb);
        for (const auto& rule : field_rules()) {
            SUBCASE(rule.name) {
                Args args = {"job", "create"};
                // A rule about --name replaces the default one.
                bool names_itself = rule.args.front() == "--name";
                if (!names_itself)
                    args = concat(args, {"--name", "fresh"});
                if (!rule.sets_runner)
                    args = concat(args, {"--command", "true"});
                check_refused(sb, concat(args, rule.args), 2, rule.flag);
                CHECK(sb.json({"job", "list"}).size() == 2);
            }
        }
    }

    TEST_CASE("job update refuses each invalid field with exit 2 and changes nothing") {
        Sandbox sb;
        seed(sb);
        for (const auto& rule : field_rules()) {
            SUBCASE(rule.name) {
                check_refused(sb, concat({"job", "update", "alpha"}, rule.args), 2, rule.flag);
            }
        }
    }

    TEST_CASE("job create rules that apply only to create") {
        Sandbox sb;
        seed(sb);
        const std::vector<Rule> rules = {
            {"missing name", {"job", "create", "--command", "true"}, "--name"},
            {"neither --command nor --task-type",
             {"job", "create", "--name", "fresh"},
             "--command"},
            {"neither, with only --task-config",
             {"job", "create", "--name", "fresh", "--task-config", "{}"},
             ""},
            {"positional name and a different --name",
             {"job", "create", "one", "--name", "two", "--command", "true"},
             "--name"},
            {"positional name invalid", {"job", "create", "deadbeef", "--command", "true"}, ""},
            {"--enabled is not a create flag",
             {"job", "create", "--name", "fresh", "--command", "true", "--enabled", "true"},
             "--enabled"},
            {"unknown flag",
             {"job", "create", "--name", "fresh", "--command", "true", "--colour"},
             "--colour"},
            {"--priority without a value",
             {"job", "create", "--name", "fresh", "--command", "true", "--priority"},
             "--priority"},
        };
        for (const auto& rule : rules) {
            SUBCASE(rule.name) {
                check_refused(sb, rule.args, 2, rule.flag);
            }
        }
    }

    TEST_CASE("job update rules that apply only to update") {
        Sandbox sb;
        seed(sb);
        sb.ok({"job", "create", "wide", "--command", "true", "--overlap", "allow",
               "--max-instances", "2"});
        const std::vector<Rule> rules = {
            {"no fields", {"job", "update", "alpha"}, ""},
            {"--enabled maybe", {"job", "update", "alpha", "--enabled", "maybe"}, "--enabled"},
            {"--enabled empty", {"job", "update", "alpha", "--enabled", ""}, "--enabled"},
            {"--clear-tags with --tag",
             {"job", "update", "alpha", "--clear-tags", "--tag", "a=b"},
             "--tag"},
            {"--clear-env with --env",
             {"job", "update", "alpha", "--clear-env", "--env", "A=1"},
             "--env"},
            {"--clear-timeout with --timeout",
             {"job", "update", "alpha", "--clear-timeout", "--timeout", "5m"},
             "--timeout"},
            {"--clear-owner with --owner",
             {"job", "update", "alpha", "--clear-owner", "--owner", "x"},
             "--owner"},
            {"--clear-description with --description",
             {"job", "update", "alpha", "--clear-description", "--description", "x"},
             "--description"},
            {"--clear-working-dir with --working-dir",
             {"job", "update", "alpha", "--clear-working-dir", "--working-dir", "/tmp"},
             "--working-dir"},
            {"--clear-schedule with --cron",
             {"job", "update", "alpha", "--clear-schedule", "--cron", "@daily"},
             "--cron"},
            {"--disabled is not an update flag",
             {"job", "update", "alpha", "--disabled"},
             "--disabled"},
            {"missing JOB", {"job", "update", "--priority", "high"}, ""},
            {"invalid field together with a valid one",
             {"job", "update", "alpha", "--description", "new text", "--priority", "101"},
             "--priority"},
            {"overlap away from allow while max-instances is set",
             {"job", "update", "wide", "--overlap", "skip"},
             "--overlap"},
            {"max-instances on a job whose overlap is not allow",
             {"job", "update", "alpha", "--max-instances", "3"},
             "--max-instances"},
        };
        for (const auto& rule : rules) {
            SUBCASE(rule.name) {
                check_refused(sb, rule.args, 2, rule.flag);
            }
        }
    }

    TEST_CASE("values at the edge of the rules are accepted") {
        Sandbox sb;
        seed(sb);
        std::string e_acute_64;
        for (int i = 0; i < 64; ++i)
            e_acute_64 += "\xc3\xa9";
        SUBCASE("a name of 64 characters") {
            CHECK(sb.json({"job", "create", "--name", std::string(64, 'n'), "--command",
                           "true"})["name"] == std::string(64, 'n'));
        }
        SUBCASE("a name of 64 two-byte characters") {
            CHECK(sb.json({"job", "create", "--name", e_acute_64, "--command", "true"})["name"] ==
                  e_acute_64);
        }
        SUBCASE("a name with inner spaces and quotes") {
            CHECK(sb.json({"job", "create", "--name", "nightly \"db\" 'dump'", "--command",
                           "true"})["name"] == "nightly \"db\" 'dump'");
        }
        SUBCASE("names of 7 and 9 hex digits") {
            CHECK(sb.json({"job", "create", "--name", "deadbee", "--command", "true"})["name"] ==
                  "deadbee");
            CHECK(sb.json({"job", "create", "--name", "deadbeef0", "--command", "true"})["name"] ==
                  "deadbeef0");
        }
        SUBCASE("priorities 0 and 100 and the names") {
            CHECK(sb.json({"job", "create", "p0", "--command", "true", "--priority",
                           "0"})["priority"] == 0);
            CHECK(sb.json({"job", "create", "p100", "--command", "true", "--priority",
                           "100"})["priority"] == 100);
            CHECK(sb.json({"job", "create", "plow", "--command", "true", "--priority",
                           "low"})["priority"] == 20);
            CHECK(sb.json({"job", "create", "pcrit", "--command", "true", "--priority",
                           "critical"})["priority"] == 100);
        }
        SUBCASE("a tag value may hold '='; only the first one splits") {
            auto job = sb.json({"job", "create", "t", "--command", "true", "--tag", "expr=a=b"});
            CHECK(job["tags"]["expr"] == "a=b");
            CHECK(job["tags"].size() == 1);
        }
        SUBCASE("an env value may hold '='") {
            sb.ok({"job", "create", "e", "--command", "true", "--env", "OPTS=a=b"});
            auto job = sb.json({"job", "show", "e"});
            CHECK(job["env"]["OPTS"] == "a=b");
        }
        SUBCASE("a timeout of 1h30m and a bare integer") {
            CHECK(sb.json({"job", "create", "t1", "--command", "true", "--timeout",
                           "1h30m"})["timeout_seconds"] == 5400);
            CHECK(sb.json({"job", "create", "t2", "--command", "true", "--timeout",
                           "90"})["timeout_seconds"] == 90);
        }
        SUBCASE("a task job with an object config") {
            auto job = sb.json({"job", "create", "task", "--task-type", "http.get", "--task-config",
                                "{\"url\": \"https://example.org\"}"});
            CHECK(job["task_type"] == "http.get");
            CHECK(job["task_config"]["url"] == "https://example.org");
            CHECK(job["command"].is_null());
        }
        SUBCASE("tick and retry policies at their limits") {
            auto job = sb.json({"job",
                                "create",
                                "pol",
                                "--command",
                                "true",
                                "--catchup",
                                "none",
                                "--misfire-grace",
                                "1",
                                "--max-executions",
                                "1",
                                "--overlap",
                                "allow",
                                "--max-instances",
                                "10000",
                                "--max-attempts",
                                "100",
                                "--retry-delay",
                                "0",
                                "--retry-max-delay",
                                "0",
                                "--backoff",
                                "fixed",
                                "--retry-on",
                                "exit:255,signal,exit:1,lost,timeout,exit:1"});
            CHECK(job["catchup"] == "none");
            CHECK(job["misfire_grace_seconds"] == 1);
            CHECK(job["max_executions"] == 1);
            CHECK(job["max_instances"] == 10000);
            CHECK(job["max_attempts"] == 100);
            CHECK(job["retry_delay_seconds"] == 0);
            CHECK(job["retry_max_delay_seconds"] == 0);
            CHECK(job["backoff"] == "fixed");
            // Sorted and without the duplicate.
            CHECK(job["retry_on"] ==
                  nlohmann::json::array({"timeout", "lost", "signal", "exit:1", "exit:255"}));
        }
        SUBCASE("overlap away from allow with --clear-max-instances, and other edits") {
            sb.ok({"job", "create", "wide", "--command", "true", "--overlap", "allow",
                   "--max-instances", "2", "--end-date", "2026-01-15T10:01"});
            // The end date may pass and max-instances stay: edits that give
            // neither are not checked against them.
            sb.env["SCHEDULE_NOW"] = "2026-01-16T00:00:00Z";
            CHECK(sb.json({"job", "update", "wide", "--priority", "high"})["priority"] == 80);
            auto job =
                sb.json({"job", "update", "wide", "--overlap", "queue", "--clear-max-instances"});
            CHECK(job["overlap"] == "queue");
            CHECK(job["max_instances"].is_null());
            CHECK(sb.json({"job", "update", "wide", "--end-date", "2026-01-17"})["end_date"] ==
                  "2026-01-17T00:00:00+00:00");
        }
        SUBCASE("update keeping a job's own name is not a conflict") {
            auto r = sb.run({"job", "update", "alpha", "--name", "alpha"});
            CHECK(r.exit_code == 0);
        }
    }

    TEST_CASE("a taken name is a conflict (exit 4) and changes nothing") {
        Sandbox sb;
        seed(sb);
        SUBCASE("create with --name") {
            check_refused(sb, {"job", "create", "--name", "alpha", "--command", "true"}, 4,
                          "alpha");
        }
        SUBCASE("create with a positional name") {
            check_refused(sb, {"job", "create", "beta", "--command", "true"}, 4, "beta");
        }
        SUBCASE("update renaming onto another job") {
            check_refused(sb, {"job", "update", "beta", "--name", "alpha"}, 4, "alpha");
        }
        SUBCASE("update renaming onto another job, by id, with other changes") {
            std::string beta_id = sb.json({"job", "show", "beta"})["job_id"];
            check_refused(sb, {"job", "update", beta_id, "--name", "alpha", "--priority", "high"},
                          4, "alpha");
        }
    }

    TEST_CASE("an unknown job is not found (exit 3) and changes nothing") {
        Sandbox sb;
        seed(sb);
        const std::vector<Rule> rules = {
            {"show", {"job", "show", "gamma"}, "gamma"},
            {"show by an unknown id", {"job", "show", "0badf00d"}, "0badf00d"},
            {"update", {"job", "update", "gamma", "--priority", "high"}, "gamma"},
            {"update by an unknown id",
             {"job", "update", "0badf00d", "--priority", "high"},
             "0badf00d"},
            {"pause", {"job", "pause", "gamma"}, "gamma"},
            {"resume", {"job", "resume", "gamma"}, "gamma"},
            {"delete", {"job", "delete", "gamma", "--force"}, "gamma"},
            {"delete by an unknown id", {"job", "delete", "0badf00d", "--force"}, "0badf00d"},
        };
        for (const auto& rule : rules) {
            SUBCASE(rule.name) {
                check_refused(sb, rule.args, 3, rule.flag);
            }
        }
    }

    TEST_CASE("a format a command lacks exits 2") {
        Sandbox sb;
        seed(sb);
        const std::vector<Rule> rules = {
            {"job show csv", {"job", "show", "alpha", "--format", "csv"}, "csv"},
            {"job show yaml", {"job", "show", "alpha", "--format", "yaml"}, "yaml"},
            {"job show -o yaml", {"job", "show", "alpha", "-o", "yaml"}, "yaml"},
            {"job list yaml", {"job", "list", "--format", "yaml"}, "yaml"},
            {"job list prometheus", {"job", "list", "--format", "prometheus"}, "prometheus"},
            {"config list yaml", {"config", "list", "--format", "yaml"}, "yaml"},
            {"config get csv", {"config", "get", "log.level", "--format", "csv"}, "csv"},
            {"job create csv writes nothing",
             {"job", "create", "--name", "fresh", "--command", "true", "--format", "csv"},
             "csv"},
            {"job update yaml writes nothing",
             {"job", "update", "alpha", "--priority", "high", "--format", "yaml"},
             "yaml"},
            {"job pause yaml writes nothing",
             {"job", "pause", "alpha", "--format", "yaml"},
             "yaml"},
            {"job delete yaml writes nothing",
             {"job", "delete", "alpha", "--force", "--format", "yaml"},
             "yaml"},
        };
        for (const auto& rule : rules) {
            SUBCASE(rule.name) {
                check_refused(sb, rule.args, 2, rule.flag);
            }
        }
    }
}
