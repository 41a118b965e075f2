// The config and events tables.

#include <schedule/store/impl.hpp>

#include <algorithm>

namespace schedule::store {

std::vector<std::pair<std::string, std::string>> Store::config_rows() {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, "SELECT key, value FROM config ORDER BY key");
        auto& st = *st_cached;
        std::vector<std::pair<std::string, std::string>> rows;
        while (st.executeStep())
            rows.emplace_back(st.getColumn(0).getString(), st.getColumn(1).getString());
        return rows;
    });
}

void Store::set_config(WriteTransaction& tx, const std::string& key, const std::string& value,
                       time::Instant now) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "INSERT INTO config (key, value, updated_at) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value, "
                         "updated_at = excluded.updated_at");
        auto& st = *st_cached;
        st.bind(1, key);
        st.bind(2, value);
        st.bind(3, time::to_unix(now));
        return st.exec();
    });
}

bool Store::unset_config(WriteTransaction& tx, const std::string& key) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx), "DELETE FROM config WHERE key = ?1");
        auto& st = *st_cached;
        st.bind(1, key);
        return st.exec() > 0;
    });
}

std::int64_t Store::append_event(WriteTransaction& tx, const model::Event& e) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "INSERT INTO events (time, type, job_id, job_name, execution_id, "
                         "user, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        auto& st = *st_cached;
        st.bind(1, time::to_unix(e.time));
        st.bind(2, e.type);
        bind_opt(st, 3, e.job_id);
        bind_opt(st, 4, e.job_name);
        bind_opt(st, 5, e.execution_id);
        st.bind(6, e.user);
        st.bind(7, e.detail);
        st.exec();
        return writer(tx).getLastInsertRowid();
    });
}

std::vector<model::Event> Store::list_events(const EventFilter& f) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, k_select_events);
        auto& st = *st_cached;
        st.bind(1, f.after_id);
        bind_opt(st, 2, f.job_id);
        bind_opt(st, 3, f.job_name);
        bind_opt(st, 4, f.type);
        st.bind(5, f.type && f.type->ends_with('.') ? 1 : 0);
        bind_opt(st, 6, opt_unix(f.since));
        st.bind(7, f.limit.value_or(-1));
        std::vector<model::Event> events;
        while (st.executeStep()) {
            model::Event e;
            e.id = st.getColumn(0).getInt64();
            e.time = time::from_unix(st.getColumn(1).getInt64());
            e.type = st.getColumn(2).getString();
            e.job_id = col_opt_text(st.getColumn(3));
            e.job_name = col_opt_text(st.getColumn(4));
            e.execution_id = col_opt_int(st.getColumn(5));
            e.user = st.getColumn(6).getString();
            e.detail = st.getColumn(7).getString();
            events.push_back(std::move(e));
        }
        std::reverse(events.begin(), events.end());
        return events;
    });
}

std::vector<model::Event> Store::list_events(std::optional<std::string> job_id) {
    EventFilter f;
    f.job_id = std::move(job_id);
    return list_events(f);
}

} // namespace schedule::store
