#include <schedule/format/fires.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/time/iso8601.hpp>

#include <nlohmann/json.hpp>

namespace schedule::format {

namespace {
std::string instant_text(time::Instant t, const time::Zone& zone, bool utc) {
    return utc ? time::format_iso_utc(t) : time::format_iso(t, zone);
}
} // namespace

std::string dst_note(const plan::Fire& fire) {
    switch (fire.mark) {
    case cron::DstMark::moved: {
        auto c = time::to_civil(fire.wall);
        char buf[40];
        std::snprintf(buf, sizeof buf, "(dst: moved from %02d:%02d)", c.hour, c.minute);
        return buf;
    }
    case cron::DstMark::repeated:
        return "(dst: repeated hour)";
    case cron::DstMark::none:
        break;
    }
    return {};
}

std::string window_note(const plan::Fire& fire, const time::Zone& zone, bool utc) {
    if (!fire.waited_from)
        return {};
    return "(window: due " + instant_text(*fire.waited_from, zone, utc) + ")";
}

std::string fires_text(const std::vector<plan::Fire>& fires, const time::Zone& zone, bool utc) {
    std::string out;
    out.reserve(fires.size() * 27);
    for (const auto& f : fires) {
        time::append_iso(out, f.at, zone, utc);
        if (f.mark != cron::DstMark::none) {
            out += "  ";
            out += dst_note(f);
        }
        if (f.waited_from) {
            out += "  ";
            out += window_note(f, zone, utc);
        }
        out += '\n';
    }
    return out;
}

nlohmann::ordered_json fires_json(const std::vector<plan::Fire>& fires, const time::Zone& zone,
                                  bool utc) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& f : fires)
        arr.push_back(instant_text(f.at, zone, utc));
    return arr;
}

nlohmann::ordered_json dst_json(const std::vector<plan::Fire>& fires) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& f : fires) {
        switch (f.mark) {
        case cron::DstMark::moved:
            arr.push_back("moved");
            break;
        case cron::DstMark::repeated:
            arr.push_back("repeated");
            break;
        case cron::DstMark::none:
            arr.push_back(nullptr);
            break;
        }
    }
    return arr;
}

nlohmann::ordered_json waited_json(const std::vector<plan::Fire>& fires, const time::Zone& zone,
                                   bool utc) {
    auto arr = nlohmann::ordered_json::array();
    for (const auto& f : fires)
        arr.push_back(f.waited_from
                          ? nlohmann::ordered_json(instant_text(*f.waited_from, zone, utc))
                          : nlohmann::ordered_json(nullptr));
    return arr;
}

std::string expression_preview_json(const std::string& expression, const time::Zone& zone,
                                    const std::vector<plan::Fire>& fires, bool utc) {
    nlohmann::ordered_json j;
    j["expression"] = expression;
    j["timezone"] = zone.name();
    j["next"] = fires_json(fires, zone, utc);
    j["dst"] = dst_json(fires);
    return model::dump_json(j, 2) + "\n";
}

std::string job_preview_json(const model::Job& job, const time::Zone& zone,
                             const std::vector<plan::Fire>& fires, bool utc) {
    nlohmann::ordered_json j;
    j["job_id"] = job.id;
    j["name"] = job.name;
    j["timezone"] = job.timezone;
    j["status"] = std::string(model::to_string(job.status));
    j["trigger"] = model::trigger_to_json(job.trigger, zone, utc);
    auto cron = job.trigger.cron_expression();
    j["cron_expression"] = cron ? nlohmann::ordered_json(*cron) : nullptr;
    j["next"] = fires_json(fires, zone, utc);
    j["dst"] = dst_json(fires);
    j["waited_from"] = waited_json(fires, zone, utc);
    return model::dump_json(j, 2) + "\n";
}

} // namespace schedule::format
