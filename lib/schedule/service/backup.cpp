#include <schedule/exec/process.hpp>
#include <schedule/service/backup.hpp>

namespace schedule::service {

backup::Document make_backup(Context& ctx, const BackupRequest& request) {
    backup::Document doc;
    doc.created_at = ctx.now();
    doc.host = exec::host_name();
    auto read = ctx.store.begin_read();
    doc.jobs = ctx.store.list_jobs({});
    doc.config = ctx.store.config_rows();
    if (request.include_history) {
        auto& records = doc.executions.emplace();
        ctx.store.each_ended_execution(
            [&](const model::ExecutionRecord& r) { records.push_back(r); });
    }
    return doc;
}

} // namespace schedule::service
