#pragma once
// `schedule job graph` output: a table of links, JSON, or Graphviz dot.

#include <schedule/format/style.hpp>
#include <schedule/model/job.hpp>

#include <string>
#include <vector>

namespace schedule::format {

// FROM, LINK, TO, STATE, TIMEOUT; "No links." when there are none.
std::string graph_table(const std::vector<model::GraphLink>& links, const Style& style);
// {"jobs": [{"job_id", "name", "status", "last_status"}], "links": [{"kind",
// "from", "from_id", "to", "to_id", "state", "timeout_seconds"}]}.
std::string graph_json(const std::vector<model::Job>& jobs,
                       const std::vector<model::GraphLink>& links);
// A Graphviz digraph: a node per job (its name, and its last status),
// an arrow from the job that runs first to the one that waits or
// follows, a dashed two-headed line for a conflict.
std::string graph_dot(const std::vector<model::Job>& jobs,
                      const std::vector<model::GraphLink>& links);

} // namespace schedule::format
