#pragma once
// Output of `schedule tick` (schedule(1), TICK): the summary line, and with
// --dry-run each decision with its reason. Strings out; no I/O.

#include <schedule/format/style.hpp>
#include <schedule/model/job.hpp>
#include <schedule/plan/tick.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace schedule::format {

// "fired N, skipped N, queued N, recovered N\n".
std::string tick_summary(const plan::TickPlan& plan);

// The progress line of `tick --wait` on a terminal: back to the start of
// the line, "12/40 done, 3 running, 25 queued", then the rest of the line
// cleared (so a shorter text replaces a longer one).
std::string tick_progress_line(std::int64_t done, std::int64_t total, std::int64_t running,
                               std::int64_t queued);
// Erases that line: back to its start, and cleared.
inline constexpr std::string_view k_erase_progress_line = "\r\033[K";

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
