#pragma once
// UTF-8 handling for text that comes from users and jobs: names, commands,
// descriptions, captured output. Nothing here assumes the input is valid.

#include <cstddef>
#include <string>
#include <string_view>

namespace schedule::util {

// True when s is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view s);

// Decodes the code point at s[i]: returns its length in bytes and sets
// `cp`, or returns 0 when the bytes at i are not well-formed UTF-8.
std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp);

// True for the bidirectional override, isolate and mark characters that
// can make text read differently from what it holds (U+202A-U+202E,
// U+2066-U+2069, U+200E, U+200F, U+061C).
bool is_bidi_control(char32_t cp);

// The escape of a newline, tab or carriage return, a backslash and n, t or
// r, which C, JSON, YAML and systemd all read; nullptr for any other code
// point.
const char* short_escape(char32_t cp);

// Number of code points in valid UTF-8; an invalid byte counts as one.
std::size_t codepoint_count(std::string_view s);

// True when s holds a C0 control, DEL or a C1 control (U+0080-U+009F).
bool has_control(std::string_view s);

// Text safe to write to a terminal: C0/C1 controls, DEL and the bidi
// override/isolate characters become escapes (\n, \t, \r, \e, \xNN,
// \u202e), invalid UTF-8 bytes become \xNN. Everything else is unchanged.
std::string escape_control(std::string_view s);
// The same for text shown as lines (a job's output on a terminal): newlines
// and tabs are kept, every other control is escaped.
std::string escape_control_keep_lines(std::string_view s);

// Columns the (already escaped) text takes on a terminal: wide East Asian
// characters count two, combining marks zero, everything else one.
std::size_t display_width(std::string_view s);

// Cuts s to at most `width` display columns, ending with "…" when cut.
std::string truncate_to_width(std::string_view s, std::size_t width);

} // namespace schedule::util
