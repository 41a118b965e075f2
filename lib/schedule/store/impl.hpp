#pragma once
// Private to the store module: the SQLite connection behind Store and the
// helpers its files share.

#include <schedule/store/store.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/fs.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace schedule::store {

// Applies SQLite's settings for database files that may be untrusted
// (SQLITE_DBCONFIG_DEFENSIVE, trusted_schema off) to a new connection.
void harden(SQLite::Database& db);

struct Store::Impl {
    // How a file on disk is opened: read_only for Access::peek, immutable
    // for Access::peek when no -wal file exists (then the file is the whole
    // store, and SQLite, told it cannot change, creates no -wal or -shm
    // file, which a read-only connection would leave behind).
    enum class Mode { read_write, read_only, immutable };

    // Opens `p` on disk (on_disk) or an empty in-memory database standing in
    // for a store that does not exist yet.
    Impl(const std::filesystem::path& p, bool on_disk, bool create_on_first_write,
         Mode mode = Mode::read_write)
        : path(p), exists(on_disk), create_on_write(create_on_first_write),
          db(!on_disk                  ? std::string(":memory:")
             : mode == Mode::immutable ? immutable_uri(p)
                                       : p.string(),
             (!on_disk                   ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE
              : mode == Mode::read_write ? SQLite::OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW
              : mode == Mode::read_only
                  ? SQLite::OPEN_READONLY | SQLITE_OPEN_NOFOLLOW
                  : SQLite::OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | SQLite::OPEN_URI),
             k_busy_timeout_ms) {
        harden(db);
    }

    // Creates the store file (directory 0700, file 0600), opens it and
    // brings its schema up to date; replaces the in-memory stand-in.
    void materialize();

    // "file:/the%20path?immutable=1" for the absolute path `p`.
    static std::string immutable_uri(const std::filesystem::path& p);

    static constexpr int k_busy_timeout_ms = 60000;
    static constexpr int k_peek_busy_timeout_ms = 100; // completion must not hang
    std::filesystem::path path;
    bool exists;                 // the database is the file at `path`
    bool create_on_write;        // missing store opened for writing: the first write creates it
    bool trusted_to_run = false; // opened with Access::run (Store::trusted_to_run)
    std::optional<util::Distrust> distrust; // Store::distrust
    SQLite::Database db;

    // Prepared statements by SQL text, kept for the life of `db` (declared
    // after it, so they are finalized first). A supervisor runs the same
    // few statements for every run; parsing them once saves most of the
    // cost of a small transaction. Used through Cached.
    struct Prepared {
        std::unique_ptr<SQLite::Statement> statement;
        bool in_use = false;
    };
    std::unordered_map<std::string, Prepared> statements;
};

// A statement from the connection's cache, reset and unbound when this goes
// out of scope, so a finished read never keeps a snapshot open. A statement
// that is still in use further up the stack is not shared: the nested user
// gets a fresh one.
//
// For a write, pass the database that Store::writer(tx) returns: the first
// write to a new store replaces the connection, and with it the cache.
class Cached {
public:
    Cached(Store::Impl& impl, const std::string& sql) {
        auto& slot = impl.statements[sql];
        if (!slot.statement) {
            slot.statement = std::make_unique<SQLite::Statement>(impl.db, sql);
        } else if (slot.in_use) {
            m_own = std::make_unique<SQLite::Statement>(impl.db, sql);
            m_statement = m_own.get();
            return;
        }
        slot.in_use = true;
        m_slot = &slot;
        m_statement = slot.statement.get();
    }
    Cached(Store::Impl& impl, SQLite::Database& written, const std::string& sql)
        : Cached(impl, sql) {
        (void)written; // evaluated for its effect: Store::writer() materializes the store
    }
    Cached(const Cached&) = delete;
    Cached& operator=(const Cached&) = delete;
    ~Cached() {
        if (!m_slot)
            return;
        m_statement->tryReset();
        try {
            m_statement->clearBindings();
        } catch (...) {
            // Cannot fail for a valid statement; the next use binds again.
        }
        m_slot->in_use = false;
    }
    SQLite::Statement& operator*() { return *m_statement; }

private:
    std::unique_ptr<SQLite::Statement> m_own;
    Store::Impl::Prepared* m_slot = nullptr;
    SQLite::Statement* m_statement = nullptr;
};

// Turns a SQLite failure into the StoreError (or Conflict) a user sees.
[[noreturn]] void rethrow_sqlite(const SQLite::Exception& e, const std::filesystem::path& path);

// Runs f, translating SQLite exceptions.
template <class F> auto guarded(const Store::Impl& impl, F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const SQLite::Exception& e) {
        rethrow_sqlite(e, impl.path);
    }
}

// Binds an optional value: NULL when absent.
template <class T> void bind_opt(SQLite::Statement& st, int index, const std::optional<T>& v) {
    if (v)
        st.bind(index, *v);
    else
        st.bind(index);
}

// Reads an optional column.
inline std::optional<std::string> col_opt_text(const SQLite::Column& c) {
    if (c.isNull())
        return std::nullopt;
    return c.getString();
}
inline std::optional<std::int64_t> col_opt_int(const SQLite::Column& c) {
    if (c.isNull())
        return std::nullopt;
    return c.getInt64();
}

// Instants are stored as Unix seconds; NULL when absent.
inline std::optional<time::Instant> opt_instant(const SQLite::Column& c) {
    if (c.isNull())
        return std::nullopt;
    return time::from_unix(c.getInt64());
}
// Store::list_events: the events an EventFilter selects, newest first, so
// that LIMIT keeps the newest. The conditions on optional values are
// written so that SQLite reads a range of the primary key (event_id > ?1)
// and nothing else (a unit test reads the query plan).
inline constexpr const char* k_select_events =
    "SELECT event_id, time, type, job_id, job_name, execution_id, user, detail FROM events"
    " WHERE event_id > ?1"
    " AND (?2 IS NULL AND ?3 IS NULL OR job_id = ?2 OR job_name = ?3)"
    " AND (?4 IS NULL OR type = ?4 OR (?5 AND substr(type, 1, length(?4)) = ?4))"
    " AND (?6 IS NULL OR time >= ?6)"
    " ORDER BY event_id DESC LIMIT ?7";

inline std::optional<std::int64_t> opt_unix(const std::optional<time::Instant>& t) {
    if (!t)
        return std::nullopt;
    return time::to_unix(*t);
}

// For the comma-separated column list `columns` ("a, b, c"): "?1, ?2, ?3",
// or with `assignments` "a = ?1, b = ?2, c = ?3".
inline std::string placeholders(std::string_view columns, bool assignments) {
    std::string out;
    int i = 1;
    while (!columns.empty()) {
        auto comma = columns.find(',');
        auto name = columns.substr(0, comma);
        columns = comma == columns.npos ? std::string_view() : columns.substr(comma + 2);
        out += (i > 1 ? ", " : "") + (assignments ? std::string(name) + " = " : std::string()) +
               "?" + std::to_string(i);
        ++i;
    }
    return out;
}

// A digest of the schema of `db` (every table, index, trigger and view with
// its SQL). A store at k_schema_version must have k_schema_digest: the
// digest of the schema the migrations make (tests/unit/store/test_schema.cpp
// checks it; update it with the schema).
std::uint64_t schema_digest(SQLite::Database& db);
inline constexpr std::uint64_t k_schema_digest = 0x32599cbf6d5593b4ull;

// Applies forward migrations up to k_schema_version (or refuses a newer or
// foreign database). Called by Store::open.
void migrate(Store::Impl& impl, bool writable);

} // namespace schedule::store
