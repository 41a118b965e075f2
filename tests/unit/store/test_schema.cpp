// The schema check: a store must have exactly the schema the migrations
// make, or it is refused.

#include "../support/raw_sqlite.hpp"
#include "../support/temp_dir.hpp"

#include <schedule/store/impl.hpp>
#include <schedule/store/store.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdio>

using namespace schedule;
using schedule::test::sqlite_exec;
using schedule::test::TempDir;

namespace {

std::filesystem::path new_store(const TempDir& tmp) {
    auto path = tmp.path() / "s.db";
    auto s = store::Store::open(path, store::Access::write);
    auto tx = s.begin_write();
    s.set_meta(tx, "created", "1");
    tx.commit();
    return path;
}

} // namespace

TEST_SUITE("store::schema") {

    TEST_CASE("k_schema_digest is the digest of the schema the migrations make") {
        // When the schema changes, this prints the new value for impl.hpp.
        SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        TempDir tmp;
        SQLite::Database made(new_store(tmp).string(), SQLite::OPEN_READONLY);
        const auto digest = store::schema_digest(made);
        INFO("digest of a new store: 0x" << std::hex << digest);
        CHECK(digest == store::k_schema_digest);
        CHECK(store::schema_digest(db) != store::k_schema_digest); // an empty schema differs
    }

    TEST_CASE("a store whose schema someone changed is refused, and left as it is") {
        TempDir tmp;
        const auto path = new_store(tmp);
        const char* changes[] = {
            "CREATE TRIGGER t AFTER INSERT ON executions BEGIN UPDATE jobs SET command = 'x'; END",
            "CREATE VIEW v AS SELECT 1",
            "CREATE INDEX extra ON jobs(name, command)",
            "CREATE TABLE notes (x)",
            "ALTER TABLE jobs ADD COLUMN sneaky TEXT",
            // A trigger stored with another spelling of its type.
            "CREATE TRIGGER t2 AFTER INSERT ON executions BEGIN SELECT 1; END;"
            " PRAGMA writable_schema = ON;"
            " UPDATE sqlite_schema SET type = 'Trigger' WHERE name = 't2'",
        };
        for (const char* change : changes) {
            INFO(change);
            TempDir other;
            const auto copy = other.path() / "s.db";
            std::filesystem::copy_file(path, copy);
            REQUIRE(sqlite_exec(copy, change) == SQLITE_OK);
            const auto size = std::filesystem::file_size(copy);
            for (auto access : {store::Access::read, store::Access::write}) {
                CHECK_THROWS_WITH_AS(store::Store::open(copy, access),
                                     doctest::Contains("schedule never creates"), util::StoreError);
            }
            CHECK(std::filesystem::file_size(copy) == size);
        }
        SUBCASE("statistics of ANALYZE are fine") {
            REQUIRE(sqlite_exec(path, "ANALYZE") == SQLITE_OK);
            CHECK_NOTHROW(store::Store::open(path, store::Access::read));
        }
    }
}
