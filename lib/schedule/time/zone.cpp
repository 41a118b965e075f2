#include <schedule/time/zone.hpp>
#include <schedule/util/strings.hpp>

#include <date/tz.h>

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
Instant from_date(date::sys_seconds t) {
    return Instant{t.time_since_epoch()};
}

} // namespace

util::Result<Zone> Zone::locate(std::string_view name) {
    if (name == "UTC")
        return Zone::utc();
    if (!is_plausible_zone_name(name))
        return util::fail(util::quoted(name) +
                          " is not an IANA time zone name (e.g. Europe/Berlin)");
    try {
        return Zone(date::locate_zone(name));
    } catch (const std::exception&) {
        return util::fail(util::quoted(name) +
                          " is not a known IANA time zone (e.g. Europe/Berlin)");
    }
}

Zone Zone::host_default(const std::optional<std::string>& configured,
                        const std::optional<std::string>& tz_env) {
    if (configured) {
        if (auto z = locate(*configured))
            return *z;
    }
    if (tz_env && !tz_env->empty()) {
        std::string_view name = *tz_env;
        if (name.front() == ':')
            name.remove_prefix(1);
        // glibc also takes a path into the zoneinfo tree.
        if (auto pos = name.find("/zoneinfo/");
            !name.empty() && name.front() == '/' && pos != std::string_view::npos)
            name.remove_prefix(pos + 10);
        if (auto z = locate(name))
            return *z;
    }
    try {
        const date::time_zone* tz = date::current_zone();
        if (tz->name() == "UTC" || tz->name() == "Etc/UTC")
            return Zone::utc();
        return Zone(tz);
    } catch (const std::exception&) {
        return Zone::utc();
    }
}

std::string Zone::name() const {
    return m_tz ? std::string(m_tz->name()) : std::string("UTC");
}

Zone::Offset Zone::offset_at(Instant t) const {
    if (!m_tz)
        return Offset{Duration{0}, "UTC", Instant::min(), Instant::max()};
    auto info = m_tz->get_info(to_date(t));
    return Offset{info.offset, info.abbrev, from_date(info.begin), from_date(info.end)};
}

LocalTime Zone::to_local(Instant t) const {
    if (!m_tz)
        return LocalTime{t.time_since_epoch()};
    auto info = m_tz->get_info(to_date(t));
    return LocalTime{t.time_since_epoch() + info.offset};
}

Zone::Resolved Zone::resolve(LocalTime lt) const {
    if (!m_tz) {
        Instant t{lt.time_since_epoch()};
        return Resolved{Resolved::Kind::unique, t, t};
    }
    auto info = m_tz->get_info(to_date(lt));
    auto at = [&](const date::sys_info& i) { return Instant{lt.time_since_epoch() - i.offset}; };
    switch (info.result) {
    case date::local_info::unique: {
        auto t = at(info.first);
        return Resolved{Resolved::Kind::unique, t, t};
    }
    case date::local_info::nonexistent: {
        auto t = from_date(info.second.begin);
        return Resolved{Resolved::Kind::gap, t, t};
    }
    default:
        return Resolved{Resolved::Kind::overlap, at(info.first), at(info.second)};
    }
}

} // namespace schedule::time
