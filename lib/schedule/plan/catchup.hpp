#pragma once
// Which fires of a job a tick runs, and which it folds away (--catchup,
// --misfire-grace; schedule(1), TICK). Pure: the caller passes the job, its
// zone and now.

#include <schedule/model/job.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/time/zone.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace schedule::plan {

// At most this many missed instants run under catch-up `all` (the newest).
inline constexpr std::size_t k_max_catchup_runs = 100;

struct DueRun {
    Fire fire;
    bool missed = false; // before the current minute: trigger `catchup`
};

struct CatchupPlan {
    std::vector<DueRun> runs;   // oldest first
    std::int64_t coalesced = 0; // due instants folded into another run or dropped by the policy
    std::int64_t expired = 0; // due instants dropped because they are later than the misfire grace
    std::optional<time::Instant> first_expired; // the scheduled instant of the first of those
    std::optional<Fire> next; // the first fire after those due: the job's next run
};

// The fires of `job` due at a tick at `now`, starting with the fire at
// `from` (the job's stored next run): every fire whose instant (jitter
// included) falls before the minute after `now`'s. A fire before the
// start of `now`'s minute is missed. Policies: `latest` runs only the
// newest due fire, `all` the newest k_max_catchup_runs missed ones plus the
// current one, `none` only the current one. A run that would start more
// than `misfire_grace` after its scheduled instant is dropped instead.
CatchupPlan plan_catchup(const model::Job& job, const time::Zone& zone, time::Instant from,
                         time::Instant now, model::Catchup policy,
                         std::optional<time::Duration> misfire_grace);

} // namespace schedule::plan
