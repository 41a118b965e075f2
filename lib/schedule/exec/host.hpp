#pragma once
// What the service asks of the host besides running processes: which boot
// this is, whether a process still lives, ending an orphaned process
// group, the passwd database, and a steady clock to wait by. One interface,
// held by the service's context, so that a test can stand in for the host
// (a reboot, a supervisor that died, a user that vanished) without real
// processes, as ProcessRunner and Launcher stand in for spawning.

#include <schedule/exec/process.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace schedule::exec {

// A process, told apart from a later one that reuses its pid by its start
// time (clock ticks since boot, as /proc shows it).
struct ProcessId {
    std::int64_t pid = 0;
    std::int64_t start = 0;
};

class Host {
public:
    using SteadyTime = std::chrono::steady_clock::time_point;

    virtual ~Host() = default;

    // This boot's id, or "" when it cannot be read.
    virtual std::string boot_id() = 0;
    virtual std::string host_name() = 0;
    // This process.
    virtual ProcessId self() = 0;
    // Whether process `pid` exists and started at `start`.
    virtual bool process_alive(std::int64_t pid, std::int64_t start) = 0;
    // SIGKILL to group `pgid` if its leader is still the process that
    // started at `start`. Returns whether it was sent.
    virtual bool kill_group(std::int64_t pgid, std::int64_t start) = 0;
    // SIGKILL to every other process whose environment holds each of
    // `entries` (NAME=value), and to the group each of them leads: the
    // processes of a run whose pid was never recorded. Returns how many.
    virtual int kill_marked(const std::vector<std::string>& entries) = 0;
    // SIGTERM to that group, SIGKILL once `grace` has passed while its
    // leader lives; blocks up to `grace`. Returns whether it was there.
    virtual bool terminate_group(std::int64_t pgid, std::int64_t start,
                                 std::chrono::seconds grace) = 0;
    // Blocks until that process is gone (it need not be our child) or
    // `limit` has passed. Returns whether it is gone.
    virtual bool wait_gone(std::int64_t pid, std::int64_t start,
                           std::chrono::milliseconds limit) = 0;
    // The passwd entry of `name`, or nullopt when there is none.
    virtual std::optional<Identity> lookup_user(const std::string& name) = 0;
    // The effective user of this process.
    virtual Identity current_identity() = 0;
    // A clock that never goes back, for delays within one process.
    virtual SteadyTime steady_now() = 0;
    virtual void sleep_for(std::chrono::milliseconds d) = 0;
};

// The real host: /proc, signals, getpwnam_r, std::chrono::steady_clock.
// What cannot change while a process lives (boot id, host name, its own
// pid and start time, its effective user) is read once.
Host& system_host();

} // namespace schedule::exec
