// The notifications table: hooks decided when a run's end was recorded,
// each waiting for its sender to record the outcome.

#include <schedule/store/impl.hpp>

namespace schedule::store {

void Store::insert_notification(WriteTransaction& tx, const model::Notification& n) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx),
                         "INSERT INTO notifications (execution_id, hook, command, sender_pid,"
                         " sender_start, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        auto& st = *st_cached;
        st.bind(1, n.execution_id);
        st.bind(2, std::string(model::to_string(n.kind)));
        st.bind(3, n.command);
        st.bind(4, n.sender_pid);
        st.bind(5, n.sender_start);
        st.bind(6, time::to_unix(n.created_at));
        st.exec();
    });
}

std::vector<model::Notification> Store::notifications_of(std::int64_t pid, std::int64_t start) {
    return guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, "SELECT execution_id, hook, command, created_at"
                                  " FROM notifications WHERE sender_pid = ?1"
                                  " AND sender_start = ?2 ORDER BY execution_id");
        auto& st = *st_cached;
        st.bind(1, pid);
        st.bind(2, start);
        std::vector<model::Notification> out;
        while (st.executeStep()) {
            model::Notification n;
            n.execution_id = st.getColumn(0).getInt64();
            const auto kind = model::parse_hook_kind(st.getColumn(1).getString());
            if (!kind) // the table's CHECK allows only the kinds
                continue;
            n.kind = *kind;
            n.command = st.getColumn(2).getString();
            n.sender_pid = pid;
            n.sender_start = start;
            n.created_at = time::from_unix(st.getColumn(3).getInt64());
            out.push_back(std::move(n));
        }
        return out;
    });
}

void Store::delete_notification(WriteTransaction& tx, std::int64_t execution_id) {
    guarded(*m_impl, [&] {
        Cached st_cached(*m_impl, writer(tx), "DELETE FROM notifications WHERE execution_id = ?1");
        auto& st = *st_cached;
        st.bind(1, execution_id);
        return st.exec();
    });
}

} // namespace schedule::store
