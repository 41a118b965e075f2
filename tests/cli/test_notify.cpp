// Notification hooks (man page NOTIFICATIONS, JOB FIELD FLAGS, Settings)
// through the real binary: the job fields and settings that define them,
// and the hooks that runs call.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::cmdline_of;
using schedule::test::describe;
using schedule::test::eventually;
using schedule::test::KillLeftovers;
using schedule::test::processes_with;
using schedule::test::read_bytes;
using schedule::test::RunResult;
using schedule::test::Sandbox;
using schedule::test::unique_marker;
using namespace std::chrono_literals;

namespace {

// A hook that appends its stdin to DIR/NAME.json and a line of its
// variables to DIR/NAME.env (LEAK is a variable of the caller's
// environment, which a hook must not get).
std::string recording_hook(const Sandbox& sb, const std::string& name) {
    const auto base = (sb.dir() / name).string();
    return "cat >> " + base + ".json && echo \"$SCHEDULE_HOOK $SCHEDULE_STATUS " +
           "$SCHEDULE_EXIT_CODE $SCHEDULE_EXECUTION_ID $SCHEDULE_ATTEMPT " +
           "$SCHEDULE_JOB_NAME ${LEAK-unset}\" >> " + base + ".env";
}

// The lines a recording hook wrote to DIR/NAME.EXT (none when it never ran).
std::vector<std::string> recorded(const Sandbox& sb, const std::string& name,
                                  const std::string& ext = "json") {
    return schedule::test::lines_of(read_bytes(sb.dir() / (name + "." + ext)));
}

// Every execution of `job`, oldest first, as `job history --format json`
// prints them.
json history(const Sandbox& sb, const std::string& job) {
    auto h = sb.json({"job", "history", job, "--limit", "0"});
    REQUIRE(h.is_array());
    std::reverse(h.begin(), h.end());
    return h;
}

// The notify.* events, oldest first.
json notify_events(const Sandbox& sb) {
    return sb.json({"events", "--type", "notify.", "--limit", "0"});
}

// `tick` at `now`, which must succeed; its output.
std::string tick(Sandbox& sb, const std::string& now, Args args = {}) {
    sb.env["SCHEDULE_NOW"] = now;
    args.insert(args.begin(), "tick");
    auto r = sb.run(args);
    INFO("tick at " << now << " stdout: " << r.out << " stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

std::vector<pid_t> supervisors_of(const Sandbox& sb) {
    return schedule::test::supervisors_of(sb.store());
}

// Kills the one supervisor of the sandbox with SIGKILL and waits until it is gone.
void kill_supervisor(const Sandbox& sb) {
    auto supervisors = supervisors_of(sb);
    REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
    REQUIRE(::kill(supervisors[0], SIGKILL) == 0);
    REQUIRE(eventually([&] { return cmdline_of(std::to_string(supervisors[0])).empty(); }));
}

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

TEST_SUITE("cli::notify: hooks") {

    TEST_CASE("a job failing every attempt calls on-retry after each retried attempt and "
              "on-failure once, after the last, with the run's history object on stdin") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        sb.env["LEAK"] = "leaked";
        sb.ok({"job", "create", "flaky", "--cron", "0 * * * *", "--command", "exit 3",
               "--max-attempts", "3", "--retry-delay", "0", "--backoff", "fixed", "--on-failure",
               recording_hook(sb, "failure"), "--on-retry", recording_hook(sb, "retry")});
        tick(sb, "2026-01-15T11:00:00Z", {"--wait"});
        REQUIRE(eventually([&] {
            return history(sb, "flaky").size() == 3 && notify_events(sb).size() == 3 &&
                   supervisors_of(sb).empty();
        }));
        const auto h = history(sb, "flaky");
        auto id = [&](int i) {
            return std::to_string(h[std::size_t(i)]["execution_id"].get<long long>());
        };

        const auto failure = recorded(sb, "failure");
        REQUIRE(failure.size() == 1);
        CHECK(json::parse(failure[0]) == h[2]);
        CHECK(h[2]["attempt"] == 3);
        CHECK(recorded(sb, "failure", "env") ==
              std::vector<std::string>{"failure failed 3 " + id(2) + " 3 flaky unset"});

        // A retry runs while the hook of the attempt before it may still
        // run: the hooks of two attempts end in either order.
        const auto retry = recorded(sb, "retry");
        REQUIRE(retry.size() == 2);
        std::vector<json> objects{json::parse(retry[0]), json::parse(retry[1])};
        if (objects[0]["attempt"] == 2)
            std::swap(objects[0], objects[1]);
        CHECK(objects[0] == h[0]);
        CHECK(objects[1] == h[1]);
        auto env = recorded(sb, "retry", "env");
        std::sort(env.begin(), env.end());
        CHECK(env == std::vector<std::string>{"retry failed 3 " + id(0) + " 1 flaky unset",
                                              "retry failed 3 " + id(1) + " 2 flaky unset"});

        const auto events = notify_events(sb);
        std::vector<std::string> hooks;
        for (const auto& e : events) {
            INFO(e.dump());
            CHECK(e["type"] == "notify.sent");
            CHECK(e["job_name"] == "flaky");
            CHECK(e["detail"]["exit_code"] == 0);
            CHECK(e["detail"]["timed_out"] == false);
            hooks.push_back(e["detail"]["hook"].get<std::string>() + " " +
                            std::to_string(e["execution_id"].get<long long>()));
        }
        std::sort(hooks.begin(), hooks.end());
        CHECK(hooks ==
              std::vector<std::string>{"failure " + id(2), "retry " + id(0), "retry " + id(1)});
    }

    TEST_CASE("job run calls the hooks before it exits: the store's default, the job's own "
              "in its place, none of the defaults under --no-notify, and on-failure without "
              "retries") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        sb.env["LEAK"] = "leaked";
        sb.ok({"config", "set", "notify.on_success", recording_hook(sb, "default")});
        sb.ok({"config", "set", "notify.on_failure", recording_hook(sb, "default-failure")});
        sb.ok({"job", "create", "plain", "--command", "true"});
        sb.ok({"job", "create", "own", "--command", "true", "--on-success",
               recording_hook(sb, "own")});
        sb.ok({"job", "create", "quiet", "--command", "true", "--no-notify"});
        sb.ok({"job", "create", "quiet-own", "--command", "true", "--no-notify", "--on-success",
               recording_hook(sb, "quiet-own")});
        sb.ok({"job", "create", "failing", "--command", "exit 4", "--max-attempts", "3"});
        for (const auto* job : {"plain", "own", "quiet", "quiet-own"}) {
            CAPTURE(job);
            auto r = sb.run({"job", "run", job});
            CHECK(r.exit_code == 0);
            CHECK(r.err.empty());
        }
        CHECK(sb.run({"job", "run", "failing"}).exit_code == 4);

        auto one = [&](const std::string& name, const std::string& job) {
            INFO("hook " << name);
            const auto lines = recorded(sb, name);
            REQUIRE(lines.size() == 1);
            const auto h = history(sb, job);
            REQUIRE(h.size() == 1);
            CHECK(json::parse(lines[0]) == h[0]);
            return h[0];
        };
        one("default", "plain");
        one("own", "own");
        one("quiet-own", "quiet-own");
        const auto failed = one("default-failure", "failing");
        CHECK(failed["status"] == "failed");
        CHECK(recorded(sb, "default-failure", "env") ==
              std::vector<std::string>{"failure failed 4 " +
                                       std::to_string(failed["execution_id"].get<long long>()) +
                                       " 1 failing unset"});
        CHECK(notify_events(sb).size() == 4);
        CHECK(sb.json({"events", "--job", "quiet", "--type", "notify."}).empty());
    }

    TEST_CASE("a hook that fails is recorded notify.failed and the run stays completed") {
        Sandbox sb;
        sb.ok(
            {"job", "create", "ok", "--command", "true", "--on-success", "echo oops >&2; exit 7"});
        auto r = sb.run({"job", "run", "ok"});
        CHECK(r.exit_code == 0);
        // A failed hook is a warning of `job run`, on one line.
        CHECK(r.err.find("schedule: warning: success hook of execution ") == 0);
        CHECK(r.err.find("failed: exit code 7\n") != std::string::npos);
        const auto h = history(sb, "ok");
        REQUIRE(h.size() == 1);
        CHECK(h[0]["status"] == "completed");
        const auto events = notify_events(sb);
        REQUIRE(events.size() == 1);
        CHECK(events[0]["type"] == "notify.failed");
        CHECK(events[0]["execution_id"] == h[0]["execution_id"]);
        const auto& d = events[0]["detail"];
        CHECK(d["hook"] == "success");
        CHECK(d["exit_code"] == 7);
        CHECK(d["signal"].is_null());
        CHECK(d["timed_out"] == false);
        CHECK(d["stderr"] == "oops\n");
        CHECK(sb.json({"job", "show", "ok"})["last_status"] == "completed");
    }

    TEST_CASE("a hook past notify.timeout is stopped with its whole process group and "
              "recorded") {
        Sandbox sb;
        const auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        sb.ok({"config", "set", "notify.timeout", "1s"});
        sb.ok({"job", "create", "slow-hook", "--command", "true", "--kill-grace", "0",
               "--on-success", "sleep " + marker + " & sleep " + marker + "; echo late"});
        auto r = sb.run({"job", "run", "slow-hook"});
        CHECK(r.exit_code == 0);
        const auto events = notify_events(sb);
        REQUIRE(events.size() == 1);
        CHECK(events[0]["type"] == "notify.failed");
        CHECK(events[0]["detail"]["hook"] == "success");
        CHECK(events[0]["detail"]["timed_out"] == true);
        CHECK(events[0]["detail"]["exit_code"].is_null());
        std::vector<pid_t> left;
        CHECK_MESSAGE(eventually(
                          [&] {
                              left = processes_with(marker);
                              return left.empty();
                          },
                          10s),
                      "left:\n"
                          << describe(left));
        CHECK(history(sb, "slow-hook")[0]["status"] == "completed");
    }

    TEST_CASE("a run lost with its supervisor calls on-failure once, sent by a process the "
              "tick does not wait for") {
        Sandbox sb;
        const auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        const auto gate = (sb.dir() / "gate").string();
        const auto sent = (sb.dir() / "lost.json").string();
        sb.ok({"config", "set", "notify.timeout", "2m"});
        // The hook records its stdin, then waits for the gate (60 s at most).
        sb.ok({"job", "create", "victim", "--cron", "0 * * * *", "--command", "sleep " + marker,
               "--on-failure",
               "cat >> " + sent + "; i=0; while [ ! -e " + gate +
                   " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done"});
        tick(sb, "2026-01-15T11:00:00Z");
        REQUIRE(eventually([&] {
            auto h = history(sb, "victim");
            return h.size() == 1 && h[0]["status"] == "running" &&
                   schedule::test::running_with_pid(sb) == 1;
        }));
        kill_supervisor(sb);

        const auto out = tick(sb, "2026-01-15T11:01:00Z", {"-q"});
        CHECK(out.find("recovered 1") != std::string::npos);
        // The tick has returned while the hook waits for the gate.
        REQUIRE(eventually([&] { return recorded(sb, "lost").size() == 1; }));
        CHECK(notify_events(sb).empty());
        std::ofstream(gate).put('\n');
        REQUIRE(eventually([&] { return notify_events(sb).size() == 1; }));

        const auto h = history(sb, "victim");
        REQUIRE(h.size() == 1);
        CHECK(h[0]["status"] == "lost");
        CHECK(json::parse(recorded(sb, "lost")[0]) == h[0]);
        const auto events = notify_events(sb);
        CHECK(events[0]["type"] == "notify.sent");
        CHECK(events[0]["detail"]["hook"] == "failure");
        CHECK(events[0]["execution_id"] == h[0]["execution_id"]);

        // A later tick sends nothing again.
        tick(sb, "2026-01-15T11:02:00Z", {"--wait"});
        REQUIRE(eventually([&] { return supervisors_of(sb).empty(); }));
        CHECK(recorded(sb, "lost").size() == 1);
        CHECK(notify_events(sb).size() == 1);
    }

    TEST_CASE("a supervisor killed while its hook runs: the next tick sends nothing again") {
        Sandbox sb;
        const auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        sb.ok({"config", "set", "notify.timeout", "2m"});
        sb.ok({"job", "create", "done", "--cron", "0 * * * *", "--command", "true", "--on-success",
               "cat >> " + (sb.dir() / "sent.json").string() + "; sleep " + marker});
        tick(sb, "2026-01-15T11:00:00Z");
        REQUIRE(eventually([&] { return recorded(sb, "sent").size() == 1; }));
        kill_supervisor(sb);

        CHECK(tick(sb, "2026-01-15T11:01:00Z") == "fired 0, skipped 0, queued 0, recovered 0\n");
        REQUIRE(eventually([&] { return supervisors_of(sb).empty(); }));
        CHECK(recorded(sb, "sent").size() == 1);
        CHECK(history(sb, "done")[0]["status"] == "completed");
        // Its sender died: how the hook went is not known, and not recorded.
        CHECK(notify_events(sb).empty());
        // The hook outlives its sender until it ends by itself.
        for (pid_t pid : processes_with(marker))
            ::kill(pid, SIGKILL);
    }

    TEST_CASE("a cancelled run calls no hook") {
        Sandbox sb;
        const auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        sb.ok({"job", "create", "stopped", "--command", "sleep " + marker, "--kill-grace", "1s",
               "--on-failure", recording_hook(sb, "failure"), "--on-success",
               recording_hook(sb, "success")});
        sb.ok({"job", "run", "stopped", "--detach"});
        REQUIRE(eventually([&] { return schedule::test::running_with_pid(sb) == 1; }));
        auto supervisors = supervisors_of(sb);
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        REQUIRE(::kill(supervisors[0], SIGTERM) == 0);
        REQUIRE(eventually([&] { return supervisors_of(sb).empty(); }));
        CHECK(history(sb, "stopped")[0]["status"] == "cancelled");
        CHECK(recorded(sb, "failure").empty());
        CHECK(recorded(sb, "success").empty());
        CHECK(notify_events(sb).empty());
    }
}
