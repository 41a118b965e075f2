// `job run` through the real binary (man page JOB COMMANDS, RUNNING JOBS):
// exit codes, timeouts, no surviving processes, output capture, the job's
// environment, directory and user, task handlers, --dry-run, --detach,
// overlap refusals, Ctrl-C and the job's counters.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <iterator>
#include <map>
#include <optional>
#include <pwd.h>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;
using schedule::test::Args;
using schedule::test::binary;
using schedule::test::check_error_line;
using schedule::test::Child;
using schedule::test::cmdline_of;
using schedule::test::concat;
using schedule::test::describe;
using schedule::test::eventually;
using schedule::test::KillLeftovers;
using schedule::test::parent_of;
using schedule::test::processes_with;
using schedule::test::read_bytes;
using schedule::test::Sandbox;
using schedule::test::Session;
using schedule::test::supervisors_of;
using schedule::test::unique_marker;
using namespace std::chrono_literals;
using namespace std::string_literals;

namespace {

// The session id of `pid` from /proc (field 6 of stat), or -1 when it is gone.
pid_t session_of(pid_t pid) {
    auto stat = read_bytes("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string state;
    long ppid = 0, pgrp = 0, session = -1;
    fields >> state >> ppid >> pgrp >> session;
    return pid_t(session);
}

// The newest execution of `job`.
json last_execution(const Sandbox& sb, const std::string& job) {
    auto h = sb.json({"job", "history", job, "--limit", "1"});
    REQUIRE(h.is_array());
    REQUIRE(h.size() == 1);
    return h[0];
}

std::string create(const Sandbox& sb, Args args) {
    args.insert(args.begin(), {"job", "create"});
    args.push_back("-q");
    auto id = sb.ok(args);
    REQUIRE(id.size() == 9);
    return id.substr(0, 8);
}

// Total size of the files of the store (database, WAL, journal).
std::uintmax_t store_bytes(const Sandbox& sb) {
    std::uintmax_t total = 0;
    for (const auto& entry : fs::directory_iterator(sb.store().parent_path()))
        if (entry.is_regular_file())
            total += entry.file_size();
    return total;
}

const passwd& me() {
    const passwd* pw = ::getpwuid(::geteuid());
    REQUIRE(pw != nullptr);
    return *pw;
}

// The home a run gets: the user's home, or "/" when it does not exist.
std::string home_of(const passwd& pw) {
    return fs::is_directory(pw.pw_dir) ? pw.pw_dir : "/";
}

std::map<std::string, std::string> parse_env(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        REQUIRE_MESSAGE(eq != std::string::npos, "not an env line: " << line);
        out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
}

} // namespace

TEST_SUITE("cli::run") {

    TEST_CASE("job run passes the exit code through") {
        Sandbox sb;
        for (int code : {0, 3, 255}) {
            INFO("exit " << code);
            auto name = "exit" + std::to_string(code);
            create(sb, {name, "--command", "exit " + std::to_string(code)});
            auto r = sb.run({"job", "run", name});
            CHECK(r.exit_code == code);
            CHECK(r.out == "");
            CHECK(r.err == "");
            auto e = last_execution(sb, name);
            CHECK(e["status"] == (code == 0 ? "completed" : "failed"));
            CHECK(e["exit_code"] == code);
            CHECK(e["signal"].is_null());
            CHECK(e["trigger"] == "manual");
            CHECK(e["attempt"] == 1);
        }
    }

    TEST_CASE("a job killed by a signal exits 128 plus N and is recorded failed with the signal") {
        Sandbox sb;
        create(sb, {"killed", "--command", "kill -KILL $$"});
        auto r = sb.run({"job", "run", "killed"});
        CHECK(r.exit_code == 137);
        auto e = last_execution(sb, "killed");
        CHECK(e["status"] == "failed");
        CHECK(e["signal"] == 9);
        CHECK(e["exit_code"].is_null());
    }

    TEST_CASE("a timeout exits 124 and no process of the job survives") {
        struct Case {
            const char* what;
            std::string command; // {} stands for the marker
        };
        const std::vector<Case> cases{
            {"the process group", "sleep {} & sleep {}"},
            {"processes that ignore SIGTERM", "trap '' TERM; sleep {} & sleep {}"},
            {"a process in its own session", "setsid sleep {} & sleep {}"},
        };
        Sandbox sb;
        int n = 0;
        for (const auto& c : cases) {
            INFO(c.what);
            auto marker = unique_marker();
            KillLeftovers guard{{marker}};
            auto command = c.command;
            for (auto at = command.find("{}"); at != std::string::npos; at = command.find("{}"))
                command.replace(at, 2, marker);
            auto name = "slow" + std::to_string(++n);
            create(sb, {name, "--command", command, "--timeout", "1s", "--kill-grace", "1s"});
            Child run(sb, {"job", "run", name}, sb.dir() / "out", sb.dir() / "err");
            auto code = run.wait(60s);
            REQUIRE_MESSAGE(code.has_value(), "job run did not return within 60 s");
            CHECK(*code == 124);
            auto survivors = processes_with(marker);
            CHECK_MESSAGE(survivors.empty(), "survivors:\n" << describe(survivors));
            auto e = last_execution(sb, name);
            CHECK(e["status"] == "timed_out");
            CHECK(e["end_time"].is_string());
            CHECK(e["duration_seconds"].get<double>() >= 1.0);
        }
    }

    TEST_CASE("no process of a job survives a normal exit and job run returns") {
        struct Case {
            const char* what;
            std::string command; // {} stands for the marker
        };
        const std::vector<Case> cases{
            {"setsid in the background", "setsid sleep {} & echo done"},
            {"double fork into a new session", "(setsid sh -c \"sleep {} & exit\" &); echo done"},
            {"a background process keeping stdout open", "sleep {} & echo done"},
        };
        Sandbox sb;
        int n = 0;
        for (const auto& c : cases) {
            INFO(c.what);
            auto marker = unique_marker();
            KillLeftovers guard{{marker}};
            auto command = c.command;
            command.replace(command.find("{}"), 2, marker);
            auto name = "escape" + std::to_string(++n);
            create(sb, {name, "--command", command});
            Child run(sb, {"job", "run", name}, sb.dir() / "out", sb.dir() / "err");
            auto code = run.wait(60s);
            REQUIRE_MESSAGE(code.has_value(), "job run did not return within 60 s");
            CHECK(*code == 0);
            CHECK(run.out() == "done\n");
            auto survivors = processes_with(marker);
            CHECK_MESSAGE(survivors.empty(), "survivors:\n" << describe(survivors));
            CHECK(last_execution(sb, name)["status"] == "completed");
        }
    }

    TEST_CASE("stdout and stderr stream to schedule's and job output prints them") {
        Sandbox sb;
        create(sb, {"talk", "--command", "printf 'out1\\n'; printf 'err1\\n' >&2; printf 'out2'"});
        auto r = sb.run({"job", "run", "talk"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "out1\nout2");
        CHECK(r.err == "err1\n");
        auto id = std::to_string(last_execution(sb, "talk")["execution_id"].get<long long>());

        auto out = sb.run({"job", "output", id});
        CHECK(out.exit_code == 0);
        CHECK(out.out == "out1\nout2");
        CHECK(out.err == "");
        auto err = sb.run({"job", "output", id, "--stderr"});
        CHECK(err.exit_code == 0);
        CHECK(err.out == "err1\n");
        CHECK(err.err == "");
        auto both = sb.run({"job", "output", id, "--both"});
        CHECK(both.exit_code == 0);
        CHECK(both.out == "out1\nout2");
        CHECK(both.err == "err1\n");
    }

    TEST_CASE("output streams while the job runs") {
        Sandbox sb;
        auto go = sb.dir() / "go";
        create(sb, {"stream", "--command",
                    "echo first; echo warn >&2; i=0; while [ ! -e '" + go.string() +
                        "' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo second"});
        Child run(sb, {"job", "run", "stream"}, sb.dir() / "out", sb.dir() / "err");
        // The job cannot end before `go` exists: what arrived so far was streamed.
        CHECK(eventually([&] { return run.out() == "first\n" && run.err() == "warn\n"; }));
        CHECK(!fs::exists(go));
        std::ofstream(go).put('\n');
        auto code = run.wait(60s);
        REQUIRE(code.has_value());
        CHECK(*code == 0);
        CHECK(run.out() == "first\nsecond\n");
        CHECK(run.err() == "warn\n");
    }

    TEST_CASE("job run --format json prints the execution object when the run ends") {
        Sandbox sb;
        create(sb, {"quietly", "--command", "echo hidden; exit 5"});
        auto r = sb.run({"job", "run", "quietly", "--format", "json"});
        CHECK(r.exit_code == 5);
        CHECK(r.out.find("hidden") == std::string::npos);
        json j;
        REQUIRE_NOTHROW(j = json::parse(r.out));
        CHECK_MESSAGE(j.is_object(), "not an object: " << r.out);
        if (j.is_array() && j.size() == 1)
            j = j[0]; // check the rest all the same
        CHECK(j["status"] == "failed");
        CHECK(j["exit_code"] == 5);
        CHECK(j["execution_id"] == last_execution(sb, "quietly")["execution_id"]);

        create(sb, {"later", "--command", "true"});
        auto d = sb.run({"job", "run", "later", "--detach", "--format", "json"});
        CHECK(d.exit_code == 0);
        json dj;
        REQUIRE_NOTHROW(dj = json::parse(d.out));
        CHECK_MESSAGE(dj.is_object(), "not an object: " << d.out);
        if (dj.is_array() && dj.size() == 1)
            dj = dj[0];
        CHECK(dj["job_name"] == "later");
        CHECK(dj["execution_id"].is_number_integer());
        CHECK(eventually([&] { return last_execution(sb, "later")["status"] == "completed"; }));
    }

    TEST_CASE("job output on a terminal shows control characters escaped") {
        Sandbox sb;
        create(sb, {"ctl", "--command", "printf 'A\\000B\\tC\\n\\033[31mred'"});
        REQUIRE(sb.run({"job", "run", "ctl"}).out == "A\0B\tC\n\033[31mred"s);
        auto id = std::to_string(last_execution(sb, "ctl")["execution_id"].get<long long>());
        auto tty = sb.run_tty({"job", "output", id});
        CHECK(tty.exit_code == 0);
        INFO("terminal: " << tty.out);
        CHECK(tty.out.find('\033') == std::string::npos);
        CHECK(tty.out.find('\0') == std::string::npos);
        CHECK(tty.out.find("\tC") != std::string::npos);
        CHECK(tty.out.find("red") != std::string::npos);
    }

    TEST_CASE("binary output round-trips byte-exactly and JSON replaces invalid UTF-8") {
        Sandbox sb;
        // Octal escapes: a NUL, two bytes that are never UTF-8, an ESC.
        const std::string bytes = "A\0B\377\376C\n\033[31m"s;
        REQUIRE(bytes.size() == 12);
        create(sb, {"bin", "--command", "printf 'A\\000B\\377\\376C\\n\\033[31m'"});
        auto r = sb.run({"job", "run", "bin"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == bytes);
        auto id = std::to_string(last_execution(sb, "bin")["execution_id"].get<long long>());
        CHECK(sb.ok({"job", "output", id}) == bytes);

        auto raw = sb.run({"job", "output", id, "--format", "json"});
        REQUIRE(raw.exit_code == 0);
        json j;
        REQUIRE_NOTHROW(j = json::parse(raw.out));
        CHECK(j["execution_id"] == std::stoll(id));
        CHECK(j["stdout"]["data"] == "A\0B\357\277\275\357\277\275C\n\033[31m"s);
        CHECK(j["stdout"]["total_bytes"] == 12);
        CHECK(j["stdout"]["truncated"] == false);
        CHECK(j["stderr"]["data"] == "");
        CHECK(j["stderr"]["total_bytes"] == 0);
    }

    TEST_CASE("huge output keeps head and tail with a marker and the store stays small") {
        Sandbox sb;
        sb.ok({"config", "set", "output.max_bytes", "1K"});
        create(sb, {"big", "--command", "head -c 50000000 /dev/zero | tr '\\0' a"});
        auto r = sb.run({"job", "run", "big"});
        CHECK(r.exit_code == 0);
        CHECK(r.out.size() == 50000000);
        CHECK(r.out.find_first_not_of('a') == std::string::npos);
        auto id = std::to_string(last_execution(sb, "big")["execution_id"].get<long long>());

        auto stored = sb.ok({"job", "output", id});
        CHECK(stored == std::string(512, 'a') + "\n[... 49998976 bytes omitted ...]\n" +
                            std::string(512, 'a'));
        auto j = sb.json({"job", "output", id});
        CHECK(j["stdout"]["total_bytes"] == 50000000);
        CHECK(j["stdout"]["truncated"] == true);
        CHECK(j["stdout"]["data"] == stored);
        CHECK(store_bytes(sb) < 4u * 1024 * 1024);
    }

    TEST_CASE("a job printing 1 GiB completes and the store stays small") {
        Sandbox sb;
        create(sb, {"gig", "--command", "head -c 1073741824 /dev/zero"});
        // schedule's own stdout is /dev/null: the test need not hold 1 GiB.
        Child run(sb, {"job", "run", "gig"}, "/dev/null", sb.dir() / "err");
        auto code = run.wait(300s);
        REQUIRE_MESSAGE(code.has_value(), "job run did not return within 300 s");
        CHECK(*code == 0);
        auto e = last_execution(sb, "gig");
        CHECK(e["status"] == "completed");
        auto j = sb.json({"job", "output", std::to_string(e["execution_id"].get<long long>())});
        CHECK(j["stdout"]["total_bytes"] == 1073741824LL);
        CHECK(j["stdout"]["truncated"] == true);
        CHECK(j["stdout"]["data"].get<std::string>().size() < 65536 + 100);
        CHECK(store_bytes(sb) < 4u * 1024 * 1024);
    }

    TEST_CASE("a run gets a clean environment with --env and the SCHEDULE variables") {
        Sandbox sb;
        sb.env["LEAK_SENTINEL"] = "from-the-caller";
        auto id = create(
            sb, {"envy", "--command", "env", "--env", "FOO=bar", "--env", "GREETING=hello world"});
        auto r = sb.run({"job", "run", "envy"});
        REQUIRE(r.exit_code == 0);
        auto env = parse_env(r.out);
        auto e = last_execution(sb, "envy");
        const auto& pw = me();
        std::map<std::string, std::string> expected{
            {"PATH", "/usr/local/bin:/usr/bin:/bin"},
            {"HOME", home_of(pw)},
            {"USER", pw.pw_name},
            {"LOGNAME", pw.pw_name},
            {"SHELL", "/bin/sh"},
            // /bin/sh itself exports PWD to the commands it runs.
            {"PWD", home_of(pw)},
            {"FOO", "bar"},
            {"GREETING", "hello world"},
            {"SCHEDULE_JOB_ID", id},
            {"SCHEDULE_JOB_NAME", "envy"},
            {"SCHEDULE_EXECUTION_ID", std::to_string(e["execution_id"].get<long long>())},
            {"SCHEDULE_ATTEMPT", "1"},
            {"SCHEDULE_TRIGGER", "manual"},
            {"SCHEDULE_SCHEDULED_FOR", e["scheduled_for"].get<std::string>()},
        };
        CHECK(env == expected);
        CHECK(env.count("LEAK_SENTINEL") == 0);
        CHECK(env.count("SCHEDULE_STORE") == 0);
        CHECK(env.count("SCHEDULE_NOW") == 0);
    }

    TEST_CASE("the working directory defaults to the user's home and --working-dir is honoured") {
        Sandbox sb;
        create(sb, {"here", "--command", "pwd"});
        CHECK(sb.ok({"job", "run", "here"}) == home_of(me()) + "\n");
        create(sb, {"tmp", "--command", "pwd", "--working-dir", "/tmp"});
        CHECK(sb.ok({"job", "run", "tmp"}) == "/tmp\n");
    }

    TEST_CASE("a missing working directory fails the run naming it") {
        Sandbox sb;
        auto missing = (sb.dir() / "no-such-dir").string();
        create(sb, {"lost", "--command", "pwd", "--working-dir", missing});
        auto r = sb.run({"job", "run", "lost"});
        CHECK(r.exit_code == 1);
        CHECK(r.out == "");
        check_error_line(r, missing);
        auto e = last_execution(sb, "lost");
        CHECK(e["status"] == "failed");
        REQUIRE(e["error"].is_string());
        CHECK(e["error"].get<std::string>().find(missing) != std::string::npos);
    }

    TEST_CASE("a working directory that is a file fails the run saying it is not a directory") {
        Sandbox sb;
        const auto file = sb.dir() / "file";
        std::ofstream(file).put('\n');
        Args flags = {"--command", "pwd", "--working-dir", file.string()};
        create(sb, concat({"plain"}, flags));
        if (::geteuid() == 0)
            create(sb, concat({"as-nobody", "--run-as", "nobody"}, flags));
        for (const std::string job : {"plain", "as-nobody"}) {
            if (job == "as-nobody" && ::geteuid() != 0)
                continue;
            INFO(job);
            auto r = sb.run({"job", "run", job});
            CHECK(r.exit_code == 1);
            check_error_line(r, "working directory " + file.string() + " is not a directory");
            auto e = last_execution(sb, job);
            CHECK(e["status"] == "failed");
            CHECK(e["error"] == "working directory " + file.string() + " is not a directory");
        }
    }

    TEST_CASE("a task type without a handler fails with no handler for task type") {
        Sandbox sb;
        create(sb, {"task", "--task-type", "T", "--task-config", R"({"a": 1})"});
        auto r = sb.run({"job", "run", "task"});
        CHECK(r.exit_code == 1);
        check_error_line(r, "no handler for task type: T");
        auto e = last_execution(sb, "task");
        CHECK(e["status"] == "failed");
        CHECK(e["error"] == "no handler for task type: T");
        CHECK(sb.json({"job", "show", "task"})["failure_count"] == 1);
    }

    TEST_CASE("a task handler gets the task config JSON on stdin") {
        Sandbox sb;
        auto handler = sb.dir() / "handler.sh";
        auto got = sb.dir() / "stdin.txt";
        {
            std::ofstream out(handler);
            out << "#!/bin/sh\ncat > '" << got.string() << "'\necho handled \"$#\"\n";
        }
        fs::permissions(handler, fs::perms::owner_all);
        const std::string config =
            R"j({"url": "http://localhost/?a=1&b='x'", "n": [1, 2.5, null], "o": {"k": "$(id)"}})j";
        create(sb, {"task", "--task-type", "T", "--task-config", config});
        sb.ok({"config", "set", "handlers.T", handler.string()});
        auto dry = sb.json({"job", "run", "task", "--dry-run"});
        CHECK(dry["argv"] == json::array({handler.string()}));

        auto r = sb.run({"job", "run", "task"});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "handled 0\n");
        auto stdin_text = read_bytes(got);
        CHECK(json::parse(stdin_text) == json::parse(config));
        CHECK(stdin_text == dry["stdin"]);
        CHECK(last_execution(sb, "task")["status"] == "completed");
    }

    TEST_CASE("run-as drops to the user and its groups and sets its environment") {
        if (::geteuid() != 0) {
            MESSAGE("skipped: run-as needs root");
            return;
        }
        const passwd* nobody = ::getpwnam("nobody");
        REQUIRE(nobody != nullptr);
        const std::string uid = std::to_string(nobody->pw_uid);
        const std::string gid = std::to_string(nobody->pw_gid);
        const std::string home = home_of(*nobody);
        std::vector<gid_t> groups(64);
        int count = int(groups.size());
        REQUIRE(::getgrouplist("nobody", nobody->pw_gid, groups.data(), &count) >= 0);
        std::set<std::string> expected_groups;
        for (int i = 0; i < count; ++i)
            expected_groups.insert(std::to_string(groups[std::size_t(i)]));
        CHECK(uid == "65534");
        if (!fs::exists(nobody->pw_dir))
            CHECK(home == "/");

        Sandbox sb;
        create(sb, {"low", "--command",
                    "id -u; id -g; id -G; echo \"HOME=$HOME USER=$USER LOGNAME=$LOGNAME\"; pwd",
                    "--run-as", "nobody"});
        auto r = sb.run({"job", "run", "low"});
        CHECK(r.exit_code == 0);
        std::istringstream lines(r.out);
        std::string line;
        std::vector<std::string> got;
        while (std::getline(lines, line))
            got.push_back(line);
        REQUIRE(got.size() == 5);
        CHECK(got[0] == uid);
        CHECK(got[1] == gid);
        std::istringstream words(got[2]);
        std::set<std::string> got_groups{std::istream_iterator<std::string>(words), {}};
        CHECK(got_groups == expected_groups);
        CHECK(got[3] == "HOME=" + home + " USER=nobody LOGNAME=nobody");
        CHECK(got[4] == home);
        CHECK(sb.json({"job", "run", "low", "--dry-run"})["user"] == "nobody");
    }

    TEST_CASE("run-as an unknown user is refused at create") {
        Sandbox sb;
        auto r =
            sb.run({"job", "create", "ghost", "--command", "true", "--run-as", "no_such_user_x"});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--run-as");
        CHECK(sb.run({"job", "show", "ghost"}).exit_code == 3);
    }

    TEST_CASE("--dry-run shows what would run and runs nothing") {
        Sandbox sb;
        auto touched = sb.dir() / "touched";
        auto command = "touch '" + touched.string() + "'";
        create(sb, {"dry", "--command", command, "--env", "FOO=bar", "--working-dir", "/tmp"});
        auto r = sb.run({"job", "run", "dry", "--dry-run"});
        CHECK(r.exit_code == 0);
        for (const std::string& part :
             {std::string("/bin/sh"), command, std::string(me().pw_name), std::string("/tmp"),
              std::string("PATH=/usr/local/bin:/usr/bin:/bin"), std::string("FOO=bar"),
              std::string("SCHEDULE_JOB_NAME=dry"), std::string("overlap"),
              std::string("dependencies"), std::string("window")})
            CHECK_MESSAGE(r.out.find(part) != std::string::npos, part);

        auto j = sb.json({"job", "run", "dry", "--dry-run"});
        CHECK(j["argv"] == json::array({"/bin/sh", "-c", command}));
        CHECK(j["user"] == me().pw_name);
        CHECK(j["working_dir"] == "/tmp");
        REQUIRE(j["env"].is_array());
        auto has = [&](const std::string& kv) {
            return std::find(j["env"].begin(), j["env"].end(), kv) != j["env"].end();
        };
        CHECK(has("PATH=/usr/local/bin:/usr/bin:/bin"));
        CHECK(has("FOO=bar"));
        CHECK(has("SHELL=/bin/sh"));
        REQUIRE(j["checks"].is_array());
        std::set<std::string> checks;
        for (const auto& c : j["checks"]) {
            checks.insert(c["check"].get<std::string>());
            CHECK(c["ok"] == true);
            CHECK(c["detail"].is_string());
        }
        CHECK(checks == std::set<std::string>{"overlap", "dependencies", "window"});
        CHECK(j["would_run"] == true);

        CHECK(!fs::exists(touched));
        CHECK(sb.json({"job", "history", "dry"}) == json::array());
        CHECK(sb.json({"job", "show", "dry"})["execution_count"] == 0);
    }

    TEST_CASE("--detach prints the id and returns while a supervisor runs the job") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        auto go = sb.dir() / "go";
        // The job ends only once the test lets it (or after about 60 s).
        create(sb, {"later", "--command",
                    "i=0; while [ ! -e '" + go.string() +
                        "' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo late"});
        auto r = sb.run({"job", "run", "later", "--detach"});
        REQUIRE(r.exit_code == 0);
        CHECK(r.err == "");
        REQUIRE(r.out.size() >= 2);
        CHECK(r.out.back() == '\n');
        auto id_text = r.out.substr(0, r.out.size() - 1);
        REQUIRE(std::all_of(id_text.begin(), id_text.end(), ::isdigit));

        auto e = last_execution(sb, "later");
        CHECK(std::to_string(e["execution_id"].get<long long>()) == id_text);
        CHECK((e["status"] == "queued" || e["status"] == "running"));

        auto supervisors = supervisors_of(sb.store());
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        CHECK(parent_of(supervisors[0]) != ::getpid());
        // Its own session (it may have forked again after setsid, as daemons do).
        CHECK(session_of(supervisors[0]) != session_of(::getpid()));
        CHECK(session_of(supervisors[0]) > 0);

        std::ofstream(go).put('\n');
        std::string status;
        CHECK(eventually([&] {
            status = last_execution(sb, "later")["status"];
            return status == "completed";
        }));
        CHECK(status == "completed");
        CHECK(sb.ok({"job", "output", id_text}) == "late\n");
    }

    TEST_CASE("a run whose supervisor died is recovered as lost instead of refusing job run") {
        Sandbox sb;
        auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        auto go = sb.dir() / "go";
        create(sb,
               {"busy", "--command", "test -e '" + go.string() + "' && exit 0; sleep " + marker});
        auto id = sb.ok({"job", "run", "busy", "--detach"});
        id.pop_back();
        REQUIRE(eventually([&] {
            auto e = last_execution(sb, "busy");
            return e["status"] == "running" && !processes_with(marker).empty() &&
                   schedule::test::running_with_pid(sb) == 1;
        }));
        // The supervisor dies without recording the end (as when the disk
        // was full): the run stays `running` with nobody to finish it.
        auto supervisors = supervisors_of(sb.store());
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        REQUIRE(::kill(supervisors[0], SIGKILL) == 0);
        REQUIRE(eventually([&] { return cmdline_of(std::to_string(supervisors[0])).empty(); }));
        REQUIRE(last_execution(sb, "busy")["status"] == "running");

        std::ofstream(go).put('\n');
        auto r = sb.run({"job", "run", "busy"});
        CHECK(r.exit_code == 0);
        auto h = sb.json({"job", "history", "busy"});
        REQUIRE(h.size() == 2);
        CHECK(h[0]["status"] == "completed");
        CHECK(std::to_string(h[1]["execution_id"].get<long long>()) == id);
        CHECK(h[1]["status"] == "lost");
        // Its orphaned process went with it.
        CHECK(eventually([&] { return processes_with(marker).empty(); }));
    }

    TEST_CASE("job output of a run that has not ended says that output is stored when it ends") {
        Sandbox sb;
        KillLeftovers guard{{sb.dir().string()}};
        auto go = sb.dir() / "go";
        create(sb, {"slow", "--command",
                    "echo early; i=0; while [ ! -e '" + go.string() +
                        "' ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo late"});
        auto id = sb.ok({"job", "run", "slow", "--detach"});
        REQUIRE(id.size() >= 2);
        id.pop_back();
        REQUIRE(eventually([&] { return last_execution(sb, "slow")["status"] == "running"; }));
        const std::string note = "schedule: warning: execution " + id +
                                 " is running: its output is stored when it ends\n";
        auto r = sb.run({"job", "output", id});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "");
        CHECK(r.err == note);
        r = sb.run({"job", "output", id, "--format", "json"});
        CHECK(r.exit_code == 0);
        CHECK(r.err == note);
        CHECK(json::parse(r.out)["status"] == "running");
        CHECK(sb.run({"job", "output", id, "-q"}).err == "");

        std::ofstream(go).put('\n');
        REQUIRE(eventually([&] { return last_execution(sb, "slow")["status"] == "completed"; }));
        r = sb.run({"job", "output", id});
        CHECK(r.exit_code == 0);
        CHECK(r.out == "early\nlate\n");
        CHECK(r.err == "");
    }

    TEST_CASE("a running job under overlap skip is refused with exit 4 unless --force") {
        Sandbox sb;
        auto marker = unique_marker();
        KillLeftovers guard{{marker, sb.dir().string()}};
        auto go = sb.dir() / "go";
        create(sb,
               {"busy", "--command", "test -e '" + go.string() + "' && exit 0; sleep " + marker});
        auto id = sb.ok({"job", "run", "busy", "--detach"});
        id.pop_back();
        REQUIRE(eventually([&] { return last_execution(sb, "busy")["status"] == "running"; }));

        auto refused = sb.run({"job", "run", "busy"});
        CHECK(refused.exit_code == 4);
        check_error_line(refused);
        CHECK(sb.json({"job", "history", "busy"}).size() == 1);

        std::ofstream(go).put('\n');
        auto forced = sb.run({"job", "run", "busy", "--force"});
        CHECK(forced.exit_code == 0);
        CHECK(last_execution(sb, "busy")["status"] == "completed");

        sb.ok({"job", "update", "busy", "--overlap", "allow"});
        auto allowed = sb.run({"job", "run", "busy"});
        CHECK(allowed.exit_code == 0);
        CHECK(allowed.err == "");
        CHECK(sb.json({"job", "history", "busy"}).size() == 3);

        // SIGTERM to the supervisor cancels its run and ends the job's processes.
        auto supervisors = supervisors_of(sb.store());
        REQUIRE_MESSAGE(supervisors.size() == 1, describe(supervisors));
        ::kill(supervisors[0], SIGTERM);
        json detached;
        CHECK(eventually([&] {
            for (const auto& e : sb.json({"job", "history", "busy"}))
                if (std::to_string(e["execution_id"].get<long long>()) == id)
                    detached = e;
            return detached["status"] == "cancelled";
        }));
        CHECK(detached["status"] == "cancelled");
        CHECK(eventually([&] { return processes_with(marker).empty(); }));
    }

    TEST_CASE("Ctrl-C goes to the job and the run is recorded cancelled with exit 130") {
        struct Case {
            const char* what;
            std::string command; // {ready} and {marker} are replaced
            std::string output;
        };
        const std::vector<Case> cases{
            {"a job that handles SIGINT",
             "trap \"echo got INT; exit 9\" INT; touch '{ready}'; sleep {marker} & wait",
             "got INT\n"},
            // SIGINT is ignored: only SIGTERM, or SIGKILL after the grace, ends it.
            {"a job that ignores SIGINT", "trap '' INT; touch '{ready}'; sleep {marker}", ""},
            {"a job that ignores SIGINT and SIGTERM",
             "trap '' INT TERM; touch '{ready}'; sleep {marker}", ""},
        };
        Sandbox sb;
        int n = 0;
        for (const auto& c : cases) {
            INFO(c.what);
            auto marker = unique_marker();
            KillLeftovers guard{{marker}};
            auto name = "stoppable" + std::to_string(++n);
            auto ready = sb.dir() / (name + ".ready");
            auto command = c.command;
            command.replace(command.find("{ready}"), 7, ready.string());
            command.replace(command.find("{marker}"), 8, marker);
            create(sb, {name, "--command", command, "--kill-grace", "1s"});
            Child run(sb, {"job", "run", name}, sb.dir() / "out", sb.dir() / "err", Session::own);
            REQUIRE(eventually([&] {
                return fs::exists(ready) && sb.json({"job", "history", name}).size() == 1 &&
                       last_execution(sb, name)["status"] == "running";
            }));
            REQUIRE(::kill(run.pid(), SIGINT) == 0);
            auto code = run.wait(60s);
            REQUIRE_MESSAGE(code.has_value(), "job run did not end within 60 s of SIGINT");
            CHECK(*code == 130);
            CHECK(run.out() == c.output);
            auto e = last_execution(sb, name);
            CHECK(e["status"] == "cancelled");
            CHECK(e["end_time"].is_string());
            CHECK(sb.ok({"job", "output", std::to_string(e["execution_id"].get<long long>())}) ==
                  c.output);
            auto survivors = processes_with(marker);
            CHECK_MESSAGE(survivors.empty(), "survivors:\n" << describe(survivors));
        }
    }

    TEST_CASE("SIGTERM or SIGHUP to a foreground job run cancels the run and leaves nothing") {
        Sandbox sb;
        int n = 0;
        for (int sig : {SIGTERM, SIGHUP}) {
            INFO("signal " << sig);
            auto marker = unique_marker();
            KillLeftovers guard{{marker}};
            auto name = "hung" + std::to_string(++n);
            auto ready = sb.dir() / (name + ".ready");
            create(sb, {name, "--command",
                        "touch '" + ready.string() + "'; sleep " + marker + " & wait"});
            Child run(sb, {"job", "run", name}, sb.dir() / "out", sb.dir() / "err", Session::own);
            REQUIRE(eventually([&] {
                return fs::exists(ready) && sb.json({"job", "history", name}).size() == 1 &&
                       last_execution(sb, name)["status"] == "running";
            }));
            REQUIRE(::kill(run.pid(), sig) == 0);
            auto code = run.wait(60s);
            REQUIRE_MESSAGE(code.has_value(), "job run did not end within 60 s of the signal");
            CHECK(*code != 0);
            auto e = last_execution(sb, name);
            CHECK(e["status"] == "cancelled");
            CHECK(e["reason"].is_string());
            auto survivors = processes_with(marker);
            CHECK_MESSAGE(survivors.empty(), "survivors:\n" << describe(survivors));
        }
    }

    TEST_CASE("execution_count failure_count and last_status follow the runs") {
        Sandbox sb;
        create(sb, {"counted", "--command", "true"});
        auto counters = [&] {
            auto j = sb.json({"job", "show", "counted"});
            return std::make_tuple(j["execution_count"].get<int>(), j["failure_count"].get<int>(),
                                   j["last_status"]);
        };
        auto job = sb.json({"job", "show", "counted"});
        CHECK(job["execution_count"] == 0);
        CHECK(job["failure_count"] == 0);
        CHECK(job["last_status"].is_null());

        CHECK(sb.run({"job", "run", "counted"}).exit_code == 0);
        CHECK(counters() == std::make_tuple(1, 0, json("completed")));
        sb.ok({"job", "update", "counted", "--command", "exit 3"});
        CHECK(sb.run({"job", "run", "counted"}).exit_code == 3);
        CHECK(counters() == std::make_tuple(2, 1, json("failed")));
        sb.ok({"job", "update", "counted", "--command", "sleep 30", "--timeout", "1s",
               "--kill-grace", "0"});
        CHECK(sb.run({"job", "run", "counted"}).exit_code == 124);
        CHECK(counters() == std::make_tuple(3, 2, json("timed_out")));
        sb.ok({"job", "update", "counted", "--command", "true"});
        CHECK(sb.run({"job", "run", "counted"}).exit_code == 0);
        CHECK(counters() == std::make_tuple(4, 2, json("completed")));
        CHECK(sb.json({"job", "history", "counted"}).size() == 4);
    }
}
