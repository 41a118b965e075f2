#pragma once
// YAML scalars that read back as exactly the text given, whatever it holds.

#include <string>
#include <string_view>

namespace schedule::format {

// `s` as a YAML double-quoted scalar ("..."), valid in YAML 1.1 and 1.2 and
// in JSON: `"` and `\` escaped; control characters, DEL, C1 controls, the
// line and paragraph separators, bidirectional controls, U+FEFF and the
// non-characters U+FFFE and U+FFFF written as escapes (\n, \t, \x01,
// \u2028 ...); everything else as it is. Bytes that are not UTF-8 cannot
// be YAML text: each becomes U+FFFD (callers that must keep the bytes check
// util::is_valid_utf8 first).
std::string yaml_quote(std::string_view s);

} // namespace schedule::format
