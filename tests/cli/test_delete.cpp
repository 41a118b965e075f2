// `job delete`: confirmation on a terminal, refusal without one.

#include "harness.hpp"

#include <doctest/doctest.h>

using schedule::test::Sandbox;

TEST_SUITE("cli::delete") {

    TEST_CASE("on a terminal, delete asks and obeys the answer") {
        Sandbox sb;
        sb.ok({"job", "create", "victim", "--command", "true"});
        SUBCASE("yes deletes") {
            auto r = sb.run_tty({"job", "delete", "victim"}, "y\n");
            CHECK(r.out.find("Delete job \"victim\"") != std::string::npos);
            CHECK(r.exit_code == 0);
            CHECK(sb.run({"job", "show", "victim"}).exit_code == 3);
        }
        SUBCASE("anything else keeps the job") {
            auto before = sb.dump();
            auto r = sb.run_tty({"job", "delete", "victim"}, "n\n");
            CHECK(r.exit_code == 1);
            CHECK(r.out.find("Not deleted.") != std::string::npos);
            CHECK(sb.dump() == before);
        }
    }

    TEST_CASE("without a terminal, delete needs --force") {
        Sandbox sb;
        sb.ok({"job", "create", "victim", "--command", "true"});
        auto before = sb.dump();
        auto r = sb.run({"job", "delete", "victim"}, "y\n");
        CHECK(r.exit_code == 2);
        CHECK(r.err.find("--force") != std::string::npos);
        CHECK(sb.dump() == before);

        auto forced = sb.json({"job", "delete", "victim", "--force"});
        CHECK(forced["deleted"] == true);
        CHECK(forced["name"] == "victim");
        CHECK(forced["executions_deleted"] == 0);
        CHECK(sb.json({"job", "list"}).empty());
    }

    TEST_CASE("delete removes the job's history") {
        Sandbox sb;
        std::string id = sb.json({"job", "create", "h", "--command", "true"})["job_id"];
        auto ins = sb.run_program(
            {"sqlite3", sb.store().string(),
             "INSERT INTO executions (job_id, trigger, status, created_at, updated_at) VALUES ('" +
                 id + "', 'manual', 'completed', 0, 0), ('" + id +
                 "', 'manual', 'failed', 0, 0);"});
        REQUIRE(ins.exit_code == 0);
        auto r = sb.json({"job", "delete", "h", "-f"});
        CHECK(r["executions_deleted"] == 2);
        auto count =
            sb.run_program({"sqlite3", sb.store().string(), "SELECT count(*) FROM executions"});
        CHECK(count.out == "0\n");
    }
}
