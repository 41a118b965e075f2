#pragma once
// IANA time zones from the operating system's tz database: the TZif files
// under /usr/share/zoneinfo (RFC 8536), read here, each when first used.
//
// A Zone is a cheap handle (one pointer) to a zone record owned by this
// module, one record per name for the life of the process. "UTC" is
// special-cased and reads no file. The default zone is found by name (from
// the setting, $TZ or the /etc/localtime link, checked against the zoneinfo
// tree) and its file is read on first use, so a command that never converts
// a time in it reads nothing under /usr/share/zoneinfo.

#include <schedule/time/instant.hpp>
#include <schedule/util/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::time {

struct ZoneData; // a zone's name and, once loaded, its rules (zone.cpp)

class Zone {
public:
    // Looks a zone up by its IANA name ("Europe/Berlin", "UTC"); fails with a
    // reason naming the input when the name is unknown. Reads the zone's
    // file the first time a name is looked up.
    static util::Result<Zone> locate(std::string_view name);
    static Zone utc() { return Zone(nullptr); }

    // The zone that applies when a job or command names none (see the man
    // page, TIME): `configured` (config `timezone`) if set, else `tz_env`
    // ($TZ, with or without a leading ':', or a path into a zoneinfo tree),
    // else the zone /etc/localtime links to, else UTC. A value that names no
    // zone is passed over. An /etc/localtime that is a copy rather than a
    // link gives the zone /etc/timezone names. Names are checked against the
    // zoneinfo tree (one file look-up for the setting or $TZ, none for the
    // /etc/localtime link); the zone's rules are read when it is first used.
    static Zone host_default(const std::optional<std::string>& configured,
                             const std::optional<std::string>& tz_env);

    // Why `tz_env` ($TZ) gives no default zone, in words for a warning
    // naming the value (control characters escaped): it is a POSIX rule
    // ("EST5EDT,M3.2.0,M11.1.0") or names no known zone. nullopt when
    // unset, empty or usable.
    static std::optional<std::string> tz_problem(const std::optional<std::string>& tz_env);

    std::string name() const;
    bool is_utc() const { return m_zone == nullptr; }

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

    // Zones with the same name are the same zone.
    friend bool operator==(const Zone& a, const Zone& b) { return a.m_zone == b.m_zone; }

private:
    explicit Zone(ZoneData* zone) : m_zone(zone) {}
    static std::optional<Zone> named(std::string_view name);
    static Zone system_zone();
    const ZoneData& loaded() const;
    ZoneData* m_zone; // null means UTC
};

// The zone name in a symbolic link's target into a zoneinfo tree, as
// /etc/localtime holds it: the part after the last "zoneinfo/"
// ("../usr/share/zoneinfo/Europe/Berlin" gives "Europe/Berlin"; a "posix/"
// prefix is dropped, "right/" zones are refused). nullopt when the target
// names no plausible zone.
std::optional<std::string> zone_name_from_link(std::string_view target);

// The names Zone::locate accepts that start with `prefix`, sorted and
// without duplicates ("Europe/Be" gives Europe/Belfast, Europe/Belgrade and
// Europe/Berlin): the TZif files and links of the zoneinfo tree (not its
// posix/ and right/ copies, nor Factory) and UTC. Reads only the
// directories the prefix leads into, and the first bytes of each file there
// that matches. For shell completion.
std::vector<std::string> zone_names(std::string_view prefix);

// The release of the tz database the zones are read from ("2025b"): the
// `# version` line that starts tzdata.zi in the zoneinfo tree; nullopt
// when the tree has no such file.
std::optional<std::string> tz_database_version();

} // namespace schedule::time
