// store::Store executions and outputs against a real SQLite file in a
// temporary directory: round trips, listing, job counters and retention.

#include "../support/temp_dir.hpp"

#include <schedule/store/store.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace schedule;
using schedule::test::TempDir;
using Status = model::ExecutionStatus;

namespace {

const time::Instant k_now = time::from_unix(1768471200); // 2026-01-15T10:00:00Z

model::Job sample_job(const std::string& id, const std::string& name) {
    model::Job j;
    j.id = id;
    j.name = name;
    j.timezone = "Europe/Berlin";
    j.command = "true";
    j.created_at = j.updated_at = time::from_unix(1700000000);
    return j;
}

// An execution of `job_id` created `age` before k_now; ended ones end at
// their creation plus a minute.
model::Execution execution(const std::string& job_id, Status status,
                           time::Duration age = time::Duration{0}) {
    model::Execution e;
    e.job_id = job_id;
    e.status = status;
    e.created_at = e.updated_at = k_now - age;
    if (status != Status::queued && status != Status::waiting && status != Status::skipped)
        e.start_time = e.created_at;
    if (model::is_final(status) && status != Status::skipped)
        e.end_time = e.created_at + time::Duration{60};
    return e;
}

struct Fixture {
    TempDir tmp;
    store::Store store = store::Store::open(tmp.path() / "s.db", store::Access::write);

    Fixture() {
        auto tx = store.begin_write();
        store.insert_job(tx, sample_job("0000000a", "alpha"));
        store.insert_job(tx, sample_job("0000000b", "beta"));
        tx.commit();
    }

    std::int64_t insert(const model::Execution& e) {
        auto tx = store.begin_write();
        auto id = store.insert_execution(tx, e);
        tx.commit();
        return id;
    }

    std::vector<std::int64_t> ids(const store::ExecutionFilter& f) {
        std::vector<std::int64_t> out;
        for (const auto& e : store.list_executions(f))
            out.push_back(e.id);
        return out;
    }

    std::vector<std::int64_t> all_ids() {
        auto v = ids({});
        std::sort(v.begin(), v.end());
        return v;
    }

    model::Job job(const std::string& id) {
        auto j = store.find_job_by_id(id);
        REQUIRE(j);
        return *j;
    }
};

using Ids = std::vector<std::int64_t>;

} // namespace

TEST_SUITE("store::executions") {

    TEST_CASE("every field round-trips through insert, find and update") {
        Fixture f;
        // given an execution with every field set
        model::Execution e;
        e.job_id = "0000000a";
        e.trigger = model::ExecutionTrigger::retry;
        e.attempt = 3;
        e.status = Status::failed;
        e.reason = model::Reason::parse(e.status, "overlap"); // kept as text
        e.skipped_count = 4;
        e.scheduled_for = time::from_unix(1768470000);
        e.start_time = time::from_unix(1768470001);
        e.end_time = time::from_unix(1768470062);
        e.duration_ms = 61234;
        e.exit_code = 3;
        e.signal = 9;
        e.error = "boom: \"quoted\"";
        e.host = "host-1";
        e.pid = 4242;
        e.process_start = 123456789012;
        e.boot_id = "0f0e0d0c-0b0a-0908-0706-050403020100";
        e.supervisor_pid = 77;
        e.supervisor_start = 88;
        e.created_at = time::from_unix(1768469999);
        e.updated_at = time::from_unix(1768470063);
        e.id = 999; // ignored by insert

        auto id = f.insert(e);
        CHECK(id != 999);
        auto check_same = [&](const model::Execution& want) {
            auto got = f.store.find_execution(id);
            REQUIRE(got);
            CHECK(got->id == id);
            CHECK(got->job_id == want.job_id);
            CHECK(got->job_name == (want.job_id == "0000000a" ? "alpha" : "beta"));
            CHECK(got->job_timezone == "Europe/Berlin");
            CHECK(got->trigger == want.trigger);
            CHECK(got->attempt == want.attempt);
            CHECK(got->status == want.status);
            CHECK(got->reason == want.reason);
            CHECK(got->skipped_count == want.skipped_count);
            CHECK(got->scheduled_for == want.scheduled_for);
            CHECK(got->start_time == want.start_time);
            CHECK(got->end_time == want.end_time);
            CHECK(got->duration_ms == want.duration_ms);
            CHECK(got->exit_code == want.exit_code);
            CHECK(got->signal == want.signal);
            CHECK(got->error == want.error);
            CHECK(got->host == want.host);
            CHECK(got->pid == want.pid);
            CHECK(got->process_start == want.process_start);
            CHECK(got->boot_id == want.boot_id);
            CHECK(got->supervisor_pid == want.supervisor_pid);
            CHECK(got->supervisor_start == want.supervisor_start);
            CHECK(got->created_at == want.created_at);
            CHECK(got->updated_at == want.updated_at);
        };
        SUBCASE("when it is read back then every field is as inserted") {
            check_same(e);
        }
        SUBCASE("when every field is updated then the new values are read back") {
            model::Execution u;
            u.id = id;
            u.job_id = "0000000b";
            u.trigger = model::ExecutionTrigger::catchup;
            u.attempt = 1;
            u.status = Status::completed;
            u.reason = model::Reason::parse(u.status, "window"); // kept as text
            u.skipped_count = 9;
            u.scheduled_for = time::from_unix(1);
            u.start_time = time::from_unix(2);
            u.end_time = time::from_unix(3);
            u.duration_ms = 0;
            u.exit_code = 0;
            u.signal = 15;
            u.error = "other";
            u.host = "host-2";
            u.pid = 1;
            u.process_start = 2;
            u.boot_id = "b";
            u.supervisor_pid = 3;
            u.supervisor_start = 4;
            u.created_at = time::from_unix(5);
            u.updated_at = time::from_unix(6);
            {
                auto tx = f.store.begin_write();
                f.store.update_execution(tx, u);
                tx.commit();
            }
            check_same(u);
        }
        SUBCASE("when every optional field is cleared then they read back as null") {
            model::Execution bare;
            bare.id = id;
            bare.job_id = "0000000a";
            bare.created_at = bare.updated_at = time::from_unix(10);
            {
                auto tx = f.store.begin_write();
                f.store.update_execution(tx, bare);
                tx.commit();
            }
            check_same(bare);
            auto got = f.store.find_execution(id);
            CHECK_FALSE(got->reason);
            CHECK_FALSE(got->exit_code);
            CHECK_FALSE(got->signal);
            CHECK_FALSE(got->pid);
            CHECK_FALSE(got->start_time);
            CHECK(got->trigger == model::ExecutionTrigger::manual);
            CHECK(got->status == Status::queued);
        }
        SUBCASE("when an unknown execution is updated then NotFound is thrown") {
            auto gone = e;
            gone.id = id + 100;
            auto tx = f.store.begin_write();
            CHECK_THROWS_AS(f.store.update_execution(tx, gone), util::NotFound);
        }
        CHECK_FALSE(f.store.find_execution(id + 1000));
    }

    TEST_CASE("an execution of an unknown job is refused") {
        Fixture f;
        auto tx = f.store.begin_write();
        CHECK_THROWS_AS(f.store.insert_execution(tx, execution("deadbeef", Status::queued)),
                        util::StoreError);
    }

    TEST_CASE("list_executions is newest first and filters by job, status, since and limit") {
        Fixture f;
        // given executions of two jobs created 5, 4, 3, 2 and 1 hours ago
        auto h = [](int n) { return time::Duration{3600 * n}; };
        auto a1 = f.insert(execution("0000000a", Status::completed, h(5)));
        auto b1 = f.insert(execution("0000000b", Status::failed, h(4)));
        auto a2 = f.insert(execution("0000000a", Status::failed, h(3)));
        auto a3 = f.insert(execution("0000000a", Status::completed, h(2)));
        auto b2 = f.insert(execution("0000000b", Status::running, h(1)));
        CHECK(a1 < b1);
        CHECK(b1 < a2);

        CHECK(f.ids({}) == Ids{b2, a3, a2, b1, a1});
        CHECK(f.ids({.job_id = "0000000a"}) == Ids{a3, a2, a1});
        CHECK(f.ids({.job_id = "0000000b"}) == Ids{b2, b1});
        CHECK(f.ids({.job_id = "00000000"}).empty());
        CHECK(f.ids({.status = Status::failed}) == Ids{a2, b1});
        CHECK(f.ids({.status = Status::lost}).empty());
        // since is inclusive: created at or after
        CHECK(f.ids({.since = k_now - h(3)}) == Ids{b2, a3, a2});
        CHECK(f.ids({.since = k_now - h(3) + time::Duration{1}}) == Ids{b2, a3});
        CHECK(f.ids({.limit = 2}) == Ids{b2, a3});
        CHECK(f.ids({.limit = 0}).empty());
        CHECK(f.ids({.job_id = "0000000a", .status = Status::completed}) == Ids{a3, a1});
        CHECK(f.ids({.job_id = "0000000a", .since = k_now - h(4), .limit = 1}) == Ids{a3});
        auto listed = f.store.list_executions({.job_id = "0000000b"});
        REQUIRE(listed.size() == 2);
        CHECK(listed[0].job_name == "beta");
        CHECK(listed[0].status == Status::running);
    }

    TEST_CASE("active_executions lists queued, waiting and running ones oldest first") {
        Fixture f;
        auto q = f.insert(execution("0000000a", Status::queued));
        f.insert(execution("0000000a", Status::completed));
        auto w = f.insert(execution("0000000b", Status::waiting));
        f.insert(execution("0000000b", Status::skipped));
        auto r = f.insert(execution("0000000a", Status::running));
        for (auto s : {Status::failed, Status::timed_out, Status::cancelled, Status::lost})
            f.insert(execution("0000000a", s));

        auto ids = [](const std::vector<model::Execution>& v) {
            Ids out;
            for (const auto& e : v)
                out.push_back(e.id);
            return out;
        };
        CHECK(ids(f.store.active_executions()) == Ids{q, w, r});
        CHECK(ids(f.store.active_executions("0000000a")) == Ids{q, r});
        CHECK(ids(f.store.active_executions("0000000b")) == Ids{w});
        CHECK(f.store.active_executions("00000000").empty());
    }

    TEST_CASE("active_execution_statuses gives the id and status of each active run") {
        Fixture f;
        auto q = f.insert(execution("0000000a", Status::queued));
        f.insert(execution("0000000a", Status::completed));
        auto w = f.insert(execution("0000000b", Status::waiting));
        auto r = f.insert(execution("0000000a", Status::running));
        f.insert(execution("0000000b", Status::lost));
        auto got = f.store.active_execution_statuses();
        std::sort(got.begin(), got.end());
        CHECK(got == std::vector<std::pair<std::int64_t, Status>>{
                         {q, Status::queued}, {w, Status::waiting}, {r, Status::running}});
    }

    TEST_CASE("recent_runs gives each job's newest ended runs, oldest first") {
        Fixture f;
        // given alpha: 12 ended runs (durations 1..12 ms, the 4th a skip
        // without one) with a queued and a running one among them; beta: one
        // running run only
        for (int i = 1; i <= 12; ++i) {
            auto e = execution("0000000a", i % 5 == 0 ? Status::failed : Status::completed);
            e.duration_ms = i;
            if (i == 4) {
                e = execution("0000000a", Status::skipped);
                e.skipped_count = 2;
            }
            f.insert(e);
            if (i == 6)
                f.insert(execution("0000000a", Status::queued));
            if (i == 11)
                f.insert(execution("0000000a", Status::running));
        }
        f.insert(execution("0000000b", Status::running));

        auto runs = [](std::initializer_list<int> durations) {
            std::vector<model::RunOutcome> out;
            for (int d : durations)
                out.push_back({d == 4       ? Status::skipped
                               : d % 5 == 0 ? Status::failed
                                            : Status::completed,
                               d == 4 ? std::nullopt : std::optional<std::int64_t>(d)});
            return out;
        };
        // then the newest 10 of alpha, without the active ones; beta has none
        auto recent = f.store.recent_runs({"0000000a", "0000000b"}, 10);
        CHECK(recent.size() == 1);
        CHECK(recent["0000000a"] == runs({3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        // fewer when asked for fewer, all when asked for more
        CHECK(f.store.recent_runs({"0000000a"}, 3)["0000000a"] == runs({10, 11, 12}));
        CHECK(f.store.recent_runs({"0000000a"}, 30)["0000000a"] ==
              runs({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        // only the jobs asked about
        CHECK(f.store.recent_runs({"0000000b"}, 10).empty());
        CHECK(f.store.recent_runs({}, 10).empty());
    }

    TEST_CASE("outputs are stored byte for byte, per stream") {
        Fixture f;
        auto id = f.insert(execution("0000000a", Status::completed));
        // given binary output: NUL bytes, invalid UTF-8 and a lone high byte
        model::CapturedOutput out;
        out.data = std::string("head\0mid\xff\xfe\xc3\x28\x80tail\n\0", 19);
        out.total_bytes = 123456789;
        out.truncated = true;
        model::CapturedOutput err;
        err.data = "plain error\n";
        err.total_bytes = 12;
        {
            auto tx = f.store.begin_write();
            f.store.save_output(tx, id, "stdout", out);
            f.store.save_output(tx, id, "stderr", err);
            tx.commit();
        }
        auto got = f.store.load_output(id, "stdout");
        REQUIRE(got);
        CHECK(got->data.size() == 19);
        CHECK(got->data == out.data);
        CHECK(got->total_bytes == 123456789);
        CHECK(got->truncated);
        auto got_err = f.store.load_output(id, "stderr");
        REQUIRE(got_err);
        CHECK(got_err->data == "plain error\n");
        CHECK(got_err->total_bytes == 12);
        CHECK_FALSE(got_err->truncated);

        SUBCASE("when nothing was stored for a stream or an execution then it is nullopt") {
            auto other = f.insert(execution("0000000a", Status::completed));
            CHECK_FALSE(f.store.load_output(other, "stdout"));
            CHECK_FALSE(f.store.load_output(id + 1000, "stdout"));
        }
        SUBCASE("when a stream is saved again then it replaces the old one") {
            model::CapturedOutput empty;
            {
                auto tx = f.store.begin_write();
                f.store.save_output(tx, id, "stdout", empty);
                tx.commit();
            }
            auto again = f.store.load_output(id, "stdout");
            REQUIRE(again);
            CHECK(again->data.empty());
            CHECK(again->total_bytes == 0);
            CHECK_FALSE(again->truncated);
            CHECK(f.store.load_output(id, "stderr")->data == "plain error\n");
        }
    }

    TEST_CASE("job counters follow runs that start and end") {
        Fixture f;
        auto start = [&](Status s, time::Instant at) {
            auto e = execution("0000000a", s);
            e.start_time = at;
            auto tx = f.store.begin_write();
            e.id = f.store.insert_execution(tx, e);
            f.store.note_run_started(tx, e);
            tx.commit();
            return e;
        };
        auto end = [&](model::Execution e, Status s) {
            e.status = s;
            e.end_time = e.start_time;
            auto tx = f.store.begin_write();
            f.store.update_execution(tx, e);
            f.store.note_run_ended(tx, e);
            tx.commit();
            return e;
        };
        // The counters must agree with the executions table.
        auto check_consistent = [&] {
            auto job = f.job("0000000a");
            auto all = f.store.list_executions({.job_id = "0000000a"});
            std::int64_t failures = 0;
            for (const auto& e : all)
                failures += model::is_failure(e.status) ? 1 : 0;
            CHECK(job.execution_count == static_cast<std::int64_t>(all.size()));
            CHECK(job.failure_count == failures);
        };

        // given a job that never ran
        CHECK(f.job("0000000a").execution_count == 0);
        CHECK_FALSE(f.job("0000000a").last_status);

        // when a run starts
        auto first = start(Status::running, time::from_unix(1000));
        CHECK(f.job("0000000a").execution_count == 1);
        CHECK(f.job("0000000a").last_status == "running");
        CHECK(f.job("0000000a").last_execution == time::from_unix(1000));
        check_consistent();

        // when it fails
        end(first, Status::failed);
        CHECK(f.job("0000000a").failure_count == 1);
        CHECK(f.job("0000000a").last_status == "failed");
        check_consistent();

        // when an older run is still going as a newer one starts and the
        // older one then ends, last_status follows the newest
        auto older = start(Status::running, time::from_unix(2000));
        auto newer = start(Status::running, time::from_unix(3000));
        CHECK(f.job("0000000a").last_execution == time::from_unix(3000));
        end(older, Status::timed_out);
        CHECK(f.job("0000000a").last_status == "running");
        CHECK(f.job("0000000a").failure_count == 2);
        check_consistent();
        end(newer, Status::completed);
        CHECK(f.job("0000000a").last_status == "completed");
        CHECK(f.job("0000000a").last_execution == time::from_unix(3000));
        CHECK(f.job("0000000a").failure_count == 2);
        check_consistent();

        // when a run is cancelled it is not a failure
        end(start(Status::running, time::from_unix(4000)), Status::cancelled);
        CHECK(f.job("0000000a").last_status == "cancelled");
        CHECK(f.job("0000000a").failure_count == 2);
        CHECK(f.job("0000000a").execution_count == 4);
        check_consistent();
        // and the other job is untouched
        CHECK(f.job("0000000b").execution_count == 0);
        CHECK(f.job("0000000b").failure_count == 0);
    }

    TEST_CASE("a started run of the schedule counts toward max_executions, manual and retry "
              "runs do not") {
        Fixture f;
        {
            auto job = f.job("0000000a");
            job.max_executions = 2;
            auto tx = f.store.begin_write();
            f.store.update_job(tx, job);
            tx.commit();
        }
        auto start = [&](const std::string& job_id, model::ExecutionTrigger trigger) {
            auto e = execution(job_id, Status::running);
            e.trigger = trigger;
            auto tx = f.store.begin_write();
            e.id = f.store.insert_execution(tx, e);
            auto count = f.store.note_run_started(tx, e);
            tx.commit();
            return count;
        };
        auto c = start("0000000a", model::ExecutionTrigger::manual);
        REQUIRE(c);
        CHECK(c->scheduled_count == 0);
        CHECK(c->max_executions == 2);
        CHECK(start("0000000a", model::ExecutionTrigger::retry)->scheduled_count == 0);
        CHECK(start("0000000a", model::ExecutionTrigger::schedule)->scheduled_count == 1);
        CHECK(start("0000000a", model::ExecutionTrigger::catchup)->scheduled_count == 2);
        CHECK(f.job("0000000a").scheduled_count == 2);
        CHECK(f.job("0000000a").execution_count == 4);
        auto other = start("0000000b", model::ExecutionTrigger::reboot);
        REQUIRE(other);
        CHECK(other->scheduled_count == 1);
        CHECK_FALSE(other->max_executions);

        // a run whose job is gone reports nothing
        auto gone = execution("0000000a", Status::running);
        gone.job_id = "0000000c";
        auto tx = f.store.begin_write();
        CHECK_FALSE(f.store.note_run_started(tx, gone));
    }

    TEST_CASE("counters stop at 2^53 - 1, whatever the store holds") {
        Fixture f;
        // given a job whose counters are the largest integer, as a store
        // may hold them from before they stopped at 2^53 - 1
        {
            auto job = f.job("0000000a");
            job.execution_count = job.failure_count = job.scheduled_count = INT64_MAX;
            auto tx = f.store.begin_write();
            f.store.update_job(tx, job);
            tx.commit();
        }
        // when a run of its schedule starts and fails
        auto e = execution("0000000a", Status::running);
        {
            auto tx = f.store.begin_write();
            e.id = f.store.insert_execution(tx, e);
            auto count = f.store.note_run_started(tx, e);
            REQUIRE(count);
            CHECK(count->scheduled_count == model::k_max_count);
            e.status = Status::failed;
            f.store.note_run_ended(tx, e);
            tx.commit();
        }
        // then its counters are the bound, and stay there
        auto job = f.job("0000000a");
        CHECK(job.execution_count == model::k_max_count);
        CHECK(job.failure_count == model::k_max_count);
        CHECK(job.scheduled_count == model::k_max_count);

        // and a skip record's count stops there too
        auto skip = execution("0000000b", Status::skipped);
        skip.reason = model::SkipReason::overlap;
        skip.skipped_count = INT64_MAX;
        auto id = f.insert(skip);
        skip.skipped_count = 1;
        auto tx = f.store.begin_write();
        CHECK(f.store.record_skip(tx, skip) == id);
        tx.commit();
        CHECK(f.store.find_execution(id)->skipped_count == model::k_max_count);
    }

    TEST_CASE("pruning keeps the newest keep_last per job and never active runs") {
        Fixture f;
        auto day = time::Duration{86400};
        auto cutoff = k_now - 30 * day;
        // given job a: an old running and an old queued run, then five runs
        // that ended 40 days ago, and one recent run
        auto a_running = f.insert(execution("0000000a", Status::running, 50 * day));
        auto a_queued = f.insert(execution("0000000a", Status::queued, 50 * day));
        Ids a_old;
        for (int i = 0; i < 5; ++i)
            a_old.push_back(f.insert(execution("0000000a", Status::completed, 40 * day)));
        auto a_recent = f.insert(execution("0000000a", Status::failed, day));
        // and job b: two old runs only
        auto b_old1 = f.insert(execution("0000000b", Status::skipped, 60 * day));
        auto b_old2 = f.insert(execution("0000000b", Status::lost, 60 * day));
        // with output for every old run of a
        {
            auto tx = f.store.begin_write();
            for (auto id : a_old)
                f.store.save_output(tx, id, "stdout", {"out", 3, false});
            tx.commit();
        }

        SUBCASE("keep_last 3 keeps the three newest of each job whatever their age") {
            auto tx = f.store.begin_write();
            CHECK(f.store.prune_executions(tx, cutoff, 3) == 3);
            tx.commit();
            // a keeps a_recent and its two newest old runs; b keeps both
            CHECK(f.all_ids() ==
                  Ids{a_running, a_queued, a_old[3], a_old[4], a_recent, b_old1, b_old2});
            // and the outputs of the pruned runs went with them
            for (int i = 0; i < 3; ++i)
                CHECK_FALSE(f.store.load_output(a_old[i], "stdout"));
            CHECK(f.store.load_output(a_old[3], "stdout"));
        }
        SUBCASE("keep_last 0 deletes every ended run before the cutoff") {
            auto tx = f.store.begin_write();
            CHECK(f.store.prune_executions(tx, cutoff, 0) == 7);
            tx.commit();
            CHECK(f.all_ids() == Ids{a_running, a_queued, a_recent});
            for (auto id : a_old)
                CHECK_FALSE(f.store.load_output(id, "stdout"));
        }
        SUBCASE("a cutoff before every run deletes nothing") {
            auto tx = f.store.begin_write();
            CHECK(f.store.prune_executions(tx, k_now - 100 * day, 0) == 0);
            tx.commit();
            CHECK(f.all_ids().size() == 10);
        }
        SUBCASE("a run that ended exactly at the cutoff is kept") {
            auto tx = f.store.begin_write();
            // a_old ended 40 days ago plus a minute
            auto at = k_now - 40 * day + time::Duration{60};
            CHECK(f.store.prune_executions(tx, at, 0) == 2); // only b's
            tx.commit();
            CHECK(f.all_ids() == Ids{a_running, a_queued, a_old[0], a_old[1], a_old[2], a_old[3],
                                     a_old[4], a_recent});
        }
    }

    TEST_CASE("pruning goes by end time, or by creation for runs that never ran") {
        Fixture f;
        auto day = time::Duration{86400};
        // given a run created 40 days ago that ended yesterday
        auto e = execution("0000000a", Status::completed, 40 * day);
        e.end_time = k_now - day;
        auto long_run = f.insert(e);
        // and a skipped record created 40 days ago (it has no end)
        auto skipped = f.insert(execution("0000000a", Status::skipped, 40 * day));
        auto tx = f.store.begin_write();
        CHECK(f.store.prune_executions(tx, k_now - 30 * day, 0) == 1);
        tx.commit();
        CHECK(f.all_ids() == Ids{long_run});
        CHECK_FALSE(f.store.find_execution(skipped));
    }

    TEST_CASE("deleting a job deletes its executions and their output") {
        Fixture f;
        auto a = f.insert(execution("0000000a", Status::completed));
        auto b = f.insert(execution("0000000b", Status::completed));
        {
            auto tx = f.store.begin_write();
            f.store.save_output(tx, a, "stdout", {"a", 1, false});
            f.store.save_output(tx, b, "stdout", {"b", 1, false});
            tx.commit();
        }
        CHECK(f.store.count_executions("0000000a") == 1);
        {
            auto tx = f.store.begin_write();
            f.store.delete_job(tx, "0000000a");
            tx.commit();
        }
        CHECK(f.store.count_executions("0000000a") == 0);
        CHECK_FALSE(f.store.find_execution(a));
        CHECK_FALSE(f.store.load_output(a, "stdout"));
        CHECK(f.all_ids() == Ids{b});
        CHECK(f.store.load_output(b, "stdout")->data == "b");
    }

    TEST_CASE("a write that is not committed records no execution") {
        Fixture f;
        {
            auto tx = f.store.begin_write();
            f.store.insert_execution(tx, execution("0000000a", Status::running));
            f.store.note_run_started(tx, execution("0000000a", Status::running));
        }
        CHECK(f.store.list_executions({}).empty());
        CHECK(f.job("0000000a").execution_count == 0);
    }
}
