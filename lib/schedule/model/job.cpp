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
    if (type == TriggerType::cron || type == TriggerType::reboot)
        return expression;
    return std::nullopt;
}

} // namespace schedule::model
