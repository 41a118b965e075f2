#include <schedule/format/table.hpp>
#include <schedule/util/utf8.hpp>

#include <algorithm>

namespace schedule::format {

namespace {
const char* code(Color c) {
    switch (c) {
    case Color::bold:
        return "\033[1m";
    case Color::dim:
        return "\033[2m";
    case Color::red:
        return "\033[31m";
    case Color::green:
        return "\033[32m";
    case Color::yellow:
        return "\033[33m";
    case Color::cyan:
        return "\033[36m";
    case Color::none:
        break;
    }
    return "";
}

void pad(std::string& out, std::size_t n) {
    out.append(n, ' ');
}
} // namespace

std::string paint(std::string_view text, Color c, bool enabled) {
    if (!enabled || c == Color::none)
        return std::string(text);
    return std::string(code(c)) + std::string(text) + "\033[0m";
}

std::string paint(const std::vector<Span>& spans, bool enabled) {
    std::string out;
    for (const auto& s : spans)
        out += paint(s.text, s.color, enabled);
    return out;
}

namespace {
// Escapes the cell's text, or its spans, whose text it becomes: what the
// table measures.
void escape_cell(Cell& c) {
    if (c.spans.empty()) {
        c.text = util::escape_control(c.text);
        return;
    }
    c.text.clear();
    for (auto& s : c.spans) {
        s.text = util::escape_control(s.text);
        c.text += s.text;
    }
}

std::string paint(const Cell& c, bool enabled) {
    return c.spans.empty() ? paint(c.text, c.color, enabled) : paint(c.spans, enabled);
}
} // namespace

Table::Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}

void Table::add_row(std::vector<Cell> cells) {
    for (auto& c : cells)
        escape_cell(c);
    cells.resize(m_headers.size());
    m_rows.push_back(std::move(cells));
}

std::string Table::render(bool color) const {
    std::vector<std::size_t> width(m_headers.size());
    for (std::size_t i = 0; i < m_headers.size(); ++i)
        width[i] = util::display_width(m_headers[i]);
    for (const auto& row : m_rows)
        for (std::size_t i = 0; i < row.size(); ++i)
            width[i] = std::max(width[i], util::display_width(row[i].text));

    std::string out;
    auto emit_row = [&](auto cell_at) {
        std::string line;
        for (std::size_t i = 0; i < m_headers.size(); ++i) {
            const Cell& cell = cell_at(i);
            line += paint(cell, color);
            if (i + 1 < m_headers.size()) {
                pad(line, width[i] - util::display_width(cell.text) + 2);
            }
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        out += line;
        out += '\n';
    };
    std::vector<Cell> headers;
    for (const auto& h : m_headers)
        headers.push_back({h, Color::bold});
    emit_row([&](std::size_t i) -> const Cell& { return headers[i]; });
    for (const auto& row : m_rows)
        emit_row([&](std::size_t i) -> const Cell& { return row[i]; });
    return out;
}

void KeyValueList::add(std::string key, Cell value) {
    escape_cell(value);
    m_items.emplace_back(std::move(key), std::move(value));
}

std::string KeyValueList::render(bool color) const {
    std::size_t key_width = 0;
    for (const auto& [k, v] : m_items)
        key_width = std::max(key_width, util::display_width(k) + 1);
    std::string out;
    for (const auto& [k, v] : m_items) {
        std::string key = k + ":";
        out += paint(key, Color::bold, color);
        pad(out, key_width - util::display_width(key) + 2);
        out += paint(v, color);
        out += '\n';
    }
    return out;
}

} // namespace schedule::format
