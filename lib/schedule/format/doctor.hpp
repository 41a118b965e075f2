#pragma once
// Output of `schedule doctor` (schedule(1), DOCTOR). Strings out; no I/O.

#include <optional>
#include <string>
#include <vector>

namespace schedule::format {

struct CheckLine {
    std::string status; // ok, warn, fail
    std::string name;
    std::string message;
    std::optional<std::string> fix;
};

// One line per check: the status (coloured when `color`), the check's name
// and what it found, then "(fix: ...)" for a warning or failure.
std::string doctor_text(const std::vector<CheckLine>& checks, bool color);

// {"ok": bool, "checks": [{"check", "status", "message", "fix"}]}; "ok" is
// false when a check failed.
std::string doctor_json(const std::vector<CheckLine>& checks);

} // namespace schedule::format
