#pragma once
// One options struct and one run function per subcommand. The run
// functions build a request, call one service function and render the
// result; they return the process exit code. CLI11 is not used here:
// cli.cpp fills the structs.

#include "invocation.hpp"

#include <schedule/service/jobs.hpp>

#include <optional>
#include <string>
#include <vector>

namespace schedule::app {

// --- job ------------------------------------------------------------------

// Flags of `job create` and `job update`: the service's spec, filled in
// directly, and the repeatable flags, which replace a list only when given.
struct JobFields {
    service::JobSpec spec;
    std::vector<std::string> tags;
    std::vector<std::string> env;
    std::vector<std::string> windows;
    std::vector<std::string> depends_on;
    std::vector<std::string> conflicts_with;

    service::JobSpec to_spec() const;
};

struct JobCreateOptions {
    std::optional<std::string> positional_name;
    JobFields fields;
};
int run_job_create(Invocation& inv, const JobCreateOptions& o);

struct JobListOptions {
    std::optional<std::string> owner;
    std::optional<std::string> status;
    std::optional<std::string> tag;
    std::optional<std::string> enabled;
};
int run_job_list(Invocation& inv, const JobListOptions& o);

struct JobRefOptions {
    std::string job;
};
int run_job_show(Invocation& inv, const JobRefOptions& o);
struct JobGraphOptions {
    std::optional<std::string> job;
};
int run_job_graph(Invocation& inv, const JobGraphOptions& o);
int run_job_pause(Invocation& inv, const JobRefOptions& o);
int run_job_resume(Invocation& inv, const JobRefOptions& o);

struct JobUpdateOptions {
    std::string job;
    JobFields fields; // also --enabled and the --clear- flags
};
int run_job_update(Invocation& inv, const JobUpdateOptions& o);

struct JobDeleteOptions {
    std::string job;
    bool force = false;
};
int run_job_delete(Invocation& inv, const JobDeleteOptions& o);

struct JobNextOptions {
    std::string job;
    std::optional<std::string> count;
};
int run_job_next(Invocation& inv, const JobNextOptions& o);

struct JobRunOptions {
    std::string job;
    bool dry_run = false;
    bool detach = false;
    bool force = false;
};
int run_job_run(Invocation& inv, const JobRunOptions& o);

struct JobHistoryOptions {
    std::optional<std::string> job;
    std::optional<std::string> limit;
    std::optional<std::string> status;
    std::optional<std::string> since;
};
int run_job_history(Invocation& inv, const JobHistoryOptions& o);

struct JobOutputOptions {
    std::string execution;
    bool stderr_only = false;
    bool both = false;
};
int run_job_output(Invocation& inv, const JobOutputOptions& o);

struct JobStatsOptions {
    std::optional<std::string> job;
};
int run_job_stats(Invocation& inv, const JobStatsOptions& o);

// `__supervise --store PATH`: the detached supervisor (hidden). Waits for
// EOF on stdin (its launcher's release), then runs the runs claimed for it.
int run_supervise(Invocation& inv);

// --- tick, queue ------------------------------------------------------------

struct TickOptions {
    bool dry_run = false;
    std::optional<std::string> now;
    bool wait = false;
};
int run_tick(Invocation& inv, const TickOptions& o);
int run_queue(Invocation& inv);

// --- events ---------------------------------------------------------------

struct EventsOptions {
    std::optional<std::string> job;
    std::optional<std::string> type;
    std::optional<std::string> since;
    std::optional<std::string> limit;
    bool follow = false;
};
int run_events(Invocation& inv, const EventsOptions& o);

// --- doctor -----------------------------------------------------------------

int run_doctor(Invocation& inv);
// For `job list` and `queue`: one warning on stderr when jobs are due and
// no tick has run for three minutes (service::stale_tick_warning).
void warn_when_ticks_stopped(Invocation& inv);

// --- next -------------------------------------------------------------------

struct NextOptions {
    std::string expression;
    std::optional<std::string> timezone;
    std::optional<std::string> from;
    std::optional<std::string> count;
};
int run_next(Invocation& inv, const NextOptions& o);

// --- export ---------------------------------------------------------------

struct ExportCommandOptions {
    std::string to;                        // crontab|systemd|kubernetes
    std::vector<std::string> jobs;         // none: every job
    std::optional<std::string> output_dir; // none: stdout
    bool force = false;                    // --output-dir: replace files export did not write
    std::optional<std::string> image;      // kubernetes
};
int run_export(Invocation& inv, const ExportCommandOptions& o);

// --- import ---------------------------------------------------------------

struct ImportCrontabOptions {
    std::string file; // a path, or "-" for standard input
    bool system = false;
    std::optional<std::string> run_as;
    bool skip_invalid = false;
    bool dry_run = false;
};
int run_import_crontab(Invocation& inv, const ImportCrontabOptions& o);

// --- config ---------------------------------------------------------------

int run_config_list(Invocation& inv);

struct ConfigKeyOptions {
    std::string key;
    std::string value; // config set only
};
int run_config_get(Invocation& inv, const ConfigKeyOptions& o);
int run_config_set(Invocation& inv, const ConfigKeyOptions& o);
int run_config_unset(Invocation& inv, const ConfigKeyOptions& o);

struct ConfigBackupOptions {
    std::string output; // a file, or "-" for stdout
    bool include_history = false;
};
int run_config_backup(Invocation& inv, const ConfigBackupOptions& o);

struct ConfigRestoreOptions {
    std::string input; // a file, or "-" for stdin
    bool force = false;
    bool prune = false;
    bool dry_run = false;
};
int run_config_restore(Invocation& inv, const ConfigRestoreOptions& o);

// --- apply ------------------------------------------------------------------

struct ApplyOptions {
    std::string file; // a file, or "-" for stdin
    bool prune = false;
    bool dry_run = false;
};
int run_apply(Invocation& inv, const ApplyOptions& o);

} // namespace schedule::app
