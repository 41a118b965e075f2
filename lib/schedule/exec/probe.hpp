#pragma once
// Asking the host about itself (schedule(1), DOCTOR): a short command's
// answer (systemctl, crontab -l) and whether a daemon runs. Nothing here
// runs a job.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace schedule::exec {

struct CommandAnswer {
    int exit_code = 0;
    std::string out; // the first 64 KiB of its standard output
};

// Runs `argv` (argv[0] looked up in PATH) with standard input and error on
// /dev/null and reads its standard output. nullopt when it cannot be
// started, is killed by a signal, or has not ended within `limit` (it is
// then killed).
std::optional<CommandAnswer> ask_command(const std::vector<std::string>& argv,
                                         std::chrono::milliseconds limit);

// Whether a process runs whose name (/proc/PID/comm) is one of `names`.
bool process_named(const std::vector<std::string>& names);

} // namespace schedule::exec
