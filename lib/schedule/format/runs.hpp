#pragma once
// The pictures of a job's recent runs that `job stats JOB` and `job list`
// add on a terminal (schedule(1), OUTPUT): a status strip and a
// duration sparkline. Pure: strings out.

#include <schedule/format/table.hpp>
#include <schedule/model/execution.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace schedule::format {

// How many of a job's newest ended runs `job stats JOB` and `job list` draw.
inline constexpr std::size_t k_stats_strip_runs = 30;
inline constexpr std::size_t k_list_strip_runs = 10;

// The colour of an execution status in tables: completed green; failed,
// timed_out and lost red; running cyan; queued and waiting yellow;
// cancelled and skipped dim.
Color status_color(model::ExecutionStatus s);

// A status as one plain character: '+' completed, 'x' failed, 'T'
// timed_out, 'L' lost, 'c' cancelled, '-' skipped ('?' for a run that has
// not ended).
char status_mark(model::ExecutionStatus s);

// One mark per run, in the order given (oldest first): with `color`, a
// "●" in the status's colour (neighbours of one colour share a span);
// without, one span of status_mark() characters. Empty for no runs.
std::vector<Span> run_strip(const std::vector<model::RunOutcome>& runs, bool color);

// One block of "▁▂▃▄▅▆▇█" per run, scaled from the shortest duration
// (▁) to the longest (█) of these runs, a space for a run without a
// duration; then "  min X  max Y" (duration_text). When every duration
// is the same the line is flat (▁). Empty when no run has a duration.
std::string duration_sparkline(const std::vector<model::RunOutcome>& runs);

} // namespace schedule::format
