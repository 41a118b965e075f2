#include <schedule/format/executions.hpp>
#include <schedule/format/jobs.hpp>
#include <schedule/format/runs.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

namespace schedule::format {

namespace {

using ojson = nlohmann::ordered_json;
using model::ExecutionStatus;

time::Zone zone_named(const std::string& name) {
    auto z = time::Zone::locate(name);
    return z ? *z : time::Zone::utc();
}

// A history is mostly one or a few jobs: look each zone name up once.
class ZoneCache {
public:
    const time::Zone& get(const std::string& name) {
        auto it = m_zones.find(name);
        if (it == m_zones.end())
            it = m_zones.emplace(name, zone_named(name)).first;
        return it->second;
    }

private:
    std::map<std::string, time::Zone> m_zones;
};

// Linux signal numbers; format/ may not include <csignal> (only exec/ does),
// and the record stores the number, which is what a user looks up anyway
// when the name is unknown.
std::string signal_name(int sig) {
    static constexpr std::array<const char*, 32> k_names = {
        nullptr,  "HUP",  "INT",    "QUIT", "ILL",   "TRAP", "ABRT", "BUS",
        "FPE",    "KILL", "USR1",   "SEGV", "USR2",  "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT",   "STOP", "TSTP",  "TTIN", "TTOU", "URG",
        "XCPU",   "XFSZ", "VTALRM", "PROF", "WINCH", "IO",   "PWR",  "SYS"};
    if (sig > 0 && sig < static_cast<int>(k_names.size()))
        return std::string("SIG") + k_names[static_cast<std::size_t>(sig)];
    return "signal " + std::to_string(sig);
}

// The EXIT column: what ended the run, or why it never ran.
std::string exit_text(const model::Execution& e) {
    if (e.status == ExecutionStatus::skipped) {
        std::string text = model::reason_text(e).value_or("-");
        if (e.skipped_count)
            text += " (" + std::to_string(*e.skipped_count) + ")";
        return text;
    }
    if (e.signal)
        return signal_name(*e.signal);
    if (e.exit_code)
        return std::to_string(*e.exit_code);
    return "-";
}

// JSON figures keep millisecond and basis-point precision: more digits
// would only show binary rounding noise (0.30000000000000004).
double round_to(double v, double scale) {
    return std::round(v * scale) / scale;
}

ojson seconds_json(const std::optional<double>& s) {
    if (!s)
        return nullptr;
    return round_to(*s, 1000.0);
}

ojson rate_json(const std::optional<double>& r) {
    if (!r)
        return nullptr;
    return round_to(*r, 10000.0);
}

ojson execution_json(const model::Execution& e, const time::Zone& zone, bool utc) {
    return model::execution_to_json(e, zone, utc);
}

ojson period_json(const history::Period& p) {
    ojson j;
    j["runs"] = p.runs;
    j["success_rate"] = rate_json(p.success_rate);
    j["average_duration_seconds"] = seconds_json(p.average_duration_seconds);
    return j;
}

ojson job_stats_object(const model::Job& job, const history::JobStats& s, bool utc) {
    auto zone = zone_named(job.timezone);
    const auto& d = s.durations;
    ojson j;
    j["job_id"] = job.id;
    j["name"] = job.name;
    j["total_executions"] = s.total;
    j["successful_executions"] = s.completed;
    j["failed_executions"] = s.failed;
    j["timed_out_executions"] = s.timed_out;
    j["cancelled_executions"] = s.cancelled;
    j["lost_executions"] = s.lost;
    j["skipped_executions"] = s.skipped;
    j["running_executions"] = s.running;
    j["success_rate"] = rate_json(s.success_rate);
    j["average_duration_seconds"] = seconds_json(d.average_seconds);
    j["min_duration_seconds"] = seconds_json(d.min_seconds);
    j["max_duration_seconds"] = seconds_json(d.max_seconds);
    j["p50_duration_seconds"] = seconds_json(d.p50_seconds);
    j["p95_duration_seconds"] = seconds_json(d.p95_seconds);
    j["p99_duration_seconds"] = seconds_json(d.p99_seconds);
    j["last_execution"] = model::instant_json(s.last_execution, zone, utc);
    j["next_execution"] = model::instant_json(job.next_execution, zone, utc);
    j["trend"]["last_7_days"] = period_json(s.trend.last_7_days);
    j["trend"]["previous_7_days"] = period_json(s.trend.previous_7_days);
    j["top_errors"] = ojson::array();
    for (const auto& e : s.top_errors)
        j["top_errors"].push_back(ojson{{"error", e.error}, {"count", e.count}});
    return j;
}

std::string seconds_text(const std::optional<double>& s) {
    if (!s)
        return "-";
    return duration_text(std::llround(*s * 1000.0));
}

// "87.5%"; "-" when nothing has ended.
std::string percent_text(const std::optional<double>& r) {
    if (!r)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", *r * 100.0);
    return buf;
}

std::string success_text(const history::JobStats& s) {
    auto ended = s.completed + s.failed + s.timed_out + s.lost;
    if (!s.success_rate)
        return "- (nothing has ended)";
    return percent_text(s.success_rate) + " (" + std::to_string(s.completed) + " of " +
           std::to_string(ended) + ")";
}

std::string durations_text(const history::DurationStats& d) {
    if (d.count == 0)
        return "-";
    return "avg " + seconds_text(d.average_seconds) + "  min " + seconds_text(d.min_seconds) +
           "  p50 " + seconds_text(d.p50_seconds) + "  p95 " + seconds_text(d.p95_seconds) +
           "  p99 " + seconds_text(d.p99_seconds) + "  max " + seconds_text(d.max_seconds);
}

std::string period_text(const history::Period& p) {
    if (p.runs == 0)
        return "no runs";
    return std::to_string(p.runs) + (p.runs == 1 ? " run" : " runs") + ", " +
           percent_text(p.success_rate) + " ok, avg " + seconds_text(p.average_duration_seconds);
}

// "4 (3 completed, 1 failed), 2 skipped": the runs, then the skips, which
// are not runs.
std::string counts_text(const history::JobStats& s) {
    std::string text = std::to_string(s.total) + " (" + std::to_string(s.completed) +
                       " completed, " + std::to_string(s.failed) + " failed";
    const std::pair<const char*, std::int64_t> optional_counts[] = {{" timed out", s.timed_out},
                                                                    {" cancelled", s.cancelled},
                                                                    {" lost", s.lost},
                                                                    {" running", s.running}};
    for (auto [what, n] : optional_counts)
        if (n > 0)
            text += ", " + std::to_string(n) + what;
    text += ")";
    if (s.skipped > 0)
        text += ", " + std::to_string(s.skipped) + " skipped";
    return text;
}

// --- Prometheus text --------------------------------------------------------

std::string escape_label(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// The shortest text that reads back as the same double.
std::string number_text(double v) {
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

class Exposition {
public:
    // Starts a metric family: its HELP and TYPE lines, once.
    void family(std::string_view name, std::string_view type, std::string_view help) {
        m_out.append("# HELP ").append(name).append(" ").append(help).append("\n");
        m_out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    }
    void sample(std::string_view name,
                const std::vector<std::pair<std::string, std::string>>& labels,
                const std::string& value) {
        m_out.append(name);
        if (!labels.empty()) {
            m_out += '{';
            for (std::size_t i = 0; i < labels.size(); ++i) {
                if (i > 0)
                    m_out += ',';
                m_out.append(labels[i].first).append("=\"");
                m_out.append(escape_label(labels[i].second)).append("\"");
            }
            m_out += '}';
        }
        m_out.append(" ").append(value).append("\n");
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

using Labels = std::vector<std::pair<std::string, std::string>>;

Labels job_labels(const model::Job& job) {
    return {{"job_id", job.id}, {"job", job.name}};
}

Labels with(Labels labels, std::string key, std::string value) {
    labels.emplace_back(std::move(key), std::move(value));
    return labels;
}

} // namespace

std::string duration_text(const std::optional<std::int64_t>& ms) {
    if (!ms)
        return "-";
    auto v = std::max<std::int64_t>(*ms, 0);
    if (v < 1000)
        return std::to_string(v) + "ms";
    // Each unit rounds to its last digit shown, and a value that rounds up
    // to the next unit is shown in that unit: 59.96 s reads "1m00s", never
    // "60.0s".
    char buf[48];
    if (auto tenths = (v + 50) / 100; tenths < 600) {
        if (tenths % 10 == 0)
            std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(tenths / 10));
        else
            std::snprintf(buf, sizeof buf, "%lld.%llds", static_cast<long long>(tenths / 10),
                          static_cast<long long>(tenths % 10));
    } else if (auto s = (v + 500) / 1000; s < 3600) {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(s / 60),
                      static_cast<long long>(s % 60));
    } else {
        auto m = (v + 30'000) / 60'000;
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(m / 60),
                      static_cast<long long>(m % 60));
    }
    return buf;
}

std::string history_table(const std::vector<model::Execution>& executions, const Style& style) {
    ZoneCache zones;
    Table table(
        {"ID", "JOB", "TRIGGER", "ATTEMPT", "SCHEDULED", "STARTED", "DURATION", "STATUS", "EXIT"});
    for (const auto& e : executions) {
        const auto& zone = zones.get(e.job_timezone);
        table.add_row({
            {std::to_string(e.id), Color::dim},
            {e.job_name.empty() ? e.job_id : e.job_name},
            {std::string(model::to_string(e.trigger))},
            {std::to_string(e.attempt)},
            {table_time(e.scheduled_for, zone, style)},
            {table_time(e.start_time, zone, style)},
            {duration_text(e.duration_ms)},
            {std::string(model::to_string(e.status)), status_color(e.status)},
            {exit_text(e)},
        });
    }
    return table.render(style.color);
}

std::string queue_table(const std::vector<plan::QueueEntry>& entries, const Style& style) {
    ZoneCache zones;
    Table table(
        {"ID", "JOB", "STATE", "PRIORITY", "TRIGGER", "ATTEMPT", "SCHEDULED", "STARTED", "WHY"});
    for (const auto& q : entries) {
        const auto& e = q.execution;
        const auto& zone = zones.get(e.job_timezone);
        std::string why = q.reason ? std::string(model::to_string(*q.reason)) : std::string();
        if (!q.detail.empty())
            why += (why.empty() ? "" : ": ") + q.detail;
        if (q.until)
            why += " " + table_time(q.until, zone, style);
        table.add_row({
            {std::to_string(e.id), Color::dim},
            {e.job_name.empty() ? e.job_id : e.job_name},
            {q.state, q.state == "running" ? Color::cyan : Color::none},
            {std::to_string(e.priority)},
            {std::string(model::to_string(e.trigger))},
            {std::to_string(e.attempt)},
            {table_time(e.scheduled_for, zone, style)},
            {table_time(e.start_time, zone, style)},
            {why.empty() ? "-" : why},
        });
    }
    return table.render(style.color);
}

std::string queue_json(const std::vector<plan::QueueEntry>& entries, const Style& style) {
    ZoneCache zones;
    ojson out = ojson::array();
    for (const auto& q : entries) {
        auto j = execution_json(q.execution, zones.get(q.execution.job_timezone), style.utc);
        j["priority"] = q.execution.priority;
        j["state"] = q.state;
        j["queue_reason"] =
            q.reason ? ojson(std::string(model::to_string(*q.reason))) : ojson(nullptr);
        j["detail"] = q.detail.empty() ? ojson(nullptr) : ojson(q.detail);
        j["until"] = model::instant_json(q.until, zones.get(q.execution.job_timezone), style.utc);
        out.push_back(std::move(j));
    }
    return model::dump_json(out, 2) + "\n";
}

std::string history_json(const std::vector<model::Execution>& executions, const Style& style) {
    if (executions.empty())
        return "[]\n";
    ZoneCache zones;
    std::string out = "[\n";
    for (std::size_t i = 0; i < executions.size(); ++i) {
        const auto& e = executions[i];
        out += model::dump_json(execution_json(e, zones.get(e.job_timezone), style.utc));
        out += i + 1 < executions.size() ? ",\n" : "\n";
    }
    out += "]\n";
    return out;
}

std::string history_csv(const std::vector<model::Execution>& executions, const Style& style) {
    ZoneCache zones;
    std::string out;
    // The header is the key list of an execution object, so CSV and JSON
    // cannot drift apart.
    auto header = execution_json(model::Execution{}, time::Zone::utc(), true);
    std::vector<std::string> keys;
    for (auto it = header.begin(); it != header.end(); ++it)
        keys.push_back(it.key());
    out += util::join(keys, ",") + "\r\n";
    for (const auto& e : executions) {
        auto j = execution_json(e, zones.get(e.job_timezone), style.utc);
        std::vector<std::string> cells;
        for (const auto& key : keys) {
            const auto& v = j[key];
            if (v.is_null())
                cells.emplace_back();
            else if (v.is_string())
                cells.push_back(csv_field(v.get<std::string>(), style));
            else
                cells.push_back(model::dump_json(v));
        }
        out += util::join(cells, ",") + "\r\n";
    }
    return out;
}

std::string execution_json(const model::Execution& execution, const Style& style) {
    return model::dump_json(
               execution_json(execution, zone_named(execution.job_timezone), style.utc), 2) +
           "\n";
}

std::string output_json(const model::Execution& execution, const model::CapturedOutput& out,
                        const model::CapturedOutput& err, const Style& style) {
    auto j = execution_json(execution, zone_named(execution.job_timezone), style.utc);
    auto stream = [](const model::CapturedOutput& o) {
        ojson s;
        s["data"] = o.data; // invalid UTF-8 is replaced when dumped
        s["total_bytes"] = o.total_bytes;
        s["truncated"] = o.truncated;
        return s;
    };
    j["stdout"] = stream(out);
    j["stderr"] = stream(err);
    return model::dump_json(j, 2) + "\n";
}

std::string job_stats_table(const model::Job& job, const history::JobStats& stats,
                            const Style& style, const model::RecentRuns* recent) {
    auto zone = zone_named(job.timezone);
    KeyValueList kv;
    kv.add("Job", {job.name + " (" + job.id + ")"});
    kv.add("Runs", {counts_text(stats)});
    kv.add("Success rate", {success_text(stats)});
    kv.add("Duration", {durations_text(stats.durations)});
    if (recent) {
        auto found = recent->find(job.id);
        const auto runs = found == recent->end() ? std::vector<model::RunOutcome>{} : found->second;
        auto strip = run_strip(runs, style.color);
        kv.add("Recent runs", strip.empty() ? Cell{"-"} : Cell{"", Color::none, std::move(strip)});
        auto sparkline = duration_sparkline(runs);
        kv.add("Recent durations", {sparkline.empty() ? "-" : sparkline});
    }
    kv.add("Last 7 days", {period_text(stats.trend.last_7_days)});
    kv.add("Previous 7 days", {period_text(stats.trend.previous_7_days)});
    kv.add("Last run", {table_time(stats.last_execution, zone, style)});
    kv.add("Next run", {table_time(job.next_execution, zone, style)});
    std::string out = kv.render(style.color);
    out += paint("Top errors:", Color::bold, style.color);
    out += stats.top_errors.empty() ? " none\n" : "\n";
    for (const auto& e : stats.top_errors)
        out += "  " + std::to_string(e.count) + "x  " + util::escape_control(e.error) + "\n";
    return out;
}

std::string job_stats_json(const model::Job& job, const history::JobStats& stats,
                           const Style& style) {
    return model::dump_json(job_stats_object(job, stats, style.utc), 2) + "\n";
}

std::string stats_table(const history::Summary& summary, const JobStatsList& jobs,
                        const Style& style) {
    KeyValueList kv;
    kv.add("Jobs", {std::to_string(summary.jobs) + " (" + std::to_string(summary.enabled) +
                    " enabled, " + std::to_string(summary.paused) + " paused, " +
                    std::to_string(summary.finished) + " finished)"});
    kv.add("Running", {std::to_string(summary.running)});
    std::vector<std::string> today;
    for (const auto& [status, n] : summary.today)
        if (n > 0)
            today.push_back(std::to_string(n) + " " + status);
    kv.add("Today", {today.empty() ? "no runs" : util::join(today, ", ")});
    std::vector<std::string> types;
    for (const auto& [type, n] : summary.jobs_by_task_type)
        types.push_back(type + " " + std::to_string(n));
    kv.add("Task types", {types.empty() ? "-" : util::join(types, ", ")});
    std::string out = kv.render(style.color);

    out += paint("Next runs:", Color::bold, style.color);
    out += summary.next_runs.empty() ? " none\n" : "\n";
    for (const auto& r : summary.next_runs)
        out += "  " + table_time(r.at, zone_named(r.timezone), style) + "  " +
               util::escape_control(r.name) + "\n";

    if (jobs.empty())
        return out;
    Table table({"NAME", "RUNS", "OK", "FAILED", "SUCCESS", "P50", "P95", "LAST", "NEXT"});
    for (const auto& [job, s] : jobs) {
        auto zone = zone_named(job.timezone);
        // FAILED counts every failure kind (failed, timed_out, lost), so that
        // OK, FAILED and SUCCESS agree with each other.
        auto failures = s.failed + s.timed_out + s.lost;
        table.add_row({
            {job.name},
            {std::to_string(s.total)},
            {std::to_string(s.completed), s.completed > 0 ? Color::green : Color::none},
            {std::to_string(failures), failures > 0 ? Color::red : Color::none},
            {percent_text(s.success_rate)},
            {seconds_text(s.durations.p50_seconds)},
            {seconds_text(s.durations.p95_seconds)},
            {table_time(s.last_execution, zone, style)},
            {table_time(job.next_execution, zone, style)},
        });
    }
    return out + "\n" + table.render(style.color);
}

std::string stats_json(const history::Summary& summary, const JobStatsList& jobs,
                       const Style& style) {
    ojson sum;
    sum["jobs"] = summary.jobs;
    sum["enabled"] = summary.enabled;
    sum["paused"] = summary.paused;
    sum["finished"] = summary.finished;
    sum["running"] = summary.running;
    sum["today"] = ojson::object();
    for (const auto& [status, n] : summary.today)
        sum["today"][status] = n;
    sum["jobs_by_task_type"] = ojson::object();
    for (const auto& [type, n] : summary.jobs_by_task_type)
        sum["jobs_by_task_type"][type] = n;
    sum["next_runs"] = ojson::array();
    for (const auto& r : summary.next_runs)
        sum["next_runs"].push_back(ojson{
            {"job_id", r.job_id},
            {"name", r.name},
            {"next_execution", model::instant_json(r.at, zone_named(r.timezone), style.utc)}});
    ojson j;
    j["summary"] = std::move(sum);
    j["jobs"] = ojson::array();
    for (const auto& [job, s] : jobs)
        j["jobs"].push_back(job_stats_object(job, s, style.utc));
    return model::dump_json(j, 2) + "\n";
}

std::string stats_prometheus(const history::Summary* summary, const JobStatsList& jobs) {
    Exposition x;
    auto count = [](std::int64_t n) { return std::to_string(n); };

    if (summary) {
        x.family("schedule_jobs", "gauge", "Jobs by state.");
        x.sample("schedule_jobs", {{"state", "enabled"}}, count(summary->enabled));
        x.sample("schedule_jobs", {{"state", "paused"}}, count(summary->paused));
        x.sample("schedule_jobs", {{"state", "finished"}}, count(summary->finished));
        x.family("schedule_executions_running", "gauge", "Executions running now.");
        x.sample("schedule_executions_running", {}, count(summary->running));
        x.family("schedule_executions_today", "gauge",
                 "Executions created since the start of today, by status.");
        for (const auto& [status, n] : summary->today)
            x.sample("schedule_executions_today", {{"status", status}}, count(n));
    }
    if (jobs.empty())
        return x.take();

    // Only ended statuses: the queued, waiting and running ones come and go,
    // so they are a gauge of their own rather than part of a counter. Skips
    // are not runs: they have a counter of their own.
    x.family("schedule_job_executions_total", "counter",
             "Runs in the retained history of a job, by final status.");
    for (const auto& [job, s] : jobs) {
        const std::pair<const char*, std::int64_t> by_status[] = {{"completed", s.completed},
                                                                  {"failed", s.failed},
                                                                  {"timed_out", s.timed_out},
                                                                  {"cancelled", s.cancelled},
                                                                  {"lost", s.lost}};
        for (auto [status, n] : by_status)
            x.sample("schedule_job_executions_total", with(job_labels(job), "status", status),
                     count(n));
    }
    x.family("schedule_job_skipped_total", "counter",
             "Runs of a job skipped in its retained history (overlap, catch-up, limits).");
    for (const auto& [job, s] : jobs)
        x.sample("schedule_job_skipped_total", job_labels(job), count(s.skipped));
    x.family("schedule_job_executions_running", "gauge",
             "Executions of a job queued, waiting or running now.");
    for (const auto& [job, s] : jobs)
        x.sample("schedule_job_executions_running", job_labels(job), count(s.running));

    x.family("schedule_job_success_ratio", "gauge",
             "Completed runs over completed, failed, timed out and lost runs.");
    for (const auto& [job, s] : jobs)
        if (s.success_rate)
            x.sample("schedule_job_success_ratio", job_labels(job), number_text(*s.success_rate));

    x.family("schedule_job_duration_seconds", "summary",
             "Run time of completed, failed and timed out runs (nearest-rank quantiles).");
    for (const auto& [job, s] : jobs) {
        const auto& d = s.durations;
        const std::pair<const char*, const std::optional<double>*> quantiles[] = {
            {"0.5", &d.p50_seconds}, {"0.95", &d.p95_seconds}, {"0.99", &d.p99_seconds}};
        for (auto [q, v] : quantiles)
            if (*v)
                x.sample("schedule_job_duration_seconds", with(job_labels(job), "quantile", q),
                         number_text(**v));
        double sum = d.average_seconds ? *d.average_seconds * static_cast<double>(d.count) : 0.0;
        x.sample("schedule_job_duration_seconds_sum", job_labels(job),
                 number_text(round_to(sum, 1000.0)));
        x.sample("schedule_job_duration_seconds_count", job_labels(job), count(d.count));
    }

    x.family("schedule_job_last_execution_timestamp_seconds", "gauge",
             "Start of the newest run of a job that started, in Unix seconds.");
    for (const auto& [job, s] : jobs)
        if (s.last_execution)
            x.sample("schedule_job_last_execution_timestamp_seconds", job_labels(job),
                     count(time::to_unix(*s.last_execution)));
    x.family("schedule_job_next_execution_timestamp_seconds", "gauge",
             "Next planned run of a job, in Unix seconds.");
    for (const auto& [job, s] : jobs)
        if (job.next_execution)
            x.sample("schedule_job_next_execution_timestamp_seconds", job_labels(job),
                     count(time::to_unix(*job.next_execution)));
    return x.take();
}

} // namespace schedule::format
