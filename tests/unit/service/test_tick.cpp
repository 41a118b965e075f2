// service::tick end to end in one process (STYLE habit 8): a real store in
// a temporary directory, a fixed clock that the test moves a minute at a
// time (habit 7), a fake process runner that scripts each job's exit code
// and run time, and a fake launcher whose supervisor is service::supervise
// called inline, so claim -> supervise -> record -> retry -> follow-on work
// all happen here.

#include "../support/context.hpp"
#include "../support/fake_host.hpp"
#include "../support/store_to_run.hpp"
#include "../support/temp_dir.hpp"
#include "../support/time_helpers.hpp"
#include "../support/watchdog.hpp"

#include <schedule/exec/launcher.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/service/tick.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

using namespace schedule;
using schedule::test::TempDir;
using schedule::test::utc;
using Status = model::ExecutionStatus;
using Trigger = model::ExecutionTrigger;
using Instants = std::vector<time::Instant>;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

// Lines of text, which doctest prints in full when a check fails.
struct Lines : std::vector<std::string> {
    using std::vector<std::string>::vector;
};
std::ostream& operator<<(std::ostream& os, const Lines& lines) {
    os << "{";
    for (std::size_t i = 0; i < lines.size(); ++i)
        os << (i ? ", \"" : "\"") << lines[i] << "\"";
    return os << "}";
}

using schedule::test::Watchdog;

using schedule::test::FakeHost;

// The pid of a fake run's main process: its "process group" lives on the
// fake host while the run runs.
constexpr std::int64_t k_fake_pid_base = 20000;

std::string env_value(const exec::RunSpec& spec, const std::string& name) {
    for (const auto& v : spec.env)
        if (v.starts_with(name + "="))
            return v.substr(name.size() + 1);
    return {};
}

// A ProcessRunner that runs nothing. Each run takes the run time scripted
// for its job (SCHEDULE_JOB_NAME; default 0s) on the fixed clock and exits
// with the scripted code (default 0). wait_for() moves the clock to the end
// of the earliest run, or by its limit when that comes first; with nothing
// running it moves the clock by the limit (the supervisor sleeping until a
// run's not_before).
class FakeRunner final : public exec::ProcessRunner {
public:
    FakeRunner(time::FixedClock& clock, FakeHost& host) : m_clock(clock), m_host(host) {}

    std::map<std::string, int> exit_codes;
    std::map<std::string, time::Duration> run_times;
    std::vector<exec::RunSpec> specs; // every run it was asked to start, in order
    std::size_t max_active = 0;       // the most runs active at once

    std::optional<exec::Started> start(exec::RunId id, const exec::RunSpec& spec) override {
        specs.push_back(spec);
        // A hook is scripted as "hook:JOB".
        auto name = (env_value(spec, "SCHEDULE_HOOK").empty() ? "" : "hook:") +
                    env_value(spec, "SCHEDULE_JOB_NAME");
        auto run_time = run_times.count(name) ? run_times.at(name) : time::Duration{0};
        m_active.push_back({id, name, m_clock.now(), m_clock.now() + run_time});
        max_active = std::max(max_active, m_active.size());
        m_host.alive.insert({k_fake_pid_base + id, 1});
        return exec::Started{k_fake_pid_base + id, 1};
    }

    std::vector<exec::Finished> wait_for(std::optional<std::chrono::milliseconds> limit) override {
        REQUIRE(++m_waits < 1'000'000); // a supervisor that never stops
        std::optional<time::Duration> step;
        if (limit)
            step = std::chrono::ceil<seconds>(*limit);
        if (m_active.empty()) {
            if (step)
                m_clock.advance(*step);
            return {};
        }
        auto first =
            std::min_element(m_active.begin(), m_active.end(), [](const Run& a, const Run& b) {
                return a.end < b.end;
            })->end;
        if (step && m_clock.now() + *step < first) {
            m_clock.advance(*step);
            return {};
        }
        if (first > m_clock.now())
            m_clock.set(first);
        std::vector<exec::Finished> out;
        for (auto it = m_active.begin(); it != m_active.end();) {
            if (it->end > m_clock.now()) {
                ++it;
                continue;
            }
            exec::Finished f;
            f.id = it->id;
            f.result.outcome = exec::Outcome::exited;
            f.result.exit_code = exit_codes.count(it->name) ? exit_codes.at(it->name) : 0;
            f.result.duration =
                std::chrono::duration_cast<std::chrono::milliseconds>(it->end - it->start);
            out.push_back(std::move(f));
            m_host.alive.erase({k_fake_pid_base + it->id, 1});
            it = m_active.erase(it);
        }
        return out;
    }

    void cancel(exec::RunId, int) override {}
    std::size_t active() const override { return m_active.size(); }
    int interrupted_by() const override { return 0; }

    // The job names of the runs started, in order.
    Lines started() const {
        Lines out;
        for (const auto& s : specs)
            out.push_back(env_value(s, "SCHEDULE_JOB_NAME"));
        return out;
    }

private:
    struct Run {
        exec::RunId id;
        std::string name;
        time::Instant start;
        time::Instant end;
    };
    time::FixedClock& m_clock;
    FakeHost& m_host;
    std::vector<Run> m_active;
    std::int64_t m_waits = 0;
};

// A Launcher whose supervisor is this process (the fake host's `me`):
// start() names it, release() runs service::supervise inline with the fake
// runner.
class FakeLauncher final : public exec::Launcher {
public:
    FakeLauncher(FakeRunner& runner, FakeHost& host) : m_runner(runner), m_host(host) {}
    service::Context* ctx = nullptr;
    int starts = 0;

    exec::SupervisorId start() override {
        ++starts;
        m_pending = true;
        return self();
    }
    void release() override {
        if (!m_pending)
            return;
        m_pending = false;
        REQUIRE(ctx);
        service::supervise(*ctx, m_runner);
    }

    exec::SupervisorId self() const { return {m_host.me.pid, m_host.me.start}; }

private:
    FakeRunner& m_runner;
    FakeHost& m_host;
    bool m_pending = false;
};

// Quiets the service's per-fire log lines for the duration of a test.
struct QuietLog {
    spdlog::level::level_enum before = spdlog::get_level();
    QuietLog() { spdlog::set_level(spdlog::level::off); }
    ~QuietLog() { spdlog::set_level(before); }
    QuietLog(const QuietLog&) = delete;
    QuietLog& operator=(const QuietLog&) = delete;
};

using schedule::test::Config;

struct Fixture {
    Watchdog watchdog;
    QuietLog quiet;
    TempDir tmp;
    store::Store store = schedule::test::store_to_run(tmp.path() / "s.db");
    time::FixedClock clock;
    FakeHost host;
    std::unique_ptr<service::Context> context;
    FakeRunner runner{clock, host};
    FakeLauncher launcher{runner, host};

    explicit Fixture(time::Instant start, const Config& config = {})
        : clock(start), context(schedule::test::context_with(store, clock, config, host)) {
        launcher.ctx = context.get();
    }

    service::Context& ctx() { return *context; }

    service::TickReport tick() { return service::tick(ctx(), launcher, service::TickMode::run); }

    // One minute passes, then cron runs `schedule tick`.
    service::TickReport minute() {
        clock.advance(minutes(1));
        return tick();
    }

    model::Job job(const std::string& name, const std::function<void(service::JobSpec&)>& change) {
        return schedule::test::new_job(ctx(), name, change);
    }

    model::Job reload(const model::Job& j) {
        auto found = store.find_job_by_id(j.id);
        REQUIRE(found);
        return *found;
    }

    // The job's executions, oldest first.
    std::vector<model::Execution> executions(const model::Job& j) {
        auto list = store.list_executions({.job_id = j.id});
        std::reverse(list.begin(), list.end());
        return list;
    }

    Instants scheduled(const model::Job& j) {
        Instants out;
        for (const auto& e : executions(j)) {
            REQUIRE(e.scheduled_for);
            out.push_back(*e.scheduled_for);
        }
        return out;
    }

    std::int64_t insert(const model::Execution& e) {
        auto tx = store.begin_write();
        auto id = store.insert_execution(tx, e);
        tx.commit();
        return id;
    }

    std::vector<model::Event> events_of_type(const std::string& type) {
        std::vector<model::Event> out;
        for (const auto& e : store.list_events())
            if (e.type == type)
                out.push_back(e);
        return out;
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string iso(time::Instant t) {
    return time::format_iso_utc(t);
}

Lines iso_all(const Instants& list) {
    Lines out;
    for (auto t : list)
        out.push_back(iso(t));
    return out;
}

// "TRIGGER ATTEMPT STATUS SCHEDULED_FOR" per execution.
Lines summary(const std::vector<model::Execution>& list) {
    Lines out;
    for (const auto& e : list)
        out.push_back(std::string(model::to_string(e.trigger)) + " " + std::to_string(e.attempt) +
                      " " + std::string(model::to_string(e.status)) + " " +
                      (e.scheduled_for ? iso(*e.scheduled_for) : "-") +
                      (e.status == Status::skipped
                           ? " " + model::reason_text(e).value_or("?") + " x" +
                                 std::to_string(e.skipped_count.value_or(0))
                           : ""));
    return out;
}

// A supervisor that is gone: no process of the fake host has its pid.
exec::SupervisorId dead_process() {
    return {31337, 99};
}

} // namespace

TEST_SUITE("service::tick") {

    TEST_CASE("a week of ticks fires every job at exactly its fire times") {
        // Tuesday 2026-03-24 10:00 UTC to Tuesday 2026-03-31 10:00 UTC; Berlin
        // moves to summer time on Sunday 29 (01:00 UTC), New York already has.
        const auto start = utc(2026, 3, 24, 10);
        Fixture f(start);
        // every 15 minutes of real time, through Berlin's skipped hour too
        auto quarter = f.job("quarter", [](service::JobSpec& s) {
            s.cron = "*/15 * * * *";
            s.timezone = "Europe/Berlin";
        });
        // a fixed time that falls in Berlin's gap on Sunday: once, right after it
        auto gap = f.job("gap", [](service::JobSpec& s) {
            s.cron = "30 2 * * *";
            s.timezone = "Europe/Berlin";
        });
        auto berlin = f.job("berlin", [](service::JobSpec& s) {
            s.cron = "0 9 * * 1-5";
            s.timezone = "Europe/Berlin";
        });
        auto every = f.job("every-90m", [](service::JobSpec& s) { s.every = "90m"; });
        auto daily = f.job("daily", [](service::JobSpec& s) {
            s.cron = "@daily";
            s.timezone = "America/New_York";
        });
        auto jittered = f.job("jittered", [](service::JobSpec& s) {
            s.cron = "0 * * * *";
            s.jitter = "10m";
        });

        // A tick in the creation minute too, as cron would run one: a jitter
        // offset under a minute puts the first fire in that minute.
        f.tick();
        const int ticks = 7 * 24 * 60;
        for (int i = 0; i < ticks; ++i)
            f.minute();
        // the last tick was in the minute of start + 7d: fires before its end were due
        REQUIRE(time::floor_minute(f.clock.now()) == start + hours(7 * 24));
        const auto horizon = start + hours(7 * 24) + minutes(1);

        Instants want_quarter;
        for (auto t = start + minutes(15); t < horizon; t += minutes(15))
            want_quarter.push_back(t);
        Instants want_every;
        for (auto t = start + minutes(90); t < horizon; t += minutes(90))
            want_every.push_back(t);
        // 09:00 in Berlin on weekdays: CET (UTC+1) until Friday, CEST (UTC+2) after
        const Instants want_berlin = {utc(2026, 3, 25, 8), utc(2026, 3, 26, 8), utc(2026, 3, 27, 8),
                                      utc(2026, 3, 30, 7), utc(2026, 3, 31, 7)};
        // 02:30 in Berlin: 01:30 UTC in winter time, 03:00 CEST (01:00 UTC) on the
        // day of the change, 00:30 UTC in summer time
        const Instants want_gap = {utc(2026, 3, 25, 1, 30), utc(2026, 3, 26, 1, 30),
                                   utc(2026, 3, 27, 1, 30), utc(2026, 3, 28, 1, 30),
                                   utc(2026, 3, 29, 1, 0),  utc(2026, 3, 30, 0, 30),
                                   utc(2026, 3, 31, 0, 30)};
        // midnight in New York, EDT (UTC-4)
        Instants want_daily;
        for (unsigned d = 25; d <= 31; ++d)
            want_daily.push_back(utc(2026, 3, d, 4));
        // the hours, each run delayed by the job's stable offset in [0, 10m)
        const auto offset = model::jitter_offset(jittered.id, minutes(10));
        REQUIRE(offset >= seconds(0));
        REQUIRE(offset < minutes(10));
        Instants want_jittered;
        for (auto h = start - hours(1); h < horizon; h += hours(1))
            if (h + offset > start && h + offset < horizon)
                want_jittered.push_back(h);

        CHECK(want_quarter.size() == 672);
        CHECK(want_every.size() == 112);
        CHECK(iso_all(f.scheduled(quarter)) == iso_all(want_quarter));
        CHECK(iso_all(f.scheduled(berlin)) == iso_all(want_berlin));
        CHECK(iso_all(f.scheduled(every)) == iso_all(want_every));
        CHECK(iso_all(f.scheduled(daily)) == iso_all(want_daily));
        CHECK(iso_all(f.scheduled(gap)) == iso_all(want_gap));
        CHECK(iso_all(f.scheduled(jittered)) == iso_all(want_jittered));

        // every run was a regular, completed run that started in the minute it was due
        std::size_t total = 0;
        for (const auto& j : {quarter, gap, berlin, every, daily, jittered}) {
            CAPTURE(j.name);
            for (const auto& e : f.executions(j)) {
                CAPTURE(iso(*e.scheduled_for));
                CHECK(e.status == Status::completed);
                CHECK(e.trigger == Trigger::schedule);
                CHECK(e.attempt == 1);
                REQUIRE(e.start_time);
                REQUIRE(e.not_before);
                CHECK(*e.start_time >= *e.not_before);
                CHECK(*e.start_time < time::floor_minute(*e.not_before) + minutes(1));
                ++total;
            }
        }
        // the jittered runs waited for their offset: the supervisor slept until then
        for (const auto& e : f.executions(jittered)) {
            CHECK(*e.not_before == *e.scheduled_for + offset);
            CHECK(*e.start_time == *e.not_before);
        }
        CHECK(f.runner.specs.size() == total);
        CHECK(f.store.list_executions({.status = Status::skipped}).empty());
        CHECK(f.store.active_executions().empty());

        // and each job's next run is its first fire after the week
        CHECK(f.reload(quarter).next_execution == start + hours(7 * 24) + minutes(15));
        CHECK(f.reload(berlin).next_execution == utc(2026, 4, 1, 7));
        CHECK(f.reload(every).next_execution == want_every.back() + minutes(90));
        CHECK(f.reload(daily).next_execution == utc(2026, 4, 1, 4));
        CHECK(f.reload(gap).next_execution == utc(2026, 4, 1, 0, 30));
        CHECK(f.reload(jittered).next_execution == want_jittered.back() + hours(1) + offset);
        CHECK(f.reload(quarter).execution_count == 672);
        CHECK(f.reload(quarter).scheduled_count == 672);
    }

    TEST_CASE("a host that was down for three hours catches up by its policy") {
        // An hourly job whose runs take 5 minutes ran at 11:00; the host was
        // then down until 14:30, missing 12:00, 13:00 and 14:00.
        auto given = [](Fixture& f, const char* policy) {
            f.runner.run_times["hourly"] = minutes(5);
            auto j = f.job("hourly", [&](service::JobSpec& s) {
                s.cron = "0 * * * *";
                s.catchup = policy;
            });
            f.minute(); // 11:00
            REQUIRE(f.scheduled(j) == Instants{utc(2026, 1, 15, 11)});
            f.clock.set(utc(2026, 1, 15, 14, 30));
            return j;
        };

        SUBCASE("latest: one catch-up run for the newest instant and one coalesced skip") {
            Fixture f(utc(2026, 1, 15, 10, 59));
            auto j = given(f, "latest");
            auto report = f.tick();
            CHECK(report.plan.fired() == 1);
            CHECK(report.plan.skipped() == 2);
            auto list = f.executions(j);
            // (the claim writes runs before skip records)
            CHECK(summary(list) == Lines{"schedule 1 completed 2026-01-15T11:00:00Z",
                                         "catchup 1 completed 2026-01-15T14:00:00Z",
                                         "schedule 1 skipped 2026-01-15T12:00:00Z coalesced x2"});
            REQUIRE(list.size() == 3);
            CHECK(list[1].start_time == utc(2026, 1, 15, 14, 30));
            CHECK(f.reload(j).next_execution == utc(2026, 1, 15, 15));
        }
        SUBCASE("all: every missed instant runs, one after another") {
            Fixture f(utc(2026, 1, 15, 10, 59));
            auto j = given(f, "all");
            auto report = f.tick();
            CHECK(report.plan.fired() == 1);
            CHECK(report.plan.queued() == 2);
            CHECK(report.executions.size() == 3);
            auto list = f.executions(j);
            CHECK(summary(list) == Lines{"schedule 1 completed 2026-01-15T11:00:00Z",
                                         "catchup 1 completed 2026-01-15T12:00:00Z",
                                         "catchup 1 completed 2026-01-15T13:00:00Z",
                                         "catchup 1 completed 2026-01-15T14:00:00Z"});
            // the supervisor ran them in turn: each started when the one before ended
            REQUIRE(list.size() == 4);
            CHECK(list[1].start_time == utc(2026, 1, 15, 14, 30));
            for (std::size_t i = 2; i < list.size(); ++i) {
                REQUIRE(list[i].start_time);
                REQUIRE(list[i - 1].end_time);
                CHECK(*list[i].start_time == *list[i - 1].end_time);
            }
            CHECK(f.runner.max_active == 1);
            CHECK(f.launcher.starts == 2);
            CHECK(f.reload(j).next_execution == utc(2026, 1, 15, 15));
        }
        SUBCASE("none: nothing runs, one skip says how many were missed") {
            Fixture f(utc(2026, 1, 15, 10, 59));
            auto j = given(f, "none");
            auto report = f.tick();
            CHECK(report.plan.fired() == 0);
            CHECK(summary(f.executions(j)) ==
                  Lines{"schedule 1 completed 2026-01-15T11:00:00Z",
                        "schedule 1 skipped 2026-01-15T12:00:00Z coalesced x3"});
            CHECK(f.reload(j).next_execution == utc(2026, 1, 15, 15));
            SUBCASE("and the next hour fires as usual") {
                f.clock.set(utc(2026, 1, 15, 15));
                f.tick();
                CHECK(summary(f.executions(j)).back() ==
                      "schedule 1 completed 2026-01-15T15:00:00Z");
            }
        }
    }

    TEST_CASE("a failing job is retried with backoff until its attempts are used up") {
        // given two jobs that exit 3 after 10 seconds, with three attempts and an
        // exponential backoff from 60s; one retries only on exit code 4
        Fixture f(utc(2026, 1, 15, 9, 59));
        auto retry_policy = [](service::JobSpec& s) {
            s.cron = "0 * * * *";
            s.max_attempts = "3";
            s.retry_delay = "60s";
            s.backoff = "exponential";
        };
        auto flaky = f.job("flaky", retry_policy);
        auto picky = f.job("picky", [&](service::JobSpec& s) {
            retry_policy(s);
            s.retry_on = "exit:4";
        });
        for (const auto* name : {"flaky", "picky"}) {
            f.runner.exit_codes[name] = 3;
            f.runner.run_times[name] = seconds(10);
        }

        // when it ticks every minute for ten minutes
        for (int i = 0; i < 10; ++i)
            f.minute();

        // then: 10:00:00-10:00:10 failed; retry 60s after its end at 10:01:10,
        // which fails at 10:01:20; retry 120s later at 10:03:20; no fourth attempt
        auto list = f.executions(flaky);
        CHECK(summary(list) == Lines{"schedule 1 failed 2026-01-15T10:00:00Z",
                                     "retry 2 failed 2026-01-15T10:01:10Z",
                                     "retry 3 failed 2026-01-15T10:03:20Z"});
        REQUIRE(list.size() == 3);
        for (std::size_t i = 1; i < list.size(); ++i) {
            CAPTURE(i);
            REQUIRE(list[i - 1].end_time);
            const auto delay = seconds(60) * (1 << (i - 1));
            CHECK(list[i].not_before == *list[i - 1].end_time + delay);
            CHECK(list[i].scheduled_for == *list[i - 1].end_time + delay);
            CHECK(list[i].start_time == list[i].not_before);
            CHECK(list[i].parent_execution_id == list[i - 1].id);
            CHECK(list[i].exit_code == 3);
        }
        auto retrying = f.events_of_type(model::event_type::execution_retrying);
        REQUIRE(retrying.size() == 2);
        CHECK(retrying[0].execution_id == list[0].id);
        CHECK(retrying[1].execution_id == list[1].id);
        CHECK(contains(retrying[0].detail,
                       "\"retry_execution_id\":\"" + std::to_string(list[1].id) + "\""));
        CHECK(contains(retrying[1].detail, "\"retry_at\":\"2026-01-15T10:03:20Z\""));
        CHECK(retrying[0].job_name == std::optional<std::string>("flaky"));
        auto counted = f.reload(flaky);
        CHECK(counted.execution_count == 3);
        CHECK(counted.failure_count == 3);
        // the scheduled runs count what max_executions limits; retries do not
        CHECK(counted.scheduled_count == 1);

        // the runs told the job which attempt it was
        Lines attempts;
        for (const auto& s : f.runner.specs)
            if (env_value(s, "SCHEDULE_JOB_NAME") == "flaky")
                attempts.push_back(env_value(s, "SCHEDULE_TRIGGER") + " " +
                                   env_value(s, "SCHEDULE_ATTEMPT"));
        CHECK(attempts == Lines{"schedule 1", "retry 2", "retry 3"});

        // and the job that retries only exit code 4 ran once
        CHECK(summary(f.executions(picky)) == Lines{"schedule 1 failed 2026-01-15T10:00:00Z"});
        CHECK(f.store.active_executions().empty());
    }

    TEST_CASE(
        "max_workers bounds the runs at once and the supervisor starts the rest by priority") {
        // given max_workers 2 and five jobs due at 10:00 that run for a minute
        Fixture f(utc(2026, 1, 15, 9, 59), Config{{"max_workers", "2"}});
        REQUIRE(f.ctx().settings.max_workers == 2);
        const std::vector<std::pair<std::string, std::string>> jobs = {
            {"e", "10"}, {"b", "30"}, {"d", "50"}, {"a", "70"}, {"c", "90"}};
        std::map<std::string, model::Job> by_name;
        for (const auto& [name, priority] : jobs) {
            f.runner.run_times[name] = minutes(1);
            by_name[name] = f.job(name, [&](service::JobSpec& s) {
                s.cron = "0 * * * *";
                s.priority = priority;
            });
        }

        // when it ticks at 10:00
        auto report = f.minute();

        // then the tick started two and queued three
        CHECK(report.plan.fired() == 2);
        CHECK(report.plan.queued() == 3);
        CHECK(report.executions.size() == 5);
        Lines queued_reasons;
        for (const auto& r : report.plan.runs)
            if (!r.start)
                queued_reasons.push_back(std::string(model::to_string(r.wait)));
        CHECK(queued_reasons == Lines{"slot", "slot", "slot"});
        // and the supervisor ran all five, two at a time, highest priority first
        CHECK(f.runner.started() == Lines{"c", "a", "d", "b", "e"});
        CHECK(f.runner.max_active == 2);
        Lines started_at; // by name
        for (const auto& [name, job] : by_name) {
            auto list = f.executions(job);
            REQUIRE(list.size() == 1);
            CHECK(list[0].status == Status::completed);
            REQUIRE(list[0].start_time);
            started_at.push_back(name + " " + iso(*list[0].start_time));
        }
        CHECK(started_at == Lines{"a 2026-01-15T10:00:00Z", "b 2026-01-15T10:01:00Z",
                                  "c 2026-01-15T10:00:00Z", "d 2026-01-15T10:01:00Z",
                                  "e 2026-01-15T10:02:00Z"});
        CHECK(f.launcher.starts == 1);
        CHECK(f.store.active_executions().empty());
    }

    TEST_CASE("a lost run's hook goes to a supervisor that the tick starts for it") {
        Fixture f(utc(2026, 1, 15, 10), {{"notify.on_retry", "echo default retry"}});
        auto orphan = [&](const model::Job& job, int attempt) {
            model::Execution e;
            e.job_id = job.id;
            e.trigger = attempt > 1 ? Trigger::retry : Trigger::schedule;
            e.attempt = attempt;
            e.status = Status::running;
            e.scheduled_for = e.start_time = f.clock.now() - minutes(10);
            e.created_at = e.updated_at = *e.start_time;
            const auto dead = dead_process();
            e.supervisor_pid = dead.pid;
            e.supervisor_start = dead.start;
            e.boot_id = f.host.boot;
            return f.insert(e);
        };
        auto hooks = [&] {
            Lines out;
            for (const auto& spec : f.runner.specs)
                if (!env_value(spec, "SCHEDULE_HOOK").empty())
                    out.push_back(env_value(spec, "SCHEDULE_HOOK") + " " + spec.argv.back() + " " +
                                  env_value(spec, "SCHEDULE_EXECUTION_ID"));
            return out;
        };

        SUBCASE("given a job without hooks, no supervisor starts") {
            auto quiet = f.job("quiet", [](service::JobSpec& s) {
                s.cron = "0 3 * * *";
                s.no_notify = true;
                s.max_attempts = "2";
            });
            orphan(quiet, 1);
            CHECK(f.tick().plan.recovered() == 1);
            CHECK(f.launcher.starts == 0);
            CHECK(f.runner.specs.empty());
        }
        SUBCASE("given attempts left, the store's on-retry, then the job's on-failure") {
            auto job = f.job("nightly", [](service::JobSpec& s) {
                s.cron = "0 3 * * *";
                s.max_attempts = "2";
                s.on_failure = "echo failed";
            });
            f.runner.exit_codes["nightly"] = 1;
            const auto first = orphan(job, 1);
            auto report = f.tick();
            CHECK(report.plan.recovered() == 1);
            CHECK(report.plan.fired() == 0); // the retry waits for its delay
            CHECK(f.launcher.starts == 1);   // a supervisor for the hook alone
            CHECK(hooks() == Lines{"retry echo default retry " + std::to_string(first)});
            const auto& spec = f.runner.specs.back();
            REQUIRE(spec.stdin_data);
            CHECK(nlohmann::json::parse(*spec.stdin_data)["status"] == "lost");
            auto sent = f.events_of_type(model::event_type::notify_sent);
            REQUIRE(sent.size() == 1);
            CHECK(sent[0].execution_id == first);

            // The retry fails: no attempt is left, the job's own on-failure.
            f.minute();
            auto list = f.executions(job);
            REQUIRE(list.size() == 2);
            CHECK(list[1].status == Status::failed);
            CHECK(hooks() == Lines{"retry echo default retry " + std::to_string(first),
                                   "failure echo failed " + std::to_string(list[1].id)});
            CHECK(f.events_of_type(model::event_type::notify_sent).size() == 2);
            // Nothing is sent again.
            f.minute();
            CHECK(hooks().size() == 2);
        }
    }

    TEST_CASE("a run whose supervisor is gone is recovered as lost") {
        Fixture f(utc(2026, 1, 15, 10));
        auto job = f.job("nightly", [](service::JobSpec& s) {
            s.cron = "0 3 * * *";
            s.max_attempts = "2";
        });
        auto orphan = [&](exec::SupervisorId supervisor, const std::string& boot) {
            model::Execution e;
            e.job_id = job.id;
            e.trigger = Trigger::manual;
            e.status = Status::running;
            e.scheduled_for = e.start_time = f.clock.now() - minutes(10);
            e.created_at = e.updated_at = *e.start_time;
            e.supervisor_pid = supervisor.pid;
            e.supervisor_start = supervisor.start;
            e.boot_id = boot;
            return f.insert(e);
        };

        SUBCASE("given a dead supervisor in this boot, it is lost and retried") {
            auto id = orphan(dead_process(), f.host.boot);
            auto report = f.tick();
            CHECK(report.plan.recovered() == 1);
            auto lost = f.store.find_execution(id);
            REQUIRE(lost);
            CHECK(lost->status == Status::lost);
            CHECK(lost->end_time == f.clock.now());
            REQUIRE(lost->error);
            CHECK(contains(*lost->error, "is gone"));
            CHECK_FALSE(contains(*lost->error, "rebooted"));
            // what carries its ids is killed, its pid never written or not
            CHECK(f.host.marked == std::vector<std::vector<std::string>>{
                                       {"SCHEDULE_EXECUTION_ID=" + std::to_string(id),
                                        "SCHEDULE_JOB_ID=" + job.id}});
            auto lost_events = f.events_of_type(model::event_type::execution_lost);
            REQUIRE(lost_events.size() == 1);
            CHECK(lost_events[0].execution_id == id);
            CHECK(f.reload(job).failure_count == 1);

            // a retry waits for the retry delay
            auto list = f.executions(job);
            REQUIRE(list.size() == 2);
            const auto& retry = list[1];
            CHECK(retry.status == Status::queued);
            CHECK(retry.trigger == Trigger::retry);
            CHECK(retry.attempt == 2);
            CHECK(retry.parent_execution_id == id);
            CHECK(retry.not_before == utc(2026, 1, 15, 10, 1));
            auto retrying = f.events_of_type(model::event_type::execution_retrying);
            REQUIRE(retrying.size() == 1);
            CHECK(retrying[0].execution_id == id);
            CHECK(f.runner.specs.empty());

            // and the next tick runs it
            f.minute();
            auto ran = f.store.find_execution(retry.id);
            REQUIRE(ran);
            CHECK(ran->status == Status::completed);
            CHECK(ran->start_time == utc(2026, 1, 15, 10, 1));
            CHECK(f.runner.specs.size() == 1);
            // a later tick does not recover it again
            f.minute();
            CHECK(f.events_of_type(model::event_type::execution_lost).size() == 1);
        }
        SUBCASE("given a supervisor of an earlier boot, it is lost though the pid lives") {
            auto id = orphan(f.launcher.self(), "an-earlier-boot");
            auto report = f.tick();
            CHECK(report.plan.recovered() == 1);
            auto lost = f.store.find_execution(id);
            REQUIRE(lost);
            CHECK(lost->status == Status::lost);
            REQUIRE(lost->error);
            CHECK(contains(*lost->error, "(the host rebooted)"));
            CHECK(f.events_of_type(model::event_type::execution_lost).size() == 1);
            CHECK(f.host.marked.empty()); // the processes of another boot are gone
        }
        SUBCASE("given a live supervisor in this boot, nothing is recovered") {
            auto id = orphan(f.launcher.self(), f.host.boot);
            auto report = f.tick();
            CHECK(report.plan.recovered() == 0);
            CHECK(f.store.find_execution(id)->status == Status::running);
            CHECK(f.events_of_type(model::event_type::execution_lost).empty());
        }
        SUBCASE("given its job's process group still there, the group is killed first") {
            const FakeHost::Process job_process{5150, 777};
            f.host.alive.insert(job_process);
            auto id = orphan(dead_process(), f.host.boot);
            auto e = *f.store.find_execution(id);
            e.pid = job_process.first;
            e.process_start = job_process.second;
            auto tx = f.store.begin_write();
            f.store.update_execution(tx, e);
            tx.commit();
            f.tick();
            CHECK(f.store.find_execution(id)->status == Status::lost);
            CHECK(f.host.killed == std::vector<FakeHost::Process>{job_process});
            CHECK_FALSE(f.host.process_alive(job_process.first, job_process.second));
        }
        SUBCASE("given a run of an earlier boot, a process with its pid now is left alone") {
            const FakeHost::Process stranger{5150, 777};
            f.host.alive.insert(stranger);
            auto id = orphan(dead_process(), "an-earlier-boot");
            auto e = *f.store.find_execution(id);
            e.pid = stranger.first;
            e.process_start = stranger.second;
            auto tx = f.store.begin_write();
            f.store.update_execution(tx, e);
            tx.commit();
            f.tick();
            CHECK(f.store.find_execution(id)->status == Status::lost);
            CHECK(f.host.killed.empty());
            CHECK(f.host.process_alive(stranger.first, stranger.second));
        }
        SUBCASE("given a claimed run whose supervisor died before starting it, it runs") {
            auto dead = dead_process();
            model::Execution e;
            e.job_id = job.id;
            e.trigger = Trigger::manual;
            e.status = Status::queued;
            e.scheduled_for = e.created_at = e.updated_at = f.clock.now() - seconds(30);
            e.supervisor_pid = dead.pid;
            e.supervisor_start = dead.start;
            e.boot_id = f.host.boot;
            auto id = f.insert(e);
            auto report = f.tick();
            CHECK(report.plan.recovered() == 1);
            auto ran = f.store.find_execution(id);
            REQUIRE(ran);
            CHECK(ran->status == Status::completed);
            CHECK(ran->supervisor_pid == f.host.me.pid);
            CHECK(f.events_of_type(model::event_type::execution_lost).empty());
        }
    }

    TEST_CASE("consecutive overlap skips of a run that stays running are one record") {
        // given a job due every minute and a run of it that goes on, under this
        // process as its supervisor
        Fixture f(utc(2026, 1, 15, 10));
        auto job = f.job("busy", [](service::JobSpec& s) { s.cron = "* * * * *"; });
        auto me = f.launcher.self();
        model::Execution e;
        e.job_id = job.id;
        e.trigger = Trigger::manual;
        e.status = Status::running;
        e.scheduled_for = e.start_time = e.created_at = e.updated_at = f.clock.now();
        e.supervisor_pid = me.pid;
        e.supervisor_start = me.start;
        e.boot_id = f.host.boot;
        auto running_id = f.insert(e);

        // when five ticks find it running
        for (int i = 0; i < 5; ++i)
            CHECK(f.minute().plan.skipped() == 1);

        // then one skipped record counts the five
        auto list = f.executions(job);
        CHECK(summary(list) == Lines{"manual 1 running 2026-01-15T10:00:00Z",
                                     "schedule 1 skipped 2026-01-15T10:01:00Z overlap x5"});
        CHECK(f.events_of_type(model::event_type::execution_skipped).size() == 5);
        CHECK(f.runner.specs.empty());
        CHECK(f.launcher.starts == 0);
        CHECK(f.reload(job).next_execution == utc(2026, 1, 15, 10, 6));

        SUBCASE("when the run has ended, the next fire runs") {
            auto ended = *f.store.find_execution(running_id);
            ended.status = Status::completed;
            ended.end_time = f.clock.now();
            auto tx = f.store.begin_write();
            f.store.update_execution(tx, ended);
            tx.commit();
            f.minute();
            CHECK(summary(f.executions(job)).back() == "schedule 1 completed 2026-01-15T10:06:00Z");
        }
    }

    TEST_CASE("a retry that would run into the next regular run is skipped as superseded") {
        // given a job due every 5 minutes that fails, retrying after 10 minutes
        Fixture f(utc(2026, 1, 15, 9, 59));
        auto j = f.job("often", [](service::JobSpec& s) {
            s.cron = "*/5 * * * *";
            s.max_attempts = "3";
            s.retry_delay = "10m";
        });
        f.runner.exit_codes["often"] = 1;
        f.minute(); // 10:00
        auto list = f.executions(j);
        CHECK(summary(list) == Lines{"schedule 1 failed 2026-01-15T10:00:00Z",
                                     "retry 2 skipped 2026-01-15T10:10:00Z superseded x1"});
        CHECK(f.events_of_type(model::event_type::execution_retrying).empty());
        CHECK(f.store.active_executions().empty());
        // and the regular run comes as scheduled
        for (int i = 0; i < 5; ++i)
            f.minute();
        CHECK(summary(f.executions(j))[2] == "schedule 1 failed 2026-01-15T10:05:00Z");
    }

    TEST_CASE("ticks racing in one minute fire a due run once") {
        Fixture f(utc(2026, 1, 15, 9, 59));
        auto j = f.job("once", [](service::JobSpec& s) { s.cron = "* * * * *"; });
        CHECK(f.minute().plan.fired() == 1);
        f.clock.advance(seconds(20));
        CHECK(f.tick().plan.fired() == 0);
        f.clock.advance(seconds(39));
        CHECK(f.tick().plan.fired() == 0);
        CHECK(f.scheduled(j) == Instants{utc(2026, 1, 15, 10)});
        f.clock.advance(seconds(1));
        CHECK(f.tick().plan.fired() == 1);
        CHECK(f.scheduled(j) == Instants{utc(2026, 1, 15, 10), utc(2026, 1, 15, 10, 1)});
    }

    TEST_CASE("retries due within the minute run under the same supervisor") {
        // given a job that fails after 10 seconds, with three attempts 10s apart
        // and doubling: all three fit in the minute of the first run
        Fixture f(utc(2026, 1, 15, 9, 59));
        auto j = f.job("quick", [](service::JobSpec& s) {
            s.cron = "0 * * * *";
            s.max_attempts = "3";
            s.retry_delay = "10s";
        });
        f.runner.exit_codes["quick"] = 1;
        f.runner.run_times["quick"] = seconds(10);

        // when one tick fires it
        f.minute();

        // then its supervisor claimed and ran each retry at its time
        auto list = f.executions(j);
        CHECK(summary(list) == Lines{"schedule 1 failed 2026-01-15T10:00:00Z",
                                     "retry 2 failed 2026-01-15T10:00:20Z",
                                     "retry 3 failed 2026-01-15T10:00:50Z"});
        REQUIRE(list.size() == 3);
        CHECK(list[2].start_time == utc(2026, 1, 15, 10, 0, 50));
        CHECK(list[2].supervisor_pid == f.host.me.pid);
        CHECK(f.launcher.starts == 1);
        CHECK(f.store.active_executions().empty());
    }

    TEST_CASE("after a reboot the runs of the boot before are lost and @reboot jobs fire once") {
        // given an @reboot job created in this boot and a run of another job
        // that its (live) supervisor runs
        Fixture f(utc(2026, 1, 15, 10));
        auto at_boot = f.job("at-boot", [](service::JobSpec& s) { s.cron = "@reboot"; });
        auto nightly = f.job("nightly", [](service::JobSpec& s) { s.cron = "0 3 * * *"; });
        model::Execution e;
        e.job_id = nightly.id;
        e.trigger = Trigger::manual;
        e.status = Status::running;
        e.scheduled_for = e.start_time = e.created_at = e.updated_at = f.clock.now();
        e.supervisor_pid = f.host.me.pid;
        e.supervisor_start = f.host.me.start;
        e.pid = 6000;
        e.process_start = 5;
        e.boot_id = f.host.boot;
        const auto running = f.insert(e);
        f.host.alive.insert({6000, 5});
        CHECK(f.minute().plan.recovered() == 0);
        CHECK(f.executions(at_boot).empty());

        // when the host reboots: a new boot id, the same pids taken by others
        f.host.boot = "boot-2";
        auto report = f.minute();

        // then the run is lost as of the reboot, no process of the new boot
        // is signalled, and the @reboot job runs once
        CHECK(report.plan.recovered() == 1);
        auto lost = *f.store.find_execution(running);
        CHECK(lost.status == Status::lost);
        REQUIRE(lost.error);
        CHECK(contains(*lost.error, "(the host rebooted)"));
        CHECK(f.host.killed.empty());
        CHECK(summary(f.executions(at_boot)) == Lines{"reboot 1 completed 2026-01-15T10:02:00Z"});
        CHECK(f.reload(at_boot).boot_id == "boot-2");
        f.minute();
        f.minute();
        CHECK(f.executions(at_boot).size() == 1);
        CHECK(f.events_of_type(model::event_type::execution_lost).size() == 1);
    }

    TEST_CASE("a job whose run-as user vanished fails its run, saying so") {
        // given root's job running as alice
        Fixture f(utc(2026, 1, 15, 9, 59));
        f.host.current = "root";
        f.host.users["alice"] = {"alice", 1001, 1001, "/home/alice"};
        auto job = f.job("report", [](service::JobSpec& s) {
            s.cron = "0 * * * *";
            s.run_as = "alice";
        });

        // when alice is removed from the host before it is due
        f.host.users.erase("alice");
        f.minute();

        // then the run failed without starting a process, with the reason
        auto list = f.executions(job);
        REQUIRE(list.size() == 1);
        CHECK(list[0].status == Status::failed);
        REQUIRE(list[0].error);
        CHECK(*list[0].error == "cannot run as alice: no such user");
        CHECK(f.runner.specs.empty());
        CHECK(f.reload(job).failure_count == 1);

        SUBCASE("and once she is back, the next run runs as her") {
            f.host.users["alice"] = {"alice", 1001, 1001, "/home/alice"};
            for (int i = 0; i < 60; ++i)
                f.minute();
            REQUIRE(f.runner.specs.size() == 1);
            REQUIRE(f.runner.specs[0].user);
            CHECK(f.runner.specs[0].user->uid == 1001);
            CHECK(f.executions(job).back().status == Status::completed);
        }
    }

    TEST_CASE("a job of a user that is not root may not run as another user") {
        Fixture f(utc(2026, 1, 15, 9, 59));
        f.host.users["bob"] = {"bob", 1002, 1002, "/home/bob"};
        CHECK_THROWS_WITH_AS(f.job("x", [](service::JobSpec& s) { s.run_as = "bob"; }),
                             doctest::Contains("only root"), util::ValidationError);
        // A job that names its own user is fine and runs without switching.
        auto own = f.job("own", [](service::JobSpec& s) {
            s.cron = "0 * * * *";
            s.run_as = "tester";
        });
        f.minute();
        REQUIRE(f.runner.specs.size() == 1);
        CHECK_FALSE(f.runner.specs[0].user);
        CHECK(f.executions(own).front().status == Status::completed);
    }

    TEST_CASE("tick --wait ends runs whose supervisor died as the next tick would") {
        // given runs that a tick claimed for a supervisor that then died
        Fixture f(utc(2026, 1, 15, 10));
        auto job = f.job("nightly", [](service::JobSpec& s) { s.cron = "0 3 * * *"; });
        const auto dead = dead_process();
        auto claimed = [&](Status status) {
            model::Execution e;
            e.job_id = job.id;
            e.trigger = Trigger::manual;
            e.status = status;
            e.scheduled_for = e.created_at = e.updated_at = f.clock.now();
            if (status == Status::running)
                e.start_time = f.clock.now();
            e.supervisor_pid = dead.pid;
            e.supervisor_start = dead.start;
            e.boot_id = f.host.boot;
            return f.insert(e);
        };
        const auto running = claimed(Status::running);
        const auto queued = claimed(Status::queued);
        service::TickReport report;
        report.executions = {running, queued};

        // when tick --wait waits for them
        std::vector<std::int64_t> unfinished;
        int recoveries = 0;
        service::wait_for_runs(
            f.ctx(), f.launcher, report,
            [&](const service::WaitProgress& p) { unfinished.push_back(p.unfinished()); },
            [&] { ++recoveries; });

        // then the running one is lost, the claimed one is run, and it returns
        CHECK(f.store.find_execution(running)->status == Status::lost);
        CHECK(f.store.find_execution(queued)->status == Status::completed);
        CHECK(recoveries == 1);
        CHECK(unfinished == std::vector<std::int64_t>{2, 0});
    }

    TEST_CASE("an @reboot job fires on the first tick after a boot, and only then") {
        Fixture f(utc(2026, 1, 15, 10));
        auto j = f.job("at-boot", [](service::JobSpec& s) { s.cron = "@reboot"; });
        SUBCASE("given it was created in this boot, it waits for the next one") {
            f.minute();
            f.minute();
            CHECK(f.executions(j).empty());
        }
        SUBCASE("given the last tick and the job saw an earlier boot, it fires once") {
            auto earlier = f.reload(j);
            earlier.boot_id = "an-earlier-boot";
            auto tx = f.store.begin_write();
            f.store.update_job(tx, earlier);
            f.store.set_meta(tx, "boot_id", "an-earlier-boot");
            tx.commit();
            f.minute();
            f.minute();
            f.minute();
            CHECK(summary(f.executions(j)) == Lines{"reboot 1 completed 2026-01-15T10:01:00Z"});
            CHECK(f.reload(j).boot_id == f.host.boot);
        }
    }

    TEST_CASE("a dry-run tick plans but writes and starts nothing") {
        Fixture f(utc(2026, 1, 15, 9, 59));
        auto j = f.job("due", [](service::JobSpec& s) { s.cron = "0 * * * *"; });
        f.clock.advance(minutes(1));
        const auto events_before = f.store.list_events().size();
        auto report = service::tick(f.ctx(), f.launcher, service::TickMode::dry_run);
        CHECK(report.dry_run);
        CHECK(report.plan.fired() == 1);
        CHECK(report.jobs.count(j.id) == 1);
        CHECK(f.executions(j).empty());
        CHECK(f.reload(j).next_execution == utc(2026, 1, 15, 10));
        CHECK(f.store.list_events().size() == events_before);
        CHECK(f.launcher.starts == 0);
        CHECK(f.runner.specs.empty());
        // and the real tick then fires it
        CHECK(f.tick().plan.fired() == 1);
        CHECK(f.executions(j).size() == 1);
    }

    TEST_CASE("queue, start_followers and wait_progress see the waiting work") {
        // given one worker, busy with a run of `a`; a run of `b` waiting for a
        // slot; a retry of `c` due in five minutes
        Fixture f(utc(2026, 1, 15, 10), Config{{"max_workers", "1"}});
        auto a = f.job("a", [](service::JobSpec& s) { s.cron = "0 3 * * *"; });
        auto b = f.job("b", [](service::JobSpec& s) {
            s.cron = "0 3 * * *";
            s.priority = "high";
        });
        auto c = f.job("c", [](service::JobSpec& s) { s.cron = "0 3 * * *"; });
        auto me = f.launcher.self();
        auto base = [&](const model::Job& j, Status status) {
            model::Execution e;
            e.job_id = j.id;
            e.status = status;
            e.priority = j.priority;
            e.scheduled_for = e.created_at = e.updated_at = f.clock.now() - minutes(1);
            return e;
        };
        auto run_a = base(a, Status::running);
        run_a.supervisor_pid = me.pid;
        run_a.supervisor_start = me.start;
        run_a.boot_id = f.host.boot;
        auto a_id = f.insert(run_a);
        auto wait_b = base(b, Status::queued);
        wait_b.reason = model::WaitReason::slot;
        auto b_id = f.insert(wait_b);
        auto retry_c = base(c, Status::queued);
        retry_c.trigger = Trigger::retry;
        retry_c.attempt = 2;
        retry_c.reason = model::WaitReason::retry;
        retry_c.not_before = f.clock.now() + minutes(5);
        auto c_id = f.insert(retry_c);

        // then the queue shows the running run first, then the waiting ones by priority
        auto q = service::queue(f.ctx());
        CHECK(q.max_workers == 1);
        Lines entries;
        for (const auto& e : q.entries)
            entries.push_back(e.execution.job_name + " " + e.state + " " +
                              (e.reason ? std::string(model::to_string(*e.reason)) : ""));
        CHECK(entries == Lines{"a running ", "b queued slot", "c queued retry"});

        // and nothing follows while the worker is busy
        CHECK(service::start_followers(f.ctx(), f.launcher) == 0);
        CHECK(f.launcher.starts == 0);
        auto progress = service::wait_progress(f.ctx(), {a_id, b_id, c_id});
        CHECK(progress.total == 3);
        CHECK(progress.running == 1);
        CHECK(progress.queued == 2);
        CHECK(progress.done() == 0);

        // when the run of `a` has ended, `b` follows at once; `c` keeps waiting
        auto ended = *f.store.find_execution(a_id);
        ended.status = Status::completed;
        ended.end_time = f.clock.now();
        auto tx = f.store.begin_write();
        f.store.update_execution(tx, ended);
        tx.commit();
        CHECK(service::start_followers(f.ctx(), f.launcher) == 1);
        CHECK(f.store.find_execution(b_id)->status == Status::completed);
        CHECK(f.store.find_execution(c_id)->status == Status::queued);
        CHECK(f.runner.started() == Lines{"b"});
        progress = service::wait_progress(f.ctx(), {a_id, b_id, c_id});
        CHECK(progress.running == 0);
        CHECK(progress.queued == 1);
        CHECK(progress.done() == 2);
        CHECK(progress.unfinished() == 1);
    }

    TEST_CASE("tick runs nothing from a store that was not opened to run jobs") {
        Fixture f(utc(2026, 1, 15, 9, 59));
        auto j = f.job("due", [](service::JobSpec& s) { s.cron = "0 * * * *"; });
        f.clock.advance(minutes(1));
        // Opened for writing only: the checks of Access::run were not made.
        auto unchecked = store::Store::open(f.store.path(), store::Access::write);
        service::Context ctx(unchecked, f.clock,
                             service::Environment{"tester", std::string("UTC"), std::nullopt});
        f.launcher.ctx = &ctx;
        CHECK_THROWS_AS(service::tick(ctx, f.launcher, service::TickMode::run), util::StoreError);
        CHECK(f.executions(j).empty());
        // a dry run only reads, and is allowed
        CHECK(service::tick(ctx, f.launcher, service::TickMode::dry_run).plan.fired() == 1);
        f.launcher.ctx = f.context.get();
    }
}
