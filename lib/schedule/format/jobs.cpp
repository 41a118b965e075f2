#include <schedule/format/fires.hpp>
#include <schedule/format/jobs.hpp>
#include <schedule/format/runs.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <map>

namespace schedule::format {

namespace {

using model::zone_of;

Color status_color(model::JobStatus s) {
    switch (s) {
    case model::JobStatus::active:
        return Color::green;
    case model::JobStatus::paused:
        return Color::yellow;
    case model::JobStatus::finished:
        return Color::dim;
    }
    return Color::none;
}

Color execution_status_color(const std::optional<std::string>& s) {
    if (!s)
        return Color::none;
    if (*s == "completed")
        return Color::green;
    if (*s == "failed" || *s == "timed_out" || *s == "lost")
        return Color::red;
    if (*s == "running")
        return Color::cyan;
    return Color::yellow;
}

std::string tags_text(const std::vector<model::Tag>& tags) {
    std::vector<std::string> parts;
    for (const auto& t : tags)
        parts.push_back(t.value ? t.key + "=" + *t.value : t.key);
    return util::join(parts, ", ");
}

std::string env_text(const std::vector<model::EnvVar>& env) {
    std::vector<std::string> parts;
    for (const auto& e : env)
        parts.push_back(e.name + "=" + e.value);
    return util::join(parts, " ");
}

} // namespace

std::string priority_text(int priority) {
    if (auto name = model::priority_name(priority))
        return std::string(*name) + " (" + std::to_string(priority) + ")";
    return std::to_string(priority);
}

std::string jobs_table(const std::vector<model::Job>& jobs, const Style& style,
                       const model::RecentRuns* recent) {
    std::vector<std::string> headers{"ID", "NAME", "STATUS", "SCHEDULE", "NEXT RUN", "LAST"};
    if (recent)
        headers.emplace_back("RECENT");
    headers.emplace_back("PRIORITY");
    Table table(std::move(headers));
    for (const auto& job : jobs) {
        auto zone = zone_of(job);
        std::vector<Cell> row{
            {job.id, Color::dim},
            {job.name},
            {std::string(model::to_string(job.status)), status_color(job.status)},
            {model::describe(job.trigger, zone)},
            {table_time(job.next_execution, zone, style)},
            {job.last_status.value_or("-"), execution_status_color(job.last_status)},
        };
        if (recent) {
            auto runs = recent->find(job.id);
            auto strip =
                runs == recent->end() ? std::vector<Span>{} : run_strip(runs->second, style.color);
            row.push_back(strip.empty() ? Cell{"-"} : Cell{"", Color::none, std::move(strip)});
        }
        row.push_back({priority_text(job.priority)});
        table.add_row(std::move(row));
    }
    return table.render(style.color);
}

struct JobsJson::Zones {
    std::map<std::string, time::Zone, std::less<>> by_name; // one lookup per zone
};

JobsJson::JobsJson(const Style& style) : m_style(style), m_zones(std::make_unique<Zones>()) {}

JobsJson::~JobsJson() = default;

void JobsJson::add(const model::Job& job) {
    m_out += m_first ? "[\n" : ",\n";
    m_first = false;
    auto z = m_zones->by_name.find(job.timezone);
    if (z == m_zones->by_name.end())
        z = m_zones->by_name.emplace(job.timezone, zone_of(job)).first;
    model::append_job_json(m_out, job, z->second, m_style.utc);
}

void JobsJson::finish() {
    m_out += m_first ? "[]\n" : "\n]\n";
}

std::string JobsJson::take() {
    std::string text;
    text.swap(m_out);
    m_out.reserve(text.capacity());
    return text;
}

std::string jobs_json(const std::vector<model::Job>& jobs, const Style& style) {
    JobsJson json(style);
    for (const auto& job : jobs)
        json.add(job);
    json.finish();
    return json.take();
}

std::string csv_field(std::string_view raw, const Style& style) {
    std::string s = style.terminal ? util::escape_control(raw) : std::string(raw);
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string jobs_csv(const std::vector<model::Job>& jobs, const Style& style) {
    static const char* k_columns[] = {
        "job_id",        "name",           "description", "cron_expression", "trigger_type",
        "timezone",      "command",        "task_type",   "priority",        "owner",
        "tags",          "enabled",        "status",      "timeout_seconds", "execution_count",
        "failure_count", "last_execution", "last_status", "next_execution",  "created_at",
        "updated_at"};
    std::string out;
    for (std::size_t i = 0; i < std::size(k_columns); ++i) {
        out += k_columns[i];
        out += i + 1 < std::size(k_columns) ? "," : "\r\n";
    }
    for (const auto& job : jobs) {
        auto j = model::job_to_json(job, style.utc);
        std::vector<std::string> cells;
        for (const char* col : k_columns) {
            if (std::string_view(col) == "trigger_type") {
                cells.push_back(std::string(model::to_string(job.trigger.type)));
                continue;
            }
            const auto& v = j[col];
            if (v.is_null())
                cells.emplace_back();
            else if (v.is_string())
                cells.push_back(v.get<std::string>());
            else
                cells.push_back(model::dump_json(v));
        }
        for (std::size_t i = 0; i < cells.size(); ++i) {
            out += csv_field(cells[i], style);
            out += i + 1 < cells.size() ? "," : "\r\n";
        }
    }
    return out;
}

std::string job_detail(const model::Job& job, const Style& style,
                       const std::vector<plan::Fire>* upcoming, const plan::RunState* state) {
    auto zone = zone_of(job);
    KeyValueList kv;
    kv.add("ID", {job.id});
    kv.add("Name", {job.name});
    if (!job.description.empty())
        kv.add("Description", {job.description});
    kv.add("Status", {std::string(model::to_string(job.status)), status_color(job.status)});
    kv.add("Schedule", {model::describe(job.trigger, zone)});
    kv.add("Time zone", {job.timezone});
    if (job.trigger.cron_expression() && job.trigger.type != model::TriggerType::reboot)
        kv.add("DST", {"gap " + std::string(model::to_string(job.dst_gap)) + ", overlap " +
                       std::string(model::to_string(job.dst_overlap))});
    if (job.jitter.count() > 0)
        kv.add("Jitter", {time::format_duration(job.jitter) + " (this job: +" +
                          time::format_duration(model::jitter_offset(job.id, job.jitter)) + ")"});
    if (job.start_date)
        kv.add("Start date", {table_time(job.start_date, zone, style)});
    if (job.end_date)
        kv.add("End date", {table_time(job.end_date, zone, style)});
    if (!job.windows.empty()) {
        std::string windows;
        for (const auto& w : job.windows)
            windows += (windows.empty() ? "" : ", ") + model::to_string(w);
        windows += job.outside_window == model::OutsideWindow::wait
                       ? " (due outside: wait for the next)"
                       : " (due outside: skip)";
        kv.add("Windows", {windows});
        if (state)
            kv.add("In window",
                   {std::string(state->in_window ? "yes" : "no") +
                    (state->next_window_start
                         ? ", next opens " + table_time(state->next_window_start, zone, style)
                         : std::string())});
    }
    if (job.command)
        kv.add("Command", {*job.command});
    if (job.task_type) {
        kv.add("Task type", {*job.task_type});
        kv.add("Task config", {job.task_config});
    }
    kv.add("Priority", {priority_text(job.priority)});
    kv.add("Owner", {job.owner.value_or("-")});
    kv.add("Tags", {job.tags.empty() ? "-" : tags_text(job.tags)});
    kv.add("Timeout", {job.timeout ? time::format_duration(*job.timeout) : "none"});
    kv.add("Environment", {job.env.empty() ? "-" : env_text(job.env)});
    kv.add("Working dir", {job.working_dir.value_or("(the user's home)")});
    kv.add("Run as", {job.run_as.value_or("(default)")});
    kv.add("Kill grace", {time::format_duration(job.kill_grace)});
    kv.add("Overlap",
           {std::string(model::to_string(job.overlap)) +
            (job.max_instances ? " (at most " + std::to_string(*job.max_instances) + " at once)"
                               : std::string())});
    kv.add("Catch-up",
           {std::string(model::to_string(job.catchup)) +
            (job.misfire_grace ? ", misfire grace " + time::format_duration(*job.misfire_grace)
                               : std::string())});
    if (job.max_executions)
        kv.add("Max executions", {std::to_string(*job.max_executions) + " (" +
                                  std::to_string(job.scheduled_count) + " started)"});
    if (job.max_attempts > 1)
        kv.add("Retries", {std::to_string(job.max_attempts) + " attempts, " +
                           std::string(model::to_string(job.backoff)) + " from " +
                           time::format_duration(job.retry_delay) + " up to " +
                           time::format_duration(job.retry_max_delay) + ", on " +
                           (job.retry_on.empty() ? std::string("any failure")
                                                 : model::retry_on_text(job.retry_on))});
    else
        kv.add("Retries", {"none (1 attempt)"});
    // Without a hook of its own, a job runs the store's default, named by
    // its setting (unless --no-notify).
    const auto hook = [&](const std::optional<std::string>& own, const char* setting) {
        return own          ? *own
               : job.notify ? "(" + std::string(setting) + ", if set)"
                            : std::string("none (--no-notify)");
    };
    kv.add("On failure", {hook(job.on_failure, "notify.on_failure")});
    kv.add("On retry", {hook(job.on_retry, "notify.on_retry")});
    kv.add("On success", {hook(job.on_success, "notify.on_success")});
    kv.add("Executions", {std::to_string(job.execution_count) + " (" +
                          std::to_string(job.failure_count) + " failed)"});
    kv.add("Last run", {job.last_execution ? table_time(job.last_execution, zone, style) + " " +
                                                 job.last_status.value_or("")
                                           : "-",
                        execution_status_color(job.last_status)});
    if (state) {
        kv.add("State", {state->state + (state->waits ? " (" + *state->waits + ")" : "")});
        if (state->attempt > 0)
            kv.add(
                "Attempt",
                {std::to_string(state->attempt) + " of " + std::to_string(job.max_attempts) + " (" +
                 std::to_string(state->attempts_left) + " left)" +
                 (state->next_retry ? ", next retry " + table_time(state->next_retry, zone, style)
                                    : std::string())});
    }
    kv.add("Next run", {table_time(job.next_execution, zone, style)});
    kv.add("Created", {table_time(job.created_at, zone, style)});
    kv.add("Updated", {table_time(job.updated_at, zone, style)});
    std::string out = kv.render(style.color);
    if (upcoming) {
        out += paint("Next runs:", Color::bold, style.color);
        out += upcoming->empty() ? " none\n" : "\n";
        for (const auto& f : *upcoming) {
            out += "  " + table_time(f.at, zone, style);
            if (f.mark != cron::DstMark::none)
                out += "  " + dst_note(f);
            if (f.waited_from)
                out += "  (window: due " + table_time(f.waited_from, zone, style) + ")";
            out += "\n";
        }
    }
    return out;
}

std::string job_json(const model::Job& job, const Style& style,
                     const std::vector<plan::Fire>* upcoming, const plan::RunState* state) {
    auto j = model::job_to_json(job, style.utc);
    if (state) {
        j["state"] = state->state;
        j["attempt"] = state->attempt;
        j["attempts_left"] = state->attempts_left;
        j["next_retry"] = model::instant_json(state->next_retry, zone_of(job), style.utc);
        j["waits"] = state->waits ? nlohmann::ordered_json(*state->waits) : nullptr;
        j["in_window"] = state->in_window;
        j["next_window_start"] =
            model::instant_json(state->next_window_start, zone_of(job), style.utc);
    }
    if (upcoming) {
        auto zone = zone_of(job);
        j["next_runs"] = fires_json(*upcoming, zone, style.utc);
        j["next_runs_dst"] = dst_json(*upcoming);
        j["next_runs_waited_from"] = waited_json(*upcoming, zone, style.utc);
    }
    return model::dump_json(j, 2) + "\n";
}

} // namespace schedule::format
