#pragma once
// Settings (`config list|get`) as a table, JSON and CSV.

#include <schedule/format/style.hpp>
#include <schedule/model/settings.hpp>

#include <string>
#include <vector>

namespace schedule::format {

// KEY, VALUE, SOURCE, DEFAULT columns; unset values shown as "-".
std::string settings_table(const std::vector<model::SettingValue>& settings, const Style& style);
// A JSON array of {"key", "value", "default", "source", "description"}.
std::string settings_json(const std::vector<model::SettingValue>& settings);
// The same columns as CSV with a header row.
std::string settings_csv(const std::vector<model::SettingValue>& settings, const Style& style);
// One setting as JSON (the object of settings_json).
std::string setting_json(const model::SettingValue& setting);

} // namespace schedule::format
