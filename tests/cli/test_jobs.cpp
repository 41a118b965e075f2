// `job create|list|show|update|pause|resume|delete` through the real binary.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <cctype>

using schedule::test::Sandbox;

TEST_SUITE("cli::jobs") {

    TEST_CASE("a created job can be listed and shown by name and by id") {
        Sandbox sb;
        auto created = sb.json({"job", "create", "--name", "backup", "--cron", "0 3 * * *",
                                "--command", "tar czf /tmp/b.tgz /etc", "--priority", "high",
                                "--tag", "team=infra", "--tag", "production"});
        std::string id = created["job_id"];
        CHECK(id.size() == 8);
        CHECK(created["name"] == "backup");
        CHECK(created["priority"] == 80);
        CHECK(created["cron_expression"] == "0 3 * * *");
        CHECK(created["trigger"]["type"] == "cron");
        CHECK(created["tags"]["team"] == "infra");
        CHECK(created["tags"]["production"].is_null());
        CHECK(created["status"] == "active");
        CHECK(created["enabled"] == true);
        CHECK(created["created_at"] == "2026-01-15T10:00:00+00:00");

        auto list = sb.json({"job", "list"});
        REQUIRE(list.is_array());
        REQUIRE(list.size() == 1);
        CHECK(list[0]["job_id"] == id);

        CHECK(sb.json({"job", "show", "backup"})["job_id"] == id);
        CHECK(sb.json({"job", "show", id})["name"] == "backup");

        auto table = sb.ok({"job", "list"});
        CHECK(table.find("backup") != std::string::npos);
        CHECK(table.find(id) != std::string::npos);
    }
}

TEST_SUITE("cli::jobs") {

    TEST_CASE("update changes only the fields given") {
        Sandbox sb;
        sb.ok({"job",    "create",      "web",           "--command", "curl -s localhost",
               "--cron", "*/5 * * * *", "--description", "probe",     "--owner",
               "ops",    "--tag",       "a=1",           "--tag",     "b",
               "--env",  "X=1",         "--timeout",     "5m",        "--working-dir",
               "/tmp"});
        auto before = sb.json({"job", "show", "web"});

        SUBCASE("one field") {
            sb.env["SCHEDULE_NOW"] = "2026-01-15T11:00:00Z";
            auto after = sb.json({"job", "update", "web", "--priority", "critical"});
            CHECK(after["priority"] == 100);
            CHECK(after["updated_at"] == "2026-01-15T11:00:00+00:00");
            CHECK(after["created_at"] == before["created_at"]);
            for (const char* key : {"name", "description", "cron_expression", "command", "owner",
                                    "tags", "env", "timeout_seconds", "working_dir", "timezone"})
                CHECK_MESSAGE(after[key] == before[key], key);
        }
        SUBCASE("a repeatable flag replaces the whole list") {
            auto after = sb.json({"job", "update", "web", "--tag", "c=3"});
            CHECK(after["tags"] == nlohmann::json({{"c", "3"}}));
            after = sb.json({"job", "update", "web", "--env", "Y=2", "--env", "Z=3"});
            CHECK(after["env"] == nlohmann::json({{"Y", "2"}, {"Z", "3"}}));
        }
        SUBCASE("clear flags remove optional fields") {
            auto after = sb.json({"job", "update", "web", "--clear-description", "--clear-owner",
                                  "--clear-tags", "--clear-timeout", "--clear-env",
                                  "--clear-working-dir", "--clear-schedule"});
            CHECK(after["description"] == "");
            CHECK(after["owner"].is_null());
            CHECK(after["tags"] == nlohmann::json::object());
            CHECK(after["timeout_seconds"].is_null());
            CHECK(after["env"] == nlohmann::json::object());
            CHECK(after["working_dir"].is_null());
            CHECK(after["trigger"]["type"] == "manual");
            CHECK(after["cron_expression"].is_null());
        }
        SUBCASE("rename keeps the id") {
            auto after = sb.json({"job", "update", "web", "--name", "web probe"});
            CHECK(after["job_id"] == before["job_id"]);
            CHECK(sb.run({"job", "show", "web"}).exit_code == 3);
            CHECK(sb.json({"job", "show", "web probe"})["job_id"] == before["job_id"]);
        }
        SUBCASE("switching between a command and a task type") {
            auto after = sb.json({"job", "update", "web", "--task-type", "http", "--task-config",
                                  R"({"url": "http://localhost", "n": [1, 2]})"});
            CHECK(after["command"].is_null());
            CHECK(after["task_type"] == "http");
            CHECK(after["task_config"]["n"] == nlohmann::json({1, 2}));
            after = sb.json({"job", "update", "web", "--command", "true"});
            CHECK(after["task_type"].is_null());
            CHECK(after["task_config"].is_null());
            CHECK(after["command"] == "true");
        }
        SUBCASE("--enabled pauses and resumes") {
            CHECK(sb.json({"job", "update", "web", "--enabled", "false"})["status"] == "paused");
            CHECK(sb.json({"job", "update", "web", "--enabled", "true"})["status"] == "active");
        }
    }

    TEST_CASE("pause and resume") {
        Sandbox sb;
        std::string id = sb.json({"job", "create", "nightly", "--command", "true"})["job_id"];
        auto paused = sb.json({"job", "pause", id});
        CHECK(paused["enabled"] == false);
        CHECK(paused["status"] == "paused");
        CHECK(sb.ok({"job", "pause", "nightly"}).find("already paused") != std::string::npos);
        auto resumed = sb.json({"job", "resume", "nightly"});
        CHECK(resumed["enabled"] == true);
        CHECK(resumed["status"] == "active");
        CHECK(sb.ok({"job", "resume", "nightly"}).find("already active") != std::string::npos);
    }

    TEST_CASE("--disabled creates a paused job") {
        Sandbox sb;
        auto job = sb.json({"job", "create", "later", "--command", "true", "--disabled"});
        CHECK(job["enabled"] == false);
        CHECK(job["status"] == "paused");
    }

    TEST_CASE("job list filters by owner, status, tag and enabled") {
        Sandbox sb;
        sb.ok(
            {"job", "create", "a", "--command", "true", "--owner", "alice", "--tag", "team=infra"});
        sb.ok({"job", "create", "b", "--command", "true", "--owner", "bob", "--tag", "team=web",
               "--tag", "prod"});
        sb.ok({"job", "create", "c", "--command", "true", "--owner", "alice", "--disabled"});
        auto names = [&](std::vector<std::string> args) {
            args.insert(args.begin(), {"job", "list"});
            std::vector<std::string> out;
            for (const auto& j : sb.json(args))
                out.push_back(j["name"]);
            return out;
        };
        using V = std::vector<std::string>;
        CHECK(names({}) == V{"a", "b", "c"});
        CHECK(names({"--owner", "alice"}) == V{"a", "c"});
        CHECK(names({"--status", "paused"}) == V{"c"});
        CHECK(names({"--status", "active"}) == V{"a", "b"});
        CHECK(names({"--enabled", "false"}) == V{"c"});
        CHECK(names({"--tag", "team"}) == V{"a", "b"});
        CHECK(names({"--tag", "team=web"}) == V{"b"});
        CHECK(names({"--tag", "prod"}) == V{"b"});
        CHECK(names({"--tag", "missing"}).empty());
        CHECK(names({"--owner", "alice", "--enabled", "true"}) == V{"a"});
    }

    TEST_CASE("ids are accepted in any case and names may hold spaces and quotes") {
        Sandbox sb;
        std::string id = sb.json(
            {"job", "create", "--name", "it's \"quoted\" here", "--command", "true"})["job_id"];
        std::string upper = id;
        for (auto& c : upper)
            c = char(std::toupper(static_cast<unsigned char>(c)));
        CHECK(sb.json({"job", "show", upper})["name"] == "it's \"quoted\" here");
        CHECK(sb.json({"job", "show", "it's \"quoted\" here"})["job_id"] == id);
    }

    TEST_CASE("-q on create prints only the id") {
        Sandbox sb;
        auto out = sb.ok({"job", "create", "quiet", "--command", "true", "-q"});
        REQUIRE(out.size() == 9);
        CHECK(out.back() == '\n');
        CHECK(sb.json({"job", "show", out.substr(0, 8)})["name"] == "quiet");
    }

    TEST_CASE("global flags are accepted before and after the command") {
        Sandbox sb;
        sb.ok({"job", "create", "g", "--command", "true"});
        auto a = sb.run({"--format", "json", "job", "show", "g"});
        auto b = sb.run({"job", "show", "g", "-o", "json"});
        CHECK(a.exit_code == 0);
        CHECK(a.out == b.out);
    }

    TEST_CASE("task jobs keep their config as a JSON object") {
        Sandbox sb;
        auto job = sb.json({"job", "create", "sync", "--task-type", "rsync", "--task-config",
                            R"({"src": "/a", "dst": "/b", "opts": {"delete": true}})"});
        CHECK(job["command"].is_null());
        CHECK(job["task_type"] == "rsync");
        CHECK(job["task_config"]["opts"]["delete"] == true);
        auto no_config = sb.json({"job", "create", "sync2", "--task-type", "rsync"});
        CHECK(no_config["task_config"] == nlohmann::json::object());
    }

    TEST_CASE("the job's zone is the default zone unless --tz is given") {
        Sandbox sb;
        sb.env["TZ"] = "Europe/Berlin";
        CHECK(sb.json({"job", "create", "a", "--command", "true"})["timezone"] == "Europe/Berlin");
        CHECK(sb.json({"job", "create", "b", "--command", "true", "--tz",
                       "Asia/Kolkata"})["timezone"] == "Asia/Kolkata");
        // Instants in JSON carry the job's offset; --utc turns them to Z.
        CHECK(sb.json({"job", "show", "b"})["created_at"] == "2026-01-15T15:30:00+05:30");
        CHECK(sb.json({"job", "show", "b", "--utc"})["created_at"] == "2026-01-15T10:00:00Z");
    }

    TEST_CASE("tick and retry policies have defaults, are updated and cleared") {
        Sandbox sb;
        auto job = sb.json({"job", "create", "p", "--command", "true", "--cron", "*/5 * * * *"});
        CHECK(job["catchup"] == "latest");
        CHECK(job["misfire_grace_seconds"].is_null());
        CHECK(job["max_executions"].is_null());
        CHECK(job["max_instances"].is_null());
        CHECK(job["scheduled_count"] == 0);
        CHECK(job["max_attempts"] == 1);
        CHECK(job["retry_delay_seconds"] == 60);
        CHECK(job["retry_max_delay_seconds"] == 3600);
        CHECK(job["backoff"] == "exponential");
        CHECK(job["retry_on"].is_null());

        sb.ok({"job",
               "update",
               "p",
               "--catchup",
               "all",
               "--misfire-grace",
               "10m",
               "--max-executions",
               "3",
               "--overlap",
               "allow",
               "--max-instances",
               "2",
               "--max-attempts",
               "4",
               "--retry-delay",
               "30s",
               "--retry-max-delay",
               "5m",
               "--backoff",
               "fibonacci",
               "--retry-on",
               "exit:3,timeout"});
        job = sb.json({"job", "show", "p"});
        CHECK(job["catchup"] == "all");
        CHECK(job["misfire_grace_seconds"] == 600);
        CHECK(job["max_executions"] == 3);
        CHECK(job["max_instances"] == 2);
        CHECK(job["max_attempts"] == 4);
        CHECK(job["retry_delay_seconds"] == 30);
        CHECK(job["retry_max_delay_seconds"] == 300);
        CHECK(job["backoff"] == "fibonacci");
        CHECK(job["retry_on"] == nlohmann::json::array({"timeout", "exit:3"}));
        auto table = sb.ok({"job", "show", "p"});
        CHECK(table.find("Catch-up:        all, misfire grace 10m") != std::string::npos);
        CHECK(table.find("Max executions:  3 (0 started)") != std::string::npos);
        CHECK(table.find("4 attempts, fibonacci from 30s up to 5m, on timeout,exit:3") !=
              std::string::npos);
        // job next honours max_executions.
        CHECK(sb.json({"job", "next", "p", "--count", "10"})["next"].size() == 3);

        sb.ok({"job", "update", "p", "--clear-misfire-grace", "--clear-max-executions",
               "--clear-max-instances", "--clear-retry-on"});
        job = sb.json({"job", "show", "p"});
        CHECK(job["misfire_grace_seconds"].is_null());
        CHECK(job["max_executions"].is_null());
        CHECK(job["max_instances"].is_null());
        CHECK(job["retry_on"].is_null());
        CHECK(job["max_attempts"] == 4); // untouched
    }
}
