// The crash suite: every command that writes the store, and the supervisor
// that runs jobs, SIGKILLed at random moments (delays drawn from the seed,
// from microseconds to the command's own duration, so that kills land as it
// starts, reads, writes and commits). After each kill: the store passes
// `PRAGMA integrity_check`; a job is entirely the old or entirely the new
// one (a create all or nothing, a restore or apply all of its jobs or
// none); the audit log has an event for each change that happened and none
// for one that did not; after the next tick every run has ended or is
// recorded lost, no run ran twice, every completed run left its line in a
// side file, and no process of a killed run is left.

#include "reliability.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace schedule::test;
using namespace schedule::test::reliability;
using namespace std::chrono_literals;

namespace {

// Kills that must land on each write path per run.
constexpr int k_kills = 40;
// Shots per path at most (a shot that comes after the process ended does
// not count as a kill).
constexpr int k_max_shots = 120;

// What a case did, printed at its end so that it can be quoted.
struct Tally {
    explicit Tally(std::string p) : path(std::move(p)) {}
    std::string path;
    int kills = 0;
    int late = 0; // the process had ended before the kill
    std::map<std::string, int> outcomes;
    std::map<std::string, int> checks;

    void check(const std::string& what) { ++checks[what]; }
    // Counts a shot: a kill, before or after the command's commit (as the
    // store shows), or a shot that came after the process had ended.
    void shot(const Shot& s, bool committed, const std::string& detail = "") {
        if (!s.killed) {
            ++late;
            return;
        }
        ++kills;
        ++outcomes[std::string(committed ? "after" : "before") + " the commit" + detail];
    }
    std::string report() const {
        std::ostringstream s;
        s << path << ": " << kills << " kills (";
        const char* sep = "";
        for (const auto& [what, n] : outcomes) {
            s << sep << n << " " << what;
            sep = ", ";
        }
        s << "); " << late << " more shots came after the process had ended; checks:";
        sep = " ";
        for (const auto& [what, n] : checks) {
            s << sep << n << " " << what;
            sep = ", ";
        }
        return s.str();
    }
};

// A case: its seed (printed as it starts), its generator and its tally.
struct Path : Tally {
    Path(const std::string& name, std::uint64_t salt) : Tally(name), rng(seed() ^ salt) {
        MESSAGE(seed_line("crash: " + name, seed()));
    }
    // Checks that enough kills landed and prints the counts.
    void finish(const std::string& more = "") {
        CHECK(kills >= k_kills);
        MESSAGE(report() << more);
    }
    Rng rng;
};

// Context for the failure messages of one shot.
std::string about(int shot, const Shot& s) {
    return "shot " + std::to_string(shot) + ", delay " + std::to_string(s.delay.count()) + " us, " +
           (s.killed ? std::string("killed")
                     : "ended with " + std::to_string(s.code) + ", stderr: " + s.err);
}

void check_integrity(const Sandbox& sb, Tally& t) {
    if (!fs::exists(sb.store()))
        return;
    CHECK(integrity(sb) == "ok");
    t.check("integrity");
}

long long events(const Sandbox& sb, const std::string& type, const std::string& job_name) {
    return count(sb, "SELECT count(*) FROM events WHERE type = " + sql_text(type) +
                         " AND job_name = " + sql_text(job_name));
}

// `job show NAME` as a definition, or nullopt when the job does not exist
// (exit 3; any other exit fails the test).
std::optional<json> shown(const Sandbox& sb, const std::string& name) {
    auto r = sb.run({"job", "show", name, "--format", "json"});
    if (r.exit_code == 3)
        return std::nullopt;
    INFO("job show " << name << ": exit " << r.exit_code << ", stderr " << r.err);
    REQUIRE(r.exit_code == 0);
    return definition(json::parse(r.out));
}

Args create_args(const std::string& name) {
    return {"job",
            "create",
            name,
            "--cron",
            "*/7 * * * *",
            "--command",
            "echo created",
            "--description",
            "every field",
            "--tag",
            "team=ops",
            "--tag",
            "tier=2",
            "--tag",
            "solo",
            "--env",
            "A=1",
            "--env",
            "B=two words",
            "--priority",
            "70",
            "--timeout",
            "5m",
            "--kill-grace",
            "20s",
            "--max-attempts",
            "3",
            "--retry-delay",
            "30s",
            "--overlap",
            "queue",
            "--catchup",
            "all",
            "--owner",
            "ops",
            "--window",
            "Mon-Fri 08:00-20:00",
            "--misfire-grace",
            "10m",
            "-q"};
}

// Two versions of job "u" that `job update` turns into each other: every
// flag sets the whole field.
Args version_args(char v) {
    if (v == 'a')
        return {"--cron",        "*/5 * * * *", "--command",      "echo version a",
                "--description", "version a",   "--tag",          "v=a",
                "--tag",         "x=1",         "--env",          "V=a",
                "--priority",    "10",          "--timeout",      "1m",
                "--kill-grace",  "5s",          "--max-attempts", "2",
                "--overlap",     "skip",        "--catchup",      "latest",
                "--owner",       "alice"};
    return {"--cron",        "0 3 * * 1-5", "--command",      "echo version b",
            "--description", "version b",   "--tag",          "v=b",
            "--env",         "V=b",         "--env",          "W=2",
            "--priority",    "90",          "--timeout",      "2h",
            "--kill-grace",  "30s",         "--max-attempts", "5",
            "--overlap",     "queue",       "--catchup",      "none",
            "--owner",       "bob"};
}

// A backup document of 100 jobs and a setting: 80 jobs named r00..r79 in
// either version and 20 more that only this version has (x.. or y..).
fs::path make_document(const Sandbox& at, char v) {
    Sandbox maker;
    std::string jobs = "[";
    for (int i = 0; i < 100; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "%c%02d", i < 80 ? 'r' : (v == 'a' ? 'x' : 'y'), i % 80);
        json j = {
            {"name", name},
            {"cron_expression", std::to_string(i % 60) + (v == 'a' ? " * * * *" : " 2 * * *")},
            {"command", std::string("echo ") + v + " " + name},
            {"priority", v == 'a' ? 10 + i % 50 : 60},
            {"tags", {{"v", std::string(1, v)}, {"i", std::to_string(i)}}}};
        if (v == 'b')
            j["env"] = {{"B", std::to_string(i)}};
        jobs += (i ? "," : "") + j.dump();
    }
    jobs += "]";
    std::ofstream(maker.dir() / "jobs.json") << "{\"jobs\": " << jobs << "}";
    maker.ok({"apply", "-f", (maker.dir() / "jobs.json").string(), "-q"});
    maker.ok({"config", "set", "max_workers", v == 'a' ? "3" : "5"});
    auto doc = at.dir() / (std::string("backup-") + v + ".json");
    maker.ok({"config", "backup", "--output", doc.string(), "-q"});
    return doc;
}

// A shell command appending the run's execution id to `side`.
std::string log_to(const fs::path& side) {
    return "echo \"$SCHEDULE_EXECUTION_ID $SCHEDULE_JOB_NAME $SCHEDULE_SCHEDULED_FOR\" >> '" +
           side.string() + "'";
}

// "2026-01-15T10:07:00+00:00": how JSON shows instant(minute).
std::string json_minute(int minute) {
    auto s = instant(minute);
    return s.substr(0, s.size() - 1) + "+00:00";
}

// The SQL value of instant(minute) in the executions table.
std::string at_minute(int minute) {
    return "CAST(strftime('%s', " + sql_text(instant(minute).substr(0, 19)) + ") AS INTEGER)";
}

// The executions of all jobs (oldest first) scheduled for `minute`.
std::vector<json> runs_for(const Sandbox& sb, int minute) {
    std::vector<json> out;
    for (auto& e : sb.json({"job", "history", "--limit", "0"}))
        if (e["scheduled_for"] == json_minute(minute))
            out.push_back(e);
    return out;
}

// Checks the runs scheduled for `minute` of the jobs `names` once the store
// is idle: each job ran exactly once; each run completed (or, when
// `lost_ok`, was recovered lost); the side file has each completed run's
// line once, a lost run's at most once, and no line of another run.
void check_runs(const Sandbox& sb, int minute, const std::vector<std::string>& names, bool lost_ok,
                Tally& t) {
    auto runs = runs_for(sb, minute);
    auto lines = side_lines(sb.dir() / "side");
    std::map<std::string, int> per_job;
    for (const auto& e : runs) {
        INFO("execution " << e.dump());
        ++per_job[e["job_name"].get<std::string>()];
        const auto status = e["status"].get<std::string>();
        const auto id = e["execution_id"].get<long long>();
        const int seen = lines.count(id) ? lines[id] : 0;
        if (status == "lost") {
            CHECK(lost_ok);
            CHECK(seen <= 1);
            ++t.outcomes["runs lost"];
        } else {
            CHECK(status == "completed");
            CHECK(seen == 1);
            ++t.outcomes["runs completed"];
        }
        t.check("runs against the side file");
    }
    for (const auto& name : names) {
        INFO("job " << name << " at minute " << minute);
        CHECK(per_job[name] == 1);
        t.check("exactly-once per job and minute");
    }
    for (const auto& [id, n] : lines) {
        INFO("side file line of execution " << id);
        CHECK(n == 1);
    }
}

void wait_no_supervisor(const Sandbox& sb) {
    std::vector<pid_t> left;
    const bool gone = eventually([&] {
        left = supervisors_of(sb.store());
        return left.empty();
    });
    REQUIRE_MESSAGE(gone, "supervisors left:\n" << describe(left));
}

// Waits up to `limit` for the processes whose command line holds `needle`
// to go; fails (and kills them) when some stay.
void check_gone(const std::string& needle, std::chrono::seconds limit, const std::string& context,
                Tally& t) {
    const auto left = left_after(needle, limit);
    CHECK_MESSAGE(left.empty(), context << ": processes of a killed or cancelled run left:\n"
                                        << describe(left));
    for (auto pid : left)
        ::kill(pid, SIGKILL);
    t.check("no process left");
}

using State = std::function<json(const Sandbox&)>;

// Two states of a store, 'a' and 'b', as `state` shows them, and the
// kill window of the command that turns one into the other.
struct States {
    std::map<char, json> want;
    std::chrono::microseconds window{};
};

// The states of `ref`, which is in state 'a', before and after
// `command('b')`.
States two_states(const Sandbox& ref, const std::function<Args(char)>& command,
                  const State& state) {
    States out;
    out.want['a'] = state(ref);
    out.window = kill_window(ref, command('b'));
    out.want['b'] = state(ref);
    return out;
}

// Takes `sb` from one of two states to the other ('a' to 'b' and back)
// with `command(target)`, SIGKILLed at random in its kill window, until
// k_kills kills have landed. After each shot `state` must
// show wholly the state it was in or wholly the target (`what` names that
// check); `after(writes)` checks the rest, given how many of the commands
// took effect (`writes` before the first).
void toggle(const Sandbox& sb, Path& t, const States& states,
            const std::function<Args(char)>& command, const State& state, const std::string& what,
            long long writes, const std::function<void(long long)>& after) {
    char now = 'a';
    for (int i = 0; t.kills < k_kills && i < k_max_shots; ++i) {
        const char target = now == 'a' ? 'b' : 'a';
        const auto shot = shoot(sb, command(target), t.rng.delay(states.window));
        INFO(about(i, shot));
        if (!shot.killed)
            CHECK(shot.code == 0);
        check_integrity(sb, t);
        const auto got = state(sb);
        const bool took = got == states.want.at(target);
        if (took) {
            now = target;
            ++writes;
        } else {
            CHECK(shot.killed);
            CHECK_MESSAGE(got == states.want.at(now),
                          "neither old nor new: " << first_difference(got, states.want.at(now)));
        }
        t.shot(shot, took);
        t.check(what);
        after(writes);
        t.check("events");
    }
}

} // namespace

TEST_SUITE("reliability::crash") {

    TEST_CASE("crash: job create") {
        Path t("job create", 0xc1);
        Sandbox sb, ref;
        KillLeftovers guard{{sb.dir().string()}};
        ref.ok(create_args("c"));
        const auto want = *shown(ref, "c");
        const auto limit = kill_window(ref, create_args("calibrate"));
        Sandbox first;
        const auto first_limit = kill_window(first, create_args("calibrate"));
        sb.ok(create_args("base"));
        int litter = 0;

        for (int i = 0; t.kills < k_kills && i < k_max_shots; ++i) {
            // Every fourth shot on a store that does not exist yet: the
            // create makes it.
            std::optional<Sandbox> fresh;
            if (i % 4 == 3)
                fresh.emplace();
            const Sandbox& at = fresh ? *fresh : sb;
            const auto name = "c" + std::to_string(i);
            const auto shot =
                shoot(at, create_args(name), t.rng.delay(fresh ? first_limit : limit));
            INFO(about(i, shot));
            if (!shot.killed)
                CHECK(shot.code == 0);
            check_integrity(at, t);
            const auto got = shown(at, name);
            if (got) {
                CHECK_MESSAGE(*got == want, first_difference(*got, want));
                CHECK(events(at, "job.created", name) == 1);
            } else {
                CHECK(shot.killed);
                if (fs::exists(at.store()))
                    CHECK(events(at, "job.created", name) == 0);
            }
            t.shot(shot, got.has_value(), fresh ? " (of a new store)" : "");
            t.check("job whole or absent");
            t.check("events");
            if (fresh) {
                // What a first write killed before it placed the new store
                // leaves: its temporary files (counted, not asserted).
                std::error_code none; // no directory: nothing left
                for (const auto& f : fs::directory_iterator(at.store().parent_path(), none))
                    if (f.path().filename().string().rfind(".schedule.db.", 0) == 0) {
                        ++litter;
                        break;
                    }
                // A command after the kill works on that store.
                at.ok({"job", "create", "after", "--cron", "* * * * *", "--command", "true", "-q"});
                check_integrity(at, t);
            }
        }
        t.finish("; new stores left with temporary files: " + std::to_string(litter));
    }

    TEST_CASE("crash: job update") {
        Path t("job update", 0xc2);
        Sandbox sb, ref;
        KillLeftovers guard{{sb.dir().string()}};
        const auto to = [](char v) {
            return concat({"job", "update", "u", "-q"}, version_args(v));
        };
        const auto job = [](const Sandbox& at) { return shown(at, "u").value_or(nullptr); };
        ref.ok(concat({"job", "create", "u", "-q"}, version_args('a')));
        const auto states = two_states(ref, to, job);

        sb.ok(concat({"job", "create", "u", "-q"}, version_args('a')));
        toggle(sb, t, states, to, job, "job entirely old or new", 0,
               [&](long long updates) { CHECK(events(sb, "job.updated", "u") == updates); });
        t.finish();
    }

    TEST_CASE("crash: job delete --force") {
        // Each job has a run going (`job run --detach`); half of them ignore
        // SIGTERM, so that their run ends only by the SIGKILL after the kill
        // grace.
        Path t("job delete --force", 0xc3);
        Sandbox sb, ref;
        const auto marker = unique_marker();
        KillLeftovers guard{{sb.dir().string(), marker, ref.dir().string()}};
        const auto digits = marker.substr(5);

        // A job of `sb` named `name` with a run going; returns its execution
        // id. Its processes carry `needle`.
        auto with_run = [&](const Sandbox& at, const std::string& name, bool ignores_term,
                            const std::string& needle) {
            const std::string sleep = "sleep 1000." + needle;
            at.ok({"job", "create", name, "--cron", "0 0 1 1 *", "--kill-grace", "1s", "--command",
                   ignores_term ? "trap '' TERM; " + sleep : sleep, "-q"});
            auto out = at.ok({"job", "run", name, "--detach"});
            const auto id = std::stoll(out);
            REQUIRE(eventually([&] {
                return count(at, "SELECT count(*) FROM executions WHERE execution_id = " +
                                     std::to_string(id) +
                                     " AND status = 'running' AND pid IS NOT NULL") == 1 &&
                       !processes_with(needle).empty();
            }));
            return id;
        };
        with_run(ref, "calibrate", false, digits + "000");
        const auto limit = kill_window(ref, {"job", "delete", "calibrate", "--force", "-q"});
        check_gone(digits + "000", 30s, "the calibration", t);

        for (int i = 0; t.kills < k_kills && i < k_max_shots; ++i) {
            const auto name = "d" + std::to_string(i);
            const bool ignores_term = i % 2 == 1;
            char needle[32];
            std::snprintf(needle, sizeof needle, "%s%03d", digits.c_str(), i);
            const auto id = with_run(sb, name, ignores_term, needle);
            const auto before = *shown(sb, name);
            const auto shot =
                shoot(sb, {"job", "delete", name, "--force", "-q"}, t.rng.delay(limit));
            INFO(about(i, shot) << std::string(ignores_term ? ", the job ignores SIGTERM" : ""));
            if (!shot.killed)
                CHECK(shot.code == 0);
            check_integrity(sb, t);
            const auto got = shown(sb, name);
            const auto execution = std::to_string(id);
            if (got) {
                CHECK(shot.killed);
                CHECK_MESSAGE(*got == before, first_difference(*got, before));
                CHECK(events(sb, "job.deleted", name) == 0);
                CHECK(count(sb, "SELECT count(*) FROM executions WHERE execution_id = " +
                                    execution + " AND status = 'running'") == 1);
                t.shot(shot, false);
                // The delete again, whole this time.
                sb.ok({"job", "delete", name, "--force", "-q"});
            } else {
                CHECK(events(sb, "job.deleted", name) == 1);
                CHECK(count(sb, "SELECT count(*) FROM executions WHERE execution_id = " +
                                    execution) == 0);
                t.shot(shot, true, ignores_term ? " (of a run ignoring SIGTERM)" : "");
            }
            t.check("job whole or deleted");
            t.check("events");
            // The run of a deleted job stops: SIGTERM, then SIGKILL after
            // the kill grace (1 s).
            check_gone(needle, 20s, "job " + name + ", execution " + execution, t);
        }
        t.finish();
    }

    TEST_CASE("crash: config restore --force") {
        Path t("config restore --force", 0xc4);
        Sandbox sb, ref;
        KillLeftovers guard{{sb.dir().string()}};
        const std::map<char, fs::path> doc{{'a', make_document(sb, 'a')},
                                           {'b', make_document(sb, 'b')}};
        const auto restore = [&](char v) {
            return Args{"config",  "restore", "--input", doc.at(v).string(),
                        "--force", "--prune", "-q"};
        };
        // 100 jobs and a setting.
        const auto state = [](const Sandbox& at) {
            auto jobs = json(job_definitions(at));
            jobs["max_workers"] = at.ok({"config", "get", "max_workers"});
            return jobs;
        };
        ref.ok(restore('a'));
        const auto states = two_states(ref, restore, state);
        REQUIRE(states.want.at('a').size() == 101);
        REQUIRE(states.want.at('b')["max_workers"] == "5\n");

        sb.ok(restore('a'));
        toggle(sb, t, states, restore, state, "100 jobs and a setting all old or all new", 1,
               [&](long long restores) {
                   CHECK(count(sb, "SELECT count(*) FROM events WHERE type = "
                                   "'config.restored'") == restores);
               });
        t.finish();
    }

    TEST_CASE("crash: apply -f") {
        Path t("apply -f", 0xc5);
        Sandbox sb, ref;
        KillLeftovers guard{{sb.dir().string()}};
        const std::map<char, fs::path> doc{{'a', make_document(sb, 'a')},
                                           {'b', make_document(sb, 'b')}};
        const auto apply = [&](char v) {
            return Args{"apply", "-f", doc.at(v).string(), "--prune", "-q"};
        };
        const auto jobs = [](const Sandbox& at) { return json(job_definitions(at)); };
        ref.ok(apply('a'));
        const auto states = two_states(ref, apply, jobs);

        sb.ok(apply('a'));
        // Each apply updates 80 jobs, creates 20 and deletes 20.
        toggle(sb, t, states, apply, jobs, "100 jobs all old or all new", 1,
               [&](long long applies) {
                   CHECK(count(sb, "SELECT count(*) FROM events WHERE job_name = 'r00' AND "
                                   "type IN ('job.created', 'job.updated')") == applies);
                   CHECK(count(sb, "SELECT count(*) FROM events WHERE job_name = 'x00' AND "
                                   "type = 'job.deleted'") == applies / 2);
               });
        t.finish();
    }

    TEST_CASE("crash: tick") {
        // Eight jobs due every minute, three workers: the tick claims three
        // runs and queues five, which its supervisor claims as runs end.
        // Each minute: a tick killed at random, then an uncut `tick --wait`
        // later in the same minute, which fires what the killed one did not.
        Path t("tick", 0xc6);
        Sandbox sb, ref;
        KillLeftovers guard{{sb.dir().string(), ref.dir().string()}};
        std::vector<std::string> names;
        for (auto* at : {&sb, &ref}) {
            at->ok({"config", "set", "max_workers", "3"});
            for (int j = 0; j < 8; ++j) {
                const auto name = "t" + std::to_string(j);
                at->ok({"job", "create", name, "--cron", "* * * * *", "--priority",
                        std::to_string(50 + j), "--command", log_to(at->dir() / "side"), "-q"});
                if (at == &sb)
                    names.push_back(name);
            }
        }
        ref.env["SCHEDULE_NOW"] = instant(600, 5);
        const auto limit = kill_window(ref, {"tick", "-q"});

        for (int i = 0; t.kills < k_kills && i < k_max_shots; ++i) {
            const int minute = 601 + i;
            sb.env["SCHEDULE_NOW"] = instant(minute, 5);
            const auto shot = shoot(sb, {"tick", "-q"}, t.rng.delay(limit));
            INFO(about(i, shot) << ", minute " << instant(minute));
            if (!shot.killed)
                CHECK(shot.code == 0);
            check_integrity(sb, t);
            const auto claimed = count(
                sb, "SELECT count(*) FROM executions WHERE scheduled_for = " + at_minute(minute));
            t.shot(shot, claimed > 0);
            sb.env["SCHEDULE_NOW"] = instant(minute, 30);
            auto r = sb.run({"tick", "--wait", "-q"});
            INFO("the tick after it: " << r.out << r.err);
            CHECK(r.exit_code == 0);
            CHECK(wait_idle(sb));
            wait_no_supervisor(sb);
            check_integrity(sb, t);
            check_runs(sb, minute, names, false, t);
        }
        t.finish();
    }

    TEST_CASE("crash: supervisor") {
        // Each minute a tick fires five runs for one supervisor with three
        // workers: two quick ones and one of 0.1 s first, then two that
        // sleep until killed, which the supervisor claims as the quick ones
        // end. The supervisor is SIGKILLed at random; then the next tick
        // recovers its runs. Runs started after the kill find the file
        // `stop` and end at once.
        Path t("supervisor", 0xc7);
        Sandbox sb;
        const auto marker = unique_marker();
        const auto digits = marker.substr(5);
        KillLeftovers guard{{sb.dir().string(), digits}};
        const auto side = log_to(sb.dir() / "side");
        const auto stop = sb.dir() / "stop";
        sb.ok({"config", "set", "max_workers", "3"});
        const std::vector<std::pair<std::string, std::string>> jobs{
            {"quick-1", side},
            {"quick-2", side},
            {"mid", side + "; sleep 0.1" + digits},
            {"long-1", side + "; [ -e '" + stop.string() + "' ] || sleep " + marker},
            {"long-2", side + "; [ -e '" + stop.string() + "' ] || sleep " + marker},
        };
        std::vector<std::string> names;
        int priority = 90;
        for (const auto& [name, command] : jobs) {
            sb.ok({"job", "create", name, "--cron", "* * * * *", "--priority",
                   std::to_string(priority--), "--command", command, "-q"});
            names.push_back(name);
        }
        const auto limit = std::chrono::microseconds(300'000);

        for (int i = 0; t.kills < k_kills && i < k_max_shots; ++i) {
            const int minute = 601 + i;
            sb.env["SCHEDULE_NOW"] = instant(minute);
            auto r = sb.run({"tick", "-q"});
            REQUIRE(r.exit_code == 0);
            auto supervisors = supervisors_of(sb.store());
            REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
            const auto pid = supervisors[0];
            const auto delay = t.rng.delay(limit);
            std::this_thread::sleep_for(delay);
            INFO("shot " << i << ", delay " << delay.count() << " us, minute " << instant(minute));
            if (!cmdline_of(std::to_string(pid)).empty() && ::kill(pid, SIGKILL) == 0)
                ++t.kills;
            else
                ++t.late;
            REQUIRE(eventually([&] { return cmdline_of(std::to_string(pid)).empty(); }));
            // Where the kill landed: runs claimed and not marked running
            // yet, running without their pid written (about to start or
            // started), running with it.
            const auto left = lines_of(
                sql(sb, "SELECT count(*) FILTER (WHERE status = 'queued'), count(*) FILTER (WHERE "
                        "status = 'running' AND pid IS NULL), count(*) FILTER (WHERE status = "
                        "'running' AND pid IS NOT NULL) FROM executions WHERE end_time IS NULL AND "
                        "supervisor_pid IS NOT NULL"));
            REQUIRE(left.size() == 1);
            auto fields = left[0];
            std::replace(fields.begin(), fields.end(), '|', ' ');
            const auto n = words_of(fields);
            REQUIRE(n.size() == 3);
            t.outcomes["runs it left claimed"] += std::stoi(n[0]);
            t.outcomes["runs it left running without a pid"] += std::stoi(n[1]);
            t.outcomes["runs it left running with their pid"] += std::stoi(n[2]);
            check_integrity(sb, t);

            std::ofstream(stop).put('\n');
            sb.env["SCHEDULE_NOW"] = instant(minute, 30);
            r = sb.run({"tick", "--wait", "-q"});
            INFO("the tick after it: " << r.out << r.err);
            CHECK(r.exit_code == 0);
            CHECK(wait_idle(sb));
            // What the tick recovered as lost was killed with its group.
            check_gone(digits, 5s, "minute " + instant(minute), t);
            wait_no_supervisor(sb);
            fs::remove(stop);
            check_integrity(sb, t);
            check_runs(sb, minute, names, true, t);
        }
        t.finish();
    }
}
