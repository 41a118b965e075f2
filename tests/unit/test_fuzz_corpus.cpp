// Replays the committed fuzz corpora through the fuzzing entry points, so
// the normal g++ build checks every input the fuzzers have kept and every
// seed: tests/fuzz/corpus/cron, document (backups the binary wrote, job
// files, edge cases) and crontab (Debian's crontabs, edge cases).

#include "cron_input.hpp"
#include "crontab_input.hpp"
#include "document_input.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace {

// Runs `input` over every file of the corpus `name`; returns how many.
int replay(const std::string& name, int (*input)(const std::uint8_t*, std::size_t)) {
    const std::filesystem::path dir = std::string(SCHEDULE_FUZZ_CORPUS_DIR) + "/" + name;
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        INFO(entry.path().filename().string());
        CHECK(input(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()) == 0);
        ++count;
    }
    MESSAGE(count << " " << name << " corpus inputs replayed");
    return count;
}

} // namespace

TEST_SUITE("fuzz::corpus") {

    TEST_CASE("every input of the cron corpus passes the fuzz target's checks") {
        CHECK(replay("cron", schedule::fuzz::cron_input) >= 50);
    }

    TEST_CASE("every input of the document corpus passes the fuzz target's checks") {
        CHECK(replay("document", schedule::fuzz::document_input) >= 30);
    }

    TEST_CASE("every input of the crontab corpus passes the fuzz target's checks") {
        CHECK(replay("crontab", schedule::fuzz::crontab_input) >= 30);
    }
}
