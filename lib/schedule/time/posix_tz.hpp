#pragma once
// POSIX TZ rules ("CET-1CEST,M3.5.0,M10.5.0/3"), as found in the footer of
// every TZif file. The tz database lists explicit transitions only up to
// 2037; later times follow the footer's rule, which Zone applies (see
// zone.cpp).

#include <schedule/time/instant.hpp>
#include <schedule/util/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::time {

struct PosixTz {
    // A transition date: 'J' Jn (1-365, Feb 29 never counted), 'N' n
    // (0-365, zero-based, Feb 29 counted), 'M' Mm.w.d (month, week 1-5
    // where 5 is the last, weekday 0 = Sunday); `time` is the local time of
    // day of the change (may be negative or beyond 24h).
    struct When {
        char kind = 'M';
        int day = 0;
        int month = 0;
        int week = 0;
        int weekday = 0;
        Duration time{7200};
    };

    std::string std_abbrev;
    std::string dst_abbrev;
    Duration std_offset{0}; // east of UTC (the POSIX sign is the opposite)
    Duration dst_offset{0};
    bool has_dst = false;
    When start; // into daylight time, at local standard time
    When end;   // out of daylight time, at local daylight time

    struct Transition {
        Instant at;
        Duration offset; // in force from `at`
        bool dst;
    };
    // The transitions of `year` (by UTC calendar), earliest first.
    std::vector<Transition> transitions(int year) const;
};

// Parses a POSIX TZ string; fails on anything it does not understand.
util::Result<PosixTz> parse_posix_tz(std::string_view text);

// The footer rule of a TZif file (empty optional when the file is not
// TZif version 2 or later, or has no footer).
std::optional<PosixTz> read_tzif_footer(const std::string& path);

} // namespace schedule::time
