#pragma once
// The store-wide settings of `schedule config` (schedule(1), Settings): one
// table that names every key, its default and how a value is checked.
// `config list`, `config set`, the man page and the completion helper all
// read this table.

#include <schedule/time/instant.hpp>
#include <schedule/util/result.hpp>

#include <array>
#include <cstdint>
#include <map>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedule::model {

struct SettingSpec {
    std::string_view key;
    // The default as text; nullopt when the setting is unset by default.
    std::optional<std::string_view> default_value;
    std::string_view description;
    // Checks a value and returns it normalised, or the reason it is wrong.
    util::Result<std::string> (*validate)(std::string_view value);
};

// Every setting, in the order `config list` shows them.
const std::vector<SettingSpec>& setting_specs();

// The values of log.level, least severe first.
inline constexpr std::array<std::string_view, 6> k_log_levels{"trace", "debug", "info",
                                                              "warn",  "error", "off"};

// The spec for `key`, or nullptr when no such setting exists. A spec whose
// key ends in ".*" (handlers.*) stands for every key with that prefix and a
// non-empty rest ([A-Za-z0-9_.-]).
const SettingSpec* find_setting(std::string_view key);

// A setting as `config list|get` shows it.
struct SettingValue {
    std::string key;
    std::optional<std::string> value;         // the value in force; nullopt when unset
    std::optional<std::string> default_value; // nullopt when unset by default
    std::string source;                       // "default" or "store"
    std::string description;
};

// The settings in force: the stored values over the defaults.
struct Settings {
    std::optional<std::string> timezone;
    std::int64_t output_max_bytes = 64 * 1024; // per stream
    time::Duration history_retention = std::chrono::hours(24 * 30);
    std::int64_t history_keep_last = 20;
    std::int64_t max_workers = 8;                // runs at once
    std::map<std::string, std::string> handlers; // task type -> executable
    std::string log_level = "warn";
    std::optional<std::string> log_file;
    // The store's default hooks (schedule(1), NOTIFICATIONS) and how long
    // a hook may run.
    std::optional<std::string> notify_on_failure;
    std::optional<std::string> notify_on_retry;
    std::optional<std::string> notify_on_success;
    time::Duration notify_timeout = std::chrono::seconds(30);

    // Builds the settings from stored (key, value) rows; unknown keys and
    // values that no longer validate are ignored (the default applies).
    static Settings from_stored(const std::vector<std::pair<std::string, std::string>>& rows);
};

} // namespace schedule::model
