// service::notify: deciding a run's hook in the transaction that records
// its end, starting it as the job would run, recording how it went, and
// the senders (the supervisor, `job run`) against a real store in a
// temporary directory, with a fixed clock; a recording runner where only
// the spec matters, the real one where the hook must run.

#include "../support/context.hpp"
#include "../support/fake_host.hpp"
#include "../support/store_to_run.hpp"
#include "../support/temp_dir.hpp"
#include "../support/watchdog.hpp"

#include <schedule/exec/process.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/runs.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace schedule;
using schedule::test::TempDir;
using Status = model::ExecutionStatus;
using model::HookKind;

namespace {

// Records what it is asked to start; each start "ends" at the next wait
// with `result`.
class RecordingRunner final : public exec::ProcessRunner {
public:
    std::vector<std::pair<exec::RunId, exec::RunSpec>> started;
    exec::RunResult result;

    std::optional<exec::Started> start(exec::RunId id, const exec::RunSpec& spec) override {
        started.emplace_back(id, spec);
        m_active.push_back(id);
        return exec::Started{4242, 1}; // a process of the fake host
    }
    std::vector<exec::Finished> wait_for(std::optional<std::chrono::milliseconds>) override {
        std::vector<exec::Finished> out;
        for (auto id : m_active)
            out.push_back({id, result});
        m_active.clear();
        return out;
    }
    void cancel(exec::RunId, int) override {}
    std::size_t active() const override { return m_active.size(); }
    int interrupted_by() const override { return 0; }

private:
    std::vector<exec::RunId> m_active;
};

using schedule::test::Config;

struct Fixture {
    schedule::test::Watchdog watchdog;
    TempDir tmp;
    store::Store store = schedule::test::store_to_run(tmp.path() / "s.db");
    time::FixedClock clock{time::from_unix(1768471200)}; // 2026-01-15T10:00:00Z
    schedule::test::FakeHost host;
    std::unique_ptr<service::Context> context;

    explicit Fixture(const Config& config = {})
        : context(schedule::test::context_with(store, clock, config, host)) {}

    service::Context& ctx() { return *context; }

    model::Job job(const std::string& name, const std::function<void(service::JobSpec&)>& change) {
        return schedule::test::new_job(ctx(), name, change);
    }

    // An ended run of `job`, as the store holds it.
    model::Execution ended(const model::Job& job, Status status, std::optional<int> code) {
        model::Execution e;
        e.job_id = job.id;
        e.trigger = model::ExecutionTrigger::schedule;
        e.attempt = 2;
        e.status = status;
        e.exit_code = code;
        e.scheduled_for = e.start_time = clock.now();
        e.end_time = clock.now();
        e.duration_ms = 1500;
        e.host = "h";
        e.created_at = e.updated_at = clock.now();
        auto tx = store.begin_write();
        e.id = store.insert_execution(tx, e);
        tx.commit();
        return *store.find_execution(e.id);
    }

    std::optional<model::Notification> note(const model::Job& job, const model::Execution& e,
                                            bool retry, const service::Sender& sender) {
        auto tx = store.begin_write();
        auto n = service::note_hook(ctx(), tx, job, e, retry, sender);
        tx.commit();
        return n;
    }

    std::vector<model::Event> notify_events() {
        std::vector<model::Event> out;
        for (auto& e : store.list_events())
            if (e.type.starts_with("notify."))
                out.push_back(std::move(e));
        return out;
    }
};

std::string env_value(const exec::RunSpec& spec, const std::string& name) {
    for (const auto& v : spec.env)
        if (v.starts_with(name + "="))
            return v.substr(name.size() + 1);
    return "(none)";
}

const service::Sender k_sender{4242, 77};

} // namespace

TEST_SUITE("service::notify") {

    TEST_CASE("the end of a run notes the hook it calls for, for its sender, when there is a "
              "command for it") {
        Fixture f(Config{{"notify.on_success", "echo default success"}});
        auto job = f.job("backup", [](service::JobSpec& s) { s.on_failure = "echo failed"; });
        const auto failed = f.ended(job, Status::failed, 3);
        // A retry was queued: on-retry, which neither the job nor the store has.
        CHECK_FALSE(f.note(job, failed, true, k_sender));
        CHECK(f.store.notifications_of(k_sender.pid, k_sender.start).empty());
        const auto hook = f.note(job, failed, false, k_sender);
        REQUIRE(hook);
        CHECK(hook->execution_id == failed.id);
        CHECK(hook->kind == HookKind::failure);
        CHECK(hook->command == "echo failed");
        CHECK(hook->created_at == f.clock.now());
        CHECK(f.store.notifications_of(k_sender.pid, k_sender.start) ==
              std::vector<model::Notification>{*hook});

        const auto completed = f.ended(job, Status::completed, 0);
        const auto success = f.note(job, completed, false, k_sender);
        REQUIRE(success);
        CHECK(success->command == "echo default success");
        CHECK_FALSE(f.note(job, f.ended(job, Status::cancelled, std::nullopt), false, k_sender));
        CHECK(service::has_hook(f.ctx(), job, Status::lost, false));
        CHECK_FALSE(service::has_hook(f.ctx(), job, Status::lost, true));
    }

    TEST_CASE("a hook starts as the job would run, with the run's variables and its history "
              "object on stdin") {
        Fixture f(Config{{"notify.timeout", "45s"}});
        auto job = f.job("backup", [](service::JobSpec& s) {
            s.on_failure = "mail -s failed ops";
            s.env = std::vector<std::string>{"TEAM=infra"};
            s.working_dir = "/tmp";
            s.kill_grace = "3s";
            s.timezone = "Europe/Berlin";
        });
        const auto run = f.ended(job, Status::failed, 3);
        auto hook = f.note(job, run, false, k_sender);
        REQUIRE(hook);
        RecordingRunner runner;
        service::HookSend send{*hook, std::nullopt};
        CHECK_FALSE(service::start_hook(f.ctx(), runner, send));
        REQUIRE(runner.started.size() == 1);
        const auto& [id, spec] = runner.started[0];
        CHECK(id == -run.id);
        CHECK(id == service::hook_run_id(*hook));
        CHECK(spec.argv == std::vector<std::string>{"/bin/sh", "-c", "mail -s failed ops"});
        CHECK(spec.working_dir == "/tmp");
        CHECK(env_value(spec, "TEAM") == "infra");
        CHECK(env_value(spec, "PATH") == "/usr/local/bin:/usr/bin:/bin");
        CHECK(env_value(spec, "SCHEDULE_JOB_NAME") == "backup");
        CHECK(env_value(spec, "SCHEDULE_EXECUTION_ID") == std::to_string(run.id));
        CHECK(env_value(spec, "SCHEDULE_ATTEMPT") == "2");
        CHECK(env_value(spec, "SCHEDULE_TRIGGER") == "schedule");
        CHECK(env_value(spec, "SCHEDULE_STATUS") == "failed");
        CHECK(env_value(spec, "SCHEDULE_EXIT_CODE") == "3");
        CHECK(env_value(spec, "SCHEDULE_HOOK") == "failure");
        REQUIRE(spec.stdin_data);
        CHECK(*spec.stdin_data ==
              model::dump_json(model::execution_to_json(run, model::zone_of(job), false)) + "\n");
        CHECK(spec.stdin_data->find("+01:00") != std::string::npos); // the job's zone
        CHECK(spec.timeout == std::chrono::seconds(45));
        CHECK(spec.kill_grace == std::chrono::seconds(3));
        CHECK(spec.max_bytes == service::k_hook_output_bytes);
        CHECK_FALSE(spec.tee);
        REQUIRE(send.run);
        CHECK(send.run->id == run.id);

        // A lost run has no exit code: the variable is empty.
        const auto lost = f.ended(job, Status::lost, std::nullopt);
        service::HookSend lost_send{*f.note(job, lost, false, k_sender), std::nullopt};
        CHECK_FALSE(service::start_hook(f.ctx(), runner, lost_send));
        REQUIRE(runner.started.size() == 2);
        CHECK(env_value(runner.started[1].second, "SCHEDULE_EXIT_CODE").empty());
        CHECK(env_value(runner.started[1].second, "SCHEDULE_STATUS") == "lost");
    }

    TEST_CASE("a hook whose run is gone cannot start") {
        Fixture f;
        auto job = f.job("backup", [](service::JobSpec& s) { s.on_success = "true"; });
        auto hook = f.note(job, f.ended(job, Status::completed, 0), false, k_sender);
        REQUIRE(hook);
        auto tx = f.store.begin_write();
        f.store.delete_job(tx, job.id);
        tx.commit();
        RecordingRunner runner;
        service::HookSend send{*hook, std::nullopt};
        auto r = service::start_hook(f.ctx(), runner, send);
        REQUIRE(r);
        CHECK(r->outcome == exec::Outcome::failed_to_start);
        CHECK(r->error.find("gone") != std::string::npos);
        CHECK(runner.started.empty());
    }

    TEST_CASE("how a hook went is recorded as notify.sent or notify.failed, and it is "
              "forgotten") {
        Fixture f;
        auto job = f.job("backup", [](service::JobSpec& s) { s.on_retry = "true"; });
        auto result = [](exec::Outcome outcome, std::optional<int> code, std::optional<int> sig) {
            exec::RunResult r;
            r.outcome = outcome;
            r.exit_code = code;
            r.signal = sig;
            r.duration = std::chrono::milliseconds(250);
            return r;
        };
        struct Case {
            const char* what;
            exec::RunResult result;
            const char* type;
            const char* detail;
        };
        auto cancelled = result(exec::Outcome::cancelled, std::nullopt, 15);
        cancelled.cancel_signal = 15;
        auto failed_start = result(exec::Outcome::failed_to_start, std::nullopt, std::nullopt);
        failed_start.error = "cannot run as x: no such user";
        auto noisy = result(exec::Outcome::exited, 2, std::nullopt);
        noisy.err.data = "curl: (6) Could not resolve host\n";
        const Case cases[] = {
            {"exit 0", result(exec::Outcome::exited, 0, std::nullopt), "notify.sent",
             R"({"hook":"retry","exit_code":0,"signal":null,"timed_out":false,"duration_ms":250})"},
            {"exit 2 with stderr", noisy, "notify.failed",
             R"({"hook":"retry","exit_code":2,"signal":null,"timed_out":false,"duration_ms":250,)"
             R"("stderr":"curl: (6) Could not resolve host\n"})"},
            {"a signal", result(exec::Outcome::signaled, std::nullopt, 9), "notify.failed",
             R"({"hook":"retry","exit_code":null,"signal":9,"timed_out":false,"duration_ms":250})"},
            {"timed out", result(exec::Outcome::timed_out, std::nullopt, 15), "notify.failed",
             R"({"hook":"retry","exit_code":null,"signal":15,"timed_out":true,"duration_ms":250})"},
            {"cancelled", cancelled, "notify.failed",
             R"({"hook":"retry","exit_code":null,"signal":15,"timed_out":false,"duration_ms":250,)"
             R"("error":"stopped by signal TERM"})"},
            {"could not start", failed_start, "notify.failed",
             R"({"hook":"retry","exit_code":null,"signal":null,"timed_out":false,)"
             R"("duration_ms":null,"error":"cannot run as x: no such user"})"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.what);
            const auto run = f.ended(job, Status::failed, 1);
            auto hook = f.note(job, run, true, k_sender);
            REQUIRE(hook);
            service::HookSend send{*hook, run};
            auto tx = f.store.begin_write();
            service::record_hook(f.ctx(), tx, send, c.result);
            tx.commit();
            const auto events = f.notify_events();
            REQUIRE_FALSE(events.empty());
            const auto& ev = events.back();
            CHECK(ev.type == c.type);
            CHECK(ev.detail == c.detail);
            CHECK(ev.execution_id == run.id);
            CHECK(ev.job_id == job.id);
            CHECK(ev.job_name == "backup");
            CHECK(ev.user == "tester");
            CHECK(ev.time == f.clock.now());
            CHECK(f.store.notifications_of(k_sender.pid, k_sender.start).empty());
        }
    }

    TEST_CASE("the supervisor sends the hooks handed to it, and job run those of its run") {
        Fixture f;
        const auto out = (f.tmp.path() / "hooks").string();
        auto job = f.job("flaky", [&](service::JobSpec& s) {
            s.command = "exit 3";
            s.on_failure = "cat >> " + out + "; echo \"$SCHEDULE_HOOK\" >> " + out;
        });
        auto real = exec::make_system_runner(exec::Interrupts::ignore);

        // A hook noted for this process (as a tick notes a lost run's hook
        // for the supervisor it starts) is sent by supervise.
        const auto lost = f.ended(job, Status::lost, std::nullopt);
        REQUIRE(f.note(job, lost, false, service::this_process(f.ctx())));
        service::supervise(f.ctx(), *real);
        auto events = f.notify_events();
        REQUIRE(events.size() == 1);
        CHECK(events[0].type == "notify.sent");
        CHECK(events[0].execution_id == lost.id);
        CHECK(f.store
                  .notifications_of(service::this_process(f.ctx()).pid,
                                    service::this_process(f.ctx()).start)
                  .empty());

        // job run sends the hook of its own run before it returns.
        auto report =
            service::run_now(f.ctx(), *real, "flaky", service::Force::no, service::Tee::no);
        CHECK(report.exit_code == 3);
        events = f.notify_events();
        REQUIRE(events.size() == 2);
        CHECK(events[1].type == "notify.sent");
        CHECK(events[1].execution_id == report.execution.id);
        auto lines = std::string();
        {
            std::ifstream in(out);
            lines.assign(std::istreambuf_iterator<char>(in), {});
        }
        auto first = lines.find('\n');
        REQUIRE(first != std::string::npos);
        CHECK(nlohmann::json::parse(lines.substr(0, first))["status"] == "lost");
        CHECK(lines.find("failure\n") != std::string::npos);
        CHECK(lines.find("\"status\":\"failed\"") != std::string::npos);
    }
}
