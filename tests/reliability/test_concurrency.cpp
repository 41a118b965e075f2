// The concurrency suite: for a bounded time, many `schedule` processes on
// one store at once. Writers create, update, pause, resume and delete jobs,
// apply files and restore backups, readers list and follow, and two racing
// ticks per simulated minute fire the due jobs for the supervisors they
// start. Every command must exit 0 with nothing on stderr (no `database is
// locked` reaches a user), the jobs that should exist do, each job has one
// audit event per write that succeeded, and a job due every minute ran
// exactly once for each minute ticked.

#include "reliability.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace schedule::test;
using namespace schedule::test::reliability;
using namespace std::chrono_literals;

namespace {

// How long the writers, readers and ticks run.
constexpr auto k_duration = 45s;

// What one thread did: its commands that did not exit 0 or wrote to
// stderr, and per job name the writes that succeeded.
struct Log {
    std::vector<std::string> failures;
    std::map<std::string, long long> writes;
    long long commands = 0;

    // Runs `schedule ARGS...` in `at`; true when it exited 0 and printed
    // nothing on stderr.
    bool run(const Sandbox& at, const Args& args, const std::string& input = "") {
        ++commands;
        auto r = at.run(args, input);
        if (r.exit_code == 0 && r.err.empty())
            return true;
        failures.push_back(json(args).dump() + ": exit " + std::to_string(r.exit_code) +
                           ", stderr: " + r.err);
        return false;
    }
};

// A sandbox whose commands go to the store of `shared`.
void share(Sandbox& mine, const Sandbox& shared) {
    mine.env = shared.env;
}

// `{"jobs": [...]}` of 20 jobs named PREFIX-00..19 in version `v`.
std::string jobs_file(const std::string& prefix, char v) {
    json jobs = json::array();
    for (int i = 0; i < 20; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "%s-%02d", prefix.c_str(), i);
        jobs.push_back({{"name", name},
                        {"cron_expression", "*/2 * * * *"},
                        {"command", "true"},
                        {"description", std::string("version ") + v},
                        {"priority", v == 'a' ? 20 : 30}});
    }
    return json{{"jobs", jobs}}.dump();
}

// Spawns `schedule ARGS...` (no doctest macro: called from other threads).
pid_t spawn(const Sandbox& at, const Args& args, const fs::path& out, const fs::path& err) {
    Exec exec(at, args);
    pid_t pid = ::fork();
    if (pid == 0)
        exec.run_redirected(out, err);
    return pid;
}

int finish(pid_t pid) {
    int status = 0;
    if (pid < 0)
        return -1;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

TEST_SUITE("reliability::concurrency") {

    TEST_CASE("concurrency: writers, readers, ticks and supervisors at once") {
        const auto s = seed();
        MESSAGE(seed_line("concurrency", s));
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto side = sb.dir() / "side";
        sb.ok({"job", "create", "every-minute", "--cron", "* * * * *", "--overlap", "allow",
               "--max-instances", "1000", "--priority", "100", "--command",
               "echo \"$SCHEDULE_SCHEDULED_FOR\" >> '" + side.string() + "'", "-q"});
        const auto apply_a = sb.dir() / "apply-a.json", apply_b = sb.dir() / "apply-b.json";
        std::ofstream(apply_a) << jobs_file("ap", 'a');
        std::ofstream(apply_b) << jobs_file("ap", 'b');
        // Two backups of 20 jobs rs-00..19 (without settings, so that the
        // restores leave max_workers alone).
        std::map<char, fs::path> backup;
        for (char v : {'a', 'b'}) {
            Sandbox maker;
            std::ofstream(maker.dir() / "jobs.json") << jobs_file("rs", v);
            maker.ok({"apply", "-f", (maker.dir() / "jobs.json").string(), "-q"});
            backup[v] = sb.dir() / (std::string("backup-") + v + ".json");
            maker.ok({"config", "backup", "--output", backup[v].string(), "-q"});
        }

        const auto deadline = std::chrono::steady_clock::now() + k_duration;
        auto running = [&] { return std::chrono::steady_clock::now() < deadline; };
        std::vector<Log> logs(6);
        std::vector<std::thread> threads;

        // Two writers going through each job's life: create, update, pause,
        // resume, and for every other job delete.
        for (int w = 0; w < 2; ++w)
            threads.emplace_back([&, w] {
                Sandbox mine;
                share(mine, sb);
                Rng rng(s + std::uint64_t(w));
                auto& log = logs[std::size_t(w)];
                for (int k = 0; running(); ++k) {
                    const auto name = "w" + std::to_string(w) + "-" + std::to_string(k);
                    const std::vector<Args> steps{
                        {"job", "create", name, "--cron", "0 * * * *", "--command", "true", "-q"},
                        {"job", "update", name, "--description", "updated", "-q"},
                        {"job", "pause", name, "-q"},
                        {"job", "resume", name, "-q"},
                        {"job", "delete", name, "--force", "-q"},
                    };
                    const std::size_t n = k % 2 ? steps.size() : steps.size() - 1;
                    for (std::size_t i = 0; i < n && running(); ++i) {
                        if (!log.run(mine, steps[i]))
                            break;
                        ++log.writes[name];
                        std::this_thread::sleep_for(std::chrono::milliseconds(rng.below(20)));
                    }
                }
            });
        // apply -f of two versions of 20 jobs, in turn.
        threads.emplace_back([&] {
            Sandbox mine;
            share(mine, sb);
            auto& log = logs[2];
            for (int k = 0; running(); ++k)
                if (log.run(mine, {"apply", "-f", (k % 2 ? apply_b : apply_a).string(), "-q"}))
                    ++log.writes["apply"];
        });
        // config restore --force of two backups of 20 jobs, in turn.
        threads.emplace_back([&] {
            Sandbox mine;
            share(mine, sb);
            auto& log = logs[3];
            for (int k = 0; running(); ++k)
                if (log.run(mine, {"config", "restore", "--input",
                                   backup.at(k % 2 ? 'b' : 'a').string(), "--force", "-q"}))
                    ++log.writes["restore"];
        });
        // Readers.
        threads.emplace_back([&] {
            Sandbox mine;
            share(mine, sb);
            auto& log = logs[4];
            const std::vector<Args> reads{{"job", "list", "-q"},
                                          {"queue", "-q"},
                                          {"events", "--limit", "5", "-q"},
                                          {"job", "history", "--limit", "5", "-q"},
                                          {"job", "show", "every-minute", "-q"}};
            for (int k = 0; running(); ++k)
                log.run(mine, reads[std::size_t(k) % reads.size()]);
        });
        // Two ticks racing in each simulated minute, one minute after the
        // other, from 10:01 (every-minute was created at 10:00).
        std::atomic<int> minutes{0};
        threads.emplace_back([&] {
            Sandbox mine;
            share(mine, sb);
            auto& log = logs[5];
            for (int minute = 601; running(); ++minute) {
                std::vector<pid_t> ticks;
                for (int t = 0; t < 2; ++t) {
                    mine.env["SCHEDULE_NOW"] = instant(minute, 10 + t);
                    ticks.push_back(spawn(mine, {"tick", "-q"}, mine.dir() / std::to_string(t),
                                          mine.dir() / ("err" + std::to_string(t))));
                }
                for (int t = 0; t < 2; ++t) {
                    ++log.commands;
                    const int code = finish(ticks[std::size_t(t)]);
                    const auto err = read_bytes(mine.dir() / ("err" + std::to_string(t)));
                    if (code != 0 || !err.empty())
                        log.failures.push_back("tick at " + instant(minute) + ": exit " +
                                               std::to_string(code) + ", stderr: " + err);
                }
                ++minutes;
                std::this_thread::sleep_for(150ms);
            }
        });
        for (auto& t : threads)
            t.join();

        // Every command as expected.
        long long commands = 0;
        std::string failures;
        for (const auto& log : logs) {
            commands += log.commands;
            for (const auto& f : log.failures)
                failures += f + "\n";
        }
        CHECK_MESSAGE(failures.empty(), "commands that failed:\n" << failures);
        // The simulated minutes go by faster than a supervisor's clock,
        // which starts at its tick's minute and then keeps real time: under
        // load a supervisor still working through the 14:00 fires of the
        // hourly jobs does not start a run queued for a slot at 14:01 (not
        // due by its clock), and when it is done the run waits for the next
        // tick, as it would on a host. Ticks at the last minute start them.
        const auto last_minute = instant(601 + minutes.load() - 1, 50);
        const auto now_before = sb.env["SCHEDULE_NOW"];
        int drain_ticks = 0;
        for (; drain_ticks < 300 && count(sb, "SELECT count(*) FROM executions WHERE end_time IS "
                                              "NULL AND supervisor_pid IS NULL") > 0;
             ++drain_ticks) {
            sb.env["SCHEDULE_NOW"] = last_minute;
            sb.ok({"tick", "-q"});
            std::this_thread::sleep_for(1s);
        }
        sb.env["SCHEDULE_NOW"] = now_before;
        if (!wait_idle(sb, 300s))
            FAIL("runs never ended:\n"
                 << sql(sb, "SELECT e.execution_id, j.name, e.trigger, e.attempt, e.status, "
                            "e.reason, e.scheduled_for, e.not_before, e.start_time, e.pid, "
                            "e.supervisor_pid, e.created_at FROM executions e JOIN jobs j "
                            "USING (job_id) WHERE e.end_time IS NULL")
                 << "supervisors: " << supervisors_of(sb.store()).size());
        CHECK(integrity(sb) == "ok");

        // The jobs that should exist do, with one event per write.
        std::map<std::string, long long> events;
        std::istringstream rows(sql(sb, "SELECT job_name, count(*) FROM events WHERE type LIKE "
                                        "'job.%' GROUP BY job_name"));
        for (std::string line; std::getline(rows, line);)
            events[line.substr(0, line.find('|'))] = std::stoll(line.substr(line.find('|') + 1));
        std::set<std::string> want{"every-minute"}, got;
        for (const auto& j : sb.json({"job", "list"}))
            got.insert(j["name"].get<std::string>());
        long long lifecycle_jobs = 0, wrong_events = 0;
        std::string wrong;
        for (int w = 0; w < 2; ++w)
            for (const auto& [name, writes] : logs[std::size_t(w)].writes) {
                ++lifecycle_jobs;
                const auto n = name.substr(name.find('-') + 1);
                const bool deleted = std::stoi(n) % 2 == 1 && writes == 5;
                if (!deleted)
                    want.insert(name);
                if (events[name] != writes) {
                    ++wrong_events;
                    wrong += name + ": " + std::to_string(events[name]) + " events, " +
                             std::to_string(writes) + " writes\n";
                }
            }
        const auto applies = logs[2].writes["apply"], restores = logs[3].writes["restore"];
        for (int i = 0; i < 20; ++i) {
            char ap[16], rs[16];
            std::snprintf(ap, sizeof ap, "ap-%02d", i);
            std::snprintf(rs, sizeof rs, "rs-%02d", i);
            want.insert(ap);
            want.insert(rs);
            // The first apply creates the job, each later one updates it.
            if (events[ap] != applies)
                wrong += std::string(ap) + ": " + std::to_string(events[ap]) + " events, " +
                         std::to_string(applies) + " applies\n";
            if (events[rs] != restores)
                wrong += std::string(rs) + ": " + std::to_string(events[rs]) + " events, " +
                         std::to_string(restores) + " restores\n";
        }
        CHECK(got == want);
        CHECK_MESSAGE(wrong.empty(), "event counts that differ from the writes:\n" << wrong);
        CHECK(count(sb, "SELECT count(*) FROM events WHERE type = 'config.restored'") == restores);

        // Exactly once: every minute ticked fired the minutely job once.
        const int ticked = minutes.load();
        std::map<std::string, int> fired;
        std::istringstream lines(read_bytes(side));
        for (std::string line; std::getline(lines, line);)
            ++fired[line];
        std::string missed;
        for (int m = 601; m < 601 + ticked; ++m) {
            auto want_line = instant(m);
            want_line = want_line.substr(0, want_line.size() - 1) + "+00:00";
            if (fired[want_line] != 1)
                missed += want_line + " x" + std::to_string(fired[want_line]) + "\n";
            fired.erase(want_line);
        }
        CHECK_MESSAGE(missed.empty(), "minutes not fired exactly once:\n" << missed);
        CHECK_MESSAGE(fired.empty(), "lines for minutes never ticked: " << fired.size());
        CHECK(count(sb, "SELECT count(*) FROM executions e JOIN jobs j USING (job_id) WHERE "
                        "j.name = 'every-minute' AND e.status = 'completed'") == ticked);
        CHECK(eventually([&] { return supervisors_of(sb.store()).empty(); }, 60s));

        MESSAGE("concurrency: " << commands << " commands in " << k_duration.count()
                                << " s, all exit 0 with an empty stderr: " << lifecycle_jobs
                                << " jobs created, updated, paused, resumed (and half deleted), "
                                << applies << " applies and " << restores
                                << " restores of 20 jobs, " << ticked
                                << " simulated minutes of two racing ticks; checks: " << got.size()
                                << " jobs present as expected, " << events.size()
                                << " jobs' event counts, " << ticked
                                << " minutes fired exactly once (" << drain_ticks
                                << " ticks at the last minute to start the runs left queued)");
    }
}
