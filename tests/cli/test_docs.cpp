// The man page and --help against the commands that exist: every command,
// flag, JSON key, exit code and environment variable is documented.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using schedule::test::Sandbox;

namespace {
std::string read_file(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string man_source() {
    return read_file(std::string(SCHEDULE_SOURCE_DIR) + "/man/schedule.1.scd");
}

struct Reference {
    std::vector<std::string> commands;
    std::vector<std::pair<std::string, std::string>> flags; // (command, flag)
};

Reference reference(const Sandbox& sb) {
    Reference ref;
    std::istringstream in(sb.ok({"__reference"}));
    std::string kind, line;
    while (std::getline(in, line)) {
        if (line.rfind("command ", 0) == 0) {
            ref.commands.push_back(line.substr(8));
        } else if (line.rfind("flag ", 0) == 0) {
            auto rest = line.substr(5);
            auto sp = rest.rfind(' ');
            ref.flags.emplace_back(rest.substr(0, sp), rest.substr(sp + 1));
        }
    }
    return ref;
}

// The man source escapes '_' and '*' for scdoc; compare against that form.
std::string scdoc_escaped(std::string s) {
    std::string out;
    for (char c : s) {
        if (c == '_' || c == '*')
            out += '\\';
        out += c;
    }
    return out;
}

bool documented(const std::string& man, const std::string& word) {
    if (man.find(word) != std::string::npos || man.find(scdoc_escaped(word)) != std::string::npos)
        return true;
    // A bold word whose own text needs escaping: "*handlers.\**".
    if (word.size() > 2 && word.front() == '*' && word.back() == '*')
        return man.find("*" + scdoc_escaped(word.substr(1, word.size() - 2)) + "*") !=
               std::string::npos;
    return false;
}
} // namespace

TEST_SUITE("cli::docs") {

    TEST_CASE("every command and flag is in the man page") {
        Sandbox sb;
        auto ref = reference(sb);
        REQUIRE(ref.commands.size() >= 10);
        auto man = man_source();
        for (const auto& c : ref.commands) {
            // Group commands ("job") appear as part of their leaves.
            CHECK_MESSAGE(documented(man, "*" + c), "command " << c);
        }
        for (const auto& [cmd, flag] : ref.flags) {
            if (flag == "--help" || flag == "-h")
                continue;
            // Bold in the page: "*--flag*", or "*-o, --format*" for a pair.
            CHECK_MESSAGE((documented(man, "*" + flag) || documented(man, flag + "*")),
                          "flag " << flag << " of " << cmd);
        }
    }

    TEST_CASE("every JSON key of a job and a setting is in the man page") {
        Sandbox sb;
        sb.ok({"job", "create", "k", "--command", "true"});
        auto man = man_source();
        auto job = sb.json({"job", "show", "k"});
        for (auto it = job.begin(); it != job.end(); ++it)
            CHECK_MESSAGE(documented(man, "*" + it.key() + "*"), "job key " << it.key());
        auto setting = sb.json({"config", "get", "timezone"});
        for (auto it = setting.begin(); it != setting.end(); ++it)
            CHECK_MESSAGE(documented(man, "*" + it.key() + "*"), "setting key " << it.key());
        for (const auto& s : sb.json({"config", "list"}))
            CHECK_MESSAGE(documented(man, "*" + s["key"].get<std::string>() + "*"),
                          "setting " << s["key"]);
    }

    TEST_CASE("every JSON key of an execution and of stats is in the man page") {
        Sandbox sb;
        sb.ok({"job", "create", "k", "--command", "exit 3", "--cron", "@daily"});
        REQUIRE(sb.run({"job", "run", "k"}).exit_code == 3);
        auto man = man_source();
        // A key is documented in bold (*key*) or, inside a bold JSON shape
        // such as *{"check", "ok", "detail"}*, quoted.
        auto check_keys = [&](const nlohmann::json& object, const std::string& what) {
            REQUIRE_MESSAGE(object.is_object(), what);
            for (auto it = object.begin(); it != object.end(); ++it)
                CHECK_MESSAGE((documented(man, "*" + it.key() + "*") ||
                               documented(man, "\"" + it.key() + "\"")),
                              what << " key " << it.key());
        };
        auto history = sb.json({"job", "history", "k"});
        REQUIRE(history.size() == 1);
        check_keys(history[0], "execution");
        auto stats = sb.json({"job", "stats", "k"});
        check_keys(stats, "stats");
        check_keys(stats["trend"], "trend");
        check_keys(stats["trend"]["last_7_days"], "trend window");
        check_keys(stats["trend"]["previous_7_days"], "trend window");
        REQUIRE(stats["top_errors"].size() == 1);
        check_keys(stats["top_errors"][0], "top error");
        auto all = sb.json({"job", "stats"});
        check_keys(all, "stats of all jobs");
        check_keys(all["summary"], "summary");
        check_keys(all["summary"]["today"], "summary today");
        REQUIRE(all["summary"]["next_runs"].size() == 1);
        check_keys(all["summary"]["next_runs"][0], "summary next run");
        auto output = sb.json({"job", "output", history[0]["execution_id"].dump()});
        check_keys(output, "job output");
        check_keys(output["stdout"], "job output stdout");
        auto dry = sb.json({"job", "run", "k", "--dry-run"});
        check_keys(dry, "dry run");
        REQUIRE(dry["checks"].size() >= 1);
        check_keys(dry["checks"][0], "dry-run check");
    }

    TEST_CASE("exit codes and environment variables are in the man page") {
        auto man = man_source();
        for (const char* code : {"*0*", "*1*", "*2*", "*3*", "*4*", "*5*"})
            CHECK_MESSAGE(man.find(code) != std::string::npos, code);
        for (const char* var :
             {"SCHEDULE_STORE", "SCHEDULE_NOW", "TZ", "XDG_STATE_HOME", "HOME", "NO_COLOR"})
            CHECK_MESSAGE(documented(man, std::string("*") + var + "*"), var);
    }

    TEST_CASE("the rendered man page has no groff warnings") {
        Sandbox sb;
        auto r = sb.run_program({"groff", "-man", "-ww", "-z", SCHEDULE_MANPAGE});
        CHECK(r.exit_code == 0);
        CHECK(r.err == "");
        auto man = sb.run_program({"man", "-l", SCHEDULE_MANPAGE});
        CHECK(man.exit_code == 0);
        CHECK(man.out.find("EXIT STATUS") != std::string::npos);
    }

    TEST_CASE("--help works on every level and --version prints the version") {
        Sandbox sb;
        auto ref = reference(sb);
        auto top = sb.run({"--help"});
        CHECK(top.exit_code == 0);
        CHECK(top.out.find("Usage: schedule") != std::string::npos);
        for (const auto& c : ref.commands) {
            std::vector<std::string> args;
            std::istringstream words(c);
            std::string w;
            while (words >> w)
                args.push_back(w);
            args.push_back("--help");
            auto r = sb.run(args);
            CHECK_MESSAGE(r.exit_code == 0, c);
            CHECK_MESSAGE(r.out.find("Usage: schedule " + c) != std::string::npos, c);
        }
        auto v = sb.run({"--version"});
        CHECK(v.exit_code == 0);
        CHECK(v.out.rfind("schedule ", 0) == 0);
        CHECK(sb.run({}).exit_code == 2);
    }
}
