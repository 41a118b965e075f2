#pragma once
// Aligned text tables for terminals. Strings in, string out; no I/O.
// Cells are escaped (control characters and invalid UTF-8 shown as
// escapes) before they are measured, so job data can never move the cursor
// or change the terminal's state.

#include <string>
#include <string_view>
#include <vector>

namespace schedule::format {

// ANSI colours used for emphasis; applied only when the style asks for colour.
enum class Color { none, bold, dim, red, green, yellow, cyan };

// Wraps `text` in the escape sequence for `c` when `enabled`.
std::string paint(std::string_view text, Color c, bool enabled);

// A piece of text in one colour.
struct Span {
    std::string text;
    Color color = Color::none;
    bool operator==(const Span&) const = default;
};

// The spans one after another, each in its colour when `enabled`.
std::string paint(const std::vector<Span>& spans, bool enabled);

struct Cell {
    std::string text; // raw; the table escapes it
    Color color = Color::none;
    // When not empty, the cell is these pieces, each in its own colour
    // (escaped like text), and `text` and `color` are not used.
    std::vector<Span> spans = {};
};

class Table {
public:
    explicit Table(std::vector<std::string> headers);
    void add_row(std::vector<Cell> cells);
    bool empty() const { return m_rows.empty(); }
    // Columns separated by two spaces, padded by display width; the header
    // in bold when `color`. The last column is not padded.
    std::string render(bool color) const;

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<Cell>> m_rows;
};

// "Key:  value" lines with the keys aligned; values escaped. A value with
// color none is printed plain.
class KeyValueList {
public:
    void add(std::string key, Cell value);
    std::string render(bool color) const;

private:
    std::vector<std::pair<std::string, Cell>> m_items;
};

} // namespace schedule::format
