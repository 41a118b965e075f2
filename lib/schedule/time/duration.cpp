#include <schedule/time/duration.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

namespace schedule::time {

namespace {
constexpr std::int64_t k_max_seconds = 100LL * 366 * 86400;

std::int64_t unit_seconds(char u) {
    switch (u) {
    case 'w':
        return 7 * 86400;
    case 'd':
        return 86400;
    case 'h':
        return 3600;
    case 'm':
        return 60;
    case 's':
        return 1;
    default:
        return 0;
    }
}
} // namespace

util::Result<Duration> parse_duration(std::string_view text) {
    auto s = util::trim(text);
    if (s.empty())
        return util::fail("empty duration (expected e.g. 90s, 15m, 2h, 1d, 1h30m)");
    if (s.front() == '-')
        return util::fail(util::quoted(s) + " is negative");
    if (auto bare = util::parse_uint(s, k_max_seconds))
        return Duration{static_cast<std::int64_t>(*bare)};
    if (util::is_digits(s))
        return util::fail(util::quoted(s) + " is too large (at most 100 years)");

    std::int64_t total = 0;
    std::int64_t last_unit = INT64_MAX;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start || i == s.size())
            return util::fail(util::quoted(s) +
                              " is not a duration (expected e.g. 90s, 15m, 2h, 1d, 1h30m)");
        auto unit = unit_seconds(s[i]);
        if (unit == 0) {
            // Quote the word, not one byte of it (a byte of a multi-byte
            // character would reach the terminal raw), and of a long
            // word its start.
            std::size_t end = i;
            while (end < s.size() && (s[end] < '0' || s[end] > '9'))
                ++end;
            return util::fail(util::quoted(s) + ": unknown unit '" +
                              util::escaped_prefix(s.substr(i, end - i), 16) +
                              "' (use s, m, h, d or w)");
        }
        if (unit >= last_unit)
            return util::fail(util::quoted(s) +
                              ": units must go from largest to smallest, once each");
        last_unit = unit;
        auto n = util::parse_uint(s.substr(start, i - start), k_max_seconds);
        if (!n || static_cast<std::int64_t>(*n) > k_max_seconds / unit)
            return util::fail(util::quoted(s) + " is too large (at most 100 years)");
        total += static_cast<std::int64_t>(*n) * unit;
        if (total > k_max_seconds)
            return util::fail(util::quoted(s) + " is too large (at most 100 years)");
        ++i;
    }
    return Duration{total};
}

std::string format_duration(Duration d) {
    auto s = d.count();
    if (s == 0)
        return "0s";
    std::string out;
    if (s < 0) {
        out += '-';
        s = -s;
    }
    const std::pair<char, std::int64_t> units[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
    for (auto [u, len] : units) {
        if (s >= len) {
            out += std::to_string(s / len);
            out += u;
            s %= len;
        }
    }
    return out;
}

} // namespace schedule::time
