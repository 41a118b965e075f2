#pragma once
// The fuzzing entry point for the documents users give: the same bytes
// read as a backup (`config restore`: backup::read_document) and as a job
// file (`apply -f`: backup::read_definitions). Used by the libFuzzer
// target (fuzz/document_fuzz.cpp, clang) and replayed over the committed
// corpus by the unit tests (g++).

#include <cstddef>
#include <cstdint>

namespace schedule::fuzz {

// Aborts (via __builtin_trap, or an exception other than a
// ValidationError) when an invariant fails: a refusal is a ValidationError
// in one clean line naming its place; a document that reads is written
// again (backup::to_json_text, the jobs' JSON) and reads back the same.
// Otherwise returns 0.
int document_input(const std::uint8_t* data, std::size_t size);

} // namespace schedule::fuzz
