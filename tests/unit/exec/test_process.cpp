// exec::make_system_runner with real processes: exit codes, signals,
// capture, stdin, environment, working directory, timeouts, leftovers,
// concurrency, cancellation and switching users.
//
// Processes that must not survive are `sleep` with a duration unique to
// the test and to this test process ("1003.<pid>"), looked up in
// /proc/*/cmdline, so parallel test processes cannot confuse each other.

#include <schedule/exec/process.hpp>

#include "../support/watchdog.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <sched.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace schedule;
using namespace std::chrono_literals;

namespace {

using schedule::test::Watchdog;

// A sleep duration no other test or test process uses: "10NN.<pid>".
std::string unique_seconds(int n) {
    return std::to_string(1000 + n) + "." + std::to_string(::getpid());
}

// Pids of live processes with an argument equal to `arg` (zombies have an
// empty cmdline and do not count).
std::vector<int> processes_with_arg(const std::string& arg) {
    std::vector<int> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        auto name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(),
                                         [](unsigned char c) { return c >= '0' && c <= '9'; }))
            continue;
        std::ifstream in(entry.path() / "cmdline", std::ios::binary);
        std::string part;
        while (std::getline(in, part, '\0'))
            if (part == arg) {
                out.push_back(std::stoi(name));
                break;
            }
    }
    return out;
}

// Waits until a process with argument `arg` exists (a job got past its
// setup to the command under test); the watchdog bounds the wait.
void wait_for_process(const std::string& arg) {
    while (processes_with_arg(arg).empty())
        ::usleep(10000);
}

// Field 22 (starttime) of /proc/PID/stat, read without the code under test.
std::optional<std::int64_t> stat_starttime(std::int64_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text))
        return std::nullopt;
    // Fields 3.. follow the command name, which ends at the last ')'.
    std::istringstream rest(text.substr(text.rfind(')') + 1));
    std::vector<std::string> fields;
    std::string field;
    while (rest >> field)
        fields.push_back(field);
    if (fields.size() < 20)
        return std::nullopt;
    return std::stoll(fields[22 - 3]);
}

exec::RunSpec shell(const std::string& script) {
    exec::RunSpec s;
    s.argv = {"/bin/sh", "-c", script};
    s.env = {"PATH=/usr/bin:/bin"};
    s.kill_grace = 1s;
    return s;
}

exec::RunSpec program(std::vector<std::string> argv) {
    exec::RunSpec s;
    s.argv = std::move(argv);
    s.env = {"PATH=/usr/bin:/bin"};
    s.kill_grace = 1s;
    return s;
}

// Starts one run and waits for it; the runner must then be idle.
exec::RunResult run_one(exec::ProcessRunner& runner, const exec::RunSpec& spec,
                        exec::RunId id = 1) {
    runner.start(id, spec);
    auto done = runner.wait();
    REQUIRE(done.size() == 1);
    CHECK(done[0].id == id);
    CHECK(runner.active() == 0);
    return done[0].result;
}

std::unique_ptr<exec::ProcessRunner> runner() {
    return exec::make_system_runner(exec::Interrupts::ignore);
}

} // namespace

TEST_SUITE("exec::process") {

    TEST_CASE("exit codes and signal deaths are reported as they happened") {
        Watchdog w;
        auto r = runner();
        SUBCASE("exit 0") {
            auto res = run_one(*r, shell("exit 0"));
            CHECK(res.outcome == exec::Outcome::exited);
            CHECK(res.exit_code == 0);
            CHECK_FALSE(res.signal);
        }
        SUBCASE("exit 3") {
            auto res = run_one(*r, shell("exit 3"));
            CHECK(res.outcome == exec::Outcome::exited);
            CHECK(res.exit_code == 3);
            CHECK_FALSE(res.signal);
        }
        SUBCASE("exit 255") {
            auto res = run_one(*r, shell("exit 255"));
            CHECK(res.outcome == exec::Outcome::exited);
            CHECK(res.exit_code == 255);
        }
        SUBCASE("killed by SIGKILL") {
            auto res = run_one(*r, shell("kill -KILL $$; sleep 5"));
            CHECK(res.outcome == exec::Outcome::signaled);
            CHECK(res.signal == SIGKILL);
            CHECK_FALSE(res.exit_code);
            CHECK(res.cancel_signal == 0);
        }
        SUBCASE("killed by SIGTERM") {
            auto res = run_one(*r, shell("kill -TERM $$; sleep 5"));
            CHECK(res.outcome == exec::Outcome::signaled);
            CHECK(res.signal == SIGTERM);
        }
        SUBCASE("wait with nothing running returns at once with nothing") {
            CHECK(r->active() == 0);
            CHECK(r->wait().empty());
        }
        CHECK(r->interrupted_by() == 0);
    }

    TEST_CASE("stdout and stderr are captured separately and bounded") {
        Watchdog w;
        auto r = runner();
        SUBCASE("given a job writing to both streams") {
            auto res = run_one(*r, shell("printf 'to out\\n'; printf 'to err' >&2; printf more"));
            CHECK(res.out.data == "to out\nmore");
            CHECK(res.out.total_bytes == 11);
            CHECK_FALSE(res.out.truncated);
            CHECK(res.err.data == "to err");
            CHECK(res.err.total_bytes == 6);
        }
        SUBCASE("given a job that prints nothing") {
            auto res = run_one(*r, shell("true"));
            CHECK(res.out.data.empty());
            CHECK(res.out.total_bytes == 0);
            CHECK(res.err.data.empty());
        }
        SUBCASE("given a job that prints more than max_bytes") {
            auto spec = shell("head -c 100000 /dev/zero | tr '\\0' x; printf END");
            spec.max_bytes = 100;
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            CHECK(res.out.total_bytes == 100003);
            CHECK(res.out.truncated);
            CHECK(res.out.data == std::string(50, 'x') + "\n[... 99903 bytes omitted ...]\n" +
                                      std::string(47, 'x') + "END");
            CHECK(res.err.total_bytes == 0);
        }
    }

    TEST_CASE("stdin_data is delivered to the job") {
        Watchdog w;
        auto r = runner();
        SUBCASE("a small binary input comes back from cat byte for byte") {
            auto spec = program({"/usr/bin/cat"});
            spec.stdin_data = std::string("one\0two\xff\n", 9);
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            CHECK(res.out.data == *spec.stdin_data);
        }
        SUBCASE("1 MiB is read fully while the output is read too") {
            std::mt19937 rng(7);
            std::string big(1 << 20, '\0');
            for (auto& c : big)
                c = static_cast<char>(rng() & 0xff);
            auto spec = program({"/usr/bin/cat"});
            spec.stdin_data = big;
            spec.max_bytes = 2 << 20;
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            CHECK(res.out.total_bytes == (1 << 20));
            CHECK_FALSE(res.out.truncated);
            CHECK(res.out.data == big); // not a CHECK_EQ: 1 MiB would be printed
        }
        SUBCASE("1 MiB is counted by wc") {
            auto spec = program({"/usr/bin/wc", "-c"});
            spec.stdin_data = std::string(1 << 20, 'a');
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            CHECK(res.out.data == "1048576\n");
        }
        SUBCASE("a job that never reads its stdin still ends normally") {
            auto spec = shell("exit 0");
            spec.stdin_data = std::string(1 << 20, 'a');
            auto res = run_one(*r, spec);
            CHECK(res.outcome == exec::Outcome::exited);
            CHECK(res.exit_code == 0);
        }
        SUBCASE("an empty stdin_data is an empty stdin") {
            auto spec = program({"/usr/bin/wc", "-c"});
            spec.stdin_data = "";
            CHECK(run_one(*r, spec).out.data == "0\n");
        }
        SUBCASE("without stdin_data the job reads /dev/null") {
            auto res = run_one(*r, shell("cat; readlink /proc/self/fd/0"));
            CHECK(res.exit_code == 0);
            CHECK(res.out.data == "/dev/null\n");
        }
    }

    TEST_CASE("the environment is exactly RunSpec.env") {
        Watchdog w;
        ::setenv("SCHEDULE_UNIT_TEST_LEAK", "1", 1); // ours, must not reach the job
        auto r = runner();
        SUBCASE("given two variables") {
            auto spec = program({"/usr/bin/env"});
            spec.env = {"A=1", "B=two words"};
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            CHECK(res.out.data == "A=1\nB=two words\n");
        }
        SUBCASE("given none") {
            auto spec = program({"/usr/bin/env"});
            spec.env = {};
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            CHECK(res.out.data.empty());
        }
        ::unsetenv("SCHEDULE_UNIT_TEST_LEAK");
    }

    TEST_CASE("the working directory is honoured") {
        Watchdog w;
        auto r = runner();
        auto dir = std::filesystem::temp_directory_path() /
                   ("schedule-unit-wd-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        auto spec = program({"/usr/bin/pwd", "-P"});
        spec.working_dir = dir.string();
        auto res = run_one(*r, spec);
        CHECK(res.exit_code == 0);
        CHECK(res.out.data == std::filesystem::canonical(dir).string() + "\n");
        std::filesystem::remove_all(dir);
    }

    TEST_CASE("a run that cannot start is reported by wait as failed_to_start") {
        Watchdog w;
        auto r = runner();
        SUBCASE("a missing executable") {
            auto started = r->start(4, program({"/nonexistent/program-xyz", "arg"}));
            CHECK_FALSE(started);
            CHECK(r->active() == 1);
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].id == 4);
            CHECK(done[0].result.outcome == exec::Outcome::failed_to_start);
            CHECK(done[0].result.error.find("/nonexistent/program-xyz") != std::string::npos);
            CHECK_FALSE(done[0].result.exit_code);
            CHECK(r->active() == 0);
        }
        SUBCASE("a missing working directory") {
            auto spec = program({"/usr/bin/true"});
            spec.working_dir = "/nonexistent/dir-xyz";
            CHECK_FALSE(r->start(5, spec));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].id == 5);
            CHECK(done[0].result.outcome == exec::Outcome::failed_to_start);
            CHECK(done[0].result.error == "working directory /nonexistent/dir-xyz does not exist");
        }
        SUBCASE("a working directory that is a file") {
            auto spec = program({"/usr/bin/true"});
            spec.working_dir = "/etc/passwd";
            CHECK_FALSE(r->start(6, spec));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].result.outcome == exec::Outcome::failed_to_start);
            CHECK(done[0].result.error == "working directory /etc/passwd is not a directory");
        }
        SUBCASE("a failure is reported at once while another run goes on") {
            auto secs = unique_seconds(1);
            auto long_run = r->start(1, program({"/usr/bin/sleep", secs}));
            REQUIRE(long_run);
            CHECK_FALSE(r->start(2, program({"/nonexistent/program-xyz"})));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].id == 2);
            CHECK(done[0].result.outcome == exec::Outcome::failed_to_start);
            CHECK(r->active() == 1);
            // (A process shows its arguments a moment after start() returns.)
            wait_for_process(secs);
            CHECK(processes_with_arg(secs).size() == 1);
            r->cancel(1, SIGKILL);
            auto rest = r->wait();
            REQUIRE(rest.size() == 1);
            CHECK(rest[0].id == 1);
            CHECK(processes_with_arg(secs).empty());
        }
    }

    TEST_CASE("a run starts in its own session and process group, signals at default") {
        Watchdog w;
        auto r = runner();
        SUBCASE("given a shell that reports its group and session") {
            auto spec = shell("read -r pid comm state ppid pgrp sid rest < /proc/$$/stat; "
                              "echo \"$pid $pgrp $sid\"");
            auto started = r->start(1, spec);
            REQUIRE(started);
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            auto p = std::to_string(started->pid);
            CHECK(done[0].result.out.data == p + " " + p + " " + p + "\n");
        }
        SUBCASE("given a job that reports its blocked and ignored signals") {
            // This process blocks SIGCHLD and ignores SIGPIPE while the runner
            // exists; the job must not inherit either: every signal is at its
            // default.
            auto res = run_one(*r, shell("exec grep -E '^Sig(Blk|Ign):' /proc/self/status"));
            INFO("the job's /proc/self/status: ", res.out.data);
            CHECK(res.out.data.find("SigBlk:\t0000000000000000\n") != std::string::npos);
            CHECK(res.out.data.find("SigIgn:\t0000000000000000\n") != std::string::npos);
        }
    }

    TEST_CASE("a timeout ends the whole group and no process survives") {
        Watchdog w;
        auto r = runner();
        SUBCASE("given a shell with a background and a foreground sleep") {
            auto secs = unique_seconds(3);
            auto spec = shell("echo started; sleep " + secs + " & sleep " + secs);
            spec.timeout = 1s;
            spec.kill_grace = 1s;
            auto res = run_one(*r, spec);
            CHECK(res.outcome == exec::Outcome::timed_out);
            CHECK(res.signal == SIGTERM);
            CHECK_FALSE(res.exit_code);
            CHECK(res.out.data == "started\n");
            CHECK(res.duration >= 1s);
            CHECK(processes_with_arg(secs).empty());
        }
        SUBCASE("given a job that ignores SIGTERM, SIGKILL follows the grace") {
            auto secs = unique_seconds(4);
            auto spec = shell("trap '' TERM; sleep " + secs + "; echo survived");
            spec.timeout = 1s;
            spec.kill_grace = 1s;
            auto res = run_one(*r, spec);
            CHECK(res.outcome == exec::Outcome::timed_out);
            CHECK(res.signal == SIGKILL);
            CHECK(res.out.data.empty());
            CHECK(res.duration >= 2s);
            CHECK(processes_with_arg(secs).empty());
        }
    }

    TEST_CASE("leftovers of a run that exited are ended and wait returns") {
        Watchdog w;
        auto r = runner();
        auto secs = unique_seconds(5);
        exec::RunSpec spec;
        SUBCASE("a background sleep in the group, holding stdout") {
            spec = shell("sleep " + secs + " & echo done");
        }
        SUBCASE("a setsid sleep in its own session, holding stdout") {
            spec = shell("setsid sleep " + secs + " & echo done");
        }
        SUBCASE("a double fork, holding stdout") {
            spec = shell("(sleep " + secs + " &); echo done");
        }
        SUBCASE("a double fork into a new session with its output closed") {
            spec = shell("(setsid sleep " + secs +
                         " </dev/null >/dev/null 2>&1 &); sleep 0.2; echo done");
        }
        SUBCASE("a background process that ignores SIGTERM and holds stdout") {
            spec = shell("(trap '' TERM; exec sleep " + secs + ") & echo done");
        }
        spec.env.push_back("SCHEDULE_EXECUTION_ID=1");
        spec.marker = "SCHEDULE_EXECUTION_ID=1";
        spec.kill_grace = 1s;
        auto res = run_one(*r, spec);
        CHECK(res.outcome == exec::Outcome::exited);
        CHECK(res.exit_code == 0);
        CHECK(res.out.data == "done\n");
        CHECK(processes_with_arg(secs).empty());
    }

    TEST_CASE("a leftover that left the session is ended by its marker while others run") {
        Watchdog w;
        auto r = runner();
        auto long_secs = unique_seconds(6);
        auto left_secs = unique_seconds(7);
        // given a long run and a run that leaves a setsid process behind
        REQUIRE(r->start(1, program({"/usr/bin/sleep", long_secs})));
        auto spec = shell("setsid sleep " + left_secs + " </dev/null >/dev/null 2>&1 & echo done");
        spec.env.push_back("SCHEDULE_EXECUTION_ID=2");
        spec.marker = "SCHEDULE_EXECUTION_ID=2";
        REQUIRE(r->start(2, spec));
        // when the second run's main process exits
        auto done = r->wait();
        // then it ends alone, its leftover is gone, and the long run goes on
        REQUIRE(done.size() == 1);
        CHECK(done[0].id == 2);
        CHECK(done[0].result.out.data == "done\n");
        CHECK(processes_with_arg(left_secs).empty());
        wait_for_process(long_secs);
        CHECK(processes_with_arg(long_secs).size() == 1);
        CHECK(r->active() == 1);
        r->cancel(1, SIGTERM);
        auto rest = r->wait();
        REQUIRE(rest.size() == 1);
        CHECK(rest[0].id == 1);
        CHECK(processes_with_arg(long_secs).empty());
    }

    TEST_CASE("concurrent runs each get their own output and id") {
        Watchdog w;
        auto r = runner();
        std::set<std::int64_t> pids;
        for (int n = 1; n <= 20; ++n) {
            auto spec = shell("echo $N; echo err$N >&2");
            spec.env.push_back("N=" + std::to_string(n));
            auto started = r->start(100 + n, spec);
            REQUIRE(started);
            pids.insert(started->pid);
        }
        CHECK(pids.size() == 20);
        CHECK(r->active() == 20);
        std::map<exec::RunId, exec::RunResult> results;
        while (r->active() > 0)
            for (auto& f : r->wait()) {
                CHECK(results.count(f.id) == 0);
                results[f.id] = f.result;
            }
        REQUIRE(results.size() == 20);
        for (int n = 1; n <= 20; ++n) {
            INFO("run ", n);
            REQUIRE(results.count(100 + n) == 1);
            const auto& res = results[100 + n];
            CHECK(res.outcome == exec::Outcome::exited);
            CHECK(res.exit_code == 0);
            CHECK(res.out.data == std::to_string(n) + "\n");
            CHECK(res.err.data == "err" + std::to_string(n) + "\n");
        }
    }

    TEST_CASE("wait returns a short run while a long one goes on") {
        Watchdog w;
        auto r = runner();
        auto secs = unique_seconds(8);
        REQUIRE(r->start(1, program({"/usr/bin/sleep", secs})));
        REQUIRE(r->start(2, shell("echo quick")));
        auto done = r->wait();
        REQUIRE(done.size() == 1);
        CHECK(done[0].id == 2);
        CHECK(done[0].result.out.data == "quick\n");
        r->cancel(1, SIGKILL);
        r->wait();
        CHECK(processes_with_arg(secs).empty());
    }

    TEST_CASE("cancel sends the signal to the group and the run ends cancelled") {
        Watchdog w;
        auto r = runner();
        auto secs = unique_seconds(9);
        SUBCASE("given a sleeping run cancelled with SIGTERM") {
            REQUIRE(r->start(5, shell("sleep " + secs + " & sleep " + secs)));
            // an unknown id changes nothing
            r->cancel(999, SIGTERM);
            CHECK(r->active() == 1);
            r->cancel(5, SIGTERM);
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].id == 5);
            CHECK(done[0].result.outcome == exec::Outcome::cancelled);
            CHECK(done[0].result.cancel_signal == SIGTERM);
            CHECK(done[0].result.signal == SIGTERM);
            CHECK(processes_with_arg(secs).empty());
        }
        SUBCASE("given a run that ignores the cancel signal, SIGKILL follows the grace") {
            auto spec = shell("trap '' INT; sleep " + secs);
            spec.kill_grace = 1s;
            REQUIRE(r->start(6, spec));
            wait_for_process(secs); // the trap is set once sleep runs
            r->cancel(6, SIGINT);
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].result.outcome == exec::Outcome::cancelled);
            CHECK(done[0].result.cancel_signal == SIGINT);
            CHECK(done[0].result.signal == SIGKILL);
            CHECK(processes_with_arg(secs).empty());
        }
    }

    TEST_CASE("destroying the runner ends the runs it still has") {
        Watchdog w;
        auto secs = unique_seconds(10);
        {
            auto r = runner();
            REQUIRE(r->start(1, shell("sleep " + secs + " & sleep " + secs)));
            wait_for_process(secs);
        }
        CHECK(processes_with_arg(secs).empty());
    }

    TEST_CASE("as root a run can switch to another user") {
        if (::geteuid() != 0) {
            MESSAGE("not root: switching users is not tested");
            return;
        }
        Watchdog w;
        auto nobody = exec::lookup_user("nobody");
        REQUIRE(nobody);
        CHECK(nobody->uid == 65534);
        auto r = runner();
        SUBCASE("given user nobody, id reports its uid, gid and groups only") {
            auto spec = shell("id -u; id -g; id -G");
            spec.user = nobody;
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            auto uid = std::to_string(nobody->uid);
            auto gid = std::to_string(nobody->gid);
            CHECK(res.out.data == uid + "\n" + gid + "\n" + gid + "\n");
        }
        SUBCASE("given user nobody, stdin, the environment and the directory still apply") {
            auto spec = shell("pwd; env; cat");
            spec.user = nobody;
            spec.env = {"X=y"};
            spec.working_dir = "/tmp";
            spec.stdin_data = "input";
            auto res = run_one(*r, spec);
            CHECK(res.exit_code == 0);
            // dash adds PWD to the environment it was given
            CHECK(res.out.data.starts_with("/tmp\n"));
            CHECK(res.out.data.find("X=y\n") != std::string::npos);
            CHECK(res.out.data.ends_with("input"));
            CHECK(res.out.data.find("SCHEDULE_UNIT") == std::string::npos);
        }
        SUBCASE("given user nobody, signals start at their default") {
            auto spec = shell("exec grep -E '^Sig(Blk|Ign):' /proc/self/status");
            spec.user = nobody;
            auto res = run_one(*r, spec);
            CHECK(res.out.data == "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
        }
        SUBCASE("given user nobody and a missing executable, the start fails") {
            auto spec = program({"/nonexistent/program-xyz"});
            spec.user = nobody;
            CHECK_FALSE(r->start(3, spec));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].result.outcome == exec::Outcome::failed_to_start);
            CHECK(done[0].result.error.find("/nonexistent/program-xyz") != std::string::npos);
        }
        SUBCASE("given user nobody and a directory only root may enter, the start fails") {
            auto dir = std::filesystem::temp_directory_path() /
                       ("schedule-unit-private-" + std::to_string(::getpid()));
            std::filesystem::create_directories(dir);
            ::chmod(dir.c_str(), 0700);
            auto spec = program({"/usr/bin/true"});
            spec.user = nobody;
            spec.working_dir = dir.string();
            CHECK_FALSE(r->start(3, spec));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            CHECK(done[0].result.outcome == exec::Outcome::failed_to_start);
            CHECK(done[0].result.error.find(dir.string()) != std::string::npos);
            std::filesystem::remove_all(dir);
        }
    }

    TEST_CASE("process_start_time is field 22 of /proc/PID/stat and fixed for a process's life") {
        Watchdog w;
        // given this process
        auto self = exec::process_start_time(exec::self_pid());
        REQUIRE(self);
        CHECK(*self == stat_starttime(::getpid()).value_or(-1));
        // when it grows, its start time stays what it was
        std::vector<char> big(std::size_t{64} << 20, 1);
        CHECK(big[12345] == 1);
        CHECK(exec::process_start_time(exec::self_pid()).value_or(-1) == *self);
        // and a job started later reports its own start time, not before ours
        auto r = runner();
        auto secs = unique_seconds(11);
        auto started = r->start(1, program({"/usr/bin/sleep", secs}));
        REQUIRE(started);
        CHECK(started->process_start == stat_starttime(started->pid).value_or(-1));
        CHECK(started->process_start >= *self);
        r->cancel(1, SIGKILL);
        r->wait();
    }

    TEST_CASE("wait_for with a zero limit returns a run that has already ended") {
        Watchdog w;
        auto r = runner();
        auto started = r->start(1, program({"/usr/bin/true"}));
        REQUIRE(started);
        // given its main process has exited (a zombie until the runner takes it)
        auto state = [&] {
            std::ifstream in("/proc/" + std::to_string(started->pid) + "/stat");
            std::string text((std::istreambuf_iterator<char>(in)), {});
            auto close = text.rfind(')');
            return close == std::string::npos || close + 2 >= text.size() ? '?' : text[close + 2];
        };
        while (state() != 'Z')
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        // when asked without waiting, it is returned at once
        auto done = r->wait_for(std::chrono::milliseconds(0));
        REQUIRE(done.size() == 1);
        CHECK(done[0].id == 1);
        CHECK(done[0].result.outcome == exec::Outcome::exited);
        CHECK(r->active() == 0);
    }

    TEST_CASE("every run's start time is the one /proc gives, run after run") {
        Watchdog w;
        auto r = runner();
        for (exec::RunId id = 1; id <= 200; ++id) {
            auto started = r->start(id, program({"/bin/true"}));
            REQUIRE(started);
            // the main process stays (a zombie at most) until wait() takes it
            CHECK(started->process_start == stat_starttime(started->pid).value_or(-1));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
        }
    }

    TEST_CASE("with Interrupts::cancel_runs a signal to this process cancels every run") {
        Watchdog w;
        auto r = exec::make_system_runner(exec::Interrupts::cancel_runs);
        auto first = unique_seconds(12);
        auto second = unique_seconds(13);
        REQUIRE(r->start(1, program({"/usr/bin/sleep", first})));
        REQUIRE(r->start(2, shell("sleep " + second + " & sleep " + second)));
        CHECK(r->interrupted_by() == 0);
        // when this process gets SIGTERM (blocked and read by the runner)
        ::kill(::getpid(), SIGTERM);
        std::map<exec::RunId, exec::RunResult> results;
        while (r->active() > 0)
            for (auto& f : r->wait())
                results[f.id] = f.result;
        // then both runs end cancelled by it and nothing of them survives
        REQUIRE(results.size() == 2);
        for (auto& [id, res] : results) {
            INFO("run ", id);
            CHECK(res.outcome == exec::Outcome::cancelled);
            CHECK(res.cancel_signal == SIGTERM);
        }
        CHECK(r->interrupted_by() == SIGTERM);
        CHECK(processes_with_arg(first).empty());
        CHECK(processes_with_arg(second).empty());
    }

    TEST_CASE("starts are paced: with a young run per CPU the next waits for an exit or "
              "k_start_spacing") {
        Watchdog w;
        auto r = runner();
        using Clock = std::chrono::steady_clock;
        cpu_set_t set;
        CPU_ZERO(&set);
        REQUIRE(::sched_getaffinity(0, sizeof set, &set) == 0);
        const int cpus = std::max(1, CPU_COUNT(&set));
        SUBCASE("runs still going hold the next one back for the spacing") {
            // The first of them is young until k_start_spacing after t0.
            auto t0 = Clock::now();
            for (int i = 0; i < cpus; ++i)
                REQUIRE(r->start(1 + i, program({"/usr/bin/sleep", unique_seconds(14)})));
            REQUIRE(r->start(100, shell("exit 0")));
            CHECK(Clock::now() - t0 >= exec::k_start_spacing);
            for (int i = 0; i < cpus; ++i)
                r->cancel(1 + i, SIGKILL);
            while (r->active() > 0)
                r->wait();
        }
        SUBCASE("a run that has exited does not") {
            REQUIRE(r->start(1, shell("exit 0")));
            auto done = r->wait();
            REQUIRE(done.size() == 1);
            // the next start is not held back by the finished run: it may
            // take any time, but no process of run 1 is left to wait for
            REQUIRE(r->start(2, shell("exit 0")));
            CHECK(r->wait().size() == 1);
        }
    }

    TEST_CASE("after an interrupt a run is not started: it ends cancelled") {
        Watchdog w;
        auto r = exec::make_system_runner(exec::Interrupts::cancel_runs);
        auto secs = unique_seconds(15);
        REQUIRE(r->start(1, program({"/usr/bin/sleep", secs})));
        ::kill(::getpid(), SIGTERM);
        std::map<exec::RunId, exec::RunResult> results;
        while (r->active() > 0)
            for (auto& f : r->wait())
                results[f.id] = f.result;
        REQUIRE(r->interrupted_by() == SIGTERM);
        auto marker = unique_seconds(16);
        CHECK_FALSE(r->start(2, program({"/usr/bin/sleep", marker})));
        for (auto& f : r->wait())
            results[f.id] = f.result;
        REQUIRE(results.count(2));
        CHECK(results[2].outcome == exec::Outcome::cancelled);
        CHECK(results[2].cancel_signal == SIGTERM);
        CHECK(processes_with_arg(marker).empty());
    }

    TEST_CASE("wait_gone returns when another process ends, or at its limit") {
        Watchdog w;
        auto r = runner();
        auto secs = unique_seconds(17);
        auto started = r->start(1, program({"/usr/bin/sleep", secs}));
        REQUIRE(started);
        // alive: the limit passes
        CHECK_FALSE(
            exec::wait_gone(started->pid, started->process_start, std::chrono::milliseconds(30)));
        // a start time that is not the process's: that process is gone
        CHECK(exec::wait_gone(started->pid, started->process_start + 1,
                              std::chrono::milliseconds(30)));
        r->cancel(1, SIGKILL);
        r->wait();
        CHECK(exec::wait_gone(started->pid, started->process_start, std::chrono::seconds(5)));
    }

    TEST_CASE("kill_marked ends the processes whose environment holds every entry, and no "
              "other") {
        Watchdog w;
        auto r = runner();
        const auto mine = unique_seconds(18), other = unique_seconds(19);
        const auto id = "SCHEDULE_TEST_RUN=" + std::to_string(::getpid());
        auto marked = shell("sleep " + mine + " & sleep " + mine + "; :");
        marked.env.push_back("SCHEDULE_TEST_KIND=marked");
        marked.env.push_back(id);
        auto unmarked = program({"/usr/bin/sleep", other});
        unmarked.env.push_back("SCHEDULE_TEST_KIND=other");
        unmarked.env.push_back(id);
        REQUIRE(r->start(1, marked));
        REQUIRE(r->start(2, unmarked));
        while (processes_with_arg(mine).size() < 2)
            ::usleep(10000);
        wait_for_process(other);

        // The shell and both sleeps; killing the shell's group may take the
        // sleeps before the scan reaches them.
        CHECK(exec::kill_marked({"SCHEDULE_TEST_KIND=marked", id}) >= 1);
        auto done = r->wait();
        REQUIRE(done.size() == 1);
        CHECK(done[0].id == 1);
        CHECK(done[0].result.signal == SIGKILL);
        while (!processes_with_arg(mine).empty()) // the watchdog bounds the wait
            ::usleep(10000);
        CHECK(processes_with_arg(other).size() == 1);
        // an entry that only part of the list matches finds nothing
        CHECK(exec::kill_marked({"SCHEDULE_TEST_KIND=marked", "SCHEDULE_TEST_RUN=0"}) == 0);
        CHECK(processes_with_arg(other).size() == 1);
        r->cancel(2, SIGKILL);
        r->wait();
    }

    TEST_CASE("facts about processes and the host") {
        auto self = exec::process_start_time(exec::self_pid());
        REQUIRE(self);
        CHECK(*self > 0);
        CHECK(exec::self_pid() == ::getpid());
        // pid_max is at most 2^22, so this pid cannot exist
        CHECK_FALSE(exec::process_start_time(99999999));
        auto boot = exec::boot_id();
        CHECK(boot.size() == 36);
        CHECK(boot == exec::boot_id());
        CHECK_FALSE(exec::host_name().empty());
        CHECK(exec::signal_name(SIGTERM) == "TERM");
        CHECK(exec::signal_name(SIGKILL) == "KILL");
        CHECK(exec::signal_name(SIGINT) == "INT");
        CHECK(exec::signal_name(1000) == "1000");
        auto root = exec::lookup_user("root");
        REQUIRE(root);
        CHECK(root->uid == 0);
        CHECK(root->gid == 0);
        CHECK(root->name == "root");
        CHECK_FALSE(exec::lookup_user("no-such-user-xyz"));
        CHECK(exec::current_identity().uid == ::geteuid());
    }
}
