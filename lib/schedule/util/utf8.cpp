#include <schedule/util/utf8.hpp>

#include <cstdint>
#include <cstdio>

namespace schedule::util {

std::size_t decode_utf8(std::string_view s, std::size_t i, char32_t& cp) {
    auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    std::size_t len;
    char32_t min;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1F;
        min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0F;
        min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + len > s.size())
        return 0;
    for (std::size_t k = 1; k < len; ++k) {
        auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

const char* short_escape(char32_t cp) {
    switch (cp) {
    case '\n':
        return "\\n";
    case '\t':
        return "\\t";
    case '\r':
        return "\\r";
    default:
        return nullptr;
    }
}

bool is_bidi_control(char32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
           cp == 0x200F || cp == 0x061C;
}

namespace {

bool is_control_cp(char32_t cp) {
    return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

bool is_wide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
           (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

bool is_zero_width(char32_t cp) {
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200D) ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x20D0 && cp <= 0x20FF);
}

void append_hex_byte(std::string& out, unsigned char b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\x%02x", b);
    out += buf;
}

} // namespace

bool is_valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = decode_utf8(s, i, cp);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

std::size_t codepoint_count(std::string_view s) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++count) {
        char32_t cp;
        auto n = decode_utf8(s, i, cp);
        i += n ? n : 1;
    }
    return count;
}

bool has_control(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = decode_utf8(s, i, cp);
        if (n && is_control_cp(cp))
            return true;
        i += n ? n : 1;
    }
    return false;
}

std::string escape_control_keep_lines(std::string_view s) {
    std::string out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '\n' || s[i] == '\t') {
            out += escape_control(s.substr(start, i - start));
            if (i < s.size())
                out += s[i];
            start = i + 1;
        }
    }
    return out;
}

std::string escape_control(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = decode_utf8(s, i, cp);
        if (n == 0) {
            append_hex_byte(out, static_cast<unsigned char>(s[i]));
            ++i;
            continue;
        }
        if (is_control_cp(cp)) {
            if (const char* e = short_escape(cp)) {
                out += e;
            } else if (cp == 0x1B) {
                out += "\\e";
            } else if (cp < 0x80) {
                append_hex_byte(out, static_cast<unsigned char>(cp));
            } else {
                char buf[12];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
                out += buf;
            }
        } else if (is_bidi_control(cp)) {
            char buf[12];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out;
}

std::size_t display_width(std::string_view s) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = decode_utf8(s, i, cp);
        if (n == 0) {
            width += 1;
            i += 1;
            continue;
        }
        if (is_wide(cp))
            width += 2;
        else if (!is_zero_width(cp))
            width += 1;
        i += n;
    }
    return width;
}

std::string truncate_to_width(std::string_view s, std::size_t width) {
    if (display_width(s) <= width)
        return std::string(s);
    if (width == 0)
        return {};
    std::string out;
    std::size_t used = 0;
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = decode_utf8(s, i, cp);
        std::size_t w = n == 0 ? 1 : is_wide(cp) ? 2 : is_zero_width(cp) ? 0 : 1;
        std::size_t len = n == 0 ? 1 : n;
        if (used + w > width - 1)
            break;
        out.append(s.substr(i, len));
        used += w;
        i += len;
    }
    out += "\u2026";
    return out;
}

} // namespace schedule::util
