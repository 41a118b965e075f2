#pragma once
// Small string helpers shared by every module. Pure functions, no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::util {

// Removes ASCII white space from both ends.
std::string_view trim(std::string_view s);

// Splits on every occurrence of `sep`; "a,,b" gives {"a", "", "b"}, "" gives {""}.
std::vector<std::string_view> split(std::string_view s, char sep);

// Splits on runs of ASCII white space, dropping empty pieces.
std::vector<std::string_view> split_ws(std::string_view s);

std::string join(const std::vector<std::string>& parts, std::string_view sep);

// ASCII-only case folding (names of months, weekdays, enum values).
std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);

// True when every character is an ASCII digit and s is not empty.
bool is_digits(std::string_view s);

// True when s is exactly `n` hex digits (either case).
bool is_hex(std::string_view s, std::size_t n);

// Parses a non-negative decimal integer without sign or white space;
// nullopt on anything else or on overflow past `max`.
std::optional<std::uint64_t> parse_uint(std::string_view s, std::uint64_t max = UINT64_MAX);

// The longest prefix of s of at most `max_bytes` bytes that does not end
// inside a UTF-8 sequence (for showing the start of a long text).
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

// s escaped for one line (escape_control()); of a text longer than
// `max_bytes` its utf8_prefix() and an ellipsis: "xxx…".
std::string escaped_prefix(std::string_view s, std::size_t max_bytes);

// Quotes s for error messages: "name" with embedded control characters
// escaped. Text longer than 256 bytes is shown by its first 256 bytes (cut
// between characters) and its length: "xxx…" (100000 bytes).
std::string quoted(std::string_view s);

// Base64 (RFC 4648, with padding). decode_base64() returns nullopt for
// anything but canonical base64 text.
std::string encode_base64(std::string_view bytes);
std::optional<std::string> decode_base64(std::string_view text);

} // namespace schedule::util
