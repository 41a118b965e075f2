#pragma once
// Use case of `schedule export` (schedule(1), EXPORT): the jobs to export
// and the facts of the store and the host that their translation needs.
// Reads only.

#include <schedule/model/job.hpp>
#include <schedule/service/context.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace schedule::service {

struct ExportSelection {
    std::vector<model::Job> jobs;
    std::int64_t keep_last = 20;                 // history.keep_last
    std::map<std::string, std::string> handlers; // handlers.TYPE
    std::string host_zone;                       // $TZ, else /etc/localtime, else UTC
    time::Instant now{};
};

// The jobs that `refs` name (ids or names), in the order given and each
// once; every job, ordered by name, when `refs` is empty. In root's store
// a job without run_as gets its owner as run_as when the owner names a
// user of the host, since that is whom it runs as, and a job gets the
// store's default hooks it runs as its own. Throws NotFound for a ref that
// names no job.
ExportSelection select_for_export(Context& ctx, const std::vector<std::string>& refs);

} // namespace schedule::service
