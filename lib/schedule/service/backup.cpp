#include <schedule/exec/process.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/backup.hpp>
#include <schedule/service/job_writes.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

namespace schedule::service {

backup::Document make_backup(Context& ctx, const BackupRequest& request) {
    backup::Document doc;
    doc.created_at = ctx.now();
    doc.host = ctx.host().host_name();
    auto read = ctx.store.begin_read();
    doc.jobs = ctx.store.list_jobs({});
    doc.config = ctx.store.config_rows();
    if (request.include_history) {
        auto& records = doc.executions.emplace();
        ctx.store.each_ended_execution(
            [&](const model::ExecutionRecord& r) { records.push_back(r); });
    }
    return doc;
}

std::string_view to_string(RestoreAction a) {
    switch (a) {
    case RestoreAction::create:
        return "create";
    case RestoreAction::replace:
        return "replace";
    case RestoreAction::unchanged:
        return "unchanged";
    case RestoreAction::remove:
        return "delete";
    }
    return "";
}

std::int64_t RestoreResult::count(RestoreAction a) const {
    std::int64_t n = 0;
    for (const auto& item : jobs)
        n += item.action == a;
    return n;
}

namespace {

// What the restore does to each job, decided on the store as it is.
struct Plan {
    RestoreResult result;
    std::vector<model::Job> creates;
    std::vector<std::pair<model::Job, model::Job>> replaces; // before, after
    std::vector<model::Job> removes;
};

std::string job_text(const model::Job& job) {
    return util::quoted(job.name) + " (" + job.id + ")";
}

// The fields of `existing` that `after` changes, with "status" when only
// the status differs.
std::vector<std::string> restore_changes(const model::Job& existing, const model::Job& after) {
    auto changed = changed_fields(existing, after);
    if (after.status != existing.status &&
        std::find(changed.begin(), changed.end(), "enabled") == changed.end())
        changed.emplace_back("status");
    return changed;
}

// The document's jobs with their links to other jobs resolved against the
// ids they will have (a job of the store that a document job replaces
// keeps its id): to a job of the document by its id or name first, then
// (without --prune, which deletes the others) to one of the store. A
// cycle among them is refused.
std::vector<model::Job> linked_jobs(Context& ctx, const backup::Document& doc,
                                    const RestoreRequest& request) {
    std::map<std::string, std::pair<std::string, std::string>> refs;
    for (const auto& job : doc.jobs) {
        auto stored = ctx.store.find_job_by_id(job.id);
        if (!stored)
            stored = ctx.store.find_job_by_name(job.name);
        const std::pair<std::string, std::string> final_ref{stored ? stored->id : job.id, job.name};
        refs[job.id] = final_ref;
        refs[job.name] = final_ref;
    }
    const auto find = document_finder(ctx, refs, request.prune);
    std::vector<model::Job> jobs;
    std::vector<model::JsonNamer> namers;
    for (std::size_t i = 0; i < doc.jobs.size(); ++i) {
        auto job = doc.jobs[i];
        namers.emplace_back(model::json_path("jobs", i));
        const auto id = job.id;
        job.id = refs[id].first;
        model::resolve_links(job, find, namers.back());
        job.id = id;
        jobs.push_back(std::move(job));
    }
    std::vector<const model::FieldNamer*> names;
    for (const auto& n : namers)
        names.push_back(&n);
    auto stored_ids = jobs;
    for (auto& j : stored_ids)
        j.id = refs[j.id].first;
    check_no_cycle(ctx, stored_ids, names);
    return jobs;
}

Plan make_plan(Context& ctx, const backup::Document& doc, const RestoreRequest& request,
               time::Instant now) {
    Plan plan;
    plan.result.dry_run = request.dry_run;
    std::vector<std::string> conflicts;
    bool unresolvable = false;
    std::set<std::string> matched; // store job ids the document names
    for (const auto& job : linked_jobs(ctx, doc, request)) {
        auto by_id = ctx.store.find_job_by_id(job.id);
        auto by_name = ctx.store.find_job_by_name(job.name);
        if (!by_id && !by_name) {
            plan.creates.push_back(job);
            finish_if_spent(plan.creates.back(), now);
            plan.result.jobs.push_back({RestoreAction::create, job.id, job.name, {}});
            continue;
        }
        if (by_id && by_name && by_id->id != by_name->id) {
            conflicts.push_back(job_text(job) + ": id of " + job_text(*by_id) + ", name of " +
                                job_text(*by_name));
            unresolvable = true;
            matched.insert(by_id->id);
            matched.insert(by_name->id);
            continue;
        }
        const auto& existing = by_id ? *by_id : *by_name;
        matched.insert(existing.id);
        if (!request.force) {
            conflicts.push_back(existing.id == job.id && existing.name == job.name
                                    ? job_text(job)
                                    : job_text(job) + " as " + job_text(existing));
            continue;
        }
        // The store's identity, history and what it counted stay.
        model::Job after = keep_identity(existing, job);
        auto changed = restore_changes(existing, after);
        if (!changed.empty()) {
            // Replaced, it counts its next run from now: with no fire
            // left it is finished, which may be what the store has.
            finish_if_spent(after, now);
            changed = restore_changes(existing, after);
        }
        if (changed.empty()) {
            plan.result.jobs.push_back({RestoreAction::unchanged, existing.id, existing.name, {}});
            continue;
        }
        plan.result.jobs.push_back({RestoreAction::replace, existing.id, after.name, changed});
        plan.replaces.emplace_back(existing, std::move(after));
    }
    if (!conflicts.empty()) {
        auto n = conflicts.size();
        throw util::Conflict(
            std::to_string(n) + (n == 1 ? " job" : " jobs") +
                " of the backup already in the store: " + util::join(conflicts, ", "),
            unresolvable ? "a job that matches one job by id and another by "
                           "name cannot be replaced: rename or delete one"
                         : "--force replaces them, keeping their history");
    }
    if (request.prune) {
        ctx.store.each_job({}, [&](const model::Job& job) {
            if (!matched.contains(job.id)) {
                plan.removes.push_back(job);
                plan.result.jobs.push_back({RestoreAction::remove, job.id, job.name, {}});
            }
        });
    }
    std::map<std::string, std::string> stored;
    for (auto& [k, v] : ctx.store.config_rows())
        stored.emplace(k, v);
    for (const auto& [key, value] : doc.config) {
        auto it = stored.find(key);
        if (it == stored.end() || it->second != value)
            plan.result.settings.emplace_back(key, value);
    }
    if (doc.executions) {
        std::set<std::string> created;
        for (const auto& job : plan.creates)
            created.insert(job.id);
        for (const auto& r : *doc.executions)
            (created.contains(r.execution.job_id) ? plan.result.executions
                                                  : plan.result.executions_skipped) += 1;
    }
    return plan;
}

// Inserts the history of the created jobs, keeping the ids when every one
// is above the store's highest, else numbering them after it (parents
// within the document follow; others are dropped).
void insert_history(Context& ctx, store::WriteTransaction& tx, const backup::Document& doc,
                    const std::vector<model::Job>& creates) {
    if (!doc.executions)
        return;
    std::map<std::string, const model::Job*> jobs;
    for (const auto& job : creates)
        jobs.emplace(job.id, &job);
    std::vector<const model::ExecutionRecord*> records;
    for (const auto& r : *doc.executions)
        if (jobs.contains(r.execution.job_id))
            records.push_back(&r);
    if (records.empty())
        return;
    std::sort(records.begin(), records.end(),
              [](auto* a, auto* b) { return a->execution.id < b->execution.id; });
    const auto highest = ctx.store.max_execution_id();
    const bool keep = records.front()->execution.id > highest;
    std::map<std::int64_t, std::int64_t> ids;
    std::int64_t next = highest;
    for (const auto* r : records)
        ids.emplace(r->execution.id, keep ? r->execution.id : ++next);
    for (const auto* r : records) {
        auto e = r->execution;
        e.id = ids.at(e.id);
        if (e.parent_execution_id) {
            auto it = ids.find(*e.parent_execution_id);
            e.parent_execution_id = it != ids.end() ? std::optional(it->second) : std::nullopt;
        }
        ctx.store.insert_execution_with_id(tx, e);
        if (r->out)
            ctx.store.save_output(tx, e.id, "stdout", *r->out);
        if (r->err)
            ctx.store.save_output(tx, e.id, "stderr", *r->err);
    }
}

} // namespace

RestoreResult restore(Context& ctx, std::string_view text, const RestoreRequest& request) {
    const auto now = ctx.now();
    auto build = build_context(ctx, now);
    build.keep_past = true;
    const auto doc = backup::read_document(text, build);

    if (request.dry_run) {
        auto read = ctx.store.begin_read();
        return make_plan(ctx, doc, request, now).result;
    }

    auto tx = ctx.store.begin_write();
    auto plan = make_plan(ctx, doc, request, now);
    const auto boot = ctx.host().boot_id();
    // New jobs first without their links, which name jobs that must
    // exist; the links are written once every new job is in.
    for (auto& job : plan.creates) {
        auto bare = without_links(job);
        insert_new_job(ctx, tx, bare, now, R"({"restored":true})");
        job.next_execution = bare.next_execution;
        job.boot_id = bare.boot_id;
    }
    for (const auto& job : plan.creates)
        if (!job.depends_on.empty() || !job.conflicts_with.empty())
            ctx.store.update_job(tx, job);
    insert_history(ctx, tx, doc, plan.creates);
    std::vector<std::pair<model::Job, std::vector<model::Execution>>> stopped;
    for (const auto& job : plan.removes) {
        std::vector<model::Execution> running;
        delete_in(ctx, tx, job, running);
        stopped.emplace_back(job, std::move(running));
    }
    for (auto& [before, after] : plan.replaces) {
        if (after.trigger.type == model::TriggerType::reboot &&
            before.trigger.type != model::TriggerType::reboot)
            after.boot_id = boot;
        after.next_execution = next_run(after, now);
        after.updated_at = now;
        ctx.store.update_job(tx, after);
        if (!after.enabled && before.enabled)
            skip_waiting_runs(ctx, tx, after);
        nlohmann::ordered_json detail;
        detail["changed"] = changed_fields(before, after);
        detail["restored"] = true;
        ctx.store.append_event(
            tx, job_event(ctx, model::event_type::job_updated, after, model::dump_json(detail)));
    }
    for (const auto& [key, value] : plan.result.settings)
        ctx.store.set_config(tx, key, value, now);

    const auto& r = plan.result;
    nlohmann::ordered_json counts;
    counts["created"] = r.count(RestoreAction::create);
    counts["replaced"] = r.count(RestoreAction::replace);
    counts["deleted"] = r.count(RestoreAction::remove);
    counts["unchanged"] = r.count(RestoreAction::unchanged);
    counts["executions"] = r.executions;
    counts["settings"] = r.settings.size();
    model::Event event;
    event.time = now;
    event.type = model::event_type::config_restored;
    event.user = ctx.user();
    event.detail = model::dump_json(counts);
    ctx.store.append_event(tx, event);
    tx.commit();
    spdlog::info("restored a backup: {}", event.detail);
    for (const auto& [job, running] : stopped)
        stop_deleted_runs(ctx, running, job);
    return plan.result;
}

} // namespace schedule::service
