#pragma once
// Recording runs, shared by `job run` (runs.cpp) and the supervisor
// (supervisor.cpp): the fields of a run that starts in this process, what
// the runner is given for it, and the transaction that records ends with
// the retries, `--after` followers and hooks they call for (records.cpp).
// Internal to service/.

#include <schedule/exec/process.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/service/context.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/runs.hpp>

#include <cstdint>
#include <utility>
#include <vector>

namespace schedule::service {

// The fields of a run that starts now in this process.
void mark_running(Context& ctx, model::Execution& e);

// What the runner is given to start run `execution_id` of `job`.
exec::RunSpec spec_for(Context& ctx, const model::Job& job, const ResolvedRun& r, Tee tee,
                       std::int64_t execution_id);

enum class Retries { no, yes };

// Records the end of runs in `tx`: status (a run that a replacing run
// stopped is `cancelled`), output, counters and events; with Retries::yes
// also the retry the job's policy asks for, or the skip of a superseded
// one; and the hook each end calls for, to be sent by `sender`. Returns
// those hooks.
std::vector<model::Notification>
record_ends(Context& ctx, store::WriteTransaction& tx,
            std::vector<std::pair<model::Execution, exec::RunResult>>& ended, Retries retries,
            const Sender& sender);

// What is left to write of ends that could not be written whole (the
// store's disk is full): their captured output is dropped, keeping how
// many bytes there were, and each run's error says so and `why`.
void drop_outputs(std::vector<std::pair<model::Execution, exec::RunResult>>& ended,
                  const std::string& why);

// Logs each end, once it is committed.
void log_ends(const std::vector<std::pair<model::Execution, exec::RunResult>>& ended);

} // namespace schedule::service
