// Notification hooks (man page NOTIFICATIONS, JOB FIELD FLAGS, Settings)
// through the real binary: the job fields and settings that define them,
// and the hooks that runs call.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// A refusal: exit 2, one error line naming `names`, the store unchanged.
void refused(const Sandbox& sb, const Args& args, const std::string& names) {
    const auto before = sb.dump();
    auto r = sb.run(args);
    INFO("args: " << args.size() << " stdout: " << r.out << " stderr: " << r.err);
    CHECK(r.exit_code == 2);
    check_error_line(r, names);
    CHECK(sb.dump() == before);
}

} // namespace

TEST_SUITE("cli::notify: fields and settings") {

    TEST_CASE("job create and update set, clear and show a job's hooks and --no-notify") {
        Sandbox sb;
        auto plain = sb.json({"job", "create", "plain", "--command", "true"});
        CHECK(plain["on_failure"].is_null());
        CHECK(plain["on_retry"].is_null());
        CHECK(plain["on_success"].is_null());
        CHECK(plain["notify"] == true);

        auto job = sb.json({"job", "create", "backup", "--command", "true", "--on-failure",
                            "mail -s failed ops", "--on-retry", "echo retry", "--on-success",
                            "echo ok", "--no-notify"});
        CHECK(job["on_failure"] == "mail -s failed ops");
        CHECK(job["on_retry"] == "echo retry");
        CHECK(job["on_success"] == "echo ok");
        CHECK(job["notify"] == false);
        auto table = sb.ok({"job", "show", "backup"});
        CHECK(table.find("mail -s failed ops") != std::string::npos);

        auto updated = sb.json({"job", "update", "backup", "--clear-on-failure", "--on-success",
                                "echo fine", "--notify"});
        CHECK(updated["on_failure"].is_null());
        CHECK(updated["on_retry"] == "echo retry");
        CHECK(updated["on_success"] == "echo fine");
        CHECK(updated["notify"] == true);
        auto cleared = sb.json(
            {"job", "update", "backup", "--clear-on-retry", "--clear-on-success", "--no-notify"});
        CHECK(cleared["on_retry"].is_null());
        CHECK(cleared["on_success"].is_null());
        CHECK(cleared["notify"] == false);

        // The change is in the audit log under the Job object's keys.
        auto events = sb.json({"events", "--type", "job.updated"});
        REQUIRE(events.size() == 2);
        CHECK(events[0]["detail"]["changed"] ==
              json::array({"on_failure", "on_success", "notify"}));
    }

    TEST_CASE("bad hook flags exit 2 naming the flag and change nothing") {
        Sandbox sb;
        sb.ok({"job", "create", "backup", "--command", "true", "--on-failure", "echo x"});
        refused(sb, {"job", "create", "other", "--command", "true", "--on-failure", "  "},
                "--on-failure");
        refused(sb, {"job", "update", "backup", "--on-retry", ""}, "--on-retry");
        refused(sb, {"job", "update", "backup", "--on-failure", "x", "--clear-on-failure"},
                "--on-failure");
        refused(sb, {"job", "update", "backup", "--notify", "--no-notify"}, "--notify");
        refused(sb, {"job", "create", "other", "--command", "true", "--notify", "--no-notify"},
                "--notify");
    }

    TEST_CASE("the notify settings: defaults, values and refusals") {
        Sandbox sb;
        auto timeout = sb.json({"config", "get", "notify.timeout"});
        CHECK(timeout["value"] == "30s");
        CHECK(timeout["source"] == "default");
        for (const auto* key : {"notify.on_failure", "notify.on_retry", "notify.on_success"}) {
            CAPTURE(key);
            auto unset = sb.json({"config", "get", key});
            CHECK(unset["value"].is_null());
            sb.ok({"config", "set", key, "logger -t schedule hook"});
            CHECK(sb.json({"config", "get", key})["value"] == "logger -t schedule hook");
            refused(sb, {"config", "set", key, " "}, key);
        }
        sb.ok({"config", "set", "notify.timeout", "1m30s"});
        CHECK(sb.json({"config", "get", "notify.timeout"})["value"] == "1m30s");
        refused(sb, {"config", "set", "notify.timeout", "0s"}, "notify.timeout");
        refused(sb, {"config", "set", "notify.timeout", "soon"}, "notify.timeout");
    }

    TEST_CASE("hooks and notify go through backup, restore and apply") {
        Sandbox sb;
        sb.ok({"job", "create", "backup", "--command", "true", "--on-failure", "echo \"failed\"",
               "--no-notify"});
        const auto document = sb.ok({"config", "backup", "--output", "-"});
        Sandbox other;
        auto r = other.run({"config", "restore", "--input", "-"}, document);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto restored = other.json({"job", "show", "backup"});
        CHECK(restored["on_failure"] == "echo \"failed\"");
        CHECK(restored["notify"] == false);

        Sandbox applied;
        const std::string file = R"({"jobs": [{"name": "a", "command": "true",
            "on_success": "echo ok", "on_retry": null, "notify": false}]})";
        r = applied.run({"apply", "-f", "-"}, file);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto a = applied.json({"job", "show", "a"});
        CHECK(a["on_success"] == "echo ok");
        CHECK(a["on_retry"].is_null());
        CHECK(a["notify"] == false);
        // A wrong type is named by its path.
        const auto before = applied.dump();
        r = applied.run({"apply", "-f", "-"},
                        R"({"jobs": [{"name": "a", "command": "true", "notify": "no"}]})");
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].notify");
        CHECK(applied.dump() == before);
    }
}
