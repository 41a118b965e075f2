#pragma once

namespace schedule::app {

// Parses argv, runs the selected command and returns the exit code of
// SPEC §5. Prints errors as one line: `schedule: error: MESSAGE (hint: ...)`.
int run_cli(int argc, char** argv);

} // namespace schedule::app
