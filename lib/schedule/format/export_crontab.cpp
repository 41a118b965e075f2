// `schedule export --to crontab`: one crontab for cronie (schedule(1),
// EXPORT).

#include <schedule/format/export_detail.hpp>
#include <schedule/util/utf8.hpp>

#include <cstdio>

namespace schedule::format::detail {

namespace {

// Longer command fields are cut by some crons (Debian's reads 1000 bytes).
constexpr std::size_t k_long_line = 1000;

// Whether `script` can stand in a crontab line as it is (with `%` escaped):
// one line of UTF-8 without control characters other than tab, no
// backslash right before a `%` (cron would take that backslash as the
// escape) and no white space at the end (cron may drop it).
bool fits_a_line(std::string_view script) {
    if (!util::is_valid_utf8(script))
        return false;
    for (std::size_t i = 0; i < script.size(); ++i) {
        auto c = static_cast<unsigned char>(script[i]);
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return false;
        if (c == '\\' && i + 1 < script.size() && script[i + 1] == '%')
            return false;
    }
    const char last = script.empty() ? 'x' : script.back();
    return last != ' ' && last != '\t';
}

// `script` as the eval of a printf that writes it back: every byte that
// cannot stand in a line, and `\`, `'` and `%`, as a \0ooo escape of
// printf's %b.
std::string printf_encoded(std::string_view script) {
    std::string arg;
    for (std::size_t i = 0; i < script.size();) {
        char32_t cp;
        auto n = util::decode_utf8(script, i, cp);
        const bool plain =
            n > 1 || (n == 1 && cp >= 0x20 && cp != 0x7F && cp != '\\' && cp != '\'' && cp != '%');
        if (plain) {
            arg.append(script.substr(i, n));
            i += n;
            continue;
        }
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\0%03o", static_cast<unsigned char>(script[i]));
        arg += buf;
        ++i;
    }
    return "eval \"$(printf '%b' '" + arg + "')\"";
}

} // namespace

std::string crontab_command(std::string_view script) {
    std::string text = fits_a_line(script) ? std::string(script) : printf_encoded(script);
    std::string out;
    for (char c : text) {
        if (c == '%')
            out += '\\';
        out += c;
    }
    return out;
}

namespace {

// What cron cannot express of a job that it runs.
void cron_notes(const model::Job& job, const When& when, const ExportOptions& o, Notes& notes) {
    if (job.run_as)
        notes.add("--run-as " + *job.run_as +
                  ": cron runs a line as the crontab's owner (put it "
                  "in the crontab of " +
                  *job.run_as + ")");
    if (when.kind == When::Kind::calendar && when.zone != o.host_zone)
        notes.add("--tz " + when.zone + ": the line follows CRON_TZ=" + when.zone +
                  ", which cronie reads and Debian's cron ignores");
    if (job.timeout)
        notes.add("--timeout " + duration_text(*job.timeout) +
                  ": not expressed (cron has no "
                  "time limit)");
    if (job.overlap != model::Overlap::allow)
        notes.add("--overlap " + std::string(model::to_string(job.overlap)) +
                  ": cron starts a run while the last one runs");
    else if (job.max_instances)
        notes.add("--max-instances " + std::to_string(*job.max_instances) + ": not expressed");
    if (job.catchup != model::Catchup::none)
        notes.add("--catchup " + std::string(model::to_string(job.catchup)) +
                  ": cron does not run missed fires");
    if (job.max_attempts > 1)
        notes.add("--max-attempts " + std::to_string(job.max_attempts) + ": cron does not retry");
    if (job.jitter.count() > 0)
        notes.add("--jitter " + duration_text(job.jitter) + ": not expressed");
    if (when.kind == When::Kind::calendar && !when.expr.wildcard) {
        const auto dst = dst_meeting(when, o.now);
        if (dst.gap && job.dst_gap == model::DstGap::skip)
            notes.add("--dst-gap skip: cron runs a time in a skipped hour right after it");
        if (dst.overlap && job.dst_overlap == model::DstOverlap::twice)
            notes.add("--dst-overlap twice: cron runs a repeated time once");
    }
    common_notes(job, when, o, "cron", notes);
}

// The shell text of the line: the job's directory and environment, then
// its script.
std::string line_script(const model::Job& job, const std::string& script) {
    std::string s;
    if (job.working_dir)
        s += "cd " + sh_quote(*job.working_dir) + " || exit 1; ";
    if (!job.env.empty()) {
        s += "export";
        for (const auto& v : job.env)
            s += " " + v.name + "=" + sh_quote(v.value);
        s += "; ";
    }
    return s + script;
}

} // namespace

void export_crontab(const std::vector<model::Job>& jobs, const ExportOptions& o, Export& out) {
    std::string text = "# Jobs of schedule, exported with `schedule export --to crontab`.\n"
                       "# Lines of paused and finished jobs are commented out.\n"
                       "SHELL=/bin/sh\n"
                       "PATH=/usr/local/bin:/usr/bin:/bin\n";
    // The zone later lines are read in; empty when a commented-out CRON_TZ
    // line leaves it unclear, so that the next line names its zone again.
    std::string zone_in_force = o.host_zone;
    for (const auto& job : jobs) {
        Notes notes;
        const When when = when_of(job);
        auto script = shell_script(job, o);
        if (auto why = no_calendar(when, true))
            notes.leave_out(*why);
        else if (!script)
            notes.leave_out(no_handler(job));
        else
            cron_notes(job, when, o, notes);

        const auto state = dormant(job);
        std::string lines;
        if (!notes.left_out) {
            const std::string prefix = state ? "#" : "";
            if (when.kind == When::Kind::calendar &&
                (when.zone != zone_in_force || zone_in_force.empty())) {
                lines += prefix + "CRON_TZ=" + when.zone + "\n";
                zone_in_force = state ? "" : when.zone;
            }
            const std::string schedule =
                when.kind == When::Kind::reboot ? "@reboot" : when.cron_text;
            const std::string command = crontab_command(line_script(job, *script));
            if (command.size() >= k_long_line)
                notes.add("the command is " + std::to_string(command.size()) +
                          " bytes long: some crons cut lines at 1000");
            lines += prefix + schedule + " " + command + "\n";
        }
        std::string comment = "# " + job.name + " (" + job.id + ")";
        if (state && !notes.left_out)
            comment += ", " + *state + " (commented out)";
        for (std::size_t i = 0; i < notes.items.size(); ++i)
            comment += (i ? "; " : ": ") + notes.items[i];
        text += "\n" + comment + "\n" + lines;
        record(out, job, std::move(notes));
    }
    out.files.push_back({"schedule.crontab", std::move(text)});
}

} // namespace schedule::format::detail
