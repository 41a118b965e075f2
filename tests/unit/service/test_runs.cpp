// service:: run use cases (run_now, supervise, resolve_run, retention) with
// the real process runner, a real store in a temporary directory and a
// fixed clock.

#include "../support/context.hpp"
#include "../support/store_to_run.hpp"
#include "../support/temp_dir.hpp"
#include "../support/watchdog.hpp"

#include <schedule/exec/process.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>
#include <utility>
#include <vector>

using namespace schedule;
using schedule::test::TempDir;
using Status = model::ExecutionStatus;

namespace {

using schedule::test::Watchdog;

// The real runner, with a look at the store between start and wait and
// the specs it was asked to run.
class ObservingRunner final : public exec::ProcessRunner {
public:
    explicit ObservingRunner(exec::ProcessRunner& real) : m_real(real) {}
    std::function<void(exec::RunId, const exec::Started&)> on_started;
    std::function<void()> before_wait;
    std::vector<exec::RunSpec> specs;

    std::optional<exec::Started> start(exec::RunId id, const exec::RunSpec& spec) override {
        specs.push_back(spec);
        auto s = m_real.start(id, spec);
        if (s && on_started)
            on_started(id, *s);
        return s;
    }
    std::vector<exec::Finished> wait_for(std::optional<std::chrono::milliseconds> limit) override {
        if (before_wait)
            before_wait();
        return m_real.wait_for(limit);
    }
    void cancel(exec::RunId id, int signal) override { m_real.cancel(id, signal); }
    std::size_t active() const override { return m_real.active(); }
    int interrupted_by() const override { return m_real.interrupted_by(); }

private:
    exec::ProcessRunner& m_real;
};

using schedule::test::Config;

struct Fixture {
    Watchdog watchdog;
    TempDir tmp;
    store::Store store = schedule::test::store_to_run(tmp.path() / "s.db");
    time::FixedClock clock{time::from_unix(1768471200)}; // 2026-01-15T10:00:00Z
    std::unique_ptr<service::Context> context;
    std::unique_ptr<exec::ProcessRunner> real = exec::make_system_runner(exec::Interrupts::ignore);
    ObservingRunner runner{*real};

    explicit Fixture(const Config& config = {})
        : context(schedule::test::context_with(store, clock, config)) {}

    service::Context& ctx() { return *context; }

    model::Job job(const std::string& name, const std::string& command,
                   const std::function<void(service::JobSpec&)>& change = {}) {
        service::JobSpec s;
        s.name = name;
        s.command = command;
        if (change)
            change(s);
        return service::create_job(ctx(), s);
    }

    model::Job reload(const model::Job& j) {
        auto found = store.find_job_by_id(j.id);
        REQUIRE(found);
        return *found;
    }

    std::int64_t insert(const model::Execution& e) {
        auto tx = store.begin_write();
        auto id = store.insert_execution(tx, e);
        tx.commit();
        return id;
    }

    model::Execution execution(const model::Job& j, Status status) {
        model::Execution e;
        e.job_id = j.id;
        e.status = status;
        e.created_at = e.updated_at = clock.now();
        return e;
    }

    std::vector<std::string> event_types(const model::Job& j) {
        std::vector<std::string> out;
        for (const auto& e : store.list_events(j.id))
            out.push_back(e.type);
        return out;
    }

    std::vector<model::Event> events_of(std::int64_t execution_id) {
        std::vector<model::Event> out;
        for (const auto& e : store.list_events())
            if (e.execution_id == execution_id)
                out.push_back(e);
        return out;
    }
};

using Types = std::vector<std::string>;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Pids of live processes with an argument equal to `arg`.
bool process_with_arg_alive(const std::string& arg) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::string part;
        while (std::getline(in, part, '\0'))
            if (part == arg)
                return true;
    }
    return false;
}

} // namespace

TEST_SUITE("service::runs") {

    TEST_CASE("run_now records a run as running, then completed, with output and events") {
        Fixture f;
        auto job = f.job("hello", "echo \"$SCHEDULE_EXECUTION_ID:$SCHEDULE_JOB_NAME:"
                                  "$SCHEDULE_TRIGGER:$SCHEDULE_ATTEMPT\"; echo warn >&2");
        // while the job runs, the store already says so
        std::int64_t started_pid = 0;
        bool looked = false;
        f.runner.on_started = [&](exec::RunId, const exec::Started& s) { started_pid = s.pid; };
        f.runner.before_wait = [&] {
            looked = true;
            auto running = f.store.active_executions(job.id);
            REQUIRE(running.size() == 1);
            CHECK(running[0].status == Status::running);
            CHECK(running[0].pid == started_pid);
            CHECK(running[0].start_time == f.clock.now());
            CHECK(f.event_types(job) == Types{"job.created", "execution.started"});
            CHECK(f.reload(job).execution_count == 1);
            CHECK(f.reload(job).last_status == "running");
        };

        auto report =
            service::run_now(f.ctx(), f.runner, "hello", service::Force::no, service::Tee::no);
        CHECK(looked);
        CHECK(report.exit_code == 0);
        CHECK(report.execution.status == Status::completed);

        auto id = report.execution.id;
        auto e = f.store.find_execution(id);
        REQUIRE(e);
        CHECK(e->status == Status::completed);
        CHECK(e->trigger == model::ExecutionTrigger::manual);
        CHECK(e->attempt == 1);
        CHECK(e->exit_code == 0);
        CHECK_FALSE(e->signal);
        CHECK_FALSE(e->error);
        CHECK(e->scheduled_for == f.clock.now());
        CHECK(e->start_time == f.clock.now());
        CHECK(e->end_time == f.clock.now());
        REQUIRE(e->duration_ms);
        CHECK(*e->duration_ms >= 0);
        CHECK(e->pid == started_pid);
        CHECK(e->process_start.value_or(0) > 0);
        CHECK(e->host == exec::host_name());
        CHECK(e->boot_id == exec::boot_id());
        CHECK(e->supervisor_pid == exec::self_pid());

        auto out = f.store.load_output(id, "stdout");
        REQUIRE(out);
        CHECK(out->data == std::to_string(id) + ":hello:manual:1\n");
        auto err = f.store.load_output(id, "stderr");
        REQUIRE(err);
        CHECK(err->data == "warn\n");

        CHECK(f.event_types(job) ==
              Types{"job.created", "execution.started", "execution.completed"});
        auto events = f.events_of(id);
        REQUIRE(events.size() == 2);
        CHECK(events[0].user == "tester");
        CHECK(events[1].job_name == "hello");
        CHECK(contains(events[1].detail, "\"status\":\"completed\""));
        CHECK(contains(events[1].detail, "\"exit_code\":0"));

        auto counted = f.reload(job);
        CHECK(counted.execution_count == 1);
        CHECK(counted.failure_count == 0);
        CHECK(counted.last_status == "completed");
        CHECK(counted.last_execution == f.clock.now());

        // the runner was given the marker and the output bound
        REQUIRE(f.runner.specs.size() == 1);
        CHECK(f.runner.specs[0].marker == "SCHEDULE_EXECUTION_ID=" + std::to_string(id));
        CHECK(f.runner.specs[0].max_bytes == 64 * 1024);
        CHECK_FALSE(f.runner.specs[0].tee);
    }

    TEST_CASE("run_now of a failing job records failed, execution.failed and a failure") {
        Fixture f;
        auto job = f.job("bad", "echo oops >&2; exit 3");
        auto report =
            service::run_now(f.ctx(), f.runner, job.id, service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 3);
        auto e = f.store.find_execution(report.execution.id);
        REQUIRE(e);
        CHECK(e->status == Status::failed);
        CHECK(e->exit_code == 3);
        CHECK(f.store.load_output(e->id, "stderr")->data == "oops\n");
        CHECK(f.event_types(job) == Types{"job.created", "execution.started", "execution.failed"});
        CHECK(contains(f.events_of(e->id).back().detail, "\"exit_code\":3"));
        auto counted = f.reload(job);
        CHECK(counted.execution_count == 1);
        CHECK(counted.failure_count == 1);
        CHECK(counted.last_status == "failed");

        SUBCASE("a second failure counts again") {
            service::run_now(f.ctx(), f.runner, job.id, service::Force::no, service::Tee::no);
            CHECK(f.reload(job).execution_count == 2);
            CHECK(f.reload(job).failure_count == 2);
        }
    }

    TEST_CASE("run_now of a job killed by a signal exits 128 plus the signal") {
        Fixture f;
        auto job = f.job("killed", "kill -KILL $$");
        auto report =
            service::run_now(f.ctx(), f.runner, "killed", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 137);
        CHECK(report.execution.status == Status::failed);
        CHECK(report.execution.signal == SIGKILL);
        CHECK_FALSE(report.execution.exit_code);
        CHECK(f.reload(job).failure_count == 1);
    }

    TEST_CASE("run_now of a job past its timeout records timed_out and exits 124") {
        Fixture f;
        auto secs = "1011." + std::to_string(::getpid());
        auto job = f.job("slow", "sleep " + secs, [](service::JobSpec& s) {
            s.timeout = "1s";
            s.kill_grace = "1s";
        });
        auto report =
            service::run_now(f.ctx(), f.runner, "slow", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 124);
        CHECK(report.execution.status == Status::timed_out);
        CHECK(f.store.find_execution(report.execution.id)->status == Status::timed_out);
        CHECK(f.event_types(job) ==
              Types{"job.created", "execution.started", "execution.timed_out"});
        CHECK(f.reload(job).failure_count == 1);
        CHECK(f.reload(job).last_status == "timed_out");
        CHECK_FALSE(process_with_arg_alive(secs));
    }

    TEST_CASE("run_now of a run cancelled with SIGINT records cancelled and exits 130") {
        Fixture f;
        auto secs = "1012." + std::to_string(::getpid());
        auto job = f.job("ctrl-c", "sleep " + secs);
        exec::RunId run_id = 0;
        f.runner.on_started = [&](exec::RunId id, const exec::Started&) { run_id = id; };
        f.runner.before_wait = [&] { f.runner.cancel(run_id, SIGINT); };
        auto report =
            service::run_now(f.ctx(), f.runner, "ctrl-c", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 130);
        CHECK(report.execution.status == Status::cancelled);
        auto e = f.store.find_execution(report.execution.id);
        REQUIRE(e);
        CHECK(e->status == Status::cancelled);
        CHECK(model::reason_text(*e) == "signal INT");
        CHECK(f.event_types(job) ==
              Types{"job.created", "execution.started", "execution.cancelled"});
        CHECK(f.reload(job).failure_count == 0);
        CHECK(f.reload(job).last_status == "cancelled");
        CHECK_FALSE(process_with_arg_alive(secs));
    }

    TEST_CASE("run_now refuses a running job under overlap skip unless forced") {
        Fixture f;
        auto job = f.job("once", "echo ran");
        // given a run of the job recorded as running
        auto running = f.insert(f.execution(job, Status::running));
        auto events_before = f.store.list_events().size();

        SUBCASE("without force it is a Conflict that records nothing") {
            try {
                service::run_now(f.ctx(), f.runner, "once", service::Force::no, service::Tee::no);
                FAIL("no Conflict");
            } catch (const util::Conflict& e) {
                CHECK(int(e.code()) == 4);
                CHECK(contains(e.what(), std::to_string(running)));
            }
            CHECK(f.store.list_executions({.job_id = job.id}).size() == 1);
            CHECK(f.store.list_events().size() == events_before);
            CHECK(f.runner.specs.empty());
            CHECK(f.reload(job).execution_count == 0);
        }
        SUBCASE("with force it runs") {
            auto report =
                service::run_now(f.ctx(), f.runner, "once", service::Force::yes, service::Tee::no);
            CHECK(report.exit_code == 0);
            CHECK(report.execution.status == Status::completed);
            CHECK(report.execution.id != running);
            CHECK(f.store.list_executions({.job_id = job.id}).size() == 2);
            CHECK(f.store.find_execution(running)->status == Status::running);
        }
        SUBCASE("a queued run does not block it") {
            auto tx = f.store.begin_write();
            auto e = f.execution(job, Status::queued);
            e.id = running;
            f.store.update_execution(tx, e);
            tx.commit();
            auto report =
                service::run_now(f.ctx(), f.runner, "once", service::Force::no, service::Tee::no);
            CHECK(report.execution.status == Status::completed);
        }
        SUBCASE("under overlap allow it runs without force") {
            auto allow =
                f.job("many", "echo ran", [](service::JobSpec& s) { s.overlap = "allow"; });
            f.insert(f.execution(allow, Status::running));
            auto report =
                service::run_now(f.ctx(), f.runner, "many", service::Force::no, service::Tee::no);
            CHECK(report.execution.status == Status::completed);
        }
    }

    TEST_CASE("run_now of a job whose directory is missing fails with the reason and exits 1") {
        Fixture f;
        auto job = f.job("nowhere", "echo hi",
                         [](service::JobSpec& s) { s.working_dir = "/nonexistent/dir-xyz"; });
        auto report =
            service::run_now(f.ctx(), f.runner, "nowhere", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 1);
        auto e = f.store.find_execution(report.execution.id);
        REQUIRE(e);
        CHECK(e->status == Status::failed);
        REQUIRE(e->error);
        CHECK(contains(*e->error, "/nonexistent/dir-xyz"));
        CHECK_FALSE(e->exit_code);
        CHECK_FALSE(e->duration_ms);
        CHECK(f.event_types(job) == Types{"job.created", "execution.started", "execution.failed"});
        CHECK(f.reload(job).failure_count == 1);
    }

    TEST_CASE("run_now keeps output.max_bytes of each stream") {
        Fixture f(Config{{"output.max_bytes", "10"}});
        f.job("loud", "printf abcdefghijklmnopqrstuvwxyz; printf 0123456789 >&2");
        auto report =
            service::run_now(f.ctx(), f.runner, "loud", service::Force::no, service::Tee::no);
        auto out = f.store.load_output(report.execution.id, "stdout");
        REQUIRE(out);
        CHECK(out->data == "abcde\n[... 16 bytes omitted ...]\nvwxyz");
        CHECK(out->total_bytes == 26);
        CHECK(out->truncated);
        auto err = f.store.load_output(report.execution.id, "stderr");
        REQUIRE(err);
        CHECK(err->data == "0123456789");
        CHECK_FALSE(err->truncated);
    }

    TEST_CASE("run_now records the supervisor's start time from /proc") {
        Fixture f;
        f.job("who", "true");
        auto report =
            service::run_now(f.ctx(), f.runner, "who", service::Force::no, service::Tee::no);
        // field 22 of /proc/self/stat, read here
        std::ifstream in("/proc/self/stat");
        std::string text;
        std::getline(in, text);
        std::istringstream rest(text.substr(text.rfind(')') + 1));
        std::vector<std::string> fields;
        std::string field;
        while (rest >> field)
            fields.push_back(field);
        REQUIRE(fields.size() > 19);
        auto e = f.store.find_execution(report.execution.id);
        REQUIRE(e);
        CHECK(e->supervisor_pid == ::getpid());
        CHECK(e->supervisor_start.value_or(-1) == std::stoll(fields[22 - 3]));
    }

    TEST_CASE("run_now of an unknown job is NotFound") {
        Fixture f;
        CHECK_THROWS_AS(
            service::run_now(f.ctx(), f.runner, "nope", service::Force::no, service::Tee::no),
            util::NotFound);
        CHECK(f.store.list_events().empty());
    }

    TEST_CASE("a task job without a handler fails without running anything") {
        Fixture f;
        auto job = f.job("task", "", [](service::JobSpec& s) {
            s.command.reset();
            s.task_type = "x";
        });
        auto report =
            service::run_now(f.ctx(), f.runner, "task", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 1);
        CHECK(report.execution.status == Status::failed);
        CHECK(f.runner.specs.empty());
        auto e = f.store.find_execution(report.execution.id);
        REQUIRE(e);
        CHECK(e->status == Status::failed);
        CHECK(e->error == "no handler for task type: x");
        CHECK_FALSE(e->exit_code);
        CHECK_FALSE(e->duration_ms);
        CHECK(f.event_types(job) == Types{"job.created", "execution.started", "execution.failed"});
        CHECK(contains(f.events_of(e->id).back().detail, "no handler for task type: x"));
        CHECK(f.reload(job).failure_count == 1);
    }

    TEST_CASE("a task job runs its configured handler with the task config on stdin") {
        Fixture f(Config{{"handlers.copy", "/usr/bin/cat"}});
        auto job = f.job("task", "", [](service::JobSpec& s) {
            s.command.reset();
            s.task_type = "copy";
            s.task_config = R"({"path": "/srv", "n": 1})";
        });
        auto report =
            service::run_now(f.ctx(), f.runner, "task", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 0);
        REQUIRE(f.runner.specs.size() == 1);
        CHECK(f.runner.specs[0].argv == std::vector<std::string>{"/usr/bin/cat"});
        CHECK(f.store.load_output(report.execution.id, "stdout")->data == job.task_config);
        CHECK(contains(job.task_config, "/srv"));
    }

    TEST_CASE("resolve_run builds a clean environment, the argv and the directory") {
        Fixture f;
        ::setenv("SCHEDULE_UNIT_TEST_LEAK", "1", 1);
        model::Job job;
        job.id = "0123abcd";
        job.name = "nightly";
        job.timezone = "Asia/Tokyo";
        job.command = "echo hi";
        job.env = {{"FOO", "bar baz"}, {"SCHEDULE_JOB_ID", "forged"}};
        model::Execution e;
        e.id = 42;
        e.job_id = job.id;
        e.attempt = 2;
        e.trigger = model::ExecutionTrigger::retry;
        e.scheduled_for = time::from_unix(1768471200); // 19:00 in Tokyo

        auto me = exec::current_identity();
        auto r = service::resolve_run(f.ctx(), job, e);
        CHECK_FALSE(r.error);
        CHECK(r.argv == std::vector<std::string>{"/bin/sh", "-c", "echo hi"});
        CHECK_FALSE(r.stdin_data);
        CHECK(r.user == me.name);
        CHECK_FALSE(r.switch_to);
        std::error_code ec;
        auto home = std::filesystem::is_directory(me.home, ec) ? me.home : std::string("/");
        CHECK(r.working_dir == home);

        std::map<std::string, std::string> env;
        for (const auto& v : r.env) {
            auto eq = v.find('=');
            REQUIRE(eq != std::string::npos);
            CHECK(env.count(v.substr(0, eq)) == 0);
            env[v.substr(0, eq)] = v.substr(eq + 1);
        }
        std::set<std::string> keys;
        for (const auto& [k, v] : env)
            keys.insert(k);
        CHECK(keys == std::set<std::string>{"FOO", "HOME", "LOGNAME", "PATH", "SHELL", "USER",
                                            "SCHEDULE_ATTEMPT", "SCHEDULE_EXECUTION_ID",
                                            "SCHEDULE_JOB_ID", "SCHEDULE_JOB_NAME",
                                            "SCHEDULE_SCHEDULED_FOR", "SCHEDULE_TRIGGER"});
        CHECK(env["PATH"] == "/usr/local/bin:/usr/bin:/bin");
        CHECK(env["SHELL"] == "/bin/sh");
        CHECK(env["HOME"] == home);
        CHECK(env["USER"] == me.name);
        CHECK(env["LOGNAME"] == me.name);
        CHECK(env["FOO"] == "bar baz");
        CHECK(env["SCHEDULE_JOB_ID"] == "0123abcd");
        CHECK(env["SCHEDULE_JOB_NAME"] == "nightly");
        CHECK(env["SCHEDULE_EXECUTION_ID"] == "42");
        CHECK(env["SCHEDULE_ATTEMPT"] == "2");
        CHECK(env["SCHEDULE_TRIGGER"] == "retry");
        CHECK(env["SCHEDULE_SCHEDULED_FOR"] == "2026-01-15T19:00:00+09:00");
        ::unsetenv("SCHEDULE_UNIT_TEST_LEAK");

        SUBCASE("a working directory of the job is used as it is") {
            job.working_dir = "/tmp";
            CHECK(service::resolve_run(f.ctx(), job, e).working_dir == "/tmp");
        }
        SUBCASE("running as a user that does not exist is an error") {
            job.run_as = "no-such-user-xyz";
            auto bad = service::resolve_run(f.ctx(), job, e);
            REQUIRE(bad.error);
            CHECK(*bad.error == "cannot run as no-such-user-xyz: no such user");
        }
        SUBCASE("running as ourselves switches nothing") {
            job.run_as = me.name;
            auto same = service::resolve_run(f.ctx(), job, e);
            CHECK_FALSE(same.error);
            CHECK_FALSE(same.switch_to);
        }
        SUBCASE("as root, run_as another user switches to that user and its home") {
            if (::geteuid() != 0) {
                MESSAGE("not root: switching users is not tested");
                return;
            }
            job.run_as = "nobody";
            auto other = service::resolve_run(f.ctx(), job, e);
            CHECK_FALSE(other.error);
            REQUIRE(other.switch_to);
            CHECK(other.switch_to->uid == exec::lookup_user("nobody")->uid);
            CHECK(other.user == "nobody");
            // nobody's home (/nonexistent) is missing: "/" stands in
            auto nobody_home = exec::lookup_user("nobody")->home;
            auto expect_home =
                std::filesystem::is_directory(nobody_home, ec) ? nobody_home : std::string("/");
            CHECK(other.working_dir == expect_home);
            auto has = [&](const std::string& entry) {
                return std::find(other.env.begin(), other.env.end(), entry) != other.env.end();
            };
            CHECK(has("USER=nobody"));
            CHECK(has("LOGNAME=nobody"));
            CHECK(has("HOME=" + expect_home));
        }
        SUBCASE("as root, a job owned by a user runs as its owner") {
            if (::geteuid() != 0) {
                MESSAGE("not root: owners are not switched to");
                return;
            }
            job.owner = "nobody";
            auto owned = service::resolve_run(f.ctx(), job, e);
            REQUIRE(owned.switch_to);
            CHECK(owned.user == "nobody");
            job.owner = "no-such-user-xyz";
            auto unowned = service::resolve_run(f.ctx(), job, e);
            CHECK_FALSE(unowned.error);
            CHECK_FALSE(unowned.switch_to);
            CHECK(unowned.user == me.name);
        }
        SUBCASE("a task job without a handler says so") {
            job.command.reset();
            job.task_type = "x";
            job.task_config = "{\"a\":1}";
            auto task = service::resolve_run(f.ctx(), job, e);
            REQUIRE(task.error);
            CHECK(*task.error == "no handler for task type: x");
            CHECK(task.stdin_data == std::optional<std::string>("{\"a\":1}"));
        }
    }

    TEST_CASE("a root run of a job with run_as nobody really runs as nobody") {
        if (::geteuid() != 0) {
            MESSAGE("not root: switching users is not tested");
            return;
        }
        Fixture f;
        f.job("as-nobody", "id -u; echo $USER $HOME; pwd",
              [](service::JobSpec& s) { s.run_as = "nobody"; });
        auto report =
            service::run_now(f.ctx(), f.runner, "as-nobody", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 0);
        auto out = f.store.load_output(report.execution.id, "stdout");
        REQUIRE(out);
        CHECK(out->data == std::to_string(exec::lookup_user("nobody")->uid) + "\nnobody /\n/\n");
    }

    TEST_CASE("run_exit_code maps a recorded run to the exit code of job run") {
        model::Execution e;
        auto code = [&](Status s, std::optional<int> exit, std::optional<int> sig, int cancel = 0) {
            e.status = s;
            e.exit_code = exit;
            e.signal = sig;
            return service::run_exit_code(e, cancel);
        };
        CHECK(code(Status::completed, 0, std::nullopt) == 0);
        CHECK(code(Status::failed, 3, std::nullopt) == 3);
        CHECK(code(Status::failed, 255, std::nullopt) == 255);
        CHECK(code(Status::failed, std::nullopt, 9) == 137);
        CHECK(code(Status::failed, std::nullopt, 15) == 143);
        CHECK(code(Status::timed_out, std::nullopt, 15) == 124);
        CHECK(code(Status::timed_out, 0, std::nullopt) == 124);
        CHECK(code(Status::cancelled, std::nullopt, 2, SIGINT) == 130);
        CHECK(code(Status::cancelled, std::nullopt, 15, SIGTERM) == 143);
        CHECK(code(Status::failed, std::nullopt, std::nullopt) == 1);
    }

    TEST_CASE("prune_history runs at most once an hour unless forced") {
        // given a retention of one day, keeping one run per job
        Fixture f(Config{{"history.retention", "1d"}, {"history.keep_last", "1"}});
        CHECK(f.ctx().settings.history_keep_last == 1);
        auto job = f.job("old", "true");
        auto add_old = [&](int n) {
            for (int i = 0; i < n; ++i) {
                auto e = f.execution(job, Status::completed);
                e.created_at = f.clock.now() - std::chrono::hours(48);
                e.end_time = e.created_at;
                f.insert(e);
            }
        };
        auto count = [&] { return f.store.list_executions({.job_id = job.id}).size(); };

        add_old(3);
        // the first pruning deletes all but the newest
        CHECK(service::prune_history(f.ctx()) == 2);
        CHECK(count() == 1);
        // when more are due within the hour, nothing happens
        add_old(2);
        CHECK(service::prune_history(f.ctx()) == 0);
        f.clock.advance(std::chrono::minutes(59));
        CHECK(service::prune_history(f.ctx(), service::Force::no) == 0);
        CHECK(count() == 3);

        SUBCASE("when forced it prunes at once") {
            CHECK(service::prune_history(f.ctx(), service::Force::yes) == 2);
            CHECK(count() == 1);
            // and the hour starts again from the forced pruning
            add_old(1);
            f.clock.advance(std::chrono::minutes(59));
            CHECK(service::prune_history(f.ctx()) == 0);
            f.clock.advance(std::chrono::minutes(1));
            CHECK(service::prune_history(f.ctx()) == 1);
        }
        SUBCASE("when the hour has passed it prunes again") {
            f.clock.advance(std::chrono::minutes(1));
            CHECK(service::prune_history(f.ctx()) == 2);
            CHECK(count() == 1);
        }
    }

    TEST_CASE("prune_history by default keeps 20 runs and 30 days") {
        Fixture f;
        auto job = f.job("many", "true");
        for (int i = 0; i < 25; ++i) {
            auto e = f.execution(job, Status::failed);
            e.created_at = f.clock.now() - std::chrono::hours(24 * 31);
            e.end_time = e.created_at;
            f.insert(e);
        }
        auto recent = f.execution(job, Status::completed);
        recent.end_time = f.clock.now();
        f.insert(recent);
        // 26 runs: the newest 20 stay, the 6 oldest are older than 30 days
        CHECK(service::prune_history(f.ctx(), service::Force::yes) == 6);
        CHECK(f.store.list_executions({.job_id = job.id}).size() == 20);
    }

    TEST_CASE("supervise runs the queued executions it is given and records them") {
        Fixture f;
        auto a = f.job("a", "echo a");
        auto b = f.job("b", "echo b >&2; exit 2");
        auto t = f.job("t", "", [](service::JobSpec& s) {
            s.command.reset();
            s.task_type = "x";
        });
        // given queued runs of a, b and t, a completed and a running run of a
        // (claimed for this process, the supervisor)
        auto mine = [&](model::Execution e) {
            e.supervisor_pid = exec::self_pid();
            e.supervisor_start = exec::process_start_time(exec::self_pid());
            return e;
        };
        auto qa = f.insert(mine(f.execution(a, Status::queued)));
        auto qb = f.insert(mine(f.execution(b, Status::queued)));
        auto qt = f.insert(mine(f.execution(t, Status::queued)));
        auto done = f.execution(a, Status::completed);
        done.exit_code = 0;
        auto done_id = f.insert(done);
        auto running_id = f.insert(f.execution(a, Status::running));
        f.clock.advance(std::chrono::seconds(30));

        auto other = f.execution(b, Status::queued);
        other.supervisor_pid = 1; // claimed by another supervisor
        other.supervisor_start = exec::process_start_time(1);
        auto other_id = f.insert(other);

        service::supervise(f.ctx(), f.runner);

        // then the queued ones ran and are recorded
        auto ea = f.store.find_execution(qa);
        REQUIRE(ea);
        CHECK(ea->status == Status::completed);
        CHECK(ea->exit_code == 0);
        CHECK(ea->start_time == f.clock.now());
        CHECK(ea->pid.value_or(0) > 0);
        CHECK(ea->supervisor_pid == exec::self_pid());
        CHECK(f.store.load_output(qa, "stdout")->data == "a\n");
        auto eb = f.store.find_execution(qb);
        REQUIRE(eb);
        CHECK(eb->status == Status::failed);
        CHECK(eb->exit_code == 2);
        CHECK(f.store.load_output(qb, "stderr")->data == "b\n");
        auto et = f.store.find_execution(qt);
        REQUIRE(et);
        CHECK(et->status == Status::failed);
        CHECK(et->error == "no handler for task type: x");
        CHECK(f.runner.specs.size() == 2);

        Types started_completed{"execution.started", "execution.completed"};
        Types started_failed{"execution.started", "execution.failed"};
        auto types = [&](std::int64_t id) {
            Types out;
            for (const auto& e : f.events_of(id))
                out.push_back(e.type);
            return out;
        };
        CHECK(types(qa) == started_completed);
        CHECK(types(qb) == started_failed);
        CHECK(types(qt) == started_failed);
        CHECK(f.reload(a).execution_count == 1);
        CHECK(f.reload(a).last_status == "completed");
        CHECK(f.reload(b).failure_count == 1);
        CHECK(f.reload(t).failure_count == 1);

        // and the runs that were not queued were left alone
        auto still_done = f.store.find_execution(done_id);
        CHECK(still_done->status == Status::completed);
        CHECK(still_done->updated_at == f.clock.now() - std::chrono::seconds(30));
        CHECK(types(done_id).empty());
        auto still_running = f.store.find_execution(running_id);
        CHECK(still_running->status == Status::running);
        CHECK_FALSE(still_running->pid);
        CHECK(types(running_id).empty());
        CHECK(f.store.find_execution(other_id)->status == Status::queued);
        CHECK(f.runner.active() == 0);
    }

    TEST_CASE("delete_job cancels a run of job run: recorded in the audit log, process stopped") {
        // job run reports the run cancelled, reason deleted, and exits 143;
        // the events of the deleted job stay: execution.cancelled with
        // reason deleted, then job.deleted naming the run.
        auto check_cancelled = [](Fixture& f, const model::Job& job,
                                  const service::RunReport& report, const std::string& secs) {
            CHECK(report.execution.status == Status::cancelled);
            CHECK(model::reason_text(report.execution) == "deleted");
            CHECK(report.exit_code == 128 + SIGTERM);
            CHECK_FALSE(process_with_arg_alive(secs));
            const auto id = report.execution.id;
            auto events = f.store.list_events(job.id);
            Types types;
            for (const auto& e : events)
                types.push_back(e.type);
            CHECK(types ==
                  Types{"job.created", "execution.started", "execution.cancelled", "job.deleted"});
            REQUIRE(events.size() == 4);
            CHECK(events[2].execution_id == id);
            CHECK(contains(events[2].detail, "\"status\":\"cancelled\""));
            CHECK(contains(events[2].detail, "\"reason\":\"deleted\""));
            CHECK(contains(events[3].detail,
                           "\"cancelled_executions\":[" + std::to_string(id) + "]"));
            CHECK_FALSE(f.store.find_job_by_id(job.id));
            CHECK_FALSE(f.store.find_execution(id));
        };
        SUBCASE("given its pid is written, the delete stops its process group") {
            Fixture f;
            auto secs = "1013." + std::to_string(::getpid());
            auto job =
                f.job("doomed", "sleep " + secs, [](service::JobSpec& s) { s.kill_grace = "1s"; });
            service::DeleteResult deleted;
            f.runner.before_wait = [&] {
                f.runner.before_wait = nullptr;
                deleted = service::delete_job(f.ctx(), "doomed", true);
            };
            auto report =
                service::run_now(f.ctx(), f.runner, "doomed", service::Force::no, service::Tee::no);
            CHECK(deleted.cancelled == std::vector<std::int64_t>{report.execution.id});
            check_cancelled(f, job, report, secs);
        }
        SUBCASE("given it is deleted before its pid is written, job run stops it itself") {
            Fixture f;
            auto secs = "1014." + std::to_string(::getpid());
            auto job = f.job("doomed", "sleep " + secs);
            f.runner.on_started = [&](exec::RunId, const exec::Started&) {
                CHECK(service::delete_job(f.ctx(), "doomed", true).cancelled.size() == 1);
            };
            auto report =
                service::run_now(f.ctx(), f.runner, "doomed", service::Force::no, service::Tee::no);
            check_cancelled(f, job, report, secs);
        }
    }

    TEST_CASE("a supervisor whose run's job is deleted before it writes the pid stops the run") {
        Fixture f;
        auto secs = "1015." + std::to_string(::getpid());
        auto job = f.job("doomed", "sleep " + secs);
        auto e = f.execution(job, Status::queued);
        e.trigger = model::ExecutionTrigger::manual;
        e.supervisor_pid = exec::self_pid();
        e.supervisor_start = exec::process_start_time(exec::self_pid());
        auto id = f.insert(e);
        std::vector<std::int64_t> cancelled;
        f.runner.on_started = [&](exec::RunId, const exec::Started&) {
            cancelled = service::delete_job(f.ctx(), "doomed", true).cancelled;
        };
        service::supervise(f.ctx(), f.runner);
        CHECK(cancelled == std::vector<std::int64_t>{id});
        CHECK(f.runner.active() == 0);
        CHECK_FALSE(process_with_arg_alive(secs));
        CHECK_FALSE(f.store.find_execution(id));
        Types types;
        for (const auto& ev : f.events_of(id))
            types.push_back(ev.type);
        CHECK(types == Types{"execution.started", "execution.cancelled"});
    }

    TEST_CASE("supervise with nothing queued does nothing") {
        Fixture f;
        auto a = f.job("a", "echo a");
        auto done_id = f.insert(f.execution(a, Status::completed));
        (void)done_id;
        service::supervise(f.ctx(), f.runner);
        CHECK(f.runner.specs.empty());
        CHECK(f.event_types(a) == Types{"job.created"});
    }
}
