#pragma once
// Instants, wall-clock readings and zones for unit tests, built with
// <chrono> only so that expectations do not depend on the code under test.

#include <schedule/time/instant.hpp>
#include <schedule/time/zone.hpp>

#include <doctest/doctest.h>

#include <string>

namespace schedule::test {

// A UTC instant.
inline time::Instant utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    namespace chr = std::chrono;
    return time::Instant{chr::sys_days{chr::year{y} / chr::month{mo} / chr::day{d}}} +
           chr::hours{h} + chr::minutes{mi} + chr::seconds{s};
}

// A wall-clock reading.
inline time::LocalTime local(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    namespace chr = std::chrono;
    return time::LocalTime{chr::local_days{chr::year{y} / chr::month{mo} / chr::day{d}}} +
           chr::hours{h} + chr::minutes{mi} + chr::seconds{s};
}

// The zone named `name`; the test fails if it does not exist.
inline time::Zone zone(const char* name) {
    auto z = time::Zone::locate(name);
    INFO("zone: ", name, ", error: ", z.ok() ? std::string() : z.error());
    REQUIRE(z.ok());
    return *z;
}

} // namespace schedule::test
