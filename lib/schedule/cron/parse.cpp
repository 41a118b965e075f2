#include <schedule/cron/expression.hpp>
#include <schedule/util/strings.hpp>

#include <array>
#include <optional>

namespace schedule::cron {

namespace {

struct FieldSpec {
    const char* name;
    int min;
    int max; // the largest value written (7 for day-of-week)
    const std::array<const char*, 12>* names;
    int first_name_value;  // value of names[0]
    const char* name_kind; // "month" or "weekday"
};

const std::array<const char*, 12> k_month_names = {"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};
const std::array<const char*, 12> k_weekday_names = {"sun", "mon", "tue", "wed",
                                                     "thu", "fri", "sat", nullptr};

// A field longer than this is refused before it is read (or shown in a
// message): every value of a field written out, "0,1,...,59", is 170
// bytes. The crontab reader refuses such a time field too.
constexpr std::size_t k_max_field_bytes = 256;

const FieldSpec k_fields[5] = {
    {"minute", 0, 59, nullptr, 0, nullptr},
    {"hour", 0, 23, nullptr, 0, nullptr},
    {"day-of-month", 1, 31, nullptr, 0, nullptr},
    {"month", 1, 12, &k_month_names, 1, "month"},
    {"day-of-week", 0, 7, &k_weekday_names, 0, "weekday"},
};

std::string range_text(const FieldSpec& f) {
    std::string r = std::to_string(f.min) + "-" + std::to_string(f.max);
    if (f.names == &k_month_names)
        r += " or JAN-DEC";
    else if (f.names == &k_weekday_names)
        r += " or SUN-SAT";
    return r;
}

util::Failure field_error(const FieldSpec& f, const std::string& why) {
    return util::fail(std::string(f.name) + " field: " + why);
}

// One value: a number or (in month/day-of-week fields) a three-letter name.
util::Result<int> parse_value(const FieldSpec& f, std::string_view tok) {
    if (tok.empty())
        return field_error(f, "missing value");
    if (util::is_digits(tok)) {
        auto v = util::parse_uint(tok, 1000000);
        if (!v || int(*v) < f.min || int(*v) > f.max)
            return field_error(f, std::string(tok) + " is out of range " + range_text(f));
        return int(*v);
    }
    bool alpha = true;
    for (char c : tok)
        alpha = alpha && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    if (alpha && tok.size() == 3) {
        auto lower = util::to_lower(tok);
        if (f.names) {
            for (std::size_t i = 0; i < f.names->size() && (*f.names)[i]; ++i)
                if (lower == (*f.names)[i])
                    return f.first_name_value + int(i);
        }
        const auto& other = f.names == &k_month_names ? k_weekday_names : k_month_names;
        for (auto* n : other)
            if (n && lower == n) {
                if (f.names)
                    return field_error(f, util::quoted(tok) + " is not a " + f.name_kind +
                                              " name (use " + range_text(f) + ")");
                return field_error(f, util::quoted(tok) + " is a name; this field takes " +
                                          range_text(f));
            }
    }
    if (tok.front() == '-')
        return field_error(f, util::quoted(tok) + " is negative (use " + range_text(f) + ")");
    return field_error(f, util::quoted(tok) + " is not a valid value (use " + range_text(f) + ")");
}

// Sets the bits of one list element into `bits`. Day-of-week 7 maps to 0.
std::optional<util::Failure> parse_element(const FieldSpec& f, std::string_view el,
                                           std::uint64_t& bits) {
    if (el.empty())
        return field_error(f, "empty list element");
    std::string_view range = el;
    std::optional<int> step;
    if (auto slash = el.find('/'); slash != std::string_view::npos) {
        range = el.substr(0, slash);
        auto step_text = el.substr(slash + 1);
        if (step_text.find('/') != std::string_view::npos)
            return field_error(f, util::quoted(el) + " has more than one step");
        if (step_text.empty())
            return field_error(f, util::quoted(el) + ": missing step after '/'");
        if (!util::is_digits(step_text))
            return field_error(f, util::quoted(el) + ": step " + util::quoted(step_text) +
                                      " must be a positive number");
        auto s = util::parse_uint(step_text, 1000000);
        if (!s)
            return field_error(f, util::quoted(el) + ": step " + std::string(step_text) +
                                      " is too large");
        if (*s == 0)
            return field_error(f, util::quoted(el) + ": step 0 is not allowed");
        step = int(*s);
    }

    int lo, hi;
    if (range == "*") {
        lo = f.min;
        hi = f.name_kind && std::string_view(f.name_kind) == "weekday" ? 6 : f.max;
    } else if (!range.empty() && range.front() == '*') {
        return field_error(f, util::quoted(el) + ": '*' cannot be combined with a value");
    } else {
        auto dash = range.find('-', 1);
        if (range.front() == '-')
            return field_error(f, util::quoted(range) + " is negative (use " + range_text(f) + ")");
        if (dash == std::string_view::npos) {
            auto v = parse_value(f, range);
            if (!v)
                return util::fail(v.error());
            lo = *v;
            hi = step ? f.max : *v; // "n/s" means n-MAX/s
        } else {
            auto end_text = range.substr(dash + 1);
            if (end_text.empty())
                return field_error(f, util::quoted(range) + ": range without an end");
            if (end_text.front() == '*')
                return field_error(f, util::quoted(range) + ": a range cannot end in '*'");
            auto a = parse_value(f, range.substr(0, dash));
            if (!a)
                return util::fail(a.error());
            auto b = parse_value(f, end_text);
            if (!b)
                return util::fail(b.error());
            lo = *a;
            hi = *b;
            if (lo > hi) {
                bool weekday = f.name_kind && std::string_view(f.name_kind) == "weekday";
                if (weekday && hi == 0 && !step) {
                    hi = 7; // "6-0", "SAT-SUN": up to Sunday
                } else if (weekday && hi == 0) {
                    return field_error(f, util::quoted(el) +
                                              ": a weekday range ending in Sunday (0) cannot "
                                              "take a step; write it with 7");
                } else {
                    return field_error(f, util::quoted(range) +
                                              " is a reversed range (the start must not be "
                                              "after the end)");
                }
            }
        }
    }
    int s = step.value_or(1);
    for (int v = lo; v <= hi; v += s) {
        int bit = (f.max == 7 && v == 7) ? 0 : v;
        bits |= std::uint64_t{1} << bit;
    }
    return std::nullopt;
}

util::Result<std::uint64_t> parse_field(const FieldSpec& f, std::string_view text) {
    std::uint64_t bits = 0;
    for (auto el : util::split(text, ',')) {
        if (auto err = parse_element(f, el, bits))
            return *err;
    }
    return bits;
}

struct Macro {
    const char* name;
    const char* fields;
};
const Macro k_macros[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

bool looks_like_field(std::string_view tok) {
    for (char c : tok) {
        bool ok = (c >= '0' && c <= '9') || c == '*' || c == '/' || c == ',' || c == '-' ||
                  c == '?' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!ok)
            return false;
    }
    return true;
}

// Can any calendar date satisfy the month and day fields? Only the AND rule
// can make an expression impossible: every (month, day) pair occurs on every
// weekday in some year, Feb 29 included.
bool some_day_exists(const Expression& e) {
    static const int k_max_day[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!(e.dom_star || e.dow_star))
        return true;
    for (int m = 1; m <= 12; ++m) {
        if (!e.has_month(m))
            continue;
        for (int d = 1; d <= k_max_day[m]; ++d)
            if ((e.days >> d) & 1U)
                return true;
    }
    return false;
}

} // namespace

util::Result<Expression> parse(std::string_view input) {
    auto trimmed = util::trim(input);
    if (trimmed.empty())
        return util::fail("empty expression (expected five fields: minute hour day-of-month "
                          "month day-of-week, e.g. \"*/15 * * * *\")");

    Expression e;
    std::string fields_text;
    if (trimmed.front() == '@') {
        auto lower = util::to_lower(trimmed);
        if (lower == "@reboot") {
            e.reboot = true;
            e.text = "@reboot";
            return e;
        }
        for (const auto& m : k_macros) {
            if (lower == m.name) {
                fields_text = m.fields;
                e.text = m.name;
                break;
            }
        }
        if (fields_text.empty())
            return util::fail(util::quoted(trimmed) +
                              " is not a known macro (use @yearly, @annually, @monthly, @weekly, "
                              "@daily, @midnight, @hourly or @reboot)");
    } else {
        fields_text = std::string(trimmed);
    }

    auto tokens = util::split_ws(fields_text);
    if (tokens.size() == 6) {
        if (looks_like_field(tokens[5]) && looks_like_field(tokens[0]))
            return util::fail("seconds are not supported: tick runs once a minute (six fields "
                              "given; use five: minute hour day-of-month month day-of-week)");
        return util::fail("expected five fields, got six; this looks like a crontab line: put "
                          "only the schedule here and the command in --command");
    }
    if (tokens.size() != 5)
        return util::fail(
            "expected five fields (minute hour day-of-month month day-of-week), got " +
            std::to_string(tokens.size()));

    std::uint64_t bits[5];
    for (int i = 0; i < 5; ++i) {
        if (tokens[i].size() > k_max_field_bytes)
            return field_error(k_fields[i], "longer than " + std::to_string(k_max_field_bytes) +
                                                " bytes (" + std::to_string(tokens[i].size()) +
                                                " given)");
        auto r = parse_field(k_fields[i], tokens[i]);
        if (!r)
            return util::fail(r.error());
        bits[i] = *r;
    }
    e.minutes = bits[0];
    e.hours = static_cast<std::uint32_t>(bits[1]);
    e.days = static_cast<std::uint32_t>(bits[2]);
    e.months = static_cast<std::uint16_t>(bits[3]);
    e.weekdays = static_cast<std::uint8_t>(bits[4]);
    e.dom_star = tokens[2].front() == '*';
    e.dow_star = tokens[4].front() == '*';
    e.wildcard = tokens[0].front() == '*' || tokens[1].front() == '*';
    if (e.text.empty()) {
        std::vector<std::string> parts(tokens.begin(), tokens.end());
        e.text = util::join(parts, " ");
    }
    if (!some_day_exists(e))
        return util::fail("never fires: day-of-month " + std::string(tokens[2]) +
                          " does not occur in month " + std::string(tokens[3]));
    return e;
}

} // namespace schedule::cron
