#pragma once
// File-system helpers with the permission rules of SPEC §2.

#include <filesystem>
#include <optional>
#include <string>

namespace schedule::util {

// Creates `dir` and any missing parents; each directory this call creates
// gets exactly `mode`, whatever the umask (the XDG rule for state
// directories is 0700). Throws std::filesystem::filesystem_error on failure.
void create_directories(const std::filesystem::path& dir, unsigned mode);

// Creates a new empty file `<dir>/.<stem>.XXXXXX` with exactly `mode` and
// returns its path. Throws std::filesystem::filesystem_error.
std::filesystem::path create_temp_file(const std::filesystem::path& dir, const std::string& stem,
                                       unsigned mode);

// Gives `from` the additional name `to` unless `to` exists (link(2), which
// never replaces). Returns false when `to` already existed. Throws on other
// errors.
bool link_if_absent(const std::filesystem::path& from, const std::filesystem::path& to);

// Why `path` may not be trusted to say what runs as this user (SPEC §2):
// "owned by uid N" when another user owns it, "writable by group or
// others" for such a mode; nullopt when it is fine or does not exist.
std::optional<std::string> untrusted_file(const std::filesystem::path& path);

} // namespace schedule::util
