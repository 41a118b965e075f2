#pragma once
// Triggers as users write them (schedule(1), JOB FIELD FLAGS). Each parser
// returns the trigger or the reason it is wrong; the caller names the flag.

#include <schedule/model/job.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/result.hpp>

#include <string>
#include <string_view>

namespace schedule::model {

// --cron EXPR: a cron trigger, or a reboot trigger for "@reboot". Fails
// with the cron parser's reason ("minute field: 60 is out of range 0-59").
util::Result<Trigger> parse_cron_trigger(std::string_view text);

// --daily HH:MM ("9:30" or "09:30").
util::Result<Trigger> parse_daily(std::string_view text);

// --weekly DAY[,DAY...]@HH:MM; days are names (MON, monday) or 0-7.
util::Result<Trigger> parse_weekly(std::string_view text);

// --monthly DAY[,DAY...]@HH:MM with DAY 1-31; months without the day are
// skipped.
util::Result<Trigger> parse_monthly(std::string_view text);

// --every DURATION: whole minutes, at least one minute.
util::Result<time::Duration> parse_every(std::string_view text);

// What a link's text may give after the job.
enum class LinkForm {
    job,           // --conflicts-with JOB
    state,         // --after JOB[:STATE]
    state_timeout, // --depends-on JOB[:STATE[:TIMEOUT]]
};

// The link with the job as given (job_name; job_id empty), the state
// (default completed) and the timeout (default 0). A name that still holds
// ':' is refused later with the name's own rules.
util::Result<JobLink> parse_job_link(std::string_view text, LinkForm form);

// The link as parse_job_link reads it: "snap", "snap:failed",
// "snap:completed:1h" (the state written when it is not completed or a
// timeout follows).
std::string link_text(const JobLink& link, bool with_timeout);

// --jitter DURATION: from 0s to 1d.
util::Result<time::Duration> parse_jitter(std::string_view text);

// The stable per-job delay in [0, jitter) (--jitter): a hash of the job id,
// like Jenkins' H or systemd's FixedRandomDelay=.
time::Duration jitter_offset(std::string_view job_id, time::Duration jitter);

// A short human description: "cron 0 3 * * *", "daily at 09:30",
// "every 15m", "once at 2026-12-25 10:00", "@reboot", "manual". Instants are
// shown in `zone`.
std::string describe(const Trigger& trigger, const time::Zone& zone);

} // namespace schedule::model
