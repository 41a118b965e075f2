#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <pty.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace schedule::test {

namespace fs = std::filesystem;

std::string binary() {
    return SCHEDULE_BINARY;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string w; in >> w;)
        out.push_back(w);
    return out;
}

std::string read_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void require_program(const Sandbox& sb, const std::string& program, const std::string& package) {
    const bool found = sb.run_program({"sh", "-c", "command -v \"$0\"", program}).exit_code == 0;
    REQUIRE_MESSAGE(found, program << " is missing: install the " << package
                                   << " package (scripts/deps.sh test)");
}

Args concat(Args a, const Args& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Args as_nobody(const Args& argv) {
    const auto id = std::to_string(k_nobody);
    return concat({"setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups"}, argv);
}

std::filesystem::path nobody_dir(const Sandbox& sb, const std::string& name) {
    namespace fs = std::filesystem;
    const auto dir = sb.dir() / name;
    fs::create_directories(dir);
    fs::permissions(sb.dir(),
                    fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
    REQUIRE_MESSAGE(::chown(dir.c_str(), k_nobody, k_nobody) == 0,
                    "cannot give " << dir << " to nobody: " << std::strerror(errno));
    return dir;
}

void check_error_line(const RunResult& r, const std::string& names) {
    INFO("stderr: " << r.err);
    CHECK(r.err.rfind("schedule: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK((!r.err.empty() && r.err.back() == '\n'));
    CHECK(std::none_of(r.err.begin(), r.err.end() - (r.err.empty() ? 0 : 1),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20; }));
    if (!names.empty())
        CHECK(r.err.find(names) != std::string::npos);
}

namespace {

std::vector<char*> c_strings(std::vector<std::string>& v) {
    std::vector<char*> out;
    for (auto& s : v)
        out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

// Writes `input` to fd `in` (then closes it) while draining `out` and `err`.
void pump(int in, const std::string& input, int out, std::string& out_text, int err,
          std::string& err_text) {
    std::size_t written = 0;
    if (input.empty() && in >= 0) {
        ::close(in);
        in = -1;
    }
    while (in >= 0 || out >= 0 || err >= 0) {
        pollfd fds[3];
        int n = 0;
        int idx_in = -1, idx_out = -1, idx_err = -1;
        if (in >= 0) {
            fds[n] = {in, POLLOUT, 0};
            idx_in = n++;
        }
        if (out >= 0) {
            fds[n] = {out, POLLIN, 0};
            idx_out = n++;
        }
        if (err >= 0) {
            fds[n] = {err, POLLIN, 0};
            idx_err = n++;
        }
        if (::poll(fds, nfds_t(n), 60000) <= 0)
            throw std::runtime_error("child produced no output for 60s");
        char buf[65536];
        auto drain = [&](int idx, int& fd, std::string& text) {
            if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR)))
                return;
            auto r = ::read(fd, buf, sizeof buf);
            if (r > 0) {
                text.append(buf, std::size_t(r));
            } else if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) {
                ::close(fd);
                fd = -1;
            }
        };
        drain(idx_out, out, out_text);
        drain(idx_err, err, err_text);
        if (idx_in >= 0 && (fds[idx_in].revents & (POLLOUT | POLLERR | POLLHUP))) {
            auto w = ::write(in, input.data() + written, input.size() - written);
            if (w > 0)
                written += std::size_t(w);
            if (w < 0 || written == input.size()) {
                ::close(in);
                in = -1;
            }
        }
    }
}

} // namespace

Sandbox::Sandbox() {
    std::string tmpl = (fs::temp_directory_path() / "schedule-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    m_dir = tmpl;
    fs::create_directories(m_dir / "home");
    env["SCHEDULE_STORE"] = store().string();
    env["SCHEDULE_NOW"] = "2026-01-15T10:00:00Z";
    env["TZ"] = "UTC";
    env["HOME"] = (m_dir / "home").string();
    env["PATH"] = "/usr/local/bin:/usr/bin:/bin";
    env["LANG"] = "C.UTF-8";
}

Sandbox::~Sandbox() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
}

std::vector<std::string> Sandbox::environ_strings() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : env)
        if (v)
            out.push_back(k + "=" + *v);
    return out;
}

RunResult Sandbox::run_program(const std::vector<std::string>& argv_in,
                               const std::string& input) const {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (::pipe2(in_pipe, O_CLOEXEC) || ::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC))
        throw std::runtime_error("pipe failed");
    std::vector<std::string> argv = argv_in;
    std::vector<std::string> envs = environ_strings();
    auto c_argv = c_strings(argv);
    auto c_env = c_strings(envs);
    std::string path = env.count("PATH") && env.at("PATH") ? *env.at("PATH") : "/usr/bin:/bin";
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in_pipe[0], 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::signal(SIGPIPE, SIG_DFL);
        if (argv[0].find('/') != std::string::npos) {
            ::execve(argv[0].c_str(), c_argv.data(), c_env.data());
        } else {
            for (const auto& dir :
                 {std::string("/usr/local/bin"), std::string("/usr/bin"), std::string("/bin")}) {
                std::string full = dir + "/" + argv[0];
                ::execve(full.c_str(), c_argv.data(), c_env.data());
            }
        }
        ::_exit(127);
    }
    ::close(in_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    RunResult r;
    ::signal(SIGPIPE, SIG_IGN);
    pump(in_pipe[1], input, out_pipe[0], r.out, err_pipe[0], r.err);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exit_code = decode_status(status);
    return r;
}

RunResult Sandbox::run(const std::vector<std::string>& args, const std::string& input) const {
    std::vector<std::string> argv{binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_program(argv, input);
}

RunResult Sandbox::run_tty(const std::vector<std::string>& args, const std::string& input) const {
    std::vector<std::string> argv{binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> envs = environ_strings();
    envs.push_back("TERM=xterm");
    auto c_argv = c_strings(argv);
    auto c_env = c_strings(envs);
    int master = -1;
    pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
    if (pid < 0)
        throw std::runtime_error("forkpty failed");
    if (pid == 0) {
        ::execve(argv[0].c_str(), c_argv.data(), c_env.data());
        ::_exit(127);
    }
    RunResult r;
    std::size_t written = 0;
    bool hung_up = false;
    for (;;) {
        pollfd pfd{master, short(POLLIN | (written < input.size() ? POLLOUT : 0)), 0};
        if (::poll(&pfd, 1, 60000) <= 0)
            break;
        if (pfd.revents & POLLIN) {
            char buf[4096];
            auto n = ::read(master, buf, sizeof buf);
            if (n <= 0) {
                hung_up = true;
                break;
            }
            r.out.append(buf, std::size_t(n));
        } else if (pfd.revents & POLLOUT) {
            auto n = ::write(master, input.data() + written, input.size() - written);
            if (n > 0)
                written += std::size_t(n);
        } else if (pfd.revents & (POLLHUP | POLLERR)) {
            hung_up = true;
            break;
        }
    }
    int status = 0;
    if (hung_up) {
        // The program closed the terminal. The kernel moves what it wrote
        // last to the master side after the hangup may already show (on a
        // busy machine, visibly later): once the program has exited, read
        // until nothing is left.
        ::waitpid(pid, &status, 0);
        for (char buf[4096];;) {
            pollfd pfd{master, POLLIN, 0};
            if (::poll(&pfd, 1, 100) <= 0)
                break;
            auto n = ::read(master, buf, sizeof buf);
            if (n <= 0)
                break;
            r.out.append(buf, std::size_t(n));
        }
        ::close(master);
    } else {
        ::close(master); // a program still running gets SIGHUP
        ::waitpid(pid, &status, 0);
    }
    r.exit_code = decode_status(status);
    return r;
}

std::string Sandbox::dump() const {
    if (!fs::exists(store()))
        return {};
    auto r = run_program({"sqlite3", store().string(), ".dump"});
    REQUIRE_MESSAGE(r.exit_code == 0, "sqlite3 .dump failed: " << r.err);
    return r.out;
}

std::string Sandbox::ok(const std::vector<std::string>& args) const {
    auto r = run(args);
    INFO("schedule stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
}

nlohmann::json Sandbox::json(std::vector<std::string> args) const {
    args.push_back("--format");
    args.push_back("json");
    auto out = ok(args);
    try {
        return nlohmann::json::parse(out);
    } catch (const std::exception& e) {
        FAIL("not JSON: " << out);
        return {};
    }
}

} // namespace schedule::test
