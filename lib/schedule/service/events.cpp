#include <schedule/model/validate.hpp>
#include <schedule/service/events.hpp>
#include <schedule/service/history.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>

#include <filesystem>

namespace schedule::service {

namespace {

std::string type_list() {
    std::string list;
    for (auto t : model::k_event_types)
        list += (list.empty() ? "" : ", ") + std::string(t);
    return list + ", or a prefix such as execution.";
}

} // namespace

EventSelection select_events(Context& ctx, const EventsRequest& request) {
    EventSelection s;
    auto& f = s.filter;
    if (request.type) {
        if (!model::is_event_type_filter(*request.type))
            throw util::ValidationError(
                "--type", util::quoted(*request.type) + " is not an event type", type_list());
        f.type = *request.type;
    }
    if (request.since)
        f.since = since_instant(ctx, *request.since);
    auto limit = request.limit ? parse_count(*request.limit, "--limit") : 20;
    if (limit > 0)
        f.limit = limit;
    if (request.job) {
        const std::string& ref = *request.job;
        if (auto job = find_job(ctx, ref)) {
            f.job_id = job->id;
        } else {
            // Not a live job: the events that name it, by id or by name.
            if (model::looks_like_job_id(ref))
                f.job_id = util::to_lower(ref);
            f.job_name = ref;
            store::EventFilter any;
            any.job_id = f.job_id;
            any.job_name = f.job_name;
            any.limit = 1;
            if (ctx.store.list_events(any).empty())
                throw util::NotFound("no job " + util::quoted(ref) + " and no event of one",
                                     "see `schedule job list` or `schedule events`");
        }
    }
    return s;
}

std::vector<model::Event> list_events(Context& ctx, const EventSelection& selection) {
    return ctx.store.list_events(selection.filter);
}

EventFollower::EventFollower(Context& ctx, const EventSelection& selection, std::int64_t last_seen)
    : m_ctx(ctx), m_filter(selection.filter) {
    m_filter.limit.reset();
    m_filter.after_id = last_seen;
}

std::vector<model::Event> EventFollower::poll() {
    store::Store* store = &m_ctx.store;
    if (!store->exists()) {
        // The in-memory stand-in of a missing store never changes: read
        // the real one once a write has created it.
        if (!m_created || !m_created->exists()) {
            m_created.reset();
            if (!std::filesystem::exists(store->path()))
                return {};
            m_created = store::Store::open(store->path(), store::Access::read);
            if (!m_created->exists())
                return {}; // still empty
        }
        store = &*m_created;
    }
    auto events = store->list_events(m_filter);
    if (!events.empty())
        m_filter.after_id = events.back().id;
    return events;
}

} // namespace schedule::service
