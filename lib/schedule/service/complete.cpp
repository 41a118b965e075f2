#include <schedule/model/execution.hpp>
#include <schedule/model/settings.hpp>
#include <schedule/service/complete.hpp>
#include <schedule/time/zone.hpp>

namespace schedule::service {

std::vector<Candidate> complete_jobs(store::Store& store, std::string_view prefix) {
    std::vector<Candidate> out;
    for (auto& job : store.jobs_named(prefix))
        out.push_back({std::move(job.name), std::move(job.id), false});
    if (!prefix.empty())
        for (auto& job : store.jobs_with_id(prefix))
            out.push_back({std::move(job.id), std::move(job.name), false});
    return out;
}

std::vector<Candidate> complete_executions(store::Store& store, std::string_view prefix) {
    std::vector<Candidate> out;
    for (const auto& e : store.list_executions({.limit = 100})) {
        auto id = std::to_string(e.id);
        if (id.starts_with(prefix))
            out.push_back({id, e.job_name + " " + std::string(model::to_string(e.status)), false});
    }
    return out;
}

std::vector<Candidate> complete_setting_keys(store::Store& store, std::string_view prefix) {
    std::vector<Candidate> out;
    for (const auto& spec : model::setting_specs()) {
        std::string key(spec.key);
        const bool pattern = key.ends_with(".*");
        if (pattern)
            key.pop_back(); // "handlers."
        if (!key.starts_with(prefix) && !prefix.starts_with(key))
            continue;
        if (key.starts_with(prefix))
            out.push_back({key, std::string(spec.description), pattern});
        if (pattern)
            for (const auto& [stored, value] : store.config_rows())
                if (stored.starts_with(key) && stored.starts_with(prefix))
                    out.push_back({stored, value, false});
    }
    return out;
}

std::vector<Candidate> complete_task_types(store::Store& store, std::string_view prefix) {
    constexpr std::string_view k_handlers = "handlers.";
    std::vector<Candidate> out;
    for (const auto& [key, value] : store.config_rows())
        if (key.starts_with(k_handlers) && key.substr(k_handlers.size()).starts_with(prefix))
            out.push_back({key.substr(k_handlers.size()), value, false});
    return out;
}

std::vector<Candidate> complete_zones(std::string_view prefix) {
    std::vector<Candidate> out;
    for (auto& name : time::zone_names(prefix))
        out.push_back({std::move(name), "", false});
    return out;
}

} // namespace schedule::service
