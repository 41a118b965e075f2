#pragma once
// Drives the real `schedule` binary for the CLI suites. Each Sandbox is a
// fresh temporary directory with its own store, HOME and a fixed clock
// (SCHEDULE_NOW), removed when the sandbox goes out of scope.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schedule::test {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

class Sandbox {
public:
    Sandbox();
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    const std::filesystem::path& dir() const { return m_dir; }
    std::filesystem::path store() const { return m_dir / "state" / "schedule.db"; }

    // Environment of every run; starts with SCHEDULE_STORE, SCHEDULE_NOW,
    // TZ=UTC, HOME, PATH and LANG. Set a value to nullopt to unset it.
    std::map<std::string, std::optional<std::string>> env;

    // Runs `schedule ARGS...` with stdin from `input` (not a terminal).
    RunResult run(const std::vector<std::string>& args, const std::string& input = "") const;

    // Runs `schedule ARGS...` on a pseudo-terminal, typing `input`; stdout
    // and stderr arrive together in `out`.
    RunResult run_tty(const std::vector<std::string>& args, const std::string& input = "") const;

    // Runs any program (argv[0] looked up in PATH) with this environment.
    RunResult run_program(const std::vector<std::string>& argv,
                          const std::string& input = "") const;

    // `sqlite3 STORE .dump`: the store's full contents, for before/after
    // comparisons. Empty when the store file does not exist.
    std::string dump() const;

    // Runs and requires exit 0; returns stdout.
    std::string ok(const std::vector<std::string>& args) const;
    // Runs with --format json, requires exit 0 and parses stdout.
    nlohmann::json json(std::vector<std::string> args) const;

private:
    std::filesystem::path m_dir;
    std::vector<std::string> environ_strings() const;
};

// The lines of `text`, without their newlines.
std::vector<std::string> lines_of(const std::string& text);

// The words of `text`, split on white space.
std::vector<std::string> words_of(const std::string& text);

// The whole content of a file; fails the test when it cannot be read.
std::string read_text(const std::filesystem::path& path);

// Fails the test, naming the Debian package to install, when `program` is
// not in the sandbox's PATH: a judge that cannot run must not let a check
// pass.
void require_program(const Sandbox& sb, const std::string& program, const std::string& package);

// Path of the schedule binary under test.
std::string binary();

using Args = std::vector<std::string>;
Args concat(Args a, const Args& b);

// Whether `part` occurs in `text`.
bool contains(const std::string& text, const std::string& part);

// The uid and gid of `nobody`, the other user of the suites that run as
// root.
constexpr unsigned k_nobody = 65534;

// The words that run a program as nobody (its uid and gid, no
// supplementary groups): `setpriv ... PROGRAM ARGS...` (tests as root).
Args as_nobody(const Args& argv);

// A directory `name` in the sandbox owned by nobody, the sandbox's own
// directory opened for it to reach (tests as root).
std::filesystem::path nobody_dir(const Sandbox& sb, const std::string& name);

// Checks a refusal's stderr: exactly one line starting "schedule: error: ",
// no other control characters (a name with a newline must not split the
// message), and containing `names` (the flag or key the error is about).
void check_error_line(const RunResult& r, const std::string& names = "");

} // namespace schedule::test
