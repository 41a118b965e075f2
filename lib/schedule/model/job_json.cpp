#include <schedule/model/execution.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <limits>

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
    case TriggerType::after: {
        JobLink link;
        link.job_id = j->value("job_id", std::string());
        link.job_name = j->value("job", std::string());
        auto state = parse_end_state(j->value("state", std::string("completed")));
        if (!state)
            return util::fail("trigger after: unknown state");
        link.state = *state;
        t.after = link;
        break;
    }
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

std::string windows_to_json_text(const std::vector<Window>& windows) {
    std::string out = "[";
    for (std::size_t i = 0; i < windows.size(); ++i) {
        if (i > 0)
            out += ',';
        append_json_string(out, to_string(windows[i]));
    }
    return out + "]";
}

util::Result<std::vector<Window>> windows_from_json_text(std::string_view text) {
    if (text == "[]")
        return std::vector<Window>{};
    const auto j = ojson::parse(text, nullptr, false);
    if (!j.is_array())
        return util::fail("windows: not a JSON array");
    std::vector<Window> windows;
    for (const auto& item : j) {
        if (!item.is_string())
            return util::fail("windows: an item is not a string");
        auto w = parse_window(item.get<std::string>());
        if (!w)
            return util::fail("windows: " + w.error());
        windows.push_back(std::move(w).value());
    }
    return windows;
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
    std::string text;
    append_execution_json(text, e, zone, utc);
    return ojson::parse(text);
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
} // namespace

void append_json_string(std::string& out, std::string_view s) {
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

namespace {

void append_string(std::string& out, std::string_view s) {
    append_json_string(out, s);
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
    case TriggerType::after:
        if (trigger.after) {
            w.key("job").str(trigger.after->job_name);
            w.key("job_id").str(trigger.after->job_id);
            w.key("state").str(to_string(trigger.after->state));
        }
        break;
    default:
        break;
    }
    w.end();
}

// [{"job", "job_id", "state", "timeout_seconds"}, ...]; conflicts give
// only the job.
void append_links_json(std::string& out, const std::vector<JobLink>& links, bool dependency) {
    out += '[';
    for (std::size_t i = 0; i < links.size(); ++i) {
        if (i > 0)
            out += ',';
        ObjectWriter w(out);
        w.key("job").str(links[i].job_name);
        w.key("job_id").str(links[i].job_id);
        if (dependency) {
            w.key("state").str(to_string(links[i].state));
            w.key("timeout_seconds").num(std::int64_t{links[i].timeout.count()});
        }
        w.end();
    }
    out += ']';
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
    w.key("on_failure").str(job.on_failure);
    w.key("on_retry").str(job.on_retry);
    w.key("on_success").str(job.on_success);
    w.key("notify").boolean(job.notify);
    w.key("jitter_seconds").num(job.jitter.count());
    w.key("dst_gap").str(to_string(job.dst_gap));
    w.key("dst_overlap").str(to_string(job.dst_overlap));
    w.key("start_date").instant(job.start_date, zone, utc);
    w.key("end_date").instant(job.end_date, zone, utc);
    w.key("windows").raw(windows_to_json_text(job.windows));
    w.key("outside_window").str(to_string(job.outside_window));
    w.key("depends_on");
    append_links_json(out, job.depends_on, true);
    w.key("conflicts_with");
    append_links_json(out, job.conflicts_with, false);
    w.key("execution_count").num(job.execution_count);
    w.key("failure_count").num(job.failure_count);
    w.key("last_execution").instant(job.last_execution, zone, utc);
    w.key("last_status").str(job.last_status);
    w.key("next_execution").instant(job.next_execution, zone, utc);
    w.key("created_at").instant(job.created_at, zone, utc);
    w.key("updated_at").instant(job.updated_at, zone, utc);
    w.end();
}

namespace {

// Milliseconds as seconds with up to three decimals ("1.5", "0.001", "2.0"):
// the number nlohmann writes for ms / 1000.0.
void append_duration_seconds(std::string& out, std::int64_t ms) {
    if (ms < 0) {
        out += '-';
        ms = -ms;
    }
    out += std::to_string(ms / 1000);
    out += '.';
    auto frac = std::to_string(1000 + ms % 1000).substr(1); // three digits
    while (frac.size() > 1 && frac.back() == '0')
        frac.pop_back();
    out += frac;
}

} // namespace

void append_execution_json(std::string& out, const Execution& e, const time::Zone& zone, bool utc) {
    ObjectWriter w(out);
    w.key("execution_id").num(e.id);
    w.key("job_id").str(e.job_id);
    w.key("job_name").str(e.job_name);
    w.key("trigger").str(to_string(e.trigger));
    w.key("attempt").num(e.attempt);
    w.key("scheduled_for").instant(e.scheduled_for, zone, utc);
    w.key("start_time").instant(e.start_time, zone, utc);
    w.key("end_time").instant(e.end_time, zone, utc);
    w.key("duration_seconds");
    e.duration_ms ? append_duration_seconds(out, *e.duration_ms) : w.null();
    w.key("status").str(to_string(e.status));
    w.key("exit_code").num(e.exit_code ? std::optional<std::int64_t>(*e.exit_code) : std::nullopt);
    w.key("signal").num(e.signal ? std::optional<std::int64_t>(*e.signal) : std::nullopt);
    w.key("reason").str(reason_text(e));
    w.key("skipped_count").num(e.skipped_count);
    w.key("error").str(e.error);
    w.key("host").str(e.host);
    w.end();
}

std::string job_json_text(const Job& job, const time::Zone& zone, bool utc) {
    std::string out;
    out.reserve(1200);
    append_job_json(out, job, zone, utc);
    return out;
}

std::string json_path(std::string_view parent, std::size_t index) {
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string json_path(std::string_view parent, std::string_view key) {
    const bool identifier = !key.empty() && key.size() <= 64 &&
                            !(key.front() >= '0' && key.front() <= '9') &&
                            std::all_of(key.begin(), key.end(), [](char c) {
                                return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                       (c >= '0' && c <= '9') || c == '_';
                            });
    if (identifier)
        return parent.empty() ? std::string(key) : std::string(parent) + "." + std::string(key);
    // At most 64 columns of the key, escaped: a path names, it does not quote.
    const auto shown = util::truncate_to_width(util::escape_control(key.substr(0, 1024)), 64);
    return std::string(parent) + "[\"" + shown + "\"]";
}

namespace {

using util::ValidationError;

// What a JSON value is, for "expected an integer, not a string".
std::string kind_of(const ojson& v) {
    switch (v.type()) {
    case ojson::value_t::null:
        return "null";
    case ojson::value_t::boolean:
        return "a boolean";
    case ojson::value_t::string:
        return "a string";
    case ojson::value_t::number_integer:
    case ojson::value_t::number_unsigned:
        return "an integer";
    case ojson::value_t::number_float:
        return dump_json(v);
    case ojson::value_t::object:
        return "an object";
    case ojson::value_t::array:
        return "an array";
    default:
        return "a binary value";
    }
}

[[noreturn]] void wrong_type(const std::string& where, std::string_view expected, const ojson& v) {
    throw ValidationError(where, "expected " + std::string(expected) + ", not " + kind_of(v));
}

std::string string_of(const ojson& v, const std::string& where) {
    if (!v.is_string())
        wrong_type(where, "a string", v);
    return v.get<std::string>();
}

std::optional<std::string> nullable_string(const ojson& v, const std::string& where) {
    if (v.is_null())
        return std::nullopt;
    if (!v.is_string())
        wrong_type(where, "a string or null", v);
    return v.get<std::string>();
}

// An integer as the builder reads counts and durations: its decimal text.
// Ranges are the builder's; integers past int64 keep their text and are
// refused there.
std::string integer_text(const ojson& v, const std::string& where,
                         const char* expected = "an integer") {
    if (v.is_number_unsigned())
        return std::to_string(v.get<std::uint64_t>());
    if (v.is_number_integer())
        return std::to_string(v.get<std::int64_t>());
    wrong_type(where, expected, v);
}

std::optional<std::string> nullable_integer_text(const ojson& v, const std::string& where) {
    if (v.is_null())
        return std::nullopt;
    return integer_text(v, where, "an integer or null");
}

// A counter the store keeps: 0 to k_max_count.
std::int64_t count_of(const ojson& v, const std::string& where) {
    constexpr auto max = k_max_count;
    if (!v.is_number_integer())
        wrong_type(where, "an integer", v);
    const bool in_range = v.is_number_unsigned()
                              ? v.get<std::uint64_t>() <= std::uint64_t(max)
                              : v.get<std::int64_t>() >= 0 && v.get<std::int64_t>() <= max;
    if (!in_range)
        throw ValidationError(where, dump_json(v) + " is not a whole number from 0 to " +
                                         std::to_string(max));
    return v.get<std::int64_t>();
}

// Whether `v` nests objects or arrays more than `limit` levels deep; stops
// looking below that, so a hostile document costs no deep recursion.
bool nested_deeper_than(const ojson& v, int limit) {
    if (!v.is_structured())
        return false;
    if (limit == 0)
        return true;
    for (const auto& child : v)
        if (nested_deeper_than(child, limit - 1))
            return true;
    return false;
}

// Levenshtein distance, for "did you mean" (short keys only).
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

[[noreturn]] void unknown_key(const std::string& where, std::string_view key,
                              const std::vector<std::string_view>& known, std::string what) {
    std::string hint;
    if (key.size() <= 64) {
        // At most two edits, and not more than a third of the key.
        std::size_t best = std::min<std::size_t>(3, key.size() / 3 + 1);
        for (auto k : known)
            if (auto d = distance(key, k); d < best) {
                best = d;
                hint = "did you mean \"" + std::string(k) + "\"?";
            }
    }
    throw ValidationError(where, "unknown key" + (what.empty() ? what : " " + what),
                          std::move(hint));
}

// How a key's value becomes part of the JobSpec.
enum class Value {
    string,
    nullable_string,
    integer,          // its decimal text
    nullable_integer, // null: not set
    shorthand,        // a trigger flag's text
    object_text,      // task_config: compact JSON text
    priority,         // an integer or a name
    tags,
    env,
    retry_on,
    windows,
    links, // depends_on, conflicts_with
    enabled,
    notify, // true: --notify, false: --no-notify
};

struct SpecKey {
    Field field; // the key is json_key_of(field)
    Value value;
    std::optional<std::string> JobSpec::*member = nullptr; // for the text values
};

constexpr SpecKey k_spec_keys[] = {
    {Field::name, Value::string, &JobSpec::name},
    {Field::description, Value::string, &JobSpec::description},
    {Field::timezone, Value::string, &JobSpec::timezone},
    {Field::command, Value::nullable_string, &JobSpec::command},
    {Field::task_type, Value::nullable_string, &JobSpec::task_type},
    {Field::task_config, Value::object_text},
    {Field::priority, Value::priority},
    {Field::owner, Value::nullable_string, &JobSpec::owner},
    {Field::tags, Value::tags},
    {Field::disabled, Value::enabled},
    {Field::timeout, Value::nullable_integer, &JobSpec::timeout},
    {Field::env, Value::env},
    {Field::working_dir, Value::nullable_string, &JobSpec::working_dir},
    {Field::run_as, Value::nullable_string, &JobSpec::run_as},
    {Field::kill_grace, Value::integer, &JobSpec::kill_grace},
    {Field::overlap, Value::string, &JobSpec::overlap},
    {Field::max_instances, Value::nullable_integer, &JobSpec::max_instances},
    {Field::catchup, Value::string, &JobSpec::catchup},
    {Field::misfire_grace, Value::nullable_integer, &JobSpec::misfire_grace},
    {Field::max_executions, Value::nullable_integer, &JobSpec::max_executions},
    {Field::max_attempts, Value::integer, &JobSpec::max_attempts},
    {Field::retry_delay, Value::integer, &JobSpec::retry_delay},
    {Field::retry_max_delay, Value::integer, &JobSpec::retry_max_delay},
    {Field::backoff, Value::string, &JobSpec::backoff},
    {Field::retry_on, Value::retry_on},
    {Field::on_failure, Value::nullable_string, &JobSpec::on_failure},
    {Field::on_retry, Value::nullable_string, &JobSpec::on_retry},
    {Field::on_success, Value::nullable_string, &JobSpec::on_success},
    {Field::notify, Value::notify},
    {Field::jitter, Value::integer, &JobSpec::jitter},
    {Field::dst_gap, Value::string, &JobSpec::dst_gap},
    {Field::dst_overlap, Value::string, &JobSpec::dst_overlap},
    {Field::start_date, Value::nullable_string, &JobSpec::start_date},
    {Field::end_date, Value::nullable_string, &JobSpec::end_date},
    {Field::window, Value::windows},
    {Field::outside_window, Value::string, &JobSpec::outside_window},
    {Field::depends_on, Value::links},
    {Field::conflicts_with, Value::links},
    {Field::after, Value::shorthand, &JobSpec::after},
    {Field::cron, Value::shorthand, &JobSpec::cron},
    {Field::every, Value::shorthand, &JobSpec::every},
    {Field::anchor, Value::shorthand, &JobSpec::anchor},
    {Field::daily, Value::shorthand, &JobSpec::daily},
    {Field::weekly, Value::shorthand, &JobSpec::weekly},
    {Field::monthly, Value::shorthand, &JobSpec::monthly},
    {Field::at, Value::shorthand, &JobSpec::at},
};

const SpecKey* spec_key(std::string_view key) {
    for (const auto& k : k_spec_keys)
        if (json_key_of(k.field) == key)
            return &k;
    return nullptr;
}

const SpecKey& spec_key(Field field) {
    for (const auto& k : k_spec_keys)
        if (k.field == field)
            return k;
    return k_spec_keys[0]; // every field read from a trigger is listed
}

// Keys record mode reads (keep_record()) and definition mode ignores.
constexpr std::string_view k_record_keys[] = {
    "job_id",         "status",      "execution_count", "failure_count", "scheduled_count",
    "last_execution", "last_status", "created_at",      "updated_at",
};
// Keys derived from others, accepted and ignored: job_to_json()'s and
// what `job show` adds.
constexpr std::string_view k_derived_keys[] = {
    "cron_expression",   "next_execution",        "state",
    "attempt",           "attempts_left",         "next_retry",
    "next_runs",         "next_runs_dst",         "in_window",
    "next_window_start", "next_runs_waited_from", "waits",
};

template <std::size_t N> bool listed(const std::string_view (&keys)[N], std::string_view key) {
    return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

std::vector<std::string_view> job_keys() {
    std::vector<std::string_view> keys{"trigger"};
    for (const auto& k : k_spec_keys)
        keys.push_back(json_key_of(k.field));
    keys.insert(keys.end(), std::begin(k_record_keys), std::end(k_record_keys));
    keys.insert(keys.end(), std::begin(k_derived_keys), std::end(k_derived_keys));
    return keys;
}

// An object's members as items, {"key": value} -> T{key, read(value)}:
// the tags ({"team": "infra", "production": null}) and env ({"NAME":
// "value"}) objects.
template <class T, class Read>
std::vector<T> members_of(const ojson& v, const std::string& where, Read read) {
    if (!v.is_object())
        wrong_type(where, "an object", v);
    std::vector<T> items;
    for (auto it = v.begin(); it != v.end(); ++it)
        items.push_back(T{it.key(), read(it.value(), json_path(where, it.key()))});
    return items;
}

// The strings of an array of strings; `what` names what else is wrong.
std::vector<std::string> strings_of(const ojson& v, const std::string& where, const char* what) {
    if (!v.is_array())
        wrong_type(where, what, v);
    std::vector<std::string> items;
    for (std::size_t i = 0; i < v.size(); ++i)
        items.push_back(string_of(v[i], json_path(where, i)));
    return items;
}

// One link of a job object: {"job", "job_id", "state", "timeout_seconds"}
// (job_id, state and timeout optional; state and timeout only for a
// dependency) or its text, "JOB[:STATE[:TIMEOUT]]".
JobLink link_of(const ojson& v, const std::string& where, bool dependency) {
    if (v.is_string()) {
        auto link = parse_job_link(v.get<std::string>(),
                                   dependency ? LinkForm::state_timeout : LinkForm::job);
        if (!link)
            throw ValidationError(where, link.error());
        return *link;
    }
    if (!v.is_object())
        wrong_type(where, "an object or a string", v);
    JobLink link;
    std::vector<std::string_view> keys{"job", "job_id"};
    if (dependency)
        keys.insert(keys.end(), {"state", "timeout_seconds"});
    bool named = false;
    for (auto it = v.begin(); it != v.end(); ++it) {
        const auto key_where = json_path(where, it.key());
        if (it.key() == "job") {
            link.job_name = string_of(it.value(), key_where);
            named = true;
        } else if (it.key() == "job_id") {
            if (auto id = nullable_string(it.value(), key_where))
                link.job_id = *id;
        } else if (dependency && it.key() == "state") {
            const auto text = string_of(it.value(), key_where);
            auto state = parse_end_state(text);
            if (!state)
                throw ValidationError(key_where,
                                      util::quoted(text) + " is not completed, failed or any");
            link.state = *state;
        } else if (dependency && it.key() == "timeout_seconds") {
            auto t = time::parse_duration(integer_text(it.value(), key_where));
            if (!t || t->count() < 0)
                throw ValidationError(key_where, "expected seconds, 0 or more");
            link.timeout = *t;
        } else {
            unknown_key(key_where, it.key(), keys, "");
        }
    }
    if (!named)
        throw ValidationError(json_path(where, "job"), "missing (the name of the other job)");
    return link;
}

std::vector<JobLink> links_of(const ojson& v, const std::string& where, bool dependency) {
    if (!v.is_array())
        wrong_type(where, "an array", v);
    std::vector<JobLink> links;
    for (std::size_t i = 0; i < v.size(); ++i)
        links.push_back(link_of(v[i], json_path(where, i), dependency));
    return links;
}

// The instant `v` gives, read as the builder reads date-times (in the
// job's zone without an offset), within the supported range.
time::Instant instant_of(const ojson& v, const std::string& where, const time::Zone& zone) {
    const auto text = string_of(v, where);
    auto t = time::parse_instant(text, zone);
    if (!t)
        throw ValidationError(where, t.error());
    if (!time::is_supported(*t, zone))
        throw ValidationError(where, util::quoted(text) + " is outside the supported range",
                              "dates and times run from 1970 to 9999, both in UTC and in the "
                              "job's zone");
    return *t;
}

// Reads a job object into a JobSpec, builds the job, and in record mode
// adds what the store keeps about it.
class JobReader {
public:
    JobReader(JobJsonMode mode, std::string_view path) : m_mode(mode), m_names(std::string(path)) {}

    Job read(const ojson& object, const BuildContext& ctx) {
        if (!object.is_object())
            wrong_type(m_names.path().empty() ? "job" : m_names.path(), "a job object", object);
        const ojson* trigger = nullptr;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const std::string& key = it.key();
            if (key == "trigger")
                trigger = &it.value();
            else if (const auto* k = spec_key(key))
                read_value(*k, it.value(), where(key));
            else if (!listed(k_record_keys, key) && !listed(k_derived_keys, key))
                unknown_key(where(key), key, job_keys(), "");
        }
        if (trigger) {
            if (m_shorthand)
                throw ValidationError(where(json_key_of(*m_shorthand)),
                                      "give either \"trigger\" or \"" +
                                          std::string(json_key_of(*m_shorthand)) + "\", not both");
            read_trigger(*trigger, where("trigger"));
        }
        m_spec.disabled = m_enabled == false;
        BuildContext context = ctx;
        context.keep_past = context.keep_past || m_mode == JobJsonMode::record;
        Job job = build_job(m_spec, context, m_names);
        if (job.trigger.after && !m_after_id.empty())
            job.trigger.after->job_id = m_after_id;
        if (m_mode == JobJsonMode::record)
            keep_record(job, object);
        return job;
    }

private:
    std::string where(std::string_view key) const { return json_path(m_names.path(), key); }

    void read_value(const SpecKey& k, const ojson& v, const std::string& w) {
        switch (k.value) {
        case Value::string:
            m_spec.*k.member = string_of(v, w);
            break;
        case Value::nullable_string:
            m_spec.*k.member = nullable_string(v, w);
            break;
        case Value::integer:
            m_spec.*k.member = integer_text(v, w);
            break;
        case Value::nullable_integer:
            m_spec.*k.member = nullable_integer_text(v, w);
            break;
        case Value::shorthand:
            m_spec.*k.member = string_of(v, w);
            if (!m_shorthand)
                m_shorthand = k.field;
            break;
        case Value::object_text:
            if (v.is_null())
                break;
            if (!v.is_object())
                wrong_type(w, "an object or null", v);
            // The builder's limit, checked before the text is written
            // (which would recurse as deep as the value goes).
            if (nested_deeper_than(v, 64))
                throw ValidationError(w, "nested more than 64 levels deep");
            m_spec.task_config = dump_json(v);
            break;
        case Value::priority:
            // A number in a string is not a name.
            if (v.is_string() && !util::is_digits(util::trim(v.get<std::string>())))
                m_spec.priority = v.get<std::string>();
            else
                m_spec.priority = integer_text(v, w, "an integer or low, normal, high, critical");
            break;
        case Value::tags:
            m_spec.tags = members_of<Tag>(v, w, nullable_string);
            break;
        case Value::env:
            m_spec.env = members_of<EnvVar>(v, w, string_of);
            break;
        case Value::retry_on:
            if (!v.is_null())
                m_spec.retry_on = strings_of(v, w, "an array of strings or null");
            break;
        case Value::windows:
            m_spec.windows = strings_of(v, w, "an array of strings");
            break;
        case Value::links:
            if (k.field == Field::depends_on)
                m_spec.depends_on = links_of(v, w, true);
            else
                m_spec.conflicts_with = links_of(v, w, false);
            break;
        case Value::enabled:
            if (!v.is_boolean())
                wrong_type(w, "true or false", v);
            m_enabled = v.get<bool>();
            break;
        case Value::notify:
            if (!v.is_boolean())
                wrong_type(w, "true or false", v);
            (v.get<bool>() ? m_spec.notify : m_spec.no_notify) = true;
            break;
        }
    }

    // The trigger object: its type and the keys of that type, read into
    // the spec's trigger fields, which errors then name by their path in
    // the object ("trigger.expression").
    void read_trigger(const ojson& t, const std::string& w) {
        if (!t.is_object())
            wrong_type(w, "an object", t);
        const auto type_where = json_path(w, "type");
        const auto type_it = t.find("type");
        if (type_it == t.end())
            throw ValidationError(
                type_where, "missing",
                "give cron, every, daily, weekly, monthly, at, after, reboot or manual");
        const auto text = string_of(*type_it, type_where);
        const auto type = parse_trigger_type(text);
        std::optional<Field> field; // what the main key gives
        std::string_view main_key, derived_key;
        bool anchor = false;
        switch (type.value_or(TriggerType::after)) {
        case TriggerType::cron:
            field = Field::cron, main_key = "expression";
            break;
        case TriggerType::reboot:
            m_spec.cron = "@reboot";
            derived_key = "expression";
            break;
        case TriggerType::daily:
        case TriggerType::weekly:
        case TriggerType::monthly:
            field = *type == TriggerType::daily    ? Field::daily
                    : *type == TriggerType::weekly ? Field::weekly
                                                   : Field::monthly;
            main_key = "at", derived_key = "expression";
            break;
        case TriggerType::every:
            field = Field::every, main_key = "every", anchor = true;
            break;
        case TriggerType::at:
            field = Field::at, main_key = "at";
            break;
        case TriggerType::manual:
            break;
        case TriggerType::after:
            if (type) {
                read_after(t, w);
                return;
            }
            throw ValidationError(type_where,
                                  util::quoted(text) +
                                      " is not cron, every, daily, weekly, monthly, at, after, "
                                      "reboot or manual");
        }
        std::vector<std::string_view> keys{"type"};
        for (auto k : {main_key, anchor ? std::string_view("anchor") : "", derived_key})
            if (!k.empty())
                keys.push_back(k);
        for (auto it = t.begin(); it != t.end(); ++it) {
            const std::string& key = it.key();
            const auto key_where = json_path(w, key);
            if (field && key == main_key)
                m_spec.*spec_key(*field).member = string_of(it.value(), key_where);
            else if (anchor && key == "anchor")
                m_spec.anchor = nullable_string(it.value(), key_where);
            else if (std::find(keys.begin(), keys.end(), key) == keys.end())
                unknown_key(
                    key_where, key, keys,
                    "(a " + text + " trigger has " +
                        util::join(std::vector<std::string>(keys.begin(), keys.end()), ", ") + ")");
        }
        if (!field)
            return;
        if (!(m_spec.*spec_key(*field).member))
            throw ValidationError(json_path(w, main_key),
                                  "missing (a " + text + " trigger needs it)");
        m_names.use_key(*field, "trigger." + std::string(main_key));
        if (anchor)
            m_names.use_key(Field::anchor, "trigger.anchor");
    }

    // An after trigger: {"type": "after", "job", "job_id", "state"}.
    void read_after(const ojson& t, const std::string& w) {
        for (auto it = t.begin(); it != t.end(); ++it)
            if (it.key() != "type" && it.key() != "job" && it.key() != "job_id" &&
                it.key() != "state")
                unknown_key(json_path(w, it.key()), it.key(), {"type", "job", "job_id", "state"},
                            "(an after trigger has type, job, job_id, state)");
        auto object = t;
        object.erase("type");
        auto link = link_of(object, w, true);
        m_spec.after = link_text(link, false);
        m_after_id = link.job_id;
        m_names.use_key(Field::after, "trigger.job");
    }

    // Record mode: the id, status, counters, last run and times.
    void keep_record(Job& job, const ojson& object) const {
        const auto zone = zone_of(job);
        auto value = [&](const char* key) -> const ojson* {
            const auto it = object.find(key);
            return it == object.end() ? nullptr : &*it;
        };
        const auto* id = value("job_id");
        if (!id)
            throw ValidationError(where("job_id"), "missing (a job in a backup keeps its id)");
        job.id = string_of(*id, where("job_id"));
        if (!looks_like_job_id(job.id) || util::to_lower(job.id) != job.id)
            throw ValidationError(where("job_id"),
                                  util::quoted(job.id) +
                                      " is not a job id (8 lowercase hexadecimal digits)");
        if (const auto* v = value("status")) {
            const auto text = string_of(*v, where("status"));
            const auto status = parse_job_status(text);
            if (!status)
                throw ValidationError(where("status"),
                                      util::quoted(text) + " is not active, paused or finished");
            if ((*status == JobStatus::active && !job.enabled) ||
                (*status == JobStatus::paused && job.enabled))
                throw ValidationError(where("status"),
                                      util::quoted(text) + " does not agree with \"enabled\": " +
                                          (job.enabled ? "true" : "false"),
                                      "an active job is enabled, a paused one is not");
            job.status = *status;
        }
        const std::pair<const char*, std::int64_t Job::*> counters[] = {
            {"execution_count", &Job::execution_count},
            {"failure_count", &Job::failure_count},
            {"scheduled_count", &Job::scheduled_count}};
        for (const auto& [key, member] : counters)
            if (const auto* v = value(key))
                job.*member = count_of(*v, where(key));
        if (const auto* v = value("last_execution"); v && !v->is_null())
            job.last_execution = instant_of(*v, where("last_execution"), zone);
        if (const auto* v = value("last_status"); v && !v->is_null()) {
            const auto text = string_of(*v, where("last_status"));
            const auto status = parse_execution_status(text);
            if (!status)
                throw ValidationError(where("last_status"),
                                      util::quoted(text) + " is not an execution status");
            job.last_status = std::string(to_string(*status));
        }
        if (const auto* v = value("created_at"))
            job.created_at = instant_of(*v, where("created_at"), zone);
        if (const auto* v = value("updated_at"))
            job.updated_at = instant_of(*v, where("updated_at"), zone);
    }

    JobJsonMode m_mode;
    JsonNamer m_names;
    JobSpec m_spec;
    std::optional<Field> m_shorthand; // the first trigger flag given
    std::string m_after_id;           // the job id an after trigger gives
    std::optional<bool> m_enabled;
};

} // namespace

Job job_from_json(const ojson& object, JobJsonMode mode, const BuildContext& ctx,
                  std::string_view path) {
    return JobReader(mode, path).read(object, ctx);
}

std::string json_refusal(std::string_view what) {
    if (auto at = what.find("] "); what.starts_with("[json.exception.") && at != what.npos)
        what.remove_prefix(at + 2);
    return "not valid JSON: " + util::escaped_prefix(what, 256);
}

std::string dump_json(const ojson& j, int indent) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace schedule::model
