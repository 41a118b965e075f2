#include <schedule/model/settings.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/strings.hpp>

#include <algorithm>
#include <cctype>

namespace schedule::model {

namespace {

util::Result<std::string> validate_timezone(std::string_view value) {
    auto z = time::Zone::locate(util::trim(value));
    if (!z)
        return util::fail(z.error());
    return std::string(util::trim(value));
}

util::Result<std::string> validate_log_level(std::string_view value) {
    auto v = util::to_lower(util::trim(value));
    for (auto level : k_log_levels)
        if (v == level)
            return v;
    return util::fail(util::quoted(value) +
                      " is not a log level (use trace, debug, info, warn, error or off)");
}

util::Result<std::string> validate_log_file(std::string_view value) {
    if (value.empty() || value.front() != '/')
        return util::fail(util::quoted(value) + " must be an absolute path");
    if (value.find('\0') != std::string_view::npos || value.find('\n') != std::string_view::npos)
        return util::fail(util::quoted(value) + " must not contain NUL or newlines");
    return std::string(value);
}

util::Result<std::string> validate_absolute_executable(std::string_view value) {
    auto v = validate_log_file(value);
    if (!v)
        return v;
    return std::string(value);
}

util::Result<std::string> validate_byte_size(std::string_view value) {
    auto v = util::trim(value);
    std::size_t digits = 0;
    while (digits < v.size() && std::isdigit(static_cast<unsigned char>(v[digits])))
        ++digits;
    auto unit = util::to_lower(v.substr(digits));
    std::int64_t scale = unit.empty() || unit == "b"    ? 1
                         : unit == "k" || unit == "kib" ? 1024
                         : unit == "m" || unit == "mib" ? 1024 * 1024
                                                        : 0;
    if (digits == 0 || digits > 12 || scale == 0)
        return util::fail(util::quoted(value) +
                          " is not a size (bytes, or with a K/KiB or M/MiB suffix)");
    auto n = std::stoll(std::string(v.substr(0, digits))) * scale;
    if (n > 64LL * 1024 * 1024)
        return util::fail(util::quoted(value) + " is above the limit of 64MiB");
    return std::to_string(n);
}

util::Result<std::string> validate_positive_duration(std::string_view value) {
    auto d = time::parse_duration(util::trim(value));
    if (!d)
        return util::fail(d.error());
    if (d->count() <= 0)
        return util::fail(util::quoted(value) + " must be above zero");
    return time::format_duration(*d);
}

util::Result<std::string> validate_keep_last(std::string_view value) {
    auto v = util::trim(value);
    if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        }))
        return util::fail(util::quoted(value) + " is not a whole number");
    return std::to_string(std::stoll(std::string(v)));
}

util::Result<std::string> validate_max_workers(std::string_view value) {
    auto v = util::parse_uint(util::trim(value), 10000);
    if (!v || *v < 1)
        return util::fail(util::quoted(value) + " is not a whole number from 1 to 10000");
    return std::to_string(*v);
}

util::Result<std::string> validate_hook(std::string_view value) {
    auto v = validate_command(value);
    if (!v)
        return util::fail(util::quoted(value) + ": " + v.error());
    return v;
}

bool valid_key_rest(std::string_view rest) {
    if (rest.empty() || rest.size() > 64)
        return false;
    for (char c : rest)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'))
            return false;
    return true;
}

} // namespace

const std::vector<SettingSpec>& setting_specs() {
    static const std::vector<SettingSpec> k_specs = {
        {"handlers.*", std::nullopt,
         "executable run for jobs of task type * (absolute path; handlers.TYPE)",
         validate_absolute_executable},
        {"history.keep_last", "20",
         "executions always kept per job, however old (retention pruning)", validate_keep_last},
        {"history.retention", "30d", "executions older than this are pruned (a duration)",
         validate_positive_duration},
        {"log.file", std::nullopt,
         "append log lines to this file as well as stderr (absolute path)", validate_log_file},
        {"log.level", "warn", "least severe level logged: trace, debug, info, warn, error, off",
         validate_log_level},
        {"max_workers", "8", "runs started by ticks that may run at once (the rest wait queued)",
         validate_max_workers},
        {"notify.on_failure", std::nullopt,
         "hook run after the last failed attempt of a job without --on-failure (shell command)",
         validate_hook},
        {"notify.on_retry", std::nullopt,
         "hook run after a failed attempt that is retried, for jobs without --on-retry",
         validate_hook},
        {"notify.on_success", std::nullopt,
         "hook run after a run that completed, for jobs without --on-success", validate_hook},
        {"notify.timeout", "30s",
         "how long a hook may run before its process group is stopped (a duration)",
         validate_positive_duration},
        {"output.max_bytes", "65536",
         "output kept per stream of each run: the head and the tail (bytes, K or M suffix)",
         validate_byte_size},
        {"timezone", std::nullopt,
         "zone for new jobs and for times without an offset (default: $TZ, else "
         "/etc/localtime, else UTC)",
         validate_timezone},
    };
    return k_specs;
}

const SettingSpec* find_setting(std::string_view key) {
    for (const auto& s : setting_specs()) {
        if (s.key == key)
            return &s;
        if (s.key.ends_with(".*") && key.starts_with(s.key.substr(0, s.key.size() - 1)) &&
            valid_key_rest(key.substr(s.key.size() - 1)))
            return &s;
    }
    return nullptr;
}

Settings Settings::from_stored(const std::vector<std::pair<std::string, std::string>>& rows) {
    Settings s;
    for (const auto& [key, value] : rows) {
        const auto* spec = find_setting(key);
        if (!spec)
            continue;
        auto v = spec->validate(value);
        if (!v)
            continue;
        if (key == "timezone")
            s.timezone = *v;
        else if (key == "log.level")
            s.log_level = *v;
        else if (key == "log.file")
            s.log_file = *v;
        else if (key == "output.max_bytes")
            s.output_max_bytes = std::stoll(*v);
        else if (key == "max_workers")
            s.max_workers = std::stoll(*v);
        else if (key == "history.keep_last")
            s.history_keep_last = std::stoll(*v);
        else if (key == "history.retention")
            s.history_retention = *time::parse_duration(*v);
        else if (key == "notify.on_failure")
            s.notify_on_failure = *v;
        else if (key == "notify.on_retry")
            s.notify_on_retry = *v;
        else if (key == "notify.on_success")
            s.notify_on_success = *v;
        else if (key == "notify.timeout")
            s.notify_timeout = *time::parse_duration(*v);
        else if (key.starts_with("handlers."))
            s.handlers[key.substr(9)] = *v;
    }
    return s;
}

} // namespace schedule::model
