// `job history`, `job output` refusals and `job stats` through the real binary
// (man page JOB COMMANDS and JSON REFERENCE). Runs happen at
// chosen instants through SCHEDULE_NOW, so that order, --since and the trend
// windows are known.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::Sandbox;

namespace {

// The execution object's keys as the man page's JSON REFERENCE lists them.
const std::vector<std::string> k_execution_keys{
    "execution_id",     "job_id",        "job_name",   "trigger",
    "attempt",          "scheduled_for", "start_time", "end_time",
    "duration_seconds", "status",        "exit_code",  "signal",
    "reason",           "skipped_count", "error",      "host"};

// The stats object's keys (job stats JOB, and each of "jobs" without JOB).
const std::vector<std::string> k_stats_keys{"job_id",
                                            "name",
                                            "total_executions",
                                            "successful_executions",
                                            "failed_executions",
                                            "timed_out_executions",
                                            "cancelled_executions",
                                            "lost_executions",
                                            "skipped_executions",
                                            "running_executions",
                                            "success_rate",
                                            "average_duration_seconds",
                                            "min_duration_seconds",
                                            "max_duration_seconds",
                                            "p50_duration_seconds",
                                            "p95_duration_seconds",
                                            "p99_duration_seconds",
                                            "last_execution",
                                            "next_execution",
                                            "trend",
                                            "top_errors"};

const std::vector<std::string> k_summary_keys{
    "jobs", "enabled", "paused", "finished", "running", "today", "jobs_by_task_type", "next_runs"};

std::set<std::string> keys_of(const json& object) {
    std::set<std::string> out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key());
    return out;
}

std::set<std::string> as_set(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

// Runs `job` once with "now" at `when` and requires exit code `code`.
void run_at(Sandbox& sb, const std::string& when, const std::string& job, int code) {
    sb.env["SCHEDULE_NOW"] = when;
    auto r = sb.run({"job", "run", job});
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == code);
}

std::vector<long long> ids_of(const json& executions) {
    std::vector<long long> out;
    for (const auto& e : executions)
        out.push_back(e["execution_id"].get<long long>());
    return out;
}

// A store with a known history, "now" 2026-01-15T10:00Z:
//   1  flaky  2026-01-05T10:00  failed (exit 7)  -- ten days ago
//   2  flaky  2026-01-15T08:00  completed
//   3  other  2026-01-15T09:00  completed
//   4  flaky  2026-01-15T09:30  completed
//   5  flaky  2026-01-15T09:50  completed
// and "other" fires daily at 12:00 from then on.
struct KnownHistory {
    Sandbox sb;
    KnownHistory() {
        sb.env["SCHEDULE_NOW"] = "2026-01-01T00:00:00Z";
        sb.ok({"job", "create", "flaky", "--command", "exit 7"});
        sb.ok({"job", "create", "other", "--command", "true"});
        run_at(sb, "2026-01-05T10:00:00Z", "flaky", 7);
        sb.ok({"job", "update", "flaky", "--command", "true"});
        run_at(sb, "2026-01-15T08:00:00Z", "flaky", 0);
        run_at(sb, "2026-01-15T09:00:00Z", "other", 0);
        run_at(sb, "2026-01-15T09:30:00Z", "flaky", 0);
        run_at(sb, "2026-01-15T09:50:00Z", "flaky", 0);
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
        // Its next run is computed from now: 12:00 today.
        sb.ok({"job", "update", "other", "--cron", "0 12 * * *"});
    }
};

} // namespace

TEST_SUITE("cli::history") {

    TEST_CASE("job history lists executions newest first with the documented keys") {
        KnownHistory h;
        auto all = h.sb.json({"job", "history"});
        REQUIRE(all.is_array());
        CHECK(ids_of(all) == std::vector<long long>{5, 4, 3, 2, 1});
        for (const auto& e : all)
            CHECK(keys_of(e) == as_set(k_execution_keys));
        CHECK(all[0]["start_time"].get<std::string>().rfind("2026-01-15T09:50:", 0) == 0);
        CHECK(all[4]["start_time"].get<std::string>().rfind("2026-01-05T10:00:", 0) == 0);
        CHECK(all[4]["status"] == "failed");
        CHECK(all[4]["exit_code"] == 7);
        CHECK(all[2]["job_name"] == "other");
        CHECK(all[0]["job_name"] == "flaky");
        CHECK(all[0]["trigger"] == "manual");
        CHECK(all[0]["duration_seconds"].is_number());

        CHECK(ids_of(h.sb.json({"job", "history", "flaky"})) == std::vector<long long>{5, 4, 2, 1});
        auto table = h.sb.ok({"job", "history", "flaky"});
        CHECK(table.find("failed") != std::string::npos);
        CHECK(table.find("other") == std::string::npos);
    }

    TEST_CASE("job history filters with --limit --status and --since") {
        KnownHistory h;
        auto ids = [&](Args args) {
            args.insert(args.begin(), {"job", "history"});
            return ids_of(h.sb.json(args));
        };
        using V = std::vector<long long>;
        CHECK(ids({"--limit", "2"}) == V{5, 4});
        CHECK(ids({"flaky", "--limit", "3"}) == V{5, 4, 2});
        CHECK(ids({"--limit", "0"}) == V{5, 4, 3, 2, 1});
        CHECK(ids({"--status", "failed"}) == V{1});
        CHECK(ids({"--status", "completed", "--limit", "1"}) == V{5});
        CHECK(ids({"--status", "timed_out"}).empty());
        CHECK(ids({"--since", "1h"}) == V{5, 4, 3});
        CHECK(ids({"--since", "7d"}) == V{5, 4, 3, 2});
        CHECK(ids({"flaky", "--since", "2026-01-15T08:30"}) == V{5, 4});
        CHECK(ids({"--since", "2026-01-01"}) == V{5, 4, 3, 2, 1});
    }

    TEST_CASE("job history with a default limit of 20") {
        Sandbox sb;
        sb.ok({"job", "create", "many", "--command", "true"});
        for (int i = 0; i < 22; ++i)
            REQUIRE(sb.run({"job", "run", "many"}).exit_code == 0);
        auto all = sb.json({"job", "history"});
        REQUIRE(all.size() == 20);
        CHECK(all[0]["execution_id"] == 22);
        CHECK(all[19]["execution_id"] == 3);
    }

    TEST_CASE("job history refusals") {
        KnownHistory h;
        auto bad_since = h.sb.run({"job", "history", "--since", "yesterday-ish"});
        CHECK(bad_since.exit_code == 2);
        check_error_line(bad_since, "--since");
        auto bad_status = h.sb.run({"job", "history", "--status", "finished"});
        CHECK(bad_status.exit_code == 2);
        check_error_line(bad_status, "--status");
        auto unknown = h.sb.run({"job", "history", "no-such-job"});
        CHECK(unknown.exit_code == 3);
        check_error_line(unknown, "no-such-job");
        CHECK(h.sb.run({"job", "history", "--format", "prometheus"}).exit_code == 2);
    }

    TEST_CASE("job history csv has a header of the execution keys and a row each") {
        KnownHistory h;
        auto r = h.sb.run({"job", "history", "--format", "csv"});
        REQUIRE(r.exit_code == 0);
        std::string header;
        for (const auto& k : k_execution_keys)
            header += (header.empty() ? "" : ",") + k;
        CHECK(r.out.rfind(header + "\r\n", 0) == 0);
        CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 6);
        auto second = r.out.substr(r.out.find("\r\n") + 2);
        CHECK(second.rfind("5,", 0) == 0);
    }

    TEST_CASE("job output refuses an unknown or malformed execution id") {
        Sandbox sb;
        sb.ok({"job", "create", "one", "--command", "true"});
        REQUIRE(sb.run({"job", "run", "one"}).exit_code == 0);
        auto missing = sb.run({"job", "output", "999999"});
        CHECK(missing.exit_code == 3);
        check_error_line(missing, "999999");
        auto malformed = sb.run({"job", "output", "abc"});
        CHECK(malformed.exit_code == 2);
        check_error_line(malformed, "abc");
        CHECK(sb.run({"job", "output", "1"}).exit_code == 0);
    }

    TEST_CASE("job stats for one job counts outcomes with rate durations trend and errors") {
        KnownHistory h;
        auto s = h.sb.json({"job", "stats", "flaky"});
        CHECK(keys_of(s) == as_set(k_stats_keys));
        CHECK(s["name"] == "flaky");
        CHECK(s["job_id"] == h.sb.json({"job", "show", "flaky"})["job_id"]);
        CHECK(s["total_executions"] == 4);
        CHECK(s["successful_executions"] == 3);
        CHECK(s["failed_executions"] == 1);
        CHECK(s["timed_out_executions"] == 0);
        CHECK(s["cancelled_executions"] == 0);
        CHECK(s["lost_executions"] == 0);
        CHECK(s["skipped_executions"] == 0);
        CHECK(s["running_executions"] == 0);
        CHECK(s["success_rate"].get<double>() == doctest::Approx(0.75));

        // Durations: nearest rank over the four runs' recorded durations.
        std::vector<double> d;
        for (const auto& e : h.sb.json({"job", "history", "flaky"}))
            d.push_back(e["duration_seconds"].get<double>());
        REQUIRE(d.size() == 4);
        std::sort(d.begin(), d.end());
        double sum = d[0] + d[1] + d[2] + d[3];
        auto approx = [](double v) { return doctest::Approx(v).epsilon(0.001).scale(1); };
        CHECK(s["min_duration_seconds"].get<double>() == approx(d[0]));
        CHECK(s["max_duration_seconds"].get<double>() == approx(d[3]));
        CHECK(s["p50_duration_seconds"].get<double>() == approx(d[1]));
        CHECK(s["p95_duration_seconds"].get<double>() == approx(d[3]));
        CHECK(s["p99_duration_seconds"].get<double>() == approx(d[3]));
        CHECK(s["average_duration_seconds"].get<double>() == approx(sum / 4));

        auto newest = h.sb.json({"job", "history", "flaky", "--limit", "1"})[0];
        CHECK(s["last_execution"] == newest["start_time"]);
        CHECK(s["next_execution"].is_null());

        REQUIRE(s["trend"].is_object());
        CHECK(keys_of(s["trend"]) == std::set<std::string>{"last_7_days", "previous_7_days"});
        const auto& last = s["trend"]["last_7_days"];
        const auto& previous = s["trend"]["previous_7_days"];
        for (const auto* w : {&last, &previous})
            CHECK(keys_of(*w) ==
                  std::set<std::string>{"runs", "success_rate", "average_duration_seconds"});
        CHECK(last["runs"] == 3);
        CHECK(last["success_rate"].get<double>() == doctest::Approx(1.0));
        CHECK(previous["runs"] == 1);
        CHECK(previous["success_rate"].get<double>() == doctest::Approx(0.0));
        CHECK(previous["average_duration_seconds"].is_number());

        CHECK(s["top_errors"] == json::array({{{"error", "exit code 7"}, {"count", 1}}}));

        auto other = h.sb.json({"job", "stats", "other"});
        CHECK(other["success_rate"].get<double>() == doctest::Approx(1.0));
        CHECK(other["top_errors"] == json::array());
        CHECK(other["next_execution"] == "2026-01-15T12:00:00+00:00");

        CHECK(h.sb.run({"job", "stats", "no-such-job"}).exit_code == 3);
    }

    TEST_CASE("a run that just ended counts in the last 7 days of the trend") {
        // `job run` then `job stats` within the same second, as a script does.
        Sandbox sb;
        sb.ok({"job", "create", "now", "--command", "true"});
        REQUIRE(sb.run({"job", "run", "now"}).exit_code == 0);
        auto s = sb.json({"job", "stats", "now"});
        CHECK(s["total_executions"] == 1);
        CHECK(s["trend"]["last_7_days"]["runs"] == 1);
        CHECK(s["trend"]["last_7_days"]["success_rate"] == 1.0);
        CHECK(s["trend"]["previous_7_days"]["runs"] == 0);
    }

    TEST_CASE("job stats success_rate is null when nothing has ended") {
        Sandbox sb;
        sb.ok({"job", "create", "fresh", "--command", "true"});
        auto s = sb.json({"job", "stats", "fresh"});
        CHECK(s["total_executions"] == 0);
        CHECK(s["success_rate"].is_null());
        CHECK(s["average_duration_seconds"].is_null());
        CHECK(s["p50_duration_seconds"].is_null());
        CHECK(s["last_execution"].is_null());
    }

    TEST_CASE("job stats without a job has a summary and a line per job") {
        KnownHistory h;
        h.sb.ok({"job", "create", "idle", "--command", "true", "--disabled"});
        auto all = h.sb.json({"job", "stats"});
        CHECK(keys_of(all) == std::set<std::string>{"summary", "jobs"});
        const auto& summary = all["summary"];
        CHECK(keys_of(summary) == as_set(k_summary_keys));
        CHECK(summary["jobs"] == 3);
        CHECK(summary["enabled"] == 2);
        CHECK(summary["paused"] == 1);
        CHECK(summary["finished"] == 0);
        CHECK(summary["running"] == 0);
        // Today (since midnight UTC): runs 2-5, all completed.
        CHECK(summary["today"]["completed"] == 4);
        CHECK(summary["today"]["failed"] == 0);
        CHECK(summary["jobs_by_task_type"] == json({{"command", 3}}));
        REQUIRE(summary["next_runs"].is_array());
        REQUIRE(summary["next_runs"].size() == 1);
        CHECK(summary["next_runs"][0]["name"] == "other");
        CHECK(summary["next_runs"][0]["next_execution"] == "2026-01-15T12:00:00+00:00");

        REQUIRE(all["jobs"].is_array());
        REQUIRE(all["jobs"].size() == 3);
        std::set<std::string> names;
        for (const auto& j : all["jobs"]) {
            CHECK(keys_of(j) == as_set(k_stats_keys));
            names.insert(j["name"].get<std::string>());
            if (j["name"] == "flaky")
                CHECK(j["total_executions"] == 4);
        }
        CHECK(names == std::set<std::string>{"flaky", "other", "idle"});
    }

    TEST_CASE("job stats counts skips apart: not as runs, never as the last run") {
        // "skips" has only skip records; "mixed" ran once by hand, then
        // had three missed fires folded into one skip record.
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
        for (const char* name : {"skips", "mixed"})
            sb.ok({"job", "create", name, "--command", "true", "--cron", "0 * * * *", "--catchup",
                   "none"});
        run_at(sb, "2026-01-15T10:05:00Z", "mixed", 0);
        sb.env["SCHEDULE_NOW"] = "2026-01-15T13:30:00Z";
        REQUIRE(sb.run({"tick"}).exit_code == 0);
        REQUIRE(sb.json({"job", "history", "skips"}).size() == 1);

        auto skips = sb.json({"job", "stats", "skips"});
        CHECK(skips["total_executions"] == 0);
        CHECK(skips["skipped_executions"] == 3);
        CHECK(skips["last_execution"].is_null());
        auto mixed = sb.json({"job", "stats", "mixed"});
        CHECK(mixed["total_executions"] == 1);
        CHECK(mixed["skipped_executions"] == 3);
        CHECK(mixed["last_execution"] == "2026-01-15T10:05:00+00:00");

        auto table = sb.ok({"job", "stats", "skips"});
        INFO("table: " << table);
        CHECK(table.find("Runs:             0 (0 completed, 0 failed), 3 skipped\n") !=
              std::string::npos);
        CHECK(table.find("Last run:         -\n") != std::string::npos);
        CHECK(sb.ok({"job", "stats", "mixed"}).find("Last run:         2026-01-15 10:05") !=
              std::string::npos);

        // The all-jobs table: RUNS counts runs only, LAST is a run's start.
        auto all = sb.ok({"job", "stats"});
        INFO("all: " << all);
        bool skips_line = false, mixed_line = false;
        std::istringstream lines(all);
        for (std::string line; std::getline(lines, line);) {
            std::istringstream words(line);
            std::string name, runs, ok, failed, success, p50, p95, last;
            words >> name >> runs >> ok >> failed >> success >> p50 >> p95 >> last;
            if (name == "skips") {
                skips_line = true;
                CHECK(runs == "0");
                CHECK(last == "-");
            }
            if (name == "mixed") {
                mixed_line = true;
                CHECK(runs == "1");
                CHECK(last == "2026-01-15");
            }
        }
        CHECK(skips_line);
        CHECK(mixed_line);
        auto all_json = sb.json({"job", "stats"});
        for (const auto& j : all_json["jobs"])
            CHECK(j["total_executions"] == (j["name"] == "mixed" ? 1 : 0));

        // Prometheus: skips have their own counter; no last run for "skips".
        auto text = sb.ok({"job", "stats", "--format", "prometheus"});
        INFO("prometheus: " << text);
        for (const auto& j : {skips, mixed})
            CHECK(text.find("schedule_job_executions_total{job_id=\"" +
                            j["job_id"].get<std::string>() + "\",job=\"" +
                            j["name"].get<std::string>() + "\",status=\"skipped\"}") ==
                  std::string::npos);
        CHECK(text.find("# TYPE schedule_job_skipped_total counter\n") != std::string::npos);
        CHECK(text.find("schedule_job_skipped_total{job_id=\"" +
                        skips["job_id"].get<std::string>() + "\",job=\"skips\"} 3\n") !=
              std::string::npos);
        CHECK(text.find("schedule_job_last_execution_timestamp_seconds{job_id=\"" +
                        skips["job_id"].get<std::string>()) == std::string::npos);
        CHECK(text.find("schedule_job_last_execution_timestamp_seconds{job_id=\"" +
                        mixed["job_id"].get<std::string>() + "\",job=\"mixed\"} 1768471500\n") !=
              std::string::npos);
    }

    TEST_CASE("job stats in Prometheus text and no csv") {
        KnownHistory h;
        std::string id = h.sb.json({"job", "show", "flaky"})["job_id"];
        auto one = h.sb.ok({"job", "stats", "flaky", "--format", "prometheus"});
        CHECK(one.find("# TYPE schedule_job_executions_total counter\n") != std::string::npos);
        CHECK(one.find("schedule_job_executions_total{job_id=\"" + id +
                       "\",job=\"flaky\",status=\"completed\"} 3\n") != std::string::npos);
        CHECK(one.find("schedule_job_executions_total{job_id=\"" + id +
                       "\",job=\"flaky\",status=\"failed\"} 1\n") != std::string::npos);
        CHECK(one.find("schedule_job_success_ratio{job_id=\"" + id + "\",job=\"flaky\"} 0.75\n") !=
              std::string::npos);

        auto all = h.sb.ok({"job", "stats", "--format", "prometheus"});
        CHECK(all.find("# TYPE schedule_job_executions_total counter\n") != std::string::npos);
        CHECK(all.find("job=\"other\",status=\"completed\"} 1\n") != std::string::npos);
        CHECK(all.find("schedule_executions_today{status=\"completed\"} 4\n") != std::string::npos);

        auto csv = h.sb.run({"job", "stats", "--format", "csv"});
        CHECK(csv.exit_code == 2);
        check_error_line(csv, "--format");
        CHECK(csv.out == "");
    }
}
