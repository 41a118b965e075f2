#include <schedule/time/iso8601.hpp>
#include <schedule/time/posix_tz.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <optional>

namespace schedule::time {

namespace {

class Reader {
public:
    explicit Reader(std::string_view s) : m_s(s) {}
    bool done() const { return m_i >= m_s.size(); }
    char peek() const { return done() ? '\0' : m_s[m_i]; }
    bool eat(char c) {
        if (peek() != c)
            return false;
        ++m_i;
        return true;
    }

    // An abbreviation: <...> quoted, or three or more letters.
    std::optional<std::string> abbrev() {
        std::string out;
        if (eat('<')) {
            while (!done() && peek() != '>')
                out += m_s[m_i++];
            if (!eat('>') || out.size() < 3)
                return std::nullopt;
            return out;
        }
        while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z')))
            out += m_s[m_i++];
        return out.size() >= 3 ? std::optional(out) : std::nullopt;
    }

    std::optional<int> number(int max) {
        if (!(peek() >= '0' && peek() <= '9'))
            return std::nullopt;
        int v = 0;
        while (peek() >= '0' && peek() <= '9') {
            v = v * 10 + (m_s[m_i++] - '0');
            if (v > max)
                return std::nullopt;
        }
        return v;
    }

    // [+-]hh[:mm[:ss]], hours up to `max_hours`.
    std::optional<Duration> hms(int max_hours) {
        int sign = 1;
        if (eat('-'))
            sign = -1;
        else
            eat('+');
        auto h = number(max_hours);
        if (!h)
            return std::nullopt;
        int m = 0, s = 0;
        if (eat(':')) {
            auto mm = number(59);
            if (!mm)
                return std::nullopt;
            m = *mm;
            if (eat(':')) {
                auto ss = number(59);
                if (!ss)
                    return std::nullopt;
                s = *ss;
            }
        }
        return Duration{sign * (*h * 3600 + m * 60 + s)};
    }

    std::optional<PosixTz::When> when() {
        PosixTz::When w;
        if (eat('J')) {
            auto n = number(365);
            if (!n || *n < 1)
                return std::nullopt;
            w.kind = 'J';
            w.day = *n;
        } else if (eat('M')) {
            auto m = number(12);
            if (!m || *m < 1 || !eat('.'))
                return std::nullopt;
            auto wk = number(5);
            if (!wk || *wk < 1 || !eat('.'))
                return std::nullopt;
            auto d = number(6);
            if (!d)
                return std::nullopt;
            w.kind = 'M';
            w.month = *m;
            w.week = *wk;
            w.weekday = *d;
        } else {
            auto n = number(365);
            if (!n)
                return std::nullopt;
            w.kind = 'N';
            w.day = *n;
        }
        if (eat('/')) {
            auto t = hms(167);
            if (!t)
                return std::nullopt;
            w.time = *t;
        }
        return w;
    }

private:
    std::string_view m_s;
    std::size_t m_i = 0;
};

bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Local midnight (as seconds since the epoch) of the rule's date in `year`.
std::int64_t date_of(const PosixTz::When& w, int year) {
    const LocalTime jan1 = from_civil(year, 1, 1);
    const std::int64_t jan1_s = jan1.time_since_epoch().count();
    switch (w.kind) {
    case 'J': {
        int doy = w.day - 1;
        if (is_leap(year) && w.day >= 60)
            ++doy;
        return jan1_s + std::int64_t(doy) * 86400;
    }
    case 'N':
        return jan1_s + std::int64_t(w.day) * 86400;
    default: {
        const LocalTime first = from_civil(year, w.month, 1);
        const int first_wd = to_civil(first).weekday;
        int day = 1 + (w.weekday - first_wd + 7) % 7 + 7 * (w.week - 1);
        const int dim = days_in_month(year, w.month);
        while (day > dim)
            day -= 7;
        return first.time_since_epoch().count() + std::int64_t(day - 1) * 86400;
    }
    }
}

} // namespace

util::Result<PosixTz> parse_posix_tz(std::string_view text) {
    auto bad = [&] { return util::fail("not a POSIX TZ rule: " + std::string(text)); };
    Reader r(text);
    PosixTz tz;
    auto std_abbrev = r.abbrev();
    auto std_off = std_abbrev ? r.hms(24) : std::nullopt;
    if (!std_off)
        return bad();
    tz.std_abbrev = *std_abbrev;
    tz.std_offset = -*std_off;
    if (r.done())
        return tz;
    auto dst_abbrev = r.abbrev();
    if (!dst_abbrev)
        return bad();
    tz.has_dst = true;
    tz.dst_abbrev = *dst_abbrev;
    tz.dst_offset = tz.std_offset + Duration{3600};
    if (r.peek() != ',' && !r.done()) {
        auto dst_off = r.hms(24);
        if (!dst_off)
            return bad();
        tz.dst_offset = -*dst_off;
    }
    if (!r.eat(','))
        return bad(); // no rule: POSIX's implementation-defined default is not guessed
    auto start = r.when();
    if (!start || !r.eat(','))
        return bad();
    auto end = r.when();
    if (!end || !r.done())
        return bad();
    tz.start = *start;
    tz.end = *end;
    return tz;
}

std::vector<PosixTz::Transition> PosixTz::transitions(int year) const {
    std::vector<Transition> out;
    if (!has_dst)
        return out;
    // A rule date near New Year can fall in the neighbouring UTC year.
    for (int y = year - 1; y <= year + 1; ++y) {
        Instant into{Duration{date_of(start, y)} + start.time - std_offset};
        Instant out_of{Duration{date_of(end, y)} + end.time - dst_offset};
        out.push_back({into, dst_offset, true});
        out.push_back({out_of, std_offset, false});
    }
    std::sort(out.begin(), out.end(),
              [](const Transition& a, const Transition& b) { return a.at < b.at; });
    std::erase_if(out, [&](const Transition& t) {
        return to_civil(LocalTime{t.at.time_since_epoch()}).year != year;
    });
    return out;
}

std::optional<PosixTz> read_tzif_footer(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (data.size() < 6 || data.compare(0, 4, "TZif") != 0 || data[4] < '2' || data.back() != '\n')
        return std::nullopt;
    auto nl = data.rfind('\n', data.size() - 2);
    if (nl == std::string::npos)
        return std::nullopt;
    auto footer = std::string_view(data).substr(nl + 1, data.size() - nl - 2);
    auto rule = parse_posix_tz(footer);
    if (!rule)
        return std::nullopt;
    return *rule;
}

} // namespace schedule::time
