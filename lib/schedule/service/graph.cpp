#include <schedule/service/graph.hpp>
#include <schedule/service/jobs.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace schedule::service {

Graph job_graph(Context& ctx, const std::optional<std::string>& ref) {
    std::optional<model::Job> start;
    if (ref)
        start = get_job(ctx, *ref);
    std::map<std::string, model::Job> by_id;
    for (auto& j : ctx.store.list_jobs({}))
        by_id.emplace(j.id, std::move(j));
    std::vector<model::GraphLink> edges;
    auto link_of = [](const model::Job& j) {
        return model::JobLink{j.id, j.name, model::EndState::completed, time::Duration{0}};
    };
    for (const auto& [id, j] : by_id) {
        for (const auto& d : j.depends_on)
            edges.push_back({"depends_on", d, link_of(j)});
        if (j.trigger.after)
            edges.push_back({"after", *j.trigger.after, link_of(j)});
        for (const auto& c : j.conflicts_with)
            edges.push_back({"conflicts_with", link_of(j), c});
    }
    std::set<std::string> keep;
    if (start) {
        keep.insert(start->id);
        for (bool grew = true; grew;) {
            grew = false;
            for (const auto& e : edges)
                if (keep.count(e.from.job_id) != keep.count(e.to.job_id)) {
                    keep.insert(e.from.job_id);
                    keep.insert(e.to.job_id);
                    grew = true;
                }
        }
    } else {
        for (const auto& e : edges) {
            keep.insert(e.from.job_id);
            keep.insert(e.to.job_id);
        }
    }
    Graph g;
    for (auto& [id, j] : by_id)
        if (keep.count(id))
            g.jobs.push_back(std::move(j));
    std::sort(g.jobs.begin(), g.jobs.end(),
              [](const model::Job& a, const model::Job& b) { return a.name < b.name; });
    for (auto& e : edges)
        if (keep.count(e.from.job_id) && keep.count(e.to.job_id))
            g.edges.push_back(std::move(e));
    std::sort(g.edges.begin(), g.edges.end(),
              [](const model::GraphLink& a, const model::GraphLink& b) {
                  return std::tie(a.to.job_name, a.kind, a.from.job_name) <
                         std::tie(b.to.job_name, b.kind, b.from.job_name);
              });
    return g;
}

} // namespace schedule::service
