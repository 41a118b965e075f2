// Run functions of `schedule next` and `schedule job next`.

#include "commands.hpp"

#include <schedule/format/fires.hpp>
#include <schedule/service/preview.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/spdlog.h>

namespace schedule::app {

int run_next(Invocation& inv, const NextOptions& o) {
    auto& ctx = inv.context();
    auto preview = service::preview_expression(ctx, {o.expression, o.timezone, o.from, o.count});
    const bool utc = inv.style().utc;
    if (inv.output_format() == "json")
        inv.print(
            format::expression_preview_json(preview.expression, preview.zone, preview.fires, utc));
    else
        inv.print(format::fires_text(preview.fires, preview.zone, utc));
    return 0;
}

int run_job_next(Invocation& inv, const JobNextOptions& o) {
    auto preview = service::preview_job(inv.context(), o.job, o.count);
    const bool utc = inv.style().utc;
    if (!preview.no_fires.empty())
        spdlog::warn("job {} {}", util::escape_control(preview.job.name), preview.no_fires);
    else if (preview.job.status == model::JobStatus::paused)
        spdlog::warn("job {} is paused: it does not fire until it is resumed",
                     util::escape_control(preview.job.name));
    if (inv.output_format() == "json")
        inv.print(format::job_preview_json(preview.job, preview.zone, preview.fires, utc));
    else
        inv.print(format::fires_text(preview.fires, preview.zone, utc));
    return 0;
}

} // namespace schedule::app
