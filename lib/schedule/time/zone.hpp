#pragma once
// IANA time zones from the operating system's tz database
// (/usr/share/zoneinfo). This module is the only user of date/tz.
//
// A Zone is a cheap handle (one pointer) to a zone owned by the process-wide
// tz database. "UTC" is special-cased so that code working only in UTC never
// loads the database (about 3 ms).

#include <schedule/time/instant.hpp>
#include <schedule/util/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace schedule::time {

struct ZoneTail; // the POSIX rule after the listed transitions (zone.cpp)

class Zone {
public:
    // Looks a zone up by its IANA name ("Europe/Berlin", "UTC"); fails with a
    // reason naming the input when the name is unknown. Reads the tz database
    // on first use.
    static util::Result<Zone> locate(std::string_view name);
    static Zone utc() { return Zone(nullptr, nullptr); }

    // The zone that applies when a job or command names none (SPEC §17):
    // `configured` (config `timezone`) if set, else `tz_env` ($TZ, with or
    // without a leading ':', or a path into a zoneinfo tree), else
    // /etc/localtime, else UTC. A value that
    // names no zone is passed over.
    static Zone host_default(const std::optional<std::string>& configured,
                             const std::optional<std::string>& tz_env);

    std::string name() const;
    bool is_utc() const { return m_tz == nullptr; }

    // UTC offset and abbreviation in force at t, and the interval
    // [begin, end) of instants that share them.
    struct Offset {
        Duration offset;
        std::string abbrev;
        Instant begin;
        Instant end;
    };
    Offset offset_at(Instant t) const;

    // The wall-clock reading at t.
    LocalTime to_local(Instant t) const;

    // The instants at which the wall clock reads `lt`.
    // unique:  first == second, the one instant.
    // gap:     none exists (spring forward); first == second == the instant
    //          of the transition, i.e. the first instant after the gap.
    // overlap: two exist (fall back); first is the earlier (first pass),
    //          second the later.
    struct Resolved {
        enum class Kind { unique, gap, overlap };
        Kind kind;
        Instant first;
        Instant second;
    };
    Resolved resolve(LocalTime lt) const;

    friend bool operator==(const Zone& a, const Zone& b) { return a.m_tz == b.m_tz; }

private:
    Zone(const date::time_zone* tz, const ZoneTail* tail) : m_tz(tz), m_tail(tail) {}
    static Zone of(const date::time_zone* tz);
    const date::time_zone* m_tz; // null means UTC
    const ZoneTail* m_tail;      // null when the zone has no daylight-time rule
};

} // namespace schedule::time
