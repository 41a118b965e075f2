#include <schedule/util/error.hpp>
#include <schedule/util/fs.hpp>
#include <schedule/util/system.hpp>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

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
    Fd& operator=(Fd&& other) noexcept {
        std::swap(m_fd, other.m_fd);
        return *this;
    }
    Fd(Fd&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    int get() const { return m_fd; }
    void release() { m_fd = -1; }

private:
    int m_fd;
};

// "nobody (uid 65534)", or "uid 1234" for a user without a passwd entry.
std::string owner_text(uid_t uid) {
    auto name = user_name(uid);
    auto id = "uid " + std::to_string(uid);
    return name == id ? id : name + " (" + id + ")";
}

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
        if (errno == EEXIST)
            errno = ENOTDIR; // a file is in the way
        throw_errno("cannot create directory", dir);
    }
    // The mode goes to the directory just made, never through a link put
    // in its place since.
    Fd made(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (made.get() < 0 || ::fchmod(made.get(), mode) != 0)
        throw_errno("cannot set permissions", dir);
}

namespace {

// A new file made by this process, and the descriptor it was made with.
struct TempFile {
    Fd fd;
    std::string name; // in its directory
};

// The longest stem of a temporary name: a file name may have 255 bytes,
// and its temporary name (and SQLite's -journal beside a store's) must fit
// too.
constexpr std::size_t k_temp_stem_max = 64;

// `stem` cut to k_temp_stem_max bytes, never inside a UTF-8 character.
std::string_view temp_stem(std::string_view stem) {
    if (stem.size() <= k_temp_stem_max)
        return stem;
    std::size_t n = k_temp_stem_max;
    while (n > 0 && (static_cast<unsigned char>(stem[n]) & 0xC0) == 0x80)
        --n;
    return stem.substr(0, n);
}

// Creates a new file `.<stem>.XXXXXX` (the stem cut by temp_stem) in the
// directory open as `dir` (at `dir_path`, for messages) with exactly
// `mode`, like mkstemp(3) but relative to a directory descriptor.
TempFile create_temp_at(int dir, const fs::path& dir_path, const std::string& stem, unsigned mode) {
    static constexpr char k_letters[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int tries = 0;; ++tries) {
        unsigned char random[6];
        if (::getrandom(random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
            throw_errno("cannot create a temporary file", dir_path);
        std::string name = "." + std::string(temp_stem(stem)) + ".";
        for (unsigned char r : random)
            name += k_letters[r % (sizeof k_letters - 1)];
        Fd fd(
            ::openat(dir, name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
        if (fd.get() < 0 && errno == EEXIST && tries < 100)
            continue;
        if (fd.get() < 0)
            throw_errno("cannot create a temporary file", dir_path / name);
        if (::fchmod(fd.get(), mode) != 0) {
            ::unlinkat(dir, name.c_str(), 0);
            throw_errno("cannot set permissions", dir_path / name);
        }
        return {std::move(fd), std::move(name)};
    }
}

Fd open_directory(const fs::path& dir) {
    Fd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (d.get() < 0)
        throw_errno("cannot open", dir);
    return d;
}

void write_all(int fd, std::string_view content, const fs::path& path) {
    for (std::size_t done = 0; done < content.size();) {
        auto n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno("cannot write", path);
        done += static_cast<std::size_t>(n);
    }
}

// Whether the name `temp.name` in `dir` still names the file `temp.fd` made:
// someone who may write the directory could have put another file there.
bool still_named(int dir, const TempFile& temp) {
    struct stat held {
    }, named{};
    return ::fstat(temp.fd.get(), &held) == 0 &&
           ::fstatat(dir, temp.name.c_str(), &named, AT_SYMLINK_NOFOLLOW) == 0 &&
           held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

} // namespace

fs::path create_temp_file(const fs::path& dir, const std::string& stem, unsigned mode) {
    auto d = open_directory(dir);
    return dir / create_temp_at(d.get(), dir, stem, mode).name;
}

bool link_if_absent(const fs::path& from, const fs::path& to) {
    if (::link(from.c_str(), to.c_str()) == 0)
        return true;
    if (errno == EEXIST)
        return false;
    throw_errno("cannot create", to);
}

Error write_failure(const std::string& doing, const std::error_code& code) {
    const auto message = doing + ": " + code.message();
    if (code.category() == std::generic_category() || code.category() == std::system_category())
        if (code.value() == ENOSPC || code.value() == EDQUOT || code.value() == EFBIG)
            return Error(ExitCode::store, message,
                         "free some space or raise the file-size limit (ulimit -f); the file "
                         "is replaced only once it is complete");
    return Error(ExitCode::failure, message);
}

bool write_file_atomically(const fs::path& path, std::string_view content, unsigned mode,
                           Replace replace) {
    const auto dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    const auto name = path.filename();
    // Everything happens relative to one descriptor of the directory, and
    // the bytes go through the descriptor that created the file: nothing
    // is opened again by name, so nobody can slip another file (a FIFO that
    // reads along) in between.
    auto d = open_directory(dir);
    auto temp = create_temp_at(d.get(), dir, name.string(), mode);
    const auto temp_path = dir / temp.name;
    bool named = true; // the temporary name is still there, to remove on failure
    try {
        write_all(temp.fd.get(), content, temp_path);
        if (::fsync(temp.fd.get()) != 0)
            throw_errno("cannot write", temp_path);
        if (!still_named(d.get(), temp))
            throw RuntimeFailure("cannot write " + path.string() + ": its temporary file " +
                                 temp_path.string() + " was replaced by someone else");
        bool written = true;
        if (replace == Replace::yes) {
            if (::renameat(d.get(), temp.name.c_str(), d.get(), name.c_str()) != 0)
                throw_errno("cannot write", path);
            named = false;
        } else {
            if (::linkat(d.get(), temp.name.c_str(), d.get(), name.c_str(), 0) != 0) {
                if (errno != EEXIST)
                    throw_errno("cannot create", path);
                written = false;
            }
            ::unlinkat(d.get(), temp.name.c_str(), 0);
            named = false;
        }
        if (::fsync(d.get()) != 0)
            throw_errno("cannot write", dir);
        return written;
    } catch (...) {
        if (named)
            ::unlinkat(d.get(), temp.name.c_str(), 0);
        throw;
    }
}

FileHead peek_file(const fs::path& path, std::size_t max) {
    FileHead f;
    f.type = fs::symlink_status(path).type();
    if (f.type != fs::file_type::regular)
        return f;
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
        throw_errno("cannot read", path);
    if (!S_ISREG(st.st_mode)) {
        f.type = fs::file_type::unknown;
        return f;
    }
    f.head.resize(max);
    std::size_t done = 0;
    while (done < max) {
        auto n = ::read(fd.get(), f.head.data() + done, max - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw_errno("cannot read", path);
        if (n == 0)
            break;
        done += static_cast<std::size_t>(n);
    }
    f.head.resize(done);
    return f;
}

int open_append(const fs::path& path, unsigned mode) {
    // O_NONBLOCK: a FIFO planted there must not hang the command.
    constexpr int flags = O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    Fd fd(::open(path.c_str(), flags | O_CREAT | O_EXCL, 0600));
    if (fd.get() >= 0) {
        if (::fchmod(fd.get(), mode) != 0)
            throw_errno("cannot set permissions", path);
    } else if (errno == EEXIST) {
        fd = Fd(::open(path.c_str(), flags));
    }
    if (fd.get() < 0)
        throw_errno("cannot open", path);
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw_errno("cannot check", path);
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        throw_errno("not a regular file", path);
    }
    if (st.st_uid != ::geteuid()) {
        errno = EPERM;
        throw_errno("owned by another user", path);
    }
    int out = fd.get();
    fd.release();
    return out;
}

bool stamp_file(const fs::path& path, std::int64_t seconds, unsigned mode) noexcept {
    constexpr int flags = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    Fd fd(::open(path.c_str(), flags | O_CREAT | O_EXCL, 0600));
    if (fd.get() >= 0) {
        if (::fchmod(fd.get(), mode) != 0)
            return false;
    } else if (errno == EEXIST) {
        fd = Fd(::open(path.c_str(), flags));
    }
    struct stat st {};
    if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode) ||
        st.st_uid != ::geteuid())
        return false;
    const struct timespec times[2] = {{0, UTIME_OMIT}, {static_cast<time_t>(seconds), 0}};
    return ::futimens(fd.get(), times) == 0;
}

std::optional<std::int64_t> modification_time(const fs::path& path) noexcept {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return std::nullopt;
    return static_cast<std::int64_t>(st.st_mtim.tv_sec);
}

bool replace_empty_file(const fs::path& target, const fs::path& replacement) {
    Fd fd(::open(target.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
    if (fd.get() < 0) {
        if (errno == ENOENT)
            return false;
        throw_errno("cannot open", target);
    }
    struct stat held {
    }, now{};
    if (::fstat(fd.get(), &held) != 0)
        throw_errno("cannot check", target);
    if (!S_ISREG(held.st_mode) || held.st_size != 0)
        return false;
    if (held.st_uid != ::geteuid())
        throw StoreError("the empty file " + target.string() + " in the store's place belongs to " +
                             owner_text(held.st_uid) + ": not replacing it",
                         "remove it, or give another store path");
    // Taking turns: whoever holds the lock may be replacing it now. A lock
    // held for a minute is someone else's doing, not a store being made.
    for (int tries = 0; ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0; ++tries) {
        if (errno != EWOULDBLOCK && errno != EINTR)
            throw_errno("cannot lock", target);
        if (tries >= 1200)
            throw StoreError("the empty file " + target.string() +
                             " in the store's place has been locked by another process for a "
                             "minute");
        ::usleep(50'000);
    }
    if (::fstat(fd.get(), &held) != 0)
        throw_errno("cannot check", target);
    if (held.st_size != 0)
        return false;
    // Still the file at `target`? A process that held the lock before us
    // may have replaced it already.
    if (::lstat(target.c_str(), &now) != 0 || now.st_ino != held.st_ino ||
        now.st_dev != held.st_dev)
        return false;
    if (::rename(replacement.c_str(), target.c_str()) != 0)
        throw_errno("cannot replace", target);
    return true;
}

namespace {

constexpr mode_t k_group_or_others_write = S_IWGRP | S_IWOTH;

using Stops = Distrust::Stops;

std::optional<Distrust> cannot_check(const fs::path& p, int err) {
    return Distrust{p, std::string("impossible to check: ") + std::strerror(err), "check the path",
                    Stops::everything};
}

// A file SQLite reads for the store: the store itself or one of its -wal,
// -shm and -journal files, at a resolved path.
std::optional<Distrust> check_file(const fs::path& p) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? std::nullopt : cannot_check(p, errno);
    if (S_ISLNK(st.st_mode))
        return Distrust{p, "a symbolic link", "remove " + p.string(), Stops::everything};
    if (S_ISDIR(st.st_mode))
        return std::nullopt; // the store path itself: opening it says so
    if (!S_ISREG(st.st_mode))
        return Distrust{p, "not a regular file", "remove " + p.string(), Stops::everything};
    if (st.st_uid != ::geteuid())
        return Distrust{p, "owned by " + owner_text(st.st_uid),
                        "use a store that belongs to " + owner_text(::geteuid())};
    if (st.st_mode & k_group_or_others_write)
        return Distrust{p, "writable by group or others", "chmod go-w " + p.string()};
    return std::nullopt;
}

// A directory on the way to the store; `holding` for the one it is in.
std::optional<Distrust> check_directory(const fs::path& d, bool holding) {
    struct stat st {};
    if (::lstat(d.c_str(), &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? std::nullopt // created 0700 by the first write
                                                   : cannot_check(d, errno);
    if (S_ISLNK(st.st_mode))
        return cannot_check(d, ELOOP); // resolve_store() leaves none
    if (!S_ISDIR(st.st_mode))
        return std::nullopt; // a file in the way: creating the store says so
    if (st.st_uid != ::geteuid() && st.st_uid != 0)
        return Distrust{d, "a directory owned by " + owner_text(st.st_uid),
                        "keep the store in a directory owned by " + owner_text(::geteuid()) +
                            " or root",
                        Stops::writing};
    if ((st.st_mode & k_group_or_others_write) && (holding || !(st.st_mode & S_ISVTX)))
        return Distrust{d, "a directory writable by group or others", "chmod go-w " + d.string(),
                        Stops::writing};
    return std::nullopt;
}

// A symbolic link met while resolving, in directory `dir`: someone else
// decides where it leads when they own it, or may replace it when they
// may write its directory (the sticky bit keeps them from replacing a link
// they do not own).
std::optional<Distrust> check_link(const fs::path& link, const struct stat& st,
                                   const fs::path& dir) {
    const uid_t me = ::geteuid();
    if (st.st_uid != me && st.st_uid != 0)
        return Distrust{link, "a symbolic link owned by " + owner_text(st.st_uid),
                        "give the store's own path", Stops::writing};
    struct stat ds {};
    if (::stat(dir.c_str(), &ds) != 0)
        return cannot_check(dir, errno);
    if ((ds.st_uid != me && ds.st_uid != 0) ||
        ((ds.st_mode & k_group_or_others_write) && !(ds.st_mode & S_ISVTX)))
        return Distrust{link, "a symbolic link in a directory others may change",
                        "give the store's own path", Stops::writing};
    return std::nullopt;
}

} // namespace

std::optional<Distrust> worse(std::optional<Distrust> a, std::optional<Distrust> b) {
    if (!a)
        return b;
    if (b && b->stops > a->stops)
        return b;
    return a;
}

ResolvedStore resolve_store(const fs::path& given) {
    ResolvedStore out;
    std::error_code ec;
    auto absolute = fs::absolute(given, ec);
    if (ec) {
        out.path = given.lexically_normal();
        out.links = cannot_check(given, ec.value());
        return out;
    }
    // The components still to walk, front first, as the kernel walks them.
    std::vector<fs::path> pending;
    auto push_front = [&](const fs::path& p) {
        std::vector<fs::path> parts;
        for (const auto& part : p.relative_path())
            parts.push_back(part);
        pending.insert(pending.begin(), parts.begin(), parts.end());
    };
    push_front(absolute);
    fs::path done = "/";
    int links = 0;
    bool missing = false;
    while (!pending.empty()) {
        auto part = pending.front();
        pending.erase(pending.begin());
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            done = done.parent_path();
            continue;
        }
        auto next = done / part;
        struct stat st {};
        if (missing || ::lstat(next.c_str(), &st) != 0) {
            missing = true; // the rest does not exist: appended as given
            done = next;
            continue;
        }
        if (!S_ISLNK(st.st_mode)) {
            done = next;
            continue;
        }
        if (++links > 40) {
            out.links = worse(out.links, cannot_check(next, ELOOP));
            done = next;
            break;
        }
        out.links = worse(out.links, check_link(next, st, done));
        std::string target(static_cast<std::size_t>(st.st_size > 0 ? st.st_size : 4096), '\0');
        auto n = ::readlink(next.c_str(), target.data(), target.size());
        if (n < 0) {
            out.links = worse(out.links, cannot_check(next, errno));
            done = next;
            continue;
        }
        target.resize(static_cast<std::size_t>(n));
        fs::path to(target);
        if (to.is_absolute())
            done = "/";
        push_front(to);
    }
    out.path = done.lexically_normal();
    return out;
}

namespace {

// `dir` and every directory above it on a resolved path; `holding` for the
// first.
std::optional<Distrust> check_directories(const fs::path& dir, bool holding) {
    std::optional<Distrust> found;
    for (auto d = dir; !d.empty(); d = d.parent_path()) {
        found = worse(found, check_directory(d, holding));
        holding = false;
        if (!d.has_relative_path())
            break;
    }
    return found;
}

} // namespace

std::optional<Distrust> untrusted_store(const fs::path& store) {
    std::optional<Distrust> found = check_file(store);
    for (const char* suffix : {"-wal", "-shm", "-journal"})
        found = worse(found, check_file(store.string() + suffix));
    return worse(found, check_directories(store.parent_path(), true));
}

OutputDirectory resolve_output_directory(const fs::path& dir) {
    auto resolved = resolve_store(dir);
    auto found = worse(resolved.links, check_directories(resolved.path, false));
    return {resolved.path, found};
}

} // namespace schedule::util
