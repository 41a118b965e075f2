#include <schedule/util/fs.hpp>

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace schedule::util {

namespace fs = std::filesystem;

namespace {
[[noreturn]] void throw_errno(const std::string& what, const fs::path& p) {
    throw fs::filesystem_error(what, p, std::error_code(errno, std::generic_category()));
}

class Fd {
public:
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};
} // namespace

void create_directories(const fs::path& dir, unsigned mode) {
    if (dir.empty() || fs::is_directory(dir))
        return;
    auto parent = dir.parent_path();
    if (!parent.empty() && parent != dir)
        create_directories(parent, mode);
    if (::mkdir(dir.c_str(), 0700) != 0) {
        if (errno == EEXIST && fs::is_directory(dir))
            return;
        throw_errno("cannot create directory", dir);
    }
    if (::chmod(dir.c_str(), mode) != 0)
        throw_errno("cannot set permissions", dir);
}

fs::path create_temp_file(const fs::path& dir, const std::string& stem, unsigned mode) {
    std::string tmpl = (dir / ("." + stem + ".XXXXXX")).string();
    Fd fd(::mkstemp(tmpl.data()));
    if (fd.get() < 0)
        throw_errno("cannot create a temporary file", tmpl);
    if (::fchmod(fd.get(), mode) != 0) {
        ::unlink(tmpl.c_str());
        throw_errno("cannot set permissions", tmpl);
    }
    return tmpl;
}

bool link_if_absent(const fs::path& from, const fs::path& to) {
    if (::link(from.c_str(), to.c_str()) == 0)
        return true;
    if (errno == EEXIST)
        return false;
    throw_errno("cannot create", to);
}

std::optional<std::string> untrusted_file(const std::filesystem::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    if (st.st_uid != ::geteuid())
        return "owned by uid " + std::to_string(st.st_uid);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return "writable by group or others";
    return std::nullopt;
}

} // namespace schedule::util
