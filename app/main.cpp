#include "cli.hpp"

#include <schedule/exec/process.hpp>

int main(int argc, char** argv) {
    // A full file-size limit is an error like a full disk, not a kill
    // in the middle of a write.
    schedule::exec::ignore_file_size_signal();
    return schedule::app::run_cli(argc, argv);
}
