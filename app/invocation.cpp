#include "invocation.hpp"

#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace schedule::app {

namespace {
spdlog::level::level_enum stderr_level(const GlobalOptions& o) {
    if (o.quiet)
        return spdlog::level::err;
    switch (o.verbose) {
    case 0:
        return spdlog::level::warn;
    case 1:
        return spdlog::level::info;
    case 2:
        return spdlog::level::debug;
    default:
        return spdlog::level::trace;
    }
}
} // namespace

std::optional<std::string> env_var(const char* name) {
    const char* v = std::getenv(name);
    if (!v)
        return std::nullopt;
    return std::string(v);
}

void configure_stderr_logging(const GlobalOptions& options) {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    sink->set_pattern("schedule: %l: %v");
    sink->set_level(stderr_level(options));
    auto logger = std::make_shared<spdlog::logger>("schedule", sink);
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

Invocation::Invocation(const GlobalOptions& options, const CommandInfo& command)
    : m_options(options), m_command(command) {}

Invocation::~Invocation() = default;

void Invocation::configure_logging(const model::Settings& settings) {
    auto logger = spdlog::default_logger();
    auto configured = spdlog::level::from_str(settings.log_level);
    if (!m_options.quiet && m_options.verbose == 0 && configured < spdlog::level::warn) {
        // log.level below warn shows the extra detail on stderr too.
        logger->sinks().front()->set_level(configured);
    }
    if (settings.log_file) {
        try {
            auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(*settings.log_file);
            file->set_pattern("%Y-%m-%dT%H:%M:%S%z [%P] %l: %v");
            file->set_level(configured);
            logger->sinks().push_back(file);
        } catch (const spdlog::spdlog_ex& e) {
            spdlog::warn("cannot open log.file {}: {}", util::escape_control(*settings.log_file),
                         util::escape_control(e.what()));
        }
    }
}

service::Context& Invocation::context() {
    if (m_context)
        return *m_context;
    auto path =
        store::locate({m_options.store.empty() ? std::nullopt : std::optional(m_options.store),
                       env_var("SCHEDULE_STORE"), util::running_as_root(),
                       env_var("XDG_STATE_HOME"), env_var("HOME")});
    m_store.emplace(store::Store::open(
        path, m_command.access == StoreAccess::write ? store::Access::write : store::Access::read));
    service::Environment env{util::current_user_name(), env_var("TZ"), env_var("SCHEDULE_NOW")};
    if (m_now_override) {
        env.schedule_now = m_now_override->first;
        env.now_source = m_now_override->second;
    }
    m_context = std::make_unique<service::Context>(*m_store, std::move(env));
    configure_logging(m_context->settings);
    return *m_context;
}

exec::SupervisorLauncher Invocation::supervisor_launcher() {
    auto& ctx = context();
    std::optional<std::string> now;
    if (m_now_override || env_var("SCHEDULE_NOW"))
        now = time::format_iso_utc(ctx.now());
    return exec::SupervisorLauncher(ctx.store.path().string(), now);
}

void Invocation::raise_stderr_logging(int level) {
    auto& sink = spdlog::default_logger()->sinks().front();
    auto wanted = static_cast<spdlog::level::level_enum>(level);
    if (sink->level() > wanted)
        sink->set_level(wanted);
}

void Invocation::override_now(std::string value, std::string source) {
    m_now_override.emplace(std::move(value), std::move(source));
}

format::Style Invocation::style() {
    auto& ctx = context();
    format::Style s;
    auto no_color = env_var("NO_COLOR");
    s.color = !m_options.no_color && !(no_color && !no_color->empty()) && ::isatty(STDOUT_FILENO);
    s.terminal = ::isatty(STDOUT_FILENO);
    s.utc = m_options.utc;
    s.now = ctx.now();
    s.default_zone = ctx.default_zone();
    return s;
}

void Invocation::print(std::string_view text) const {
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    std::cout.flush();
}

bool Invocation::stdin_is_terminal() const {
    return ::isatty(STDIN_FILENO);
}

bool Invocation::confirm(std::string_view question) const {
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer))
        return false;
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

} // namespace schedule::app
