#pragma once
// `schedule __complete`: the hidden helper the shell completion scripts in
// completions/ call at every TAB (schedule(1), COMPLETION).
//
//   schedule __complete bash WORDBREAKS LINE
//       LINE: the command line up to the cursor, as typed (bash's COMP_LINE
//       up to COMP_POINT), its first word the command; WORDBREAKS: bash's
//       $COMP_WORDBREAKS.
//   schedule __complete zsh WORD...
//       the words after the command name, unquoted; the last one is the word
//       being completed, up to the cursor (empty after a space).
//
// The answer is one or more blocks, each a header line and the lines under
// it:
//   :KIND<TAB>SPACE<TAB>TEXT
// KIND is `words` (the lines are the candidates), or `files`, `dirs` or
// `users` (no lines: the shell lists those itself). SPACE is `space`, or
// `nospace` when the candidates are the start of a value (`handlers.`).
// For zsh a candidate line is VALUE<TAB>DESCRIPTION, and TEXT is the part of
// the current word that the candidates or file names follow (`--input=`).
// For bash a candidate line is the text that replaces the part of the word
// that readline completes, quoted as the line needs, and TEXT (for files,
// dirs, users) is that part unquoted. Nothing is written to stderr, the
// store is only read (store::Access::peek, never created), and the exit
// code is 0 even when nothing matches.

#include <string>
#include <string_view>
#include <vector>

namespace schedule::app {

// The command line as the CLI defines it. cli.cpp builds it from the CLI11
// definitions that parse argv, so completion knows every command and flag.
struct FlagSpec {
    std::vector<std::string> names; // "--format", "-o"
    std::string value_name;         // "FORMAT"; empty for a flag without a value
    std::string help;
};

struct CommandSpec {
    std::string path; // "" (the top level, with the global flags), "job", "job create"
    std::string summary;
    std::vector<FlagSpec> flags;           // its own; those of the levels above apply too
    std::vector<std::string> positionals;  // value names in order ("JOB")
    bool last_repeats = false;             // the last positional takes any number of words
    std::vector<std::string> subcommands;  // the commands under it that help shows
    std::vector<std::string_view> formats; // --format values (registry); empty above leaves
};

// Every level, each after its parent: [0] is the top level.
using Grammar = std::vector<CommandSpec>;

// Runs `schedule __complete ARGS...` (ARGS: what follows `__complete`);
// returns the exit code.
int run_complete(const Grammar& grammar, const std::vector<std::string>& args);

} // namespace schedule::app
