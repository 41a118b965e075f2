#pragma once
// Facts about the running process and host.

#include <string>

namespace schedule::util {

// The name of the user `uid`, or "uid N" when it has no passwd entry.
std::string user_name(unsigned uid);

// The name of the effective user, or "uid N" when it has no passwd entry.
std::string current_user_name();

// True when the effective user is root.
bool running_as_root();

} // namespace schedule::util
