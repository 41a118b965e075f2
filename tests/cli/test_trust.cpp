// Which stores `schedule` trusts to run jobs from: commands that run jobs
// (tick, job run, job run --detach, the supervisor) refuse a store that
// someone else could have written, before SQLite reads any of it; other
// commands only warn. Also: zero-length store files, an empty --store, and
// SQLite's defensive settings.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::KillLeftovers;
using schedule::test::read_bytes;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

constexpr uid_t k_nobody = 65534;
constexpr const char* k_due = "2026-01-15T10:01:00Z"; // a minute after the sandbox's now

bool is_root() {
    return ::geteuid() == 0;
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

void chmod_or_fail(const fs::path& p, unsigned mode) {
    REQUIRE(::chmod(p.c_str(), mode_t(mode)) == 0);
}

// A job `j` due at k_due whose command touches `mark` when it runs.
void create_marking_job(const Sandbox& sb, const fs::path& mark) {
    sb.ok({"job", "create", "j", "--cron", "* * * * *", "--command",
           "touch '" + mark.string() + "'", "-q"});
}

// Every way to run a job, each at k_due.
std::vector<Args> running_commands(const Sandbox& sb) {
    return {{"tick", "--wait"},
            {"job", "run", "j"},
            {"job", "run", "j", "--detach"},
            {"__supervise", "--store", *sb.env.at("SCHEDULE_STORE")}};
}

RunResult run_at_due(Sandbox& sb, const Args& args) {
    sb.env["SCHEDULE_NOW"] = k_due;
    auto r = sb.run(args);
    sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
    return r;
}

// Runs every command that runs jobs and checks each refuses with exit 5,
// one error line naming `culprit`, and nothing ran.
void check_all_refuse(Sandbox& sb, const fs::path& mark, const std::string& culprit) {
    for (const auto& args : running_commands(sb)) {
        INFO("schedule " << args[0] << (args.size() > 1 ? " " + args[1] : ""));
        auto r = run_at_due(sb, args);
        CHECK(r.exit_code == 5);
        CHECK(r.out == "");
        check_error_line(r, culprit);
        CHECK(!fs::exists(mark));
    }
}

} // namespace

TEST_SUITE("cli::trust") {

    TEST_CASE("a WAL planted next to a store in a world-writable directory is never replayed by a "
              "command that runs jobs") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto state = sb.store().parent_path();
        const auto mark = sb.dir() / "planted-command-ran";
        sb.ok({"job", "create", "j", "--cron", "* * * * *", "--command", "true", "-q"});

        // The attacker's WAL: made on an identical copy of the store, it
        // changes the job's command. The copy's connection stays open while
        // the WAL is copied, so the WAL still holds the change.
        const auto copy = sb.dir() / "copy.db";
        fs::copy_file(sb.store(), copy);
        const auto crafted = sb.dir() / "crafted-wal";
        auto made = sb.run_program({"sqlite3", copy.string()},
                                   "UPDATE jobs SET command = 'touch " + mark.string() +
                                       "' WHERE name = 'j';\n.shell cp '" + copy.string() +
                                       "-wal' '" + crafted.string() + "'\n");
        INFO(made.err);
        REQUIRE(made.exit_code == 0);
        REQUIRE(fs::file_size(crafted) > 0);

        chmod_or_fail(state, 01777);
        const auto wal = fs::path(sb.store().string() + "-wal");
        fs::copy_file(crafted, wal);
        if (is_root())
            REQUIRE(::chown(wal.c_str(), k_nobody, k_nobody) == 0);
        const auto planted = read_bytes(wal);

        check_all_refuse(sb, mark, state.string());
        CHECK(read_bytes(wal) == planted); // never opened, so never checkpointed

        // The WAL would have worked: once the directory and the WAL look
        // like ours, a read replays it and shows the planted command.
        chmod_or_fail(state, 0700);
        if (is_root())
            REQUIRE(::chown(wal.c_str(), 0, 0) == 0);
        auto job = sb.json({"job", "show", "j"});
        CHECK(job["command"] == "touch " + mark.string());
    }

    TEST_CASE("commands that run jobs refuse a store someone else could have written, and others "
              "only warn") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto state = sb.store().parent_path();
        const auto mark = sb.dir() / "ran";
        create_marking_job(sb, mark);
        const auto store = sb.store();

        struct Setup {
            std::string what;
            fs::path culprit;
            std::function<void()> make, undo;
        };
        std::vector<Setup> setups;
        for (unsigned mode : {0777u, 0770u, 0707u, 0720u, 01777u, 01770u})
            setups.push_back({"directory mode " + std::to_string(mode), state,
                              [=] { chmod_or_fail(state, mode); },
                              [=] { chmod_or_fail(state, 0700); }});
        for (unsigned mode : {0666u, 0660u, 0606u, 0620u})
            setups.push_back({"store mode " + std::to_string(mode), store,
                              [=] { chmod_or_fail(store, mode); },
                              [=] { chmod_or_fail(store, 0600); }});
        for (const char* suffix : {"-wal", "-shm", "-journal"}) {
            const fs::path extra = store.string() + suffix;
            setups.push_back({std::string("group-writable ") + suffix, extra,
                              [=] {
                                  REQUIRE(fs::copy_file(store, extra));
                                  chmod_or_fail(extra, 0660);
                              },
                              [=] { fs::remove(extra); }});
            setups.push_back({std::string("symbolic link ") + suffix, extra,
                              [=] { fs::create_symlink(store, extra); },
                              [=] { fs::remove(extra); }});
        }
        if (is_root()) {
            setups.push_back({"directory owned by nobody", state,
                              [=] { REQUIRE(::chown(state.c_str(), k_nobody, k_nobody) == 0); },
                              [=] { REQUIRE(::chown(state.c_str(), 0, 0) == 0); }});
            setups.push_back({"store owned by nobody", store,
                              [=] { REQUIRE(::chown(store.c_str(), k_nobody, k_nobody) == 0); },
                              [=] { REQUIRE(::chown(store.c_str(), 0, 0) == 0); }});
            const fs::path wal = store.string() + "-wal";
            setups.push_back({"-wal owned by nobody", wal,
                              [=] {
                                  REQUIRE(fs::copy_file(store, wal));
                                  chmod_or_fail(wal, 0600);
                                  REQUIRE(::chown(wal.c_str(), k_nobody, k_nobody) == 0);
                              },
                              [=] { fs::remove(wal); }});
        }
        const auto before = sb.dump();
        for (const auto& s : setups) {
            INFO(s.what);
            s.make();
            check_all_refuse(sb, mark, s.culprit.string());
            s.undo();
            CHECK(sb.dump() == before);
        }

        // Reading and editing go on with one warning line; only some
        // setups leave SQLite's own files alone, so these use modes.
        for (const auto& s : setups) {
            if (s.what.rfind("directory ", 0) != 0 && s.what.rfind("store ", 0) != 0)
                continue;
            INFO(s.what);
            s.make();
            auto r = sb.run({"job", "list"});
            CHECK(r.exit_code == 0);
            CHECK(r.out.find("j") != std::string::npos);
            CHECK(r.err.rfind("schedule: warning: ", 0) == 0);
            CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
            CHECK(r.err.find(s.culprit.string()) != std::string::npos);
            s.undo();
        }

        // And with everything in order, the job runs.
        auto r = run_at_due(sb, {"job", "run", "j"});
        CHECK(r.exit_code == 0);
        CHECK(r.err == "");
        CHECK(fs::exists(mark));
    }

    TEST_CASE("a store under a directory someone else could rename is refused for running and "
              "writing") {
        Sandbox sb;
        // The store's own directory is fine, but the one above it may be
        // renamed by anybody: the store's directory could be swapped.
        const auto open_dir = sb.dir() / "shared";
        fs::create_directories(open_dir);
        const auto store = open_dir / "private" / "s.db";
        sb.env["SCHEDULE_STORE"] = store.string();
        const auto mark = sb.dir() / "ran";
        create_marking_job(sb, mark);
        REQUIRE(mode_of(store.parent_path()) == 0700);
        chmod_or_fail(open_dir, 0777);
        check_all_refuse(sb, mark, open_dir.string());
        const auto before = sb.dump();
        auto write = sb.run({"job", "create", "k", "--command", "true"});
        CHECK(write.exit_code == 5);
        check_error_line(write, "refusing to write to the store");
        auto read = sb.run({"job", "list"});
        CHECK(read.exit_code == 0);
        CHECK(read.err.find("so do writes") != std::string::npos);
        CHECK(sb.dump() == before);
        // With the sticky bit (like /tmp) nobody else can rename it.
        chmod_or_fail(open_dir, 01777);
        auto r = run_at_due(sb, {"job", "run", "j"});
        CHECK(r.exit_code == 0);
        CHECK(fs::exists(mark));
    }

    TEST_CASE("a zero-length store file reads as a missing store, and the first write replaces it "
              "with a 0600 store") {
        Sandbox sb;
        const auto store = sb.store();
        fs::create_directories(store.parent_path());
        {
            std::FILE* f = std::fopen(store.c_str(), "w");
            REQUIRE(f);
            std::fclose(f);
        }
        chmod_or_fail(store, 0644);

        CHECK(sb.ok({"job", "list"}) == "No jobs.\n");
        CHECK(sb.ok({"config", "list"}).find("max_workers") != std::string::npos);
        auto bad = sb.run({"job", "create", "x", "--cron", "61 * * * *", "--command", "true"});
        CHECK(bad.exit_code == 2);
        auto idle = sb.run({"tick"});
        CHECK(idle.exit_code == 0);
        CHECK(fs::file_size(store) == 0);
        CHECK(mode_of(store) == 0644);

        chmod_or_fail(store, 0666); // warned about, and replaced by the first write
        auto created =
            sb.run({"job", "create", "x", "--cron", "@daily", "--command", "true", "-q"});
        CHECK(created.exit_code == 0);
        CHECK(mode_of(store) == 0600);
        CHECK(fs::file_size(store) > 0);
        auto jobs = sb.json({"job", "list"});
        REQUIRE(jobs.size() == 1);
        CHECK(jobs[0]["name"] == "x");
    }

    TEST_CASE("an empty --store is refused with exit 2 instead of falling back") {
        Sandbox sb;
        sb.ok({"job", "create", "j", "--cron", "@daily", "--command", "true", "-q"});
        const auto before = sb.dump();
        for (const Args& args :
             std::vector<Args>{{"--store", "", "job", "list"},
                               {"--store", "", "tick"},
                               {"--store", "", "job", "delete", "j", "--force"}}) {
            INFO(args[0] << " " << args[args.size() > 2 ? 2 : 1]);
            auto r = sb.run(args);
            CHECK(r.exit_code == 2);
            CHECK(r.out == "");
            check_error_line(r, "--store");
        }
        CHECK(sb.dump() == before);
    }

    TEST_CASE("a store path under a regular file says that it is not a directory") {
        Sandbox sb;
        const auto file = sb.dir() / "plain-file";
        {
            std::FILE* f = std::fopen(file.c_str(), "w");
            REQUIRE(f);
            std::fclose(f);
        }
        sb.env["SCHEDULE_STORE"] = (file / "s.db").string();
        auto r = sb.run({"job", "create", "x", "--command", "true"});
        CHECK(r.exit_code == 5);
        check_error_line(r, file.string() + " is not a directory");
        CHECK(fs::file_size(file) == 0);
    }

    TEST_CASE("a store someone has given a trigger or a view is refused by every command") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto mark = sb.dir() / "ran";
        sb.ok({"job", "create", "backup", "--cron", "* * * * *", "--command", "true", "-q"});
        // What `job show` shows is not what would run: the trigger changes
        // the command as the run is recorded.
        const std::vector<std::string> tampering = {
            "CREATE TRIGGER swap AFTER INSERT ON executions BEGIN UPDATE jobs SET command = "
            "'touch " +
                mark.string() + "' WHERE job_id = NEW.job_id; END;",
            "CREATE VIEW v AS SELECT name FROM jobs;",
            "CREATE VIRTUAL TABLE notes USING fts5(body); CREATE TRIGGER sneaky AFTER INSERT ON "
            "events BEGIN INSERT INTO notes_data VALUES (99, x'00'); END;",
            // The trigger again, its type spelt otherwise in the schema table.
            "CREATE TRIGGER swap2 AFTER INSERT ON executions BEGIN UPDATE jobs SET command = "
            "'touch " +
                mark.string() +
                "' WHERE job_id = NEW.job_id; END; "
                "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET type = 'Trigger' "
                "WHERE name = 'swap2';",
            // A command computed from the counters: `job show` shows one
            // command, the second run gets another.
            "ALTER TABLE jobs ADD COLUMN spare TEXT GENERATED ALWAYS AS (command) VIRTUAL;",
        };
        for (const auto& sql : tampering) {
            INFO(sql);
            const auto copy = sb.dir() / "clean.db";
            fs::copy_file(sb.store(), copy, fs::copy_options::overwrite_existing);
            auto made = sb.run_program({"sqlite3", sb.store().string(), sql});
            INFO(made.err);
            REQUIRE(made.exit_code == 0);
            const auto before = sb.dump();
            for (const Args& args : std::vector<Args>{{"job", "show", "backup"},
                                                      {"job", "create", "k", "--command", "true"},
                                                      {"tick", "--wait"},
                                                      {"job", "run", "backup"}}) {
                auto r = run_at_due(sb, args);
                INFO(args[0] << " " << args[1]);
                CHECK(r.exit_code == 5);
                check_error_line(r, "that schedule never creates");
            }
            CHECK(sb.dump() == before);
            CHECK(!fs::exists(mark));
            fs::copy_file(copy, sb.store(), fs::copy_options::overwrite_existing);
        }
    }

    TEST_CASE("a store is not created, nor written, where someone else chooses the path") {
        Sandbox sb;
        const auto open_dir = sb.dir() / "open";
        fs::create_directories(open_dir);
        chmod_or_fail(open_dir, 0777);
        // A new store under a directory anybody may change: its directory
        // could be swapped for a link as it is made.
        sb.env["SCHEDULE_STORE"] = (open_dir / "new" / "s.db").string();
        auto r = sb.run({"job", "create", "k", "--command", "true"});
        CHECK(r.exit_code == 5);
        check_error_line(r, open_dir.string());
        CHECK(!fs::exists(open_dir / "new"));
        // A link to our own store, in a directory anybody may change: the
        // link decides which store is written.
        sb.env["SCHEDULE_STORE"] = sb.store().string();
        sb.ok({"job", "create", "mine", "--command", "true", "-q"});
        fs::create_symlink(sb.store(), open_dir / "s.db");
        sb.env["SCHEDULE_STORE"] = (open_dir / "s.db").string();
        const auto before = sb.dump();
        r = sb.run({"job", "create", "k", "--command", "true"});
        CHECK(r.exit_code == 5);
        check_error_line(r, (open_dir / "s.db").string());
        CHECK(sb.dump() == before);
        auto read = sb.run({"job", "list"});
        CHECK(read.exit_code == 0);
        CHECK(read.err.find("a symbolic link in a directory others may change") !=
              std::string::npos);
    }

    TEST_CASE("a `file:` store path names a file, never an SQLite URI") {
        Sandbox sb;
        const auto other = sb.dir() / "other.db";
        sb.env["SCHEDULE_STORE"] = other.string();
        sb.ok({"job", "create", "elsewhere", "--command", "true", "-q"});
        sb.env["SCHEDULE_STORE"] = std::nullopt;
        std::string uri = "file:";
        for (char c : other.string())
            uri += c == '/' ? std::string("%2F") : std::string(1, c);
        const auto here = sb.dir() / "cwd";
        fs::create_directories(here);
        auto r = sb.run_program({"sh", "-c", "cd \"$1\" && exec \"$2\" --store \"$3\" job list",
                                 "sh", here.string(), schedule::test::binary(), uri});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out == "No jobs.\n");
    }

    TEST_CASE("a store reached through a link is opened, and handed to supervisors, at its real "
              "path") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        const auto real_dir = sb.dir() / "real";
        fs::create_directories(real_dir);
        chmod_or_fail(real_dir, 0700);
        fs::create_directory_symlink(real_dir, sb.dir() / "link");
        sb.env["SCHEDULE_STORE"] = (sb.dir() / "link" / "s.db").string();
        const auto gate = sb.dir() / "gate";
        sb.ok({"job", "create", "j", "--cron", "* * * * *", "--command",
               "while [ ! -e '" + gate.string() + "' ]; do sleep 0.1; done", "-q"});
        auto r = run_at_due(sb, {"tick"});
        REQUIRE(r.exit_code == 0);
        const auto real_store = fs::canonical(real_dir) / "s.db";
        std::vector<pid_t> supervisors;
        REQUIRE(schedule::test::eventually([&] {
            supervisors = schedule::test::supervisors_of(real_store);
            return supervisors.size() == 1;
        }));
        CHECK(schedule::test::cmdline_of(std::to_string(supervisors[0]))
                  .find((sb.dir() / "link").string()) == std::string::npos);
        {
            std::FILE* f = std::fopen(gate.c_str(), "w");
            REQUIRE(f);
            std::fclose(f);
        }
        CHECK(schedule::test::eventually(
            [&] { return schedule::test::supervisors_of(real_store).empty(); }));
    }

    TEST_CASE("a FIFO as the store or next to it is refused at once, not waited on") {
        Sandbox sb;
        const auto store = sb.store();
        fs::create_directories(store.parent_path());
        for (const std::string suffix : {"", "-journal", "-wal"}) {
            INFO("FIFO at " << store.string() + suffix);
            if (!suffix.empty())
                sb.ok({"job", "create", "j" + suffix, "--command", "true", "-q"});
            const fs::path fifo = store.string() + suffix;
            REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
            for (const Args& args : std::vector<Args>{{"job", "list"}, {"tick"}}) {
                auto r = sb.run_program(
                    schedule::test::concat({"timeout", "20", schedule::test::binary()}, args));
                CHECK(r.exit_code == 5);
                check_error_line(r, "not a regular file");
            }
            fs::remove(fifo);
        }
    }

    TEST_CASE("the log.file of a store that is not safe is ignored, and a FIFO there is not "
              "waited on") {
        Sandbox sb;
        const auto log = sb.dir() / "chosen-by-someone-else.log";
        sb.ok({"config", "set", "log.file", log.string()});
        chmod_or_fail(sb.store().parent_path(), 0777);
        auto r = sb.run({"job", "list"});
        CHECK(r.exit_code == 0);
        CHECK(r.err.find("log.file setting is ignored") != std::string::npos);
        CHECK(!fs::exists(log));
        chmod_or_fail(sb.store().parent_path(), 0700);

        REQUIRE(::mkfifo(log.c_str(), 0600) == 0);
        auto t = sb.run_program({"timeout", "20", schedule::test::binary(), "-v", "job", "list"});
        CHECK(t.exit_code == 0);
        CHECK(t.err.find("cannot open log.file") != std::string::npos);
    }
}

// Where `config backup --output FILE` and `export --output-dir DIR` write:
// nowhere that someone else could choose (man page, FILES WRITTEN).
TEST_SUITE("cli::trust::output") {

    TEST_CASE("backup and export refuse to write where someone else could choose the place, with "
              "exit 2 and nothing written") {
        Sandbox sb;
        sb.ok({"job", "create", "j", "--cron", "0 3 * * *", "--command", "true", "-q"});
        const auto real = sb.dir() / "real";
        fs::create_directories(real);
        chmod_or_fail(real, 0755);

        struct Setup {
            std::string what;
            fs::path dir;     // where the file or the files are asked to go
            fs::path culprit; // what the error names
        };
        std::vector<Setup> refused;
        auto directory = [&](const std::string& name, unsigned mode) {
            const auto d = sb.dir() / name;
            fs::create_directories(d);
            chmod_or_fail(d, mode);
            return d;
        };
        for (unsigned mode : {0777u, 0770u, 0757u}) {
            const auto d = directory("open" + std::to_string(mode), mode);
            refused.push_back({"a directory of mode " + std::to_string(mode), d, d});
        }
        // A private directory in one that others may change: they could
        // rename it away and put their own (or a link) in its place.
        const auto above = directory("above", 0777);
        fs::create_directories(above / "mine");
        chmod_or_fail(above / "mine", 0700);
        refused.push_back({"a directory above writable by others", above / "mine", above});
        // A link of ours, in a directory others may change.
        const auto links = directory("links", 0777);
        fs::create_directory_symlink(real, links / "to-real");
        refused.push_back(
            {"a link in a directory others may change", links / "to-real", links / "to-real"});
        if (is_root()) {
            const auto theirs = directory("theirs", 0755);
            REQUIRE(::chown(theirs.c_str(), k_nobody, k_nobody) == 0);
            refused.push_back({"a directory owned by nobody", theirs, theirs});
            // nobody's link, in nobody's directory, to a directory of root's.
            const auto alice = directory("alice", 0755);
            fs::create_directory_symlink(real, alice / "exports");
            REQUIRE(::lchown((alice / "exports").c_str(), k_nobody, k_nobody) == 0);
            REQUIRE(::chown(alice.c_str(), k_nobody, k_nobody) == 0);
            refused.push_back({"a link owned by nobody", alice / "exports", alice / "exports"});
        }

        for (const auto& s : refused) {
            INFO(s.what);
            for (const auto& [flag, args] : std::vector<std::pair<std::string, Args>>{
                     {"--output", {"config", "backup", "--output", (s.dir / "b.json").string()}},
                     {"--output-dir",
                      {"export", "--to", "systemd", "--output-dir", (s.dir / "units").string()}}}) {
                INFO(flag);
                auto r = sb.run(args);
                CHECK(r.exit_code == 2);
                check_error_line(r, flag + ": ");
                CHECK(r.err.find(s.culprit.string()) != std::string::npos);
                CHECK(r.out == "");
            }
            CHECK(!fs::exists(s.dir / "b.json"));
            CHECK(!fs::exists(s.dir / "units"));
        }
        CHECK(fs::is_empty(real));

        // A directory others may write with the sticky bit (like /tmp), and
        // a link of our own in a directory only we may change, are fine.
        const auto sticky = directory("sticky", 01777);
        fs::create_directory_symlink(real, sb.dir() / "mine");
        for (const auto& dir : {sticky, sb.dir() / "mine"}) {
            INFO(dir);
            sb.ok({"config", "backup", "--output", (dir / "b.json").string(), "-q"});
            sb.ok({"export", "--to", "systemd", "--output-dir", (dir / "units").string(), "-q"});
        }
        CHECK(fs::exists(sticky / "b.json"));
        CHECK(fs::exists(real / "b.json"));
        CHECK(fs::exists(real / "units"));
    }
}
