#pragma once
// File-system helpers with the permission rules of SPEC §2.

#include <filesystem>
#include <string>

namespace schedule::util {

// Creates `dir` and any missing parents. The parents get the usual 0755
// (less the umask); `dir` itself, when this call creates it, gets exactly
// `mode`. Throws std::filesystem::filesystem_error on failure.
void create_directories(const std::filesystem::path& dir, unsigned mode);

// Creates `file` if it does not exist, with exactly `mode` whatever the
// umask. Returns false when it already existed. Throws on other errors.
bool create_file_exclusive(const std::filesystem::path& file, unsigned mode);

} // namespace schedule::util
