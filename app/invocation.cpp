#include "invocation.hpp"

#include <schedule/time/iso8601.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/fs.hpp>
#include <schedule/util/system.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <unistd.h>
#include <vector>

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

std::string read_input(const std::string& path, std::string_view flag) {
    const std::string name(flag);
    if (path.empty())
        throw util::UsageError(name + ": give a file name, or - for standard input");
    auto too_large = [&] {
        return util::UsageError(name + ": larger than " + std::to_string(k_max_input_bytes) +
                                    " bytes",
                                "a backup document or job file is read whole, at most " +
                                    std::to_string(k_max_input_bytes >> 30) + " GiB");
    };
    std::ifstream file;
    std::istream* in = &std::cin;
    std::string text;
    if (path != "-") {
        std::error_code ec;
        if (std::filesystem::is_directory(path, ec))
            throw util::UsageError(name + ": " + path + " is a directory");
        file.open(path, std::ios::binary);
        if (!file)
            throw util::UsageError(name + ": cannot read " + path + ": " +
                                   std::error_code(errno, std::generic_category()).message());
        in = &file;
        // A regular file is refused by its size, before it is read.
        const auto size = std::filesystem::file_size(path, ec);
        if (!ec && size > k_max_input_bytes)
            throw too_large();
        if (!ec)
            text.reserve(size);
    }
    // Read in blocks up to the limit: /dev/zero or an endless pipe ends in
    // an error, not in all the memory there is.
    std::vector<char> block(64 * 1024);
    while (*in) {
        in->read(block.data(), static_cast<std::streamsize>(block.size()));
        const auto n = static_cast<std::size_t>(in->gcount());
        if (n > k_max_input_bytes - text.size())
            throw too_large();
        text.append(block.data(), n);
    }
    if (in->bad())
        throw util::UsageError(name + ": cannot read " + path);
    return text;
}

std::filesystem::path output_directory(const std::filesystem::path& dir, std::string_view flag,
                                       const std::string& given) {
    auto resolved = util::resolve_output_directory(dir);
    if (const auto& d = resolved.distrust)
        throw util::ValidationError(
            std::string(flag),
            "cannot write to " + given + ": " + d->path.string() + " is " + d->why +
                ", so someone else could choose where it is written",
            "write where only you and root can change the path, or to standard output");
    return resolved.path;
}

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
    : m_options(options), m_command(command) {
    if (m_options.store && m_options.store->empty())
        throw util::UsageError("--store: the path is empty",
                               "omit --store to use $SCHEDULE_STORE or the default store");
}

Invocation::~Invocation() {
    // The log.file sink reads this invocation's clock: it goes first.
    auto& sinks = spdlog::default_logger()->sinks();
    if (sinks.size() > 1)
        sinks.resize(1);
}

namespace {

// Appends formatted lines to log.file: opened once with util::open_append
// (no symbolic link is followed; a new file is 0600, 0640 for root) and
// written with write(2), one call per line, so lines of processes sharing
// the file never interleave.
class LogFileSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit LogFileSink(const std::string& path)
        : m_fd(util::open_append(path, util::running_as_root() ? 0640 : 0600)) {}
    ~LogFileSink() override { ::close(m_fd); }
    LogFileSink(const LogFileSink&) = delete;
    LogFileSink& operator=(const LogFileSink&) = delete;

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        const char* p = line.data();
        std::size_t left = line.size();
        while (left > 0) {
            auto n = ::write(m_fd, p, left);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                return; // a full disk loses log lines, never the command's work
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }
    void flush_() override {}

private:
    int m_fd;
};

// `%*` in a pattern: the command's own time (SCHEDULE_NOW when set), in the
// default zone, as ISO-8601 with its offset.
class ClockFlag final : public spdlog::custom_flag_formatter {
public:
    explicit ClockFlag(std::function<std::string()> now) : m_now(std::move(now)) {}
    void format(const spdlog::details::log_msg&, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        auto text = m_now();
        dest.append(text.data(), text.data() + text.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<ClockFlag>(m_now);
    }

private:
    std::function<std::string()> m_now;
};

} // namespace

void Invocation::configure_logging(const model::Settings& settings) {
    auto logger = spdlog::default_logger();
    auto configured = spdlog::level::from_str(settings.log_level);
    if (!m_options.quiet && m_options.verbose == 0 && configured < spdlog::level::warn) {
        // log.level below warn shows the extra detail on stderr too.
        logger->sinks().front()->set_level(configured);
    }
    if (!settings.log_file || m_store->distrust())
        return;
    try {
        auto file = std::make_shared<LogFileSink>(*settings.log_file);
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter
            ->add_flag<ClockFlag>('*',
                                  [this] {
                                      auto now = m_context->now();
                                      try {
                                          return time::format_iso(now, m_context->default_zone());
                                      } catch (const std::exception&) {
                                          return time::format_iso_utc(now);
                                      }
                                  })
            .set_pattern("%* [%P] %l: %v");
        file->set_formatter(std::move(formatter));
        // The commands that run jobs log each fire, skip, recovery and end
        // at info: the file keeps that record whatever -q or log.level say
        // about stderr (a lower log.level adds more).
        file->set_level(m_command.access == StoreAccess::run
                            ? std::min(configured, spdlog::level::info)
                            : configured);
        logger->sinks().push_back(file);
    } catch (const std::exception& e) {
        spdlog::warn("cannot open log.file {}: {}", util::escape_control(*settings.log_file),
                     util::escape_control(e.what()));
    }
}

std::filesystem::path Invocation::store_location() const {
    return store::locate({m_options.store, env_var("SCHEDULE_STORE"), util::running_as_root(),
                          env_var("XDG_STATE_HOME"), env_var("HOME")});
}

service::Context& Invocation::context() {
    if (m_context)
        return *m_context;
    auto path = store_location();
    auto access = m_command.access == StoreAccess::run && !m_read_only   ? store::Access::run
                  : m_command.access == StoreAccess::read || m_read_only ? store::Access::read
                                                                         : store::Access::write;
    m_store.emplace(store::Store::open(path, access));
    if (const auto& d = m_store->distrust()) {
        // Reading and editing jobs may go on; running them would be refused.
        // Its log.file is not obeyed: someone else may have chosen it.
        const bool writes = d->stops != util::Distrust::Stops::running;
        spdlog::warn("the store {} is not safe to run jobs from: {} is {}; tick and job run "
                     "refuse it{}, and its log.file setting is ignored (hint: {})",
                     util::escape_control(m_store->path().string()),
                     util::escape_control(d->path.string()), d->why, writes ? ", so do writes" : "",
                     util::escape_control(d->fix));
    }
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

bool Invocation::color() const {
    auto no_color = env_var("NO_COLOR");
    return !m_options.no_color && !(no_color && !no_color->empty()) && ::isatty(STDOUT_FILENO);
}

format::Style Invocation::style() {
    auto& ctx = context();
    format::Style s;
    s.color = color();
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

bool Invocation::print_now(std::string_view text) const {
    print(text);
    return static_cast<bool>(std::cout);
}

bool Invocation::stdin_is_terminal() const {
    return ::isatty(STDIN_FILENO);
}

bool Invocation::stderr_is_terminal() const {
    return ::isatty(STDERR_FILENO);
}

bool Invocation::confirm(std::string_view question) const {
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer))
        return false;
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

} // namespace schedule::app
