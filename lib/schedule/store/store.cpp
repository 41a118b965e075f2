#include <schedule/store/impl.hpp>
#include <schedule/util/fs.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

namespace schedule::store {

namespace fs = std::filesystem;

std::filesystem::path locate(const LocationInputs& in) {
    if (in.flag && !in.flag->empty())
        return *in.flag;
    if (in.env_store && !in.env_store->empty())
        return *in.env_store;
    if (in.is_root)
        return "/var/lib/schedule/schedule.db";
    fs::path base;
    if (in.xdg_state_home && !in.xdg_state_home->empty() && in.xdg_state_home->front() == '/')
        base = *in.xdg_state_home;
    else if (in.home && !in.home->empty())
        base = fs::path(*in.home) / ".local" / "state";
    else if (in.xdg_state_home && !in.xdg_state_home->empty())
        throw util::StoreError("cannot find the store: $HOME is not set and $XDG_STATE_HOME (" +
                                   util::escape_control(*in.xdg_state_home) +
                                   ") is not an absolute path",
                               "pass --store PATH or set SCHEDULE_STORE");
    else
        throw util::StoreError("cannot find the store: neither $HOME nor $XDG_STATE_HOME is set",
                               "pass --store PATH or set SCHEDULE_STORE");
    return base / "schedule" / "schedule.db";
}

void rethrow_sqlite(const SQLite::Exception& e, const fs::path& path) {
    const int code = e.getErrorCode();
    const std::string where = " (" + path.string() + ")";
    switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        throw util::StoreError("the store is locked by another process" + where,
                               "waited " + std::to_string(Store::Impl::k_busy_timeout_ms / 1000) +
                                   "s; try again");
    case SQLITE_NOTADB:
        throw util::StoreError("not a schedule store: the file is not an SQLite database" + where);
    case SQLITE_CORRUPT:
        throw util::StoreError("the store is corrupt" + where,
                               "restore it from a backup with `schedule config restore`");
    case SQLITE_READONLY:
        throw util::StoreError("the store is read-only for this user" + where);
    case SQLITE_CANTOPEN:
        throw util::StoreError("cannot open the store" + where);
    case SQLITE_FULL:
        throw util::StoreError("the disk holding the store is full" + where,
                               "free some space; the change was not made");
    case SQLITE_IOERR:
        switch (e.getExtendedErrorCode()) {
        case SQLITE_IOERR_WRITE:
        case SQLITE_IOERR_FSYNC:
        case SQLITE_IOERR_TRUNCATE:
        case SQLITE_IOERR_SHMSIZE:
        case SQLITE_IOERR_SHMOPEN: // creating the shared-memory file
        case SQLITE_IOERR_SHMMAP:
            throw util::StoreError("cannot write the store: its disk is full or the file-size "
                                   "limit (ulimit -f) is reached" +
                                       where,
                                   "free some space or raise the limit; the change was not made");
        default:
            throw util::StoreError(std::string("store error: ") + e.what() + where);
        }
    case SQLITE_PERM:
    case SQLITE_AUTH:
        throw util::StoreError("permission denied on the store" + where);
    default:
        throw util::StoreError(std::string("store error: ") + e.what() + where);
    }
}

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const fs::path& Store::path() const {
    return m_impl->path;
}
bool Store::exists() const {
    return m_impl->exists;
}

fs::path Store::tick_stamp_path(const fs::path& store) {
    return fs::path(store.string() + ".last-tick");
}

void Store::record_tick(time::Instant at) {
    util::stamp_file(tick_stamp_path(m_impl->path), at.time_since_epoch().count(), 0600);
}

std::optional<time::Instant> Store::last_tick() const {
    auto seconds = util::modification_time(tick_stamp_path(m_impl->path));
    if (!seconds)
        return std::nullopt;
    return time::Instant(std::chrono::seconds(*seconds));
}

bool Store::trusted_to_run() const {
    return m_impl->trusted_to_run;
}

namespace {

// "refusing to ACT the store P: D is WHY[, so another user could ...]"
std::string refusal(const std::string& act, const fs::path& path, const util::Distrust& d) {
    return "refusing to " + act + " the store " + path.string() + ": " + d.path.string() + " is " +
           d.why +
           (d.stops == util::Distrust::Stops::everything
                ? std::string()
                : ", so another user could choose what runs as " + util::current_user_name());
}

} // namespace

Store Store::open(const fs::path& given, Access access) {
    // One path from here on: checked, opened (refusing any symbolic link on
    // the way) and handed to supervisors. It is absolute, so SQLite never
    // reads it as a `file:` URI.
    const auto resolved = util::resolve_store(given);
    const auto& path = resolved.path;
    std::error_code ec;
    // Whether there is a store is decided before the check: a file that
    // appears after it is not opened (its directory may not have existed
    // when it was checked).
    const auto status = fs::symlink_status(path, ec);
    if (ec && status.type() != fs::file_type::not_found)
        throw util::StoreError("cannot check the store " + path.string() + ": " + ec.message());
    auto distrust = util::worse(resolved.links, util::untrusted_store(path));
    using Stops = util::Distrust::Stops;
    if (distrust && (access == Access::run || distrust->stops == Stops::everything))
        throw util::StoreError(
            refusal(access == Access::run ? "run jobs from" : "use", path, *distrust),
            distrust->fix);
    if (distrust && access == Access::write && distrust->stops == Stops::writing)
        throw util::StoreError(refusal("write to", path, *distrust), distrust->fix);
    const bool present = fs::exists(status);
    if (present && fs::is_directory(status))
        throw util::StoreError("the store path " + path.string() + " is a directory",
                               "pass the database file, e.g. " + (path / "schedule.db").string());
    // A zero-length file (`touch`) holds no store yet: it reads as a
    // missing one, and the first write replaces it.
    const bool empty = present && fs::is_regular_file(status) && fs::file_size(path, ec) == 0;
    try {
        std::unique_ptr<Impl> impl;
        if (!present || empty) {
            // A missing store reads as an empty one: an in-memory database
            // with the schema, so every query works and nothing touches the
            // disk. Opened for writing, the first write creates the file;
            // the commands that run jobs never create a store.
            impl = std::make_unique<Impl>(path, false, access == Access::write);
            migrate(*impl, true);
        } else {
            auto mode = Impl::Mode::read_write;
            if (access == Access::peek) {
                std::error_code wal_ec;
                mode = fs::exists(path.string() + "-wal", wal_ec) || wal_ec ? Impl::Mode::read_only
                                                                            : Impl::Mode::immutable;
            }
            impl = std::make_unique<Impl>(path, true, false, mode);
            if (access == Access::peek)
                impl->db.setBusyTimeout(Impl::k_peek_busy_timeout_ms);
            impl->db.exec("PRAGMA foreign_keys = ON");
            impl->db.exec("PRAGMA synchronous = NORMAL");
            // A store someone else may redirect writes of is never migrated.
            const bool writable = access != Access::peek &&
                                  !sqlite3_db_readonly(impl->db.getHandle(), "main") &&
                                  !(distrust && distrust->stops != Stops::running);
            migrate(*impl, writable);
        }
        impl->trusted_to_run = access == Access::run;
        impl->distrust = std::move(distrust);
        return Store(std::move(impl));
    } catch (const SQLite::Exception& e) {
        rethrow_sqlite(e, path);
    }
}

std::string Store::Impl::immutable_uri(const fs::path& p) {
    std::string uri = "file:";
    for (unsigned char c : p.string()) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '.' || c == '_';
        if (plain) {
            uri += static_cast<char>(c);
        } else {
            constexpr const char* k_hex = "0123456789ABCDEF";
            uri += '%';
            uri += k_hex[c >> 4];
            uri += k_hex[c & 15];
        }
    }
    return uri + "?immutable=1";
}

const std::optional<util::Distrust>& Store::distrust() const {
    return m_impl->distrust;
}

void harden(SQLite::Database& db) {
    // The file may come from someone else (a copied or restored store): no
    // schema trick in it may run SQL functions or corrupt it on our behalf.
    sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    db.exec("PRAGMA trusted_schema = OFF");
}

namespace {

// A complete new store (WAL mode, schema) under a temporary name in `dir`.
fs::path build_store_file(const fs::path& dir, const fs::path& name) {
    auto tmp = util::create_temp_file(dir, name.string(), 0600);
    try {
        Store::Impl building(tmp, true, false);
        building.db.exec("PRAGMA journal_mode = WAL");
        migrate(building, true);
    } catch (...) {
        fs::remove(tmp);
        throw;
    }
    return tmp;
}

// Makes the file at `path` a store unless it is one already. The new store
// is built complete under a temporary name and then moved into place, so
// nobody ever sees a half-made store: linked where no file is (link never
// replaces, so of several processes creating it at once one wins and the
// others open the winner's file), renamed over an empty file (whose
// contents someone may still be able to write through an open descriptor).
void create_store_file(const fs::path& path) {
    const auto dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    for (;;) {
        // `path` was resolved and its directory checked: a link there now
        // was put there since, and is never followed.
        const auto status = fs::symlink_status(path);
        if (fs::is_symlink(status))
            throw util::StoreError("cannot create the store " + path.string() +
                                   ": a symbolic link appeared in its place");
        if (fs::exists(status) && (!fs::is_regular_file(status) || fs::file_size(path) > 0))
            return;
        auto tmp = build_store_file(dir, path.filename());
        bool placed = false;
        try {
            placed = fs::exists(status) ? util::replace_empty_file(path, tmp)
                                        : util::link_if_absent(tmp, path);
        } catch (...) {
            std::error_code ignored;
            fs::remove(tmp, ignored);
            throw;
        }
        std::error_code ec;
        fs::remove(tmp, ec); // after a link: the other name; after a rename: nothing
        if (placed)
            return;
    }
}

} // namespace

void Store::Impl::materialize() {
    try {
        auto dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
        util::create_directories(dir, 0700);
        create_store_file(path);
    } catch (const fs::filesystem_error& e) {
        std::string why = e.code().message();
        if (e.code() == std::errc::not_a_directory && !e.path1().empty())
            why = e.path1().string() + " is not a directory";
        throw util::StoreError("cannot create the store " + path.string() + ": " + why);
    }
    statements.clear(); // they belong to the connection replaced below
    db = SQLite::Database(path.string(), SQLite::OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW,
                          k_busy_timeout_ms);
    harden(db);
    exists = true;
    db.exec("PRAGMA foreign_keys = ON");
    // In WAL mode NORMAL never corrupts the store; a power cut may only lose
    // the last transactions, and it saves an fsync per commit (a supervisor
    // commits for every batch of runs that end).
    db.exec("PRAGMA synchronous = NORMAL");
    migrate(*this, true);
}

SQLite::Database& Store::writer(WriteTransaction& tx) {
    if (tx.m_deferred) {
        // The first write of a transaction on a store that does not exist
        // yet: create it now, so that a command that fails before writing
        // leaves nothing behind. What the transaction read so far came from
        // an empty stand-in, which is what a new store holds.
        guarded(*m_impl, [&] {
            m_impl->db.exec("ROLLBACK");
            tx.m_open = false;
            m_impl->materialize();
            m_impl->db.exec("BEGIN IMMEDIATE");
            tx.m_open = true;
            return 0;
        });
        tx.m_deferred = false;
    }
    return m_impl->db;
}

WriteTransaction Store::begin_write() {
    if (!m_impl->exists && !m_impl->create_on_write)
        throw util::StoreError("the store " + m_impl->path.string() + " was opened read-only");
    if (const auto& d = m_impl->distrust; d && d->stops != util::Distrust::Stops::running)
        throw util::StoreError(refusal("write to", m_impl->path, *d), d->fix);
    return WriteTransaction(*this);
}

WriteTransaction::WriteTransaction(Store& store)
    : m_store(&store), m_open(false), m_deferred(!store.m_impl->exists) {
    guarded(*store.m_impl, [&] {
        store.m_impl->db.exec(m_deferred ? "BEGIN" : "BEGIN IMMEDIATE");
        return 0;
    });
    m_open = true;
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : m_store(other.m_store), m_open(other.m_open), m_deferred(other.m_deferred) {
    other.m_open = false;
}

WriteTransaction::~WriteTransaction() {
    if (m_open) {
        try {
            m_store->m_impl->db.exec("ROLLBACK");
        } catch (...) {
            // Nothing useful to do: the connection rolls back when it closes.
        }
    }
}

void WriteTransaction::commit() {
    guarded(*m_store->m_impl, [&] {
        m_store->m_impl->db.exec("COMMIT");
        return 0;
    });
    m_open = false;
}

ReadTransaction Store::begin_read() {
    return ReadTransaction(*this);
}

ReadTransaction::ReadTransaction(Store& store) : m_store(&store), m_open(false) {
    guarded(*store.m_impl, [&] {
        store.m_impl->db.exec("BEGIN DEFERRED");
        // The snapshot is taken by the first read, so take it now.
        store.m_impl->db.exec("SELECT count(*) FROM sqlite_schema");
        return 0;
    });
    m_open = true;
}

ReadTransaction::ReadTransaction(ReadTransaction&& other) noexcept
    : m_store(other.m_store), m_open(other.m_open) {
    other.m_open = false;
}

ReadTransaction::~ReadTransaction() {
    if (m_open) {
        try {
            m_store->m_impl->db.exec("ROLLBACK");
        } catch (...) {
            // The connection ends the transaction when it closes.
        }
    }
}

} // namespace schedule::store
