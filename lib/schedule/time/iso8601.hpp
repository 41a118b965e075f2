#pragma once
// ISO-8601 date-times in and out (schedule(1), TIME).
//
// In:  "2026-12-25", "2026-12-25T10:00", "2026-12-25 10:00:30",
//      with an optional "Z", "+01:00", "+0100" or "+01". Fractions of a
//      second are accepted and dropped.
// Out: "2026-12-25T10:00:00+01:00" (or "Z" for the UTC form).

#include <schedule/time/instant.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace schedule::time {

struct ParsedDateTime {
    LocalTime local;                // the wall-clock part as written
    std::optional<Duration> offset; // the UTC offset, when one was written
};

// Parses the text only; checks ranges (month 1-12, day within the month,
// hour 0-23, minute 0-59, second 0-60, offset within ±18h).
util::Result<ParsedDateTime> parse_iso8601(std::string_view text);

// Parses and places the result on the time line: with an offset, exactly;
// without one, as wall-clock time in `zone` (a time in a DST gap means the
// first instant after the gap, a repeated time its first pass).
util::Result<Instant> parse_instant(std::string_view text, const Zone& zone);

// The supported range: the instants whose text parse_iso8601() reads back
// wherever they are shown, i.e. whose year is 1970-9999 both in UTC and in
// `zone`. Nothing outside it is stored or printed: the next-fire
// computations stop at its end and pass over what lies before its start,
// and input outside it is refused. is_supported() is two comparisons away
// from the range's ends; near them it reads the zone.
Instant first_supported(const Zone& zone);
Instant last_supported(const Zone& zone);
bool is_supported(Instant t, const Zone& zone);

// "YYYY-MM-DDTHH:MM:SS+HH:MM" in `zone`.
std::string format_iso(Instant t, const Zone& zone);

// "YYYY-MM-DDTHH:MM:SSZ".
std::string format_iso_utc(Instant t);

// Appends format_iso(t, zone), or format_iso_utc(t) when `utc`, to `out`
// (for long lists: no temporary strings).
void append_iso(std::string& out, Instant t, const Zone& zone, bool utc);

// "YYYY-MM-DD HH:MM" wall-clock time in `zone`, for tables.
std::string format_wall(Instant t, const Zone& zone);

// "YYYY-MM-DD HH:MM" of a bare wall-clock reading.
std::string format_local(LocalTime lt);

// Calendar fields of a wall-clock reading. weekday: 0 = Sunday.
struct Civil {
    int year, month, day, hour, minute, second, weekday;
};
Civil to_civil(LocalTime lt);
// Inverse of to_civil (weekday ignored); fields may overflow and are
// normalised as by mktime, except month/day which must be valid.
LocalTime from_civil(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);
int days_in_month(int year, int month);

} // namespace schedule::time
