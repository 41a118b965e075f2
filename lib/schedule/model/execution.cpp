#include <schedule/model/execution.hpp>

#include <array>
#include <type_traits>
#include <utility>
#include <variant>

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

// Reasons: one table each, the texts of schedule(1) (Execution object,
// queue).
constexpr std::array<std::pair<SkipReason, std::string_view>, 8> k_skip_names = {{
    {SkipReason::overlap, "overlap"},
    {SkipReason::window, "window"},
    {SkipReason::dependency, "dependency"},
    {SkipReason::deadline, "deadline"},
    {SkipReason::max_executions, "max_executions"},
    {SkipReason::superseded, "superseded"},
    {SkipReason::coalesced, "coalesced"},
    {SkipReason::paused, "paused"},
}};

constexpr std::array<std::pair<WaitReason, std::string_view>, 9> k_wait_names = {{
    {WaitReason::slot, "slot"},
    {WaitReason::overlap, "overlap"},
    {WaitReason::catchup, "catchup"},
    {WaitReason::retry, "retry"},
    {WaitReason::window, "window"},
    {WaitReason::dependency, "dependency"},
    {WaitReason::conflict, "conflict"},
    {WaitReason::tick, "tick"},
    {WaitReason::lost, "lost"},
}};

constexpr std::array<std::pair<CancelReason, std::string_view>, 3> k_cancel_names = {{
    {CancelReason::signal, "signal"},
    {CancelReason::replaced, "replaced"},
    {CancelReason::deleted, "deleted"},
}};

// A cancel reason's text for a signal: "signal TERM".
constexpr std::string_view k_signal_prefix = "signal ";

template <class T, std::size_t N>
std::string_view name_in(const std::array<std::pair<T, std::string_view>, N>& table, T v) {
    for (auto [value, name] : table)
        if (value == v)
            return name;
    return table.front().second;
}

template <class T, std::size_t N>
std::optional<T> value_in(const std::array<std::pair<T, std::string_view>, N>& table,
                          std::string_view s) {
    for (auto [value, name] : table)
        if (name == s)
            return value;
    return std::nullopt;
}
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

std::string_view to_string(SkipReason r) {
    return name_in(k_skip_names, r);
}

std::optional<SkipReason> parse_skip_reason(std::string_view s) {
    return value_in(k_skip_names, s);
}

std::string_view to_string(WaitReason r) {
    return name_in(k_wait_names, r);
}

std::optional<WaitReason> parse_wait_reason(std::string_view s) {
    return value_in(k_wait_names, s);
}

std::string_view to_string(CancelReason r) {
    return name_in(k_cancel_names, r);
}

std::optional<CancelReason> parse_cancel_reason(std::string_view s) {
    if (s.substr(0, k_signal_prefix.size()) == k_signal_prefix)
        return CancelReason::signal;
    auto r = value_in(k_cancel_names, s);
    return r == CancelReason::signal ? std::nullopt : r; // "signal" alone names no signal
}

Reason Reason::signal(std::string name) {
    Reason r(CancelReason::signal);
    r.m_signal = std::move(name);
    return r;
}

Reason Reason::parse(ExecutionStatus status, std::string_view text) {
    switch (status) {
    case ExecutionStatus::skipped:
        if (auto r = parse_skip_reason(text))
            return *r;
        break;
    case ExecutionStatus::queued:
    case ExecutionStatus::waiting:
        if (auto r = parse_wait_reason(text))
            return *r;
        break;
    case ExecutionStatus::cancelled:
        if (auto r = parse_cancel_reason(text))
            return *r == CancelReason::signal
                       ? signal(std::string(text.substr(k_signal_prefix.size())))
                       : Reason(*r);
        break;
    default:
        break;
    }
    return Reason(std::string(text));
}

std::optional<SkipReason> Reason::skip() const {
    if (const auto* r = std::get_if<SkipReason>(&m_value))
        return *r;
    return std::nullopt;
}

std::optional<WaitReason> Reason::wait() const {
    if (const auto* r = std::get_if<WaitReason>(&m_value))
        return *r;
    return std::nullopt;
}

std::optional<CancelReason> Reason::cancel() const {
    if (const auto* r = std::get_if<CancelReason>(&m_value))
        return *r;
    return std::nullopt;
}

std::string Reason::text() const {
    if (const auto* text = std::get_if<std::string>(&m_value))
        return *text;
    if (cancel() == CancelReason::signal)
        return std::string(k_signal_prefix) + m_signal;
    return std::visit(
        [](const auto& v) -> std::string {
            if constexpr (std::is_same_v<std::decay_t<decltype(v)>, std::string>)
                return v;
            else
                return std::string(to_string(v));
        },
        m_value);
}

std::optional<std::string> reason_text(const Execution& e) {
    if (e.reason)
        return e.reason->text();
    if (e.replace_requested)
        return std::string(to_string(CancelReason::replaced));
    return std::nullopt;
}

void set_reason_text(Execution& e, const std::optional<std::string>& text) {
    e.reason.reset();
    e.replace_requested = false;
    if (!text)
        return;
    // "replaced" on a run that is not (yet) recorded cancelled is the
    // request of a newer run that it stop.
    if (e.status != ExecutionStatus::cancelled && *text == to_string(CancelReason::replaced)) {
        e.replace_requested = true;
        return;
    }
    e.reason = Reason::parse(e.status, *text);
}

bool is_replaced(const Execution& e) {
    return e.replace_requested || (e.reason && e.reason->cancel() == CancelReason::replaced);
}

} // namespace schedule::model
