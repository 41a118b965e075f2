#pragma once
// Use cases of `schedule next` and `schedule job next`: the coming fire
// instants of an expression or a stored job (schedule(1), PREVIEW and
// `job next`).

#include <schedule/model/job.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/plan/retry.hpp>
#include <schedule/service/context.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

struct ExpressionPreviewRequest {
    std::string expression;
    std::optional<std::string> timezone; // --tz, default: the default zone
    std::optional<std::string> from;     // --from, default: now
    std::optional<std::string> count;    // --count, default 5
};

struct ExpressionPreview {
    std::string expression; // normalised
    time::Zone zone;
    std::vector<plan::Fire> fires;
};

// The next fires strictly after --from. Throws ValidationError naming the
// argument for a bad expression (or one that never fires), zone, date-time
// or count. @reboot has no calendar fires: the list is empty.
ExpressionPreview preview_expression(Context& ctx, const ExpressionPreviewRequest& request);

struct JobPreview {
    model::Job job;
    time::Zone zone;
    std::vector<plan::Fire> fires;
    plan::RunState state; // running/retrying, attempt, attempts left, next retry
    // Why `fires` is empty, to follow "job NAME ": "has no schedule: it runs
    // only by `job run`", "is finished: it fires no more", ...; "" when it
    // is not empty.
    std::string no_fires;
};

// The job's next fires after now, honouring its start and end dates and
// jitter. Throws NotFound, or ValidationError for a bad count.
JobPreview preview_job(Context& ctx, std::string_view ref, const std::optional<std::string>& count);

} // namespace schedule::service
