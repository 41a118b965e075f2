#include <schedule/backup/document.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <schedule/model/settings.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <vector>

namespace schedule::backup {

namespace {

using ojson = nlohmann::ordered_json;

void append_output(std::string& out, const std::optional<model::CapturedOutput>& o) {
    if (!o) {
        out += "null";
        return;
    }
    if (util::is_valid_utf8(o->data)) {
        out += "{\"data\":";
        model::append_json_string(out, o->data);
    } else {
        out += "{\"data_base64\":\"";
        out += util::encode_base64(o->data);
        out += '"';
    }
    out += ",\"total_bytes\":" + std::to_string(o->total_bytes);
    out += o->truncated ? ",\"truncated\":true}" : ",\"truncated\":false}";
}

// The execution object of `job history`, and what a restore needs besides.
void append_record(std::string& out, const model::ExecutionRecord& r, const time::Zone& zone) {
    const auto& e = r.execution;
    model::append_execution_json(out, e, zone, false);
    out.pop_back(); // the closing brace: more members follow
    out += ",\"priority\":" + std::to_string(e.priority);
    out += ",\"parent_execution_id\":";
    out += e.parent_execution_id ? std::to_string(*e.parent_execution_id) : "null";
    out += ",\"created_at\":\"";
    time::append_iso(out, e.created_at, zone, false);
    out += "\",\"updated_at\":\"";
    time::append_iso(out, e.updated_at, zone, false);
    out += "\",\"stdout\":";
    append_output(out, r.out);
    out += ",\"stderr\":";
    append_output(out, r.err);
    out += '}';
}

} // namespace

std::string to_json_text(const Document& doc, const time::Zone& zone) {
    // Written directly (a backup may hold hundreds of thousands of runs),
    // one job and one execution per line.
    std::string out = "{\n  \"format\": ";
    model::append_json_string(out, k_format);
    out += ",\n  \"version\": " + std::to_string(k_version) + ",\n  \"created_at\": \"";
    time::append_iso(out, doc.created_at, zone, false);
    out += "\",\n  \"host\": ";
    model::append_json_string(out, doc.host);
    out += ",\n  \"jobs\": [";
    std::map<std::string, time::Zone> zones; // by job id
    const char* sep = "\n    ";
    for (const auto& job : doc.jobs) {
        auto z = model::zone_of(job);
        out += sep;
        model::append_job_json(out, job, z, false);
        zones.emplace(job.id, z);
        sep = ",\n    ";
    }
    out += doc.jobs.empty() ? "],\n  \"config\": {" : "\n  ],\n  \"config\": {";
    sep = "\n    ";
    for (const auto& [key, value] : doc.config) {
        out += sep;
        model::append_json_string(out, key);
        out += ": ";
        model::append_json_string(out, value);
        sep = ",\n    ";
    }
    out += doc.config.empty() ? "}" : "\n  }";
    if (doc.executions) {
        out += ",\n  \"executions\": [";
        sep = "\n    ";
        for (const auto& r : *doc.executions) {
            auto it = zones.find(r.execution.job_id);
            out += sep;
            append_record(out, r, it != zones.end() ? it->second : time::Zone::utc());
            sep = ",\n    ";
        }
        out += doc.executions->empty() ? "]" : "\n  ]";
    }
    out += "\n}\n";
    return out;
}

} // namespace schedule::backup

// --- reading ----------------------------------------------------------------

namespace schedule::backup {

namespace {

using util::ValidationError;
constexpr std::size_t k_max_depth = 64;

constexpr const char* k_backup_hint = "give a backup written by `schedule config backup`";

// Builds the document from nlohmann's SAX events as its own DOM parser
// does, refusing what that parser lets through: a key given twice in one
// object (it keeps the last, other readers the first) and nesting deeper
// than k_max_depth, both named by their path. (A parser callback could do
// the same at about 1.5 times the cost of the whole parse.)
class DocumentBuilder {
public:
    explicit DocumentBuilder(ojson& root) : m_root(root) {}

    bool null() { return add(nullptr); }
    bool boolean(bool v) { return add(v); }
    bool number_integer(ojson::number_integer_t v) { return add(v); }
    bool number_unsigned(ojson::number_unsigned_t v) { return add(v); }
    bool number_float(ojson::number_float_t v, const ojson::string_t&) { return add(v); }
    bool string(ojson::string_t& v) { return add(std::move(v)); }
    bool binary(ojson::binary_t& v) { return add(std::move(v)); }
    bool start_object(std::size_t) { return open(ojson::value_t::object); }
    bool start_array(std::size_t) { return open(ojson::value_t::array); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(ojson::string_t& k) {
        auto& members = m_open.back()->get_ref<ojson::object_t&>();
        // ordered_map::emplace looks the key up as operator[] would.
        auto [it, fresh] = members.emplace(k, nullptr);
        if (!fresh)
            throw ValidationError(model::json_path(path(), k), "duplicate key",
                                  "a key may appear once in an object");
        m_member = &it->second;
        return true;
    }

    // Thrown as nlohmann's own parser throws it.
    template <class Exception>
    bool parse_error(std::size_t, const std::string&, const Exception& e) {
        throw e;
    }

private:
    template <class Value> bool add(Value&& v) {
        place(std::forward<Value>(v));
        return true;
    }

    template <class Value> ojson* place(Value&& v) {
        if (m_open.empty()) {
            m_root = ojson(std::forward<Value>(v));
            return &m_root;
        }
        if (auto* array = m_open.back()->get_ptr<ojson::array_t*>()) {
            array->emplace_back(std::forward<Value>(v));
            return &array->back();
        }
        *m_member = ojson(std::forward<Value>(v));
        return m_member;
    }

    bool open(ojson::value_t type) {
        if (m_open.size() == k_max_depth)
            throw ValidationError("document", "nested more than " + std::to_string(k_max_depth) +
                                                  " levels deep");
        m_open.push_back(place(type));
        return true;
    }

    bool close() {
        m_open.pop_back();
        return true;
    }

    // Where the innermost open value is: each open array's last element,
    // each open object's last member, which the builder is filling.
    std::string path() const {
        std::string p;
        for (std::size_t i = 0; i + 1 < m_open.size(); ++i) {
            if (const auto* array = m_open[i]->get_ptr<const ojson::array_t*>())
                p = model::json_path(p, array->size() - 1);
            else
                p = model::json_path(p, m_open[i]->get_ref<const ojson::object_t&>().back().first);
        }
        return p;
    }

    ojson& m_root;
    std::vector<ojson*> m_open; // the arrays and objects being filled, outermost first
    ojson* m_member = nullptr;  // the value of the object member being read
};

ojson parse_text(std::string_view text, const char* hint) {
    if (text.empty())
        throw ValidationError("document", "empty input", hint);
    // nlohmann's reader takes a NUL byte for the end of the input.
    if (auto nul = text.find('\0'); nul != std::string_view::npos)
        throw ValidationError("document",
                              "not valid JSON: a NUL byte at byte " + std::to_string(nul + 1));
    try {
        ojson j;
        DocumentBuilder builder(j);
        ojson::sax_parse(text.begin(), text.end(), &builder);
        return j;
    } catch (const ojson::exception& e) {
        // "[json.exception.parse_error.101] parse error at line 3, column 4: ...",
        // "[json.exception.out_of_range.406] number overflow parsing '1e400'"
        throw ValidationError("document", model::json_refusal(e.what()));
    }
}

const char* type_name(const ojson& j) {
    switch (j.type()) {
    case ojson::value_t::null:
        return "null";
    case ojson::value_t::object:
        return "an object";
    case ojson::value_t::array:
        return "an array";
    case ojson::value_t::string:
        return "a string";
    case ojson::value_t::boolean:
        return "a boolean";
    default:
        return "a number";
    }
}

[[noreturn]] void wrong_type(const std::string& path, const char* expected, const ojson& j) {
    throw ValidationError(path, std::string("must be ") + expected + ", not " + type_name(j));
}

const std::string& string_at(const ojson& j, const std::string& path) {
    if (!j.is_string())
        wrong_type(path, "a string", j);
    return j.get_ref<const std::string&>();
}

std::int64_t integer_at(const ojson& j, const std::string& path, std::int64_t min,
                        std::int64_t max) {
    std::int64_t v = 0;
    if (j.is_number_unsigned()) {
        auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(max))
            throw ValidationError(path, "must be at most " + std::to_string(max));
        v = static_cast<std::int64_t>(u);
    } else if (j.is_number_integer()) {
        v = j.get<std::int64_t>();
    } else {
        wrong_type(path, "a whole number", j);
    }
    if (v < min || v > max)
        throw ValidationError(path,
                              "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return v;
}

std::optional<std::int64_t> opt_integer_at(const ojson& j, const std::string& path,
                                           std::int64_t min, std::int64_t max) {
    if (j.is_null())
        return std::nullopt;
    return integer_at(j, path, min, max);
}

std::optional<std::string> opt_string_at(const ojson& j, const std::string& path) {
    if (j.is_null())
        return std::nullopt;
    return string_at(j, path);
}

std::optional<time::Instant> opt_instant_at(const ojson& j, const std::string& path) {
    if (j.is_null())
        return std::nullopt;
    const auto& text = string_at(j, path);
    auto parsed = time::parse_iso8601(text);
    if (!parsed || !parsed->offset)
        throw ValidationError(path, "must be a date-time with an offset, like "
                                    "2026-12-03T09:30:00+01:00");
    auto t = time::parse_instant(text, time::Zone::utc());
    if (!t || !time::is_supported(*t, time::Zone::utc()))
        throw ValidationError(path, "must be a date-time from 1970 to 9999");
    return *t;
}

// Every key of `object` must be one of `known`.
void known_keys(const ojson& object, const std::string& path,
                std::initializer_list<std::string_view> known, const char* hint = "") {
    for (auto it = object.begin(); it != object.end(); ++it) {
        bool ok = false;
        for (auto k : known)
            ok = ok || k == it.key();
        if (!ok)
            throw ValidationError(model::json_path(path, it.key()), "unknown key", hint);
    }
}

const ojson& member(const ojson& object, const std::string& path, std::string_view key) {
    auto it = object.find(key);
    if (it == object.end())
        throw ValidationError(model::json_path(path, key), "missing");
    return *it;
}

std::optional<model::CapturedOutput> output_at(const ojson& j, const std::string& path) {
    if (j.is_null())
        return std::nullopt;
    if (!j.is_object())
        wrong_type(path, "an object or null", j);
    known_keys(j, path, {"data", "data_base64", "total_bytes", "truncated"});
    model::CapturedOutput out;
    bool text = j.contains("data"), coded = j.contains("data_base64");
    if (text == coded)
        throw ValidationError(path, "needs exactly one of data and data_base64");
    if (text) {
        out.data = string_at(j["data"], model::json_path(path, "data"));
    } else {
        auto decoded =
            util::decode_base64(string_at(j["data_base64"], model::json_path(path, "data_base64")));
        if (!decoded)
            throw ValidationError(model::json_path(path, "data_base64"), "is not base64");
        out.data = std::move(*decoded);
    }
    if (out.data.size() > k_max_output_bytes)
        throw ValidationError(path,
                              "holds more than " + std::to_string(k_max_output_bytes) + " bytes");
    out.total_bytes =
        integer_at(member(j, path, "total_bytes"), model::json_path(path, "total_bytes"),
                   static_cast<std::int64_t>(out.data.size()), INT64_MAX);
    const auto& truncated = member(j, path, "truncated");
    if (!truncated.is_boolean())
        wrong_type(model::json_path(path, "truncated"), "true or false", truncated);
    out.truncated = truncated.get<bool>();
    return out;
}

model::ExecutionRecord execution_at(const ojson& j, const std::string& path) {
    if (!j.is_object())
        wrong_type(path, "an object", j);
    known_keys(j, path, {"execution_id", "job_id",        "job_name",
                         "trigger",      "attempt",       "scheduled_for",
                         "start_time",   "end_time",      "duration_seconds",
                         "status",       "exit_code",     "signal",
                         "reason",       "skipped_count", "error",
                         "host",         "priority",      "parent_execution_id",
                         "created_at",   "updated_at",    "stdout",
                         "stderr"});
    auto at = [&](std::string_view key) { return model::json_path(path, key); };
    auto get = [&](std::string_view key) -> const ojson& { return member(j, path, key); };
    model::ExecutionRecord r;
    auto& e = r.execution;
    // Ids are bounded as counters are: an id kept at the largest integer
    // would leave the store no id for any later run.
    e.id = integer_at(get("execution_id"), at("execution_id"), 1, model::k_max_count);
    e.job_id = string_at(get("job_id"), at("job_id"));
    if (auto it = j.find("job_name"); it != j.end())
        string_at(*it, at("job_name")); // derived from the job: checked, not kept
    auto trigger = model::parse_execution_trigger(string_at(get("trigger"), at("trigger")));
    if (!trigger)
        throw ValidationError(at("trigger"), "is not an execution trigger");
    e.trigger = *trigger;
    e.attempt = static_cast<int>(integer_at(get("attempt"), at("attempt"), 1, 1000000));
    auto status = model::parse_execution_status(string_at(get("status"), at("status")));
    if (!status)
        throw ValidationError(at("status"), "is not an execution status");
    if (!model::is_final(*status) && *status != model::ExecutionStatus::skipped)
        throw ValidationError(at("status"), "a backup holds only runs that have ended");
    e.status = *status;
    e.scheduled_for = opt_instant_at(get("scheduled_for"), at("scheduled_for"));
    e.start_time = opt_instant_at(get("start_time"), at("start_time"));
    e.end_time = opt_instant_at(get("end_time"), at("end_time"));
    const auto& duration = get("duration_seconds");
    if (!duration.is_null()) {
        if (!duration.is_number())
            wrong_type(at("duration_seconds"), "a number or null", duration);
        double s = duration.get<double>();
        if (!(s >= 0 && s < 1e12))
            throw ValidationError(at("duration_seconds"), "must be from 0 to 10^12 seconds");
        e.duration_ms = static_cast<std::int64_t>(std::llround(s * 1000.0));
    }
    if (auto v = opt_integer_at(get("exit_code"), at("exit_code"), -255, 255))
        e.exit_code = static_cast<int>(*v);
    if (auto v = opt_integer_at(get("signal"), at("signal"), 1, 64))
        e.signal = static_cast<int>(*v);
    model::set_reason_text(e, opt_string_at(get("reason"), at("reason")));
    e.skipped_count =
        opt_integer_at(get("skipped_count"), at("skipped_count"), 1, model::k_max_count);
    e.error = opt_string_at(get("error"), at("error"));
    e.host = opt_string_at(get("host"), at("host"));
    e.priority = static_cast<int>(integer_at(get("priority"), at("priority"), 0, 100));
    e.parent_execution_id = opt_integer_at(get("parent_execution_id"), at("parent_execution_id"), 1,
                                           model::k_max_count);
    auto created = opt_instant_at(get("created_at"), at("created_at"));
    auto updated = opt_instant_at(get("updated_at"), at("updated_at"));
    if (!created || !updated)
        throw ValidationError(at(created ? "updated_at" : "created_at"), "must not be null");
    e.created_at = *created;
    e.updated_at = *updated;
    r.out = output_at(get("stdout"), at("stdout"));
    r.err = output_at(get("stderr"), at("stderr"));
    return r;
}

// A backup document's own keys, its format and its version.
void check_backup(const ojson& j) {
    known_keys(j, "", {"format", "version", "created_at", "host", "jobs", "config", "executions"});
    if (string_at(member(j, "", "format"), "format") != k_format)
        throw ValidationError("format", "must be \"schedule-backup\"", k_backup_hint);
    const auto& version = member(j, "", "version");
    if (!version.is_number_integer() || version.get<std::int64_t>() != k_version) {
        // The value as JSON, of a long one its start, escaped for one line.
        throw ValidationError("version", "this build reads version " + std::to_string(k_version) +
                                             ", not " +
                                             util::escaped_prefix(model::dump_json(version), 64));
    }
}

const ojson& jobs_array(const ojson& j) {
    const auto& jobs = member(j, "", "jobs");
    if (!jobs.is_array())
        wrong_type("jobs", "an array", jobs);
    return jobs;
}

// Records that jobs[i] has `name`; throws when an earlier job had it.
void unique_name(std::map<std::string, std::size_t>& names, const std::string& name,
                 std::size_t i) {
    if (auto [it, fresh] = names.emplace(name, i); !fresh)
        throw ValidationError(model::json_path(model::json_path("jobs", i), "name"),
                              util::quoted(name) + " is also " +
                                  model::json_path("jobs", it->second) + "'s name");
}

} // namespace

Document read_document(std::string_view text, const model::BuildContext& ctx) {
    auto j = parse_text(text, k_backup_hint);
    if (!j.is_object())
        wrong_type("document", "an object", j);
    check_backup(j);
    Document doc;
    if (auto t = opt_instant_at(member(j, "", "created_at"), "created_at"))
        doc.created_at = *t;
    doc.host = string_at(member(j, "", "host"), "host");

    const auto& jobs = jobs_array(j);
    std::map<std::string, std::size_t> ids, names;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        auto path = model::json_path("jobs", i);
        auto job = model::job_from_json(jobs[i], model::JobJsonMode::record, ctx, path);
        if (auto [it, fresh] = ids.emplace(job.id, i); !fresh)
            throw ValidationError(model::json_path(path, "job_id"),
                                  "the id " + job.id + " is also " +
                                      model::json_path("jobs", it->second) + "'s");
        unique_name(names, job.name, i);
        doc.jobs.push_back(std::move(job));
    }

    const auto& config = member(j, "", "config");
    if (!config.is_object())
        wrong_type("config", "an object", config);
    for (auto it = config.begin(); it != config.end(); ++it) {
        auto path = model::json_path("config", it.key());
        const auto* spec = model::find_setting(it.key());
        if (!spec || (spec->key.ends_with(".*") && it.key() == spec->key))
            throw ValidationError(path, "is not a setting");
        auto value = spec->validate(string_at(it.value(), path));
        if (!value)
            throw ValidationError(path, value.error());
        doc.config.emplace_back(it.key(), std::move(value).value());
    }

    if (auto it = j.find("executions"); it != j.end()) {
        if (!it->is_array())
            wrong_type("executions", "an array", *it);
        auto& records = doc.executions.emplace();
        std::set<std::int64_t> seen;
        for (std::size_t i = 0; i < it->size(); ++i) {
            auto path = model::json_path("executions", i);
            auto r = execution_at((*it)[i], path);
            if (!ids.contains(r.execution.job_id))
                throw ValidationError(model::json_path(path, "job_id"),
                                      "no job of the document has the id " +
                                          util::quoted(r.execution.job_id));
            if (!seen.insert(r.execution.id).second)
                throw ValidationError(model::json_path(path, "execution_id"),
                                      std::to_string(r.execution.id) + " is used twice");
            records.push_back(std::move(r));
        }
    }
    return doc;
}

std::vector<Definition> read_definitions(std::string_view text, const model::BuildContext& ctx) {
    auto j = parse_text(text, "give a jobs file, {\"jobs\": [...]}, or a backup document");
    if (!j.is_object())
        wrong_type("document", "an object", j);
    if (j.contains("format"))
        check_backup(j); // its other keys are not read
    else
        known_keys(j, "", {"jobs"},
                   "a jobs file has only \"jobs\"; a backup document has \"format\": "
                   "\"schedule-backup\"");
    const auto& jobs = jobs_array(j);
    model::BuildContext lenient = ctx;
    lenient.keep_past = true;
    std::vector<Definition> defs;
    std::map<std::string, std::size_t> names;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        Definition d;
        d.path = model::json_path("jobs", i);
        const auto mode = model::JobJsonMode::definition;
        try {
            d.job = model::job_from_json(jobs[i], mode, ctx, d.path);
        } catch (const ValidationError& e) {
            // Only an --at or end date in the past passes when read
            // leniently; any other fault is thrown again.
            d.job = model::job_from_json(jobs[i], mode, lenient, d.path);
            d.past = e;
        }
        unique_name(names, d.job.name, i);
        const auto& object = jobs[i];
        const auto trigger = object.find("trigger");
        d.gives_anchor =
            object.contains("anchor") || (trigger != object.end() && trigger->contains("anchor") &&
                                          !(*trigger)["anchor"].is_null());
        defs.push_back(std::move(d));
    }
    return defs;
}

} // namespace schedule::backup
