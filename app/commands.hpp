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

// Flags shared by `job create` and `job update`; vectors hold repeatable flags.
struct JobFields {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::string> cron;
    std::optional<std::string> command;
    std::optional<std::string> task_type;
    std::optional<std::string> task_config;
    std::optional<std::string> priority;
    std::optional<std::string> owner;
    std::vector<std::string> tags;
    std::optional<std::string> timezone;
    std::optional<std::string> timeout;
    std::vector<std::string> env;
    std::optional<std::string> working_dir;
    std::optional<std::string> every;
    std::optional<std::string> anchor;
    std::optional<std::string> daily;
    std::optional<std::string> weekly;
    std::optional<std::string> monthly;
    std::optional<std::string> at;
    std::optional<std::string> jitter;
    std::optional<std::string> dst_gap;
    std::optional<std::string> dst_overlap;
    std::optional<std::string> start_date;
    std::optional<std::string> end_date;

    // Converts to the service's spec; repeatable flags count only when given.
    service::JobSpec to_spec() const;
};

struct JobCreateOptions {
    std::optional<std::string> positional_name;
    JobFields fields;
    bool disabled = false;
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
int run_job_pause(Invocation& inv, const JobRefOptions& o);
int run_job_resume(Invocation& inv, const JobRefOptions& o);

struct JobUpdateOptions {
    std::string job;
    JobFields fields;
    std::optional<std::string> enabled;
    bool clear_description = false;
    bool clear_owner = false;
    bool clear_tags = false;
    bool clear_timeout = false;
    bool clear_env = false;
    bool clear_working_dir = false;
    bool clear_schedule = false;
    bool clear_jitter = false;
    bool clear_start_date = false;
    bool clear_end_date = false;
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

// --- next -------------------------------------------------------------------

struct NextOptions {
    std::string expression;
    std::optional<std::string> timezone;
    std::optional<std::string> from;
    std::optional<std::string> count;
};
int run_next(Invocation& inv, const NextOptions& o);

// --- config ---------------------------------------------------------------

int run_config_list(Invocation& inv);

struct ConfigKeyOptions {
    std::string key;
    std::string value; // config set only
};
int run_config_get(Invocation& inv, const ConfigKeyOptions& o);
int run_config_set(Invocation& inv, const ConfigKeyOptions& o);
int run_config_unset(Invocation& inv, const ConfigKeyOptions& o);

} // namespace schedule::app
