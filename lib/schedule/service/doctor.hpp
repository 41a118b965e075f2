#pragma once
// `schedule doctor` (schedule(1), DOCTOR): whether this host will run the
// store's jobs, one check at a time, each with the fix for what it finds;
// and the warning `job list` and `queue` give when jobs are due and no
// tick has run for a while.

#include <schedule/service/context.hpp>
#include <schedule/time/instant.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

enum class CheckStatus { ok, warn, fail };
std::string_view to_string(CheckStatus s);

struct Check {
    std::string name; // "tick-driver", "last-tick", "store", "timezone", "handler",
                      // "run-as", "working-dir", "log-file"
    CheckStatus status = CheckStatus::ok;
    std::string message;
    std::optional<std::string> fix; // for warn and fail
};

struct DoctorReport {
    std::vector<Check> checks;
    bool failed() const; // any check failed
};

// What doctor looks at besides the store.
struct DoctorInputs {
    std::filesystem::path store; // where the store is (as located, not yet resolved)
    // The store opened for reading; null when opening it failed, and then
    // `open_error` says why (message, hint).
    Context* ctx = nullptr;
    std::optional<std::pair<std::string, std::string>> open_error;
    std::optional<std::string> tz;             // $TZ
    std::optional<std::string> xdg_state_home; // $XDG_STATE_HOME
    std::optional<std::string> home;           // $HOME
    time::Instant now{};                       // when ctx is null
};

// Every check, in the order the man page lists them: tick driver, last
// tick, store, time zone, handlers, run-as users, working directories,
// log.file. Looks at the host read-only (systemctl, crontabs, /proc);
// writes nothing.
DoctorReport doctor(const DoctorInputs& in);

// How long without a tick before `job list` and `queue` warn, and doctor
// fails the last tick while jobs are due.
inline constexpr time::Duration k_tick_stale_after = std::chrono::minutes(3);

// For `job list` and `queue`: a warning when an active job is due (its next
// run is before now) and no tick has run for this store in the last three
// minutes; nullopt otherwise. One indexed query and one stat.
std::optional<std::string> stale_tick_warning(Context& ctx);

// The store a tick service ticks, from `systemctl show -p ExecStart -p
// Environment` of it: the --store of its ExecStart's `schedule ... tick`,
// else a SCHEDULE_STORE in its Environment, else `fallback` (the default
// store of the manager's user).
std::filesystem::path store_of_tick_service(std::string_view show,
                                            const std::filesystem::path& fallback);

} // namespace schedule::service
