// Run function of `apply`.

#include "commands.hpp"

#include <schedule/model/job_json.hpp>
#include <schedule/service/apply.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

namespace schedule::app {

namespace {

using service::ApplyAction;
using ojson = nlohmann::ordered_json;

// Each changed field's value before and after, as the Job object shows
// it.
ojson changes_json(const service::ApplyItem& item, bool utc) {
    auto changes = ojson::array();
    if (item.changed.empty())
        return changes;
    const auto before = model::job_to_json(*item.before, utc);
    const auto after = model::job_to_json(*item.after, utc);
    for (const auto& field : item.changed)
        changes.push_back({{"field", field}, {"old", before[field]}, {"new", after[field]}});
    return changes;
}

std::string counts_text(const service::ApplyResult& r) {
    return std::to_string(r.count(ApplyAction::create)) + " created, " +
           std::to_string(r.count(ApplyAction::update)) + " updated, " +
           std::to_string(r.count(ApplyAction::unchanged)) + " unchanged, " +
           std::to_string(r.count(ApplyAction::remove)) + " deleted";
}

std::string verb(ApplyAction a, bool dry_run) {
    switch (a) {
    case ApplyAction::create:
        return dry_run ? "would create" : "created";
    case ApplyAction::update:
        return dry_run ? "would update" : "updated";
    case ApplyAction::unchanged:
        return "unchanged";
    case ApplyAction::remove:
        return dry_run ? "would delete" : "deleted";
    }
    return "";
}

} // namespace

int run_apply(Invocation& inv, const ApplyOptions& o) {
    auto text = read_input(o.file, "--file");
    if (o.dry_run)
        inv.open_read_only();
    const auto result = service::apply(inv.context(), text, {o.prune, o.dry_run});
    const bool utc = inv.style().utc;
    if (inv.output_format() == "json") {
        ojson j;
        j["dry_run"] = result.dry_run;
        auto& jobs = j["jobs"] = ojson::array();
        for (const auto& item : result.jobs) {
            const auto& job = item.job();
            jobs.push_back({{"action", std::string(service::to_string(item.action))},
                            {"job_id", job.id.empty() ? ojson(nullptr) : ojson(job.id)},
                            {"name", job.name},
                            {"changes", changes_json(item, utc)}});
        }
        j["created"] = result.count(ApplyAction::create);
        j["updated"] = result.count(ApplyAction::update);
        j["unchanged"] = result.count(ApplyAction::unchanged);
        j["deleted"] = result.count(ApplyAction::remove);
        inv.print(model::dump_json(j, 2) + "\n");
        return 0;
    }
    if (inv.quiet())
        return 0;
    std::string out;
    for (const auto& item : result.jobs) {
        const auto& job = item.job();
        out += verb(item.action, result.dry_run) + " " + util::escape_control(job.name);
        if (!job.id.empty())
            out += " (" + job.id + ")";
        if (!item.changed.empty())
            out += ": " + util::join(item.changed, ", ");
        out += "\n";
        if (result.dry_run)
            for (const auto& c : changes_json(item, utc))
                out += "  " + c["field"].get<std::string>() + ": " +
                       util::escape_control(model::dump_json(c["old"])) + " -> " +
                       util::escape_control(model::dump_json(c["new"])) + "\n";
    }
    out += (result.dry_run ? "would apply: " : "applied: ") + counts_text(result) + "\n";
    inv.print(out);
    return 0;
}

} // namespace schedule::app
