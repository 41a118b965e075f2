#pragma once
// Running job processes (schedule(1), RUNNING JOBS). The only module that
// spawns, signals or waits for processes.
//
// A ProcessRunner owns any number of concurrent runs. Each run is one
// process started in its own session and process group, with stdout and
// stderr captured separately through pipes (bounded, head and tail kept),
// an optional timeout (SIGTERM to the group, SIGKILL after the kill grace)
// and optional live copying of the output to this process's stdout/stderr.
// A run ends when its main process has exited, its output pipes are closed
// and no process it left behind is alive: leftovers are sent SIGTERM when
// the main process exits and SIGKILL after the kill grace. The real runner
// makes this process a child subreaper, so children that leave the group
// (setsid, double fork) come back to it and are ended with their run.

#include <schedule/model/execution.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace schedule::exec {

// A user to run as: what setuid/setgid/setgroups and the environment need.
struct Identity {
    std::string name;
    unsigned uid = 0;
    unsigned gid = 0;
    std::string home;
};
// The passwd entry of `name`, or nullopt when there is none.
std::optional<Identity> lookup_user(const std::string& name);
// The effective user of this process.
Identity current_identity();

struct RunSpec {
    std::vector<std::string> argv; // argv[0]: absolute path of the executable
    std::vector<std::string> env;  // "NAME=value": the whole environment
    std::string working_dir = "/";
    std::optional<std::string> stdin_data; // nullopt: stdin is /dev/null
    // Switch to this user before exec (needs root); nullopt: stay as we are.
    std::optional<Identity> user;
    std::optional<std::chrono::seconds> timeout;
    std::chrono::seconds kill_grace{10};
    std::size_t max_bytes = 64 * 1024; // captured bytes per stream
    bool tee = false;                  // copy output live to our stdout/stderr
    // An environment entry that marks the run's processes, so a process
    // that left the group can still be attributed ("SCHEDULE_EXECUTION_ID=7").
    std::string marker;
};

enum class Outcome {
    exited,          // the main process exited (exit_code)
    signaled,        // the main process died of a signal (signal)
    timed_out,       // the timeout fired (exit_code or signal as it ended)
    cancelled,       // cancel() or an interrupt (cancel_signal)
    failed_to_start, // nothing ran (error)
};

struct RunResult {
    Outcome outcome = Outcome::exited;
    std::optional<int> exit_code;
    std::optional<int> signal;
    int cancel_signal = 0;
    std::string error; // failed_to_start: why, one line
    model::CapturedOutput out;
    model::CapturedOutput err;
    std::chrono::milliseconds duration{0}; // start to main process exit
};

using RunId = std::int64_t;

struct Started {
    std::int64_t pid = 0;           // also the process group and session id
    std::int64_t process_start = 0; // /proc/PID/stat starttime, 0 if unknown
};

struct Finished {
    RunId id = 0;
    RunResult result;
};

// What to do when this process receives SIGINT, SIGTERM or SIGHUP while
// runs are active.
enum class Interrupts {
    cancel_runs, // send the signal to every run's group; they end cancelled
    ignore,      // leave them to the default disposition
};

class ProcessRunner {
public:
    virtual ~ProcessRunner() = default;
    // Starts a run. Returns its pid, or nullopt when it could not start; the
    // failure is then reported by the next wait() as failed_to_start. After
    // an interrupt (Interrupts::cancel_runs) a run is not started: it ends
    // cancelled.
    virtual std::optional<Started> start(RunId id, const RunSpec& spec) = 0;
    // Blocks until at least one run has ended and returns the ended runs;
    // returns at once with nothing when no run is active.
    std::vector<Finished> wait() { return wait_for(std::nullopt); }
    // Like wait(), but returns with nothing once `limit` has passed (with no
    // run active: after `limit`). nullopt: no limit.
    virtual std::vector<Finished> wait_for(std::optional<std::chrono::milliseconds> limit) = 0;
    // Sends `signal` to the run's process group; the run ends cancelled, with
    // SIGKILL after its kill grace. Unknown ids are ignored.
    virtual void cancel(RunId id, int signal) = 0;
    // Runs started and not yet returned by wait().
    virtual std::size_t active() const = 0;
    // The signal that interrupted this process (Interrupts::cancel_runs), or 0.
    virtual int interrupted_by() const = 0;
};

// Starts are paced: a run is young until its main process has exited or
// k_start_spacing has passed since it started, and start() waits (still
// draining output) while as many runs are young as this process has CPUs.
// A burst of short runs then keeps each CPU busy with one process at a
// time, which is cheaper than many processes executing at once and
// contending for the CPUs; runs that last still all start within a few
// tens of milliseconds.
inline constexpr std::chrono::milliseconds k_start_spacing{10};

// The real runner: vfork and exec (fork and exec when switching users),
// signalfd and poll. Makes this process a child subreaper, blocks SIGCHLD,
// SIGINT, SIGTERM and SIGHUP while it exists (they are read through a
// signalfd) and ignores SIGPIPE; children start with no signal blocked and
// every signal at its default. Throws util::RuntimeFailure when the kernel
// refuses the setup.
std::unique_ptr<ProcessRunner> make_system_runner(Interrupts interrupts);

// --- facts about processes and the host (read from /proc) -----------------

// The start time of process `pid` in clock ticks since boot (field 22 of
// /proc/PID/stat), or nullopt when there is no such process.
std::optional<std::int64_t> process_start_time(std::int64_t pid);
// Whether process `pid` exists and started at `start` (so it is the same
// process, not a later one that reused the pid).
bool process_alive(std::int64_t pid, std::int64_t start);
// Blocks until the process `pid` that started at `start` is gone (it need
// not be our child), or `limit` has passed. Returns whether it is gone.
// Without pidfds (Linux before 5.3) it sleeps `limit` and looks again.
bool wait_gone(std::int64_t pid, std::int64_t start, std::chrono::milliseconds limit);
// Sends `signal` to process group `pgid` if its leader is still the
// process that started at `start`. Returns whether it was sent.
bool signal_group(std::int64_t pgid, std::int64_t start, int signal);
// The signal that asks a run to stop (SIGTERM), for ProcessRunner::cancel().
extern const int k_stop_signal;
// signal_group(pgid, start, SIGKILL): ends an orphaned run's group at once.
bool kill_group(std::int64_t pgid, std::int64_t start);
// SIGKILLs every other process whose environment holds each of `entries`
// (NAME=value), and the process group each of them leads: the processes of
// a run whose pid was never recorded. Scans /proc until a pass finds none
// (at most 10 passes). Returns how many processes it found (the members of
// a group it killed may be gone before the scan reaches them).
int kill_marked(const std::vector<std::string>& entries);
// Stops the process group `pgid` led by the process that started at
// `start`: SIGTERM, then SIGKILL once `grace` has passed while the leader
// still lives. Blocks up to `grace`. Returns whether the group was there.
bool terminate_group(std::int64_t pgid, std::int64_t start, std::chrono::seconds grace);
// This boot's id (/proc/sys/kernel/random/boot_id), or "" if unreadable.
std::string boot_id();
// The host name.
std::string host_name();
// This process's id.
std::int64_t self_pid();
// Name of signal `sig` without "SIG" ("TERM"), or its number.
std::string signal_name(int sig);
// strerror(err) of a failure to create a process or a descriptor, naming
// the limit that is the usual cause (ulimit -u for EAGAIN, -n for EMFILE).
std::string resource_text(int err);
// Ignores SIGXFSZ in this process, so that a write past the file-size
// limit (ulimit -f) fails with EFBIG, which becomes an error message,
// instead of killing the process mid-transaction. Call it before making a
// runner: runs still start with the signal at its default.
void ignore_file_size_signal();

} // namespace schedule::exec
