#pragma once
// Validation of job fields as users write them (schedule(1), JOB FIELD
// FLAGS). Each function returns the normalised value or a Failure whose
// message is the reason only; the caller names the field (a flag, or a JSON
// path).

#include <schedule/model/job.hpp>
#include <schedule/util/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::model {

// 1-64 characters of valid UTF-8; no control characters, no ':', no leading
// or trailing space, never exactly 8 hex digits (that would read as an id).
util::Result<std::string> validate_name(std::string_view name);

// True when `ref` has the shape of a job id (8 hex digits, any case).
bool looks_like_job_id(std::string_view ref);

// "0".."100" or low|normal|high|critical (any case).
util::Result<int> parse_priority(std::string_view text);
// "low" for 20, ... ; nullopt for a value without a name.
std::optional<std::string_view> priority_name(int priority);

// "key=value" or "key". Key: 1-64 characters without '=', ',' or controls.
util::Result<Tag> parse_tag(std::string_view text);
// The rules of parse_tag() for a tag given as key and value (a document's
// tags object); the reason when it breaks one.
std::optional<util::Failure> check_tag(const Tag& tag);
// Sorts by key; fails when a key appears twice.
util::Result<std::vector<Tag>> normalise_tags(std::vector<Tag> tags);

// "NAME=value"; NAME matches [A-Za-z_][A-Za-z0-9_]*, is at most 256
// characters and is not one of the SCHEDULE_* variables the scheduler sets
// itself. The value: valid UTF-8 without NUL, at most 64 KiB.
util::Result<EnvVar> parse_env(std::string_view text);
// The rules of parse_env() for a variable given as name and value (a
// document's env object); the reason when it breaks one.
std::optional<util::Failure> check_env(const EnvVar& var);
// Sorts by name; fails when a name appears twice.
util::Result<std::vector<EnvVar>> normalise_env(std::vector<EnvVar> env);

// Up to 4096 bytes; anything but NUL.
util::Result<std::string> validate_description(std::string_view text);
// Not empty or blank, up to 64 KiB, no NUL.
util::Result<std::string> validate_command(std::string_view text);
// 1-64 characters [A-Za-z0-9_.-], starting with a letter or digit.
util::Result<std::string> validate_task_type(std::string_view text);
// A JSON object, returned compact; nesting at most 64 deep, up to 64 KiB.
util::Result<std::string> validate_task_config(std::string_view text);
// 1-64 characters, no control characters, no leading or trailing space.
util::Result<std::string> validate_owner(std::string_view text);
// An absolute path without NUL or newline.
util::Result<std::string> validate_working_dir(std::string_view text);
// A user name for --run-as: 1-32 characters [A-Za-z0-9._-], not starting
// with '-'.
util::Result<std::string> validate_user_name(std::string_view text);
// A whole number in [min, max] ("--max-attempts 3").
util::Result<std::int64_t> parse_count(std::string_view text, std::int64_t min, std::int64_t max);
// A duration of at least `min` seconds.
util::Result<time::Duration> parse_duration_at_least(std::string_view text, std::int64_t min);
// `--retry-on`: a comma-separated list of timeout, lost, signal and exit:N
// (N 1-255); sorted, without duplicates; never empty.
util::Result<std::vector<RetryOn>> parse_retry_on(std::string_view text);
// The same for the items given one by one (a document's array).
util::Result<std::vector<RetryOn>> parse_retry_on(const std::vector<std::string_view>& items);
// "true|false|yes|no|1|0|on|off".
util::Result<bool> parse_bool(std::string_view text);

} // namespace schedule::model
