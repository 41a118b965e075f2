#pragma once
// The fuzzing entry point for everything that parses user text about time:
// cron expressions (and, for those that parse, the next-fire engine in a
// few zones), durations, ISO-8601 date-times and the calendar triggers.
// Used by the libFuzzer target (fuzz/cron_fuzz.cpp, clang) and replayed
// over the committed corpus by the unit tests (g++).

#include <cstddef>
#include <cstdint>

namespace schedule::fuzz {

// Aborts (via __builtin_trap) when an invariant fails; otherwise returns 0.
int cron_input(const std::uint8_t* data, std::size_t size);

} // namespace schedule::fuzz
