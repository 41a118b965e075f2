// The executions and outputs tables: rows <-> model::Execution, the job
// counters that move with them, and retention.

#include <schedule/store/impl.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace schedule::store {

namespace {

constexpr const char* k_execution_columns =
    "e.execution_id, e.job_id, j.name, j.timezone, e.trigger, e.attempt, e.status, e.reason, "
    "e.skipped_count, e.scheduled_for, e.start_time, e.end_time, e.duration_ms, e.exit_code, "
    "e.signal, e.error, e.host, e.pid, e.process_start, e.boot_id, e.supervisor_pid, "
    "e.supervisor_start, e.created_at, e.updated_at, e.not_before, e.priority, "
    "e.parent_execution_id";

// The writable columns, in the order bind_execution() binds them.
constexpr const char* k_writable =
    "job_id, trigger, attempt, status, reason, skipped_count, scheduled_for, start_time, end_time, "
    "duration_ms, exit_code, signal, error, host, pid, process_start, boot_id, supervisor_pid, "
    "supervisor_start, created_at, updated_at, not_before, priority, parent_execution_id";
constexpr int k_writable_count = 24; // the parameter after them is the id

model::ExecutionStatus read_status(const SQLite::Column& c) {
    auto status = model::parse_execution_status(c.getString());
    if (!status)
        throw util::StoreError("the store holds an execution of an unreadable status");
    return *status;
}

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
    model::set_reason_text(e, col_opt_text(st.getColumn(7)));
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
    e.not_before = opt_instant(st.getColumn(24));
    e.priority = st.getColumn(25).getInt();
    e.parent_execution_id = col_opt_int(st.getColumn(26));
    return e;
}

// Binds the writable columns, in the order of the INSERT and UPDATE below,
// from index 1: the k_writable columns.
void bind_execution(SQLite::Statement& st, const model::Execution& e) {
    int i = 1;
    st.bind(i++, e.job_id);
    st.bind(i++, std::string(model::to_string(e.trigger)));
    st.bind(i++, e.attempt);
    st.bind(i++, std::string(model::to_string(e.status)));
    bind_opt(st, i++, model::reason_text(e));
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
    bind_opt(st, i++, opt_unix(e.not_before));
    st.bind(i++, e.priority);
    bind_opt(st, i++, e.parent_execution_id);
}

// With `index`, the query reads executions through that index (SQLite,
// without statistics, would rather take executions_end for `end_time IS
// NULL`, which holds every queued run).
std::string select_from(const char* index = nullptr) {
    return std::string("SELECT ") + k_execution_columns + " FROM executions e" +
           (index ? std::string(" INDEXED BY ") + index : std::string()) +
           " JOIN jobs j ON j.job_id = e.job_id";
}

} // namespace

std::int64_t Store::insert_execution(WriteTransaction& tx, const model::Execution& e) {
    return guarded(*m_impl, [&] {
        auto& db = writer(tx);
        Cached st_cached(*m_impl, db,
                         std::string("INSERT INTO executions (") + k_writable + ") VALUES (" +
                             placeholders(k_writable, false) + ")");
        auto& st = *st_cached;
        bind_execution(st, e);
        st.exec();
        return db.getLastInsertRowid();
    });
}

void Store::insert_execution_with_id(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         std::string("INSERT INTO executions (") + k_writable +
                             ", execution_id) VALUES (" + placeholders(k_writable, false) + ", ?" +
                             std::to_string(k_writable_count + 1) + ")");
        auto& st = *st_cached;
        bind_execution(st, e);
        st.bind(k_writable_count + 1, e.id);
        st.exec();
    });
}

std::int64_t Store::max_execution_id() {
    return guarded(*m_impl, [&] {
        // AUTOINCREMENT keeps the highest id ever given in sqlite_sequence.
        Cached st_cached(*m_impl, "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE "
                                  "name = 'executions'), 0), coalesce((SELECT max(execution_id) "
                                  "FROM executions), 0))");
        auto& st = *st_cached;
        st.executeStep();
        return st.getColumn(0).getInt64();
    });
}

void Store::update_execution(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE executions SET " + placeholders(k_writable, true) +
                             " WHERE execution_id = ?" + std::to_string(k_writable_count + 1));
        auto& st = *st_cached;
        bind_execution(st, e);
        st.bind(k_writable_count + 1, e.id);
        if (st.exec() == 0)
            throw util::NotFound("execution " + std::to_string(e.id) + " no longer exists");
    });
}

void Store::update_claim(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE executions SET status = ?2, reason = ?3, start_time = ?4,"
                         " host = ?5, boot_id = ?6, supervisor_pid = ?7, supervisor_start = ?8,"
                         " parent_execution_id = ?9, updated_at = ?10 WHERE execution_id = ?1");
        auto& st = *st_cached;
        st.bind(1, e.id);
        st.bind(2, std::string(model::to_string(e.status)));
        bind_opt(st, 3, model::reason_text(e));
        bind_opt(st, 4, opt_unix(e.start_time));
        bind_opt(st, 5, e.host);
        bind_opt(st, 6, e.boot_id);
        bind_opt(st, 7, e.supervisor_pid);
        bind_opt(st, 8, e.supervisor_start);
        bind_opt(st, 9, e.parent_execution_id);
        st.bind(10, time::to_unix(e.updated_at));
        if (st.exec() == 0)
            throw util::NotFound("execution " + std::to_string(e.id) + " no longer exists");
    });
}

void Store::update_end(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE executions SET status = ?2, reason = ?3, start_time = ?4,"
                         " end_time = ?5, duration_ms = ?6, exit_code = ?7, signal = ?8,"
                         " error = ?9, pid = ?10, process_start = ?11, updated_at = ?12"
                         " WHERE execution_id = ?1");
        auto& st = *st_cached;
        st.bind(1, e.id);
        st.bind(2, std::string(model::to_string(e.status)));
        bind_opt(st, 3, model::reason_text(e));
        bind_opt(st, 4, opt_unix(e.start_time));
        bind_opt(st, 5, opt_unix(e.end_time));
        bind_opt(st, 6, e.duration_ms);
        bind_opt(st, 7, e.exit_code);
        bind_opt(st, 8, e.signal);
        bind_opt(st, 9, e.error);
        bind_opt(st, 10, e.pid);
        bind_opt(st, 11, e.process_start);
        st.bind(12, time::to_unix(e.updated_at));
        if (st.exec() == 0)
            throw util::NotFound("execution " + std::to_string(e.id) + " no longer exists");
    });
}

bool Store::note_process(WriteTransaction& tx, const model::Execution& e) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE executions SET pid = ?2, process_start = ?3, start_time = ?4,"
                         " updated_at = ?5 WHERE execution_id = ?1");
        auto& st = *st_cached;
        st.bind(1, e.id);
        bind_opt(st, 2, e.pid);
        bind_opt(st, 3, e.process_start);
        bind_opt(st, 4, opt_unix(e.start_time));
        st.bind(5, time::to_unix(e.updated_at));
        return st.exec() > 0; // none: a run deleted with its job meanwhile
    });
}

std::optional<Store::StartedCount> Store::note_run_started(WriteTransaction& tx,
                                                           const model::Execution& e) {
    return guarded(*m_impl, [&]() -> std::optional<StartedCount> {
        // Counters stop at k_max_count (?6): past the largest integer an
        // addition gives a REAL, which the column refuses, and every run
        // of the job would fail to start.
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE jobs SET execution_count = min(execution_count + 1, ?6), "
                         "scheduled_count = min(scheduled_count + ?5, ?6), "
                         "last_execution_id = ?2, last_execution = ?3, last_status = ?4 "
                         "WHERE job_id = ?1 RETURNING scheduled_count, max_executions");
        auto& st = *st_cached;
        st.bind(1, e.job_id);
        st.bind(2, e.id);
        bind_opt(st, 3, opt_unix(e.start_time));
        st.bind(4, std::string(model::to_string(e.status)));
        st.bind(5, model::counts_toward_limit(e.trigger) ? 1 : 0);
        st.bind(6, model::k_max_count);
        if (!st.executeStep())
            return std::nullopt; // a run deleted with its job meanwhile
        return StartedCount{st.getColumn(0).getInt64(), col_opt_int(st.getColumn(1))};
    });
}

void Store::note_run_ended(WriteTransaction& tx, const model::Execution& e) {
    guarded(*m_impl, [&] {
        // last_status follows only the newest run, so an old run that ends
        // late does not hide a newer one's state.
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE jobs SET failure_count = min(failure_count + ?2, ?5), "
                         "last_status = CASE WHEN last_execution_id IS NULL OR "
                         "last_execution_id <= ?3 THEN ?4 ELSE last_status END "
                         "WHERE job_id = ?1");
        auto& st = *st_cached;
        st.bind(1, e.job_id);
        st.bind(2, model::is_failure(e.status) ? 1 : 0);
        st.bind(3, e.id);
        st.bind(4, std::string(model::to_string(e.status)));
        st.bind(5, model::k_max_count);
        st.exec();
    });
}

std::int64_t Store::record_skip(WriteTransaction& tx, const model::Execution& skip) {
    return guarded(*m_impl, [&] {
        auto& db = writer(tx);
        Cached last_cached(*m_impl, db,
                           "SELECT execution_id, status, reason FROM executions"
                           " WHERE job_id = ?1 ORDER BY execution_id DESC LIMIT 1");
        auto& last = *last_cached;
        last.bind(1, skip.job_id);
        if (last.executeStep() && last.getColumn(1).getString() == "skipped" &&
            col_opt_text(last.getColumn(2)) == model::reason_text(skip)) {
            auto id = last.getColumn(0).getInt64();
            Cached up_cached(*m_impl, db,
                             "UPDATE executions SET skipped_count = min(coalesce("
                             "skipped_count, 1) + ?2, ?4), updated_at = ?3"
                             " WHERE execution_id = ?1");
            auto& up = *up_cached;
            up.bind(1, id);
            up.bind(2, skip.skipped_count.value_or(1));
            up.bind(3, time::to_unix(skip.updated_at));
            up.bind(4, model::k_max_count);
            up.exec();
            return id;
        }
        return insert_execution(tx, skip);
    });
}

std::optional<model::Execution> Store::find_execution(std::int64_t id) {
    return guarded(*m_impl, [&]() -> std::optional<model::Execution> {
        Cached st_cached(*m_impl, select_from() + " WHERE e.execution_id = ?1");
        auto& st = *st_cached;
        st.bind(1, id);
        if (!st.executeStep())
            return std::nullopt;
        return read_execution(st);
    });
}

std::vector<model::Execution> Store::list_executions(const ExecutionFilter& f) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, select_from() + " WHERE (?1 IS NULL OR e.job_id = ?1)"
                                                  " AND (?2 IS NULL OR e.status = ?2)"
                                                  " AND (?3 IS NULL OR e.created_at >= ?3)"
                                                  " ORDER BY e.execution_id DESC LIMIT ?4");
        auto& st = *st_cached;
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
        Cached st_cached(*m_impl, select_from("executions_active") +
                                      " WHERE e.end_time IS NULL"
                                      " AND e.status IN ('queued', 'waiting', 'running')"
                                      " AND (?1 IS NULL OR e.job_id = ?1) ORDER BY e.execution_id");
        auto& st = *st_cached;
        bind_opt(st, 1, job_id);
        std::vector<model::Execution> out;
        while (st.executeStep())
            out.push_back(read_execution(st));
        return out;
    });
}

std::vector<std::pair<std::int64_t, model::ExecutionStatus>> Store::active_execution_statuses() {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl,
                         "SELECT execution_id, status FROM executions INDEXED BY executions_active"
                         " WHERE end_time IS NULL"
                         " AND status IN ('queued', 'waiting', 'running')");
        auto& st = *st_cached;
        std::vector<std::pair<std::int64_t, model::ExecutionStatus>> out;
        while (st.executeStep())
            out.emplace_back(st.getColumn(0).getInt64(), read_status(st.getColumn(1)));
        return out;
    });
}

model::RecentRuns Store::recent_runs(const std::vector<std::string>& job_ids, std::size_t per_job) {
    return guarded(*m_impl, [&] {
        // For each job a range of executions_job read newest first and cut
        // at per_job: the cost grows with the jobs asked about, not with
        // the history kept. The ids come as one JSON array.
        Cached st_cached(
            *m_impl,
            "SELECT j.value, e.status, e.duration_ms FROM json_each(?1) j"
            " JOIN executions e ON e.execution_id IN ("
            "SELECT x.execution_id FROM executions x INDEXED BY executions_job"
            " WHERE x.job_id = j.value AND x.status NOT IN ('queued', 'waiting', 'running')"
            " ORDER BY x.execution_id DESC LIMIT ?2)"
            " ORDER BY e.execution_id");
        auto& st = *st_cached;
        st.bind(1, nlohmann::json(job_ids).dump());
        st.bind(2, static_cast<std::int64_t>(per_job));
        model::RecentRuns out;
        while (st.executeStep())
            out[st.getColumn(0).getString()].push_back(
                {read_status(st.getColumn(1)), col_opt_int(st.getColumn(2))});
        return out;
    });
}

std::vector<model::Execution> Store::claimed_executions(std::int64_t pid, std::int64_t start) {
    return guarded(*m_impl, [&] {
        // The WHERE terms of the executions_claimed index, so it is used.
        Cached st_cached(*m_impl, select_from("executions_claimed") +
                                      " WHERE e.end_time IS NULL AND e.supervisor_pid IS NOT NULL"
                                      " AND e.supervisor_pid = ?1 AND e.supervisor_start = ?2"
                                      " AND e.status = 'queued' ORDER BY e.execution_id");
        auto& st = *st_cached;
        st.bind(1, pid);
        st.bind(2, start);
        std::vector<model::Execution> out;
        while (st.executeStep())
            out.push_back(read_execution(st));
        return out;
    });
}

Store::JobActivity Store::job_activity(const std::string& job_id) {
    return guarded(*m_impl, [&] {
        JobActivity a;
        Cached active_cached(*m_impl, "SELECT count(*), coalesce(sum(status = 'running' OR"
                                      " supervisor_pid IS NOT NULL), 0) FROM executions"
                                      " WHERE job_id = ?1"
                                      " AND status IN ('queued', 'waiting', 'running')");
        auto& active = *active_cached;
        active.bind(1, job_id);
        if (active.executeStep()) {
            a.active = active.getColumn(0).getInt64() > 0;
            a.running = active.getColumn(1).getInt64() > 0;
        }
        Cached ends_cached(*m_impl,
                           "SELECT max(CASE WHEN status = 'completed' THEN end_time END),"
                           " max(CASE WHEN status IN ('failed', 'timed_out', 'lost') AND NOT EXISTS"
                           " (SELECT 1 FROM executions r WHERE r.parent_execution_id ="
                           " e.execution_id AND r.trigger = 'retry') THEN end_time END)"
                           " FROM executions e WHERE job_id = ?1 AND end_time IS NOT NULL");
        auto& ends = *ends_cached;
        ends.bind(1, job_id);
        if (ends.executeStep()) {
            a.completed = opt_instant(ends.getColumn(0));
            a.failed = opt_instant(ends.getColumn(1));
        }
        a.ended = std::max(a.completed, a.failed);
        return a;
    });
}

std::vector<std::pair<std::string, std::string>> Store::conflict_pairs() {
    return guarded(*m_impl, [&] {
        std::vector<std::pair<std::string, std::string>> out;
        Cached st_cached(*m_impl, "SELECT job_id, other_job_id FROM dependencies"
                                  " WHERE kind = 'conflicts_with'");
        auto& st = *st_cached;
        while (st.executeStep())
            out.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getString());
        return out;
    });
}

std::optional<time::Instant> Store::last_scheduled(const std::string& job_id,
                                                   std::optional<time::Instant> before) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, "SELECT max(scheduled_for) FROM executions WHERE job_id = ?1"
                                  " AND trigger NOT IN ('manual', 'retry')"
                                  " AND (?2 IS NULL OR scheduled_for < ?2)");
        auto& st = *st_cached;
        st.bind(1, job_id);
        bind_opt(st, 2, opt_unix(before));
        st.executeStep();
        return opt_instant(st.getColumn(0));
    });
}

std::vector<model::Execution> Store::queue_front(std::int64_t max_workers) {
    return guarded(*m_impl, [&] {
        // Each part reads one index (executions_active, executions_claimed,
        // executions_queue): the cost follows the front, not the history.
        std::vector<model::Execution> out;
        auto read_all = [&](const char* index, const std::string& where,
                            std::optional<std::int64_t> n) {
            Cached st_cached(*m_impl, select_from(index) + where);
            auto& st = *st_cached;
            if (n)
                st.bind(1, *n);
            while (st.executeStep())
                out.push_back(read_execution(st));
        };
        read_all("executions_active", " WHERE e.end_time IS NULL AND e.status = 'running'",
                 std::nullopt);
        read_all("executions_claimed",
                 " WHERE e.end_time IS NULL AND e.supervisor_pid IS NOT NULL"
                 " AND (e.status = 'queued' OR e.status = 'waiting')",
                 std::nullopt);
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        auto used = std::count_if(out.begin(), out.end(),
                                  [](const auto& e) { return e.supervisor_pid.has_value(); });
        auto free = std::max<std::int64_t>(0, max_workers - used);
        if (free > 0)
            read_all("executions_queue",
                     " WHERE e.status = 'queued' AND e.supervisor_pid IS NULL"
                     " ORDER BY e.priority DESC, e.scheduled_for, e.execution_id LIMIT ?1",
                     2 * free + 2);
        return out;
    });
}

void Store::save_output(WriteTransaction& tx, std::int64_t execution_id, const std::string& stream,
                        const model::CapturedOutput& out) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "INSERT OR REPLACE INTO outputs (execution_id, stream, data, "
                         "total_bytes, truncated) VALUES (?1, ?2, ?3, ?4, ?5)");
        auto& st = *st_cached;
        st.bind(1, execution_id);
        st.bind(2, stream);
        st.bind(3, out.data.data(), static_cast<int>(out.data.size()));
        st.bind(4, out.total_bytes);
        st.bind(5, out.truncated ? 1 : 0);
        st.exec();
    });
}

namespace {

std::optional<model::CapturedOutput> output_at(SQLite::Statement& st, int first) {
    if (st.getColumn(first).isNull())
        return std::nullopt;
    model::CapturedOutput out;
    auto data = st.getColumn(first);
    out.data.assign(static_cast<const char*>(data.getBlob()),
                    static_cast<std::size_t>(data.getBytes()));
    out.total_bytes = st.getColumn(first + 1).getInt64();
    out.truncated = st.getColumn(first + 2).getInt() != 0;
    return out;
}

} // namespace

void Store::each_ended_execution(const std::function<void(const model::ExecutionRecord&)>& visit) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, std::string("SELECT ") + k_execution_columns +
                                      ", o.data, o.total_bytes, o.truncated, r.data, "
                                      "r.total_bytes, r.truncated FROM executions e"
                                      " JOIN jobs j ON j.job_id = e.job_id"
                                      " LEFT JOIN outputs o ON o.execution_id = e.execution_id"
                                      " AND o.stream = 'stdout'"
                                      " LEFT JOIN outputs r ON r.execution_id = e.execution_id"
                                      " AND r.stream = 'stderr'"
                                      " WHERE e.status NOT IN ('queued', 'waiting', 'running')"
                                      " ORDER BY e.execution_id");
        auto& st = *st_cached;
        model::ExecutionRecord record;
        while (st.executeStep()) {
            record.execution = read_execution(st);
            record.out = output_at(st, 27);
            record.err = output_at(st, 30);
            visit(record);
        }
        return 0;
    });
}

std::optional<model::CapturedOutput> Store::load_output(std::int64_t execution_id,
                                                        const std::string& stream) {
    return guarded(*m_impl, [&]() -> std::optional<model::CapturedOutput> {
        Cached st_cached(*m_impl, "SELECT data, total_bytes, truncated FROM outputs "
                                  "WHERE execution_id = ?1 AND stream = ?2");
        auto& st = *st_cached;
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
        Cached st_cached(
            *m_impl, writer(tx),
            "DELETE FROM executions WHERE execution_id IN ("
            " SELECT execution_id FROM ("
            "  SELECT execution_id, status, coalesce(end_time, created_at) AS ended,"
            "   row_number() OVER (PARTITION BY job_id ORDER BY execution_id DESC) AS newest"
            "  FROM executions)"
            " WHERE newest > ?2 AND ended < ?1"
            "  AND status NOT IN ('queued', 'waiting', 'running'))");
        auto& st = *st_cached;
        st.bind(1, time::to_unix(cutoff));
        st.bind(2, keep_last);
        return static_cast<std::int64_t>(st.exec());
    });
}

std::optional<std::string> Store::meta(const std::string& key) {
    return guarded(*m_impl, [&]() -> std::optional<std::string> {
        Cached st_cached(*m_impl, "SELECT value FROM meta WHERE key = ?1");
        auto& st = *st_cached;
        st.bind(1, key);
        if (!st.executeStep())
            return std::nullopt;
        return st.getColumn(0).getString();
    });
}

void Store::set_meta(WriteTransaction& tx, const std::string& key, const std::string& value) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)");
        auto& st = *st_cached;
        st.bind(1, key);
        st.bind(2, value);
        st.exec();
    });
}

} // namespace schedule::store
