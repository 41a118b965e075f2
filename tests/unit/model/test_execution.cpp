// model::execution: execution statuses by name.

#include <schedule/model/execution.hpp>

#include <doctest/doctest.h>

#include <set>

using namespace schedule::model;

TEST_SUITE("model::execution") {

    TEST_CASE("every execution status parses back by name") {
        std::set<std::string_view> names;
        for (auto s : k_execution_statuses) {
            CAPTURE(to_string(s));
            CHECK(parse_execution_status(to_string(s)) == s);
            names.insert(to_string(s));
        }
        CHECK(names.size() == k_execution_statuses.size());
        CHECK(k_execution_statuses.size() == 9);
        CHECK_FALSE(parse_execution_status("done"));
    }
}
