#include <schedule/cron/expression.hpp>
#include <schedule/format/calendar.hpp>
#include <schedule/format/export.hpp>
#include <schedule/format/export_detail.hpp>
#include <schedule/model/notify.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/time/zone.hpp>

namespace schedule::format {

namespace detail {

When when_of(const model::Job& job) {
    When w;
    const auto& t = job.trigger;
    switch (t.type) {
    case model::TriggerType::cron:
    case model::TriggerType::daily:
    case model::TriggerType::weekly:
    case model::TriggerType::monthly:
        if (auto e = cron::parse(t.expression)) {
            w.kind = When::Kind::calendar;
            w.expr = *e;
            w.cron_text = t.expression;
            w.zone = job.timezone;
        }
        return w;
    case model::TriggerType::reboot:
        w.kind = When::Kind::reboot;
        return w;
    case model::TriggerType::at:
        w.kind = When::Kind::once;
        w.at = t.at;
        return w;
    case model::TriggerType::every: {
        w.kind = When::Kind::interval;
        w.every = t.every.value_or(time::Duration{60});
        auto text = every_as_utc_cron(w.every, t.anchor.value_or(time::Instant{}));
        if (!text)
            return w;
        if (auto e = cron::parse(*text)) {
            w.kind = When::Kind::calendar;
            w.expr = *e;
            w.cron_text = *text;
            w.zone = "UTC";
            w.from_every = true;
        }
        return w;
    }
    case model::TriggerType::after:
        w.kind = When::Kind::after;
        return w;
    case model::TriggerType::manual:
        return w;
    }
    return w;
}

std::string sh_quote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::optional<std::string> shell_script(const model::Job& job, const ExportOptions& o) {
    if (job.command)
        return *job.command;
    auto h = o.handlers.find(job.task_type.value_or(""));
    if (h == o.handlers.end())
        return std::nullopt;
    return "printf '%s' " + sh_quote(job.task_config) + " | " + sh_quote(h->second);
}

std::string duration_text(time::Duration d) {
    return time::format_duration(d);
}

void common_notes(const model::Job& job, const When& when, const ExportOptions& o,
                  std::string_view target, Notes& notes) {
    auto zone = time::Zone::locate(job.timezone);
    auto shown = [&](time::Instant t) {
        return zone ? time::format_iso(t, *zone) : time::format_iso_utc(t);
    };
    const std::string who(target);
    if (job.start_date && *job.start_date > o.now)
        notes.add("--start-date " + shown(*job.start_date) + ": not expressed (" + who +
                  " fires before it)");
    if (job.end_date)
        notes.add("--end-date " + shown(*job.end_date) + ": not expressed (" + who +
                  " fires after it)");
    if (job.max_executions)
        notes.add("--max-executions " + std::to_string(*job.max_executions) + ": not expressed (" +
                  who + " does not count runs)");
    if (when.from_every && job.trigger.anchor && *job.trigger.anchor > o.now)
        notes.add("--anchor " + shown(*job.trigger.anchor) + ": " + who +
                  " fires on the --every grid before it too");
    for (auto kind : model::k_hook_kinds)
        if (model::own_hook(job, kind))
            notes.add("--on-" + std::string(model::to_string(kind)) + ": not expressed (" + who +
                      " runs no notification hooks)");
}

std::optional<std::string> no_calendar(const When& when, bool reboot_ok) {
    switch (when.kind) {
    case When::Kind::calendar:
        return std::nullopt;
    case When::Kind::reboot:
        if (reboot_ok)
            return std::nullopt;
        return "@reboot has no calendar time";
    case When::Kind::once:
        return "a single fire (--at) is no cron schedule (it would fire every year)";
    case When::Kind::interval:
        return "--every " + duration_text(when.every) +
               " is no cron schedule (one is when it divides an hour, or is whole hours that "
               "divide a day, or is one week, from an anchor on a whole minute)";
    case When::Kind::manual:
        return "it has no schedule (it runs only by `job run`)";
    case When::Kind::after:
        return "it fires when another job's run ends";
    }
    return std::nullopt;
}

namespace {

// Whether the calendar matches a minute in [from, to) of wall-clock time.
bool matches_between(const cron::Expression& e, time::LocalTime from, time::LocalTime to) {
    constexpr auto k_day = std::chrono::hours(24);
    if (to - from > k_day) // a skipped day (Samoa, 2011): one day of it is enough
        to = from + k_day;
    for (auto t = from; t < to; t += std::chrono::minutes(1)) {
        const auto c = time::to_civil(t);
        if (e.has_month(c.month) && e.matches_day(c.day, c.weekday) && e.has_hour(c.hour) &&
            e.has_minute(c.minute))
            return true;
    }
    return false;
}

} // namespace

DstMeeting dst_meeting(const When& when, time::Instant now) {
    DstMeeting m;
    if (when.kind != When::Kind::calendar)
        return m;
    auto zone = time::Zone::locate(when.zone);
    if (!zone)
        return m;
    const auto limit = now + std::chrono::hours(24 * 731);
    auto before = zone->offset_at(now);
    while (before.end != time::Instant::max() && before.end < limit) {
        const auto after = zone->offset_at(before.end);
        // The wall clock jumps from `before.end + before.offset` to
        // `before.end + after.offset`.
        const auto a = time::LocalTime{before.end.time_since_epoch() + before.offset};
        const auto b = time::LocalTime{before.end.time_since_epoch() + after.offset};
        if (b > a)
            m.gap = m.gap || matches_between(when.expr, a, b);
        else if (b < a)
            m.overlap = m.overlap || matches_between(when.expr, b, a);
        before = after;
    }
    return m;
}

std::string no_handler(const model::Job& job) {
    const auto type = job.task_type.value_or("");
    return "no handler for task type " + type + " (handlers." + type + ")";
}

std::optional<std::string> dormant(const model::Job& job) {
    if (job.status == model::JobStatus::finished)
        return "finished";
    if (!job.enabled || job.status == model::JobStatus::paused)
        return "paused";
    return std::nullopt;
}

void record(Export& out, const model::Job& job, Notes notes) {
    if (notes.items.empty())
        return;
    out.notes.push_back({job.id, job.name, notes.left_out, std::move(notes.items)});
}

} // namespace detail

std::optional<ExportTarget> parse_export_target(std::string_view s) {
    for (std::size_t i = 0; i < k_export_target_names.size(); ++i)
        if (k_export_target_names[i] == s)
            return static_cast<ExportTarget>(i);
    return std::nullopt;
}

std::string export_name(const model::Job& job) {
    constexpr std::size_t k_max_slug = 34;
    std::string slug;
    bool dash = false;
    for (char c : job.name) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        const bool upper = c >= 'A' && c <= 'Z';
        if (alnum || upper) {
            if (dash && !slug.empty())
                slug += '-';
            dash = false;
            slug += upper ? static_cast<char>(c - 'A' + 'a') : c;
        } else {
            dash = true;
        }
    }
    if (slug.size() > k_max_slug)
        slug.resize(k_max_slug);
    while (!slug.empty() && slug.back() == '-')
        slug.pop_back();
    return "schedule-" + (slug.empty() ? "" : slug + "-") + job.id;
}

Export export_jobs(const std::vector<model::Job>& jobs, const ExportOptions& options) {
    Export out;
    switch (options.target) {
    case ExportTarget::crontab:
        detail::export_crontab(jobs, options, out);
        break;
    case ExportTarget::systemd:
        detail::export_systemd(jobs, options, out);
        break;
    case ExportTarget::kubernetes:
        detail::export_kubernetes(jobs, options, out);
        break;
    }
    return out;
}

bool is_exported_text(std::string_view text) {
    const auto end = text.find('\n');
    if (end == std::string_view::npos)
        return false;
    const auto line = text.substr(0, end);
    if (!line.starts_with("# "))
        return false;
    for (const char* target : {"crontab", "systemd", "kubernetes"})
        if (line.ends_with("exported with `schedule export --to " + std::string(target) + "`."))
            return true;
    return false;
}

std::string export_text(const Export& e) {
    std::string out;
    for (const auto& f : e.files) {
        const bool unit = f.name.ends_with(".service") || f.name.ends_with(".timer");
        if (unit)
            out += (out.empty() ? "" : "\n") + std::string("# FILE: ") + f.name + "\n";
        out += f.text;
    }
    return out;
}

} // namespace schedule::format
