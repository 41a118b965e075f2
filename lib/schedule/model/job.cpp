#include <schedule/model/job.hpp>

#include <array>
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

std::optional<DstOverlap> parse_dst_overlap(std::string_view s) {
    if (s == "once")
        return DstOverlap::once;
    if (s == "twice")
        return DstOverlap::twice;
    return std::nullopt;
}

} // namespace schedule::model
