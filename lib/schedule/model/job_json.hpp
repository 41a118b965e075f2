#pragma once
// JSON forms of jobs and their parts (schedule(1), JSON REFERENCE). Used for
// `--format json` output, the store's JSON columns and, later, backups.

#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/result.hpp>

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::model {

// The job's zone; UTC when its name is not in the tz database (any more).
time::Zone zone_of(const Job& job);

// An instant as JSON shows it: "YYYY-MM-DDTHH:MM:SS±HH:MM" in
// `zone`, or "...Z" when `utc`; null when absent.
nlohmann::ordered_json instant_json(const std::optional<time::Instant>& t, const time::Zone& zone,
                                    bool utc);

// The job as one JSON object with the keys of the man page's Job object.
// Instants are in the job's zone (UTC with `utc`).
nlohmann::ordered_json job_to_json(const Job& job, bool utc);
// The same with the job's zone already looked up.
nlohmann::ordered_json job_to_json(const Job& job, const time::Zone& zone, bool utc);
// The job object as compact JSON text, written directly (what
// dump_json(job_to_json(...)) gives, without building the tree: lists of
// many jobs). append_job_json() appends it to `out`.
std::string job_json_text(const Job& job, const time::Zone& zone, bool utc);
void append_job_json(std::string& out, const Job& job, const time::Zone& zone, bool utc);

// The man page's Execution object (`job history --format json`), instants
// in `zone` (UTC with `utc`).
nlohmann::ordered_json execution_to_json(const Execution& e, const time::Zone& zone, bool utc);

// The man page's Trigger object: {"type": "cron", "expression": "..."},
// {"type": "daily", "at": "09:30", "expression": "30 9 * * *"},
// {"type": "every", "every": "15m", "anchor": INSTANT},
// {"type": "at", "at": INSTANT}, {"type": "manual"}. Instants in `zone`
// (UTC with `utc`).
nlohmann::ordered_json trigger_to_json(const Trigger& trigger, const time::Zone& zone, bool utc);
// The stored form (instants in UTC) and its reader.
std::string trigger_to_json_text(const Trigger& trigger);
util::Result<Trigger> trigger_from_json_text(std::string_view text);

// Tags as a JSON object: {"team": "infra", "production": null}.
nlohmann::ordered_json tags_to_json(const std::vector<Tag>& tags);
std::string tags_to_json_text(const std::vector<Tag>& tags);
util::Result<std::vector<Tag>> tags_from_json_text(std::string_view text);

// The environment as a JSON object of strings.
nlohmann::ordered_json env_to_json(const std::vector<EnvVar>& env);
std::string env_to_json_text(const std::vector<EnvVar>& env);
util::Result<std::vector<EnvVar>> env_from_json_text(std::string_view text);

// Serialises JSON for output; invalid UTF-8 in strings becomes U+FFFD, so
// the result is always valid JSON. indent < 0 means compact.
std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

} // namespace schedule::model
