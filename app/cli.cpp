// The whole command-line interface: CLI11 wiring of every command, parsing,
// dispatch and the one place where errors become messages and exit codes.
// This is the only file that includes CLI11 (it is slow to compile).

#include "cli.hpp"
#include "commands.hpp"
#include "complete.hpp"
#include "registry.hpp"

#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <iostream>

namespace schedule::app {

namespace {

std::string command_path(const CLI::App* app) {
    std::string path;
    for (const CLI::App* a = app; a && a->get_parent(); a = a->get_parent())
        path = a->get_name() + (path.empty() ? "" : " " + path);
    return path;
}

std::string one_line(std::string s) {
    for (auto& c : s)
        if (c == '\n')
            c = ' ';
    while (!s.empty() && s.back() == ' ')
        s.pop_back();
    return s;
}

// Every error line, whoever wrote the message: one line, with control
// characters escaped, since a word from argv or a library's message may hold
// any bytes and this goes to a terminal.
std::string error_line(const std::string& message, const std::string& hint) {
    std::string line = "schedule: error: " + util::escape_control(one_line(message));
    if (!hint.empty())
        line += " (hint: " + util::escape_control(one_line(hint)) + ")";
    return line + "\n";
}

void print_error(const std::string& message, const std::string& hint) {
    std::cerr << error_line(message, hint);
}

// An option given more often than it takes values, in `app` or the
// commands above it (their flags work after a command too); null if none.
const CLI::Option* repeated_option(const CLI::App* app) {
    for (const CLI::App* a = app; a; a = a->get_parent())
        for (const CLI::Option* opt : a->get_options()) {
            auto most = static_cast<std::size_t>(std::max(opt->get_items_expected_max(), 1));
            if (opt->get_multi_option_policy() == CLI::MultiOptionPolicy::Throw &&
                opt->count() > most)
                return opt;
        }
    return nullptr;
}

// "job, next, config": the commands of `app` that help shows.
std::string visible_commands(const CLI::App* app) {
    std::string list;
    for (const CLI::App* sub :
         app->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); }))
        list += (list.empty() ? "" : ", ") + sub->get_name();
    return list;
}

// CLI11's refusal `e` in our words: the offending word, flag or missing
// command named, and the help of the deepest command recognised as hint.
std::string parse_error_line(const CLI::App* top, const CLI::Error& e) {
    const CLI::App* app = top;
    while (!app->get_subcommands().empty())
        app = app->get_subcommands().front();
    std::string path = command_path(app);
    std::string command = "schedule" + (path.empty() ? "" : " " + path);
    std::string hint = "run `" + command + " --help`";
    std::string message = e.what();
    // CLI11 reports a mistyped command as "a subcommand is required" or as
    // unexpected extras; name the offending word instead.
    auto rest = app->remaining();
    if (rest.empty())
        rest = top->remaining();
    const bool required = dynamic_cast<const CLI::RequiredError*>(&e) != nullptr;
    const bool leaf = app->get_subcommands([](const CLI::App*) { return true; }).empty();
    if (!rest.empty() && (required || dynamic_cast<const CLI::ExtrasError*>(&e))) {
        const std::string& word = rest.front();
        std::string where = path.empty() ? "" : " for `" + command + "`";
        message = (word.rfind('-', 0) == 0 ? "unknown flag "
                   : leaf                  ? "unexpected argument "
                                           : "unknown command ") +
                  word + where;
    } else if (required && !leaf) {
        message = "`" + command + "` needs a command: " + visible_commands(app);
    } else if (const CLI::Option* opt = dynamic_cast<const CLI::ArgumentMismatch*>(&e)
                                            ? repeated_option(app)
                                            : nullptr) {
        std::string names = opt->get_name(false, true);
        std::replace(names.begin(), names.end(), ',', '/');
        message =
            names + " was given " + std::to_string(opt->count()) + " times; it takes one value";
    }
    return error_line(message, hint);
}

// The part of the command tree that argv needs, found before CLI11 parses:
// building every command's options costs more than an idle tick's own work,
// so a command line that names a command gets only that command built. An
// empty `top` means every command (no command word, a word that is not a
// command, --help before the word: CLI11 then has the whole tree for its
// help and its errors; `__reference` prints the whole tree); an empty `leaf` every command of the
// group `top`.
struct Selection {
    std::string top;
    std::string leaf;
    bool globals_only = false; // `schedule --version`
};

bool is_top_command(std::string_view word) {
    for (const auto& c : commands()) {
        auto first = c.path.substr(0, c.path.find(' '));
        if (first == word)
            return true;
    }
    return false;
}

bool is_group_command(std::string_view top, std::string_view leaf) {
    for (const auto& c : commands())
        if (c.path.size() == top.size() + 1 + leaf.size() && c.path.substr(0, top.size()) == top &&
            c.path[top.size()] == ' ' && c.path.substr(top.size() + 1) == leaf)
            return true;
    return false;
}

Selection select_commands(int argc, char** argv) {
    std::vector<std::string_view> words;
    bool help = false;
    bool version = false;
    for (int i = 1; i < argc && words.size() < 2; ++i) {
        std::string_view a = argv[i];
        if (a == "--")
            break;
        if (a.size() > 1 && a.front() == '-') {
            if (a == "--store" || a == "-o" || a == "--format")
                ++i; // the global flags with a separate value
            help = help || a == "--help" || a == "-h";
            version = version || a == "--version";
            if (help)
                break; // help for the level reached so far
            continue;
        }
        words.push_back(a);
    }
    Selection s;
    if (words.empty()) {
        s.globals_only = version && !help;
        return s;
    }
    if (!is_top_command(words[0]))
        return s;
    s.top = words[0];
    if (words.size() > 1 && is_group_command(s.top, words[1]))
        s.leaf = words[1];
    return s;
}

// Everything a leaf command needs: where its options live and what to run.
struct Dispatch {
    const CommandInfo* info = nullptr;
    std::function<int(Invocation&)> run;
};

class Cli {
public:
    explicit Cli(Selection selection)
        : m_app("A per-host job scheduler with a job database.", "schedule"),
          m_selection(std::move(selection)) {
        m_app.set_version_flag("--version", std::string("schedule ") + SCHEDULE_VERSION);
        m_app.fallthrough();
        m_app.require_subcommand(1);
        m_app.footer("Run `schedule COMMAND --help` for a command's flags; see schedule(1).\n");
        m_app.failure_message(parse_error_line);
        add_globals();
        add_job_commands();
        add_next_command();
        add_config_commands();
        add_apply_command();
        add_reference_command();
        add_supervise_command();
        add_tick_commands();
        add_events_command();
        add_export_command();
        add_import_commands();
    }

    int main(int argc, char** argv) {
        try {
            m_app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            return m_app.exit(e) == 0 ? 0 : int(util::ExitCode::usage);
        }
        configure_stderr_logging(m_globals);
        if (m_reference) {
            print_reference();
            return 0;
        }
        try {
            check_format();
            Invocation inv(m_globals, *m_dispatch.info);
            return m_dispatch.run(inv);
        } catch (const util::Error& e) {
            print_error(e.what(), e.hint());
            return int(e.code());
        } catch (const std::exception& e) {
            print_error(std::string("internal error: ") + e.what(), "");
            return int(util::ExitCode::failure);
        }
    }

private:
    void add_globals() {
        m_app
            .add_option("--store", m_globals.store,
                        "Job database (default: $SCHEDULE_STORE, else "
                        "/var/lib/schedule/schedule.db for root, else "
                        "$XDG_STATE_HOME/schedule/schedule.db)")
            ->type_name("PATH");
        m_app
            .add_option("-o,--format", m_globals.format,
                        "Output format: table (default), json, csv; some commands add more")
            ->type_name("FORMAT");
        m_app.add_flag("--utc", m_globals.utc, "Show instants in UTC");
        m_app.add_flag("-q,--quiet", m_globals.quiet, "Print only what scripts need");
        m_app.add_flag("-v,--verbose", m_globals.verbose,
                       "Log more to stderr (-v info, -vv debug)");
        m_app.add_flag("--no-color", m_globals.no_color, "Never colour output (also NO_COLOR)");
    }

    // Whether the selection includes the command `top` (and its `leaf`).
    bool wanted(std::string_view top, std::string_view leaf = {}) const {
        if (m_selection.globals_only)
            return false;
        if (m_selection.top.empty())
            return true;
        return top == m_selection.top &&
               (leaf.empty() || m_selection.leaf.empty() || leaf == m_selection.leaf);
    }

    // A command group (`job`, `config`), or null when not selected.
    CLI::App* group(const std::string& name, const std::string& summary) {
        if (!wanted(name))
            return nullptr;
        CLI::App* g = m_app.add_subcommand(name, summary);
        g->footer("Run `schedule " + name + " COMMAND --help` for a command's flags.\n");
        g->require_subcommand(1);
        return g;
    }

    // A leaf command: its registry entry, its CLI11 node, what to run; null
    // when not selected.
    CLI::App* leaf(CLI::App* parent, const std::string& name, std::function<int(Invocation&)> run) {
        std::string path = command_path(parent);
        if (path.empty() ? !wanted(name) : !wanted(path, name))
            return nullptr;
        const CommandInfo& info = command((path.empty() ? "" : path + " ") + name);
        CLI::App* sub = parent->add_subcommand(name, std::string(info.summary));
        sub->footer("Global flags --store, -o/--format, --utc, -q, -v and --no-color work here "
                    "too; see schedule(1).\n");
        sub->callback([this, &info, run = std::move(run)] {
            m_dispatch.info = &info;
            m_dispatch.run = run;
        });
        return sub;
    }

    // --limit N and --since WHEN of the commands that read the record of
    // runs and changes (`job history`, `events`).
    static void add_limit_and_since(CLI::App* c, std::optional<std::string>& limit,
                                    std::optional<std::string>& since, const std::string& what) {
        c->add_option("--limit", limit, "At most N " + what + ", the newest (default 20, 0 = all)")
            ->type_name("N");
        c->add_option("--since", since,
                      "Only " + what + " recorded since DURATION ago or since DATETIME")
            ->type_name("WHEN");
    }

    void add_job_fields(CLI::App* c, JobFields& f) {
        c->add_option("--name", f.spec.name, "Unique name (1-64 characters)")->type_name("NAME");
        c->add_option("--description", f.spec.description, "Free text")->type_name("TEXT");
        c->add_option("--cron", f.spec.cron,
                      "Five-field cron expression or macro (@daily, @reboot, ...)")
            ->type_name("EXPR");
        c->add_option("--every", f.spec.every,
                      "Fire every DURATION (whole minutes), from the anchor")
            ->type_name("DURATION");
        c->add_option("--anchor", f.spec.anchor,
                      "Start of the --every grid (default: creation, to the minute)")
            ->type_name("DATETIME");
        c->add_option("--daily", f.spec.daily, "Fire every day at HH:MM")->type_name("HH:MM");
        c->add_option("--weekly", f.spec.weekly, "Fire on these weekdays at HH:MM (MON,THU@09:30)")
            ->type_name("DAY@HH:MM");
        c->add_option("--monthly", f.spec.monthly,
                      "Fire on these days of the month at HH:MM (15@09:30); months without the "
                      "day are skipped")
            ->type_name("DAY@HH:MM");
        c->add_option("--at", f.spec.at, "Fire once, at this date-time")->type_name("DATETIME");
        c->add_option("--after", f.spec.after,
                      "Fire each time a run of JOB ends in STATE (completed, failed, any)")
            ->type_name("JOB[:STATE]");
        c->add_option("--depends-on", f.depends_on,
                      "Runs wait until JOB has ended in STATE; past TIMEOUT they are skipped "
                      "(repeatable)")
            ->type_name("JOB[:STATE[:TIMEOUT]]")
            ->allow_extra_args(false);
        c->add_option("--conflicts-with", f.conflicts_with,
                      "Never run while JOB runs, nor JOB while this runs (repeatable)")
            ->type_name("JOB")
            ->allow_extra_args(false);
        c->add_option("--jitter", f.spec.jitter,
                      "Delay every fire by a stable per-job amount below DURATION")
            ->type_name("DURATION");
        c->add_option("--dst-gap", f.spec.dst_gap,
                      "A fixed time in a spring-forward gap: run (after the gap) or skip")
            ->type_name("run|skip");
        c->add_option("--dst-overlap", f.spec.dst_overlap,
                      "A fixed time in a repeated hour: once (first pass) or twice")
            ->type_name("once|twice");
        c->add_option("--start-date", f.spec.start_date, "Do not fire before this date-time")
            ->type_name("DATETIME");
        c->add_option("--end-date", f.spec.end_date, "Do not fire after this date-time")
            ->type_name("DATETIME");
        c->add_option("--window", f.windows,
                      "Start runs only in this window, '[DAYS] HH:MM-HH:MM [ZONE]' (repeatable)")
            ->type_name("WINDOW")
            ->allow_extra_args(false);
        c->add_option("--outside-window", f.spec.outside_window,
                      "A run due outside every window: wait (default) for the next, or skip")
            ->type_name("wait|skip");
        c->add_option("--command", f.spec.command, "Shell command, run as /bin/sh -c COMMAND")
            ->type_name("COMMAND");
        c->add_option("--task-type", f.spec.task_type,
                      "Run the handler configured for this type instead of a command")
            ->type_name("TYPE");
        c->add_option("--task-config", f.spec.task_config,
                      "JSON object given to the task handler on stdin")
            ->type_name("JSON");
        c->add_option("--priority", f.spec.priority, "0-100 or low, normal, high, critical")
            ->type_name("PRIORITY");
        c->add_option("--owner", f.spec.owner, "Owner label")->type_name("OWNER");
        c->add_option("--tag", f.tags, "Tag key=value or key (repeatable)")
            ->type_name("TAG")
            ->allow_extra_args(false);
        c->add_option("--tz", f.spec.timezone, "IANA time zone (default: the host's)")
            ->type_name("ZONE");
        c->add_option("--timeout", f.spec.timeout, "Stop the job after this long (e.g. 15m, 1h30m)")
            ->type_name("DURATION");
        c->add_option("--env", f.env, "Environment variable NAME=value (repeatable)")
            ->type_name("NAME=VALUE")
            ->allow_extra_args(false);
        c->add_option("--working-dir", f.spec.working_dir,
                      "Directory to run in (default: the user's home)")
            ->type_name("DIR");
        c->add_option("--run-as", f.spec.run_as,
                      "Run as this user (root only; default: the owner when it is a user)")
            ->type_name("USER");
        c->add_option("--kill-grace", f.spec.kill_grace,
                      "Time between SIGTERM and SIGKILL when stopping the job (default 10s)")
            ->type_name("DURATION");
        c->add_option("--overlap", f.spec.overlap,
                      "When due while still running: skip (default), queue, allow, replace")
            ->type_name("POLICY");
        c->add_option("--max-instances", f.spec.max_instances,
                      "Under --overlap allow: at most N runs at once (default: max_workers)")
            ->type_name("N");
        c->add_option("--catchup", f.spec.catchup,
                      "Missed fires: latest (default, run once), all (each, at most 100), none")
            ->type_name("POLICY");
        c->add_option("--misfire-grace", f.spec.misfire_grace,
                      "Drop a run that would start more than DURATION after its time")
            ->type_name("DURATION");
        c->add_option("--max-executions", f.spec.max_executions,
                      "Finish the job after N scheduled runs")
            ->type_name("N");
        c->add_option("--max-attempts", f.spec.max_attempts,
                      "Attempts in all, retries included (default 1: no retry)")
            ->type_name("N");
        c->add_option("--retry-delay", f.spec.retry_delay,
                      "Delay before the first retry (default 60s)")
            ->type_name("DURATION");
        c->add_option("--retry-max-delay", f.spec.retry_max_delay,
                      "Longest delay between retries (default 1h)")
            ->type_name("DURATION");
        c->add_option("--backoff", f.spec.backoff,
                      "Retry delay growth: fixed, linear, exponential (default), fibonacci")
            ->type_name("STRATEGY");
        c->add_option("--retry-on", f.spec.retry_on,
                      "Retry only these failures: timeout,lost,signal,exit:N (default: any)")
            ->type_name("LIST");
        c->add_option("--on-failure", f.spec.on_failure,
                      "Hook run after the last failed attempt (/bin/sh -c COMMAND)")
            ->type_name("COMMAND");
        c->add_option("--on-retry", f.spec.on_retry,
                      "Hook run after each failed attempt that is retried")
            ->type_name("COMMAND");
        c->add_option("--on-success", f.spec.on_success, "Hook run after a run that completed")
            ->type_name("COMMAND");
        c->add_flag("--notify", f.spec.notify,
                    "Run the store's default hooks (notify.*) for this job (the default)");
        c->add_flag("--no-notify", f.spec.no_notify,
                    "Do not run the store's default hooks for this job (its own still run)");
    }

    void add_job_commands() {
        CLI::App* job = group("job", "Create, inspect and change jobs");
        if (!job)
            return;

        if (auto* create = leaf(job, "create", [this](Invocation& inv) {
                return run_job_create(inv, m_job_create);
            })) {
            create->add_option("NAME", m_job_create.positional_name, "Job name (or --name)");
            add_job_fields(create, m_job_create.fields);
            create->add_flag("--disabled", m_job_create.fields.spec.disabled,
                             "Create the job paused");
        }

        if (auto* list = leaf(job, "list",
                              [this](Invocation& inv) { return run_job_list(inv, m_job_list); })) {
            list->add_option("--owner", m_job_list.owner, "Only jobs with this owner")
                ->type_name("OWNER");
            list->add_option("--status", m_job_list.status, "Only active, paused or finished jobs")
                ->type_name("STATUS");
            list->add_option("--tag", m_job_list.tag, "Only jobs with this tag key or key=value")
                ->type_name("TAG");
            list->add_option("--enabled", m_job_list.enabled,
                             "Only enabled (true) or paused (false)")
                ->type_name("BOOL");
        }

        if (auto* show = leaf(job, "show",
                              [this](Invocation& inv) { return run_job_show(inv, m_job_ref); })) {
            show->add_option("JOB", m_job_ref.job, "Job id or name")->required();
        }

        if (auto* update = leaf(job, "update", [this](Invocation& inv) {
                return run_job_update(inv, m_job_update);
            })) {
            update->add_option("JOB", m_job_update.job, "Job id or name")->required();
            add_job_fields(update, m_job_update.fields);
            update
                ->add_option("--enabled", m_job_update.fields.spec.enabled,
                             "true to resume, false to pause")
                ->type_name("BOOL");
            update->add_flag("--clear-description", m_job_update.fields.spec.clear_description,
                             "Remove the description");
            update->add_flag("--clear-owner", m_job_update.fields.spec.clear_owner,
                             "Remove the owner");
            update->add_flag("--clear-tags", m_job_update.fields.spec.clear_tags,
                             "Remove all tags");
            update->add_flag("--clear-timeout", m_job_update.fields.spec.clear_timeout,
                             "Remove the timeout");
            update->add_flag("--clear-env", m_job_update.fields.spec.clear_env,
                             "Remove all --env variables");
            update->add_flag("--clear-working-dir", m_job_update.fields.spec.clear_working_dir,
                             "Run in the user's home again");
            update->add_flag("--clear-schedule", m_job_update.fields.spec.clear_trigger,
                             "Remove the trigger: the job then runs only by hand");
            update->add_flag("--clear-run-as", m_job_update.fields.spec.clear_run_as,
                             "Run as the default user again");
            update->add_flag("--clear-jitter", m_job_update.fields.spec.clear_jitter,
                             "Remove the jitter");
            update->add_flag("--clear-start-date", m_job_update.fields.spec.clear_start_date,
                             "Remove the start date");
            update->add_flag("--clear-end-date", m_job_update.fields.spec.clear_end_date,
                             "Remove the end date");
            update->add_flag("--clear-windows", m_job_update.fields.spec.clear_windows,
                             "Remove the time windows: runs start at any time");
            update->add_flag("--clear-depends-on", m_job_update.fields.spec.clear_depends_on,
                             "Remove every --depends-on");
            update->add_flag("--clear-conflicts-with",
                             m_job_update.fields.spec.clear_conflicts_with,
                             "Remove every --conflicts-with");
            update->add_flag("--clear-max-instances", m_job_update.fields.spec.clear_max_instances,
                             "Remove the --max-instances limit");
            update->add_flag("--clear-misfire-grace", m_job_update.fields.spec.clear_misfire_grace,
                             "Remove the misfire grace (no limit)");
            update->add_flag("--clear-max-executions",
                             m_job_update.fields.spec.clear_max_executions,
                             "Remove the --max-executions limit");
            update->add_flag("--clear-retry-on", m_job_update.fields.spec.clear_retry_on,
                             "Retry on any failure again");
            update->add_flag("--clear-on-failure", m_job_update.fields.spec.clear_on_failure,
                             "Remove the job's --on-failure hook (the default applies)");
            update->add_flag("--clear-on-retry", m_job_update.fields.spec.clear_on_retry,
                             "Remove the job's --on-retry hook (the default applies)");
            update->add_flag("--clear-on-success", m_job_update.fields.spec.clear_on_success,
                             "Remove the job's --on-success hook (the default applies)");
        }

        if (auto* del = leaf(job, "delete", [this](Invocation& inv) {
                return run_job_delete(inv, m_job_delete);
            })) {
            del->add_option("JOB", m_job_delete.job, "Job id or name")->required();
            del->add_flag("-f,--force", m_job_delete.force, "Delete without asking");
        }

        if (auto* pause = leaf(job, "pause",
                               [this](Invocation& inv) { return run_job_pause(inv, m_job_ref); })) {
            pause->add_option("JOB", m_job_ref.job, "Job id or name")->required();
        }

        if (auto* resume = leaf(job, "resume", [this](Invocation& inv) {
                return run_job_resume(inv, m_job_ref);
            })) {
            resume->add_option("JOB", m_job_ref.job, "Job id or name")->required();
        }

        if (auto* next = leaf(job, "next",
                              [this](Invocation& inv) { return run_job_next(inv, m_job_next); })) {
            next->add_option("JOB", m_job_next.job, "Job id or name")->required();
            next->add_option("--count", m_job_next.count, "How many fire times (default 5)")
                ->type_name("N");
        }

        if (auto* graph = leaf(job, "graph", [this](Invocation& inv) {
                return run_job_graph(inv, m_job_graph);
            })) {
            graph->add_option("JOB", m_job_graph.job,
                              "Only the jobs linked to this one, directly or through others");
        }

        if (auto* run =
                leaf(job, "run", [this](Invocation& inv) { return run_job_run(inv, m_job_run); })) {
            run->add_option("JOB", m_job_run.job, "Job id or name")->required();
            run->add_flag(
                "--dry-run", m_job_run.dry_run,
                "Print the command, user, directory, environment and checks; run nothing");
            run->add_flag("--detach", m_job_run.detach,
                          "Hand the run to a background supervisor and print its execution id");
            run->add_flag("--force", m_job_run.force,
                          "Run even while the job runs under overlap policy skip");
        }

        if (auto* history = leaf(job, "history", [this](Invocation& inv) {
                return run_job_history(inv, m_job_history);
            })) {
            history->add_option("JOB", m_job_history.job, "Job id or name (default: all jobs)");
            add_limit_and_since(history, m_job_history.limit, m_job_history.since, "executions");
            history
                ->add_option("--status", m_job_history.status, "Only executions with this status")
                ->type_name("STATUS");
        }

        if (auto* output = leaf(job, "output", [this](Invocation& inv) {
                return run_job_output(inv, m_job_output);
            })) {
            output->add_option("EXECUTION_ID", m_job_output.execution, "Execution id")->required();
            output->add_flag("--stderr", m_job_output.stderr_only,
                             "Print the captured stderr instead");
            output->add_flag("--both", m_job_output.both,
                             "Print stdout to stdout and the captured stderr to stderr");
        }

        if (auto* stats = leaf(job, "stats", [this](Invocation& inv) {
                return run_job_stats(inv, m_job_stats);
            })) {
            stats->add_option("JOB", m_job_stats.job,
                              "Job id or name (default: every job and a summary)");
        }
    }

    void add_next_command() {
        if (auto* next =
                leaf(&m_app, "next", [this](Invocation& inv) { return run_next(inv, m_next); })) {
            next->add_option("EXPR", m_next.expression, "Cron expression or macro")->required();
            next->add_option("--tz", m_next.timezone, "IANA time zone (default: the default zone)")
                ->type_name("ZONE");
            next->add_option("--from", m_next.from, "Start after this date-time (default: now)")
                ->type_name("DATETIME");
            next->add_option("--count", m_next.count, "How many fire times (default 5)")
                ->type_name("N");
        }
    }

    void add_config_commands() {
        CLI::App* config = group("config", "Show and change settings");
        if (!config)
            return;
        leaf(config, "list", [](Invocation& inv) { return run_config_list(inv); });
        if (auto* get = leaf(config, "get",
                             [this](Invocation& inv) { return run_config_get(inv, m_config); })) {
            get->add_option("KEY", m_config.key, "Setting name")->required();
        }
        if (auto* set = leaf(config, "set",
                             [this](Invocation& inv) { return run_config_set(inv, m_config); })) {
            set->add_option("KEY", m_config.key, "Setting name")->required();
            set->add_option("VALUE", m_config.value, "New value")->required();
        }
        if (auto* unset = leaf(config, "unset", [this](Invocation& inv) {
                return run_config_unset(inv, m_config);
            })) {
            unset->add_option("KEY", m_config.key, "Setting name")->required();
        }
        if (auto* backup = leaf(config, "backup", [this](Invocation& inv) {
                return run_config_backup(inv, m_backup);
            })) {
            backup->add_option("--output", m_backup.output, "File to write, or - for stdout")
                ->required()
                ->type_name("FILE");
            backup->add_flag("--include-history", m_backup.include_history,
                             "Also save every ended execution with its output");
        }
        if (auto* restore = leaf(config, "restore", [this](Invocation& inv) {
                return run_config_restore(inv, m_restore);
            })) {
            restore->add_option("--input", m_restore.input, "Backup to read, or - for stdin")
                ->required()
                ->type_name("FILE");
            restore->add_flag("--force", m_restore.force,
                              "Replace jobs whose id or name is in the store");
            restore->add_flag("--prune", m_restore.prune,
                              "Delete the store's jobs that the backup lacks");
            restore->add_flag("--dry-run", m_restore.dry_run, "Print the plan, change nothing");
        }
    }

    void add_apply_command() {
        if (auto* apply = leaf(&m_app, "apply",
                               [this](Invocation& inv) { return run_apply(inv, m_apply); })) {
            apply
                ->add_option("-f,--file", m_apply.file,
                             "Job definitions (JSON) to read, or - for stdin")
                ->required()
                ->type_name("FILE");
            apply->add_flag("--prune", m_apply.prune,
                            "Also delete the store's jobs that the file lacks");
            apply->add_flag("--dry-run", m_apply.dry_run,
                            "Print what would change, field by field; change nothing");
        }
    }

    // `schedule __supervise --store PATH`: started by tick and `job run
    // --detach` (exec::SupervisorLauncher); hidden.
    void add_supervise_command() {
        if (auto* sup =
                leaf(&m_app, "__supervise", [](Invocation& inv) { return run_supervise(inv); })) {
            sup->group("");
        }
    }

    void add_tick_commands() {
        if (auto* tick =
                leaf(&m_app, "tick", [this](Invocation& inv) { return run_tick(inv, m_tick); })) {
            tick->add_flag("--dry-run", m_tick.dry_run,
                           "Print what would fire, be queued or skipped and why; change nothing");
            tick->add_option("--now", m_tick.now, "With --dry-run: plan as if it were DATETIME")
                ->type_name("DATETIME");
            tick->add_flag("--wait", m_tick.wait,
                           "Return only when every run this tick fired or queued has ended");
        }
        leaf(&m_app, "queue", [](Invocation& inv) { return run_queue(inv); });
        leaf(&m_app, "doctor", [](Invocation& inv) { return run_doctor(inv); });
    }

    void add_events_command() {
        if (auto* events = leaf(&m_app, "events",
                                [this](Invocation& inv) { return run_events(inv, m_events); })) {
            events->add_option("--job", m_events.job, "Only the events of this job (id or name)")
                ->type_name("JOB");
            events
                ->add_option("--type", m_events.type,
                             "Only events of this type, or of types starting with a prefix "
                             "ending in a dot (execution.)")
                ->type_name("EVENT_TYPE");
            add_limit_and_since(events, m_events.limit, m_events.since, "events");
            events->add_flag("--follow", m_events.follow,
                             "Then print each new event as it is recorded, until interrupted");
        }
    }

    void add_export_command() {
        if (auto* exp = leaf(&m_app, "export",
                             [this](Invocation& inv) { return run_export(inv, m_export); })) {
            exp->add_option("--to", m_export.to, "crontab, systemd or kubernetes")
                ->type_name("TARGET")
                ->required();
            exp->add_option("JOB", m_export.jobs, "Job ids or names (default: every job)");
            exp->add_option("--output-dir", m_export.output_dir,
                            "Write one file per crontab, unit or manifest into DIR (default: "
                            "stdout)")
                ->type_name("DIR");
            exp->add_flag("--force", m_export.force,
                          "Also replace files and links in --output-dir that export did not write");
            exp->add_option("--image", m_export.image,
                            "Container image of the CronJobs (default: debian:bookworm-slim)")
                ->type_name("IMAGE");
        }
    }

    void add_import_commands() {
        CLI::App* import_group = group("import", "Create jobs from other schedulers' definitions");
        if (!import_group)
            return;
        if (auto* crontab = leaf(import_group, "crontab", [this](Invocation& inv) {
                return run_import_crontab(inv, m_import_crontab);
            })) {
            crontab
                ->add_option("FILE", m_import_crontab.file,
                             "The crontab, or - for standard input (crontab -l | ...)")
                ->required();
            crontab->add_flag("--system", m_import_crontab.system,
                              "Read a user column before each command (as for /etc/crontab and "
                              "/etc/cron.d files, which always have one)");
            crontab
                ->add_option("--run-as", m_import_crontab.run_as,
                             "Run every job of a user crontab as USER (another user: root only)")
                ->type_name("USER");
            crontab->add_flag("--skip-invalid", m_import_crontab.skip_invalid,
                              "Import the valid lines even when others are invalid");
            crontab->add_flag("--dry-run", m_import_crontab.dry_run,
                              "Print what would be created; change nothing");
        }
    }

    // `schedule __reference`: every command and flag, one per line, for the
    // man-page consistency test. Hidden (empty group).
    void add_reference_command() {
        if (!wanted("__reference"))
            return;
        auto* ref = m_app.add_subcommand("__reference", "");
        ref->group("");
        ref->callback([this] { m_reference = true; });
    }

    // Walks CLI11's tree itself, not grammar(): the completion test compares
    // the two. Also a `value COMMAND --flag NAME` line for each flag that
    // takes a value, naming the value as help does.
    void print_reference() const {
        std::function<void(const CLI::App*)> walk = [&](const CLI::App* a) {
            std::string path = command_path(a);
            if (!path.empty() && path.rfind("__", 0) == 0)
                return;
            if (!path.empty())
                std::cout << "command " << path << "\n";
            const std::string where = path.empty() ? "global" : path;
            for (const CLI::Option* opt : a->get_options()) {
                for (const auto& name : opt->get_lnames())
                    std::cout << "flag " << where << " --" << name << "\n";
                for (const auto& name : opt->get_snames())
                    std::cout << "flag " << where << " -" << name << "\n";
                if (opt->nonpositional() && opt->get_expected_max() > 0)
                    std::cout << "value " << where << " " << opt->get_name() << " "
                              << (opt->get_type_name().empty() ? "TEXT" : opt->get_type_name())
                              << "\n";
            }
            for (const CLI::App* sub : a->get_subcommands([](const CLI::App*) { return true; }))
                walk(sub);
        };
        walk(&m_app);
    }

public:
    // The command tree as completion sees it (complete.hpp): every command
    // that help shows, parents first, with its flags and arguments.
    Grammar grammar() const {
        Grammar g;
        std::function<void(const CLI::App*)> walk = [&](const CLI::App* a) {
            CommandSpec spec;
            spec.path = command_path(a);
            spec.summary = a->get_description();
            for (const CLI::Option* opt : a->get_options()) {
                if (!opt->nonpositional()) {
                    spec.positionals.push_back(opt->get_name());
                    spec.last_repeats = opt->get_items_expected_max() > 1;
                    continue;
                }
                FlagSpec flag;
                for (const auto& name : opt->get_lnames())
                    flag.names.push_back("--" + name);
                for (const auto& name : opt->get_snames())
                    flag.names.push_back("-" + name);
                if (opt->get_expected_max() > 0)
                    flag.value_name = opt->get_type_name().empty() ? "TEXT" : opt->get_type_name();
                flag.help = opt->get_description();
                spec.flags.push_back(std::move(flag));
            }
            for (const auto& c : commands())
                if (c.path == spec.path)
                    spec.formats = c.formats;
            auto shown =
                a->get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
            for (const CLI::App* sub : shown)
                spec.subcommands.push_back(sub->get_name());
            g.push_back(std::move(spec));
            for (const CLI::App* sub : shown)
                walk(sub);
        };
        walk(&m_app);
        return g;
    }

private:
    void check_format() const {
        for (auto f : m_dispatch.info->formats)
            if (f == m_globals.format)
                return;
        std::string supported;
        for (auto f : m_dispatch.info->formats)
            supported += (supported.empty() ? "" : ", ") + std::string(f);
        throw util::UsageError("--format: `schedule " + std::string(m_dispatch.info->path) +
                               "` has no " + m_globals.format + " output (use " + supported + ")");
    }

    CLI::App m_app;
    const Selection m_selection;
    GlobalOptions m_globals;
    Dispatch m_dispatch;
    bool m_reference = false;

    JobCreateOptions m_job_create;
    JobListOptions m_job_list;
    JobRefOptions m_job_ref;
    JobUpdateOptions m_job_update;
    JobDeleteOptions m_job_delete;
    ConfigKeyOptions m_config;
    ConfigBackupOptions m_backup;
    ConfigRestoreOptions m_restore;
    ApplyOptions m_apply;
    JobNextOptions m_job_next;
    JobGraphOptions m_job_graph;
    NextOptions m_next;
    JobRunOptions m_job_run;
    JobHistoryOptions m_job_history;
    EventsOptions m_events;
    JobOutputOptions m_job_output;
    JobStatsOptions m_job_stats;
    TickOptions m_tick;
    ExportCommandOptions m_export;
    ImportCrontabOptions m_import_crontab;
};

} // namespace

int run_cli(int argc, char** argv) {
    // The completion helper, hidden: every command, and no parsing of the
    // partial command line it is given.
    if (argc > 1 && std::string_view(argv[1]) == "__complete")
        return run_complete(Cli(Selection{}).grammar(),
                            std::vector<std::string>(argv + 2, argv + argc));
    Cli cli(select_commands(argc, argv));
    return cli.main(argc, argv);
}

} // namespace schedule::app
