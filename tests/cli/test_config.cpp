// `config list|get|set|unset` (man page CONFIG COMMANDS) and the default
// zone (TIME) through the real binary.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// The settings this build has; more may be added, none may go missing.
const std::vector<std::string> k_keys = {"log.file", "log.level", "timezone"};

// `config list --format json` keyed by setting.
std::map<std::string, json> settings_by_key(const Sandbox& sb) {
    auto list = sb.json({"config", "list"});
    REQUIRE(list.is_array());
    std::map<std::string, json> out;
    for (const auto& s : list)
        out[s["key"].get<std::string>()] = s;
    return out;
}

// Table rows keyed by their first column; each row split on runs of spaces.
std::map<std::string, std::vector<std::string>> table_rows(const std::string& text) {
    std::map<std::string, std::vector<std::string>> rows;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::vector<std::string> cells;
        for (std::string w; words >> w;)
            cells.push_back(w);
        if (!cells.empty())
            rows[cells.front()] = cells;
    }
    return rows;
}

// RFC 4180 records (CRLF line ends, quoted fields may hold commas).
std::vector<std::vector<std::string>> csv_records(const std::string& text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> record;
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            record.push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            record.push_back(field);
            records.push_back(record);
            record.clear();
            field.clear();
            ++i;
        } else {
            field += c;
        }
    }
    CHECK(record.empty()); // every record ends in CRLF
    CHECK(field.empty());
    return records;
}

json config_events(const Sandbox& sb) {
    auto r = sb.run_program({"sqlite3", "-json", sb.store().string(),
                             "SELECT type, job_id, user, detail FROM events "
                             "WHERE type = 'config.changed' ORDER BY event_id"});
    REQUIRE(r.exit_code == 0);
    if (r.out.find_first_not_of(" \r\n") == std::string::npos)
        return json::array();
    return json::parse(r.out);
}

} // namespace

TEST_SUITE("cli::config") {

    TEST_CASE("config list shows every setting with value, default and source") {
        Sandbox sb;

        SUBCASE("JSON: an array of objects with key, value, default, source, description") {
            auto list = sb.json({"config", "list"});
            REQUIRE(list.is_array());
            for (const auto& s : list) {
                INFO(s.dump());
                std::set<std::string> keys;
                for (const auto& [k, v] : s.items())
                    keys.insert(k);
                CHECK(keys ==
                      std::set<std::string>{"key", "value", "default", "source", "description"});
                CHECK(s["key"].is_string());
                CHECK((s["value"].is_string() || s["value"].is_null()));
                CHECK((s["default"].is_string() || s["default"].is_null()));
                CHECK(s["source"] == "default");
                CHECK(s["description"].is_string());
                CHECK_FALSE(s["description"].get<std::string>().empty());
            }
            auto by_key = settings_by_key(sb);
            for (const auto& key : k_keys)
                CHECK_MESSAGE(by_key.count(key) == 1, key);
            CHECK(by_key["log.level"]["value"] == "warn");
            CHECK(by_key["log.level"]["default"] == "warn");
            CHECK(by_key["log.file"]["value"].is_null());
            CHECK(by_key["log.file"]["default"].is_null());
            // The default zone comes from $TZ (UTC in the sandbox).
            CHECK(by_key["timezone"]["value"] == "UTC");
        }

        SUBCASE("JSON after set: the source is store, the default stays") {
            sb.ok({"config", "set", "log.level", "error"});
            sb.ok({"config", "set", "log.file", (sb.dir() / "schedule.log").string()});
            auto by_key = settings_by_key(sb);
            CHECK(by_key["log.level"]["value"] == "error");
            CHECK(by_key["log.level"]["default"] == "warn");
            CHECK(by_key["log.level"]["source"] == "store");
            CHECK(by_key["log.file"]["value"] == (sb.dir() / "schedule.log").string());
            CHECK(by_key["log.file"]["source"] == "store");
            CHECK(by_key["timezone"]["source"] == "default");
        }

        SUBCASE("table: KEY VALUE SOURCE DEFAULT, one row per setting") {
            sb.ok({"config", "set", "log.level", "error"});
            auto rows = table_rows(sb.ok({"config", "list"}));
            REQUIRE(rows.count("KEY") == 1);
            CHECK(rows["KEY"] == std::vector<std::string>{"KEY", "VALUE", "SOURCE", "DEFAULT"});
            for (const auto& key : k_keys)
                CHECK_MESSAGE(rows.count(key) == 1, key);
            CHECK(rows["log.level"] ==
                  std::vector<std::string>{"log.level", "error", "store", "warn"});
            CHECK(rows["log.file"] == std::vector<std::string>{"log.file", "-", "default", "-"});
            CHECK(rows["timezone"] ==
                  std::vector<std::string>{"timezone", "UTC", "default", "UTC"});
        }

        SUBCASE("CSV: a header and one record per setting") {
            sb.ok({"config", "set", "timezone", "Asia/Tokyo"});
            auto records = csv_records(sb.ok({"config", "list", "--format", "csv"}));
            REQUIRE_FALSE(records.empty());
            CHECK(records[0] ==
                  std::vector<std::string>{"key", "value", "default", "source", "description"});
            std::map<std::string, std::vector<std::string>> by_key;
            for (std::size_t i = 1; i < records.size(); ++i) {
                CHECK(records[i].size() == 5);
                by_key[records[i][0]] = records[i];
            }
            CHECK(by_key.size() == records.size() - 1);
            for (const auto& key : k_keys)
                CHECK_MESSAGE(by_key.count(key) == 1, key);
            CHECK(by_key["timezone"][1] == "Asia/Tokyo");
            CHECK(by_key["timezone"][3] == "store");
            CHECK(by_key["log.level"][1] == "warn");
            CHECK(by_key["log.level"][2] == "warn");
            CHECK(by_key["log.level"][3] == "default");
            CHECK_FALSE(by_key["log.level"][4].empty());
            CHECK(by_key["log.file"][1].empty());
            // The JSON and CSV descriptions agree (the CSV one holds commas).
            CHECK(by_key["log.level"][4] ==
                  settings_by_key(sb)["log.level"]["description"].get<std::string>());
        }
    }

    TEST_CASE("config set, get and unset round trip, switching the source") {
        Sandbox sb;
        SUBCASE("log.level") {
            CHECK(sb.ok({"config", "get", "log.level"}) == "warn\n");
            sb.ok({"config", "set", "log.level", "error"});
            CHECK(sb.ok({"config", "get", "log.level"}) == "error\n");
            auto got = sb.json({"config", "get", "log.level"});
            CHECK(got["key"] == "log.level");
            CHECK(got["value"] == "error");
            CHECK(got["default"] == "warn");
            CHECK(got["source"] == "store");

            auto unset = sb.json({"config", "unset", "log.level"});
            CHECK(unset["source"] == "default");
            CHECK(unset["value"] == "warn");
            CHECK(sb.ok({"config", "get", "log.level"}) == "warn\n");
            CHECK(sb.json({"config", "get", "log.level"})["source"] == "default");
        }
        SUBCASE("log.file") {
            const std::string path = (sb.dir() / "logs" / "schedule.log").string();
            CHECK(sb.json({"config", "get", "log.file"})["value"].is_null());
            auto set = sb.json({"config", "set", "log.file", path});
            CHECK(set["value"] == path);
            CHECK(set["source"] == "store");
            CHECK(sb.ok({"config", "get", "log.file"}) == path + "\n");
            sb.ok({"config", "unset", "log.file"});
            auto got = sb.json({"config", "get", "log.file"});
            CHECK(got["value"].is_null());
            CHECK(got["source"] == "default");
        }
        SUBCASE("timezone") {
            sb.ok({"config", "set", "timezone", "Asia/Tokyo"});
            CHECK(sb.ok({"config", "get", "timezone"}) == "Asia/Tokyo\n");
            CHECK(sb.json({"config", "get", "timezone"})["source"] == "store");
            auto unset = sb.json({"config", "unset", "timezone"});
            CHECK(unset["source"] == "default");
            CHECK(unset["value"] == "UTC");
            // Back to $TZ.
            CHECK(sb.ok({"config", "get", "timezone"}) == "UTC\n");
            CHECK(sb.json({"config", "get", "timezone"})["source"] == "default");
        }
        SUBCASE("setting again replaces the value") {
            sb.ok({"config", "set", "log.level", "error"});
            sb.ok({"config", "set", "log.level", "off"});
            CHECK(sb.ok({"config", "get", "log.level"}) == "off\n");
        }
        SUBCASE("unset of a key that is not set succeeds and changes nothing") {
            sb.ok({"config", "set", "log.level", "error"});
            const auto dump = sb.dump();
            CHECK(sb.run({"config", "unset", "timezone"}).exit_code == 0);
            CHECK(sb.dump() == dump);
        }
    }

    TEST_CASE("config set refuses a bad value with exit 2, names the key, and changes nothing") {
        Sandbox sb;
        sb.ok({"config", "set", "log.level", "error"});
        struct Bad {
            const char* name;
            Args args;
            const char* key;
        };
        const std::vector<Bad> cases = {
            {"log.level loud", {"config", "set", "log.level", "loud"}, "log.level"},
            {"log.level empty", {"config", "set", "log.level", ""}, "log.level"},
            {"timezone Mars/Base", {"config", "set", "timezone", "Mars/Base"}, "timezone"},
            {"timezone empty", {"config", "set", "timezone", ""}, "timezone"},
            {"log.file relative", {"config", "set", "log.file", "logs/schedule.log"}, "log.file"},
            {"log.file empty", {"config", "set", "log.file", ""}, "log.file"},
            {"log.file with a newline", {"config", "set", "log.file", "/tmp/a\nb.log"}, "log.file"},
            {"set of an unknown key", {"config", "set", "max.cows", "3"}, "max.cows"},
            {"get of an unknown key", {"config", "get", "max.cows"}, "max.cows"},
            {"unset of an unknown key", {"config", "unset", "max.cows"}, "max.cows"},
            {"set without a value", {"config", "set", "log.level"}, "VALUE"},
        };
        for (const auto& c : cases) {
            SUBCASE(c.name) {
                const auto dump = sb.dump();
                auto r = sb.run(c.args);
                CHECK(r.exit_code == 2);
                check_error_line(r, c.key);
                CHECK(r.out.empty());
                CHECK(sb.dump() == dump);
                CHECK(sb.ok({"config", "get", "log.level"}) == "error\n");
            }
        }
    }

    TEST_CASE("reading config on a missing store creates nothing and an unknown key exits 2") {
        Sandbox sb;
        CHECK(sb.run({"config", "get", "max.cows"}).exit_code == 2);
        CHECK(sb.run({"config", "list"}).exit_code == 0);
        CHECK(sb.run({"config", "get", "timezone"}).exit_code == 0);
        CHECK_FALSE(std::filesystem::exists(sb.store()));
    }

    TEST_CASE("the timezone setting is the default zone of new jobs") {
        Sandbox sb;
        REQUIRE(sb.env["TZ"] == "UTC");

        SUBCASE("config timezone beats $TZ") {
            sb.ok({"config", "set", "timezone", "Europe/Berlin"});
            auto job = sb.json({"job", "create", "--name", "berlin", "--command", "true"});
            CHECK(job["timezone"] == "Europe/Berlin");
            // Instants show in the job's zone (CET in January).
            CHECK(job["created_at"] == "2026-01-15T11:00:00+01:00");
            CHECK(sb.json({"job", "show", "berlin"})["timezone"] == "Europe/Berlin");

            sb.env["TZ"] = "America/New_York";
            CHECK(sb.json({"job", "create", "--name", "still-berlin", "--command",
                           "true"})["timezone"] == "Europe/Berlin");
        }
        SUBCASE("--tz beats the setting") {
            sb.ok({"config", "set", "timezone", "Europe/Berlin"});
            CHECK(sb.json({"job", "create", "--name", "tokyo", "--command", "true", "--tz",
                           "Asia/Tokyo"})["timezone"] == "Asia/Tokyo");
        }
        SUBCASE("the zone is stored at create: changing the setting later keeps it") {
            sb.ok({"config", "set", "timezone", "Europe/Berlin"});
            sb.ok({"job", "create", "--name", "early", "--command", "true"});
            sb.ok({"config", "set", "timezone", "Asia/Tokyo"});
            CHECK(sb.json({"job", "show", "early"})["timezone"] == "Europe/Berlin");
            sb.ok({"config", "unset", "timezone"});
            CHECK(sb.json({"job", "show", "early"})["timezone"] == "Europe/Berlin");
            CHECK(sb.json({"job", "create", "--name", "late", "--command", "true"})["timezone"] ==
                  "UTC");
        }
        SUBCASE("SCHEDULE_NOW without an offset is read in the configured zone") {
            sb.ok({"config", "set", "timezone", "Europe/Berlin"});
            sb.env["SCHEDULE_NOW"] = "2026-01-15T10:00:00";
            CHECK(sb.json({"job", "create", "--name", "local", "--command",
                           "true"})["created_at"] == "2026-01-15T10:00:00+01:00");
        }
    }

    TEST_CASE("$TZ gives the default zone when no timezone is set") {
        Sandbox sb;
        sb.env["TZ"] = "America/New_York";
        auto got = sb.json({"config", "get", "timezone"});
        CHECK(got["value"] == "America/New_York");
        CHECK(got["source"] == "default");
        CHECK(sb.ok({"config", "get", "timezone"}) == "America/New_York\n");
        auto rows = table_rows(sb.ok({"config", "list"}));
        CHECK(rows["timezone"] == std::vector<std::string>{"timezone", "America/New_York",
                                                           "default", "America/New_York"});

        auto job = sb.json({"job", "create", "--name", "nyc", "--command", "true"});
        CHECK(job["timezone"] == "America/New_York");
        CHECK(job["created_at"] == "2026-01-15T05:00:00-05:00");
    }

    TEST_CASE("config.changed events record the key with old and new values") {
        Sandbox sb;
        sb.ok({"config", "set", "log.level", "error"});
        sb.ok({"config", "set", "log.level", "off"});
        sb.ok({"config", "unset", "log.level"});
        sb.ok({"config", "set", "timezone", "Europe/Berlin"});

        auto events = config_events(sb);
        REQUIRE(events.size() == 4);
        std::vector<json> details;
        for (const auto& e : events) {
            CHECK(e["type"] == "config.changed");
            CHECK(e["job_id"].is_null());
            CHECK_FALSE(e["user"].get<std::string>().empty());
            details.push_back(json::parse(e["detail"].get<std::string>()));
        }
        CHECK(details[0] == json{{"key", "log.level"}, {"old", nullptr}, {"new", "error"}});
        CHECK(details[1] == json{{"key", "log.level"}, {"old", "error"}, {"new", "off"}});
        CHECK(details[2] == json{{"key", "log.level"}, {"old", "off"}, {"new", nullptr}});
        CHECK(details[3] == json{{"key", "timezone"}, {"old", nullptr}, {"new", "Europe/Berlin"}});
    }
}
