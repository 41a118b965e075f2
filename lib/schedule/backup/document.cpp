#include <schedule/backup/document.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <map>

namespace schedule::backup {

namespace {

using ojson = nlohmann::ordered_json;

ojson output_json(const std::optional<model::CapturedOutput>& out) {
    if (!out)
        return nullptr;
    ojson j;
    if (util::is_valid_utf8(out->data))
        j["data"] = out->data;
    else
        j["data_base64"] = util::encode_base64(out->data);
    j["total_bytes"] = out->total_bytes;
    j["truncated"] = out->truncated;
    return j;
}

// The execution object of `job history`, and what a restore needs besides.
ojson record_json(const model::ExecutionRecord& r, const time::Zone& zone) {
    const auto& e = r.execution;
    auto j = model::execution_to_json(e, zone, false);
    j["priority"] = e.priority;
    j["parent_execution_id"] =
        e.parent_execution_id ? ojson(*e.parent_execution_id) : ojson(nullptr);
    j["created_at"] = model::instant_json(e.created_at, zone, false);
    j["updated_at"] = model::instant_json(e.updated_at, zone, false);
    j["stdout"] = output_json(r.out);
    j["stderr"] = output_json(r.err);
    return j;
}

} // namespace

std::string to_json_text(const Document& doc, const time::Zone& zone) {
    ojson j;
    j["format"] = k_format;
    j["version"] = k_version;
    j["created_at"] = time::format_iso(doc.created_at, zone);
    j["host"] = doc.host;
    auto& jobs = j["jobs"] = ojson::array();
    std::map<std::string, time::Zone> zones; // by job id
    for (const auto& job : doc.jobs) {
        auto z = model::zone_of(job);
        jobs.push_back(model::job_to_json(job, z, false));
        zones.emplace(job.id, z);
    }
    auto& config = j["config"] = ojson::object();
    for (const auto& [key, value] : doc.config)
        config[key] = value;
    if (doc.executions) {
        auto& executions = j["executions"] = ojson::array();
        for (const auto& r : *doc.executions) {
            auto it = zones.find(r.execution.job_id);
            executions.push_back(
                record_json(r, it != zones.end() ? it->second : time::Zone::utc()));
        }
    }
    return model::dump_json(j, 2) + "\n";
}

} // namespace schedule::backup
