// `schedule __complete`, the helper of the shell completion scripts: what it
// offers for a partial command line, where it reads the store, that it only
// reads, and how it quotes for bash. The scripts themselves, in real bash
// and zsh, are in test_completion_scripts.cpp.

#include "harness.hpp"
#include "processes.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using schedule::test::Args;
using schedule::test::concat;
using schedule::test::lines_of;
using schedule::test::read_bytes;
using schedule::test::RunResult;
using schedule::test::Sandbox;
using schedule::test::words_of;
namespace fs = std::filesystem;

namespace {

// bash's default COMP_WORDBREAKS.
const std::string k_wordbreaks = " \t\n\"'><=;|&(:";

struct Block {
    std::string kind, space, text;
    std::vector<std::string> lines;
};

// Runs `__complete ARGS...`, which must exit 0 and say nothing on stderr,
// and reads its blocks.
std::vector<Block> blocks(const Sandbox& sb, const Args& args) {
    auto r = sb.run(concat({"__complete"}, args));
    INFO("args: " << args.size() << " stdout: " << r.out << " stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    REQUIRE(r.err == "");
    std::vector<Block> out;
    for (const auto& line : lines_of(r.out)) {
        if (line.starts_with(":")) {
            Block b;
            std::istringstream fields(line.substr(1));
            std::getline(fields, b.kind, '\t');
            std::getline(fields, b.space, '\t');
            std::getline(fields, b.text);
            out.push_back(b);
        } else {
            REQUIRE_MESSAGE(!out.empty(), "a candidate before any header: " << line);
            out.back().lines.push_back(line);
        }
    }
    return out;
}

// The values offered for the last of `words` (zsh's protocol), every block.
std::vector<std::string> offered(const Sandbox& sb, const Args& words) {
    std::vector<std::string> values;
    for (const auto& b : blocks(sb, concat({"zsh"}, words))) {
        CHECK(b.kind == "words");
        for (const auto& line : b.lines)
            values.push_back(line.substr(0, line.find('\t')));
    }
    return values;
}

// value -> description.
std::map<std::string, std::string> described(const Sandbox& sb, const Args& words) {
    std::map<std::string, std::string> out;
    for (const auto& b : blocks(sb, concat({"zsh"}, words)))
        for (const auto& line : b.lines)
            out[line.substr(0, line.find('\t'))] = line.substr(line.find('\t') + 1);
    return out;
}

// What the bash protocol offers for `line` (typed up to the cursor).
std::vector<std::string> bash_offered(const Sandbox& sb, const std::string& line,
                                      const std::string& wordbreaks = k_wordbreaks) {
    std::vector<std::string> out;
    for (const auto& b : blocks(sb, {"bash", wordbreaks, line}))
        for (const auto& l : b.lines)
            out.push_back(l);
    return out;
}

using Set = std::set<std::string>;
Set set_of(const std::vector<std::string>& v) {
    return Set(v.begin(), v.end());
}

// `__reference`: commands, (command, flag) pairs and (command, flag, value name).
struct Reference {
    std::vector<std::string> commands;
    std::map<std::string, Set> flags; // "global", "job create", ...
    std::vector<std::array<std::string, 3>> values;
};

Reference reference(const Sandbox& sb) {
    Reference ref;
    for (const auto& line : lines_of(sb.ok({"__reference"}))) {
        auto fields = words_of(line);
        if (fields.front() == "command") {
            ref.commands.push_back(line.substr(8));
        } else if (fields.front() == "flag") {
            auto flag = fields.back();
            auto where = line.substr(5, line.size() - 5 - flag.size() - 1);
            ref.flags[where].insert(flag);
        } else if (fields.front() == "value") {
            auto name = fields[fields.size() - 1];
            auto flag = fields[fields.size() - 2];
            auto where = line.substr(6, line.size() - 6 - flag.size() - name.size() - 2);
            ref.values.push_back({where, flag, name});
        }
    }
    return ref;
}

// The names a command line may give a value of the kinds that are free
// text; every other flag that takes a value must have something to offer.
const Set k_free_text = {"NAME",      "TEXT",    "EXPR",  "DURATION", "DATETIME", "HH:MM",
                         "DAY@HH:MM", "COMMAND", "JSON",  "OWNER",    "TAG",      "NAME=VALUE",
                         "N",         "LIST",    "IMAGE", "WHEN",     "WINDOW"};

} // namespace

TEST_SUITE("cli::complete") {

    TEST_CASE("every command and every flag of the command line is offered, nothing else") {
        Sandbox sb;
        auto ref = reference(sb);
        REQUIRE(ref.commands.size() >= 20);
        // Commands, level by level.
        std::map<std::string, Set> children;
        for (const auto& c : ref.commands) {
            auto space = c.rfind(' ');
            children[space == std::string::npos ? "" : c.substr(0, space)].insert(
                space == std::string::npos ? c : c.substr(space + 1));
        }
        for (const auto& [parent, names] : children) {
            CAPTURE(parent);
            CHECK(set_of(offered(sb, concat(words_of(parent), {""}))) == names);
        }
        // Flags: a command's own, those of the levels above it, the global ones.
        for (const auto& c : ref.commands) {
            CAPTURE(c);
            Set expected = ref.flags["global"];
            auto words = words_of(c);
            for (std::size_t n = 1; n <= words.size(); ++n) {
                std::string level;
                for (std::size_t i = 0; i < n; ++i)
                    level += (i ? " " : "") + words[i];
                expected.insert(ref.flags[level].begin(), ref.flags[level].end());
            }
            CHECK(set_of(offered(sb, concat(words, {"-"}))) == expected);
            Set long_ones;
            for (const auto& f : expected)
                if (f.starts_with("--"))
                    long_ones.insert(f);
            CHECK(set_of(offered(sb, concat(words, {"--"}))) == long_ones);
        }
        CHECK(set_of(offered(sb, {"-"})) == ref.flags["global"]);
        CHECK(ref.flags["global"].count("--store"));
        CHECK(ref.flags["job create"].count("--overlap"));
    }

    TEST_CASE("every flag that takes a value of a kind offers that kind") {
        Sandbox sb;
        sb.ok({"config", "set", "handlers.python", "/usr/bin/python3"});
        sb.ok({"job", "create", "nightly", "--command", "true"}); // for a JOB value
        auto ref = reference(sb);
        REQUIRE(ref.values.size() > 40);
        for (const auto& [where, flag, name] : ref.values) {
            if (k_free_text.count(name))
                continue;
            CAPTURE(where);
            CAPTURE(flag);
            CAPTURE(name);
            auto words = where == "global" ? Args{} : words_of(where);
            auto answer = blocks(sb, concat({"zsh"}, concat(words, {flag, ""})));
            REQUIRE(!answer.empty());
            CHECK((answer[0].kind != "words" || !answer[0].lines.empty()));
        }
    }

    TEST_CASE("flags with a fixed set of values offer the set") {
        Sandbox sb;
        using V = std::vector<std::string>;
        CHECK(offered(sb, {"job", "create", "--overlap", ""}) ==
              V{"skip", "queue", "allow", "replace"});
        CHECK(offered(sb, {"job", "update", "x", "--overlap", "r"}) == V{"replace"});
        CHECK(offered(sb, {"job", "create", "--catchup", ""}) == V{"latest", "all", "none"});
        CHECK(offered(sb, {"job", "create", "--backoff", ""}) ==
              V{"fixed", "linear", "exponential", "fibonacci"});
        CHECK(offered(sb, {"job", "create", "--dst-gap", ""}) == V{"run", "skip"});
        CHECK(offered(sb, {"job", "create", "--dst-overlap", ""}) == V{"once", "twice"});
        CHECK(offered(sb, {"events", "--type", "execution.t"}) == V{"execution.timed_out"});
        CHECK(offered(sb, {"events", "--type", "config."}) ==
              V{"config.changed", "config.restored"});
        CHECK(offered(sb, {"job", "create", "--priority", ""}) ==
              V{"low", "normal", "high", "critical"});
        CHECK(offered(sb, {"job", "update", "x", "--enabled", ""}) == V{"true", "false"});
        CHECK(offered(sb, {"job", "list", "--enabled", ""}) == V{"true", "false"});
        CHECK(offered(sb, {"job", "list", "--status", ""}) == V{"active", "paused", "finished"});
        CHECK(offered(sb, {"job", "history", "--status", ""}) ==
              V{"queued", "waiting", "running", "completed", "failed", "timed_out", "cancelled",
                "skipped", "lost"});
        CHECK(offered(sb, {"export", "--to", ""}) == V{"crontab", "systemd", "kubernetes"});
        // Each command's own formats, after the command or before it.
        CHECK(offered(sb, {"job", "stats", "--format", ""}) == V{"table", "json", "prometheus"});
        CHECK(offered(sb, {"job", "list", "-o", ""}) == V{"table", "json", "csv"});
        CHECK(offered(sb, {"export", "--format", ""}) == V{"table"});
        CHECK(offered(sb, {"job", "graph", "--format", ""}) == V{"table", "json", "dot"});
        CHECK(offered(sb, {"--format", "job", "list"}).empty()); // free text: not a value
        CHECK(offered(sb, {"-o", ""}) == V{"table", "json", "csv", "dot", "prometheus"});
        // Every value offered is taken.
        for (const auto& to : offered(sb, {"export", "--to", ""}))
            CHECK_MESSAGE(sb.run({"export", "--to", to}).exit_code == 0, to);
        for (const auto& status : offered(sb, {"job", "history", "--status", ""}))
            CHECK_MESSAGE(sb.run({"job", "history", "--status", status}).exit_code == 0, status);
        for (const auto& status : offered(sb, {"job", "list", "--status", ""}))
            CHECK_MESSAGE(sb.run({"job", "list", "--status", status}).exit_code == 0, status);
        for (const auto& format : offered(sb, {"job", "stats", "--format", ""}))
            CHECK_MESSAGE(sb.run({"job", "stats", "--format", format}).exit_code == 0, format);
    }

    TEST_CASE("a value in the flag's own word: --flag=VALUE") {
        Sandbox sb;
        auto answer = blocks(sb, {"zsh", "job", "list", "--format=j"});
        REQUIRE(answer.size() == 1);
        CHECK(answer[0].text == "--format=");
        CHECK(answer[0].lines == std::vector<std::string>{"json\t"});
        auto files = blocks(sb, {"zsh", "config", "restore", "--input=ba"});
        REQUIRE(files.size() == 1);
        CHECK(files[0].kind == "files");
        CHECK(files[0].text == "--input=");
        CHECK(offered(sb, {"job", "list", "--owner=x"}).empty());
    }

    TEST_CASE("files, directories and users are left to the shell") {
        Sandbox sb;
        auto kind = [&](const Args& words) { return blocks(sb, concat({"zsh"}, words))[0].kind; };
        CHECK(kind({"apply", "-f", ""}) == "files");
        CHECK(kind({"apply", "--file", "x"}) == "files");
        CHECK(kind({"--store", ""}) == "files");
        CHECK(kind({"config", "backup", "--output", ""}) == "files");
        CHECK(kind({"config", "restore", "--input", ""}) == "files");
        CHECK(kind({"import", "crontab", ""}) == "files");
        CHECK(kind({"export", "--to", "systemd", "--output-dir", ""}) == "dirs");
        CHECK(kind({"job", "create", "--working-dir", ""}) == "dirs");
        CHECK(kind({"job", "create", "--run-as", ""}) == "users");
        CHECK(kind({"import", "crontab", "--run-as", ""}) == "users");
    }

    TEST_CASE("time zones come from the tz database") {
        Sandbox sb;
        using V = std::vector<std::string>;
        const V berlin{"Europe/Belfast", "Europe/Belgrade", "Europe/Berlin"};
        CHECK(offered(sb, {"next", "* * * * *", "--tz", "Europe/Be"}) == berlin);
        CHECK(offered(sb, {"job", "create", "--tz", "Europe/Be"}) == berlin);
        CHECK(offered(sb, {"config", "set", "timezone", "Europe/Be"}) == berlin);
        CHECK(offered(sb, {"job", "create", "--tz", "America/Argentina/Bu"}) ==
              V{"America/Argentina/Buenos_Aires"});
        auto all = offered(sb, {"job", "create", "--tz", ""});
        CHECK(all.size() > 400);
        CHECK(std::count(all.begin(), all.end(), "UTC") == 1);
        CHECK(std::none_of(all.begin(), all.end(), [](const std::string& z) {
            return z.starts_with("posix/") || z.starts_with("right/") || z == "Factory" ||
                   z.find('.') != std::string::npos;
        }));
    }

    TEST_CASE("setting names and values") {
        Sandbox sb;
        sb.ok({"config", "set", "handlers.python", "/usr/bin/python3"});
        auto answer = blocks(sb, {"zsh", "config", "get", ""});
        REQUIRE(answer.size() == 2);
        Set keys;
        for (const auto& line : answer[0].lines)
            keys.insert(line.substr(0, line.find('\t')));
        CHECK(keys == Set{"history.keep_last", "history.retention", "log.file", "log.level",
                          "max_workers", "notify.on_failure", "notify.on_retry",
                          "notify.on_success", "notify.timeout", "output.max_bytes", "timezone",
                          "handlers.python"});
        CHECK(answer[0].space == "space");
        // A key pattern is offered as its start, with no space after it.
        CHECK(answer[1].space == "nospace");
        REQUIRE(answer[1].lines.size() == 1);
        CHECK(answer[1].lines[0].starts_with("handlers.\t"));
        // Every key offered is one config get knows.
        for (const auto& key : keys)
            CHECK_MESSAGE(sb.run({"config", "get", key}).exit_code == 0, key);
        CHECK(set_of(offered(sb, {"config", "unset", "ha"})) ==
              Set{"handlers.", "handlers.python"});
        CHECK(offered(sb, {"config", "set", "handlers.p"}) ==
              std::vector<std::string>{"handlers.python"});
        CHECK(offered(sb, {"config", "set", "log.level", ""}) ==
              std::vector<std::string>{"trace", "debug", "info", "warn", "error", "off"});
        CHECK(blocks(sb, {"zsh", "config", "set", "log.file", ""})[0].kind == "files");
        CHECK(offered(sb, {"config", "set", "max_workers", ""}).empty());
        CHECK(offered(sb, {"job", "create", "--task-type", ""}) ==
              std::vector<std::string>{"python"});
    }

    TEST_CASE("job names and ids come from the store the line names, else SCHEDULE_STORE") {
        Sandbox sb;
        // Ids are random hexadecimal: names that start with g-z are never
        // also matched by an id's prefix.
        auto nightly = sb.ok({"job", "create", "nightly", "--command", "true", "-q"});
        nightly.pop_back();
        sb.ok({"job", "create", "my job", "--command", "true"});
        sb.ok({"job", "create", "my jobs", "--command", "true"});
        auto other = (sb.dir() / "other.db").string();
        sb.ok({"--store", other, "job", "create", "offsite", "--command", "true"});

        CHECK(offered(sb, {"job", "show", ""}) ==
              std::vector<std::string>{"my job", "my jobs", "nightly"});
        CHECK(offered(sb, {"job", "show", "my j"}) ==
              std::vector<std::string>{"my job", "my jobs"});
        // Names are described by id; an id is offered once a prefix is typed.
        CHECK(described(sb, {"job", "show", "ni"}) ==
              std::map<std::string, std::string>{{"nightly", nightly}});
        CHECK(described(sb, {"job", "show", nightly.substr(0, 3)})[nightly] == "nightly");
        // The store named on the line, in either form and either place.
        const std::vector<std::string> offsite{"offsite"};
        CHECK(offered(sb, {"--store", other, "job", "run", ""}) == offsite);
        CHECK(offered(sb, {"job", "run", "--store", other, ""}) == offsite);
        CHECK(offered(sb, {"--store=" + other, "job", "pause", ""}) == offsite);
        fs::rename(other, sb.dir() / "home" / "other.db");
        CHECK(offered(sb, {"--store", "~/other.db", "job", "resume", ""}) == offsite);
        // Every command whose argument is a job.
        for (const char* command :
             {"show", "update", "delete", "pause", "resume", "next", "run", "history", "stats"})
            CHECK_MESSAGE(offered(sb, {"job", command, "n"}) == std::vector<std::string>{"nightly"},
                          command);
        CHECK(offered(sb, {"export", "--to", "crontab", "nightly", "m"}) ==
              std::vector<std::string>{"my job", "my jobs"});
        CHECK(offered(sb, {"job", "show", "nightly", ""}).size() > 0); // no argument left: flags
        CHECK(offered(sb, {"job", "show", "nightly", ""})[0].starts_with("-"));
    }

    TEST_CASE("execution ids of job output, newest first") {
        Sandbox sb;
        sb.ok({"job", "create", "k", "--command", "true"});
        sb.ok({"job", "run", "k"});
        sb.ok({"job", "run", "k"});
        CHECK(described(sb, {"job", "output", ""}) ==
              std::map<std::string, std::string>{{"1", "k completed"}, {"2", "k completed"}});
        CHECK(offered(sb, {"job", "output", ""}) == std::vector<std::string>{"2", "1"});
        CHECK(offered(sb, {"job", "output", "2"}) == std::vector<std::string>{"2"});
    }

    TEST_CASE("completing only reads: no store is created, none is changed, nothing is said") {
        Sandbox sb;
        auto complete_all = [&] {
            for (const Args& words :
                 {Args{"job", "show", ""}, Args{"job", "output", ""}, Args{"config", "get", ""},
                  Args{"job", "create", "--task-type", ""}})
                blocks(sb, concat({"zsh"}, words)); // exit 0, stderr empty
        };
        auto files_in = [](const fs::path& dir) {
            Set names;
            for (const auto& e : fs::directory_iterator(dir))
                names.insert(e.path().filename().string());
            return names;
        };
        SUBCASE("a missing store stays missing") {
            complete_all();
            CHECK_FALSE(fs::exists(sb.store().parent_path()));
        }
        SUBCASE("a store is left byte for byte, with no file added") {
            sb.ok({"job", "create", "k", "--command", "true"});
            const auto before = files_in(sb.store().parent_path());
            const auto bytes = read_bytes(sb.store());
            complete_all();
            CHECK(offered(sb, {"job", "show", ""}) == std::vector<std::string>{"k"});
            CHECK(files_in(sb.store().parent_path()) == before);
            CHECK(read_bytes(sb.store()) == bytes);
        }
        SUBCASE("a store of an older schema is not migrated") {
            sb.ok({"job", "create", "k", "--command", "true"});
            REQUIRE(sb.run_program({"sqlite3", sb.store().string(),
                                    "DROP INDEX executions_queue; DROP INDEX executions_claimed;"
                                    " PRAGMA user_version = 1"})
                        .exit_code == 0);
            const auto bytes = read_bytes(sb.store());
            complete_all();
            CHECK(read_bytes(sb.store()) == bytes);
        }
        SUBCASE("a file that is not a store") {
            fs::create_directories(sb.store().parent_path());
            std::ofstream(sb.store()) << "not a database\n";
            complete_all();
            CHECK(read_bytes(sb.store()) == "not a database\n");
        }
        SUBCASE("a directory where the store should be") {
            fs::create_directories(sb.store());
            complete_all();
        }
        SUBCASE("a store others may write") {
            sb.ok({"job", "create", "k", "--command", "true"});
            fs::permissions(sb.store(), fs::perms::others_write, fs::perm_options::add);
            complete_all();
        }
        SUBCASE("an empty --store") {
            blocks(sb, {"zsh", "--store", "", "job", "show", ""});
        }
        // Commands and flags need no store at all.
        CHECK(offered(sb, {"job", "cr"}) == std::vector<std::string>{"create"});
    }

    TEST_CASE("bash: replies replace what readline completes, quoted as the line needs") {
        Sandbox sb;
        sb.ok({"job", "create", "my job", "--command", "true"});
        sb.ok({"job", "create", "it's $HOME", "--command", "true"});
        using V = std::vector<std::string>;
        CHECK(bash_offered(sb, "schedule job show my") == V{"my\\ job"});
        CHECK(bash_offered(sb, "schedule job show my\\ j") == V{"my\\ job"});
        CHECK(bash_offered(sb, "schedule job show \"my j") == V{"my job"});
        CHECK(bash_offered(sb, "schedule job show 'my j") == V{"my job"});
        CHECK(bash_offered(sb, "schedule job show it") == V{"it\\'s\\ \\$HOME"});
        CHECK(bash_offered(sb, "schedule job show \"it") == V{"it's \\$HOME"});
        CHECK(bash_offered(sb, "schedule job show 'it") == V{"it'\\''s $HOME"});
        // After a word-break character readline completes only what follows it.
        CHECK(bash_offered(sb, "schedule job list --format=js") == V{"json"});
        CHECK(bash_offered(sb, "schedule job list --format=js", " \t\n\"'") == V{"--format=json"});
        CHECK(bash_offered(sb, "schedule --store \"" + sb.store().string() + "\" job show m") ==
              V{"my\\ job"});
        CHECK(bash_offered(sb, "/usr/local/bin/schedule   job   sh") == V{"show"});
        // Files: the text to complete, unquoted.
        auto files = blocks(sb, {"bash", k_wordbreaks, "schedule apply -f \"my d"});
        REQUIRE(files.size() == 1);
        CHECK(files[0].kind == "files");
        CHECK(files[0].text == "my d");
        CHECK(blocks(sb, {"bash", k_wordbreaks, "schedule config restore --input=a\\ b"})[0].text ==
              "a b");
        // The command word itself, or a malformed request: nothing.
        CHECK(sb.run({"__complete", "bash", k_wordbreaks, "sched"}).out == "");
        auto bad = sb.run({"__complete", "fish"});
        CHECK(bad.exit_code == 2);
        CHECK(bad.out == "");
        CHECK(bad.err == "");
    }
}
