// Replays the committed fuzz corpus through the fuzzing entry point, so the
// normal g++ build checks every input the fuzzer has kept.

#include "cron_input.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

TEST_SUITE("fuzz::corpus") {

    TEST_CASE("every input of the cron corpus passes the fuzz target's checks") {
        const std::filesystem::path dir = std::string(SCHEDULE_FUZZ_CORPUS_DIR) + "/cron";
        int count = 0;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            std::ifstream in(entry.path(), std::ios::binary);
            std::string data((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
            INFO(entry.path().filename().string());
            CHECK(schedule::fuzz::cron_input(reinterpret_cast<const std::uint8_t*>(data.data()),
                                             data.size()) == 0);
            ++count;
        }
        MESSAGE(count << " corpus inputs replayed");
        CHECK(count >= 50);
    }
}
