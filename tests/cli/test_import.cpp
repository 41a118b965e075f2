// `import crontab` through the real binary: the crontabs Debian packages
// install (read from /etc: scripts/deps.sh test installs them), a crontab
// on stdin, the user column, --dry-run, --skip-invalid, importing twice,
// `%` input reaching a run, CRON_TZ and the man page.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using schedule::test::Args;
using schedule::test::lines_of;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// A file a Debian package installs; the test fails when it is missing.
std::string installed(const std::string& path, const std::string& package) {
    REQUIRE_MESSAGE(std::filesystem::exists(path),
                    path << " is missing: run scripts/deps.sh test (as root), which installs "
                         << package);
    return path;
}

bool root() {
    return ::geteuid() == 0;
}

nlohmann::json import_json(const Sandbox& sb, const Args& args, const std::string& input = "") {
    auto r = sb.run(schedule::test::concat({"import", "crontab", "--format", "json"}, args), input);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

// name -> job, from `job list`.
std::map<std::string, nlohmann::json> jobs_by_name(const Sandbox& sb) {
    std::map<std::string, nlohmann::json> out;
    for (const auto& j : sb.json({"job", "list"}))
        out[j["name"].get<std::string>()] = j;
    return out;
}

std::vector<std::string> statuses(const nlohmann::json& result) {
    std::vector<std::string> out;
    for (const auto& j : result["jobs"])
        out.push_back(j["status"]);
    return out;
}

std::string last_line(const std::string& text) {
    auto lines = lines_of(text);
    return lines.empty() ? std::string() : lines.back();
}

} // namespace

TEST_SUITE("cli::import") {

    TEST_CASE("Debian's /etc/crontab becomes four jobs run by root, and again nothing") {
        Sandbox sb;
        const auto path = installed("/etc/crontab", "cron-daemon-common");
        if (!root()) {
            // Only root may define jobs that run as root: every line is refused.
            auto r = sb.run({"import", "crontab", path});
            CHECK(r.exit_code == 2);
            CHECK(r.err.find("only root can make a job run as another user") != std::string::npos);
            CHECK(sb.dump().empty());
            return;
        }
        auto result = import_json(sb, {path});
        CHECK(result["source"] == "/etc/crontab");
        CHECK(result["created"] == 4);
        CHECK(result["unchanged"] == 0);
        CHECK(result["warnings"].empty()); // SHELL=/bin/sh is what jobs get anyway
        auto jobs = jobs_by_name(sb);
        REQUIRE(jobs.size() == 4);
        for (const char* name : {"run-parts-cron-hourly", "run-parts-cron-daily",
                                 "run-parts-cron-weekly", "run-parts-cron-monthly"})
            CHECK_MESSAGE(jobs.count(name), name);
        const auto& hourly = jobs["run-parts-cron-hourly"];
        CHECK(hourly["cron_expression"] == "17 * * * *");
        CHECK(hourly["command"] == "cd / && run-parts --report /etc/cron.hourly");
        CHECK(hourly["run_as"] == "root");
        CHECK(hourly["env"] ==
              nlohmann::json{
                  {"PATH", "/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin"}});
        CHECK(hourly["tags"] == nlohmann::json{{"imported", "crontab"}});
        CHECK(hourly["timezone"] == "UTC");
        CHECK(hourly["description"].get<std::string>().rfind("imported from /etc/crontab, line ",
                                                             0) == 0);
        CHECK(jobs["run-parts-cron-weekly"]["cron_expression"] == "47 6 * * 7");
        CHECK(jobs["run-parts-cron-daily"]["command"] ==
              "test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }");

        const auto dump = sb.dump();
        auto again = import_json(sb, {path});
        CHECK(again["created"] == 0);
        CHECK(again["unchanged"] == 4);
        CHECK(statuses(again) == std::vector<std::string>(4, "unchanged"));
        CHECK(again["jobs"][0]["job_id"] == hourly["job_id"]);
        CHECK(sb.dump() == dump);
    }

    TEST_CASE("the cron.d files of e2fsprogs, sysstat and php-common") {
        Sandbox sb;
        const auto e2scrub = installed("/etc/cron.d/e2scrub_all", "e2fsprogs");
        const auto sysstat = installed("/etc/cron.d/sysstat", "sysstat");
        const auto php = installed("/etc/cron.d/php", "php-common");
        for (const auto& path : {e2scrub, sysstat, php}) {
            auto r = sb.run({"import", "crontab", path});
            INFO(path << ": " << r.err);
            if (!root()) {
                // Only root may define jobs that run as root.
                CHECK(r.exit_code == 2);
                CHECK(r.err.find("only root can make a job run as another user") !=
                      std::string::npos);
                continue;
            }
            CHECK(r.exit_code == 0);
            CHECK(r.err.empty());
        }
        if (!root())
            return;
        auto jobs = jobs_by_name(sb);
        std::vector<std::string> names;
        for (const auto& [name, job] : jobs) {
            names.push_back(name);
            CHECK(job["run_as"] == "root");
        }
        CHECK(names == std::vector<std::string>{"debian-sa1-1", "debian-sa1-60", "e2scrub_all",
                                                "e2scrub_all_cron", "sessionclean"});
        CHECK(jobs["e2scrub_all_cron"]["cron_expression"] == "30 3 * * 0");
        const std::string e2scrub_command = jobs["e2scrub_all_cron"]["command"];
        CHECK(e2scrub_command.rfind("test -e /run/systemd/system || SERVICE_MODE=1 /usr/lib/", 0) ==
              0); // then the architecture's directory
        CHECK(e2scrub_command.find("/e2fsprogs/e2scrub_all_cron") != std::string::npos);
        CHECK(jobs["debian-sa1-1"]["cron_expression"] == "5-55/10 * * * *");
        CHECK(jobs["debian-sa1-1"]["env"]["PATH"] ==
              "/usr/lib/sysstat:/usr/sbin:/usr/sbin:/usr/bin:/sbin:/bin");
        CHECK(jobs["sessionclean"]["cron_expression"] == "09,39 * * * *");
        CHECK(jobs["sessionclean"]["env"].empty());
    }

    TEST_CASE("a crontab on stdin: `crontab -l | schedule import crontab -`") {
        Sandbox sb;
        const std::string crontab = "# m h  dom mon dow   command\n"
                                    "MAILTO=\"\"\n"
                                    "PATH=/usr/local/bin:/usr/bin:/bin\n"
                                    "30 2 * * * /usr/local/bin/backup.sh --full\n"
                                    "@hourly  echo tick >> /tmp/ticks\n";
        auto result = import_json(sb, {"-"}, crontab);
        CHECK(result["source"] == "-");
        CHECK(result["dry_run"] == false);
        CHECK(result["created"] == 2);
        REQUIRE(result["jobs"].size() == 2);
        const auto& backup = result["jobs"][0];
        CHECK(backup["line"] == 4);
        CHECK(backup["status"] == "created");
        CHECK(backup["name"] == "backup-sh");
        CHECK(backup["job_id"].get<std::string>().size() == 8);
        CHECK(backup["trigger"] == nlohmann::json{{"type", "cron"}, {"expression", "30 2 * * *"}});
        CHECK(backup["cron_expression"] == "30 2 * * *");
        CHECK(backup["timezone"] == "UTC");
        CHECK(backup["command"] == "/usr/local/bin/backup.sh --full");
        CHECK(backup["env"] == nlohmann::json{{"PATH", "/usr/local/bin:/usr/bin:/bin"}});
        CHECK(backup["run_as"].is_null());
        CHECK(result["jobs"][1]["name"] == "echo-tick");
        CHECK(result["jobs"][1]["cron_expression"] == "@hourly");
        auto shown = sb.json({"job", "show", "backup-sh"});
        CHECK(shown["description"] == "imported from standard input, line 4");
        CHECK(shown["next_execution"] == "2026-01-16T02:30:00+00:00");

        // The table: one line per job and the counts.
        Sandbox table_sb;
        auto r = table_sb.run({"import", "crontab", "-"}, crontab);
        CHECK(r.exit_code == 0);
        auto lines = lines_of(r.out);
        REQUIRE(lines.size() == 4);
        CHECK(lines[0].rfind("LINE", 0) == 0);
        CHECK(lines[1].find("created") != std::string::npos);
        CHECK(lines[1].find("backup-sh") != std::string::npos);
        CHECK(lines[1].find("cron 30 2 * * *") != std::string::npos);
        CHECK(lines[3] == "2 created, 0 unchanged.");
        // -q: the new ids only.
        Sandbox quiet_sb;
        auto q = quiet_sb.run({"import", "crontab", "-", "-q"}, crontab);
        CHECK(q.exit_code == 0);
        CHECK(lines_of(q.out).size() == 2);
        CHECK(q.out.size() == 18);
    }

    TEST_CASE("--system reads the user column into run_as") {
        Sandbox sb;
        if (!root()) {
            auto r = sb.run({"import", "crontab", "--system", "-"}, "0 4 * * * root true\n");
            CHECK(r.exit_code == 2);
            CHECK(r.err.find("line 1: user: only root") != std::string::npos);
            return;
        }
        auto result = import_json(sb, {"--system", "-"},
                                  "0 4 * * * nobody /usr/bin/true\n@reboot root /bin/true x\n");
        REQUIRE(result["jobs"].size() == 2);
        CHECK(result["jobs"][0]["run_as"] == "nobody");
        CHECK(result["jobs"][0]["command"] == "/usr/bin/true");
        CHECK(result["jobs"][1]["run_as"] == "root");
        CHECK(result["jobs"][1]["trigger"]["type"] == "reboot");
        // A user that does not exist, and --run-as with a system crontab.
        const auto dump = sb.dump();
        auto r = sb.run({"import", "crontab", "--system", "-"}, "0 4 * * * no-such-user true\n");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("schedule: error: line 1: user: no such user: no-such-user\n") == 0);
        auto both = sb.run({"import", "crontab", "--system", "--run-as", "nobody", "-"},
                           "0 4 * * * root true\n");
        CHECK(both.exit_code == 2);
        schedule::test::check_error_line(both, "--run-as");
        CHECK(sb.dump() == dump);
        // A user crontab's jobs may be given one user.
        auto as = import_json(sb, {"--run-as", "nobody", "-"}, "0 5 * * * whoami\n");
        CHECK(as["jobs"][0]["run_as"] == "nobody");
        CHECK(as["jobs"][0]["command"] == "whoami");
    }

    TEST_CASE("--dry-run shows what would be created and writes nothing") {
        Sandbox sb;
        const std::string crontab = "0 1 * * * first\n0 2 * * * second\n";
        // Without a store, none is created.
        auto r = sb.run({"import", "crontab", "--dry-run", "-"}, crontab);
        CHECK(r.exit_code == 0);
        CHECK(!std::filesystem::exists(sb.store()));
        CHECK(last_line(r.out) == "Dry run: 2 to create, 0 unchanged; nothing written.");
        CHECK(r.out.find("would create") != std::string::npos);
        // With one holding the first line's job, the store stays byte-identical.
        import_json(sb, {"-"}, "0 1 * * * first\n");
        const auto dump = sb.dump();
        auto result = import_json(sb, {"--dry-run", "-"}, crontab);
        CHECK(result["dry_run"] == true);
        CHECK(statuses(result) == std::vector<std::string>{"unchanged", "would_create"});
        CHECK(result["jobs"][1]["job_id"].is_null());
        CHECK(result["jobs"][1]["name"] == "second");
        CHECK(result["created"] == 1);
        CHECK(sb.dump() == dump);
    }

    TEST_CASE("an invalid line stops the import, each is listed, --skip-invalid imports the rest") {
        Sandbox sb;
        sb.ok({"job", "create", "keep", "--command", "true"});
        const auto dump = sb.dump();
        const std::string crontab = "0 1 * * * good one\n"
                                    "61 * * * * bad minute\n"
                                    "# a comment\n"
                                    "0 2 * * *\n"
                                    "CRON_TZ=Nowhere/City\n"
                                    "0 3 * * * after the bad zone\n";
        auto r = sb.run({"import", "crontab", "-"}, crontab);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        auto err = lines_of(r.err);
        REQUIRE(err.size() == 5);
        CHECK(err[0] == "schedule: error: line 2: minute field: 61 is out of range 0-59");
        CHECK(err[1] == "schedule: error: line 4: expected five time fields (or a @macro) and a "
                        "command (hint: a line reads: minute hour day-of-month month day-of-week "
                        "command)");
        CHECK(err[2].rfind("schedule: error: line 5: CRON_TZ: ", 0) == 0);
        CHECK(err[3].rfind("schedule: error: line 6: follows line 5, which is invalid", 0) == 0);
        CHECK(err[4] == "schedule: error: 4 invalid lines; nothing imported (hint: fix them, or "
                        "pass --skip-invalid to import the other lines)");
        CHECK(sb.dump() == dump);

        auto skip = sb.run({"import", "crontab", "--skip-invalid", "-"}, crontab);
        CHECK(skip.exit_code == 0);
        auto warnings = lines_of(skip.err);
        REQUIRE(warnings.size() == 4);
        CHECK(warnings[0] == "schedule: warning: line 2: minute field: 61 is out of range 0-59; "
                             "line skipped");
        CHECK(last_line(skip.out) == "1 created, 0 unchanged, 4 invalid lines skipped.");
        CHECK(jobs_by_name(sb).count("good-one"));

        auto json = import_json(sb, {"--skip-invalid", "-"}, crontab);
        CHECK(json["skipped"] == 4);
        CHECK(json["unchanged"] == 1);
        REQUIRE(json["invalid"].size() == 4);
        CHECK(json["invalid"][0] == nlohmann::json{{"line", 2},
                                                   {"error", "line 2: minute field: 61 is out of "
                                                             "range 0-59"},
                                                   {"hint", nullptr}});
    }

    TEST_CASE("importing twice creates nothing the second time, names stay unique") {
        Sandbox sb;
        sb.ok({"job", "create", "backup-sh", "--command", "echo other"});
        const std::string crontab = "0 1 * * * /opt/backup.sh\n"
                                    "0 1 * * * /opt/backup.sh\n" // cron runs it twice: two jobs
                                    "0 2 * * * /usr/bin/backup.sh\n"
                                    "A=1\n"
                                    "0 1 * * * /opt/backup.sh\n"; // another environment
        auto first = import_json(sb, {"-"}, crontab);
        std::vector<std::string> names;
        for (const auto& j : first["jobs"])
            names.push_back(j["name"]);
        CHECK(names ==
              std::vector<std::string>{"backup-sh-2", "backup-sh-3", "backup-sh-4", "backup-sh-5"});
        const auto dump = sb.dump();
        auto second = import_json(sb, {"-"}, crontab);
        CHECK(statuses(second) == std::vector<std::string>(4, "unchanged"));
        for (std::size_t i = 0; i < 4; ++i)
            CHECK(second["jobs"][i]["job_id"] == first["jobs"][i]["job_id"]);
        CHECK(sb.dump() == dump);
        // The same line in another zone is another job.
        auto zoned = import_json(sb, {"-"}, "CRON_TZ=Asia/Tokyo\n0 1 * * * /opt/backup.sh\n");
        CHECK(statuses(zoned) == std::vector<std::string>{"created"});
        CHECK(zoned["jobs"][0]["name"] == "backup-sh-6");
    }

    TEST_CASE("a line's % input reaches the job's stdin when it runs") {
        Sandbox sb;
        import_json(sb, {"-"},
                    "* * * * * cat; printf '\\%s\\n' 'a\\\\b' 100\\%%line one%  two\\%%%last\n");
        auto job = sb.json({"job", "show", "cat"});
        INFO("command: " << job["command"]);
        auto r = sb.run({"job", "run", "cat"});
        CHECK(r.exit_code == 0);
        // cat copies its stdin; printf then gets '%s\n' 'a\b' 100% (Debian's cron).
        CHECK(r.out == "line one\n  two%\n\nlast\na\\b\n100%\n");
        auto history = sb.json({"job", "history", "cat"});
        REQUIRE(history.size() == 1);
        CHECK(history[0]["status"] == "completed");
    }

    TEST_CASE("CRON_TZ gives the job's zone: it fires at that wall-clock time") {
        Sandbox sb; // now is 2026-01-15T10:00Z, 19:00 in Tokyo
        import_json(sb, {"-"},
                    "CRON_TZ=Asia/Tokyo\n30 9 * * * date\nCRON_TZ=America/New_York\n"
                    "0 0 * * * date -u\n");
        auto tokyo = sb.json({"job", "show", "date"});
        CHECK(tokyo["timezone"] == "Asia/Tokyo");
        auto next = sb.json({"job", "next", "date", "--count", "2"})["next"];
        CHECK(next == nlohmann::json{"2026-01-16T09:30:00+09:00", "2026-01-17T09:30:00+09:00"});
        auto ny = sb.json({"job", "next", "date-2", "--count", "1"})["next"];
        CHECK(ny == nlohmann::json{"2026-01-16T00:00:00-05:00"});
    }

    TEST_CASE("MAILTO and SHELL are reported and not carried over") {
        Sandbox sb;
        auto r = sb.run({"import", "crontab", "-"},
                        "MAILTO=ops@example.com\nSHELL=/bin/bash\n0 1 * * * echo $0\n");
        CHECK(r.exit_code == 0);
        auto err = lines_of(r.err);
        REQUIRE(err.size() == 2);
        CHECK(err[0].rfind("schedule: warning: line 1: MAILTO=\"ops@example.com\" is not carried "
                           "over",
                           0) == 0);
        CHECK(err[1].rfind("schedule: warning: line 2: SHELL=\"/bin/bash\" is not carried over",
                           0) == 0);
        CHECK(jobs_by_name(sb)["echo-0"]["env"].empty());
        auto json = import_json(sb, {"-"}, "MAILTO=root\n");
        REQUIRE(json["warnings"].size() == 1);
        CHECK(json["warnings"][0]["line"] == 1);
    }

    TEST_CASE("a line that runs schedule tick is reported and not imported") {
        Sandbox sb;
        const std::string crontab =
            "* * * * * /usr/local/bin/schedule tick -q\n"
            "* * * * * test -d /run/systemd/system || schedule --store ~/s.db tick\n"
            "0 1 * * * schedule tick --dry-run > /tmp/plan\n";
        auto r = sb.run({"import", "crontab", "-"}, crontab);
        CHECK(r.exit_code == 0);
        auto err = lines_of(r.err);
        REQUIRE(err.size() == 2);
        CHECK(err[0] == "schedule: warning: line 1: runs `schedule tick`: not imported (hint: keep "
                        "ticking from this crontab line, or from the schedule-tick.timer unit)");
        CHECK(err[1].rfind("schedule: warning: line 2: runs `schedule tick`", 0) == 0);
        // A dry run only plans: it is a job like any other.
        auto jobs = jobs_by_name(sb);
        REQUIRE(jobs.size() == 1);
        CHECK(jobs.begin()->second["command"] == "schedule tick --dry-run > /tmp/plan");
    }

    TEST_CASE("a file that cannot be read is refused") {
        Sandbox sb;
        auto r = sb.run({"import", "crontab", (sb.dir() / "missing").string()});
        CHECK(r.exit_code == 2);
        schedule::test::check_error_line(r, "missing");
        auto dir = sb.run({"import", "crontab", sb.dir().string()});
        CHECK(dir.exit_code == 2);
        schedule::test::check_error_line(dir);
        auto none = sb.run({"import", "crontab"});
        CHECK(none.exit_code == 2);
        CHECK(sb.dump().empty());
    }

    TEST_CASE("the man page documents the JSON keys") {
        Sandbox sb;
        auto result = import_json(sb, {"--skip-invalid", "-"}, "MAILTO=x\n0 1 * * * a\nbad\n");
        std::ifstream in(std::string(SCHEDULE_SOURCE_DIR) + "/man/schedule.1.scd");
        std::stringstream man;
        man << in.rdbuf();
        // Bold (*key*, with or without scdoc's escape of '_'), or quoted
        // in a bold JSON shape.
        auto documented = [&](const std::string& key) {
            std::string escaped;
            for (char c : key)
                escaped += c == '_' ? std::string("\\_") : std::string(1, c);
            for (const auto& form : {"*" + key + "*", "*" + escaped + "*", "\"" + key + "\""})
                if (man.str().find(form) != std::string::npos)
                    return true;
            return false;
        };
        for (const auto& [key, value] : result.items())
            CHECK_MESSAGE(documented(key), key);
        for (const auto& part : {"jobs", "invalid", "warnings"}) {
            REQUIRE(!result[part].empty());
            for (const auto& [key, value] : result[part][0].items())
                CHECK_MESSAGE(documented(key), std::string(part) << "." << key);
        }
    }
}
