#include <schedule/cron/expression.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/strings.hpp>

#include <cstdio>

namespace schedule::model {

namespace {

struct HourMinute {
    int hour;
    int minute;
};

util::Result<HourMinute> parse_hhmm(std::string_view text) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos)
        return util::fail(util::quoted(text) +
                          " is not a time of day (expected HH:MM, e.g. 09:30)");
    auto h = util::parse_uint(text.substr(0, colon), 99);
    auto m = util::parse_uint(text.substr(colon + 1), 99);
    if (!h || !m || text.size() - colon - 1 != 2 || colon == 0 || colon > 2)
        return util::fail(util::quoted(text) +
                          " is not a time of day (expected HH:MM, e.g. 09:30)");
    if (*h > 23)
        return util::fail("hour " + std::to_string(*h) + " is out of range 0-23");
    if (*m > 59)
        return util::fail("minute " + std::to_string(*m) + " is out of range 0-59");
    return HourMinute{int(*h), int(*m)};
}

std::string hhmm_text(HourMinute t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return buf;
}

// Splits "DAYS@HH:MM".
util::Result<std::pair<std::string_view, HourMinute>> split_at(std::string_view text,
                                                               const char* example) {
    auto at = text.find('@');
    if (at == std::string_view::npos)
        return util::fail(util::quoted(text) + " must be DAY@HH:MM, e.g. " + example);
    auto time = parse_hhmm(text.substr(at + 1));
    if (!time)
        return util::fail(time.error());
    if (at == 0)
        return util::fail(util::quoted(text) + ": the day is missing, e.g. " + example);
    return std::pair{text.substr(0, at), *time};
}

const char* const k_weekdays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
const char* const k_weekday_upper[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
const char* const k_weekday_full[] = {"sunday",   "monday", "tuesday", "wednesday",
                                      "thursday", "friday", "saturday"};

util::Result<Trigger> compiled(TriggerType type, std::string spec, const std::string& expression) {
    auto e = cron::parse(expression);
    if (!e)
        return util::fail(e.error());
    Trigger t;
    t.type = type;
    t.spec = std::move(spec);
    t.expression = e->text;
    return t;
}

} // namespace

util::Result<Trigger> parse_cron_trigger(std::string_view text) {
    auto e = cron::parse(text);
    if (!e)
        return util::fail(e.error());
    Trigger t;
    t.type = e->reboot ? TriggerType::reboot : TriggerType::cron;
    t.expression = e->text;
    return t;
}

util::Result<Trigger> parse_daily(std::string_view text) {
    auto t = parse_hhmm(util::trim(text));
    if (!t)
        return util::fail(t.error());
    return compiled(TriggerType::daily, hhmm_text(*t),
                    std::to_string(t->minute) + " " + std::to_string(t->hour) + " * * *");
}

util::Result<Trigger> parse_weekly(std::string_view text) {
    auto parts = split_at(util::trim(text), "MON@09:30");
    if (!parts)
        return util::fail(parts.error());
    auto [days_text, time] = *parts;
    std::vector<std::string> names;
    for (auto day : util::split(days_text, ',')) {
        auto lower = util::to_lower(util::trim(day));
        int found = -1;
        for (int i = 0; i < 7; ++i)
            if (lower == k_weekdays[i] || lower == k_weekday_full[i])
                found = i;
        if (auto n = util::parse_uint(lower, 7))
            found = int(*n % 7);
        if (found < 0)
            return util::fail(util::quoted(day) + " is not a weekday (use MON-SUN or 0-7)");
        names.emplace_back(k_weekday_upper[found]);
    }
    std::string days = util::join(names, ",");
    return compiled(TriggerType::weekly, days + "@" + hhmm_text(time),
                    std::to_string(time.minute) + " " + std::to_string(time.hour) + " * * " + days);
}

util::Result<Trigger> parse_monthly(std::string_view text) {
    auto parts = split_at(util::trim(text), "15@09:30");
    if (!parts)
        return util::fail(parts.error());
    auto [days_text, time] = *parts;
    std::vector<std::string> days;
    for (auto day : util::split(days_text, ',')) {
        auto n = util::parse_uint(util::trim(day), 99);
        if (!n || *n < 1 || *n > 31)
            return util::fail(util::quoted(day) + " is not a day of the month (use 1-31)");
        days.push_back(std::to_string(*n));
    }
    std::string list = util::join(days, ",");
    return compiled(TriggerType::monthly, list + "@" + hhmm_text(time),
                    std::to_string(time.minute) + " " + std::to_string(time.hour) + " " + list +
                        " * *");
}

util::Result<time::Duration> parse_every(std::string_view text) {
    auto d = time::parse_duration(text);
    if (!d)
        return util::fail(d.error());
    if (d->count() < 60 || d->count() % 60 != 0)
        return util::fail(util::quoted(text) +
                          " must be whole minutes, at least 1m (tick runs once a minute)");
    return *d;
}

util::Result<time::Duration> parse_jitter(std::string_view text) {
    auto d = time::parse_duration(text);
    if (!d)
        return util::fail(d.error());
    if (d->count() > 86400)
        return util::fail(util::quoted(text) + " is longer than 1d");
    return *d;
}

time::Duration jitter_offset(std::string_view job_id, time::Duration jitter) {
    if (jitter.count() <= 0)
        return time::Duration{0};
    std::uint64_t h = 14695981039346656037ULL; // FNV-1a, 64 bit
    for (unsigned char c : job_id) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return time::Duration{
        static_cast<std::int64_t>(h % static_cast<std::uint64_t>(jitter.count()))};
}

std::string describe(const Trigger& t, const time::Zone& zone) {
    switch (t.type) {
    case TriggerType::cron:
        return "cron " + t.expression;
    case TriggerType::reboot:
        return "@reboot";
    case TriggerType::daily:
        return "daily at " + t.spec;
    case TriggerType::weekly:
        return "weekly " + t.spec;
    case TriggerType::monthly:
        return "monthly " + t.spec;
    case TriggerType::every: {
        std::string s = "every " + (t.every ? time::format_duration(*t.every) : "?");
        if (t.anchor)
            s += " from " + time::format_wall(*t.anchor, zone);
        return s;
    }
    case TriggerType::at:
        return "once at " + (t.at ? time::format_wall(*t.at, zone) : "?");
    case TriggerType::after:
        return t.after ? "after " + t.after->job_name + " " + std::string(to_string(t.after->state))
                       : std::string("after another job");
    case TriggerType::manual:
        return "manual";
    }
    return "manual";
}

util::Result<JobLink> parse_job_link(std::string_view text, LinkForm form) {
    const bool with_timeout = form == LinkForm::state_timeout;
    JobLink link;
    std::string_view name = text;
    const auto last = name.rfind(':');
    if (form == LinkForm::job && last != std::string_view::npos &&
        parse_end_state(name.substr(last + 1)))
        return util::fail("a conflict has no state: give the job alone, not " +
                          util::quoted(text));
    if (form != LinkForm::job && last != std::string_view::npos) {
        const auto tail = name.substr(last + 1);
        if (auto state = parse_end_state(tail)) {
            link.state = *state;
            name = name.substr(0, last);
        } else if (with_timeout) {
            const auto before = name.substr(0, last).rfind(':');
            if (before != std::string_view::npos) {
                const auto state_text = name.substr(before + 1, last - before - 1);
                if (auto state = parse_end_state(state_text)) {
                    auto timeout = time::parse_duration(tail);
                    if (!timeout)
                        return util::fail("timeout: " + timeout.error());
                    if (timeout->count() < 0)
                        return util::fail("timeout: must not be negative");
                    link.state = *state;
                    link.timeout = *timeout;
                    name = name.substr(0, before);
                }
            }
        }
    }
    if (name.empty())
        return util::fail(
            std::string("expected JOB") +
            (with_timeout               ? "[:completed|failed|any[:TIMEOUT]]"
             : form == LinkForm::state ? "[:completed|failed|any]"
                                       : "") +
            ", a job's name or id");
    link.job_name = std::string(name);
    return link;
}

std::string link_text(const JobLink& link, bool with_timeout) {
    std::string out = link.job_name;
    const bool timeout = with_timeout && link.timeout.count() > 0;
    if (link.state != EndState::completed || timeout)
        out += ":" + std::string(to_string(link.state));
    if (timeout)
        out += ":" + time::format_duration(link.timeout);
    return out;
}

} // namespace schedule::model
