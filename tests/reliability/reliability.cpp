#include "reliability.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace schedule::test::reliability {

namespace fs = std::filesystem;
using nlohmann::json;
using Steady = std::chrono::steady_clock;

std::uint64_t seed() {
    static const std::uint64_t value = [] {
        if (const char* s = std::getenv("SCHEDULE_CRASH_SEED"); s && *s)
            return std::uint64_t(std::strtoull(s, nullptr, 10));
        std::random_device rd;
        return std::uint64_t((std::uint64_t(rd()) << 32 | rd()) % 1'000'000'000'000ULL);
    }();
    return value;
}

std::string seed_line(const std::string& suite, std::uint64_t s) {
    return suite + ": seed " + std::to_string(s) +
           " (replay: SCHEDULE_CRASH_SEED=" + std::to_string(s) +
           " ctest --test-dir build -L reliability -R '" + suite + "')";
}

double Rng::unit() {
    return double(m_gen() >> 11) * 0x1.0p-53;
}

int Rng::below(int n) {
    return int(unit() * n);
}

std::chrono::microseconds Rng::delay(std::chrono::microseconds limit) {
    const double top = double(std::max<std::int64_t>(limit.count(), 40));
    const bool log_uniform = unit() < 0.5;
    const double u = unit();
    const double us = log_uniform ? 20.0 * std::pow(top / 20.0, u) : u * top;
    return std::chrono::microseconds(std::int64_t(us));
}

namespace {

int decode(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Forks `schedule ARGS...` with output to two files of the sandbox.
pid_t start(const Sandbox& sb, const Args& args, const fs::path& out, const fs::path& err) {
    Exec exec(sb, args);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0)
        exec.run_redirected(out, err);
    return pid;
}

} // namespace

Shot shoot(const Sandbox& sb, const Args& args, std::chrono::microseconds delay) {
    const auto out = sb.dir() / "shot.out", err = sb.dir() / "shot.err";
    Shot shot;
    shot.delay = delay;
    const pid_t pid = start(sb, args, out, err);
    const auto at = Steady::now() + delay;
    if (delay < std::chrono::microseconds(300))
        while (Steady::now() < at) {
        }
    else
        std::this_thread::sleep_until(at);
    ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    shot.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    shot.code = decode(status);
    shot.out = read_bytes(out);
    shot.err = read_bytes(err);
    return shot;
}

std::chrono::microseconds kill_window(const Sandbox& sb, const Args& args) {
    const auto begin = Steady::now();
    const pid_t pid = start(sb, args, sb.dir() / "timed.out", sb.dir() / "timed.err");
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - begin);
    INFO("schedule " << json(args).dump() << " stderr: " << read_bytes(sb.dir() / "timed.err"));
    REQUIRE(decode(status) == 0);
    return 2 * took;
}

std::string sql(const Sandbox& sb, const std::string& statements) {
    // A reader may find the store busy for a moment (a writer checkpointing
    // or the WAL index being rebuilt after a kill): wait as schedule does.
    auto r = sb.run_program(
        {"sqlite3", "-batch", "-cmd", ".timeout 60000", sb.store().string(), statements});
    INFO("sqlite3: " << statements << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

std::string integrity(const Sandbox& sb) {
    auto out = sql(sb, "PRAGMA integrity_check");
    return out.substr(0, out.find('\n'));
}

long long count(const Sandbox& sb, const std::string& select) {
    auto out = sql(sb, select);
    INFO(select << " printed " << out);
    REQUIRE(!out.empty());
    return std::stoll(out);
}

std::string sql_text(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

json definition(json job) {
    for (const char* key : {"job_id", "name", "created_at", "updated_at"})
        job.erase(key);
    return job;
}

std::map<std::string, json> job_definitions(const Sandbox& sb) {
    std::map<std::string, json> out;
    for (auto& j : sb.json({"job", "list"}))
        out[j["name"].get<std::string>()] = definition(j);
    return out;
}

std::string first_difference(const json& a, const json& b) {
    if (a == b)
        return "";
    if (a.is_object() && b.is_object()) {
        for (const auto& [k, v] : a.items())
            if (!b.contains(k) || b[k] != v)
                return k + ": " + v.dump() + " vs " + (b.contains(k) ? b[k].dump() : "absent");
        for (const auto& [k, v] : b.items())
            if (!a.contains(k))
                return k + ": absent vs " + v.dump();
    }
    return a.dump() + " vs " + b.dump();
}

bool wait_idle(const Sandbox& sb, std::chrono::seconds limit) {
    return eventually(
        [&] { return count(sb, "SELECT count(*) FROM executions WHERE end_time IS NULL") == 0; },
        limit);
}

std::string instant(int minute, int second) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "2026-01-15T%02d:%02d:%02dZ", minute / 60 % 24, minute % 60,
                  second);
    return buf;
}

std::map<long long, int> side_lines(const fs::path& file) {
    std::map<long long, int> out;
    std::istringstream in(read_bytes(file));
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            ++out[std::stoll(line)];
    return out;
}

} // namespace schedule::test::reliability
