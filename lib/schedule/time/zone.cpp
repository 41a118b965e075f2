#include <schedule/time/iso8601.hpp>
#include <schedule/time/posix_tz.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/strings.hpp>

#include <date/tz.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>

namespace schedule::time {

namespace {

// Names the tz database may hold that are not zones a user means.
bool is_plausible_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 128 || name == "localtime" || name == "posixrules")
        return false;
    for (char c : name) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '/' || c == '_' || c == '-' || c == '+';
        if (!ok)
            return false;
    }
    return name.front() != '/' && name.find("..") == std::string_view::npos;
}

date::local_seconds to_date(LocalTime lt) {
    return date::local_seconds{lt.time_since_epoch()};
}
date::sys_seconds to_date(Instant t) {
    return date::sys_seconds{t.time_since_epoch()};
}
// date/tz marks the open ends of a zone's first and last intervals with
// dates near the years -32767 and 32767; those become Instant::min/max.
Instant from_date(date::sys_seconds t) {
    static const auto k_far_future = date::sys_days{date::year{30000} / 1 / 1};
    static const auto k_far_past = date::sys_days{date::year{-30000} / 1 / 1};
    if (t >= k_far_future)
        return Instant::max();
    if (t <= k_far_past)
        return Instant::min();
    return Instant{t.time_since_epoch()};
}

} // namespace

// The tz database lists a zone's transitions up to 2037 only; after its last
// listed transition the TZif footer's POSIX rule applies, which date/tz
// ignores. A ZoneTail holds that rule for zones whose rule has daylight
// time, with its transitions worked out ahead for the next centuries.
struct ZoneTail {
    Instant begin; // the last listed transition
    PosixTz rule;
    std::vector<PosixTz::Transition> table; // from `begin` to the end of k_table_end
    static constexpr int k_table_end = 2400;
};

// One per zone name, for the life of the process. `tz` and `tail` are set
// once, by Zone::loaded() (or at once by locate, which needs the database to
// check the name anyway).
struct ZoneData {
    std::string name;
    std::once_flag once;
    const date::time_zone* tz = nullptr; // null after loading only if date/tz lacks the zone
    std::optional<ZoneTail> tail;        // the rule after 2037, when it has daylight time
};

namespace {

constexpr const char* k_zoneinfo = "/usr/share/zoneinfo/";

// The record of `name`, made on first request.
ZoneData& intern(std::string_view name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<ZoneData>, std::less<>> zones;
    std::lock_guard lock(mutex);
    auto it = zones.find(name);
    if (it == zones.end()) {
        auto data = std::make_unique<ZoneData>();
        data->name = std::string(name);
        it = zones.emplace(data->name, std::move(data)).first;
    }
    return *it->second;
}

// Names date/tz leaves out of its list of zones although they are TZif files.
bool is_listed_zone_name(std::string_view name) {
    return is_plausible_zone_name(name) && name != "Factory" && name.rfind("posix/", 0) != 0 &&
           name.rfind("right/", 0) != 0;
}

// True when the zoneinfo tree holds `name` as a TZif file: one file read,
// no database.
bool is_zone_file(std::string_view name) {
    if (!is_listed_zone_name(name))
        return false;
    std::ifstream in(k_zoneinfo + std::string(name), std::ios::binary);
    char magic[4] = {};
    return in.read(magic, sizeof magic) && std::string_view(magic, sizeof magic) == "TZif";
}

// The zone name $TZ gives: without a leading ':', and for a path into a
// zoneinfo tree (which glibc also takes) the part after "/zoneinfo/".
std::optional<std::string_view> tz_zone_name(const std::optional<std::string>& tz_env) {
    if (!tz_env || tz_env->empty())
        return std::nullopt;
    std::string_view name = *tz_env;
    if (name.front() == ':')
        name.remove_prefix(1);
    if (auto pos = name.find("/zoneinfo/");
        !name.empty() && name.front() == '/' && pos != std::string_view::npos)
        name.remove_prefix(pos + 10);
    return name;
}

std::optional<ZoneTail> make_tail(const date::time_zone* tz) {
    std::optional<ZoneTail> tail;
    auto rule = read_tzif_footer(std::string(k_zoneinfo) + std::string(tz->name()));
    if (rule && rule->has_dst) {
        auto last = tz->get_info(date::sys_days{date::year{9000} / 1 / 1});
        tail = ZoneTail{Instant{last.begin.time_since_epoch()}, *rule, {}};
        const int first_year = to_civil(LocalTime{tail->begin.time_since_epoch()}).year;
        for (int y = first_year; y <= ZoneTail::k_table_end; ++y)
            for (const auto& tr : rule->transitions(y))
                if (tr.at > tail->begin)
                    tail->table.push_back(tr);
    }
    return tail;
}

void load(ZoneData& z, const date::time_zone* tz) {
    z.tz = tz;
    if (tz)
        z.tail = make_tail(tz);
}

// The offset interval holding t (at or after tail.begin) by the tail rule.
Zone::Offset rule_offset(const ZoneTail& tail, Instant t) {
    const PosixTz::Transition* last = nullptr;
    const PosixTz::Transition* next = nullptr;
    std::vector<PosixTz::Transition> around;
    if (!tail.table.empty() && t < tail.table.back().at) {
        auto it =
            std::upper_bound(tail.table.begin(), tail.table.end(), t,
                             [](Instant v, const PosixTz::Transition& tr) { return v < tr.at; });
        next = &*it;
        if (it != tail.table.begin())
            last = &*(it - 1);
    } else {
        // Beyond the table: work out the neighbouring years.
        const int year = to_civil(LocalTime{t.time_since_epoch()}).year;
        for (int y = year - 1; y <= year + 1; ++y) {
            auto ts = tail.rule.transitions(y);
            around.insert(around.end(), ts.begin(), ts.end());
        }
        for (const auto& tr : around) {
            if (tr.at <= t)
                last = &tr;
            else if (!next)
                next = &tr;
        }
    }
    // Before the first rule transition the zone keeps the offset of its last
    // listed transition, which is the opposite of what that transition sets.
    const bool dst = last ? last->dst : next ? !next->dst : false;
    Zone::Offset out;
    out.offset = dst ? tail.rule.dst_offset : tail.rule.std_offset;
    out.abbrev = dst ? tail.rule.dst_abbrev : tail.rule.std_abbrev;
    out.begin = last ? std::max(last->at, tail.begin) : tail.begin;
    out.end = next ? next->at : Instant::max();
    return out;
}

} // namespace

std::optional<std::string> zone_name_from_link(std::string_view target) {
    auto pos = target.rfind("zoneinfo/");
    if (pos == std::string_view::npos)
        return std::nullopt;
    auto name = target.substr(pos + 9);
    if (name.rfind("posix/", 0) == 0)
        name.remove_prefix(6);
    if (!is_listed_zone_name(name))
        return std::nullopt;
    return std::string(name);
}

util::Result<Zone> Zone::locate(std::string_view name) {
    if (name == "UTC")
        return Zone::utc();
    if (!is_plausible_zone_name(name))
        return util::fail(util::quoted(name) +
                          " is not an IANA time zone name (e.g. Europe/Berlin)");
    const date::time_zone* tz = nullptr;
    try {
        tz = date::locate_zone(name);
    } catch (const std::exception&) {
        return util::fail(util::quoted(name) +
                          " is not a known IANA time zone (e.g. Europe/Berlin)");
    }
    ZoneData& z = intern(tz->name());
    std::call_once(z.once, [&] { load(z, tz); });
    return Zone(&z);
}

std::optional<Zone> Zone::named(std::string_view name) {
    if (name == "UTC")
        return Zone::utc();
    if (!is_zone_file(name))
        return std::nullopt;
    return Zone(&intern(name));
}

Zone Zone::system_zone() {
    std::error_code ec;
    auto target = std::filesystem::read_symlink("/etc/localtime", ec);
    if (!ec) {
        auto name = zone_name_from_link(target.string());
        if (name && (*name == "UTC" || *name == "Etc/UTC"))
            return Zone::utc();
        // The link must lead to a file; its name is checked, not its data.
        if (name && std::filesystem::is_regular_file("/etc/localtime", ec))
            return Zone(&intern(*name));
    }
    // A copy rather than a link: date/tz compares it with every zone.
    try {
        const date::time_zone* tz = date::current_zone();
        if (tz->name() == "UTC" || tz->name() == "Etc/UTC")
            return Zone::utc();
        ZoneData& z = intern(tz->name());
        std::call_once(z.once, [&] { load(z, tz); });
        return Zone(&z);
    } catch (const std::exception&) {
        return Zone::utc();
    }
}

Zone Zone::host_default(const std::optional<std::string>& configured,
                        const std::optional<std::string>& tz_env) {
    if (configured) {
        if (auto z = named(*configured))
            return *z;
    }
    if (auto name = tz_zone_name(tz_env)) {
        if (auto z = named(*name))
            return *z;
    }
    return system_zone();
}

std::optional<std::string> Zone::tz_problem(const std::optional<std::string>& tz_env) {
    auto name = tz_zone_name(tz_env);
    if (!name || named(*name))
        return std::nullopt;
    if (parse_posix_tz(*tz_env))
        return "TZ " + util::quoted(*tz_env) +
               " is a POSIX rule, not an IANA time zone name (e.g. Europe/Berlin)";
    return "TZ " + util::quoted(*tz_env) + " is not a known IANA time zone (e.g. Europe/Berlin)";
}

const ZoneData& Zone::loaded() const {
    std::call_once(m_zone->once, [z = m_zone] {
        const date::time_zone* tz = nullptr;
        try {
            tz = date::locate_zone(z->name);
        } catch (const std::exception&) {
            // Checked as a zone file before; date/tz disagreeing leaves UTC.
        }
        load(*z, tz);
    });
    return *m_zone;
}

std::string Zone::name() const {
    return m_zone ? m_zone->name : std::string("UTC");
}

Zone::Offset Zone::offset_at(Instant t) const {
    const date::time_zone* tz = m_zone ? loaded().tz : nullptr;
    if (!tz)
        return Offset{Duration{0}, "UTC", Instant::min(), Instant::max()};
    auto info = tz->get_info(to_date(t));
    Offset out{info.offset, info.abbrev, from_date(info.begin), from_date(info.end)};
    if (out.end == Instant::max() && m_zone->tail)
        return rule_offset(*m_zone->tail, t);
    return out;
}

LocalTime Zone::to_local(Instant t) const {
    if (!m_zone || !loaded().tz)
        return LocalTime{t.time_since_epoch()};
    return LocalTime{t.time_since_epoch() + offset_at(t).offset};
}

Zone::Resolved Zone::resolve(LocalTime lt) const {
    const date::time_zone* tz = m_zone ? loaded().tz : nullptr;
    if (!tz) {
        Instant t{lt.time_since_epoch()};
        return Resolved{Resolved::Kind::unique, t, t};
    }
    const ZoneTail* tail = m_zone->tail ? &*m_zone->tail : nullptr;
    if (tail && Instant{lt.time_since_epoch()} - Duration{2 * 86400} > tail->begin) {
        // Past the listed transitions: try both offsets of the rule.
        const Duration hi = std::max(tail->rule.std_offset, tail->rule.dst_offset);
        const Duration lo = std::min(tail->rule.std_offset, tail->rule.dst_offset);
        const Instant early{lt.time_since_epoch() - hi};
        const Instant late{lt.time_since_epoch() - lo};
        const bool early_ok = offset_at(early).offset == hi;
        const bool late_ok = offset_at(late).offset == lo;
        if (early_ok && late_ok)
            return Resolved{Resolved::Kind::overlap, early, late};
        if (early_ok || late_ok) {
            Instant t = early_ok ? early : late;
            return Resolved{Resolved::Kind::unique, t, t};
        }
        const Instant after_gap = offset_at(late).begin;
        return Resolved{Resolved::Kind::gap, after_gap, after_gap};
    }
    auto info = tz->get_info(to_date(lt));
    auto at = [&](const date::sys_info& i) { return Instant{lt.time_since_epoch() - i.offset}; };
    switch (info.result) {
    case date::local_info::unique: {
        auto t = at(info.first);
        return Resolved{Resolved::Kind::unique, t, t};
    }
    case date::local_info::nonexistent: {
        auto t = Instant{info.second.begin.time_since_epoch()};
        return Resolved{Resolved::Kind::gap, t, t};
    }
    default:
        return Resolved{Resolved::Kind::overlap, at(info.first), at(info.second)};
    }
}

} // namespace schedule::time
