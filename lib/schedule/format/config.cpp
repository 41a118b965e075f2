#include <schedule/format/config.hpp>
#include <schedule/format/jobs.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>

#include <nlohmann/json.hpp>

namespace schedule::format {

namespace {
nlohmann::ordered_json to_json(const model::SettingValue& s) {
    auto opt = [](const std::optional<std::string>& v) {
        return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
    };
    nlohmann::ordered_json j;
    j["key"] = s.key;
    j["value"] = opt(s.value);
    j["default"] = opt(s.default_value);
    j["source"] = s.source;
    j["description"] = s.description;
    return j;
}
} // namespace

std::string settings_table(const std::vector<model::SettingValue>& settings, const Style& style) {
    Table table({"KEY", "VALUE", "SOURCE", "DEFAULT"});
    for (const auto& s : settings)
        table.add_row({{s.key},
                       {s.value.value_or("-"), s.source == "store" ? Color::cyan : Color::none},
                       {s.source, Color::dim},
                       {s.default_value.value_or("-"), Color::dim}});
    return table.render(style.color);
}

std::string settings_json(const std::vector<model::SettingValue>& settings) {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (const auto& s : settings)
        arr.push_back(to_json(s));
    return model::dump_json(arr, 2) + "\n";
}

std::string setting_json(const model::SettingValue& setting) {
    return model::dump_json(to_json(setting), 2) + "\n";
}

std::string settings_csv(const std::vector<model::SettingValue>& settings, const Style& style) {
    std::string out = "key,value,default,source,description\r\n";
    for (const auto& s : settings) {
        out += csv_field(s.key, style) + "," + csv_field(s.value.value_or(""), style) + "," +
               csv_field(s.default_value.value_or(""), style) + "," + csv_field(s.source, style) +
               "," + csv_field(s.description, style) + "\r\n";
    }
    return out;
}

} // namespace schedule::format
