// Privilege (man page RUNNING JOBS, STORE): nobody gains rights through
// `schedule`. A root tick really becomes the run-as user (uid, gid, no
// supplementary groups, no capabilities); a user who is not root cannot
// make a job run as anyone else; a job gets only the documented
// environment and cannot reach root's store or another job; escape
// sequences from any job field or output never reach a terminal raw; and
// SQL in names and values is data.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using schedule::test::Args;
using schedule::test::binary;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::contains;
using schedule::test::lines_of;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// The lines of /proc/self/status that say who a process is.
const char* k_who = "grep -E '^(Uid|Gid|Groups|CapEff|CapPrm|NoNewPrivs):' /proc/self/status";

// The stdout of the newest run of `job`.
std::string last_output(const Sandbox& sb, const std::string& job) {
    auto history = sb.json({"job", "history", job, "--limit", "1"});
    REQUIRE(history.size() == 1);
    return sb.ok({"job", "output", std::to_string(history[0]["execution_id"].get<long>())});
}

RunResult as_nobody(const Sandbox& sb, const Args& args, const std::string& input = "") {
    return sb.run_program(schedule::test::as_nobody(concat({binary()}, args)), input);
}

} // namespace

TEST_SUITE("cli::privilege") {

    TEST_CASE("a root tick runs a run-as job with exactly that user's ids, no groups and no "
              "capabilities") {
        Sandbox sb;
        if (::geteuid() != 0) {
            MESSAGE("not root: switching users is not tested here");
            return;
        }
        sb.ok({"job", "create", "who", "--cron", "* * * * *", "--run-as", "nobody", "--command",
               k_who, "-q"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:30Z";
        // The tick itself runs with supplementary groups that must not leak.
        auto r = sb.run_program(
            concat({"setpriv", "--groups=4,24,27", binary()}, {"tick", "--wait", "-q"}));
        REQUIRE(r.exit_code == 0);
        auto out = last_output(sb, "who");
        CHECK(contains(out, "Uid:\t65534\t65534\t65534\t65534\n"));
        CHECK(contains(out, "Gid:\t65534\t65534\t65534\t65534\n"));
        // initgroups: nobody's own groups (its primary one), none of root's
        CHECK(contains(out, "Groups:\t65534 \n"));
        CHECK(contains(out, "CapEff:\t0000000000000000\n"));
        CHECK(contains(out, "CapPrm:\t0000000000000000\n"));
        // And a job without --run-as in root's store, owned by nobody, is
        // run as nobody too (its owner).
        sb.ok({"job", "create", "owned", "--owner", "nobody", "--command", "id -u", "-q"});
        sb.ok({"job", "run", "owned", "-q"});
        CHECK(last_output(sb, "owned") == "65534\n");
    }

    TEST_CASE("a user who is not root cannot make a job run as someone else") {
        Sandbox sb;
        if (::geteuid() != 0) {
            MESSAGE("not root: cannot switch to nobody to test it");
            return;
        }
        const auto dir = schedule::test::nobody_dir(sb, "nobody");
        sb.env["HOME"] = dir.string();
        sb.env["SCHEDULE_STORE"] = (dir / "s.db").string();
        for (const char* user : {"root", "daemon", "0"}) {
            INFO(user);
            auto r = as_nobody(sb, {"job", "create", "x", "--run-as", user, "--command", "id"});
            CHECK(r.exit_code == 2);
            check_error_line(r, "--run-as");
        }
        REQUIRE(as_nobody(sb, {"job", "create", "mine", "--command", "id -u", "-q"}).exit_code ==
                0);
        auto r = as_nobody(sb, {"job", "update", "mine", "--run-as", "root"});
        CHECK(r.exit_code == 2);
        check_error_line(r, "only root");
        // A document cannot do it either.
        auto doc = nlohmann::json{
            {"jobs", {{{"name", "mine"}, {"command", "id -u"}, {"run_as", "root"}}}}};
        r = as_nobody(sb, {"apply", "-f", "-"}, doc.dump());
        CHECK(r.exit_code == 2);
        check_error_line(r, "run_as");
        r = as_nobody(sb, {"job", "run", "mine"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "65534\n");
    }

    TEST_CASE("a job gets only the documented environment, whatever the tick's") {
        Sandbox sb;
        sb.ok({"job", "create", "env", "--cron", "* * * * *", "--env", "MINE=1", "--command",
               "env | cut -d= -f1 | sort", "-q"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:30Z";
        sb.env["LD_PRELOAD"] = "/nonexistent/evil.so";
        sb.env["BASH_ENV"] = "/nonexistent/evil.sh";
        sb.env["ENV"] = "/nonexistent/evil.sh";
        sb.env["IFS"] = "x";
        sb.env["SECRET_TOKEN"] = "hunter2";
        sb.ok({"tick", "--wait", "-q"});
        sb.env.erase("LD_PRELOAD");
        const auto names = lines_of(last_output(sb, "env"));
        const std::set<std::string> allowed = {
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "MINE", "SCHEDULE_JOB_ID",
            "SCHEDULE_JOB_NAME", "SCHEDULE_EXECUTION_ID", "SCHEDULE_ATTEMPT", "SCHEDULE_TRIGGER",
            "SCHEDULE_SCHEDULED_FOR",
            // what /bin/sh itself exports to the commands it runs
            "PWD", "OLDPWD", "SHLVL", "_"};
        CHECK(names.size() >= 11);
        for (const auto& n : names) {
            INFO(n);
            CHECK(allowed.count(n) == 1);
        }
    }

    TEST_CASE("a job running as nobody cannot change root's store or another job") {
        Sandbox sb;
        if (::geteuid() != 0) {
            MESSAGE("not root: the run-as case is not tested");
            return;
        }
        const auto store = sb.store().string();
        sb.ok({"job", "create", "victim", "--cron", "@daily", "--command", "echo safe", "-q"});
        const std::string attempts =
            binary() + " --store " + store + " job delete victim --force; " + binary() +
            " --store " + store + " job update victim --command 'echo owned'; sqlite3 " + store +
            " \"UPDATE jobs SET command = 'echo owned'\"; echo x >> " + store + "; " + binary() +
            " job update victim --command 'echo owned'; true";
        sb.ok({"job", "create", "attacker", "--run-as", "nobody", "--command", attempts, "-q"});
        const auto victim = sb.json({"job", "show", "victim"});
        sb.ok({"job", "run", "attacker", "-q"});
        auto after = sb.json({"job", "show", "victim"});
        CHECK(after["command"] == "echo safe");
        CHECK(after["updated_at"] == victim["updated_at"]);
        auto check = sb.run_program({"sqlite3", store, "PRAGMA integrity_check"});
        CHECK(check.out == "ok\n");
        CHECK(sb.json({"job", "list"}).size() == 2);
    }

    TEST_CASE("escape sequences from job fields and output never reach a terminal raw") {
        Sandbox sb;
        // A title change, a screen clear, a bell, and a hyperlink.
        const std::string payload = "\033]0;pwned\a\033[2J\033]8;;http://x\033\\";
        sb.ok({"job", "create", "nasty", "--cron", "* * * * *", "--description", payload,
               "--command", "printf '" + payload + "'; printf '" + payload + "' >&2; exit 3",
               "--env", "E=" + payload, "--owner", "o", "-q"});
        sb.ok({"job", "create", "after", "--after", "nasty", "--description", payload, "--command",
               "true", "-q"});
        sb.ok({"config", "set", "notify.on_failure", "echo '" + payload + "'", "-q"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:30Z";
        sb.ok({"tick", "--wait", "-q"});
        const auto backup = (sb.dir() / "b.json").string();
        sb.ok({"config", "backup", "--output", backup, "-q"});
        const auto crontab = sb.dir() / "crontab";
        { std::ofstream(crontab) << "* * * * * echo '" << payload << "'\n"; }
        const std::vector<Args> commands = {
            {"job", "list"},
            {"job", "show", "nasty"},
            {"job", "next", "nasty"},
            {"job", "graph"},
            {"job", "history"},
            {"job", "history", "nasty"},
            {"job", "output", "1"},
            {"job", "output", "1", "--stderr"},
            {"job", "stats"},
            {"job", "stats", "nasty"},
            {"job", "update", "nasty", "--priority", "60"},
            {"job", "pause", "nasty"},
            {"job", "resume", "nasty"},
            {"job", "run", "nasty", "--dry-run"},
            {"queue"},
            {"events"},
            {"tick", "--dry-run"},
            {"config", "list"},
            {"config", "get", "notify.on_failure"},
            {"doctor"},
            {"import", "crontab", crontab.string(), "--dry-run"},
            {"config", "restore", "--input", backup, "--force", "--dry-run"},
            {"apply", "-f", backup, "--dry-run"},
            {"export", "--to", "crontab"},
            {"job", "delete", "after", "--force"},
        };
        // The payload is really there: written to a pipe, job output gives
        // the bytes as captured.
        REQUIRE(contains(sb.ok({"job", "output", "1"}), payload));
        for (const auto& args : commands) {
            std::string shown;
            for (const auto& a : args)
                shown += a + " ";
            INFO(shown);
            auto r = sb.run_tty(args);
            CHECK(r.exit_code != 124);
            CHECK_FALSE(contains(r.out, "\033]"));
            CHECK_FALSE(contains(r.out, "\033[2J"));
            CHECK_FALSE(contains(r.out, "\a"));
        }
    }

    TEST_CASE("SQL in names and values is only ever data") {
        Sandbox sb;
        const std::vector<std::string> names = {"x'); DROP TABLE jobs; --",
                                                "a\"b\"c",
                                                "';DELETE FROM executions;'",
                                                "1 OR 1=1",
                                                "%_like_%",
                                                "name`with`ticks"};
        for (const auto& n : names) {
            INFO(n);
            sb.ok({"job", "create", n, "--command", "printf '%s\\n' \"$E\"", "--description", n,
                   "--tag", "k=" + n, "--env", "E=" + n, "-q"});
            auto show = sb.json({"job", "show", n});
            CHECK(show["name"] == n);
            CHECK(show["description"] == n);
            sb.ok({"job", "run", n, "-q"});
            CHECK(last_output(sb, n) == n + "\n");
            CHECK(sb.json({"job", "history", n}).size() == 1);
            CHECK(sb.json({"job", "list", "--tag", "k=" + n}).size() == 1);
            sb.ok({"job", "update", n, "--description", n + n, "-q"});
        }
        CHECK(sb.json({"job", "list"}).size() == names.size());
        // A name that is a prefix pattern matches only itself.
        CHECK(sb.run({"job", "show", "%"}).exit_code == 3);
        CHECK(sb.run({"job", "show", "%_like%"}).exit_code == 3);
        for (const auto& n : names)
            sb.ok({"job", "delete", n, "--force", "-q"});
        CHECK(sb.json({"job", "list"}).empty());
        auto check = sb.run_program({"sqlite3", sb.store().string(), "PRAGMA integrity_check"});
        CHECK(check.out == "ok\n");
    }
}
