// exec::BoundedCapture: exact below the bound, head + marker + tail above
// it, and the same result however the stream is cut into chunks.

#include <schedule/exec/capture.hpp>

#include <doctest/doctest.h>

#include <cstddef>
#include <random>
#include <string>
#include <vector>

using namespace schedule;

namespace {

// What a capture of `data` with bound `max` must hold, computed without
// the code under test: all of it when it fits, else the first
// max - max/2 bytes, the marker and the last max/2 bytes.
std::string expected_capture(const std::string& data, std::size_t max) {
    if (data.size() <= max)
        return data;
    std::size_t head = max - max / 2;
    std::size_t tail = max / 2;
    return data.substr(0, head) + "\n[... " + std::to_string(data.size() - max) +
           " bytes omitted ...]\n" + data.substr(data.size() - tail);
}

model::CapturedOutput capture_whole(const std::string& data, std::size_t max) {
    exec::BoundedCapture c(max);
    c.append(data);
    return c.finish();
}

// Appends `data` in chunks whose sizes the generator picks (empty ones
// included), from 0 up to `max_chunk` bytes.
model::CapturedOutput capture_chunked(const std::string& data, std::size_t max, std::mt19937& rng,
                                      std::size_t max_chunk) {
    exec::BoundedCapture c(max);
    std::uniform_int_distribution<std::size_t> size(0, max_chunk);
    std::size_t pos = 0;
    while (pos < data.size()) {
        auto n = std::min(size(rng), data.size() - pos);
        c.append(std::string_view(data).substr(pos, n));
        pos += n;
    }
    return c.finish();
}

std::string random_bytes(std::mt19937& rng, std::size_t n) {
    std::uniform_int_distribution<int> byte(0, 255);
    std::string s(n, '\0');
    for (auto& ch : s)
        ch = static_cast<char>(byte(rng));
    return s;
}

std::string alphabet(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<char>('a' + i % 26);
    return s;
}

} // namespace

TEST_SUITE("exec::capture") {

    TEST_CASE("a stream under the bound is kept exactly") {
        // given a capture bounded at 16 bytes
        exec::BoundedCapture c(16);
        SUBCASE("when nothing is written then the capture is empty and not truncated") {
            auto out = c.finish();
            CHECK(out.data.empty());
            CHECK(out.total_bytes == 0);
            CHECK_FALSE(out.truncated);
        }
        SUBCASE("when a few chunks are written then they are kept in order") {
            c.append("hel");
            c.append("");
            c.append("lo\n");
            CHECK(c.total_bytes() == 6);
            auto out = c.finish();
            CHECK(out.data == "hello\n");
            CHECK(out.total_bytes == 6);
            CHECK_FALSE(out.truncated);
        }
        SUBCASE("when binary bytes are written then they are kept byte for byte") {
            const std::string bin("a\0b\xff\xfe\n", 6);
            c.append(bin);
            CHECK(c.finish().data == bin);
        }
    }

    TEST_CASE("a stream exactly at the bound is kept exactly, without a marker") {
        for (std::size_t max : {1u, 2u, 7u, 10u, 64u}) {
            INFO("max = ", max);
            auto data = alphabet(max);
            auto out = capture_whole(data, max);
            CHECK(out.data == data);
            CHECK(out.total_bytes == static_cast<std::int64_t>(max));
            CHECK_FALSE(out.truncated);
        }
    }

    TEST_CASE("a stream over the bound keeps the first half, a marker and the last half") {
        // given a bound of 10 and the 26 letters
        auto out = capture_whole(alphabet(26), 10);
        // then the head is abcde, the tail vwxyz and 16 bytes are omitted
        CHECK(out.data == "abcde\n[... 16 bytes omitted ...]\nvwxyz");
        CHECK(out.total_bytes == 26);
        CHECK(out.truncated);

        SUBCASE("one byte over the bound omits one byte") {
            auto one = capture_whole(alphabet(11), 10);
            CHECK(one.data == "abcde\n[... 1 bytes omitted ...]\nghijk");
            CHECK(one.total_bytes == 11);
            CHECK(one.truncated);
        }
        SUBCASE("byte by byte gives the same as one append") {
            exec::BoundedCapture c(10);
            for (char ch : alphabet(26))
                c.append(std::string_view(&ch, 1));
            CHECK(c.total_bytes() == 26);
            CHECK(c.finish().data == out.data);
        }
        SUBCASE("a large stream is counted in full and keeps only the bound") {
            exec::BoundedCapture c(1000);
            std::string block(4096, 'x');
            block.front() = 'S';
            for (int i = 0; i < 1000; ++i)
                c.append(block);
            c.append("THE END");
            auto big = c.finish();
            CHECK(big.total_bytes == 4096 * 1000 + 7);
            CHECK(big.truncated);
            CHECK(big.data.substr(0, 1) == "S");
            CHECK(big.data.size() == 1000 + std::string("\n[...  bytes omitted ...]\n").size() +
                                         std::to_string(4096 * 1000 + 7 - 1000).size());
            CHECK(big.data.ends_with("xxxxTHE END"));
            CHECK(big.data.find("[... " + std::to_string(4096 * 1000 + 7 - 1000) +
                                " bytes omitted ...]") != std::string::npos);
        }
    }

    TEST_CASE("odd bounds split the kept bytes into halves that differ by at most one") {
        for (std::size_t max : {1u, 3u, 7u, 9u, 101u}) {
            INFO("max = ", max);
            auto data = alphabet(3 * max + 5);
            auto out = capture_whole(data, max);
            CHECK(out.truncated);
            CHECK(out.total_bytes == static_cast<std::int64_t>(data.size()));
            auto marker = "\n[... " + std::to_string(data.size() - max) + " bytes omitted ...]\n";
            auto at = out.data.find(marker);
            REQUIRE(at != std::string::npos);
            auto head = out.data.substr(0, at);
            auto tail = out.data.substr(at + marker.size());
            // Exactly `max` bytes are kept, split as evenly as they can be.
            CHECK(head.size() + tail.size() == max);
            CHECK(head.size() >= tail.size());
            CHECK(head.size() - tail.size() <= 1);
            CHECK(head == data.substr(0, head.size()));
            CHECK(tail == data.substr(data.size() - tail.size()));
            CHECK(out.data == expected_capture(data, max));
        }
    }

    TEST_CASE("a bound of zero keeps nothing but counts everything") {
        exec::BoundedCapture c(0);
        SUBCASE("when nothing is written then nothing is reported") {
            auto out = c.finish();
            CHECK(out.data.empty());
            CHECK_FALSE(out.truncated);
            CHECK(out.total_bytes == 0);
        }
        SUBCASE("when bytes are written then only the marker remains") {
            c.append("abc");
            c.append("de");
            auto out = c.finish();
            CHECK(out.data == "\n[... 5 bytes omitted ...]\n");
            CHECK(out.total_bytes == 5);
            CHECK(out.truncated);
        }
    }

    TEST_CASE("many small appends give the same result as one big append") {
        // given random binary streams of many lengths around the bound, cut
        // into random chunks with a fixed seed (the failures are repeatable)
        std::mt19937 rng(20260115);
        for (std::size_t max : {0u, 1u, 2u, 3u, 8u, 15u, 64u, 1000u}) {
            for (std::size_t len : {std::size_t{0}, max / 2, max, max + 1, 2 * max, 2 * max + 1,
                                    5 * max + 3, std::size_t{5000}}) {
                auto data = random_bytes(rng, len);
                auto whole = capture_whole(data, max);
                INFO("max = ", max, ", length = ", len);
                CHECK(whole.data == expected_capture(data, max));
                CHECK(whole.total_bytes == static_cast<std::int64_t>(len));
                CHECK(whole.truncated == (len > max));
                for (std::size_t max_chunk :
                     {std::size_t{1}, std::size_t{3}, max / 2 + 1, max + 2, std::size_t{700}}) {
                    for (int round = 0; round < 5; ++round) {
                        INFO("chunks up to ", max_chunk, " bytes, round ", round);
                        auto chunked = capture_chunked(data, max, rng, max_chunk);
                        CHECK(chunked.data == whole.data);
                        CHECK(chunked.total_bytes == whole.total_bytes);
                        CHECK(chunked.truncated == whole.truncated);
                    }
                }
            }
        }
    }

    TEST_CASE("finish can be called while the stream goes on") {
        // given a capture that has been read once
        exec::BoundedCapture c(6);
        c.append("abcd");
        CHECK(c.finish().data == "abcd");
        // when more is written then the next finish sees all of it
        c.append("efghij");
        CHECK(c.finish().data == "abc\n[... 4 bytes omitted ...]\nhij");
        CHECK(c.finish().data == "abc\n[... 4 bytes omitted ...]\nhij");
    }
}
