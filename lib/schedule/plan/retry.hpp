#pragma once
// Retry delays (SPEC §8, §17). Pure.

#include <schedule/model/job.hpp>
#include <schedule/time/instant.hpp>

namespace schedule::plan {

// The delay before attempt `failed_attempt + 1`, counted from the end of
// the failed attempt `failed_attempt` (>= 1): fixed d, d, d...; linear d,
// 2d, 3d...; exponential d, 2d, 4d...; fibonacci d, d, 2d, 3d, 5d...;
// never above `max_delay` (and never negative). Does not overflow for any
// attempt number.
time::Duration retry_delay(model::Backoff backoff, time::Duration delay, time::Duration max_delay,
                           int failed_attempt);

} // namespace schedule::plan
