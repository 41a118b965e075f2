#pragma once
// `schedule events`: reading the audit log (schedule(1), EVENTS). Read-only.

#include <schedule/model/event.hpp>
#include <schedule/service/context.hpp>
#include <schedule/store/store.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace schedule::service {

struct EventsRequest {
    // A live job's id or name: its events (under any name it had). Else
    // the events that recorded this job id or this job name (a deleted
    // job's, or a renamed job's under its old name).
    std::optional<std::string> job;
    std::optional<std::string> type;  // a type, or a prefix ending in a dot
    std::optional<std::string> since; // a duration (that long ago) or a date-time
    std::optional<std::string> limit; // the newest N; default 20, 0 means all
};

// How often `events --follow` reads the store for new events.
inline constexpr std::chrono::milliseconds k_follow_interval{500};

// The selection of an events request, checked: what list_events() reads
// and what an EventFollower polls for.
struct EventSelection {
    store::EventFilter filter;
};

// Checks the request and resolves its job. Throws ValidationError naming
// --type, --since or --limit; NotFound for a job that is not in the store
// and that no event names.
EventSelection select_events(Context& ctx, const EventsRequest& request);

// The selected events, oldest first.
std::vector<model::Event> list_events(Context& ctx, const EventSelection& selection);

// `events --follow`: the events that arrive after a listing, poll by poll.
// Each poll is one short read of the primary key range above the last event
// seen (no read transaction stays open between polls); a store that did not
// exist when the command started is read once it does.
class EventFollower {
public:
    // Follows the events of `selection` (without its limit) with an id
    // above `last_seen`.
    EventFollower(Context& ctx, const EventSelection& selection, std::int64_t last_seen);
    // The new events that match, oldest first.
    std::vector<model::Event> poll();

private:
    Context& m_ctx;
    store::EventFilter m_filter;
    std::optional<store::Store> m_created; // the store, once a missing one is created
};

} // namespace schedule::service
