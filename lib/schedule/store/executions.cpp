// The executions and outputs tables: rows <-> model::Execution, the job
// counters that move with them, and retention.

#include <schedule/store/impl.hpp>

namespace schedule::store {

namespace {

constexpr const char* k_execution_columns =
    "e.execution_id, e.job_id, j.name, j.timezone, e.trigger, e.attempt, e.status, e.reason, "
    "e.skipped_count, e.scheduled_for, e.start_time, e.end_time, e.duration_ms, e.exit_code, "
    "e.signal, e.error, e.host, e.pid, e.process_start, e.boot_id, e.supervisor_pid, "
    "e.supervisor_start, e.created_at, e.updated_at";

model::Execution read_execution(SQLite::Statement& st) {
    model::Execution e;
    e.id = st.getColumn(0).getInt64();
    e.job_id = st.getColumn(1).getString();
    e.job_name = st.getColumn(2).getString();
    e.job_timezone = st.getColumn(3).getString();
    auto trigger = model::parse_execution_trigger(st.getColumn(4).getString());
    auto status = model::parse_execution_status(st.getColumn(6).getString());
    if (!trigger || !status)
        throw util::StoreError("the store holds an unreadable execution " + std::to_string(e.id));
    e.trigger = *trigger;
    e.attempt = st.getColumn(5).getInt();
    e.status = *status;
    e.reason = col_opt_text(st.getColumn(7));
    e.skipped_count = col_opt_int(st.getColumn(8));
    e.scheduled_for = opt_instant(st.getColumn(9));
    e.start_time = opt_instant(st.getColumn(10));
    e.end_time = opt_instant(st.getColumn(11));
    e.duration_ms = col_opt_int(st.getColumn(12));
    if (auto v = col_opt_int(st.getColumn(13)))
        e.exit_code = static_cast<int>(*v);
    if (auto v = col_opt_int(st.getColumn(14)))
        e.signal = static_cast<int>(*v);
    e.error = col_opt_text(st.getColumn(15));
    e.host = col_opt_text(st.getColumn(16));
    e.pid = col_opt_int(st.getColumn(17));
    e.process_start = col_opt_int(st.getColumn(18));
    e.boot_id = col_opt_text(st.getColumn(19));
    e.supervisor_pid = col_opt_int(st.getColumn(20));
    e.supervisor_start = col_opt_int(st.getColumn(21));
    e.created_at = time::from_unix(st.getColumn(22).getInt64());
    e.updated_at = time::from_unix(st.getColumn(23).getInt64());
    return e;
}

// Binds the writable columns, in the order of the INSERT and UPDATE below,
// from index 1: job_id .. updated_at (21 values).
void bind_execution(SQLite::Statement& st, const model::Execution& e) {
    int i = 1;
    st.bind(i++, e.job_id);
    st.bind(i++, std::string(model::to_string(e.trigger)));
    st.bind(i++, e.attempt);
    st.bind(i++, std::string(model::to_string(e.status)));
    bind_opt(st, i++, e.reason);
    bind_opt(st, i++, e.skipped_count);
    bind_opt(st, i++, opt_unix(e.scheduled_for));
    bind_opt(st, i++, opt_unix(e.start_time));
    bind_opt(st, i++, opt_unix(e.end_time));
    bind_opt(st, i++, e.duration_ms);
    bind_opt(st, i++, e.exit_code);
    bind_opt(st, i++, e.signal);
    bind_opt(st, i++, e.error);
    bind_opt(st, i++, e.host);
    bind_opt(st, i++, e.pid);
    bind_opt(st, i++, e.process_start);
    bind_opt(st, i++, e.boot_id);
    bind_opt(st, i++, e.supervisor_pid);
    bind_opt(st, i++, e.supervisor_start);
    st.bind(i++, time::to_unix(e.created_at));
    st.bind(i++, time::to_unix(e.updated_at));
}

std::string select_from() {
    return std::string("SELECT ") + k_execution_columns +
           " FROM executions e JOIN jobs j ON j.job_id = e.job_id";
}

} // namespace

std::int64_t Store::insert_execution(WriteTransaction& tx, const model::Execution& e) {
    return guarded(*m_impl, [&] {
        auto& db = writer(tx);
        SQLite::Statement st(
            db, "INSERT INTO executions (job_id, trigger, attempt, status, reason, skipped_count, "
                "scheduled_for, start_time, end_time, duration_ms, exit_code, signal, error, host, "
                "pid, process_start, boot_id, supervisor_pid, supervisor_start, created_at, "
                "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                "?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
        bind_execution(st, e);
        st.exec();
        return db.getLastInsertRowid();
    });
}

void Store::update_execution(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        SQLite::Statement st(
            writer(tx),
            "UPDATE executions SET job_id = ?1, trigger = ?2, attempt = ?3, status = ?4, "
            "reason = ?5, skipped_count = ?6, scheduled_for = ?7, start_time = ?8, end_time = ?9, "
            "duration_ms = ?10, exit_code = ?11, signal = ?12, error = ?13, host = ?14, pid = ?15, "
            "process_start = ?16, boot_id = ?17, supervisor_pid = ?18, supervisor_start = ?19, "
            "created_at = ?20, updated_at = ?21 WHERE execution_id = ?22");
        bind_execution(st, e);
        st.bind(22, e.id);
        if (st.exec() == 0)
            throw util::NotFound("execution " + std::to_string(e.id) + " no longer exists");
    });
}

void Store::note_run_started(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        SQLite::Statement st(writer(tx),
                             "UPDATE jobs SET execution_count = execution_count + 1, "
                             "last_execution_id = ?2, last_execution = ?3, last_status = ?4 "
                             "WHERE job_id = ?1");
        st.bind(1, e.job_id);
        st.bind(2, e.id);
        bind_opt(st, 3, opt_unix(e.start_time));
        st.bind(4, std::string(model::to_string(e.status)));
        st.exec();
    });
}

void Store::note_run_ended(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        // last_status follows only the newest run, so an old run that ends
        // late does not hide a newer one's state.
        SQLite::Statement st(writer(tx), "UPDATE jobs SET failure_count = failure_count + ?2, "
                                         "last_status = CASE WHEN last_execution_id IS NULL OR "
                                         "last_execution_id <= ?3 THEN ?4 ELSE last_status END "
                                         "WHERE job_id = ?1");
        st.bind(1, e.job_id);
        st.bind(2, model::is_failure(e.status) ? 1 : 0);
        st.bind(3, e.id);
        st.bind(4, std::string(model::to_string(e.status)));
        st.exec();
    });
}

std::optional<model::Execution> Store::find_execution(std::int64_t id) {
    return guarded(*m_impl, [&]() -> std::optional<model::Execution> {
        SQLite::Statement st(m_impl->db, select_from() + " WHERE e.execution_id = ?1");
        st.bind(1, id);
        if (!st.executeStep())
            return std::nullopt;
        return read_execution(st);
    });
}

std::vector<model::Execution> Store::list_executions(const ExecutionFilter& f) {
    return guarded(*m_impl, [&] {
        SQLite::Statement st(m_impl->db, select_from() + " WHERE (?1 IS NULL OR e.job_id = ?1)"
                                                         " AND (?2 IS NULL OR e.status = ?2)"
                                                         " AND (?3 IS NULL OR e.created_at >= ?3)"
                                                         " ORDER BY e.execution_id DESC LIMIT ?4");
        bind_opt(st, 1, f.job_id);
        bind_opt(st, 2,
                 f.status ? std::optional<std::string>(std::string(to_string(*f.status)))
                          : std::nullopt);
        bind_opt(st, 3, opt_unix(f.since));
        st.bind(4, f.limit.value_or(-1));
        std::vector<model::Execution> out;
        while (st.executeStep())
            out.push_back(read_execution(st));
        return out;
    });
}

std::vector<model::Execution> Store::active_executions(std::optional<std::string> job_id) {
    return guarded(*m_impl, [&] {
        SQLite::Statement st(m_impl->db,
                             select_from() +
                                 " WHERE e.status IN ('queued', 'waiting', 'running')"
                                 " AND (?1 IS NULL OR e.job_id = ?1) ORDER BY e.execution_id");
        bind_opt(st, 1, job_id);
        std::vector<model::Execution> out;
        while (st.executeStep())
            out.push_back(read_execution(st));
        return out;
    });
}

void Store::save_output(WriteTransaction& tx, std::int64_t execution_id, const std::string& stream,
                        const model::CapturedOutput& out) {
    guarded(*m_impl, [&] {
        SQLite::Statement st(writer(tx),
                             "INSERT OR REPLACE INTO outputs (execution_id, stream, data, "
                             "total_bytes, truncated) VALUES (?1, ?2, ?3, ?4, ?5)");
        st.bind(1, execution_id);
        st.bind(2, stream);
        st.bind(3, out.data.data(), static_cast<int>(out.data.size()));
        st.bind(4, out.total_bytes);
        st.bind(5, out.truncated ? 1 : 0);
        st.exec();
    });
}

std::optional<model::CapturedOutput> Store::load_output(std::int64_t execution_id,
                                                        const std::string& stream) {
    return guarded(*m_impl, [&]() -> std::optional<model::CapturedOutput> {
        SQLite::Statement st(m_impl->db, "SELECT data, total_bytes, truncated FROM outputs "
                                         "WHERE execution_id = ?1 AND stream = ?2");
        st.bind(1, execution_id);
        st.bind(2, stream);
        if (!st.executeStep())
            return std::nullopt;
        model::CapturedOutput out;
        auto data = st.getColumn(0);
        out.data.assign(static_cast<const char*>(data.getBlob()),
                        static_cast<std::size_t>(data.getBytes()));
        out.total_bytes = st.getColumn(1).getInt64();
        out.truncated = st.getColumn(2).getInt() != 0;
        return out;
    });
}

std::int64_t Store::prune_executions(WriteTransaction& tx, time::Instant cutoff,
                                     std::int64_t keep_last) {
    return guarded(*m_impl, [&] {
        SQLite::Statement st(
            writer(tx),
            "DELETE FROM executions WHERE execution_id IN ("
            " SELECT execution_id FROM ("
            "  SELECT execution_id, status, coalesce(end_time, created_at) AS ended,"
            "   row_number() OVER (PARTITION BY job_id ORDER BY execution_id DESC) AS newest"
            "  FROM executions)"
            " WHERE newest > ?2 AND ended < ?1"
            "  AND status NOT IN ('queued', 'waiting', 'running'))");
        st.bind(1, time::to_unix(cutoff));
        st.bind(2, keep_last);
        return static_cast<std::int64_t>(st.exec());
    });
}

std::optional<std::string> Store::meta(const std::string& key) {
    return guarded(*m_impl, [&]() -> std::optional<std::string> {
        SQLite::Statement st(m_impl->db, "SELECT value FROM meta WHERE key = ?1");
        st.bind(1, key);
        if (!st.executeStep())
            return std::nullopt;
        return st.getColumn(0).getString();
    });
}

void Store::set_meta(WriteTransaction& tx, const std::string& key, const std::string& value) {
    guarded(*m_impl, [&] {
        SQLite::Statement st(writer(tx),
                             "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
        st.bind(1, key);
        st.bind(2, value);
        st.exec();
    });
}

} // namespace schedule::store
