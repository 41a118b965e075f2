// Dependencies, --after chains and conflicts through the real binary (man
// page DEPENDENCIES): a three-stage pipeline whose stages follow each
// other without a tick between them, a dependency that times out, two
// conflicting jobs, cycles and deletes refused, links through apply and a
// backup.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::KillLeftovers;
using schedule::test::read_text;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// `tick --wait` at `now`; requires success.
void tick_at(Sandbox& sb, const std::string& now) {
    sb.env["SCHEDULE_NOW"] = now;
    auto r = sb.run({"tick", "--wait"});
    INFO("tick at " << now << ": " << r.err);
    REQUIRE(r.exit_code == 0);
}

// The job's runs, oldest first.
std::vector<json> history(const Sandbox& sb, const std::string& job) {
    auto h = sb.json({"job", "history", job, "--limit", "0", "--utc"});
    return std::vector<json>(h.rbegin(), h.rend());
}

// Waits (at most 20 s) until `done` holds.
template <class Done> bool within_20s(Done done) {
    for (int i = 0; i < 400; ++i) {
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
}

} // namespace

TEST_SUITE("cli: dependencies") {

    TEST_CASE("a snapshot, export, upload pipeline runs stage after stage") {
        // snapshot at 01:00 (priority 100); export depends on it, fails
        // twice and succeeds at its third attempt (exponential retries
        // from 1m); upload runs after each completed export.
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto log = (sb.dir() / "log").string();
        const auto count = (sb.dir() / "count").string();
        sb.env["SCHEDULE_NOW"] = "2026-12-03T00:30:00Z";
        sb.ok({"job", "create", "snapshot", "--daily", "01:00", "--tz", "UTC", "--priority", "100",
               "--command", "echo snapshot >> " + log});
        sb.ok({"job", "create", "export", "--daily", "01:00", "--tz", "UTC", "--depends-on",
               "snapshot", "--max-attempts", "3", "--backoff", "exponential", "--retry-delay", "1m",
               "--command",
               "echo export >> " + log + "; n=$(cat " + count +
                   " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + count + "; [ $n -ge 3 ]"});
        sb.ok(
            {"job", "create", "upload", "--after", "export", "--command", "echo upload >> " + log});

        auto show = sb.json({"job", "show", "upload"});
        CHECK(show["trigger"]["type"] == "after");
        CHECK(show["trigger"]["job"] == "export");
        CHECK(show["trigger"]["state"] == "completed");
        CHECK(sb.json({"job", "show", "export"})["depends_on"][0]["job"] == "snapshot");

        // One tick: the snapshot runs, and export, waiting for it, starts
        // as soon as it ends (the tick waits for both).
        tick_at(sb, "2026-12-03T01:00:00Z");
        CHECK(read_text(log) == "snapshot\nexport\n");
        auto ex = history(sb, "export");
        REQUIRE(ex.size() == 2);
        CHECK(ex[0]["status"] == "failed");
        CHECK(ex[1]["status"] == "queued"); // the retry
        tick_at(sb, "2026-12-03T01:01:30Z");
        CHECK(read_text(log) == "snapshot\nexport\nexport\n");
        // The third attempt completes and upload follows it in the same
        // supervisor, before this tick returns.
        tick_at(sb, "2026-12-03T01:04:00Z");
        CHECK(read_text(log) == "snapshot\nexport\nexport\nexport\nupload\n");
        ex = history(sb, "export");
        REQUIRE(ex.size() == 3);
        CHECK(ex[2]["status"] == "completed");
        CHECK(ex[2]["attempt"] == 3);
        auto up = history(sb, "upload");
        REQUIRE(up.size() == 1);
        CHECK(up[0]["trigger"] == "after");
        CHECK(up[0]["status"] == "completed");
        CHECK(up[0]["start_time"].get<std::string>() >= ex[2]["end_time"].get<std::string>());
    }

    TEST_CASE("a dependency that is not met within its timeout is recorded skipped") {
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-12-03T01:00:00Z";
        sb.ok({"job", "create", "load", "--command", "true"}); // runs only by hand
        sb.ok({"job", "create", "report", "--daily", "02:00", "--tz", "UTC", "--depends-on",
               "load:completed:1h", "--command", "true"});
        tick_at(sb, "2026-12-03T02:00:00Z");
        auto q = sb.json({"queue"});
        REQUIRE(q.size() == 1);
        CHECK(q[0]["queue_reason"] == "dependency");
        CHECK(q[0]["detail"] == "waits for load to end completed");
        auto shown = sb.json({"job", "show", "report"});
        CHECK(shown["state"] == "queued");
        CHECK(shown["waits"] == "dependency: waits for load to end completed");
        CHECK(sb.ok({"job", "show", "report"})
                  .find("State:        queued (dependency: waits for load to end completed)") !=
              std::string::npos);
        tick_at(sb, "2026-12-03T02:59:00Z");
        CHECK(sb.json({"queue"}).size() == 1);
        tick_at(sb, "2026-12-03T03:01:00Z");
        CHECK(sb.json({"queue"}).empty());
        auto h = history(sb, "report");
        REQUIRE(h.size() == 1);
        CHECK(h[0]["status"] == "skipped");
        CHECK(h[0]["reason"] == "dependency");
        CHECK(h[0]["scheduled_for"] == "2026-12-03T02:00:00Z");

        SUBCASE("and a run whose requirement is met in time starts") {
            tick_at(sb, "2026-12-04T02:00:00Z");
            sb.env["SCHEDULE_NOW"] = "2026-12-04T02:10:00Z";
            sb.ok({"job", "run", "load"});
            // The end of load's run started report's waiting run.
            std::vector<json> runs;
            REQUIRE(within_20s([&] {
                runs = history(sb, "report");
                return runs.size() == 2 && runs[1]["status"] == "completed";
            }));
            CHECK(runs[1]["scheduled_for"] == "2026-12-04T02:00:00Z");
        }
    }

    TEST_CASE("two conflicting jobs never run at the same time") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto gate = (sb.dir() / "gate").string();
        sb.env["SCHEDULE_NOW"] = "2026-12-03T09:59:00Z";
        sb.ok({"job", "create", "vacuum", "--daily", "10:00", "--tz", "UTC", "--priority", "80",
               "--command",
               "i=0; while [ ! -e " + gate +
                   " ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done"});
        // The link is named on one side only; it holds both ways.
        sb.ok({"job", "create", "backup", "--daily", "10:00", "--tz", "UTC", "--conflicts-with",
               "vacuum", "--command", "true"});
        sb.env["SCHEDULE_NOW"] = "2026-12-03T10:00:00Z";
        REQUIRE(sb.run({"tick"}).exit_code == 0);
        auto q = sb.json({"queue"});
        json waiting;
        for (const auto& e : q)
            if (e["job_name"] == "backup")
                waiting = e;
        REQUIRE(waiting.is_object());
        CHECK(waiting["queue_reason"] == "conflict");
        std::ofstream(gate).put('\n');
        REQUIRE(within_20s([&] {
            auto h = history(sb, "backup");
            return !h.empty() && h.back()["status"] == "completed";
        }));
        const auto v = history(sb, "vacuum"), b = history(sb, "backup");
        REQUIRE(v.size() == 1);
        CHECK(v[0]["status"] == "completed");
        CHECK(b[0]["start_time"].get<std::string>() >= v[0]["end_time"].get<std::string>());
    }

    TEST_CASE("links are checked: cycles, unknown jobs, the job itself, a job twice") {
        Sandbox sb;
        sb.ok({"job", "create", "snap", "--daily", "01:00", "--command", "true"});
        sb.ok({"job", "create", "export", "--daily", "01:00", "--depends-on", "snap", "--command",
               "true"});
        sb.ok({"job", "create", "upload", "--after", "export", "--command", "true"});
        const auto before = sb.dump();
        struct Case {
            Args args;
            std::string message;
        };
        const std::vector<Case> cases{
            {{"job", "update", "snap", "--depends-on", "upload"},
             "schedule: error: --depends-on: a cycle: snap -> export -> upload -> snap"},
            {{"job", "update", "snap", "--after", "upload:any"},
             "schedule: error: --after: a cycle: snap -> export -> upload -> snap"},
            {{"job", "update", "snap", "--depends-on", "snap"}, "--depends-on: a job cannot"},
            {{"job", "update", "snap", "--depends-on", "nosuch"},
             "--depends-on: no job \"nosuch\""},
            {{"job", "update", "snap", "--conflicts-with", "export", "--conflicts-with", "export"},
             "--conflicts-with: \"export\" is given twice"},
            {{"job", "update", "snap", "--conflicts-with", "export:failed"},
             "schedule: error: --conflicts-with: a conflict has no state: give the job alone, "
             "not \"export:failed\""},
            {{"job", "update", "snap", "--depends-on", "export:done"}, "--depends-on"},
            {{"job", "update", "snap", "--depends-on", "export:failed:soon"},
             "--depends-on: timeout"},
            {{"job", "create", "x", "--command", "true", "--after", ""}, "--after"},
            {{"job", "create", "x", "--command", "true", "--after", "snap", "--daily", "02:00"},
             "give one trigger only"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.message);
            auto r = sb.run(c.args);
            CHECK(r.exit_code == 2);
            check_error_line(r, c.message);
        }
        auto r = sb.run({"apply", "-f", "-"},
                        R"({"jobs": [{"name": "a", "command": "true", "after": "c"},
                                     {"name": "b", "command": "true", "depends_on": ["a"]},
                                     {"name": "c", "command": "true", "after": "b:failed"}]})");
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].after: a cycle: a -> b -> c -> a");
        r = sb.run({"apply", "-f", "-"},
                   R"({"jobs": [{"name": "a", "command": "true", "conflicts_with": ["snap:any"]}]})");
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].conflicts_with[0]: a conflict has no state");
        CHECK(sb.dump() == before);
    }

    TEST_CASE("a job others need is deleted only with --force, which removes the links") {
        Sandbox sb;
        sb.ok({"job", "create", "snap", "--daily", "01:00", "--command", "true"});
        sb.ok({"job", "create", "export", "--daily", "01:00", "--depends-on", "snap",
               "--conflicts-with", "snap", "--command", "true"});
        sb.ok({"job", "create", "upload", "--after", "snap", "--command", "true"});
        const auto before = sb.dump();
        auto r = sb.run({"job", "delete", "snap"});
        CHECK(r.exit_code == 4);
        check_error_line(r, "other jobs need \"snap\": export (--depends-on), upload (--after)");
        CHECK(sb.dump() == before);

        auto deleted = sb.json({"job", "delete", "snap", "--force"});
        CHECK(deleted["unlinked"] == json::array({"export", "upload"}));
        auto ex = sb.json({"job", "show", "export"});
        CHECK(ex["depends_on"] == json::array());
        CHECK(ex["conflicts_with"] == json::array());
        CHECK(sb.json({"job", "show", "upload"})["trigger"]["type"] == "manual");
        auto events = sb.json({"events", "--type", "job.updated"});
        REQUIRE(events.size() == 2);
        CHECK(events[0]["job_name"] == "export");
        CHECK(events[0]["detail"]["changed"] == json::array({"depends_on", "conflicts_with"}));
        CHECK(events[1]["job_name"] == "upload");
        CHECK(events[1]["detail"]["changed"] == json::array({"trigger"}));
    }

    TEST_CASE("links go through apply by name and through a backup and back") {
        Sandbox sb;
        const std::string file =
            R"({"jobs": [{"name": "upload", "command": "true", "after": "export"},
                         {"name": "export", "command": "true", "daily": "01:00",
                          "depends_on": ["snap:completed:2h"], "conflicts_with": ["snap"]},
                         {"name": "snap", "command": "true", "daily": "01:00"}]})";
        REQUIRE(sb.run({"apply", "-f", "-"}, file).exit_code == 0);
        const auto applied = sb.dump();
        auto again = sb.run({"apply", "-f", "-"}, file);
        CHECK(again.exit_code == 0);
        CHECK(again.out.find("0 created, 0 updated, 3 unchanged") != std::string::npos);
        CHECK(sb.dump() == applied);
        auto ex = sb.json({"job", "show", "export"});
        CHECK(ex["depends_on"] ==
              json::array({{{"job", "snap"},
                            {"job_id", sb.json({"job", "show", "snap"})["job_id"]},
                            {"state", "completed"},
                            {"timeout_seconds", 7200}}}));

        const auto backup = sb.ok({"config", "backup", "--output", "-"});
        Sandbox other;
        REQUIRE(other.run({"config", "restore", "--input", "-"}, backup).exit_code == 0);
        for (const auto* name : {"snap", "export", "upload"})
            for (const auto* key : {"job_id", "trigger", "depends_on", "conflicts_with"})
                CHECK(other.json({"job", "show", name})[key] ==
                      sb.json({"job", "show", name})[key]);
        // Renamed, the job keeps its links: they follow the id.
        other.ok({"job", "update", "snap", "--name", "snapshot"});
        CHECK(other.json({"job", "show", "export"})["depends_on"][0]["job"] == "snapshot");
    }
}

TEST_SUITE("cli: job graph") {

    TEST_CASE("job graph lists the links as a table, JSON and a dot graph that renders") {
        Sandbox sb;
        schedule::test::require_program(sb, "dot", "graphviz");
        sb.ok({"job", "create", "snap", "--daily", "01:00", "--command", "true"});
        sb.ok({"job", "create", "backup", "--command", "true"});
        sb.ok({"job", "create", "export", "--daily", "01:00", "--depends-on", "snap:completed:1h",
               "--conflicts-with", "backup", "--command", "true"});
        sb.ok({"job", "create", "upload", "--after", "export:any", "--command", "true"});
        sb.ok({"job", "create", "say \"hi\"", "--command", "true"}); // no links
        sb.ok({"job", "create", "other", "--command", "true"});
        sb.ok({"job", "create", "other-after", "--after", "other", "--command", "true"});

        CHECK(sb.ok({"job", "graph", "upload"}) ==
              "FROM    LINK            TO      STATE      TIMEOUT\n"
              "export  conflicts_with  backup  -          -\n"
              "snap    depends_on      export  completed  1h\n"
              "export  after           upload  any        -\n");
        auto all = sb.json({"job", "graph"});
        std::vector<std::string> names;
        for (const auto& j : all["jobs"])
            names.push_back(j["name"]);
        CHECK(names == std::vector<std::string>{"backup", "export", "other", "other-after", "snap",
                                                "upload"});
        REQUIRE(all["links"].size() == 4);
        CHECK(all["links"][1] == json{{"kind", "depends_on"},
                                      {"from", "snap"},
                                      {"from_id", all["jobs"][4]["job_id"]},
                                      {"to", "export"},
                                      {"to_id", all["jobs"][1]["job_id"]},
                                      {"state", "completed"},
                                      {"timeout_seconds", 3600}});
        auto lone = sb.json({"job", "graph", "say \"hi\""});
        CHECK(lone["jobs"].size() == 1);
        CHECK(lone["links"] == json::array());
        CHECK(sb.ok({"job", "graph", "say \"hi\""}) == "No links.\n");

        const auto dot = sb.ok({"job", "graph", "--format", "dot"});
        CHECK(dot.rfind("digraph schedule {", 0) == 0);
        CHECK(dot.find("[label=\"needed completed within 1h\"]") != std::string::npos);
        CHECK(dot.find("[label=\"fires on any\", style=bold]") != std::string::npos);
        CHECK(dot.find("[dir=both, style=dashed, label=\"conflicts\"]") != std::string::npos);
        auto svg = sb.run_program({"dot", "-Tsvg"}, dot);
        CHECK(svg.exit_code == 0);
        CHECK(svg.err.empty());
        // One <g class="edge"> per link, one node per job.
        auto count = [&](const std::string& what) {
            std::size_t n = 0;
            for (auto at = svg.out.find(what); at != std::string::npos;
                 at = svg.out.find(what, at + 1))
                ++n;
            return n;
        };
        CHECK(count("class=\"edge\"") == 4);
        CHECK(count("class=\"node\"") == 6);

        auto bad = sb.run({"job", "graph", "--format", "csv"});
        CHECK(bad.exit_code == 2);
        auto missing = sb.run({"job", "graph", "nosuch"});
        CHECK(missing.exit_code == 3);
        check_error_line(missing, "no job \"nosuch\"");
    }
}
