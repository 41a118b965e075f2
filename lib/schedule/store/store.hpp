#pragma once
// The job database (schedule(1), STORE): one SQLite file per host or user. This module
// is the only user of SQLite; every statement binds its parameters.
//
// Reads may happen at any time. Writes happen only inside a
// WriteTransaction, which begins IMMEDIATE (so concurrent writers queue on
// the busy timeout instead of failing) and rolls back unless committed.
// Every write path appends its audit event with append_event() inside the
// same transaction.
//
// All functions throw util::StoreError when SQLite fails (locked past the
// busy timeout, corrupt file, I/O error), and the job functions throw
// util::Conflict when a unique name is taken.

#include <schedule/model/event.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/model/notify.hpp>
#include <schedule/util/fs.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace SQLite {
class Database;
}

namespace schedule::store {

// The schema version this build reads and writes (PRAGMA user_version).
inline constexpr int k_schema_version = 4;

enum class Access {
    read,  // a missing store reads as an empty one; nothing is created
    write, // a missing store is created by the first write (directory 0700,
           // file 0600); a command that fails before writing creates nothing
    run,   // as write, for commands that run jobs: refuses a store that
           // someone else could have written (util::untrusted_store) before
           // SQLite reads any of it
    peek,  // as read, but writes nothing at all, ever: the file is opened
           // read-only and never migrated (a store of an older schema is
           // refused), no -wal or -shm file is left behind, and a lock is
           // waited for 0.1 s, not 60; for shell completion
};

// Where the store lives when no --store is given: $SCHEDULE_STORE,
// else /var/lib/schedule/schedule.db for root, else
// ${XDG_STATE_HOME:-$HOME/.local/state}/schedule/schedule.db.
struct LocationInputs {
    std::optional<std::string> flag;      // --store
    std::optional<std::string> env_store; // $SCHEDULE_STORE
    bool is_root = false;
    std::optional<std::string> xdg_state_home; // $XDG_STATE_HOME
    std::optional<std::string> home;           // $HOME
};
std::filesystem::path locate(const LocationInputs& in);

struct JobFilter {
    std::optional<std::string> owner{};
    std::optional<model::JobStatus> status{};
    std::optional<std::string> tag{}; // "key" or "key=value"
    std::optional<bool> enabled{};
};

struct ExecutionFilter {
    std::optional<std::string> job_id{};
    std::optional<model::ExecutionStatus> status{};
    std::optional<time::Instant> since{}; // created at or after
    std::optional<std::int64_t> limit{};
};

// Which events to read (Store::list_events). A job is matched by its id or,
// when `job_name` is given too, by the name the events recorded (either
// matches).
struct EventFilter {
    std::optional<std::string> job_id{};
    std::optional<std::string> job_name{};
    // One type ("execution.failed"), or every type starting with it when
    // it ends in a dot ("execution.").
    std::optional<std::string> type{};
    std::optional<time::Instant> since{}; // at or after
    std::int64_t after_id = 0;            // only events with a greater id
    std::optional<std::int64_t> limit{};  // only the newest N of the selection
};

class Store;

// A consistent read: every read made while it lives sees the store as it
// was at the first of them (SQLite's read transaction, which a writer in
// WAL mode does not block), so a backup taken while ticks run is one state
// of the store. Ends (rolls back: it wrote nothing) on destruction.
class ReadTransaction {
public:
    ~ReadTransaction();
    ReadTransaction(ReadTransaction&&) noexcept;
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    ReadTransaction& operator=(ReadTransaction&&) = delete;

private:
    friend class Store;
    explicit ReadTransaction(Store& store);
    Store* m_store;
    bool m_open;
};

// An open write transaction (BEGIN IMMEDIATE). Rolls back on destruction
// unless commit() was called.
class WriteTransaction {
public:
    ~WriteTransaction();
    WriteTransaction(WriteTransaction&&) noexcept;
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    WriteTransaction& operator=(WriteTransaction&&) = delete;
    void commit();

private:
    friend class Store;
    explicit WriteTransaction(Store& store);
    Store* m_store;
    bool m_open;
    bool m_deferred; // on the stand-in of a store that the first write creates
};

class Store {
public:
    // Opens (and with Access::write creates) the store at `path`, resolved
    // once (util::resolve_store; path() returns it), applying forward
    // migrations. A missing or zero-length file reads as
    // an empty store; the first write replaces it with a complete store
    // (mode 0600), never writing into a file someone else may hold open.
    // Throws StoreError for a file that is not a schedule store, a newer
    // schema, a file that cannot be opened, a store whose schema is not
    // exactly the one the migrations make, a store util::untrusted_store()
    // or the links on its path make unusable (Stops::everything), and with
    // Access::run for any distrust at all (checked before opening; with run,
    // a missing store is never created). begin_write() refuses a store whose
    // writes someone else could redirect (Stops::writing). Every
    // connection uses SQLite's defensive settings (SQLITE_DBCONFIG_DEFENSIVE,
    // trusted_schema off).
    static Store open(const std::filesystem::path& path, Access access);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::filesystem::path& path() const;
    // False when opened for reading and no store file exists.
    bool exists() const;
    // The file beside the store at `store` whose modification time is the
    // instant of the last tick: `<store>.last-tick`.
    static std::filesystem::path tick_stamp_path(const std::filesystem::path& store);
    // Records `at` as the instant of the last tick: the stamp file's
    // modification time (util::stamp_file), so that an idle tick records it
    // without a write transaction. A stamp that cannot be written is
    // passed over: it informs `schedule doctor`, nothing depends on it.
    void record_tick(time::Instant at);
    // The instant the last tick recorded; nullopt when none did.
    std::optional<time::Instant> last_tick() const;
    // True when opened with Access::run: its files passed the checks that
    // make it safe to run jobs from. The use cases that run jobs require it.
    bool trusted_to_run() const;
    // Opened with Access::read or write: why the commands that run jobs
    // would refuse this store, if they would (the caller warns, and takes
    // no setting from it that makes this process write elsewhere; with
    // Stops::writing, begin_write() refuses).
    const std::optional<util::Distrust>& distrust() const;

    WriteTransaction begin_write();
    // Not while a WriteTransaction is open.
    ReadTransaction begin_read();

    // --- jobs -------------------------------------------------------------
    // The job with this id (exact, lower case) or name, if any.
    std::optional<model::Job> find_job_by_id(const std::string& id);
    std::optional<model::Job> find_job_by_name(const std::string& name);
    // Jobs matching the filter, ordered by name.
    std::vector<model::Job> list_jobs(const JobFilter& filter);
    // The same jobs, one at a time, without holding them all: `visit` gets
    // each in turn (the reference is valid only during the call).
    void each_job(const JobFilter& filter, const std::function<void(const model::Job&)>& visit);
    bool job_id_taken(const std::string& id);
    // Enabled jobs whose next run is before `before`, soonest first (an
    // index range: what an idle tick costs).
    std::vector<model::Job> due_jobs(time::Instant before);
    // How many active, enabled jobs have their next run before `before`
    // (the same index range).
    std::int64_t count_due_jobs(time::Instant before);
    // Enabled @reboot jobs (a scan; a tick reads them once per boot).
    std::vector<model::Job> reboot_jobs();
    // Every "runs after" edge between jobs (schedule(1), DEPENDENCIES):
    // (job id, id of a job it depends on or fires after).
    std::vector<std::pair<std::string, std::string>> link_edges();
    // The jobs that depend on, conflict with or fire after job `id`.
    std::vector<model::Job> jobs_linked_to(const std::string& id);
    // A job's id and name, for shell completion.
    struct JobLabel {
        std::string id;
        std::string name;
    };
    // The jobs whose name starts with `prefix` (byte for byte), ordered by
    // name: a range of the name index, no other column read.
    std::vector<JobLabel> jobs_named(std::string_view prefix);
    // The jobs whose id starts with `prefix`, ordered by id.
    std::vector<JobLabel> jobs_with_id(std::string_view prefix);

    void insert_job(WriteTransaction& tx, const model::Job& job);
    // Writes every column of an existing job; throws NotFound if it is gone.
    void update_job(WriteTransaction& tx, const model::Job& job);
    // What a tick changes on a due job: its next run, its status and (for
    // @reboot, when given) the boot it fired in.
    void advance_job(WriteTransaction& tx, const std::string& job_id,
                     std::optional<time::Instant> next_execution, model::JobStatus status,
                     const std::optional<std::string>& boot_id);
    // Deletes the job and, by cascade, its executions and output.
    void delete_job(WriteTransaction& tx, const std::string& job_id);
    // Executions recorded for the job (the history a delete removes).
    std::int64_t count_executions(const std::string& job_id);

    // --- executions -------------------------------------------------------
    // Inserts an execution (its id is ignored) and returns the new id.
    std::int64_t insert_execution(WriteTransaction& tx, const model::Execution& e);
    // Writes every column of an existing execution.
    void update_execution(WriteTransaction& tx, const model::Execution& e);
    // What claiming or starting a run changes: status, reason, start_time,
    // host, boot_id, supervisor_pid, supervisor_start, parent_execution_id
    // and updated_at. Cheaper than update_execution, which also rewrites
    // the index entries of the columns it leaves as they were; a supervisor
    // writes this and update_end for every run. Throws NotFound if gone.
    void update_claim(WriteTransaction& tx, const model::Execution& e);
    // What the end of a run changes: status, reason, start_time, end_time,
    // duration_ms, exit_code, signal, error, pid, process_start, updated_at.
    void update_end(WriteTransaction& tx, const model::Execution& e);
    // Records the process of a run that has just started: pid, process
    // start and start time only (no index changes, unlike update_execution).
    // Returns false when the run is gone (deleted with its job meanwhile).
    bool note_process(WriteTransaction& tx, const model::Execution& e);
    // The job's counters for a run that started (execution_count,
    // last_execution, last_status, and scheduled_count for a trigger that
    // model::counts_toward_limit()) or ended (last_status, failure_count).
    // Called in the transaction that records the start or the end, so the
    // counters always agree with the executions table. note_run_started
    // returns the job's scheduled_count and max_executions as it leaves
    // them (nullopt when the job is gone).
    struct StartedCount {
        std::int64_t scheduled_count = 0;
        std::optional<std::int64_t> max_executions;
    };
    std::optional<StartedCount> note_run_started(WriteTransaction& tx, const model::Execution& e);
    void note_run_ended(WriteTransaction& tx, const model::Execution& e);
    std::optional<model::Execution> find_execution(std::int64_t id);
    // Newest first (by id).
    std::vector<model::Execution> list_executions(const ExecutionFilter& filter);
    // Records a `skipped` execution (reason, skipped_count, scheduled_for
    // set). When the job's newest execution is a skip for the same reason,
    // adds to its count instead (consecutive skips of one job for one
    // reason are one record). Returns the id of the record written.
    std::int64_t record_skip(WriteTransaction& tx, const model::Execution& skip);
    // Queued, waiting and running executions, oldest first; of one job when given.
    std::vector<model::Execution> active_executions(std::optional<std::string> job_id = {});
    // Ids and statuses of the queued, waiting and running executions (an
    // index scan).
    std::vector<std::pair<std::int64_t, model::ExecutionStatus>> active_execution_statuses();
    // The newest `per_job` ended executions (any status but queued, waiting
    // and running) of each job of `job_ids` (distinct), in one query that
    // reads only those; each list oldest first (by id). A job without one
    // is absent.
    model::RecentRuns recent_runs(const std::vector<std::string>& job_ids, std::size_t per_job);
    // What a job's runs mean to the jobs linked to it (schedule(1),
    // DEPENDENCIES): whether one is queued, waiting or running, whether one
    // is running or claimed, and the newest end in each state (failed: a
    // failure that no retry follows).
    struct JobActivity {
        bool active = false;
        bool running = false;
        std::optional<time::Instant> completed, failed, ended;
    };
    JobActivity job_activity(const std::string& job_id);
    // Every --conflicts-with link: (job id, the job it names).
    std::vector<std::pair<std::string, std::string>> conflict_pairs();
    // The newest scheduled_for of the job's runs and skips of its schedule
    // (any trigger but manual and retry), before `before` when given.
    std::optional<time::Instant> last_scheduled(const std::string& job_id,
                                                std::optional<time::Instant> before);
    // Queued executions claimed by the supervisor `pid` started at `start`.
    std::vector<model::Execution> claimed_executions(std::int64_t pid, std::int64_t start);
    // The front of the queue: every active execution that is running or
    // claimed by a supervisor, then, when fewer than `max_workers` of them
    // hold a worker, unclaimed queued ones in queue order (priority, highest
    // first, then scheduled time, then id): twice the free workers and 2
    // more, room for some that their overlap policy holds back.
    std::vector<model::Execution> queue_front(std::int64_t max_workers);
    void save_output(WriteTransaction& tx, std::int64_t execution_id, const std::string& stream,
                     const model::CapturedOutput& out);
    // The stored output of one stream; nullopt when nothing was stored.
    std::optional<model::CapturedOutput> load_output(std::int64_t execution_id,
                                                     const std::string& stream);
    // Every ended execution (final or skipped), oldest first (by id), with
    // its stored output, one at a time.
    void each_ended_execution(const std::function<void(const model::ExecutionRecord&)>& visit);
    // Inserts an execution keeping its id, which must be free (a restore).
    void insert_execution_with_id(WriteTransaction& tx, const model::Execution& e);
    // The highest execution id ever given (ids are never reused), 0 for none.
    std::int64_t max_execution_id();

    // Retention (history.retention, history.keep_last): deletes ended executions that ended (or
    // were created, when they never ran) before `cutoff`, except the newest
    // `keep_last` of each job. Returns how many were deleted.
    std::int64_t prune_executions(WriteTransaction& tx, time::Instant cutoff,
                                  std::int64_t keep_last);

    // --- notifications (hooks to send) ---------------------------------------
    // Records a hook to send, in the transaction that records its run's
    // end; one per execution. Goes with its execution (retention, delete).
    void insert_notification(WriteTransaction& tx, const model::Notification& n);
    // The hooks that the process `pid`, started at `start`, is to send,
    // by execution id.
    std::vector<model::Notification> notifications_of(std::int64_t pid, std::int64_t start);
    // Removes the hook of execution `execution_id` (its outcome is
    // recorded); nothing when there is none.
    void delete_notification(WriteTransaction& tx, std::int64_t execution_id);

    // --- meta (internal bookkeeping such as the last pruning) --------------
    std::optional<std::string> meta(const std::string& key);
    void set_meta(WriteTransaction& tx, const std::string& key, const std::string& value);

    // --- config -----------------------------------------------------------
    // Stored (key, value) rows, ordered by key.
    std::vector<std::pair<std::string, std::string>> config_rows();
    void set_config(WriteTransaction& tx, const std::string& key, const std::string& value,
                    time::Instant now);
    // Returns false when the key was not stored.
    bool unset_config(WriteTransaction& tx, const std::string& key);

    // --- events -----------------------------------------------------------
    // Appends an event; returns its id.
    std::int64_t append_event(WriteTransaction& tx, const model::Event& event);
    // The events the filter selects, in id order (oldest first): a range of
    // the primary key above `after_id`, read newest first until `limit`
    // rows match. Each call is its own read: no snapshot stays open after
    // it (`events --follow` polls while ticks write).
    std::vector<model::Event> list_events(const EventFilter& filter);
    // Every event, or every event of the job with this id (tests).
    std::vector<model::Event> list_events(std::optional<std::string> job_id = std::nullopt);

    struct Impl;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    friend class WriteTransaction;
    friend class ReadTransaction;
    // The connection to write through, creating the store file first if this
    // is the first write to a store that does not exist yet.
    SQLite::Database& writer(WriteTransaction& tx);
    std::unique_ptr<Impl> m_impl;
};

} // namespace schedule::store
