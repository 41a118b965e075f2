#pragma once
// The hostile-input tables (tests/unit/*/test_hostile.cpp): the kinds of
// text every parser of user input is tried with, what a refusal must look
// like, and a runner that tries a table and counts what it tried.
//
// A refusal is the parser's documented error: a util::Result failure, or
// a util::ValidationError naming the field (any other exception fails the
// test). Its message is one line that a terminal shows as written: not
// empty, no newline, nothing util::escape_control() would change (control
// characters, bidirectional overrides, invalid UTF-8 are escaped), and
// short however long the input was.

#include "time_helpers.hpp"

#include <schedule/model/job_builder.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/result.hpp>
#include <schedule/util/utf8.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::test {

// What a hostile text is, for the tables' lists of what a parser takes.
enum class Kind {
    empty,
    blank,       // spaces
    huge,        // more than 1 MiB
    unicode,     // valid UTF-8 beyond ASCII, no control character
    broken_utf8, // overlong, invalid, truncated, surrogate, past U+10FFFF
    control,     // C0 and C1 controls, DEL, terminal escapes
    nul,
    number, // at and past the limits, in the forms parsers may or may not take
    text,   // SQL and format strings: ASCII without control characters
};

// What the builder needs from outside, the same for every table: now is
// 2026-01-15T10:00Z, the default zone UTC, and run_as any user.
inline model::BuildContext hostile_context() {
    model::BuildContext c;
    c.now = utc(2026, 1, 15, 10, 0);
    c.default_zone = [] { return std::string("UTC"); };
    c.root = true; // user_exists unset: every user exists
    return c;
}

struct Hostile {
    Kind kind;
    std::string label;
    std::string text;
};

// At least `bytes` bytes of `unit` repeated.
inline std::string repeated(std::string_view unit, std::size_t bytes) {
    std::string out;
    out.reserve(bytes + unit.size());
    while (out.size() < bytes)
        out += unit;
    return out;
}

inline constexpr std::size_t k_huge = (1u << 20) + 1; // just past 1 MiB

// The kinds of hostile text: empty and blank, huge, Unicode and broken
// UTF-8, control characters and terminal escapes, NUL bytes, numbers at
// and past the limits, SQL-looking text.
inline const std::vector<Hostile>& hostile_texts() {
    static const std::vector<Hostile> k_texts = {
        {Kind::empty, "empty", ""},
        {Kind::blank, "blank", "   "},
        {Kind::control, "tabs and newlines", " \t\n\t "},
        {Kind::huge, "huge letters", repeated("a", k_huge)},
        {Kind::huge, "huge digits", repeated("9", k_huge)},
        {Kind::huge, "huge list", repeated("1,", k_huge)},
        {Kind::huge, "huge blank", repeated(" ", k_huge)},
        {Kind::huge, "huge multibyte", repeated("\xc3\xa9", k_huge)},
        {Kind::unicode, "rtl override",
         "\xe2\x80\xae"
         "evil"},
        {Kind::unicode, "rtl script", "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"},
        {Kind::unicode, "combining marks", "e\xcc\x81\xcc\x81\xcc\x81\xcc\x81"},
        {Kind::unicode, "emoji", "\xf0\x9f\x95\x90\xe2\x8f\xb0"},
        {Kind::unicode, "zwj emoji",
         "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7"},
        {Kind::unicode, "fullwidth digits", "\xef\xbc\x91\xef\xbc\x92"},
        {Kind::unicode, "arabic-indic digits", "\xd9\xa3\xd9\xa4"},
        {Kind::broken_utf8, "overlong slash", "\xc0\xaf"},
        {Kind::broken_utf8, "overlong nul",
         "a\xc0\x80"
         "b"},
        {Kind::broken_utf8, "invalid bytes", "\xff\xfe"},
        {Kind::broken_utf8, "lone continuation",
         "a\x80"
         "b"},
        {Kind::broken_utf8, "surrogate", "\xed\xa0\x80"},
        {Kind::broken_utf8, "truncated sequence", "a\xe2\x82"},
        {Kind::broken_utf8, "past U+10FFFF", "\xf4\x90\x80\x80"},
        {Kind::control, "csi escape", "\x1b[31mred\x1b[0m"},
        {Kind::control, "osc title", "\x1b]0;pwned\x07"},
        {Kind::control, "clear screen", "\x1b[2J\x1b[H"},
        {Kind::control, "bell", "ding\x07"},
        {Kind::control, "carriage return", "ok\rEVIL"},
        {Kind::control, "newline", "one\ntwo"},
        {Kind::control, "tab", "a\tb"},
        {Kind::control, "del",
         "a\x7f"
         "b"},
        {Kind::control, "c1 csi",
         "\xc2\x9b"
         "31m"},
        {Kind::control, "backspace", "abc\x08\x08\x08xyz"},
        {Kind::nul, "nul inside", std::string("ab\0cd", 5)},
        {Kind::nul, "nul only", std::string(1, '\0')},
        {Kind::nul, "nul at end", std::string("abc\0", 4)},
        {Kind::number, "int64 max", "9223372036854775807"},
        {Kind::number, "int64 max + 1", "9223372036854775808"},
        {Kind::number, "int64 min", "-9223372036854775808"},
        {Kind::number, "uint64 max", "18446744073709551615"},
        {Kind::number, "uint64 max + 1", "18446744073709551616"},
        {Kind::number, "2^53", "9007199254740992"},
        {Kind::number, "2^53 + 1", "9007199254740993"},
        {Kind::number, "minus one", "-1"},
        {Kind::number, "zero", "0"},
        {Kind::number, "minus zero", "-0"},
        {Kind::number, "1e400", "1e400"},
        {Kind::number, "1e-400", "1e-400"},
        {Kind::number, "leading zeros", "007"},
        {Kind::number, "plus sign", "+5"},
        {Kind::number, "hex", "0x1f"},
        {Kind::number, "fraction", "1.5"},
        {Kind::number, "nan", "NaN"},
        {Kind::number, "infinity", "Infinity"},
        {Kind::text, "sql drop", "'; DROP TABLE jobs; --"},
        {Kind::text, "sql or", "1 OR 1=1"},
        {Kind::text, "sql quote", "\"); DELETE FROM jobs WHERE (\"1\"=\"1"},
        {Kind::text, "format string", "%s%n%x{}{0}"},
    };
    return k_texts;
}

// The labels of the hostile texts of these kinds.
inline std::set<std::string> labels_of(std::initializer_list<Kind> kinds) {
    std::set<std::string> labels;
    for (const auto& h : hostile_texts())
        if (std::find(kinds.begin(), kinds.end(), h.kind) != kinds.end())
            labels.insert(h.label);
    return labels;
}

// Whether `message` is fit for one error line (see the top of the file).
inline bool clean_message(std::string_view message) {
    return !message.empty() && message.size() <= 4096 &&
           message.find('\n') == std::string_view::npos && util::escape_control(message) == message;
}

// What a table expects of a case. `either`: no expectation beyond a
// clean refusal when it is refused (a table that checks what it accepts
// in another way).
enum class Expect { refused, accepted, either };

// A case of a table: the text and what the parser does with it.
struct HostileCase {
    std::string label;
    std::string text;
    Expect expect = Expect::refused;
};

// The generic texts, each accepted when its label is in `accepted`, then
// `extra` (the parser's own cases).
inline std::vector<HostileCase> hostile_cases(const std::set<std::string>& accepted,
                                              std::vector<HostileCase> extra = {}) {
    std::vector<HostileCase> cases;
    for (const auto& h : hostile_texts())
        cases.push_back(
            {h.label, h.text, accepted.count(h.label) ? Expect::accepted : Expect::refused});
    for (const auto& label : accepted)
        CHECK_MESSAGE(std::any_of(cases.begin(), cases.end(),
                                  [&](const HostileCase& c) { return c.label == label; }),
                      "no hostile text is labelled " << label);
    cases.insert(cases.end(), std::make_move_iterator(extra.begin()),
                 std::make_move_iterator(extra.end()));
    return cases;
}

// What a parser made of a text: accepted, or refused with this message
// (and the field a ValidationError names; empty for a Result).
struct Outcome {
    bool accepted = false;
    std::string message;
    std::optional<std::string> field;
};

template <class T> Outcome outcome_of(const util::Result<T>& r) {
    if (r)
        return {true, {}, std::nullopt};
    return {false, r.error(), std::nullopt};
}

// Runs `call`: accepted when it returns, refused when it throws a
// ValidationError. Any other exception fails the test.
inline Outcome outcome_of_call(const std::function<void()>& call) {
    try {
        call();
        return {true, {}, std::nullopt};
    } catch (const util::ValidationError& e) {
        CHECK(e.code() == util::ExitCode::usage);
        CHECK(std::string_view(e.what()).starts_with(e.field() + ": "));
        CHECK((e.hint().empty() || clean_message(e.hint())));
        return {false, e.what(), e.field()};
    } catch (const std::exception& e) {
        FAIL("not a ValidationError: " << e.what());
    }
    return {};
}

// Checks one outcome against the case: accepted as expected, or refused
// with a clean message naming `field` (when given).
inline void check_outcome(const HostileCase& c, const Outcome& o,
                          const std::optional<std::string>& field = std::nullopt) {
    INFO("case: " << c.label << " (" << util::escape_control(c.text.substr(0, 120)) << ")");
    if (c.expect == Expect::accepted) {
        CHECK_MESSAGE(o.accepted, "refused: " << util::escape_control(o.message.substr(0, 300)));
        return;
    }
    if (o.accepted) {
        CHECK_MESSAGE(c.expect == Expect::either, "accepted");
        return;
    }
    CHECK_MESSAGE(clean_message(o.message), "message not one clean line ("
                                                << o.message.size() << " bytes): "
                                                << util::escape_control(o.message.substr(0, 300)));
    if (field) {
        CHECK(o.field == field);
        CHECK(o.message.starts_with(*field + ": "));
    }
}

// How many hostile inputs the tables of this process have tried.
inline std::size_t& hostile_total() {
    static std::size_t total = 0;
    return total;
}

// Tries every case with `parse` (the text to an Outcome), checking each;
// returns how many were tried (and adds them to hostile_total()).
inline std::size_t run_table(const std::vector<HostileCase>& cases,
                             const std::function<Outcome(const std::string&)>& parse,
                             const std::optional<std::string>& field = std::nullopt) {
    for (const auto& c : cases)
        check_outcome(c, parse(c.text), field);
    hostile_total() += cases.size();
    return cases.size();
}

} // namespace schedule::test
