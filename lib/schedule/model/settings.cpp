#include <schedule/model/settings.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/strings.hpp>

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
    for (auto level : {"trace", "debug", "info", "warn", "error", "off"})
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

} // namespace

const std::vector<SettingSpec>& setting_specs() {
    static const std::vector<SettingSpec> k_specs = {
        {"log.file", std::nullopt,
         "append log lines to this file as well as stderr (absolute path)", validate_log_file},
        {"log.level", "warn", "least severe level logged: trace, debug, info, warn, error, off",
         validate_log_level},
        {"timezone", std::nullopt,
         "zone for new jobs and for times without an offset (default: $TZ, else "
         "/etc/localtime, else UTC)",
         validate_timezone},
    };
    return k_specs;
}

const SettingSpec* find_setting(std::string_view key) {
    for (const auto& s : setting_specs())
        if (s.key == key)
            return &s;
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
    }
    return s;
}

} // namespace schedule::model
