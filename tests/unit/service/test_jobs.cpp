// service:: job use cases over a real store with a fixed clock.

#include "../support/temp_dir.hpp"

#include <schedule/service/config.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>

using namespace schedule;
using schedule::test::TempDir;

namespace {
struct Fixture {
    TempDir tmp;
    store::Store store = store::Store::open(tmp.path() / "s.db", store::Access::write);
    time::FixedClock clock{time::from_unix(1768471200)}; // 2026-01-15T10:00:00Z
    service::Context ctx{store, clock, {"tester", std::string("UTC"), std::nullopt}};

    service::JobSpec spec(const std::string& name) {
        service::JobSpec s;
        s.name = name;
        s.command = "true";
        return s;
    }
};
} // namespace

TEST_SUITE("service::jobs") {

    TEST_CASE("create stores the job and one job.created event") {
        Fixture f;
        auto s = f.spec("backup");
        s.cron = "  0   3 * * *  ";
        s.priority = "HIGH";
        auto job = service::create_job(f.ctx, s);
        CHECK(job.id.size() == 8);
        CHECK(job.trigger.expression == "0 3 * * *");
        CHECK(job.priority == 80);
        CHECK(job.timezone == "UTC");
        CHECK(job.created_at == f.clock.now());
        auto events = f.store.list_events();
        REQUIRE(events.size() == 1);
        CHECK(events[0].type == "job.created");
        CHECK(events[0].user == "tester");
        CHECK(events[0].job_id == job.id);
    }

    TEST_CASE("invalid input throws ValidationError naming the flag and writes nothing") {
        Fixture f;
        auto check = [&](service::JobSpec s, const std::string& field) {
            try {
                service::create_job(f.ctx, s);
                FAIL("no error for " << field);
            } catch (const util::ValidationError& e) {
                CHECK(e.field() == field);
                CHECK(int(e.code()) == 2);
            }
            CHECK(f.store.list_jobs({}).empty());
            CHECK(f.store.list_events().empty());
        };
        auto s = f.spec("x");
        s.cron = "61 * * * *";
        check(s, "--cron");
        s = f.spec("x");
        s.timezone = "Nowhere/Land";
        check(s, "--tz");
        s = f.spec("x:y");
        check(s, "--name");
        s = f.spec("x");
        s.command.reset();
        check(s, "--command");
        s = f.spec("x");
        s.task_config = "{}";
        check(s, "--task-config");
    }

    TEST_CASE("update, pause and resume write the right events") {
        Fixture f;
        auto job = service::create_job(f.ctx, f.spec("a"));
        f.clock.advance(time::Duration{60});
        service::JobSpec change;
        change.description = "new";
        change.enabled = "false";
        auto updated = service::update_job(f.ctx, job.id, change);
        CHECK(updated.description == "new");
        CHECK(updated.status == model::JobStatus::paused);
        CHECK(updated.updated_at == f.clock.now());
        auto r = service::set_job_enabled(f.ctx, "a", true);
        CHECK(r.changed);
        CHECK_FALSE(service::set_job_enabled(f.ctx, "a", true).changed);
        std::vector<std::string> types;
        for (const auto& e : f.store.list_events())
            types.push_back(e.type);
        CHECK(types ==
              std::vector<std::string>{"job.created", "job.paused", "job.updated", "job.resumed"});
        CHECK(f.store.list_events().at(2).detail == R"({"changed":["description"]})");
    }

    TEST_CASE("an update that changes nothing writes nothing") {
        Fixture f;
        service::create_job(f.ctx, f.spec("a"));
        service::JobSpec same;
        same.command = "true";
        service::update_job(f.ctx, "a", same);
        CHECK(f.store.list_events().size() == 1);
        CHECK_THROWS_AS(service::update_job(f.ctx, "a", service::JobSpec{}), util::UsageError);
    }

    TEST_CASE("not found and name conflicts") {
        Fixture f;
        service::create_job(f.ctx, f.spec("a"));
        service::create_job(f.ctx, f.spec("b"));
        CHECK_THROWS_AS(service::get_job(f.ctx, "zzz"), util::NotFound);
        CHECK_THROWS_AS(service::get_job(f.ctx, "00000000"), util::NotFound);
        CHECK_THROWS_AS(service::create_job(f.ctx, f.spec("a")), util::Conflict);
        service::JobSpec rename;
        rename.name = "b";
        CHECK_THROWS_AS(service::update_job(f.ctx, "a", rename), util::Conflict);
    }

    TEST_CASE("the configured timezone is the default zone for new jobs") {
        Fixture f;
        service::set_setting(f.ctx, "timezone", "Asia/Tokyo");
        service::Context fresh{f.store, f.clock, {"tester", std::string("UTC"), std::nullopt}};
        CHECK(service::create_job(fresh, f.spec("t")).timezone == "Asia/Tokyo");
    }

    TEST_CASE("delete reports the history it removed and logs job.deleted") {
        Fixture f;
        auto job = service::create_job(f.ctx, f.spec("gone"));
        auto r = service::delete_job(f.ctx, "gone", true);
        CHECK(r.job.id == job.id);
        CHECK(r.executions_deleted == 0);
        CHECK(f.store.list_events().back().type == "job.deleted");
        CHECK(f.store.list_events().back().job_name == "gone");
    }
}
