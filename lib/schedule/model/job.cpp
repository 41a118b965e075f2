#include <schedule/model/job.hpp>

#include <array>
#include <string>
#include <utility>

namespace schedule::model {

namespace {
constexpr std::array<std::pair<TriggerType, std::string_view>, 9> k_trigger_names = {{
    {TriggerType::manual, "manual"},
    {TriggerType::cron, "cron"},
    {TriggerType::every, "every"},
    {TriggerType::daily, "daily"},
    {TriggerType::weekly, "weekly"},
    {TriggerType::monthly, "monthly"},
    {TriggerType::at, "at"},
    {TriggerType::after, "after"},
    {TriggerType::reboot, "reboot"},
}};

constexpr std::array<std::pair<JobStatus, std::string_view>, 3> k_status_names = {{
    {JobStatus::active, "active"},
    {JobStatus::paused, "paused"},
    {JobStatus::finished, "finished"},
}};

// The value of `values` whose name is `s`.
template <class E, std::size_t N>
std::optional<E> named_value(const std::array<E, N>& values, std::string_view s) {
    for (auto v : values)
        if (to_string(v) == s)
            return v;
    return std::nullopt;
}
} // namespace

std::string_view to_string(TriggerType t) {
    for (auto [v, n] : k_trigger_names)
        if (v == t)
            return n;
    return "manual";
}

std::optional<TriggerType> parse_trigger_type(std::string_view s) {
    for (auto [v, n] : k_trigger_names)
        if (n == s)
            return v;
    return std::nullopt;
}

std::string_view to_string(JobStatus s) {
    for (auto [v, n] : k_status_names)
        if (v == s)
            return n;
    return "active";
}

std::optional<JobStatus> parse_job_status(std::string_view s) {
    return named_value(k_job_statuses, s);
}

std::optional<std::string> Trigger::cron_expression() const {
    switch (type) {
    case TriggerType::cron:
    case TriggerType::reboot:
    case TriggerType::daily:
    case TriggerType::weekly:
    case TriggerType::monthly:
        return expression;
    default:
        return std::nullopt;
    }
}

std::string_view to_string(DstGap g) {
    return g == DstGap::run ? "run" : "skip";
}
std::string_view to_string(DstOverlap o) {
    return o == DstOverlap::once ? "once" : "twice";
}

std::optional<DstGap> parse_dst_gap(std::string_view s) {
    return named_value(k_dst_gaps, s);
}

std::string_view to_string(Overlap o) {
    switch (o) {
    case Overlap::skip:
        return "skip";
    case Overlap::queue:
        return "queue";
    case Overlap::allow:
        return "allow";
    case Overlap::replace:
        return "replace";
    }
    return "skip";
}

std::optional<Overlap> parse_overlap(std::string_view s) {
    return named_value(k_overlaps, s);
}

std::string_view to_string(Backoff b) {
    switch (b) {
    case Backoff::fixed:
        return "fixed";
    case Backoff::linear:
        return "linear";
    case Backoff::exponential:
        return "exponential";
    case Backoff::fibonacci:
        return "fibonacci";
    }
    return "exponential";
}

std::optional<Backoff> parse_backoff(std::string_view s) {
    return named_value(k_backoffs, s);
}

std::string_view to_string(Catchup c) {
    switch (c) {
    case Catchup::latest:
        return "latest";
    case Catchup::all:
        return "all";
    case Catchup::none:
        return "none";
    }
    return "latest";
}

std::optional<Catchup> parse_catchup(std::string_view s) {
    return named_value(k_catchups, s);
}

std::string_view to_string(EndState s) {
    switch (s) {
    case EndState::completed:
        return "completed";
    case EndState::failed:
        return "failed";
    case EndState::any:
        return "any";
    }
    return "any";
}

std::optional<EndState> parse_end_state(std::string_view s) {
    return named_value(k_end_states, s);
}

std::string_view to_string(OutsideWindow o) {
    return o == OutsideWindow::skip ? "skip" : "wait";
}

std::optional<OutsideWindow> parse_outside_window(std::string_view s) {
    return named_value(k_outside_windows, s);
}

std::string to_string(const RetryOn& r) {
    switch (r.kind) {
    case RetryOn::Kind::timeout:
        return "timeout";
    case RetryOn::Kind::lost:
        return "lost";
    case RetryOn::Kind::signal:
        return "signal";
    case RetryOn::Kind::exit:
        return "exit:" + std::to_string(r.code);
    }
    return "timeout";
}

std::optional<RetryOn> parse_retry_on_item(std::string_view s) {
    if (s == "timeout")
        return RetryOn{RetryOn::Kind::timeout, 0};
    if (s == "lost")
        return RetryOn{RetryOn::Kind::lost, 0};
    if (s == "signal")
        return RetryOn{RetryOn::Kind::signal, 0};
    if (!s.starts_with("exit:"))
        return std::nullopt;
    auto digits = s.substr(5);
    if (digits.empty() || digits.size() > 3 ||
        digits.find_first_not_of("0123456789") != digits.npos)
        return std::nullopt;
    int code = std::stoi(std::string(digits));
    if (code < 1 || code > 255)
        return std::nullopt;
    return RetryOn{RetryOn::Kind::exit, code};
}

std::string retry_on_text(const std::vector<RetryOn>& list) {
    std::string out;
    for (const auto& r : list)
        out += (out.empty() ? "" : ",") + to_string(r);
    return out;
}

std::optional<DstOverlap> parse_dst_overlap(std::string_view s) {
    return named_value(k_dst_overlaps, s);
}

} // namespace schedule::model
