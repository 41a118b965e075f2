#pragma once
// The job: what it is, when it fires and what it runs (schedule(1), JOB
// FIELD FLAGS). Plain data. Validation of user input lives in validate.hpp;
// encoding to and from JSON in job_json.hpp; persistence in store/.

#include <schedule/model/window.hpp>
#include <schedule/time/instant.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::model {

enum class TriggerType { manual, cron, every, daily, weekly, monthly, at, after, reboot };
std::string_view to_string(TriggerType t);
std::optional<TriggerType> parse_trigger_type(std::string_view s);

// The state a run of another job must end in for a link to it
// (--depends-on, --after): completed; failed (failed, timed out or lost,
// with no attempt left); any of these.
enum class EndState { completed, failed, any };
inline constexpr std::array k_end_states{EndState::completed, EndState::failed, EndState::any};
std::string_view to_string(EndState s);
std::optional<EndState> parse_end_state(std::string_view s);

// A link from a job to another one (schedule(1), DEPENDENCIES): the other
// job's id (what the store keeps) and its name (as the user gave it until
// the service resolves it; its current name when read from the store);
// for --depends-on and --after the state its run must end in, and for
// --depends-on how long a run waits for it (0: until the job's next
// scheduled run).
struct JobLink {
    std::string job_id;
    std::string job_name;
    EndState state = EndState::completed;
    time::Duration timeout{0};
    friend bool operator==(const JobLink&, const JobLink&) = default;
};

// One link between two jobs as `job graph` draws it, from the job that
// runs first to the one that waits: `from` is depended on (depends_on),
// fires `to` (after), or conflicts with it (conflicts_with, `to` being the
// job the link names). The link's state and timeout are `from`'s.
struct GraphLink {
    std::string kind; // depends_on, after, conflicts_with
    JobLink from;
    JobLink to;
};

// When a job fires (schedule(1): JOB FIELD FLAGS, and the Trigger object):
//   cron     expression                the five fields (normalised spacing)
//   reboot   expression = "@reboot"    first tick after a boot
//   daily    spec "09:30"              compiled to `expression` "30 9 * * *"
//   weekly   spec "MON,THU@09:30"      compiled to "30 9 * * MON,THU"
//   monthly  spec "15@09:30"           compiled to "30 9 15 * *"
//   every    every, anchor             anchor + k * every, k >= 0
//   at       at                        once
//   after    after                     each time a run of another job ends
//                                      in after->state
//   manual                             only by hand
struct Trigger {
    TriggerType type = TriggerType::manual;
    std::string expression;
    std::string spec;
    std::optional<time::Duration> every;
    std::optional<time::Instant> anchor;
    std::optional<time::Instant> at;
    std::optional<JobLink> after;

    // The cron expression behind the trigger, if it is cron-backed (the
    // job's JSON `cron_expression`), else nullopt.
    std::optional<std::string> cron_expression() const;
    friend bool operator==(const Trigger&, const Trigger&) = default;
};

// What a fixed-time job does about daylight-saving changes
// (--dst-gap, --dst-overlap).
enum class DstGap { run, skip };
enum class DstOverlap { once, twice };
// Each enumeration's values, in the order the man page lists them: the
// parsers below accept their names, shell completion offers them.
inline constexpr std::array k_dst_gaps{DstGap::run, DstGap::skip};
inline constexpr std::array k_dst_overlaps{DstOverlap::once, DstOverlap::twice};
std::string_view to_string(DstGap g);
std::string_view to_string(DstOverlap o);
std::optional<DstGap> parse_dst_gap(std::string_view s);
std::optional<DstOverlap> parse_dst_overlap(std::string_view s);

// What happens when a job is due while a run of it is still going
// (--overlap; schedule(1), TICK, Checks).
// `job run` refuses only under skip.
enum class Overlap { skip, queue, allow, replace };
inline constexpr std::array k_overlaps{Overlap::skip, Overlap::queue, Overlap::allow,
                                       Overlap::replace};
std::string_view to_string(Overlap o);
std::optional<Overlap> parse_overlap(std::string_view s);

// What happens to a run that is due outside every one of the job's time
// windows (--outside-window): it waits for the next window to open, or it
// is skipped.
enum class OutsideWindow { wait, skip };
inline constexpr std::array k_outside_windows{OutsideWindow::wait, OutsideWindow::skip};
std::string_view to_string(OutsideWindow o);
std::optional<OutsideWindow> parse_outside_window(std::string_view s);

// How the delay before each retry grows (--backoff).
enum class Backoff { fixed, linear, exponential, fibonacci };
inline constexpr std::array k_backoffs{Backoff::fixed, Backoff::linear, Backoff::exponential,
                                       Backoff::fibonacci};
std::string_view to_string(Backoff b);
std::optional<Backoff> parse_backoff(std::string_view s);

// What a tick does about fire instants it missed (--catchup).
enum class Catchup { latest, all, none };
inline constexpr std::array k_catchups{Catchup::latest, Catchup::all, Catchup::none};
std::string_view to_string(Catchup c);
std::optional<Catchup> parse_catchup(std::string_view s);

// A failure a retry is made for (`--retry-on`): a timeout, a lost
// run, death by a signal, or one exit code. Text: timeout, lost, signal,
// exit:N.
struct RetryOn {
    enum class Kind { timeout, lost, signal, exit } kind = Kind::timeout;
    int code = 0; // exit only
    friend bool operator==(const RetryOn&, const RetryOn&) = default;
};
std::string to_string(const RetryOn& r);
std::optional<RetryOn> parse_retry_on_item(std::string_view s);
// "timeout,exit:3" (normalised: sorted, no duplicates); "" for an empty list.
std::string retry_on_text(const std::vector<RetryOn>& list);

enum class JobStatus { active, paused, finished };
inline constexpr std::array k_job_statuses{JobStatus::active, JobStatus::paused,
                                           JobStatus::finished};
std::string_view to_string(JobStatus s);
std::optional<JobStatus> parse_job_status(std::string_view s);

// The largest value of a job's counters (execution_count, failure_count,
// scheduled_count), of a skip record's skipped_count and of an execution
// id that a backup document may give: 2^53 - 1, the largest integer that
// JSON readers holding numbers as doubles keep exactly. The store's
// counters stop there rather than overflow.
inline constexpr std::int64_t k_max_count = 9'007'199'254'740'991;

// Whether a job with this max_executions has used it up, `started` runs of
// its schedule having started (never without a limit).
inline bool limit_reached(const std::optional<std::int64_t>& max_executions, std::int64_t started) {
    // Engaged tested alone first: `max && started >= *max` let GCC compare
    // with the payload of an empty optional before testing it, harmless
    // but a use of an uninitialised value to valgrind.
    if (!max_executions)
        return false;
    return started >= *max_executions;
}

// A tag is `key=value` or a bare `key` (value nullopt). Keys are unique.
struct Tag {
    std::string key;
    std::optional<std::string> value;
    friend bool operator==(const Tag&, const Tag&) = default;
};

struct EnvVar {
    std::string name;
    std::string value;
    friend bool operator==(const EnvVar&, const EnvVar&) = default;
};

constexpr int k_priority_low = 20;
constexpr int k_priority_normal = 50;
constexpr int k_priority_high = 80;
constexpr int k_priority_critical = 100;
// The priorities that have a name (low, normal, high, critical).
inline constexpr std::array k_priority_levels{k_priority_low, k_priority_normal, k_priority_high,
                                              k_priority_critical};

struct Job {
    std::string id; // 8 lowercase hex digits, immutable
    std::string name;
    std::string description;
    Trigger trigger;
    std::string timezone; // IANA name, fixed at creation

    // What runs: exactly one of `command` or `task_type` is set.
    std::optional<std::string> command;
    std::optional<std::string> task_type;
    std::string task_config = "{}"; // a JSON object, compact

    int priority = k_priority_normal;
    std::optional<std::string> owner;
    std::vector<Tag> tags; // sorted by key
    bool enabled = true;
    JobStatus status = JobStatus::active;
    std::optional<time::Duration> timeout;
    std::vector<EnvVar> env; // sorted by name
    std::optional<std::string> working_dir;
    // The user the job runs as (schedule(1), RUNNING JOBS); nullopt: the
    // owner when root runs it and the owner names a user, else whoever runs
    // it.
    std::optional<std::string> run_as;
    time::Duration kill_grace{10}; // from SIGTERM to SIGKILL
    Overlap overlap = Overlap::skip;

    // Scheduling details: a stable delay added to every fire, the
    // DST rules of fixed-time triggers, and the period the job may fire in.
    time::Duration jitter{0};
    DstGap dst_gap = DstGap::run;
    DstOverlap dst_overlap = DstOverlap::once;
    std::optional<time::Instant> start_date;
    std::optional<time::Instant> end_date;
    // When runs may start (schedule(1), TIME WINDOWS): inside any of these
    // (always, when empty), and what a run due outside them does.
    std::vector<Window> windows;
    OutsideWindow outside_window = OutsideWindow::wait;
    // Jobs whose runs this job's runs wait for (--depends-on), and jobs
    // that never run at the same time as this one (--conflicts-with; only
    // the ids and names count).
    std::vector<JobLink> depends_on;
    std::vector<JobLink> conflicts_with;

    // What a tick does about missed fires and how often the job may run
    // (schedule(1), TICK): catch-up policy, the longest a run may start
    // after its scheduled instant (nullopt: no limit), the number of
    // scheduled runs after which the job is finished, and the concurrent
    // runs overlap `allow` permits (nullopt: up to max_workers).
    Catchup catchup = Catchup::latest;
    std::optional<time::Duration> misfire_grace;
    std::optional<std::int64_t> max_executions;
    std::optional<int> max_instances;

    // Retry policy (schedule(1), RETRIES): attempts in all, the first delay
    // and its cap, how it grows, and the failures that are retried (empty:
    // any failure, i.e. failed, timed_out or lost).
    int max_attempts = 1;
    time::Duration retry_delay{60};
    time::Duration retry_max_delay{3600};
    Backoff backoff = Backoff::exponential;
    std::vector<RetryOn> retry_on;

    // Notification hooks (schedule(1), NOTIFICATIONS): shell commands run
    // after a run ends completed (on_success), after a failed attempt that
    // is retried (on_retry) and after the last failed attempt (on_failure).
    // nullopt: the store's default for that kind (notify.on_*), which
    // `notify` false turns off for this job.
    std::optional<std::string> on_failure;
    std::optional<std::string> on_retry;
    std::optional<std::string> on_success;
    bool notify = true;

    // Maintained by the store from the job's executions.
    std::int64_t execution_count = 0;
    std::int64_t failure_count = 0;
    std::optional<time::Instant> last_execution;
    std::optional<std::string> last_status;
    std::optional<time::Instant> next_execution;
    // Runs of the schedule that have started (counts_toward_limit()
    // triggers; counted when a run is recorded running): what
    // max_executions counts.
    std::int64_t scheduled_count = 0;
    // @reboot: the boot the job last fired in (or was defined in).
    std::optional<std::string> boot_id;

    time::Instant created_at{};
    time::Instant updated_at{};

    // Every field, boot_id included.
    friend bool operator==(const Job&, const Job&) = default;
};

} // namespace schedule::model
