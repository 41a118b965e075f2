#include <schedule/model/execution.hpp>

#include <array>
#include <utility>

namespace schedule::model {

namespace {
// The stored and displayed names are the enumerators' own (schedule(1),
// Execution object): the store and JSON round-trip through these tables.
constexpr std::array<std::pair<ExecutionStatus, std::string_view>, 9> k_status_names = {{
    {ExecutionStatus::queued, "queued"},
    {ExecutionStatus::waiting, "waiting"},
    {ExecutionStatus::running, "running"},
    {ExecutionStatus::completed, "completed"},
    {ExecutionStatus::failed, "failed"},
    {ExecutionStatus::timed_out, "timed_out"},
    {ExecutionStatus::cancelled, "cancelled"},
    {ExecutionStatus::skipped, "skipped"},
    {ExecutionStatus::lost, "lost"},
}};

constexpr std::array<std::pair<ExecutionTrigger, std::string_view>, 7> k_trigger_names = {{
    {ExecutionTrigger::schedule, "schedule"},
    {ExecutionTrigger::manual, "manual"},
    {ExecutionTrigger::retry, "retry"},
    {ExecutionTrigger::after, "after"},
    {ExecutionTrigger::dependency, "dependency"},
    {ExecutionTrigger::catchup, "catchup"},
    {ExecutionTrigger::reboot, "reboot"},
}};
} // namespace

std::string_view to_string(ExecutionStatus s) {
    for (auto [v, n] : k_status_names)
        if (v == s)
            return n;
    return "queued";
}

std::optional<ExecutionStatus> parse_execution_status(std::string_view s) {
    for (auto [v, n] : k_status_names)
        if (n == s)
            return v;
    return std::nullopt;
}

bool is_final(ExecutionStatus s) {
    switch (s) {
    case ExecutionStatus::completed:
    case ExecutionStatus::failed:
    case ExecutionStatus::timed_out:
    case ExecutionStatus::cancelled:
    case ExecutionStatus::skipped:
    case ExecutionStatus::lost:
        return true;
    case ExecutionStatus::queued:
    case ExecutionStatus::waiting:
    case ExecutionStatus::running:
        return false;
    }
    return false;
}

bool is_failure(ExecutionStatus s) {
    // Cancelled is the user's doing, not the job's: never a failure.
    return s == ExecutionStatus::failed || s == ExecutionStatus::timed_out ||
           s == ExecutionStatus::lost;
}

std::string_view to_string(ExecutionTrigger t) {
    for (auto [v, n] : k_trigger_names)
        if (v == t)
            return n;
    return "manual";
}

std::optional<ExecutionTrigger> parse_execution_trigger(std::string_view s) {
    for (auto [v, n] : k_trigger_names)
        if (n == s)
            return v;
    return std::nullopt;
}

bool counts_toward_limit(ExecutionTrigger t) {
    return t != ExecutionTrigger::manual && t != ExecutionTrigger::retry;
}

} // namespace schedule::model
