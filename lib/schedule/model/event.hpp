#pragma once
// An entry of the audit log (schedule(1), STORE). Every write path appends
// one inside the transaction that makes the change it records.

#include <schedule/time/instant.hpp>

#include <cstdint>
#include <optional>
#include <string>

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
} // namespace event_type

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
