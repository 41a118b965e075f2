#include <schedule/model/window.hpp>
#include <schedule/util/strings.hpp>

#include <array>
#include <cctype>
#include <cstdio>

namespace schedule::model {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> k_days = {"Mon", "Tue", "Wed", "Thu",
                                                    "Fri", "Sat", "Sun"};

std::optional<int> day_index(std::string_view word) {
    if (word.size() != 3)
        return std::nullopt;
    for (int i = 0; i < 7; ++i) {
        bool same = true;
        for (std::size_t k = 0; k < 3; ++k)
            same = same && std::tolower(static_cast<unsigned char>(word[k])) ==
                               std::tolower(static_cast<unsigned char>(k_days[i][k]));
        if (same)
            return i;
    }
    return std::nullopt;
}

util::Result<std::uint8_t> parse_days(std::string_view text) {
    std::uint8_t mask = 0;
    for (auto item : util::split(text, ',')) {
        auto dash = item.find('-');
        auto first = day_index(item.substr(0, dash));
        auto last = dash == std::string_view::npos ? first : day_index(item.substr(dash + 1));
        if (!first || !last)
            return util::Failure{"days: " + util::quoted(item) +
                                 " is not a day or a range of days (Mon, Tue, Wed, Thu, "
                                 "Fri, Sat, Sun; e.g. Mon-Fri or Sat,Sun)"};
        for (int d = *first;; d = (d + 1) % 7) {
            mask = static_cast<std::uint8_t>(mask | (1u << d));
            if (d == *last)
                break;
        }
    }
    return mask;
}

// "HH:MM" as minutes after midnight; 24:00 only when `end`.
std::optional<int> parse_clock(std::string_view text, bool end) {
    auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3)
        return std::nullopt;
    int hours = 0, minutes = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (i == colon)
            continue;
        if (!std::isdigit(static_cast<unsigned char>(text[i])))
            return std::nullopt;
        (i < colon ? hours : minutes) = (i < colon ? hours : minutes) * 10 + (text[i] - '0');
    }
    if (minutes > 59 || hours > 24 || (hours == 24 && (minutes != 0 || !end)))
        return std::nullopt;
    return hours * 60 + minutes;
}

bool looks_like_span(std::string_view word) {
    return word.find(':') != std::string_view::npos && word.find('-') != std::string_view::npos &&
           std::isdigit(static_cast<unsigned char>(word.front()));
}

std::string clock_text(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

int monday_index(local_days day) {
    return static_cast<int>((weekday(day).c_encoding() + 6) % 7);
}

bool allows(const Window& w, local_days day) {
    return (w.days >> monday_index(day)) & 1u;
}

time::Zone zone_of(const Window& w, const time::Zone& job_zone) {
    if (!w.zone)
        return job_zone;
    auto z = time::Zone::locate(*w.zone);
    return z ? z.value() : job_zone;
}

bool inside(const Window& w, time::Instant t, const time::Zone& zone) {
    const auto lt = zone.to_local(t);
    const auto day = floor<days>(lt);
    const auto second = (lt - day).count();
    const auto start = std::int64_t{w.start} * 60, end = std::int64_t{w.end} * 60;
    if (w.end > w.start)
        return allows(w, day) && second >= start && second < end;
    return (allows(w, day) && second >= start) || (allows(w, day - days{1}) && second < end);
}

} // namespace

util::Result<Window> parse_window(std::string_view text) {
    const auto words = util::split_ws(text);
    std::size_t span = words.size();
    for (std::size_t i = 0; i < words.size(); ++i)
        if (looks_like_span(words[i])) {
            span = i;
            break;
        }
    if (span == words.size())
        return util::Failure{"expected [DAYS] HH:MM-HH:MM [ZONE], e.g. 'Mon-Fri 09:00-17:00'"};
    if (span > 1 || words.size() > span + 2)
        return util::Failure{"expected [DAYS] HH:MM-HH:MM [ZONE], with days written without "
                             "blanks (Mon-Fri or Sat,Sun)"};
    Window w;
    if (span == 1) {
        auto days = parse_days(words[0]);
        if (!days)
            return util::Failure{days.error()};
        w.days = days.value();
    }
    const auto times = words[span];
    const auto dash = times.find('-');
    auto start = parse_clock(times.substr(0, dash), false);
    auto end = parse_clock(times.substr(dash + 1), true);
    if (!start || !end)
        return util::Failure{"times: " + util::quoted(times) +
                             " is not HH:MM-HH:MM (00:00 to 23:59; the end may be 24:00)"};
    if (*start == *end % 1440)
        return util::Failure{"times: " + util::quoted(times) +
                             " starts and ends at the same time (a whole day needs no window)"};
    w.start = *start;
    w.end = *end;
    if (words.size() == span + 2) {
        auto zone = time::Zone::locate(words[span + 1]);
        if (!zone)
            return util::Failure{"zone: " + zone.error()};
        w.zone = std::string(words[span + 1]);
    }
    return w;
}

std::string to_string(const Window& w) {
    std::string out;
    if (w.days != 0x7f) {
        // Runs of consecutive days, Monday first: "Mon-Fri", "Sat,Sun".
        for (int d = 0; d < 7;) {
            if (!((w.days >> d) & 1u)) {
                ++d;
                continue;
            }
            int last = d;
            while (last + 1 < 7 && ((w.days >> (last + 1)) & 1u))
                ++last;
            if (!out.empty())
                out += ',';
            out += k_days[d];
            if (last > d + 1)
                out += "-" + std::string(k_days[last]);
            else if (last == d + 1)
                out += "," + std::string(k_days[last]);
            d = last + 1;
        }
        out += ' ';
    }
    out += clock_text(w.start) + "-" + clock_text(w.end);
    if (w.zone)
        out += " " + *w.zone;
    return out;
}

bool in_window(const std::vector<Window>& windows, time::Instant t, const time::Zone& job_zone) {
    if (windows.empty())
        return true;
    for (const auto& w : windows)
        if (inside(w, t, zone_of(w, job_zone)))
            return true;
    return false;
}

std::optional<time::Instant> next_window_start(const std::vector<Window>& windows, time::Instant t,
                                               const time::Zone& job_zone) {
    std::optional<time::Instant> best;
    for (const auto& w : windows) {
        const auto zone = zone_of(w, job_zone);
        const auto today = floor<days>(zone.to_local(t));
        for (auto day = today - days{1}; day <= today + days{8}; day += days{1}) {
            if (!allows(w, day))
                continue;
            // A start in a gap opens when the gap ends; in a repeated hour,
            // at its first reading.
            const auto r = zone.resolve(day + minutes{w.start});
            const auto opens = r.first;
            if (opens <= t || (best && opens >= *best) || !inside(w, opens, zone))
                continue;
            best = opens;
        }
    }
    return best;
}

} // namespace schedule::model
