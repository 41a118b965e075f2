// format:: executions and statistics as tables, JSON, CSV and Prometheus
// text (`job history`, `job output`, `job stats`).

#include "../support/time_helpers.hpp"

#include <schedule/format/executions.hpp>
#include <schedule/history/stats.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

using namespace schedule;
using model::ExecutionStatus;
using schedule::test::utc;
using json = nlohmann::ordered_json;

namespace {

const time::Instant k_now = utc(2026, 1, 15, 12, 0, 0); // winter: Berlin is +01:00

format::Style style(bool utc_flag = false) {
    format::Style s;
    s.utc = utc_flag;
    s.now = k_now;
    s.default_zone = time::Zone::utc();
    return s;
}

model::Execution finished_run() {
    model::Execution e;
    e.id = 42;
    e.job_id = "0a1b2c3d";
    e.job_name = "backup";
    e.job_timezone = "Europe/Berlin";
    e.trigger = model::ExecutionTrigger::retry;
    e.attempt = 2;
    e.status = ExecutionStatus::failed;
    e.scheduled_for = utc(2026, 1, 15, 9, 0, 0);
    e.start_time = utc(2026, 1, 15, 9, 0, 1);
    e.end_time = utc(2026, 1, 15, 9, 0, 3);
    e.duration_ms = 1500;
    e.exit_code = 3;
    e.host = "alpha";
    e.created_at = *e.scheduled_for;
    return e;
}

model::Execution skipped_record() {
    model::Execution e;
    e.id = 43;
    e.job_id = "0a1b2c3d";
    e.job_name = "backup";
    e.job_timezone = "Europe/Berlin";
    e.trigger = model::ExecutionTrigger::schedule;
    e.status = ExecutionStatus::skipped;
    e.reason = model::SkipReason::overlap;
    e.skipped_count = 3;
    e.scheduled_for = utc(2026, 1, 15, 10, 0, 0);
    e.created_at = *e.scheduled_for;
    return e;
}

model::Job job(std::string id, std::string name) {
    model::Job j;
    j.id = std::move(id);
    j.name = std::move(name);
    j.timezone = "Europe/Berlin";
    j.command = "true";
    j.next_execution = utc(2026, 1, 15, 13, 0, 0);
    return j;
}

// 7 completed runs of 1 s and one failure of 2 s ("exit code 1").
history::JobStats some_stats() {
    std::vector<model::Execution> history;
    for (int i = 1; i <= 7; ++i) {
        model::Execution e;
        e.id = i;
        e.status = ExecutionStatus::completed;
        e.start_time = k_now - std::chrono::hours{i};
        e.duration_ms = 1000;
        history.push_back(e);
    }
    model::Execution f;
    f.id = 8;
    f.status = ExecutionStatus::failed;
    f.start_time = k_now - std::chrono::minutes{30};
    f.duration_ms = 2000;
    f.exit_code = 1;
    history.push_back(f);
    return history::job_stats(history, k_now);
}

std::vector<std::string> keys(const json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it)
        out.push_back(it.key());
    return out;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

std::vector<std::string> split_ws(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::size_t occurrences(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = haystack.find(needle); pos != std::string::npos;
         pos = haystack.find(needle, pos + 1))
        ++n;
    return n;
}

} // namespace

TEST_SUITE("format::executions") {

    TEST_CASE("duration text picks units by size") {
        CHECK(format::duration_text(std::nullopt) == "-");
        CHECK(format::duration_text(0) == "0ms");
        CHECK(format::duration_text(850) == "850ms");
        CHECK(format::duration_text(999) == "999ms");
        CHECK(format::duration_text(1000) == "1s");
        CHECK(format::duration_text(1500) == "1.5s");
        CHECK(format::duration_text(1949) == "1.9s");
        CHECK(format::duration_text(1950) == "2s");
        CHECK(format::duration_text(59949) == "59.9s");
        CHECK(format::duration_text(59950) == "1m00s"); // not "60.0s"
        CHECK(format::duration_text(60000) == "1m00s");
        CHECK(format::duration_text(123000) == "2m03s");
        CHECK(format::duration_text(123499) == "2m03s");
        CHECK(format::duration_text(123500) == "2m04s");
        CHECK(format::duration_text(3599499) == "59m59s");
        CHECK(format::duration_text(3599500) == "1h00m");
        CHECK(format::duration_text(3600000) == "1h00m");
        CHECK(format::duration_text(3720000) == "1h02m");
        CHECK(format::duration_text(3749999) == "1h02m");
        CHECK(format::duration_text(-5) == "0ms");
        CHECK(format::duration_text(30 * 3600000LL) == "30h00m");
    }

    TEST_CASE("history JSON has the execution keys in order, in the job's zone") {
        SUBCASE("given a failed retry in Europe/Berlin") {
            auto text = format::history_json({finished_run()}, style());
            auto a = json::parse(text);
            REQUIRE(a.is_array());
            REQUIRE(a.size() == 1);
            const auto& j = a[0];
            CHECK(keys(j) == std::vector<std::string>{"execution_id", "job_id", "job_name",
                                                      "trigger", "attempt", "scheduled_for",
                                                      "start_time", "end_time", "duration_seconds",
                                                      "status", "exit_code", "signal", "reason",
                                                      "skipped_count", "error", "host"});
            CHECK(j["execution_id"] == 42);
            CHECK(j["job_id"] == "0a1b2c3d");
            CHECK(j["job_name"] == "backup");
            CHECK(j["trigger"] == "retry");
            CHECK(j["attempt"] == 2);
            CHECK(j["scheduled_for"] == "2026-01-15T10:00:00+01:00");
            CHECK(j["start_time"] == "2026-01-15T10:00:01+01:00");
            CHECK(j["end_time"] == "2026-01-15T10:00:03+01:00");
            CHECK(j["duration_seconds"] == 1.5);
            CHECK(j["status"] == "failed");
            CHECK(j["exit_code"] == 3);
            CHECK(j["signal"].is_null());
            CHECK(j["reason"].is_null());
            CHECK(j["skipped_count"].is_null());
            CHECK(j["error"].is_null());
            CHECK(j["host"] == "alpha");
        }
        SUBCASE("given --utc, instants end in Z") {
            auto j = json::parse(format::history_json({finished_run()}, style(true)))[0];
            CHECK(j["scheduled_for"] == "2026-01-15T09:00:00Z");
        }
        SUBCASE("given a zone that does not exist, instants fall back to UTC") {
            auto e = finished_run();
            e.job_timezone = "Nowhere/Land";
            auto j = json::parse(format::history_json({e}, style()))[0];
            CHECK(j["scheduled_for"] == "2026-01-15T09:00:00+00:00");
        }
        SUBCASE("given a skipped record, what it lacks is null") {
            auto j = json::parse(format::history_json({skipped_record()}, style()))[0];
            CHECK(j["status"] == "skipped");
            CHECK(j["reason"] == "overlap");
            CHECK(j["skipped_count"] == 3);
            CHECK(j["start_time"].is_null());
            CHECK(j["end_time"].is_null());
            CHECK(j["duration_seconds"].is_null());
            CHECK(j["exit_code"].is_null());
            CHECK(j["host"].is_null());
        }
        SUBCASE("given two executions, one object per line") {
            auto text = format::history_json({finished_run(), skipped_record()}, style());
            CHECK(occurrences(text, "\n") == 4);
            CHECK(json::parse(text).size() == 2);
        }
        SUBCASE("given none, an empty array") {
            CHECK(format::history_json({}, style()) == "[]\n");
        }
    }

    TEST_CASE("every status and trigger name round-trips through JSON") {
        for (int i = 0; i <= static_cast<int>(ExecutionStatus::lost); ++i) {
            auto e = finished_run();
            e.status = static_cast<ExecutionStatus>(i);
            auto j = json::parse(format::history_json({e}, style()))[0];
            CHECK(model::parse_execution_status(j["status"].get<std::string>()) == e.status);
        }
        for (int i = 0; i <= static_cast<int>(model::ExecutionTrigger::reboot); ++i) {
            auto e = finished_run();
            e.trigger = static_cast<model::ExecutionTrigger>(i);
            auto j = json::parse(format::history_json({e}, style()))[0];
            CHECK(model::parse_execution_trigger(j["trigger"].get<std::string>()) == e.trigger);
        }
        CHECK(model::to_string(ExecutionStatus::timed_out) == "timed_out");
        CHECK_FALSE(model::parse_execution_status("timed out").has_value());
        CHECK_FALSE(model::parse_execution_trigger("cron").has_value());
        CHECK(model::is_final(ExecutionStatus::skipped));
        CHECK_FALSE(model::is_final(ExecutionStatus::waiting));
        CHECK(model::is_failure(ExecutionStatus::lost));
        CHECK_FALSE(model::is_failure(ExecutionStatus::cancelled));
    }

    TEST_CASE("invalid UTF-8 in job data never makes JSON output throw") {
        // given an error text and captured output that are not UTF-8
        auto e = finished_run();
        e.error = std::string("bad \xff\xfe byte");
        e.job_name = std::string("n\xc3");
        model::CapturedOutput out{std::string("ok\xff\n"), 4, false};
        model::CapturedOutput err{"", 0, false};

        SUBCASE("when rendered as history JSON, the bytes become U+FFFD") {
            std::string text;
            CHECK_NOTHROW(text = format::history_json({e}, style()));
            auto j = json::parse(text)[0];
            CHECK(j["error"] == "bad \xef\xbf\xbd\xef\xbf\xbd byte");
        }
        SUBCASE("when rendered as job output JSON, the streams keep their figures") {
            std::string text;
            CHECK_NOTHROW(text = format::output_json(e, out, err, style()));
            auto j = json::parse(text);
            CHECK(j["execution_id"] == 42);
            CHECK(j["stdout"]["data"] == "ok\xef\xbf\xbd\n");
            CHECK(j["stdout"]["total_bytes"] == 4);
            CHECK(j["stdout"]["truncated"] == false);
            CHECK(keys(j["stderr"]) ==
                  std::vector<std::string>{"data", "total_bytes", "truncated"});
            CHECK(keys(j).back() == "stderr");
        }
        SUBCASE("when the stats carry such an error, stats JSON parses") {
            auto s = some_stats();
            s.top_errors.push_back({std::string("\xff"), 1});
            std::string text;
            CHECK_NOTHROW(text = format::job_stats_json(job("0a1b2c3d", "backup"), s, style()));
            CHECK_NOTHROW(json::parse(text));
        }
    }

    TEST_CASE("history CSV has a header of the JSON keys and quotes where needed") {
        auto e = finished_run();
        e.error = "said \"no\", twice";
        auto csv = format::history_csv({e, skipped_record()}, style());
        CHECK(csv.rfind("execution_id,job_id,job_name,trigger,attempt,scheduled_for,start_time,"
                        "end_time,duration_seconds,status,exit_code,signal,reason,skipped_count,"
                        "error,host\r\n",
                        0) == 0);
        CHECK(contains(csv, "42,0a1b2c3d,backup,retry,2,2026-01-15T10:00:00+01:00,"));
        CHECK(contains(csv, ",1.5,failed,3,,,,\"said \"\"no\"\", twice\",alpha\r\n"));
        CHECK(contains(csv, ",skipped,,,overlap,3,,\r\n"));
        CHECK(occurrences(csv, "\r\n") == 3);
    }

    TEST_CASE("the history table shows one row per execution") {
        auto e = finished_run();
        auto killed = finished_run();
        killed.id = 44;
        killed.exit_code.reset();
        killed.signal = 15;
        auto text = format::history_table({e, skipped_record(), killed}, style());
        auto first_line = text.substr(0, text.find('\n'));
        // the columns in the documented order, padded by the widest cell
        CHECK(first_line.rfind("ID  JOB     TRIGGER   ATTEMPT  SCHEDULED ", 0) == 0);
        CHECK(split_ws(first_line) == std::vector<std::string>{"ID", "JOB", "TRIGGER", "ATTEMPT",
                                                               "SCHEDULED", "STARTED", "DURATION",
                                                               "STATUS", "EXIT"});
        CHECK(first_line.find("STARTED") - first_line.find("SCHEDULED") ==
              std::string("2026-01-15 10:00 CET (3h ago)  ").size());
        CHECK(occurrences(text, "\n") == 4);
        CHECK(contains(text, "2026-01-15 10:00 CET (3h ago)"));
        CHECK(contains(text, "1.5s"));
        CHECK(contains(text, "failed   3\n"));
        CHECK(contains(text, "overlap (3)\n"));
        CHECK(contains(text, "SIGTERM\n"));
    }

    TEST_CASE("job stats JSON has the stats keys in order, rounded") {
        // given 2 completed runs of 1 s and 2 s and one timed out run of 2 s
        std::vector<model::Execution> history;
        const std::int64_t ms[] = {1000, 2000, 2000};
        for (int i = 0; i < 3; ++i) {
            model::Execution e;
            e.id = i + 1;
            e.status = i < 2 ? ExecutionStatus::completed : ExecutionStatus::timed_out;
            e.start_time = k_now - std::chrono::hours{i + 1};
            e.duration_ms = ms[i];
            history.push_back(e);
        }
        auto s = history::job_stats(history, k_now);
        auto j = json::parse(format::job_stats_json(job("0a1b2c3d", "backup"), s, style()));

        // then
        CHECK(keys(j) == std::vector<std::string>{"job_id",
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
                                                  "top_errors"});
        CHECK(j["total_executions"] == 3);
        CHECK(j["successful_executions"] == 2);
        CHECK(j["timed_out_executions"] == 1);
        CHECK(j["success_rate"] == 0.6667);
        CHECK(j["average_duration_seconds"] == 1.667);
        CHECK(j["min_duration_seconds"] == 1.0);
        CHECK(j["p50_duration_seconds"] == 2.0);
        CHECK(j["last_execution"] == "2026-01-15T10:00:00+01:00"); // id 3 started 3 h ago
        CHECK(j["next_execution"] == "2026-01-15T14:00:00+01:00");
        CHECK(keys(j["trend"]) == std::vector<std::string>{"last_7_days", "previous_7_days"});
        CHECK(keys(j["trend"]["last_7_days"]) ==
              std::vector<std::string>{"runs", "success_rate", "average_duration_seconds"});
        CHECK(j["trend"]["last_7_days"]["runs"] == 3);
        CHECK(j["trend"]["previous_7_days"]["success_rate"].is_null());
        REQUIRE(j["top_errors"].size() == 1);
        CHECK(j["top_errors"][0] == json{{"error", "timed out"}, {"count", 1}});
    }

    TEST_CASE("job stats JSON is null where nothing is known") {
        auto j = json::parse(format::job_stats_json(job("0a1b2c3d", "backup"),
                                                    history::job_stats({}, k_now), style()));
        for (const char* key : {"success_rate", "average_duration_seconds", "min_duration_seconds",
                                "max_duration_seconds", "p50_duration_seconds",
                                "p95_duration_seconds", "p99_duration_seconds", "last_execution"})
            CHECK_MESSAGE(j[key].is_null(), key);
        CHECK(j["top_errors"] == json::array());
        CHECK(j["total_executions"] == 0);
    }

    TEST_CASE("the job stats table says what a person wants to know") {
        auto text = format::job_stats_table(job("0a1b2c3d", "backup"), some_stats(), style());
        CHECK(contains(text, "Success rate:     87.5% (7 of 8)\n"));
        CHECK(contains(text, "avg 1.1s  min 1s  p50 1s  p95 2s  p99 2s  max 2s\n"));
        CHECK(contains(text, "Last 7 days:      8 runs, 87.5% ok, avg 1.1s\n"));
        CHECK(contains(text, "Previous 7 days:  no runs\n"));
        CHECK(contains(text, "Next run:         2026-01-15 14:00 CET (in 1h)\n"));
        CHECK(contains(text, "Top errors:\n  1x  exit code 1\n"));
    }

    TEST_CASE("on a terminal the job stats table draws the recent runs") {
        model::RecentRuns recent;
        recent["0a1b2c3d"] = {{ExecutionStatus::completed, 1000},
                              {ExecutionStatus::failed, 2000},
                              {ExecutionStatus::skipped, std::nullopt},
                              {ExecutionStatus::completed, 1000}};
        auto plain = format::job_stats_table(job("0a1b2c3d", "backup"), some_stats(), style());
        auto s = style();
        SUBCASE("without colour: the plain characters") {
            auto text =
                format::job_stats_table(job("0a1b2c3d", "backup"), some_stats(), s, &recent);
            CHECK(contains(text, "\nDuration:          avg 1.1s  min 1s  p50 1s  p95 2s  p99 2s  "
                                 "max 2s\n"
                                 "Recent runs:       +x-+\n"
                                 "Recent durations:  \u2581\u2588 \u2581  min 1s  max 2s\n"
                                 "Last 7 days:  "));
            // the rest is the table as it is off a terminal, its keys wider
            CHECK(occurrences(text, "\n") == occurrences(plain, "\n") + 2);
        }
        SUBCASE("with colour: dots in the status colours") {
            s.color = true;
            auto text =
                format::job_stats_table(job("0a1b2c3d", "backup"), some_stats(), s, &recent);
            CHECK(contains(text,
                           "\033[1mRecent runs:\033[0m       \033[32m\u25cf\033[0m"
                           "\033[31m\u25cf\033[0m\033[2m\u25cf\033[0m\033[32m\u25cf\033[0m\n"));
            CHECK(contains(text, "\033[1mRecent durations:\033[0m  \u2581\u2588 \u2581  min 1s  "
                                 "max 2s\n"));
        }
        SUBCASE("without runs: a dash on each line") {
            model::RecentRuns none;
            auto text = format::job_stats_table(job("0a1b2c3d", "backup"), some_stats(), s, &none);
            CHECK(contains(text, "\nRecent runs:       -\nRecent durations:  -\n"));
        }
        SUBCASE("off a terminal: neither line") {
            CHECK(!contains(plain, "Recent"));
            CHECK(contains(plain, "\nDuration:         avg 1.1s"));
        }
    }

    TEST_CASE("store-wide stats as JSON, a table and Prometheus text") {
        // given two jobs, one without history, and a summary of them
        auto a = job("0a1b2c3d", "backup");
        auto b = job("11111111", "say \"hi\"\\now\n");
        b.next_execution.reset();
        b.task_type = "report";
        b.command.reset();
        format::JobStatsList list = {{a, some_stats()}, {b, history::job_stats({}, k_now)}};
        std::vector<model::Execution> recent;
        model::Execution running;
        running.status = ExecutionStatus::running;
        running.created_at = k_now;
        recent.push_back(running);
        auto summary = history::summarize({a, b}, recent, utc(2026, 1, 15));

        SUBCASE("when rendered as JSON") {
            auto j = json::parse(format::stats_json(summary, list, style()));
            CHECK(keys(j) == std::vector<std::string>{"summary", "jobs"});
            CHECK(keys(j["summary"]) == std::vector<std::string>{"jobs", "enabled", "paused",
                                                                 "finished", "running", "today",
                                                                 "jobs_by_task_type", "next_runs"});
            CHECK(j["summary"]["jobs"] == 2);
            CHECK(j["summary"]["running"] == 1);
            CHECK(j["summary"]["today"]["running"] == 1);
            CHECK(j["summary"]["today"]["completed"] == 0);
            CHECK(j["summary"]["jobs_by_task_type"] == json{{"command", 1}, {"report", 1}});
            REQUIRE(j["summary"]["next_runs"].size() == 1);
            CHECK(j["summary"]["next_runs"][0] ==
                  json{{"job_id", "0a1b2c3d"},
                       {"name", "backup"},
                       {"next_execution", "2026-01-15T14:00:00+01:00"}});
            REQUIRE(j["jobs"].size() == 2);
            CHECK(j["jobs"][0]["success_rate"] == 0.875);
            CHECK(j["jobs"][1]["next_execution"].is_null());
        }
        SUBCASE("when rendered as a table") {
            auto text = format::stats_table(summary, list, style());
            CHECK(contains(text, "Jobs:        2 (2 enabled, 0 paused, 0 finished)\n"));
            CHECK(contains(text, "Today:       1 running\n"));
            CHECK(contains(text, "Task types:  command 1, report 1\n"));
            CHECK(contains(text, "Next runs:\n  2026-01-15 14:00 CET (in 1h)  backup\n"));
            CHECK(contains(text, "NAME  "));
            CHECK(contains(text, "  RUNS  OK  FAILED  SUCCESS  P50  P95  LAST"));
            CHECK(contains(text, "87.5%"));
            CHECK(contains(text, "say \"hi\"\\now\\n  ")); // escaped, one line
        }
        SUBCASE("when rendered as Prometheus text") {
            auto text = format::stats_prometheus(&summary, list);
            CHECK(text.back() == '\n');
            for (const char* family :
                 {"schedule_jobs", "schedule_executions_running", "schedule_executions_today",
                  "schedule_job_executions_total", "schedule_job_skipped_total",
                  "schedule_job_executions_running", "schedule_job_success_ratio",
                  "schedule_job_duration_seconds", "schedule_job_last_execution_timestamp_seconds",
                  "schedule_job_next_execution_timestamp_seconds"}) {
                CHECK_MESSAGE(occurrences(text, std::string("# HELP ") + family + " ") == 1,
                              family);
                CHECK_MESSAGE(occurrences(text, std::string("# TYPE ") + family + " ") == 1,
                              family);
            }
            CHECK(contains(text, "# TYPE schedule_job_executions_total counter\n"));
            CHECK(contains(text, "# TYPE schedule_job_duration_seconds summary\n"));
            CHECK(contains(text, "schedule_jobs{state=\"enabled\"} 2\n"));
            CHECK(contains(text, "schedule_executions_running 1\n"));
            CHECK(contains(text, "schedule_executions_today{status=\"timed_out\"} 0\n"));
            CHECK(contains(text, "schedule_job_executions_total{job_id=\"0a1b2c3d\",job=\"backup\","
                                 "status=\"completed\"} 7\n"));
            CHECK(contains(text, "schedule_job_success_ratio{job_id=\"0a1b2c3d\",job=\"backup\"} "
                                 "0.875\n"));
            CHECK(contains(text, "schedule_job_duration_seconds{job_id=\"0a1b2c3d\",job=\"backup\","
                                 "quantile=\"0.95\"} 2\n"));
            CHECK(contains(text, "schedule_job_duration_seconds_sum{job_id=\"0a1b2c3d\",job="
                                 "\"backup\"} 9\n"));
            CHECK(contains(text, "schedule_job_duration_seconds_count{job_id=\"0a1b2c3d\",job="
                                 "\"backup\"} 8\n"));
            CHECK(contains(text, "schedule_job_next_execution_timestamp_seconds{job_id="
                                 "\"0a1b2c3d\",job=\"backup\"} 1768482000\n"));
            // the second job: its name escaped, its unknown figures left out
            const std::string b_labels = "{job_id=\"11111111\",job=\"say \\\"hi\\\"\\\\now\\n\"";
            CHECK(contains(text,
                           "schedule_job_executions_total" + b_labels + ",status=\"lost\"} 0\n"));
            CHECK_FALSE(contains(text, "schedule_job_success_ratio" + b_labels));
            CHECK_FALSE(contains(text, "schedule_job_next_execution_timestamp_seconds" + b_labels));
            CHECK_FALSE(contains(text, "schedule_job_duration_seconds" + b_labels + ",quantile"));
            CHECK(contains(text, "schedule_job_duration_seconds_count" + b_labels + "} 0\n"));
        }
        SUBCASE("when rendered as Prometheus text without a summary") {
            auto text = format::stats_prometheus(nullptr, list);
            CHECK_FALSE(contains(text, "schedule_jobs{"));
            CHECK_FALSE(contains(text, "schedule_executions_today"));
            CHECK(contains(text, "# TYPE schedule_job_success_ratio gauge\n"));
        }
    }
}
