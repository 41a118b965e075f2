#pragma once
// A job's calendar in the words of other schedulers (schedule export): cron
// fields as every cron and the Kubernetes CronJob controller read them,
// systemd OnCalendar= values, and an --every grid as a cron expression
// where one fires at exactly the same instants. Pure functions.

#include <schedule/cron/expression.hpp>
#include <schedule/time/instant.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::format {

// How cronie's day rule resolves for an expression's two day fields.
enum class DayRule {
    every_day,    // neither field restricts the days (or one matches every day, OR rule)
    day_of_month, // only the day of the month restricts
    day_of_week,  // only the day of the week restricts
    both,         // a day must match both: AND, since a restricted field starts with '*'
    either,       // a day matches either field: OR, both restricted
};
DayRule day_rule(const cron::Expression& e);

// The expression in the five-field syntax that every cron reads: numbers
// only (weekdays 0-6, Sunday 0), `*`, `*/s`, `a-b`, `a-b/s` and lists, with a
// day field that does not restrict written `*` and a restricted one never
// starting with `*`. The result fires at the same minutes under the OR rule
// that other crons apply. nullopt for DayRule::both, which no other cron
// syntax can say, and for @reboot.
std::optional<std::string> portable_cron(const cron::Expression& e);

// systemd OnCalendar= values for the same wall-clock minutes as `e`, read in
// the IANA zone `zone` ("*-*-* 09:30:00 Europe/Berlin"): one value, or two
// for DayRule::either (a timer fires at the union of its OnCalendar= lines).
// Empty for @reboot.
std::vector<std::string> on_calendar(const cron::Expression& e, std::string_view zone);

// An --every grid (anchor + k * every) as a cron expression read in UTC that
// fires at exactly the grid's instants: `every` divides an hour, or is whole
// hours that divide a day, or is one week; and the anchor has no seconds.
// The expression also fires before the anchor. nullopt for any other grid.
std::optional<std::string> every_as_utc_cron(time::Duration every, time::Instant anchor);

} // namespace schedule::format
