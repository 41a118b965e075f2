#include <schedule/format/yaml.hpp>
#include <schedule/util/utf8.hpp>

#include <cstdio>

namespace schedule::format {

namespace {

// Code points YAML does not allow raw in a document, or that would make
// the text read differently from what it holds.
bool needs_escape(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF || util::is_bidi_control(cp);
}

void append_escape(std::string& out, char32_t cp) {
    if (const char* e = util::short_escape(cp)) {
        out += e;
        return;
    }
    char buf[12];
    std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
    out += buf;
}

} // namespace

std::string yaml_quote(std::string_view s) {
    std::string out = "\"";
    out.reserve(s.size() + 2);
    for (std::size_t i = 0; i < s.size();) {
        char32_t cp;
        auto n = util::decode_utf8(s, i, cp);
        if (n == 0) {
            out += "\xEF\xBF\xBD"; // U+FFFD
            ++i;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            out += '\\';
            out += static_cast<char>(cp);
        } else if (needs_escape(cp)) {
            append_escape(out, cp);
        } else {
            out.append(s.substr(i, n));
        }
        i += n;
    }
    return out + "\"";
}

} // namespace schedule::format
