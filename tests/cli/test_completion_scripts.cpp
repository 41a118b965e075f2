// The completion scripts of completions/ in the real shells: bash 5 with
// bash-completion loaded, and zsh with compinit on a pseudo-terminal. Each
// case types command lines and checks what is offered (the harnesses are
// in tests/completion/), and for bash what readline really inserts.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using schedule::test::Args;
using schedule::test::lines_of;
using schedule::test::Sandbox;
namespace fs = std::filesystem;

namespace {

using Lines = std::vector<std::string>;

const std::string k_source = SCHEDULE_SOURCE_DIR;

// A sandbox whose shells find the schedule under test first on PATH, with
// jobs in its store (one name with a space), another store, a handler,
// and a folder of files.
struct Fixture {
    Sandbox sb;
    std::string other; // another store
    std::string files; // a folder: jobs.json, my file.json, sub dir/
    std::string nightly_id;

    Fixture() {
        sb.env["PATH"] = fs::path(schedule::test::binary()).parent_path().string() +
                         ":/usr/local/bin:/usr/bin:/bin";
        // Ids are random hexadecimal: names that start with g-z are never
        // also matched by an id's prefix.
        nightly_id = sb.ok({"job", "create", "nightly", "--command", "true", "-q"});
        nightly_id.pop_back();
        sb.ok({"job", "create", "my job", "--command", "true"});
        sb.ok({"job", "create", "my jobs", "--command", "true"});
        sb.ok({"config", "set", "handlers.python", "/usr/bin/python3"});
        other = (sb.dir() / "other.db").string();
        sb.ok({"--store", other, "job", "create", "offsite", "--command", "true"});
        files = (sb.dir() / "files").string();
        fs::create_directories(files + "/sub dir");
        std::ofstream(files + "/jobs.json") << "{}\n";
        std::ofstream(files + "/my file.json") << "{}\n";
    }
};

// Feeds `lines` to a harness (ARGV) and splits its answer at `<<END>>`.
std::vector<Lines> run_harness(const Sandbox& sb, const Args& argv, const Lines& lines) {
    std::string input;
    for (const auto& l : lines)
        input += l + "\n";
    auto r = sb.run_program(argv, input);
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    std::vector<Lines> out(1);
    for (const auto& line : lines_of(r.out)) {
        if (line == "<<END>>")
            out.emplace_back();
        else
            out.back().push_back(line);
    }
    out.pop_back();
    REQUIRE(out.size() == lines.size());
    return out;
}

// What bash (with bash-completion) offers for each line: COMPREPLY, sorted.
std::vector<Lines> bash_offers(const Sandbox& sb, const Lines& lines) {
    return run_harness(sb,
                       {"timeout", "20", "bash", k_source + "/tests/completion/bash_complete.sh",
                        k_source + "/completions/schedule.bash"},
                       lines);
}

// What zsh offers for each line, as it would insert each match, sorted.
std::vector<Lines> zsh_offers(const Sandbox& sb, const Lines& lines) {
    return run_harness(sb,
                       {"timeout", "20", "zsh", "-f",
                        k_source + "/tests/completion/zsh_complete.zsh", k_source + "/completions"},
                       lines);
}

struct Case {
    std::string line;
    Lines bash;                    // sorted
    std::optional<Lines> zsh = {}; // when zsh shows it otherwise
};

void check_cases(const Sandbox& sb, const std::vector<Case>& cases, bool zsh) {
    Lines lines;
    for (const auto& c : cases)
        lines.push_back(c.line);
    auto got = zsh ? zsh_offers(sb, lines) : bash_offers(sb, lines);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        CAPTURE(cases[i].line);
        Lines expected = zsh && cases[i].zsh ? *cases[i].zsh : cases[i].bash;
        std::sort(expected.begin(), expected.end());
        CHECK(got[i] == expected);
    }
}

Lines sorted(Lines v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
}

// From `__reference`: the commands under `parent` ("" for the top level)
// and the long flags of `command` with the global ones.
Lines commands_under(const Sandbox& sb, const std::string& parent) {
    Lines out;
    for (const auto& line : lines_of(sb.ok({"__reference"}))) {
        if (!line.starts_with("command "))
            continue;
        auto path = line.substr(8);
        auto space = path.rfind(' ');
        if ((space == std::string::npos ? "" : path.substr(0, space)) == parent)
            out.push_back(space == std::string::npos ? path : path.substr(space + 1));
    }
    return sorted(out);
}

Lines long_flags(const Sandbox& sb, const std::string& command) {
    Lines out;
    for (const auto& line : lines_of(sb.ok({"__reference"}))) {
        auto flag = line.substr(line.rfind(' ') + 1);
        auto where = line.substr(5, line.size() - 5 - flag.size() - 1);
        bool above = where == "global" || command == where || command.starts_with(where + " ");
        if (line.starts_with("flag ") && above && flag.starts_with("--"))
            out.push_back(flag);
    }
    return sorted(out);
}

std::vector<Case> command_cases(const Sandbox& sb) {
    auto create_flags = long_flags(sb, "job create");
    REQUIRE(create_flags.size() > 40);
    return {
        {"schedule ", commands_under(sb, "")},
        {"schedule job ", commands_under(sb, "job")},
        {"schedule config ", commands_under(sb, "config")},
        {"schedule job cr", {"create"}},
        {"schedule job create --ov", {"--overlap"}},
        {"schedule job create --", create_flags},
        {"schedule --st", {"--store"}},
        {"schedule nosuch ", {}},
    };
}

std::vector<Case> value_cases() {
    return {
        {"schedule job create --overlap ", {"allow", "queue", "replace", "skip"}},
        {"schedule job update x --backoff f", {"fibonacci", "fixed"}},
        {"schedule job create --priority ", {"critical", "high", "low", "normal"}},
        {"schedule job stats --format ", {"json", "prometheus", "table"}},
        {"schedule config list -o ", {"csv", "json", "table"}},
        {"schedule export --to ", {"crontab", "kubernetes", "systemd"}},
        {"schedule job list --status ", {"active", "finished", "paused"}},
        {"schedule job history --status t", {"timed_out"}},
        {"schedule next '0 3 * * *' --tz Europe/Be",
         {"Europe/Belfast", "Europe/Belgrade", "Europe/Berlin"}},
        {"schedule job create --tz=Europe/Berl", {"Europe/Berlin"}},
        {"schedule config get log", {"log.file", "log.level"}},
        {"schedule config set log.level ", {"debug", "error", "info", "off", "trace", "warn"}},
        {"schedule job create --task-type ", {"python"}},
    };
}

std::vector<Case> store_cases(const Fixture& f) {
    const std::string& d = f.files;
    return {
        {"schedule job show ", {"my\\ job", "my\\ jobs", "nightly"}},
        {"schedule job show my\\ jobs", {"my\\ jobs"}},
        {"schedule job show \"my", {"my job", "my jobs"}},
        {"schedule job show " + f.nightly_id, {f.nightly_id}},
        {"schedule job run --store " + f.other + " ", {"offsite"}},
        {"schedule --store=" + f.other + " job pause o", {"offsite"}},
        {"schedule export --to crontab nightly my\\ ", {"my\\ job", "my\\ jobs"}},
        {"schedule config get handlers", {"handlers.", "handlers.python"}},
        {"schedule apply -f " + d + "/",
         {d + "/jobs.json", d + "/my file.json", d + "/sub dir"},
         Lines{d + "/jobs.json", d + "/my\\ file.json", d + "/sub\\ dir"}},
        {"schedule export --to systemd --output-dir " + d + "/",
         {d + "/sub dir"},
         Lines{d + "/sub\\ dir"}},
        {"schedule job create --run-as roo", {"root"}},
    };
}

} // namespace

TEST_SUITE("cli::completion scripts") {

    TEST_CASE("commands and flags, in bash and zsh") {
        Fixture f;
        SUBCASE("bash") {
            check_cases(f.sb, command_cases(f.sb), false);
        }
        SUBCASE("zsh") {
            check_cases(f.sb, command_cases(f.sb), true);
        }
    }

    TEST_CASE("values of flags and settings, in bash and zsh") {
        Fixture f;
        SUBCASE("bash") {
            check_cases(f.sb, value_cases(), false);
        }
        SUBCASE("zsh") {
            check_cases(f.sb, value_cases(), true);
        }
    }

    TEST_CASE("job names and ids from the store, files and users, in bash and zsh") {
        Fixture f;
        SUBCASE("bash") {
            check_cases(f.sb, store_cases(f), false);
        }
        SUBCASE("zsh") {
            check_cases(f.sb, store_cases(f), true);
        }
    }

    TEST_CASE("bash: readline inserts the completion quoted") {
        Fixture f;
        const std::string& d = f.files;
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"schedule job show ni", "schedule job show nightly "},
            {"schedule job show my", "schedule job show my\\ job"},
            {"schedule job show \"my jobs", "schedule job show \"my jobs\" "},
            {"schedule job show 'my jobs", "schedule job show 'my jobs' "},
            {"schedule job create --tz=Europe/Berl", "schedule job create --tz=Europe/Berlin "},
            {"schedule apply -f " + d + "/my", "schedule apply -f " + d + "/my\\ file.json "},
            {"schedule export --output-dir " + d + "/s",
             "schedule export --output-dir " + d + "/sub\\ dir/"},
            {"schedule config get handlers", "schedule config get handlers."},
            {"schedule config unset handlers.p", "schedule config unset handlers.python "},
        };
        std::string input;
        for (const auto& c : cases)
            input += c.first + "\n";
        auto r = f.sb.run_program({"timeout", "20", "zsh", "-f",
                                   k_source + "/tests/completion/bash_readline.zsh",
                                   k_source + "/completions/schedule.bash"},
                                  input);
        REQUIRE(r.exit_code == 0);
        auto got = lines_of(r.out);
        REQUIRE(got.size() == cases.size());
        for (std::size_t i = 0; i < cases.size(); ++i) {
            CAPTURE(cases[i].first);
            CHECK(got[i] == "<<LINE>>" + cases[i].second);
        }
    }
}
