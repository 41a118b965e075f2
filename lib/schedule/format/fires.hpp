#pragma once
// Fire previews (`schedule next`, `schedule job next`, `job show`).

#include <schedule/format/style.hpp>
#include <schedule/model/job.hpp>
#include <schedule/plan/fires.hpp>

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace schedule::format {

// "(dst: moved from 02:30)", "(dst: repeated hour)" or "".
std::string dst_note(const plan::Fire& fire);

// "(window: due 2026-12-04T20:00:00-05:00)" for a run that waits for a
// window, else "".
std::string window_note(const plan::Fire& fire, const time::Zone& zone, bool utc);

// One ISO-8601 instant per line in `zone` (or UTC with `utc`), followed by
// two spaces and the DST and window notes there are (schedule(1), PREVIEW).
std::string fires_text(const std::vector<plan::Fire>& fires, const time::Zone& zone, bool utc);

// The "next" array of instants and the parallel "dst" array of
// null | "moved" | "repeated".
nlohmann::ordered_json fires_json(const std::vector<plan::Fire>& fires, const time::Zone& zone,
                                  bool utc);
nlohmann::ordered_json dst_json(const std::vector<plan::Fire>& fires);
// The parallel array of null | the instant a run that waits for a window
// was due (plan::Fire::waited_from).
nlohmann::ordered_json waited_json(const std::vector<plan::Fire>& fires, const time::Zone& zone,
                                   bool utc);

// `schedule next --format json`: {"expression", "timezone", "next", "dst"}.
std::string expression_preview_json(const std::string& expression, const time::Zone& zone,
                                    const std::vector<plan::Fire>& fires, bool utc);

// `schedule job next --format json`: {"job_id", "name", "timezone", "status",
// "trigger", "cron_expression", "next", "dst", "waited_from"}.
std::string job_preview_json(const model::Job& job, const time::Zone& zone,
                             const std::vector<plan::Fire>& fires, bool utc);

} // namespace schedule::format
