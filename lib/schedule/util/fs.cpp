#include <schedule/util/fs.hpp>

#include <cerrno>
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
        fs::create_directories(parent);
    if (::mkdir(dir.c_str(), 0700) != 0) {
        if (errno == EEXIST && fs::is_directory(dir))
            return;
        throw_errno("cannot create directory", dir);
    }
    if (::chmod(dir.c_str(), mode) != 0)
        throw_errno("cannot set permissions", dir);
}

bool create_file_exclusive(const fs::path& file, unsigned mode) {
    Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
        if (errno == EEXIST)
            return false;
        throw_errno("cannot create file", file);
    }
    if (::fchmod(fd.get(), mode) != 0)
        throw_errno("cannot set permissions", file);
    return true;
}

} // namespace schedule::util
