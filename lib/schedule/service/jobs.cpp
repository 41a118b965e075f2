#include <schedule/exec/process.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/job_writes.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

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

} // namespace

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

void insert_new_job(Context& ctx, store::WriteTransaction& tx, model::Job& job, time::Instant now,
                    std::optional<std::string> detail) {
    if (job.trigger.type == model::TriggerType::reboot)
        job.boot_id = exec::boot_id(); // fires after the next boot, not now
    job.next_execution = next_run(job, now);
    ctx.store.insert_job(tx, job);
    ctx.store.append_event(tx, job_event(ctx, model::event_type::job_created, job,
                                         detail ? std::move(*detail)
                                                : model::dump_json(model::job_to_json(job, true))));
}

model::Job keep_identity(const model::Job& stored, model::Job definition) {
    definition.id = stored.id;
    definition.created_at = stored.created_at;
    definition.execution_count = stored.execution_count;
    definition.failure_count = stored.failure_count;
    definition.scheduled_count = stored.scheduled_count;
    definition.last_execution = stored.last_execution;
    definition.last_status = stored.last_status;
    definition.boot_id = stored.boot_id;
    return definition;
}

void settle_change(const model::Job& before, model::Job& job, time::Instant now) {
    if (job.status == model::JobStatus::finished &&
        (schedule_differs(before, job) || job.max_executions != before.max_executions))
        job.status = job.enabled ? model::JobStatus::active : model::JobStatus::paused;
    if (model::limit_reached(job.max_executions, job.scheduled_count))
        job.status = model::JobStatus::finished;
    if (job.trigger.type == model::TriggerType::reboot &&
        before.trigger.type != model::TriggerType::reboot)
        job.boot_id = exec::boot_id(); // fires after the next boot, not now
    if (schedule_differs(before, job) || job.enabled != before.enabled ||
        job.status != before.status) {
        finish_if_spent(job, now);
        job.next_execution = next_run(job, now);
    }
    job.updated_at = now;
}

void finish_if_spent(model::Job& job, time::Instant now) {
    if (job.status == model::JobStatus::finished || !plan::spent(job, model::zone_of(job), now))
        return;
    job.status = model::JobStatus::finished;
    job.next_execution.reset();
}

void write_change(Context& ctx, store::WriteTransaction& tx, const model::Job& before,
                  const model::Job& job, std::vector<std::string> changes, const char* origin) {
    ctx.store.update_job(tx, job);
    if (job.enabled != before.enabled) {
        nlohmann::ordered_json detail = nlohmann::ordered_json::object();
        if (origin)
            detail[origin] = true;
        ctx.store.append_event(tx, job_event(ctx,
                                             job.enabled ? model::event_type::job_resumed
                                                         : model::event_type::job_paused,
                                             job, model::dump_json(detail)));
        if (!job.enabled)
            skip_waiting_runs(ctx, tx, job);
    }
    std::erase(changes, "enabled");
    if (!changes.empty()) {
        nlohmann::ordered_json detail;
        detail["changed"] = changes;
        if (origin)
            detail[origin] = true;
        ctx.store.append_event(
            tx, job_event(ctx, model::event_type::job_updated, job, model::dump_json(detail)));
    }
}

bool schedule_differs(const model::Job& a, const model::Job& b) {
    return !(a.trigger == b.trigger) || a.timezone != b.timezone || a.jitter != b.jitter ||
           a.dst_gap != b.dst_gap || a.dst_overlap != b.dst_overlap ||
           a.start_date != b.start_date || a.end_date != b.end_date;
}

std::optional<time::Instant> next_run(const model::Job& job, time::Instant now) {
    if (!job.enabled || job.status != model::JobStatus::active)
        return std::nullopt;
    auto zone = time::Zone::locate(job.timezone);
    auto f = plan::next_fire(job, zone ? *zone : time::Zone::utc(), now);
    return f ? std::optional(f->at) : std::nullopt;
}

void skip_waiting_runs(Context& ctx, store::WriteTransaction& tx, const model::Job& job) {
    plan::TickSnapshot snapshot;
    plan::TickPlan plan;
    for (auto& e : ctx.store.active_executions(job.id)) {
        if (e.status == model::ExecutionStatus::running)
            continue;
        plan.skips.push_back({job.id, e.id, e.scheduled_for.value_or(e.created_at),
                              model::SkipReason::paused, 1, "the job was paused"});
        snapshot.active.push_back(std::move(e));
    }
    if (plan.skips.empty())
        return;
    snapshot.jobs.emplace(job.id, job);
    apply_plan(ctx, tx, snapshot, plan, std::nullopt);
}

void ensure_name_free(store::Store& store, const std::string& name, const std::string& own_id) {
    auto other = store.find_job_by_name(name);
    if (other && other->id != own_id)
        throw util::Conflict("a job named " + util::quoted(name) + " already exists (" + other->id +
                                 ")",
                             "choose another --name or update the existing job");
}

model::Event job_event(Context& ctx, const char* type, const model::Job& job, std::string detail) {
    model::Event e;
    e.time = ctx.now();
    e.type = type;
    e.job_id = job.id;
    e.job_name = job.name;
    e.user = ctx.user();
    e.detail = std::move(detail);
    return e;
}

std::optional<model::Job> find_job(Context& ctx, std::string_view ref) {
    if (model::looks_like_job_id(ref))
        return ctx.store.find_job_by_id(util::to_lower(ref));
    return ctx.store.find_job_by_name(std::string(ref));
}

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
    check(a.on_failure != b.on_failure, "on_failure");
    check(a.on_retry != b.on_retry, "on_retry");
    check(a.on_success != b.on_success, "on_success");
    check(a.notify != b.notify, "notify");
    check(a.enabled != b.enabled, "enabled");
    return out;
}

model::Job get_job(Context& ctx, std::string_view ref) {
    auto job = find_job(ctx, ref);
    if (!job)
        throw util::NotFound("no job " + util::quoted(ref), "see `schedule job list`");
    return *job;
}

model::BuildContext build_context(Context& ctx, time::Instant now) {
    model::BuildContext b;
    b.now = now;
    b.default_zone = [&ctx] { return ctx.default_zone().name(); };
    b.root = util::running_as_root();
    b.user = [] { return util::current_user_name(); };
    b.user_exists = [](const std::string& user) { return exec::lookup_user(user).has_value(); };
    return b;
}

model::Job create_job(Context& ctx, const JobSpec& spec) {
    const auto now = ctx.now();
    model::Job job = model::build_job(spec, build_context(ctx, now), model::FlagNamer{});

    auto tx = ctx.store.begin_write();
    ensure_name_free(ctx.store, job.name);
    job.id = new_job_id(ctx.store);
    insert_new_job(ctx, tx, job, now);
    tx.commit();
    spdlog::info("created job {} ({})", util::escape_control(job.name), job.id);
    return job;
}

model::Job update_job(Context& ctx, std::string_view ref, const JobSpec& spec) {
    if (spec == JobSpec{})
        throw util::UsageError("nothing to update",
                               "give the fields to change, e.g. --description TEXT");
    const model::FlagNamer flags;
    // Check every value before looking the job up, so that bad input is
    // reported as such (exit 2) even for a job that does not exist.
    model::check_change(spec, build_context(ctx, ctx.now()), flags);

    const auto now = ctx.now();
    auto tx = ctx.store.begin_write();
    const model::Job before = get_job(ctx, ref);
    model::Job job = model::change_job(before, spec, build_context(ctx, now), flags);
    auto changes = changed_fields(before, job);
    if (changes.empty())
        return before;
    if (job.name != before.name)
        ensure_name_free(ctx.store, job.name, job.id);
    settle_change(before, job, now);
    write_change(ctx, tx, before, job, std::move(changes));
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

DeleteResult delete_in(Context& ctx, store::WriteTransaction& tx, const model::Job& job,
                       std::vector<model::Execution>& running) {
    DeleteResult result{job, 0, {}};
    result.executions_deleted = ctx.store.count_executions(job.id);
    // Its running runs are cancelled. The rows go with the job; the audit
    // log (no foreign key to either) keeps what became of them.
    for (auto& e : ctx.store.active_executions(job.id)) {
        if (e.status != model::ExecutionStatus::running)
            continue;
        e.status = model::ExecutionStatus::cancelled;
        e.reason = model::CancelReason::deleted;
        e.replace_requested = false; // deleted, whatever replaced it
        e.end_time = e.updated_at = ctx.now();
        append_execution_event(
            ctx, tx, model::event_type::execution_cancelled, e, job.name,
            {{"reason", std::string(model::to_string(model::CancelReason::deleted))}});
        result.cancelled.push_back(e.id);
        running.push_back(std::move(e));
    }
    ctx.store.delete_job(tx, job.id);
    nlohmann::ordered_json detail;
    detail["executions_deleted"] = result.executions_deleted;
    detail["cancelled_executions"] = result.cancelled;
    ctx.store.append_event(
        tx, job_event(ctx, model::event_type::job_deleted, job, model::dump_json(detail)));
    return result;
}

void stop_deleted_runs(const std::vector<model::Execution>& running, const model::Job& job) {
    // A run whose pid is not written yet is stopped by its owner, which
    // finds the row gone when it writes the pid. A run of another boot is
    // gone already.
    const auto boot = exec::boot_id();
    for (const auto& e : running) {
        spdlog::info("cancelled execution {} of {}: its job was deleted", e.id,
                     util::escape_control(job.name));
        if (e.pid && e.process_start && e.boot_id == boot)
            exec::terminate_group(*e.pid, *e.process_start, job.kill_grace);
    }
}

DeleteResult delete_job(Context& ctx, std::string_view ref) {
    auto tx = ctx.store.begin_write();
    auto job = get_job(ctx, ref);
    std::vector<model::Execution> running;
    auto result = delete_in(ctx, tx, job, running);
    tx.commit();
    spdlog::info("deleted job {} ({})", util::escape_control(job.name), job.id);
    // Stopped once the delete is committed, so that the run's owner finds
    // its row gone when it records the end.
    stop_deleted_runs(running, job);
    return result;
}

EnableResult set_job_enabled(Context& ctx, std::string_view ref, bool enabled) {
    auto tx = ctx.store.begin_write();
    const model::Job before = get_job(ctx, ref);
    EnableResult result{before, false};
    auto& job = result.job;
    if (job.enabled == enabled)
        return result;
    job.enabled = enabled;
    if (job.status != model::JobStatus::finished)
        job.status = enabled ? model::JobStatus::active : model::JobStatus::paused;
    job.updated_at = ctx.now();
    finish_if_spent(job, job.updated_at);
    job.next_execution = next_run(job, job.updated_at);
    write_change(ctx, tx, before, job, {"enabled"});
    tx.commit();
    result.changed = true;
    spdlog::info("{} job {} ({})", enabled ? "resumed" : "paused", util::escape_control(job.name),
                 job.id);
    return result;
}

} // namespace schedule::service
