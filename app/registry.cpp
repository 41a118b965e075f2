#include "registry.hpp"

#include <stdexcept>
#include <string>

namespace schedule::app {

const std::vector<CommandInfo>& commands() {
    static const std::vector<CommandInfo> k_commands = {
        {"job create", "Define a new job", {"table", "json"}, StoreAccess::write},
        {"job list",
         "List jobs with their schedule and next run",
         {"table", "json", "csv"},
         StoreAccess::read},
        {"job show", "Show every field of a job", {"table", "json"}, StoreAccess::read},
        {"job update", "Change some fields of a job", {"table", "json"}, StoreAccess::write},
        {"job delete", "Delete a job and its history", {"table", "json"}, StoreAccess::write},
        {"job pause",
         "Stop a job from firing (it keeps its history)",
         {"table", "json"},
         StoreAccess::write},
        {"job resume", "Let a paused job fire again", {"table", "json"}, StoreAccess::write},
        {"job next", "Show a job's next fire times", {"table", "json"}, StoreAccess::read},
        {"job graph",
         "Show how jobs depend on, follow and conflict with each other",
         {"table", "json", "dot"},
         StoreAccess::read},
        {"job run",
         "Run a job now, in the foreground or detached",
         {"table", "json"},
         StoreAccess::run},
        {"job history",
         "List a job's executions, newest first",
         {"table", "json", "csv"},
         StoreAccess::read},
        {"job output",
         "Print the captured output of an execution",
         {"table", "json"},
         StoreAccess::read},
        {"job stats",
         "Success rates, durations and trends of jobs",
         {"table", "json", "prometheus"},
         StoreAccess::read},
        {"import crontab",
         "Create jobs from a crontab, one per line",
         {"table", "json"},
         StoreAccess::write},
        {"__supervise", "", {"table"}, StoreAccess::run},
        {"tick",
         "Fire the jobs that are due (run it every minute)",
         {"table", "json"},
         StoreAccess::run},
        {"queue",
         "Show running runs and the queue, with why each waits",
         {"table", "json"},
         StoreAccess::read},
        {"events",
         "Show the audit log of changes and runs, or follow it",
         {"table", "json"},
         StoreAccess::read},
        {"doctor",
         "Check that this host will run the store's jobs, with a fix for each problem",
         {"table", "json"},
         StoreAccess::read},
        {"next", "Show when a cron expression fires next", {"table", "json"}, StoreAccess::read},
        {"export",
         "Write jobs as crontab lines, systemd units or Kubernetes CronJobs",
         {"table"},
         StoreAccess::read},
        {"config list",
         "Show every setting with its value and source",
         {"table", "json", "csv"},
         StoreAccess::read},
        {"config get", "Print one setting's value", {"table", "json"}, StoreAccess::read},
        {"config set", "Store a setting", {"table", "json"}, StoreAccess::write},
        {"config unset",
         "Remove a stored setting so its default applies",
         {"table", "json"},
         StoreAccess::write},
        {"config backup",
         "Save the jobs, settings and optionally history as JSON",
         {"table", "json"},
         StoreAccess::read},
        {"config restore",
         "Bring back the jobs, settings and history of a backup",
         {"table", "json"},
         StoreAccess::write},
        {"apply",
         "Make the store's jobs match a file of job definitions",
         {"table", "json"},
         StoreAccess::write},
    };
    return k_commands;
}

const CommandInfo& command(std::string_view path) {
    for (const auto& c : commands())
        if (c.path == path)
            return c;
    throw std::logic_error("command not in registry: " + std::string(path));
}

} // namespace schedule::app
