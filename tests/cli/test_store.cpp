// The store (man page STORE): where it lives, how it is created, its SQLite
// settings, refusal of files that are not ours, the audit events every write
// appends, and concurrent writers.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <pwd.h>
#include <set>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using schedule::test::Args;
using schedule::test::as_nobody;
using schedule::test::binary;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::k_nobody;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// The permission bits of `p` (e.g. 0700).
unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

// `sqlite3 -json DB SQL` as parsed JSON; an empty array when no rows.
json query(const Sandbox& sb, const fs::path& db, const std::string& sql) {
    auto r = sb.run_program({"sqlite3", "-json", db.string(), sql});
    INFO("sqlite3: " << r.err);
    REQUIRE(r.exit_code == 0);
    if (r.out.find_first_not_of(" \r\n") == std::string::npos)
        return json::array();
    return json::parse(r.out);
}

json events(const Sandbox& sb) {
    return query(sb, sb.store(),
                 "SELECT event_id, time, type, job_id, job_name, execution_id, user, detail "
                 "FROM events ORDER BY event_id");
}

std::string current_user() {
    const passwd* pw = ::getpwuid(::geteuid());
    REQUIRE(pw != nullptr);
    return pw->pw_name;
}

bool is_root() {
    return ::geteuid() == 0;
}

// A directory a non-root user can write, and a way to run `schedule` as that
// user: the current one when the tests are not root, else `nobody` through
// setpriv(1). Empty when this machine cannot do that.
std::optional<fs::path> user_dir(const Sandbox& sb) {
    fs::path dir = sb.dir() / "user";
    fs::create_directories(dir);
    if (!is_root())
        return dir;
    fs::permissions(sb.dir(),
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    if (::chown(dir.c_str(), k_nobody, k_nobody) != 0)
        return std::nullopt;
    auto probe = sb.run_program(as_nobody({binary(), "--version"}));
    if (probe.exit_code != 0)
        return std::nullopt;
    return dir;
}

RunResult run_as_user(const Sandbox& sb, const Args& args) {
    if (!is_root())
        return sb.run(args);
    return sb.run_program(as_nobody(concat({binary()}, args)));
}

} // namespace

TEST_SUITE("cli::store") {

    TEST_CASE("store location: first match of --store, SCHEDULE_STORE, root default, XDG, HOME") {
        Sandbox sb;
        const Args create = {"job", "create", "--name", "located", "--command", "true"};
        const fs::path xdg_store = sb.dir() / "xdg" / "schedule" / "schedule.db";
        const fs::path home_store =
            sb.dir() / "home" / ".local" / "state" / "schedule" / "schedule.db";
        sb.env["XDG_STATE_HOME"] = (sb.dir() / "xdg").string();

        SUBCASE("--store beats SCHEDULE_STORE") {
            fs::path flag = sb.dir() / "flag" / "jobs.db";
            sb.ok(concat({"--store", flag.string()}, create));
            CHECK(fs::exists(flag));
            CHECK_FALSE(fs::exists(sb.store()));
            CHECK_FALSE(fs::exists(xdg_store));
            auto list = sb.json({"--store", flag.string(), "job", "list"});
            REQUIRE(list.size() == 1);
            CHECK(list[0]["name"] == "located");
            CHECK(sb.json({"job", "list"}).empty());
        }
        SUBCASE("--store also works after the command") {
            fs::path flag = sb.dir() / "flag" / "jobs.db";
            sb.ok(concat(create, {"--store", flag.string()}));
            CHECK(fs::exists(flag));
            CHECK_FALSE(fs::exists(sb.store()));
        }
        SUBCASE("SCHEDULE_STORE beats XDG_STATE_HOME, HOME and the root default") {
            sb.ok(create);
            CHECK(fs::exists(sb.store()));
            CHECK_FALSE(fs::exists(xdg_store));
            CHECK_FALSE(fs::exists(home_store));
        }
        SUBCASE("an empty SCHEDULE_STORE counts as unset") {
            // Only checked as a non-root user: as root it would mean /var/lib.
            auto dir = user_dir(sb);
            if (!dir) {
                MESSAGE("skipped: cannot run schedule as an unprivileged user here");
                return;
            }
            sb.env["SCHEDULE_STORE"] = "";
            sb.env["XDG_STATE_HOME"] = (*dir / "xdg").string();
            auto r = run_as_user(sb, create);
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK(fs::exists(*dir / "xdg" / "schedule" / "schedule.db"));
        }
    }

    TEST_CASE("store location without SCHEDULE_STORE for a non-root user") {
        Sandbox sb;
        auto dir = user_dir(sb);
        if (!dir) {
            MESSAGE("skipped: cannot run schedule as an unprivileged user here");
            return;
        }
        const Args create = {"job", "create", "--name", "located", "--command", "true"};
        sb.env["SCHEDULE_STORE"] = std::nullopt;
        sb.env["HOME"] = (*dir / "home").string();
        fs::create_directories(*dir / "home");
        if (is_root())
            REQUIRE(::chown((*dir / "home").c_str(), k_nobody, k_nobody) == 0);
        const fs::path xdg_store = *dir / "xdg" / "schedule" / "schedule.db";
        const fs::path home_store = *dir / "home" / ".local" / "state" / "schedule" / "schedule.db";

        SUBCASE("XDG_STATE_HOME beats HOME") {
            sb.env["XDG_STATE_HOME"] = (*dir / "xdg").string();
            auto r = run_as_user(sb, create);
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK(fs::exists(xdg_store));
            CHECK_FALSE(fs::exists(home_store));
            auto list = run_as_user(sb, {"job", "list", "--format", "json"});
            CHECK(json::parse(list.out).size() == 1);
        }
        SUBCASE("HOME/.local/state without XDG_STATE_HOME") {
            sb.env["XDG_STATE_HOME"] = std::nullopt;
            auto r = run_as_user(sb, create);
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK(fs::exists(home_store));
            CHECK_FALSE(fs::exists(xdg_store));
            CHECK(mode_of(home_store.parent_path()) == 0700);
        }
        SUBCASE("an empty XDG_STATE_HOME means HOME/.local/state") {
            sb.env["XDG_STATE_HOME"] = "";
            auto r = run_as_user(sb, create);
            INFO(r.err);
            CHECK(r.exit_code == 0);
            CHECK(fs::exists(home_store));
        }
    }

    TEST_CASE("store location for root without SCHEDULE_STORE is /var/lib/schedule/schedule.db") {
        if (!is_root()) {
            MESSAGE("skipped: the tests do not run as root");
            return;
        }
        Sandbox sb;
        // Never touch the real /var/lib: run in a private mount namespace with a
        // scratch directory bound over /var/lib.
        fs::path var_lib = sb.dir() / "var-lib";
        fs::create_directories(var_lib);
        const Args in_namespace = {"unshare",
                                   "--mount",
                                   "--propagation",
                                   "private",
                                   "sh",
                                   "-c",
                                   "mount --bind \"$0\" /var/lib && exec \"$@\"",
                                   var_lib.string()};
        auto probe = sb.run_program(concat(in_namespace, {"true"}));
        if (probe.exit_code != 0) {
            MESSAGE("skipped: no private mount namespace here: " << probe.err);
            return;
        }
        const bool real_existed = fs::exists("/var/lib/schedule");
        sb.env["SCHEDULE_STORE"] = std::nullopt;
        sb.env["XDG_STATE_HOME"] = (sb.dir() / "xdg").string();

        auto r = sb.run_program(concat(concat(in_namespace, {binary()}),
                                       {"job", "create", "--name", "rooted", "--command", "true"}));
        INFO(r.err);
        CHECK(r.exit_code == 0);
        const fs::path store = var_lib / "schedule" / "schedule.db";
        CHECK(fs::exists(store));
        CHECK(mode_of(store.parent_path()) == 0700);
        CHECK(mode_of(store) == 0600);
        CHECK_FALSE(fs::exists(sb.dir() / "xdg"));
        CHECK_FALSE(fs::exists(sb.dir() / "home" / ".local"));
        CHECK(fs::exists("/var/lib/schedule") == real_existed);
    }

    TEST_CASE("reading commands on a missing store act on an empty store and create nothing") {
        Sandbox sb;
        SUBCASE("under SCHEDULE_STORE") {
            CHECK(sb.json({"job", "list"}) == json::array());
            CHECK(sb.run({"job", "list"}).exit_code == 0);
            CHECK(sb.run({"job", "list", "--format", "csv"}).exit_code == 0);
            auto settings = sb.json({"config", "list"});
            CHECK(settings.size() >= 3);
            for (const auto& s : settings)
                CHECK(s["source"] == "default");
            CHECK(sb.ok({"config", "get", "log.level"}) == "warn\n");
            auto show = sb.run({"job", "show", "nightly"});
            CHECK(show.exit_code == 3);
            check_error_line(show, "nightly");
            CHECK(sb.run({"job", "show", "0badf00d"}).exit_code == 3);
            CHECK_FALSE(fs::exists(sb.store()));
            CHECK_FALSE(fs::exists(sb.store().parent_path()));
        }
        SUBCASE("under --store in a deep missing directory") {
            fs::path deep = sb.dir() / "a" / "b" / "c.db";
            CHECK(sb.json({"--store", deep.string(), "job", "list"}) == json::array());
            CHECK(sb.run({"--store", deep.string(), "job", "show", "x"}).exit_code == 3);
            CHECK(sb.run({"--store", deep.string(), "config", "list"}).exit_code == 0);
            CHECK_FALSE(fs::exists(sb.dir() / "a"));
        }
    }

    TEST_CASE("a write command that fails or changes nothing on a missing store creates nothing") {
        const std::vector<std::pair<Args, int>> cases = {
            {{"job", "create", "--name", "deadbeef", "--command", "true"}, 2},
            {{"job", "create", "--name", "x", "--command", "true", "--cron", "61 * * * *"}, 2},
            {{"config", "set", "log.level", "loud"}, 2},
            {{"config", "set", "nope", "1"}, 2},
            {{"config", "unset", "nope"}, 2},
            {{"config", "unset", "log.level"}, 0},
            {{"job", "pause", "x"}, 3},
            {{"job", "resume", "x"}, 3},
            {{"job", "update", "x", "--description", "y"}, 3},
            {{"job", "delete", "x", "--force"}, 3},
        };
        for (const auto& [args, code] : cases) {
            std::string label;
            for (const auto& a : args)
                label += a + " ";
            SUBCASE(label.c_str()) {
                Sandbox sb;
                auto r = sb.run(args);
                INFO(r.err);
                CHECK(r.exit_code == code);
                CHECK_FALSE(fs::exists(sb.store()));
                CHECK_FALSE(fs::exists(sb.store().parent_path()));
            }
        }
    }

    TEST_CASE(
        "the first write creates the directory 0700 and the database 0600 whatever the umask") {
        for (const char* umask : {"000", "022", "077"}) {
            SUBCASE((std::string("umask ") + umask).c_str()) {
                Sandbox sb;
                auto r = sb.run_program(
                    {"sh", "-c", std::string("umask ") + umask + "; exec \"$0\" \"$@\"", binary(),
                     "job", "create", "--name", "first", "--command", "true"});
                INFO(r.err);
                REQUIRE(r.exit_code == 0);
                CHECK(mode_of(sb.store().parent_path()) == 0700);
                CHECK(mode_of(sb.store()) == 0600);
                // Side files (WAL, shared memory), if any remain, are private too.
                for (const auto& entry : fs::directory_iterator(sb.store().parent_path())) {
                    INFO(entry.path());
                    CHECK((mode_of(entry.path()) & 077) == 0);
                }
                // A second write through the same umask does not widen anything.
                auto again = sb.run_program({"sh", "-c",
                                             std::string("umask ") + umask + "; exec \"$0\" \"$@\"",
                                             binary(), "config", "set", "log.level", "info"});
                CHECK(again.exit_code == 0);
                CHECK(mode_of(sb.store()) == 0600);
            }
        }
    }

    TEST_CASE("the store is in WAL mode") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "wal", "--command", "true"});
        auto r = sb.run_program({"sqlite3", sb.store().string(), "PRAGMA journal_mode"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "wal\n");
    }

    TEST_CASE("deleting a job deletes its executions and their output (foreign keys)") {
        Sandbox sb;
        std::string gone =
            sb.json({"job", "create", "--name", "gone", "--command", "true"})["job_id"];
        std::string kept =
            sb.json({"job", "create", "--name", "kept", "--command", "true"})["job_id"];
        auto insert = [&](const std::string& id) {
            auto r = sb.run_program(
                {"sqlite3", sb.store().string(),
                 "INSERT INTO executions (job_id, trigger, status, scheduled_for, start_time, "
                 "end_time, duration_ms, exit_code, created_at, updated_at) VALUES ('" +
                     id +
                     "', 'schedule', 'completed', 1768467600, 1768467600, 1768467601, 1000, 0, "
                     "1768467600, 1768467601);"
                     "INSERT INTO outputs (execution_id, stream, data, total_bytes) VALUES "
                     "(last_insert_rowid(), 'stdout', x'68690a', 3);"});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
        };
        insert(gone);
        insert(gone);
        insert(kept);
        auto count = [&](const std::string& sql) {
            return query(sb, sb.store(), "SELECT count(*) AS n FROM " + sql)[0]["n"].get<int>();
        };
        REQUIRE(count("executions WHERE job_id = '" + gone + "'") == 2);

        sb.ok({"job", "delete", "gone", "--force"});
        CHECK(count("jobs WHERE job_id = '" + gone + "'") == 0);
        CHECK(count("executions WHERE job_id = '" + gone + "'") == 0);
        CHECK(count("executions WHERE job_id = '" + kept + "'") == 1);
        CHECK(count("outputs") == 1);
        auto last = events(sb).back();
        CHECK(last["type"] == "job.deleted");
        CHECK(json::parse(last["detail"].get<std::string>())["executions_deleted"] == 2);
    }

    TEST_CASE("a store from a newer schema version is refused (exit 5) and not modified") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "old", "--command", "true"});
        auto set = sb.run_program({"sqlite3", sb.store().string(), "PRAGMA user_version = 99"});
        REQUIRE(set.exit_code == 0);
        const std::string bytes = read_bytes(sb.store());
        const std::string dump = sb.dump();
        const std::vector<Args> commands = {
            {"job", "list"},
            {"job", "show", "old"},
            {"config", "list"},
            {"job", "create", "--name", "new", "--command", "true"},
            {"job", "update", "old", "--priority", "high"},
            {"job", "delete", "old", "--force"},
            {"config", "set", "log.level", "info"},
        };
        for (const auto& args : commands) {
            SUBCASE((args[0] + " " + args[1]).c_str()) {
                auto r = sb.run(args);
                CHECK(r.exit_code == 5);
                check_error_line(r, "newer");
                CHECK(read_bytes(sb.store()) == bytes);
                CHECK(sb.dump() == dump);
                auto version =
                    sb.run_program({"sqlite3", sb.store().string(), "PRAGMA user_version"});
                CHECK(version.out == "99\n");
            }
        }
    }

    TEST_CASE("a file that is not a schedule store is refused (exit 5) and not modified") {
        Sandbox sb;
        fs::create_directories(sb.store().parent_path());
        SUBCASE("an SQLite database with an unrelated table") {
            auto r =
                sb.run_program({"sqlite3", sb.store().string(),
                                "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('hi');"});
            REQUIRE(r.exit_code == 0);
        }
        SUBCASE("an SQLite database of another application") {
            auto r = sb.run_program({"sqlite3", sb.store().string(),
                                     "PRAGMA application_id = 1234; PRAGMA user_version = 1;"});
            REQUIRE(r.exit_code == 0);
        }
        SUBCASE("a text file") {
            std::string text;
            for (int i = 0; i < 200; ++i)
                text += "this is not a database, line " + std::to_string(i) + "\n";
            write_bytes(sb.store(), text);
        }
        SUBCASE("random bytes") {
            std::string noise;
            unsigned x = 12345;
            for (int i = 0; i < 8192; ++i) {
                x = x * 1103515245u + 12345u;
                noise += char(x >> 16);
            }
            write_bytes(sb.store(), noise);
        }
        const std::string bytes = read_bytes(sb.store());
        for (const Args& args :
             std::vector<Args>{{"job", "list"},
                               {"config", "list"},
                               {"job", "create", "--name", "x", "--command", "true"},
                               {"config", "set", "log.level", "info"}}) {
            auto r = sb.run(args);
            INFO(args[0] << " " << args[1]);
            CHECK(r.exit_code == 5);
            check_error_line(r, "");
            CHECK(read_bytes(sb.store()) == bytes);
        }
    }

    TEST_CASE("a directory as the store path is refused with exit 5") {
        Sandbox sb;
        fs::create_directories(sb.store());
        for (const Args& args : std::vector<Args>{
                 {"job", "list"}, {"job", "create", "--name", "x", "--command", "true"}}) {
            auto r = sb.run(args);
            CHECK(r.exit_code == 5);
            check_error_line(r, "directory");
        }
    }

    TEST_CASE("every write appends exactly its audit event with the acting user and the job") {
        Sandbox sb;
        const std::string user = current_user();
        std::size_t seen = 0;
        // The one event appended since the last call.
        auto next_event = [&]() -> json {
            auto all = events(sb);
            REQUIRE(all.size() == seen + 1);
            seen = all.size();
            auto e = all.back();
            CHECK(e["user"] == user);
            CHECK(e["time"] == 1768471200); // SCHEDULE_NOW
            CHECK(e["execution_id"].is_null());
            return e;
        };

        std::string id = sb.json({"job", "create", "--name", "audited", "--command", "true",
                                  "--priority", "low"})["job_id"];
        auto e = next_event();
        CHECK(e["type"] == "job.created");
        CHECK(e["job_id"] == id);
        CHECK(e["job_name"] == "audited");
        auto created = json::parse(e["detail"].get<std::string>());
        CHECK(created["name"] == "audited");
        CHECK(created["priority"] == 20);

        sb.ok({"job", "update", "audited", "--description", "nightly", "--priority", "high"});
        e = next_event();
        CHECK(e["type"] == "job.updated");
        CHECK(e["job_id"] == id);
        CHECK(e["job_name"] == "audited");
        auto changed = json::parse(e["detail"].get<std::string>())["changed"];
        CHECK(std::set<std::string>(changed.begin(), changed.end()) ==
              std::set<std::string>{"description", "priority"});

        sb.ok({"job", "update", id, "--name", "renamed", "--tag", "team=ops"});
        e = next_event();
        CHECK(e["type"] == "job.updated");
        CHECK(e["job_name"] == "renamed");
        changed = json::parse(e["detail"].get<std::string>())["changed"];
        CHECK(std::set<std::string>(changed.begin(), changed.end()) ==
              std::set<std::string>{"name", "tags"});

        sb.ok({"job", "pause", "renamed"});
        e = next_event();
        CHECK(e["type"] == "job.paused");
        CHECK(e["job_id"] == id);
        CHECK(e["job_name"] == "renamed");

        sb.ok({"job", "resume", id});
        e = next_event();
        CHECK(e["type"] == "job.resumed");
        CHECK(e["job_id"] == id);

        sb.ok({"job", "update", "renamed", "--enabled", "false"});
        e = next_event();
        CHECK(e["type"] == "job.paused");

        sb.ok({"job", "update", "renamed", "--enabled", "true"});
        e = next_event();
        CHECK(e["type"] == "job.resumed");

        sb.ok({"config", "set", "timezone", "Europe/Berlin"});
        e = next_event();
        CHECK(e["type"] == "config.changed");
        CHECK(e["job_id"].is_null());
        auto detail = json::parse(e["detail"].get<std::string>());
        CHECK(detail["key"] == "timezone");
        CHECK(detail["new"] == "Europe/Berlin");

        sb.ok({"config", "unset", "timezone"});
        e = next_event();
        CHECK(e["type"] == "config.changed");

        sb.ok({"job", "delete", "renamed", "--force"});
        e = next_event();
        CHECK(e["type"] == "job.deleted");
        CHECK(e["job_id"] == id);
        CHECK(e["job_name"] == "renamed");

        // Events outlive the job they describe.
        CHECK(events(sb).size() == seen);
    }

    TEST_CASE("commands that change nothing append no event") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "steady", "--command", "true", "--priority", "high"});
        sb.ok({"job", "pause", "steady"});
        sb.ok({"config", "set", "log.level", "error"});
        const auto before = events(sb).size();
        const auto dump = sb.dump();
        sb.ok({"job", "pause", "steady"});
        sb.ok({"job", "update", "steady", "--priority", "80"});
        sb.ok({"job", "update", "steady", "--enabled", "false"});
        sb.ok({"config", "set", "log.level", "error"});
        sb.ok({"config", "unset", "timezone"});
        sb.ok({"job", "list"});
        sb.ok({"job", "show", "steady"});
        sb.ok({"config", "list"});
        CHECK(events(sb).size() == before);
        CHECK(sb.dump() == dump);
    }

    TEST_CASE("a failed command appends no event") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "base", "--command", "true"});
        const auto before = events(sb);
        const std::vector<std::pair<Args, int>> failures = {
            {{"job", "create", "--name", "bad:name", "--command", "true"}, 2},
            {{"job", "create", "--name", "base", "--command", "true"}, 4},
            {{"job", "update", "base", "--priority", "101"}, 2},
            {{"job", "update", "base", "--enabled", "maybe"}, 2},
            {{"job", "pause", "missing"}, 3},
            {{"job", "resume", "missing"}, 3},
            {{"job", "delete", "missing", "--force"}, 3},
            {{"job", "delete", "base"}, 2}, // not a TTY and no --force
            {{"config", "set", "log.level", "loud"}, 2},
            {{"config", "set", "no.such.key", "1"}, 2},
            {{"config", "unset", "no.such.key"}, 2},
        };
        for (const auto& [args, code] : failures) {
            auto r = sb.run(args);
            INFO(args[0] << " " << args[1] << " " << args[2] << ": " << r.err);
            CHECK(r.exit_code == code);
        }
        CHECK(events(sb) == before);
    }

    TEST_CASE("concurrent job creates all succeed: the busy timeout makes writers wait") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "seed", "--command", "true"});
        constexpr int k_writers = 8;
        std::vector<RunResult> results(k_writers);
        std::vector<std::thread> threads;
        for (int i = 0; i < k_writers; ++i)
            threads.emplace_back([&, i] {
                results[std::size_t(i)] =
                    sb.run({"job", "create", "--name", "parallel-" + std::to_string(i), "--command",
                            "true", "-q"});
            });
        for (auto& t : threads)
            t.join();

        std::set<std::string> ids;
        for (const auto& r : results) {
            INFO("stderr: " << r.err);
            CHECK(r.exit_code == 0);
            CHECK(r.out.size() == 9); // 8 hex digits and a newline
            ids.insert(r.out);
        }
        CHECK(ids.size() == k_writers);
        CHECK(sb.json({"job", "list"}).size() == k_writers + 1);
        auto created = query(sb, sb.store(),
                             "SELECT count(*) AS n FROM events WHERE type = 'job.created' AND "
                             "job_name LIKE 'parallel-%'");
        CHECK(created[0]["n"] == k_writers);
    }

    TEST_CASE("concurrent first writes to a missing store all succeed") {
        for (int round = 0; round < 5; ++round) {
            Sandbox sb;
            constexpr int k_writers = 8;
            std::vector<RunResult> results(k_writers);
            std::vector<std::thread> threads;
            for (int i = 0; i < k_writers; ++i)
                threads.emplace_back([&, i] {
                    results[std::size_t(i)] = sb.run(
                        {"job", "create", "--name", "j" + std::to_string(i), "--command", "true"});
                });
            for (auto& t : threads)
                t.join();
            for (const auto& r : results) {
                INFO("round " << round << " stderr: " << r.err);
                CHECK(r.exit_code == 0);
            }
            CHECK(sb.json({"job", "list"}).size() == k_writers);
            auto mode = sb.run_program({"sqlite3", sb.store().string(), "PRAGMA journal_mode"});
            CHECK(mode.out == "wal\n");
        }
    }
}
