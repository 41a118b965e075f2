// Hostile documents for the backup reader (`config restore`) and the job
// file reader (`apply -f`): whole texts that are no document, nesting
// 10,000 levels deep, and a real backup and a jobs file with each value in
// turn (every string, number, boolean and null of the document) replaced
// by each hostile text and number, and a hostile key added to each object.
// A refusal is a ValidationError naming a path of the document in one
// clean line (support/hostile.hpp); a document that reads is written again
// and reads back the same.

#include "../support/hostile.hpp"
#include "../support/time_helpers.hpp"

#include <schedule/backup/document.hpp>
#include <schedule/model/job_json.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using namespace schedule;
using ojson = nlohmann::ordered_json;
using schedule::test::Expect;
using schedule::test::HostileCase;
using schedule::test::Outcome;

namespace {

// A backup that `config backup --include-history` wrote: three jobs (a
// cron job with most fields, an every job with links, a one-shot), two
// settings and two runs, one with output that is not UTF-8.
const char* const k_backup = R"({
  "format": "schedule-backup",
  "version": 1,
  "created_at": "2026-01-15T10:00:00+00:00",
  "host": "backup-host",
  "jobs": [
    {"job_id":"33aaad53","name":"first","description":"d","cron_expression":"30 2 * * 1-5","trigger":{"type":"cron","expression":"30 2 * * 1-5"},"timezone":"Europe/Berlin","command":"echo hi","task_type":null,"task_config":null,"priority":80,"owner":"ops","tags":{"prod":null,"team":"infra"},"enabled":true,"status":"active","timeout_seconds":90,"env":{"A":"1"},"working_dir":null,"run_as":null,"kill_grace_seconds":10,"overlap":"skip","max_instances":null,"catchup":"latest","misfire_grace_seconds":null,"max_executions":null,"scheduled_count":0,"max_attempts":3,"retry_delay_seconds":60,"retry_max_delay_seconds":3600,"backoff":"exponential","retry_on":["timeout","exit:3"],"on_failure":"logger failed","on_retry":null,"on_success":null,"notify":true,"jitter_seconds":0,"dst_gap":"run","dst_overlap":"once","start_date":null,"end_date":null,"windows":["Mon-Fri 09:00-17:00"],"outside_window":"wait","depends_on":[],"conflicts_with":[],"execution_count":1,"failure_count":0,"last_execution":"2026-01-15T11:00:00+01:00","last_status":"completed","next_execution":"2026-01-16T02:30:00+01:00","created_at":"2026-01-15T11:00:00+01:00","updated_at":"2026-01-15T11:00:00+01:00"},
    {"job_id":"bedadf55","name":"second","description":"","cron_expression":null,"trigger":{"type":"every","every":"15m","anchor":"2026-01-15T10:00:00+00:00"},"timezone":"UTC","command":"true","task_type":null,"task_config":null,"priority":50,"owner":null,"tags":{},"enabled":true,"status":"active","timeout_seconds":null,"env":{},"working_dir":null,"run_as":null,"kill_grace_seconds":10,"overlap":"skip","max_instances":null,"catchup":"latest","misfire_grace_seconds":null,"max_executions":null,"scheduled_count":0,"max_attempts":1,"retry_delay_seconds":60,"retry_max_delay_seconds":3600,"backoff":"exponential","retry_on":null,"on_failure":null,"on_retry":null,"on_success":null,"notify":true,"jitter_seconds":0,"dst_gap":"run","dst_overlap":"once","start_date":null,"end_date":null,"windows":[],"outside_window":"wait","depends_on":[{"job":"first","job_id":"33aaad53","state":"completed","timeout_seconds":3600}],"conflicts_with":[{"job":"first","job_id":"33aaad53"}],"execution_count":0,"failure_count":0,"last_execution":null,"last_status":null,"next_execution":"2026-01-15T10:15:00+00:00","created_at":"2026-01-15T10:00:00+00:00","updated_at":"2026-01-15T10:00:00+00:00"},
    {"job_id":"afca8fb4","name":"third","description":"","cron_expression":null,"trigger":{"type":"at","at":"2026-12-25T10:00:00+00:00"},"timezone":"UTC","command":"printf \"\\377\"","task_type":null,"task_config":null,"priority":50,"owner":null,"tags":{},"enabled":true,"status":"active","timeout_seconds":null,"env":{},"working_dir":null,"run_as":null,"kill_grace_seconds":10,"overlap":"allow","max_instances":2,"catchup":"latest","misfire_grace_seconds":null,"max_executions":null,"scheduled_count":0,"max_attempts":1,"retry_delay_seconds":60,"retry_max_delay_seconds":3600,"backoff":"exponential","retry_on":null,"on_failure":null,"on_retry":null,"on_success":null,"notify":true,"jitter_seconds":0,"dst_gap":"run","dst_overlap":"once","start_date":null,"end_date":null,"windows":[],"outside_window":"wait","depends_on":[],"conflicts_with":[],"execution_count":1,"failure_count":0,"last_execution":"2026-01-15T10:00:00+00:00","last_status":"completed","next_execution":"2026-12-25T10:00:00+00:00","created_at":"2026-01-15T10:00:00+00:00","updated_at":"2026-01-15T10:00:00+00:00"}
  ],
  "config": {
    "log.level": "info",
    "max_workers": "4"
  },
  "executions": [
    {"execution_id":1,"job_id":"33aaad53","job_name":"first","trigger":"manual","attempt":1,"scheduled_for":"2026-01-15T11:00:00+01:00","start_time":"2026-01-15T11:00:00+01:00","end_time":"2026-01-15T11:00:00+01:00","duration_seconds":0.0,"status":"completed","exit_code":0,"signal":null,"reason":null,"skipped_count":null,"error":null,"host":"backup-host","priority":50,"parent_execution_id":null,"created_at":"2026-01-15T11:00:00+01:00","updated_at":"2026-01-15T11:00:00+01:00","stdout":{"data":"hi\n","total_bytes":3,"truncated":false},"stderr":null},
    {"execution_id":2,"job_id":"afca8fb4","job_name":"third","trigger":"manual","attempt":1,"scheduled_for":"2026-01-15T10:00:00+00:00","start_time":"2026-01-15T10:00:00+00:00","end_time":"2026-01-15T10:00:00+00:00","duration_seconds":0.006,"status":"completed","exit_code":0,"signal":null,"reason":null,"skipped_count":null,"error":null,"host":"backup-host","priority":50,"parent_execution_id":null,"created_at":"2026-01-15T10:00:00+00:00","updated_at":"2026-01-15T10:00:00+00:00","stdout":{"data_base64":"/w==","total_bytes":1,"truncated":false},"stderr":null}
  ]
}
)";

// A job file for `apply -f` written by hand: the command line's trigger
// keys and the links as text.
const char* const k_jobs_file = R"({"jobs": [
  {"name": "a", "cron": "0 3 * * *", "command": "true", "tags": {"t": null, "k": "v"},
   "env": {"A": "1"}, "windows": ["Sat,Sun 22:00-06:00 Europe/London"], "timeout_seconds": 60,
   "retry_on": ["lost"], "priority": "high", "enabled": false},
  {"name": "b", "every": "15m", "anchor": "2026-01-01T00:00", "command": "true",
   "depends_on": ["a:completed:1h"], "conflicts_with": [{"job": "a"}]},
  {"name": "c", "trigger": {"type": "after", "job": "a", "state": "any"}, "task_type": "report",
   "task_config": {"path": "/srv", "depth": [1, {"x": null}]}}
]}
)";

// `text` as a JSON string, with its bytes as they are: quotes, backslashes
// and control characters escaped, anything else (invalid UTF-8 too) raw.
std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

// A place in a document: the pointer to it, its path as the readers name
// places ("jobs[0].trigger.expression"), and whether it holds an object.
struct Place {
    ojson::json_pointer pointer;
    std::string path;
    bool object = false;
    bool container = false;
};

void collect(const ojson& value, const ojson::json_pointer& pointer, const std::string& path,
             std::vector<Place>& out) {
    out.push_back({pointer, path, value.is_object(), value.is_structured()});
    if (value.is_object())
        for (auto it = value.begin(); it != value.end(); ++it)
            collect(it.value(), pointer / it.key(), model::json_path(path, it.key()), out);
    else if (value.is_array())
        for (std::size_t i = 0; i < value.size(); ++i)
            collect(value[i], pointer / i, model::json_path(path, i), out);
}

std::vector<Place> places_of(const std::string& text) {
    std::vector<Place> places;
    collect(ojson::parse(text), ojson::json_pointer(), "", places);
    return places;
}

// The document with the value at `place` replaced by the JSON text `raw`.
std::string replaced(const std::string& text, const Place& place, const std::string& raw) {
    auto doc = ojson::parse(text);
    doc[place.pointer] = "\x01PLACE\x01";
    auto out = doc.dump();
    const std::string mark = R"("\u0001PLACE\u0001")";
    return out.replace(out.find(mark), mark.size(), raw);
}

// The document with a member `key` (JSON text) added to the object at
// `place`.
std::string with_key(const std::string& text, const Place& place, const std::string& key) {
    auto doc = ojson::parse(text);
    doc[place.pointer]["\x01KEY\x01"] = 1;
    auto out = doc.dump();
    const std::string mark = R"("\u0001KEY\u0001")";
    return out.replace(out.find(mark), mark.size(), key);
}

// The first component of a path: "jobs[0]" of "jobs[0].name", "config" of
// "config.max_workers" and of config["a b"].
std::string top_of(const std::string& path) {
    auto end = path.find_first_of(".[");
    if (end != std::string::npos && path[end] == '[' && end + 1 < path.size() &&
        path[end + 1] >= '0' && path[end + 1] <= '9')
        end = path.find(']', end) + 1;
    return path.substr(0, end);
}

// Reads a backup document; accepted ones are written and read again.
Outcome read_backup(const std::string& text) {
    backup::Document doc;
    auto o =
        test::outcome_of_call([&] { doc = backup::read_document(text, test::hostile_context()); });
    if (o.accepted) {
        const auto written = backup::to_json_text(doc, time::Zone::utc());
        std::string again;
        try {
            again = backup::to_json_text(backup::read_document(written, test::hostile_context()),
                                         time::Zone::utc());
        } catch (const std::exception& e) {
            again = std::string("refused: ") + e.what();
        }
        CHECK_MESSAGE(again == written, util::escape_control(written.substr(0, 300)));
    }
    return o;
}

// The jobs of a job file as a job file again.
std::string jobs_file_of(const std::vector<backup::Definition>& defs) {
    std::string out = R"({"jobs": [)";
    for (std::size_t i = 0; i < defs.size(); ++i)
        out += (i ? "," : "") + model::job_json_text(defs[i].job, time::Zone::utc(), true);
    return out + "]}";
}

// Reads a job file; accepted ones are written and read again.
Outcome read_jobs(const std::string& text) {
    std::vector<backup::Definition> defs;
    auto o = test::outcome_of_call(
        [&] { defs = backup::read_definitions(text, test::hostile_context()); });
    if (o.accepted) {
        const auto written = jobs_file_of(defs);
        std::string again;
        try {
            again = jobs_file_of(backup::read_definitions(written, test::hostile_context()));
        } catch (const std::exception& e) {
            again = std::string("refused: ") + e.what();
        }
        CHECK_MESSAGE(again == written, util::escape_control(written.substr(0, 300)));
    }
    return o;
}

// The hostile values of one place: each hostile text as a JSON string
// (huge ones only where `huge`), the numbers as JSON numbers, true, an
// empty object and array, and nesting 10,000 levels deep.
std::vector<HostileCase> values_for(bool huge) {
    std::vector<HostileCase> out;
    for (const auto& h : test::hostile_texts()) {
        if (!huge && h.text.size() >= test::k_huge)
            continue;
        out.push_back({h.label, json_string(h.text), Expect::either});
        const auto number = ojson::parse(h.text, nullptr, false);
        if (!number.is_discarded() && number.is_number())
            out.push_back({h.label + " as a number", h.text, Expect::either});
    }
    for (const char* raw : {"true", "{}", "[]", "null", "1e400", "-0.0", "3.5"})
        out.push_back({raw, raw, Expect::either});
    out.push_back(
        {"10,000 arrays deep", std::string(10000, '[') + std::string(10000, ']'), Expect::refused});
    return out;
}

// Tries every hostile value at every place of `base`, and a hostile key
// in every object, with `read`; returns how many documents were tried.
std::size_t mutate_everywhere(const std::string& base,
                              const std::function<Outcome(const std::string&)>& read) {
    std::size_t n = 0;
    const auto places = places_of(base);
    for (const auto& place : places) {
        if (place.path.empty())
            continue; // the whole document: the whole-text table
        CAPTURE(place.path);
        // Huge values in the first job and run and outside the lists.
        const bool huge = place.path.find("[1]") == std::string::npos &&
                          place.path.find("[2]") == std::string::npos;
        for (const auto& value : values_for(huge)) {
            const auto o = read(replaced(base, place, value.text));
            test::check_outcome(value, o);
            if (!o.accepted) {
                // The fault is named where it is: the place's part of the
                // document (a run names the job a changed id leaves it
                // without).
                const auto field = o.field.value_or("");
                const bool named =
                    field == "document" || top_of(field) == top_of(place.path) ||
                    (place.path.starts_with("jobs") && field.starts_with("executions"));
                CHECK_MESSAGE(named, "named " << field);
            }
            ++n;
        }
        if (!place.object)
            continue;
        for (const auto& h : test::hostile_texts()) {
            if (h.text.size() >= test::k_huge && !huge)
                continue;
            const auto o = read(with_key(base, place, json_string(h.text)));
            test::check_outcome({h.label + " as a key", h.text, Expect::either}, o);
            ++n;
        }
    }
    test::hostile_total() += n;
    return n;
}

// Whole texts that are no document: each generic text, JSON that is not
// an object, nesting 10,000 levels deep, NUL bytes, a byte order mark,
// text after the document, keys given twice.
std::vector<HostileCase> whole_texts(const std::string& base) {
    auto cases = test::hostile_cases({});
    const std::string deep_arrays = std::string(10000, '[') + std::string(10000, ']');
    std::string deep_objects;
    for (int i = 0; i < 10000; ++i)
        deep_objects += R"({"a":)";
    deep_objects += "1" + std::string(10000, '}');
    const std::vector<HostileCase> own = {
        {"10,000 arrays deep", deep_arrays, Expect::refused},
        {"10,000 objects deep", deep_objects, Expect::refused},
        {"10,000 levels in jobs", R"({"jobs": )" + deep_arrays + "}", Expect::refused},
        {"10,000 levels in a task config",
         R"({"jobs": [{"name": "x", "task_type": "t", "task_config": )" + deep_objects + "}]}",
         Expect::refused},
        {"an array", "[]", Expect::refused},
        {"a string", "\"jobs\"", Expect::refused},
        {"a NUL after the document", base + std::string(1, '\0'), Expect::refused},
        {"a NUL inside", base.substr(0, 40) + std::string(1, '\0') + base.substr(40),
         Expect::refused},
        // A byte order mark is the JSON reader's to skip.
        {"a byte order mark", "\xef\xbb\xbf" + base, Expect::accepted},
        {"text after the document", base + "{}", Expect::refused},
        {"the document twice", base + base, Expect::refused},
        {"cut in half", base.substr(0, base.size() / 2), Expect::refused},
        {"a key twice", R"({"jobs": [], "jobs": []})", Expect::refused},
        {"1 MiB of blanks before it", test::repeated(" ", test::k_huge) + base, Expect::accepted},
        {"a comment", "/* c */" + base, Expect::refused},
        {"single quotes", "{'jobs': []}", Expect::refused},
        {"a trailing comma", R"({"jobs": [],})", Expect::refused},
        {"NaN", R"({"jobs": NaN})", Expect::refused},
        {"an unpaired surrogate escape", R"({"jobs": ["\ud800"]})", Expect::refused},
        {"an escaped NUL", R"({"jobs": ["\u0000"]})", Expect::refused},
    };
    cases.insert(cases.end(), own.begin(), own.end());
    return cases;
}

} // namespace

TEST_SUITE("backup::hostile") {

    TEST_CASE("the base documents read, and read back the same once written") {
        CHECK(read_backup(k_backup).accepted);
        CHECK(read_jobs(k_backup).accepted);
        CHECK(read_jobs(k_jobs_file).accepted);
    }

    TEST_CASE("config restore: whole texts that are no backup") {
        const auto n = test::run_table(whole_texts(k_backup), read_backup);
        MESSAGE(n << " hostile texts tried as backups");
    }

    TEST_CASE("config restore: every value of a backup, and a key in every object") {
        const auto n = mutate_everywhere(k_backup, read_backup);
        MESSAGE(n << " hostile backups tried");
    }

    TEST_CASE("apply: whole texts that are no job file") {
        const auto n = test::run_table(whole_texts(k_jobs_file), read_jobs);
        MESSAGE(n << " hostile texts tried as job files");
    }

    TEST_CASE("apply: every value of a job file and of a backup, and a key in every object") {
        auto n = mutate_everywhere(k_jobs_file, read_jobs);
        n += mutate_everywhere(k_backup, read_jobs);
        MESSAGE(n << " hostile job files tried");
    }
}
