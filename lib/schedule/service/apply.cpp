#include <schedule/backup/document.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/apply.hpp>
#include <schedule/service/job_writes.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>
#include <utility>

namespace schedule::service {

std::string_view to_string(ApplyAction a) {
    switch (a) {
    case ApplyAction::create:
        return "create";
    case ApplyAction::update:
        return "update";
    case ApplyAction::unchanged:
        return "unchanged";
    case ApplyAction::remove:
        return "delete";
    }
    return "";
}

std::int64_t ApplyResult::count(ApplyAction a) const {
    return std::count_if(jobs.begin(), jobs.end(),
                         [a](const ApplyItem& item) { return item.action == a; });
}

namespace {

// Whether `value` is at or before now and not what the stored job has.
bool new_in_past(const std::optional<time::Instant>& value,
                 const std::optional<time::Instant>& stored, time::Instant now) {
    return value && *value <= now && value != stored;
}

// A one-shot instant or end date in the past is refused as `job create`
// refuses it, unless the store's job of that name has it already: a file
// applied again after its one-shot job has fired is not an error.
void check_past(const backup::Definition& def, const model::Job* stored, time::Instant now) {
    if (!def.past)
        return;
    const auto& job = def.job;
    const std::optional<time::Instant> none;
    if (new_in_past(job.trigger.at, stored ? stored->trigger.at : none, now))
        throw *def.past; // the builder names the --at first
    if (!new_in_past(job.end_date, stored ? stored->end_date : none, now))
        return;
    if (!(job.trigger.at && *job.trigger.at <= now))
        throw *def.past; // it names the end date
    throw util::ValidationError(model::json_path(def.path, "end_date"),
                                util::quoted(time::format_iso(*job.end_date, model::zone_of(job))) +
                                    " is in the past");
}

// The store's job `stored` as the definition makes it: the stored id,
// history and counters; its status paused or resumed as `job pause` and
// `job resume` do; its every-N-minutes anchor kept unless the file gives
// one (a new anchor each time would change the job at every apply).
model::Job defined_version(const model::Job& stored, const backup::Definition& def) {
    model::Job job = keep_identity(stored, def.job);
    job.status = stored.status;
    job.next_execution = stored.next_execution;
    job.updated_at = stored.updated_at;
    if (job.enabled != stored.enabled && stored.status != model::JobStatus::finished)
        job.status = job.enabled ? model::JobStatus::active : model::JobStatus::paused;
    if (job.trigger.type == model::TriggerType::every && !def.gives_anchor &&
        stored.trigger.type == model::TriggerType::every)
        job.trigger.anchor = stored.trigger.anchor;
    return job;
}

// The file's jobs with the ids they will be stored under (the store's
// job of the same name, else a new id) and their links to other jobs
// resolved: by name, to a job of the file first, then (without --prune,
// which deletes the others) to one of the store. A cycle among them is
// refused.
std::vector<backup::Definition> linked_definitions(Context& ctx,
                                                   const std::vector<backup::Definition>& given,
                                                   const ApplyRequest& request) {
    auto defs = given;
    std::map<std::string, std::pair<std::string, std::string>> refs;
    for (auto& def : defs) {
        auto stored = ctx.store.find_job_by_name(def.job.name);
        def.job.id = stored ? stored->id : new_job_id(ctx.store);
        refs[def.job.name] = {def.job.id, def.job.name};
    }
    const auto find = document_finder(ctx, refs, request.prune);
    std::vector<model::JsonNamer> namers;
    std::vector<model::Job> jobs;
    for (auto& def : defs) {
        namers.emplace_back(def.path);
        model::resolve_links(def.job, find, namers.back());
        jobs.push_back(def.job);
    }
    std::vector<const model::FieldNamer*> names;
    for (const auto& n : namers)
        names.push_back(&n);
    check_no_cycle(ctx, jobs, names);
    return defs;
}

ApplyResult make_plan(Context& ctx, const std::vector<backup::Definition>& given,
                      const ApplyRequest& request, time::Instant now) {
    ApplyResult result;
    result.dry_run = request.dry_run;
    std::set<std::string> named;
    const auto defs = linked_definitions(ctx, given, request);
    for (const auto& def : defs) {
        named.insert(def.job.name);
        auto stored = ctx.store.find_job_by_name(def.job.name);
        check_past(def, stored ? &*stored : nullptr, now);
        ApplyItem item;
        if (!stored) {
            item.action = ApplyAction::create;
            item.after = def.job;
        } else {
            auto after = defined_version(*stored, def);
            item.changed = changed_fields(*stored, after);
            item.action = item.changed.empty() ? ApplyAction::unchanged : ApplyAction::update;
            if (!item.changed.empty())
                item.after = std::move(after);
            item.before = std::move(stored);
        }
        result.jobs.push_back(std::move(item));
    }
    if (request.prune)
        ctx.store.each_job({}, [&](const model::Job& job) {
            if (!named.contains(job.name))
                result.jobs.push_back({ApplyAction::remove, job, std::nullopt, {}});
        });
    return result;
}

bool writes(const ApplyResult& result) {
    return result.count(ApplyAction::unchanged) != static_cast<std::int64_t>(result.jobs.size());
}

} // namespace

ApplyResult apply(Context& ctx, std::string_view text, const ApplyRequest& request) {
    const auto now = ctx.now();
    const auto defs = backup::read_definitions(text, build_context(ctx, now));
    {
        // Planned first without the write lock: a file that changes
        // nothing writes nothing (and creates no store).
        auto read = ctx.store.begin_read();
        auto planned = make_plan(ctx, defs, request, now);
        // A job to create has no id until it is written.
        for (auto& item : planned.jobs)
            if (item.action == ApplyAction::create)
                item.after->id.clear();
        if (request.dry_run || !writes(planned))
            return planned;
    }

    auto tx = ctx.store.begin_write();
    auto result = make_plan(ctx, defs, request, now); // again, under the lock
    std::vector<std::pair<model::Job, std::vector<model::Execution>>> stopped;
    // New jobs first, without their links (the links' rows name jobs that
    // must exist), which are written once every new job is in.
    for (auto& item : result.jobs)
        if (item.action == ApplyAction::create) {
            auto bare = without_links(*item.after);
            insert_new_job(ctx, tx, bare, now, R"({"applied":true})");
            item.after->next_execution = bare.next_execution;
            item.after->status = bare.status;
            item.after->boot_id = bare.boot_id;
        }
    for (auto& item : result.jobs) {
        switch (item.action) {
        case ApplyAction::create:
            if (!item.after->depends_on.empty() || !item.after->conflicts_with.empty())
                ctx.store.update_job(tx, *item.after);
            break;
        case ApplyAction::update:
            settle_change(ctx, *item.before, *item.after, now);
            write_change(ctx, tx, *item.before, *item.after, item.changed, "applied");
            break;
        case ApplyAction::remove: {
            std::vector<model::Execution> running;
            delete_in(ctx, tx, *item.before, running);
            stopped.emplace_back(*item.before, std::move(running));
            break;
        }
        case ApplyAction::unchanged:
            break;
        }
    }
    tx.commit();
    spdlog::info("applied a job file: {} created, {} updated, {} unchanged, {} deleted",
                 result.count(ApplyAction::create), result.count(ApplyAction::update),
                 result.count(ApplyAction::unchanged), result.count(ApplyAction::remove));
    // Stopped once the deletes are committed, as `job delete` does.
    for (const auto& [job, running] : stopped)
        stop_deleted_runs(ctx, running, job);
    return result;
}

} // namespace schedule::service
