#pragma once
// Crontabs as Debian's cron reads them (crontab(5)), for `schedule import
// crontab` (schedule(1), IMPORT): the lines that become jobs, the
// environment lines in force for each, the `%` input of a command, a job
// name for each line, and the job spec the job builder turns into a job.
// Text in, data out: no file is read here (a CRON_TZ zone is looked up in
// the tz database, as the builder does).

#include <schedule/model/job.hpp>
#include <schedule/model/job_builder.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::model {

// A user crontab (`crontab -l`: five time fields or a @macro, then the
// command) or a system one (/etc/crontab, /etc/cron.d/*: a user column
// before the command).
enum class CrontabKind { user, system };

// Whether cron reads the file at `path` (absolute, without `.` or `..`)
// as a system crontab: /etc/crontab and the files in /etc/cron.d.
bool is_system_crontab(std::string_view path);

// One job line, as cron would run it.
struct CrontabEntry {
    int line = 0;                    // from 1
    std::string schedule;            // the five time fields joined by one space, or "@daily"
    std::optional<std::string> user; // the user column (system crontabs)
    // What cron gives `/bin/sh -c`: the text before the first unescaped
    // `%`, with `\%` and `\\` made `%` and `\`.
    std::string command;
    // What cron writes to the command's stdin: the text after that `%`,
    // each further unescaped `%` a newline, `\%` a `%`, and a newline
    // added unless the text already ends with one. Absent when there is
    // no `%` or nothing after it (stdin is then empty).
    std::optional<std::string> input;
    // The variables the lines before it set (the last assignment of each
    // name), sorted by name; CRON_TZ, MAILTO and SHELL are not among them.
    std::vector<EnvVar> env;
    std::optional<std::string> timezone; // CRON_TZ in force
};

// A line cron would refuse or schedule cannot carry (an error), or
// something it does not carry over (a warning). `message` starts with
// "line N: ".
struct CrontabProblem {
    int line = 0;
    std::string message;
    std::string hint;
    friend bool operator==(const CrontabProblem&, const CrontabProblem&) = default;
};

struct Crontab {
    std::vector<CrontabEntry> entries;
    std::vector<CrontabProblem> errors;   // in line order
    std::vector<CrontabProblem> warnings; // in line order
};

// Reads a crontab. Blank lines and lines whose first non-blank character
// is `#` are skipped; `NAME=value` lines (spaces around `=` allowed, the
// value optionally in matching ' or ", trailing blanks dropped as Debian's
// cron drops them, an empty value only quoted) apply to the lines after
// them; every other line is a job line. A job line after an environment
// line that is in error is in error too. The schedule text is not checked
// here: the job builder does that.
Crontab parse_crontab(std::string_view text, CrontabKind kind);

// The command and stdin cron makes of a job line's command text (see
// CrontabEntry::command and ::input).
struct CrontabCommand {
    std::string command;
    std::optional<std::string> input;
};
CrontabCommand split_crontab_command(std::string_view text);

// A command that runs `schedule ... tick` (not a dry run), as a crontab
// line or a unit's ExecStart= would: the words are split at blanks and at
// the shell's ; & | ( ), quotes dropped; a word whose base name is
// `schedule`, then global flags, then `tick`. The store it names with
// --store, and a SCHEDULE_STORE=... assignment in front of it.
struct TickCall {
    std::optional<std::string> store_flag;
    std::optional<std::string> store_env;
};
std::optional<TickCall> find_tick_call(std::string_view command);

// A command for `/bin/sh -c` that runs `command` with exactly `input` on
// its stdin, as cron would: `command` itself without input; else
// `exec /bin/sh -c 'COMMAND' <<'CRONTAB_INPUT'` followed by the input as a
// here-document (whose delimiter no line of the input equals); and when
// the input does not end with a newline (cron's one case: it ends in a
// backslash that follows a newline, or is one backslash) `printf '%s'
// 'INPUT' | exec /bin/sh -c 'COMMAND'`.
std::string command_with_input(std::string_view command, const std::optional<std::string>& input);

// The name a command's job gets: the base name of its first word, then a
// dash and the base name of its first argument that is not an option
// ("/usr/local/bin/backup.sh" -> "backup-sh", "run-parts --report
// /etc/cron.daily" -> "run-parts-cron-daily"). The words are those of the
// first simple command that is not a guard (`test`, `[`, `[[`, `cd`,
// `command -v`, `type`, `which`, `true`, `:`), after leading shell
// keywords (`{`, `if`, `then`, `exec`, ...), variable assignments and
// redirections. Only ASCII letters, digits, `_` and `-` are kept (other
// characters become `-`); at most 64 characters; "job" when nothing is
// left; a result of 8 hex digits gets "-job" appended. Always a valid job
// name.
std::string crontab_job_name(std::string_view command);

// The name `base` (from crontab_job_name()) with the suffix "-N" (N >= 2),
// shortened so that the whole stays within 64 characters.
std::string numbered_job_name(std::string_view base, int n);

// Names the fields of a crontab line in errors: "line 7" for the
// schedule (the cron parser's reason names the time field), "line 7:
// command", "line 7: CRON_TZ", "line 7: user", "line 7: environment".
class CrontabNamer final : public FieldNamer {
public:
    explicit CrontabNamer(int line) : m_line(line) {}
    std::string name(Field f) const override;
    std::string mention(Field f) const override;
    // The fields a crontab does not give are changed with `job update`:
    // hints name its flags.
    std::string setting(Field f, std::string_view value) const override;
    std::string clearing(Field f) const override;

private:
    int m_line;
};

// The job an entry defines: its schedule as --cron, its command (with
// its input, command_with_input()), CRON_TZ as the zone, its variables as
// --env, HOME (when absolute) as --working-dir since cron starts jobs in
// $HOME, the user column (or `run_as`) as --run-as, the tag
// imported=crontab, and "imported from SOURCE, line N" as description.
// The name is crontab_job_name(): the caller makes it unique.
JobSpec crontab_job_spec(const CrontabEntry& entry, std::string_view source,
                         const std::optional<std::string>& run_as);

// --- the outcome of an import -------------------------------------------

// created: stored now; unchanged: a job with the same trigger, zone,
// command, environment and user was there already; would_create: what
// --dry-run would have created.
enum class ImportStatus { created, unchanged, would_create };
std::string_view to_string(ImportStatus s);

struct ImportedJob {
    int line = 0;
    ImportStatus status = ImportStatus::created;
    Job job; // as stored (unchanged: the job found); no id for would_create
};

struct CrontabImport {
    std::string source; // the file, or "-" for standard input
    bool dry_run = false;
    // Invalid lines were found and --skip-invalid was not given: nothing
    // was written and `jobs` is empty.
    bool refused = false;
    std::vector<ImportedJob> jobs;        // in line order
    std::vector<CrontabProblem> invalid;  // in line order
    std::vector<CrontabProblem> warnings; // in line order
};

} // namespace schedule::model
