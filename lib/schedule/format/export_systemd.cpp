// `schedule export --to systemd`: a service and a timer unit per job
// (schedule(1), EXPORT).

#include <schedule/format/calendar.hpp>
#include <schedule/format/export_detail.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/utf8.hpp>

#include <cstdio>

namespace schedule::format::detail {

namespace {

void append_hex(std::string& out, unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", b);
    out += buf;
}

} // namespace

std::string systemd_quote(std::string_view s, Expand expand) {
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = util::decode_utf8(s, i, cp);
        if (n == 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || util::is_bidi_control(cp)) {
            if (const char* e = n == 1 ? util::short_escape(cp) : nullptr)
                out += e;
            else
                for (std::size_t k = 0; k < (n ? n : 1); ++k)
                    append_hex(out, static_cast<unsigned char>(s[i + k]));
            i += n ? n : 1;
            continue;
        }
        if (cp == '"' || cp == '\\')
            out += '\\';
        else if (cp == '%')
            out += '%';
        else if (cp == '$' && expand == Expand::variables)
            out += '$';
        out.append(s.substr(i, n));
        i += n;
    }
    return out + "\"";
}

namespace {

// A value systemd takes as it is, but for specifiers (`%` written `%%`):
// nullopt when it cannot stand in a unit file line (not UTF-8, control
// characters, white space or a backslash at the end).
std::optional<std::string> systemd_raw(std::string_view s) {
    if (!util::is_valid_utf8(s) || util::has_control(s) || s.empty())
        return std::nullopt;
    const char last = s.back();
    if (last == ' ' || last == '\\')
        return std::nullopt;
    std::string out;
    for (char c : s) {
        if (c == '%')
            out += '%';
        out += c;
    }
    return out;
}

std::string seconds(time::Duration d) {
    return std::to_string(d.count()) + "s";
}

void daylight_notes(const model::Job& job, const When& when, const ExportOptions& o, Notes& notes) {
    const auto dst = dst_meeting(when, o.now);
    const std::string where = "daylight saving in " + when.zone + ": ";
    if (when.expr.wildcard) {
        if (dst.overlap)
            notes.add(where + "systemd runs a repeated hour once (schedule runs both passes)");
        return;
    }
    if (dst.gap && job.dst_gap == model::DstGap::run)
        notes.add(where + "systemd skips a time in a skipped hour (schedule runs it right "
                          "after the gap)");
    if (dst.overlap && job.dst_overlap == model::DstOverlap::twice)
        notes.add(where + "systemd runs a repeated time once");
}

// What systemd cannot express of a job it runs.
void systemd_notes(const model::Job& job, const When& when, const ExportOptions& o, Notes& notes) {
    if (job.overlap != model::Overlap::skip)
        notes.add("--overlap " + std::string(model::to_string(job.overlap)) +
                  ": systemd does not start a service that is running (as --overlap skip)");
    if (job.catchup == model::Catchup::all && when.kind == When::Kind::calendar)
        notes.add("--catchup all: Persistent= runs missed fires once");
    if (job.misfire_grace)
        notes.add("--misfire-grace " + duration_text(*job.misfire_grace) + ": not expressed");
    if (job.max_attempts > 1)
        notes.add("--max-attempts " + std::to_string(job.max_attempts) + ": not expressed");
    if (when.kind == When::Kind::interval)
        notes.add("--every " + duration_text(when.every) +
                  " is no calendar: the timer starts the service every " +
                  duration_text(when.every) +
                  " after its last start (OnUnitActiveSec=), not on the grid from the anchor");
    if (when.kind == When::Kind::after)
        notes.add("no timer: it fires when another job's run ends");
    daylight_notes(job, when, o, notes);
    if (auto state = dormant(job);
        state && when.kind != When::Kind::manual && when.kind != When::Kind::after)
        notes.add(*state + ": do not enable its timer");
    common_notes(job, when, o, "systemd", notes);
}

std::string header(const model::Job& job) {
    return "# schedule job \"" + job.name + "\" (" + job.id +
           "), exported with `schedule export --to systemd`.\n";
}

std::string service_unit(const model::Job& job, const std::string& script,
                         const std::optional<std::string>& dir) {
    std::string u = header(job);
    u += "[Unit]\n";
    u += "Description=schedule job " + *systemd_raw(job.name + " (" + job.id + ")") + "\n";
    u += "\n[Service]\n";
    u += "Type=simple\n";
    u += "ExecStart=/bin/sh -c " + systemd_quote(script, Expand::variables) + "\n";
    if (job.run_as)
        u += "User=" + *job.run_as + "\n";
    u += "WorkingDirectory=" + (dir ? *dir : std::string("-~")) + "\n";
    u += "Environment=\"PATH=/usr/local/bin:/usr/bin:/bin\" \"SHELL=/bin/sh\"\n";
    for (const auto& v : job.env)
        u += "Environment=" + systemd_quote(v.name + "=" + v.value, Expand::none) + "\n";
    if (job.timeout)
        u += "RuntimeMaxSec=" + seconds(*job.timeout) + "\n";
    if (job.kill_grace.count() > 0)
        u += "TimeoutStopSec=" + seconds(job.kill_grace) + "\n";
    else
        u += "KillSignal=SIGKILL\n";
    return u;
}

// The [Timer] lines that say when the job fires; empty when nothing does.
std::string timer_lines(const model::Job& job, const When& when) {
    std::string t;
    switch (when.kind) {
    case When::Kind::calendar:
        for (const auto& c : on_calendar(when.expr, when.zone))
            t += "OnCalendar=" + c + "\n";
        break;
    case When::Kind::once:
        if (when.at) {
            auto iso = time::format_iso_utc(*when.at); // YYYY-MM-DDTHH:MM:SSZ
            t += "OnCalendar=" + iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC\n";
        }
        break;
    case When::Kind::reboot:
        t += "OnBootSec=0\n";
        break;
    case When::Kind::interval:
        t += "OnActiveSec=" + seconds(when.every) + "\n";
        t += "OnUnitActiveSec=" + seconds(when.every) + "\n";
        break;
    case When::Kind::manual:
    case When::Kind::after:
        return {};
    }
    if (when.kind == When::Kind::calendar || when.kind == When::Kind::once)
        t += std::string("Persistent=") + (job.catchup == model::Catchup::none ? "false" : "true") +
             "\n";
    t += "AccuracySec=1s\n";
    if (job.jitter.count() > 0) {
        t += "RandomizedDelaySec=" + seconds(job.jitter) + "\n";
        t += "FixedRandomDelay=true\n";
    }
    return t;
}

std::string timer_unit(const model::Job& job, const std::string& when_lines) {
    std::string t = header(job);
    t += "[Unit]\n";
    t += "Description=Timer of schedule job " + *systemd_raw(job.name + " (" + job.id + ")") + "\n";
    t += "\n[Timer]\n" + when_lines;
    t += "\n[Install]\nWantedBy=timers.target\n";
    return t;
}

} // namespace

void export_systemd(const std::vector<model::Job>& jobs, const ExportOptions& o, Export& out) {
    for (const auto& job : jobs) {
        Notes notes;
        const When when = when_of(job);
        const auto script = shell_script(job, o);
        const auto dir = job.working_dir ? systemd_raw(*job.working_dir) : std::nullopt;
        if (!script)
            notes.leave_out(no_handler(job));
        else if (job.working_dir && !dir)
            notes.leave_out("--working-dir cannot be written in a unit file (control "
                            "characters, not UTF-8, or a space or backslash at its end)");
        else
            systemd_notes(job, when, o, notes);
        if (!notes.left_out) {
            const std::string base = export_name(job);
            out.files.push_back({base + ".service", service_unit(job, *script, dir)});
            if (auto lines = timer_lines(job, when); !lines.empty())
                out.files.push_back({base + ".timer", timer_unit(job, lines)});
        }
        record(out, job, std::move(notes));
    }
}

} // namespace schedule::format::detail
