#pragma once
// Raw SQL on a store file, as someone other than schedule would change it.

#include <sqlite3.h>

#include <filesystem>

namespace schedule::test {

// Runs `sql` on the database at `db` through a plain connection; the
// SQLite result code.
inline int sqlite_exec(const std::filesystem::path& db, const char* sql) {
    sqlite3* h = nullptr;
    int rc = sqlite3_open(db.c_str(), &h);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(h, sql, nullptr, nullptr, nullptr);
    sqlite3_close(h);
    return rc;
}

} // namespace schedule::test
