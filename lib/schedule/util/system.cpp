#include <schedule/util/system.hpp>

#include <pwd.h>
#include <unistd.h>

#include <vector>

namespace schedule::util {

std::string user_name(unsigned uid) {
    std::vector<char> buf(16384);
    passwd pw{};
    passwd* result = nullptr;
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &result) == 0 && result)
        return result->pw_name;
    return "uid " + std::to_string(uid);
}

std::string current_user_name() {
    return user_name(::geteuid());
}

bool running_as_root() {
    return ::geteuid() == 0;
}

} // namespace schedule::util
