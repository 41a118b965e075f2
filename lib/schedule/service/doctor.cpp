#include <schedule/exec/probe.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/model/crontab.hpp>
#include <schedule/service/doctor.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/fs.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace schedule::service {

namespace fs = std::filesystem;

std::string_view to_string(CheckStatus s) {
    switch (s) {
    case CheckStatus::ok:
        return "ok";
    case CheckStatus::warn:
        return "warn";
    case CheckStatus::fail:
        return "fail";
    }
    return "fail";
}

bool DoctorReport::failed() const {
    return std::any_of(checks.begin(), checks.end(),
                       [](const Check& c) { return c.status == CheckStatus::fail; });
}

namespace {

constexpr auto k_probe_limit = std::chrono::seconds(5);
constexpr const char* k_timer = "schedule-tick.timer";
constexpr const char* k_system_store = "/var/lib/schedule/schedule.db";

Check ok(std::string name, std::string message) {
    return {std::move(name), CheckStatus::ok, std::move(message), std::nullopt};
}
Check problem(std::string name, CheckStatus status, std::string message, std::string fix) {
    return {std::move(name), status, std::move(message), std::move(fix)};
}

std::string quoted(const fs::path& p) {
    return util::escape_control(p.string());
}

bool systemd_runs() {
    std::error_code ec;
    return fs::is_directory("/run/systemd/system", ec);
}

// Whether two store paths name the same store: the same file when both
// exist, else the same path once resolved.
bool same_store(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec))
        return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// The default store of `user` (their home, and $XDG_STATE_HOME when known).
std::optional<fs::path> default_store_of(const std::string& user,
                                         const std::optional<std::string>& xdg_state_home,
                                         const std::optional<std::string>& home) {
    if (user == "root")
        return fs::path(k_system_store);
    std::optional<std::string> h = home;
    if (!h) {
        auto id = exec::lookup_user(user);
        if (!id)
            return std::nullopt;
        h = id->home;
    }
    try {
        return store::locate({std::nullopt, std::nullopt, false, xdg_state_home, h});
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// One thing that runs `schedule tick` on this host.
struct Driver {
    std::string name;              // "schedule-tick.timer (system)", "/etc/cron.d/x line 3"
    std::optional<fs::path> store; // the store it ticks
    bool active = false;
    bool every_minute = true;
    std::string state; // why it is not active
    std::string fix;
};

// A store path written in a crontab line: `~/` and relative paths are the
// user's home's (cron runs commands there).
fs::path crontab_path(const std::string& value, const std::string& user) {
    auto id = exec::lookup_user(user);
    const fs::path home = id ? fs::path(id->home) : fs::path("/");
    if (value.starts_with("~/"))
        return home / value.substr(2);
    fs::path p(value);
    return p.is_absolute() ? p : home / p;
}

// A job line of a crontab as doctor reads it: its schedule, user and
// command, and the SCHEDULE_STORE and XDG_STATE_HOME set before it. Read
// leniently, as cron does: `schedule import crontab` refuses lines that
// set SCHEDULE_* variables, which are just what a tick line may need.
struct CronLine {
    int line = 0;
    std::string schedule;
    std::optional<std::string> user;
    std::string command;
    std::optional<std::string> store_env;
    std::optional<std::string> xdg_state_home;
};

std::vector<CronLine> read_cron_lines(std::string_view text, bool system) {
    std::vector<CronLine> out;
    std::optional<std::string> store_env, xdg;
    int number = 0;
    for (auto raw : util::split(text, '\n')) {
        ++number;
        const auto line = util::trim(raw);
        if (line.empty() || line.front() == '#')
            continue;
        const auto eq = line.find('=');
        const auto fields = util::split_ws(line);
        const bool job = !fields.empty() && (fields[0].front() == '@' || fields.size() >= 6) &&
                         (eq == std::string_view::npos || line.find_first_of(" \t") < eq);
        if (!job) {
            if (eq == std::string_view::npos)
                continue;
            const auto name = util::trim(line.substr(0, eq));
            auto value = std::string(util::trim(line.substr(eq + 1)));
            if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
                value.back() == value.front())
                value = value.substr(1, value.size() - 2);
            if (name == "SCHEDULE_STORE")
                store_env = value;
            else if (name == "XDG_STATE_HOME")
                xdg = value;
            continue;
        }
        CronLine c;
        c.line = number;
        const std::size_t time_fields = fields[0].front() == '@' ? 1 : 5;
        if (fields.size() < time_fields + (system ? 2 : 1))
            continue;
        for (std::size_t i = 0; i < time_fields; ++i)
            c.schedule += (i ? " " : "") + std::string(fields[i]);
        std::size_t first = time_fields;
        if (system)
            c.user = std::string(fields[first++]);
        const auto at = static_cast<std::size_t>(fields[first].data() - line.data());
        c.command = std::string(line.substr(at));
        if (auto pct = c.command.find('%'); pct != std::string::npos)
            c.command.resize(pct);
        c.store_env = store_env;
        c.xdg_state_home = xdg;
        out.push_back(std::move(c));
    }
    return out;
}

void add_crontab_drivers(std::vector<Driver>& out, const std::string& where,
                         const std::string& text, bool system, const std::string& owner,
                         bool cron_runs) {
    for (const auto& entry : read_cron_lines(text, system)) {
        auto call = model::find_tick_call(entry.command);
        if (!call)
            continue;
        const std::string user = entry.user.value_or(owner);
        Driver d;
        d.name = where + " line " + std::to_string(entry.line);
        const auto env_store = call->store_env ? call->store_env : entry.store_env;
        if (call->store_flag)
            d.store = crontab_path(*call->store_flag, user);
        else if (env_store && !env_store->empty())
            d.store = crontab_path(*env_store, user);
        else
            d.store = default_store_of(user, entry.xdg_state_home, std::nullopt);
        d.every_minute = entry.schedule == "* * * * *";
        const bool stands_aside = entry.command.find("/run/systemd/system") != std::string::npos;
        if (stands_aside && systemd_runs()) {
            d.state = "stands aside because systemd runs this host (its timer ticks instead)";
            d.fix = "systemctl enable --now schedule-tick.timer";
        } else if (!cron_runs) {
            d.state = "is there, but no cron daemon is running";
            d.fix = systemd_runs() ? "apt install cron, or start it: systemctl enable --now cron"
                                   : "apt install cron, or start it: service cron start";
        } else {
            d.active = true;
        }
        out.push_back(std::move(d));
    }
}

std::optional<std::string> read_small_file(const fs::path& p) {
    std::ifstream in(p);
    if (!in)
        return std::nullopt;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void add_cron_drivers(std::vector<Driver>& out) {
    const bool cron_runs = exec::process_named({"cron", "crond"});
    if (auto text = read_small_file("/etc/crontab"))
        add_crontab_drivers(out, "/etc/crontab", *text, true, "root", cron_runs);
    std::vector<fs::path> dropins;
    std::error_code ec;
    for (fs::directory_iterator it("/etc/cron.d", ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        // cron skips names with other characters (dpkg's .dpkg-old, editors' ~).
        const bool valid = std::all_of(name.begin(), name.end(), [](unsigned char c) {
            return std::isalnum(c) || c == '_' || c == '-';
        });
        if (valid && it->is_regular_file(ec))
            dropins.push_back(it->path());
    }
    std::sort(dropins.begin(), dropins.end());
    for (const auto& p : dropins)
        if (auto text = read_small_file(p))
            add_crontab_drivers(out, p.string(), *text, true, "root", cron_runs);
    // The user's own crontab.
    const auto user = util::current_user_name();
    std::optional<std::string> mine;
    if (util::running_as_root()) {
        mine = read_small_file("/var/spool/cron/crontabs/" + user);
    } else if (auto answer = exec::ask_command({"crontab", "-l"}, k_probe_limit);
               answer && answer->exit_code == 0) {
        mine = answer->out;
    }
    if (mine)
        add_crontab_drivers(out, "the crontab of " + user, *mine, false, user, cron_runs);
}

void add_systemd_drivers(std::vector<Driver>& out, const DoctorInputs& in) {
    const bool root = util::running_as_root();
    std::vector<std::string> systemctl{"systemctl"};
    if (!root)
        systemctl.push_back("--user");
    auto ask = [&](std::vector<std::string> args) {
        auto argv = systemctl;
        argv.insert(argv.end(), args.begin(), args.end());
        return exec::ask_command(argv, k_probe_limit);
    };
    const std::string user_flag = root ? "" : "--user ";
    auto enabled = ask({"is-enabled", k_timer});
    if (!enabled)
        return; // no systemctl
    const auto state = std::string(util::trim(enabled->out));
    if (state.empty())
        return; // no such unit
    Driver d;
    d.name = std::string(k_timer) + (root ? " (system)" : " (user)");
    if (root)
        d.store = fs::path(k_system_store);
    else
        d.store = default_store_of(util::current_user_name(), in.xdg_state_home, in.home);
    if (state != "enabled") {
        d.state = "is " + state;
        d.fix = "systemctl " + user_flag + "enable --now " + k_timer;
    } else if (!systemd_runs()) {
        d.state = "is enabled, but systemd does not run this host";
        d.fix = "tick from cron: add `* * * * * schedule tick -q` to a crontab";
    } else if (auto active = ask({"is-active", k_timer});
               !active || util::trim(active->out) != "active") {
        d.state = "is enabled but " +
                  (active ? std::string(util::trim(active->out)) : std::string("not active"));
        d.fix = "systemctl " + user_flag + "start " + k_timer;
    } else {
        d.active = true;
        if (auto show =
                ask({"show", "-p", "ExecStart", "-p", "Environment", "schedule-tick.service"});
            show && show->exit_code == 0 && d.store)
            d.store = store_of_tick_service(show->out, *d.store);
    }
    out.push_back(std::move(d));
}

Check tick_driver_check(const DoctorInputs& in, const fs::path& store) {
    std::vector<Driver> drivers;
    add_systemd_drivers(drivers, in);
    add_cron_drivers(drivers);
    std::vector<const Driver*> mine, others;
    for (const auto& d : drivers)
        (d.store && same_store(*d.store, store) ? mine : others).push_back(&d);
    std::vector<const Driver*> active;
    for (const auto* d : mine)
        if (d->active)
            active.push_back(d);
    auto names = [](const std::vector<const Driver*>& ds) {
        std::string s;
        for (const auto* d : ds)
            s += (s.empty() ? "" : ", ") + d->name;
        return s;
    };
    const std::string name = "tick-driver";
    if (active.size() > 1)
        return problem(name, CheckStatus::warn, "ticked more than once, by " + names(active),
                       "remove all but one; the others find nothing left to fire");
    if (active.size() == 1) {
        if (!active[0]->every_minute)
            return problem(name, CheckStatus::warn,
                           active[0]->name + " ticks this store, but not every minute",
                           "make its schedule * * * * *, or jobs start late");
        return ok(name, active[0]->name + " ticks this store");
    }
    if (!mine.empty()) {
        // Each one and why it does not tick; the fix of the one this host
        // can use (cron's when systemd does not run it).
        std::string message;
        for (const auto* d : mine)
            message += (message.empty() ? "" : "; ") + d->name + " " + d->state;
        const auto* fixer = mine.front();
        if (!systemd_runs())
            for (const auto* d : mine)
                if (d->name.find(k_timer) == std::string::npos) {
                    fixer = d;
                    break;
                }
        return problem(name, CheckStatus::fail, message, fixer->fix);
    }
    std::string message = "nothing ticks " + quoted(store);
    if (!others.empty()) {
        message += " (";
        for (std::size_t i = 0; i < others.size(); ++i)
            message += (i ? ", " : "") + others[i]->name + " ticks " +
                       (others[i]->store ? quoted(*others[i]->store) : std::string("another"));
        message += ")";
    }
    const std::string store_flag = store == fs::path(k_system_store) && util::running_as_root()
                                       ? ""
                                       : " --store " + quoted(store);
    return problem(
        name, CheckStatus::fail, message,
        "add `* * * * * schedule" + store_flag + " tick -q` to a crontab" +
            (store_flag.empty() ? ", or: systemctl enable --now schedule-tick.timer" : ""));
}

std::string ago(time::Instant t, time::Instant now) {
    const auto s = (now - t).count();
    if (s < 0)
        return "in the future";
    if (s < 120)
        return std::to_string(s) + "s ago";
    if (s < 7200)
        return std::to_string(s / 60) + "m ago";
    if (s < 2 * 86400)
        return std::to_string(s / 3600) + "h ago";
    return std::to_string(s / 86400) + "d ago";
}

Check last_tick_check(const DoctorInputs& in, time::Instant now, const time::Zone& zone) {
    const std::string name = "last-tick";
    std::optional<time::Instant> last;
    std::int64_t due = 0;
    if (in.ctx) {
        last = in.ctx->store.last_tick();
        if (in.ctx->store.exists())
            due = in.ctx->store.count_due_jobs(now);
    }
    const std::string waiting =
        due == 0 ? std::string()
                 : "; " + std::to_string(due) + (due == 1 ? " job is" : " jobs are") + " due";
    const auto status = due > 0 ? CheckStatus::fail : CheckStatus::warn;
    if (!last)
        return problem(name, status, "no tick has run for this store" + waiting,
                       "see the tick-driver check; `schedule tick` records each tick");
    const auto when = time::format_iso(*last, zone) + " (" + ago(*last, now) + ")";
    if (now - *last > k_tick_stale_after)
        return problem(name, status, "the last tick ran at " + when + waiting,
                       "see the tick-driver check; ticks should come every minute");
    return ok(name, "the last tick ran at " + when);
}

std::string mode_text(unsigned mode) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04o", mode & 07777);
    return buf;
}

Check store_check(const DoctorInputs& in) {
    const std::string name = "store";
    if (in.open_error)
        return problem(name, CheckStatus::fail, in.open_error->first,
                       in.open_error->second.empty() ? "see schedule(1), STORE"
                                                     : in.open_error->second);
    // What opening the store found (Store::open checks it before SQLite
    // reads it), not a second look that could see something else.
    const auto& path = in.ctx->store.path();
    if (const auto& d = in.ctx->store.distrust())
        return problem(name, CheckStatus::fail,
                       quoted(path) + ": " + quoted(d->path) + " is " + d->why +
                           ", so tick and job run refuse it",
                       d->fix);
    struct stat st {
    }, dir{};
    if (::lstat(path.c_str(), &st) != 0)
        return ok(name, quoted(path) + " does not exist yet (the first job create makes it)");
    ::stat(path.parent_path().c_str(), &dir);
    return ok(name, quoted(path) + ": mode " + mode_text(st.st_mode) + ", owner " +
                        util::user_name(st.st_uid) + "; directory mode " + mode_text(dir.st_mode) +
                        ", owner " + util::user_name(dir.st_uid));
}

Check zone_check(const DoctorInputs& in, const time::Zone& zone) {
    const std::string name = "timezone";
    const auto version = time::tz_database_version();
    std::string source;
    if (in.ctx && in.ctx->settings.timezone)
        source = "config timezone";
    else if (in.tz && !in.tz->empty() && !time::Zone::tz_problem(in.tz))
        source = "$TZ";
    else if (zone.is_utc())
        source = "no /etc/localtime";
    else
        source = "/etc/localtime";
    const auto message = "default zone " + zone.name() + " (" + source + "), tz database " +
                         version.value_or("of unknown version");
    if (!(in.ctx && in.ctx->settings.timezone)) {
        if (auto why = time::Zone::tz_problem(in.tz))
            return problem(name, CheckStatus::warn, message + "; $TZ " + *why,
                           "unset TZ, or: schedule config set timezone ZONE");
    }
    if (!version)
        return problem(name, CheckStatus::warn, message, "apt install tzdata");
    return ok(name, message);
}

bool executable_file(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

void handler_checks(std::vector<Check>& out, const DoctorInputs& in) {
    if (!in.ctx || in.ctx->settings.handlers.empty()) {
        out.push_back(ok("handler", "no handlers.* setting (task jobs need one)"));
        return;
    }
    for (const auto& [type, path] : in.ctx->settings.handlers) {
        const auto what = "handlers." + type + " " + util::escape_control(path);
        if (executable_file(path))
            out.push_back(ok("handler", what + " is executable"));
        else
            out.push_back(problem(
                "handler", CheckStatus::fail,
                what + (fs::exists(path) ? " is not an executable file" : " does not exist"),
                "install it, or: schedule config set handlers." + type + " PATH"));
    }
}

void job_checks(std::vector<Check>& out, const DoctorInputs& in) {
    std::vector<model::Job> jobs;
    if (in.ctx && in.ctx->store.exists())
        jobs = in.ctx->store.list_jobs({});
    std::int64_t users = 0, dirs = 0;
    bool user_failed = false, dir_failed = false;
    for (const auto& job : jobs) {
        if (job.status == model::JobStatus::finished)
            continue;
        const auto name = util::escape_control(job.name);
        if (job.run_as) {
            ++users;
            if (!exec::lookup_user(*job.run_as)) {
                user_failed = true;
                out.push_back(problem(
                    "run-as", CheckStatus::fail,
                    "job " + name + " runs as " + util::escape_control(*job.run_as) +
                        ", who is not a user on this host",
                    "create the user, or: schedule job update '" + name + "' --run-as USER"));
            }
        }
        if (job.working_dir) {
            ++dirs;
            std::error_code ec;
            if (!fs::is_directory(*job.working_dir, ec)) {
                dir_failed = true;
                out.push_back(problem(
                    "working-dir", CheckStatus::fail,
                    "job " + name + " runs in " + util::escape_control(*job.working_dir) +
                        ", which is not a directory",
                    "mkdir -p it, or: schedule job update '" + name + "' --working-dir DIR"));
            }
        }
    }
    if (!user_failed)
        out.push_back(ok("run-as", users == 0 ? "no job names a --run-as user"
                                              : "the --run-as users of " + std::to_string(users) +
                                                    (users == 1 ? " job exist" : " jobs exist")));
    if (!dir_failed)
        out.push_back(ok("working-dir", dirs == 0
                                            ? "no job names a --working-dir"
                                            : "the working directories of " + std::to_string(dirs) +
                                                  (dirs == 1 ? " job exist" : " jobs exist")));
}

Check log_file_check(const DoctorInputs& in) {
    const std::string name = "log-file";
    if (!in.ctx || !in.ctx->settings.log_file)
        return ok(name, "log.file is not set: ticks log to stderr (the journal, or cron's mail)");
    const fs::path path = *in.ctx->settings.log_file;
    const auto shown = "log.file " + quoted(path);
    if (in.ctx->store.distrust())
        return problem(name, CheckStatus::warn, shown + " is ignored: the store is not safe",
                       "see the store check");
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return problem(name, CheckStatus::fail, shown + " is not a regular file",
                           "schedule config set log.file PATH");
        if (st.st_uid != ::geteuid())
            return problem(name, CheckStatus::fail,
                           shown + " is owned by " + util::user_name(st.st_uid),
                           "chown " + util::current_user_name() + " " + quoted(path));
        if (::access(path.c_str(), W_OK) != 0)
            return problem(name, CheckStatus::fail, shown + " is not writable",
                           "chmod u+w " + quoted(path));
        return ok(name, shown + " is writable");
    }
    const auto dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        return problem(name, CheckStatus::fail,
                       shown + " does not exist and " + quoted(dir) + " cannot be written",
                       "mkdir -p " + quoted(dir) + ", or: schedule config set log.file PATH");
    return ok(name, shown + " does not exist yet and will be created");
}

} // namespace

DoctorReport doctor(const DoctorInputs& in) {
    DoctorReport r;
    const auto now = in.ctx ? in.ctx->now() : in.now;
    const time::Zone zone =
        in.ctx ? in.ctx->default_zone() : time::Zone::host_default(std::nullopt, in.tz);
    fs::path store = in.store;
    if (in.ctx)
        store = in.ctx->store.path();
    r.checks.push_back(tick_driver_check(in, store));
    r.checks.push_back(last_tick_check(in, now, zone));
    r.checks.push_back(store_check(in));
    r.checks.push_back(zone_check(in, zone));
    handler_checks(r.checks, in);
    job_checks(r.checks, in);
    r.checks.push_back(log_file_check(in));
    return r;
}

std::optional<std::string> stale_tick_warning(Context& ctx) {
    if (!ctx.store.exists())
        return std::nullopt;
    const auto now = ctx.now();
    const auto last = ctx.store.last_tick();
    if (last && now - *last <= k_tick_stale_after)
        return std::nullopt;
    const auto due = ctx.store.count_due_jobs(now);
    if (due == 0)
        return std::nullopt;
    const std::string jobs = std::to_string(due) + (due == 1 ? " job is" : " jobs are");
    if (!last)
        return jobs + " due and no tick has run for this store (hint: schedule doctor)";
    return jobs + " due and the last tick ran " + ago(*last, now) + " (hint: schedule doctor)";
}

std::filesystem::path store_of_tick_service(std::string_view show,
                                            const std::filesystem::path& fallback) {
    std::optional<std::string> flag, env;
    std::istringstream lines{std::string(show)};
    for (std::string line; std::getline(lines, line);) {
        if (line.starts_with("ExecStart=")) {
            auto at = line.find("argv[]=");
            if (at == std::string::npos)
                continue;
            auto end = line.find(" ;", at);
            if (auto call = model::find_tick_call(line.substr(at + 7, end - at - 7)); call)
                flag = call->store_flag;
        } else if (line.starts_with("Environment=")) {
            for (auto w : util::split_ws(std::string_view(line).substr(12)))
                if (w.starts_with("SCHEDULE_STORE="))
                    env = std::string(w.substr(15));
        }
    }
    if (flag)
        return fs::path(*flag);
    if (env && !env->empty())
        return fs::path(*env);
    return fallback;
}

} // namespace schedule::service
