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

#include <algorithm>
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
        job.boot_id = ctx.host().boot_id(); // fires after the next boot, not now
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

void settle_change(Context& ctx, const model::Job& before, model::Job& job, time::Instant now) {
    if (job.status == model::JobStatus::finished &&
        (schedule_differs(before, job) || job.max_executions != before.max_executions))
        job.status = job.enabled ? model::JobStatus::active : model::JobStatus::paused;
    if (model::limit_reached(job.max_executions, job.scheduled_count))
        job.status = model::JobStatus::finished;
    if (job.trigger.type == model::TriggerType::reboot &&
        before.trigger.type != model::TriggerType::reboot)
        job.boot_id = ctx.host().boot_id(); // fires after the next boot, not now
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
    // The keys of the Job object (job_to_json), so that a new field is
    // compared without a line here; those the store keeps or derives
    // are not definition.
    static constexpr std::string_view k_not_definition[] = {
        "job_id",         "cron_expression", "status",         "execution_count",
        "failure_count",  "scheduled_count", "last_execution", "last_status",
        "next_execution", "created_at",      "updated_at"};
    const auto ja = model::job_to_json(a, true), jb = model::job_to_json(b, true);
    std::vector<std::string> out;
    for (auto it = ja.begin(); it != ja.end(); ++it) {
        const auto& key = it.key();
        if (std::find(std::begin(k_not_definition), std::end(k_not_definition), key) !=
            std::end(k_not_definition))
            continue;
        const auto other = jb.find(key);
        if (other == jb.end() || *other != it.value())
            out.push_back(key);
    }
    return out;
}

model::JobFinder store_finder(Context& ctx) {
    return [&ctx](const std::string& ref) -> std::optional<std::pair<std::string, std::string>> {
        auto job = find_job(ctx, ref);
        if (!job)
            return std::nullopt;
        return std::pair{job->id, job->name};
    };
}

model::JobFinder document_finder(Context& ctx,
                                 std::map<std::string, std::pair<std::string, std::string>> refs,
                                 bool document_only) {
    return [&ctx, refs = std::move(refs), document_only](
               const std::string& ref) -> std::optional<std::pair<std::string, std::string>> {
        if (auto it = refs.find(ref); it != refs.end())
            return it->second;
        if (document_only)
            return std::nullopt;
        return store_finder(ctx)(ref);
    };
}

model::Job without_links(model::Job job) {
    job.depends_on.clear();
    job.conflicts_with.clear();
    return job;
}

void check_no_cycle(Context& ctx, const std::vector<model::Job>& changed,
                    const model::FieldNamer& names) {
    check_no_cycle(ctx, changed, std::vector<const model::FieldNamer*>(changed.size(), &names));
}

void check_no_cycle(Context& ctx, const std::vector<model::Job>& changed,
                    const std::vector<const model::FieldNamer*>& namers) {
    bool any = false;
    for (const auto& j : changed)
        any = any || j.trigger.after || !j.depends_on.empty();
    if (!any)
        return;
    // job id -> the jobs it runs after
    std::map<std::string, std::vector<std::string>> before;
    std::map<std::string, std::string> name_of;
    for (const auto& [job, other] : ctx.store.link_edges())
        before[job].push_back(other);
    for (const auto& j : changed) {
        auto& list = before[j.id];
        list.clear();
        if (j.trigger.after)
            list.push_back(j.trigger.after->job_id);
        for (const auto& d : j.depends_on)
            list.push_back(d.job_id);
        name_of[j.id] = j.name;
    }
    auto name = [&](const std::string& id) {
        if (auto it = name_of.find(id); it != name_of.end())
            return it->second;
        auto job = ctx.store.find_job_by_id(id);
        return job ? job->name : id;
    };
    // Depth-first from each changed job along "runs after" edges; a path
    // back to it is a cycle.
    for (std::size_t index = 0; index < changed.size(); ++index) {
        const auto& j = changed[index];
        const auto& names = *namers[index];
        std::vector<std::string> path{j.id};
        std::set<std::string> seen;
        std::function<bool(const std::string&)> walk = [&](const std::string& id) {
            for (const auto& next : before[id]) {
                if (next == j.id) {
                    path.push_back(next);
                    return true;
                }
                if (!seen.insert(next).second)
                    continue;
                path.push_back(next);
                if (walk(next))
                    return true;
                path.pop_back();
            }
            return false;
        };
        if (!walk(j.id))
            continue;
        std::string text;
        for (auto it = path.rbegin(); it != path.rend(); ++it)
            text += (text.empty() ? "" : " -> ") + name(*it);
        const bool by_after =
            j.trigger.after && path.size() > 1 && path[1] == j.trigger.after->job_id;
        throw ValidationError(names.name(by_after ? model::Field::after : model::Field::depends_on),
                              "a cycle: " + text,
                              "a job cannot wait, even through others, for itself");
    }
}

std::vector<std::string> unlink_dependents(Context& ctx, store::WriteTransaction& tx,
                                           const model::Job& job) {
    std::vector<std::string> names;
    for (auto& other : ctx.store.jobs_linked_to(job.id)) {
        if (other.id == job.id)
            continue;
        const model::Job before = other;
        auto drop = [&](std::vector<model::JobLink>& list) {
            std::erase_if(list, [&](const model::JobLink& l) { return l.job_id == job.id; });
        };
        drop(other.depends_on);
        drop(other.conflicts_with);
        if (other.trigger.after && other.trigger.after->job_id == job.id)
            other.trigger = model::Trigger{};
        settle_change(ctx, before, other, ctx.now());
        ctx.store.update_job(tx, other);
        nlohmann::ordered_json detail;
        detail["changed"] = changed_fields(before, other);
        detail["unlinked"] = job.id;
        ctx.store.append_event(
            tx, job_event(ctx, model::event_type::job_updated, other, model::dump_json(detail)));
        names.push_back(other.name);
    }
    return names;
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
    b.root = ctx.host().current_identity().uid == 0;
    b.user = [&ctx] { return ctx.host().current_identity().name; };
    b.user_exists = [&ctx](const std::string& user) {
        return ctx.host().lookup_user(user).has_value();
    };
    return b;
}

model::Job create_job(Context& ctx, const JobSpec& spec) {
    const auto now = ctx.now();
    const model::FlagNamer flags;
    model::Job job = model::build_job(spec, build_context(ctx, now), flags);

    auto tx = ctx.store.begin_write();
    ensure_name_free(ctx.store, job.name);
    model::resolve_links(job, store_finder(ctx), flags);
    job.id = new_job_id(ctx.store);
    check_no_cycle(ctx, {job}, flags);
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
    model::resolve_links(job, store_finder(ctx), flags);
    check_no_cycle(ctx, {job}, flags);
    auto changes = changed_fields(before, job);
    if (changes.empty())
        return before;
    if (job.name != before.name)
        ensure_name_free(ctx.store, job.name, job.id);
    settle_change(ctx, before, job, now);
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
    DeleteResult result{job, 0, {}, {}};
    result.executions_deleted = ctx.store.count_executions(job.id);
    result.unlinked = unlink_dependents(ctx, tx, job);
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

void stop_deleted_runs(Context& ctx, const std::vector<model::Execution>& running,
                       const model::Job& job) {
    // A run whose pid is not written yet is stopped by its owner, which
    // finds the row gone when it writes the pid. A run of another boot is
    // gone already.
    const auto boot = ctx.host().boot_id();
    for (const auto& e : running) {
        spdlog::info("cancelled execution {} of {}: its job was deleted", e.id,
                     util::escape_control(job.name));
        if (e.pid && e.process_start && e.boot_id == boot)
            ctx.host().terminate_group(*e.pid, *e.process_start, job.kill_grace);
    }
}

namespace {
// Throws Conflict when other jobs depend on `job` or fire after it.
void check_not_needed(Context& ctx, const model::Job& job) {
    std::vector<std::string> needing;
    for (const auto& other : ctx.store.jobs_linked_to(job.id)) {
        const bool after = other.trigger.after && other.trigger.after->job_id == job.id;
        const bool depends =
            std::any_of(other.depends_on.begin(), other.depends_on.end(),
                        [&](const model::JobLink& l) { return l.job_id == job.id; });
        if (other.id != job.id && (after || depends))
            needing.push_back(other.name + (after ? " (--after)" : " (--depends-on)"));
    }
    if (!needing.empty())
        throw util::Conflict("other jobs need " + util::quoted(job.name) + ": " +
                                 util::join(needing, ", "),
                             "delete them first, or use --force to delete it and remove "
                             "their links");
}
} // namespace

void delete_job_check(Context& ctx, std::string_view ref) {
    check_not_needed(ctx, get_job(ctx, ref));
}

DeleteResult delete_job(Context& ctx, std::string_view ref, bool unlink) {
    auto tx = ctx.store.begin_write();
    auto job = get_job(ctx, ref);
    if (!unlink)
        check_not_needed(ctx, job);
    std::vector<model::Execution> running;
    auto result = delete_in(ctx, tx, job, running);
    tx.commit();
    spdlog::info("deleted job {} ({})", util::escape_control(job.name), job.id);
    // Stopped once the delete is committed, so that the run's owner finds
    // its row gone when it records the end.
    stop_deleted_runs(ctx, running, job);
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
