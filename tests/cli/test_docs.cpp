// The man page and --help against the commands that exist: every command,
// flag, JSON key, exit code and environment variable is documented.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <sstream>

using schedule::test::lines_of;
using schedule::test::read_text;
using schedule::test::require_program;
using schedule::test::Sandbox;
using schedule::test::words_of;

namespace {
std::string man_source() {
    return read_text(std::string(SCHEDULE_SOURCE_DIR) + "/man/schedule.1.scd");
}

// The page's lines, those of literal blocks (```) left empty: a shell
// comment there is no section heading.
std::vector<std::string> man_lines() {
    auto lines = lines_of(man_source());
    bool literal = false;
    for (auto& line : lines) {
        const bool fence = line.rfind("```", 0) == 0;
        if (literal || fence)
            line.clear();
        if (fence)
            literal = !literal;
    }
    return lines;
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

// A line of the page as it reads once rendered: scdoc's '*' and '_' markup
// dropped, its backslash escapes resolved.
std::string plain(const std::string& line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size())
            out += line[++i];
        else if (line[i] != '*' && line[i] != '_')
            out += line[i];
    }
    return out;
}

// The lines of the section "# TITLE", up to the next "# " heading.
std::vector<std::string> section(const std::vector<std::string>& page, const std::string& title) {
    std::vector<std::string> out;
    bool in = false;
    for (const auto& line : page) {
        if (line.rfind("# ", 0) == 0)
            in = line == "# " + title;
        else if (in)
            out.push_back(line);
    }
    return out;
}

// Whether `text` is the plain text of a heading of the item documenting
// `command`: the command, then its operands and flags, if any.
bool names_command(const std::string& text, const std::string& command) {
    return text == command || text.rfind(command + " ", 0) == 0;
}

// An item heading: a line at the left margin whose description follows,
// indented, on the next line ("*job run* _JOB_ [*--detach*]").
bool item_heading(const std::vector<std::string>& page, std::size_t i) {
    return !page[i].empty() && page[i][0] == '*' && i + 1 < page.size() &&
           page[i + 1].rfind('\t', 0) == 0;
}

// The lines that document `command`: from each heading of its item to the
// next item heading of any command, or the next section or subsection.
std::vector<std::string> command_text(const std::vector<std::string>& page,
                                      const std::vector<std::string>& commands,
                                      const std::string& command) {
    std::vector<std::string> out;
    bool in = false;
    for (std::size_t i = 0; i < page.size(); ++i) {
        const bool heading = item_heading(page, i);
        if (page[i].rfind("#", 0) == 0)
            in = false;
        else if (heading && names_command(plain(page[i]), command))
            in = true;
        else if (heading && std::any_of(commands.begin(), commands.end(), [&](const auto& c) {
                     return names_command(plain(page[i]), c);
                 }))
            in = false;
        if (in)
            out.push_back(page[i]);
    }
    return out;
}

// Whether `lines` name `flag` as a flag: not as part of a longer word
// ("-f" in "--from", "--force" in "--force-x").
bool mentions_flag(const std::vector<std::string>& lines, const std::string& flag) {
    auto word_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    };
    for (const auto& line : lines)
        for (auto at = line.find(flag); at != std::string::npos; at = line.find(flag, at + 1)) {
            const auto end = at + flag.size();
            if ((at == 0 || !word_char(line[at - 1])) &&
                (end == line.size() || !word_char(line[end])))
                return true;
        }
    return false;
}

// The words of a SYNOPSIS line, optional parts ("[...]") left out:
// "schedule", the command's words, its operands.
std::vector<std::string> synopsis_words(const std::string& line) {
    std::string text;
    int depth = 0;
    for (char c : plain(line)) {
        if (c == '[')
            ++depth;
        else if (c == ']')
            depth = std::max(0, depth - 1);
        else if (depth == 0)
            text += c == '|' ? ' ' : c;
    }
    return words_of(text);
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
        const auto page = man_lines();
        const auto synopsis = section(page, "SYNOPSIS");
        REQUIRE(!synopsis.empty());
        auto is_group = [&](const std::string& c) {
            return std::any_of(ref.commands.begin(), ref.commands.end(),
                               [&](const auto& other) { return other.rfind(c + " ", 0) == 0; });
        };
        for (const auto& c : ref.commands) {
            // In the SYNOPSIS: a line "schedule COMMAND ...", naming a
            // command of a group after the group ("config list|backup").
            const auto words = words_of(c);
            CHECK_MESSAGE(
                std::any_of(synopsis.begin(), synopsis.end(),
                            [&](const std::string& line) {
                                auto w = synopsis_words(line);
                                if (w.size() < 2 || w[0] != "schedule" || w[1] != words[0])
                                    return false;
                                return std::all_of(
                                    words.begin() + 1, words.end(), [&](const auto& x) {
                                        return std::find(w.begin() + 2, w.end(), x) != w.end();
                                    });
                            }),
                "command " << c << " has no SYNOPSIS line");
            // Each command that runs (not a group) is an item of its own.
            if (!is_group(c))
                CHECK_MESSAGE(!command_text(page, ref.commands, c).empty(),
                              "command " << c << " has no item heading");
        }
        const auto global = section(page, "GLOBAL FLAGS");
        const auto field_flags = section(page, "JOB FIELD FLAGS");
        REQUIRE(!global.empty());
        REQUIRE(!field_flags.empty());
        for (const auto& [cmd, flag] : ref.flags) {
            if (flag == "--help" || flag == "-h")
                continue; // GLOBAL FLAGS: every command has it
            std::vector<std::string> where = global;
            if (cmd != "global") {
                where = command_text(page, ref.commands, cmd);
                if (cmd == "job create" || cmd == "job update")
                    where.insert(where.end(), field_flags.begin(), field_flags.end());
            }
            CHECK_MESSAGE(mentions_flag(where, flag),
                          "flag " << flag << " of " << cmd << " is not in its section");
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

    TEST_CASE("man at 80 columns renders the page without a warning") {
        Sandbox sb;
        require_program(sb, "man", "man-db");
        auto r = sb.run_program({"sh", "-c", "MANWIDTH=80 man --warnings -l \"$1\" >/dev/null",
                                 "sh", SCHEDULE_MANPAGE});
        CHECK(r.exit_code == 0);
        CHECK(r.err == "");
    }

    TEST_CASE("man at 80 columns fits the page in 80 columns") {
        // Literal blocks are not filled: groff does not warn when one of
        // their lines runs past the edge.
        Sandbox sb;
        require_program(sb, "man", "man-db");
        auto r = sb.run_program({"sh", "-c", "MANWIDTH=80 man -l \"$1\"", "sh", SCHEDULE_MANPAGE});
        REQUIRE(r.exit_code == 0);
        for (const auto& line : lines_of(r.out)) {
            // Columns are characters: count the bytes that start one.
            auto columns = std::count_if(line.begin(), line.end(), [](char c) {
                return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
            });
            CHECK_MESSAGE(columns <= 80, line);
        }
    }

    TEST_CASE("--help works on every level and --version prints the version") {
        Sandbox sb;
        auto ref = reference(sb);
        auto top = sb.run({"--help"});
        CHECK(top.exit_code == 0);
        CHECK(top.out.find("Usage: schedule") != std::string::npos);
        for (const auto& c : ref.commands) {
            auto args = words_of(c);
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
