// `schedule doctor` through the binary: each check's finding and fix, the
// exit code, the JSON document; and the warning `job list` and `queue`
// give when jobs are due and no tick has run. A sandbox store is ticked by
// nothing on any host, so the tick-driver check fails here whatever the
// host runs; the cases where it passes install a cron line and so belong
// to the package tests (tests/package/), which may change the host.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace fs = std::filesystem;
using schedule::test::contains;
using schedule::test::Sandbox;

namespace {

// Each check's (status, message, fix) from `doctor --format json`, by
// name; several checks of one name (handler) are joined by "; ".
struct Found {
    std::string status;
    std::string message;
    std::string fix;
};

std::map<std::string, Found> checks(const Sandbox& sb, int* exit_code = nullptr,
                                    const std::string& now = "") {
    std::vector<std::string> argv{"env"};
    if (!now.empty())
        argv.push_back("SCHEDULE_NOW=" + now);
    argv.push_back(schedule::test::binary());
    argv.insert(argv.end(), {"doctor", "--format", "json"});
    auto r = sb.run_program(argv);
    INFO("stderr: " << r.err);
    if (exit_code)
        *exit_code = r.exit_code;
    auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc.is_object());
    CHECK(doc.size() == 2);
    bool failed = false;
    std::map<std::string, Found> out;
    for (const auto& c : doc.at("checks")) {
        CHECK(c.size() == 4);
        const auto status = c.at("status").get<std::string>();
        CHECK((status == "ok" || status == "warn" || status == "fail"));
        CHECK(c.at("fix").is_null() == (status == "ok"));
        failed = failed || status == "fail";
        auto& f = out[c.at("check").get<std::string>()];
        const auto sep = f.status.empty() ? "" : "; ";
        f.status += sep + status;
        f.message += sep + c.at("message").get<std::string>();
        f.fix += sep + (c.at("fix").is_null() ? std::string() : c.at("fix").get<std::string>());
    }
    CHECK(doc.at("ok").get<bool>() == !failed);
    CHECK(r.exit_code == (failed ? 1 : 0));
    return out;
}

} // namespace

TEST_SUITE("cli::doctor") {

    TEST_CASE("each check has one line, in order, and a fresh store is reported as it is") {
        Sandbox sb;
        const auto before = fs::exists(sb.store());
        auto r = sb.run({"doctor"});
        CHECK(r.exit_code == 1); // nothing ticks this store
        const std::vector<std::string> order{"tick-driver", "last-tick", "store",       "timezone",
                                             "handler",     "run-as",    "working-dir", "log-file"};
        auto lines = schedule::test::lines_of(r.out);
        REQUIRE(lines.size() == order.size());
        for (std::size_t i = 0; i < order.size(); ++i) {
            CAPTURE(lines[i]);
            const auto status = lines[i].substr(0, lines[i].find(' '));
            CHECK((status == "ok" || status == "warn" || status == "fail"));
            CHECK(contains(lines[i], "  " + order[i] + "  "));
            CHECK(contains(lines[i], "(fix: ") == (status != "ok"));
        }
        CHECK(r.err.empty());
        CHECK(fs::exists(sb.store()) == before); // doctor creates no store

        auto found = checks(sb);
        CHECK(found["tick-driver"].status == "fail");
        CHECK(found["tick-driver"].message.starts_with("nothing ticks " + sb.store().string()));
        CHECK(contains(found["tick-driver"].fix,
                  "* * * * * schedule --store " + sb.store().string() + " tick -q"));
        CHECK(found["last-tick"].status == "warn"); // no tick, but no job is due either
        CHECK(found["last-tick"].message == "no tick has run for this store");
        CHECK(found["store"].status == "ok");
        CHECK(contains(found["store"].message, "does not exist yet"));
        CHECK(found["handler"].status == "ok");
        CHECK(found["log-file"].status == "ok");
    }

    TEST_CASE("the last tick: recorded by every tick, idle ones too, and judged against due jobs") {
        Sandbox sb;
        sb.ok({"job", "create", "minutely", "--cron", "* * * * *", "--command", "true", "-q"});
        // Due since 10:01, never ticked.
        auto found = checks(sb, nullptr, "2026-01-15T10:05:30Z");
        CHECK(found["last-tick"].status == "fail");
        CHECK(found["last-tick"].message == "no tick has run for this store; 1 job is due");
        // An idle tick (nothing due yet at 09:59) records its instant.
        auto idle = sb.run_program(
            {"env", "SCHEDULE_NOW=2026-01-15T09:59:00Z", schedule::test::binary(), "tick", "-q"});
        REQUIRE(idle.exit_code == 0);
        REQUIRE(fs::exists(sb.store().string() + ".last-tick"));
        struct stat st {};
        REQUIRE(::stat((sb.store().string() + ".last-tick").c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0600);
        CHECK(st.st_size == 0);
        found = checks(sb, nullptr, "2026-01-15T10:00:30Z");
        CHECK(found["last-tick"].status == "ok");
        CHECK(found["last-tick"].message ==
              "the last tick ran at 2026-01-15T09:59:00+00:00 (90s ago)");
        // Four minutes later with the job due: a failure; a dry run records nothing.
        REQUIRE(sb.run_program({"env", "SCHEDULE_NOW=2026-01-15T10:03:00Z",
                                schedule::test::binary(), "tick", "--dry-run"})
                    .exit_code == 0);
        found = checks(sb, nullptr, "2026-01-15T10:03:30Z");
        CHECK(found["last-tick"].status == "fail");
        CHECK(found["last-tick"].message ==
              "the last tick ran at 2026-01-15T09:59:00+00:00 (4m ago); 1 job is due");
        // Paused, nothing is due: only a warning.
        sb.ok({"job", "pause", "minutely"});
        found = checks(sb, nullptr, "2026-01-15T10:03:30Z");
        CHECK(found["last-tick"].status == "warn");
    }

    TEST_CASE("a store others could write fails the store check with the fix tick gives") {
        Sandbox sb;
        sb.ok({"job", "create", "a", "--command", "true", "-q"});
        auto found = checks(sb);
        CHECK(found["store"].status == "ok");
        CHECK(contains(found["store"].message, sb.store().string() + ": mode 0600, owner "));
        fs::permissions(sb.store(), fs::perms(0666));
        found = checks(sb);
        CHECK(found["store"].status == "fail");
        CHECK(contains(found["store"].message, "writable by group or others"));
        CHECK(contains(found["store"].message, "tick and job run refuse it"));
        CHECK(contains(found["store"].fix, "chmod"));
        auto tick = sb.run({"tick"});
        CHECK(tick.exit_code == 5);
    }

    TEST_CASE("a store that cannot be opened is a failure, and the other checks still run") {
        Sandbox sb;
        fs::create_directories(sb.store().parent_path());
        std::ofstream(sb.store()) << "this is not a database, but it is long enough to be read";
        int code = 0;
        auto found = checks(sb, &code);
        CHECK(code == 1);
        CHECK(found["store"].status == "fail");
        CHECK(contains(found["store"].message, "not a schedule store"));
        CHECK(found.count("timezone") == 1);
        CHECK(found.count("log-file") == 1);
    }

    TEST_CASE("handlers, run-as users and working directories that are not there fail by name") {
        Sandbox sb;
        const auto dir = sb.dir() / "work";
        fs::create_directories(dir);
        sb.ok({"config", "set", "handlers.python", "/bin/sh"});
        sb.ok({"config", "set", "handlers.ruby", (sb.dir() / "no-ruby").string()});
        sb.ok({"job", "create", "in dir", "--command", "true", "--working-dir", dir.string()});
        sb.ok({"job", "create", "as user", "--command", "true", "--run-as", "root"});
        auto found = checks(sb);
        CHECK(found["handler"].status == "ok; fail"); // by type: python, ruby
        CHECK(contains(found["handler"].message,
                  "handlers.ruby " + (sb.dir() / "no-ruby").string() + " does not exist"));
        CHECK(contains(found["handler"].message, "handlers.python /bin/sh is executable"));
        CHECK(contains(found["handler"].fix, "schedule config set handlers.ruby PATH"));
        CHECK(found["run-as"].status == "ok");
        CHECK(found["run-as"].message == "the --run-as users of 1 job exist");
        CHECK(found["working-dir"].status == "ok");

        // The directory goes; the user is deleted from the host (here:
        // renamed in the store, which is what doctor reads).
        fs::remove(dir);
        auto r =
            sb.run_program({"sqlite3", sb.store().string(),
                            "UPDATE jobs SET run_as = 'no-such-user-xyz' WHERE name = 'as user'"});
        REQUIRE(r.exit_code == 0);
        found = checks(sb);
        CHECK(found["working-dir"].status == "fail");
        CHECK(found["working-dir"].message ==
              "job in dir runs in " + dir.string() + ", which is not a directory");
        CHECK(contains(found["working-dir"].fix, "schedule job update 'in dir' --working-dir DIR"));
        CHECK(found["run-as"].status == "fail");
        CHECK(found["run-as"].message ==
              "job as user runs as no-such-user-xyz, who is not a user on this host");
    }

    TEST_CASE("log.file: writable, or the failure and its fix") {
        Sandbox sb;
        const auto log = sb.dir() / "logs" / "schedule.log";
        sb.ok({"config", "set", "log.file", log.string()});
        auto found = checks(sb);
        CHECK(found["log-file"].status == "fail");
        CHECK(contains(found["log-file"].message,
                  "does not exist and " + log.parent_path().string() + " cannot be written"));
        CHECK(contains(found["log-file"].fix, "mkdir -p " + log.parent_path().string()));
        fs::create_directories(log.parent_path());
        found = checks(sb);
        CHECK(found["log-file"].status == "ok");
        // Like every command, doctor has opened it for its own log lines.
        CHECK(found["log-file"].message == "log.file " + log.string() + " is writable");
        fs::remove(log);
        fs::create_directories(log);
        found = checks(sb);
        CHECK(found["log-file"].status == "fail");
        CHECK(contains(found["log-file"].message, "is not a regular file"));
    }

    TEST_CASE("the time zone and the tz database's version") {
        Sandbox sb;
        sb.env["TZ"] = "Europe/Berlin";
        auto found = checks(sb);
        CHECK(found["timezone"].status == "ok");
        CHECK(found["timezone"].message.starts_with(
            "default zone Europe/Berlin ($TZ), tz database "));
        sb.ok({"config", "set", "timezone", "Asia/Tokyo"});
        found = checks(sb);
        CHECK(found["timezone"].message.starts_with("default zone Asia/Tokyo (config timezone)"));
        sb.ok({"config", "unset", "timezone"});
        sb.env["TZ"] = "Mars/Olympus";
        found = checks(sb);
        CHECK(found["timezone"].status == "warn");
        CHECK(contains(found["timezone"].fix, "schedule config set timezone ZONE"));
    }
}

TEST_SUITE("cli::doctor: job list and queue") {

    TEST_CASE("warn on stderr when jobs are due and no tick ran for three minutes") {
        Sandbox sb;
        sb.ok({"job", "create", "minutely", "--cron", "* * * * *", "--command", "true", "-q"});
        auto at = [&](const std::string& now, const std::vector<std::string>& args) {
            std::vector<std::string> argv{"env", "SCHEDULE_NOW=" + now, schedule::test::binary()};
            argv.insert(argv.end(), args.begin(), args.end());
            return sb.run_program(argv);
        };
        // Not due yet: nothing to say.
        auto r = at("2026-01-15T09:59:30Z", {"job", "list"});
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
        // Due and never ticked.
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"job", "list"}, {"queue"}, {"job", "list", "--format", "json"}}) {
            CAPTURE(args[0]);
            r = at("2026-01-15T10:02:30Z", args);
            CHECK(r.exit_code == 0);
            CHECK(r.err == "schedule: warning: 1 job is due and no tick has run for this store "
                           "(hint: schedule doctor)\n");
        }
        // The JSON on stdout is what it would be without the warning.
        CHECK(nlohmann::json::parse(
                  at("2026-01-15T10:02:30Z", {"job", "list", "--format", "json"}).out)
                  .size() == 1);
        // Ticked at 10:03: quiet for three minutes, then the warning.
        REQUIRE(at("2026-01-15T10:03:00Z", {"tick", "-q"}).exit_code == 0);
        CHECK(at("2026-01-15T10:05:30Z", {"job", "list"}).err.empty());
        CHECK(at("2026-01-15T10:06:00Z", {"queue"}).err.empty());
        r = at("2026-01-15T10:06:30Z", {"job", "list"});
        CHECK(r.err == "schedule: warning: 1 job is due and the last tick ran 3m ago "
                       "(hint: schedule doctor)\n");
        // -q hides it.
        CHECK(at("2026-01-15T10:06:30Z", {"job", "list", "-q"}).err.empty());
    }
}
