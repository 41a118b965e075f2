// plan::plan_tick and the retry rules it applies (schedule(1), TICK and
// RETRIES): a table of snapshots built by hand, with no store and no
// processes.

#include "../support/time_helpers.hpp"

#include <schedule/model/trigger.hpp>
#include <schedule/plan/retry.hpp>
#include <schedule/plan/tick.hpp>
#include <schedule/time/iso8601.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

using namespace schedule;
using model::ExecutionStatus;
using model::ExecutionTrigger;
using schedule::test::utc;
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

// Every case ticks on Monday 2026-05-04 at 10:00:30 UTC unless it says so.
time::Instant tick_now() {
    return utc(2026, 5, 4, 10, 0, 30);
}

std::string hhmm(time::Instant t) {
    return time::format_iso_utc(t).substr(11, 5);
}

std::string hhmmss(time::Instant t) {
    return time::format_iso_utc(t).substr(11, 8);
}

model::Job cron_job(const std::string& id, const std::string& expression,
                    std::optional<time::Instant> next) {
    model::Job j;
    j.id = id;
    j.name = "job-" + id;
    j.command = "true";
    j.timezone = "UTC";
    auto t = model::parse_cron_trigger(expression);
    REQUIRE(t.ok());
    j.trigger = *t;
    j.next_execution = next;
    return j;
}

// An hourly job whose stored next run is 07:00: at 10:00:30 it missed
// 07:00, 08:00 and 09:00, and 10:00 is the current fire.
model::Job hourly_from_seven(model::Catchup policy) {
    auto j = cron_job("0000000a", "0 * * * *", utc(2026, 5, 4, 7));
    j.catchup = policy;
    return j;
}

plan::TickSnapshot snapshot(std::vector<model::Job> jobs,
                            std::vector<model::Execution> active = {}) {
    plan::TickSnapshot s;
    s.now = tick_now();
    s.boot_id = "boot-2";
    for (auto& j : jobs)
        s.jobs.emplace(j.id, std::move(j));
    s.active = std::move(active);
    return s;
}

model::Execution execution(std::int64_t id, const model::Job& j, ExecutionStatus status) {
    model::Execution e;
    e.id = id;
    e.job_id = j.id;
    e.status = status;
    e.trigger = ExecutionTrigger::schedule;
    e.priority = j.priority;
    e.scheduled_for = utc(2026, 5, 4, 9, 55);
    e.created_at = e.updated_at = utc(2026, 5, 4, 9, 55);
    return e;
}

// Claimed by (or running under) a supervisor; alive unless the snapshot
// lists the execution as orphaned.
model::Execution supervised(model::Execution e) {
    e.supervisor_pid = 4242;
    e.supervisor_start = 99;
    e.boot_id = "boot-2";
    return e;
}

model::Execution running(std::int64_t id, const model::Job& j) {
    auto e = supervised(execution(id, j, ExecutionStatus::running));
    e.start_time = e.scheduled_for;
    return e;
}

// A run waiting in the queue, claimed by no supervisor.
model::Execution queued(std::int64_t id, const model::Job& j, const std::string& reason) {
    auto e = execution(id, j, ExecutionStatus::queued);
    e.reason = model::Reason::parse(e.status, reason);
    return e;
}

// "JOB HH:MM TRIGGER start" or "JOB HH:MM TRIGGER queued:REASON", with
// "#ID" for an existing execution.
Lines runs(const plan::TickPlan& p) {
    Lines out;
    for (const auto& r : p.runs)
        out.push_back(r.job_id + " " + hhmm(r.scheduled_for) + " " +
                      std::string(model::to_string(r.trigger)) +
                      (r.execution_id ? " #" + std::to_string(*r.execution_id) : "") +
                      (r.start ? " start" : " queued:" + std::string(model::to_string(r.wait))));
    return out;
}

// "JOB HH:MM REASON xCOUNT", with "#ID" for an existing execution.
Lines skips(const plan::TickPlan& p) {
    Lines out;
    for (const auto& s : p.skips)
        out.push_back(s.job_id + " " + hhmm(s.scheduled_for) + " " +
                      std::string(model::to_string(s.reason)) + " x" + std::to_string(s.count) +
                      (s.execution_id ? " #" + std::to_string(*s.execution_id) : ""));
    return out;
}

// "#ID REASON" for the queued runs that keep waiting.
Lines waiting(const plan::TickPlan& p) {
    Lines out;
    for (const auto& w : p.waiting)
        out.push_back("#" + std::to_string(w.execution_id) + " " +
                      std::string(model::to_string(w.reason)));
    return out;
}

// "#ID lost" or "#ID released".
Lines recoveries(const plan::TickPlan& p) {
    Lines out;
    for (const auto& r : p.recoveries)
        out.push_back("#" + std::to_string(r.execution_id) + (r.lost ? " lost" : " released"));
    return out;
}

const plan::JobChange& only_change(const plan::TickPlan& p) {
    REQUIRE(p.jobs.size() == 1);
    return p.jobs.front();
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("plan::tick") {

    TEST_CASE("nothing due plans nothing and writes nothing") {
        SUBCASE("given no jobs and no executions") {
            auto p = plan::plan_tick(snapshot({}));
            CHECK_FALSE(p.writes());
            CHECK(p.fired() == 0);
        }
        SUBCASE("given a job whose next run is the start of the next minute") {
            auto p = plan::plan_tick(
                snapshot({cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10, 1))}));
            CHECK_FALSE(p.writes());
            CHECK(p.runs.empty());
            CHECK(p.jobs.empty());
        }
        SUBCASE("given a paused job whose next run has passed") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.enabled = false;
            j.status = model::JobStatus::paused;
            CHECK_FALSE(plan::plan_tick(snapshot({j})).writes());
        }
        SUBCASE("given a finished job") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.status = model::JobStatus::finished;
            CHECK_FALSE(plan::plan_tick(snapshot({j})).writes());
        }
    }

    TEST_CASE("a due cron job fires once and its next run moves on") {
        auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        j.priority = 70;
        auto p = plan::plan_tick(snapshot({j}));
        CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        REQUIRE(p.runs.size() == 1);
        const auto& r = p.runs.front();
        CHECK_FALSE(r.execution_id);
        CHECK(r.attempt == 1);
        CHECK(r.scheduled_for == utc(2026, 5, 4, 10));
        CHECK(r.not_before == utc(2026, 5, 4, 10));
        CHECK(r.priority == 70);
        CHECK(r.reason == "due");
        CHECK(r.replaces.empty());
        CHECK(skips(p).empty());
        const auto& c = only_change(p);
        CHECK(c.job_id == j.id);
        CHECK(c.next_execution == utc(2026, 5, 4, 10, 5));
        CHECK(c.status == model::JobStatus::active);
        CHECK_FALSE(c.boot_id);
        CHECK(p.writes());
        CHECK(p.fired() == 1);
        CHECK(p.queued() == 0);
        CHECK(p.skipped() == 0);

        SUBCASE("when the next tick of the minute sees the advanced job, nothing more is due") {
            j.next_execution = c.next_execution;
            auto again = plan::plan_tick(snapshot({j}));
            CHECK(again.runs.empty());
            CHECK_FALSE(again.writes());
        }
        SUBCASE("given a jittered fire later in the current minute, it is due with its delay") {
            // The tick claims a run in the minute its jittered instant falls in.
            auto k = cron_job("0000000b", "0 * * * *", std::nullopt);
            k.jitter = time::Duration{3600};
            const auto offset = model::jitter_offset(k.id, k.jitter);
            const auto at = utc(2026, 5, 4, 10) + offset;
            k.next_execution = at;
            auto s = snapshot({k});
            s.now = time::floor_minute(at);
            auto q = plan::plan_tick(s);
            REQUIRE(q.runs.size() == 1);
            CHECK(q.runs[0].start);
            CHECK(q.runs[0].scheduled_for == utc(2026, 5, 4, 10));
            CHECK(q.runs[0].not_before == at);
            CHECK(only_change(q).next_execution == utc(2026, 5, 4, 11) + offset);
            s.now = time::floor_minute(at) - seconds(1);
            CHECK_FALSE(plan::plan_tick(s).writes());
        }
    }

    TEST_CASE("catch-up after three missed fires") {
        SUBCASE("latest with a current fire runs it as scheduled and coalesces the missed ones") {
            auto p = plan::plan_tick(snapshot({hourly_from_seven(model::Catchup::latest)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x3"});
            CHECK(p.skipped() == 3);
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 11));
        }
        SUBCASE("latest without a current fire runs the newest missed one as a catch-up") {
            auto s = snapshot({hourly_from_seven(model::Catchup::latest)});
            s.now = utc(2026, 5, 4, 9, 59, 30);
            auto p = plan::plan_tick(s);
            CHECK(runs(p) == Lines{"0000000a 09:00 catchup start"});
            CHECK(contains(p.runs.at(0).reason, "catch-up latest"));
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x2"});
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 10));
        }
        SUBCASE("all runs every instant one after another: the first starts, the rest queue") {
            auto p = plan::plan_tick(snapshot({hourly_from_seven(model::Catchup::all)}));
            CHECK(runs(p) == Lines{"0000000a 07:00 catchup start",
                                   "0000000a 08:00 catchup queued:catchup",
                                   "0000000a 09:00 catchup queued:catchup",
                                   "0000000a 10:00 schedule queued:catchup"});
            CHECK(skips(p).empty());
            CHECK(p.fired() == 1);
            CHECK(p.queued() == 3);
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 11));
        }
        SUBCASE("all with a run of the job going: every catch-up run waits, none is skipped") {
            auto j = hourly_from_seven(model::Catchup::all);
            auto p = plan::plan_tick(snapshot({j}, {running(7, j)}));
            CHECK(runs(p) == Lines{"0000000a 07:00 catchup queued:catchup",
                                   "0000000a 08:00 catchup queued:catchup",
                                   "0000000a 09:00 catchup queued:catchup",
                                   "0000000a 10:00 schedule queued:catchup"});
            CHECK(skips(p).empty());
        }
        SUBCASE("none runs only the current fire") {
            auto p = plan::plan_tick(snapshot({hourly_from_seven(model::Catchup::none)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x3"});
        }
        SUBCASE("none without a current fire runs nothing but records the skip and moves on") {
            auto s = snapshot({hourly_from_seven(model::Catchup::none)});
            s.now = utc(2026, 5, 4, 9, 59, 30);
            auto p = plan::plan_tick(s);
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x3"});
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 10));
        }
        SUBCASE("all takes the newest 100 missed instants and coalesces the older ones") {
            auto j = cron_job("0000000a", "* * * * *", utc(2026, 5, 4, 7));
            j.catchup = model::Catchup::all;
            auto p = plan::plan_tick(snapshot({j}));
            // 07:00 .. 09:59 missed (180), 10:00 current
            REQUIRE(p.runs.size() == 101);
            CHECK(p.runs.front().scheduled_for == utc(2026, 5, 4, 8, 20));
            CHECK(p.runs.front().start);
            CHECK(p.runs.back().scheduled_for == utc(2026, 5, 4, 10));
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x80"});
        }
    }

    TEST_CASE("misfire grace drops runs that would start too late") {
        SUBCASE("given latest and a 1m grace, the newest missed fire is a deadline skip") {
            auto j = hourly_from_seven(model::Catchup::latest);
            j.misfire_grace = time::Duration{60};
            auto s = snapshot({j});
            s.now = utc(2026, 5, 4, 9, 59, 30);
            auto p = plan::plan_tick(s);
            CHECK(p.runs.empty());
            // the deadline record carries the dropped run's instant
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x2", "0000000a 09:00 deadline x1"});
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 10));
        }
        SUBCASE("given all and a 2h grace, the two oldest fires are dropped") {
            auto j = hourly_from_seven(model::Catchup::all);
            j.misfire_grace = time::Duration{2 * 3600};
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) ==
                  Lines{"0000000a 09:00 catchup start", "0000000a 10:00 schedule queued:catchup"});
            // the first of the dropped runs
            CHECK(skips(p) == Lines{"0000000a 07:00 deadline x2"});
        }
        SUBCASE("given all, a 30m grace and more missed fires than it runs, the deadline "
                "record starts at the first dropped run, not at the first missed fire") {
            auto j = cron_job("0000000a", "* * * * *", utc(2026, 5, 4, 7));
            j.catchup = model::Catchup::all;
            j.misfire_grace = time::Duration{30 * 60};
            auto s = snapshot({j});
            s.now = utc(2026, 5, 4, 9, 59, 30);
            // 07:00 .. 09:58 missed (179): 07:00 .. 08:18 folded, the newest
            // 100 kept; of those 08:19 .. 09:29 are later than the grace
            auto p = plan::plan_tick(s);
            REQUIRE(p.runs.size() == 30);
            CHECK(p.runs.front().scheduled_for == utc(2026, 5, 4, 9, 30));
            CHECK(skips(p) == Lines{"0000000a 07:00 coalesced x79", "0000000a 08:19 deadline x71"});
        }
        SUBCASE("given a queued run that waited longer than the grace, it is dropped") {
            auto j = cron_job("0000000a", "0 3 * * *", utc(2026, 5, 5, 3));
            j.misfire_grace = time::Duration{30 * 60};
            auto late = queued(8, j, "slot");
            late.scheduled_for = utc(2026, 5, 4, 9, 30);
            auto on_time = queued(9, j, "slot");
            on_time.scheduled_for = utc(2026, 5, 4, 9, 31);
            auto p = plan::plan_tick(snapshot({j}, {late, on_time}));
            CHECK(skips(p) == Lines{"0000000a 09:30 deadline x1 #8"});
            CHECK(runs(p) == Lines{"0000000a 09:31 schedule #9 start"});
        }
    }

    TEST_CASE("max_executions counts the runs that started and those waiting to start") {
        // scheduled_count is the runs that started; the store moves it when a
        // run is recorded running, never the plan.
        SUBCASE("given one run left, it fires and the job stays active until it starts") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.max_executions = 3;
            j.scheduled_count = 2;
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(skips(p).empty());
            const auto& c = only_change(p);
            CHECK(c.status == model::JobStatus::active);
            CHECK(c.next_execution == utc(2026, 5, 4, 10, 5));
        }
        SUBCASE("given catch-up all with more due fires than runs left, the rest are skipped") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 9, 50));
            j.catchup = model::Catchup::all;
            j.max_executions = 3;
            j.scheduled_count = 1;
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) ==
                  Lines{"0000000a 09:50 catchup start", "0000000a 09:55 catchup queued:catchup"});
            CHECK(skips(p) == Lines{"0000000a 10:00 max_executions x1"});
            CHECK(only_change(p).status == model::JobStatus::active);
        }
        SUBCASE("given a job that has had all its runs, the due fire is skipped and it finishes") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.max_executions = 3;
            j.scheduled_count = 3;
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 max_executions x1"});
            CHECK(contains(p.skips.at(0).detail, "had its 3 runs"));
            CHECK(only_change(p).status == model::JobStatus::finished);
            CHECK_FALSE(only_change(p).next_execution);
        }
        SUBCASE("given a fire skipped for overlap, it does not count: the limit is not reached") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.max_executions = 2;
            j.scheduled_count = 1;
            auto p = plan::plan_tick(snapshot({j}, {running(7, j)}));
            CHECK(skips(p) == Lines{"0000000a 10:00 overlap x1"});
            CHECK(only_change(p).status == model::JobStatus::active);
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 10, 5));
        }
        SUBCASE("given the last run queued under overlap queue, a due fire is skipped for the "
                "limit and the job stays active") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.overlap = model::Overlap::queue;
            j.max_executions = 2;
            j.scheduled_count = 1;
            auto p = plan::plan_tick(snapshot({j}, {running(7, j), queued(8, j, "overlap")}));
            CHECK(runs(p).empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 max_executions x1"});
            CHECK(contains(p.skips.at(0).detail, "waiting to start"));
            CHECK(only_change(p).status == model::JobStatus::active);
            CHECK(plan::runs_left(j, {running(7, j), queued(8, j, "overlap")}) == 0);
        }
        SUBCASE("given runs waiting for a slot and a claimed one, they hold their places") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.overlap = model::Overlap::allow;
            j.max_executions = 4;
            j.scheduled_count = 1;
            auto claimed = supervised(queued(9, j, "slot"));
            const std::vector<model::Execution> active{queued(8, j, "slot"), claimed};
            CHECK(plan::runs_left(j, active) == 1);
            auto p = plan::plan_tick(snapshot({j}, active));
            CHECK(runs(p) ==
                  Lines{"0000000a 09:55 schedule #8 start", "0000000a 10:00 schedule start"});
            CHECK(skips(p).empty());
        }
        SUBCASE("given retries and manual runs waiting, they do not count") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.max_executions = 2;
            j.scheduled_count = 1;
            auto retry = queued(8, j, "retry");
            retry.trigger = ExecutionTrigger::retry;
            retry.not_before = utc(2026, 5, 4, 11);
            auto manual = supervised(queued(9, j, ""));
            manual.trigger = ExecutionTrigger::manual;
            CHECK(plan::runs_left(j, {retry, manual}) == 1);
            CHECK_FALSE(plan::runs_left(cron_job("0000000b", "* * * * *", std::nullopt), {}));
        }
        SUBCASE("given a queued run dropped for the misfire grace, its place is free at once") {
            auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            j.max_executions = 2;
            j.scheduled_count = 1;
            j.misfire_grace = time::Duration{60};
            auto late = queued(8, j, "slot"); // scheduled 09:55
            auto p = plan::plan_tick(snapshot({j}, {late}));
            CHECK(skips(p) == Lines{"0000000a 09:55 deadline x1 #8"});
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        }
        SUBCASE("given queued runs beyond a limit that was lowered, they are skipped") {
            auto j = cron_job("0000000a", "0 3 * * *", utc(2026, 5, 5, 3));
            j.max_executions = 2;
            j.scheduled_count = 1;
            auto p = plan::plan_tick(snapshot({j}, {queued(8, j, "slot"), queued(9, j, "slot")}));
            CHECK(runs(p) == Lines{"0000000a 09:55 schedule #8 start"});
            CHECK(skips(p) == Lines{"0000000a 09:55 max_executions x1 #9"});
        }
    }

    TEST_CASE("an --at job fires once and is finished") {
        model::Job j;
        j.id = "0000000a";
        j.name = "once";
        j.command = "true";
        j.timezone = "UTC";
        j.trigger.type = model::TriggerType::at;
        j.trigger.at = utc(2026, 5, 4, 10);
        j.next_execution = j.trigger.at;
        auto p = plan::plan_tick(snapshot({j}));
        CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        const auto& c = only_change(p);
        CHECK(c.status == model::JobStatus::finished);
        CHECK_FALSE(c.next_execution);
    }

    TEST_CASE("@reboot fires on the first tick of another boot only") {
        auto j = cron_job("0000000a", "@reboot", std::nullopt);
        SUBCASE("given a job defined in an earlier boot") {
            j.boot_id = "boot-1";
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) == Lines{"0000000a 10:00 reboot start"});
            REQUIRE(p.runs.size() == 1);
            CHECK(p.runs[0].scheduled_for == tick_now());
            const auto& c = only_change(p);
            CHECK(c.boot_id == std::optional<std::string>("boot-2"));
            CHECK(c.status == model::JobStatus::active);
        }
        SUBCASE("given a job that fired in this boot already") {
            j.boot_id = "boot-2";
            CHECK_FALSE(plan::plan_tick(snapshot({j})).writes());
        }
        SUBCASE("given a boot id that cannot be read") {
            j.boot_id = "boot-1";
            auto s = snapshot({j});
            s.boot_id = "";
            CHECK_FALSE(plan::plan_tick(s).writes());
        }
        SUBCASE("given a job with max_executions 1, its one boot run fires") {
            j.boot_id = "boot-1";
            j.max_executions = 1;
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) == Lines{"0000000a 10:00 reboot start"});
            CHECK(only_change(p).status == model::JobStatus::active);
            SUBCASE("and once it started, the next boot's tick skips it and finishes the job") {
                j.scheduled_count = 1;
                auto q = plan::plan_tick(snapshot({j}));
                CHECK(q.runs.empty());
                CHECK(skips(q) == Lines{"0000000a 10:00 max_executions x1"});
                CHECK(only_change(q).status == model::JobStatus::finished);
            }
        }
    }

    TEST_CASE("overlap skip skips a due fire while a run of the job goes on") {
        auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        SUBCASE("given a running execution under a live supervisor") {
            auto p = plan::plan_tick(snapshot({j}, {running(7, j)}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 overlap x1"});
            CHECK(contains(p.skips.at(0).detail, "execution 7 is running"));
            CHECK(p.recoveries.empty());
            // the job moves on all the same
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 10, 5));
        }
        SUBCASE("given a claimed run that has not started yet") {
            auto claimed = supervised(execution(7, j, ExecutionStatus::queued));
            auto p = plan::plan_tick(snapshot({j}, {claimed}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 overlap x1"});
        }
        SUBCASE("given a run of another job, the job fires") {
            auto other = cron_job("0000000b", "0 3 * * *", utc(2026, 5, 5, 3));
            auto p = plan::plan_tick(snapshot({j, other}, {running(7, other)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        }
        SUBCASE(
            "given a running execution whose supervisor is gone, it is lost and the job fires") {
            auto s = snapshot({j}, {running(7, j)});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(skips(p).empty());
        }
    }

    TEST_CASE("overlap queue lets one run wait for the running one") {
        auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        j.overlap = model::Overlap::queue;
        SUBCASE("given a running execution, the due fire is queued") {
            auto p = plan::plan_tick(snapshot({j}, {running(7, j)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule queued:overlap"});
            CHECK(skips(p).empty());
            CHECK(p.queued() == 1);
            CHECK(p.fired() == 0);
        }
        SUBCASE("given a running and a queued execution, the next fire is skipped") {
            auto waiting_run = queued(8, j, "overlap");
            auto p = plan::plan_tick(snapshot({j}, {running(7, j), waiting_run}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 overlap x1"});
            CHECK(waiting(p) == Lines{"#8 overlap"});
        }
        SUBCASE("given only a queued execution and no running one, the queued run starts first") {
            auto waiting_run = queued(8, j, "overlap");
            auto p = plan::plan_tick(snapshot({j}, {waiting_run}));
            CHECK(runs(p) == Lines{"0000000a 09:55 schedule #8 start",
                                   "0000000a 10:00 schedule queued:overlap"});
        }
    }

    TEST_CASE("overlap allow runs side by side up to max_instances") {
        auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        j.overlap = model::Overlap::allow;
        SUBCASE("given max_instances 2 and one running, the fire starts") {
            j.max_instances = 2;
            auto p = plan::plan_tick(snapshot({j}, {running(7, j)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        }
        SUBCASE("given max_instances 2 and two running, the fire is skipped") {
            j.max_instances = 2;
            auto p = plan::plan_tick(snapshot({j}, {running(7, j), running(8, j)}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 overlap x1"});
            CHECK(contains(p.skips.at(0).detail, "--max-instances 2"));
        }
        SUBCASE("given no max_instances, only max_workers bounds it") {
            auto p = plan::plan_tick(snapshot({j}, {running(7, j), running(8, j), running(9, j)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        }
    }

    TEST_CASE("overlap replace starts the new run in place of the running one") {
        auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        j.overlap = model::Overlap::replace;
        SUBCASE("given one running execution") {
            auto p = plan::plan_tick(snapshot({j}, {running(7, j)}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(p.runs.at(0).replaces == std::vector<std::int64_t>{7});
            CHECK(skips(p).empty());
        }
        SUBCASE("given nothing running, it replaces nothing") {
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(p.runs.at(0).replaces.empty());
        }
        SUBCASE("given every worker busy with the run it replaces, it still replaces it") {
            // At most max_workers run at once; replacing one run by
            // another does not add one.
            auto s = snapshot({j}, {running(7, j)});
            s.max_workers = 1;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            REQUIRE(p.runs.size() == 1);
            CHECK(p.runs[0].replaces == std::vector<std::int64_t>{7});
        }
        SUBCASE(
            "given a run of the job already waiting for a slot, a new fire leaves one waiting") {
            // every worker is busy with other jobs; each fire of a replace job
            // must not add another waiting run of it (the newer replaces the
            // older, or is dropped), or the queue grows without bound
            auto other = cron_job("0000000b", "0 3 * * *", utc(2026, 5, 5, 3));
            auto waited = queued(8, j, "slot");
            auto s = snapshot({j, other}, {running(7, other), waited});
            s.max_workers = 1;
            auto p = plan::plan_tick(s);
            std::int64_t left_waiting = 0;
            for (const auto& r : p.runs)
                left_waiting += r.job_id == j.id && !r.start ? 1 : 0;
            for (const auto& w : p.waiting)
                left_waiting += w.job_id == j.id ? 1 : 0;
            CHECK(p.fired() == 0);
            CHECK(left_waiting == 1);
        }
    }

    TEST_CASE("runs start by priority, then scheduled time, up to max_workers") {
        auto a = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        auto b = cron_job("0000000b", "*/5 * * * *", utc(2026, 5, 4, 10));
        auto c = cron_job("0000000c", "*/5 * * * *", utc(2026, 5, 4, 10));
        a.priority = 50;
        b.priority = 20;
        c.priority = 80;
        SUBCASE("given max_workers 2 and three due jobs, the two highest start") {
            auto s = snapshot({a, b, c});
            s.max_workers = 2;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) == Lines{"0000000c 10:00 schedule start", "0000000a 10:00 schedule start",
                                   "0000000b 10:00 schedule queued:slot"});
            CHECK(p.fired() == 2);
            CHECK(p.queued() == 1);
            // every due job moves on, the queued one included
            CHECK(p.jobs.size() == 3);
        }
        SUBCASE("given a run of another job going, it takes one of the slots") {
            auto d = cron_job("0000000d", "0 3 * * *", utc(2026, 5, 5, 3));
            auto s = snapshot({a, b, c, d}, {running(7, d)});
            s.max_workers = 2;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) == Lines{"0000000c 10:00 schedule start",
                                   "0000000a 10:00 schedule queued:slot",
                                   "0000000b 10:00 schedule queued:slot"});
        }
        SUBCASE("given every slot taken, nothing starts") {
            auto d = cron_job("0000000d", "0 3 * * *", utc(2026, 5, 5, 3));
            auto s = snapshot({a, d}, {running(7, d), running(8, d)});
            s.max_workers = 2;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule queued:slot"});
        }
        SUBCASE("given equal priorities, the earlier scheduled run goes first") {
            // a daily 09:30 job missed this morning's run: a catch-up scheduled
            // before the other job's 10:00, whose id sorts first
            auto early = cron_job("0000000e", "30 9 * * *", utc(2026, 5, 4, 9, 30));
            auto late = cron_job("0000000d", "*/5 * * * *", utc(2026, 5, 4, 10));
            auto s = snapshot({late, early});
            s.max_workers = 1;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) ==
                  Lines{"0000000e 09:30 catchup start", "0000000d 10:00 schedule queued:slot"});
        }
        SUBCASE("given a queued run of higher priority, it takes the slot before a new fire") {
            auto waited = queued(9, c, "slot");
            auto s = snapshot({a, c}, {waited});
            s.jobs.at(c.id).next_execution = utc(2026, 5, 4, 12);
            s.max_workers = 1;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) ==
                  Lines{"0000000c 09:55 schedule #9 start", "0000000a 10:00 schedule queued:slot"});
        }
        SUBCASE("given a queued run of lower priority and no free slot, it keeps waiting") {
            auto waited = queued(9, b, "slot");
            auto s = snapshot({a, b}, {waited});
            s.jobs.at(b.id).next_execution = utc(2026, 5, 4, 12);
            s.max_workers = 1;
            auto p = plan::plan_tick(s);
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
            CHECK(waiting(p) == Lines{"#9 slot"});
        }
    }

    TEST_CASE("recovery of runs whose supervisor is gone") {
        auto j = cron_job("0000000a", "0 3 * * *", utc(2026, 5, 5, 3));
        auto lost_run = running(7, j);
        SUBCASE("given a running run and one attempt, it is lost and not retried") {
            auto s = snapshot({j}, {lost_run});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(p.recovered() == 1);
            CHECK(p.runs.empty());
            CHECK(p.writes());
        }
        SUBCASE("given max_attempts 2, a retry is queued after the retry delay") {
            j.max_attempts = 2;
            auto s = snapshot({j}, {lost_run});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(runs(p) == Lines{"0000000a 10:01 retry queued:retry"});
            REQUIRE(p.runs.size() == 1);
            const auto& r = p.runs[0];
            CHECK(r.attempt == 2);
            CHECK(r.retry_of == std::optional<std::int64_t>(7));
            CHECK(r.scheduled_for == tick_now() + seconds(60));
            CHECK(r.not_before == tick_now() + seconds(60));
            CHECK_FALSE(r.execution_id);
        }
        SUBCASE("given a retry that would run into the next regular run, it is superseded") {
            j.max_attempts = 2;
            j.next_execution = utc(2026, 5, 4, 10, 1); // before 10:01:30
            auto s = snapshot({j}, {lost_run});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:01 superseded x1"});
        }
        SUBCASE("given a paused job, the retry of its lost run is skipped as paused") {
            j.max_attempts = 2;
            j.enabled = false;
            j.status = model::JobStatus::paused;
            j.next_execution.reset();
            auto s = snapshot({j}, {lost_run});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:01 paused x1"});
        }
        SUBCASE("given a retry policy that names only exit codes, a lost run is not retried") {
            j.max_attempts = 3;
            j.retry_on = {model::RetryOn{model::RetryOn::Kind::exit, 3}};
            auto s = snapshot({j}, {lost_run});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(p.runs.empty());
        }
        SUBCASE("given a claimed run that never started, it is released and may start") {
            auto claimed = supervised(execution(8, j, ExecutionStatus::queued));
            auto s = snapshot({j}, {claimed});
            s.orphaned = {8};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#8 released"});
            CHECK(runs(p) == Lines{"0000000a 09:55 schedule #8 start"});
        }
        SUBCASE("given a run under a live supervisor, nothing is recovered") {
            CHECK_FALSE(plan::plan_tick(snapshot({j}, {lost_run})).writes());
        }
        SUBCASE("given a lost run of a job that is gone, it is still recorded lost") {
            auto s = snapshot({}, {lost_run});
            s.orphaned = {7};
            auto p = plan::plan_tick(s);
            CHECK(recoveries(p) == Lines{"#7 lost"});
            CHECK(p.runs.empty());
        }
    }

    TEST_CASE("queued runs: paused jobs, retries and their times") {
        auto j = cron_job("0000000a", "0 3 * * *", utc(2026, 5, 5, 3));
        SUBCASE("given a queued run of a paused job, it is skipped as paused") {
            j.enabled = false;
            j.status = model::JobStatus::paused;
            auto p = plan::plan_tick(snapshot({j}, {queued(8, j, "slot")}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 09:55 paused x1 #8"});
        }
        SUBCASE("given a queued retry whose time has not come, it waits and nothing is written") {
            auto r = queued(8, j, "retry");
            r.trigger = ExecutionTrigger::retry;
            r.attempt = 2;
            r.scheduled_for = r.not_before = utc(2026, 5, 4, 10, 5);
            auto p = plan::plan_tick(snapshot({j}, {r}));
            CHECK(p.runs.empty());
            CHECK(waiting(p) == Lines{"#8 retry"});
            CHECK_FALSE(p.writes());
        }
        SUBCASE("given a queued retry due later this minute, it starts with its time") {
            auto r = queued(8, j, "retry");
            r.trigger = ExecutionTrigger::retry;
            r.attempt = 2;
            r.scheduled_for = r.not_before = utc(2026, 5, 4, 10, 0, 50);
            auto p = plan::plan_tick(snapshot({j}, {r}));
            CHECK(runs(p) == Lines{"0000000a 10:00 retry #8 start"});
            CHECK(p.runs.at(0).attempt == 2);
            CHECK(hhmmss(p.runs.at(0).not_before) == "10:00:50");
        }
        SUBCASE("given a queued retry and a regular fire due, the retry is superseded") {
            j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
            auto r = queued(8, j, "retry");
            r.trigger = ExecutionTrigger::retry;
            r.attempt = 2;
            r.scheduled_for = r.not_before = utc(2026, 5, 4, 9, 59);
            auto p = plan::plan_tick(snapshot({j}, {r}));
            CHECK(skips(p) == Lines{"0000000a 09:59 superseded x1 #8"});
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule start"});
        }
    }

    TEST_CASE("time windows: a run starts only inside one") {
        // Monday 2026-05-04 10:00:30 UTC; the job fires every 5 minutes.
        auto j = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        auto window = [](const char* text) {
            auto w = model::parse_window(text);
            REQUIRE(w.ok());
            return *w;
        };
        SUBCASE("given a due fire inside its window, it starts") {
            j.windows = {window("Mon-Fri 09:00-17:00")};
            CHECK(runs(plan::plan_tick(snapshot({j}))) == Lines{"0000000a 10:00 schedule start"});
        }
        SUBCASE("given a due fire outside, under wait it is queued until the window opens") {
            j.windows = {window("Mon-Fri 12:00-13:00")};
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(runs(p) == Lines{"0000000a 10:00 schedule queued:window"});
            CHECK(time::format_iso_utc(p.runs.at(0).not_before) == "2026-05-04T12:00:00Z");
            CHECK(only_change(p).next_execution == utc(2026, 5, 4, 10, 5));
            CHECK(p.skips.empty());
        }
        SUBCASE("given a due fire outside, under skip it is skipped with reason window") {
            j.windows = {window("Mon-Fri 12:00-13:00")};
            j.outside_window = model::OutsideWindow::skip;
            auto p = plan::plan_tick(snapshot({j}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 window x1"});
            CHECK(contains(p.skips.at(0).detail, "next opens 2026-05-04T12:00:00"));
        }
        SUBCASE("given the window in another zone, its wall clock counts") {
            // 10:00 UTC is 12:00 in Europe/Berlin (CEST) and 06:00 in New York.
            j.windows = {window("12:00-13:00 Europe/Berlin")};
            CHECK(runs(plan::plan_tick(snapshot({j}))) == Lines{"0000000a 10:00 schedule start"});
            j.windows = {window("12:00-13:00 America/New_York")};
            CHECK(runs(plan::plan_tick(snapshot({j}))) ==
                  Lines{"0000000a 10:00 schedule queued:window"});
        }
        SUBCASE("given a run already waiting for a window, a later fire folds into it") {
            j.windows = {window("Mon-Fri 12:00-13:00")};
            auto w = queued(8, j, "window");
            w.not_before = utc(2026, 5, 4, 12);
            auto p = plan::plan_tick(snapshot({j}, {w}));
            CHECK(p.runs.empty());
            CHECK(skips(p) == Lines{"0000000a 10:00 coalesced x1"});
            CHECK(waiting(p) == Lines{"#8 window"});
        }
        SUBCASE("given the window opens, the waiting run starts and a fire due with it folds") {
            j.windows = {window("Mon-Fri 10:00-13:00")};
            auto w = queued(8, j, "window");
            w.not_before = utc(2026, 5, 4, 10);
            auto p = plan::plan_tick(snapshot({j}, {w}));
            CHECK(runs(p) == Lines{"0000000a 09:55 schedule #8 start"});
            CHECK(skips(p) == Lines{"0000000a 10:00 coalesced x1"});
        }
        SUBCASE("given a queued run whose time comes outside the windows, it keeps waiting") {
            j.windows = {window("Mon-Fri 12:00-13:00")};
            auto r = queued(8, j, "retry");
            r.trigger = ExecutionTrigger::retry;
            r.attempt = 2;
            r.scheduled_for = r.not_before = utc(2026, 5, 4, 9, 58);
            auto s = snapshot({j}, {r});
            s.fire_due = false;
            auto p = plan::plan_tick(s);
            CHECK(p.runs.empty());
            CHECK(waiting(p) == Lines{"#8 window"});
            CHECK(p.waiting.at(0).until == utc(2026, 5, 4, 12));
            CHECK_FALSE(p.writes());
            SUBCASE("and under skip it is skipped") {
                s.jobs.at(j.id).outside_window = model::OutsideWindow::skip;
                CHECK(skips(plan::plan_tick(s)) == Lines{"0000000a 09:58 window x1 #8"});
            }
        }
        SUBCASE("given an overnight weekend window across the October DST change in London") {
            // Saturday 2026-10-24 22:00 BST to Sunday 06:00 GMT, Sunday
            // 22:00 GMT to Monday 06:00; the clocks go back at 02:00 BST
            // on Sunday 25 October.
            j.timezone = "Europe/London";
            j.windows = {window("Sat,Sun 22:00-06:00")};
            auto at = [&](time::Instant now) {
                auto s = snapshot({j});
                s.now = now;
                s.jobs.at(j.id).next_execution = time::floor_minute(now);
                return runs(plan::plan_tick(s));
            };
            const Lines start{"0000000a " + hhmm(utc(2026, 10, 24, 21)) + " schedule start"};
            CHECK(at(utc(2026, 10, 24, 21)) == start); // Sat 22:00 BST
            CHECK(at(utc(2026, 10, 24, 20, 55)) ==     // Sat 21:55 BST
                  Lines{"0000000a 20:55 schedule queued:window"});
            CHECK(at(utc(2026, 10, 25, 1, 30)).at(0).ends_with("start"));     // 01:30 GMT, 2nd pass
            CHECK(at(utc(2026, 10, 25, 5, 55)).at(0).ends_with("start"));     // Sun 05:55 GMT
            CHECK(at(utc(2026, 10, 25, 6)).at(0).ends_with("queued:window")); // Sun 06:00 GMT
            CHECK(at(utc(2026, 10, 26, 5, 55)).at(0).ends_with("start"));     // Mon 05:55, Sunday's
            CHECK(at(utc(2026, 10, 26, 6)).at(0).ends_with("queued:window"));
        }
    }

    TEST_CASE("dependencies: a run waits for the jobs it depends on") {
        // b depends on a; b is due at 10:00; its run before was due at 09:00.
        auto a = cron_job("0000000a", "0 3 * * *", utc(2026, 5, 5, 3));
        auto b = cron_job("0000000b", "0 * * * *", utc(2026, 5, 4, 10));
        b.depends_on = {{a.id, "a", model::EndState::completed, time::Duration{0}}};
        auto plan_with = [&](plan::LinkedJob state, std::vector<model::Execution> active = {}) {
            auto s = snapshot({b}, std::move(active));
            s.linked[a.id] = state;
            s.last_due[b.id] = utc(2026, 5, 4, 9);
            return plan::plan_tick(s);
        };
        SUBCASE("given a completed since the run before, b starts") {
            plan::LinkedJob ok;
            ok.completed = ok.ended = utc(2026, 5, 4, 9, 30);
            CHECK(runs(plan_with(ok)) == Lines{"0000000b 10:00 schedule start"});
        }
        SUBCASE("given a's last completion before that, b waits, deferred") {
            plan::LinkedJob old;
            old.completed = old.ended = utc(2026, 5, 4, 8, 30);
            auto p = plan_with(old);
            CHECK(runs(p) == Lines{"0000000b 10:00 schedule queued:dependency"});
            CHECK(p.runs.at(0).deferred);
        }
        SUBCASE("given a running, b waits for its end, not deferred") {
            plan::LinkedJob busy;
            busy.active = busy.running = true;
            busy.completed = utc(2026, 5, 4, 9, 30);
            auto p = plan_with(busy);
            CHECK(runs(p) == Lines{"0000000b 10:00 schedule queued:dependency"});
            CHECK_FALSE(p.runs.at(0).deferred);
        }
        SUBCASE("given a failed and b needs failed, b starts") {
            b.depends_on[0].state = model::EndState::failed;
            plan::LinkedJob failed;
            failed.failed = failed.ended = utc(2026, 5, 4, 9, 45);
            CHECK(runs(plan_with(failed)) == Lines{"0000000b 10:00 schedule start"});
            failed.failed.reset();
            failed.completed = failed.ended;
            CHECK(runs(plan_with(failed)) == Lines{"0000000b 10:00 schedule queued:dependency"});
        }
        SUBCASE("given a waiting run past its timeout, it is skipped with reason dependency") {
            b.depends_on[0].timeout = std::chrono::minutes(30);
            auto w = queued(8, b, "dependency");
            w.scheduled_for = utc(2026, 5, 4, 9, 15);
            auto s = snapshot({b}, {w});
            s.fire_due = false;
            s.linked[a.id] = plan::LinkedJob{};
            auto p = plan::plan_tick(s);
            CHECK(skips(p) == Lines{"0000000b 09:15 dependency x1 #8"});
            CHECK(contains(p.skips.at(0).detail, "within 30m"));
        }
        SUBCASE("given a waiting run without timeout, the next scheduled run supersedes it") {
            auto w = queued(8, b, "dependency");
            w.scheduled_for = utc(2026, 5, 4, 9);
            auto p = plan_with(plan::LinkedJob{}, {w});
            CHECK(skips(p) == Lines{"0000000b 09:00 dependency x1 #8"});
            CHECK(runs(p) == Lines{"0000000b 10:00 schedule queued:dependency"});
        }
        SUBCASE("given a retry of b, it does not wait") {
            auto r = queued(8, b, "retry");
            r.trigger = ExecutionTrigger::retry;
            r.attempt = 2;
            r.scheduled_for = r.not_before = utc(2026, 5, 4, 9, 59);
            auto s = snapshot({b}, {r});
            s.fire_due = false;
            s.linked[a.id] = plan::LinkedJob{};
            CHECK(runs(plan::plan_tick(s)) == Lines{"0000000b 09:59 retry #8 start"});
        }
    }

    TEST_CASE("conflicts: a run waits while a job it conflicts with runs") {
        auto x = cron_job("0000000a", "0 * * * *", utc(2026, 5, 4, 10));
        auto y = cron_job("0000000b", "0 * * * *", utc(2026, 5, 4, 10));
        x.priority = 80;
        SUBCASE("given both due, the higher priority starts and the other waits") {
            auto s = snapshot({x, y});
            s.conflicts.insert({y.id, x.id}); // named by y only
            s.linked[x.id] = {};
            s.linked[y.id] = {};
            CHECK(runs(plan::plan_tick(s)) == Lines{"0000000a 10:00 schedule start",
                                                    "0000000b 10:00 schedule queued:conflict"});
        }
        SUBCASE("given the other running, the link holds from either side") {
            auto s = snapshot({x});
            s.conflicts.insert({y.id, x.id});
            plan::LinkedJob busy;
            busy.active = busy.running = true;
            s.linked[y.id] = busy;
            CHECK(runs(plan::plan_tick(s)) == Lines{"0000000a 10:00 schedule queued:conflict"});
        }
    }

    TEST_CASE("with fire_due false only queued work is planned") {
        auto due = cron_job("0000000a", "*/5 * * * *", utc(2026, 5, 4, 10));
        auto other = cron_job("0000000b", "0 3 * * *", utc(2026, 5, 5, 3));
        auto s = snapshot({due, other}, {queued(8, other, "slot")});
        s.fire_due = false;
        auto p = plan::plan_tick(s);
        CHECK(runs(p) == Lines{"0000000b 09:55 schedule #8 start"});
        CHECK(p.jobs.empty());
        CHECK(p.skips.empty());
        SUBCASE("and with no queued work it writes nothing") {
            s.active.clear();
            CHECK_FALSE(plan::plan_tick(s).writes());
        }
    }

    TEST_CASE("each backoff gives its delay sequence through plan_retry") {
        model::Job j = cron_job("0000000a", "0 3 * * *", std::nullopt);
        j.max_attempts = 10;
        j.retry_delay = time::Duration{60};
        j.retry_max_delay = time::Duration{3600};
        const auto ended_at = tick_now();
        auto sequence = [&](model::Backoff b, int n) {
            j.backoff = b;
            std::vector<long> out;
            for (int attempt = 1; attempt <= n; ++attempt) {
                model::Execution e;
                e.job_id = j.id;
                e.status = ExecutionStatus::failed;
                e.exit_code = 1;
                e.attempt = attempt;
                auto r = plan::plan_retry(j, e, ended_at);
                REQUIRE(r);
                CHECK(r->attempt == attempt + 1);
                CHECK_FALSE(r->superseded);
                out.push_back(static_cast<long>((r->at - ended_at).count()));
            }
            return out;
        };
        SUBCASE("fixed: d, d, d") {
            CHECK(sequence(model::Backoff::fixed, 4) == std::vector<long>{60, 60, 60, 60});
        }
        SUBCASE("linear: d, 2d, 3d") {
            CHECK(sequence(model::Backoff::linear, 4) == std::vector<long>{60, 120, 180, 240});
        }
        SUBCASE("exponential: d, 2d, 4d") {
            CHECK(sequence(model::Backoff::exponential, 5) ==
                  std::vector<long>{60, 120, 240, 480, 960});
        }
        SUBCASE("fibonacci: d, d, 2d, 3d, 5d") {
            CHECK(sequence(model::Backoff::fibonacci, 6) ==
                  std::vector<long>{60, 60, 120, 180, 300, 480});
        }
        SUBCASE("capped by retry_max_delay") {
            j.retry_max_delay = time::Duration{300};
            CHECK(sequence(model::Backoff::exponential, 6) ==
                  std::vector<long>{60, 120, 240, 300, 300, 300});
            CHECK(sequence(model::Backoff::fibonacci, 6) ==
                  std::vector<long>{60, 60, 120, 180, 300, 300});
            CHECK(sequence(model::Backoff::linear, 6) ==
                  std::vector<long>{60, 120, 180, 240, 300, 300});
        }
        SUBCASE("no retry once the attempts are used up") {
            model::Execution e;
            e.status = ExecutionStatus::failed;
            e.exit_code = 1;
            e.attempt = 10;
            CHECK_FALSE(plan::plan_retry(j, e, ended_at));
            e.attempt = 9;
            CHECK(plan::plan_retry(j, e, ended_at));
        }
        SUBCASE("a retry at or after the next regular run is superseded") {
            model::Execution e;
            e.status = ExecutionStatus::failed;
            e.exit_code = 1;
            e.attempt = 1;
            j.next_execution = ended_at + seconds(60);
            auto r = plan::plan_retry(j, e, ended_at);
            REQUIRE(r);
            CHECK(r->superseded);
            j.next_execution = ended_at + seconds(61);
            r = plan::plan_retry(j, e, ended_at);
            REQUIRE(r);
            CHECK_FALSE(r->superseded);
        }
    }

    TEST_CASE("retry_on chooses which failures are retried") {
        model::Job j = cron_job("0000000a", "0 3 * * *", std::nullopt);
        j.max_attempts = 3;
        auto ended = [](ExecutionStatus s, std::optional<int> exit, std::optional<int> sig) {
            model::Execution e;
            e.status = s;
            e.exit_code = exit;
            e.signal = sig;
            e.attempt = 1;
            return e;
        };
        const auto exit3 = ended(ExecutionStatus::failed, 3, std::nullopt);
        const auto exit4 = ended(ExecutionStatus::failed, 4, std::nullopt);
        const auto killed = ended(ExecutionStatus::failed, std::nullopt, 9);
        const auto timed_out = ended(ExecutionStatus::timed_out, std::nullopt, 15);
        const auto lost = ended(ExecutionStatus::lost, std::nullopt, std::nullopt);
        const auto cancelled = ended(ExecutionStatus::cancelled, std::nullopt, 15);
        const auto completed = ended(ExecutionStatus::completed, 0, std::nullopt);
        using Kind = model::RetryOn::Kind;

        SUBCASE("by default any failure is retried, never a cancel or a success") {
            CHECK(plan::retries(j, exit3));
            CHECK(plan::retries(j, killed));
            CHECK(plan::retries(j, timed_out));
            CHECK(plan::retries(j, lost));
            CHECK_FALSE(plan::retries(j, cancelled));
            CHECK_FALSE(plan::retries(j, completed));
        }
        SUBCASE("timeout") {
            j.retry_on = {{Kind::timeout, 0}};
            CHECK(plan::retries(j, timed_out));
            CHECK_FALSE(plan::retries(j, exit3));
            CHECK_FALSE(plan::retries(j, lost));
            CHECK_FALSE(plan::retries(j, killed));
        }
        SUBCASE("lost") {
            j.retry_on = {{Kind::lost, 0}};
            CHECK(plan::retries(j, lost));
            CHECK_FALSE(plan::retries(j, timed_out));
            CHECK_FALSE(plan::retries(j, exit3));
        }
        SUBCASE("signal") {
            j.retry_on = {{Kind::signal, 0}};
            CHECK(plan::retries(j, killed));
            CHECK_FALSE(plan::retries(j, exit3));
            CHECK_FALSE(plan::retries(j, cancelled));
        }
        SUBCASE("exit:N") {
            j.retry_on = {{Kind::exit, 3}};
            CHECK(plan::retries(j, exit3));
            CHECK_FALSE(plan::retries(j, exit4));
            CHECK_FALSE(plan::retries(j, killed));
            CHECK_FALSE(plan::retries(j, timed_out));
            CHECK_FALSE(plan::plan_retry(j, exit4, tick_now()));
        }
        SUBCASE("a list retries what any item names, never a cancel") {
            j.retry_on = {{Kind::timeout, 0}, {Kind::lost, 0}, {Kind::signal, 0}, {Kind::exit, 4}};
            CHECK(plan::retries(j, exit4));
            CHECK(plan::retries(j, lost));
            CHECK(plan::retries(j, timed_out));
            CHECK(plan::retries(j, killed));
            CHECK_FALSE(plan::retries(j, exit3));
            CHECK_FALSE(plan::retries(j, cancelled));
        }
    }

    TEST_CASE("due_horizon is the start of the next minute") {
        CHECK(plan::due_horizon(utc(2026, 5, 4, 10, 0, 0)) == utc(2026, 5, 4, 10, 1));
        CHECK(plan::due_horizon(utc(2026, 5, 4, 10, 0, 59)) == utc(2026, 5, 4, 10, 1));
    }
}
