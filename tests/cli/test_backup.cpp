// `config backup` (man page BACKUP DOCUMENT) through the real binary.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::binary;
using schedule::test::check_error_line;
using schedule::test::RunResult;
using schedule::test::Sandbox;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

// Two jobs that have run once each: one with output that is not UTF-8.
void two_jobs_with_history(const Sandbox& sb) {
    sb.ok({"job", "create", "--name", "nightly", "--cron", "0 3 * * *", "--tz", "Europe/Berlin",
           "--command", "printf 'h\\303\\251\\377'", "--tag", "team=infra", "--env", "A=1"});
    sb.ok({"job", "create", "--name", "hourly", "--every", "1h", "--command", "echo oops >&2"});
    sb.ok({"config", "set", "max_workers", "3"});
    sb.run({"job", "run", "nightly"});
    sb.run({"job", "run", "hourly"});
}

} // namespace

TEST_SUITE("config backup") {
    TEST_CASE("the document has the documented keys, every job as job show prints it, and the "
              "stored settings") {
        Sandbox sb;
        two_jobs_with_history(sb);
        auto doc = json::parse(sb.ok({"config", "backup", "--output", "-"}));
        std::set<std::string> keys;
        for (auto it = doc.begin(); it != doc.end(); ++it)
            keys.insert(it.key());
        CHECK(keys ==
              std::set<std::string>{"format", "version", "created_at", "host", "jobs", "config"});
        CHECK(doc["format"] == "schedule-backup");
        CHECK(doc["version"] == 1);
        CHECK(doc["created_at"].get<std::string>().size() == 25);
        CHECK(!doc["host"].get<std::string>().empty());
        REQUIRE(doc["jobs"].size() == 2);
        // By name, each the job object of `job list --format json`: every
        // field `job show` prints but those computed from now (state, the
        // next runs, the retry in progress).
        CHECK(doc["jobs"] == sb.json({"job", "list"}));
        auto show = sb.json({"job", "show", "nightly"});
        for (auto it = doc["jobs"][1].begin(); it != doc["jobs"][1].end(); ++it) {
            INFO(it.key());
            CHECK(show[it.key()] == it.value());
        }
        // Only settings stored in the store, as they are stored.
        CHECK(doc["config"] == json{{"max_workers", "3"}});
    }

    TEST_CASE("--include-history adds every ended execution with its exact output") {
        Sandbox sb;
        two_jobs_with_history(sb);
        auto doc = json::parse(sb.ok({"config", "backup", "--output", "-", "--include-history"}));
        REQUIRE(doc["executions"].size() == 2);
        const auto& first = doc["executions"][0];
        CHECK(first["execution_id"] == 1);
        CHECK(first["job_name"] == "nightly");
        CHECK(first["status"] == "completed");
        // Not UTF-8: base64 keeps the bytes.
        CHECK(first["stdout"]["data_base64"] == "aMOp/w==");
        CHECK(first["stdout"]["total_bytes"] == 4);
        CHECK(first["stderr"].is_null());
        const auto& second = doc["executions"][1];
        CHECK(second["stderr"]["data"] == "oops\n");
        CHECK(second["stdout"].is_null());
        // The execution object of job history, and more.
        auto history = sb.json({"job", "history", "hourly"});
        for (auto it = history[0].begin(); it != history[0].end(); ++it) {
            INFO(it.key());
            CHECK(second[it.key()] == it.value());
        }
    }

    TEST_CASE("runs that have not ended are not history") {
        Sandbox sb;
        sb.ok({"job", "create", "--name", "slow", "--command", "sleep 30"});
        auto id = sb.ok({"job", "run", "slow", "--detach"});
        auto doc = json::parse(sb.ok({"config", "backup", "--output", "-", "--include-history"}));
        CHECK(doc["executions"].empty());
        sb.run({"job", "delete", "slow", "--force"});
    }

    TEST_CASE("a file is written whole, mode 0600 whatever the umask, replacing an older backup") {
        Sandbox sb;
        two_jobs_with_history(sb);
        auto file = sb.dir() / "backup.json";
        {
            std::ofstream old(file);
            old << "an older backup";
        }
        ::chmod(file.c_str(), 0644);
        auto before = sb.dump();
        auto r = sb.run_program({"sh", "-c", "umask 000; exec \"$0\" \"$@\"", binary(), "config",
                                 "backup", "--output", file.string()});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(r.out == "backed up 2 jobs to " + file.string() + "\n");
        CHECK(mode_of(file) == 0600);
        auto doc = json::parse(read_file(file));
        CHECK(doc["jobs"].size() == 2);
        // No temporary file is left beside it, and the store is as it was.
        for (const auto& entry : fs::directory_iterator(sb.dir()))
            CHECK(entry.path().filename().string().rfind(".backup.json", 0) != 0);
        CHECK(sb.dump() == before);
    }

    TEST_CASE("a file name of 250 bytes is written: the temporary name beside it is shorter") {
        Sandbox sb;
        two_jobs_with_history(sb);
        const auto file = sb.dir() / (std::string(245, 'b') + ".json");
        auto r = sb.run({"config", "backup", "--output", file.string()});
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(json::parse(read_file(file))["jobs"].size() == 2);
    }

    TEST_CASE("only a regular file is replaced: a link, a device, a FIFO or a directory at the "
              "target exits 2 and is left alone") {
        Sandbox sb;
        two_jobs_with_history(sb);
        auto victim = sb.dir() / "victim";
        {
            std::ofstream v(victim);
            v << "keep";
        }
        const auto link = sb.dir() / "link.json";
        fs::create_symlink(victim, link);
        const auto dir_link = sb.dir() / "dir-link";
        fs::create_symlink(sb.dir(), dir_link);
        const auto dangling = sb.dir() / "dangling";
        fs::create_symlink(sb.dir() / "nothing", dangling);
        const auto fifo = sb.dir() / "fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        struct Case {
            fs::path path;
            fs::file_type type;
            std::string says;
        };
        std::vector<Case> cases = {{link, fs::file_type::symlink, "is a symbolic link"},
                                   {dir_link, fs::file_type::symlink, "is a symbolic link"},
                                   {dangling, fs::file_type::symlink, "is a symbolic link"},
                                   {fifo, fs::file_type::fifo, "is not a regular file"},
                                   {sb.dir(), fs::file_type::directory, "is a directory"}};
        // A device node like /dev/null, made in the sandbox (root only).
        const auto device = sb.dir() / "null";
        if (::mknod(device.c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0)
            cases.push_back({device, fs::file_type::character, "is not a regular file"});
        for (const auto& c : cases) {
            INFO(c.path);
            auto r = sb.run({"config", "backup", "--output", c.path.string()});
            CHECK(r.exit_code == 2);
            check_error_line(r, "--output: " + c.path.string() + " " + c.says);
            CHECK(r.out == "");
            CHECK(fs::symlink_status(c.path).type() == c.type);
        }
        CHECK(read_file(victim) == "keep");
        CHECK(fs::read_symlink(link) == victim);
        // The hint for a link: its target's path, or - for stdout.
        auto r = sb.run({"config", "backup", "--output", link.string()});
        CHECK(r.err.find("give the path it leads to, or - for standard output") !=
              std::string::npos);
        // A regular file there is replaced.
        sb.ok({"config", "backup", "--output", victim.string()});
        CHECK(json::parse(read_file(victim))["format"] == "schedule-backup");
    }

    TEST_CASE("--format json prints what was written") {
        Sandbox sb;
        two_jobs_with_history(sb);
        auto file = (sb.dir() / "b.json").string();
        auto j = sb.json({"config", "backup", "--output", file, "--include-history"});
        CHECK(j == json{{"output", file}, {"jobs", 2}, {"executions", 2}});
    }

    TEST_CASE("a store that does not exist backs up as empty and is not created") {
        Sandbox sb;
        auto doc = json::parse(sb.ok({"config", "backup", "--output", "-", "--include-history"}));
        CHECK(doc["jobs"].empty());
        CHECK(doc["config"].empty());
        CHECK(doc["executions"].empty());
        CHECK(!fs::exists(sb.store()));
    }

    TEST_CASE("bad targets are refused in one line with the documented code") {
        Sandbox sb;
        two_jobs_with_history(sb);
        auto missing = sb.run({"config", "backup"});
        CHECK(missing.exit_code == 2);
        check_error_line(missing, "--output");
        auto empty = sb.run({"config", "backup", "--output", ""});
        CHECK(empty.exit_code == 2);
        check_error_line(empty, "--output");
        auto dir = sb.run({"config", "backup", "--output", sb.dir().string()});
        CHECK(dir.exit_code == 2);
        check_error_line(dir, "--output");
        auto nowhere =
            sb.run({"config", "backup", "--output", (sb.dir() / "no/such/b.json").string()});
        CHECK(nowhere.exit_code == 1);
        check_error_line(nowhere, "no/such/b.json");
    }
}
