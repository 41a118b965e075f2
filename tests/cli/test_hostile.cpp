// Hostile input through the real binary: a representative hostile value
// for each flag of `job create` and `job update` (escapes, bytes that are
// not UTF-8, bidirectional overrides, numbers past their limits, 100 KiB
// words, SQL), and hostile documents for `config restore`, `apply` and
// `import crontab` (NUL bytes, nesting 10,000 deep, broken UTF-8, 1 MiB
// values). Each is refused with exit 2 in `schedule: error: ...` lines
// that name the field and hold no control character, nothing on stdout,
// and the store byte-identical (`sqlite3 .dump`). The unit tables
// (tests/unit/*/test_hostile.cpp) try every parser with many more.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::lines_of;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// A store holding two command jobs, "alpha" and "beta".
void seed(const Sandbox& sb) {
    sb.ok({"job", "create", "--name", "alpha", "--command", "true", "--cron", "0 3 * * *"});
    sb.ok({"job", "create", "--name", "beta", "--command", "echo hi", "--tag", "team=infra"});
}

std::string repeated(const std::string& unit, std::size_t bytes) {
    std::string out;
    while (out.size() < bytes)
        out += unit;
    return out;
}

// An argument's limit is 128 KiB (MAX_ARG_STRLEN): huge words are 100 KiB.
const std::size_t k_big = 100 * 1024;

struct FlagCase {
    const char* what;
    Args args;
    const char* names; // what the error line must contain: the flag
};

// A hostile value for each flag that takes one; the args come after
// `job create --name fresh --command true` or `job update alpha`.
const std::vector<FlagCase>& flag_cases() {
    static const std::vector<FlagCase> k_cases = {
        {"a name with a terminal escape", {"--name", "a\x1b[31mb"}, "--name"},
        {"a description of 100 KiB", {"--description", std::string(k_big, 'd')}, "--description"},
        {"a cron step of 100 KiB of digits",
         {"--cron", "*/" + std::string(k_big, '9') + " * * * *"},
         "--cron"},
        {"a cron field with an override",
         {"--cron", "0 \xe2\x80\xae"
                    "3 * * *"},
         "--cron"},
        {"an every whose unit is an override", {"--every", "1\xe2\x80\xae"}, "--every"},
        {"an anchor in month 13", {"--every", "15m", "--anchor", "2026-13-01"}, "--anchor"},
        {"a daily time with an escape", {"--daily", "9\x1b:00"}, "--daily"},
        {"a weekly day that is not UTF-8", {"--weekly", "MON\xff@09:00"}, "--weekly"},
        {"a monthly list of 100 KiB",
         {"--monthly", repeated("1,", k_big) + "1@09:00"},
         "--monthly"},
        {"an at past the end by its offset", {"--at", "9999-12-31T23:59:59-18:00"}, "--at"},
        {"an at with a bell", {"--at", "2026-12-25T10:00\x07"}, "--at"},
        {"an after of a job that is an escape", {"--after", "\x1b[2J:completed"}, "--after"},
        {"a dependency timeout of 1e400",
         {"--depends-on", "alpha:completed:1e400"},
         "--depends-on"},
        {"a conflict with bytes that are not UTF-8",
         {"--conflicts-with", "\xff\xfe"},
         "--conflicts-with"},
        {"a jitter of int64 max", {"--jitter", "9223372036854775807"}, "--jitter"},
        {"a DST gap in fullwidth letters",
         {"--dst-gap", "\xef\xbc\xb2\xef\xbc\xb5\xef\xbc\xae"},
         "--dst-gap"},
        {"a DST overlap with a carriage return", {"--dst-overlap", "once\r"}, "--dst-overlap"},
        {"a start date in 1969", {"--start-date", "1969-12-31T23:59:59Z"}, "--start-date"},
        {"an end date with SQL", {"--end-date", "2026-12-25'; DROP TABLE jobs; --"}, "--end-date"},
        {"a window zone outside the database",
         {"--window", "Mon-Fri 09:00-17:00 ../../../etc/passwd"},
         "--window"},
        {"a window's days with an escape", {"--window", "Mo\x1b[2Jn 09:00-17:00"}, "--window"},
        {"an outside-window of SQL",
         {"--outside-window", "'; DROP TABLE jobs; --"},
         "--outside-window"},
        {"a command of 100 KiB", {"--command", std::string(k_big, 'c')}, "--command"},
        {"a task type with an overlong slash",
         {"--task-type", "rep\xc0\xaf"
                         "ort"},
         "--task-type"},
        {"a task config with an escape and broken UTF-8",
         {"--task-type", "report", "--task-config", "{\"a\": \x1b\xf0\x9f}"},
         "--task-config"},
        {"a priority of int64 max + 1", {"--priority", "9223372036854775808"}, "--priority"},
        {"an owner with a C1 control",
         {"--owner", "\xc2\x9b"
                     "31m"},
         "--owner"},
        {"a tag value of 300 characters", {"--tag", "k=" + std::string(300, 'v')}, "--tag"},
        {"a zone that is a path", {"--tz", "../../../../etc/localtime"}, "--tz"},
        {"a timeout of int64 min", {"--timeout", "-9223372036854775808"}, "--timeout"},
        {"an environment value that is not UTF-8", {"--env", "A=\xff"}, "--env"},
        {"an environment name of 100 KiB", {"--env", std::string(k_big, 'N') + "=1"}, "--env"},
        {"a relative working directory with an escape",
         {"--working-dir", "tmp\x1b[2J"},
         "--working-dir"},
        {"a user with shell text", {"--run-as", "root; rm -rf /"}, "--run-as"},
        {"a kill grace of 1e400", {"--kill-grace", "1e400"}, "--kill-grace"},
        {"an overlap of NaN", {"--overlap", "NaN"}, "--overlap"},
        {"max instances in hex",
         {"--overlap", "allow", "--max-instances", "0x10"},
         "--max-instances"},
        {"a catch-up of a format string", {"--catchup", "%s%n{}"}, "--catchup"},
        {"a misfire grace of zero", {"--misfire-grace", "0"}, "--misfire-grace"},
        {"max executions with a plus sign", {"--max-executions", "+5"}, "--max-executions"},
        {"max attempts as a fraction", {"--max-attempts", "1.5"}, "--max-attempts"},
        {"a retry delay of minus one", {"--retry-delay", "-1"}, "--retry-delay"},
        {"a retry maximum of 2^64",
         {"--retry-max-delay", "18446744073709551616"},
         "--retry-max-delay"},
        {"a backoff behind an override",
         {"--backoff", "\xe2\x80\xae"
                       "exponential"},
         "--backoff"},
        {"retry-on with an escape", {"--retry-on", "exit:256,\x1b"}, "--retry-on"},
        {"a failure hook of 100 KiB", {"--on-failure", std::string(k_big, 'f')}, "--on-failure"},
        {"a retry hook of tabs and newlines", {"--on-retry", "\t\n"}, "--on-retry"},
        {"an empty success hook", {"--on-success", ""}, "--on-success"},
    };
    return k_cases;
}

std::string shown(const Args& args) {
    std::string s;
    for (const auto& a : args)
        s += "[" + a.substr(0, 80) + "] ";
    return s;
}

// Runs `args` (with `input` on stdin), expecting exit 2, only error lines
// on stderr (exactly one unless `several_lines`), the first naming
// `names`, less than 4 KiB of them, nothing on stdout and the store as it
// was.
void check_refused(const Sandbox& sb, const Args& args, const std::string& names,
                   const std::string& input = "", bool several_lines = false) {
    const std::string before = sb.dump();
    REQUIRE_FALSE(before.empty());
    auto r = sb.run(args, input);
    INFO("args: " << shown(args));
    INFO("stdout: " << r.out.substr(0, 300));
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    // Short, however long the value: a message shows a long one's start.
    CHECK(r.err.size() < 4096);
    if (several_lines) {
        const auto lines = lines_of(r.err);
        REQUIRE_FALSE(lines.empty());
        for (const auto& line : lines) {
            RunResult one{r.exit_code, "", line + "\n"};
            check_error_line(one);
        }
        CHECK(lines.front().find(names) != std::string::npos);
    } else {
        check_error_line(r, names);
    }
    CHECK(sb.dump() == before);
}

// A backup of a store with one job, as `config backup` writes it.
std::string backup_of_one_job() {
    Sandbox source;
    source.ok({"job", "create", "--name", "solo", "--command", "true", "--cron", "0 3 * * *"});
    const auto path = source.dir() / "backup.json";
    source.ok({"config", "backup", "--output", path.string()});
    return schedule::test::read_text(path);
}

// `text` with its first `from` replaced by `to`.
std::string with(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

struct DocumentCase {
    const char* what;
    std::string text;
    const char* names;
    bool apply = true; // apply refuses it too (it reads only a backup's jobs)
};

} // namespace

TEST_SUITE("cli::hostile") {

    TEST_CASE("job create: a hostile value for each flag, refused in one line naming it") {
        Sandbox sb;
        seed(sb);
        for (const auto& c : flag_cases()) {
            INFO("case: " << std::string(c.what));
            Args args = {"job", "create", "--name", "fresh"};
            const bool runs_task =
                std::find(c.args.begin(), c.args.end(), "--task-type") != c.args.end();
            if (!runs_task && c.args.front() != "--command")
                args = concat(args, {"--command", "true"});
            if (c.args.front() == "--name")
                args = {"job", "create", "--command", "true"};
            check_refused(sb, concat(args, c.args), c.names);
        }
        MESSAGE(flag_cases().size() << " hostile values of job create's flags tried");
    }

    TEST_CASE("job update: a hostile value for each flag, refused in one line naming it") {
        Sandbox sb;
        seed(sb);
        std::size_t n = 0;
        for (const auto& c : flag_cases()) {
            INFO("case: " << std::string(c.what));
            check_refused(sb, concat({"job", "update", "alpha"}, c.args), c.names);
            ++n;
        }
        for (const auto& enabled : {"yes\x1b[31m",
                                    "\xe2\x80\xae"
                                    "true",
                                    "9223372036854775808"}) {
            check_refused(sb, {"job", "update", "alpha", "--enabled", enabled}, "--enabled");
            ++n;
        }
        MESSAGE(n << " hostile values of job update's flags tried");
    }

    TEST_CASE("config restore, apply: hostile documents, refused in one line naming the place") {
        Sandbox sb;
        seed(sb);
        const auto good = backup_of_one_job();
        const std::string deep = repeated("[", 10000) + repeated("]", 10000);
        const std::vector<DocumentCase> documents = {
            {"a NUL byte inside", good.substr(0, 30) + std::string(1, '\0') + good.substr(30),
             "document: not valid JSON: a NUL byte"},
            {"nesting 10,000 levels deep", "{\"jobs\": " + deep + "}", "nested more than 64"},
            {"bytes that are not UTF-8", with(good, "\"solo\"", "\"so\xff\xfelo\""),
             "document: not valid JSON"},
            {"a string of 1 MiB left open", "{\"jobs\": [\"" + repeated("x", 1 << 20),
             "document: not valid JSON"},
            {"a job name with an escape", with(good, "\"solo\"", "\"so\\u001b[2Jlo\""),
             "jobs[0].name"},
            {"a cron field of 1 MiB",
             with(good, "\"0 3 * * *\"}", "\"" + repeated("0,", 1 << 20) + "0 3 * * *\"}"),
             "jobs[0].trigger.expression"},
            {"a timeout of 1e400",
             with(good, "\"timeout_seconds\":null", "\"timeout_seconds\":1e400"),
             "document: not valid JSON: number overflow"},
            {"a priority of 2^64",
             with(good, "\"priority\":50", "\"priority\":18446744073709551616"),
             "jobs[0].priority"},
            {"an environment value that is not UTF-8 as an escape",
             with(good, "\"env\":{}", "\"env\":{\"A\":\"\\udcff\"}"), "document: not valid JSON"},
            {"a version of 1 MiB",
             with(good, "\"version\": 1", "\"version\": \"" + repeated("v", 1 << 20) + "\""),
             "version: this build reads version 1, not \"vvv"},
            {"an unknown key with an escape", with(good, "\"host\"", "\"\\u001b[2J\": 1, \"host\""),
             "unknown key", true},
            {"SQL as the job id",
             with(good, "\"job_id\":\"", "\"job_id\":\"'; DROP TABLE jobs; --"), "jobs[0].job_id",
             false},
        };
        std::size_t n = 0;
        for (const auto& d : documents) {
            INFO("case: " << std::string(d.what));
            check_refused(sb, {"config", "restore", "--input", "-", "--force", "--prune"}, d.names,
                          d.text);
            ++n;
            if (d.apply) {
                check_refused(sb, {"apply", "-f", "-", "--prune"}, d.names, d.text);
                ++n;
            }
        }
        MESSAGE(n << " hostile documents tried with restore and apply");
    }

    TEST_CASE("import crontab: hostile crontabs, refused with each line named") {
        Sandbox sb;
        seed(sb);
        const std::vector<DocumentCase> crontabs = {
            {"a NUL byte in a line", std::string("0 0 * * * tr\0ue\n", 15),
             "line 1: contains a NUL byte"},
            {"DOS line ends", "0 0 * * * true\r\n", "line 1: ends with a carriage return"},
            {"an escape in the minute field", "0\x1b[2J 0 * * * true\n", "line 1: minute field"},
            {"an override in the hour field",
             "0 \xe2\x80\xae"
             "3 * * * true\n",
             "line 1: hour field"},
            {"a minute field of 1 MiB", repeated("0,", 1 << 20) + "0 * * * * true\n",
             "line 1: a time field longer than 256 bytes"},
            {"an environment value that is not UTF-8", "A=caf\xe9\n0 0 * * * true\n",
             "line 1: environment: \"A\": the value must be valid UTF-8"},
            {"a CRON_TZ that is a path", "CRON_TZ=../../../etc/passwd\n0 0 * * * true\n",
             "line 1: CRON_TZ"},
            {"a SCHEDULE_ variable", "SCHEDULE_JOB_ID=x\n0 0 * * * true\n", "line 1: environment"},
            {"a command of 100 KiB", "0 0 * * * " + std::string(k_big, 'c') + "\n",
             "line 1: command"},
            {"six fields", "0 0 0 * * * true\n", "line 1: '*' after the time fields"},
            {"a byte order mark",
             "\xef\xbb\xbf"
             "0 0 * * * true\n",
             "line 1: minute field"},
        };
        for (const auto& c : crontabs) {
            INFO("case: " << std::string(c.what));
            check_refused(sb, {"import", "crontab", "-"}, c.names, c.text, true);
        }
        // A system crontab's user column.
        check_refused(sb, {"import", "crontab", "--system", "-"}, "line 1: user",
                      "0 0 * * * -rf\x1b[2J true\n", true);
        MESSAGE((crontabs.size() + 1) << " hostile crontabs tried");
    }
}
