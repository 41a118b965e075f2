// plan::retry_delay: the four strategies of --backoff and their cap.

#include <schedule/plan/retry.hpp>

#include <doctest/doctest.h>

#include <climits>
#include <vector>

using namespace schedule;
using model::Backoff;
using time::Duration;

namespace {

std::vector<long> delays(Backoff b, long d, long max, int attempts) {
    std::vector<long> out;
    for (int n = 1; n <= attempts; ++n)
        out.push_back(
            static_cast<long>(plan::retry_delay(b, Duration{d}, Duration{max}, n).count()));
    return out;
}

} // namespace

TEST_SUITE("plan::retry") {

    TEST_CASE("each backoff gives the delays the man page lists") {
        SUBCASE("fixed: d, d, d") {
            CHECK(delays(Backoff::fixed, 60, 3600, 5) == std::vector<long>{60, 60, 60, 60, 60});
        }
        SUBCASE("linear: d, 2d, 3d") {
            CHECK(delays(Backoff::linear, 60, 3600, 5) ==
                  std::vector<long>{60, 120, 180, 240, 300});
        }
        SUBCASE("exponential: d, 2d, 4d") {
            CHECK(delays(Backoff::exponential, 60, 3600, 5) ==
                  std::vector<long>{60, 120, 240, 480, 960});
        }
        SUBCASE("fibonacci: d, d, 2d, 3d, 5d, 8d") {
            CHECK(delays(Backoff::fibonacci, 10, 3600, 6) ==
                  std::vector<long>{10, 10, 20, 30, 50, 80});
        }
    }

    TEST_CASE("delays stop at the maximum delay") {
        CHECK(delays(Backoff::exponential, 60, 300, 6) ==
              std::vector<long>{60, 120, 240, 300, 300, 300});
        CHECK(delays(Backoff::linear, 100, 250, 4) == std::vector<long>{100, 200, 250, 250});
        CHECK(delays(Backoff::fibonacci, 100, 250, 6) ==
              std::vector<long>{100, 100, 200, 250, 250, 250});
        SUBCASE("a delay above the maximum is cut to it") {
            CHECK(delays(Backoff::fixed, 7200, 3600, 2) == std::vector<long>{3600, 3600});
        }
    }

    TEST_CASE("huge attempt numbers neither overflow nor pass the cap") {
        for (auto b : {Backoff::fixed, Backoff::linear, Backoff::exponential, Backoff::fibonacci}) {
            CAPTURE(model::to_string(b));
            for (int n : {62, 63, 64, 100, 1000, INT_MAX}) {
                auto d = plan::retry_delay(b, Duration{86400}, Duration{7 * 86400}, n);
                CHECK(d.count() > 0);
                CHECK(d.count() <= 7 * 86400);
            }
        }
    }

    TEST_CASE("a zero delay retries at once and a non-positive attempt counts as the first") {
        CHECK(delays(Backoff::exponential, 0, 3600, 3) == std::vector<long>{0, 0, 0});
        CHECK(plan::retry_delay(Backoff::linear, Duration{60}, Duration{3600}, 0).count() == 60);
    }

    TEST_CASE("backoff names round-trip") {
        for (auto b : {Backoff::fixed, Backoff::linear, Backoff::exponential, Backoff::fibonacci})
            CHECK(model::parse_backoff(model::to_string(b)) == b);
        CHECK_FALSE(model::parse_backoff("quadratic").has_value());
        for (auto c : {model::Catchup::latest, model::Catchup::all, model::Catchup::none})
            CHECK(model::parse_catchup(model::to_string(c)) == c);
        CHECK_FALSE(model::parse_catchup("some").has_value());
    }
}
