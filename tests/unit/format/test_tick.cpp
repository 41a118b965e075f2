// format:: the progress line of `tick --wait` on a terminal.

#include <schedule/format/tick.hpp>

#include <doctest/doctest.h>

#include <string>

using namespace schedule;

TEST_SUITE("format::tick") {

    TEST_CASE("the progress line returns to the start of the line and clears what follows") {
        CHECK(format::tick_progress_line(12, 40, 3, 25) ==
              "\r12/40 done, 3 running, 25 queued\033[K");
        CHECK(format::tick_progress_line(1, 1, 0, 0) == "\r1/1 done, 0 running, 0 queued\033[K");
        CHECK(std::string(format::k_erase_progress_line) == "\r\033[K");
    }
}
