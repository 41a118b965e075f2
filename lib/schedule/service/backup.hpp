#pragma once
// Use cases of `schedule config backup` and `config restore` (schedule(1),
// BACKUP DOCUMENT).

#include <schedule/backup/document.hpp>
#include <schedule/service/context.hpp>

namespace schedule::service {

struct BackupRequest {
    bool include_history = false;
};

// The store's jobs (by name), stored settings and, when asked, its ended
// executions with their output, from one read transaction: a tick writing
// meanwhile is either wholly in the document or not at all.
backup::Document make_backup(Context& ctx, const BackupRequest& request);

} // namespace schedule::service
