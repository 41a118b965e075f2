#pragma once
// Time windows: when a job's runs may start ("Mon-Fri 09:00-17:00",
// "Sat,Sun 22:00-06:00 Europe/London"). A window is a span of wall-clock
// time on some days of the week, in a zone (the job's when it names none).
//
// An instant is inside a window when the wall clock of the window's zone
// then reads a time in [start, end) on one of its days. A window whose end
// is not after its start spans midnight and belongs to the day it starts
// on: "Fri 22:00-06:00" holds Friday 22:00 to Saturday 06:00. Across a
// daylight-saving change the times stay wall-clock times: a window that
// starts in a gap (a wall time that does not occur) opens at the gap's
// end; in a repeated hour the clock reads the same times twice, and both
// are inside or both outside.

#include <schedule/time/instant.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::model {

struct Window {
    // Bit 0 is Monday, bit 6 Sunday; every day when the text names none.
    std::uint8_t days = 0x7f;
    int start = 0; // minutes after midnight, 0-1439
    int end = 0;   // minutes after midnight, 1-1440; not after start: the next day
    std::optional<std::string> zone; // an IANA name; the job's zone when absent

    friend bool operator==(const Window&, const Window&) = default;
};

// Reads "[DAYS] HH:MM-HH:MM [ZONE]". DAYS is a comma-separated list of
// days (Mon, Tue, Wed, Thu, Fri, Sat, Sun, any case) and ranges of them
// ("Mon-Fri", "Fri-Mon" wraps); times are 00:00-23:59, and the end may be
// 24:00; start and end may not be equal. ZONE must be a known zone. The
// failure names the part at fault.
util::Result<Window> parse_window(std::string_view text);

// The window as parse_window reads it back, in one spelling: days as the
// shortest list of ranges ("Mon-Fri", "Mon,Wed,Fri"; none for every day),
// times as HH:MM.
std::string to_string(const Window& w);

// Whether `t` lies inside any of `windows`; zones absent from a window are
// `job_zone`. No windows: always inside.
bool in_window(const std::vector<Window>& windows, time::Instant t, const time::Zone& job_zone);

// The first instant strictly after `t` at which one of `windows` opens
// (the instant is inside it); nullopt when there are no windows or none
// opens within the next 8 days (a window that lies wholly in a gap every
// time it could open).
std::optional<time::Instant> next_window_start(const std::vector<Window>& windows, time::Instant t,
                                               const time::Zone& job_zone);

} // namespace schedule::model
