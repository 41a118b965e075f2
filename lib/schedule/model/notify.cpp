#include <schedule/model/notify.hpp>

#include <utility>

namespace schedule::model {

std::string_view to_string(HookKind k) {
    switch (k) {
    case HookKind::failure:
        return "failure";
    case HookKind::retry:
        return "retry";
    case HookKind::success:
        return "success";
    }
    return "failure";
}

std::optional<HookKind> parse_hook_kind(std::string_view s) {
    for (auto k : k_hook_kinds)
        if (to_string(k) == s)
            return k;
    return std::nullopt;
}

std::optional<HookKind> hook_for(ExecutionStatus status, bool retry_queued) {
    if (status == ExecutionStatus::completed)
        return HookKind::success;
    if (is_failure(status))
        return retry_queued ? HookKind::retry : HookKind::failure;
    return std::nullopt;
}

const std::optional<std::string>& own_hook(const Job& job, HookKind kind) {
    return kind == HookKind::failure ? job.on_failure
           : kind == HookKind::retry ? job.on_retry
                                     : job.on_success;
}

std::optional<std::string>& own_hook(Job& job, HookKind kind) {
    return const_cast<std::optional<std::string>&>(own_hook(std::as_const(job), kind));
}

std::optional<std::string> hook_command(const Job& job, const Settings& settings, HookKind kind) {
    if (const auto& own = own_hook(job, kind))
        return own;
    if (!job.notify)
        return std::nullopt;
    return kind == HookKind::failure ? settings.notify_on_failure
           : kind == HookKind::retry ? settings.notify_on_retry
                                     : settings.notify_on_success;
}

} // namespace schedule::model
