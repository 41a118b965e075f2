#include <schedule/exec/probe.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace schedule::exec {

namespace {

constexpr std::size_t k_max_answer = 64 * 1024;

} // namespace

std::optional<CommandAnswer> ask_command(const std::vector<std::string>& argv,
                                         std::chrono::milliseconds limit) {
    if (argv.empty())
        return std::nullopt;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return std::nullopt;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (spawned != 0) {
        ::close(fds[0]);
        return std::nullopt;
    }
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto left = [&] {
        return std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count());
    };
    CommandAnswer answer;
    bool timed_out = false;
    for (;;) {
        struct pollfd p {
            fds[0], POLLIN, 0
        };
        const int ready = ::poll(&p, 1, static_cast<int>(left()));
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0) {
            timed_out = true;
            break;
        }
        char buf[4096];
        const auto n = ::read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (answer.out.size() < k_max_answer)
            answer.out.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n),
                                                         k_max_answer - answer.out.size()));
    }
    ::close(fds[0]);
    if (timed_out)
        ::kill(pid, SIGKILL);
    int status = 0;
    for (;;) {
        const auto waited = ::waitpid(pid, &status, timed_out ? 0 : WNOHANG);
        if (waited == pid)
            break;
        if (waited < 0) {
            if (errno == EINTR)
                continue;
            return std::nullopt;
        }
        if (waited == 0) {
            if (left() == 0) {
                timed_out = true;
                ::kill(pid, SIGKILL);
            } else {
                ::usleep(5000);
            }
        }
    }
    if (timed_out || !WIFEXITED(status))
        return std::nullopt;
    answer.exit_code = WEXITSTATUS(status);
    return answer;
}

bool process_named(const std::vector<std::string>& names) {
    std::error_code ec;
    for (std::filesystem::directory_iterator it("/proc", ec), end; !ec && it != end;
         it.increment(ec)) {
        const auto pid = it->path().filename().string();
        if (pid.empty() || !std::all_of(pid.begin(), pid.end(), ::isdigit))
            continue;
        std::ifstream in(it->path() / "comm");
        std::string comm;
        if (std::getline(in, comm) && std::find(names.begin(), names.end(), comm) != names.end())
            return true;
    }
    return false;
}

} // namespace schedule::exec
