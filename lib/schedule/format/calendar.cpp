#include <schedule/format/calendar.hpp>
#include <schedule/time/iso8601.hpp>

#include <cstdint>

namespace schedule::format {

namespace {

enum class Dialect { cron, systemd };

constexpr std::uint32_t k_all_days = 0xFFFFFFFEU; // bits 1-31
constexpr std::uint8_t k_all_weekdays = 0x7F;     // bits 0-6

template <typename Bits> std::vector<int> values(Bits bits, int lo, int hi) {
    std::vector<int> out;
    for (int v = lo; v <= hi; ++v)
        if ((static_cast<std::uint64_t>(bits) >> v) & 1U)
            out.push_back(v);
    return out;
}

std::string number(int n, Dialect d) {
    if (d == Dialect::systemd && n < 10)
        return "0" + std::to_string(n);
    return std::to_string(n);
}

// Ascending values as a comma-separated list in which each run of three
// or more consecutive values is a range: "1,2,5..9" with `range` "..".
template <typename Name>
std::string listed(const std::vector<int>& v, const char* range, Name name) {
    std::string out;
    for (std::size_t i = 0; i < v.size();) {
        std::size_t j = i;
        while (j + 1 < v.size() && v[j + 1] == v[j] + 1)
            ++j;
        if (!out.empty())
            out += ',';
        if (j - i >= 2) {
            out += name(v[i]) + range + name(v[j]);
        } else {
            for (std::size_t k = i; k <= j; ++k)
                out += (k > i ? "," : "") + name(v[k]);
        }
        i = j + 1;
    }
    return out;
}

// The values of a field in [lo, hi]: `*` when all are there; a progression
// that runs to the end of the range as a step (`*/15`, `5-59/15`, systemd
// `05/15`); otherwise a list where runs of three or more are ranges.
// `star_step`: the cron form may start with `*` (never for the day fields,
// where a leading `*` changes cronie's day rule).
std::string field(const std::vector<int>& v, int lo, int hi, Dialect d, bool star_step = true) {
    if (static_cast<int>(v.size()) == hi - lo + 1)
        return "*";
    if (v.size() >= 3) {
        const int step = v[1] - v[0];
        bool progression = step > 1 && v.back() + step > hi;
        for (std::size_t i = 2; progression && i < v.size(); ++i)
            progression = v[i] - v[i - 1] == step;
        if (progression) {
            auto s = std::to_string(step);
            if (d == Dialect::systemd)
                return number(v[0], d) + "/" + s;
            if (v[0] == lo && star_step)
                return "*/" + s;
            return number(v[0], d) + "-" + number(hi, d) + "/" + s;
        }
    }
    return listed(v, d == Dialect::systemd ? ".." : "-", [d](int n) { return number(n, d); });
}

// systemd weekdays, Monday first: "Mon..Fri", "Sat,Sun".
std::string systemd_weekdays(std::uint8_t weekdays) {
    static const char* const k_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    std::vector<int> v; // 0 = Monday .. 6 = Sunday
    for (int i = 0; i < 7; ++i)
        if ((weekdays >> ((i + 1) % 7)) & 1U)
            v.push_back(i);
    return listed(v, "..", [](int i) { return std::string(k_names[i]); });
}

} // namespace

DayRule day_rule(const cron::Expression& e) {
    const bool dom_all = e.days == k_all_days;
    const bool dow_all = e.weekdays == k_all_weekdays;
    if (e.dom_star || e.dow_star) { // AND
        if (dom_all && dow_all)
            return DayRule::every_day;
        if (dom_all)
            return DayRule::day_of_week;
        if (dow_all)
            return DayRule::day_of_month;
        return DayRule::both;
    }
    // OR: a field that matches every day makes every day match.
    if (dom_all || dow_all)
        return DayRule::every_day;
    return DayRule::either;
}

std::optional<std::string> portable_cron(const cron::Expression& e) {
    if (e.reboot)
        return std::nullopt;
    const auto rule = day_rule(e);
    if (rule == DayRule::both)
        return std::nullopt;
    const bool dom = rule == DayRule::day_of_month || rule == DayRule::either;
    const bool dow = rule == DayRule::day_of_week || rule == DayRule::either;
    const auto d = Dialect::cron;
    return field(values(e.minutes, 0, 59), 0, 59, d) + " " +
           field(values(e.hours, 0, 23), 0, 23, d) + " " +
           (dom ? field(values(e.days, 1, 31), 1, 31, d, false) : "*") + " " +
           field(values(e.months, 1, 12), 1, 12, d) + " " +
           (dow ? field(values(e.weekdays, 0, 6), 0, 6, d, false) : "*");
}

std::vector<std::string> on_calendar(const cron::Expression& e, std::string_view zone) {
    if (e.reboot)
        return {};
    const auto d = Dialect::systemd;
    const std::string months = field(values(e.months, 1, 12), 1, 12, d);
    const std::string days = field(values(e.days, 1, 31), 1, 31, d);
    const std::string time = field(values(e.hours, 0, 23), 0, 23, d) + ":" +
                             field(values(e.minutes, 0, 59), 0, 59, d) + ":00 " + std::string(zone);
    const std::string weekdays = systemd_weekdays(e.weekdays);
    auto date = [&](bool by_day) { return "*-" + months + "-" + (by_day ? days : "*"); };
    switch (day_rule(e)) {
    case DayRule::every_day:
        return {date(false) + " " + time};
    case DayRule::day_of_month:
        return {date(true) + " " + time};
    case DayRule::day_of_week:
        return {weekdays + " " + date(false) + " " + time};
    case DayRule::both:
        return {weekdays + " " + date(true) + " " + time};
    case DayRule::either:
        return {date(true) + " " + time, weekdays + " " + date(false) + " " + time};
    }
    return {};
}

std::optional<std::string> every_as_utc_cron(time::Duration every, time::Instant anchor) {
    const auto seconds = every.count();
    const auto c = time::to_civil(time::LocalTime{anchor.time_since_epoch()});
    if (seconds <= 0 || seconds % 60 != 0 || c.second != 0)
        return std::nullopt;
    const auto m = seconds / 60;
    const auto minute = std::to_string(c.minute);
    const auto hour = std::to_string(c.hour);
    auto stepped = [](long long start, long long step, int max) {
        return start == 0
                   ? "*/" + std::to_string(step)
                   : std::to_string(start) + "-" + std::to_string(max) + "/" + std::to_string(step);
    };
    if (m == 1)
        return "* * * * *";
    if (m == 60)
        return minute + " * * * *";
    if (60 % m == 0)
        return stepped(c.minute % m, m, 59) + " * * * *";
    if (m == 24 * 60)
        return minute + " " + hour + " * * *";
    if (m % 60 == 0 && 24 % (m / 60) == 0)
        return minute + " " + stepped(c.hour % (m / 60), m / 60, 23) + " * * *";
    if (m == 7 * 24 * 60)
        return minute + " " + hour + " * * " + std::to_string(c.weekday);
    return std::nullopt;
}

} // namespace schedule::format
