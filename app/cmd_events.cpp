// Run function of `events`: the audit log, listed or followed.

#include "commands.hpp"

#include <schedule/exec/waiter.hpp>
#include <schedule/format/events.hpp>
#include <schedule/service/events.hpp>

#include <unistd.h>

namespace schedule::app {

int run_events(Invocation& inv, const EventsOptions& o) {
    auto& ctx = inv.context();
    auto selection = service::select_events(ctx, {o.job, o.type, o.since, o.limit});
    // Before the first line: a closed pipe then ends the command quietly.
    std::optional<exec::Waiter> waiter;
    if (o.follow)
        waiter.emplace();
    auto events = service::list_events(ctx, selection);
    auto style = inv.style();
    const bool json = inv.output_format() == "json";
    if (!o.follow) {
        if (json)
            inv.print(format::events_json(events, style));
        else if (events.empty())
            inv.print(inv.quiet() ? "" : "No events.\n");
        else
            inv.print(format::events_table(events, style));
        return 0;
    }
    // One line per event, JSON lines with --format json, each written as
    // soon as it is read; polls until a stop signal or until nobody reads.
    auto emit = [&](const std::vector<model::Event>& list) {
        for (const auto& e : list)
            if (!inv.print_now(json ? format::event_json_line(e, style)
                                    : format::event_line(e, style)))
                return false;
        return true;
    };
    if (!emit(events))
        return 0;
    service::EventFollower follower(ctx, selection, events.empty() ? 0 : events.back().id);
    for (;;) {
        switch (waiter->wait(service::k_follow_interval, STDOUT_FILENO)) {
        case exec::Waiter::Wake::signal:
            return 128 + waiter->signal();
        case exec::Waiter::Wake::output_gone:
            return 0;
        case exec::Waiter::Wake::timeout:
            break;
        }
        if (!emit(follower.poll()))
            return 0;
    }
}

} // namespace schedule::app
