#pragma once
// Five-field cron expressions with Vixie/cronie semantics (schedule(1),
// --cron).
//
//   minute hour day-of-month month day-of-week
//
// Each field is parsed into a bit set of the values it allows. The flags
// record the textual facts the semantics depend on: whether a day field
// starts with `*` (which selects the AND rule for days) and whether the
// minute or hour field starts with `*` (which makes the job follow real
// wall-clock instants across DST changes instead of being fixed-time).

#include <schedule/util/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace schedule::cron {

struct Expression {
    std::uint64_t minutes = 0; // bit m: minute m, 0-59
    std::uint32_t hours = 0;   // bit h: hour h, 0-23
    std::uint32_t days = 0;    // bit d: day of month d, 1-31
    std::uint16_t months = 0;  // bit m: month m, 1-12
    std::uint8_t weekdays = 0; // bit w: weekday w, 0 = Sunday .. 6 = Saturday

    bool dom_star = false; // day-of-month text starts with '*'
    bool dow_star = false; // day-of-week text starts with '*'
    bool wildcard = false; // minute or hour text starts with '*' (follows wall clock)
    bool reboot = false;   // @reboot: fires after a boot, never on the calendar

    // The expression as written, white space collapsed to single spaces
    // (macros kept as written, in lower case).
    std::string text;

    bool has_minute(int m) const { return (minutes >> m) & 1U; }
    bool has_hour(int h) const { return (hours >> h) & 1U; }
    bool has_month(int m) const { return (months >> m) & 1U; }

    // Whether a calendar day matches, with cronie's day rule: when either day
    // field starts with '*' both must match, otherwise either may.
    bool matches_day(int day_of_month, int weekday) const {
        bool dom = (days >> day_of_month) & 1U;
        bool dow = (weekdays >> weekday) & 1U;
        return (dom_star || dow_star) ? (dom && dow) : (dom || dow);
    }
};

// Parses an expression or macro. Fails with a reason that names the field
// and the value ("minute field: 60 is out of range 0-59"); six fields fail
// with "seconds are not supported: tick runs once a minute"; an expression
// that matches no calendar day fails with "never fires: ...".
util::Result<Expression> parse(std::string_view text);

} // namespace schedule::cron
