#include <schedule/model/notify.hpp>

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

std::optional<std::string> hook_command(const Job& job, const Settings& settings, HookKind kind) {
    const auto& [own, fallback] =
        kind == HookKind::failure ? std::pair{&job.on_failure, &settings.notify_on_failure}
        : kind == HookKind::retry ? std::pair{&job.on_retry, &settings.notify_on_retry}
                                  : std::pair{&job.on_success, &settings.notify_on_success};
    if (*own)
        return *own;
    if (job.notify)
        return *fallback;
    return std::nullopt;
}

} // namespace schedule::model
