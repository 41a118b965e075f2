#include <schedule/format/graph.hpp>
#include <schedule/format/table.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/time/duration.hpp>

#include <nlohmann/json.hpp>

namespace schedule::format {

namespace {

using ojson = nlohmann::ordered_json;

bool has_state(const model::GraphLink& l) {
    return l.kind != "conflicts_with";
}

// A dot ID: the text in double quotes, with quotes and backslashes
// escaped and line breaks written as \n.
std::string dot_id(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x20)
            continue;
        out += c;
    }
    return out + "\"";
}

std::string edge_label(const model::GraphLink& l) {
    std::string label = l.kind == "depends_on" ? "needed " : "fires on ";
    label += std::string(model::to_string(l.from.state));
    if (l.kind == "depends_on" && l.from.timeout.count() > 0)
        label += " within " + time::format_duration(l.from.timeout);
    return label;
}

} // namespace

std::string graph_table(const std::vector<model::GraphLink>& links, const Style& style) {
    if (links.empty())
        return "No links.\n";
    Table table({"FROM", "LINK", "TO", "STATE", "TIMEOUT"});
    for (const auto& l : links)
        table.add_row({
            {l.from.job_name},
            {l.kind},
            {l.to.job_name},
            {has_state(l) ? std::string(model::to_string(l.from.state)) : std::string("-")},
            {l.kind == "depends_on" && l.from.timeout.count() > 0
                 ? time::format_duration(l.from.timeout)
                 : std::string("-")},
        });
    return table.render(style.color);
}

std::string graph_json(const std::vector<model::Job>& jobs,
                       const std::vector<model::GraphLink>& links) {
    ojson out;
    auto& js = out["jobs"] = ojson::array();
    for (const auto& j : jobs)
        js.push_back({{"job_id", j.id},
                      {"name", j.name},
                      {"status", std::string(model::to_string(j.status))},
                      {"last_status", j.last_status ? ojson(*j.last_status) : ojson(nullptr)}});
    auto& ls = out["links"] = ojson::array();
    for (const auto& l : links)
        ls.push_back({{"kind", l.kind},
                      {"from", l.from.job_name},
                      {"from_id", l.from.job_id},
                      {"to", l.to.job_name},
                      {"to_id", l.to.job_id},
                      {"state", has_state(l) ? ojson(std::string(model::to_string(l.from.state)))
                                             : ojson(nullptr)},
                      {"timeout_seconds",
                       l.kind == "depends_on" ? ojson(l.from.timeout.count()) : ojson(nullptr)}});
    return model::dump_json(out, 2) + "\n";
}

std::string graph_dot(const std::vector<model::Job>& jobs,
                      const std::vector<model::GraphLink>& links) {
    std::string out = "digraph schedule {\n  rankdir=LR;\n  node [shape=box];\n";
    for (const auto& j : jobs) {
        std::string label = j.name;
        if (j.last_status)
            label += "\n" + *j.last_status;
        if (j.status != model::JobStatus::active)
            label += "\n(" + std::string(model::to_string(j.status)) + ")";
        out += "  " + dot_id(j.id) + " [label=" + dot_id(label) + "];\n";
    }
    for (const auto& l : links) {
        out += "  " + dot_id(l.from.job_id) + " -> " + dot_id(l.to.job_id);
        if (l.kind == "conflicts_with")
            out += " [dir=both, style=dashed, label=\"conflicts\"];\n";
        else
            out += " [label=" + dot_id(edge_label(l)) + (l.kind == "after" ? ", style=bold" : "") +
                   "];\n";
    }
    return out + "}\n";
}

} // namespace schedule::format
