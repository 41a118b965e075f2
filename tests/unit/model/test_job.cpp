// model::job: the names of the enumerations a job's flags take.

#include <schedule/model/job.hpp>
#include <schedule/model/validate.hpp>

#include <doctest/doctest.h>

#include <set>
#include <string>

using namespace schedule::model;

namespace {
// Every value's name parses back to the value, and no two share a name.
template <class E, std::size_t N, class Parse>
void check_round_trip(const std::array<E, N>& values, Parse parse) {
    std::set<std::string_view> names;
    for (auto v : values) {
        CAPTURE(to_string(v));
        CHECK(parse(to_string(v)) == v);
        names.insert(to_string(v));
    }
    CHECK(names.size() == N);
}
} // namespace

TEST_SUITE("model::job") {

    TEST_CASE("each enumeration's list of values parses back by name") {
        check_round_trip(k_dst_gaps, parse_dst_gap);
        check_round_trip(k_dst_overlaps, parse_dst_overlap);
        check_round_trip(k_overlaps, parse_overlap);
        check_round_trip(k_backoffs, parse_backoff);
        check_round_trip(k_catchups, parse_catchup);
        check_round_trip(k_job_statuses, parse_job_status);
        CHECK_FALSE(parse_overlap("Skip"));
        CHECK_FALSE(parse_job_status(""));
    }

    TEST_CASE("the named priorities parse back by name") {
        std::set<std::string_view> names;
        for (int level : k_priority_levels) {
            auto name = priority_name(level);
            REQUIRE(name);
            CHECK(parse_priority(*name).value() == level);
            names.insert(*name);
        }
        CHECK(names == std::set<std::string_view>{"low", "normal", "high", "critical"});
        CHECK(parse_priority("HIGH").value() == k_priority_high);
    }
}
