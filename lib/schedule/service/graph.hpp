#pragma once
// Use case of `schedule job graph`: how jobs are linked (schedule(1),
// DEPENDENCIES).

#include <schedule/model/job.hpp>
#include <schedule/service/context.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

struct Graph {
    std::vector<model::Job> jobs;        // by name
    std::vector<model::GraphLink> edges; // by the name of `to`, then kind, then `from`
};

// Every job that has a link or is the other end of one, with the links;
// with `ref`, only the jobs connected to that job, by links in either
// direction, through any number of others. Throws NotFound for an unknown
// job.
Graph job_graph(Context& ctx, const std::optional<std::string>& ref);

} // namespace schedule::service
