#pragma once
// The one place where field values become a job: `job create`, `job update`
// and every reader of job documents (job_json.hpp: job_from_json) go
// through build_job() or change_job(), so each rule of schedule(1), JOB
// FIELD FLAGS, is written once.
//
// The values come as text, as the command line gives them ("1h30m",
// "3", "team=infra"), or already decoded where text would be ambiguous (a
// document's tags and env are objects, its retry_on an array). Errors are
// util::ValidationError (exit 2) whose field is named by a FieldNamer: a
// flag for the command line (FlagNamer: "--timeout"), a JSON path for a
// document (JsonNamer: "jobs[3].timeout_seconds").
//
// What needs the host or the store stays with the caller: the builder asks
// BuildContext whether a run_as user exists, and a name's uniqueness, the
// job id, the next run and the boot of an @reboot job are the service's.

#include <schedule/model/job.hpp>
#include <schedule/time/instant.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace schedule::model {

// The fields a job definition gives, one per `job create` flag. The
// trigger fields (cron .. at) name the trigger's forms: at most one is
// given.
enum class Field {
    name,
    description,
    cron,
    every,
    anchor,
    daily,
    weekly,
    monthly,
    at,
    jitter,
    dst_gap,
    dst_overlap,
    start_date,
    end_date,
    window,
    outside_window,
    after,
    depends_on,
    conflicts_with,
    command,
    task_type,
    task_config,
    priority,
    owner,
    tags,
    timezone,
    timeout,
    env,
    working_dir,
    run_as,
    kill_grace,
    overlap,
    max_instances,
    catchup,
    misfire_grace,
    max_executions,
    max_attempts,
    retry_delay,
    retry_max_delay,
    backoff,
    retry_on,
    on_failure,
    on_retry,
    on_success,
    notify,    // --notify; a document's "notify"
    no_notify, // --no-notify; a document's "notify": false
    enabled,   // `job update --enabled`; a document's "enabled"
    disabled,  // `job create --disabled`; a document's "enabled": false
};

// The command-line flag of a field ("--timeout") and the key of the job's
// JSON object ("timeout_seconds"; for the trigger fields, the shorthand
// key of a job definition: "cron", "every", ...).
std::string_view flag_of(Field f);
std::string_view json_key_of(Field f);
// The field whose flag is `flag` ("--overlap"), if any.
std::optional<Field> field_of_flag(std::string_view flag);

// The values a field takes when they are a fixed set, as the command line
// writes them, in the man page's order (overlap: skip, queue, allow,
// replace; priority: its names; enabled: true, false); empty for a field of
// free text. Shell completion offers them.
std::vector<std::string_view> choices_of(Field f);

// How errors name fields. Messages and hints are built from these, so a
// refused command line says "--max-instances: only overlap allow runs more
// than one instance (hint: add --overlap allow)" and a refused document
// `jobs[3].max_instances: ... (hint: add "overlap": "allow")`.
class FieldNamer {
public:
    virtual ~FieldNamer() = default;
    // The field an error is about (the ValidationError's field).
    virtual std::string name(Field f) const = 0;
    // How a message about one field refers to another one.
    virtual std::string mention(Field f) const = 0;
    // How the user gives the field a value: "--overlap allow".
    virtual std::string setting(Field f, std::string_view value) const = 0;
    // How the user removes an optional field's value: "--clear-timeout".
    virtual std::string clearing(Field f) const = 0;
};

// The command line: flags, the --clear- flags of `job update`.
class FlagNamer final : public FieldNamer {
public:
    std::string name(Field f) const override;
    std::string mention(Field f) const override;
    std::string setting(Field f, std::string_view value) const override;
    std::string clearing(Field f) const override;
};

// A job object inside a JSON document: name() is the full path of the
// key ("jobs[3].timeout_seconds"; just the key when `path` is empty),
// mention() the key within the job object, setting() and clearing() a
// member ("\"overlap\": \"allow\"", "\"timeout_seconds\": null").
class JsonNamer final : public FieldNamer {
public:
    // `path`: where the job object is in its document (json_path() in
    // job_json.hpp builds one), "" for a document that is the job.
    explicit JsonNamer(std::string path) : m_path(std::move(path)) {}
    // Names `f` by another key path within the job object, e.g. cron as
    // "trigger.expression" when the document gives a trigger object.
    void use_key(Field f, std::string key);
    const std::string& path() const { return m_path; }

    std::string name(Field f) const override;
    std::string mention(Field f) const override;
    std::string setting(Field f, std::string_view value) const override;
    std::string clearing(Field f) const override;

private:
    std::string key(Field f) const;
    std::string m_path;
    std::vector<std::pair<Field, std::string>> m_keys;
};

// Job fields as given. Absent means "not given": a new job keeps the
// default, a change keeps the job's value. Text is read as the flag of
// the same name is (schedule(1), JOB FIELD FLAGS); date-times without an
// offset are read in the job's zone.
struct JobSpec {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<std::string> cron;
    std::optional<std::string> command;
    std::optional<std::string> task_type;
    std::optional<std::string> task_config; // JSON text of an object
    std::optional<std::string> priority;    // "80", "high"
    std::optional<std::string> owner;
    // One "key=value" or "key" text per tag, or the tags themselves.
    std::optional<std::variant<std::vector<std::string>, std::vector<Tag>>> tags;
    std::optional<std::string> timezone;
    std::optional<std::string> timeout; // durations: "90s", "1h30m", "3600"
    // One "NAME=value" text per variable, or the variables themselves.
    std::optional<std::variant<std::vector<std::string>, std::vector<EnvVar>>> env;
    std::optional<std::string> working_dir;
    std::optional<std::string> run_as;
    std::optional<std::string> kill_grace;
    std::optional<std::string> overlap;
    std::optional<std::string> max_instances; // counts: "3"
    std::optional<std::string> catchup;
    std::optional<std::string> misfire_grace;
    std::optional<std::string> max_executions;
    std::optional<std::string> max_attempts;
    std::optional<std::string> retry_delay;
    std::optional<std::string> retry_max_delay;
    std::optional<std::string> backoff;
    // "timeout,exit:3", or one item per element.
    std::optional<std::variant<std::string, std::vector<std::string>>> retry_on;
    // Hook commands (--on-failure, --on-retry, --on-success), and whether
    // the store's default hooks apply: --notify turns them on, --no-notify
    // off (giving both is an error).
    std::optional<std::string> on_failure;
    std::optional<std::string> on_retry;
    std::optional<std::string> on_success;
    bool notify = false;
    bool no_notify = false;
    std::optional<std::string> enabled; // change_job only: "true", "false"
    bool disabled = false;              // build_job only: the job starts paused

    // The trigger (at most one of cron .. at) and scheduling.
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
    // One "[DAYS] HH:MM-HH:MM [ZONE]" text per window (model/window.hpp);
    // the list replaces the job's.
    std::optional<std::vector<std::string>> windows;
    std::optional<std::string> outside_window;
    // Links to other jobs, by name or id: "JOB[:STATE]" (the --after
    // trigger), "JOB[:STATE[:TIMEOUT]]" per dependency, "JOB" per
    // conflict, or the links themselves (a document's, whose job ids may
    // be given). The lists replace the job's.
    std::optional<std::string> after;
    std::optional<std::variant<std::vector<std::string>, std::vector<JobLink>>> depends_on;
    std::optional<std::variant<std::vector<std::string>, std::vector<JobLink>>> conflicts_with;

    // change_job: remove an optional field (`job update --clear-FIELD`).
    // Giving a field together with its clear is an error.
    bool clear_description = false;
    bool clear_owner = false;
    bool clear_tags = false;
    bool clear_timeout = false;
    bool clear_env = false;
    bool clear_working_dir = false;
    bool clear_run_as = false;
    bool clear_trigger = false;
    bool clear_jitter = false;
    bool clear_start_date = false;
    bool clear_end_date = false;
    bool clear_windows = false;
    bool clear_depends_on = false;
    bool clear_conflicts_with = false;
    bool clear_max_instances = false;
    bool clear_misfire_grace = false;
    bool clear_max_executions = false;
    bool clear_retry_on = false;
    bool clear_on_failure = false;
    bool clear_on_retry = false;
    bool clear_on_success = false;

    friend bool operator==(const JobSpec&, const JobSpec&) = default;
};

// What the builder needs from outside.
struct BuildContext {
    // Now: the creation time, the default --every anchor, and what "in the
    // past" means.
    time::Instant now{};
    // The default zone's name, asked only for a new job without a timezone.
    std::function<std::string()> default_zone;
    // run_as: root may name any user that user_exists() finds (every user
    // when it is empty); anyone else only themselves, user().
    bool root = false;
    std::function<std::string()> user;
    std::function<bool(const std::string&)> user_exists;
    // An --at or --end-date at or before now is refused (a job that could
    // never fire again is a mistake) unless this is set, as for jobs
    // restored from a backup.
    bool keep_past = false;
};

// A new job from `spec`: defaults for what it does not give, the default
// zone unless it gives a timezone, created_at = updated_at = now. Needs a
// name and a command or a task type. No id, counters or next run: the
// caller sets them. Throws util::ValidationError naming the field.
Job build_job(const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names);

// `job` with the fields `spec` gives changed (and cleared), validated as
// build_job() validates them, and paused or resumed by `spec.enabled`
// (a finished job stays finished). updated_at, the next run and the
// status that follows from a changed schedule or run limit are the
// caller's. Throws util::ValidationError naming the field.
Job change_job(Job job, const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names);

// How resolve_links() finds a job: by id or name, its id and current
// name; nullopt when there is none.
using JobFinder =
    std::function<std::optional<std::pair<std::string, std::string>>(const std::string& ref)>;

// Fills in the job ids and current names of `job`'s links (after,
// depends_on, conflicts_with) through `find`: a link that gives a job id
// that `find` knows keeps it, any other is looked up by the name (or id)
// given. Refuses a link to a job that does not exist, to the job itself
// (`job.id`, or `job.name` for a new job) and the same job twice in one
// list. Throws util::ValidationError naming the field.
void resolve_links(Job& job, const JobFinder& find, const FieldNamer& names);

// Checks every value `spec` gives as change_job() would, without the job
// it will change, so that bad input is reported before the job is looked
// up. Rules that depend on the job (a task config needs a task job, an
// anchor an --every trigger) are left to change_job().
void check_change(const JobSpec& spec, const BuildContext& ctx, const FieldNamer& names);

} // namespace schedule::model
