#include <schedule/model/job_json.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

namespace schedule::model {

using ojson = nlohmann::ordered_json;

time::Zone zone_of(const Job& job) {
    auto z = time::Zone::locate(job.timezone);
    return z ? *z : time::Zone::utc();
}

namespace {

util::Result<ojson> parse_object(std::string_view text, const char* what) {
    try {
        auto j = ojson::parse(text.begin(), text.end());
        if (!j.is_object())
            return util::fail(std::string(what) + " is not a JSON object");
        return j;
    } catch (const nlohmann::json::exception&) {
        return util::fail(std::string(what) + " is not valid JSON");
    }
}

} // namespace

ojson instant_json(const std::optional<time::Instant>& t, const time::Zone& zone, bool utc) {
    if (!t)
        return nullptr;
    return utc ? time::format_iso_utc(*t) : time::format_iso(*t, zone);
}

namespace {

// The stored text of a cron trigger whose expression is plain ASCII (what
// trigger_to_json_text() writes for nearly every job), read without a JSON
// parser: its expression, or nothing for any other text.
std::optional<std::string_view> plain_cron_expression(std::string_view text) {
    constexpr std::string_view head = R"({"type":"cron","expression":")", tail = R"("})";
    if (text.size() < head.size() + tail.size() || !text.starts_with(head) || !text.ends_with(tail))
        return std::nullopt;
    auto expression = text.substr(head.size(), text.size() - head.size() - tail.size());
    for (unsigned char c : expression)
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            return std::nullopt;
    return expression;
}

} // namespace

util::Result<Trigger> trigger_from_json_text(std::string_view text) {
    if (auto expression = plain_cron_expression(text)) {
        Trigger t;
        t.type = TriggerType::cron;
        t.expression = *expression;
        return t;
    }
    auto j = parse_object(text, "trigger");
    if (!j)
        return util::fail(j.error());
    Trigger t;
    auto type = j->value("type", std::string("manual"));
    auto parsed = parse_trigger_type(type);
    if (!parsed)
        return util::fail("unknown trigger type " + util::quoted(type));
    t.type = *parsed;
    t.expression = j->value("expression", std::string());
    auto instant = [&](const char* key) -> std::optional<time::Instant> {
        if (!j->contains(key) || !(*j)[key].is_string())
            return std::nullopt;
        auto r = time::parse_instant((*j)[key].get<std::string>(), time::Zone::utc());
        return r ? std::optional(*r) : std::nullopt;
    };
    switch (t.type) {
    case TriggerType::daily:
    case TriggerType::weekly:
    case TriggerType::monthly:
        t.spec = j->value("at", std::string());
        break;
    case TriggerType::every: {
        auto d = time::parse_duration(j->value("every", std::string()));
        if (!d)
            return util::fail("trigger every: " + d.error());
        t.every = *d;
        t.anchor = instant("anchor");
        break;
    }
    case TriggerType::at:
        t.at = instant("at");
        break;
    default:
        break;
    }
    return t;
}

ojson tags_to_json(const std::vector<Tag>& tags) {
    ojson j = ojson::object();
    for (const auto& t : tags)
        j[t.key] = t.value ? ojson(*t.value) : ojson(nullptr);
    return j;
}

std::string tags_to_json_text(const std::vector<Tag>& tags) {
    return dump_json(tags_to_json(tags));
}

util::Result<std::vector<Tag>> tags_from_json_text(std::string_view text) {
    if (text == "{}")
        return std::vector<Tag>{};
    auto j = parse_object(text, "tags");
    if (!j)
        return util::fail(j.error());
    std::vector<Tag> tags;
    for (auto it = j->begin(); it != j->end(); ++it) {
        if (it.value().is_null())
            tags.push_back(Tag{it.key(), std::nullopt});
        else if (it.value().is_string())
            tags.push_back(Tag{it.key(), it.value().get<std::string>()});
        else
            return util::fail("tag " + util::quoted(it.key()) + " must be a string or null");
    }
    return tags;
}

ojson env_to_json(const std::vector<EnvVar>& env) {
    ojson j = ojson::object();
    for (const auto& e : env)
        j[e.name] = e.value;
    return j;
}

std::string env_to_json_text(const std::vector<EnvVar>& env) {
    return dump_json(env_to_json(env));
}

util::Result<std::vector<EnvVar>> env_from_json_text(std::string_view text) {
    if (text == "{}")
        return std::vector<EnvVar>{};
    auto j = parse_object(text, "env");
    if (!j)
        return util::fail(j.error());
    std::vector<EnvVar> env;
    for (auto it = j->begin(); it != j->end(); ++it) {
        if (!it.value().is_string())
            return util::fail("env " + util::quoted(it.key()) + " must be a string");
        env.push_back(EnvVar{it.key(), it.value().get<std::string>()});
    }
    return env;
}

ojson execution_to_json(const Execution& e, const time::Zone& zone, bool utc) {
    ojson j;
    j["execution_id"] = e.id;
    j["job_id"] = e.job_id;
    j["job_name"] = e.job_name;
    j["trigger"] = std::string(to_string(e.trigger));
    j["attempt"] = e.attempt;
    j["scheduled_for"] = instant_json(e.scheduled_for, zone, utc);
    j["start_time"] = instant_json(e.start_time, zone, utc);
    j["end_time"] = instant_json(e.end_time, zone, utc);
    j["duration_seconds"] =
        e.duration_ms ? ojson(static_cast<double>(*e.duration_ms) / 1000.0) : ojson(nullptr);
    j["status"] = std::string(to_string(e.status));
    j["exit_code"] = e.exit_code ? ojson(*e.exit_code) : ojson(nullptr);
    j["signal"] = e.signal ? ojson(*e.signal) : ojson(nullptr);
    j["reason"] = e.reason ? ojson(*e.reason) : ojson(nullptr);
    j["skipped_count"] = e.skipped_count ? ojson(*e.skipped_count) : ojson(nullptr);
    j["error"] = e.error ? ojson(*e.error) : ojson(nullptr);
    j["host"] = e.host ? ojson(*e.host) : ojson(nullptr);
    return j;
}

ojson job_to_json(const Job& job, bool utc) {
    return job_to_json(job, zone_of(job), utc);
}

ojson job_to_json(const Job& job, const time::Zone& zone, bool utc) {
    // One definition of the job object: the text writer below.
    return ojson::parse(job_json_text(job, zone, utc));
}

namespace {

// Appends `s` as a JSON string. Plain text is copied as it is; anything
// that needs escaping or is not valid UTF-8 goes through nlohmann's
// serialiser, so the result is byte for byte what dump_json() writes.
void append_string(std::string& out, std::string_view s) {
    bool plain = true, ascii = true;
    for (unsigned char c : s) {
        if (c < 0x20 || c == '"' || c == '\\') {
            plain = false;
            break;
        }
        ascii = ascii && c < 0x80;
    }
    if (plain && (ascii || util::is_valid_utf8(s))) {
        out += '"';
        out += s;
        out += '"';
        return;
    }
    out += dump_json(ojson(std::string(s)));
}

// Writes one JSON object, member by member, compact.
class ObjectWriter {
public:
    explicit ObjectWriter(std::string& out) : m_out(out) { m_out += '{'; }
    void end() { m_out += '}'; }
    ObjectWriter& key(std::string_view k) {
        if (!m_first)
            m_out += ',';
        m_first = false;
        append_string(m_out, k);
        m_out += ':';
        return *this;
    }
    void str(std::string_view v) { append_string(m_out, v); }
    void str(const std::string& v) { append_string(m_out, v); }
    void str(const char* v) { append_string(m_out, v); }
    void str(const std::optional<std::string>& v) { v ? str(*v) : null(); }
    void num(std::int64_t v) { m_out += std::to_string(v); }
    void num(int v) { num(std::int64_t{v}); }
    void num(const std::optional<std::int64_t>& v) { v ? num(*v) : null(); }
    void boolean(bool v) { m_out += v ? "true" : "false"; }
    void null() { m_out += "null"; }
    void raw(std::string_view json) { m_out += json; }
    void instant(const std::optional<time::Instant>& t, const time::Zone& zone, bool utc) {
        if (!t)
            return null();
        str(utc ? time::format_iso_utc(*t) : time::format_iso(*t, zone));
    }

private:
    std::string& m_out;
    bool m_first = true;
};

std::optional<std::int64_t> seconds_of(const std::optional<time::Duration>& d) {
    return d ? std::optional<std::int64_t>(d->count()) : std::nullopt;
}

void append_trigger_json(std::string& out, const Trigger& trigger, const time::Zone& zone,
                         bool utc) {
    ObjectWriter w(out);
    w.key("type").str(to_string(trigger.type));
    switch (trigger.type) {
    case TriggerType::cron:
    case TriggerType::reboot:
        w.key("expression").str(trigger.expression);
        break;
    case TriggerType::daily:
    case TriggerType::weekly:
    case TriggerType::monthly:
        w.key("at").str(trigger.spec);
        w.key("expression").str(trigger.expression);
        break;
    case TriggerType::every:
        w.key("every").str(trigger.every ? time::format_duration(*trigger.every) : std::string());
        w.key("anchor").instant(trigger.anchor, zone, utc);
        break;
    case TriggerType::at:
        w.key("at").instant(trigger.at, zone, utc);
        break;
    default:
        break;
    }
    w.end();
}

} // namespace

ojson trigger_to_json(const Trigger& trigger, const time::Zone& zone, bool utc) {
    std::string text;
    append_trigger_json(text, trigger, zone, utc);
    return ojson::parse(text);
}

std::string trigger_to_json_text(const Trigger& trigger) {
    std::string text;
    append_trigger_json(text, trigger, time::Zone::utc(), true);
    return text;
}

void append_job_json(std::string& out, const Job& job, const time::Zone& zone, bool utc) {
    ObjectWriter w(out);
    w.key("job_id").str(job.id);
    w.key("name").str(job.name);
    w.key("description").str(job.description);
    w.key("cron_expression").str(job.trigger.cron_expression());
    w.key("trigger");
    append_trigger_json(out, job.trigger, zone, utc);
    w.key("timezone").str(job.timezone);
    w.key("command").str(job.command);
    w.key("task_type").str(job.task_type);
    if (job.task_type) {
        auto cfg = parse_object(job.task_config, "task_config");
        w.key("task_config").raw(dump_json(cfg ? *cfg : ojson::object()));
    } else {
        w.key("task_config").null();
    }
    w.key("priority").num(job.priority);
    w.key("owner").str(job.owner);
    w.key("tags");
    {
        ObjectWriter tags(out);
        for (const auto& t : job.tags) {
            tags.key(t.key);
            t.value ? tags.str(*t.value) : tags.null();
        }
        tags.end();
    }
    w.key("enabled").boolean(job.enabled);
    w.key("status").str(to_string(job.status));
    w.key("timeout_seconds").num(seconds_of(job.timeout));
    w.key("env");
    {
        ObjectWriter env(out);
        for (const auto& v : job.env)
            env.key(v.name).str(v.value);
        env.end();
    }
    w.key("working_dir").str(job.working_dir);
    w.key("run_as").str(job.run_as);
    w.key("kill_grace_seconds").num(job.kill_grace.count());
    w.key("overlap").str(to_string(job.overlap));
    w.key("max_instances")
        .num(job.max_instances ? std::optional<std::int64_t>(*job.max_instances) : std::nullopt);
    w.key("catchup").str(to_string(job.catchup));
    w.key("misfire_grace_seconds").num(seconds_of(job.misfire_grace));
    w.key("max_executions").num(job.max_executions);
    w.key("scheduled_count").num(job.scheduled_count);
    w.key("max_attempts").num(job.max_attempts);
    w.key("retry_delay_seconds").num(job.retry_delay.count());
    w.key("retry_max_delay_seconds").num(job.retry_max_delay.count());
    w.key("backoff").str(to_string(job.backoff));
    if (job.retry_on.empty()) {
        w.key("retry_on").null();
    } else {
        w.key("retry_on").raw("[");
        for (std::size_t i = 0; i < job.retry_on.size(); ++i) {
            if (i > 0)
                out += ',';
            append_string(out, to_string(job.retry_on[i]));
        }
        out += ']';
    }
    w.key("jitter_seconds").num(job.jitter.count());
    w.key("dst_gap").str(to_string(job.dst_gap));
    w.key("dst_overlap").str(to_string(job.dst_overlap));
    w.key("start_date").instant(job.start_date, zone, utc);
    w.key("end_date").instant(job.end_date, zone, utc);
    w.key("execution_count").num(job.execution_count);
    w.key("failure_count").num(job.failure_count);
    w.key("last_execution").instant(job.last_execution, zone, utc);
    w.key("last_status").str(job.last_status);
    w.key("next_execution").instant(job.next_execution, zone, utc);
    w.key("created_at").instant(job.created_at, zone, utc);
    w.key("updated_at").instant(job.updated_at, zone, utc);
    w.end();
}

std::string job_json_text(const Job& job, const time::Zone& zone, bool utc) {
    std::string out;
    out.reserve(1200);
    append_job_json(out, job, zone, utc);
    return out;
}

std::string dump_json(const ojson& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace schedule::model
