#include <schedule/format/table.hpp>
#include <schedule/format/tick.hpp>
#include <schedule/model/job_json.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace schedule::format {

namespace {

using ojson = nlohmann::ordered_json;

// One decision of the plan, flattened for printing.
struct Line {
    std::string action;
    std::string job_id;
    std::optional<std::int64_t> execution_id;
    std::optional<model::ExecutionTrigger> trigger;
    int attempt = 1;
    std::optional<time::Instant> scheduled_for;
    std::string reason;
    std::int64_t count = 1;
    std::string detail;
    std::optional<time::Instant> until; // follows the detail
};

// A run queued until a time: a window's opening, a retry's delay.
bool waits_for_clock(const plan::RunDecision& d) {
    return !d.start && (d.wait == model::WaitReason::window || d.wait == model::WaitReason::retry);
}

std::vector<Line> lines_of(const plan::TickPlan& plan) {
    std::vector<Line> out;
    for (const auto& r : plan.recoveries)
        out.push_back(
            {r.lost ? "lose" : "release", r.job_id, r.execution_id, std::nullopt, 1, std::nullopt,
             r.lost ? "lost" : "released", 1,
             r.lost ? "its supervisor is gone" : "its supervisor is gone; it never started",
             std::nullopt});
    for (const auto& d : plan.runs)
        out.push_back(
            {d.start ? "fire" : "queue", d.job_id, d.execution_id, d.trigger, d.attempt,
             d.scheduled_for, d.start ? d.reason : std::string(model::to_string(d.wait)), 1,
             waits_for_clock(d)   ? std::string("not before")
             : d.replaces.empty() ? std::string()
                                  : "replaces execution " + std::to_string(d.replaces.front()),
             waits_for_clock(d) ? std::optional(d.not_before) : std::nullopt});
    for (const auto& s : plan.skips)
        out.push_back({"skip", s.job_id, s.execution_id, std::nullopt, 1, s.scheduled_for,
                       std::string(model::to_string(s.reason)), s.count, s.detail, std::nullopt});
    for (const auto& w : plan.waiting)
        out.push_back({"wait", w.job_id, w.execution_id, std::nullopt, 1, std::nullopt,
                       std::string(model::to_string(w.reason)), 1, w.detail, w.until});
    return out;
}

const model::Job* find(const std::map<std::string, model::Job>& jobs, const std::string& id) {
    auto it = jobs.find(id);
    return it == jobs.end() ? nullptr : &it->second;
}

} // namespace

std::string tick_summary(const plan::TickPlan& plan) {
    return "fired " + std::to_string(plan.fired()) + ", skipped " + std::to_string(plan.skipped()) +
           ", queued " + std::to_string(plan.queued()) + ", recovered " +
           std::to_string(plan.recovered()) + "\n";
}

std::string tick_progress_line(std::int64_t done, std::int64_t total, std::int64_t running,
                               std::int64_t queued) {
    return "\r" + std::to_string(done) + "/" + std::to_string(total) + " done, " +
           std::to_string(running) + " running, " + std::to_string(queued) + " queued\033[K";
}

std::string tick_dry_run_text(const plan::TickPlan& plan,
                              const std::map<std::string, model::Job>& jobs, const Style& style) {
    Table table({"ACTION", "JOB", "EXECUTION", "TRIGGER", "SCHEDULED", "WHY"});
    for (const auto& l : lines_of(plan)) {
        const auto* job = find(jobs, l.job_id);
        auto zone = job ? model::zone_of(*job) : style.default_zone;
        std::string why = l.reason;
        if (l.count > 1)
            why += " x" + std::to_string(l.count);
        if (!l.detail.empty())
            why += ": " + l.detail;
        if (l.until)
            why += " " + table_time(l.until, zone, style);
        table.add_row({
            {l.action, l.action == "fire"   ? Color::green
                       : l.action == "skip" ? Color::yellow
                       : l.action == "lose" ? Color::red
                                            : Color::none},
            {job ? job->name : l.job_id},
            {l.execution_id ? std::to_string(*l.execution_id) : std::string("new")},
            {l.trigger ? std::string(model::to_string(*l.trigger)) : std::string("-")},
            {table_time(l.scheduled_for, zone, style)},
            {why},
        });
    }
    std::string out = table.empty() ? std::string("Nothing to do.\n") : table.render(style.color);
    return out + tick_summary(plan) + "Nothing was changed (--dry-run).\n";
}

std::string tick_json(const plan::TickPlan& plan, const std::map<std::string, model::Job>& jobs,
                      bool dry_run, const Style& style) {
    ojson j;
    j["fired"] = plan.fired();
    j["skipped"] = plan.skipped();
    j["queued"] = plan.queued();
    j["recovered"] = plan.recovered();
    j["dry_run"] = dry_run;
    if (dry_run) {
        auto& list = j["decisions"] = ojson::array();
        for (const auto& l : lines_of(plan)) {
            const auto* job = find(jobs, l.job_id);
            auto zone = job ? model::zone_of(*job) : style.default_zone;
            ojson d;
            d["action"] = l.action;
            d["job_id"] = l.job_id;
            d["name"] = job ? ojson(job->name) : ojson(nullptr);
            d["execution_id"] = l.execution_id ? ojson(*l.execution_id) : ojson(nullptr);
            d["trigger"] =
                l.trigger ? ojson(std::string(model::to_string(*l.trigger))) : ojson(nullptr);
            d["attempt"] = l.attempt;
            d["scheduled_for"] = model::instant_json(l.scheduled_for, zone, style.utc);
            d["reason"] = l.reason;
            d["count"] = l.count;
            d["detail"] = l.detail.empty() ? ojson(nullptr) : ojson(l.detail);
            d["until"] = model::instant_json(l.until, zone, style.utc);
            list.push_back(std::move(d));
        }
    }
    return model::dump_json(j, dry_run ? 2 : -1) + "\n";
}

} // namespace schedule::format
