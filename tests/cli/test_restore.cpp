// `config restore` (man page CONFIG COMMANDS, BACKUP DOCUMENT) through the
// real binary: round trips, hostile documents, conflicts, --force, --prune,
// --dry-run, and a restore while ticks run.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

using nlohmann::json;
using nlohmann::ordered_json;
using schedule::test::Args;
using schedule::test::binary;
using schedule::test::check_error_line;
using schedule::test::RunResult;
using schedule::test::Sandbox;
namespace fs = std::filesystem;

namespace {

// Jobs of every trigger type and most fields, with a run of each kind of
// output, and two settings.
void varied_store(const Sandbox& sb) {
    sb.ok({"job",
           "create",
           "--name",
           "nightly \"db\" dump",
           "--cron",
           "30 2 * * 1-5",
           "--tz",
           "Europe/Berlin",
           "--command",
           "printf 'h\\303\\251\\377'; echo err >&2",
           "--tag",
           "team=infra",
           "--tag",
           "production",
           "--env",
           "A=1",
           "--env",
           "PATH=/opt/bin:/usr/bin",
           "--timeout",
           "1h30m",
           "--priority",
           "high",
           "--owner",
           "ops",
           "--description",
           "caf\xc3\xa9 \xe2\x9c\x93 \x01\x1b[31m\t\n\xe2\x80\xae",
           "--overlap",
           "queue",
           "--catchup",
           "all",
           "--misfire-grace",
           "10m",
           "--max-attempts",
           "3",
           "--retry-delay",
           "30s",
           "--backoff",
           "fibonacci",
           "--retry-on",
           "timeout,exit:3",
           "--jitter",
           "20s",
           "--dst-gap",
           "skip",
           "--working-dir",
           "/tmp"});
    sb.ok({"job", "create", "--name", "every", "--every", "15m", "--command", "true",
           "--max-executions", "9", "--kill-grace", "3s"});
    sb.ok({"job", "create", "--name", "daily", "--daily", "09:30", "--command", "true",
           "--disabled"});
    sb.ok({"job", "create", "--name",
           "w\xc3\xb6"
           "chentlich \xe2\x9c\x93",
           "--weekly", "MON,THU@07:00", "--command", "true"});
    sb.ok({"job", "create", "--name", "monthly", "--monthly", "15@23:00", "--command", "true",
           "--start-date", "2026-02-01", "--end-date", "2027-01-01"});
    sb.ok({"job", "create", "--name", "once", "--at", "2026-12-25T10:00", "--command", "true"});
    sb.ok({"job", "create", "--name", "boot", "--cron", "@reboot", "--command", "true"});
    sb.ok({"job", "create", "--name", "by hand", "--command", "exit 3"});
    sb.ok({"job", "create", "--name", "allow", "--cron", "*/5 * * * *", "--overlap", "allow",
           "--max-instances", "2", "--command", "true"});
    sb.run({"job", "run", "nightly \"db\" dump"});
    sb.run({"job", "run", "by hand"});
    sb.run({"job", "run", "every"});
    sb.ok({"config", "set", "max_workers", "3"});
    sb.ok({"config", "set", "history.keep_last", "50"});
}

std::string backup_text(const Sandbox& sb, const std::string& store = {}) {
    Args args{"config", "backup", "--output", "-", "--include-history"};
    if (!store.empty())
        args.insert(args.begin(), {"--store", store});
    return sb.ok(args);
}

// The document without its created_at.
json comparable(const std::string& text) {
    auto j = json::parse(text);
    j.erase("created_at");
    return j;
}

RunResult restore(const Sandbox& sb, const std::string& text, Args extra = {}) {
    Args args{"config", "restore", "--input", "-"};
    args.insert(args.end(), extra.begin(), extra.end());
    return sb.run(args, text);
}

} // namespace

TEST_SUITE("config restore") {
    TEST_CASE("backup, restore into an empty store, backup again: the same document") {
        Sandbox sb;
        varied_store(sb);
        auto first = backup_text(sb);
        auto other = (sb.dir() / "other.db").string();
        auto r = sb.run({"--store", other, "config", "restore", "--input", "-"}, first);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("restored: 9 created, 0 replaced, 0 deleted, 0 unchanged; 3 executions, "
                         "2 settings") != std::string::npos);
        auto second = backup_text(sb, other);
        CHECK(comparable(second) == comparable(first));
        // History and output come back byte for byte.
        auto out = sb.run({"--store", other, "job", "output", "1", "--both"});
        CHECK(out.out == "h\xc3\xa9\xff");
        CHECK(out.err == "err\n");
    }

    TEST_CASE("backup, wipe, restore: the same jobs and history, from a file") {
        Sandbox sb;
        varied_store(sb);
        auto file = sb.dir() / "backup.json";
        sb.ok({"config", "backup", "--output", file.string(), "--include-history"});
        auto jobs = sb.json({"job", "list"});
        auto history = sb.json({"job", "history", "--limit", "0"});
        fs::remove(sb.store());
        sb.ok({"config", "restore", "--input", file.string()});
        CHECK(sb.json({"job", "list"}) == jobs);
        CHECK(sb.json({"job", "history", "--limit", "0"}) == history);
    }

    TEST_CASE("restored jobs get their next run from now, with no catch-up") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "often", "--cron", "*/10 * * * *", "--command", "true"});
        auto text = backup_text(sb);
        Sandbox later;
        later.env["SCHEDULE_NOW"] = "2026-01-18T10:05:00Z";
        REQUIRE(restore(later, text).exit_code == 0);
        auto job = later.json({"job", "show", "often"});
        CHECK(job["next_execution"] == "2026-01-18T10:10:00+00:00");
        auto tick = later.json({"tick"});
        CHECK(tick["fired"] == 0);
    }

    TEST_CASE("a restored job with no fire left, its --at or end date passed, is finished") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "once", "--at", "2026-01-15T10:30", "--command", "true"});
        sb.ok({"job", "create", "--name", "ending", "--cron", "*/5 * * * *", "--end-date",
               "2026-01-15T11:00", "--command", "true"});
        sb.ok(
            {"job", "create", "--name", "later", "--at", "2026-01-16T10:30", "--command", "true"});
        const auto text = backup_text(sb);
        auto check = [](const Sandbox& s, const std::string& name, const std::string& status) {
            CAPTURE(name);
            auto job = s.json({"job", "show", name});
            CHECK(job["status"] == status);
            if (status == "finished")
                CHECK(job["next_execution"].is_null());
        };
        // Created in another store after those times.
        Sandbox target;
        target.env["SCHEDULE_NOW"] = "2026-01-15T12:00:00Z";
        auto r = restore(target, text);
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        check(target, "once", "finished");
        check(target, "ending", "finished");
        check(target, "later", "active");
        // Replaced: the store's one-shot job fired and finished; the
        // backup, older, has it active. Nothing is left to do: unchanged.
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:30:00Z";
        sb.ok({"tick", "--wait", "-q"});
        check(sb, "once", "finished");
        sb.env["SCHEDULE_NOW"] = "2026-01-15T12:00:00Z";
        r = restore(sb, text, {"--force"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("unchanged once (") != std::string::npos);
        check(sb, "once", "finished");
        // Replaced with a change: finished as well.
        auto doc = ordered_json::parse(text);
        for (auto& job : doc["jobs"])
            job["description"] = "changed";
        r = restore(sb, doc.dump(), {"--force"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        check(sb, "once", "finished");
        check(sb, "ending", "finished");
        check(sb, "later", "active");
    }

    TEST_CASE("jobs already in the store are conflicts, every one listed, exit 4, nothing "
              "written") {
        Sandbox sb;
        varied_store(sb);
        auto text = backup_text(sb);
        sb.ok({"job", "delete", "once", "--force"});
        auto before = sb.dump();
        auto r = restore(sb, text);
        CHECK(r.exit_code == 4);
        check_error_line(r, "8 jobs of the backup already in the store");
        CHECK(r.err.find("nightly \"db\" dump") != std::string::npos);
        CHECK(r.err.find("\"allow\"") != std::string::npos);
        CHECK(r.err.find("--force") != std::string::npos);
        CHECK(sb.dump() == before);
    }

    TEST_CASE("a name held by another id is a conflict too, and --force replaces that job "
              "keeping its id and history") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "nightly", "--cron", "0 3 * * *", "--command", "old"});
        auto theirs = backup_text(sb);
        Sandbox mine;
        auto id = mine.ok({"job", "create", "--name", "nightly", "--cron", "0 4 * * *", "--command",
                           "mine", "-q"});
        id.pop_back();
        mine.run({"job", "run", "nightly"});
        auto r = restore(mine, theirs);
        CHECK(r.exit_code == 4);
        check_error_line(r, "as \"nightly\" (" + id + ")");
        auto forced = restore(mine, theirs, {"--force"});
        INFO(forced.err);
        REQUIRE(forced.exit_code == 0);
        CHECK(forced.out.find("replace   nightly (" + id + "): trigger, command") !=
              std::string::npos);
        auto job = mine.json({"job", "show", "nightly"});
        CHECK(job["job_id"] == id);
        CHECK(job["command"] == "old");
        CHECK(job["cron_expression"] == "0 3 * * *");
        CHECK(job["execution_count"] == 1);
        CHECK(mine.json({"job", "history", "nightly"}).size() == 1);
    }

    TEST_CASE("a job matching one job by id and another by name cannot be replaced") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "a", "--command", "true"});
        auto doc = json::parse(backup_text(sb));
        auto a_id = doc["jobs"][0]["job_id"].get<std::string>();
        sb.ok({"job", "update", "a", "--name", "renamed"});
        sb.ok({"job", "create", "--name", "a", "--command", "other"});
        auto before = sb.dump();
        auto r = restore(sb, doc.dump(), {"--force"});
        CHECK(r.exit_code == 4);
        check_error_line(r, "id of \"renamed\" (" + a_id + ")");
        CHECK(sb.dump() == before);
    }

    TEST_CASE("--force leaves identical jobs unchanged, writing nothing for them") {
        Sandbox sb;
        varied_store(sb);
        auto text = backup_text(sb);
        auto jobs = sb.json({"job", "list"});
        auto r = restore(sb, text, {"--force", "--format", "json"});
        REQUIRE(r.exit_code == 0);
        auto j = json::parse(r.out);
        CHECK(j["unchanged"] == 9);
        CHECK(j["replaced"] == 0);
        CHECK(j["executions"] == 0);
        CHECK(j["executions_skipped"] == 3);
        CHECK(sb.json({"job", "list"}) == jobs);
    }

    TEST_CASE("--prune deletes the jobs the backup lacks, with their history") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "keep", "--command", "true"});
        auto text = backup_text(sb);
        sb.ok({"job", "create", "--name", "extra", "--command", "true"});
        sb.run({"job", "run", "extra"});
        auto r = restore(sb, text, {"--force", "--prune"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("delete    extra (") != std::string::npos);
        CHECK(r.out.find("unchanged keep (") != std::string::npos);
        auto names = sb.json({"job", "list"});
        REQUIRE(names.size() == 1);
        CHECK(names[0]["name"] == "keep");
        CHECK(sb.json({"job", "history", "--limit", "0"}).empty());
    }

    TEST_CASE("--dry-run prints the plan and writes nothing") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "same", "--command", "true"});
        sb.ok({"job", "create", "--name", "changes", "--command", "true"});
        auto text = backup_text(sb);
        sb.ok({"job", "update", "changes", "--command", "false"});
        sb.ok({"job", "create", "--name", "gone", "--command", "true"});
        sb.ok({"job", "delete", "same", "--force"});
        auto before = sb.dump();
        auto r = restore(sb, text, {"--dry-run", "--force", "--prune"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("create    same (") != std::string::npos);
        CHECK(r.out.find("replace   changes (") != std::string::npos);
        CHECK(r.out.find(": command") != std::string::npos);
        CHECK(r.out.find("delete    gone (") != std::string::npos);
        CHECK(r.out.find("would restore: 1 created, 1 replaced, 1 deleted, 0 unchanged") !=
              std::string::npos);
        CHECK(sb.dump() == before);
        // Into a store that does not exist: the plan, and no store.
        Sandbox empty;
        CHECK(restore(empty, text, {"--dry-run"}).exit_code == 0);
        CHECK(!fs::exists(empty.store()));
    }

    TEST_CASE("history whose ids are taken is numbered after the store's") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "old", "--command", "echo old"});
        sb.run({"job", "run", "old"});
        auto text = backup_text(sb);
        Sandbox target;
        target.ok({"job", "create", "--name", "mine", "--command", "echo mine"});
        target.run({"job", "run", "mine"});
        target.run({"job", "run", "mine"});
        REQUIRE(restore(target, text).exit_code == 0);
        auto history = target.json({"job", "history", "old"});
        REQUIRE(history.size() == 1);
        CHECK(history[0]["execution_id"] == 3);
        CHECK(target.ok({"job", "output", "3"}) == "old\n");
        CHECK(target.ok({"job", "output", "1"}) == "mine\n");
    }

    TEST_CASE("counters up to 2^53 - 1 are restored, and stop there as the job runs") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "full", "--cron", "* * * * *", "--command", "false"});
        auto doc = ordered_json::parse(backup_text(sb));
        for (const auto* key : {"execution_count", "failure_count", "scheduled_count"})
            doc["jobs"][0][key] = 9007199254740991LL;
        Sandbox target;
        auto r = restore(target, doc.dump());
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto tick = target.run_program({"env", "SCHEDULE_NOW=2026-01-15T10:01:00Z", "timeout", "60",
                                        binary(), "tick", "--wait", "-q"});
        INFO(tick.err);
        CHECK(tick.exit_code == 0);
        auto history = target.json({"job", "history", "full"});
        REQUIRE(history.size() == 1);
        CHECK(history[0]["status"] == "failed");
        auto job = target.json({"job", "show", "full"});
        for (const auto* key : {"execution_count", "failure_count", "scheduled_count"}) {
            CAPTURE(key);
            CHECK(job[key] == 9007199254740991LL);
        }
    }

    TEST_CASE("execution ids up to 2^53 - 1 are kept, and later runs are numbered after them") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "old", "--command", "echo old"});
        sb.run({"job", "run", "old"});
        auto doc = ordered_json::parse(backup_text(sb));
        doc["executions"][0]["execution_id"] = 9007199254740991LL;
        Sandbox target;
        auto r = restore(target, doc.dump());
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(target.ok({"job", "output", "9007199254740991"}) == "old\n");
        target.ok({"job", "create", "--name", "new", "--command", "echo new"});
        auto run = target.run({"job", "run", "new"});
        CHECK(run.exit_code == 0);
        auto history = target.json({"job", "history", "new"});
        REQUIRE(history.size() == 1);
        CHECK(history[0]["execution_id"] == 9007199254740992LL);
    }

    TEST_CASE("the restore is in the audit log with its counts") {
        Sandbox sb;
        varied_store(sb);
        auto text = backup_text(sb);
        Sandbox target;
        REQUIRE(restore(target, text).exit_code == 0);
        auto r = target.run_program({"sqlite3", target.store().string(),
                                     "SELECT detail FROM events WHERE type = 'config.restored'"});
        REQUIRE(r.exit_code == 0);
        CHECK(json::parse(r.out) == json{{"created", 9},
                                         {"replaced", 0},
                                         {"deleted", 0},
                                         {"unchanged", 0},
                                         {"executions", 3},
                                         {"settings", 2}});
    }
}

TEST_SUITE("config restore: hostile documents") {
    // Each is refused with exit 2 in one line naming its place, and the
    // store stays exactly as it was.
    TEST_CASE("every fault is named and nothing is written") {
        Sandbox sb;
        varied_store(sb);
        const auto good = backup_text(sb);
        sb.ok({"job", "delete", "every", "--force"});
        sb.ok({"config", "unset", "max_workers"});
        const auto before = sb.dump();
        auto doc = [&] { return ordered_json::parse(good); };
        auto with = [&](auto change) {
            auto d = doc();
            change(d);
            return d.dump();
        };
        std::string deep(10000, '[');
        deep += std::string(10000, ']');
        std::string big(10 * 1024 * 1024, 'x');
        std::vector<std::pair<std::string, std::string>> cases = {
            {"", "document"},
            {"not json", "document"},
            {good.substr(0, good.size() / 2), "document"},
            {"[]", "document"},
            {deep, "nested more than 64"},
            {"{\"format\":" + deep + "}", "nested more than 64"},
            {"\"\xff\"", "document"},
            {"{\"format\": 1e400}", "document: not valid JSON: number overflow"},
            {with([](ordered_json& d) { d["format"] = "other"; }), "format"},
            {with([](ordered_json& d) { d.erase("format"); }), "format"},
            {with([](ordered_json& d) { d["version"] = 2; }), "version"},
            {with([](ordered_json& d) { d["version"] = "1"; }), "version"},
            {with([](ordered_json& d) { d["extra"] = 1; }), "extra: unknown key"},
            {with([](ordered_json& d) { d["jobs"] = json::object(); }), "jobs"},
            {with([](ordered_json& d) { d["jobs"][2]["timeot_seconds"] = 1; }),
             "jobs[2].timeot_seconds"},
            {with([](ordered_json& d) { d["jobs"][1]["job_id"] = d["jobs"][0]["job_id"]; }),
             "jobs[1].job_id"},
            {with([](ordered_json& d) { d["jobs"][1]["name"] = d["jobs"][0]["name"]; }),
             "jobs[1].name"},
            {with([&](ordered_json& d) { d["jobs"][0]["name"] = big; }), "jobs[0].name"},
            {with([&](ordered_json& d) { d["jobs"][0]["command"] = big; }), "jobs[0].command"},
            {with([](ordered_json& d) { d["jobs"][0]["priority"] = 101; }), "jobs[0].priority"},
            {with([](ordered_json& d) { d["jobs"][0]["timeout_seconds"] = -1; }),
             "jobs[0].timeout_seconds"},
            {with([](ordered_json& d) { d["jobs"][0]["timeout_seconds"] = 1e300; }),
             "jobs[0].timeout_seconds"},
            {with([](ordered_json& d) { d["jobs"][0]["max_attempts"] = 9223372036854775807LL; }),
             "jobs[0].max_attempts"},
            {with([](ordered_json& d) { d["jobs"][0]["execution_count"] = -1; }),
             "jobs[0].execution_count"},
            {with([](ordered_json& d) { d["jobs"][0]["execution_count"] = 9007199254740992LL; }),
             "jobs[0].execution_count: 9007199254740992 is not a whole number from 0 to "
             "9007199254740991"},
            {with([](ordered_json& d) { d["jobs"][1]["failure_count"] = INT64_MAX; }),
             "jobs[1].failure_count"},
            {with([](ordered_json& d) { d["jobs"][2]["scheduled_count"] = 9007199254740992LL; }),
             "jobs[2].scheduled_count"},
            {with(
                 [](ordered_json& d) { d["executions"][0]["skipped_count"] = 9007199254740992LL; }),
             "executions[0].skipped_count: must be at most 9007199254740991"},
            {with([](ordered_json& d) { d["jobs"][0]["trigger"]["expression"] = "61 * * * *"; }),
             "jobs[0].trigger"},
            {with([](ordered_json& d) { d["jobs"][3]["timezone"] = "Mars/Olympus"; }),
             "jobs[3].timezone"},
            {with([](ordered_json& d) { d["jobs"][0]["name"] = "a:b"; }), "jobs[0].name"},
            {with([](ordered_json& d) { d["config"]["max_workers"] = "lots"; }),
             "config.max_workers"},
            {with([](ordered_json& d) { d["config"]["nope"] = "1"; }), "config.nope"},
            {with([](ordered_json& d) { d["config"]["max_workers"] = 3; }), "config.max_workers"},
            {with([](ordered_json& d) { d["executions"][0]["job_id"] = "00000000"; }),
             "executions[0].job_id"},
            {with([](ordered_json& d) { d["executions"][1]["execution_id"] = 1; }),
             "executions[1].execution_id"},
            {with([](ordered_json& d) { d["executions"][0]["execution_id"] = INT64_MAX; }),
             "executions[0].execution_id: must be at most 9007199254740991"},
            {with([](ordered_json& d) { d["executions"][2]["execution_id"] = 9007199254740992LL; }),
             "executions[2].execution_id"},
            {with([](ordered_json& d) {
                 d["executions"][1]["parent_execution_id"] = 9007199254740992LL;
             }),
             "executions[1].parent_execution_id: must be at most 9007199254740991"},
            {with([](ordered_json& d) { d["executions"][0]["status"] = "running"; }),
             "executions[0].status"},
            {with([](ordered_json& d) { d["executions"][0]["stdout"]["data_base64"] = "%%"; }),
             "executions[0].stdout.data_base64"},
            {with([](ordered_json& d) { d["executions"][0]["start_time"] = "yesterday"; }),
             "executions[0].start_time"},
            {with([](ordered_json& d) { d["executions"][0]["attempt"] = 0; }),
             "executions[0].attempt"},
            {with([](ordered_json& d) { d["executions"][0]["bogus"] = 0; }), "executions[0].bogus"},
        };
        // A key given twice: readers differ on which one they keep.
        auto twice = [&](const char* mark, const std::string& text) {
            auto at = text.find(mark);
            REQUIRE(at != std::string::npos);
            auto key = std::string(mark).substr(0, std::string(mark).find(':'));
            return text.substr(0, at) + key + ":\"echo harmless\"," + key + ":\"echo EVIL\"" +
                   text.substr(at + std::strlen(mark));
        };
        cases.emplace_back(twice("\"command\":\"MARK\"",
                                 with([](ordered_json& d) { d["jobs"][1]["command"] = "MARK"; })),
                           "jobs[1].command: duplicate key");
        cases.emplace_back(
            twice("\"host\":\"MARK\"", with([](ordered_json& d) { d["host"] = "MARK"; })),
            "host: duplicate key");
        cases.emplace_back(twice("\"max_workers\":\"MARK\"", with([](ordered_json& d) {
                                     d["config"]["max_workers"] = "MARK";
                                 })),
                           "config.max_workers: duplicate key");
        cases.emplace_back(twice("\"data\":\"MARK\"", with([](ordered_json& d) {
                                     d["executions"][2]["stdout"]["data"] = "MARK";
                                 })),
                           "executions[2].stdout.data: duplicate key");
        // A NUL byte and anything after it.
        cases.emplace_back(good + std::string("\0garbage", 8), "document: not valid JSON");
        cases.emplace_back(good + std::string(1, '\0'), "document: not valid JSON");
        // Invalid UTF-8 inside a job's string.
        auto bad_utf8 = good;
        auto at = bad_utf8.find("\"command\":\"true\"");
        REQUIRE(at != std::string::npos);
        bad_utf8.insert(at + 11, "\xc3\x28");
        cases.emplace_back(bad_utf8, "document");
        for (const auto& [text, names] : cases) {
            CAPTURE(names);
            CAPTURE(text.substr(0, 200));
            auto r = restore(sb, text, {"--force", "--prune"});
            CHECK(r.exit_code == 2);
            check_error_line(r, names);
        }
        CHECK(sb.dump() == before);
    }
}

TEST_SUITE("config restore: input size") {
    TEST_CASE("an input larger than 1 GiB is refused, not read on without end") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "a", "--command", "true"});
        const auto before = sb.dump();
        // Memory bounded, so that reading without a limit fails rather
        // than taking the machine's memory. AddressSanitizer reserves
        // terabytes of address space for its shadow memory, so under it
        // the bound is its own resident-memory limit instead.
#if defined(__SANITIZE_ADDRESS__)
        const std::string bound =
            "ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=4096\"; "
            "export ASAN_OPTIONS";
#else
        const std::string bound = "ulimit -v 4194304";
#endif
        auto r = sb.run_program({"sh", "-c", bound + " && exec \"$0\" \"$@\"", binary(), "config",
                                 "restore", "--input", "/dev/zero", "--force"});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--input: larger than 1073741824 bytes");
        CHECK(sb.dump() == before);
    }
}

TEST_SUITE("config restore: racing ticks") {
    TEST_CASE("restores that create and delete jobs while ticks fire lose and double no run") {
        Sandbox sb;
        auto log = sb.dir() / "fired.log";
        sb.ok({"job", "create", "--name", "minutely", "--cron", "* * * * *", "--command",
               "echo \"$SCHEDULE_SCHEDULED_FOR\" >> " + log.string()});
        const auto without = backup_text(sb);
        for (int i = 0; i < 20; ++i)
            sb.ok({"job", "create", "--name", "other-" + std::to_string(i), "--cron", "0 0 1 1 *",
                   "--command", "true"});
        const auto with = backup_text(sb);
        // Ticks, one minute after another, while restores add and prune
        // twenty jobs each time.
        auto ticks = std::async(std::launch::async, [&] {
            for (int m = 1; m <= 12; ++m) {
                char now[40];
                std::snprintf(now, sizeof now, "SCHEDULE_NOW=2026-01-15T10:%02d:00Z", m);
                auto r = sb.run_program({"env", now, binary(), "tick", "--wait", "-q"});
                if (r.exit_code != 0)
                    return r.err;
            }
            return std::string();
        });
        int restores = 0;
        while (ticks.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
            auto r = restore(sb, restores % 2 == 0 ? without : with, {"--force", "--prune"});
            CHECK(r.exit_code == 0);
            ++restores;
        }
        CHECK(ticks.get() == "");
        CHECK(restores > 1);
        std::ifstream in(log);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
        REQUIRE(lines.size() == 12);
        for (int m = 1; m <= 12; ++m) {
            char want[32];
            std::snprintf(want, sizeof want, "2026-01-15T10:%02d:00", m);
            CHECK(lines[static_cast<std::size_t>(m - 1)].rfind(want, 0) == 0);
        }
        auto history = sb.json({"job", "history", "minutely", "--limit", "0"});
        CHECK(history.size() == 12);
    }
}
