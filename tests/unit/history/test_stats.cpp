// history::job_stats, nearest_rank, error_label and summarize (schedule(1):
// `job stats`, the Stats object) over hand-made histories with known
// answers.

#include "../support/time_helpers.hpp"

#include <schedule/history/stats.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace schedule;
using model::ExecutionStatus;
using schedule::test::utc;

namespace {

const time::Instant k_now = utc(2026, 3, 15, 12, 0, 0);

// A run of `status` that started at `start` and took `ms`.
model::Execution run(std::int64_t id, ExecutionStatus status, std::optional<std::int64_t> ms,
                     time::Instant start = k_now - std::chrono::hours{1}) {
    model::Execution e;
    e.id = id;
    e.job_id = "0a1b2c3d";
    e.job_name = "backup";
    e.job_timezone = "UTC";
    e.status = status;
    e.duration_ms = ms;
    e.created_at = start;
    e.start_time = start;
    if (ms)
        e.end_time = start + std::chrono::seconds{*ms / 1000};
    return e;
}

model::Execution completed(std::int64_t id, std::int64_t ms,
                           time::Instant start = k_now - std::chrono::hours{1}) {
    return run(id, ExecutionStatus::completed, ms, start);
}

model::Execution skipped(std::int64_t id, std::optional<std::int64_t> count,
                         time::Instant created = k_now - std::chrono::hours{1}) {
    model::Execution e;
    e.id = id;
    e.status = ExecutionStatus::skipped;
    e.reason = model::SkipReason::overlap;
    e.skipped_count = count;
    e.created_at = created;
    return e;
}

model::Execution failed_with(std::int64_t id, std::optional<std::string> error,
                             std::optional<int> exit_code = std::nullopt,
                             std::optional<int> signal = std::nullopt) {
    auto e = run(id, ExecutionStatus::failed, 1000);
    e.error = std::move(error);
    e.exit_code = exit_code;
    e.signal = signal;
    return e;
}

model::Job job(std::string id, std::string name, std::optional<time::Instant> next,
               bool enabled = true) {
    model::Job j;
    j.id = std::move(id);
    j.name = std::move(name);
    j.timezone = "UTC";
    j.command = "true";
    j.enabled = enabled;
    j.status = enabled ? model::JobStatus::active : model::JobStatus::paused;
    j.next_execution = next;
    return j;
}

std::int64_t today_count(const history::Summary& s, const std::string& status) {
    for (const auto& [name, n] : s.today)
        if (name == status)
            return n;
    FAIL("no status " << status << " in today");
    return -1;
}

} // namespace

TEST_SUITE("history::stats") {

    TEST_CASE("nearest-rank percentiles of 1 to 100 seconds") {
        // given durations 1 s .. 100 s recorded in reverse order
        std::vector<model::Execution> history;
        for (int i = 100; i >= 1; --i)
            history.push_back(completed(101 - i, i * 1000));

        // when
        auto s = history::job_stats(history, k_now);

        // then rank ceil(p/100 * n) gives the value p itself
        const auto& d = s.durations;
        CHECK(d.count == 100);
        CHECK(d.p50_seconds == 50.0);
        CHECK(d.p95_seconds == 95.0);
        CHECK(d.p99_seconds == 99.0);
        CHECK(d.min_seconds == 1.0);
        CHECK(d.max_seconds == 100.0);
        CHECK(d.average_seconds == doctest::Approx(50.5));
    }

    TEST_CASE("nearest-rank percentiles of small samples") {
        SUBCASE("given nothing, every percentile is absent") {
            CHECK_FALSE(history::nearest_rank({}, 50).has_value());
            auto s = history::job_stats({}, k_now);
            CHECK(s.durations.count == 0);
            CHECK_FALSE(s.durations.average_seconds.has_value());
            CHECK_FALSE(s.durations.min_seconds.has_value());
            CHECK_FALSE(s.durations.p99_seconds.has_value());
        }
        SUBCASE("given one value, every percentile is that value") {
            auto s = history::job_stats({completed(1, 2500)}, k_now);
            CHECK(s.durations.p50_seconds == 2.5);
            CHECK(s.durations.p95_seconds == 2.5);
            CHECK(s.durations.p99_seconds == 2.5);
            CHECK(s.durations.min_seconds == 2.5);
            CHECK(s.durations.max_seconds == 2.5);
        }
        SUBCASE("given two values, p50 is the lower and p95 the upper") {
            auto s = history::job_stats({completed(1, 2000), completed(2, 1000)}, k_now);
            CHECK(s.durations.p50_seconds == 1.0); // rank ceil(1.0) = 1
            CHECK(s.durations.p95_seconds == 2.0); // rank ceil(1.9) = 2
            CHECK(s.durations.p99_seconds == 2.0);
            CHECK(s.durations.average_seconds == 1.5);
        }
        SUBCASE("given an odd count, p50 is the middle value") {
            std::vector<double> sorted = {1, 2, 3, 4, 5};
            CHECK(history::nearest_rank(sorted, 50) == 3.0); // ceil(2.5) = 3
            CHECK(history::nearest_rank(sorted, 95) == 5.0); // ceil(4.75) = 5
            CHECK(history::nearest_rank(sorted, 20) == 1.0); // exactly rank 1
            CHECK(history::nearest_rank(sorted, 21) == 2.0); // just past it
            CHECK(history::nearest_rank(sorted, 100) == 5.0);
        }
        SUBCASE("given ten values, p95 and p99 are the largest and p50 the fifth") {
            std::vector<double> sorted;
            for (int i = 1; i <= 10; ++i)
                sorted.push_back(i * 0.1);
            CHECK(history::nearest_rank(sorted, 50) == doctest::Approx(0.5));
            CHECK(history::nearest_rank(sorted, 95) == doctest::Approx(1.0));
            CHECK(history::nearest_rank(sorted, 90) == doctest::Approx(0.9));
        }
    }

    TEST_CASE("durations cover completed, failed and timed out runs only") {
        // given runs of every kind, all with a duration, and one without
        std::vector<model::Execution> history = {
            run(1, ExecutionStatus::completed, 1000),
            run(2, ExecutionStatus::failed, 2000),
            run(3, ExecutionStatus::timed_out, 3000),
            run(4, ExecutionStatus::lost, 90000),
            run(5, ExecutionStatus::cancelled, 80000),
            run(6, ExecutionStatus::running, 70000),
            run(7, ExecutionStatus::completed, std::nullopt),
        };

        // when
        auto s = history::job_stats(history, k_now);

        // then only 1 s, 2 s and 3 s count
        CHECK(s.durations.count == 3);
        CHECK(s.durations.max_seconds == 3.0);
        CHECK(s.durations.average_seconds == 2.0);
        CHECK(s.durations.p99_seconds == 3.0);
    }

    TEST_CASE("success rate counts lost runs and leaves out cancelled and skipped ones") {
        SUBCASE("given 3 completed, a failure of each kind, cancelled and skipped records") {
            std::vector<model::Execution> history = {
                completed(1, 1000),
                completed(2, 1000),
                completed(3, 1000),
                run(4, ExecutionStatus::failed, 1000),
                run(5, ExecutionStatus::timed_out, 1000),
                run(6, ExecutionStatus::lost, std::nullopt),
                run(7, ExecutionStatus::cancelled, 1000),
                run(8, ExecutionStatus::cancelled, 1000),
                skipped(9, 4),
                run(10, ExecutionStatus::running, std::nullopt),
                run(11, ExecutionStatus::queued, std::nullopt),
            };
            auto s = history::job_stats(history, k_now);
            REQUIRE(s.success_rate.has_value());
            CHECK(*s.success_rate == 0.5); // 3 / (3 + 1 + 1 + 1)
            CHECK(s.total == 10);          // every record but the skip
            CHECK(s.completed == 3);
            CHECK(s.failed == 1);
            CHECK(s.timed_out == 1);
            CHECK(s.lost == 1);
            CHECK(s.cancelled == 2);
            CHECK(s.skipped == 4);
            CHECK(s.running == 2);
        }
        SUBCASE("given only completed runs, the rate is 1") {
            auto s = history::job_stats({completed(1, 10), completed(2, 20)}, k_now);
            CHECK(s.success_rate == 1.0);
        }
        SUBCASE("given nothing that ended, the rate is null") {
            std::vector<model::Execution> history = {
                run(1, ExecutionStatus::cancelled, 1000),
                skipped(2, 1),
                run(3, ExecutionStatus::running, std::nullopt),
            };
            auto s = history::job_stats(history, k_now);
            CHECK_FALSE(s.success_rate.has_value());
            CHECK(s.total == 2);
        }
        SUBCASE("given no history at all, the rate is null and nothing is counted") {
            auto s = history::job_stats({}, k_now);
            CHECK_FALSE(s.success_rate.has_value());
            CHECK(s.total == 0);
            CHECK_FALSE(s.last_execution.has_value());
            CHECK(s.top_errors.empty());
        }
    }

    TEST_CASE("skipped records count their skipped_count, one when unset, and are not runs") {
        // given three skipped records standing for 3, 1 and 2 runs
        std::vector<model::Execution> history = {skipped(1, 3), skipped(2, std::nullopt),
                                                 skipped(3, 2)};
        // when
        auto s = history::job_stats(history, k_now);
        // then
        CHECK(s.skipped == 6);
        CHECK(s.total == 0);
        CHECK_FALSE(s.success_rate.has_value());
        CHECK_FALSE(s.last_execution.has_value());
    }

    TEST_CASE("skipped runs add up to at most 2^53 - 1") {
        // given more skip records at the bound than an int64 can sum
        std::vector<model::Execution> history;
        for (std::int64_t id = 1; id <= 2000; ++id)
            history.push_back(skipped(id, model::k_max_count, k_now - std::chrono::minutes{id}));
        // when
        auto s = history::job_stats(history, k_now);
        auto summary = history::summarize({}, history, k_now - std::chrono::hours{48});
        // then
        CHECK(s.skipped == model::k_max_count);
        for (const auto& [status, count] : summary.today)
            CHECK(count == (status == "skipped" ? model::k_max_count : 0));
    }

    TEST_CASE("trend windows are the last 7 days up to now and the 7 before") {
        using std::chrono::days;
        using std::chrono::seconds;
        const auto week = days{7};

        SUBCASE("given runs on and around each boundary") {
            std::vector<model::Execution> history = {
                completed(1, 1000, k_now),                                 // now: last week
                run(2, ExecutionStatus::failed, 2000, k_now - seconds{1}), // last week
                completed(3, 4000, k_now - week + seconds{1}),     // last week, first second
                completed(4, 6000, k_now - week),                  // previous week, last second
                completed(5, 8000, k_now - 2 * week + seconds{1}), // previous week, first second
                completed(6, 9000, k_now - 2 * week),              // too old
            };
            auto s = history::job_stats(history, k_now);

            CHECK(s.trend.last_7_days.runs == 3);
            CHECK(s.trend.last_7_days.success_rate == doctest::Approx(2.0 / 3.0));
            CHECK(s.trend.last_7_days.average_duration_seconds == doctest::Approx(7.0 / 3.0));

            CHECK(s.trend.previous_7_days.runs == 2);
            CHECK(s.trend.previous_7_days.success_rate == 1.0);
            CHECK(s.trend.previous_7_days.average_duration_seconds == 7.0);
        }
        SUBCASE("given a lost run without a start, its end time places it") {
            model::Execution lost;
            lost.id = 1;
            lost.status = ExecutionStatus::lost;
            lost.created_at = k_now - week - days{1}; // would be the previous week
            lost.end_time = k_now - days{1};          // but ended last week
            auto s = history::job_stats({lost}, k_now);
            CHECK(s.trend.last_7_days.runs == 1);
            CHECK(s.trend.last_7_days.success_rate == 0.0);
            CHECK_FALSE(s.trend.last_7_days.average_duration_seconds.has_value());
            CHECK(s.trend.previous_7_days.runs == 0);
        }
        SUBCASE("given a failure that never started, created_at places it") {
            model::Execution never;
            never.id = 1;
            never.status = ExecutionStatus::failed;
            never.error = "no handler for task type: x";
            never.created_at = k_now - week - days{2};
            auto s = history::job_stats({never}, k_now);
            CHECK(s.trend.last_7_days.runs == 0);
            CHECK(s.trend.previous_7_days.runs == 1);
        }
        SUBCASE("given only cancelled and skipped records, both windows are empty") {
            auto s = history::job_stats(
                {run(1, ExecutionStatus::cancelled, 1000, k_now - days{1}), skipped(2, 5)}, k_now);
            CHECK(s.trend.last_7_days.runs == 0);
            CHECK_FALSE(s.trend.last_7_days.success_rate.has_value());
            CHECK_FALSE(s.trend.last_7_days.average_duration_seconds.has_value());
        }
    }

    TEST_CASE("error labels name each kind of failure") {
        CHECK(history::error_label(run(1, ExecutionStatus::timed_out, 1000)) == "timed out");
        CHECK(history::error_label(run(1, ExecutionStatus::lost, std::nullopt)) == "lost");
        CHECK(history::error_label(failed_with(1, "no handler for task type: x", 1)) ==
              "no handler for task type: x");
        CHECK(history::error_label(failed_with(1, std::nullopt, std::nullopt, 9)) == "signal 9");
        CHECK(history::error_label(failed_with(1, std::nullopt, 2)) == "exit code 2");
        CHECK_FALSE(history::error_label(completed(1, 1000)).has_value());
        CHECK_FALSE(history::error_label(run(1, ExecutionStatus::cancelled, 1000)).has_value());
        CHECK_FALSE(history::error_label(skipped(1, 1)).has_value());
    }

    TEST_CASE("top errors: at most five, most frequent first, ties alphabetical") {
        // given 3x exit code 1, 2x timed out, 2x lost, and one each of four others
        std::vector<model::Execution> history;
        std::int64_t id = 0;
        for (int i = 0; i < 3; ++i)
            history.push_back(failed_with(++id, std::nullopt, 1));
        for (int i = 0; i < 2; ++i) {
            history.push_back(run(++id, ExecutionStatus::timed_out, 5000));
            history.push_back(run(++id, ExecutionStatus::lost, std::nullopt));
        }
        history.push_back(failed_with(++id, "zzz"));
        history.push_back(failed_with(++id, "cannot run as nobody"));
        history.push_back(failed_with(++id, std::nullopt, std::nullopt, 15));
        history.push_back(failed_with(++id, std::nullopt, 127));
        history.push_back(completed(++id, 1000));

        // when
        auto s = history::job_stats(history, k_now);

        // then
        REQUIRE(s.top_errors.size() == 5);
        CHECK(s.top_errors[0].error == "exit code 1");
        CHECK(s.top_errors[0].count == 3);
        CHECK(s.top_errors[1].error == "lost");
        CHECK(s.top_errors[1].count == 2);
        CHECK(s.top_errors[2].error == "timed out");
        CHECK(s.top_errors[2].count == 2);
        CHECK(s.top_errors[3].error == "cannot run as nobody");
        CHECK(s.top_errors[3].count == 1);
        CHECK(s.top_errors[4].error == "exit code 127");
    }

    TEST_CASE("the last execution is the start of the newest run by id that started") {
        SUBCASE("given an older run with a later start, the newer id still wins") {
            auto a = completed(7, 1000, k_now - std::chrono::hours{1});
            auto b = completed(3, 1000, k_now - std::chrono::minutes{5});
            auto s = history::job_stats({a, b}, k_now);
            CHECK(s.last_execution == k_now - std::chrono::hours{1});
        }
        SUBCASE("given a newer skip record, it is not a run: the run before it is the last") {
            auto s = history::job_stats(
                {completed(1, 1000), skipped(2, 1, k_now - std::chrono::minutes{2})}, k_now);
            CHECK(s.last_execution == k_now - std::chrono::hours{1});
        }
        SUBCASE("given a newer run that never started, the started one is the last") {
            auto queued = run(2, ExecutionStatus::queued, std::nullopt);
            queued.start_time.reset();
            auto s = history::job_stats({completed(1, 1000), queued}, k_now);
            CHECK(s.last_execution == k_now - std::chrono::hours{1});
        }
    }

    TEST_CASE("summarize counts jobs, today's executions and the next runs") {
        const auto day_start = utc(2026, 3, 15);
        using std::chrono::minutes;

        SUBCASE("given jobs that are enabled, paused and finished, of two task types") {
            auto a = job("aaaaaaa1", "a", k_now + minutes{5});
            auto b = job("aaaaaaa2", "b", std::nullopt, false);
            auto c = job("aaaaaaa3", "c", std::nullopt);
            c.status = model::JobStatus::finished;
            auto d = job("aaaaaaa4", "d", k_now + minutes{1});
            d.command.reset();
            d.task_type = "backup";
            auto s = history::summarize({a, b, c, d}, {}, day_start);

            CHECK(s.jobs == 4);
            CHECK(s.enabled == 3);
            CHECK(s.paused == 1);
            CHECK(s.finished == 1);
            REQUIRE(s.jobs_by_task_type.size() == 2);
            CHECK(s.jobs_by_task_type[0] == std::pair<std::string, std::int64_t>{"backup", 1});
            CHECK(s.jobs_by_task_type[1] == std::pair<std::string, std::int64_t>{"command", 3});
            REQUIRE(s.next_runs.size() == 2);
            CHECK(s.next_runs[0].name == "d");
            CHECK(s.next_runs[1].name == "a");
            CHECK(s.next_runs[1].at == k_now + minutes{5});
            CHECK(s.next_runs[1].job_id == "aaaaaaa1");
        }
        SUBCASE("given twelve enabled jobs and a paused one, ten runs soonest first then by name") {
            std::vector<model::Job> jobs;
            // names run against the order of instants; two pairs share one
            for (int i = 0; i < 12; ++i)
                jobs.push_back(job("bbbbbb" + std::to_string(10 + i),
                                   "job" + std::to_string(20 - i), k_now + minutes{i / 2}));
            jobs.push_back(job("cccccccc", "paused", k_now, false));
            auto s = history::summarize(jobs, {}, day_start);

            REQUIRE(s.next_runs.size() == 10);
            CHECK(s.next_runs[0].name == "job19"); // "job19" < "job20" at the same minute
            CHECK(s.next_runs[1].name == "job20");
            CHECK(s.next_runs[2].name == "job17");
            CHECK(s.next_runs[9].name == "job12");
            for (std::size_t i = 1; i < s.next_runs.size(); ++i)
                CHECK(s.next_runs[i - 1].at <= s.next_runs[i].at);
        }
        SUBCASE("given executions of today and an old one still running") {
            auto old_running =
                run(1, ExecutionStatus::running, std::nullopt, day_start - std::chrono::hours{2});
            std::vector<model::Execution> recent = {
                old_running,
                completed(2, 1000),
                completed(3, 1000),
                run(4, ExecutionStatus::failed, 1000),
                run(5, ExecutionStatus::running, std::nullopt),
                skipped(6, 3),
                skipped(7, std::nullopt),
            };
            auto s = history::summarize({}, recent, day_start);

            CHECK(s.running == 2);
            REQUIRE(s.today.size() == 9);
            CHECK(s.today[0].first == "queued");
            CHECK(s.today[8].first == "lost");
            CHECK(today_count(s, "completed") == 2);
            CHECK(today_count(s, "failed") == 1);
            CHECK(today_count(s, "running") == 1); // the old one is not today's
            CHECK(today_count(s, "skipped") == 4);
            CHECK(today_count(s, "timed_out") == 0);
            CHECK(today_count(s, "queued") == 0);
        }
        SUBCASE("given nothing, every count is zero") {
            auto s = history::summarize({}, {}, day_start);
            CHECK(s.jobs == 0);
            CHECK(s.running == 0);
            CHECK(s.today.size() == 9);
            CHECK(s.jobs_by_task_type.empty());
            CHECK(s.next_runs.empty());
        }
    }
}
