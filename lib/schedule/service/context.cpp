#include <schedule/service/context.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/error.hpp>

#include <spdlog/spdlog.h>

#include <atomic>

namespace schedule::service {

Context::Context(store::Store& s, const time::Clock& c, Environment env, exec::Host& host)
    : store(s), settings(model::Settings::from_stored(s.config_rows())), m_env(std::move(env)),
      m_clock(&c), m_host(&host) {}

Context::Context(store::Store& s, Environment env, exec::Host& host)
    : store(s), settings(model::Settings::from_stored(s.config_rows())), m_env(std::move(env)),
      m_clock(nullptr), m_host(&host) {
    if (m_env.schedule_now) {
        // An explicit offset needs no zone, which keeps the tz database unloaded.
        auto parsed = time::parse_iso8601(*m_env.schedule_now);
        if (!parsed)
            throw util::ValidationError(m_env.now_source.c_str(), parsed.error());
        auto t = parsed->offset ? time::Instant{parsed->local.time_since_epoch() - *parsed->offset}
                                : default_zone().resolve(parsed->local).first;
        m_own_clock = std::make_unique<time::OffsetClock>(t);
    } else {
        m_own_clock = std::make_unique<time::SystemClock>();
    }
    m_clock = m_own_clock.get();
}

const time::Zone& Context::default_zone() {
    if (!m_default_zone)
        m_default_zone =
            settings.timezone ? time::Zone::host_default(settings.timezone, m_env.tz) : host_zone();
    return *m_default_zone;
}

time::Zone Context::default_zone_unless(const std::optional<std::string>& name) {
    if (!name)
        return default_zone();
    auto z = time::Zone::locate(*name);
    if (!z)
        throw util::ValidationError("--tz", z.error());
    return *z;
}

const time::Zone& Context::host_zone() {
    if (!m_host_zone) {
        m_host_zone = time::Zone::host_default(std::nullopt, m_env.tz);
        // Once per process, however many contexts it makes.
        static std::atomic<bool> warned{false};
        if (auto problem = time::Zone::tz_problem(m_env.tz); problem && !warned.exchange(true))
            spdlog::warn("{}; the default zone is {}", *problem, m_host_zone->name());
    }
    return *m_host_zone;
}

} // namespace schedule::service
