// `apply -f FILE|-` (man page APPLY) through the real binary: the store made
// to match a file of job definitions keyed by name, unchanged jobs left
// alone, the dry run's diff, both forms of the file, and hostile files.
// (Pausing by apply and --prune's cancelling of running runs are in
// test_tick.cpp, beside `job pause` and `job delete --force`.)

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using nlohmann::json;
using nlohmann::ordered_json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::RunResult;
using schedule::test::Sandbox;
namespace fs = std::filesystem;

namespace {

std::string jobs_file(const std::vector<ordered_json>& jobs) {
    return ordered_json{{"jobs", jobs}}.dump();
}

RunResult run_apply(const Sandbox& sb, const std::string& text, Args extra = {}) {
    Args args{"apply", "-f", "-"};
    args.insert(args.end(), extra.begin(), extra.end());
    return sb.run(args, text);
}

std::string applied(const Sandbox& sb, const std::string& text, Args extra = {}) {
    auto r = run_apply(sb, text, std::move(extra));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

std::string id_of(const Sandbox& sb, const std::string& name) {
    return sb.json({"job", "show", name})["job_id"].get<std::string>();
}

std::string sql(const Sandbox& sb, const std::string& query) {
    return sb.run_program({"sqlite3", sb.store().string(), query}).out;
}

// The store's jobs by name without what the store adds to a definition:
// ids, times, counters and the next run (whose jitter follows the id).
json definitions(const Sandbox& sb, Args extra = {}) {
    Args args{"job", "list"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto jobs = sb.json(args);
    for (auto& job : jobs)
        for (const char* key :
             {"job_id", "created_at", "updated_at", "execution_count", "failure_count",
              "scheduled_count", "last_execution", "last_status", "next_execution"})
            job.erase(key);
    return jobs;
}

const ordered_json k_a = {{"name", "a"}, {"cron", "30 2 * * *"}, {"command", "true"}};
const ordered_json k_b = {
    {"name", "b"}, {"daily", "09:30"}, {"command", "backup"}, {"timeout_seconds", 3600}};
const ordered_json k_c = {{"name", "c"}, {"command", "true"}};
const ordered_json k_d = {{"name", "d"}, {"every", "15m"}, {"command", "true"}};

ordered_json b_changed() {
    auto b = k_b;
    b["command"] = "backup --all";
    b["timeout_seconds"] = 7200;
    return b;
}

// Jobs of every trigger type and most fields: a file whose second apply
// must find each one unchanged.
std::string varied_file() {
    return jobs_file({
        {{"name", "nightly"},
         {"cron", "30 2 * * 1-5"},
         {"timezone", "Europe/Berlin"},
         {"command", "tar czf /tmp/etc.tgz /etc"},
         {"tags", {{"team", "infra"}, {"production", nullptr}}},
         {"env", {{"A", "1"}}},
         {"timeout_seconds", 5400},
         {"priority", "high"},
         {"owner", "ops"},
         {"description", "caf\u00e9"},
         {"overlap", "queue"},
         {"catchup", "all"},
         {"misfire_grace_seconds", 600},
         {"max_attempts", 3},
         {"backoff", "fibonacci"},
         {"retry_on", {"timeout", "exit:3"}},
         {"jitter_seconds", 20},
         {"dst_gap", "skip"},
         {"working_dir", "/tmp"}},
        {{"name", "every"}, {"every", "15m"}, {"command", "true"}, {"max_executions", 9}},
        {{"name", "paused"}, {"daily", "9:30"}, {"command", "true"}, {"enabled", false}},
        {{"name", "weekly"},
         {"trigger", {{"type", "weekly"}, {"at", "MON,THU@07:00"}}},
         {"command", "true"}},
        {{"name", "monthly"},
         {"monthly", "15@23:00"},
         {"command", "true"},
         {"start_date", "2026-02-01"},
         {"end_date", "2027-01-01"}},
        {{"name", "once"}, {"at", "2026-01-20T10:00"}, {"command", "true"}},
        {{"name", "boot"}, {"cron", "@reboot"}, {"command", "true"}},
        {{"name", "by hand"}, {"command", "exit 3"}},
        {{"name", "task"}, {"task_type", "http"}, {"task_config", {{"url", "http://x/"}}}},
        {{"name", "allow"},
         {"cron", "*/5 * * * *"},
         {"overlap", "allow"},
         {"max_instances", 2},
         {"command", "true"}},
    });
}

} // namespace

TEST_SUITE("cli::apply") {
    TEST_CASE("apply creates, updates and leaves unchanged, and --prune deletes what the file "
              "lacks") {
        Sandbox sb;
        auto first = applied(sb, jobs_file({k_a, k_b, k_c}));
        const auto a = id_of(sb, "a"), b = id_of(sb, "b"), c = id_of(sb, "c");
        CHECK(first == "created a (" + a + ")\ncreated b (" + b + ")\ncreated c (" + c +
                           ")\napplied: 3 created, 0 updated, 0 unchanged, 0 deleted\n");

        const auto second = jobs_file({k_a, b_changed(), k_d});
        auto out = applied(sb, second);
        const auto d = id_of(sb, "d");
        CHECK(out == "unchanged a (" + a + ")\nupdated b (" + b +
                         "): command, timeout_seconds\ncreated d (" + d +
                         ")\napplied: 1 created, 1 updated, 1 unchanged, 0 deleted\n");
        auto job = sb.json({"job", "show", "b"});
        CHECK(job["job_id"] == b);
        CHECK(job["command"] == "backup --all");
        CHECK(job["timeout_seconds"] == 7200);
        CHECK(sb.run({"job", "show", "c"}).exit_code == 0); // kept without --prune

        out = applied(sb, second, {"--prune"});
        CHECK(out == "unchanged a (" + a + ")\nunchanged b (" + b + ")\nunchanged d (" + d +
                         ")\ndeleted c (" + c +
                         ")\napplied: 0 created, 0 updated, 3 unchanged, 1 deleted\n");
        CHECK(sb.run({"job", "show", "c"}).exit_code == 3);

        // The audit log: each change once, marked as applied.
        CHECK(sql(sb, "SELECT type || ' ' || job_name || ' ' || detail FROM events WHERE type IN "
                      "('job.updated', 'job.deleted') ORDER BY event_id") ==
              "job.updated b {\"changed\":[\"command\",\"timeout_seconds\"],\"applied\":true}\n"
              "job.deleted c {\"executions_deleted\":0,\"cancelled_executions\":[]}\n");
        CHECK(sql(sb, "SELECT count(*) FROM events WHERE type = 'job.created' AND detail = "
                      "'{\"applied\":true}'") == "4\n");
    }

    TEST_CASE("--format json and -q") {
        Sandbox sb;
        applied(sb, jobs_file({k_a, k_b, k_c}));
        auto r = run_apply(sb, jobs_file({k_a, b_changed(), k_d}), {"--prune", "--format", "json"});
        REQUIRE(r.exit_code == 0);
        auto j = json::parse(r.out);
        CHECK(j["dry_run"] == false);
        REQUIRE(j["jobs"].size() == 4);
        CHECK(j["jobs"][0] == json{{"action", "unchanged"},
                                   {"job_id", id_of(sb, "a")},
                                   {"name", "a"},
                                   {"changes", json::array()}});
        CHECK(j["jobs"][1]["action"] == "update");
        CHECK(j["jobs"][1]["changes"] ==
              json::array({{{"field", "command"}, {"old", "backup"}, {"new", "backup --all"}},
                           {{"field", "timeout_seconds"}, {"old", 3600}, {"new", 7200}}}));
        CHECK(j["jobs"][2]["action"] == "create");
        CHECK(j["jobs"][2]["job_id"] == id_of(sb, "d"));
        CHECK(j["jobs"][3]["action"] == "delete");
        CHECK(j["jobs"][3]["name"] == "c");
        CHECK(j["created"] == 1);
        CHECK(j["updated"] == 1);
        CHECK(j["unchanged"] == 1);
        CHECK(j["deleted"] == 1);

        auto quiet = run_apply(sb, jobs_file({k_a}), {"-q", "--prune"});
        CHECK(quiet.exit_code == 0);
        CHECK(quiet.out.empty());
        CHECK(sb.json({"job", "list"}).size() == 1);
    }

    TEST_CASE("a definition written as job create's flags are is unchanged: nothing written") {
        Sandbox sb;
        sb.ok({"job", "create", "nightly", "--cron", "30 2 * * *", "--command", "tar c /etc",
               "--priority", "high", "--tag", "team=infra", "--timeout", "1h", "--env", "A=1"});
        const auto before = sb.dump();
        auto out = applied(sb, jobs_file({{{"name", "nightly"},
                                           {"cron", "30 2 * * *"},
                                           {"command", "tar c /etc"},
                                           {"priority", "high"},
                                           {"tags", {{"team", "infra"}}},
                                           {"timeout_seconds", 3600},
                                           {"env", {{"A", "1"}}}}}));
        CHECK(out == "unchanged nightly (" + id_of(sb, "nightly") +
                         ")\napplied: 0 created, 0 updated, 1 unchanged, 0 deleted\n");
        CHECK(sb.dump() == before);
    }

    TEST_CASE("the file is the job's whole definition: a key left out means the default") {
        Sandbox sb;
        sb.ok({"job", "create", "web", "--cron", "0 * * * *", "--command", "true", "--timeout",
               "1h", "--owner", "ops", "--priority", "critical"});
        sb.ok({"job", "pause", "web"});
        auto out =
            applied(sb, jobs_file({{{"name", "web"}, {"cron", "0 * * * *"}, {"command", "true"}}}));
        CHECK(out.find("updated web (" + id_of(sb, "web") +
                       "): priority, owner, enabled, timeout_seconds\n") != std::string::npos);
        auto job = sb.json({"job", "show", "web"});
        CHECK(job["timeout_seconds"].is_null());
        CHECK(job["owner"].is_null());
        CHECK(job["priority"] == 50);
        CHECK(job["enabled"] == true);
        CHECK(job["status"] == "active");
        CHECK(job["next_execution"] == "2026-01-15T11:00:00+00:00");
        // Resumed as `job resume` resumes: the event says so.
        CHECK(sql(sb, "SELECT type || ' ' || detail FROM events WHERE type IN ('job.resumed', "
                      "'job.updated') ORDER BY event_id") ==
              "job.resumed {\"applied\":true}\n"
              "job.updated {\"changed\":[\"priority\",\"owner\",\"timeout_seconds\"],"
              "\"applied\":true}\n");
    }

    TEST_CASE("applying the same file twice changes nothing the second time, even later") {
        Sandbox sb;
        auto first = applied(sb, varied_file());
        CHECK(first.find("applied: 10 created, 0 updated, 0 unchanged, 0 deleted") !=
              std::string::npos);
        const auto dump = sb.dump();
        const auto events = sql(sb, "SELECT count(*) FROM events");
        auto again = applied(sb, varied_file());
        CHECK(again.find("applied: 0 created, 0 updated, 10 unchanged, 0 deleted") !=
              std::string::npos);
        CHECK(sb.dump() == dump);
        // A week later: the one-shot's instant has passed and an --every
        // without an anchor would be anchored now for a new job.
        sb.env["SCHEDULE_NOW"] = "2026-01-22T10:07:00Z";
        again = applied(sb, varied_file(), {"--prune"});
        CHECK(again.find("applied: 0 created, 0 updated, 10 unchanged, 0 deleted") !=
              std::string::npos);
        CHECK(sb.dump() == dump);
        CHECK(sql(sb, "SELECT count(*) FROM events") == events);
    }

    TEST_CASE("a one-shot or end date in the past is refused only when it is new to the job") {
        Sandbox sb;
        const ordered_json once = {
            {"name", "once"}, {"at", "2026-01-20T10:00"}, {"command", "true"}};
        applied(sb, jobs_file({once}));
        sb.env["SCHEDULE_NOW"] = "2026-01-22T10:00:00Z";
        auto changed = once;
        changed["command"] = "false";
        CHECK(applied(sb, jobs_file({changed})).find("updated once (") != std::string::npos);

        const auto before = sb.dump();
        auto moved = changed;
        moved["at"] = "2026-01-21T10:00";
        auto r = run_apply(sb, jobs_file({moved}));
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].at: \"2026-01-21T10:00\" is in the past");
        auto ended = ordered_json{
            {"name", "ended"}, {"cron", "@daily"}, {"end_date", "2026-01-21"}, {"command", "true"}};
        r = run_apply(sb, jobs_file({changed, ended}));
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[1].end_date");
        // The one-shot's instant kept, a new end date in the past.
        auto both = changed;
        both["end_date"] = "2026-01-21";
        r = run_apply(sb, jobs_file({both}));
        CHECK(r.exit_code == 2);
        check_error_line(r, "jobs[0].end_date");
        CHECK(sb.dump() == before);
    }

    TEST_CASE("an applied job with no fire left is finished, not active with no next run") {
        Sandbox sb;
        ordered_json once = {{"name", "once"}, {"at", "2026-01-15T10:30:00Z"}, {"command", "true"}};
        applied(sb, jobs_file({once}));
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:30:00Z";
        sb.ok({"tick", "--wait", "-q"});
        CHECK(sb.json({"job", "show", "once"})["status"] == "finished");
        // A changed zone is a changed schedule: the job is looked at again,
        // and its one fire has passed.
        sb.env["SCHEDULE_NOW"] = "2026-01-15T11:00:00Z";
        once["timezone"] = "Europe/Berlin";
        CHECK(applied(sb, jobs_file({once})).find("updated once (") != std::string::npos);
        auto job = sb.json({"job", "show", "once"});
        CHECK(job["status"] == "finished");
        CHECK(job["next_execution"].is_null());
        // Paused and resumed by the file: still finished.
        once["enabled"] = false;
        applied(sb, jobs_file({once}));
        once.erase("enabled");
        applied(sb, jobs_file({once}));
        CHECK(sb.json({"job", "show", "once"})["status"] == "finished");
    }

    TEST_CASE("--dry-run shows each change field by field and writes nothing") {
        Sandbox sb;
        applied(sb, jobs_file({k_a, k_b, k_c}));
        const auto before = sb.dump();
        const auto text = jobs_file({k_a, b_changed(), k_d});
        auto out = applied(sb, text, {"--dry-run", "--prune"});
        CHECK(out == "unchanged a (" + id_of(sb, "a") + ")\nwould update b (" + id_of(sb, "b") +
                         "): command, timeout_seconds\n"
                         "  command: \"backup\" -> \"backup --all\"\n"
                         "  timeout_seconds: 3600 -> 7200\n"
                         "would create d\n"
                         "would delete c (" +
                         id_of(sb, "c") +
                         ")\nwould apply: 1 created, 1 updated, 1 unchanged, 1 deleted\n");
        CHECK(sb.dump() == before);

        auto j = json::parse(applied(sb, text, {"--dry-run", "--format", "json"}));
        CHECK(j["dry_run"] == true);
        CHECK(j["jobs"][2] == json{{"action", "create"},
                                   {"job_id", nullptr},
                                   {"name", "d"},
                                   {"changes", json::array()}});
        CHECK(j["deleted"] == 0);
        CHECK(sb.dump() == before);

        // A changed trigger shows both trigger objects.
        auto moved = k_a;
        moved["cron"] = "45 2 * * *";
        out = applied(sb, jobs_file({moved}), {"--dry-run"});
        CHECK(out.find("  trigger: {\"type\":\"cron\",\"expression\":\"30 2 * * *\"} -> "
                       "{\"type\":\"cron\",\"expression\":\"45 2 * * *\"}\n") != std::string::npos);

        // Into a store that does not exist: the plan, and no store.
        Sandbox empty;
        CHECK(applied(empty, text, {"--dry-run"}).find("would create b\n") != std::string::npos);
        CHECK(!fs::exists(empty.store()));
    }

    TEST_CASE("a backup document applies: onto its own store nothing changes, onto another "
              "the same jobs") {
        Sandbox sb;
        applied(sb, varied_file());
        sb.run({"job", "run", "by hand"});
        auto file = sb.dir() / "backup.json";
        sb.ok({"config", "backup", "--output", file.string(), "--include-history"});
        const auto before = sb.dump();
        auto out = sb.ok({"apply", "-f", file.string()});
        CHECK(out.find("applied: 0 created, 0 updated, 10 unchanged, 0 deleted") !=
              std::string::npos);
        CHECK(sb.dump() == before);

        auto other = (sb.dir() / "other.db").string();
        out = sb.ok({"--store", other, "apply", "--file", file.string()});
        CHECK(out.find("applied: 10 created") != std::string::npos);
        CHECK(definitions(sb, {"--store", other}) == definitions(sb));
        // Definitions only: the backup's history stays out.
        CHECK(sb.json({"--store", other, "job", "history", "--limit", "0"}).empty());
    }

    TEST_CASE("the same file on two stores gives the same jobs, from stdin or a file") {
        Sandbox one;
        applied(one, varied_file());
        Sandbox two;
        // Another store, where some of the names already have other jobs.
        two.ok({"job", "create", "nightly", "--cron", "0 4 * * *", "--command", "mine", "--timeout",
                "1h"});
        two.ok({"job", "create", "allow", "--every", "1h", "--command", "true", "--disabled"});
        two.ok({"job", "create", "spare", "--command", "true"});
        auto file = two.dir() / "jobs.json";
        std::ofstream(file) << varied_file();
        auto out = two.ok({"apply", "-f", file.string(), "--prune"});
        CHECK(out.find("applied: 8 created, 2 updated, 0 unchanged, 1 deleted") !=
              std::string::npos);
        CHECK(definitions(two) == definitions(one));
    }

    TEST_CASE("a job without a timezone takes the default zone of the store it is applied to") {
        const auto text = jobs_file({{{"name", "zoned"},
                                      {"cron", "0 9 * * *"},
                                      {"timezone", "Asia/Tokyo"},
                                      {"command", "x"}},
                                     {{"name", "local"}, {"cron", "0 9 * * *"}, {"command", "x"}}});
        Sandbox utc;
        applied(utc, text);
        Sandbox berlin;
        berlin.ok({"config", "set", "timezone", "Europe/Berlin"});
        applied(berlin, text);
        auto zones = [](const Sandbox& sb) {
            std::vector<std::string> out;
            for (const auto& job : sb.json({"job", "list"}))
                out.push_back(job["name"].get<std::string>() + " " +
                              job["timezone"].get<std::string>());
            return out;
        };
        CHECK(zones(utc) == std::vector<std::string>{"local UTC", "zoned Asia/Tokyo"});
        CHECK(zones(berlin) == std::vector<std::string>{"local Europe/Berlin", "zoned Asia/Tokyo"});
        // Applied again where the default zone has changed, the job follows it.
        utc.env["TZ"] = "America/New_York";
        CHECK(applied(utc, text).find("updated local (" + id_of(utc, "local") + "): timezone\n") !=
              std::string::npos);
    }

    TEST_CASE("an updated job keeps its id, history and counters") {
        Sandbox sb;
        applied(sb, jobs_file({{{"name", "job"}, {"cron", "@hourly"}, {"command", "exit 3"}}}));
        const auto id = id_of(sb, "job");
        sb.run({"job", "run", "job"});
        sb.run({"job", "run", "job"});
        const auto before = sb.json({"job", "show", "job"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:30:00Z";
        auto out = applied(
            sb, jobs_file({{{"name", "job"}, {"cron", "@daily"}, {"command", "echo fixed"}}}));
        CHECK(out.find("updated job (" + id + "): trigger, command\n") != std::string::npos);
        auto after = sb.json({"job", "show", "job"});
        CHECK(after["job_id"] == id);
        CHECK(after["execution_count"] == 2);
        CHECK(after["failure_count"] == 2);
        CHECK(after["last_status"] == "failed");
        CHECK(after["last_execution"] == before["last_execution"]);
        CHECK(after["created_at"] == before["created_at"]);
        CHECK(after["updated_at"] == "2026-01-15T10:30:00+00:00");
        CHECK(after["next_execution"] == "2026-01-16T00:00:00+00:00");
        CHECK(sb.json({"job", "history", "job"}).size() == 2);
        CHECK(sb.ok({"job", "output", "1"}).empty());
    }
}

TEST_SUITE("cli::apply: hostile files") {
    // Each is refused with exit 2 in one line naming its place, and the
    // store stays exactly as it was.
    TEST_CASE("every fault is named and nothing is written") {
        Sandbox sb;
        applied(sb, jobs_file({k_a, k_b}));
        const auto before = sb.dump();
        const auto good = jobs_file({k_a, b_changed(), k_d});
        auto with = [&](auto change) {
            auto d = ordered_json::parse(good);
            change(d);
            return d.dump();
        };
        std::string deep(10000, '[');
        deep += std::string(10000, ']');
        auto bad_utf8 = good;
        bad_utf8.insert(bad_utf8.find("backup --all") + 6, "\xc3\x28");
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"", "document: empty input"},
            {"   ", "document: not valid JSON"},
            {good.substr(0, good.size() - 3), "document: not valid JSON"},
            {"[]", "document: must be an object"},
            {deep, "document: nested more than 64"},
            {"{\"jobs\": [{\"name\": " + deep + "}]}", "document: nested more than 64"},
            {bad_utf8, "document: not valid JSON"},
            {"{\"jobs\": [], \"config\": {}}", "config: unknown key"},
            {with([](ordered_json& d) { d["format"] = "schedule-jobs"; }), "format"},
            {with([](ordered_json& d) {
                 d["format"] = "schedule-backup";
                 d["version"] = 2;
             }),
             "version"},
            {with([](ordered_json& d) { d.erase("jobs"); }), "jobs: missing"},
            {with([](ordered_json& d) { d["jobs"] = ordered_json::object(); }), "jobs: must be"},
            {with([](ordered_json& d) { d["jobs"][1] = "b"; }), "jobs[1]"},
            {with([](ordered_json& d) { d["jobs"][2]["timeot_seconds"] = 1; }),
             "jobs[2].timeot_seconds"},
            {with([](ordered_json& d) { d["jobs"][2]["name"] = "a"; }),
             "jobs[2].name: \"a\" is also jobs[0]'s name"},
            {with([](ordered_json& d) { d["jobs"][0].erase("name"); }), "jobs[0].name"},
            {with([](ordered_json& d) { d["jobs"][0].erase("command"); }), "jobs[0].command"},
            {with([](ordered_json& d) { d["jobs"][1]["timeout_seconds"] = "2h"; }),
             "jobs[1].timeout_seconds"},
            {with([](ordered_json& d) { d["jobs"][1]["enabled"] = "no"; }), "jobs[1].enabled"},
            {with([](ordered_json& d) { d["jobs"][1]["tags"] = ordered_json::array({"x"}); }),
             "jobs[1].tags"},
            {with([](ordered_json& d) { d["jobs"][0]["cron"] = "61 * * * *"; }), "jobs[0].cron"},
            {with([](ordered_json& d) { d["jobs"][0]["cron"] = "0 0 30 2 *"; }), "jobs[0].cron"},
            {with([](ordered_json& d) { d["jobs"][0]["daily"] = "09:00"; }), "jobs[0].daily"},
            {with([](ordered_json& d) { d["jobs"][0]["timezone"] = "Mars/Olympus"; }),
             "jobs[0].timezone"},
            {with([](ordered_json& d) { d["jobs"][0]["priority"] = 101; }), "jobs[0].priority"},
            {with([](ordered_json& d) { d["jobs"][0]["timeout_seconds"] = 1e300; }),
             "jobs[0].timeout_seconds"},
            {with([](ordered_json& d) { d["jobs"][0]["max_attempts"] = 9223372036854775807LL; }),
             "jobs[0].max_attempts"},
            {with([](ordered_json& d) { d["jobs"][0]["max_executions"] = -1; }),
             "jobs[0].max_executions"},
            {R"({"jobs": [{"name": "x", "command": "x", "priority": 1e400}]})",
             "document: not valid JSON: number overflow"},
            {R"({"jobs": [{"name": "a", "command": "echo harmless", "command": "echo EVIL"}]})",
             "jobs[0].command: duplicate key"},
            {R"({"jobs": [{"name": "a", "command": "true"}], "jobs": []})", "jobs: duplicate key"},
            {good + std::string("\0garbage", 8), "document: not valid JSON"},
            {with([](ordered_json& d) { d["jobs"][0]["name"] = std::string(100000, 'n'); }),
             "jobs[0].name"},
            {with([](ordered_json& d) { d["jobs"][0]["at"] = "2026-01-16T09:00"; }),
             "jobs[0].at: give one trigger only"},
            {with([](ordered_json& d) {
                 d["jobs"][0].erase("cron");
                 d["jobs"][0]["at"] = "2026-01-15T09:00";
             }),
             "jobs[0].at: \"2026-01-15T09:00\" is in the past"},
            {with([](ordered_json& d) {
                 d["jobs"][2].erase("every");
                 d["jobs"][2]["trigger"] = {{"type", "at"}, {"at", "2026-01-15T09:00:00Z"}};
             }),
             "jobs[2].trigger.at"},
        };
        for (const auto& [text, names] : cases) {
            CAPTURE(names);
            CAPTURE(text.substr(0, 200));
            auto r = run_apply(sb, text, {"--prune"});
            CHECK(r.exit_code == 2);
            check_error_line(r, names);
        }
        CHECK(sb.dump() == before);
    }

    TEST_CASE("-f is required, and a file that cannot be read exits 2") {
        Sandbox sb;
        applied(sb, jobs_file({k_a}));
        const auto before = sb.dump();
        auto r = sb.run({"apply"});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--file");
        r = sb.run({"apply", "-f", (sb.dir() / "missing.json").string()});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--file: cannot read");
        r = sb.run({"apply", "-f", sb.dir().string()});
        CHECK(r.exit_code == 2);
        check_error_line(r, "is a directory");
        r = sb.run({"apply", "-f", ""});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--file");
        // A file larger than 1 GiB (sparse: it takes no disk) is refused
        // before it is read.
        const auto big = sb.dir() / "big.json";
        std::ofstream(big).close();
        fs::resize_file(big, 1024 * 1024 * 1024 + 1);
        r = sb.run({"apply", "-f", big.string()});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--file: larger than 1073741824 bytes");
        CHECK(sb.dump() == before);
    }
}
