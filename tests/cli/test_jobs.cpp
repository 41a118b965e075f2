// `job create|list|show|update|pause|resume|delete` through the real binary.

#include "harness.hpp"

#include <doctest/doctest.h>

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
