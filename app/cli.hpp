#pragma once

namespace schedule::app {

// Parses argv, runs the selected command and returns its exit code (the
// man page's EXIT STATUS). Prints errors as one line:
// `schedule: error: MESSAGE (hint: ...)`.
int run_cli(int argc, char** argv);

} // namespace schedule::app
