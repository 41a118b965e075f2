#pragma once
// The fuzzing entry point for crontabs (`import crontab`): the bytes read
// by model::parse_crontab as a user and as a system crontab, and each job
// line built as the importer builds it (model::crontab_job_spec, then
// model::build_job with a CrontabNamer) with a fixed BuildContext. Used by
// the libFuzzer target (fuzz/crontab_fuzz.cpp, clang) and replayed over
// the committed corpus by the unit tests (g++).

#include <cstddef>
#include <cstdint>

namespace schedule::fuzz {

// Aborts (via __builtin_trap, or an exception other than a
// ValidationError) when an invariant fails: every problem the reader
// reports and every refusal of the builder names its line in one clean
// line; every job name derived from a command is a valid name; a job that
// builds reads back from its JSON the same. Otherwise returns 0.
int crontab_input(const std::uint8_t* data, std::size_t size);

} // namespace schedule::fuzz
