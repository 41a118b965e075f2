#pragma once
// Waiting between the polls of a command that runs until it is stopped
// (`events --follow`): for a signal that asks it to stop, for the reader of
// its output to go away, or for the next poll.

#include <chrono>
#include <memory>

namespace schedule::exec {

class Waiter {
public:
    // While a Waiter exists, SIGINT, SIGTERM and SIGHUP are blocked and read
    // through a signalfd, and SIGPIPE is ignored, so that a write to a pipe
    // nobody reads fails (EPIPE) instead of killing the process. Throws
    // util::RuntimeFailure when the kernel refuses the setup.
    Waiter();
    // Restores the signal mask and SIGPIPE's disposition.
    ~Waiter();
    Waiter(const Waiter&) = delete;
    Waiter& operator=(const Waiter&) = delete;

    enum class Wake {
        timeout,     // `limit` passed
        signal,      // a stop signal came (signal())
        output_gone, // `output_fd` reports an error or hang-up: its reader is gone
    };
    // Blocks up to `limit`. A pipe whose reader has closed it reports an
    // error on its writing end; a regular file or /dev/null never does.
    Wake wait(std::chrono::milliseconds limit, int output_fd);
    // The stop signal that came (SIGINT, SIGTERM or SIGHUP), or 0.
    int signal() const { return m_signal; }

private:
    struct Saved; // the signal mask and SIGPIPE disposition to restore
    std::unique_ptr<Saved> m_saved;
    int m_fd = -1; // the signalfd
    int m_signal = 0;
};

} // namespace schedule::exec
