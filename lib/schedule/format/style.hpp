#pragma once
// How output should look: decided by the app from flags, environment and
// TTY facts, consumed by every formatter.

#include <schedule/time/instant.hpp>
#include <schedule/time/zone.hpp>

#include <optional>
#include <string>

namespace schedule::format {

struct Style {
    bool color = false;    // ANSI colour (a terminal, no --no-color, no NO_COLOR)
    bool terminal = false; // stdout is a terminal: CSV escapes controls as tables do
    bool utc = false;      // --utc: instants in UTC instead of the job's zone
    time::Instant now{};
    time::Zone default_zone = time::Zone::utc();
};

// "in 5m", "2h30m ago", "in 1y35d", "now": the two largest units of
// |t - now| (y is 365 days).
std::string relative_time(time::Instant t, time::Instant now);

// A table cell for an instant: "2026-11-23 10:00 (in 5m)" in `zone` (its
// abbreviation appended when `zone` is not the default zone), or in UTC
// with a "Z" under --utc; "-" when absent.
std::string table_time(const std::optional<time::Instant>& t, const time::Zone& zone,
                       const Style& style);

} // namespace schedule::format
