#pragma once
// The fire instants of a job: its trigger in its zone, with its DST
// policies, jitter and start/end dates (schedule(1), JOB FIELD FLAGS).
// Pure: no store, no clock.

#include <schedule/cron/next.hpp>
#include <schedule/model/job.hpp>
#include <schedule/time/zone.hpp>

#include <cstddef>
#include <optional>
#include <vector>

namespace schedule::plan {

struct Fire {
    time::Instant at;        // when it fires: the scheduled instant plus the job's jitter
    time::Instant scheduled; // the instant the trigger names
    time::LocalTime wall;    // the scheduled wall-clock time in the job's zone
    cron::DstMark mark = cron::DstMark::none;
    // A fire due outside every one of the job's windows that waits for the
    // next to open (--outside-window wait): the instant it was due; `at`
    // is then when the window opens. nullopt for a fire that starts at its
    // time.
    std::optional<time::Instant> waited_from;
};

// The job's first fire strictly after `after`, or nullopt when it has no
// more (manual, @reboot and --after triggers, a passed --at, an end date,
// the end of the supported range of time/iso8601.hpp). Fires scheduled
// before the start date, or before that range, are passed over. `zone` is
// the job's zone.
std::optional<Fire> next_fire(const model::Job& job, const time::Zone& zone, time::Instant after);

// Whether the trigger fires by the clock (cron, every, daily, weekly,
// monthly, at), so that a job of it with no fire left has finished.
bool time_based(model::TriggerType type);

// Whether the job's trigger fires by the clock but has no fire after
// `after` left (a passed --at, a passed end date), whatever its status.
bool spent(const model::Job& job, const time::Zone& zone, time::Instant after);

// Up to `count` successive fires after `after`.
std::vector<Fire> next_fires(const model::Job& job, const time::Zone& zone, time::Instant after,
                             std::size_t count);

// Up to `count` successive runs after `after` that the job's windows let
// start, as a tick plans them: a fire inside a window starts at its time;
// one outside every window, under --outside-window wait, starts when the
// next window opens (waited_from set) and the fires due until then fold
// into it; under skip it is left out. Without windows, next_fires().
std::vector<Fire> next_runs(const model::Job& job, const time::Zone& zone, time::Instant after,
                            std::size_t count);

} // namespace schedule::plan
