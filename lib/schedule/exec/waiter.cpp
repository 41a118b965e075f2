#include <schedule/exec/waiter.hpp>
#include <schedule/util/error.hpp>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace schedule::exec {

struct Waiter::Saved {
    sigset_t mask;
    struct sigaction pipe;
};

namespace {

sigset_t stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

} // namespace

Waiter::Waiter() : m_saved(std::make_unique<Saved>()) {
    sigset_t set = stop_signals();
    if (::sigprocmask(SIG_BLOCK, &set, &m_saved->mask) != 0)
        throw util::RuntimeFailure(std::string("cannot block signals: ") + std::strerror(errno));
    m_fd = ::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (m_fd < 0) {
        int err = errno;
        ::sigprocmask(SIG_SETMASK, &m_saved->mask, nullptr);
        throw util::RuntimeFailure(std::string("cannot create a signalfd: ") + std::strerror(err));
    }
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ign, &m_saved->pipe);
}

Waiter::~Waiter() {
    ::sigaction(SIGPIPE, &m_saved->pipe, nullptr);
    ::close(m_fd);
    ::sigprocmask(SIG_SETMASK, &m_saved->mask, nullptr);
}

Waiter::Wake Waiter::wait(std::chrono::milliseconds limit, int output_fd) {
    // events 0 on the output: only errors and hang-ups are reported.
    struct pollfd fds[2] = {{m_fd, POLLIN, 0}, {output_fd, 0, 0}};
    int n = ::poll(fds, 2, static_cast<int>(limit.count()));
    if (n <= 0)
        return Wake::timeout; // EINTR counts as a poll that found nothing
    if (fds[0].revents & POLLIN) {
        signalfd_siginfo info{};
        if (::read(m_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
            m_signal = static_cast<int>(info.ssi_signo);
            return Wake::signal;
        }
    }
    if (fds[1].revents & (POLLERR | POLLHUP | POLLNVAL))
        return Wake::output_gone;
    return Wake::timeout;
}

} // namespace schedule::exec
