#include <schedule/exec/launcher.hpp>
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

void SupervisorLauncher::launch(const std::vector<std::int64_t>& execution_ids) {
    std::vector<std::string> args = {self_exe(), "__supervise", "--store", m_store_path};
    for (auto id : execution_ids)
        args.push_back(std::to_string(id));
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    bool keep_stderr = stderr_is_journal();
    std::string now_env = m_now ? "SCHEDULE_NOW=" + *m_now : "";

    // Double fork: the supervisor is re-parented away from us, in its own
    // session, so it outlives this process and its terminal.
    pid_t first = ::fork();
    if (first < 0)
        throw util::RuntimeFailure("cannot start a supervisor: " +
                                   std::string(std::strerror(errno)));
    if (first == 0) {
        ::setsid();
        pid_t second = ::fork();
        if (second != 0)
            ::_exit(second < 0 ? 1 : 0);
        int devnull = ::open("/dev/null", O_RDWR);
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        if (!keep_stderr)
            ::dup2(devnull, 2);
        ::close_range(3, ~0U, 0);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        if (!now_env.empty())
            ::putenv(now_env.data());
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(first, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw util::RuntimeFailure("cannot start a supervisor");
}

} // namespace schedule::exec
