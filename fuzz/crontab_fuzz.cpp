// libFuzzer target: clang++ -fsanitize=fuzzer,address,undefined (see
// fuzz/CMakeLists.txt and .ci/run).

#include "crontab_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    return schedule::fuzz::crontab_input(data, size);
}
