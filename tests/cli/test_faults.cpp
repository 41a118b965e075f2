// Resource faults (man page EXIT STATUS, RUNNING JOBS): a full disk, a
// file-size limit, too few file descriptors and too few processes, met by
// the real binary. Each must end in a clear one-line error (exit 5 for a
// store or file that cannot be written), leave the store as it was and
// intact (PRAGMA integrity_check), and leave no run `running` without a
// live supervisor; a run that could not start says why in its record.
//
// The full-disk cases mount a small tmpfs, which needs root and a system
// that allows mounting (containers often do not): where it cannot be done
// they print "[test skipped]" and CTest reports them skipped. The limits
// (ulimit -f, -n, -u) are set with bash and need nothing else.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <sys/mount.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using schedule::test::Args;
using schedule::test::binary;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::contains;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// `schedule ARGS...` with the limits `ulimit` (bash's ulimit options, e.g.
// "-f 40") set first.
RunResult limited(const Sandbox& sb, const std::string& ulimit, const Args& args) {
    return sb.run_program(
        concat({"bash", "-c", "ulimit " + ulimit + " && exec \"$0\" \"$@\"", binary()}, args));
}

std::string integrity(const Sandbox& sb, const fs::path& store) {
    auto r = sb.run_program({"sqlite3", store.string(), "PRAGMA integrity_check"});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// Rows of `sql` against the store, one line each.
std::string query(const Sandbox& sb, const fs::path& store, const std::string& sql) {
    auto r = sb.run_program({"sqlite3", store.string(), sql});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

// Polls `done` every 50 ms for up to 30 s; false when it never held.
template <class F> bool eventually(F done) {
    for (int i = 0; i < 600; ++i) {
        if (done())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

// A 1 MiB tmpfs (mode 0755, so the store in it may run jobs) mounted at
// DIR/disk for the life of the object, or nothing when this system does
// not let us mount one; `why` says what stopped it.
class SmallDisk {
public:
    explicit SmallDisk(const Sandbox& sb) : m_dir(sb.dir() / "disk") {
        fs::create_directories(m_dir);
        if (::geteuid() != 0) {
            why = "mounting a tmpfs needs root";
            return;
        }
        if (::mount("tmpfs", m_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755") !=
            0) {
            why = std::string("mount(2) of a tmpfs failed: ") + std::strerror(errno);
            return;
        }
        m_mounted = true;
    }
    ~SmallDisk() {
        if (m_mounted)
            ::umount2(m_dir.c_str(), MNT_DETACH);
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;

    explicit operator bool() const { return m_mounted; }
    const fs::path& dir() const { return m_dir; }

    // Fills what is left of the disk with DIR/disk/filler.
    void fill() const {
        std::ofstream out(m_dir / "filler", std::ios::binary);
        const std::string block(4096, 'x');
        while (out.write(block.data(), block.size()))
            ;
    }
    void free_space() const { fs::remove(m_dir / "filler"); }

    std::string why;

private:
    fs::path m_dir;
    bool m_mounted = false;
};

// Says visibly that a case did not run (CTest's SKIP_REGULAR_EXPRESSION
// for the CLI suites matches it).
void skipped(const std::string& why) {
    std::cout << "[test skipped] " << why << std::endl;
}

// Whether the binary under test is built with ASan and UBSan, which need
// descriptors and threads of their own (their checks fail, or give false
// reports, when a limit leaves them none).
bool sanitized() {
#ifdef SCHEDULE_SANITIZED
    return true;
#else
    return false;
#endif
}

Args job(const std::string& name, const std::string& command) {
    return {"job", "create", name, "--cron", "* * * * *", "--command", command, "-q"};
}

} // namespace

TEST_SUITE("cli::faults") {

    TEST_CASE("under a file-size limit, create, tick, restore and backup fail with exit 5 and "
              "change nothing") {
        Sandbox sb;
        for (int i = 0; i < 30; ++i)
            sb.ok(job("job" + std::to_string(i), "true"));
        sb.ok({"config", "backup", "--output", (sb.dir() / "b.json").string(), "-q"});
        for (int i = 0; i < 3; ++i)
            sb.ok({"job", "run", "job" + std::to_string(i), "-q"});
        for (int i = 10; i < 30; ++i) // the restore creates them again
            sb.ok({"job", "delete", "job" + std::to_string(i), "--force", "-q"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:05:30Z";
        // 40 KiB: the store's shared-memory file (32 KiB) fits, a few pages
        // of write-ahead log do, each of these writes does not.
        const std::string limit = "-f 40";
        const std::string big(60'000, 'x');
        struct Case {
            const char* what;
            Args args;
        };
        const std::vector<Case> cases = {
            {"job create",
             {"job", "create", "big", "--cron", "@daily", "--command", "echo " + big, "-q"}},
            {"tick", {"tick", "--wait", "-q"}},
            {"config restore",
             {"config", "restore", "--input", (sb.dir() / "b.json").string(), "--force", "-q"}},
        };
        for (const auto& c : cases) {
            INFO(std::string(c.what));
            const auto before = sb.dump();
            auto r = limited(sb, limit, c.args);
            CHECK(r.exit_code == 5);
            check_error_line(r, "file-size limit (ulimit -f)");
            CHECK(sb.dump() == before);
            CHECK(integrity(sb, sb.store()) == "ok\n");
            CHECK(query(sb, sb.store(),
                        "SELECT count(*) FROM executions WHERE status IN "
                        "('running', 'queued')") == "0\n");
            // Without the limit the same command does its work.
            CHECK(sb.run(c.args).exit_code == 0);
        }
        // A backup bigger than the limit (the job "big" has 60 KB of
        // command): exit 5, and no file is left.
        const auto output = sb.dir() / "big.json";
        auto r = limited(sb, limit, {"config", "backup", "--output", output.string()});
        CHECK(r.exit_code == 5);
        check_error_line(r, "cannot write the backup to " + output.string());
        CHECK_FALSE(fs::exists(output));
        for (const auto& entry : fs::directory_iterator(sb.dir()))
            CHECK_FALSE(contains(entry.path().filename().string(), "big.json"));
    }

    TEST_CASE("job run records a run whose output does not fit under the limit, without it") {
        Sandbox sb;
        sb.ok({"job", "create", "chatty", "--cron", "@daily", "--command",
               "head -c 60000 /dev/zero | tr '\\0' z; echo; echo end", "-q"});
        // Under a limit that lets the run's start be written but not its end
        // with 60 KB of output, the end is written without it. Which limits
        // do that depends on the pages SQLite touches, so a range is tried:
        // at each one the run is recorded, or `job run` fails with exit 5
        // (its start could not be written, or not even its bare end).
        int without_output = 0;
        for (int kib = 36; kib <= 160; kib += 4) {
            CAPTURE(kib);
            const auto before = sb.json({"job", "history", "chatty", "--limit", "1000"}).size();
            auto r = limited(sb, "-f " + std::to_string(kib), {"job", "run", "chatty", "-q"});
            REQUIRE((r.exit_code == 0 || r.exit_code == 5));
            CHECK(integrity(sb, sb.store()) == "ok\n");
            if (r.exit_code == 5) {
                check_error_line(r, "file-size limit (ulimit -f)");
                continue;
            }
            auto history = sb.json({"job", "history", "chatty", "--limit", "1"});
            REQUIRE(sb.json({"job", "history", "chatty", "--limit", "1000"}).size() == before + 1);
            CHECK(history[0]["status"] == "completed");
            CHECK(history[0]["exit_code"] == 0);
            if (history[0]["error"].is_null())
                continue; // all of it fitted
            ++without_output;
            CHECK(contains(history[0]["error"].get<std::string>(),
                           "its output was not stored: cannot write the store"));
            CHECK(contains(r.err, "schedule: warning: execution " +
                                      std::to_string(history[0]["execution_id"].get<int>()) +
                                      ": its output was not stored"));
        }
        CHECK(without_output >= 1);
        // What the failed ones left running, the next tick records lost.
        sb.ok({"tick", "-q"});
        CHECK(query(sb, sb.store(), "SELECT count(*) FROM executions WHERE status = 'running'") ==
              "0\n");
    }

    TEST_CASE("a full disk: job create fails with exit 5, a backup leaves no file") {
        Sandbox sb;
        SmallDisk disk(sb);
        if (!disk) {
            skipped(disk.why);
            return;
        }
        const auto store = disk.dir() / "s.db";
        sb.env["SCHEDULE_STORE"] = store.string();
        for (int i = 0; i < 5; ++i)
            sb.ok(job("job" + std::to_string(i), "true"));
        disk.fill();
        auto r = sb.run(job("one-more", "true"));
        CHECK(r.exit_code == 5);
        check_error_line(r, "");
        CHECK(contains(r.err, "is full"));
        // (While the disk is full even reading needs the room SQLite's
        // shared-memory file takes.)
        disk.free_space();
        CHECK(integrity(sb, store) == "ok\n");
        CHECK(sb.json({"job", "list"}).size() == 5);
        CHECK(sb.run(job("one-more", "true")).exit_code == 0);

        // A backup to a full disk, of a store elsewhere.
        sb.env["SCHEDULE_STORE"] = sb.store().string();
        sb.ok(job("elsewhere", "true"));
        disk.fill();
        const auto output = disk.dir() / "b.json";
        r = sb.run({"config", "backup", "--output", output.string()});
        CHECK(r.exit_code == 5);
        check_error_line(r, "cannot write the backup");
        CHECK_FALSE(fs::exists(output));
        for (const auto& entry : fs::directory_iterator(disk.dir()))
            CHECK((entry.path().filename() == "filler" ||
                   entry.path().filename().string().starts_with("s.db")));
    }

    TEST_CASE("a supervisor that cannot record a run's end on a full disk keeps it until it can") {
        Sandbox sb;
        SmallDisk disk(sb);
        if (!disk) {
            skipped(disk.why);
            return;
        }
        const auto store = disk.dir() / "s.db";
        const auto log = sb.dir() / "schedule.log";
        const auto ended = sb.dir() / "ended";
        sb.env["SCHEDULE_STORE"] = store.string();
        sb.ok({"config", "set", "log.file", log.string(), "-q"});
        // The run fills the disk, then ends.
        sb.ok(job("filler", "cat /dev/zero > " + (disk.dir() / "filler").string() + "; touch " +
                                ended.string() + "; echo done"));
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:30Z";
        sb.ok({"tick", "-q"});
        REQUIRE(eventually([&] { return fs::exists(ended); }));
        REQUIRE(eventually([&] {
            return fs::exists(log) &&
                   contains(schedule::test::read_text(log), "cannot write the store");
        }));
        // Its supervisor lives on with the end in memory: the run is
        // running under a live supervisor.
        auto row = query(sb, store,
                         "SELECT status || ' ' || supervisor_pid FROM executions WHERE "
                         "execution_id = 1");
        REQUIRE(contains(row, "running "));
        const auto supervisor = std::stol(row.substr(8));
        CHECK(::kill(static_cast<pid_t>(supervisor), 0) == 0);

        // Once there is room, it writes the end and stops.
        disk.free_space();
        CHECK(eventually([&] { return ::kill(static_cast<pid_t>(supervisor), 0) != 0; }));
        CHECK(query(sb, store, "SELECT status FROM executions WHERE execution_id = 1") ==
              "completed\n");
        CHECK(integrity(sb, store) == "ok\n");
    }

    TEST_CASE("too few file descriptors: runs that cannot start are recorded failed, saying why") {
        Sandbox sb;
        if (sanitized()) {
            skipped("a sanitizer build needs descriptors of its own");
            return;
        }
        for (int i = 0; i < 12; ++i)
            sb.ok(job("job" + std::to_string(i), "sleep 0.3"));
        sb.ok({"config", "set", "max_workers", "12", "-q"});
        sb.env["SCHEDULE_NOW"] = "2026-01-15T10:01:30Z";
        auto r = limited(sb, "-n 16", {"tick", "--wait", "-q"});
        CHECK(r.exit_code == 0);
        auto history = sb.json({"job", "history", "--status", "failed"});
        CHECK(history.size() >= 1);
        for (const auto& e : history)
            CHECK(e["error"] == "cannot create a pipe: Too many open files (the open-file limit, "
                                "ulimit -n, is reached)");
        auto all = sb.json({"job", "history", "--limit", "100"});
        int ended = 0;
        for (const auto& e : all)
            if (e["status"] == "completed" || e["status"] == "failed")
                ++ended;
        CHECK(ended == 12);
        CHECK(integrity(sb, sb.store()) == "ok\n");

        // job run, with too few to start its one run: the error names the
        // limit, and a run it recorded is failed.
        const auto runs = sb.json({"job", "history", "job0"}).size();
        r = limited(sb, "-n 8", {"job", "run", "job0"});
        CHECK(r.exit_code == 1);
        check_error_line(r, "ulimit -n");
        const auto now = sb.json({"job", "history", "job0"});
        if (now.size() > runs)
            CHECK(now[0]["status"] == "failed");
    }

    TEST_CASE("no process left to fork: job run records the failure, tick leaves the fire due") {
        Sandbox sb;
        if (sanitized()) {
            skipped("a sanitizer build needs to start threads of its own");
            return;
        }
        if (::geteuid() != 0) {
            // The process limit does not bind root; as another user it
            // needs the store in a directory of that user.
            skipped("the process-limit case runs as root, switching to nobody");
            return;
        }
        const auto dir = schedule::test::nobody_dir(sb, "nobody");
        sb.env["HOME"] = dir.string();
        sb.env["SCHEDULE_STORE"] = (dir / "s.db").string();
        auto as_nobody = [&](const std::string& limits, const Args& args) {
            return sb.run_program(schedule::test::as_nobody(concat(
                {"bash", "-c", "ulimit " + limits + " && exec \"$0\" \"$@\"", binary()}, args)));
        };
        auto dump = [&] {
            auto d = sb.run_program(
                schedule::test::as_nobody({"sqlite3", (dir / "s.db").string(), ".dump"}));
            REQUIRE(d.exit_code == 0);
            return d.out;
        };
        REQUIRE(as_nobody("-u 100", job("forks", "true")).exit_code == 0);

        auto r = as_nobody("-u 1", {"job", "run", "forks"});
        CHECK(r.exit_code == 1);
        check_error_line(r, "ulimit -u");
        auto e = nlohmann::json::parse(
            as_nobody("-u 100", {"job", "history", "forks", "--format", "json"}).out);
        REQUIRE(e.size() == 1);
        CHECK(e[0]["status"] == "failed");
        CHECK(contains(e[0]["error"].get<std::string>(), "ulimit -u"));

        sb.env["SCHEDULE_NOW"] = "2099-01-15T10:00:30Z";
        const auto before = dump();
        r = as_nobody("-u 1", {"tick"});
        CHECK(r.exit_code == 1);
        check_error_line(r, "cannot start a supervisor");
        CHECK(dump() == before); // the fire is still due: the next tick runs it
        r = as_nobody("-u 100", {"tick", "--wait", "-q"});
        CHECK(r.exit_code == 0);
        e = nlohmann::json::parse(
            as_nobody("-u 100", {"job", "history", "forks", "--format", "json"}).out);
        int completed = 0;
        for (const auto& x : e)
            completed += x["status"] == "completed" ? 1 : 0;
        CHECK(completed == 1);
    }
}
