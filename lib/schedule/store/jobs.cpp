// The jobs table: rows <-> model::Job.

#include <schedule/model/job_json.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/store/impl.hpp>

namespace schedule::store {

namespace {

constexpr const char* k_job_columns =
    "job_id, name, description, trigger_type, trigger, cron_expression, timezone, command, "
    "task_type, task_config, priority, owner, tags, enabled, status, timeout_seconds, env, "
    "working_dir, execution_count, failure_count, last_execution, last_status, next_execution, "
    "created_at, updated_at, jitter_seconds, dst_gap, dst_overlap, start_date, end_date, run_as, "
    "kill_grace_seconds, overlap, catchup, misfire_grace_seconds, max_executions, max_instances, "
    "max_attempts, retry_delay_seconds, retry_max_delay_seconds, backoff, retry_on, "
    "scheduled_count, boot_id, windows, outside_window, on_failure, on_retry, on_success, notify, "
    "after_job_id";

[[noreturn]] void corrupt_row(const std::string& job_id, const std::string& what) {
    throw util::StoreError("the store holds an unreadable job " + job_id + ": " + what);
}

// Sets every field of `j` from the current row (so one Job can be reused
// row after row).
void read_job_into(SQLite::Statement& st, model::Job& j) {
    j.id = st.getColumn(0).getString();
    j.name = st.getColumn(1).getString();
    j.description = st.getColumn(2).getString();
    auto trigger = model::trigger_from_json_text(st.getColumn(4).getString());
    if (!trigger)
        corrupt_row(j.id, trigger.error());
    j.trigger = *trigger;
    j.timezone = st.getColumn(6).getString();
    j.command = col_opt_text(st.getColumn(7));
    j.task_type = col_opt_text(st.getColumn(8));
    j.task_config = st.getColumn(9).getString();
    j.priority = st.getColumn(10).getInt();
    j.owner = col_opt_text(st.getColumn(11));
    auto tags = model::tags_from_json_text(st.getColumn(12).getString());
    if (!tags)
        corrupt_row(j.id, tags.error());
    j.tags = *tags;
    j.enabled = st.getColumn(13).getInt() != 0;
    auto status = model::parse_job_status(st.getColumn(14).getString());
    if (!status)
        corrupt_row(j.id, "unknown status " + st.getColumn(14).getString());
    j.status = *status;
    auto timeout = col_opt_int(st.getColumn(15));
    j.timeout = timeout ? std::optional(time::Duration{*timeout}) : std::nullopt;
    auto env = model::env_from_json_text(st.getColumn(16).getString());
    if (!env)
        corrupt_row(j.id, env.error());
    j.env = *env;
    j.working_dir = col_opt_text(st.getColumn(17));
    j.execution_count = st.getColumn(18).getInt64();
    j.failure_count = st.getColumn(19).getInt64();
    j.last_execution = opt_instant(st.getColumn(20));
    j.last_status = col_opt_text(st.getColumn(21));
    j.next_execution = opt_instant(st.getColumn(22));
    j.created_at = time::from_unix(st.getColumn(23).getInt64());
    j.updated_at = time::from_unix(st.getColumn(24).getInt64());
    j.jitter = time::Duration{st.getColumn(25).getInt64()};
    auto gap = model::parse_dst_gap(st.getColumn(26).getString());
    auto overlap = model::parse_dst_overlap(st.getColumn(27).getString());
    if (!gap || !overlap)
        corrupt_row(j.id, "unknown DST policy");
    j.dst_gap = *gap;
    j.dst_overlap = *overlap;
    j.start_date = opt_instant(st.getColumn(28));
    j.end_date = opt_instant(st.getColumn(29));
    j.run_as = col_opt_text(st.getColumn(30));
    j.kill_grace = time::Duration{st.getColumn(31).getInt64()};
    auto overlap_policy = model::parse_overlap(st.getColumn(32).getString());
    if (!overlap_policy)
        corrupt_row(j.id, "unknown overlap policy");
    j.overlap = *overlap_policy;
    auto catchup = model::parse_catchup(st.getColumn(33).getString());
    if (!catchup)
        corrupt_row(j.id, "unknown catch-up policy");
    j.catchup = *catchup;
    auto grace = col_opt_int(st.getColumn(34));
    j.misfire_grace = grace ? std::optional(time::Duration{*grace}) : std::nullopt;
    j.max_executions = col_opt_int(st.getColumn(35));
    auto instances = col_opt_int(st.getColumn(36));
    j.max_instances = instances ? std::optional(static_cast<int>(*instances)) : std::nullopt;
    j.max_attempts = st.getColumn(37).getInt();
    j.retry_delay = time::Duration{st.getColumn(38).getInt64()};
    j.retry_max_delay = time::Duration{st.getColumn(39).getInt64()};
    auto backoff = model::parse_backoff(st.getColumn(40).getString());
    if (!backoff)
        corrupt_row(j.id, "unknown backoff");
    j.backoff = *backoff;
    j.retry_on.clear();
    if (auto text = col_opt_text(st.getColumn(41))) {
        auto list = model::parse_retry_on(*text);
        if (!list)
            corrupt_row(j.id, "retry_on: " + list.error());
        j.retry_on = *list;
    }
    j.scheduled_count = st.getColumn(42).getInt64();
    j.boot_id = col_opt_text(st.getColumn(43));
    auto windows = model::windows_from_json_text(st.getColumn(44).getString());
    if (!windows)
        corrupt_row(j.id, windows.error());
    j.windows = std::move(windows).value();
    auto outside = model::parse_outside_window(st.getColumn(45).getString());
    if (!outside)
        corrupt_row(j.id, "unknown outside-window policy");
    j.outside_window = *outside;
    j.on_failure = col_opt_text(st.getColumn(46));
    j.on_retry = col_opt_text(st.getColumn(47));
    j.on_success = col_opt_text(st.getColumn(48));
    j.notify = st.getColumn(49).getInt() != 0;
}

model::Job read_job(SQLite::Statement& st) {
    model::Job j;
    read_job_into(st, j);
    return j;
}

// Binds every column of k_job_columns, in order, starting at index 1.
void bind_job(SQLite::Statement& st, const model::Job& j) {
    int i = 1;
    st.bind(i++, j.id);
    st.bind(i++, j.name);
    st.bind(i++, j.description);
    st.bind(i++, std::string(model::to_string(j.trigger.type)));
    st.bind(i++, model::trigger_to_json_text(j.trigger));
    bind_opt(st, i++, j.trigger.cron_expression());
    st.bind(i++, j.timezone);
    bind_opt(st, i++, j.command);
    bind_opt(st, i++, j.task_type);
    st.bind(i++, j.task_config);
    st.bind(i++, j.priority);
    bind_opt(st, i++, j.owner);
    st.bind(i++, model::tags_to_json_text(j.tags));
    st.bind(i++, j.enabled ? 1 : 0);
    st.bind(i++, std::string(model::to_string(j.status)));
    bind_opt(st, i++, j.timeout ? std::optional<std::int64_t>(j.timeout->count()) : std::nullopt);
    st.bind(i++, model::env_to_json_text(j.env));
    bind_opt(st, i++, j.working_dir);
    st.bind(i++, j.execution_count);
    st.bind(i++, j.failure_count);
    bind_opt(st, i++, opt_unix(j.last_execution));
    bind_opt(st, i++, j.last_status);
    bind_opt(st, i++, opt_unix(j.next_execution));
    st.bind(i++, time::to_unix(j.created_at));
    st.bind(i++, time::to_unix(j.updated_at));
    st.bind(i++, std::int64_t{j.jitter.count()});
    st.bind(i++, std::string(model::to_string(j.dst_gap)));
    st.bind(i++, std::string(model::to_string(j.dst_overlap)));
    bind_opt(st, i++, opt_unix(j.start_date));
    bind_opt(st, i++, opt_unix(j.end_date));
    bind_opt(st, i++, j.run_as);
    st.bind(i++, std::int64_t{j.kill_grace.count()});
    st.bind(i++, std::string(model::to_string(j.overlap)));
    st.bind(i++, std::string(model::to_string(j.catchup)));
    bind_opt(st, i++,
             j.misfire_grace ? std::optional<std::int64_t>(j.misfire_grace->count())
                             : std::nullopt);
    bind_opt(st, i++, j.max_executions);
    bind_opt(st, i++, j.max_instances);
    st.bind(i++, j.max_attempts);
    st.bind(i++, std::int64_t{j.retry_delay.count()});
    st.bind(i++, std::int64_t{j.retry_max_delay.count()});
    st.bind(i++, std::string(model::to_string(j.backoff)));
    bind_opt(st, i++,
             j.retry_on.empty() ? std::nullopt : std::optional(model::retry_on_text(j.retry_on)));
    st.bind(i++, j.scheduled_count);
    bind_opt(st, i++, j.boot_id);
    st.bind(i++, model::windows_to_json_text(j.windows));
    st.bind(i++, std::string(model::to_string(j.outside_window)));
    bind_opt(st, i++, j.on_failure);
    bind_opt(st, i++, j.on_retry);
    bind_opt(st, i++, j.on_success);
    st.bind(i++, j.notify ? 1 : 0);
    bind_opt(st, i++,
             j.trigger.after ? std::optional<std::string>(j.trigger.after->job_id) : std::nullopt);
}

// The links of jobs (schedule(1), DEPENDENCIES) as the store keeps them:
// rows of the dependencies table, and the after_job_id of --after
// triggers, with the other job's current name.
struct Links {
    std::map<std::string, std::vector<model::JobLink>> depends_on, conflicts_with;
    std::map<std::string, std::string> after_names; // job id -> its after job's name
};

// The links of every job, or of `job_id` only.
Links load_links(Store::Impl& impl, const std::optional<std::string>& job_id) {
    Links out;
    Cached deps_cached(impl, "SELECT d.job_id, d.other_job_id, o.name, d.kind, d.state,"
                             " d.timeout_seconds FROM dependencies d"
                             " JOIN jobs o ON o.job_id = d.other_job_id"
                             " WHERE ?1 IS NULL OR d.job_id = ?1"
                             " ORDER BY d.job_id, d.kind, d.position");
    auto& deps = *deps_cached;
    bind_opt(deps, 1, job_id);
    while (deps.executeStep()) {
        model::JobLink link;
        const auto owner = deps.getColumn(0).getString();
        link.job_id = deps.getColumn(1).getString();
        link.job_name = deps.getColumn(2).getString();
        const auto kind = deps.getColumn(3).getString();
        auto state = model::parse_end_state(deps.getColumn(4).getString());
        if (!state)
            corrupt_row(owner, "unknown dependency state");
        link.state = *state;
        link.timeout = time::Duration{deps.getColumn(5).getInt64()};
        (kind == "depends_on" ? out.depends_on : out.conflicts_with)[owner].push_back(link);
    }
    Cached after_cached(impl,
                        "SELECT j.job_id, a.name FROM jobs j"
                        " JOIN jobs a ON a.job_id = j.after_job_id"
                        " WHERE j.after_job_id IS NOT NULL AND (?1 IS NULL OR j.job_id = ?1)");
    auto& after = *after_cached;
    bind_opt(after, 1, job_id);
    while (after.executeStep())
        out.after_names[after.getColumn(0).getString()] = after.getColumn(1).getString();
    return out;
}

void fill_links(model::Job& j, const Links& links) {
    auto list = [&](const std::map<std::string, std::vector<model::JobLink>>& from) {
        auto it = from.find(j.id);
        return it == from.end() ? std::vector<model::JobLink>{} : it->second;
    };
    j.depends_on = list(links.depends_on);
    j.conflicts_with = list(links.conflicts_with);
    if (j.trigger.after)
        if (auto it = links.after_names.find(j.id); it != links.after_names.end())
            j.trigger.after->job_name = it->second;
}

void fill_links(std::vector<model::Job>& jobs, Store::Impl& impl) {
    if (jobs.empty())
        return;
    const auto links =
        load_links(impl, jobs.size() == 1 ? std::optional(jobs[0].id) : std::nullopt);
    for (auto& j : jobs)
        fill_links(j, links);
}

// Replaces the dependency rows of `j` with its links.
void write_links(Store::Impl& impl, SQLite::Database& written, const model::Job& j) {
    Cached del_cached(impl, written, "DELETE FROM dependencies WHERE job_id = ?1");
    auto& del = *del_cached;
    del.bind(1, j.id);
    del.exec();
    if (j.depends_on.empty() && j.conflicts_with.empty())
        return;
    Cached ins_cached(impl, written,
                      "INSERT INTO dependencies (job_id, other_job_id, kind, state,"
                      " timeout_seconds, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    auto& ins = *ins_cached;
    for (auto [list, kind] :
         {std::pair{&j.depends_on, "depends_on"}, std::pair{&j.conflicts_with, "conflicts_with"}}) {
        int position = 0;
        for (const auto& link : *list) {
            ins.reset();
            ins.bind(1, j.id);
            ins.bind(2, link.job_id);
            ins.bind(3, kind);
            ins.bind(4, std::string(model::to_string(link.state)));
            ins.bind(5, std::int64_t{link.timeout.count()});
            ins.bind(6, position++);
            ins.exec();
        }
    }
}

std::optional<model::Job> find_one(Store::Impl& impl, const char* where, const std::string& key) {
    return guarded(impl, [&]() -> std::optional<model::Job> {
        Cached st_cached(impl,
                         std::string("SELECT ") + k_job_columns + " FROM jobs WHERE " + where);
        auto& st = *st_cached;
        st.bind(1, key);
        if (!st.executeStep())
            return std::nullopt;
        std::vector<model::Job> one{read_job(st)};
        st.reset();
        fill_links(one, impl);
        return std::move(one.front());
    });
}

bool is_unique_violation(const SQLite::Exception& e) {
    return e.getExtendedErrorCode() == 2067 /* SQLITE_CONSTRAINT_UNIQUE */;
}

} // namespace

std::optional<model::Job> Store::find_job_by_id(const std::string& id) {
    return find_one(*m_impl, "job_id = ?1", id);
}

std::optional<model::Job> Store::find_job_by_name(const std::string& name) {
    return find_one(*m_impl, "name = ?1", name);
}

namespace {
// The labels of the jobs whose `column` (name or job_id, both indexed)
// starts with `prefix`: the index range from the prefix to the prefix
// followed by 0xFF, a byte that no UTF-8 text holds.
std::vector<Store::JobLabel> labels_from(Store::Impl& impl, const std::string& column,
                                         std::string_view prefix) {
    return guarded(impl, [&] {
        Cached st_cached(impl, "SELECT job_id, name FROM jobs WHERE " + column + " >= ?1 AND " +
                                   column + " < ?2 ORDER BY " + column);
        auto& st = *st_cached;
        st.bind(1, std::string(prefix));
        st.bind(2, std::string(prefix) + '\xff');
        std::vector<Store::JobLabel> out;
        while (st.executeStep())
            out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString()});
        return out;
    });
}
} // namespace

std::vector<Store::JobLabel> Store::jobs_named(std::string_view prefix) {
    return labels_from(*m_impl, "name", prefix);
}

std::vector<Store::JobLabel> Store::jobs_with_id(std::string_view prefix) {
    return labels_from(*m_impl, "job_id", prefix);
}

bool Store::job_id_taken(const std::string& id) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, "SELECT 1 FROM jobs WHERE job_id = ?1");
        auto& st = *st_cached;
        st.bind(1, id);
        return st.executeStep();
    });
}

std::vector<model::Job> Store::due_jobs(time::Instant before) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, std::string("SELECT ") + k_job_columns +
                                      " FROM jobs INDEXED BY jobs_due WHERE enabled = 1"
                                      " AND next_execution IS NOT NULL"
                                      " AND next_execution < ?1 ORDER BY next_execution");
        auto& st = *st_cached;
        st.bind(1, time::to_unix(before));
        std::vector<model::Job> jobs;
        while (st.executeStep())
            read_job_into(st, jobs.emplace_back()); // in place: a Job is large
        st.reset();
        fill_links(jobs, *m_impl);
        return jobs;
    });
}

std::int64_t Store::count_due_jobs(time::Instant before) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, "SELECT count(*) FROM jobs INDEXED BY jobs_due WHERE enabled = 1"
                                  " AND next_execution IS NOT NULL AND next_execution < ?1"
                                  " AND status = 'active'");
        auto& st = *st_cached;
        st.bind(1, time::to_unix(before));
        st.executeStep();
        return st.getColumn(0).getInt64();
    });
}

std::vector<model::Job> Store::reboot_jobs() {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, std::string("SELECT ") + k_job_columns +
                                      " FROM jobs WHERE enabled = 1"
                                      " AND trigger_type = 'reboot'");
        auto& st = *st_cached;
        std::vector<model::Job> jobs;
        while (st.executeStep())
            read_job_into(st, jobs.emplace_back()); // in place: a Job is large
        st.reset();
        fill_links(jobs, *m_impl);
        return jobs;
    });
}

std::vector<std::pair<std::string, std::string>> Store::link_edges() {
    return guarded(*m_impl, [&] {
        std::vector<std::pair<std::string, std::string>> edges;
        Cached st_cached(*m_impl, "SELECT job_id, other_job_id FROM dependencies"
                                  " WHERE kind = 'depends_on' UNION ALL"
                                  " SELECT job_id, after_job_id FROM jobs"
                                  " WHERE after_job_id IS NOT NULL");
        auto& st = *st_cached;
        while (st.executeStep())
            edges.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getString());
        return edges;
    });
}

std::vector<model::Job> Store::jobs_linked_to(const std::string& id) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, std::string("SELECT ") + k_job_columns +
                                      " FROM jobs WHERE after_job_id = ?1 OR job_id IN"
                                      " (SELECT job_id FROM dependencies WHERE other_job_id = ?1)"
                                      " ORDER BY name");
        auto& st = *st_cached;
        st.bind(1, id);
        std::vector<model::Job> jobs;
        while (st.executeStep())
            read_job_into(st, jobs.emplace_back());
        st.reset();
        fill_links(jobs, *m_impl);
        return jobs;
    });
}

namespace {

// Runs the job list query for `f` (ordered by name), calling on_row(st)
// for each row.
template <class OnRow> void query_jobs(Store::Impl& impl, const JobFilter& f, OnRow&& on_row) {
    std::string sql = std::string("SELECT ") + k_job_columns +
                      " FROM jobs WHERE (?1 IS NULL OR owner = ?1)"
                      " AND (?2 IS NULL OR status = ?2)"
                      " AND (?3 IS NULL OR enabled = ?3)";
    std::optional<std::string> tag_key, tag_value;
    if (f.tag) {
        auto eq = f.tag->find('=');
        tag_key = f.tag->substr(0, eq);
        if (eq != std::string::npos)
            tag_value = f.tag->substr(eq + 1);
        sql += " AND EXISTS (SELECT 1 FROM json_each(jobs.tags) t WHERE t.key = ?4"
               " AND (?5 IS NULL OR t.value = ?5))";
    }
    sql += " ORDER BY name";
    Cached st_cached(impl, sql);
    auto& st = *st_cached;
    bind_opt(st, 1, f.owner);
    bind_opt(st, 2,
             f.status ? std::optional<std::string>(std::string(to_string(*f.status)))
                      : std::nullopt);
    bind_opt(st, 3, f.enabled ? std::optional<int>(*f.enabled ? 1 : 0) : std::nullopt);
    if (f.tag) {
        bind_opt(st, 4, tag_key);
        bind_opt(st, 5, tag_value);
    }
    while (st.executeStep())
        on_row(st);
}

} // namespace

std::vector<model::Job> Store::list_jobs(const JobFilter& f) {
    return guarded(*m_impl, [&] {
        std::vector<model::Job> jobs;
        {
            Cached count_cached(*m_impl, "SELECT count(*) FROM jobs");
            auto& count = *count_cached;
            count.executeStep();
            jobs.reserve(static_cast<std::size_t>(count.getColumn(0).getInt64()));
        }
        query_jobs(*m_impl, f, [&](SQLite::Statement& st) {
            read_job_into(st, jobs.emplace_back()); // in place: a Job is large
        });
        fill_links(jobs, *m_impl);
        return jobs;
    });
}

void Store::each_job(const JobFilter& f, const std::function<void(const model::Job&)>& visit) {
    guarded(*m_impl, [&] {
        model::Job job; // one Job, refilled row after row
        const auto links = load_links(*m_impl, std::nullopt);
        query_jobs(*m_impl, f, [&](SQLite::Statement& st) {
            read_job_into(st, job);
            fill_links(job, links);
            visit(job);
        });
    });
}

void Store::insert_job(WriteTransaction& tx, const model::Job& job) {
    try {
        Cached st_cached(*m_impl, writer(tx),
                         std::string("INSERT INTO jobs (") + k_job_columns + ") VALUES (" +
                             placeholders(k_job_columns, false) + ")");
        auto& st = *st_cached;
        bind_job(st, job);
        st.exec();
        write_links(*m_impl, writer(tx), job);
    } catch (const SQLite::Exception& e) {
        if (is_unique_violation(e))
            throw util::Conflict("a job named " + job.name + " already exists");
        rethrow_sqlite(e, m_impl->path);
    }
}

void Store::update_job(WriteTransaction& tx, const model::Job& job) {
    try {
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE jobs SET " + placeholders(k_job_columns, true) +
                             " WHERE job_id = ?1");
        auto& st = *st_cached;
        bind_job(st, job);
        if (st.exec() == 0)
            throw util::NotFound("job " + job.id + " no longer exists");
        write_links(*m_impl, writer(tx), job);
    } catch (const SQLite::Exception& e) {
        if (is_unique_violation(e))
            throw util::Conflict("a job named " + job.name + " already exists");
        rethrow_sqlite(e, m_impl->path);
    }
}

void Store::advance_job(WriteTransaction& tx, const std::string& job_id,
                        std::optional<time::Instant> next_execution, model::JobStatus status,
                        const std::optional<std::string>& boot_id) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "UPDATE jobs SET next_execution = ?2, status = ?3,"
                         " boot_id = coalesce(?4, boot_id) WHERE job_id = ?1");
        auto& st = *st_cached;
        st.bind(1, job_id);
        bind_opt(st, 2, opt_unix(next_execution));
        st.bind(3, std::string(model::to_string(status)));
        bind_opt(st, 4, boot_id);
        return st.exec();
    });
}

void Store::delete_job(WriteTransaction& tx, const std::string& job_id) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx), "DELETE FROM jobs WHERE job_id = ?1");
        auto& st = *st_cached;
        st.bind(1, job_id);
        return st.exec();
    });
}

std::int64_t Store::count_executions(const std::string& job_id) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, "SELECT count(*) FROM executions WHERE job_id = ?1");
        auto& st = *st_cached;
        st.bind(1, job_id);
        st.executeStep();
        return st.getColumn(0).getInt64();
    });
}

} // namespace schedule::store
