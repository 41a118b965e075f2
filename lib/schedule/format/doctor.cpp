#include <schedule/format/doctor.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace schedule::format {

namespace {

using ojson = nlohmann::ordered_json;

bool any_failed(const std::vector<CheckLine>& checks) {
    return std::any_of(checks.begin(), checks.end(),
                       [](const CheckLine& c) { return c.status == "fail"; });
}

} // namespace

std::string doctor_text(const std::vector<CheckLine>& checks, bool color) {
    std::size_t width = 0;
    for (const auto& c : checks)
        width = std::max(width, c.name.size());
    std::string out;
    for (const auto& c : checks) {
        const auto paint_as = c.status == "ok"     ? Color::green
                              : c.status == "warn" ? Color::yellow
                                                   : Color::red;
        std::string status = c.status;
        status.resize(4, ' ');
        std::string name = c.name;
        name.resize(width, ' ');
        out +=
            paint(status, paint_as, color) + "  " + name + "  " + util::escape_control(c.message);
        if (c.fix)
            out += " (fix: " + util::escape_control(*c.fix) + ")";
        out += '\n';
    }
    return out;
}

std::string doctor_json(const std::vector<CheckLine>& checks) {
    ojson list = ojson::array();
    for (const auto& c : checks)
        list.push_back({{"check", c.name},
                        {"status", c.status},
                        {"message", c.message},
                        {"fix", c.fix ? ojson(*c.fix) : ojson(nullptr)}});
    ojson doc = {{"ok", !any_failed(checks)}, {"checks", std::move(list)}};
    return model::dump_json(doc, 2) + "\n";
}

} // namespace schedule::format
