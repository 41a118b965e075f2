// format:: the run strip and the duration sparkline that `job stats JOB`
// and `job list` draw on a terminal.

#include <schedule/format/runs.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace schedule;
using model::ExecutionStatus;
using model::RunOutcome;

namespace {

RunOutcome ran(ExecutionStatus s, std::int64_t ms) {
    return {s, ms};
}

RunOutcome no_duration(ExecutionStatus s) {
    return {s, std::nullopt};
}

std::string strip(const std::vector<RunOutcome>& runs, bool color) {
    return format::paint(format::run_strip(runs, color), color);
}

const std::string k_green = "\033[32m";
const std::string k_red = "\033[31m";
const std::string k_dim = "\033[2m";
const std::string k_reset = "\033[0m";
const std::string k_dot = "\u25cf";

} // namespace

TEST_SUITE("format::runs") {

    TEST_CASE("without colour each status has its own character, oldest first") {
        std::vector<RunOutcome> runs = {
            ran(ExecutionStatus::completed, 10), ran(ExecutionStatus::failed, 20),
            ran(ExecutionStatus::timed_out, 30), no_duration(ExecutionStatus::lost),
            ran(ExecutionStatus::cancelled, 5),  no_duration(ExecutionStatus::skipped),
            ran(ExecutionStatus::completed, 10)};
        CHECK(strip(runs, false) == "+xTLc-+");
        auto spans = format::run_strip(runs, false);
        REQUIRE(spans.size() == 1);
        CHECK(spans[0].color == format::Color::none);
    }

    TEST_CASE("with colour each run is a dot in its status's colour") {
        std::vector<RunOutcome> runs = {
            ran(ExecutionStatus::completed, 10),   ran(ExecutionStatus::completed, 10),
            ran(ExecutionStatus::failed, 20),      ran(ExecutionStatus::timed_out, 30),
            no_duration(ExecutionStatus::lost),    ran(ExecutionStatus::cancelled, 5),
            no_duration(ExecutionStatus::skipped), ran(ExecutionStatus::completed, 10)};
        // neighbours of one colour share one escape sequence
        CHECK(strip(runs, true) == k_green + k_dot + k_dot + k_reset + k_red + k_dot + k_dot +
                                       k_dot + k_reset + k_dim + k_dot + k_dot + k_reset + k_green +
                                       k_dot + k_reset);
        // the same spans without colour: the dots alone
        std::string dots;
        for (std::size_t i = 0; i < runs.size(); ++i)
            dots += k_dot;
        CHECK(format::paint(format::run_strip(runs, true), false) == dots);
    }

    TEST_CASE("no runs make no strip and no sparkline") {
        CHECK(format::run_strip({}, true).empty());
        CHECK(format::run_strip({}, false).empty());
        CHECK(format::duration_sparkline({}).empty());
    }

    TEST_CASE("a single run is one mark and a flat sparkline") {
        std::vector<RunOutcome> runs = {ran(ExecutionStatus::failed, 1500)};
        CHECK(strip(runs, false) == "x");
        CHECK(strip(runs, true) == k_red + k_dot + k_reset);
        CHECK(format::duration_sparkline(runs) == "\u2581  min 1.5s  max 1.5s");
    }

    TEST_CASE("the sparkline scales durations between the shortest and the longest") {
        std::vector<RunOutcome> runs;
        for (std::int64_t ms = 0; ms <= 7000; ms += 1000)
            runs.push_back(ran(ExecutionStatus::completed, ms));
        CHECK(format::duration_sparkline(runs) ==
              "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588  min 0ms  max 7s");
        // levels round to the nearest block
        std::vector<RunOutcome> rounded = {
            ran(ExecutionStatus::completed, 100), ran(ExecutionStatus::completed, 149),
            ran(ExecutionStatus::completed, 150), ran(ExecutionStatus::completed, 800)};
        CHECK(format::duration_sparkline(rounded) ==
              "\u2581\u2581\u2582\u2588  min 100ms  max 800ms");
    }

    TEST_CASE("equal durations draw a flat line") {
        std::vector<RunOutcome> runs(3, ran(ExecutionStatus::completed, 125'000));
        CHECK(format::duration_sparkline(runs) == "\u2581\u2581\u2581  min 2m05s  max 2m05s");
    }

    TEST_CASE("runs without a duration leave a space, so the sparkline lines up with the strip") {
        std::vector<RunOutcome> runs = {
            no_duration(ExecutionStatus::skipped), ran(ExecutionStatus::completed, 2000),
            no_duration(ExecutionStatus::lost), ran(ExecutionStatus::failed, 4000),
            no_duration(ExecutionStatus::skipped)};
        CHECK(strip(runs, false) == "-+Lx-");
        CHECK(format::duration_sparkline(runs) == " \u2581 \u2588   min 2s  max 4s");
        // only runs without a duration: no sparkline at all
        CHECK(format::duration_sparkline(
                  {no_duration(ExecutionStatus::skipped), no_duration(ExecutionStatus::lost)})
                  .empty());
    }

    TEST_CASE("runs that have not ended have a mark of their own") {
        CHECK(format::status_mark(ExecutionStatus::running) == '?');
        CHECK(format::status_color(ExecutionStatus::running) == format::Color::cyan);
    }
}
