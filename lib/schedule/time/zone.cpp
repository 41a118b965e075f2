#include <schedule/time/iso8601.hpp>
#include <schedule/time/posix_tz.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/strings.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace schedule::time {

namespace {

constexpr const char* k_zoneinfo = "/usr/share/zoneinfo/";

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

// Plausible names that the tz database's zone list (zone1970.tab and the
// backward links) leaves out although the tree holds them as TZif files:
// "Factory", and the posix/ and right/ copies of the whole tree.
bool is_listed_zone_name(std::string_view name) {
    return is_plausible_zone_name(name) && name != "Factory" && name.rfind("posix/", 0) != 0 &&
           name.rfind("right/", 0) != 0;
}

} // namespace

// The tz database lists a zone's transitions up to 2037 only (or, in slim
// TZif files, up to its last change of rules); after its last listed
// transition the TZif footer's POSIX rule applies. A ZoneTail holds that
// rule for zones whose rule has daylight time, with its transitions worked
// out ahead for the next centuries.
struct ZoneTail {
    Instant begin; // the last listed transition
    PosixTz rule;
    std::vector<PosixTz::Transition> table; // from `begin` to the end of k_table_end
    static constexpr int k_table_end = 2400;
};

// A zone's rules as its TZif file (RFC 8536) gives them: the offset
// intervals it lists, then the footer's rule.
struct ZoneRules {
    struct Type {
        Duration offset;
        bool dst = false;
        std::string abbrev;
        friend bool operator==(const Type&, const Type&) = default;
    };
    std::vector<Type> types;
    std::size_t initial = 0;       // the type before the first transition
    std::vector<Instant> at;       // transitions, ascending, each changing the type
    std::vector<std::size_t> type; // the type from at[i] on
    std::optional<ZoneTail> tail;  // the rule after at.back(), when it has daylight time
};

// One per zone name, for the life of the process. `rules` is read once, by
// Zone::loaded() (or at once by locate, which must check the name).
struct ZoneData {
    std::string name;
    std::once_flag once;
    std::optional<ZoneRules> rules; // empty only if the file could not be read: then UTC
};

namespace {

// The first `limit` bytes of a file, or nullopt when it cannot be read (a
// directory, a missing file). stdio rather than a stream: a stream throws
// when a read fails.
std::optional<std::string> read_file(const std::string& path, std::size_t limit) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f)
        return std::nullopt;
    std::string out;
    char buf[8192];
    while (out.size() < limit) {
        auto n = std::fread(buf, 1, std::min(sizeof buf, limit - out.size()), f.get());
        if (n == 0)
            break;
        out.append(buf, n);
    }
    if (std::ferror(f.get()))
        return std::nullopt;
    return out;
}

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

// Big-endian integers and bytes of a TZif file, read front to back.
class TzifReader {
public:
    explicit TzifReader(std::string_view data) : m_data(data) {}
    bool has(std::size_t n) const { return m_data.size() - m_pos >= n; }
    std::int64_t number(std::size_t bytes) {
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < bytes; ++i)
            v = (v << 8) | static_cast<unsigned char>(m_data[m_pos + i]);
        m_pos += bytes;
        if (bytes < 8 && (v >> (bytes * 8 - 1)))
            v |= ~std::uint64_t{0} << (bytes * 8); // sign-extend
        return static_cast<std::int64_t>(v);
    }
    std::string_view take(std::size_t n) {
        auto s = m_data.substr(m_pos, n);
        m_pos += n;
        return s;
    }
    void skip(std::size_t n) { m_pos += n; }
    std::string_view rest() const { return m_data.substr(m_pos); }

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
};

struct TzifCounts {
    std::size_t isut, isstd, leap, time, type, chars;
    // The size of the data block that follows, with `time_bytes` per time.
    std::size_t block(std::size_t time_bytes) const {
        return time * time_bytes + time + type * 6 + chars + leap * (time_bytes + 4) + isstd + isut;
    }
};

std::optional<TzifCounts> read_header(TzifReader& r, char& version) {
    if (!r.has(44) || r.take(4) != "TZif")
        return std::nullopt;
    version = r.take(1)[0];
    r.skip(15);
    TzifCounts c{};
    for (std::size_t* field : {&c.isut, &c.isstd, &c.leap, &c.time, &c.type, &c.chars}) {
        auto v = r.number(4);
        if (v < 0 || v > 100000)
            return std::nullopt;
        *field = static_cast<std::size_t>(v);
    }
    if (c.type == 0 || !r.has(c.block(4)))
        return std::nullopt;
    return c;
}

std::optional<ZoneTail> make_tail(Instant last, const std::optional<PosixTz>& rule) {
    if (!rule || !rule->has_dst)
        return std::nullopt;
    ZoneTail tail{last, *rule, {}};
    const int first_year =
        last == Instant::min() ? 1970 : to_civil(LocalTime{last.time_since_epoch()}).year;
    for (int y = first_year; y <= ZoneTail::k_table_end; ++y)
        for (const auto& tr : rule->transitions(y))
            if (tr.at > last)
                tail.table.push_back(tr);
    return tail;
}

// Reads a TZif file: version 1 data with 32-bit times, or the version 2+
// block with 64-bit times and the footer rule. Leap seconds are ignored (the
// zones under right/ are not offered).
std::optional<ZoneRules> read_tzif(const std::string& path) {
    auto data = read_file(path, std::size_t{1} << 20);
    if (!data)
        return std::nullopt;
    TzifReader r(*data);
    char version = 0;
    auto counts = read_header(r, version);
    if (!counts)
        return std::nullopt;
    std::size_t time_bytes = 4;
    if (version != '\0') {
        r.skip(counts->block(4));
        counts = read_header(r, version);
        if (!counts || !r.has(counts->block(8)))
            return std::nullopt;
        time_bytes = 8;
    }
    const TzifCounts c = *counts;
    std::vector<Instant> times;
    for (std::size_t i = 0; i < c.time; ++i)
        times.push_back(Instant{Duration{r.number(time_bytes)}});
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < c.time; ++i)
        indices.push_back(static_cast<std::size_t>(r.number(1) & 0xff));
    struct Raw {
        std::int64_t offset;
        bool dst;
        std::size_t abbrev;
    };
    std::vector<Raw> raw;
    for (std::size_t i = 0; i < c.type; ++i) {
        auto offset = r.number(4);
        bool dst = r.number(1) != 0;
        raw.push_back({offset, dst, static_cast<std::size_t>(r.number(1) & 0xff)});
    }
    std::string_view chars = r.take(c.chars);
    r.skip(c.leap * (time_bytes + 4) + c.isstd + c.isut);

    ZoneRules rules;
    for (const auto& t : raw) {
        if (t.abbrev >= chars.size())
            return std::nullopt;
        auto abbrev = chars.substr(t.abbrev);
        rules.types.push_back(
            {Duration{t.offset}, t.dst, std::string(abbrev.substr(0, abbrev.find('\0')))});
    }
    // Before the first transition: the first standard-time type (RFC 8536
    // says type 0; zic writes them so that both agree).
    auto standard = std::find_if(rules.types.begin(), rules.types.end(),
                                 [](const ZoneRules::Type& t) { return !t.dst; });
    rules.initial = standard == rules.types.end()
                        ? 0
                        : static_cast<std::size_t>(standard - rules.types.begin());
    // Keep only the transitions that change what is in force.
    std::size_t current = rules.initial;
    for (std::size_t i = 0; i < times.size(); ++i) {
        if (indices[i] >= rules.types.size())
            return std::nullopt;
        if (i > 0 && times[i] <= times[i - 1])
            return std::nullopt;
        if (rules.types[indices[i]] == rules.types[current])
            continue;
        rules.at.push_back(times[i]);
        rules.type.push_back(indices[i]);
        current = indices[i];
    }
    if (version != '\0') {
        auto rest = r.rest();
        if (rest.size() >= 2 && rest.front() == '\n') {
            auto footer = rest.substr(1, rest.find('\n', 1) - 1);
            if (auto rule = parse_posix_tz(footer))
                rules.tail = make_tail(rules.at.empty() ? Instant::min() : rules.at.back(), *rule);
        }
    }
    return rules;
}

// True when the zoneinfo tree holds `name` as a TZif file: one file read,
// no parsing.
bool is_zone_file(std::string_view name) {
    if (!is_listed_zone_name(name))
        return false;
    return read_file(k_zoneinfo + std::string(name), 4) == "TZif";
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

// The first line of a file, without white space around it.
std::string first_line(const char* path) {
    auto text = read_file(path, 4096).value_or("");
    return std::string(util::trim(std::string_view(text).substr(0, text.find('\n'))));
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

// The offset interval holding t by the listed transitions.
Zone::Offset listed_offset(const ZoneRules& rules, Instant t) {
    auto it = std::upper_bound(rules.at.begin(), rules.at.end(), t);
    const auto i = static_cast<std::size_t>(it - rules.at.begin());
    const auto& type = rules.types[i == 0 ? rules.initial : rules.type[i - 1]];
    return Zone::Offset{type.offset, type.abbrev, i == 0 ? Instant::min() : rules.at[i - 1],
                        i == rules.at.size() ? Instant::max() : rules.at[i]};
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

std::optional<std::string> tz_database_version() {
    const auto head = read_file(k_zoneinfo + std::string("tzdata.zi"), 64);
    constexpr std::string_view k_mark = "# version ";
    if (!head || !head->starts_with(k_mark))
        return std::nullopt;
    auto version = head->substr(k_mark.size());
    version = version.substr(0, version.find('\n'));
    if (version.empty())
        return std::nullopt;
    return version;
}

std::vector<std::string> zone_names(std::string_view prefix) {
    std::vector<std::string> names;
    // `dir` is "" or a directory of the tree with its slash ("Europe/").
    std::function<void(const std::string&)> walk = [&](const std::string& dir) {
        std::error_code ec;
        for (std::filesystem::directory_iterator it(k_zoneinfo + dir, ec), end; !ec && it != end;
             it.increment(ec)) {
            const std::string name = dir + it->path().filename().string();
            std::error_code type_ec;
            if (it->is_directory(type_ec)) {
                // Entered only when names under it can start with the prefix.
                const std::string sub = name + "/";
                if ((sub.starts_with(prefix) || prefix.starts_with(sub)) &&
                    is_listed_zone_name(sub))
                    walk(sub);
            } else if (name.starts_with(prefix) && is_zone_file(name)) {
                names.push_back(name);
            }
        }
    };
    walk("");
    if (std::string_view("UTC").starts_with(prefix))
        names.emplace_back("UTC");
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

util::Result<Zone> Zone::locate(std::string_view name) {
    if (name == "UTC")
        return Zone::utc();
    if (!is_plausible_zone_name(name))
        return util::fail(util::quoted(name) +
                          " is not an IANA time zone name (e.g. Europe/Berlin)");
    Zone z(&intern(name));
    if (!is_listed_zone_name(name) || !z.loaded().rules)
        return util::fail(util::quoted(name) +
                          " is not a known IANA time zone (e.g. Europe/Berlin)");
    return z;
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
    std::optional<std::string> name;
    auto target = std::filesystem::read_symlink("/etc/localtime", ec);
    if (!ec) {
        // The link must lead to a file; its name is checked, not its data.
        if (std::filesystem::is_regular_file("/etc/localtime", ec))
            name = zone_name_from_link(target.string());
    } else {
        // A copy rather than a link: Debian names the zone in /etc/timezone.
        name = first_line("/etc/timezone");
    }
    if (name && (*name == "UTC" || *name == "Etc/UTC"))
        return Zone::utc();
    if (name) {
        if (auto z = named(*name))
            return *z;
    }
    return Zone::utc();
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
        // Checked as a zone file before; an unreadable one leaves UTC.
        z->rules = read_tzif(k_zoneinfo + z->name);
    });
    return *m_zone;
}

std::string Zone::name() const {
    return m_zone ? m_zone->name : std::string("UTC");
}

Zone::Offset Zone::offset_at(Instant t) const {
    const ZoneRules* rules = m_zone && loaded().rules ? &*m_zone->rules : nullptr;
    if (!rules)
        return Offset{Duration{0}, "UTC", Instant::min(), Instant::max()};
    if (rules->tail && t >= rules->tail->begin)
        return rule_offset(*rules->tail, t);
    return listed_offset(*rules, t);
}

LocalTime Zone::to_local(Instant t) const {
    return LocalTime{t.time_since_epoch() + offset_at(t).offset};
}

Zone::Resolved Zone::resolve(LocalTime lt) const {
    // Offsets lie within a day of UTC: every interval that could hold the
    // reading starts or ends within two days of it, read as UTC.
    const Instant as_utc{lt.time_since_epoch()};
    const Instant last = as_utc + Duration{2 * 86400};
    std::optional<Instant> first_match, last_match, after_gap;
    for (Offset o = offset_at(as_utc - Duration{2 * 86400});; o = offset_at(o.end)) {
        const Instant t = as_utc - o.offset;
        if (o.begin <= t && t < o.end) {
            if (!first_match)
                first_match = t;
            last_match = t;
        } else if (!after_gap && t < o.begin) {
            after_gap = o.begin; // the reading falls before this interval's first
        }
        if (o.end == Instant::max() || o.end > last)
            break;
    }
    if (!first_match) {
        Instant t = after_gap.value_or(as_utc);
        return Resolved{Resolved::Kind::gap, t, t};
    }
    if (*first_match == *last_match)
        return Resolved{Resolved::Kind::unique, *first_match, *first_match};
    return Resolved{Resolved::Kind::overlap, *first_match, *last_match};
}

} // namespace schedule::time
