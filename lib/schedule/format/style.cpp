#include <schedule/format/style.hpp>
#include <schedule/time/iso8601.hpp>

namespace schedule::format {

std::string relative_time(time::Instant t, time::Instant now) {
    auto d = (t - now).count();
    if (d == 0)
        return "now";
    bool future = d > 0;
    if (d < 0)
        d = -d;
    // Years of 365 days: a hint, not a calendar ("in 7979y92d", not "in 2912427d").
    const std::pair<char, long long> units[] = {
        {'y', 365 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
    std::string text;
    int used = 0;
    for (auto [u, len] : units) {
        if (used == 2)
            break;
        if (d >= len) {
            text += std::to_string(d / len);
            text += u;
            d %= len;
            ++used;
        } else if (used > 0) {
            break; // "2h" rather than "2h0m5s"
        }
    }
    return future ? "in " + text : text + " ago";
}

std::string table_time(const std::optional<time::Instant>& t, const time::Zone& zone,
                       const Style& style) {
    if (!t)
        return "-";
    std::string wall;
    if (style.utc) {
        wall = time::format_wall(*t, time::Zone::utc()) + "Z";
    } else {
        wall = time::format_wall(*t, zone);
        if (!(zone == style.default_zone))
            wall += " " + zone.offset_at(*t).abbrev;
    }
    return wall + " (" + relative_time(*t, style.now) + ")";
}

} // namespace schedule::format
