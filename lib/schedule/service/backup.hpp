#pragma once
// Use cases of `schedule config backup` and `config restore` (schedule(1),
// BACKUP DOCUMENT).

#include <schedule/backup/document.hpp>
#include <schedule/service/context.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedule::service {

struct BackupRequest {
    bool include_history = false;
};

// The store's jobs (by name), stored settings and, when asked, its ended
// executions with their output, from one read transaction: a tick writing
// meanwhile is either wholly in the document or not at all.
backup::Document make_backup(Context& ctx, const BackupRequest& request);

struct RestoreRequest {
    bool force = false;   // replace jobs whose id or name is in the store
    bool prune = false;   // delete the store's jobs that the document lacks
    bool dry_run = false; // plan only
};

enum class RestoreAction { create, replace, unchanged, remove };
std::string_view to_string(RestoreAction a);

struct RestoreItem {
    RestoreAction action = RestoreAction::create;
    std::string job_id; // the id the job has in the store afterwards
    std::string name;
    std::vector<std::string> changed; // replace: the fields that differ
};

struct RestoreResult {
    bool dry_run = false;
    std::vector<RestoreItem> jobs; // the document's order, then deletions
    // Settings whose stored value the restore sets (changed or new).
    std::vector<std::pair<std::string, std::string>> settings;
    std::int64_t executions = 0; // history records restored
    // History of the document's jobs that were in the store already: the
    // store's history is kept and these records are not added.
    std::int64_t executions_skipped = 0;
    std::int64_t count(RestoreAction a) const;
};

// `config restore`: reads the whole document first (backup::read_document:
// any fault is a ValidationError naming its JSON path, and nothing is
// written), then, in one transaction, creates the document's jobs that
// the store lacks with their history (execution ids kept when all are
// free, else renumbered after the store's), and the settings. A job whose
// id or name is in the store is a conflict: without `force` every one is
// listed in one util::Conflict (exit 4); with it, one whose definition
// differs is replaced (the store's id, history and counters are kept) and
// an identical one is unchanged. A document job matching one store job by
// id and another by name is a conflict even with `force`. `prune` deletes
// the store's jobs that no document job matched (as `job delete --force`).
// Restored jobs get their next run from now. Appends job events and one
// config.restored event with the counts.
RestoreResult restore(Context& ctx, std::string_view text, const RestoreRequest& request);

} // namespace schedule::service
