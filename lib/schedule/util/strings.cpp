#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <algorithm>

namespace schedule::util {

namespace {
bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
} // namespace

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        auto pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_space(s[i]))
            ++i;
        std::size_t start = i;
        while (i < s.size() && !is_space(s[i]))
            ++i;
        if (i > start)
            out.push_back(s.substr(start, i - start));
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += sep;
        out += parts[i];
    }
    return out;
}

std::string to_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; });
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && to_lower(a) == to_lower(b);
}

bool is_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_hex(std::string_view s, std::size_t n) {
    return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
           });
}

std::optional<std::uint64_t> parse_uint(std::string_view s, std::uint64_t max) {
    if (!is_digits(s))
        return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        auto d = std::uint64_t(c - '0');
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v) || v > max)
            return std::nullopt;
    }
    return v;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes)
        return s;
    std::size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
        --cut; // not inside a UTF-8 sequence
    return s.substr(0, cut);
}

std::string escaped_prefix(std::string_view s, std::size_t max_bytes) {
    const auto shown = utf8_prefix(s, max_bytes);
    return escape_control(shown) + (shown.size() < s.size() ? "\u2026" : "");
}

std::string quoted(std::string_view s) {
    constexpr std::size_t k_shown = 256;
    return "\"" + escaped_prefix(s, k_shown) + "\"" +
           (s.size() > k_shown ? " (" + std::to_string(s.size()) + " bytes)" : "");
}

namespace {
constexpr std::string_view k_base64 =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string encode_base64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        auto v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16 |
                 static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8 |
                 static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
        out += k_base64[v >> 18 & 63];
        out += k_base64[v >> 12 & 63];
        out += k_base64[v >> 6 & 63];
        out += k_base64[v & 63];
    }
    if (auto rest = bytes.size() - i; rest > 0) {
        auto v = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
        if (rest == 2)
            v |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
        out += k_base64[v >> 18 & 63];
        out += k_base64[v >> 12 & 63];
        out += rest == 2 ? k_base64[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> decode_base64(std::string_view text) {
    if (text.size() % 4 != 0)
        return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        unsigned v = 0;
        int pad = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            char c = text[i + k];
            bool last = i + 4 == text.size();
            if (c == '=' && last && k >= 2 && (k == 3 || text[i + 3] == '=')) {
                ++pad;
                v <<= 6;
                continue;
            }
            auto pos = k_base64.find(c);
            if (pos == std::string_view::npos || pad > 0)
                return std::nullopt;
            v = v << 6 | static_cast<unsigned>(pos);
        }
        out += static_cast<char>(v >> 16 & 0xff);
        if (pad < 2)
            out += static_cast<char>(v >> 8 & 0xff);
        if (pad < 1)
            out += static_cast<char>(v & 0xff);
        // Canonical: the bits the padding leaves over are zero.
        if ((pad == 1 && (v & 0xff) != 0) || (pad == 2 && (v & 0xffff) != 0))
            return std::nullopt;
    }
    return out;
}

} // namespace schedule::util
