#include "cli.hpp"

int main(int argc, char** argv) {
    return schedule::app::run_cli(argc, argv);
}
