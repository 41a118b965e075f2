#pragma once
// Use cases of `schedule config list|get|set|unset` (schedule(1), CONFIG
// COMMANDS).

#include <schedule/service/context.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::service {

using model::SettingValue;

// Every setting, with its value in force.
std::vector<SettingValue> list_settings(Context& ctx);

// One setting. Throws ValidationError (exit 2) for an unknown key.
SettingValue get_setting(Context& ctx, std::string_view key);

// Validates and stores a value, with a config.changed event. Throws
// ValidationError naming the key for an unknown key or a bad value.
SettingValue set_setting(Context& ctx, std::string_view key, std::string_view value);

// Removes a stored value so the default applies again. Returns false (and
// writes nothing) when no value was stored.
bool unset_setting(Context& ctx, std::string_view key);

} // namespace schedule::service
