#pragma once
// What every use case needs from the outside world, passed explicitly:
// the store, the clock, the host, the acting user and the settings in force.

#include <schedule/exec/host.hpp>
#include <schedule/model/settings.hpp>
#include <schedule/store/store.hpp>
#include <schedule/time/clock.hpp>
#include <schedule/time/zone.hpp>

#include <memory>
#include <optional>
#include <string>

namespace schedule::service {

// The facts of the process environment a use case may depend on.
struct Environment {
    std::string user;                        // the acting user, recorded in events
    std::optional<std::string> tz;           // $TZ
    std::optional<std::string> schedule_now; // $SCHEDULE_NOW, or `tick --now`
    std::string now_source = "SCHEDULE_NOW"; // named in errors about it
};

class Context {
public:
    // With an explicit clock (tests, simulations) and host (the real one
    // unless a test gives its own). Reads the settings.
    Context(store::Store& store, const time::Clock& clock, Environment env,
            exec::Host& host = exec::system_host());
    // With the clock commands use: SCHEDULE_NOW when set (read in the default
    // zone when it has no offset, then moving with the steady clock), else
    // the system clock. Throws ValidationError for an unreadable SCHEDULE_NOW.
    Context(store::Store& store, Environment env, exec::Host& host = exec::system_host());

    store::Store& store;
    const model::Settings settings;

    const time::Clock& clock() const { return *m_clock; }
    time::Instant now() const { return m_clock->now(); }
    const std::string& user() const { return m_env.user; }
    // Boot id, process liveness, process groups, users, the steady clock.
    exec::Host& host() const { return *m_host; }

    // The zone for new jobs and for times written without an offset: config
    // `timezone`, else $TZ, else /etc/localtime, else UTC (schedule(1), TIME).
    // Resolved on first use, since it may load the tz database.
    const time::Zone& default_zone();
    // The zone named `name` (a --tz value; ValidationError naming --tz when
    // it is unknown), or the default zone when no name is given.
    time::Zone default_zone_unless(const std::optional<std::string>& name);
    // The zone the host gives, ignoring config `timezone`: $TZ, else
    // /etc/localtime, else UTC (the setting's default). A $TZ that names no
    // zone (a POSIX rule, an unknown name) is passed over with a warning,
    // logged once per process.
    const time::Zone& host_zone();

private:
    Environment m_env;
    std::unique_ptr<time::Clock> m_own_clock;
    const time::Clock* m_clock;
    exec::Host* m_host;
    std::optional<time::Zone> m_default_zone;
    std::optional<time::Zone> m_host_zone;
};

} // namespace schedule::service
