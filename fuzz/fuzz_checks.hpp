#pragma once
// What the fuzzing entry points check besides not crashing: invariants
// that end the process (__builtin_trap) when they fail, and the one fixed
// BuildContext the targets build jobs with, so that a crash reproduces.

#include <schedule/model/job_builder.hpp>
#include <schedule/time/instant.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include <string>
#include <string_view>

namespace schedule::fuzz {

inline void require(bool ok) {
    if (!ok)
        __builtin_trap();
}

// One line a terminal shows as written: not empty, short, nothing
// util::escape_control() would change.
inline bool clean_line(std::string_view text) {
    return !text.empty() && text.size() <= 4096 && util::escape_control(text) == text;
}

// A refusal as the readers must give it: a ValidationError whose message
// is "FIELD: REASON" in one clean line, and whose hint is clean too.
inline void require_clean(const util::ValidationError& e) {
    const std::string_view message = e.what();
    require(clean_line(message));
    require(message.starts_with(e.field() + ": "));
    require(e.hint().empty() || clean_line(e.hint()));
}

// Now is 2026-01-15T10:00:00Z, the default zone UTC; root, and every
// run_as user exists.
inline model::BuildContext fixed_context() {
    model::BuildContext c;
    c.now = time::from_unix(1768471200);
    c.default_zone = [] { return std::string("UTC"); };
    c.root = true;
    return c;
}

} // namespace schedule::fuzz
