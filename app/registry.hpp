#pragma once
// Every command, listed once. The CLI wiring takes its summaries from here,
// `--format` is checked against it, the store is opened for reading or
// writing as it says, and the man-page test checks the page against it.

#include <string_view>
#include <vector>

namespace schedule::app {

enum class StoreAccess {
    none,
    read,  // reads the store; a missing one reads as empty
    write, // may write; creates the store on the first write
    run,   // runs jobs: as write, and refuses a store someone else could
           // have written (store::Access::run); others only warn about it
};

struct CommandInfo {
    std::string_view path;    // "job create"
    std::string_view summary; // one line for --help
    std::vector<std::string_view> formats;
    StoreAccess access;
};

const std::vector<CommandInfo>& commands();

// The entry for `path`; a logic error if it is missing.
const CommandInfo& command(std::string_view path);

} // namespace schedule::app
