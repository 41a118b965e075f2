#pragma once
// Helpers for CLI suites that watch other processes: reading /proc, waiting
// for something to happen, and markers that make a job's processes easy to
// find. For waiting only, never for asserting how long something took.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/types.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace schedule::test {

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
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

// "PID: command line" for each pid, one per line (for failure messages).
inline std::string describe(const std::vector<pid_t>& pids) {
    std::string out;
    for (auto pid : pids)
        out += std::to_string(pid) + ": " + cmdline_of(std::to_string(pid)) + "\n";
    return out;
}

} // namespace schedule::test
