#pragma once
// JSON forms of jobs and their parts (schedule(1), JSON REFERENCE). Used for
// `--format json` output, the store's JSON columns, backups and job
// documents (job_from_json() reads a job object back).

#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/model/job_builder.hpp>
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
// The same object as compact JSON text, appended to `out` (long lists).
void append_execution_json(std::string& out, const Execution& e, const time::Zone& zone, bool utc);

// Appends `s` as a JSON string, byte for byte what dump_json() writes for it
// (invalid UTF-8 becomes U+FFFD).
void append_json_string(std::string& out, std::string_view s);

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

// Time windows as a JSON array of their texts: ["Mon-Fri 09:00-17:00"].
std::string windows_to_json_text(const std::vector<Window>& windows);
util::Result<std::vector<Window>> windows_from_json_text(std::string_view text);

// The environment as a JSON object of strings.
nlohmann::ordered_json env_to_json(const std::vector<EnvVar>& env);
std::string env_to_json_text(const std::vector<EnvVar>& env);
util::Result<std::vector<EnvVar>> env_from_json_text(std::string_view text);

// The path of an element or member inside a JSON document, for error
// messages: json_path("jobs", 3) is "jobs[3]", json_path("jobs[3]",
// "retry_on") "jobs[3].retry_on", json_path("", "jobs") "jobs". A key
// that is not an identifier ([A-Za-z_][A-Za-z0-9_]*) is shown quoted, its
// control characters escaped and cut after 64 characters:
// jobs[3]["time out"].
std::string json_path(std::string_view parent, std::size_t index);
std::string json_path(std::string_view parent, std::string_view key);

// How job_from_json() reads a job object.
enum class JobJsonMode {
    // A job as a backup holds it (`config restore`): the object
    // job_to_json() writes. Besides the fields of a definition it reads
    // what the store keeps about the job: job_id (required: 8 lowercase
    // hexadecimal digits), status (which must agree with enabled: active
    // is enabled, paused is not), execution_count, failure_count,
    // scheduled_count (whole numbers from 0 to k_max_count), last_execution,
    // last_status (an execution status), created_at and updated_at
    // (default: now). An --at or end date in the past is kept
    // (BuildContext::keep_past).
    record,
    // A job definition (`apply -f`), written by hand or taken from a
    // backup: the fields `job create` sets. The keys that record mode
    // reads are accepted and ignored, so a backup's jobs can be applied.
    definition,
};

// Reads one job object, at `path` in its document ("" when the document
// is the job), into a Job, through build_job() with a JsonNamer: every
// field rule is the builder's, and every error is a util::ValidationError
// (exit 2) whose field is the JSON path of the key at fault
// ("jobs[3].timeout_seconds").
//
// Keys are those of the Job object of schedule(1), JSON REFERENCE, with
// the JSON types job_to_json() writes: strings, integers where it writes
// integers (a fraction or exponent is refused; ranges are the builder's),
// objects for tags, env and task_config, an array of strings or null for
// retry_on; null only where it writes null (an optional field that is
// not set). `priority` also takes a name (low, normal, high, critical).
// A missing key keeps the default of a new job; a new job needs name and
// command or task_type.
//
// The trigger is the `trigger` object ({"type": "cron", "expression":
// ...}, {"type": "daily", "at": "09:30"}, {"type": "every", "every":
// "15m", "anchor": ...}, {"type": "at", "at": ...}, {"type": "reboot"},
// {"type": "manual"}; each type takes only its own keys), or one of the
// command line's shorthand keys: "cron", "every" (with "anchor"),
// "daily", "weekly", "monthly", "at", written as their flags are. Both
// together is an error.
//
// Accepted and ignored in both modes, as values derived from others:
// cron_expression, the trigger's `expression` of daily, weekly, monthly
// and reboot triggers, next_execution (the caller computes the next run
// from now), and what `job show` adds (state, attempt, attempts_left,
// next_retry, next_runs, next_runs_dst). boot_id is not in the JSON: the
// result has none, as a new job. Any other key is refused as unknown.
Job job_from_json(const nlohmann::ordered_json& object, JobJsonMode mode, const BuildContext& ctx,
                  std::string_view path = "");

// Why nlohmann's reader refused JSON text, from its exception's what():
// "not valid JSON: parse error at line 1, column 2: ...", without the
// exception's id, and fit for one error line (the reader quotes the bytes
// it last read, which may be control characters, invalid UTF-8 or a
// whole long string): escaped, and cut after 256 bytes.
std::string json_refusal(std::string_view what);

// Serialises JSON for output; invalid UTF-8 in strings becomes U+FFFD, so
// the result is always valid JSON. indent < 0 means compact.
std::string dump_json(const nlohmann::ordered_json& j, int indent = -1);

} // namespace schedule::model
