#include <schedule/format/events.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace schedule::format {

namespace {

using ojson = nlohmann::ordered_json;

// A job.created event holds the whole job: the table shows its start.
constexpr std::size_t k_detail_width = 60;

// "2026-12-25 10:00:05" in the default zone, "2026-12-25 10:00:05Z" under
// --utc: a log needs the seconds, and no relative time that goes stale.
std::string event_time(time::Instant t, const Style& style) {
    std::string iso = style.utc ? time::format_iso_utc(t) : time::format_iso(t, style.default_zone);
    std::string wall = iso.substr(0, 19);
    wall[10] = ' ';
    return style.utc ? wall + "Z" : wall;
}

Color type_color(std::string_view type) {
    if (type == model::event_type::execution_failed ||
        type == model::event_type::execution_timed_out || type == model::event_type::execution_lost)
        return Color::red;
    if (type == model::event_type::execution_completed)
        return Color::green;
    return Color::none;
}

std::string value_text(const ojson& v) {
    if (v.is_null())
        return "-";
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v)
            out += (out.empty() ? "" : ",") + value_text(item);
        return out;
    }
    return model::dump_json(v);
}

// The cells of an event's row: time, type, job, execution, user, detail.
std::vector<std::string> fields(const model::Event& e, const Style& style) {
    return {event_time(e.time, style),
            e.type,
            e.job_name.value_or("-"),
            e.execution_id ? std::to_string(*e.execution_id) : "-",
            e.user,
            util::truncate_to_width(event_detail_text(e.detail), k_detail_width)};
}

ojson event_object(const model::Event& e, const Style& style) {
    ojson j;
    j["event_id"] = e.id;
    j["time"] = model::instant_json(e.time, style.default_zone, style.utc);
    j["type"] = e.type;
    j["job_id"] = e.job_id ? ojson(*e.job_id) : ojson(nullptr);
    j["job_name"] = e.job_name ? ojson(*e.job_name) : ojson(nullptr);
    j["execution_id"] = e.execution_id ? ojson(*e.execution_id) : ojson(nullptr);
    j["user"] = e.user;
    // The store writes a JSON object; anything else is shown as its text.
    auto detail = ojson::parse(e.detail, nullptr, false);
    j["detail"] = detail.is_discarded() ? ojson(e.detail) : std::move(detail);
    return j;
}

} // namespace

std::string event_detail_text(std::string_view detail) {
    auto j = ojson::parse(detail, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        return std::string(detail);
    std::string out;
    for (auto it = j.begin(); it != j.end(); ++it)
        out += (out.empty() ? "" : " ") + it.key() + "=" + value_text(it.value());
    return out;
}

std::string events_table(const std::vector<model::Event>& events, const Style& style) {
    Table table({"TIME", "TYPE", "JOB", "EXECUTION", "USER", "DETAIL"});
    for (const auto& e : events) {
        auto f = fields(e, style);
        table.add_row({{f[0]},
                       {f[1], type_color(e.type)},
                       {f[2]},
                       {f[3]},
                       {f[4], Color::dim},
                       {f[5], Color::dim}});
    }
    return table.render(style.color);
}

std::string event_line(const model::Event& e, const Style& style) {
    std::size_t width = 0;
    for (auto t : model::k_event_types)
        width = std::max(width, t.size());
    auto f = fields(e, style);
    std::string line;
    for (std::size_t i = 0; i < f.size(); ++i) {
        std::string text = util::escape_control(f[i]);
        if (i == 1) {
            if (text.size() < width)
                text.append(width - text.size(), ' ');
            text = paint(text, type_color(e.type), style.color);
        }
        line += (i == 0 ? "" : "  ") + text;
    }
    return line + "\n";
}

std::string events_json(const std::vector<model::Event>& events, const Style& style) {
    if (events.empty())
        return "[]\n";
    std::string out = "[\n";
    for (std::size_t i = 0; i < events.size(); ++i) {
        out += model::dump_json(event_object(events[i], style));
        out += i + 1 < events.size() ? ",\n" : "\n";
    }
    return out + "]\n";
}

std::string event_json_line(const model::Event& event, const Style& style) {
    return model::dump_json(event_object(event, style)) + "\n";
}

} // namespace schedule::format
