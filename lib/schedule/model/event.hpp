#pragma once
// An entry of the audit log (schedule(1), STORE). Every write path appends
// one inside the transaction that makes the change it records.

#include <schedule/time/instant.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace schedule::model {

// Event types; the string values are the interface (`events --format json`).
namespace event_type {
inline constexpr const char* job_created = "job.created";
inline constexpr const char* job_updated = "job.updated";
inline constexpr const char* job_deleted = "job.deleted";
inline constexpr const char* job_paused = "job.paused";
inline constexpr const char* job_resumed = "job.resumed";
inline constexpr const char* config_changed = "config.changed";
inline constexpr const char* config_restored = "config.restored";
inline constexpr const char* execution_started = "execution.started";
inline constexpr const char* execution_completed = "execution.completed";
inline constexpr const char* execution_failed = "execution.failed";
inline constexpr const char* execution_timed_out = "execution.timed_out";
inline constexpr const char* execution_cancelled = "execution.cancelled";
inline constexpr const char* execution_skipped = "execution.skipped";
inline constexpr const char* execution_lost = "execution.lost";
inline constexpr const char* execution_retrying = "execution.retrying";
inline constexpr const char* notify_sent = "notify.sent";
inline constexpr const char* notify_failed = "notify.failed";
} // namespace event_type

// Every event type, in the order the man page lists them: what `events
// --type` accepts and completes.
inline constexpr std::array<std::string_view, 17> k_event_types{
    event_type::job_created,         event_type::job_updated,      event_type::job_deleted,
    event_type::job_paused,          event_type::job_resumed,      event_type::execution_started,
    event_type::execution_completed, event_type::execution_failed, event_type::execution_timed_out,
    event_type::execution_skipped,   event_type::execution_lost,   event_type::execution_retrying,
    event_type::execution_cancelled, event_type::notify_sent,      event_type::notify_failed,
    event_type::config_changed,      event_type::config_restored};

// Whether `filter` selects event types as `events --type` reads it: one of
// k_event_types exactly, or the part up to and including the dot of some
// ("execution.").
constexpr bool is_event_type_filter(std::string_view filter) {
    for (auto t : k_event_types)
        if (t == filter || (filter.ends_with('.') && t.starts_with(filter)))
            return true;
    return false;
}

struct Event {
    std::int64_t id = 0; // assigned by the store
    time::Instant time{};
    std::string type;
    std::optional<std::string> job_id;
    std::optional<std::string> job_name;
    std::optional<std::int64_t> execution_id;
    std::string user;
    std::string detail = "{}"; // a JSON object, compact
};

} // namespace schedule::model
