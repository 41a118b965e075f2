// The schema and its forward migrations.
//
// Version 1 already holds a column or table for every planned feature
// (retries, dependencies, windows, overlap, catch-up, hooks,
// executions with output, events, config), so features add behaviour, not
// schema rewrites. A later change that does need new columns appends a
// migration to k_migrations; existing entries never change.

#include <schedule/store/impl.hpp>

#include <array>

namespace schedule::store {

namespace {

// "SCHD": marks the file as ours, so a foreign SQLite file is refused.
constexpr int k_application_id = 0x53434844;

constexpr const char* k_schema_v1 = R"sql(
CREATE TABLE jobs (
    job_id                  TEXT PRIMARY KEY NOT NULL CHECK (length(job_id) = 8),
    name                    TEXT NOT NULL UNIQUE,
    description             TEXT NOT NULL DEFAULT '',
    trigger_type            TEXT NOT NULL DEFAULT 'manual',
    trigger                 TEXT NOT NULL DEFAULT '{"type":"manual"}',
    cron_expression         TEXT,
    after_job_id            TEXT,
    timezone                TEXT NOT NULL,
    jitter_seconds          INTEGER NOT NULL DEFAULT 0,
    dst_gap                 TEXT NOT NULL DEFAULT 'run',
    dst_overlap             TEXT NOT NULL DEFAULT 'once',
    command                 TEXT,
    task_type               TEXT,
    task_config             TEXT NOT NULL DEFAULT '{}',
    priority                INTEGER NOT NULL DEFAULT 50,
    owner                   TEXT,
    tags                    TEXT NOT NULL DEFAULT '{}',
    enabled                 INTEGER NOT NULL DEFAULT 1,
    status                  TEXT NOT NULL DEFAULT 'active',
    timeout_seconds         INTEGER,
    kill_grace_seconds      INTEGER NOT NULL DEFAULT 10,
    env                     TEXT NOT NULL DEFAULT '{}',
    working_dir             TEXT,
    run_as                  TEXT,
    max_attempts            INTEGER NOT NULL DEFAULT 1,
    retry_delay_seconds     INTEGER NOT NULL DEFAULT 60,
    retry_max_delay_seconds INTEGER NOT NULL DEFAULT 3600,
    backoff                 TEXT NOT NULL DEFAULT 'exponential',
    retry_on                TEXT,
    overlap                 TEXT NOT NULL DEFAULT 'skip',
    max_instances           INTEGER,
    catchup                 TEXT NOT NULL DEFAULT 'latest',
    misfire_grace_seconds   INTEGER,
    windows                 TEXT NOT NULL DEFAULT '[]',
    outside_window          TEXT NOT NULL DEFAULT 'wait',
    max_executions          INTEGER,
    start_date              INTEGER,
    end_date                INTEGER,
    on_failure              TEXT,
    on_retry                TEXT,
    on_success              TEXT,
    execution_count         INTEGER NOT NULL DEFAULT 0,
    failure_count           INTEGER NOT NULL DEFAULT 0,
    scheduled_count         INTEGER NOT NULL DEFAULT 0,
    last_execution_id       INTEGER,
    last_execution          INTEGER,
    last_status             TEXT,
    next_execution          INTEGER,
    boot_id                 TEXT,
    created_at              INTEGER NOT NULL,
    updated_at              INTEGER NOT NULL
) STRICT;
CREATE INDEX jobs_due ON jobs(next_execution) WHERE enabled = 1 AND next_execution IS NOT NULL;
CREATE INDEX jobs_after ON jobs(after_job_id) WHERE after_job_id IS NOT NULL;

CREATE TABLE dependencies (
    job_id          TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
    other_job_id    TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('depends_on', 'conflicts_with')),
    state           TEXT NOT NULL DEFAULT 'completed',
    timeout_seconds INTEGER NOT NULL DEFAULT 0,
    position        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, other_job_id, kind)
) STRICT;
CREATE INDEX dependencies_other ON dependencies(other_job_id);

CREATE TABLE executions (
    execution_id        INTEGER PRIMARY KEY AUTOINCREMENT,
    job_id              TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
    trigger             TEXT NOT NULL,
    attempt             INTEGER NOT NULL DEFAULT 1,
    status              TEXT NOT NULL,
    reason              TEXT,
    skipped_count       INTEGER,
    scheduled_for       INTEGER,
    not_before          INTEGER,
    priority            INTEGER NOT NULL DEFAULT 50,
    start_time          INTEGER,
    end_time            INTEGER,
    duration_ms         INTEGER,
    exit_code           INTEGER,
    signal              INTEGER,
    error               TEXT,
    host                TEXT,
    pid                 INTEGER,
    process_start       INTEGER,
    boot_id             TEXT,
    supervisor_pid      INTEGER,
    supervisor_start    INTEGER,
    parent_execution_id INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX executions_job ON executions(job_id, execution_id);
CREATE INDEX executions_active ON executions(status)
    WHERE status IN ('queued', 'waiting', 'running');
CREATE INDEX executions_end ON executions(end_time);

CREATE TABLE outputs (
    execution_id INTEGER NOT NULL REFERENCES executions(execution_id) ON DELETE CASCADE,
    stream       TEXT NOT NULL CHECK (stream IN ('stdout', 'stderr')),
    data         BLOB NOT NULL,
    total_bytes  INTEGER NOT NULL,
    truncated    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (execution_id, stream)
) STRICT;

CREATE TABLE events (
    event_id     INTEGER PRIMARY KEY AUTOINCREMENT,
    time         INTEGER NOT NULL,
    type         TEXT NOT NULL,
    job_id       TEXT,
    job_name     TEXT,
    execution_id INTEGER,
    user         TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX events_job ON events(job_id, event_id);
CREATE INDEX events_time ON events(time);

CREATE TABLE config (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
)sql";

// Version 2: indexes for the queue, which a supervisor reads each time runs
// end. Without them each read scanned every execution ever recorded and
// sorted the queued ones.
constexpr const char* k_schema_v2 = R"sql(
CREATE INDEX executions_queue ON executions(priority DESC, scheduled_for, execution_id)
    WHERE status = 'queued' AND supervisor_pid IS NULL;
CREATE INDEX executions_claimed ON executions(supervisor_pid, supervisor_start)
    WHERE status IN ('queued', 'waiting') AND supervisor_pid IS NOT NULL;
)sql";

// Version 3: the partial indexes of active and claimed runs select them by
// `end_time IS NULL` (every ended run has an end time) rather than by an
// IN list of statuses: SQLite evaluates a partial index's condition for
// the old and the new row of every update, and an IN list builds a
// temporary table each time, which cost a supervisor about a quarter of
// its work per run. Queries name the same condition so that the index
// serves them.
constexpr const char* k_schema_v3 = R"sql(
DROP INDEX executions_active;
CREATE INDEX executions_active ON executions(status) WHERE end_time IS NULL;
DROP INDEX executions_claimed;
CREATE INDEX executions_claimed ON executions(supervisor_pid, supervisor_start)
    WHERE end_time IS NULL AND supervisor_pid IS NOT NULL;
)sql";

// Version 4: notification hooks (schedule(1), NOTIFICATIONS). A job's
// `notify` (0: the store's default hooks do not apply to it; its own
// on_failure, on_retry and on_success columns are version 1's), and the
// hooks decided in the transaction that records a run's end, each owned by
// the process that sends it, until that process records its outcome. A
// hook is sent by its owner only, so none is ever sent twice, even when
// the owner dies while it runs.
constexpr const char* k_schema_v4 = R"sql(
ALTER TABLE jobs ADD COLUMN notify INTEGER NOT NULL DEFAULT 1;
CREATE TABLE notifications (
    execution_id INTEGER PRIMARY KEY REFERENCES executions(execution_id) ON DELETE CASCADE,
    hook         TEXT NOT NULL CHECK (hook IN ('failure', 'retry', 'success')),
    command      TEXT NOT NULL,
    sender_pid   INTEGER NOT NULL,
    sender_start INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;
)sql";

// k_migrations[i] takes the schema from version i to i + 1.
constexpr std::array<const char*, k_schema_version> k_migrations = {k_schema_v1, k_schema_v2,
                                                                    k_schema_v3, k_schema_v4};

int pragma_int(SQLite::Database& db, const char* pragma) {
    SQLite::Statement st(db, std::string("PRAGMA ") + pragma);
    st.executeStep();
    return st.getColumn(0).getInt();
}

// Refuses a database that is not ours or is newer than this build.
void check_ours(Store::Impl& impl, int app_id, int version, bool check_tables) {
    if (app_id != 0 && app_id != k_application_id)
        throw util::StoreError("not a schedule store: " + impl.path.string() +
                               " belongs to another application");
    if (version > k_schema_version)
        throw util::StoreError("the store " + impl.path.string() +
                                   " was written by a newer version of schedule "
                                   "(schema " +
                                   std::to_string(version) + ", this one reads up to " +
                                   std::to_string(k_schema_version) + "); it was not modified",
                               "upgrade schedule");
    if (check_tables && version == 0 && app_id == 0) {
        SQLite::Statement st(impl.db, "SELECT count(*) FROM sqlite_master");
        st.executeStep();
        if (st.getColumn(0).getInt() > 0)
            throw util::StoreError("not a schedule store: " + impl.path.string() +
                                   " is an SQLite database with other tables");
    }
}

} // namespace

std::uint64_t schema_digest(SQLite::Database& db) {
    // FNV-1a over every object's type, name, table and SQL text, in order;
    // SQLite's statistics tables (ANALYZE) only guide its planner.
    SQLite::Statement st(db, "SELECT type, name, tbl_name, ifnull(sql, '') FROM sqlite_schema"
                             " WHERE name NOT IN ('sqlite_stat1', 'sqlite_stat4')"
                             " ORDER BY type, name");
    std::uint64_t h = 14695981039346656037ull;
    while (st.executeStep()) {
        for (int c = 0; c < 4; ++c) {
            const auto* text = static_cast<const unsigned char*>(st.getColumn(c).getBlob());
            const auto n = st.getColumn(c).getBytes();
            for (int i = 0; i < n; ++i)
                h = (h ^ text[i]) * 1099511628211ull;
            h = (h ^ 0xffu) * 1099511628211ull; // field separator
        }
    }
    return h;
}

namespace {

// A store whose schema is not exactly the one these migrations make (an
// added trigger, view or index, a table defined otherwise) has been changed
// by someone else: SQL running behind our statements, or a column computed
// from others, could make what runs differ from what `job show` showed.
void check_schema(Store::Impl& impl) {
    if (schema_digest(impl.db) != k_schema_digest)
        throw util::StoreError("the store " + impl.path.string() +
                                   " has tables, indexes or triggers that schedule never creates:"
                                   " someone has changed it",
                               "restore it from a backup");
}

} // namespace

void migrate(Store::Impl& impl, bool writable) {
    auto& db = impl.db;
    // Fast path, no lock: a current store needs nothing.
    int version = pragma_int(db, "user_version");
    check_ours(impl, pragma_int(db, "application_id"), version, false);
    if (version == k_schema_version) {
        check_schema(impl);
        return;
    }
    if (!writable)
        throw util::StoreError("the store " + impl.path.string() +
                                   " needs a schema upgrade but is read-only for this user",
                               "run schedule once as the store's owner");

    // Decide again under the write lock: another process may have created
    // or migrated the store since the reads above.
    db.exec("BEGIN IMMEDIATE");
    try {
        version = pragma_int(db, "user_version");
        check_ours(impl, pragma_int(db, "application_id"), version, true);
        for (int v = version; v < k_schema_version; ++v)
            db.exec(k_migrations[v]);
        db.exec("PRAGMA application_id = " + std::to_string(k_application_id));
        db.exec("PRAGMA user_version = " + std::to_string(k_schema_version));
        check_schema(impl);
        db.exec("COMMIT");
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

} // namespace schedule::store
