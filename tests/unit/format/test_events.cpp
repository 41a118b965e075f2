// format:: the audit log (`schedule events`) as a table, JSON and lines.

#include "../support/time_helpers.hpp"

#include <schedule/format/events.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace schedule;
using schedule::test::utc;
using json = nlohmann::ordered_json;

namespace {

model::Event failed_run() {
    model::Event e;
    e.id = 7;
    e.time = utc(2026, 1, 15, 12, 0, 5);
    e.type = model::event_type::execution_failed;
    e.job_id = "0000000a";
    e.job_name = "backup";
    e.execution_id = 3;
    e.user = "ops";
    e.detail = R"({"exit_code":2,"signal":null,"error":"no\nspace"})";
    return e;
}

format::Style berlin() {
    format::Style s;
    s.default_zone = *time::Zone::locate("Europe/Berlin");
    return s;
}

} // namespace

TEST_SUITE("format::events") {

    TEST_CASE("event_detail_text writes a detail object as key=value words") {
        CHECK(format::event_detail_text(R"({"changed":["command","timeout_seconds"]})") ==
              "changed=command,timeout_seconds");
        CHECK(format::event_detail_text(R"({"key":"max_workers","old":null,"new":"3"})") ==
              "key=max_workers old=- new=3");
        CHECK(format::event_detail_text(R"({"exit_code":0,"applied":true})") ==
              "exit_code=0 applied=true");
        CHECK(format::event_detail_text("{}").empty());
        CHECK(format::event_detail_text("not json") == "not json");
    }

    TEST_CASE("the event object has the documented keys, its instant in the default zone") {
        auto lines = format::events_json({failed_run()}, berlin());
        auto arr = json::parse(lines);
        REQUIRE(arr.size() == 1);
        std::vector<std::string> keys;
        for (auto it = arr[0].begin(); it != arr[0].end(); ++it)
            keys.push_back(it.key());
        CHECK(keys == std::vector<std::string>{"event_id", "time", "type", "job_id", "job_name",
                                               "execution_id", "user", "detail"});
        CHECK(arr[0]["time"] == "2026-01-15T13:00:05+01:00");
        CHECK(arr[0]["detail"]["exit_code"] == 2);
        CHECK(format::events_json({}, berlin()) == "[]\n");

        auto style = berlin();
        style.utc = true;
        auto line = format::event_json_line(failed_run(), style);
        CHECK(line.back() == '\n');
        CHECK(line.find('\n') == line.size() - 1); // one line
        CHECK(json::parse(line)["time"] == "2026-01-15T12:00:05Z");
    }

    TEST_CASE("a config event has no job or execution, shown as - in a line") {
        model::Event e;
        e.id = 1;
        e.time = utc(2026, 1, 15, 12, 0, 0);
        e.type = model::event_type::config_changed;
        e.user = "root";
        e.detail = R"({"key":"timezone"})";
        auto obj = json::parse(format::event_json_line(e, berlin()));
        CHECK(obj["job_id"].is_null());
        CHECK(obj["job_name"].is_null());
        CHECK(obj["execution_id"].is_null());
        CHECK(format::event_line(e, berlin()) ==
              "2026-01-15 13:00:00  config.changed       -  -  root  key=timezone\n");
    }

    TEST_CASE("table and line cut a long detail to 60 columns") {
        auto e = failed_run();
        e.detail = R"({"command":")" + std::string(100, 'x') + R"("})";
        auto line = format::event_line(e, berlin());
        auto detail = line.substr(line.find("command="));
        CHECK(detail == "command=" + std::string(51, 'x') + "…\n");
        CHECK(format::events_table({e}, berlin()).find(detail) != std::string::npos);
        CHECK(json::parse(format::event_json_line(e, berlin()))["detail"]["command"] ==
              std::string(100, 'x'));
    }

    TEST_CASE("table and line escape control characters and keep seconds") {
        auto table = format::events_table({failed_run()}, berlin());
        CHECK(table.find("TIME") == 0);
        CHECK(table.find("2026-01-15 13:00:05") != std::string::npos);
        CHECK(table.find("error=no\\nspace") != std::string::npos);
        auto style = berlin();
        style.utc = true;
        CHECK(format::event_line(failed_run(), style) ==
              "2026-01-15 12:00:05Z  execution.failed     backup  3  ops  "
              "exit_code=2 signal=- error=no\\nspace\n");
    }
}
