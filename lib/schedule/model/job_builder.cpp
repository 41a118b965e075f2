#include <schedule/model/job_builder.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>

#include <algorithm>
#include <array>
#include <tuple>

namespace schedule::model {

namespace {

using util::ValidationError;

struct FieldNames {
    Field field;
    std::string_view flag;
    std::string_view json_key;
    std::string_view clear_flag; // empty: the field cannot be cleared
};

constexpr std::array<FieldNames, 48> k_fields = {{
    {Field::name, "--name", "name", ""},
    {Field::description, "--description", "description", "--clear-description"},
    {Field::cron, "--cron", "cron", "--clear-schedule"},
    {Field::every, "--every", "every", "--clear-schedule"},
    {Field::anchor, "--anchor", "anchor", "--clear-schedule"},
    {Field::daily, "--daily", "daily", "--clear-schedule"},
    {Field::weekly, "--weekly", "weekly", "--clear-schedule"},
    {Field::monthly, "--monthly", "monthly", "--clear-schedule"},
    {Field::at, "--at", "at", "--clear-schedule"},
    {Field::jitter, "--jitter", "jitter_seconds", "--clear-jitter"},
    {Field::dst_gap, "--dst-gap", "dst_gap", ""},
    {Field::dst_overlap, "--dst-overlap", "dst_overlap", ""},
    {Field::start_date, "--start-date", "start_date", "--clear-start-date"},
    {Field::end_date, "--end-date", "end_date", "--clear-end-date"},
    {Field::window, "--window", "windows", "--clear-windows"},
    {Field::outside_window, "--outside-window", "outside_window", ""},
    {Field::after, "--after", "after", "--clear-schedule"},
    {Field::depends_on, "--depends-on", "depends_on", "--clear-depends-on"},
    {Field::conflicts_with, "--conflicts-with", "conflicts_with", "--clear-conflicts-with"},
    {Field::command, "--command", "command", ""},
    {Field::task_type, "--task-type", "task_type", ""},
    {Field::task_config, "--task-config", "task_config", ""},
    {Field::priority, "--priority", "priority", ""},
    {Field::owner, "--owner", "owner", "--clear-owner"},
    {Field::tags, "--tag", "tags", "--clear-tags"},
    {Field::timezone, "--tz", "timezone", ""},
    {Field::timeout, "--timeout", "timeout_seconds", "--clear-timeout"},
    {Field::env, "--env", "env", "--clear-env"},
    {Field::working_dir, "--working-dir", "working_dir", "--clear-working-dir"},
    {Field::run_as, "--run-as", "run_as", "--clear-run-as"},
    {Field::kill_grace, "--kill-grace", "kill_grace_seconds", ""},
    {Field::overlap, "--overlap", "overlap", ""},
    {Field::max_instances, "--max-instances", "max_instances", "--clear-max-instances"},
    {Field::catchup, "--catchup", "catchup", ""},
    {Field::misfire_grace, "--misfire-grace", "misfire_grace_seconds", "--clear-misfire-grace"},
    {Field::max_executions, "--max-executions", "max_executions", "--clear-max-executions"},
    {Field::max_attempts, "--max-attempts", "max_attempts", ""},
    {Field::retry_delay, "--retry-delay", "retry_delay_seconds", ""},
    {Field::retry_max_delay, "--retry-max-delay", "retry_max_delay_seconds", ""},
    {Field::backoff, "--backoff", "backoff", ""},
    {Field::retry_on, "--retry-on", "retry_on", "--clear-retry-on"},
    {Field::on_failure, "--on-failure", "on_failure", "--clear-on-failure"},
    {Field::on_retry, "--on-retry", "on_retry", "--clear-on-retry"},
    {Field::on_success, "--on-success", "on_success", "--clear-on-success"},
    {Field::notify, "--notify", "notify", ""},
    {Field::no_notify, "--no-notify", "notify", ""},
    {Field::enabled, "--enabled", "enabled", ""},
    {Field::disabled, "--disabled", "enabled", ""},
}};

const FieldNames& names_of(Field f) {
    for (const auto& n : k_fields)
        if (n.field == f)
            return n;
    return k_fields.front(); // every Field is listed (test_job_builder checks)
}

// Unwraps a parser result or throws a ValidationError naming `field`.
template <class T> T require(util::Result<T> r, const FieldNamer& names, Field field) {
    if (!r)
        throw ValidationError(names.name(field), r.error());
    return std::move(r).value();
}

// An enumeration's value, or a ValidationError listing the choices.
template <class Parse>
auto require_choice(const std::string& text, Parse parse, const FieldNamer& names, Field field,
                    const char* choices) {
    auto v = parse(text);
    if (!v)
        throw ValidationError(names.name(field), util::quoted(text) + " is not " + choices);
    return *v;
}

// The trigger fields of a spec.
std::array<std::pair<Field, const std::optional<std::string>*>, 7>
trigger_fields(const JobSpec& spec) {
    return {{{Field::cron, &spec.cron},
             {Field::every, &spec.every},
             {Field::daily, &spec.daily},
             {Field::weekly, &spec.weekly},
             {Field::monthly, &spec.monthly},
             {Field::at, &spec.at},
             {Field::after, &spec.after}}};
}

// The links a list gives: each read from its text, or checked as given;
// at most 64.
std::vector<JobLink>
links_of(const std::variant<std::vector<std::string>, std::vector<JobLink>>& given, bool timeouts,
         Field field, const FieldNamer& names) {
    std::vector<JobLink> links;
    if (const auto* texts = std::get_if<std::vector<std::string>>(&given)) {
        for (const auto& text : *texts)
            links.push_back(require(
                parse_job_link(text, timeouts ? LinkForm::state_timeout : LinkForm::job), names,
                field));
    } else {
        links = std::get<std::vector<JobLink>>(given);
    }
    if (links.size() > 64)
        throw ValidationError(names.name(field),
                              std::to_string(links.size()) + " jobs; at most 64 are allowed");
    for (auto& link : links) {
        if (link.job_name.empty())
            throw ValidationError(names.name(field), "a job's name or id is missing");
        if (!timeouts)
            link.timeout = time::Duration{0};
    }
    return links;
}

// A list of tags or variables: each item parsed from its text, or
// checked as given; then sorted, without duplicates.
template <class T, class Parse, class Check, class Normalise>
std::vector<T> items_of(const std::variant<std::vector<std::string>, std::vector<T>>& given,
                        Parse parse, Check check, Normalise normalise, Field field,
                        const FieldNamer& names) {
    std::vector<T> items;
    if (const auto* texts = std::get_if<std::vector<std::string>>(&given)) {
        for (const auto& text : *texts)
            items.push_back(require(parse(text), names, field));
    } else {
        items = std::get<std::vector<T>>(given);
        for (const auto& item : items)
            if (auto f = check(item))
                throw ValidationError(names.name(field), f->message);
    }
    return require(normalise(std::move(items)), names, field);
}

std::vector<RetryOn> retry_on_of(const std::variant<std::string, std::vector<std::string>>& given,
                                 const FieldNamer& names) {
    if (const auto* text = std::get_if<std::string>(&given))
        return require(parse_retry_on(*text), names, Field::retry_on);
    const auto& items = std::get<std::vector<std::string>>(given);
    return require(parse_retry_on(std::vector<std::string_view>(items.begin(), items.end())), names,
                   Field::retry_on);
}

// The trigger the spec gives, if any; at most one trigger field.
std::optional<Trigger> trigger_of(const JobSpec& spec, const time::Zone& zone,
                                  const BuildContext& ctx, const FieldNamer& names) {
    std::optional<Field> given;
    for (auto [field, value] : trigger_fields(spec)) {
        if (!value->has_value())
            continue;
        if (given)
            throw ValidationError(names.name(field), "give one trigger only (also given: " +
                                                         names.mention(*given) + ")");
        given = field;
    }
    if (spec.cron)
        return require(parse_cron_trigger(*spec.cron), names, Field::cron);
    if (spec.daily)
        return require(parse_daily(*spec.daily), names, Field::daily);
    if (spec.weekly)
        return require(parse_weekly(*spec.weekly), names, Field::weekly);
    if (spec.monthly)
        return require(parse_monthly(*spec.monthly), names, Field::monthly);
    if (spec.every) {
        Trigger t;
        t.type = TriggerType::every;
        t.every = require(parse_every(*spec.every), names, Field::every);
        t.anchor = time::floor_minute(ctx.now); // replaced by the anchor given, if any
        return t;
    }
    if (spec.after) {
        Trigger t;
        t.type = TriggerType::after;
        t.after = require(parse_job_link(*spec.after, LinkForm::state), names, Field::after);
        return t;
    }
    if (spec.at) {
        Trigger t;
        t.type = TriggerType::at;
        t.at = require(time::parse_instant(*spec.at, zone), names, Field::at);
        if (*t.at <= ctx.now && !ctx.keep_past)
            throw ValidationError(names.name(Field::at),
                                  util::quoted(*spec.at) + " is in the past");
        return t;
    }
    return std::nullopt;
}

// The windows given, each read by parse_window(); duplicates dropped.
std::vector<Window> windows_of(const std::vector<std::string>& texts, const FieldNamer& names) {
    constexpr std::size_t k_max_windows = 64;
    if (texts.size() > k_max_windows)
        throw ValidationError(names.name(Field::window),
                              std::to_string(texts.size()) + " windows; at most " +
                                  std::to_string(k_max_windows) + " are allowed");
    std::vector<Window> windows;
    for (const auto& text : texts) {
        auto w = require(parse_window(text), names, Field::window);
        if (std::find(windows.begin(), windows.end(), w) == windows.end())
            windows.push_back(std::move(w));
    }
    return windows;
}

// Refuses a job whose instants (at, anchor, start and end dates) lie
// outside the supported range in its zone (time/iso8601.hpp): they could
// not be shown, or read back. The field named is the one given, else the
// timezone (a new zone can move an instant out of the range).
void check_supported(const Job& job, const JobSpec& spec, const time::Zone& zone,
                     const FieldNamer& names) {
    const std::tuple<const std::optional<time::Instant>&, const std::optional<std::string>&, Field>
        fields[] = {{job.trigger.at, spec.at, Field::at},
                    {job.trigger.anchor, spec.anchor, Field::anchor},
                    {job.start_date, spec.start_date, Field::start_date},
                    {job.end_date, spec.end_date, Field::end_date}};
    for (const auto& [t, given, field] : fields) {
        if (!t || time::is_supported(*t, zone))
            continue;
        const auto first = time::first_supported(zone), last = time::last_supported(zone);
        throw ValidationError(
            names.name(given ? field : Field::timezone),
            (given ? util::quoted(*given) : "the job's " + names.mention(field) + " instant") +
                " is outside the supported range in " + zone.name() + ", " +
                time::format_iso(first, zone) + " to " + time::format_iso(last, zone),
            "dates and times run from 1970 to 9999, both in UTC and in the job's zone");
    }
}

// Only root may make a job run as someone else, and the user must exist
// (as far as the context can tell) when the job is defined.
void check_run_as(const std::string& user, const BuildContext& ctx, const FieldNamer& names) {
    if (!ctx.root) {
        if (!ctx.user || user != ctx.user())
            throw ValidationError(names.name(Field::run_as),
                                  "only root can make a job run as another user");
        return;
    }
    if (ctx.user_exists && !ctx.user_exists(user))
        throw ValidationError(names.name(Field::run_as), "no such user: " + user);
}

// The schedule: zone, trigger, jitter, DST rules, start and end dates.
// Returns the job's zone, in which date-times without an offset are read.
time::Zone apply_schedule(Job& job, const JobSpec& spec, const BuildContext& ctx,
                          const FieldNamer& names) {
    if (spec.timezone) {
        auto zone = require(time::Zone::locate(*spec.timezone), names, Field::timezone);
        job.timezone = zone.name();
    }
    const auto zone_lookup = time::Zone::locate(job.timezone);
    const time::Zone zone = zone_lookup ? *zone_lookup : time::Zone::utc();

    if (spec.clear_trigger)
        job.trigger = Trigger{};
    if (auto t = trigger_of(spec, zone, ctx, names))
        job.trigger = *t;
    if (spec.anchor) {
        if (job.trigger.type != TriggerType::every)
            throw ValidationError(names.name(Field::anchor), "only an " +
                                                                 names.mention(Field::every) +
                                                                 " trigger has an anchor");
        job.trigger.anchor = require(time::parse_instant(*spec.anchor, zone), names, Field::anchor);
    }
    if (spec.clear_jitter)
        job.jitter = time::Duration{0};
    if (spec.jitter)
        job.jitter = require(parse_jitter(*spec.jitter), names, Field::jitter);
    if (spec.dst_gap)
        job.dst_gap =
            require_choice(*spec.dst_gap, parse_dst_gap, names, Field::dst_gap, "run or skip");
    if (spec.dst_overlap)
        job.dst_overlap = require_choice(*spec.dst_overlap, parse_dst_overlap, names,
                                         Field::dst_overlap, "once or twice");
    if (spec.clear_start_date)
        job.start_date.reset();
    if (spec.start_date)
        job.start_date =
            require(time::parse_instant(*spec.start_date, zone), names, Field::start_date);
    if (spec.clear_end_date)
        job.end_date.reset();
    if (spec.end_date) {
        job.end_date = require(time::parse_instant(*spec.end_date, zone), names, Field::end_date);
        // As --at: a job that could never fire again is a mistake (pause
        // a job to stop it). An end date that passes later is not checked.
        if (*job.end_date <= ctx.now && !ctx.keep_past)
            throw ValidationError(names.name(Field::end_date),
                                  util::quoted(*spec.end_date) + " is in the past");
    }
    if (job.start_date && job.end_date && *job.end_date <= *job.start_date)
        throw ValidationError(names.name(spec.end_date ? Field::end_date : Field::start_date),
                              "the end date must come after the start date");
    if (spec.clear_windows)
        job.windows.clear();
    if (spec.windows)
        job.windows = windows_of(*spec.windows, names);
    if (spec.outside_window)
        job.outside_window = require_choice(*spec.outside_window, parse_outside_window, names,
                                            Field::outside_window, "wait or skip");
    if (spec.clear_depends_on)
        job.depends_on.clear();
    if (spec.depends_on)
        job.depends_on = links_of(*spec.depends_on, true, Field::depends_on, names);
    if (spec.clear_conflicts_with)
        job.conflicts_with.clear();
    if (spec.conflicts_with) {
        job.conflicts_with = links_of(*spec.conflicts_with, false, Field::conflicts_with, names);
        for (auto& link : job.conflicts_with)
            link.state = EndState::completed;
    }
    return zone;
}

// What the job runs, and how: command or task, priority, owner, tags,
// timeout, environment, directory, user, kill grace.
void apply_runner(Job& job, const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names) {
    if (spec.command && spec.task_type)
        throw ValidationError(names.name(Field::command),
                              "give either " + names.mention(Field::command) + " or " +
                                  names.mention(Field::task_type) + ", not both");
    if (spec.command) {
        job.command = require(validate_command(*spec.command), names, Field::command);
        job.task_type.reset();
        job.task_config = "{}";
    }
    if (spec.task_type) {
        job.task_type = require(validate_task_type(*spec.task_type), names, Field::task_type);
        job.command.reset();
    }
    if (spec.task_config) {
        if (!job.task_type)
            throw ValidationError(names.name(Field::task_config),
                                  "needs " + names.mention(Field::task_type) +
                                      " (a command job has no task config)");
        job.task_config =
            require(validate_task_config(*spec.task_config), names, Field::task_config);
    }
    if (spec.priority)
        job.priority = require(parse_priority(*spec.priority), names, Field::priority);
    if (spec.clear_owner)
        job.owner.reset();
    if (spec.owner)
        job.owner = require(validate_owner(*spec.owner), names, Field::owner);
    if (spec.clear_tags)
        job.tags.clear();
    if (spec.tags)
        job.tags = items_of(*spec.tags, parse_tag, check_tag, normalise_tags, Field::tags, names);
    if (spec.clear_timeout)
        job.timeout.reset();
    if (spec.timeout) {
        auto t = require(time::parse_duration(*spec.timeout), names, Field::timeout);
        if (t.count() <= 0)
            throw ValidationError(names.name(Field::timeout), "must be longer than 0s (use " +
                                                                  names.clearing(Field::timeout) +
                                                                  " for none)");
        job.timeout = t;
    }
    if (spec.clear_env)
        job.env.clear();
    if (spec.env)
        job.env = items_of(*spec.env, parse_env, check_env, normalise_env, Field::env, names);
    if (spec.clear_working_dir)
        job.working_dir.reset();
    if (spec.working_dir)
        job.working_dir =
            require(validate_working_dir(*spec.working_dir), names, Field::working_dir);
    if (spec.clear_run_as)
        job.run_as.reset();
    if (spec.run_as) {
        auto user = require(validate_user_name(*spec.run_as), names, Field::run_as);
        check_run_as(user, ctx, names);
        job.run_as = std::move(user);
    }
    if (spec.kill_grace)
        job.kill_grace =
            require(parse_duration_at_least(*spec.kill_grace, 0), names, Field::kill_grace);
}

// The run policies: overlap and instances, catch-up, misfire grace, run
// limit, retries.
void apply_policies(Job& job, const JobSpec& spec, const FieldNamer& names) {
    if (spec.overlap)
        job.overlap = require_choice(*spec.overlap, parse_overlap, names, Field::overlap,
                                     "skip, queue, allow or replace");
    if (spec.clear_max_instances)
        job.max_instances.reset();
    if (spec.max_instances)
        job.max_instances = static_cast<int>(
            require(parse_count(*spec.max_instances, 1, 10000), names, Field::max_instances));
    // Only overlap allow runs several instances; checked when either is given.
    if (spec.max_instances && job.overlap != Overlap::allow)
        throw ValidationError(names.name(Field::max_instances),
                              "only overlap allow runs more than one instance",
                              "add " + names.setting(Field::overlap, "allow"));
    if (spec.overlap && job.overlap != Overlap::allow && job.max_instances)
        throw ValidationError(names.name(Field::overlap),
                              "the job has " + names.mention(Field::max_instances) +
                                  ", which only overlap allow uses",
                              "add " + names.clearing(Field::max_instances));
    if (spec.catchup)
        job.catchup = require_choice(*spec.catchup, parse_catchup, names, Field::catchup,
                                     "latest, all or none");
    if (spec.clear_misfire_grace)
        job.misfire_grace.reset();
    if (spec.misfire_grace)
        job.misfire_grace =
            require(parse_duration_at_least(*spec.misfire_grace, 1), names, Field::misfire_grace);
    if (spec.clear_max_executions)
        job.max_executions.reset();
    if (spec.max_executions)
        job.max_executions = require(parse_count(*spec.max_executions, 1, 1'000'000'000), names,
                                     Field::max_executions);
    if (spec.max_attempts)
        job.max_attempts = static_cast<int>(
            require(parse_count(*spec.max_attempts, 1, 100), names, Field::max_attempts));
    if (spec.retry_delay)
        job.retry_delay =
            require(parse_duration_at_least(*spec.retry_delay, 0), names, Field::retry_delay);
    if (spec.retry_max_delay)
        job.retry_max_delay = require(parse_duration_at_least(*spec.retry_max_delay, 0), names,
                                      Field::retry_max_delay);
    if (job.retry_max_delay < job.retry_delay)
        throw ValidationError(
            names.name(spec.retry_max_delay ? Field::retry_max_delay : Field::retry_delay),
            "the maximum retry delay (" + time::format_duration(job.retry_max_delay) +
                ") is shorter than the retry delay (" + time::format_duration(job.retry_delay) +
                ")");
    if (spec.backoff)
        job.backoff = require_choice(*spec.backoff, parse_backoff, names, Field::backoff,
                                     "fixed, linear, exponential or fibonacci");
    if (spec.clear_retry_on)
        job.retry_on.clear();
    if (spec.retry_on)
        job.retry_on = retry_on_of(*spec.retry_on, names);
}

// The notification hooks and whether the store's default hooks apply.
void apply_hooks(Job& job, const JobSpec& spec, const FieldNamer& names) {
    const std::tuple<std::optional<std::string> Job::*, const std::optional<std::string>&, bool,
                     Field>
        hooks[] = {{&Job::on_failure, spec.on_failure, spec.clear_on_failure, Field::on_failure},
                   {&Job::on_retry, spec.on_retry, spec.clear_on_retry, Field::on_retry},
                   {&Job::on_success, spec.on_success, spec.clear_on_success, Field::on_success}};
    for (const auto& [member, given, clear, field] : hooks) {
        if (clear)
            (job.*member).reset();
        if (given)
            job.*member = require(validate_command(*given), names, field);
    }
    if (spec.notify && spec.no_notify)
        throw ValidationError(names.name(Field::notify),
                              "give either " + names.mention(Field::notify) + " or " +
                                  names.mention(Field::no_notify) + ", not both");
    if (spec.notify || spec.no_notify)
        job.notify = spec.notify;
}

// Applies every field given in `spec` to `job`, checking each value
// before the job is used. Shared by build_job() and change_job(), so that
// both validate the same way.
void apply_spec(Job& job, const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names) {
    if (spec.name)
        job.name = require(validate_name(*spec.name), names, Field::name);
    if (spec.clear_description)
        job.description.clear();
    if (spec.description)
        job.description =
            require(validate_description(*spec.description), names, Field::description);
    const time::Zone zone = apply_schedule(job, spec, ctx, names);
    apply_runner(job, spec, ctx, names);
    apply_policies(job, spec, names);
    apply_hooks(job, spec, names);
    check_supported(job, spec, zone, names);
}

// A field given together with the clear of the same field.
void check_clear_conflicts(const JobSpec& spec, const FieldNamer& names) {
    auto both = [&](bool clear, bool given, Field field) {
        if (clear && given)
            throw ValidationError(names.name(field), "given together with its --clear- flag");
    };
    both(spec.clear_description, spec.description.has_value(), Field::description);
    both(spec.clear_owner, spec.owner.has_value(), Field::owner);
    both(spec.clear_tags, spec.tags.has_value(), Field::tags);
    both(spec.clear_timeout, spec.timeout.has_value(), Field::timeout);
    both(spec.clear_env, spec.env.has_value(), Field::env);
    both(spec.clear_working_dir, spec.working_dir.has_value(), Field::working_dir);
    both(spec.clear_jitter, spec.jitter.has_value(), Field::jitter);
    both(spec.clear_run_as, spec.run_as.has_value(), Field::run_as);
    both(spec.clear_start_date, spec.start_date.has_value(), Field::start_date);
    both(spec.clear_end_date, spec.end_date.has_value(), Field::end_date);
    both(spec.clear_windows, spec.windows.has_value(), Field::window);
    both(spec.clear_depends_on, spec.depends_on.has_value(), Field::depends_on);
    both(spec.clear_conflicts_with, spec.conflicts_with.has_value(), Field::conflicts_with);
    both(spec.clear_max_instances, spec.max_instances.has_value(), Field::max_instances);
    both(spec.clear_misfire_grace, spec.misfire_grace.has_value(), Field::misfire_grace);
    both(spec.clear_max_executions, spec.max_executions.has_value(), Field::max_executions);
    both(spec.clear_retry_on, spec.retry_on.has_value(), Field::retry_on);
    both(spec.clear_on_failure, spec.on_failure.has_value(), Field::on_failure);
    both(spec.clear_on_retry, spec.on_retry.has_value(), Field::on_retry);
    both(spec.clear_on_success, spec.on_success.has_value(), Field::on_success);
    for (auto [field, value] : trigger_fields(spec))
        if (spec.clear_trigger && value->has_value())
            throw ValidationError(names.name(field),
                                  "given together with " + names.clearing(field));
}

// The checks of a change that come before its values: no create-only
// field, no field with its clear; the --enabled value.
std::optional<bool> check_change_request(const JobSpec& spec, const FieldNamer& names) {
    if (spec.disabled)
        throw ValidationError(names.name(Field::disabled),
                              "use " + names.setting(Field::enabled, "false") + " to pause a job");
    check_clear_conflicts(spec, names);
    if (!spec.enabled)
        return std::nullopt;
    return require(parse_bool(*spec.enabled), names, Field::enabled);
}

} // namespace

std::string_view flag_of(Field f) {
    return names_of(f).flag;
}

std::string_view json_key_of(Field f) {
    return names_of(f).json_key;
}

std::optional<Field> field_of_flag(std::string_view flag) {
    for (const auto& n : k_fields)
        if (n.flag == flag)
            return n.field;
    return std::nullopt;
}

namespace {
template <class E, std::size_t N>
std::vector<std::string_view> names_of_values(const std::array<E, N>& values) {
    std::vector<std::string_view> names;
    for (auto v : values)
        names.push_back(to_string(v));
    return names;
}
} // namespace

std::vector<std::string_view> choices_of(Field f) {
    switch (f) {
    case Field::dst_gap:
        return names_of_values(k_dst_gaps);
    case Field::dst_overlap:
        return names_of_values(k_dst_overlaps);
    case Field::overlap:
        return names_of_values(k_overlaps);
    case Field::catchup:
        return names_of_values(k_catchups);
    case Field::backoff:
        return names_of_values(k_backoffs);
    case Field::outside_window:
        return names_of_values(k_outside_windows);

    case Field::priority: {
        std::vector<std::string_view> names;
        for (int level : k_priority_levels)
            names.push_back(*priority_name(level));
        return names;
    }
    case Field::enabled:
        return {"true", "false"};
    default:
        return {};
    }
}

std::string FlagNamer::name(Field f) const {
    return std::string(flag_of(f));
}

std::string FlagNamer::mention(Field f) const {
    return name(f);
}

std::string FlagNamer::setting(Field f, std::string_view value) const {
    return name(f) + " " + std::string(value);
}

std::string FlagNamer::clearing(Field f) const {
    return std::string(names_of(f).clear_flag);
}

void JsonNamer::use_key(Field f, std::string key) {
    for (auto& [field, k] : m_keys)
        if (field == f) {
            k = std::move(key);
            return;
        }
    m_keys.emplace_back(f, std::move(key));
}

std::string JsonNamer::key(Field f) const {
    for (const auto& [field, k] : m_keys)
        if (field == f)
            return k;
    return std::string(json_key_of(f));
}

std::string JsonNamer::name(Field f) const {
    return m_path.empty() ? key(f) : m_path + "." + key(f);
}

std::string JsonNamer::mention(Field f) const {
    return key(f);
}

std::string JsonNamer::setting(Field f, std::string_view value) const {
    return "\"" + key(f) + "\": \"" + std::string(value) + "\"";
}

std::string JsonNamer::clearing(Field f) const {
    return "\"" + key(f) + "\": null";
}

Job build_job(const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names) {
    if (!spec.name)
        throw ValidationError(names.name(Field::name), "a job needs a name");
    if (!spec.command && !spec.task_type)
        throw ValidationError(names.name(Field::command),
                              "a job needs " + names.mention(Field::command) + " or " +
                                  names.mention(Field::task_type));
    if (spec.enabled)
        throw ValidationError(names.name(Field::enabled),
                              "use " + names.mention(Field::disabled) + " to create a paused job");
    check_clear_conflicts(spec, names);

    Job job;
    if (!spec.timezone)
        job.timezone = ctx.default_zone ? ctx.default_zone() : std::string("UTC");
    apply_spec(job, spec, ctx, names);
    if (spec.disabled) {
        job.enabled = false;
        job.status = JobStatus::paused;
    }
    job.created_at = job.updated_at = ctx.now;
    return job;
}

Job change_job(Job job, const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names) {
    const auto enabled = check_change_request(spec, names);
    apply_spec(job, spec, ctx, names);
    if (enabled && *enabled != job.enabled) {
        job.enabled = *enabled;
        if (job.status != JobStatus::finished)
            job.status = *enabled ? JobStatus::active : JobStatus::paused;
    }
    return job;
}

void resolve_links(Job& job, const JobFinder& find, const FieldNamer& names) {
    auto resolve = [&](JobLink& link, Field field) {
        std::optional<std::pair<std::string, std::string>> found;
        if (!link.job_id.empty())
            found = find(link.job_id);
        if (!found)
            found = find(link.job_name);
        const bool self =
            found ? found->first == job.id : link.job_name == job.name || link.job_name == job.id;
        if (self)
            throw ValidationError(names.name(field),
                                  "a job cannot name itself (" + util::quoted(job.name) + ")");
        if (!found)
            throw ValidationError(names.name(field), "no job " + util::quoted(link.job_name),
                                  "see `schedule job list`");
        link.job_id = found->first;
        link.job_name = found->second;
    };
    if (job.trigger.after)
        resolve(*job.trigger.after, Field::after);
    for (auto [list, field] : {std::pair{&job.depends_on, Field::depends_on},
                               std::pair{&job.conflicts_with, Field::conflicts_with}}) {
        for (auto& link : *list)
            resolve(link, field);
        for (std::size_t i = 0; i < list->size(); ++i)
            for (std::size_t k = 0; k < i; ++k)
                if ((*list)[i].job_id == (*list)[k].job_id)
                    throw ValidationError(names.name(field),
                                          util::quoted((*list)[i].job_name) + " is given twice");
    }
}

void check_change(const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names) {
    check_change_request(spec, names);
    Job scratch;
    scratch.timezone = "UTC";
    scratch.task_type = "scratch";
    if (spec.anchor)
        scratch.trigger.type = TriggerType::every;
    apply_spec(scratch, spec, ctx, names);
}

} // namespace schedule::model
