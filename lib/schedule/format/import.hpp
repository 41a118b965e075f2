#pragma once
// Output of `schedule import crontab` (schedule(1), IMPORT): a table of the
// jobs with the counts below it, or one JSON object. Strings out; no I/O.
// Warnings and invalid lines go to stderr: the app prints them.

#include <schedule/format/style.hpp>
#include <schedule/model/crontab.hpp>

#include <string>

namespace schedule::format {

// LINE, STATUS, ID, NAME and SCHEDULE of each job (its zone after the
// schedule when it is not the default zone), then "2 created, 1
// unchanged." (with --dry-run "Dry run: 2 to create, 1 unchanged; nothing
// written."), adding the invalid lines skipped.
std::string import_text(const model::CrontabImport& result, const Style& style);

// {"source", "dry_run", "created", "unchanged", "skipped", "jobs": [{"line",
// "status", "job_id", "name", "trigger", "cron_expression", "timezone",
// "command", "env", "run_as"}], "invalid": [{"line", "error", "hint"}],
// "warnings": [{"line", "warning", "hint"}]}; "created" counts the jobs
// --dry-run would create.
std::string import_json(const model::CrontabImport& result, const Style& style);

} // namespace schedule::format
