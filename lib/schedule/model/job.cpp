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
    for (auto [v, n] : k_status_names)
        if (n == s)
            return v;
    return std::nullopt;
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
    if (s == "run")
        return DstGap::run;
    if (s == "skip")
        return DstGap::skip;
    return std::nullopt;
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
    for (auto o : {Overlap::skip, Overlap::queue, Overlap::allow, Overlap::replace})
        if (to_string(o) == s)
            return o;
    return std::nullopt;
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
    for (auto b : {Backoff::fixed, Backoff::linear, Backoff::exponential, Backoff::fibonacci})
        if (to_string(b) == s)
            return b;
    return std::nullopt;
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
    for (auto c : {Catchup::latest, Catchup::all, Catchup::none})
        if (to_string(c) == s)
            return c;
    return std::nullopt;
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
    if (s == "once")
        return DstOverlap::once;
    if (s == "twice")
        return DstOverlap::twice;
    return std::nullopt;
}

} // namespace schedule::model
