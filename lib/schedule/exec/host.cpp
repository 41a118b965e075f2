#include <schedule/exec/host.hpp>

#include <thread>

namespace schedule::exec {

namespace {

class SystemHost final : public Host {
public:
    std::string boot_id() override {
        static const std::string id = exec::boot_id();
        return id;
    }
    std::string host_name() override {
        static const std::string name = exec::host_name();
        return name;
    }
    ProcessId self() override {
        static const ProcessId me{self_pid(), process_start_time(self_pid()).value_or(0)};
        return me;
    }
    bool process_alive(std::int64_t pid, std::int64_t start) override {
        return exec::process_alive(pid, start);
    }
    bool kill_group(std::int64_t pgid, std::int64_t start) override {
        return exec::kill_group(pgid, start);
    }
    int kill_marked(const std::vector<std::string>& entries) override {
        return exec::kill_marked(entries);
    }
    bool terminate_group(std::int64_t pgid, std::int64_t start,
                         std::chrono::seconds grace) override {
        return exec::terminate_group(pgid, start, grace);
    }
    bool wait_gone(std::int64_t pid, std::int64_t start, std::chrono::milliseconds limit) override {
        return exec::wait_gone(pid, start, limit);
    }
    std::optional<Identity> lookup_user(const std::string& name) override {
        return exec::lookup_user(name);
    }
    Identity current_identity() override {
        static const Identity me = exec::current_identity();
        return me;
    }
    SteadyTime steady_now() override { return std::chrono::steady_clock::now(); }
    void sleep_for(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }
};

} // namespace

Host& system_host() {
    static SystemHost host;
    return host;
}

} // namespace schedule::exec
