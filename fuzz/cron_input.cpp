#include "cron_input.hpp"
#include "fuzz_checks.hpp"

#include <schedule/cron/next.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>

#include <string_view>

namespace schedule::fuzz {

int cron_input(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    (void)time::parse_duration(text);
    (void)time::parse_iso8601(text);
    (void)model::parse_daily(text);
    (void)model::parse_weekly(text);
    (void)model::parse_monthly(text);

    auto expr = cron::parse(text);
    if (!expr) {
        require(!expr.error().empty());
        return 0;
    }
    if (expr->reboot)
        return 0;
    // A parsed expression names at least one value in every field.
    require(expr->minutes && expr->hours && expr->days && expr->months && expr->weekdays);

    // Start somewhere in 1970-2100, chosen by the input.
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : text)
        h = (h ^ c) * 1099511628211ULL;
    const auto start = time::from_unix(static_cast<std::int64_t>(h % 4102444800ULL));

    static const time::Zone zones[] = {
        time::Zone::utc(),
        *time::Zone::locate("America/New_York"),
        *time::Zone::locate("Australia/Lord_Howe"),
    };
    const cron::DstPolicy policies[] = {{}, {cron::GapPolicy::skip, cron::OverlapPolicy::twice}};
    for (const auto& zone : zones) {
        for (const auto& policy : policies) {
            auto t = start;
            for (int i = 0; i < 3; ++i) {
                auto f = cron::next_after(*expr, zone, t, policy);
                if (!f)
                    break;
                require(f->at > t);
                t = f->at;
            }
        }
    }
    return 0;
}

} // namespace schedule::fuzz
