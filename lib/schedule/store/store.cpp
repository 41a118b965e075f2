#include <schedule/store/impl.hpp>
#include <schedule/util/fs.hpp>

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
                               "waited " +
                                   std::to_string(Store::Impl::k_busy_timeout_ms / 1000) +
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
        throw util::StoreError("the disk holding the store is full" + where);
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

const fs::path& Store::path() const { return m_impl->path; }
bool Store::exists() const { return m_impl->exists; }

Store Store::open(const fs::path& path, Access access) {
    std::error_code ec;
    bool present = fs::exists(path, ec);
    if (ec)
        throw util::StoreError("cannot check the store " + path.string() + ": " + ec.message());
    if (present && fs::is_directory(path))
        throw util::StoreError("the store path " + path.string() + " is a directory",
                               "pass the database file, e.g. " + (path / "schedule.db").string());

    if (!present && access == Access::read) {
        // A missing store reads as an empty one: an in-memory database with
        // the schema, so every query works and nothing touches the disk.
        auto impl = std::make_unique<Impl>(path, false,
                                           SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        try {
            migrate(*impl, true);
        } catch (const SQLite::Exception& e) {
            rethrow_sqlite(e, path);
        }
        return Store(std::move(impl));
    }

    if (!present) {
        try {
            auto dir = path.parent_path();
            if (!dir.empty())
                util::create_directories(dir, 0700);
            util::create_file_exclusive(path, 0600);
        } catch (const fs::filesystem_error& e) {
            throw util::StoreError("cannot create the store " + path.string() + ": " +
                                   e.code().message());
        }
    }

    try {
        auto impl = std::make_unique<Impl>(path, true, SQLite::OPEN_READWRITE);
        impl->db.exec("PRAGMA foreign_keys = ON");
        const bool writable = !sqlite3_db_readonly(impl->db.getHandle(), "main");
        migrate(*impl, writable);
        return Store(std::move(impl));
    } catch (const SQLite::Exception& e) {
        rethrow_sqlite(e, path);
    }
}

WriteTransaction Store::begin_write() { return WriteTransaction(*this); }

WriteTransaction::WriteTransaction(Store& store) : m_store(&store), m_open(false) {
    guarded(*store.m_impl, [&] {
        store.m_impl->db.exec("BEGIN IMMEDIATE");
        return 0;
    });
    m_open = true;
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : m_store(other.m_store), m_open(other.m_open) {
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

} // namespace schedule::store
