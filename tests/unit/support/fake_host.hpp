#pragma once
// A host for the service tests: which boot this is, which processes live,
// which users exist and what the steady clock says are fields the test
// sets; group kills are recorded (and end the group's leader) instead of
// sent. No real process is looked at or signalled.

#include <schedule/exec/host.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace schedule::test {

class FakeHost final : public exec::Host {
public:
    using Process = std::pair<std::int64_t, std::int64_t>; // pid, start time

    std::string boot = "boot-1";
    std::string name = "testhost";
    exec::ProcessId me{4000, 7000};
    std::set<Process> alive; // besides `me`
    std::map<std::string, exec::Identity> users{{"tester", {"tester", 1000, 1000, "/"}},
                                                {"root", {"root", 0, 0, "/root"}}};
    std::string current = "tester";
    SteadyTime steady{};
    std::vector<Process> killed;     // kill_group calls for groups that were there
    std::vector<Process> terminated; // terminate_group calls for groups that were there
    std::vector<std::vector<std::string>> marked; // kill_marked calls

    std::string boot_id() override { return boot; }
    std::string host_name() override { return name; }
    exec::ProcessId self() override { return me; }
    bool process_alive(std::int64_t pid, std::int64_t start) override {
        return (pid == me.pid && start == me.start) || alive.count({pid, start}) > 0;
    }
    bool kill_group(std::int64_t pgid, std::int64_t start) override {
        if (!alive.erase({pgid, start}))
            return false;
        killed.emplace_back(pgid, start);
        return true;
    }
    int kill_marked(const std::vector<std::string>& entries) override {
        marked.push_back(entries);
        return 0;
    }
    bool terminate_group(std::int64_t pgid, std::int64_t start,
                         std::chrono::seconds grace) override {
        if (!alive.erase({pgid, start}))
            return false;
        terminated.emplace_back(pgid, start);
        steady += grace / 10; // it went at SIGTERM, well within its grace
        return true;
    }
    bool wait_gone(std::int64_t pid, std::int64_t start, std::chrono::milliseconds limit) override {
        if (process_alive(pid, start)) {
            steady += limit;
            return false;
        }
        return true;
    }
    std::optional<exec::Identity> lookup_user(const std::string& user) override {
        auto it = users.find(user);
        if (it == users.end())
            return std::nullopt;
        return it->second;
    }
    exec::Identity current_identity() override { return users.at(current); }
    SteadyTime steady_now() override { return steady; }
    void sleep_for(std::chrono::milliseconds d) override { steady += d; }
};

} // namespace schedule::test
