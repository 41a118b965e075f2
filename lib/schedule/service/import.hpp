#pragma once
// The use case of `schedule import crontab` (schedule(1), IMPORT): one job
// per crontab line, every field judged by the job builder, the new jobs
// created in one transaction.

#include <schedule/model/crontab.hpp>
#include <schedule/service/context.hpp>

#include <optional>
#include <string>

namespace schedule::service {

struct ImportCrontabRequest {
    std::string text;   // the crontab
    std::string source; // the file it came from, or "-" for standard input
    model::CrontabKind kind = model::CrontabKind::user;
    std::optional<std::string> run_as; // user crontabs: the user every job runs as
    bool skip_invalid = false;
    bool dry_run = false;
};

// Reads the crontab (model::parse_crontab) and builds the job of each line
// (model::build_job, the fields named by line). A line whose job has the
// trigger, zone, command, environment and user of a job in the store is
// unchanged (each stored job answers for one line at most); the others are
// created in one write transaction, named from their commands and made
// unique against the store and each other with -2, -3, ... Invalid lines,
// from the parser or the builder, are listed in line order; unless
// `skip_invalid`, the import is then `refused` and writes nothing.
// `dry_run` writes nothing either and reports would_create. Throws
// UsageError for `run_as` with a system crontab, StoreError for the store.
model::CrontabImport import_crontab(Context& ctx, const ImportCrontabRequest& request);

} // namespace schedule::service
