#include <schedule/exec/process.hpp>
#include <schedule/model/notify.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/service/export.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/util/system.hpp>

#include <algorithm>

namespace schedule::service {

ExportSelection select_for_export(Context& ctx, const std::vector<std::string>& refs) {
    ExportSelection s;
    if (refs.empty()) {
        s.jobs = list_jobs(ctx, {});
    } else {
        for (const auto& ref : refs) {
            auto job = get_job(ctx, ref);
            const bool seen = std::any_of(s.jobs.begin(), s.jobs.end(),
                                          [&](const model::Job& j) { return j.id == job.id; });
            if (!seen)
                s.jobs.push_back(std::move(job));
        }
    }
    // In root's store a job without --run-as runs as its owner when the
    // owner is a user of the host (resolve_run): its export says so.
    if (ctx.host().current_identity().uid == 0)
        for (auto& job : s.jobs)
            if (!job.run_as && job.owner && model::validate_user_name(*job.owner) &&
                ctx.host().lookup_user(*job.owner))
                job.run_as = job.owner;
    // A job without a hook of its own runs the store's default: its export
    // says so too.
    for (auto& job : s.jobs)
        for (auto kind : model::k_hook_kinds)
            model::own_hook(job, kind) = model::hook_command(job, ctx.settings, kind);
    s.keep_last = ctx.settings.history_keep_last;
    s.handlers = ctx.settings.handlers;
    s.host_zone = ctx.host_zone().name();
    s.now = ctx.now();
    return s;
}

} // namespace schedule::service
