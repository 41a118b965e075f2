#pragma once
// Notification hooks (schedule(1), NOTIFICATIONS): which hook the end of a
// run calls for, the command it runs, and a hook waiting to be sent. Pure.

#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/model/settings.hpp>
#include <schedule/time/instant.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedule::model {

// The kinds of hook, as --on-failure, --on-retry and --on-success name
// them; their text (failure, retry, success) is the `hook` of the
// notify.* events and SCHEDULE_HOOK.
enum class HookKind { failure, retry, success };
inline constexpr std::array k_hook_kinds{HookKind::failure, HookKind::retry, HookKind::success};
std::string_view to_string(HookKind k);
std::optional<HookKind> parse_hook_kind(std::string_view s);

// The hook that the end of a run in `status` calls for: success when it
// completed; for a failure (failed, timed_out, lost) retry when a retry
// was queued for it, else failure (no attempt left, a failure that
// --retry-on does not name, or a retry recorded skipped at once); none for
// a cancelled run, a skip record or a run that has not ended.
std::optional<HookKind> hook_for(ExecutionStatus status, bool retry_queued);

// The job's own hook of `kind` (on_failure, on_retry, on_success).
const std::optional<std::string>& own_hook(const Job& job, HookKind kind);
std::optional<std::string>& own_hook(Job& job, HookKind kind);

// The command that runs for a hook of `kind` of `job`: the job's own,
// else the store's default in `settings` unless the job has notify off;
// nullopt when there is none.
std::optional<std::string> hook_command(const Job& job, const Settings& settings, HookKind kind);

// A hook to send, decided in the transaction that records its run's end
// and owned by the process that sends it (its pid and start time in clock
// ticks since boot): only that process sends it, once, so no hook is sent
// twice, not even when its sender dies while the hook runs.
struct Notification {
    std::int64_t execution_id = 0;
    HookKind kind = HookKind::failure;
    std::string command;
    std::int64_t sender_pid = 0;
    std::int64_t sender_start = 0;
    time::Instant created_at{};
    friend bool operator==(const Notification&, const Notification&) = default;
};

} // namespace schedule::model
