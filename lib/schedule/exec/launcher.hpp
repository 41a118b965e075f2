#pragma once
// Handing executions to a detached supervisor (ARCHITECTURE.md, The tick).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace schedule::exec {

// Who a supervisor is: its pid and process start time (so a later process
// that reuses the pid is not mistaken for it).
struct SupervisorId {
    std::int64_t pid = 0;
    std::int64_t start = 0;
};

// The protocol: start() a supervisor, which waits; mark the runs it should
// take with its id in the claim transaction; commit; release(). The
// supervisor then takes the queued runs marked with its id. A claim never
// names a supervisor that does not exist yet, so a run is never orphaned
// between the claim and the supervisor taking it; if this process dies
// before release(), the supervisor is released by its death all the same.
class Launcher {
public:
    virtual ~Launcher() = default;
    // Starts a supervisor that waits for release(). Throws
    // util::RuntimeFailure when it cannot.
    virtual SupervisorId start() = 0;
    // Lets the supervisor started last go. Does nothing without one.
    virtual void release() = 0;
};

// Starts `EXE __supervise --store STORE` as a daemon: its own session, not
// a child of this process, stdin a pipe that release() closes, stdout on
// /dev/null, stderr kept only when $JOURNAL_STREAM says it is the journal.
// With `now` (SCHEDULE_NOW in force), the supervisor gets
// SCHEDULE_NOW=now so its clock continues this process's.
class SupervisorLauncher final : public Launcher {
public:
    SupervisorLauncher(std::string store_path, std::optional<std::string> now);
    ~SupervisorLauncher() override;
    SupervisorLauncher(const SupervisorLauncher&) = delete;
    SupervisorLauncher& operator=(const SupervisorLauncher&) = delete;
    SupervisorId start() override;
    void release() override;

private:
    std::string m_store_path;
    std::optional<std::string> m_now;
    int m_go = -1; // the write end of the supervisor's stdin
};

} // namespace schedule::exec
