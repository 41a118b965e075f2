// The system process runner: one poll loop over a signalfd and the output
// pipes of every active run.
//
// Main processes are not reaped when they exit: they are noticed with
// waitid(WNOWAIT) and kept as zombies until their run is over, so their
// pid, which is also the run's process group id, cannot be reused while
// the group is still being signalled. Other children of this process are
// leftovers of some run, reparented here because it is a child subreaper;
// they are found through /proc/self/task/TID/children, attributed to a run
// by process group, session or the run's environment marker, and reaped.

#include <schedule/exec/capture.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/util/error.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <map>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <set>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

namespace schedule::exec {

namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(int err) {
    return std::strerror(err);
}

// The CPUs this process may run on (its affinity mask), at least 1.
std::size_t usable_cpus() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0)
        return std::max(1, CPU_COUNT(&set));
    return 1;
}

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& o) noexcept : m_fd(o.release()) {}
    Fd& operator=(Fd&& o) noexcept {
        reset(o.release());
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return m_fd; }
    explicit operator bool() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = fd;
    }

private:
    int m_fd = -1;
};

struct Pipe {
    Fd read;
    Fd write;
};

Pipe make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw util::RuntimeFailure("cannot create a pipe: " + resource_text(errno));
    return {Fd(fds[0]), Fd(fds[1])};
}

// For our end of a new pipe, which has no other status flag.
void set_nonblocking(int fd) {
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
}

// CLOCK_BOOTTIME in the clock ticks of /proc/PID/stat's starttime (the
// kernel divides the boot time in ns by 10^9 / USER_HZ), or nothing.
std::optional<std::int64_t> boot_ticks() {
    static const long hz = ::sysconf(_SC_CLK_TCK);
    timespec t{};
    if (hz <= 0 || 1'000'000'000 % hz != 0 || ::clock_gettime(CLOCK_BOOTTIME, &t) != 0)
        return std::nullopt;
    const std::int64_t ns = std::int64_t{t.tv_sec} * 1'000'000'000 + t.tv_nsec;
    return ns / (1'000'000'000 / hz);
}

// Why `dir`, which a run could not enter, is no working directory: a path
// that does not exist, or one that is not a directory.
std::string bad_directory(const std::string& dir) {
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
        return "working directory " + dir + " is not a directory";
    return "working directory " + dir + " does not exist";
}

std::vector<char*> c_strings(const std::vector<std::string>& v) {
    std::vector<char*> out;
    out.reserve(v.size() + 1);
    for (const auto& s : v)
        out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

// Whether a read of n bytes into a buffer of `size` read the end of a /proc
// file we read. The kernel fills a read with whole records while they fit,
// so a read that left room for another record (these are one record, or
// records of a pid each) was the last, and the read that would return 0 is
// saved. A nearly full read may have left records behind: read on.
bool last_read(ssize_t n, std::size_t size) {
    return n > 0 && static_cast<std::size_t>(n) + 256 < size;
}

// The whole of an open /proc file, read from its start (so a file kept
// open reads anew each time).
std::optional<std::string> read_to_end(int fd) {
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(text.size()))) > 0 ||
           (n < 0 && errno == EINTR)) {
        if (n > 0)
            text.append(buf, static_cast<std::size_t>(n));
        if (last_read(n, sizeof buf))
            break;
    }
    if (n < 0)
        return std::nullopt;
    return text;
}

// The whole of a small /proc file, read with one open/read/close (a
// supervisor reads these for every run; iostreams cost more than the read).
std::optional<std::string> read_proc_file(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    auto text = read_to_end(fd);
    ::close(fd);
    return text;
}

// The fields of /proc/PID/stat indexed by their number in proc(5) (pgrp is
// 5, session 6, starttime 22); 0-2 are placeholders, the command name is
// skipped because it may contain spaces.
std::optional<std::vector<std::string>> stat_fields(std::int64_t pid) {
    auto text = read_proc_file("/proc/" + std::to_string(pid) + "/stat");
    if (!text)
        return std::nullopt;
    auto close = text->rfind(')');
    if (close == std::string::npos)
        return std::nullopt;
    std::vector<std::string> fields{"", "", ""};
    std::size_t i = close + 1;
    while (i < text->size()) {
        while (i < text->size() && std::isspace(static_cast<unsigned char>((*text)[i])))
            ++i;
        std::size_t j = i;
        while (j < text->size() && !std::isspace(static_cast<unsigned char>((*text)[j])))
            ++j;
        if (j > i)
            fields.push_back(text->substr(i, j - i));
        i = j;
    }
    return fields;
}

bool environ_contains(std::int64_t pid, const std::string& entry) {
    if (entry.empty())
        return false;
    std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
    std::string var;
    while (std::getline(in, var, '\0'))
        if (var == entry)
            return true;
    return false;
}

// Our children (zombies included), from /proc/self/task/TID/children opened
// once: reading the open file again from offset 0 lists them anew, without
// the path lookup (a supervisor looks after every run).
class ChildList {
public:
    ChildList()
        : m_path("/proc/self/task/" + std::to_string(::getpid()) + "/children"),
          m_fd(::open(m_path.c_str(), O_RDONLY | O_CLOEXEC)) {}

    std::vector<pid_t> read() const;

private:
    std::string m_path;
    Fd m_fd;
};

std::vector<pid_t> ChildList::read() const {
    std::vector<pid_t> out;
    const std::string text = (m_fd ? read_to_end(m_fd.get()) : read_proc_file(m_path)).value_or("");
    const char* p = text.c_str();
    char* end = nullptr;
    for (long pid = std::strtol(p, &end, 10); end != p; pid = std::strtol(p, &end, 10)) {
        out.push_back(static_cast<pid_t>(pid));
        p = end;
    }
    return out;
}

// Writes all of `data` to fd; false when the reader has gone.
bool write_all(int fd, const char* data, std::size_t n) {
    while (n > 0) {
        auto w = ::write(fd, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

struct Run {
    RunId id = 0;
    RunSpec spec;
    pid_t pid = -1;
    Fd out, err, in;
    std::size_t in_written = 0;
    BoundedCapture out_capture{0}, err_capture{0};
    bool tee_out = false, tee_err = false;
    Clock::time_point started{};
    std::optional<Clock::time_point> deadline;      // timeout
    std::optional<Clock::time_point> kill_deadline; // SIGKILL after grace
    bool main_exited = false;
    int wait_code = 0;   // si_code of the main process
    int wait_status = 0; // si_status
    Clock::time_point main_end{};
    bool timed_out = false;
    bool cancelled = false;
    int cancel_signal = 0;
    bool leftovers_signalled = false;
    std::vector<pid_t> orphans; // live leftovers attributed to this run
};

class SystemRunner final : public ProcessRunner {
public:
    explicit SystemRunner(Interrupts interrupts) {
        ::prctl(PR_SET_CHILD_SUBREAPER, 1);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGCHLD);
        if (interrupts == Interrupts::cancel_runs) {
            sigaddset(&set, SIGINT);
            sigaddset(&set, SIGTERM);
            sigaddset(&set, SIGHUP);
        }
        if (::sigprocmask(SIG_BLOCK, &set, &m_old_mask) != 0)
            throw util::RuntimeFailure("cannot block signals: " + errno_text(errno));
        m_sigfd = Fd(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
        if (!m_sigfd)
            throw util::RuntimeFailure("cannot create a signalfd: " + resource_text(errno));
        struct sigaction ign {};
        ign.sa_handler = SIG_IGN;
        ::sigaction(SIGPIPE, &ign, &m_old_pipe);
        m_devnull = Fd(::open("/dev/null", O_RDONLY | O_CLOEXEC)); // every run's stdin
        // Children start with every signal at its default: what we ignore
        // (SIGPIPE, and whatever our parent left ignored) is reset in the
        // child; handlers are reset by execve itself.
        for (int sig = 1; sig < NSIG; ++sig) {
            struct sigaction now {};
            if (sig != SIGKILL && sig != SIGSTOP && ::sigaction(sig, nullptr, &now) == 0 &&
                now.sa_handler != SIG_DFL)
                m_not_default.push_back(sig);
        }
    }

    ~SystemRunner() override {
        for (auto& [id, run] : m_runs)
            kill_group(run, SIGKILL);
        kill_strays(SIGKILL);
        for (auto& [id, run] : m_runs)
            if (run.pid > 0)
                ::waitpid(run.pid, nullptr, 0);
        reap_all_children();
        ::sigaction(SIGPIPE, &m_old_pipe, nullptr);
        m_sigfd.reset();
        ::sigprocmask(SIG_SETMASK, &m_old_mask, nullptr);
    }

    std::optional<Started> start(RunId id, const RunSpec& spec) override {
        pace();
        if (m_interrupted_by != 0) {
            RunResult r;
            r.outcome = Outcome::cancelled;
            r.cancel_signal = m_interrupted_by;
            return not_started(id, std::move(r));
        }
        Run run;
        run.id = id;
        run.spec = spec;
        run.out_capture = BoundedCapture(spec.max_bytes);
        run.err_capture = BoundedCapture(spec.max_bytes);
        run.tee_out = run.tee_err = spec.tee;
        std::string error;
        // The kernel stamps the child's start between these two readings:
        // when both fall in the same tick, that tick is its starttime and
        // /proc need not be read.
        const auto before = boot_ticks();
        try {
            error = spawn(run);
        } catch (const util::Error& e) {
            error = e.what();
        }
        const auto after = boot_ticks();
        if (!error.empty()) {
            RunResult r;
            r.outcome = Outcome::failed_to_start;
            r.error = error;
            return not_started(id, std::move(r));
        }
        run.started = Clock::now();
        if (spec.timeout)
            run.deadline = run.started + *spec.timeout;
        Started s;
        s.pid = run.pid;
        s.process_start =
            before && before == after ? *before : process_start_time(run.pid).value_or(0);
        m_runs.emplace(id, std::move(run));
        return s;
    }

    std::vector<Finished> wait_for(std::optional<std::chrono::milliseconds> limit) override {
        std::vector<Finished> done = std::move(m_failed);
        m_failed.clear();
        std::optional<Clock::time_point> until;
        if (limit)
            until = Clock::now() + *limit;
        if (done.empty() && m_runs.empty() && until)
            poll_once(until); // nothing to wait for: sleep, still reading signals
        auto take_over = [&] {
            for (auto it = m_runs.begin(); it != m_runs.end();) {
                if (is_over(it->second)) {
                    done.push_back(finish(it->second));
                    it = m_runs.erase(it);
                } else {
                    ++it;
                }
            }
        };
        // Runs already over are taken even with a zero limit, after one
        // poll that does not block (pace() may have seen them end).
        take_over();
        bool polled = false;
        while (done.empty() && !m_runs.empty() && !(polled && until && Clock::now() >= *until)) {
            poll_once(until);
            polled = true;
            take_over();
        }
        if (m_runs.empty())
            kill_strays(SIGKILL); // leftovers no run claimed: their run is over
        return done;
    }

    void cancel(RunId id, int signal) override {
        auto it = m_runs.find(id);
        if (it == m_runs.end())
            return;
        cancel_run(it->second, signal);
    }

    std::size_t active() const override { return m_runs.size() + m_failed.size(); }
    int interrupted_by() const override { return m_interrupted_by; }

private:
    // A run that never started: reported by the next wait_for().
    std::nullopt_t not_started(RunId id, RunResult result) {
        m_failed.push_back(Finished{id, std::move(result)});
        return std::nullopt;
    }

    // Waits while as many runs as there are CPUs are young: started less
    // than k_start_spacing ago with their main process still running (see
    // make_system_runner).
    void pace() {
        for (;;) {
            const auto now = Clock::now();
            std::size_t young = 0;
            auto first_grown = Clock::time_point::max();
            for (const auto& [id, run] : m_runs) {
                const auto grown = run.started + k_start_spacing;
                if (!run.main_exited && now < grown) {
                    ++young;
                    first_grown = std::min(first_grown, grown);
                }
            }
            if (young < m_cpus || m_interrupted_by != 0)
                return;
            poll_once(first_grown);
        }
    }

    // Starts the process; returns "" or why it could not start.
    std::string spawn(Run& run) {
        const auto& spec = run.spec;
        if (spec.argv.empty())
            return "nothing to run";
        // (vfork_exec finds a missing directory when the child enters it.)
        struct stat st {};
        if (spec.user && (::stat(spec.working_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)))
            return bad_directory(spec.working_dir);
        Pipe out = make_pipe(), err = make_pipe();
        Pipe in;
        if (spec.stdin_data)
            in = make_pipe();
        auto argv = c_strings(spec.argv);
        auto envp = c_strings(spec.env);
        std::string error = spec.user ? fork_exec(run, out, err, in, argv, envp)
                                      : vfork_exec(run, out, err, in, argv, envp);
        if (!error.empty())
            return error;
        run.out = std::move(out.read);
        run.err = std::move(err.read);
        set_nonblocking(run.out.get());
        set_nonblocking(run.err.get());
        if (spec.stdin_data) {
            run.in = std::move(in.write);
            set_nonblocking(run.in.get());
            if (spec.stdin_data->empty())
                run.in.reset();
        }
        return "";
    }

    // vfork and exec: the child borrows our memory until it execs, so
    // nothing is copied or mapped for it (posix_spawn maps and unmaps a
    // stack each time; a supervisor starts many runs). The child only makes
    // system calls, with every signal blocked until just before execve, and
    // reports a failure through `failure`, which it shares with us.
    std::string vfork_exec(Run& run, Pipe& out, Pipe& err, Pipe& in, std::vector<char*>& argv,
                           std::vector<char*>& envp) {
        const int in_fd = in.read ? in.read.get() : m_devnull.get();
        const int out_fd = out.write.get();
        const int err_fd = err.write.get();
        const char* dir = run.spec.working_dir.c_str();
        const int* reset = m_not_default.data();
        const std::size_t reset_count = m_not_default.size();
        sigset_t all, none, before;
        sigfillset(&all);
        sigemptyset(&none);
        ::pthread_sigmask(SIG_SETMASK, &all, &before);
        volatile int failure = 0;
        volatile bool no_directory = false;
        pid_t pid = ::vfork();
        if (pid == 0) {
            struct sigaction dfl {};
            dfl.sa_handler = SIG_DFL;
            for (std::size_t i = 0; i < reset_count; ++i)
                ::sigaction(reset[i], &dfl, nullptr);
            int devnull = in_fd < 0 ? ::open("/dev/null", O_RDONLY) : -1;
            if (::setsid() < 0 || ::dup2(in_fd < 0 ? devnull : in_fd, 0) < 0 ||
                ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) {
                failure = errno;
                ::_exit(127);
            }
            if (::chdir(dir) != 0) {
                failure = errno;
                no_directory = true;
                ::_exit(127);
            }
            if (::close_range(3, ~0U, 0) != 0) {
                failure = errno;
                ::_exit(127);
            }
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::execve(argv[0], argv.data(), envp.data());
            failure = errno;
            ::_exit(127);
        }
        const int spawn_errno = errno;
        ::pthread_sigmask(SIG_SETMASK, &before, nullptr);
        if (pid < 0)
            return "cannot start " + run.spec.argv[0] + ": " + resource_text(spawn_errno);
        if (failure != 0) {
            ::waitpid(pid, nullptr, 0);
            if (no_directory)
                return failure == ENOENT || failure == ENOTDIR
                           ? bad_directory(run.spec.working_dir)
                           : "cannot enter " + run.spec.working_dir + ": " + errno_text(failure);
            return "cannot start " + run.spec.argv[0] + ": " + errno_text(failure);
        }
        run.pid = pid;
        return "";
    }

    // Switching users needs setgroups/setgid/setuid between fork and exec.
    // Errors in the child come back through a close-on-exec pipe.
    std::string fork_exec(Run& run, Pipe& out, Pipe& err, Pipe& in, std::vector<char*>& argv,
                          std::vector<char*>& envp) {
        const Identity& user = *run.spec.user;
        int ngroups = 64;
        std::vector<gid_t> groups(static_cast<std::size_t>(ngroups));
        if (::getgrouplist(user.name.c_str(), user.gid, groups.data(), &ngroups) < 0) {
            groups.resize(static_cast<std::size_t>(ngroups));
            ::getgrouplist(user.name.c_str(), user.gid, groups.data(), &ngroups);
        }
        groups.resize(static_cast<std::size_t>(std::max(ngroups, 0)));
        Pipe report = make_pipe();
        pid_t pid = ::fork();
        if (pid < 0)
            return "cannot fork: " + resource_text(errno);
        if (pid == 0) {
            auto fail = [&](const char* stage) {
                int e = errno;
                char msg[256];
                int n = std::snprintf(msg, sizeof msg, "%s: %s", stage, std::strerror(e));
                if (n > 0)
                    (void)!::write(report.write.get(), msg, static_cast<std::size_t>(n));
                ::_exit(127);
            };
            sigset_t none;
            sigemptyset(&none);
            for (int sig = 1; sig < NSIG; ++sig)
                ::signal(sig, SIG_DFL);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            if (::setsid() < 0)
                fail("setsid");
            int devnull = in.read ? -1 : ::open("/dev/null", O_RDONLY);
            if (::dup2(in.read ? in.read.get() : devnull, 0) < 0 ||
                ::dup2(out.write.get(), 1) < 0 || ::dup2(err.write.get(), 2) < 0)
                fail("dup2");
            if (::setgroups(groups.size(), groups.data()) != 0)
                fail(("cannot set the groups of " + user.name).c_str());
            if (::setgid(user.gid) != 0)
                fail(("cannot switch to the group of " + user.name).c_str());
            if (::setuid(user.uid) != 0)
                fail(("cannot switch to user " + user.name).c_str());
            if (::chdir(run.spec.working_dir.c_str()) != 0)
                fail(("cannot enter " + run.spec.working_dir).c_str());
            ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
            ::execve(argv[0], argv.data(), envp.data());
            fail(("cannot start " + run.spec.argv[0]).c_str());
        }
        report.write.reset();
        char buf[256];
        ssize_t n;
        do {
            n = ::read(report.read.get(), buf, sizeof buf);
        } while (n < 0 && errno == EINTR);
        if (n > 0) {
            ::waitpid(pid, nullptr, 0);
            return std::string(buf, static_cast<std::size_t>(n));
        }
        run.pid = pid;
        return "";
    }

    void poll_once(std::optional<Clock::time_point> until = std::nullopt) {
        std::vector<pollfd> fds;
        std::vector<std::pair<Run*, int>> owners; // run and 0 out / 1 err / 2 in
        fds.push_back({m_sigfd.get(), POLLIN, 0});
        owners.emplace_back(nullptr, 0);
        auto timeout = std::chrono::milliseconds(-1);
        auto now = Clock::now();
        if (until)
            timeout = std::max(std::chrono::milliseconds(0),
                               std::chrono::ceil<std::chrono::milliseconds>(*until - now));
        for (auto& [id, run] : m_runs) {
            if (run.out) {
                fds.push_back({run.out.get(), POLLIN, 0});
                owners.emplace_back(&run, 0);
            }
            if (run.err) {
                fds.push_back({run.err.get(), POLLIN, 0});
                owners.emplace_back(&run, 1);
            }
            if (run.in) {
                fds.push_back({run.in.get(), POLLOUT, 0});
                owners.emplace_back(&run, 2);
            }
            for (auto d : {run.deadline, run.kill_deadline}) {
                if (!d)
                    continue;
                auto left = std::chrono::ceil<std::chrono::milliseconds>(*d - now);
                left = std::max(left, std::chrono::milliseconds(0));
                if (timeout.count() < 0 || left < timeout)
                    timeout = left;
            }
        }
        int rc = ::poll(fds.data(), fds.size(), static_cast<int>(timeout.count()));
        if (rc < 0 && errno != EINTR)
            throw util::RuntimeFailure("poll failed: " + errno_text(errno));
        if (rc > 0) {
            for (std::size_t i = 1; i < fds.size(); ++i) {
                if (!fds[i].revents)
                    continue;
                auto [run, which] = owners[i];
                if (which == 2)
                    feed_stdin(*run);
                else
                    drain(*run, which == 0);
            }
            if (fds[0].revents)
                read_signals();
        }
        check_deadlines();
    }

    void drain(Run& run, bool is_out) {
        Fd& fd = is_out ? run.out : run.err;
        char buf[65536];
        for (;;) {
            auto n = ::read(fd.get(), buf, sizeof buf);
            if (n > 0) {
                auto chunk = std::string_view(buf, static_cast<std::size_t>(n));
                (is_out ? run.out_capture : run.err_capture).append(chunk);
                bool& tee = is_out ? run.tee_out : run.tee_err;
                if (tee && !write_all(is_out ? 1 : 2, buf, chunk.size()))
                    tee = false;
                if (static_cast<std::size_t>(n) < sizeof buf)
                    return;
                continue;
            }
            if (n < 0 && (errno == EINTR))
                continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
                return;
            fd.reset(); // EOF or error
            return;
        }
    }

    void feed_stdin(Run& run) {
        const auto& data = *run.spec.stdin_data;
        while (run.in_written < data.size()) {
            auto n =
                ::write(run.in.get(), data.data() + run.in_written, data.size() - run.in_written);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN)
                    return;
                break; // the job closed its stdin
            }
            run.in_written += static_cast<std::size_t>(n);
        }
        run.in.reset();
    }

    void read_signals() {
        // Pending signals come several to a read; a short read is the last.
        signalfd_siginfo infos[8];
        bool child = false;
        ssize_t n;
        do {
            n = ::read(m_sigfd.get(), infos, sizeof infos);
            for (ssize_t i = 0; n > 0 && i < n / static_cast<ssize_t>(sizeof infos[0]); ++i) {
                const auto& info = infos[i];
                if (info.ssi_signo == SIGCHLD) {
                    child = true;
                } else {
                    m_interrupted_by = static_cast<int>(info.ssi_signo);
                    for (auto& [id, run] : m_runs)
                        cancel_run(run, static_cast<int>(info.ssi_signo));
                }
            }
        } while (n == static_cast<ssize_t>(sizeof infos));
        if (child)
            collect_children();
    }

    void collect_children() {
        // Main processes: noticed, left as zombies (see the file comment).
        for (auto& [id, run] : m_runs) {
            if (run.main_exited)
                continue;
            siginfo_t si{};
            if (::waitid(P_PID, static_cast<id_t>(run.pid), &si, WEXITED | WNOHANG | WNOWAIT) ==
                    0 &&
                si.si_pid == run.pid) {
                run.main_exited = true;
                run.main_end = Clock::now();
                run.wait_code = si.si_code;
                run.wait_status = si.si_status;
                run.deadline.reset();
                // Whatever the job left in its group gets the same treatment
                // as a timeout: TERM now, KILL after the grace.
                signal_leftovers(run, SIGTERM);
            }
        }
        adopt_orphans();
    }

    bool is_main(pid_t pid) const {
        for (const auto& [id, run] : m_runs)
            if (run.pid == pid)
                return true;
        return false;
    }

    // Reaps leftovers that exited and attributes the living ones to runs.
    void adopt_orphans() {
        for (auto& [id, run] : m_runs)
            run.orphans.clear();
        m_strays.clear();
        for (pid_t pid : m_children.read()) {
            if (is_main(pid))
                continue;
            int status;
            if (::waitpid(pid, &status, WNOHANG) == pid)
                continue; // it was a leftover and has now ended
            Run* owner = owner_of(pid);
            if (owner) {
                owner->orphans.push_back(pid);
                if (owner->main_exited || owner->timed_out || owner->cancelled)
                    signal_process(pid,
                                   owner->kill_deadline && Clock::now() >= *owner->kill_deadline
                                       ? SIGKILL
                                       : SIGTERM);
            } else {
                m_strays.push_back(pid);
            }
        }
    }

    Run* owner_of(pid_t pid) {
        auto fields = stat_fields(pid);
        if (fields && fields->size() > 6) { // pgrp and session
            pid_t pgrp = std::stoi((*fields)[5]);
            pid_t sid = std::stoi((*fields)[6]);
            for (auto& [id, run] : m_runs)
                if (run.pid == pgrp || run.pid == sid)
                    return &run;
        }
        for (auto& [id, run] : m_runs)
            if (environ_contains(pid, run.spec.marker))
                return &run;
        if (m_runs.size() == 1)
            return &m_runs.begin()->second;
        return nullptr;
    }

    void signal_process(pid_t pid, int sig) {
        // A leftover that leads its own group takes its group with it.
        if (::getpgid(pid) == pid)
            ::kill(-pid, sig);
        ::kill(pid, sig);
    }

    void kill_group(Run& run, int sig) {
        if (run.pid > 0)
            ::kill(-run.pid, sig);
    }

    void signal_leftovers(Run& run, int sig) {
        kill_group(run, sig);
        for (pid_t pid : run.orphans)
            signal_process(pid, sig);
        if (!run.kill_deadline)
            run.kill_deadline = Clock::now() + run.spec.kill_grace;
        run.leftovers_signalled = true;
    }

    void cancel_run(Run& run, int sig) {
        if (run.main_exited || run.cancelled)
            return;
        run.cancelled = true;
        run.cancel_signal = sig;
        run.deadline.reset();
        kill_group(run, sig);
        run.kill_deadline = Clock::now() + run.spec.kill_grace;
    }

    void check_deadlines() {
        auto now = Clock::now();
        for (auto& [id, run] : m_runs) {
            if (run.deadline && now >= *run.deadline) {
                run.deadline.reset();
                run.timed_out = true;
                kill_group(run, SIGTERM);
                for (pid_t pid : run.orphans)
                    signal_process(pid, SIGTERM);
                run.kill_deadline = now + run.spec.kill_grace;
            }
            if (run.kill_deadline && now >= *run.kill_deadline) {
                kill_group(run, SIGKILL);
                for (pid_t pid : run.orphans)
                    signal_process(pid, SIGKILL);
                // The grace is over: from now on whatever appears dies at once.
                run.kill_deadline = now;
                if (!run.main_exited || run.out || run.err || !run.orphans.empty())
                    m_kill_pending = true;
            }
        }
        if (m_kill_pending) {
            // SIGKILL was sent; let the kernel deliver it before polling
            // again instead of spinning on a deadline that has passed.
            m_kill_pending = false;
            ::usleep(2000);
            collect_children();
        }
    }

    bool is_over(const Run& run) const {
        return run.main_exited && !run.out && !run.err && run.orphans.empty();
    }

    Finished finish(Run& run) {
        Finished f;
        f.id = run.id;
        auto& r = f.result;
        ::waitpid(run.pid, nullptr, 0); // the zombie we kept
        if (run.wait_code == CLD_EXITED)
            r.exit_code = run.wait_status;
        else
            r.signal = run.wait_status;
        if (run.cancelled) {
            r.outcome = Outcome::cancelled;
            r.cancel_signal = run.cancel_signal;
        } else if (run.timed_out) {
            r.outcome = Outcome::timed_out;
        } else {
            r.outcome = r.exit_code ? Outcome::exited : Outcome::signaled;
        }
        r.out = run.out_capture.finish();
        r.err = run.err_capture.finish();
        r.duration =
            std::chrono::duration_cast<std::chrono::milliseconds>(run.main_end - run.started);
        return f;
    }

    void kill_strays(int sig) {
        for (pid_t pid : m_strays)
            signal_process(pid, sig);
        if (!m_strays.empty())
            reap_all_children();
        m_strays.clear();
    }

    void reap_all_children() {
        for (pid_t pid : m_children.read()) {
            if (is_main(pid))
                continue;
            signal_process(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }

    sigset_t m_old_mask{};
    struct sigaction m_old_pipe {};
    Fd m_sigfd;
    Fd m_devnull;
    ChildList m_children;
    std::map<RunId, Run> m_runs;
    std::vector<Finished> m_failed;
    std::vector<pid_t> m_strays;
    int m_interrupted_by = 0;
    bool m_kill_pending = false;
    // CPUs this process may run on: how many runs may be starting at once.
    const std::size_t m_cpus = usable_cpus();
    std::vector<int> m_not_default; // signals ignored or handled here
};

} // namespace

std::unique_ptr<ProcessRunner> make_system_runner(Interrupts interrupts) {
    return std::make_unique<SystemRunner>(interrupts);
}

std::optional<Identity> lookup_user(const std::string& name) {
    struct passwd pw {};
    struct passwd* result = nullptr;
    std::vector<char> buf(16384);
    if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &result) != 0 || !result)
        return std::nullopt;
    return Identity{pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir ? pw.pw_dir : ""};
}

Identity current_identity() {
    struct passwd pw {};
    struct passwd* result = nullptr;
    std::vector<char> buf(16384);
    uid_t uid = ::geteuid();
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &result) == 0 && result)
        return Identity{pw.pw_name, pw.pw_uid, pw.pw_gid, pw.pw_dir ? pw.pw_dir : ""};
    const char* home = std::getenv("HOME");
    return Identity{"uid " + std::to_string(uid), uid, ::getegid(), home ? home : "/"};
}

std::optional<std::int64_t> process_start_time(std::int64_t pid) {
    auto fields = stat_fields(pid);
    if (!fields || fields->size() <= 22)
        return std::nullopt;
    try {
        return std::stoll((*fields)[22]);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool process_alive(std::int64_t pid, std::int64_t start) {
    if (pid <= 0)
        return false;
    auto fields = stat_fields(pid);
    if (!fields || fields->size() <= 22 || (*fields)[3] == "Z" || (*fields)[3] == "X")
        return false; // gone, or a zombie: dead, only not reaped yet
    try {
        return std::stoll((*fields)[22]) == start;
    } catch (const std::exception&) {
        return false;
    }
}

bool wait_gone(std::int64_t pid, std::int64_t start, std::chrono::milliseconds limit) {
    if (!process_alive(pid, start))
        return true;
    int raw = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
    if (raw < 0) {
        if (errno == ESRCH)
            return true;
        ::usleep(static_cast<useconds_t>(limit.count()) * 1000);
        return !process_alive(pid, start);
    }
    Fd fd(raw);
    if (!process_alive(pid, start))
        return true; // gone, or the pid was reused before it was opened
    pollfd p{fd.get(), POLLIN, 0};
    int rc;
    do {
        rc = ::poll(&p, 1, static_cast<int>(limit.count()));
    } while (rc < 0 && errno == EINTR);
    return rc > 0;
}

bool signal_group(std::int64_t pgid, std::int64_t start, int signal) {
    if (pgid <= 1 || !process_alive(pgid, start))
        return false;
    return ::kill(static_cast<pid_t>(-pgid), signal) == 0;
}

const int k_stop_signal = SIGTERM;

bool kill_group(std::int64_t pgid, std::int64_t start) {
    return signal_group(pgid, start, SIGKILL);
}

int kill_marked(const std::vector<std::string>& entries) {
    if (entries.empty())
        return 0;
    const pid_t self = ::getpid();
    std::set<long> signalled;
    for (int pass = 0; pass < 10; ++pass) {
        int found = 0;
        DIR* proc = ::opendir("/proc");
        if (!proc)
            break;
        while (const dirent* d = ::readdir(proc)) {
            char* end = nullptr;
            const long pid = std::strtol(d->d_name, &end, 10);
            if (pid <= 1 || *end != '\0' || pid == self)
                continue;
            const auto env = read_proc_file("/proc/" + std::string(d->d_name) + "/environ");
            if (!env || !std::all_of(entries.begin(), entries.end(), [&](const std::string& e) {
                    return ('\0' + *env).find('\0' + e + '\0') != std::string::npos;
                }))
                continue;
            // A process that leads its group (the run's main process, a
            // daemon's new session) takes the group with it.
            if (::getpgid(static_cast<pid_t>(pid)) == pid)
                ::kill(static_cast<pid_t>(-pid), SIGKILL);
            ::kill(static_cast<pid_t>(pid), SIGKILL);
            found += signalled.insert(pid).second ? 1 : 0;
        }
        ::closedir(proc);
        if (found == 0) // none new: what was killed is dying
            break;
    }
    return static_cast<int>(signalled.size());
}

bool terminate_group(std::int64_t pgid, std::int64_t start, std::chrono::seconds grace) {
    if (!signal_group(pgid, start, SIGTERM))
        return false;
    const auto until = Clock::now() + grace;
    while (Clock::now() < until) {
        if (!process_alive(pgid, start))
            return true;
        ::usleep(20'000);
    }
    ::kill(static_cast<pid_t>(-pgid), SIGKILL);
    return true;
}

std::string boot_id() {
    // Fixed for the life of the process; read once (a supervisor asks for
    // it at every claim).
    static const std::string id = [] {
        auto text = read_proc_file("/proc/sys/kernel/random/boot_id").value_or("");
        return text.substr(0, text.find('\n'));
    }();
    return id;
}

std::string host_name() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0)
        return "localhost";
    return buf;
}

std::int64_t self_pid() {
    return ::getpid();
}

// errno_text() of a failure to create a process or a descriptor, naming
// the limit that is the usual cause.
std::string resource_text(int err) {
    switch (err) {
    case EAGAIN:
        return std::string(std::strerror(err)) + " (the process limit, ulimit -u, may be reached)";
    case EMFILE:
        return std::string(std::strerror(err)) + " (the open-file limit, ulimit -n, is reached)";
    case ENFILE:
        return std::string(std::strerror(err)) + " (the system's open-file limit is reached)";
    default:
        return std::string(std::strerror(err));
    }
}

void ignore_file_size_signal() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGXFSZ, &ign, nullptr);
}

std::string signal_name(int sig) {
    const char* abbrev = ::sigabbrev_np(sig);
    return abbrev ? abbrev : std::to_string(sig);
}

} // namespace schedule::exec
