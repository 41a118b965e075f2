#pragma once
// The vocabulary of time used across the library.
//
// Instant: a point on the UTC time line, whole seconds (Unix time, no leap
// seconds). Everything stored or compared is an Instant.
// LocalTime: a wall-clock reading with no zone attached ("2026-03-08 02:30");
// only a Zone turns it into Instants, and it may give none or two.
// Duration: whole seconds.

#include <chrono>
#include <cstdint>

namespace schedule::time {

using Instant = std::chrono::sys_seconds;
using LocalTime = std::chrono::local_seconds;
using Duration = std::chrono::seconds;

inline Instant from_unix(std::int64_t s) {
    return Instant{Duration{s}};
}
inline std::int64_t to_unix(Instant t) {
    return t.time_since_epoch().count();
}

// The start of the minute that contains t.
inline Instant floor_minute(Instant t) {
    return std::chrono::floor<std::chrono::minutes>(t);
}

} // namespace schedule::time
