// Run function of `doctor`, and the stale-tick warning of `job list` and
// `queue`.

#include "commands.hpp"

#include <schedule/format/doctor.hpp>
#include <schedule/service/doctor.hpp>
#include <schedule/time/clock.hpp>
#include <schedule/util/error.hpp>

#include <spdlog/spdlog.h>

namespace schedule::app {

int run_doctor(Invocation& inv) {
    service::DoctorInputs in;
    in.store = inv.store_location();
    in.tz = env_var("TZ");
    in.xdg_state_home = env_var("XDG_STATE_HOME");
    in.home = env_var("HOME");
    in.now = time::SystemClock().now(); // when the store cannot be opened
    try {
        in.ctx = &inv.context();
    } catch (const util::StoreError& e) {
        // A store that cannot be opened is what doctor reports, not an end.
        in.open_error.emplace(e.what(), e.hint());
    }
    const auto report = service::doctor(in);
    std::vector<format::CheckLine> lines;
    for (const auto& c : report.checks)
        lines.push_back({std::string(service::to_string(c.status)), c.name, c.message, c.fix});
    if (inv.output_format() == "json") {
        inv.print(format::doctor_json(lines));
    } else {
        inv.print(format::doctor_text(lines, inv.color()));
    }
    return report.failed() ? 1 : 0;
}

void warn_when_ticks_stopped(Invocation& inv) {
    if (auto warning = service::stale_tick_warning(inv.context()))
        spdlog::warn("{}", *warning);
}

} // namespace schedule::app
