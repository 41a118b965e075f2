#pragma once
// The use case of `schedule apply -f FILE` (schedule(1), APPLY): make the
// store's jobs match a file of job definitions keyed by name, like
// `kubectl apply`.

#include <schedule/model/job.hpp>
#include <schedule/service/context.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

struct ApplyRequest {
    bool prune = false;   // delete the store's jobs that the file lacks
    bool dry_run = false; // plan only
};

enum class ApplyAction { create, update, unchanged, remove };
// "create", "update", "unchanged", "delete".
std::string_view to_string(ApplyAction a);

struct ApplyItem {
    ApplyAction action = ApplyAction::create;
    // The store's job (update, unchanged, remove).
    std::optional<model::Job> before;
    // The job as the file makes it (create, update); a job created in a
    // dry run has no id.
    std::optional<model::Job> after;
    // update: the fields that differ, as the Job object names them.
    std::vector<std::string> changed;

    const model::Job& job() const { return after ? *after : *before; }
};

struct ApplyResult {
    bool dry_run = false;
    std::vector<ApplyItem> jobs; // the file's order, then deletions by name
    std::int64_t count(ApplyAction a) const;
};

// `apply`: reads the whole file first (backup::read_definitions: any
// fault is a ValidationError naming its JSON path, and nothing is
// written), then matches each definition to the store's job of the same
// name. A job the store lacks is created; a stored job whose definition
// differs gets the file's (keeping its id, history and counters; a
// changed schedule runs from now; "enabled" pauses or resumes it as `job
// pause|resume` do); an identical one is not written at all. What the
// file leaves out is the default of a new job, except that a job firing
// every N minutes keeps its anchor when the file gives none. An --at or
// end date in the past is refused (exit 2) unless the stored job has it
// already. `prune` deletes the jobs the file lacks (as `job delete
// --force`). All of it in one transaction, with job.created,
// job.updated, job.paused and job.resumed events whose details say
// "applied", and job.deleted as `job delete` writes it. An apply that
// changes nothing takes no write lock and creates no store.
ApplyResult apply(Context& ctx, std::string_view text, const ApplyRequest& request);

} // namespace schedule::service
