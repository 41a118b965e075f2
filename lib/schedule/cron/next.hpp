#pragma once
// When does a cron expression fire next? (schedule(1), --cron)
//
// Fields are matched against wall-clock time in an IANA zone, and daylight
// saving follows cronie:
// - wildcard jobs (minute or hour field starting with '*') follow real
//   instants: nothing fires in a skipped hour, and a repeated hour fires in
//   both passes;
// - every other job is fixed-time: a time inside a spring-forward gap fires
//   once, at the first instant after the gap (GapPolicy::run) or not at all
//   (GapPolicy::skip); a time inside a fall-back overlap fires once, in the
//   first pass (OverlapPolicy::once), or in both (OverlapPolicy::twice).

#include <schedule/cron/expression.hpp>
#include <schedule/time/instant.hpp>
#include <schedule/time/zone.hpp>

#include <optional>

namespace schedule::cron {

enum class GapPolicy { run, skip };
enum class OverlapPolicy { once, twice };

struct DstPolicy {
    GapPolicy gap = GapPolicy::run;
    OverlapPolicy overlap = OverlapPolicy::once;
};

// How a DST change touched a fire (the marks of schedule(1), PREVIEW).
enum class DstMark {
    none,
    moved,    // scheduled inside a gap, fired at the first instant after it
    repeated, // its wall-clock time occurs twice that day
};

struct Fire {
    time::Instant at;     // when it fires, UTC
    time::LocalTime wall; // the wall-clock time it was scheduled for
    DstMark mark = DstMark::none;
};

// The smallest wall-clock minute >= `start` that the expression's fields
// match, ignoring zones; nullopt if none within 400 years. `start` is
// rounded up to a whole minute.
std::optional<time::LocalTime> next_local_match(const Expression& e, time::LocalTime start);

// The first fire strictly after `after` in `zone`; nullopt for @reboot or
// when nothing fires within 400 years.
std::optional<Fire> next_after(const Expression& e, const time::Zone& zone, time::Instant after,
                               DstPolicy policy = {});

} // namespace schedule::cron
