// store::Store against real SQLite files in a temporary directory.

#include "../support/raw_sqlite.hpp"
#include "../support/temp_dir.hpp"

#include <schedule/store/impl.hpp>
#include <schedule/store/store.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <set>
#include <string>
#include <sys/stat.h>

using namespace schedule;
using schedule::test::sqlite_exec;
using schedule::test::TempDir;

namespace {
model::Job sample_job(const std::string& id, const std::string& name) {
    model::Job j;
    j.id = id;
    j.name = name;
    j.timezone = "UTC";
    j.command = "true";
    j.trigger.type = model::TriggerType::cron;
    j.trigger.expression = "0 3 * * *";
    j.tags = {{"team", "infra"}, {"prod", std::nullopt}};
    j.env = {{"A", "1"}};
    j.timeout = time::Duration{90};
    j.created_at = j.updated_at = time::from_unix(1700000000);
    return j;
}

// What version 4 added, taken away again: a store as version 3 wrote it.
constexpr const char* k_undo_v4 = "DROP TABLE notifications; ALTER TABLE jobs DROP COLUMN notify;";

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777;
}
} // namespace

TEST_SUITE("store::store") {

    TEST_CASE("locate follows flag, SCHEDULE_STORE, root, XDG_STATE_HOME, HOME") {
        CHECK(store::locate({"/f.db", "/e.db", true, "/x", "/h"}) == "/f.db");
        CHECK(store::locate({std::nullopt, "/e.db", true, "/x", "/h"}) == "/e.db");
        CHECK(store::locate({std::nullopt, std::nullopt, true, "/x", "/h"}) ==
              "/var/lib/schedule/schedule.db");
        CHECK(store::locate({std::nullopt, std::nullopt, false, "/x", "/h"}) ==
              "/x/schedule/schedule.db");
        CHECK(store::locate({std::nullopt, std::nullopt, false, std::nullopt, "/h"}) ==
              "/h/.local/state/schedule/schedule.db");
        // A relative XDG_STATE_HOME is invalid per the XDG spec and ignored.
        CHECK(store::locate({std::nullopt, std::nullopt, false, "rel", "/h"}) ==
              "/h/.local/state/schedule/schedule.db");
        CHECK_THROWS_WITH_AS(
            store::locate({std::nullopt, std::nullopt, false, std::nullopt, std::nullopt}),
            "cannot find the store: neither $HOME nor $XDG_STATE_HOME is set", util::StoreError);
        // Set but relative: the message says why it is not used.
        CHECK_THROWS_WITH_AS(
            store::locate({std::nullopt, std::nullopt, false, "rel", std::nullopt}),
            "cannot find the store: $HOME is not set and $XDG_STATE_HOME (rel) is not an "
            "absolute path",
            util::StoreError);
    }

    TEST_CASE("a missing store is created by the first committed write, 0700/0600") {
        TempDir tmp;
        auto path = tmp.path() / "sub" / "dir" / "s.db";
        SUBCASE("reading creates nothing") {
            auto s = store::Store::open(path, store::Access::read);
            CHECK_FALSE(s.exists());
            CHECK(s.list_jobs({}).empty());
            CHECK_THROWS_AS(s.begin_write(), util::StoreError);
        }
        SUBCASE("a write transaction that writes nothing creates nothing") {
            auto s = store::Store::open(path, store::Access::write);
            auto tx = s.begin_write();
            CHECK_FALSE(s.find_job_by_name("x"));
            tx.commit();
            CHECK_FALSE(s.exists());
        }
        SUBCASE("the first write creates the file whatever the umask") {
            auto old = ::umask(0);
            {
                auto s = store::Store::open(path, store::Access::write);
                auto tx = s.begin_write();
                s.insert_job(tx, sample_job("00000abc", "first"));
                tx.commit();
                CHECK(s.exists());
            }
            ::umask(old);
            CHECK(mode_of(tmp.path() / "sub") == 0700);
            CHECK(mode_of(path.parent_path()) == 0700);
            CHECK(mode_of(path) == 0600);
            auto again = store::Store::open(path, store::Access::read);
            CHECK(again.find_job_by_name("first"));
        }
    }

    TEST_CASE("jobs round-trip through insert, find, update and delete") {
        TempDir tmp;
        auto s = store::Store::open(tmp.path() / "s.db", store::Access::write);
        auto job = sample_job("0123abcd", "backup");
        {
            auto tx = s.begin_write();
            s.insert_job(tx, job);
            tx.commit();
        }
        auto found = s.find_job_by_name("backup");
        REQUIRE(found);
        CHECK(found->id == "0123abcd");
        CHECK(found->trigger == job.trigger);
        CHECK(found->tags == std::vector<model::Tag>{{"team", "infra"}, {"prod", std::nullopt}});
        CHECK(found->env == job.env);
        CHECK(found->timeout == job.timeout);
        CHECK(found->created_at == job.created_at);
        CHECK(s.find_job_by_id("0123abcd"));
        CHECK(s.job_id_taken("0123abcd"));
        CHECK_FALSE(s.find_job_by_name("nope"));

        job.description = "changed";
        job.enabled = false;
        job.status = model::JobStatus::paused;
        {
            auto tx = s.begin_write();
            s.update_job(tx, job);
            tx.commit();
        }
        CHECK(s.find_job_by_id("0123abcd")->description == "changed");
        CHECK(s.list_jobs({.enabled = false}).size() == 1);
        CHECK(s.list_jobs({.status = model::JobStatus::active}).empty());
        CHECK(s.list_jobs({.tag = "team=infra"}).size() == 1);
        CHECK(s.list_jobs({.tag = "team=web"}).empty());
        CHECK(s.list_jobs({.tag = "prod"}).size() == 1);
        {
            auto tx = s.begin_write();
            s.delete_job(tx, "0123abcd");
            tx.commit();
        }
        CHECK(s.list_jobs({}).empty());
    }

    TEST_CASE("each_job visits the jobs of list_jobs in order, each read in full") {
        TempDir tmp;
        auto s = store::Store::open(tmp.path() / "s.db", store::Access::write);
        // Every optional field set on the first job (by name) and unset on
        // the next: one Job reused row after row must not carry them over.
        auto full = sample_job("0000000a", "a-full");
        full.misfire_grace = time::Duration{300};
        full.max_instances = 3;
        full.max_executions = 7;
        full.retry_on = {{model::RetryOn::Kind::timeout, 0}};
        full.owner = "ops";
        full.working_dir = "/srv";
        full.run_as = "nobody";
        full.start_date = time::from_unix(1700000000);
        full.end_date = time::from_unix(1800000000);
        full.next_execution = time::from_unix(1700003600);
        full.last_execution = time::from_unix(1700000060);
        full.last_status = "completed";
        full.boot_id = "boot";
        auto bare = sample_job("0000000b", "b-bare");
        bare.tags.clear();
        bare.env.clear();
        bare.timeout.reset();
        bare.command.reset();
        bare.task_type = "http";
        bare.task_config = R"({"url":"http://localhost/"})";
        bare.trigger.type = model::TriggerType::every;
        bare.trigger.expression.clear();
        bare.trigger.every = time::Duration{600};
        {
            auto tx = s.begin_write();
            s.insert_job(tx, bare);
            s.insert_job(tx, full);
            s.insert_job(tx, sample_job("0000000c", "c-plain"));
            tx.commit();
        }
        auto listed = s.list_jobs({});
        std::vector<model::Job> visited;
        s.each_job({}, [&](const model::Job& j) { visited.push_back(j); });
        REQUIRE(visited.size() == 3);
        REQUIRE(listed.size() == 3);
        CHECK(visited[0].name == "a-full");
        CHECK(visited[1].name == "b-bare");
        for (std::size_t i = 0; i < visited.size(); ++i) {
            CAPTURE(visited[i].name);
            auto one = s.find_job_by_id(visited[i].id);
            REQUIRE(one);
            for (const auto* j : {&visited[i], &listed[i]}) {
                CHECK(j->id == one->id);
                CHECK(j->trigger == one->trigger);
                CHECK(j->command == one->command);
                CHECK(j->task_type == one->task_type);
                CHECK(j->task_config == one->task_config);
                CHECK(j->owner == one->owner);
                CHECK(j->tags == one->tags);
                CHECK(j->env == one->env);
                CHECK(j->timeout == one->timeout);
                CHECK(j->working_dir == one->working_dir);
                CHECK(j->run_as == one->run_as);
                CHECK(j->misfire_grace == one->misfire_grace);
                CHECK(j->max_instances == one->max_instances);
                CHECK(j->max_executions == one->max_executions);
                CHECK(j->retry_on == one->retry_on);
                CHECK(j->start_date == one->start_date);
                CHECK(j->end_date == one->end_date);
                CHECK(j->next_execution == one->next_execution);
                CHECK(j->last_execution == one->last_execution);
                CHECK(j->last_status == one->last_status);
                CHECK(j->boot_id == one->boot_id);
            }
        }
        CHECK(visited[0].max_instances == 3);
        CHECK_FALSE(visited[1].max_instances);
        CHECK_FALSE(visited[1].misfire_grace);
        CHECK(visited[1].retry_on.empty());
        CHECK_FALSE(visited[1].timeout);
        std::size_t filtered = 0;
        s.each_job({.tag = "team=infra"}, [&](const model::Job&) { ++filtered; });
        CHECK(filtered == 2);
    }

    TEST_CASE("a duplicate name is a Conflict") {
        TempDir tmp;
        auto s = store::Store::open(tmp.path() / "s.db", store::Access::write);
        auto tx = s.begin_write();
        s.insert_job(tx, sample_job("00000001", "same"));
        CHECK_THROWS_AS(s.insert_job(tx, sample_job("00000002", "same")), util::Conflict);
    }

    TEST_CASE("a transaction that is not committed leaves nothing behind") {
        TempDir tmp;
        auto s = store::Store::open(tmp.path() / "s.db", store::Access::write);
        {
            auto tx = s.begin_write();
            s.insert_job(tx, sample_job("0000000a", "ghost"));
            model::Event e;
            e.type = "job.created";
            e.user = "me";
            s.append_event(tx, e);
        }
        CHECK(s.list_jobs({}).empty());
        CHECK(s.list_events().empty());
    }

    TEST_CASE("config rows and events") {
        TempDir tmp;
        auto s = store::Store::open(tmp.path() / "s.db", store::Access::write);
        {
            auto tx = s.begin_write();
            s.set_config(tx, "log.level", "debug", time::from_unix(1));
            s.set_config(tx, "log.level", "info", time::from_unix(2));
            model::Event e;
            e.type = "config.changed";
            e.user = "me";
            e.time = time::from_unix(2);
            e.detail = R"({"key":"log.level"})";
            CHECK(s.append_event(tx, e) == 1);
            tx.commit();
        }
        CHECK(s.config_rows() ==
              std::vector<std::pair<std::string, std::string>>{{"log.level", "info"}});
        auto events = s.list_events();
        REQUIRE(events.size() == 1);
        CHECK(events[0].detail == R"({"key":"log.level"})");
        CHECK(events[0].time == time::from_unix(2));
        auto tx = s.begin_write();
        CHECK(s.unset_config(tx, "log.level"));
        CHECK_FALSE(s.unset_config(tx, "log.level"));
    }

    TEST_CASE("list_events selects by job id or name, type or prefix, time, id and limit") {
        TempDir tmp;
        auto s = store::Store::open(tmp.path() / "s.db", store::Access::write);
        {
            auto tx = s.begin_write();
            auto add = [&](const char* type, std::optional<std::string> id,
                           std::optional<std::string> name, long t) {
                model::Event e;
                e.type = type;
                e.job_id = std::move(id);
                e.job_name = std::move(name);
                e.user = "me";
                e.time = time::from_unix(t);
                s.append_event(tx, e);
            };
            add("job.created", "0000000a", "a", 10);               // 1
            add("execution.started", "0000000a", "a", 20);         // 2
            add("execution.failed", "0000000a", "a", 30);          // 3
            add("job.deleted", "0000000b", "old", 40);             // 4
            add("config.changed", std::nullopt, std::nullopt, 50); // 5
            tx.commit();
        }
        auto ids = [&](const store::EventFilter& f) {
            std::vector<std::int64_t> out;
            for (const auto& e : s.list_events(f))
                out.push_back(e.id);
            return out;
        };
        using V = std::vector<std::int64_t>;
        CHECK(ids({}) == V{1, 2, 3, 4, 5});
        CHECK(ids({.job_id = "0000000a"}) == V{1, 2, 3});
        CHECK(ids({.job_name = "old"}) == V{4});
        CHECK(ids({.job_id = "0000000b", .job_name = "a"}) == V{1, 2, 3, 4});
        CHECK(ids({.type = "execution."}) == V{2, 3});
        CHECK(ids({.type = "execution.failed"}) == V{3});
        CHECK(ids({.type = "execution"}).empty()); // a prefix ends in a dot
        CHECK(ids({.since = time::from_unix(30)}) == V{3, 4, 5});
        CHECK(ids({.after_id = 3}) == V{4, 5});
        CHECK(ids({.limit = 2}) == V{4, 5}); // the newest, oldest first
        CHECK(ids({.type = "job.", .limit = 1}) == V{4});
    }

    TEST_CASE("list_events reads a range of the primary key, whatever the filter") {
        TempDir tmp;
        auto path = tmp.path() / "s.db";
        {
            auto s = store::Store::open(path, store::Access::write);
            auto tx = s.begin_write();
            s.set_config(tx, "log.level", "info", time::from_unix(1));
            tx.commit();
        }
        sqlite3* h = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
        std::string plan;
        auto sql = std::string("EXPLAIN QUERY PLAN ") + store::k_select_events;
        sqlite3_stmt* st = nullptr;
        REQUIRE(sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
        while (sqlite3_step(st) == SQLITE_ROW)
            plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3)) + std::string("\n");
        sqlite3_finalize(st);
        sqlite3_close(h);
        INFO(plan);
        CHECK(plan == "SEARCH events USING INTEGER PRIMARY KEY (rowid>?)\n");
    }

    TEST_CASE("Access::peek reads a store and never writes: no file, no migration, no write") {
        TempDir tmp;
        auto path = tmp.path() / "sub" / "s.db";
        {
            auto missing = store::Store::open(path, store::Access::peek);
            CHECK_FALSE(missing.exists());
            CHECK(missing.jobs_named("").empty());
            CHECK_THROWS_AS(missing.begin_write(), util::StoreError);
        }
        CHECK_FALSE(std::filesystem::exists(tmp.path() / "sub"));
        {
            auto st = store::Store::open(path, store::Access::write);
            auto tx = st.begin_write();
            st.insert_job(tx, sample_job("0000000a", "a"));
            tx.commit();
        }
        auto files = [&] {
            std::set<std::string> names;
            for (const auto& e : std::filesystem::directory_iterator(path.parent_path()))
                names.insert(e.path().filename().string());
            return names;
        };
        REQUIRE(files() == std::set<std::string>{"s.db"});
        {
            auto peek = store::Store::open(path, store::Access::peek);
            CHECK(peek.jobs_named("").size() == 1);
            auto tx = peek.begin_write();
            CHECK_THROWS_AS(peek.insert_job(tx, sample_job("0000000b", "b")), util::StoreError);
        }
        CHECK(files() == std::set<std::string>{"s.db"});
        {
            // A path that a file: URI must escape.
            auto odd = tmp.path() / "a b%3F?#" / "s.db";
            std::filesystem::create_directories(odd.parent_path());
            std::filesystem::copy_file(path, odd);
            CHECK(store::Store::open(odd, store::Access::peek).jobs_named("").size() == 1);
        }
        {
            // While a writer has the store open, what it committed to the
            // -wal file is seen too.
            auto writer = store::Store::open(path, store::Access::write);
            auto tx = writer.begin_write();
            writer.insert_job(tx, sample_job("0000000c", "c"));
            tx.commit();
            REQUIRE(std::filesystem::exists(path.string() + "-wal"));
            CHECK(store::Store::open(path, store::Access::peek).jobs_named("").size() == 2);
        }
        CHECK(files() == std::set<std::string>{"s.db"});
        // An older store is refused as it is, not migrated.
        REQUIRE(sqlite_exec(path, "PRAGMA user_version = 2") == SQLITE_OK);
        CHECK_THROWS_AS(store::Store::open(path, store::Access::peek), util::StoreError);
        sqlite3* h = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
        sqlite3_stmt* version = nullptr;
        REQUIRE(sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &version, nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(version) == SQLITE_ROW);
        CHECK(sqlite3_column_int(version, 0) == 2);
        sqlite3_finalize(version);
        sqlite3_close(h);
    }

    TEST_CASE("jobs_named and jobs_with_id give the jobs whose name or id starts with a prefix") {
        TempDir tmp;
        auto st = store::Store::open(tmp.path() / "s.db", store::Access::write);
        auto tx = st.begin_write();
        for (auto [id, name] : {std::pair{"0000000a", "backup"},
                                {"0000000b", "backup db"},
                                {"1000000c", "báckup"},
                                {"a000000d", "clean"}})
            st.insert_job(tx, sample_job(id, name));
        tx.commit();
        auto names = [](const std::vector<store::Store::JobLabel>& labels) {
            std::vector<std::string> out;
            for (const auto& l : labels)
                out.push_back(l.id + " " + l.name);
            return out;
        };
        CHECK(names(st.jobs_named("")) ==
              std::vector<std::string>{"0000000a backup", "0000000b backup db", "1000000c báckup",
                                       "a000000d clean"});
        CHECK(names(st.jobs_named("backup")) ==
              std::vector<std::string>{"0000000a backup", "0000000b backup db"});
        CHECK(names(st.jobs_named("b\xc3\xa1")) == std::vector<std::string>{"1000000c báckup"});
        CHECK(names(st.jobs_named("Backup")).empty());
        CHECK(names(st.jobs_named("backup dbx")).empty());
        CHECK(names(st.jobs_with_id("0")) ==
              std::vector<std::string>{"0000000a backup", "0000000b backup db"});
        CHECK(names(st.jobs_with_id("a000000d")) == std::vector<std::string>{"a000000d clean"});
        CHECK(names(st.jobs_with_id("b")).empty());
    }

    TEST_CASE("a version 1 store gets the queue indexes of version 2 when opened") {
        TempDir tmp;
        auto path = tmp.path() / "v1.db";
        {
            auto st = store::Store::open(path, store::Access::write);
            auto tx = st.begin_write();
            st.set_meta(tx, "created", "1");
            tx.commit();
        }
        auto scalar = [&](const char* sql) {
            sqlite3* h = nullptr;
            REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
            int n = -1;
            sqlite3_exec(
                h, sql,
                [](void* out, int, char** v, char**) {
                    *static_cast<int*>(out) = std::atoi(v[0]);
                    return 0;
                },
                &n, nullptr);
            sqlite3_close(h);
            return n;
        };
        auto count_indexes = [&] {
            return scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN "
                          "('executions_queue', 'executions_claimed')");
        };
        REQUIRE(count_indexes() == 2);
        // given the store as version 1 wrote it
        REQUIRE(sqlite_exec(path, (std::string(k_undo_v4) +
                                   "DROP INDEX executions_queue; DROP INDEX executions_claimed;"
                                   " PRAGMA user_version = 1")
                                      .c_str()) == SQLITE_OK);
        REQUIRE(count_indexes() == 0);
        // when it is opened
        { store::Store::open(path, store::Access::read); }
        // then it is migrated
        CHECK(count_indexes() == 2);
        CHECK(scalar("PRAGMA user_version") == store::k_schema_version);
        CHECK(store::k_schema_version == 4);
    }

    TEST_CASE("a version 3 store gets the jobs' notify column and the notifications table") {
        TempDir tmp;
        auto path = tmp.path() / "v3.db";
        {
            auto st = store::Store::open(path, store::Access::write);
            auto tx = st.begin_write();
            auto job = sample_job("0000abcd", "first");
            job.on_failure = "echo failed";
            st.insert_job(tx, job);
            tx.commit();
        }
        // given the store as version 3 wrote it (a job whose hook column
        // version 1 already had)
        REQUIRE(sqlite_exec(path, (std::string(k_undo_v4) + "PRAGMA user_version = 3").c_str()) ==
                SQLITE_OK);
        // when it is opened, then its job has notify on and keeps its hook
        auto st = store::Store::open(path, store::Access::write);
        auto job = st.find_job_by_id("0000abcd");
        REQUIRE(job);
        CHECK(job->notify);
        CHECK(job->on_failure == "echo failed");
        CHECK(st.notifications_of(1, 2).empty());
        // and a job with notify off reads back so
        job->notify = false;
        auto tx = st.begin_write();
        st.update_job(tx, *job);
        tx.commit();
        CHECK_FALSE(st.find_job_by_id("0000abcd")->notify);
    }

    TEST_CASE("a version 2 store gets indexes of active and claimed runs by end_time when opened, "
              "so that updating a run builds no temporary table") {
        TempDir tmp;
        auto path = tmp.path() / "v2.db";
        {
            auto st = store::Store::open(path, store::Access::write);
            auto tx = st.begin_write();
            st.insert_job(tx, sample_job("0000abcd", "first"));
            model::Execution e;
            e.job_id = "0000abcd";
            e.status = model::ExecutionStatus::running;
            e.created_at = e.updated_at = time::from_unix(1700000000);
            st.insert_execution(tx, e);
            tx.commit();
        }
        // given the indexes as version 2 made them
        REQUIRE(sqlite_exec(path, (std::string(k_undo_v4) +
                                   "DROP INDEX executions_active; DROP INDEX executions_claimed;"
                                   " CREATE INDEX executions_active ON executions(status)"
                                   " WHERE status IN ('queued', 'waiting', 'running');"
                                   " CREATE INDEX executions_claimed ON executions(supervisor_pid,"
                                   " supervisor_start) WHERE status IN ('queued', 'waiting')"
                                   " AND supervisor_pid IS NOT NULL; PRAGMA user_version = 2")
                                      .c_str()) == SQLITE_OK);
        // when it is opened, then the indexes are the new ones and serve the queries
        auto st = store::Store::open(path, store::Access::write);
        CHECK(st.active_executions().size() == 1);
        sqlite3* h = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &h) == SQLITE_OK);
        auto text = [&](const char* sql) {
            std::string out;
            sqlite3_exec(
                h, sql,
                [](void* o, int n, char** v, char**) {
                    for (int i = 0; i < n; ++i)
                        *static_cast<std::string*>(o) += std::string(v[i] ? v[i] : "") + "|";
                    return 0;
                },
                &out, nullptr);
            return out;
        };
        auto indexes = text("SELECT sql FROM sqlite_master WHERE name IN"
                            " ('executions_active', 'executions_claimed') ORDER BY name");
        CHECK(indexes.find("end_time IS NULL") != std::string::npos);
        CHECK(indexes.find("IN (") == std::string::npos);
        CHECK(text("PRAGMA user_version") == std::to_string(store::k_schema_version) + "|");
        // An update of a run's status opens no temporary table.
        auto program = text("EXPLAIN UPDATE executions SET status = 'completed', end_time = 1"
                            " WHERE execution_id = 1");
        CHECK(program.find("OpenEphemeral") == std::string::npos);
        sqlite3_close(h);
    }

    TEST_CASE("a newer schema or a foreign database is refused and left alone") {
        TempDir tmp;
        SUBCASE("newer schema") {
            auto path = tmp.path() / "new.db";
            { store::Store::open(path, store::Access::write); }
            REQUIRE(sqlite_exec(path, "PRAGMA user_version = 99") == SQLITE_OK);
            CHECK_THROWS_WITH_AS(store::Store::open(path, store::Access::read),
                                 doctest::Contains("newer version"), util::StoreError);
            CHECK_THROWS_AS(store::Store::open(path, store::Access::write), util::StoreError);
        }
        SUBCASE("another application's database") {
            auto path = tmp.path() / "other.db";
            REQUIRE(sqlite_exec(path, "CREATE TABLE t (x)") == SQLITE_OK);
            CHECK_THROWS_WITH_AS(store::Store::open(path, store::Access::write),
                                 doctest::Contains("not a schedule store"), util::StoreError);
        }
        SUBCASE("not a database at all") {
            auto path = tmp.path() / "junk.db";
            {
                std::FILE* f = std::fopen(path.c_str(), "w");
                std::fputs("this is not sqlite, just some text that is long enough to matter\n", f);
                std::fclose(f);
            }
            CHECK_THROWS_AS(store::Store::open(path, store::Access::write), util::StoreError);
        }
        SUBCASE("a directory") {
            CHECK_THROWS_AS(store::Store::open(tmp.path(), store::Access::read), util::StoreError);
        }
    }

    TEST_CASE("Access::run refuses a store others could write before opening it, and marks the "
              "stores it opens as trusted to run") {
        TempDir tmp;
        auto path = tmp.path() / "s.db";
        {
            auto s = store::Store::open(path, store::Access::write);
            auto tx = s.begin_write();
            s.set_meta(tx, "probe", "1");
            tx.commit();
            CHECK(!s.trusted_to_run());
        }
        CHECK(store::Store::open(path, store::Access::run).trusted_to_run());
        REQUIRE(::chmod(path.c_str(), 0666) == 0);
        CHECK_THROWS_WITH_AS(store::Store::open(path, store::Access::run),
                             doctest::Contains("writable by group or others"), util::StoreError);
        CHECK(!store::Store::open(path, store::Access::read).trusted_to_run());
    }

    TEST_CASE("a zero-length file reads as an empty store and is replaced by the first write") {
        TempDir tmp;
        auto path = tmp.path() / "s.db";
        {
            std::FILE* f = std::fopen(path.c_str(), "w");
            REQUIRE(f);
            std::fclose(f);
        }
        {
            auto s = store::Store::open(path, store::Access::write);
            CHECK(!s.exists());
            CHECK(s.list_jobs({}).empty());
        }
        CHECK(std::filesystem::file_size(path) == 0);
        auto s = store::Store::open(path, store::Access::write);
        auto tx = s.begin_write();
        s.insert_job(tx, sample_job("0000abcd", "first"));
        tx.commit();
        CHECK(s.exists());
        CHECK(std::filesystem::file_size(path) > 0);
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        CHECK((st.st_mode & 0777) == 0600);
        CHECK(store::Store::open(path, store::Access::read).list_jobs({}).size() == 1);
    }
}
