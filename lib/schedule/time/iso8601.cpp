#include <schedule/time/iso8601.hpp>
#include <schedule/util/strings.hpp>

#include <algorithm>

namespace schedule::time {

namespace chr = std::chrono;

namespace {

// The years parse_iso8601() reads: what bounds the supported range.
constexpr int k_first_year = 1970;
constexpr int k_last_year = 9999;

// Reads exactly `n` digits at s[i], advancing i.
bool digits(std::string_view s, std::size_t& i, int n, int& out) {
    if (i + n > s.size())
        return false;
    int v = 0;
    for (int k = 0; k < n; ++k) {
        char c = s[i + k];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    i += n;
    return true;
}

util::Failure bad(std::string_view text, const std::string& why) {
    return util::fail(util::quoted(text) + " is not a valid date-time: " + why +
                      " (expected e.g. 2026-12-25T10:00 or 2026-12-25T10:00:00+01:00)");
}

// Writes `v` as exactly `width` digits (years past 9999 get more).
char* put_digits(char* p, long long v, int width) {
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = char('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < width)
        tmp[n++] = '0';
    while (n > 0)
        *p++ = tmp[--n];
    return p;
}

// "YYYY-MM-DDTHH:MM:SS" (a space instead of 'T' and no seconds for tables).
char* put_wall(char* p, const Civil& c, char sep, bool seconds) {
    p = put_digits(p, c.year, 4);
    *p++ = '-';
    p = put_digits(p, c.month, 2);
    *p++ = '-';
    p = put_digits(p, c.day, 2);
    *p++ = sep;
    p = put_digits(p, c.hour, 2);
    *p++ = ':';
    p = put_digits(p, c.minute, 2);
    if (seconds) {
        *p++ = ':';
        p = put_digits(p, c.second, 2);
    }
    return p;
}

char* put_offset(char* p, Duration off) {
    auto s = off.count();
    *p++ = s < 0 ? '-' : '+';
    if (s < 0)
        s = -s;
    p = put_digits(p, s / 3600, 2);
    *p++ = ':';
    return put_digits(p, (s % 3600) / 60, 2);
}

} // namespace

int days_in_month(int year, int month) {
    static const int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2) {
        bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return leap ? 29 : 28;
    }
    return k_days[month - 1];
}

Civil to_civil(LocalTime lt) {
    auto day = chr::floor<chr::days>(lt);
    chr::year_month_day ymd{day};
    chr::hh_mm_ss<chr::seconds> hms{lt - day};
    chr::weekday wd{day};
    return Civil{int(ymd.year()),          int(unsigned(ymd.month())), int(unsigned(ymd.day())),
                 int(hms.hours().count()), int(hms.minutes().count()), int(hms.seconds().count()),
                 int(wd.c_encoding())};
}

LocalTime from_civil(int year, int month, int day, int hour, int minute, int second) {
    chr::local_days d{chr::year{year} / chr::month{unsigned(month)} / chr::day{unsigned(day)}};
    return LocalTime{d} + chr::hours{hour} + chr::minutes{minute} + chr::seconds{second};
}

util::Result<ParsedDateTime> parse_iso8601(std::string_view text) {
    auto s = util::trim(text);
    std::size_t i = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !digits(s, i, 2, mo) ||
        i >= s.size() || s[i++] != '-' || !digits(s, i, 2, d))
        return bad(text, "the date must be YYYY-MM-DD");
    if (mo < 1 || mo > 12)
        return bad(text, "month " + std::to_string(mo) + " is out of range 1-12");
    if (y < k_first_year || y > k_last_year)
        return bad(text, "year " + std::to_string(y) + " is out of range " +
                             std::to_string(k_first_year) + "-" + std::to_string(k_last_year));
    if (d < 1 || d > days_in_month(y, mo))
        return bad(text, "day " + std::to_string(d) + " does not exist in " + std::to_string(y) +
                             "-" + (mo < 10 ? "0" : "") + std::to_string(mo));
    if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        ++i;
        if (!digits(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !digits(s, i, 2, mi))
            return bad(text, "the time must be HH:MM or HH:MM:SS");
        if (i < s.size() && s[i] == ':') {
            ++i;
            if (!digits(s, i, 2, sec))
                return bad(text, "the seconds must be two digits");
            if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
                ++i;
                std::size_t start = i;
                while (i < s.size() && s[i] >= '0' && s[i] <= '9')
                    ++i;
                if (i == start)
                    return bad(text, "a fraction of a second needs digits");
            }
        }
        if (h > 23)
            return bad(text, "hour " + std::to_string(h) + " is out of range 0-23");
        if (mi > 59)
            return bad(text, "minute " + std::to_string(mi) + " is out of range 0-59");
        if (sec > 60)
            return bad(text, "second " + std::to_string(sec) + " is out of range 0-60");
        if (sec == 60)
            sec = 59; // a leap second reads as the last second of its minute
    }
    ParsedDateTime out{from_civil(y, mo, d, h, mi, sec), std::nullopt};
    if (i < s.size()) {
        char c = s[i];
        if ((c == 'Z' || c == 'z') && i + 1 == s.size()) {
            out.offset = Duration{0};
            i = s.size();
        } else if (c == '+' || c == '-') {
            ++i;
            int oh, om = 0;
            if (!digits(s, i, 2, oh))
                return bad(text, "the offset must be +HH:MM");
            bool colon = i < s.size() && s[i] == ':';
            if (colon)
                ++i;
            if ((colon || i < s.size()) && !digits(s, i, 2, om))
                return bad(text, "the offset must be +HH:MM");
            if (i != s.size() || om > 59 || oh * 60 + om > 18 * 60)
                return bad(text, "the offset must be +HH:MM within ±18:00");
            auto off = Duration{oh * 3600 + om * 60};
            out.offset = c == '-' ? -off : off;
        } else {
            return bad(text, "unexpected " + util::quoted(s.substr(i)));
        }
    }
    return out;
}

util::Result<Instant> parse_instant(std::string_view text, const Zone& zone) {
    auto parsed = parse_iso8601(text);
    if (!parsed)
        return util::fail(parsed.error());
    if (parsed->offset)
        return Instant{parsed->local.time_since_epoch() - *parsed->offset};
    return zone.resolve(parsed->local).first;
}

namespace {

Instant utc_instant(LocalTime lt) {
    return Instant{lt.time_since_epoch()};
}

} // namespace

Instant first_supported(const Zone& zone) {
    const auto lt = from_civil(k_first_year, 1, 1);
    return std::max(utc_instant(lt), zone.resolve(lt).first);
}

Instant last_supported(const Zone& zone) {
    const auto lt = from_civil(k_last_year, 12, 31, 23, 59, 59);
    const auto r = zone.resolve(lt);
    // In a gap, `first` is the first instant after it: already past lt.
    const auto last = r.kind == Zone::Resolved::Kind::gap ? r.first - Duration{1} : r.second;
    return std::min(utc_instant(lt), last);
}

bool is_supported(Instant t, const Zone& zone) {
    // No zone is a day off UTC: away from the ends the zone need not be read.
    static const Instant safe_first = utc_instant(from_civil(k_first_year, 1, 2));
    static const Instant safe_last = utc_instant(from_civil(k_last_year, 12, 30));
    if (t >= safe_first && t <= safe_last)
        return true;
    return t >= first_supported(zone) && t <= last_supported(zone);
}

void append_iso(std::string& out, Instant t, const Zone& zone, bool utc) {
    char buf[64];
    char* p = buf;
    if (utc) {
        p = put_wall(p, to_civil(LocalTime{t.time_since_epoch()}), 'T', true);
        *p++ = 'Z';
    } else {
        auto off = zone.offset_at(t).offset;
        p = put_wall(p, to_civil(LocalTime{t.time_since_epoch() + off}), 'T', true);
        p = put_offset(p, off);
    }
    out.append(buf, p);
}

std::string format_iso(Instant t, const Zone& zone) {
    std::string out;
    append_iso(out, t, zone, false);
    return out;
}

std::string format_iso_utc(Instant t) {
    std::string out;
    append_iso(out, t, Zone::utc(), true);
    return out;
}

std::string format_local(LocalTime lt) {
    char buf[48];
    char* p = put_wall(buf, to_civil(lt), ' ', false);
    return std::string(buf, p);
}

std::string format_wall(Instant t, const Zone& zone) {
    return format_local(zone.to_local(t));
}

} // namespace schedule::time
