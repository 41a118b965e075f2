#pragma once
// Durations as users write them: "90s", "15m", "2h", "1d", "1h30m", "1w";
// a bare integer is seconds (schedule(1), TIME).

#include <schedule/time/instant.hpp>
#include <schedule/util/result.hpp>

#include <string>
#include <string_view>

namespace schedule::time {

// Parses a duration. Units s, m, h, d, w may be combined largest first
// ("1d12h"); each unit at most once. Fails on empty input, unknown units,
// negative values and totals above 100 years.
util::Result<Duration> parse_duration(std::string_view text);

// Canonical text of a duration, largest units first: 5400s -> "1h30m",
// 0 -> "0s". parse_duration(format_duration(d)) == d.
std::string format_duration(Duration d);

} // namespace schedule::time
