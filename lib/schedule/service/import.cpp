#include <schedule/model/job_json.hpp>
#include <schedule/service/import.hpp>
#include <schedule/service/job_writes.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/util/error.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace schedule::service {

namespace {

// What makes a stored job the job of a crontab line.
bool same_line(const model::Job& a, const model::Job& b) {
    return a.trigger == b.trigger && a.timezone == b.timezone && a.command == b.command &&
           a.env == b.env && a.run_as == b.run_as;
}

std::string line_key(const model::Job& job) {
    return model::trigger_to_json_text(job.trigger) + '\n' + job.timezone + '\n' +
           job.command.value_or("") + '\n' + model::env_to_json_text(job.env) + '\n' +
           job.run_as.value_or("");
}

// Names not taken yet: the store's and those given in this import.
class Names {
public:
    explicit Names(const std::vector<model::Job>& stored) {
        for (const auto& job : stored)
            m_taken.insert(job.name);
    }
    // `base`, or `base-N` with the smallest free N >= 2; taken from now on.
    std::string claim(const std::string& base) {
        std::string name = base;
        int& n = m_next[base];
        if (n == 0)
            n = 2;
        if (m_taken.count(name))
            while (m_taken.count(name = model::numbered_job_name(base, n)))
                ++n;
        m_taken.insert(name);
        return name;
    }

private:
    std::unordered_set<std::string> m_taken;
    std::unordered_map<std::string, int> m_next;
};

} // namespace

model::CrontabImport import_crontab(Context& ctx, const ImportCrontabRequest& request) {
    if (request.run_as && request.kind == model::CrontabKind::system)
        throw util::UsageError("--run-as: a system crontab names each line's user in its user "
                               "column",
                               "drop --run-as");
    model::CrontabImport out;
    out.source = request.source;
    out.dry_run = request.dry_run;
    auto crontab = model::parse_crontab(request.text, request.kind);
    out.warnings = std::move(crontab.warnings);
    out.invalid = std::move(crontab.errors);

    const auto now = ctx.now();
    const auto build = build_context(ctx, now);
    std::vector<std::pair<int, model::Job>> jobs;
    for (const auto& entry : crontab.entries) {
        try {
            jobs.emplace_back(
                entry.line,
                model::build_job(model::crontab_job_spec(entry, request.source, request.run_as),
                                 build, model::CrontabNamer(entry.line)));
        } catch (const util::ValidationError& e) {
            out.invalid.push_back({entry.line, e.what(), e.hint()});
        }
    }
    std::stable_sort(out.invalid.begin(), out.invalid.end(),
                     [](const auto& a, const auto& b) { return a.line < b.line; });
    if (!out.invalid.empty() && !request.skip_invalid) {
        out.refused = true;
        return out;
    }

    // The store is read under the write lock, so that the names chosen and
    // the lines found unchanged hold when the jobs are written.
    std::optional<store::WriteTransaction> tx;
    if (!request.dry_run)
        tx.emplace(ctx.store.begin_write());
    const auto stored = ctx.store.list_jobs({});
    std::unordered_multimap<std::string, std::size_t> by_line;
    for (std::size_t i = 0; i < stored.size(); ++i)
        if (stored[i].command)
            by_line.emplace(line_key(stored[i]), i);
    std::vector<bool> matched(stored.size(), false);
    Names names(stored);

    for (auto& [line, job] : jobs) {
        // Of identical stored jobs, the first by name answers for the line.
        std::optional<std::size_t> found;
        auto [first, last] = by_line.equal_range(line_key(job));
        for (auto it = first; it != last; ++it)
            if (!matched[it->second] && same_line(stored[it->second], job) &&
                (!found || it->second < *found))
                found = it->second;
        if (found) {
            matched[*found] = true;
            out.jobs.push_back({line, model::ImportStatus::unchanged, stored[*found]});
            continue;
        }
        job.name = names.claim(job.name);
        if (request.dry_run) {
            out.jobs.push_back({line, model::ImportStatus::would_create, std::move(job)});
            continue;
        }
        job.id = new_job_id(ctx.store);
        insert_new_job(ctx, *tx, job, now);
        out.jobs.push_back({line, model::ImportStatus::created, std::move(job)});
    }
    if (tx) {
        tx->commit();
        spdlog::info("imported {} line(s) of {}", out.jobs.size(), request.source);
    }
    return out;
}

} // namespace schedule::service
