// `schedule events` through the real binary (man page EVENTS and JSON
// REFERENCE): what each change and run records, the filters, refusals, and
// --follow as a child process that is interrupted or whose reader goes away.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <csignal>
#include <set>
#include <string>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::Child;
using schedule::test::eventually;
using schedule::test::Sandbox;

namespace {

const std::set<std::string> k_event_keys{"event_id", "job_id",       "job_name", "time",
                                         "type",     "execution_id", "user",     "detail"};

std::vector<std::string> types_of(const json& events) {
    std::vector<std::string> out;
    for (const auto& e : events)
        out.push_back(e["type"].get<std::string>());
    return out;
}

std::string me(const Sandbox& sb) {
    auto r = sb.run_program({"id", "-un"});
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, r.out.find('\n'));
}

// A store where each kind of change happened once, at known instants:
//   job.created (keep, gone), job.updated, job.paused, job.resumed (keep),
//   execution.started + completed (keep), started + failed (gone, exit 3),
//   job.deleted (gone), config.changed.
struct KnownLog {
    Sandbox sb;
    std::string keep_id, gone_id;
    KnownLog() {
        sb.env["SCHEDULE_NOW"] = "2026-01-10T08:00:00Z";
        keep_id = sb.json({"job", "create", "keep", "--command", "true"})["job_id"];
        gone_id = sb.json({"job", "create", "gone", "--command", "exit 3"})["job_id"];
        sb.env["SCHEDULE_NOW"] = "2026-01-12T08:00:00Z";
        sb.ok({"job", "update", "keep", "--description", "kept"});
        sb.ok({"job", "pause", "keep"});
        sb.ok({"job", "resume", "keep"});
        sb.env["SCHEDULE_NOW"] = "2026-01-14T08:00:00Z";
        sb.ok({"job", "run", "keep"});
        REQUIRE(sb.run({"job", "run", "gone"}).exit_code == 3);
        sb.ok({"job", "delete", "gone", "--force"});
        sb.ok({"config", "set", "max_workers", "3"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
    }
    json events(Args args) const {
        args.insert(args.begin(), "events");
        return sb.json(args);
    }
};

} // namespace

TEST_SUITE("cli::events") {

    TEST_CASE("events shows every change and run with its type, job, user, execution and detail") {
        KnownLog log;
        auto all = log.events({});
        REQUIRE(all.is_array());
        CHECK(types_of(all) == std::vector<std::string>{"job.created", "job.created", "job.updated",
                                                        "job.paused", "job.resumed",
                                                        "execution.started", "execution.completed",
                                                        "execution.started", "execution.failed",
                                                        "job.deleted", "config.changed"});
        const auto user = me(log.sb);
        long long previous = 0;
        for (const auto& e : all) {
            std::set<std::string> keys;
            for (auto it = e.begin(); it != e.end(); ++it)
                keys.insert(it.key());
            CHECK(keys == k_event_keys);
            CHECK(e["user"] == user);
            CHECK(e["detail"].is_object());
            CHECK(e["event_id"].get<long long>() > previous); // oldest first
            previous = e["event_id"].get<long long>();
        }
        CHECK(all[0]["job_id"] == log.keep_id);
        CHECK(all[0]["job_name"] == "keep");
        CHECK(all[0]["time"] == "2026-01-10T08:00:00+00:00");
        CHECK(all[0]["execution_id"].is_null());
        CHECK(all[2]["detail"]["changed"] == json::array({"description"}));
        CHECK(all[5]["execution_id"] == 1);
        CHECK(all[6]["execution_id"] == 1);
        CHECK(all[6]["detail"]["exit_code"] == 0);
        CHECK(all[8]["job_name"] == "gone");
        CHECK(all[8]["execution_id"] == 2);
        CHECK(all[8]["detail"]["exit_code"] == 3);
        CHECK(all[9]["job_id"] == log.gone_id);
        CHECK(all[9]["detail"]["executions_deleted"] == 1);
        CHECK(all[10]["job_id"].is_null());
        CHECK(all[10]["detail"]["key"] == "max_workers");
        CHECK(all[10]["detail"]["new"] == "3");

        // --utc writes Z; the table has the same events, oldest first.
        CHECK(log.events({"--utc"})[0]["time"] == "2026-01-10T08:00:00Z");
        auto table = log.sb.ok({"events"});
        CHECK(table.find("TIME") != std::string::npos);
        CHECK(table.find("2026-01-10 08:00:00") < table.find("2026-01-14 08:00:00"));
        CHECK(table.find("changed=description") != std::string::npos);
        CHECK(table.find("key=max_workers") != std::string::npos);
    }

    TEST_CASE("events --job takes an id or a name, and finds a deleted job's events by name") {
        KnownLog log;
        CHECK(types_of(log.events({"--job", "keep"})) ==
              std::vector<std::string>{"job.created", "job.updated", "job.paused", "job.resumed",
                                       "execution.started", "execution.completed"});
        CHECK(log.events({"--job", log.keep_id}) == log.events({"--job", "keep"}));
        auto gone = std::vector<std::string>{"job.created", "execution.started", "execution.failed",
                                             "job.deleted"};
        CHECK(types_of(log.events({"--job", "gone"})) == gone);
        CHECK(types_of(log.events({"--job", log.gone_id})) == gone);

        auto before = log.sb.dump();
        auto r = log.sb.run({"events", "--job", "never"});
        CHECK(r.exit_code == 3);
        check_error_line(r, "never");
        CHECK(r.out.empty());
        CHECK(log.sb.dump() == before);
    }

    TEST_CASE("events --type takes a type or a prefix ending in a dot") {
        KnownLog log;
        CHECK(types_of(log.events({"--type", "execution.failed"})) ==
              std::vector<std::string>{"execution.failed"});
        CHECK(types_of(log.events({"--type", "execution."})) ==
              std::vector<std::string>{"execution.started", "execution.completed",
                                       "execution.started", "execution.failed"});
        CHECK(types_of(log.events({"--type", "config.", "--job", "keep"})).empty());
    }

    TEST_CASE("events --since and --limit select the newest events") {
        KnownLog log;
        CHECK(types_of(log.events({"--since", "2026-01-14T00:00"})) ==
              std::vector<std::string>{"execution.started", "execution.completed",
                                       "execution.started", "execution.failed", "job.deleted",
                                       "config.changed"});
        CHECK(log.events({"--since", "2d"}).size() == 6); // now is 2026-01-15T10:00Z
        CHECK(types_of(log.events({"--limit", "2"})) ==
              std::vector<std::string>{"job.deleted", "config.changed"});
        CHECK(log.events({"--limit", "0"}).size() == 11);
    }

    TEST_CASE("events refuses a bad --type, --since or --limit with one line naming the flag") {
        KnownLog log;
        auto before = log.sb.dump();
        for (const Args& args :
             {Args{"--type", "execution.fail"}, Args{"--type", "job"}, Args{"--type", "nope."},
              Args{"--since", "yesterday"}, Args{"--limit", "-1"}, Args{"--limit", "x"}}) {
            Args full{"events"};
            full.insert(full.end(), args.begin(), args.end());
            auto r = log.sb.run(full);
            INFO(args[0] << " " << args[1]);
            CHECK(r.exit_code == 2);
            check_error_line(r, args[0]);
            CHECK(r.out.empty());
        }
        auto r = log.sb.run({"events", "--type", "job"});
        CHECK(r.err.find("execution.timed_out") != std::string::npos); // the valid ones
        CHECK(log.sb.dump() == before);
    }

    TEST_CASE("events on a store that does not exist prints nothing and creates nothing") {
        Sandbox sb;
        CHECK(sb.ok({"events"}) == "No events.\n");
        CHECK(sb.json({"events"}) == json::array());
        CHECK_FALSE(std::filesystem::exists(sb.store()));
    }

    TEST_CASE("events --follow prints new events as JSON lines until SIGINT") {
        Sandbox sb;
        sb.ok({"job", "create", "first", "--command", "true"});
        Child follow(sb, {"events", "--follow", "--format", "json"}, sb.dir() / "out",
                     sb.dir() / "err");
        sb.ok({"job", "create", "later", "--command", "true"});
        sb.ok({"job", "run", "later"});
        auto has = [&](const std::string& type) {
            return follow.out().find("\"type\":\"" + type + "\"") != std::string::npos;
        };
        REQUIRE(eventually([&] { return has("execution.completed"); }));
        CHECK(has("execution.started"));
        REQUIRE(::kill(follow.pid(), SIGINT) == 0);
        CHECK(follow.wait() == 130);
        CHECK(follow.err().empty());
        auto lines = schedule::test::lines_of(follow.out());
        REQUIRE(lines.size() == 4);
        std::vector<std::string> types;
        for (const auto& line : lines)
            types.push_back(json::parse(line)["type"]);
        CHECK(types == std::vector<std::string>{"job.created", "job.created", "execution.started",
                                                "execution.completed"});
        CHECK(json::parse(lines[3])["job_name"] == "later");
    }

    TEST_CASE("events --follow ends quietly when its reader goes away") {
        Sandbox sb;
        // The store does not exist yet (most likely) when the follower
        // starts: it must read the store once the job's creation makes it.
        // head exits after that line, and the follower must notice that
        // nobody reads any more, with or without another event.
        auto r = sb.run_program({"timeout", "60", "bash", "-c",
                                 "(sleep 0.2; \"$0\" job create x --command true >/dev/null) & "
                                 "\"$0\" events --follow --format json | head -n 1; "
                                 "echo \"status ${PIPESTATUS[0]}\"; wait",
                                 schedule::test::binary()});
        INFO("stderr: " << r.err);
        CHECK(r.exit_code == 0);
        auto lines = schedule::test::lines_of(r.out);
        REQUIRE(lines.size() == 2);
        CHECK(json::parse(lines[0])["type"] == "job.created");
        CHECK(lines[1] == "status 0");
        CHECK(r.err.empty());
    }
}
