#pragma once
// Shared by the crash and concurrency suites (tests/reliability/): the seed
// of a run, random delays, starting `schedule` and SIGKILLing it at a
// chosen moment, reading the store with sqlite3, and the checks made after
// each kill. They drive the built binary, like the CLI suites, whose
// harness (tests/cli/harness.hpp, processes.hpp) they use.

#include "harness.hpp"
#include "processes.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace schedule::test::reliability {

// The seed of this run: SCHEDULE_CRASH_SEED when it is set (to replay a run
// that failed), else a fresh one. Each case prints it first.
std::uint64_t seed();

// The text each case prints first: the seed and how to replay it.
std::string seed_line(const std::string& suite, std::uint64_t seed);

// A pseudo-random generator whose draws depend on the seed alone (no
// library distribution, so that a seed replays the same delays anywhere).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_gen(seed) {}
    // In [0, 1).
    double unit();
    // In [0, n).
    int below(int n);
    // A delay in [0, limit]: half of them log-uniform from 20 µs (the
    // process is still starting, reading, or just beginning to write),
    // half uniform over the whole span, so that kills land at every stage.
    std::chrono::microseconds delay(std::chrono::microseconds limit);

private:
    std::mt19937_64 m_gen;
};

// One `schedule` process that was SIGKILLed after `delay`, or that ended
// before the kill came.
struct Shot {
    std::chrono::microseconds delay{};
    bool killed = false; // the kill found it still running
    int code = -1;       // its exit code (128+N for signal N)
    std::string out, err;
};

// Starts `schedule ARGS...` with the sandbox's environment (stdin from
// /dev/null, stdout and stderr to files in the sandbox) and SIGKILLs it
// `delay` after the fork (busy-waiting for delays under 300 µs).
Shot shoot(const Sandbox& sb, const Args& args, std::chrono::microseconds delay);

// Where kills of `schedule ARGS...` are drawn: twice the time it takes
// when nothing stops it (which this runs, requiring exit 0), so that they
// land all over its life and some after its end. Never for an assertion.
std::chrono::microseconds kill_window(const Sandbox& sb, const Args& args);

// `sqlite3 -batch STORE SQL`: the output; requires exit 0.
std::string sql(const Sandbox& sb, const std::string& statements);

// The first line of `PRAGMA integrity_check` ("ok" for a sound store).
std::string integrity(const Sandbox& sb);

// The number in the output of a `SELECT count(*) ...`.
long long count(const Sandbox& sb, const std::string& select);

// A single-quoted SQL string literal.
std::string sql_text(const std::string& s);

// A job object (of `job show`, `job list` or a backup) without what depends
// on when, where or by which command it was written: its id, name and
// timestamps. What remains is the definition, its status and counters.
nlohmann::json definition(nlohmann::json job);

// `job list --format json` as a name -> definition() map.
std::map<std::string, nlohmann::json> job_definitions(const Sandbox& sb);

// The first key where two JSON objects differ, with both values (for
// failure messages; empty when they are equal).
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b);

// Waits until no execution of the store is queued or running.
bool wait_idle(const Sandbox& sb, std::chrono::seconds limit = std::chrono::seconds(120));

// "2026-01-15T10:07:30Z": minute `minute` of the day 2026-01-15, second
// `second` of it.
std::string instant(int minute, int second = 0);

// Lines of a side file that a job's command appends to: its first word
// (the execution id) -> how many lines carry it.
std::map<long long, int> side_lines(const std::filesystem::path& file);

} // namespace schedule::test::reliability
