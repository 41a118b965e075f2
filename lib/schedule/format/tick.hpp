#pragma once
// Output of `schedule tick` (schedule(1), TICK): the summary line, and with
// --dry-run each decision with its reason. Strings out; no I/O.

#include <schedule/format/style.hpp>
#include <schedule/model/job.hpp>
#include <schedule/plan/tick.hpp>

#include <map>
#include <string>

namespace schedule::format {

// "fired N, skipped N, queued N, recovered N\n".
std::string tick_summary(const plan::TickPlan& plan);

// --dry-run: one line per decision ("fire", "queue", "skip", "lose",
// "release", "wait"), then the summary line. `jobs` gives names and zones.
std::string tick_dry_run_text(const plan::TickPlan& plan,
                              const std::map<std::string, model::Job>& jobs, const Style& style);

// {"fired", "skipped", "queued", "recovered", "dry_run"}, and with
// --dry-run "decisions": [{"action", "job_id", "name", "execution_id",
// "trigger", "attempt", "scheduled_for", "reason", "count", "detail"}].
std::string tick_json(const plan::TickPlan& plan, const std::map<std::string, model::Job>& jobs,
                      bool dry_run, const Style& style);

} // namespace schedule::format
