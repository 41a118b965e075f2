// The parts of `schedule doctor` that read text the host gives: what a tick
// service's `systemctl show` says it ticks.

#include <schedule/service/doctor.hpp>

#include <doctest/doctest.h>

using namespace schedule;

TEST_SUITE("service::doctor") {

    TEST_CASE("store_of_tick_service reads ExecStart's --store, else SCHEDULE_STORE") {
        const std::filesystem::path fallback = "/var/lib/schedule/schedule.db";
        // As systemctl show prints the packaged unit.
        const std::string packaged =
            "ExecStart={ path=/usr/bin/schedule ; argv[]=/usr/bin/schedule tick -q ; "
            "ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; "
            "status=0/0 }\nEnvironment=\n";
        CHECK(service::store_of_tick_service(packaged, fallback) == fallback);
        CHECK(service::store_of_tick_service("", fallback) == fallback);
        // A drop-in that names another store, either way.
        CHECK(service::store_of_tick_service(
                  "ExecStart={ path=/usr/bin/schedule ; argv[]=/usr/bin/schedule --store "
                  "/srv/jobs.db tick -q ; ignore_errors=no }\nEnvironment=\n",
                  fallback) == "/srv/jobs.db");
        CHECK(service::store_of_tick_service(
                  "ExecStart={ path=/usr/bin/schedule ; argv[]=/usr/bin/schedule tick -q ; "
                  "ignore_errors=no }\nEnvironment=LANG=C SCHEDULE_STORE=/srv/env.db\n",
                  fallback) == "/srv/env.db");
        // --store wins over the environment, as in the program.
        CHECK(service::store_of_tick_service(
                  "ExecStart={ path=/usr/bin/schedule ; argv[]=/usr/bin/schedule tick "
                  "--store=/srv/flag.db ; ignore_errors=no }\n"
                  "Environment=SCHEDULE_STORE=/srv/env.db\n",
                  fallback) == "/srv/flag.db");
        // An ExecStart that is not a tick names no store.
        CHECK(service::store_of_tick_service(
                  "ExecStart={ path=/bin/true ; argv[]=/bin/true --store /x ; }\n", fallback) ==
              fallback);
    }
}
