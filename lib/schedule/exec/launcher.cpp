#include <schedule/exec/launcher.hpp>
#include <schedule/exec/process.hpp>
#include <schedule/util/error.hpp>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace schedule::exec {

namespace {

std::string self_exe() {
    char buf[PATH_MAX];
    auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        throw util::RuntimeFailure("cannot find the schedule executable: " +
                                   std::string(std::strerror(errno)));
    return std::string(buf, static_cast<std::size_t>(n));
}

// True when fd 2 is the stream systemd named in $JOURNAL_STREAM ("dev:ino").
bool stderr_is_journal() {
    const char* js = std::getenv("JOURNAL_STREAM");
    if (!js)
        return false;
    struct stat st {};
    if (::fstat(2, &st) != 0)
        return false;
    return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) == js;
}

} // namespace

SupervisorLauncher::SupervisorLauncher(std::string store_path, std::optional<std::string> now)
    : m_store_path(std::move(store_path)), m_now(std::move(now)) {}

SupervisorLauncher::~SupervisorLauncher() {
    release();
}

void SupervisorLauncher::release() {
    if (m_go >= 0)
        ::close(m_go);
    m_go = -1;
}

SupervisorId SupervisorLauncher::start() {
    release();
    std::vector<std::string> args = {self_exe(), "__supervise", "--store", m_store_path};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    bool keep_stderr = stderr_is_journal();
    std::string now_env = m_now ? "SCHEDULE_NOW=" + *m_now : "";

    int go[2];     // the supervisor's stdin: EOF means "go"
    int report[2]; // the supervisor's pid, from the middle process
    if (::pipe2(go, O_CLOEXEC) != 0)
        throw util::RuntimeFailure("cannot start a supervisor: " + resource_text(errno));
    if (::pipe2(report, O_CLOEXEC) != 0) {
        ::close(go[0]);
        ::close(go[1]);
        throw util::RuntimeFailure("cannot start a supervisor: " + resource_text(errno));
    }

    // Double fork: the supervisor is re-parented away from us, in its own
    // session, so it outlives this process and its terminal.
    pid_t first = ::fork();
    if (first < 0) {
        int err = errno;
        for (int fd : {go[0], go[1], report[0], report[1]})
            ::close(fd);
        throw util::RuntimeFailure("cannot start a supervisor: " + resource_text(err));
    }
    if (first == 0) {
        ::setsid();
        pid_t second = ::fork();
        if (second != 0) {
            std::int64_t pid = second;
            ssize_t n = second > 0 ? ::write(report[1], &pid, sizeof pid) : -1;
            ::_exit(n == sizeof pid ? 0 : 1);
        }
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(go[0], 0);
        ::dup2(devnull, 1);
        if (!keep_stderr)
            ::dup2(devnull, 2);
        // fd 3: the report pipe, closed by a successful exec (close-on-exec),
        // so the launcher returns only once the supervisor is running.
        ::dup3(report[1], 3, O_CLOEXEC);
        ::close_range(4, ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (!now_env.empty())
            ::putenv(now_env.data());
        ::execv(argv[0], argv.data());
        int err = errno;
        ssize_t ignored = ::write(3, &err, sizeof err);
        (void)ignored;
        ::_exit(127);
    }
    ::close(go[0]);
    ::close(report[1]);
    std::int64_t pid = 0;
    ssize_t n;
    while ((n = ::read(report[0], &pid, sizeof pid)) < 0 && errno == EINTR) {
    }
    // Then EOF once the supervisor has exec'd, or its errno if exec failed.
    int exec_errno = 0;
    ssize_t m;
    while ((m = ::read(report[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
    }
    ::close(report[0]);
    if (m == sizeof exec_errno) {
        ::close(go[1]);
        int status = 0;
        while (::waitpid(first, &status, 0) < 0 && errno == EINTR) {
        }
        throw util::RuntimeFailure("cannot start a supervisor: " +
                                   std::string(std::strerror(exec_errno)));
    }
    int status = 0;
    while (::waitpid(first, &status, 0) < 0 && errno == EINTR) {
    }
    if (n != sizeof pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ::close(go[1]);
        throw util::RuntimeFailure("cannot start a supervisor");
    }
    auto start = process_start_time(pid);
    if (!start) {
        ::close(go[1]);
        throw util::RuntimeFailure("the supervisor died as it started");
    }
    m_go = go[1];
    return {pid, *start};
}

} // namespace schedule::exec
