// `schedule tick` and `schedule queue` through the real binary (man page
// TICK, RETRIES, JOB FIELD FLAGS, STORE, log.file): a whole day of
// ticks, catch-up and misfire grace, the overlap policies, retries,
// recovery of a killed supervisor, many racing ticks, refusals and output.
//
// The clock: SCHEDULE_NOW fixes "now" when a process starts and it moves on
// with real time; the supervisors a tick starts continue that clock. The
// tests step minutes by giving each tick its own SCHEDULE_NOW. Jobs that
// must outlast a tick wait for a "gate" file (bounded), so no test sleeps
// longer than it must.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::Child;
using schedule::test::cmdline_of;
using schedule::test::concat;
using schedule::test::describe;
using schedule::test::eventually;
using schedule::test::Exec;
using schedule::test::KillLeftovers;
using schedule::test::processes_with;
using schedule::test::read_bytes;
using schedule::test::RunResult;
using schedule::test::Sandbox;
using schedule::test::unique_marker;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

// The `schedule __supervise` processes of this sandbox's store.
std::vector<pid_t> supervisors_of(const Sandbox& sb) {
    return schedule::test::supervisors_of(sb.store());
}

// "2026-01-15T10:00:00Z" for day "2026-01-15" and a minute of that day.
std::string instant(const std::string& day, int minute_of_day, int second = 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", day.c_str(), minute_of_day / 60,
                  minute_of_day % 60, second);
    return buf;
}

// The same instant as JSON shows it for a job in UTC.
std::string json_instant(const std::string& day, int minute_of_day, int second = 0) {
    auto s = instant(day, minute_of_day, second);
    return s.substr(0, s.size() - 1) + "+00:00";
}

std::string create(const Sandbox& sb, Args args) {
    args.insert(args.begin(), {"job", "create"});
    args.push_back("-q");
    auto id = sb.ok(args);
    REQUIRE(id.size() == 9);
    return id.substr(0, 8);
}

// `tick ARGS...` with SCHEDULE_NOW = now.
RunResult tick(Sandbox& sb, const std::string& now, Args args = {}) {
    sb.env["SCHEDULE_NOW"] = now;
    args.insert(args.begin(), "tick");
    return sb.run(args);
}

struct Summary {
    long fired = -1, skipped = -1, queued = -1, recovered = -1;
    bool operator==(const Summary&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Summary& s) {
    return os << "fired " << s.fired << ", skipped " << s.skipped << ", queued " << s.queued
              << ", recovered " << s.recovered;
}

// The counts of tick's one summary line; all -1 when the output is not
// exactly that line.
Summary summary_of(const std::string& out) {
    static const std::regex line("fired (\\d+), skipped (\\d+), queued (\\d+), recovered (\\d+)\n");
    std::smatch m;
    Summary s;
    if (std::regex_match(out, m, line)) {
        s.fired = std::stol(m[1]);
        s.skipped = std::stol(m[2]);
        s.queued = std::stol(m[3]);
        s.recovered = std::stol(m[4]);
    }
    return s;
}

// A tick that must succeed; its summary.
Summary ok_tick(Sandbox& sb, const std::string& now, Args args = {}) {
    auto r = tick(sb, now, args);
    INFO("tick at " << now << " stdout: " << r.out << " stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    auto s = summary_of(r.out);
    REQUIRE_MESSAGE(s.fired >= 0, "not a summary line: " << r.out);
    return s;
}

// Every execution of `job` (of all jobs when empty), oldest first.
json history(const Sandbox& sb, const std::string& job = "") {
    Args args{"job", "history"};
    if (!job.empty())
        args.push_back(job);
    args.insert(args.end(), {"--limit", "0"});
    auto h = sb.json(args);
    REQUIRE(h.is_array());
    std::reverse(h.begin(), h.end());
    return h;
}

std::vector<json> with_status(const json& h, const std::string& status) {
    std::vector<json> out;
    for (const auto& e : h)
        if (e["status"] == status)
            out.push_back(e);
    return out;
}

std::vector<json> not_skipped(const json& h) {
    std::vector<json> out;
    for (const auto& e : h)
        if (e["status"] != "skipped")
            out.push_back(e);
    return out;
}

// The execution with this id, or null.
json execution(const Sandbox& sb, long long id) {
    for (const auto& e : history(sb))
        if (e["execution_id"] == id)
            return e;
    return nullptr;
}

json queue(const Sandbox& sb) {
    auto q = sb.json({"queue"});
    REQUIRE(q.is_array());
    return q;
}

// Waits until nothing is running or waiting in the store.
bool wait_idle(const Sandbox& sb, std::chrono::seconds limit = 120s) {
    return eventually([&] { return queue(sb).empty(); }, limit);
}

// Creates job `name` (every minute, `--jitter 10s`, created at 10:00:00)
// again and again until its stable delay is at least `min_seconds`, so
// that a run the tick claims waits that long in its supervisor (state
// `starting`) before it starts. Returns the job's first run instant.
std::string create_delayed(Sandbox& sb, const std::string& name, const Args& flags,
                           int min_seconds) {
    sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
    for (int attempt = 0; attempt < 100; ++attempt) {
        create(sb, concat(Args{name, "--cron", "* * * * *", "--jitter", "10s"}, flags));
        auto next = sb.json({"job", "show", name})["next_execution"].get<std::string>();
        if (next.rfind("2026-01-15T10:00:", 0) == 0 && std::stoi(next.substr(17, 2)) >= min_seconds)
            return next;
        sb.ok({"job", "delete", name, "--force"});
    }
    FAIL("no job id gave a jitter delay of at least " << min_seconds << " s");
    return {};
}

// Requires the store to become idle; shows what is still active when not.
void require_idle(const Sandbox& sb, std::chrono::seconds limit = 120s) {
    if (wait_idle(sb, limit))
        return;
    auto active = queue(sb).dump(); // not inside an assertion's message
    FAIL("still running or waiting: " << active);
}

// A shell command that waits until `gate` exists (at most about 90 s).
std::string wait_for(const fs::path& gate) {
    return "i=0; while [ ! -e '" + gate.string() +
           "' ] && [ $i -lt 900 ]; do sleep 0.1; i=$((i+1)); done";
}

void open_gate(const fs::path& gate) {
    std::ofstream(gate).put('\n');
}

// Whether exactly `how_many` executions of `job` are running.
bool running(const Sandbox& sb, const std::string& job, std::size_t how_many = 1) {
    return with_status(history(sb, job), "running").size() == how_many;
}

// Checks that no process of the sandbox (supervisors, jobs) is left once
// the store is idle.
void check_no_processes(const Sandbox& sb) {
    std::vector<pid_t> left;
    bool gone = eventually(
        [&] {
            left = processes_with(sb.dir().string());
            return left.empty();
        },
        60s);
    CHECK_MESSAGE(gone, "left running:\n" << describe(left));
}

// Starts `schedule ARGS...` `n` times at the same moment: every child is
// forked first and waits on a pipe; closing it lets them all exec at once.
// stdout and stderr go to files. Returns the exit codes and outputs.
struct Racer {
    pid_t pid = -1;
    fs::path out, err;
    int code = -1;
};

std::vector<Racer> race(const Sandbox& sb, const Args& args, int n, const std::string& tag) {
    Exec exec(sb, args);

    int go[2];
    REQUIRE(::pipe(go) == 0);
    std::vector<Racer> racers(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto& r = racers[std::size_t(i)];
        r.out = sb.dir() / (tag + "." + std::to_string(i) + ".out");
        r.err = sb.dir() / (tag + "." + std::to_string(i) + ".err");
        r.pid = ::fork();
        REQUIRE(r.pid >= 0);
        if (r.pid == 0) {
            ::close(go[1]);
            char c;
            while (::read(go[0], &c, 1) < 0 && errno == EINTR) {
            }
            ::close(go[0]);
            exec.run_redirected(r.out, r.err);
        }
    }
    ::close(go[0]);
    ::close(go[1]); // all of them go
    auto deadline = std::chrono::steady_clock::now() + 180s;
    for (auto& r : racers) {
        int status = 0;
        for (;;) {
            if (::waitpid(r.pid, &status, WNOHANG) == r.pid) {
                r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                break;
            }
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(r.pid, SIGKILL);
                ::waitpid(r.pid, &status, 0);
                r.code = -1;
                break;
            }
            std::this_thread::sleep_for(10ms);
        }
    }
    return racers;
}

// Seconds since the epoch of a JSON instant "YYYY-MM-DDTHH:MM:SS+00:00" (UTC
// jobs only).
long long epoch_of(const json& instant_json) {
    REQUIRE(instant_json.is_string());
    auto s = instant_json.get<std::string>();
    REQUIRE_MESSAGE((s.size() == 25 && s.substr(19) == "+00:00"), s);
    std::tm tm{};
    tm.tm_year = std::stoi(s.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(s.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(s.substr(8, 2));
    tm.tm_hour = std::stoi(s.substr(11, 2));
    tm.tm_min = std::stoi(s.substr(14, 2));
    tm.tm_sec = std::stoi(s.substr(17, 2));
    return static_cast<long long>(::timegm(&tm));
}

// Checks that `retry` is due `delay` seconds after `failed` ended (the
// instants are shown to the second, so within one second).
void check_retry_delay(const json& failed, const json& retry, long long delay) {
    INFO("failed: " << failed.dump() << "\nretry: " << retry.dump());
    auto gap = epoch_of(retry["scheduled_for"]) - epoch_of(failed["end_time"]);
    CHECK(gap >= delay - 1);
    CHECK(gap <= delay + 1);
}

} // namespace

TEST_SUITE("cli::tick") {

    TEST_CASE("a day of ticks fires every due instant exactly once") {
        // 1440 `tick --wait` calls, one per minute of a Wednesday, each at a
        // different second of its minute. Every job runs `true`.
        const std::string day = "2026-03-11";
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        sb.env["SCHEDULE_NOW"] = "2026-03-10T23:59:30Z";
        struct Job {
            std::string name;
            Args trigger;
            bool (*due)(int minute);
        };
        const std::vector<Job> jobs{
            {"half-hourly", {"--cron", "*/30 * * * *"}, [](int m) { return m % 30 == 0; }},
            {"nine", {"--cron", "0 9 * * *"}, [](int m) { return m == 9 * 60; }},
            {"two-hourly",
             {"--every", "2h", "--anchor", "2026-03-11T00:00Z"},
             [](int m) { return m % 120 == 0; }},
            {"odd",
             {"--cron", "7-59/20 3,15 * * *"},
             [](int m) {
                 int h = m / 60, mm = m % 60;
                 return (h == 3 || h == 15) && (mm == 7 || mm == 27 || mm == 47);
             }},
            {"last-minute", {"--daily", "23:59"}, [](int m) { return m == 23 * 60 + 59; }},
            {"sundays", {"--cron", "5 4 * * SUN"}, [](int) { return false; }},
            {"wednesdays", {"--weekly", "WED@12:34"}, [](int m) { return m == 12 * 60 + 34; }},
            {"once", {"--at", "2026-03-11T17:45"}, [](int m) { return m == 17 * 60 + 45; }},
            {"three-times",
             {"--every", "2h", "--anchor", "2026-03-11T00:00Z", "--max-executions", "3"},
             [](int m) { return m % 120 == 0 && m <= 4 * 60; }},
        };
        for (const auto& j : jobs)
            create(sb, concat(Args{j.name, "--command", "true"}, j.trigger));

        std::string mismatches;
        int ticks = 0;
        for (int m = 0; m < 24 * 60; ++m) {
            long expected = 0;
            for (const auto& j : jobs)
                expected += j.due(m) ? 1 : 0;
            auto now = instant(day, m, (m * 7) % 60);
            auto r = tick(sb, now, {"--wait"});
            ++ticks;
            auto s = summary_of(r.out);
            if (r.exit_code != 0 || s != Summary{expected, 0, 0, 0})
                mismatches += now + ": exit " + std::to_string(r.exit_code) + ", " + r.out +
                              (r.out.empty() || r.out.back() != '\n' ? "\n" : "") + r.err;
        }
        CHECK(ticks == 1440);
        CHECK_MESSAGE(mismatches.empty(), "ticks whose summary was not as expected:\n"
                                              << mismatches);

        auto all = history(sb);
        std::map<std::string, std::multiset<std::string>> got;
        for (const auto& e : all) {
            INFO(e.dump());
            got[e["job_name"].get<std::string>()].insert(e["scheduled_for"].get<std::string>());
            CHECK(e["status"] == "completed");
            CHECK(e["trigger"] == "schedule");
            CHECK(e["attempt"] == 1);
        }
        std::size_t total = 0;
        for (const auto& j : jobs) {
            INFO("job " << j.name);
            std::multiset<std::string> want;
            for (int m = 0; m < 24 * 60; ++m)
                if (j.due(m))
                    want.insert(json_instant(day, m));
            total += want.size();
            CHECK(got[j.name] == want);
        }
        CHECK(total == 48 + 1 + 12 + 6 + 1 + 0 + 1 + 1 + 3);
        CHECK(all.size() == total);

        CHECK(sb.json({"job", "show", "half-hourly"})["next_execution"] ==
              "2026-03-12T00:00:00+00:00");
        CHECK(sb.json({"job", "show", "nine"})["next_execution"] == "2026-03-12T09:00:00+00:00");
        CHECK(sb.json({"job", "show", "sundays"})["next_execution"] == "2026-03-15T04:05:00+00:00");
        CHECK(sb.json({"job", "show", "sundays"})["execution_count"] == 0);
        auto once = sb.json({"job", "show", "once"});
        CHECK(once["status"] == "finished");
        CHECK(once["next_execution"].is_null());
        CHECK(once["execution_count"] == 1);
        auto three = sb.json({"job", "show", "three-times"});
        CHECK(three["status"] == "finished");
        CHECK(three["scheduled_count"] == 3);
        CHECK(three["next_execution"].is_null());
        check_no_processes(sb);
    }

    TEST_CASE("catch-up latest all and none and the misfire grace after three missed hours") {
        // Created at 10:00, first tick at 13:00: */30 missed 10:30-12:30 (5)
        // and is due at 13:00; 15,45 missed 10:15-12:45 (6), none now.
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        sb.env["SCHEDULE_NOW"] = instant(day, 10 * 60);
        auto lock = [&](const std::string& name) {
            // Fails (exit 9) when another run of the job is running.
            auto dir = (sb.dir() / (name + ".lock")).string();
            return "mkdir '" + dir + "' || exit 9; sleep 0.3; rmdir '" + dir + "'";
        };
        const std::vector<std::pair<std::string, Args>> jobs{
            {"latest-now", {"--cron", "*/30 * * * *", "--catchup", "latest"}},
            {"latest", {"--cron", "15,45 * * * *", "--catchup", "latest"}},
            {"all", {"--cron", "15,45 * * * *", "--catchup", "all"}},
            {"none", {"--cron", "15,45 * * * *", "--catchup", "none"}},
            {"none-now", {"--cron", "*/30 * * * *", "--catchup", "none"}},
            {"grace", {"--cron", "15,45 * * * *", "--misfire-grace", "10m"}},
            {"grace-ok", {"--cron", "15,45 * * * *", "--misfire-grace", "20m"}},
            {"grace-all", {"--cron", "15,45 * * * *", "--catchup", "all", "--misfire-grace", "1h"}},
            {"limited", {"--cron", "15,45 * * * *", "--catchup", "all", "--max-executions", "2"}},
        };
        for (const auto& [name, flags] : jobs)
            create(sb, concat(Args{name, "--command", lock(name)}, flags));

        // Starts: latest-now, latest, all (the first of 6), none-now,
        // grace-ok, grace-all (the first of 2), limited (the first of 2);
        // queued: the rest of the three series (5 + 1 + 1). Skipped:
        // latest-now 5, latest 5, none 6, none-now 5, grace 1 + 5, grace-ok
        // 5, grace-all 4, limited 4.
        auto r = tick(sb, instant(day, 13 * 60), {"--wait"});
        INFO("tick stdout: " << r.out << "tick stderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(summary_of(r.out) == Summary{7, 5 + 5 + 6 + 5 + 6 + 5 + 4 + 4, 7, 0});
        // A log line (at least) per fire and per skip on stderr.
        {
            std::istringstream lines(r.err);
            std::string line;
            int n = 0;
            while (std::getline(lines, line)) {
                ++n;
                CHECK(line.rfind("schedule: ", 0) == 0);
            }
            CHECK(n >= 7 + 10);
            for (const auto& [name, flags] : jobs)
                CHECK_MESSAGE(r.err.find(name) != std::string::npos, name);
        }
        require_idle(sb);

        auto runs_of = [&](const std::string& name) { return not_skipped(history(sb, name)); };
        auto skips_of = [&](const std::string& name) {
            return with_status(history(sb, name), "skipped");
        };
        auto check_skip = [&](const json& e, const std::string& reason, int count,
                              const std::string& first) {
            INFO(e.dump());
            CHECK(e["status"] == "skipped");
            CHECK(e["reason"] == reason);
            CHECK(e["skipped_count"] == count);
            CHECK(e["scheduled_for"] == first);
        };
        const auto at = [&](int h, int m) { return json_instant(day, h * 60 + m); };

        {
            INFO("latest with a fire in the current minute");
            auto runs = runs_of("latest-now");
            REQUIRE(runs.size() == 1);
            CHECK(runs[0]["trigger"] == "schedule");
            CHECK(runs[0]["scheduled_for"] == at(13, 0));
            CHECK(runs[0]["status"] == "completed");
            auto skips = skips_of("latest-now");
            REQUIRE(skips.size() == 1);
            check_skip(skips[0], "coalesced", 5, at(10, 30));
        }
        {
            INFO("latest with only missed fires");
            auto runs = runs_of("latest");
            REQUIRE(runs.size() == 1);
            CHECK(runs[0]["trigger"] == "catchup");
            CHECK(runs[0]["scheduled_for"] == at(12, 45));
            CHECK(runs[0]["status"] == "completed");
            auto skips = skips_of("latest");
            REQUIRE(skips.size() == 1);
            check_skip(skips[0], "coalesced", 5, at(10, 15));
        }
        {
            INFO("all: each missed fire, one after another");
            auto runs = runs_of("all");
            REQUIRE(runs.size() == 6);
            std::vector<std::string> scheduled;
            for (const auto& e : runs) {
                INFO(e.dump());
                CHECK(e["trigger"] == "catchup");
                CHECK(e["status"] == "completed"); // exit 9 if two overlapped
                scheduled.push_back(e["scheduled_for"]);
            }
            std::sort(scheduled.begin(), scheduled.end());
            CHECK(scheduled == std::vector<std::string>{at(10, 15), at(10, 45), at(11, 15),
                                                        at(11, 45), at(12, 15), at(12, 45)});
            CHECK(skips_of("all").empty());
        }
        {
            INFO("none: only a fire of the current minute");
            CHECK(runs_of("none").empty());
            auto skips = skips_of("none");
            REQUIRE(skips.size() == 1);
            check_skip(skips[0], "coalesced", 6, at(10, 15));
            auto runs = runs_of("none-now");
            REQUIRE(runs.size() == 1);
            CHECK(runs[0]["trigger"] == "schedule");
            CHECK(runs[0]["scheduled_for"] == at(13, 0));
            skips = skips_of("none-now");
            REQUIRE(skips.size() == 1);
            check_skip(skips[0], "coalesced", 5, at(10, 30));
        }
        {
            INFO("misfire grace 10m: the 12:45 catch-up is 15m late and dropped");
            CHECK(runs_of("grace").empty());
            auto skips = skips_of("grace");
            std::map<std::string, json> by_reason;
            for (const auto& e : skips)
                by_reason[e["reason"]] = e;
            CHECK(skips.size() == 2);
            REQUIRE(by_reason.count("deadline"));
            // the record carries the dropped run's instant, not the first missed one
            check_skip(by_reason["deadline"], "deadline", 1, at(12, 45));
            REQUIRE(by_reason.count("coalesced"));
            CHECK(by_reason["coalesced"]["skipped_count"] == 5);
        }
        {
            INFO("misfire grace 20m: the 12:45 catch-up runs");
            auto runs = runs_of("grace-ok");
            REQUIRE(runs.size() == 1);
            CHECK(runs[0]["trigger"] == "catchup");
            CHECK(runs[0]["scheduled_for"] == at(12, 45));
            auto skips = skips_of("grace-ok");
            REQUIRE(skips.size() == 1);
            check_skip(skips[0], "coalesced", 5, at(10, 15));
        }
        {
            INFO("catch-up all with a 1h grace: fires older than 12:00 are dropped");
            auto runs = runs_of("grace-all");
            std::vector<std::string> scheduled;
            for (const auto& e : runs) {
                CHECK(e["trigger"] == "catchup");
                CHECK(e["status"] == "completed");
                scheduled.push_back(e["scheduled_for"]);
            }
            std::sort(scheduled.begin(), scheduled.end());
            CHECK(scheduled == std::vector<std::string>{at(12, 15), at(12, 45)});
            auto skips = skips_of("grace-all");
            REQUIRE(skips.size() == 1);
            check_skip(skips[0], "deadline", 4, at(10, 15)); // the first of the dropped runs
        }

        {
            INFO("catch-up all under --max-executions 2: two runs, the rest skipped");
            auto runs = runs_of("limited");
            CHECK(runs.size() == 2);
            for (const auto& e : runs) {
                CHECK(e["trigger"] == "catchup");
                CHECK(e["status"] == "completed");
            }
            auto skips = skips_of("limited");
            REQUIRE(skips.size() == 1);
            CHECK(skips[0]["reason"] == "max_executions");
            CHECK(skips[0]["skipped_count"] == 4);
            auto job = sb.json({"job", "show", "limited"});
            CHECK(job["status"] == "finished");
            CHECK(job["next_execution"].is_null());
            CHECK(job["scheduled_count"] == 2);
        }

        for (const auto& name : {"latest-now", "none-now"})
            CHECK(sb.json({"job", "show", name})["next_execution"] == at(13, 30));
        for (const auto& name : {"latest", "all", "none", "grace", "grace-ok", "grace-all"})
            CHECK(sb.json({"job", "show", name})["next_execution"] == at(13, 15));

        // Nothing is caught up twice.
        auto before = history(sb).size();
        CHECK(ok_tick(sb, instant(day, 13 * 60 + 1), {"--wait"}) == Summary{0, 0, 0, 0});
        CHECK(history(sb).size() == before);
        check_no_processes(sb);
    }

    TEST_CASE("overlap skip records one skip and counts the next ones in it") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        create(sb, {"busy", "--cron", "* * * * *", "--command", wait_for(gate)});

        // tick returns while the run goes on: the supervisor does not keep
        // the tick's pipes open.
        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "busy"); }));

        CHECK(ok_tick(sb, instant(day, 602)) == Summary{0, 1, 0, 0});
        auto skips = with_status(history(sb, "busy"), "skipped");
        REQUIRE(skips.size() == 1);
        CHECK(skips[0]["reason"] == "overlap");
        CHECK(skips[0]["skipped_count"] == 1);
        CHECK(skips[0]["scheduled_for"] == json_instant(day, 602));
        const auto skip_id = skips[0]["execution_id"];

        CHECK(ok_tick(sb, instant(day, 603)) == Summary{0, 1, 0, 0});
        skips = with_status(history(sb, "busy"), "skipped");
        REQUIRE(skips.size() == 1);
        CHECK(skips[0]["execution_id"] == skip_id);
        CHECK(skips[0]["reason"] == "overlap");
        CHECK(skips[0]["skipped_count"] == 2);
        CHECK(history(sb, "busy").size() == 2);
        CHECK(running(sb, "busy"));

        open_gate(gate);
        require_idle(sb);
        auto runs = not_skipped(history(sb, "busy"));
        REQUIRE(runs.size() == 1);
        CHECK(runs[0]["status"] == "completed");
        CHECK(runs[0]["scheduled_for"] == json_instant(day, 601));

        // The next due minute runs again.
        CHECK(ok_tick(sb, instant(day, 604), {"--wait"}) == Summary{1, 0, 0, 0});
        CHECK(not_skipped(history(sb, "busy")).size() == 2);
        check_no_processes(sb);
    }

    TEST_CASE("max-executions counts runs that started, not fires skipped for overlap") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        create(sb, {"thrice", "--cron", "* * * * *", "--max-executions", "3", "--command",
                    wait_for(gate)});

        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "thrice"); }));
        CHECK(ok_tick(sb, instant(day, 602)) == Summary{0, 1, 0, 0});
        CHECK(ok_tick(sb, instant(day, 603)) == Summary{0, 1, 0, 0});

        // One run started: two are left, and job next shows two.
        auto job = sb.json({"job", "show", "thrice"});
        CHECK(job["status"] == "active");
        CHECK(job["scheduled_count"] == 1);
        CHECK(job["next_execution"] == json_instant(day, 604));
        CHECK(sb.json({"job", "next", "thrice", "--count", "10"})["next"].size() == 2);

        open_gate(gate);
        require_idle(sb);
        CHECK(ok_tick(sb, instant(day, 604), {"--wait"}) == Summary{1, 0, 0, 0});
        CHECK(sb.json({"job", "show", "thrice"})["status"] == "active");
        CHECK(ok_tick(sb, instant(day, 605), {"--wait"}) == Summary{1, 0, 0, 0});

        // The third run to start finished the job.
        job = sb.json({"job", "show", "thrice"});
        CHECK(job["status"] == "finished");
        CHECK(job["scheduled_count"] == 3);
        CHECK(job["next_execution"].is_null());
        CHECK(sb.json({"job", "next", "thrice"})["next"].empty());
        CHECK(ok_tick(sb, instant(day, 606), {"--wait"}) == Summary{0, 0, 0, 0});
        auto runs = not_skipped(history(sb, "thrice"));
        REQUIRE(runs.size() == 3);
        for (const auto& e : runs)
            CHECK(e["status"] == "completed");
        auto skips = with_status(history(sb, "thrice"), "skipped");
        REQUIRE(skips.size() == 1);
        CHECK(skips[0]["reason"] == "overlap");
        CHECK(skips[0]["skipped_count"] == 2);
        check_no_processes(sb);
    }

    TEST_CASE("max-executions holds a place for a run queued under overlap queue") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        create(sb, {"twice", "--cron", "* * * * *", "--overlap", "queue", "--max-executions", "2",
                    "--command", wait_for(gate)});

        // The first tick runs 3 s before 10:02: its supervisor's clock has
        // reached 10:02 (the queued run's time) once the test opens the gate.
        auto first_tick = std::chrono::steady_clock::now();
        CHECK(ok_tick(sb, instant(day, 601, 57)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "twice"); }));
        CHECK(ok_tick(sb, instant(day, 602)) == Summary{0, 0, 1, 0});

        // The queued run has the last place: the next fire is skipped for
        // the limit, the job is still active, and job next shows nothing.
        CHECK(ok_tick(sb, instant(day, 603)) == Summary{0, 1, 0, 0});
        auto skips = with_status(history(sb, "twice"), "skipped");
        REQUIRE(skips.size() == 1);
        CHECK(skips[0]["reason"] == "max_executions");
        auto job = sb.json({"job", "show", "twice"});
        CHECK(job["status"] == "active");
        CHECK(job["scheduled_count"] == 1);
        CHECK(sb.json({"job", "next", "twice"})["next"].empty());

        std::this_thread::sleep_until(first_tick + 4s);
        open_gate(gate);
        require_idle(sb);
        auto runs = not_skipped(history(sb, "twice"));
        REQUIRE(runs.size() == 2);
        CHECK(runs[1]["scheduled_for"] == json_instant(day, 602));
        CHECK(runs[1]["status"] == "completed");
        job = sb.json({"job", "show", "twice"});
        CHECK(job["status"] == "finished");
        CHECK(job["scheduled_count"] == 2);
        CHECK(job["next_execution"].is_null());
        check_no_processes(sb);
    }

    TEST_CASE("overlap queue keeps one run waiting that starts when the first one ends") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        auto lock = (sb.dir() / "lock").string();
        create(sb,
               {"queued", "--cron", "* * * * *", "--overlap", "queue", "--command",
                "mkdir '" + lock + "' || exit 9; " + wait_for(gate) + "; rmdir '" + lock + "'"});

        // The first tick runs 3 s before 10:02: its supervisor's clock has
        // reached 10:02 (the queued run's time) once the test opens the gate.
        auto first_tick = std::chrono::steady_clock::now();
        CHECK(ok_tick(sb, instant(day, 601, 57)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "queued"); }));

        // tick --wait waits for the run it queued, which cannot end before
        // the first one.
        sb.env["SCHEDULE_NOW"] = instant(day, 602);
        Child second_tick(sb, {"tick", "--wait"}, sb.dir() / "tick2.out", sb.dir() / "tick2.err");
        json waiting_runs;
        REQUIRE(eventually([&] {
            waiting_runs = with_status(history(sb, "queued"), "queued");
            return waiting_runs.size() == 1;
        }));
        auto waiting = with_status(history(sb, "queued"), "queued");
        REQUIRE(waiting.size() == 1);
        CHECK(waiting[0]["reason"] == "overlap");
        CHECK(waiting[0]["scheduled_for"] == json_instant(day, 602));

        auto q = queue(sb);
        REQUIRE(q.size() == 2);
        CHECK(q[0]["state"] == "running");
        CHECK(q[1]["state"] == "queued");
        CHECK(q[1]["queue_reason"] == "overlap");

        // A third due minute: one run waits already, so this one is skipped.
        CHECK(ok_tick(sb, instant(day, 603)) == Summary{0, 1, 0, 0});
        auto skips = with_status(history(sb, "queued"), "skipped");
        REQUIRE(skips.size() == 1);
        CHECK(skips[0]["reason"] == "overlap");

        CHECK(!second_tick.ended()); // the gate is closed: nothing has ended

        std::this_thread::sleep_until(first_tick + 4s);
        open_gate(gate);
        auto code = second_tick.wait(120s);
        REQUIRE_MESSAGE(code.has_value(), "tick --wait did not return within 120 s");
        CHECK(*code == 0);
        CHECK(summary_of(second_tick.out()) == Summary{0, 0, 1, 0});
        // When tick --wait returned, the run it queued had ended.
        auto after_wait = not_skipped(history(sb, "queued"));
        REQUIRE(after_wait.size() == 2);
        CHECK(after_wait[1]["status"] == "completed");
        require_idle(sb);
        auto runs = not_skipped(history(sb, "queued"));
        REQUIRE(runs.size() == 2);
        for (const auto& e : runs) {
            INFO(e.dump());
            CHECK(e["status"] == "completed"); // exit 9 if they overlapped
        }
        CHECK(runs[0]["scheduled_for"] == json_instant(day, 601));
        CHECK(runs[1]["scheduled_for"] == json_instant(day, 602));
        CHECK(runs[1]["start_time"].get<std::string>() >= runs[0]["end_time"].get<std::string>());
        check_no_processes(sb);
    }

    TEST_CASE("overlap allow runs up to max-instances at once and skips beyond") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        create(sb, {"wide", "--cron", "* * * * *", "--overlap", "allow", "--max-instances", "2",
                    "--command", wait_for(gate)});

        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "wide", 1); }));
        CHECK(ok_tick(sb, instant(day, 602)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "wide", 2); }));
        CHECK(ok_tick(sb, instant(day, 603)) == Summary{0, 1, 0, 0});
        auto skips = with_status(history(sb, "wide"), "skipped");
        REQUIRE(skips.size() == 1);
        CHECK(skips[0]["reason"] == "overlap");
        CHECK(skips[0]["scheduled_for"] == json_instant(day, 603));

        auto q = queue(sb);
        REQUIRE(q.size() == 2);
        CHECK(q[0]["state"] == "running");
        CHECK(q[1]["state"] == "running");

        open_gate(gate);
        require_idle(sb);
        auto runs = not_skipped(history(sb, "wide"));
        REQUIRE(runs.size() == 2);
        for (const auto& e : runs)
            CHECK(e["status"] == "completed");
        check_no_processes(sb);
    }

    TEST_CASE("overlap replace cancels the running run with reason replaced and runs the new one") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        auto pids = sb.dir() / "pids";
        fs::create_directories(pids);
        create(sb, {"fresh", "--cron", "* * * * *", "--overlap", "replace", "--kill-grace", "1s",
                    "--command",
                    "echo $$ > '" + pids.string() + "/'$SCHEDULE_EXECUTION_ID; " + wait_for(gate)});

        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "fresh"); }));
        auto first = with_status(history(sb, "fresh"), "running")[0];
        const auto first_id = first["execution_id"].get<long long>();
        auto first_pid_file = pids / std::to_string(first_id);
        REQUIRE(eventually([&] { return !read_bytes(first_pid_file).empty(); }));
        const auto first_pid = std::stoi(read_bytes(first_pid_file));

        CHECK(ok_tick(sb, instant(day, 602)) == Summary{1, 0, 0, 0});
        json old;
        CHECK(eventually([&] {
            old = execution(sb, first_id);
            return old["status"] == "cancelled";
        }));
        CHECK(old["status"] == "cancelled");
        CHECK(old["reason"] == "replaced");
        // The replaced run's shell is gone (a zombie has no command line).
        CHECK(eventually([&] { return cmdline_of(std::to_string(first_pid)).empty(); }));

        json fresh;
        CHECK(eventually([&] {
            auto h = history(sb, "fresh");
            fresh = h.back();
            return fresh["execution_id"] != first_id && fresh["status"] == "running";
        }));
        CHECK(fresh["scheduled_for"] == json_instant(day, 602));
        CHECK(fresh["status"] == "running");

        open_gate(gate);
        require_idle(sb);
        auto h = history(sb, "fresh");
        REQUIRE(h.size() == 2);
        CHECK(h[0]["status"] == "cancelled");
        CHECK(h[1]["status"] == "completed");
        check_no_processes(sb);
    }

    TEST_CASE("log.file gets every fire, skip and end at the default log.level, stamped with the "
              "command's clock, in a file only its owner can write") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        const auto log = sb.dir() / "logs" / "schedule.log";
        fs::create_directories(log.parent_path());
        sb.ok({"config", "set", "log.file", log.string()});
        create(sb, {"every", "--cron", "* * * * *", "--command", "true"});

        // Missed minutes: one run and one coalesced skip. -q keeps stderr
        // (cron's mail) quiet, not the file.
        auto r = tick(sb, instant(day, 605, 10), {"--wait", "-q"});
        REQUIRE(r.exit_code == 0);
        CHECK(r.err == "");
        std::string text;
        CHECK(eventually([&] {
            text = read_bytes(log);
            return text.find(" ended: completed") != std::string::npos;
        }));
        INFO(text);
        CHECK(text.find("info: fired every") != std::string::npos);
        CHECK(text.find("info: skipped every x4: coalesced") != std::string::npos);
        // Each line starts with the time SCHEDULE_NOW gave, not the host's.
        std::istringstream lines(text);
        std::string line;
        int n = 0;
        while (std::getline(lines, line)) {
            ++n;
            CHECK(line.rfind("2026-01-15T10:05:", 0) == 0);
        }
        CHECK(n >= 3);
        struct stat st {};
        REQUIRE(::stat(log.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == (::geteuid() == 0 ? 0640u : 0600u));

        // A log.file that has become a symbolic link is not followed.
        const auto other = sb.dir() / "other-file";
        { std::ofstream(other) << "untouched\n"; }
        fs::remove(log);
        fs::create_symlink(other, log);
        auto again = tick(sb, instant(day, 606, 10), {"--wait"});
        CHECK(again.exit_code == 0);
        CHECK(again.err.find("cannot open log.file") != std::string::npos);
        CHECK(read_bytes(other) == "untouched\n");
    }

    TEST_CASE("tick --wait ends when its supervisor dies: the run is recorded lost") {
        Sandbox sb;
        auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        create(sb, {"long", "--cron", "* * * * *", "--command", "sleep " + marker});
        sb.env["SCHEDULE_NOW"] = instant("2026-01-15", 601);
        Child waiting(sb, {"tick", "--wait"}, sb.dir() / "out", sb.dir() / "err");
        REQUIRE(eventually([&] {
            return running(sb, "long") && !processes_with(marker).empty() &&
                   schedule::test::running_with_pid(sb) == 1;
        }));
        auto supervisors = supervisors_of(sb);
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        REQUIRE(::kill(supervisors[0], SIGKILL) == 0);
        auto code = waiting.wait();
        REQUIRE(code);
        CHECK(*code == 0);
        auto h = history(sb, "long");
        REQUIRE(h.size() == 1);
        CHECK(h[0]["status"] == "lost");
        CHECK(eventually([&] { return processes_with(marker).empty(); }));
    }

    TEST_CASE("a foreground job run that a tick replaces exits 143 and says it was replaced") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        create(sb, {"fresh", "--cron", "* * * * *", "--overlap", "replace", "--kill-grace", "1s",
                    "--command", wait_for(gate)});
        sb.env["SCHEDULE_NOW"] = instant(day, 600, 30);
        Child by_hand(sb, {"job", "run", "fresh"}, sb.dir() / "out", sb.dir() / "err");
        REQUIRE(eventually([&] { return running(sb, "fresh"); }));
        const auto manual = with_status(history(sb, "fresh"), "running")[0]["execution_id"];

        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        auto code = by_hand.wait();
        REQUIRE(code);
        CHECK(*code == 143); // ended by SIGTERM, not by a Ctrl-C (130)
        const auto err = by_hand.err();
        INFO("stderr: " << err);
        CHECK(std::count(err.begin(), err.end(), '\n') == 1);
        CHECK(err.find("execution " + manual.dump() + " was replaced by execution ") !=
              std::string::npos);
        auto old = execution(sb, manual.get<long long>());
        CHECK(old["status"] == "cancelled");
        CHECK(old["reason"] == "replaced");

        open_gate(gate);
        require_idle(sb);
        check_no_processes(sb);
    }

    TEST_CASE("overlap replace also replaces a run that is claimed but not started yet") {
        // With --jitter the supervisor holds a claimed run until its delayed
        // instant (state `starting`). A due run of the next minute must
        // replace it too: under `replace` two runs never run at once.
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto lock = (sb.dir() / "lock").string();
        create_delayed(sb, "newest",
                       {"--overlap", "replace", "--kill-grace", "1s", "--command",
                        "mkdir '" + lock + "' || exit 9; sleep 2; rmdir '" + lock + "'"},
                       5);

        CHECK(ok_tick(sb, instant(day, 600)) == Summary{1, 0, 0, 0});
        auto q = queue(sb);
        REQUIRE(q.size() == 1);
        REQUIRE(q[0]["state"] == "starting"); // waits for its jitter
        const auto first_id = q[0]["execution_id"];

        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        require_idle(sb);
        auto runs = not_skipped(history(sb, "newest"));
        INFO("history: " << json(runs).dump());
        int completed = 0, failed = 0;
        for (const auto& e : runs) {
            completed += e["status"] == "completed" ? 1 : 0;
            failed += e["status"] == "failed" ? 1 : 0; // exit 9: both ran at once
        }
        CHECK(completed == 1);
        CHECK(failed == 0);
        auto first = execution(sb, first_id.get<long long>());
        CHECK((first["status"] == "cancelled" || first["status"] == "skipped"));
        check_no_processes(sb);
    }

    TEST_CASE("retries without delay follow a failed run up to max-attempts") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        create(sb, {"flaky", "--cron", "0 * * * *", "--command", "exit 3", "--max-attempts", "3",
                    "--retry-delay", "0", "--backoff", "fixed"});
        // --retry-on names exit code 4 only: exit 3 is not retried, exit 4 is.
        create(sb, {"picky", "--cron", "0 * * * *", "--command", "exit 3", "--max-attempts", "3",
                    "--retry-delay", "0", "--retry-on", "exit:4"});
        create(sb, {"picky4", "--cron", "0 * * * *", "--command", "exit 4", "--max-attempts", "3",
                    "--retry-delay", "0", "--retry-on", "exit:4"});

        CHECK(ok_tick(sb, instant(day, 11 * 60), {"--wait"}) == Summary{3, 0, 0, 0});
        // The retries are the supervisors' work: wait for them.
        REQUIRE(eventually([&] {
            return history(sb, "flaky").size() == 3 && history(sb, "picky4").size() == 3 &&
                   queue(sb).empty();
        }));

        for (const auto& name : {"flaky", "picky4"}) {
            INFO("job " << name);
            auto h = history(sb, name);
            REQUIRE(h.size() == 3);
            const std::vector<std::string> triggers{"schedule", "retry", "retry"};
            for (int i = 0; i < 3; ++i) {
                const auto& e = h[std::size_t(i)];
                INFO(e.dump());
                CHECK(e["attempt"] == i + 1);
                CHECK(e["trigger"] == triggers[std::size_t(i)]);
                CHECK(e["status"] == "failed");
                CHECK(e["exit_code"] == (std::string(name) == "flaky" ? 3 : 4));
            }
            auto show = sb.json({"job", "show", name});
            CHECK(show["max_attempts"] == 3);
            CHECK(show["execution_count"] == 3);
            CHECK(show["failure_count"] == 3);
            // job show gives the attempt, the attempts left and the
            // next retry.
            CHECK(show["attempt"] == 3);
            CHECK(show["attempts_left"] == 0);
            CHECK(show["next_retry"].is_null());
            CHECK(show["state"] == "idle");
        }
        auto flaky = sb.json({"job", "show", "flaky"});
        CHECK(flaky["retry_delay_seconds"] == 0);
        CHECK(flaky["backoff"] == "fixed");
        CHECK(flaky["retry_on"].is_null());
        auto table = sb.ok({"job", "show", "flaky"});
        CHECK(table.find("3 attempts") != std::string::npos);
        CHECK(table.find("fixed") != std::string::npos);
        CHECK(table.find("3 of 3 (0 left)") != std::string::npos);

        auto picky = history(sb, "picky");
        REQUIRE(picky.size() == 1);
        CHECK(picky[0]["status"] == "failed");
        CHECK(picky[0]["exit_code"] == 3);
        CHECK(picky[0]["attempt"] == 1);
        auto picky_show = sb.json({"job", "show", "picky"});
        CHECK(picky_show["retry_on"] == json::array({"exit:4"}));
        CHECK(picky_show["attempt"] == 1);
        CHECK(picky_show["next_retry"].is_null());
        CHECK(picky_show["state"] == "idle");
        check_no_processes(sb);
    }

    TEST_CASE("a delayed retry waits in the queue for its time and grows with the backoff") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        create(sb, {"later", "--cron", "0 * * * *", "--command", "exit 3", "--max-attempts", "2",
                    "--retry-delay", "5m"});
        create(sb, {"growing", "--cron", "0 * * * *", "--command", "exit 3", "--max-attempts", "3",
                    "--retry-delay", "1m", "--backoff", "exponential"});
        // A retry due after the next regular run (12:00) is superseded.
        create(sb, {"too-late", "--cron", "0 * * * *", "--command", "exit 3", "--max-attempts", "2",
                    "--retry-delay", "2h", "--retry-max-delay", "2h"});

        CHECK(ok_tick(sb, instant(day, 11 * 60), {"--wait"}) == Summary{3, 0, 0, 0});
        json later;
        REQUIRE(eventually([&] {
            later = history(sb, "later");
            return later.size() == 2;
        }));
        CHECK(later[1]["trigger"] == "retry");
        CHECK(later[1]["attempt"] == 2);
        CHECK(later[1]["status"] == "queued");
        CHECK(later[1]["reason"] == "retry");
        // Due 5 minutes after the failed attempt ended.
        check_retry_delay(later[0], later[1], 300);

        sb.env["SCHEDULE_NOW"] = instant(day, 11 * 60 + 1);
        bool listed = false;
        for (const auto& e : queue(sb))
            if (e["job_name"] == "later") {
                listed = true;
                CHECK(e["state"] == "queued");
                CHECK(e["queue_reason"] == "retry");
            }
        CHECK(listed);
        auto show = sb.json({"job", "show", "later"});
        CHECK(show["state"] == "retrying");
        CHECK(show["attempt"] == 1);
        CHECK(show["attempts_left"] == 1);
        CHECK(show["next_retry"] == later[1]["scheduled_for"]);
        auto show_table = sb.ok({"job", "show", "later"});
        CHECK(show_table.find("1 of 2 (1 left), next retry") != std::string::npos);

        json too_late;
        REQUIRE(eventually([&] {
            too_late = history(sb, "too-late");
            return too_late.size() == 2;
        }));
        CHECK(too_late[0]["status"] == "failed");
        CHECK(too_late[1]["status"] == "skipped");
        CHECK(too_late[1]["reason"] == "superseded");

        // growing: attempt 2 due at 11:01 (1m after attempt 1).
        json growing;
        REQUIRE(eventually([&] {
            growing = history(sb, "growing");
            return growing.size() == 2;
        }));
        check_retry_delay(growing[0], growing[1], 60);
        CHECK(growing[1]["status"] == "queued");

        // 11:01:30: attempt 2 of growing runs and fails; its retry is due
        // 2m after it ended (exponential: 1m, 2m), about 11:03:30.
        CHECK(ok_tick(sb, instant(day, 11 * 60 + 1, 30), {"--wait"}) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] {
            growing = history(sb, "growing");
            return growing.size() == 3;
        }));
        CHECK(growing[1]["status"] == "failed");
        CHECK(growing[2]["attempt"] == 3);
        CHECK(growing[2]["status"] == "queued");
        check_retry_delay(growing[1], growing[2], 120);

        // 11:04: nothing for later yet (due 11:05); growing's attempt 3 runs.
        CHECK(ok_tick(sb, instant(day, 11 * 60 + 4), {"--wait"}) == Summary{1, 0, 0, 0});
        CHECK(history(sb, "later")[1]["status"] == "queued");
        // 11:05:30: later's retry runs.
        CHECK(ok_tick(sb, instant(day, 11 * 60 + 5, 30), {"--wait"}) == Summary{1, 0, 0, 0});
        require_idle(sb);

        later = history(sb, "later");
        REQUIRE(later.size() == 2);
        CHECK(later[1]["status"] == "failed");
        CHECK(later[1]["trigger"] == "retry");
        growing = history(sb, "growing");
        REQUIRE(growing.size() == 3);
        for (int i = 0; i < 3; ++i) {
            CHECK(growing[std::size_t(i)]["attempt"] == i + 1);
            CHECK(growing[std::size_t(i)]["status"] == "failed");
        }
        show = sb.json({"job", "show", "later"});
        CHECK(show["state"] == "idle");
        CHECK(show["attempt"] == 2);
        CHECK(show["attempts_left"] == 0);
        check_no_processes(sb);
    }

    TEST_CASE("a tick recovers a run whose supervisor was killed and retries it") {
        Sandbox sb;
        auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        const std::string day = "2026-01-15";
        create(sb, {"victim", "--cron", "0 * * * *", "--max-attempts", "2", "--retry-delay", "0",
                    "--command",
                    "if [ \"$SCHEDULE_ATTEMPT\" = 1 ]; then sleep " + marker +
                        "; fi; echo attempt $SCHEDULE_ATTEMPT"});

        CHECK(ok_tick(sb, instant(day, 11 * 60)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "victim"); }));
        auto sleeper = [&] {
            std::vector<pid_t> out;
            for (pid_t p : processes_with(marker))
                if (cmdline_of(std::to_string(p)).rfind("sleep ", 0) == 0)
                    out.push_back(p);
            return out;
        };
        REQUIRE(eventually([&] { return sleeper().size() == 1; }));
        const pid_t sleep_pid = sleeper()[0];
        // Its pid is written, or recovery could not tell which group to end.
        REQUIRE(eventually([&] { return schedule::test::running_with_pid(sb) == 1; }));

        auto supervisors = supervisors_of(sb);
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        REQUIRE(::kill(supervisors[0], SIGKILL) == 0);
        REQUIRE(eventually([&] { return cmdline_of(std::to_string(supervisors[0])).empty(); }));
        // The job's process outlives its supervisor until a tick recovers it.
        CHECK(!cmdline_of(std::to_string(sleep_pid)).empty());
        CHECK(with_status(history(sb, "victim"), "running").size() == 1);

        // With -q a lost run is news: its line and the summary are printed.
        auto r = tick(sb, instant(day, 11 * 60 + 1), {"-q"});
        INFO("stdout: " << r.out << " stderr: " << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.rfind("schedule: warning: execution ", 0) == 0);
        CHECK(r.err.find(" of victim is lost: its supervisor (pid " +
                         std::to_string(supervisors[0]) + ") is gone\n") != std::string::npos);
        CHECK(r.err.find("info") == std::string::npos);
        auto s = summary_of(r.out);
        CHECK(s.recovered == 1);
        CHECK(s.skipped == 0);
        CHECK(s.fired + s.queued == 1); // the retry
        CHECK(r.out.find("recovered 1") != std::string::npos);

        auto h = history(sb, "victim");
        REQUIRE(h.size() >= 1);
        CHECK(h[0]["status"] == "lost");
        CHECK(h[0]["attempt"] == 1);
        REQUIRE(h[0]["error"].is_string());
        CHECK(h[0]["error"].get<std::string>().find("supervisor") != std::string::npos);
        CHECK(h[0]["end_time"].is_string());
        // The orphaned job was killed by the tick.
        const auto left = schedule::test::left_after(marker, 30s);
        CHECK_MESSAGE(left.empty(), "left:\n" << describe(left));

        // The retry runs (now, or at the next tick when it was queued).
        if (s.fired == 0)
            ok_tick(sb, instant(day, 11 * 60 + 2), {"--wait"});
        json retry;
        CHECK(eventually([&] {
            h = history(sb, "victim");
            if (h.size() != 2)
                return false;
            retry = h[1];
            return retry["status"] == "completed";
        }));
        CHECK(retry["trigger"] == "retry");
        CHECK(retry["attempt"] == 2);
        CHECK(retry["status"] == "completed");
        if (retry["execution_id"].is_number_integer())
            CHECK(sb.ok({"job", "output",
                         std::to_string(retry["execution_id"].get<long long>())}) == "attempt 2\n");
        // A further tick recovers nothing.
        CHECK(ok_tick(sb, instant(day, 11 * 60 + 3), {"--wait"}) == Summary{0, 0, 0, 0});
        check_no_processes(sb);
    }

    TEST_CASE("a tick kills the processes of a lost run whose supervisor died before writing "
              "its pid") {
        // A supervisor marks a run running, starts it, and writes its pid
        // in its next transaction; killed in between, it leaves a running
        // row without a pid while the run's processes go on.
        Sandbox sb;
        auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        create(sb, {"victim", "--command", "sleep " + marker});
        const auto id = std::stoll(sb.ok({"job", "run", "victim", "--detach"}));
        REQUIRE(eventually([&] {
            return schedule::test::running_with_pid(sb) == 1 && !processes_with(marker).empty();
        }));
        auto supervisors = supervisors_of(sb);
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        REQUIRE(::kill(supervisors[0], SIGKILL) == 0);
        REQUIRE(eventually([&] { return cmdline_of(std::to_string(supervisors[0])).empty(); }));
        REQUIRE(sb.run_program({"sqlite3", sb.store().string(),
                                "UPDATE executions SET pid = NULL, process_start = NULL"})
                    .exit_code == 0);
        REQUIRE(!processes_with(marker).empty());

        auto s = ok_tick(sb, instant("2026-01-15", 600, 30));
        CHECK(s.recovered == 1);
        auto e = execution(sb, id);
        CHECK(e["status"] == "lost");
        // Found by the execution id and job id in their environment.
        const auto left = schedule::test::left_after(marker, 30s);
        CHECK_MESSAGE(left.empty(), "left:\n" << describe(left));
        check_no_processes(sb);
    }

    TEST_CASE("a claimed run whose supervisor died before starting it goes back to the queue") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        create_delayed(sb, "delayed", {"--command", "echo ran $SCHEDULE_ATTEMPT"}, 4);

        CHECK(ok_tick(sb, instant(day, 600)) == Summary{1, 0, 0, 0});
        auto q = queue(sb);
        REQUIRE(q.size() == 1);
        REQUIRE(q[0]["state"] == "starting");
        const auto id = q[0]["execution_id"].get<long long>();
        auto supervisors = supervisors_of(sb);
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        REQUIRE(::kill(supervisors[0], SIGKILL) == 0);
        REQUIRE(eventually([&] { return cmdline_of(std::to_string(supervisors[0])).empty(); }));

        auto s = ok_tick(sb, instant(day, 600, 2), {"--wait"});
        CHECK(s.recovered == 1);
        CHECK(s.fired == 1);
        CHECK(s.skipped == 0);
        require_idle(sb);
        auto h = history(sb, "delayed");
        REQUIRE(h.size() == 1);
        CHECK(h[0]["execution_id"] == id);
        CHECK(h[0]["status"] == "completed");
        CHECK(h[0]["attempt"] == 1);
        CHECK(h[0]["trigger"] == "schedule");
        CHECK(sb.ok({"job", "output", std::to_string(id)}) == "ran 1\n");
        check_no_processes(sb);
    }

    TEST_CASE("a supervisor stopped by SIGTERM cancels its run and starts nothing more") {
        Sandbox sb;
        auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        const std::string day = "2026-01-15";
        sb.ok({"config", "set", "max_workers", "1"});
        for (const auto* name : {"one", "two", "three"})
            create(sb, {name, "--cron", "* * * * *", "--command", "sleep " + marker});

        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 2, 0});
        REQUIRE(eventually([&] { return running(sb, "", 1) && !processes_with(marker).empty(); }));
        auto supervisors = supervisors_of(sb);
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));

        // when the supervisor is asked to stop
        REQUIRE(::kill(supervisors[0], SIGTERM) == 0);
        REQUIRE(eventually([&] { return cmdline_of(std::to_string(supervisors[0])).empty(); }));

        // then its run ended cancelled, with nothing of it left running
        CHECK(processes_with(marker).empty());
        auto h = history(sb);
        INFO("history: " << h.dump());
        auto cancelled = with_status(h, "cancelled");
        REQUIRE(cancelled.size() == 1);
        CHECK(cancelled[0]["reason"] == "signal TERM");
        // and the two queued runs are still queued, for the next tick
        CHECK(with_status(h, "queued").size() == 2);
        CHECK(with_status(h, "running").empty());
        auto q = queue(sb);
        REQUIRE(q.size() == 2);
        for (const auto& e : q)
            CHECK(e["state"] == "queued");
    }

    TEST_CASE("stress: racing ticks fire each due run exactly once") {
        // 210 jobs due every minute; 12 `schedule tick` processes started
        // at the same moment per minute, three minutes in a row. Rounds 1
        // and 2 keep max_workers at its default 8 (most runs wait for a
        // slot and are started by supervisors as others end); round 3
        // raises it so that every run may start at once.
        constexpr int k_jobs = 210;
        constexpr int k_ticks = 12;
        constexpr int k_rounds = 3;
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        for (int i = 0; i < k_jobs; ++i) {
            char name[16];
            std::snprintf(name, sizeof name, "job%03d", i);
            create(sb, {name, "--cron", "* * * * *", "--command", "true"});
        }

        std::string report;
        for (int round = 1; round <= k_rounds; ++round) {
            INFO("round " << round);
            if (round == 3)
                sb.ok({"config", "set", "max_workers", "1000"});
            sb.env["SCHEDULE_NOW"] = instant(day, 600 + round);
            auto racers = race(sb, {"tick"}, k_ticks, "round" + std::to_string(round));
            Summary sum{0, 0, 0, 0};
            for (const auto& r : racers) {
                INFO("stderr: " << read_bytes(r.err));
                CHECK(r.code == 0);
                auto s = summary_of(read_bytes(r.out));
                CHECK_MESSAGE(s.fired >= 0, "not a summary line: " << read_bytes(r.out));
                if (s.fired < 0)
                    continue;
                sum.fired += s.fired;
                sum.skipped += s.skipped;
                sum.queued += s.queued;
                sum.recovered += s.recovered;
            }
            CHECK(sum.skipped == 0);
            CHECK(sum.recovered == 0);
            // Every due run was either started or queued by some tick.
            CHECK(sum.fired + sum.queued >= k_jobs);
            require_idle(sb, 300s);

            std::map<std::string, int> per_job;
            int total = 0, completed = 0;
            for (const auto& e : history(sb)) {
                if (e["scheduled_for"] != json_instant(day, 600 + round))
                    continue;
                ++total;
                ++per_job[e["job_name"].get<std::string>()];
                completed += e["status"] == "completed" ? 1 : 0;
            }
            int exactly_one = 0;
            std::string wrong;
            for (const auto& [name, n] : per_job) {
                if (n == 1)
                    ++exactly_one;
                else
                    wrong += name + " x" + std::to_string(n) + " ";
            }
            CHECK_MESSAGE(wrong.empty(), "jobs run more than once: " << wrong);
            CHECK(exactly_one == k_jobs);
            CHECK(total == k_jobs);
            CHECK(completed == k_jobs);
            report += "round " + std::to_string(round) + ": " + std::to_string(k_ticks) +
                      " ticks printed fired " + std::to_string(sum.fired) + ", queued " +
                      std::to_string(sum.queued) + "; executions " + std::to_string(total) +
                      ", jobs with exactly one " + std::to_string(exactly_one) + ", completed " +
                      std::to_string(completed) + "\n";
        }
        auto all = history(sb);
        CHECK(all.size() == std::size_t(k_jobs * k_rounds));
        CHECK(with_status(all, "completed").size() == std::size_t(k_jobs * k_rounds));
        for (const auto& id : {"job000", "job209"})
            CHECK(sb.json({"job", "show", id})["execution_count"] == k_rounds);
        MESSAGE("stress counts:\n" << report << "all rounds: " << all.size() << " executions");
        check_no_processes(sb);
    }

    TEST_CASE("tick --now needs --dry-run and a dry run changes nothing") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        auto touched = sb.dir() / "touched";
        create(sb,
               {"daily", "--cron", "0 9 * * *", "--command", "touch '" + touched.string() + "'"});
        // A first tick may record the boot; what follows must change nothing.
        ok_tick(sb, "2026-01-15T10:00:00Z");
        const auto before = sb.dump();
        REQUIRE(!before.empty());

        auto r = tick(sb, "2026-01-15T10:00:00Z", {"--now", "2026-01-16T09:00"});
        CHECK(r.exit_code == 2);
        CHECK(r.out == "");
        check_error_line(r, "--now");
        CHECK(sb.dump() == before);

        auto dry = tick(sb, "2026-01-15T10:00:00Z", {"--dry-run", "--now", "2026-01-16T09:00"});
        CHECK(dry.exit_code == 0);
        INFO("dry run: " << dry.out);
        CHECK(dry.out.find("fire") != std::string::npos);
        CHECK(dry.out.find("daily") != std::string::npos);
        CHECK(dry.out.find("due") != std::string::npos);
        CHECK(dry.out.find("fired 1, skipped 0, queued 0, recovered 0") != std::string::npos);

        auto j = sb.json({"tick", "--dry-run", "--now", "2026-01-16T09:00"});
        CHECK(j["fired"] == 1);
        CHECK(j["skipped"] == 0);
        CHECK(j["queued"] == 0);
        CHECK(j["recovered"] == 0);
        CHECK(j["dry_run"] == true);
        REQUIRE(j["decisions"].is_array());
        REQUIRE(j["decisions"].size() == 1);
        const auto& d = j["decisions"][0];
        CHECK(d["action"] == "fire");
        CHECK(d["name"] == "daily");
        CHECK(d["execution_id"].is_null());
        CHECK(d["trigger"] == "schedule");
        CHECK(d["attempt"] == 1);
        CHECK(d["scheduled_for"] == "2026-01-16T09:00:00+00:00");
        CHECK(d["reason"].is_string());
        CHECK(d["count"] == 1);

        // Three days later with a 10m misfire grace, a dry run shows the skips.
        sb.ok({"job", "update", "daily", "--misfire-grace", "10m"});
        const auto updated = sb.dump();
        auto late = sb.json({"tick", "--dry-run", "--now", "2026-01-18T12:00"});
        std::set<std::string> reasons;
        for (const auto& dd : late["decisions"]) {
            CHECK(dd["action"] == "skip");
            reasons.insert(dd["reason"].get<std::string>());
        }
        CHECK(reasons == std::set<std::string>{"coalesced", "deadline"});
        CHECK(late["fired"] == 0);
        CHECK(late["skipped"] == 3);

        CHECK(sb.dump() == updated);
        CHECK(!fs::exists(touched));
        CHECK(history(sb).empty());
        CHECK(supervisors_of(sb).empty());
    }

    TEST_CASE("tick -q prints nothing when no run was lost, and JSON still") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        create(sb, {"every", "--cron", "* * * * *", "--command", "true"});
        create(sb, {"busy", "--cron", "* * * * *", "--command", "sleep 60", "--timeout", "1s",
                    "--kill-grace", "0"});
        // Fires, skips (missed minutes) and a run that fails: no news.
        auto r = tick(sb, "2026-01-15T10:05:00Z", {"-q", "--wait"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "");
        CHECK(r.err == "");
        CHECK(not_skipped(history(sb)).size() == 2);
        CHECK(with_status(history(sb, "busy"), "timed_out").size() == 1);
        // An idle tick.
        r = tick(sb, "2026-01-15T10:05:30Z", {"-q"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "");
        CHECK(r.err == "");
        // JSON is what a script asked for: printed with -q too.
        auto j = json::parse(tick(sb, "2026-01-15T10:05:40Z", {"-q", "--format", "json"}).out);
        CHECK(j["fired"] == 0);
        check_no_processes(sb);
    }

    TEST_CASE("tick --format json has the summary keys") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        create(sb, {"every", "--cron", "* * * * *", "--command", "true"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:00Z";
        auto j = sb.json({"tick", "--wait"});
        REQUIRE(j.is_object());
        CHECK(j["fired"] == 1);
        CHECK(j["skipped"] == 0);
        CHECK(j["queued"] == 0);
        CHECK(j["recovered"] == 0);
        CHECK(j["dry_run"] == false);
        CHECK(!j.contains("decisions"));
        CHECK(history(sb).size() == 1);
        check_no_processes(sb);
    }

    TEST_CASE("tick and supervisor log lines show a job name's bidi characters escaped") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string bidi = "\xe2\x80\xae";
        const auto log = sb.dir() / "schedule.log";
        sb.ok({"config", "set", "log.file", log.string()});
        sb.ok({"config", "set", "log.level", "info"});
        create(sb, {"evil" + bidi + "gnp.exe", "--cron", "* * * * *", "--command", "true"});
        // Five minutes late: one run fires and the missed fires are skipped.
        auto r = tick(sb, "2026-01-15T10:05:00Z", {"--wait"});
        INFO("stderr: " << r.err);
        CHECK(r.exit_code == 0);
        CHECK(summary_of(r.out).fired == 1);
        CHECK(summary_of(r.out).skipped > 0);
        CHECK(r.err.find("fired evil\\u202egnp.exe") != std::string::npos);
        CHECK(r.err.find("skipped evil\\u202egnp.exe") != std::string::npos);
        CHECK(r.err.find(bidi) == std::string::npos);
        // The supervisor logs to log.file only.
        std::string text;
        CHECK(eventually([&] {
            text = read_bytes(log);
            return text.find("ended") != std::string::npos;
        }));
        INFO("log.file: " << text);
        CHECK(text.find("of evil\\u202egnp.exe ended") != std::string::npos);
        CHECK(text.find(bidi) == std::string::npos);
        check_no_processes(sb);
    }

    TEST_CASE("tick refuses a group-writable store with exit 5 and changes nothing") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        create(sb, {"due", "--cron", "* * * * *", "--command", "true"});
        for (auto mode : {0660, 0606, 0666}) {
            INFO("mode " << std::oct << mode);
            REQUIRE(::chmod(sb.store().c_str(), mode_t(mode)) == 0);
            const auto before = sb.dump();
            auto r = tick(sb, "2026-01-15T10:01:00Z");
            CHECK(r.exit_code == 5);
            CHECK(r.out == "");
            check_error_line(r, sb.store().string());
            CHECK(sb.dump() == before);
            CHECK(supervisors_of(sb).empty());
        }
        REQUIRE(::chmod(sb.store().c_str(), 0600) == 0);
        if (::geteuid() == 0) {
            INFO("a store owned by another user");
            REQUIRE(::chown(sb.store().c_str(), 65534, 65534) == 0);
            const auto before = sb.dump();
            auto r = tick(sb, "2026-01-15T10:01:00Z");
            CHECK(r.exit_code == 5);
            check_error_line(r, sb.store().string());
            CHECK(sb.dump() == before);
            REQUIRE(::chown(sb.store().c_str(), 0, 0) == 0);
        }
        CHECK(history(sb).empty());
        CHECK(ok_tick(sb, "2026-01-15T10:01:00Z", {"--wait"}) == Summary{1, 0, 0, 0});
        check_no_processes(sb);
    }

    TEST_CASE("pausing a job skips its run queued for a slot, and resuming does not run it") {
        // `job pause`, `job update --enabled false` and `apply` of the
        // job's definition with "enabled": false do the same.
        const Args pause_args[] = {{"job", "pause", "late"},
                                   {"job", "update", "late", "--enabled", "false"},
                                   {"apply", "-f", "FILE"}};
        for (auto pause : pause_args) {
            INFO("paused with: " << pause[0] << " " << pause[1]);
            Sandbox sb;
            if (pause[0] == "apply") {
                pause[2] = (sb.dir() / "late.json").string();
                std::ofstream(pause[2]) << R"({"jobs": [{"name": "late", "cron": "1 10 * * *",
                                                        "command": "true", "enabled": false}]})";
            }
            KillLeftovers guard{{sb.dir().string()}};
            const std::string day = "2026-01-15";
            auto gate = sb.dir() / "gate";
            sb.ok({"config", "set", "max_workers", "1"});
            create(sb, {"blocker", "--cron", "1 10 * * *", "--priority", "high", "--command",
                        wait_for(gate)});
            create(sb, {"late", "--cron", "1 10 * * *", "--command", "true"});

            CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 1, 0});
            REQUIRE(eventually([&] { return running(sb, "blocker"); }));
            auto waiting = with_status(history(sb, "late"), "queued");
            REQUIRE(waiting.size() == 1);
            CHECK(waiting[0]["reason"] == "slot");

            // The pause itself skips the queued run.
            sb.env["SCHEDULE_NOW"] = instant(day, 603);
            sb.ok(pause);
            auto h = history(sb, "late");
            REQUIRE(h.size() == 1);
            CHECK(h[0]["execution_id"] == waiting[0]["execution_id"]);
            CHECK(h[0]["status"] == "skipped");
            CHECK(h[0]["reason"] == "paused");
            CHECK(h[0]["skipped_count"] == 1);
            auto events = sb.run_program(
                {"sqlite3", sb.store().string(),
                 "SELECT type FROM events WHERE job_name = 'late' ORDER BY event_id"});
            CHECK(events.out == "job.created\njob.paused\nexecution.skipped\n");

            // The slot frees while the job is paused: nothing of it starts.
            open_gate(gate);
            require_idle(sb);
            CHECK(not_skipped(history(sb, "late")).empty());

            // Resumed 40 minutes later, the next tick runs nothing of the old run.
            sb.env["SCHEDULE_NOW"] = instant(day, 643);
            sb.ok({"job", "resume", "late"});
            CHECK(ok_tick(sb, instant(day, 644), {"--wait"}) == Summary{0, 0, 0, 0});
            CHECK(not_skipped(history(sb, "late")).empty());
            CHECK(queue(sb).empty());
            check_no_processes(sb);
        }
    }

    TEST_CASE("a retry due while the job is paused is skipped, not run after the resume") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        create(sb, {"flaky", "--cron", "1 10 * * *", "--max-attempts", "3", "--retry-delay", "0",
                    "--command", wait_for(gate) + "; exit 3"});
        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
        REQUIRE(eventually([&] { return running(sb, "flaky"); }));

        // Paused while it runs: the run goes on and fails, and its retry is skipped.
        sb.ok({"job", "pause", "flaky"});
        CHECK(running(sb, "flaky"));
        open_gate(gate);
        require_idle(sb);
        auto h = history(sb, "flaky");
        REQUIRE(h.size() == 2);
        CHECK(h[0]["status"] == "failed");
        CHECK(h[1]["status"] == "skipped");
        CHECK(h[1]["reason"] == "paused");
        CHECK(h[1]["trigger"] == "retry");

        sb.env["SCHEDULE_NOW"] = instant(day, 610);
        sb.ok({"job", "resume", "flaky"});
        CHECK(ok_tick(sb, instant(day, 611), {"--wait"}) == Summary{0, 0, 0, 0});
        CHECK(history(sb, "flaky").size() == 2);
        check_no_processes(sb);
    }

    TEST_CASE("job delete --force cancels a running run of the job and says so") {
        // The job ignores SIGTERM: the delete ends its group with SIGKILL
        // after the kill grace. `apply --prune` of a file without the job
        // deletes it the same way.
        for (const std::string how : {"table", "json", "apply"}) {
            INFO("delete: " << how);
            const bool json_output = how == "json";
            Sandbox sb;
            KillLeftovers guard{{sb.dir().string()}};
            const std::string day = "2026-01-15";
            auto gate = sb.dir() / "gate"; // never opened
            const auto marker = unique_marker();
            create(sb, {"doomed", "--cron", "1 10 * * *", "--kill-grace", "1s", "--command",
                        ": " + marker + "; trap '' TERM; " + wait_for(gate)});
            CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 0, 0});
            // Running, its pid written by its supervisor, and its shell's
            // command line readable (the supervisor may write the pid while
            // the kernel is still setting up the exec: then /proc shows an
            // empty command line for a moment).
            REQUIRE(eventually([&] {
                return sb.run_program({"sqlite3", sb.store().string(),
                                       "SELECT count(*) FROM executions WHERE status = "
                                       "'running' AND pid IS NOT NULL"})
                               .out == "1\n" &&
                       !processes_with(marker).empty();
            }));
            const auto id = history(sb, "doomed")[0]["execution_id"].get<long long>();

            Args args{"job", "delete", "doomed", "--force"};
            if (json_output)
                args.insert(args.end(), {"--format", "json"});
            if (how == "apply")
                args = {"apply", "--prune", "-f", "-"};
            auto r = sb.run(args, R"({"jobs": []})");
            INFO("stdout: " << r.out << "stderr: " << r.err);
            REQUIRE(r.exit_code == 0);
            if (how == "apply") {
                CHECK(r.out.find("deleted doomed (") != std::string::npos);
            } else if (json_output) {
                auto j = json::parse(r.out);
                CHECK(j["deleted"] == true);
                CHECK(j["executions_deleted"] == 1);
                CHECK(j["cancelled_executions"] == json::array({id}));
            } else {
                CHECK(r.out.find("; cancelled the running execution(s) " + std::to_string(id) +
                                 ".\n") != std::string::npos);
            }
            // Its processes are gone, and so is its supervisor, which found
            // the run's row gone.
            CHECK(eventually([&] { return processes_with(marker).empty(); }, 30s));
            CHECK(eventually([&] { return supervisors_of(sb).empty(); }, 30s));
            auto sql = [&](const std::string& query) {
                return sb.run_program({"sqlite3", sb.store().string(), query}).out;
            };
            CHECK(sql("SELECT count(*) FROM executions; SELECT count(*) FROM jobs") == "0\n0\n");
            // The audit log keeps it: cancelled, reason deleted, in the delete.
            const auto ids = std::to_string(id);
            CHECK(sql("SELECT type || ' ' || coalesce(execution_id, '-') FROM events WHERE "
                      "job_name = 'doomed' ORDER BY event_id") ==
                  "job.created -\nexecution.started " + ids + "\nexecution.cancelled " + ids +
                      "\njob.deleted -\n");
            CHECK(sql("SELECT json_extract(detail, '$.status') || ' ' || "
                      "json_extract(detail, '$.reason') FROM events WHERE type = "
                      "'execution.cancelled'") == "cancelled deleted\n");
            check_no_processes(sb);
        }
    }

    TEST_CASE("a job delete killed during the kill grace leaves the run to its owner, which "
              "ends it") {
        // The delete commits, sends SIGTERM (ignored) and waits the kill
        // grace before its SIGKILL; killed meanwhile, it cannot send it.
        // The run's owner, a supervisor or a foreground job run, finds the
        // run's row gone and stops it: SIGTERM, then SIGKILL after the
        // kill grace.
        for (const std::string owner : {"supervisor", "job run"}) {
            INFO("owner: " << owner);
            Sandbox sb;
            KillLeftovers guard{{sb.dir().string()}};
            auto gate = sb.dir() / "gate"; // never opened
            const auto marker = unique_marker();
            create(sb, {"doomed", "--kill-grace", "5s", "--command",
                        ": " + marker + "; trap '' TERM; " + wait_for(gate)});
            std::optional<Child> run;
            if (owner == "job run")
                run.emplace(sb, Args{"job", "run", "doomed"}, sb.dir() / "run.out",
                            sb.dir() / "run.err");
            else
                sb.ok({"job", "run", "doomed", "--detach"});
            REQUIRE(eventually([&] {
                return schedule::test::running_with_pid(sb) == 1 && !processes_with(marker).empty();
            }));
            Child del(sb, {"job", "delete", "doomed", "--force"}, sb.dir() / "del.out",
                      sb.dir() / "del.err");
            REQUIRE(eventually([&] {
                return sb.run_program({"sqlite3", sb.store().string(), "SELECT count(*) FROM jobs"})
                           .out == "0\n";
            }));
            ::kill(del.pid(), SIGKILL);
            REQUIRE(del.wait() == 128 + SIGKILL);
            REQUIRE(!processes_with(marker).empty());

            if (run) { // it exits as if the delete had stopped the run
                auto code = run->wait(30s);
                REQUIRE(code.has_value());
                CHECK(*code == 128 + SIGTERM);
            }
            const auto left = schedule::test::left_after(marker, 30s);
            CHECK_MESSAGE(left.empty(), "left:\n" << describe(left));
            CHECK(eventually([&] { return supervisors_of(sb).empty(); }, 30s));
            check_no_processes(sb);
        }
    }

    TEST_CASE("job delete --force stops a foreground job run, which exits as cancelled") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        auto gate = sb.dir() / "gate"; // never opened
        const auto marker = unique_marker();
        create(sb, {"doomed", "--command", ": " + marker + "; " + wait_for(gate)});
        Child run(sb, {"job", "run", "doomed"}, sb.dir() / "run.out", sb.dir() / "run.err");
        REQUIRE(eventually([&] {
            auto h = history(sb, "doomed");
            return h.size() == 1 && h[0]["status"] == "running" && !processes_with(marker).empty();
        }));
        auto r = sb.run({"job", "delete", "doomed", "--force"});
        REQUIRE(r.exit_code == 0);
        CHECK(r.out.find("cancelled the running execution(s) 1.") != std::string::npos);
        auto code = run.wait(60s);
        REQUIRE(code.has_value());
        CHECK(*code == 128 + SIGTERM);
        CHECK(read_bytes(sb.dir() / "run.err").find("error") == std::string::npos);
        CHECK(processes_with(marker).empty());
        check_no_processes(sb);
    }

    TEST_CASE("queue shows a running job and a job waiting for a slot") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const std::string day = "2026-01-15";
        auto gate = sb.dir() / "gate";
        auto lock = (sb.dir() / "lock").string();
        sb.ok({"config", "set", "max_workers", "1"});
        // Both take the same lock: they fail (exit 9) if they run at once.
        const auto command =
            "mkdir '" + lock + "' || exit 9; " + wait_for(gate) + "; rmdir '" + lock + "'";
        create(sb, {"first", "--cron", "* * * * *", "--command", command, "--priority", "high"});
        create(sb, {"second", "--cron", "* * * * *", "--command", command});

        CHECK(queue(sb).empty());
        CHECK(sb.ok({"queue"}) == "Nothing is running or waiting.\n");
        CHECK(ok_tick(sb, instant(day, 601)) == Summary{1, 0, 1, 0});
        REQUIRE(eventually([&] { return running(sb, "first"); }));

        auto q = queue(sb);
        INFO("queue: " << q.dump());
        REQUIRE(q.size() == 2);
        CHECK(q[0]["job_name"] == "first");
        CHECK(q[0]["state"] == "running");
        CHECK(q[0]["status"] == "running");
        CHECK(q[1]["job_name"] == "second");
        CHECK(q[1]["state"] == "queued");
        CHECK(q[1]["queue_reason"] == "slot");
        CHECK(q[1]["priority"] == 50);
        auto table = sb.ok({"queue"});
        INFO("table: " << table);
        std::istringstream lines(table);
        std::string line;
        bool running_line = false, slot_line = false;
        while (std::getline(lines, line)) {
            if (line.find("first") != std::string::npos &&
                line.find("running") != std::string::npos)
                running_line = true;
            if (line.find("second") != std::string::npos &&
                line.find("queued") != std::string::npos && line.find("slot") != std::string::npos)
                slot_line = true;
        }
        CHECK(running_line);
        CHECK(slot_line);

        // The next minute: first is running (skip), second waits already (skip).
        CHECK(ok_tick(sb, instant(day, 602)) == Summary{0, 2, 0, 0});

        open_gate(gate);
        require_idle(sb);
        auto first = not_skipped(history(sb, "first"));
        auto second = not_skipped(history(sb, "second"));
        REQUIRE(first.size() == 1);
        REQUIRE(second.size() == 1);
        CHECK(first[0]["status"] == "completed");
        CHECK(second[0]["status"] == "completed");
        CHECK(second[0]["start_time"].get<std::string>() >=
              first[0]["end_time"].get<std::string>());
        check_no_processes(sb);
    }

    TEST_CASE("a tick on a store that does not exist creates nothing") {
        Sandbox sb;
        REQUIRE_FALSE(fs::exists(sb.store()));
        auto r = sb.run({"tick"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "fired 0, skipped 0, queued 0, recovered 0\n");
        CHECK_FALSE(fs::exists(sb.store()));
        CHECK_FALSE(fs::exists(sb.store().parent_path() / "schedule.db-wal"));
    }

    TEST_CASE("an idle tick prints zero counts and writes nothing") {
        Sandbox sb;
        create(sb, {"morning", "--cron", "0 9 * * *", "--command", "true"});
        create(sb, {"paused", "--cron", "* * * * *", "--command", "true", "--disabled"});
        // The first tick of a boot may record it; the next ones are idle.
        CHECK(ok_tick(sb, "2026-01-15T10:00:00Z") == Summary{0, 0, 0, 0});
        const auto before = sb.dump();
        REQUIRE(!before.empty());
        for (const auto& now : {"2026-01-15T10:00:30Z", "2026-01-15T10:01:00Z",
                                "2026-01-15T10:17:42Z", "2026-01-15T10:59:59Z"}) {
            INFO("tick at " << now);
            auto r = tick(sb, now);
            CHECK(r.exit_code == 0);
            CHECK(r.out == "fired 0, skipped 0, queued 0, recovered 0\n");
            CHECK(sb.dump() == before);
        }
        auto j = sb.json({"tick"});
        CHECK(j ==
              json::parse(R"({"fired":0,"skipped":0,"queued":0,"recovered":0,"dry_run":false})"));
        CHECK(sb.dump() == before);
        CHECK(history(sb).empty());
        CHECK(supervisors_of(sb).empty());
    }

    TEST_CASE("a job whose counters the store holds at the largest integer stops no other job") {
        Sandbox sb;
        const auto log = sb.dir() / "other.log";
        create(sb, {"other", "--cron", "* * * * *", "--command", "echo ran >> " + log.string()});
        create(sb, {"full", "--cron", "* * * * *", "--command", "false"});
        // What a store may hold from before counters stopped at 2^53 - 1.
        const auto max = std::to_string(INT64_MAX);
        auto set = sb.run_program({"sqlite3", sb.store().string(),
                                   "UPDATE jobs SET execution_count = " + max +
                                       ", failure_count = " + max + ", scheduled_count = " + max +
                                       " WHERE name = 'full'"});
        REQUIRE(set.exit_code == 0);
        // Bounded in time: a supervisor that failed to count the run left
        // the tick waiting for ever.
        auto r = sb.run_program({"env", "SCHEDULE_NOW=" + instant("2026-01-15", 601), "timeout",
                                 "60", schedule::test::binary(), "tick", "--wait", "-q"});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(read_bytes(log) == "ran\n");
        auto h = history(sb, "full");
        REQUIRE(h.size() == 1);
        CHECK(h[0]["status"] == "failed");
        auto full = sb.json({"job", "show", "full"});
        for (const auto* key : {"execution_count", "failure_count", "scheduled_count"}) {
            CAPTURE(key);
            CHECK(full[key] == 9007199254740991LL);
        }
    }
}
