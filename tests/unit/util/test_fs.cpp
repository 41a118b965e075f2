// util::untrusted_store and util::replace_empty_file on real files.

#include "../support/temp_dir.hpp"

#include <schedule/util/error.hpp>
#include <schedule/util/fs.hpp>

#include <doctest/doctest.h>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

using namespace schedule;
using schedule::test::TempDir;
using Stops = schedule::util::Distrust::Stops;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

void set_mode(const fs::path& p, unsigned mode) {
    REQUIRE(::chmod(p.c_str(), mode_t(mode)) == 0);
}

// Someone who may write `dir` and watches it: the moment a new regular file
// is opened there, it moves that file away to `aside/moved` and puts a FIFO
// at its name, whose read end it keeps open (non-blocking). fanotify holds
// the opening process until the swap is done, so the race is won every
// time, not by luck. Needs CAP_SYS_ADMIN; `available()` says whether it has
// it.
class FifoSwapper {
public:
    explicit FifoSwapper(const fs::path& dir) : m_dir(dir), m_aside(dir / "aside") {
        fs::create_directory(m_aside);
        m_fan = ::fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY | O_CLOEXEC);
        if (m_fan < 0)
            return;
        REQUIRE(::fanotify_mark(m_fan, FAN_MARK_ADD, FAN_OPEN_PERM | FAN_EVENT_ON_CHILD, AT_FDCWD,
                                dir.c_str()) == 0);
        REQUIRE(::pipe2(m_stop, O_CLOEXEC) == 0);
        m_thread = std::thread([this] { listen(); });
    }
    ~FifoSwapper() {
        if (m_fan < 0)
            return;
        (void)!::write(m_stop[1], "x", 1);
        m_thread.join();
        ::close(m_fan);
        ::close(m_stop[0]);
        ::close(m_stop[1]);
        if (m_fifo >= 0)
            ::close(m_fifo);
    }
    FifoSwapper(const FifoSwapper&) = delete;
    FifoSwapper& operator=(const FifoSwapper&) = delete;

    bool available() const { return m_fan >= 0; }
    // The name the FIFO took over, empty when no file was opened.
    std::string swapped() const { return m_swapped; }
    // Whatever was written into the FIFO so far.
    std::string captured() const {
        std::string out;
        char buf[4096];
        for (ssize_t n; m_fifo >= 0 && (n = ::read(m_fifo, buf, sizeof buf)) > 0;)
            out.append(buf, static_cast<std::size_t>(n));
        return out;
    }
    fs::path moved() const { return m_aside / "moved"; }

private:
    void listen() {
        alignas(fanotify_event_metadata) char buf[4096];
        for (;;) {
            pollfd fds[2] = {{m_fan, POLLIN, 0}, {m_stop[0], POLLIN, 0}};
            if (::poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN))
                return;
            auto n = ::read(m_fan, buf, sizeof buf);
            if (n <= 0)
                continue;
            auto* ev = reinterpret_cast<fanotify_event_metadata*>(buf);
            for (; FAN_EVENT_OK(ev, n); ev = FAN_EVENT_NEXT(ev, n)) {
                if (ev->fd >= 0) {
                    swap_once(ev->fd);
                    fanotify_response allow{ev->fd, FAN_ALLOW};
                    (void)!::write(m_fan, &allow, sizeof allow);
                    ::close(ev->fd);
                }
            }
        }
    }
    void swap_once(int fd) {
        struct stat st {};
        if (!m_swapped.empty() || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
            return;
        char target[4096];
        auto len =
            ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), target, sizeof target - 1);
        if (len <= 0)
            return;
        const fs::path opened(std::string(target, static_cast<std::size_t>(len)));
        // The FIFO is made and opened aside (not watched: no event to
        // answer from this thread), then renamed into place.
        const auto fifo = m_aside / "fifo";
        if (::rename(opened.c_str(), moved().c_str()) != 0 || ::mkfifo(fifo.c_str(), 0666) != 0)
            return;
        m_fifo = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (m_fifo >= 0 && ::rename(fifo.c_str(), opened.c_str()) == 0)
            m_swapped = opened.filename().string();
    }

    fs::path m_dir, m_aside;
    int m_fan = -1;
    int m_stop[2] = {-1, -1};
    int m_fifo = -1;
    std::string m_swapped;
    std::thread m_thread;
};

} // namespace

TEST_SUITE("util::fs") {

    TEST_CASE("untrusted_store accepts a private store and names what is wrong otherwise") {
        TempDir tmp;
        set_mode(tmp.path(), 0700);
        const auto dir = tmp.path() / "state";
        fs::create_directories(dir);
        set_mode(dir, 0700);
        const auto store = dir / "s.db";

        SUBCASE("a missing store in a private directory is fine") {
            CHECK(!util::untrusted_store(store));
        }
        SUBCASE("a 0600 store is fine, and so is 0644") {
            write_file(store, "x");
            set_mode(store, 0600);
            CHECK(!util::untrusted_store(store));
            set_mode(store, 0644);
            CHECK(!util::untrusted_store(store));
        }
        SUBCASE("a store writable by group or others") {
            write_file(store, "x");
            for (unsigned mode : {0620u, 0602u, 0666u}) {
                set_mode(store, mode);
                auto d = util::untrusted_store(store);
                REQUIRE(d);
                CHECK(d->path == store);
                CHECK(d->why == "writable by group or others");
                CHECK(d->fix == "chmod go-w " + store.string());
                CHECK(d->stops == Stops::running);
            }
        }
        SUBCASE("the directory holding it is refused when others can write it, sticky or not") {
            for (unsigned mode : {0770u, 0707u, 01777u, 01770u}) {
                set_mode(dir, mode);
                auto d = util::untrusted_store(store);
                REQUIRE(d);
                CHECK(fs::equivalent(d->path, dir));
                CHECK(d->why == "a directory writable by group or others");
                CHECK(d->stops == Stops::writing);
            }
        }
        SUBCASE("a directory above it may be writable by others only with the sticky bit") {
            set_mode(tmp.path(), 0777);
            auto d = util::untrusted_store(store);
            REQUIRE(d);
            CHECK(fs::equivalent(d->path, tmp.path()));
            set_mode(tmp.path(), 01777);
            CHECK(!util::untrusted_store(store));
        }
        SUBCASE("an existing -wal, -shm or -journal must be a private regular file") {
            write_file(store, "x");
            set_mode(store, 0600);
            for (const char* suffix : {"-wal", "-shm", "-journal"}) {
                const fs::path extra = store.string() + suffix;
                write_file(extra, "y");
                set_mode(extra, 0660);
                auto d = util::untrusted_store(store);
                REQUIRE(d);
                CHECK(d->path == extra);
                set_mode(extra, 0600);
                CHECK(!util::untrusted_store(store));
                fs::remove(extra);
                fs::create_symlink(store, extra);
                d = util::untrusted_store(store);
                REQUIRE(d);
                CHECK(d->why == "a symbolic link");
                CHECK(d->stops == Stops::everything);
                fs::remove(extra);
            }
        }
        SUBCASE("a store that is a link is checked at its resolved path") {
            const auto elsewhere = tmp.path() / "open";
            fs::create_directories(elsewhere);
            set_mode(elsewhere, 0777);
            write_file(elsewhere / "real.db", "x");
            set_mode(elsewhere / "real.db", 0600);
            fs::create_symlink(elsewhere / "real.db", store);
            const auto resolved = util::resolve_store(store);
            CHECK(resolved.path == fs::canonical(elsewhere / "real.db"));
            CHECK(!resolved.links); // our own link in our own directory
            auto d = util::untrusted_store(resolved.path);
            REQUIRE(d);
            CHECK(fs::equivalent(d->path, elsewhere));
            set_mode(elsewhere, 0700);
            CHECK(!util::untrusted_store(resolved.path));
            // The link itself, unresolved, is not a store file.
            d = util::untrusted_store(store);
            REQUIRE(d);
            CHECK(d->stops == Stops::everything);
        }
        SUBCASE("a side file that is not a regular file makes the store unusable, whatever else "
                "is wrong") {
            write_file(store, "x");
            set_mode(store, 0600);
            set_mode(dir, 0777);
            const fs::path journal = store.string() + "-journal";
            REQUIRE(::mkfifo(journal.c_str(), 0600) == 0);
            auto d = util::untrusted_store(store);
            REQUIRE(d);
            CHECK(d->stops == Stops::everything);
            CHECK(d->why == "not a regular file");
        }
        SUBCASE("a link on the way in a directory others may change lets others choose the "
                "store") {
            const auto open = tmp.path() / "open";
            fs::create_directories(open);
            fs::create_directory_symlink(dir, open / "link");
            set_mode(open, 0777);
            auto r = util::resolve_store(open / "link" / "s.db");
            CHECK(r.path == fs::canonical(dir) / "s.db");
            REQUIRE(r.links);
            CHECK(r.links->path == open / "link");
            CHECK(r.links->stops == Stops::writing);
            // With the sticky bit, nobody else may replace our link.
            set_mode(open, 01777);
            CHECK(!util::resolve_store(open / "link" / "s.db").links);
        }
        if (::geteuid() == 0) {
            SUBCASE("files owned by another user, and directories owned by neither us nor root") {
                write_file(store, "x");
                set_mode(store, 0600);
                REQUIRE(::chown(store.c_str(), 65534, 65534) == 0);
                auto d = util::untrusted_store(store);
                REQUIRE(d);
                CHECK(d->why.find("uid 65534") != std::string::npos);
                REQUIRE(::chown(store.c_str(), 0, 0) == 0);
                REQUIRE(::chown(dir.c_str(), 65534, 65534) == 0);
                d = util::untrusted_store(store);
                REQUIRE(d);
                CHECK(fs::equivalent(d->path, dir));
                CHECK(d->why.find("a directory owned by") == 0);
                CHECK(d->stops == Stops::writing);
                REQUIRE(::chown(dir.c_str(), 0, 0) == 0);
            }
            SUBCASE("a link owned by another user lets them choose the store") {
                const auto link = tmp.path() / "theirs";
                fs::create_directory_symlink(dir, link);
                REQUIRE(::lchown(link.c_str(), 65534, 65534) == 0);
                auto r = util::resolve_store(link / "s.db");
                REQUIRE(r.links);
                CHECK(r.links->path == link);
                CHECK(r.links->why.find("a symbolic link owned by") == 0);
                CHECK(r.links->stops == Stops::writing);
            }
        }
    }

    TEST_CASE("resolve_store gives an absolute path without links") {
        TempDir tmp;
        const auto real = tmp.path() / "real";
        fs::create_directories(real);
        fs::create_directory_symlink(real, tmp.path() / "link");
        fs::create_directory_symlink("real", tmp.path() / "relative");
        fs::create_directory_symlink(tmp.path() / "link", tmp.path() / "chain");
        const auto canonical_real = fs::canonical(real);
        CHECK(util::resolve_store(tmp.path() / "link" / "s.db").path == canonical_real / "s.db");
        CHECK(util::resolve_store(tmp.path() / "relative" / "s.db").path ==
              canonical_real / "s.db");
        CHECK(util::resolve_store(tmp.path() / "chain" / "s.db").path == canonical_real / "s.db");
        CHECK(util::resolve_store(tmp.path() / "link" / "new" / "s.db").path ==
              canonical_real / "new" / "s.db");
        CHECK(util::resolve_store(tmp.path() / "link" / ".." / "real" / "s.db").path ==
              canonical_real / "s.db");
        // A relative path, `file:` prefix and all, names a file here.
        const auto here = fs::canonical(fs::current_path());
        CHECK(util::resolve_store("file:%2Ftmp%2Fx.db").path == here / "file:%2Ftmp%2Fx.db");
        // A loop is refused.
        fs::create_symlink(tmp.path() / "loop", tmp.path() / "loop");
        auto looped = util::resolve_store(tmp.path() / "loop");
        REQUIRE(looped.links);
        CHECK(looped.links->stops == Stops::everything);
    }

    TEST_CASE("replace_empty_file replaces an empty file once and leaves a non-empty one") {
        TempDir tmp;
        const auto target = tmp.path() / "target";
        const auto first = tmp.path() / "first";
        const auto second = tmp.path() / "second";
        write_file(target, "");
        write_file(first, "first");
        write_file(second, "second");
        CHECK(util::replace_empty_file(target, first));
        CHECK(!fs::exists(first));
        CHECK(!util::replace_empty_file(target, second));
        CHECK(fs::exists(second));
        std::ifstream in(target);
        std::string text;
        in >> text;
        CHECK(text == "first");
        CHECK(!util::replace_empty_file(tmp.path() / "missing", second));
        if (::geteuid() == 0) {
            // Someone else's empty file is not ours to replace.
            const auto theirs = tmp.path() / "theirs";
            write_file(theirs, "");
            REQUIRE(::chown(theirs.c_str(), 65534, 65534) == 0);
            CHECK_THROWS_AS(util::replace_empty_file(theirs, second), util::StoreError);
            CHECK(fs::exists(second));
        }
    }

    TEST_CASE("stamp_file sets a private file's time, never through a link or into a FIFO") {
        TempDir tmp;
        const auto stamp = tmp.path() / "s.db.last-tick";
        CHECK(!util::modification_time(stamp));
        const auto old_umask = ::umask(0);
        CHECK(util::stamp_file(stamp, 1'700'000'000, 0600));
        ::umask(old_umask);
        struct stat st {};
        REQUIRE(::lstat(stamp.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0600);
        CHECK(st.st_size == 0);
        CHECK(util::modification_time(stamp) == 1'700'000'000);
        CHECK(util::stamp_file(stamp, 1'700'000'060, 0600)); // again: the time moves on
        CHECK(util::modification_time(stamp) == 1'700'000'060);

        // A link in its place is neither followed nor read.
        const auto target = tmp.path() / "target";
        write_file(target, "keep");
        const auto target_time = util::modification_time(target);
        const auto link = tmp.path() / "link";
        fs::create_symlink(target, link);
        CHECK(!util::stamp_file(link, 1'000, 0600));
        CHECK(util::modification_time(target) == target_time);
        CHECK(!util::modification_time(link));
        // A FIFO: refused at once, not waited on.
        const auto fifo = tmp.path() / "fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        CHECK(!util::stamp_file(fifo, 1'000, 0600));
        CHECK(!util::modification_time(fifo));
        if (::geteuid() == 0) {
            // Someone else's file keeps its time.
            REQUIRE(::chown(stamp.c_str(), 65534, 65534) == 0);
            CHECK(!util::stamp_file(stamp, 1'000, 0600));
            CHECK(util::modification_time(stamp) == 1'700'000'060);
        }
    }

    TEST_CASE("write_file_atomically writes a whole new file with exactly its mode") {
        TempDir tmp;
        const auto file = tmp.path() / "unit.timer";
        const mode_t old = ::umask(077);
        const bool written =
            util::write_file_atomically(file, "[Timer]\n", 0644, util::Replace::no);
        ::umask(old);
        CHECK(written);
        std::ifstream in(file);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(text == "[Timer]\n");
        struct stat st {};
        REQUIRE(::stat(file.c_str(), &st) == 0);
        CHECK((st.st_mode & 07777) == 0644);
        // Nothing is left beside it.
        CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
    }

    TEST_CASE("write_file_atomically replaces a file only when told to") {
        TempDir tmp;
        const auto file = tmp.path() / "schedule.crontab";
        write_file(file, "old");
        auto read = [&] {
            std::ifstream in(file);
            return std::string((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        };
        CHECK_FALSE(util::write_file_atomically(file, "new", 0644, util::Replace::no));
        CHECK(read() == "old");
        CHECK(util::write_file_atomically(file, "new", 0644, util::Replace::yes));
        CHECK(read() == "new");
        CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
    }

    TEST_CASE("write_file_atomically replaces a symbolic link instead of writing through it") {
        TempDir tmp;
        const auto target = tmp.path() / "elsewhere";
        write_file(target, "keep");
        const auto link = tmp.path() / "x.service";
        fs::create_symlink(target, link);
        CHECK_FALSE(util::write_file_atomically(link, "unit", 0644, util::Replace::no));
        CHECK(util::write_file_atomically(link, "unit", 0644, util::Replace::yes));
        CHECK(!fs::is_symlink(link));
        std::ifstream in(target);
        std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(kept == "keep");
    }

    TEST_CASE("write_file_atomically and create_temp_file take a name of the longest length a "
              "file name may have") {
        TempDir tmp;
        // 255 bytes, the last character of the temporary file's stem cut
        // in the middle of a two-byte UTF-8 character.
        const std::string name = std::string(63, 'x') + "\xc3\xbc" + std::string(190, 'y');
        REQUIRE(name.size() == 255);
        const auto file = tmp.path() / name;
        CHECK(util::write_file_atomically(file, "whole", 0600, util::Replace::no));
        CHECK(util::write_file_atomically(file, "again", 0600, util::Replace::yes));
        std::ifstream in(file);
        CHECK(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()) ==
              "again");
        const auto temp = util::create_temp_file(tmp.path(), name, 0600);
        const auto stem = temp.filename().string();
        CHECK(stem.size() < 80);
        CHECK(stem.rfind("." + std::string(63, 'x') + ".", 0) == 0);
        fs::remove(temp);
        CHECK(std::distance(fs::directory_iterator(tmp.path()), fs::directory_iterator()) == 1);
    }

    TEST_CASE("write_file_atomically writes through the file it created, never into what is put "
              "at its temporary name") {
        TempDir tmp;
        const auto file = tmp.path() / "backup.json";
        std::string written, swapped, captured;
        bool refused = false;
        {
            FifoSwapper swapper(tmp.path());
            if (!swapper.available()) {
                MESSAGE("fanotify needs CAP_SYS_ADMIN: not checked");
                return;
            }
            try {
                util::write_file_atomically(file, "secret", 0600, util::Replace::yes);
            } catch (const std::exception&) {
                refused = true;
            }
            swapped = swapper.swapped();
            captured = swapper.captured();
            std::ifstream in(swapper.moved());
            written =
                std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        }
        // The swap happened, and the FIFO got nothing: the bytes went to the
        // file created, wherever it was moved; what is at the temporary name
        // now is not ours, and is not put in the file's place.
        REQUIRE(!swapped.empty());
        CHECK(captured == "");
        CHECK(written == "secret");
        CHECK(refused);
        CHECK(!fs::exists(fs::symlink_status(file)));
    }

    TEST_CASE("peek_file reads the start of a regular file and never follows a link") {
        TempDir tmp;
        const auto file = tmp.path() / "unit.timer";
        write_file(file, "# first line\nsecond\n");
        auto f = util::peek_file(file, 8);
        CHECK(f.type == fs::file_type::regular);
        CHECK(f.head == "# first ");
        CHECK(util::peek_file(file, 1000).head == "# first line\nsecond\n");

        const auto link = tmp.path() / "link.timer";
        fs::create_symlink(file, link);
        auto l = util::peek_file(link, 100);
        CHECK(l.type == fs::file_type::symlink);
        CHECK(l.head.empty());

        CHECK(util::peek_file(tmp.path() / "none", 100).type == fs::file_type::not_found);
        CHECK(util::peek_file(tmp.path(), 100).type == fs::file_type::directory);
        const auto fifo = tmp.path() / "fifo";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        CHECK(util::peek_file(fifo, 100).type == fs::file_type::fifo);
    }
}
