// Run functions of the `config` commands.

#include "commands.hpp"

#include <schedule/format/config.hpp>
#include <schedule/service/config.hpp>
#include <schedule/util/utf8.hpp>

namespace schedule::app {

int run_config_list(Invocation& inv) {
    auto settings = service::list_settings(inv.context());
    if (inv.output_format() == "json")
        inv.print(format::settings_json(settings));
    else if (inv.output_format() == "csv")
        inv.print(format::settings_csv(settings, inv.style()));
    else
        inv.print(format::settings_table(settings, inv.style()));
    return 0;
}

int run_config_get(Invocation& inv, const ConfigKeyOptions& o) {
    auto setting = service::get_setting(inv.context(), o.key);
    if (inv.output_format() == "json")
        inv.print(format::setting_json(setting));
    else if (setting.value)
        inv.print(util::escape_control(*setting.value) + "\n");
    return 0;
}

int run_config_set(Invocation& inv, const ConfigKeyOptions& o) {
    auto setting = service::set_setting(inv.context(), o.key, o.value);
    if (inv.output_format() == "json")
        inv.print(format::setting_json(setting));
    else if (!inv.quiet())
        inv.print(setting.key + " = " + util::escape_control(setting.value.value_or("")) + "\n");
    return 0;
}

int run_config_unset(Invocation& inv, const ConfigKeyOptions& o) {
    auto& ctx = inv.context();
    bool removed = service::unset_setting(ctx, o.key);
    auto setting = service::get_setting(ctx, o.key);
    if (inv.output_format() == "json") {
        inv.print(format::setting_json(setting));
    } else if (!inv.quiet()) {
        std::string now = setting.value ? util::escape_control(*setting.value) : "unset";
        inv.print(removed ? o.key + " removed; the default applies (" + now + ")\n"
                          : o.key + " was not set; the default applies (" + now + ")\n");
    }
    return 0;
}

} // namespace schedule::app
