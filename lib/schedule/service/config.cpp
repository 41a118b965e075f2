#include <schedule/model/job_json.hpp>
#include <schedule/service/config.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace schedule::service {

namespace {

const model::SettingSpec& spec_for(std::string_view key) {
    const auto* spec = model::find_setting(key);
    if (!spec) {
        std::vector<std::string> keys;
        for (const auto& s : model::setting_specs())
            keys.emplace_back(s.key);
        throw util::ValidationError("config", util::quoted(key) + " is not a setting",
                                    "settings: " + util::join(keys, ", "));
    }
    return *spec;
}

std::optional<std::string> stored_value(Context& ctx, std::string_view key) {
    for (auto& [k, v] : ctx.store.config_rows())
        if (k == key)
            return v;
    return std::nullopt;
}

SettingValue view(Context& ctx, const model::SettingSpec& spec, std::string_view key,
                  const std::optional<std::string>& stored) {
    SettingValue v;
    v.key = std::string(key);
    v.description = std::string(spec.description);
    if (spec.default_value)
        v.default_value = std::string(*spec.default_value);
    else if (spec.key == "timezone")
        v.default_value = ctx.host_zone().name(); // the host's zone is the default
    v.source = stored ? "store" : "default";
    v.value = stored ? stored : v.default_value;
    return v;
}

void append_config_event(Context& ctx, store::WriteTransaction& tx, std::string_view key,
                         const std::optional<std::string>& old_value,
                         const std::optional<std::string>& new_value) {
    nlohmann::ordered_json detail;
    detail["key"] = std::string(key);
    detail["old"] = old_value ? nlohmann::ordered_json(*old_value) : nullptr;
    detail["new"] = new_value ? nlohmann::ordered_json(*new_value) : nullptr;
    model::Event e;
    e.time = ctx.now();
    e.type = model::event_type::config_changed;
    e.user = ctx.user();
    e.detail = model::dump_json(detail);
    ctx.store.append_event(tx, e);
}

} // namespace

std::vector<SettingValue> list_settings(Context& ctx) {
    auto rows = ctx.store.config_rows();
    std::vector<SettingValue> out;
    for (const auto& spec : model::setting_specs()) {
        if (spec.key.ends_with(".*")) {
            // A family of keys (handlers.TYPE): each stored one, or the
            // pattern itself so that the family is discoverable.
            auto prefix = spec.key.substr(0, spec.key.size() - 1);
            bool any = false;
            for (auto& [k, v] : rows)
                if (k.starts_with(prefix)) {
                    out.push_back(view(ctx, spec, k, v));
                    any = true;
                }
            if (!any)
                out.push_back(view(ctx, spec, spec.key, std::nullopt));
            continue;
        }
        std::optional<std::string> stored;
        for (auto& [k, v] : rows)
            if (k == spec.key)
                stored = v;
        out.push_back(view(ctx, spec, spec.key, stored));
    }
    return out;
}

SettingValue get_setting(Context& ctx, std::string_view key) {
    const auto& spec = spec_for(key);
    return view(ctx, spec, key, stored_value(ctx, key));
}

SettingValue set_setting(Context& ctx, std::string_view key, std::string_view value) {
    const auto& spec = spec_for(key);
    auto checked = spec.validate(value);
    if (!checked)
        throw util::ValidationError(std::string(key), checked.error());

    auto tx = ctx.store.begin_write();
    auto old_value = stored_value(ctx, key);
    if (old_value != *checked) {
        ctx.store.set_config(tx, std::string(key), *checked, ctx.now());
        append_config_event(ctx, tx, key, old_value, *checked);
        tx.commit();
        spdlog::info("set {} = {}", util::escape_control(key), util::escape_control(*checked));
    }
    return view(ctx, spec, key, *checked);
}

bool unset_setting(Context& ctx, std::string_view key) {
    spec_for(key);
    auto tx = ctx.store.begin_write();
    auto old_value = stored_value(ctx, key);
    if (!old_value)
        return false;
    ctx.store.unset_config(tx, std::string(key));
    append_config_event(ctx, tx, key, old_value, std::nullopt);
    tx.commit();
    spdlog::info("unset {}", util::escape_control(key));
    return true;
}

} // namespace schedule::service
