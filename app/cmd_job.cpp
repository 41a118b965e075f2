// Run functions of the `job` commands.

#include "commands.hpp"

#include <schedule/format/graph.hpp>
#include <schedule/service/graph.hpp>

#include <schedule/format/jobs.hpp>
#include <schedule/format/runs.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/history.hpp>
#include <schedule/service/preview.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>

#include <nlohmann/json.hpp>

namespace schedule::app {

namespace {

// Prints a job in the selected format; with -q only its id.
void print_job(Invocation& inv, const model::Job& job) {
    if (inv.quiet())
        inv.print(job.id + "\n");
    else if (inv.output_format() == "json")
        inv.print(format::job_json(job, inv.style()));
    else
        inv.print(format::job_detail(job, inv.style()));
}

std::string job_label(const model::Job& job) {
    return util::quoted(job.name) + " (" + job.id + ")";
}

} // namespace

service::JobSpec JobFields::to_spec() const {
    service::JobSpec s = spec;
    if (!tags.empty())
        s.tags = tags;
    if (!env.empty())
        s.env = env;
    if (!windows.empty())
        s.windows = windows;
    if (!depends_on.empty())
        s.depends_on = depends_on;
    if (!conflicts_with.empty())
        s.conflicts_with = conflicts_with;
    return s;
}

int run_job_create(Invocation& inv, const JobCreateOptions& o) {
    auto spec = o.fields.to_spec();
    if (o.positional_name && spec.name && *o.positional_name != *spec.name)
        throw util::UsageError("the name is given twice: " + util::quoted(*o.positional_name) +
                               " and --name " + util::quoted(*spec.name));
    if (o.positional_name)
        spec.name = o.positional_name;
    print_job(inv, service::create_job(inv.context(), spec));
    return 0;
}

int run_job_list(Invocation& inv, const JobListOptions& o) {
    warn_when_ticks_stopped(inv);
    service::ListJobsRequest request{o.owner, o.status, o.tag, o.enabled};
    auto style = inv.style();
    if (inv.output_format() == "json") {
        // Written as it is read: a large store never sits in memory twice.
        constexpr std::size_t k_chunk = 64 * 1024;
        format::JobsJson json(style);
        service::each_job(inv.context(), request, [&](const model::Job& job) {
            json.add(job);
            if (json.pending() >= k_chunk)
                inv.print(json.take());
        });
        json.finish();
        inv.print(json.take());
        return 0;
    }
    auto jobs = service::list_jobs(inv.context(), request);
    if (inv.output_format() == "csv")
        inv.print(format::jobs_csv(jobs, style));
    else if (jobs.empty())
        inv.print(inv.quiet() ? "" : "No jobs.\n");
    else if (!style.terminal)
        inv.print(format::jobs_table(jobs, style));
    else {
        // On a terminal, each job's last runs too (man page, OUTPUT).
        auto recent = service::recent_runs(inv.context(), jobs, format::k_list_strip_runs);
        inv.print(format::jobs_table(jobs, style, &recent));
    }
    return 0;
}

int run_job_show(Invocation& inv, const JobRefOptions& o) {
    auto preview = service::preview_job(inv.context(), o.job, "5");
    if (inv.output_format() == "json")
        inv.print(format::job_json(preview.job, inv.style(), &preview.fires, &preview.state));
    else
        inv.print(format::job_detail(preview.job, inv.style(), &preview.fires, &preview.state));
    return 0;
}

int run_job_update(Invocation& inv, const JobUpdateOptions& o) {
    auto spec = o.fields.to_spec();
    print_job(inv, service::update_job(inv.context(), o.job, spec));
    return 0;
}

int run_job_graph(Invocation& inv, const JobGraphOptions& o) {
    const auto graph = service::job_graph(inv.context(), o.job);
    const auto& fmt = inv.output_format();
    if (fmt == "json")
        inv.print(format::graph_json(graph.jobs, graph.edges));
    else if (fmt == "dot")
        inv.print(format::graph_dot(graph.jobs, graph.edges));
    else
        inv.print(format::graph_table(graph.edges, inv.style()));
    return 0;
}

int run_job_delete(Invocation& inv, const JobDeleteOptions& o) {
    auto& ctx = inv.context();
    if (!o.force) {
        // Jobs that need it refuse the delete before any question.
        service::delete_job_check(ctx, o.job);
        if (!inv.stdin_is_terminal())
            throw util::UsageError("refusing to delete without confirmation: stdin is not a "
                                   "terminal",
                                   "pass --force to delete from a script");
        auto job = service::get_job(ctx, o.job);
        if (!inv.confirm("Delete job " + job_label(job) + " and all its history?")) {
            inv.print("Not deleted.\n");
            return 1;
        }
    }
    auto result = service::delete_job(ctx, o.job, o.force);
    if (inv.output_format() == "json") {
        nlohmann::ordered_json j;
        j["job_id"] = result.job.id;
        j["name"] = result.job.name;
        j["deleted"] = true;
        j["executions_deleted"] = result.executions_deleted;
        j["cancelled_executions"] = result.cancelled;
        j["unlinked"] = result.unlinked;
        inv.print(model::dump_json(j, 2) + "\n");
    } else if (!inv.quiet()) {
        std::vector<std::string> cancelled;
        for (auto id : result.cancelled)
            cancelled.push_back(std::to_string(id));
        inv.print("Deleted job " + job_label(result.job) + " and " +
                  std::to_string(result.executions_deleted) + " execution(s)" +
                  (cancelled.empty()
                       ? ""
                       : "; cancelled the running execution(s) " + util::join(cancelled, ", ")) +
                  (result.unlinked.empty()
                       ? ""
                       : "; removed the links to it of " + util::join(result.unlinked, ", ")) +
                  ".\n");
    }
    return 0;
}

namespace {
int set_enabled(Invocation& inv, const JobRefOptions& o, bool enabled) {
    auto result = service::set_job_enabled(inv.context(), o.job, enabled);
    if (inv.output_format() == "json") {
        inv.print(format::job_json(result.job, inv.style()));
    } else if (!inv.quiet()) {
        const char* verb = enabled ? "Resumed" : "Paused";
        const char* state = enabled ? "active" : "paused";
        inv.print(result.changed ? std::string(verb) + " job " + job_label(result.job) + ".\n"
                                 : "Job " + job_label(result.job) + " is already " + state + ".\n");
    }
    return 0;
}
} // namespace

int run_job_pause(Invocation& inv, const JobRefOptions& o) {
    return set_enabled(inv, o, false);
}
int run_job_resume(Invocation& inv, const JobRefOptions& o) {
    return set_enabled(inv, o, true);
}

} // namespace schedule::app
