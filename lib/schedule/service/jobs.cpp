#include <schedule/exec/process.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>
#include <random>

namespace schedule::service {

namespace {

using util::ValidationError;

// Unwraps a parser result or throws a ValidationError naming `field`.
template <class T> T require(util::Result<T> r, const char* field) {
    if (!r)
        throw ValidationError(field, r.error());
    return std::move(r).value();
}

// Only root may make a job run as someone else, and the user must
// exist when the job is defined.
std::string check_run_as(const std::string& user) {
    if (!util::running_as_root()) {
        if (user != util::current_user_name())
            throw ValidationError("--run-as", "only root can make a job run as another user");
        return user;
    }
    if (!exec::lookup_user(user))
        throw ValidationError("--run-as", "no such user: " + user);
    return user;
}

std::string new_job_id(store::Store& store) {
    std::random_device rd;
    for (int attempt = 0; attempt < 100; ++attempt) {
        char buf[9];
        std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
        if (!store.job_id_taken(buf))
            return buf;
    }
    throw util::RuntimeFailure("could not find a free job id");
}

std::vector<model::Tag> parse_tags(const std::vector<std::string>& raw) {
    std::vector<model::Tag> tags;
    for (const auto& t : raw)
        tags.push_back(require(model::parse_tag(t), "--tag"));
    return require(model::normalise_tags(std::move(tags)), "--tag");
}

std::vector<model::EnvVar> parse_env_list(const std::vector<std::string>& raw) {
    std::vector<model::EnvVar> env;
    for (const auto& e : raw)
        env.push_back(require(model::parse_env(e), "--env"));
    return require(model::normalise_env(std::move(env)), "--env");
}

// The trigger flags of a spec, with their names.
std::array<std::pair<const char*, const std::optional<std::string>*>, 6>
trigger_flags(const JobSpec& spec) {
    return {{{"--cron", &spec.cron},
             {"--every", &spec.every},
             {"--daily", &spec.daily},
             {"--weekly", &spec.weekly},
             {"--monthly", &spec.monthly},
             {"--at", &spec.at}}};
}

// The trigger the spec gives, if any; at most one trigger flag.
std::optional<model::Trigger> trigger_of(const JobSpec& spec, const time::Zone& zone,
                                         time::Instant now) {
    const char* given = nullptr;
    for (auto [flag, value] : trigger_flags(spec)) {
        if (!value->has_value())
            continue;
        if (given)
            throw ValidationError(flag,
                                  std::string("give one trigger only (also given: ") + given + ")");
        given = flag;
    }
    if (spec.cron)
        return require(model::parse_cron_trigger(*spec.cron), "--cron");
    if (spec.daily)
        return require(model::parse_daily(*spec.daily), "--daily");
    if (spec.weekly)
        return require(model::parse_weekly(*spec.weekly), "--weekly");
    if (spec.monthly)
        return require(model::parse_monthly(*spec.monthly), "--monthly");
    if (spec.every) {
        model::Trigger t;
        t.type = model::TriggerType::every;
        t.every = require(model::parse_every(*spec.every), "--every");
        t.anchor = time::floor_minute(now); // replaced by --anchor below
        return t;
    }
    if (spec.at) {
        model::Trigger t;
        t.type = model::TriggerType::at;
        t.at = require(time::parse_instant(*spec.at, zone), "--at");
        if (*t.at <= now)
            throw ValidationError("--at", util::quoted(*spec.at) + " is in the past");
        return t;
    }
    return std::nullopt;
}

// Refuses a job whose instants (--at, --anchor, --start-date, --end-date)
// lie outside the supported range in its zone (time/iso8601.hpp): they
// could not be shown, or read back. The flag named is the one given, else
// --tz (a new zone can move an instant out of the range).
void check_supported(const model::Job& job, const JobSpec& spec, const time::Zone& zone) {
    const std::tuple<const std::optional<time::Instant>&, const std::optional<std::string>&,
                     const char*>
        fields[] = {{job.trigger.at, spec.at, "--at"},
                    {job.trigger.anchor, spec.anchor, "--anchor"},
                    {job.start_date, spec.start_date, "--start-date"},
                    {job.end_date, spec.end_date, "--end-date"}};
    for (const auto& [t, given, flag] : fields) {
        if (!t || time::is_supported(*t, zone))
            continue;
        const auto first = time::first_supported(zone), last = time::last_supported(zone);
        throw ValidationError(
            given ? flag : "--tz",
            (given ? util::quoted(*given) : std::string("the job's ") + flag + " instant") +
                " is outside the supported range in " + zone.name() + ", " +
                time::format_iso(first, zone) + " to " + time::format_iso(last, zone),
            "dates and times run from 1970 to 9999, both in UTC and in the job's zone");
    }
}

// Applies every field given in `spec` to `job`. Shared by create and update
// so that both validate the same way; checks each value before any write.
// Date-times without an offset are read in the job's zone.
void apply_spec(model::Job& job, const JobSpec& spec, time::Instant now) {
    if (spec.name)
        job.name = require(model::validate_name(*spec.name), "--name");
    if (spec.clear_description)
        job.description.clear();
    if (spec.description)
        job.description = require(model::validate_description(*spec.description), "--description");
    if (spec.timezone) {
        auto zone = require(time::Zone::locate(*spec.timezone), "--tz");
        job.timezone = zone.name();
    }
    const auto zone_lookup = time::Zone::locate(job.timezone);
    const time::Zone zone = zone_lookup ? *zone_lookup : time::Zone::utc();

    if (spec.clear_trigger)
        job.trigger = model::Trigger{};
    if (auto t = trigger_of(spec, zone, now))
        job.trigger = *t;
    if (spec.anchor) {
        if (job.trigger.type != model::TriggerType::every)
            throw ValidationError("--anchor", "only an --every trigger has an anchor");
        job.trigger.anchor = require(time::parse_instant(*spec.anchor, zone), "--anchor");
    }
    if (spec.clear_jitter)
        job.jitter = time::Duration{0};
    if (spec.jitter)
        job.jitter = require(model::parse_jitter(*spec.jitter), "--jitter");
    if (spec.dst_gap) {
        auto g = model::parse_dst_gap(*spec.dst_gap);
        if (!g)
            throw ValidationError("--dst-gap", util::quoted(*spec.dst_gap) + " is not run or skip");
        job.dst_gap = *g;
    }
    if (spec.dst_overlap) {
        auto o = model::parse_dst_overlap(*spec.dst_overlap);
        if (!o)
            throw ValidationError("--dst-overlap",
                                  util::quoted(*spec.dst_overlap) + " is not once or twice");
        job.dst_overlap = *o;
    }
    if (spec.clear_start_date)
        job.start_date.reset();
    if (spec.start_date)
        job.start_date = require(time::parse_instant(*spec.start_date, zone), "--start-date");
    if (spec.clear_end_date)
        job.end_date.reset();
    if (spec.end_date) {
        job.end_date = require(time::parse_instant(*spec.end_date, zone), "--end-date");
        // As --at: a job that could never fire again is a mistake (pause
        // a job to stop it). An end date that passes later is not checked.
        if (*job.end_date <= now)
            throw ValidationError("--end-date", util::quoted(*spec.end_date) + " is in the past");
    }
    if (job.start_date && job.end_date && *job.end_date <= *job.start_date)
        throw ValidationError(spec.end_date ? "--end-date" : "--start-date",
                              "the end date must come after the start date");

    if (spec.command && spec.task_type)
        throw ValidationError("--command", "give either --command or --task-type, not both");
    if (spec.command) {
        job.command = require(model::validate_command(*spec.command), "--command");
        job.task_type.reset();
        job.task_config = "{}";
    }
    if (spec.task_type) {
        job.task_type = require(model::validate_task_type(*spec.task_type), "--task-type");
        job.command.reset();
    }
    if (spec.task_config) {
        if (!job.task_type)
            throw ValidationError("--task-config", "needs --task-type (a command job has no "
                                                   "task config)");
        job.task_config = require(model::validate_task_config(*spec.task_config), "--task-config");
    }
    if (spec.priority)
        job.priority = require(model::parse_priority(*spec.priority), "--priority");
    if (spec.clear_owner)
        job.owner.reset();
    if (spec.owner)
        job.owner = require(model::validate_owner(*spec.owner), "--owner");
    if (spec.clear_tags)
        job.tags.clear();
    if (spec.tags)
        job.tags = parse_tags(*spec.tags);
    if (spec.clear_timeout)
        job.timeout.reset();
    if (spec.timeout)
        job.timeout = require(model::parse_timeout(*spec.timeout), "--timeout");
    if (spec.clear_env)
        job.env.clear();
    if (spec.env)
        job.env = parse_env_list(*spec.env);
    if (spec.clear_working_dir)
        job.working_dir.reset();
    if (spec.working_dir)
        job.working_dir = require(model::validate_working_dir(*spec.working_dir), "--working-dir");
    if (spec.clear_run_as)
        job.run_as.reset();
    if (spec.run_as)
        job.run_as = check_run_as(require(model::validate_user_name(*spec.run_as), "--run-as"));
    if (spec.kill_grace) {
        auto d = require(time::parse_duration(*spec.kill_grace), "--kill-grace");
        if (d.count() < 0)
            throw ValidationError("--kill-grace", "must not be negative");
        job.kill_grace = d;
    }
    if (spec.overlap) {
        auto o = model::parse_overlap(*spec.overlap);
        if (!o)
            throw ValidationError("--overlap", util::quoted(*spec.overlap) +
                                                   " is not skip, queue, allow or replace");
        job.overlap = *o;
    }
    if (spec.clear_max_instances)
        job.max_instances.reset();
    if (spec.max_instances)
        job.max_instances = static_cast<int>(
            require(model::parse_count(*spec.max_instances, 1, 10000), "--max-instances"));
    // Only overlap allow runs several instances; checked when either is given.
    if (spec.max_instances && job.overlap != model::Overlap::allow)
        throw ValidationError("--max-instances", "only overlap allow runs more than one instance",
                              "add --overlap allow");
    if (spec.overlap && job.overlap != model::Overlap::allow && job.max_instances)
        throw ValidationError("--overlap",
                              "the job has --max-instances, which only overlap allow uses",
                              "add --clear-max-instances");
    if (spec.catchup) {
        auto c = model::parse_catchup(*spec.catchup);
        if (!c)
            throw ValidationError("--catchup",
                                  util::quoted(*spec.catchup) + " is not latest, all or none");
        job.catchup = *c;
    }
    if (spec.clear_misfire_grace)
        job.misfire_grace.reset();
    if (spec.misfire_grace)
        job.misfire_grace =
            require(model::parse_duration_at_least(*spec.misfire_grace, 1), "--misfire-grace");
    if (spec.clear_max_executions)
        job.max_executions.reset();
    if (spec.max_executions)
        job.max_executions =
            require(model::parse_count(*spec.max_executions, 1, 1'000'000'000), "--max-executions");
    if (spec.max_attempts)
        job.max_attempts = static_cast<int>(
            require(model::parse_count(*spec.max_attempts, 1, 100), "--max-attempts"));
    if (spec.retry_delay)
        job.retry_delay =
            require(model::parse_duration_at_least(*spec.retry_delay, 0), "--retry-delay");
    if (spec.retry_max_delay)
        job.retry_max_delay =
            require(model::parse_duration_at_least(*spec.retry_max_delay, 0), "--retry-max-delay");
    if (job.retry_max_delay < job.retry_delay)
        throw ValidationError(spec.retry_max_delay ? "--retry-max-delay" : "--retry-delay",
                              "the maximum retry delay (" +
                                  time::format_duration(job.retry_max_delay) +
                                  ") is shorter than the retry delay (" +
                                  time::format_duration(job.retry_delay) + ")");
    if (spec.backoff) {
        auto b = model::parse_backoff(*spec.backoff);
        if (!b)
            throw ValidationError("--backoff", util::quoted(*spec.backoff) +
                                                   " is not fixed, linear, exponential or "
                                                   "fibonacci");
        job.backoff = *b;
    }
    if (spec.clear_retry_on)
        job.retry_on.clear();
    if (spec.retry_on)
        job.retry_on = require(model::parse_retry_on(*spec.retry_on), "--retry-on");
    check_supported(job, spec, zone);
}

void check_clear_conflicts(const JobSpec& spec) {
    auto both = [](bool clear, bool given, const char* flag) {
        if (clear && given)
            throw ValidationError(flag, std::string("given together with its --clear- flag"));
    };
    both(spec.clear_description, spec.description.has_value(), "--description");
    both(spec.clear_owner, spec.owner.has_value(), "--owner");
    both(spec.clear_tags, spec.tags.has_value(), "--tag");
    both(spec.clear_timeout, spec.timeout.has_value(), "--timeout");
    both(spec.clear_env, spec.env.has_value(), "--env");
    both(spec.clear_working_dir, spec.working_dir.has_value(), "--working-dir");
    both(spec.clear_jitter, spec.jitter.has_value(), "--jitter");
    both(spec.clear_run_as, spec.run_as.has_value(), "--run-as");
    both(spec.clear_start_date, spec.start_date.has_value(), "--start-date");
    both(spec.clear_end_date, spec.end_date.has_value(), "--end-date");
    both(spec.clear_max_instances, spec.max_instances.has_value(), "--max-instances");
    both(spec.clear_misfire_grace, spec.misfire_grace.has_value(), "--misfire-grace");
    both(spec.clear_max_executions, spec.max_executions.has_value(), "--max-executions");
    both(spec.clear_retry_on, spec.retry_on.has_value(), "--retry-on");
    for (auto [flag, value] : trigger_flags(spec))
        if (spec.clear_trigger && value->has_value())
            throw ValidationError(flag, "given together with --clear-schedule");
}

// Whether two versions of a job fire at different times.
bool schedule_differs(const model::Job& a, const model::Job& b) {
    return !(a.trigger == b.trigger) || a.timezone != b.timezone || a.jitter != b.jitter ||
           a.dst_gap != b.dst_gap || a.dst_overlap != b.dst_overlap ||
           a.start_date != b.start_date || a.end_date != b.end_date;
}

// The next fire after `now` for an active job, else none (a paused job
// gets its next run when it is resumed: no catch-up for the paused time).
std::optional<time::Instant> next_run(const model::Job& job, time::Instant now) {
    if (!job.enabled || job.status != model::JobStatus::active)
        return std::nullopt;
    auto zone = time::Zone::locate(job.timezone);
    auto f = plan::next_fire(job, zone ? *zone : time::Zone::utc(), now);
    return f ? std::optional(f->at) : std::nullopt;
}

// Pausing skips the job's runs that wait to start (reason paused), in the
// pause's own transaction: a paused job starts nothing later, not after a
// `job resume` either. Runs recorded running go on.
void skip_waiting_runs(Context& ctx, store::WriteTransaction& tx, const model::Job& job) {
    plan::TickSnapshot snapshot;
    plan::TickPlan plan;
    for (auto& e : ctx.store.active_executions(job.id)) {
        if (e.status == model::ExecutionStatus::running)
            continue;
        plan.skips.push_back({job.id, e.id, e.scheduled_for.value_or(e.created_at), "paused", 1,
                              "the job was paused"});
        snapshot.active.push_back(std::move(e));
    }
    if (plan.skips.empty())
        return;
    snapshot.jobs.emplace(job.id, job);
    apply_plan(ctx, tx, snapshot, plan, std::nullopt);
}

void ensure_name_free(store::Store& store, const std::string& name,
                      const std::string& own_id = {}) {
    auto other = store.find_job_by_name(name);
    if (other && other->id != own_id)
        throw util::Conflict("a job named " + util::quoted(name) + " already exists (" + other->id +
                                 ")",
                             "choose another --name or update the existing job");
}

model::Event job_event(Context& ctx, const char* type, const model::Job& job,
                       std::string detail = "{}") {
    model::Event e;
    e.time = ctx.now();
    e.type = type;
    e.job_id = job.id;
    e.job_name = job.name;
    e.user = ctx.user();
    e.detail = std::move(detail);
    return e;
}

std::optional<model::Job> find(Context& ctx, std::string_view ref) {
    if (model::looks_like_job_id(ref))
        return ctx.store.find_job_by_id(util::to_lower(ref));
    return ctx.store.find_job_by_name(std::string(ref));
}

// Names of the job fields that differ, for the job.updated event.
std::vector<std::string> changed_fields(const model::Job& a, const model::Job& b) {
    std::vector<std::string> out;
    auto check = [&](bool differs, const char* name) {
        if (differs)
            out.emplace_back(name);
    };
    check(a.name != b.name, "name");
    check(a.description != b.description, "description");
    check(!(a.trigger == b.trigger), "trigger");
    check(a.timezone != b.timezone, "timezone");
    check(a.command != b.command, "command");
    check(a.task_type != b.task_type, "task_type");
    check(a.task_config != b.task_config, "task_config");
    check(a.priority != b.priority, "priority");
    check(a.owner != b.owner, "owner");
    check(a.tags != b.tags, "tags");
    check(a.timeout != b.timeout, "timeout_seconds");
    check(a.env != b.env, "env");
    check(a.working_dir != b.working_dir, "working_dir");
    check(a.jitter != b.jitter, "jitter_seconds");
    check(a.run_as != b.run_as, "run_as");
    check(a.kill_grace != b.kill_grace, "kill_grace_seconds");
    check(a.overlap != b.overlap, "overlap");
    check(a.dst_gap != b.dst_gap, "dst_gap");
    check(a.dst_overlap != b.dst_overlap, "dst_overlap");
    check(a.start_date != b.start_date, "start_date");
    check(a.end_date != b.end_date, "end_date");
    check(a.max_instances != b.max_instances, "max_instances");
    check(a.catchup != b.catchup, "catchup");
    check(a.misfire_grace != b.misfire_grace, "misfire_grace_seconds");
    check(a.max_executions != b.max_executions, "max_executions");
    check(a.max_attempts != b.max_attempts, "max_attempts");
    check(a.retry_delay != b.retry_delay, "retry_delay_seconds");
    check(a.retry_max_delay != b.retry_max_delay, "retry_max_delay_seconds");
    check(a.backoff != b.backoff, "backoff");
    check(a.retry_on != b.retry_on, "retry_on");
    check(a.enabled != b.enabled, "enabled");
    return out;
}

} // namespace

model::Job get_job(Context& ctx, std::string_view ref) {
    auto job = find(ctx, ref);
    if (!job)
        throw util::NotFound("no job " + util::quoted(ref), "see `schedule job list`");
    return *job;
}

model::Job create_job(Context& ctx, const JobSpec& spec) {
    if (!spec.name)
        throw ValidationError("--name", "a job needs a name");
    if (!spec.command && !spec.task_type)
        throw ValidationError("--command", "a job needs --command or --task-type");
    if (spec.enabled)
        throw ValidationError("--enabled", "use --disabled to create a paused job");
    check_clear_conflicts(spec);

    const auto now = ctx.now();
    model::Job job;
    job.timezone = spec.timezone ? std::string() : ctx.default_zone().name();
    apply_spec(job, spec, now);
    if (spec.disabled) {
        job.enabled = false;
        job.status = model::JobStatus::paused;
    }
    job.created_at = job.updated_at = now;

    auto tx = ctx.store.begin_write();
    ensure_name_free(ctx.store, job.name);
    job.id = new_job_id(ctx.store);
    if (job.trigger.type == model::TriggerType::reboot)
        job.boot_id = exec::boot_id();       // fires after the next boot, not now
    job.next_execution = next_run(job, now); // jitter depends on the id
    ctx.store.insert_job(tx, job);
    ctx.store.append_event(tx, job_event(ctx, model::event_type::job_created, job,
                                         model::dump_json(model::job_to_json(job, true))));
    tx.commit();
    spdlog::info("created job {} ({})", util::escape_control(job.name), job.id);
    return job;
}

model::Job update_job(Context& ctx, std::string_view ref, const JobSpec& spec) {
    if (spec == JobSpec{})
        throw util::UsageError("nothing to update",
                               "give the fields to change, e.g. --description TEXT");
    if (spec.disabled)
        throw ValidationError("--disabled", "use --enabled false to pause a job");
    check_clear_conflicts(spec);
    std::optional<bool> enabled;
    if (spec.enabled)
        enabled = require(model::parse_bool(*spec.enabled), "--enabled");
    {
        // Check every value before looking the job up, so that bad input is
        // reported as such (exit 2) even for a job that does not exist.
        model::Job scratch;
        scratch.timezone = "UTC";
        scratch.task_type = "scratch";
        if (spec.anchor)
            scratch.trigger.type = model::TriggerType::every;
        apply_spec(scratch, spec, ctx.now());
    }

    const auto now = ctx.now();
    auto tx = ctx.store.begin_write();
    const model::Job before = get_job(ctx, ref);
    model::Job job = before;
    apply_spec(job, spec, now);
    if (enabled && *enabled != job.enabled) {
        job.enabled = *enabled;
        if (job.status != model::JobStatus::finished)
            job.status = *enabled ? model::JobStatus::active : model::JobStatus::paused;
    }
    auto changes = changed_fields(before, job);
    if (changes.empty())
        return before;
    if (job.name != before.name)
        ensure_name_free(ctx.store, job.name, job.id);
    // A finished job whose schedule or run limit changes may fire again.
    if (job.status == model::JobStatus::finished &&
        (schedule_differs(before, job) || job.max_executions != before.max_executions))
        job.status = job.enabled ? model::JobStatus::active : model::JobStatus::paused;
    if (model::limit_reached(job.max_executions, job.scheduled_count))
        job.status = model::JobStatus::finished;
    if (job.trigger.type == model::TriggerType::reboot &&
        before.trigger.type != model::TriggerType::reboot)
        job.boot_id = exec::boot_id(); // fires after the next boot, not now
    // A changed schedule starts from now (no surprise run for the past).
    if (schedule_differs(before, job) || job.enabled != before.enabled ||
        job.status != before.status)
        job.next_execution = next_run(job, now);
    job.updated_at = now;
    ctx.store.update_job(tx, job);

    if (job.enabled != before.enabled) {
        ctx.store.append_event(tx, job_event(ctx,
                                             job.enabled ? model::event_type::job_resumed
                                                         : model::event_type::job_paused,
                                             job));
        if (!job.enabled)
            skip_waiting_runs(ctx, tx, job);
    }
    std::erase(changes, "enabled");
    if (!changes.empty()) {
        nlohmann::ordered_json detail;
        detail["changed"] = changes;
        ctx.store.append_event(
            tx, job_event(ctx, model::event_type::job_updated, job, model::dump_json(detail)));
    }
    tx.commit();
    spdlog::info("updated job {} ({})", util::escape_control(job.name), job.id);
    return job;
}

namespace {

store::JobFilter job_filter(const ListJobsRequest& request) {
    store::JobFilter filter;
    filter.owner = request.owner;
    if (request.status) {
        auto s = model::parse_job_status(*request.status);
        if (!s)
            throw ValidationError("--status", util::quoted(*request.status) +
                                                  " is not a job status (use active, paused or "
                                                  "finished)");
        filter.status = *s;
    }
    if (request.enabled)
        filter.enabled = require(model::parse_bool(*request.enabled), "--enabled");
    if (request.tag) {
        if (request.tag->empty() || request.tag->front() == '=')
            throw ValidationError("--tag", "give a tag key or key=value");
        filter.tag = request.tag;
    }
    return filter;
}

} // namespace

std::vector<model::Job> list_jobs(Context& ctx, const ListJobsRequest& request) {
    return ctx.store.list_jobs(job_filter(request));
}

void each_job(Context& ctx, const ListJobsRequest& request,
              const std::function<void(const model::Job&)>& visit) {
    ctx.store.each_job(job_filter(request), visit);
}

DeleteResult delete_job(Context& ctx, std::string_view ref) {
    auto tx = ctx.store.begin_write();
    DeleteResult result{get_job(ctx, ref), 0, {}};
    const auto& job = result.job;
    result.executions_deleted = ctx.store.count_executions(job.id);
    // Its running runs are cancelled. The rows go with the job; the audit
    // log (no foreign key to either) keeps what became of them.
    std::vector<model::Execution> running;
    for (auto& e : ctx.store.active_executions(job.id)) {
        if (e.status != model::ExecutionStatus::running)
            continue;
        e.status = model::ExecutionStatus::cancelled;
        e.reason = "deleted";
        e.end_time = e.updated_at = ctx.now();
        append_execution_event(ctx, tx, model::event_type::execution_cancelled, e, job.name,
                               {{"reason", "deleted"}});
        result.cancelled.push_back(e.id);
        running.push_back(std::move(e));
    }
    ctx.store.delete_job(tx, job.id);
    nlohmann::ordered_json detail;
    detail["executions_deleted"] = result.executions_deleted;
    detail["cancelled_executions"] = result.cancelled;
    ctx.store.append_event(
        tx, job_event(ctx, model::event_type::job_deleted, job, model::dump_json(detail)));
    tx.commit();
    spdlog::info("deleted job {} ({})", util::escape_control(job.name), job.id);
    // Stopped once the delete is committed, so that the run's owner finds
    // its row gone when it records the end. A run whose pid is not written
    // yet is stopped by its owner, which finds the row gone when it writes
    // the pid. A run of another boot is gone already.
    const auto boot = exec::boot_id();
    for (const auto& e : running) {
        spdlog::info("cancelled execution {} of {}: its job was deleted", e.id,
                     util::escape_control(job.name));
        if (e.pid && e.process_start && e.boot_id == boot)
            exec::terminate_group(*e.pid, *e.process_start, job.kill_grace);
    }
    return result;
}

EnableResult set_job_enabled(Context& ctx, std::string_view ref, bool enabled) {
    auto tx = ctx.store.begin_write();
    EnableResult result{get_job(ctx, ref), false};
    auto& job = result.job;
    if (job.enabled == enabled)
        return result;
    job.enabled = enabled;
    if (job.status != model::JobStatus::finished)
        job.status = enabled ? model::JobStatus::active : model::JobStatus::paused;
    job.updated_at = ctx.now();
    job.next_execution = next_run(job, job.updated_at);
    ctx.store.update_job(tx, job);
    ctx.store.append_event(
        tx, job_event(ctx, enabled ? model::event_type::job_resumed : model::event_type::job_paused,
                      job));
    if (!enabled)
        skip_waiting_runs(ctx, tx, job);
    tx.commit();
    result.changed = true;
    spdlog::info("{} job {} ({})", enabled ? "resumed" : "paused", util::escape_control(job.name),
                 job.id);
    return result;
}

} // namespace schedule::service
