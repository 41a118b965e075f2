#include <schedule/format/import.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/trigger.hpp>

#include <nlohmann/json.hpp>

namespace schedule::format {

namespace {

using ojson = nlohmann::ordered_json;

struct Counts {
    std::size_t created = 0;
    std::size_t unchanged = 0;
};

Counts counts_of(const model::CrontabImport& result) {
    Counts c;
    for (const auto& j : result.jobs)
        (j.status == model::ImportStatus::unchanged ? c.unchanged : c.created) += 1;
    return c;
}

std::string plural(std::size_t n, const std::string& word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

ojson problems_json(const std::vector<model::CrontabProblem>& problems, const char* key) {
    ojson out = ojson::array();
    for (const auto& p : problems) {
        ojson o;
        o["line"] = p.line;
        o[key] = p.message;
        o["hint"] = p.hint.empty() ? ojson(nullptr) : ojson(p.hint);
        out.push_back(std::move(o));
    }
    return out;
}

} // namespace

std::string import_text(const model::CrontabImport& result, const Style& style) {
    std::string out;
    if (!result.jobs.empty()) {
        Table table({"LINE", "STATUS", "ID", "NAME", "SCHEDULE"});
        for (const auto& j : result.jobs) {
            const auto zone = model::zone_of(j.job);
            std::string schedule = model::describe(j.job.trigger, zone);
            if (zone.name() != style.default_zone.name())
                schedule += " (" + zone.name() + ")";
            const bool created = j.status == model::ImportStatus::created;
            const bool unchanged = j.status == model::ImportStatus::unchanged;
            table.add_row({{std::to_string(j.line)},
                           {created     ? "created"
                            : unchanged ? "unchanged"
                                        : "would create",
                            created     ? Color::green
                            : unchanged ? Color::dim
                                        : Color::yellow},
                           {j.job.id.empty() ? "-" : j.job.id},
                           {j.job.name},
                           {schedule}});
        }
        out += table.render(style.color);
    }
    const auto c = counts_of(result);
    std::string summary =
        result.dry_run
            ? "Dry run: " + std::to_string(c.created) + " to create, " +
                  std::to_string(c.unchanged) + " unchanged"
            : std::to_string(c.created) + " created, " + std::to_string(c.unchanged) + " unchanged";
    if (!result.invalid.empty())
        summary += ", " + plural(result.invalid.size(), "invalid line") + " skipped";
    return out + summary + (result.dry_run ? "; nothing written.\n" : ".\n");
}

std::string import_json(const model::CrontabImport& result, const Style& style) {
    const auto c = counts_of(result);
    ojson out;
    out["source"] = result.source;
    out["dry_run"] = result.dry_run;
    out["created"] = c.created;
    out["unchanged"] = c.unchanged;
    out["skipped"] = result.invalid.size();
    out["jobs"] = ojson::array();
    for (const auto& j : result.jobs) {
        const auto zone = model::zone_of(j.job);
        ojson o;
        o["line"] = j.line;
        o["status"] = std::string(model::to_string(j.status));
        o["job_id"] = j.job.id.empty() ? ojson(nullptr) : ojson(j.job.id);
        o["name"] = j.job.name;
        o["trigger"] = model::trigger_to_json(j.job.trigger, zone, style.utc);
        auto cron = j.job.trigger.cron_expression();
        o["cron_expression"] = cron ? ojson(*cron) : ojson(nullptr);
        o["timezone"] = j.job.timezone;
        o["command"] = j.job.command ? ojson(*j.job.command) : ojson(nullptr);
        o["env"] = model::env_to_json(j.job.env);
        o["run_as"] = j.job.run_as ? ojson(*j.job.run_as) : ojson(nullptr);
        out["jobs"].push_back(std::move(o));
    }
    out["invalid"] = problems_json(result.invalid, "error");
    out["warnings"] = problems_json(result.warnings, "warning");
    return model::dump_json(out, 2) + "\n";
}

} // namespace schedule::format
