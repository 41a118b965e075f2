#pragma once
// What the three targets of `schedule export` share: how a job fires in
// their terms, the shell text its run amounts to, and the notes every
// target makes. Internal to format/export*.cpp.

#include <schedule/cron/expression.hpp>
#include <schedule/format/export.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::format::detail {

// How a job fires, in the terms of the targets.
struct When {
    enum class Kind {
        calendar, // cron fields in `zone`
        reboot,
        once,     // --at
        interval, // an --every grid that no calendar expresses
        manual,
        after, // when another job's run ends
    };
    Kind kind = Kind::manual;
    cron::Expression expr; // calendar
    std::string cron_text; // calendar: the job's own expression, or the --every grid in UTC
    std::string zone;      // calendar: the IANA zone its fields are read in
    bool from_every = false;
    std::optional<time::Instant> at; // once
    time::Duration every{0};         // interval
};
When when_of(const model::Job& job);

// The shell text a run of the job amounts to, for /bin/sh -c: its command,
// or for a task job its task config piped into its handler; nullopt for a
// task type without a handler.
std::optional<std::string> shell_script(const model::Job& job, const ExportOptions& o);

// `s` single-quoted for /bin/sh.
std::string sh_quote(std::string_view s);

// A job's notes, and whether it is left out.
struct Notes {
    std::vector<std::string> items;
    bool left_out = false;
    void add(std::string note) { items.push_back(std::move(note)); }
    // Leaves the job out; the reason comes first.
    void leave_out(const std::string& why) {
        left_out = true;
        items.insert(items.begin(), std::string(k_not_exported) + why);
    }
};

// The notes every target makes: dates, --max-executions, an --every grid
// that starts later, notification hooks (`target` names the target:
// "cron", "systemd", ...).
void common_notes(const model::Job& job, const When& when, const ExportOptions& o,
                  std::string_view target, Notes& notes);

// The reason a job cannot be exported to a target without calendar time
// of its own (cron, Kubernetes), or nullopt when `when` is a calendar or
// @reboot (crontab only: `reboot_ok`).
std::optional<std::string> no_calendar(const When& when, bool reboot_ok);

// Which daylight-saving changes of its zone the calendar meets within two
// years after `now`: a minute it matches inside a spring-forward gap, or
// inside a repeated (fall-back) hour, on a day it matches.
struct DstMeeting {
    bool gap = false;
    bool overlap = false;
};
DstMeeting dst_meeting(const When& when, time::Instant now);

// Why a job is left out when its task type has no handler.
std::string no_handler(const model::Job& job);

// Whether the job is paused or finished: what its export says about that
// ("paused", "finished"), or nullopt when it fires.
std::optional<std::string> dormant(const model::Job& job);

// "--flag value" forms for notes.
std::string duration_text(time::Duration d);

// The command field of a crontab line that runs `script` with /bin/sh: the
// script itself, or, when it cannot stand in one line (control characters,
// bytes that are not UTF-8, a backslash before a `%`, white space at the
// end), `eval "$(printf '%b' '...')"` with those bytes and `\`, `'` and `%`
// as \0ooo escapes; then every `%` written `\%` (cron reads an unescaped
// `%` as the end of the command and the start of its stdin).
std::string crontab_command(std::string_view script);

// `s` as a double-quoted systemd string (systemd.syntax(7), Quoting) that
// systemd reads back as `s`: `"` and `\` escaped, control characters, C1
// controls, bidirectional controls and bytes that are not UTF-8 as \n, \t,
// \r or \xNN escapes, `%` as `%%` (a specifier otherwise), and with
// Expand::variables `$` as `$$` (ExecStart= expands variables).
enum class Expand { none, variables };
std::string systemd_quote(std::string_view s, Expand expand);

// Whether a tag's key and value can be a Kubernetes label: a key is a name
// of 1-63 of [A-Za-z0-9-_.] that starts and ends with a letter or digit,
// optionally after a DNS subdomain and '/'; a value is such a name or empty.
bool label_key(std::string_view key);
bool label_value(std::string_view value);

// Adds the job's notes to `out` when there are any.
void record(Export& out, const model::Job& job, Notes notes);

// The exporters: each appends its files to `out`, and the notes of each job.
void export_crontab(const std::vector<model::Job>& jobs, const ExportOptions& o, Export& out);
void export_systemd(const std::vector<model::Job>& jobs, const ExportOptions& o, Export& out);
void export_kubernetes(const std::vector<model::Job>& jobs, const ExportOptions& o, Export& out);

} // namespace schedule::format::detail
