#pragma once
// Handing executions to a detached supervisor (SPEC §7 step 7).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace schedule::exec {

class Launcher {
public:
    virtual ~Launcher() = default;
    // Starts something that supervises these executions and returns without
    // waiting for them. Throws util::RuntimeFailure when it cannot.
    virtual void launch(const std::vector<std::int64_t>& execution_ids) = 0;
};

// Starts `EXE __supervise --store STORE ID...` as a daemon: its own
// session, not a child of this process, stdin and stdout on /dev/null,
// stderr kept only when it is the journal ($JOURNAL_STREAM, SPEC §14).
// With `now` (SCHEDULE_NOW in force), the supervisor gets SCHEDULE_NOW=now
// so its clock continues this process's.
class SupervisorLauncher final : public Launcher {
public:
    SupervisorLauncher(std::string store_path, std::optional<std::string> now);
    void launch(const std::vector<std::int64_t>& execution_ids) override;

private:
    std::string m_store_path;
    std::optional<std::string> m_now;
};

} // namespace schedule::exec
