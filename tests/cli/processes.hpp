#pragma once
// Helpers for CLI suites that watch other processes: reading /proc, waiting
// for something to happen, and markers that make a job's processes easy to
// find. For waiting only, never for asserting how long something took.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace schedule::test {

// The whole file at `p`; what could be read when it vanishes or fails
// midway (a /proc file of a process that exits while it is read), empty
// when it cannot be opened. Plain read(2): iostreams throw on such errors.
inline std::string read_bytes(const std::filesystem::path& p) {
    std::string out;
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0)
            out.append(buf, static_cast<std::size_t>(n));
        else if (!(n < 0 && errno == EINTR))
            break;
    }
    ::close(fd);
    return out;
}

// Calls `done` every 50 ms until it returns true or `limit` has passed;
// returns its last answer.
template <class Pred>
bool eventually(Pred done, std::chrono::seconds limit = std::chrono::seconds(60)) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        if (done())
            return true;
        if (std::chrono::steady_clock::now() > deadline)
            return done();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

// A number for `sleep` that no other process on the host has in its command
// line: fixed width, so that no marker is a prefix of another.
inline std::string unique_marker() {
    static int counter = 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "1000.%07d%03d", int(::getpid()) % 10000000, ++counter % 1000);
    return buf;
}

// The command line of process `pid` with NULs turned into spaces; empty for
// a zombie or a process that is gone.
inline std::string cmdline_of(const std::string& pid) {
    std::string s = read_bytes("/proc/" + pid + "/cmdline");
    std::replace(s.begin(), s.end(), '\0', ' ');
    return s;
}

// Pids of live processes other than this one whose command line contains
// `needle`.
inline std::vector<pid_t> processes_with(const std::string& needle) {
    std::vector<pid_t> out;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        auto name = entry.path().filename().string();
        if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit))
            continue;
        pid_t pid = pid_t(std::stol(name));
        if (pid == ::getpid())
            continue;
        if (cmdline_of(name).find(needle) != std::string::npos)
            out.push_back(pid);
    }
    return out;
}

// Waits up to `limit` for every process whose command line holds `needle`
// to be gone; returns those still there (empty once all have gone).
inline std::vector<pid_t> left_after(const std::string& needle, std::chrono::seconds limit) {
    std::vector<pid_t> left;
    eventually(
        [&] {
            left = processes_with(needle);
            return left.empty();
        },
        limit);
    return left;
}

// The parent pid of `pid` from /proc, or -1 when it is gone.
inline pid_t parent_of(pid_t pid) {
    std::string status = read_bytes("/proc/" + std::to_string(pid) + "/status");
    auto at = status.find("\nPPid:");
    if (at == std::string::npos)
        return -1;
    return pid_t(std::stol(status.substr(at + 6)));
}

// The `schedule __supervise` processes of the store at `store`. A child that
// a supervisor has forked for a run shows the supervisor's command line
// until it executes the job, so processes whose parent is one of them are
// left out.
inline std::vector<pid_t> supervisors_of(const std::filesystem::path& store) {
    std::vector<pid_t> all;
    for (pid_t p : processes_with("__supervise"))
        if (cmdline_of(std::to_string(p)).find(store.string()) != std::string::npos)
            all.push_back(p);
    std::vector<pid_t> out;
    for (pid_t p : all)
        if (std::find(all.begin(), all.end(), parent_of(p)) == all.end())
            out.push_back(p);
    return out;
}

// How many running executions of the sandbox's store have their job's pid
// written (a supervisor writes it shortly after the start; recovery can
// only kill an orphaned job whose pid it knows).
inline int running_with_pid(const Sandbox& sb) {
    auto r = sb.run_program({"sqlite3", sb.store().string(),
                             "SELECT count(*) FROM executions WHERE status = 'running'"
                             " AND pid IS NOT NULL"});
    return r.exit_code == 0 && !r.out.empty() ? std::stoi(r.out) : -1;
}

// At scope exit, SIGKILLs every process whose command line holds one of the
// needles (markers of this test, its sandbox path), so that a failing test
// leaves nothing running.
struct KillLeftovers {
    std::vector<std::string> needles;
    ~KillLeftovers() {
        for (const auto& n : needles)
            for (pid_t pid : processes_with(n))
                ::kill(pid, SIGKILL);
    }
};

// "PID: command line" for each pid, one per line (for failure messages).
inline std::string describe(const std::vector<pid_t>& pids) {
    std::string out;
    for (auto pid : pids)
        out += std::to_string(pid) + ": " + cmdline_of(std::to_string(pid)) + "\n";
    return out;
}

enum class Session { same, own };

// `schedule ARGS...` with the sandbox's environment as execve arguments,
// built before a fork so that the child only calls run().
class Exec {
public:
    Exec(const Sandbox& sb, const Args& args) {
        m_argv.push_back(binary());
        m_argv.insert(m_argv.end(), args.begin(), args.end());
        for (const auto& [k, v] : sb.env)
            if (v)
                m_env.push_back(k + "=" + *v);
        for (auto& a : m_argv)
            m_c_argv.push_back(a.data());
        m_c_argv.push_back(nullptr);
        for (auto& e : m_env)
            m_c_env.push_back(e.data());
        m_c_env.push_back(nullptr);
    }
    // In a forked child: stdin from /dev/null, stdout and stderr to the
    // files, SIGPIPE and SIGINT at their defaults, then execve.
    [[noreturn]] void run_redirected(const std::filesystem::path& out,
                                     const std::filesystem::path& err) {
        int in = ::open("/dev/null", O_RDONLY);
        int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || o < 0 || e < 0)
            ::_exit(126);
        ::dup2(in, 0);
        ::dup2(o, 1);
        ::dup2(e, 2);
        ::signal(SIGPIPE, SIG_DFL);
        ::signal(SIGINT, SIG_DFL);
        ::execve(m_c_argv[0], m_c_argv.data(), m_c_env.data());
        ::_exit(127);
    }

private:
    std::vector<std::string> m_argv, m_env;
    std::vector<char*> m_c_argv, m_c_env;
};

// `schedule ARGS...` started by the test with the sandbox's environment,
// stdin from /dev/null and stdout and stderr going to files (so that no
// process that keeps them open can block the test), optionally in its own
// session.
class Child {
public:
    Child(const Sandbox& sb, const Args& args, std::filesystem::path out, std::filesystem::path err,
          Session session = Session::same)
        : m_out(std::move(out)), m_err(std::move(err)) {
        Exec exec(sb, args);
        m_pid = ::fork();
        REQUIRE(m_pid >= 0);
        if (m_pid == 0) {
            if (session == Session::own)
                ::setsid();
            exec.run_redirected(m_out, m_err);
        }
    }
    ~Child() {
        if (m_pid > 0 && !m_code) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
        }
    }
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    pid_t pid() const { return m_pid; }

    // Waits up to `limit` for the process to end; its exit code (128+N for
    // signal N), or nullopt while it still runs.
    std::optional<int> wait(std::chrono::seconds limit = std::chrono::seconds(60)) {
        eventually(
            [&] {
                int status = 0;
                if (!m_code && ::waitpid(m_pid, &status, WNOHANG) == m_pid)
                    m_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
                return m_code.has_value();
            },
            limit);
        return m_code;
    }

    bool ended() { return wait(std::chrono::seconds(0)).has_value(); }

    std::string out() const { return read_bytes(m_out); }
    std::string err() const { return read_bytes(m_err); }

private:
    std::filesystem::path m_out, m_err;
    pid_t m_pid = -1;
    std::optional<int> m_code;
};

} // namespace schedule::test
