// store::notifications: the hooks waiting for their sender, against a real
// SQLite file in a temporary directory.

#include "../support/temp_dir.hpp"

#include <schedule/store/store.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>

using namespace schedule;
using schedule::test::TempDir;

namespace {

struct Fixture {
    TempDir tmp;
    store::Store st = store::Store::open(tmp.path() / "s.db", store::Access::write);

    Fixture() {
        model::Job j;
        j.id = "0000abcd";
        j.name = "backup";
        j.timezone = "UTC";
        j.command = "true";
        j.created_at = j.updated_at = time::from_unix(1700000000);
        auto tx = st.begin_write();
        st.insert_job(tx, j);
        tx.commit();
    }

    std::int64_t ended_run() {
        model::Execution e;
        e.job_id = "0000abcd";
        e.status = model::ExecutionStatus::failed;
        e.created_at = e.updated_at = time::from_unix(1700000000);
        auto tx = st.begin_write();
        auto id = st.insert_execution(tx, e);
        tx.commit();
        return id;
    }

    model::Notification hook(std::int64_t execution_id, model::HookKind kind, std::int64_t pid) {
        model::Notification n;
        n.execution_id = execution_id;
        n.kind = kind;
        n.command = "echo " + std::string(model::to_string(kind));
        n.sender_pid = pid;
        n.sender_start = 77;
        n.created_at = time::from_unix(1700000060);
        return n;
    }
};

} // namespace

TEST_SUITE("store::notifications") {

    TEST_CASE("a hook is read back by its sender only, and deleted once sent") {
        Fixture f;
        const auto a = f.hook(f.ended_run(), model::HookKind::failure, 100);
        const auto b = f.hook(f.ended_run(), model::HookKind::retry, 100);
        const auto other = f.hook(f.ended_run(), model::HookKind::success, 200);
        {
            auto tx = f.st.begin_write();
            f.st.insert_notification(tx, b);
            f.st.insert_notification(tx, a);
            f.st.insert_notification(tx, other);
            tx.commit();
        }
        CHECK(f.st.notifications_of(100, 77) == std::vector<model::Notification>{a, b});
        CHECK(f.st.notifications_of(200, 77) == std::vector<model::Notification>{other});
        // The same pid started at another time is another process.
        CHECK(f.st.notifications_of(100, 78).empty());

        auto tx = f.st.begin_write();
        f.st.delete_notification(tx, a.execution_id);
        f.st.delete_notification(tx, 12345); // none: nothing happens
        tx.commit();
        CHECK(f.st.notifications_of(100, 77) == std::vector<model::Notification>{b});
    }

    TEST_CASE("an execution has one hook, which goes with the execution") {
        Fixture f;
        const auto id = f.ended_run();
        auto tx = f.st.begin_write();
        f.st.insert_notification(tx, f.hook(id, model::HookKind::failure, 100));
        CHECK_THROWS_AS(f.st.insert_notification(tx, f.hook(id, model::HookKind::retry, 100)),
                        util::Error);
        // A hook for no execution is refused by the foreign key.
        CHECK_THROWS_AS(f.st.insert_notification(tx, f.hook(999, model::HookKind::retry, 100)),
                        util::Error);
        tx.commit();
        REQUIRE(f.st.notifications_of(100, 77).size() == 1);
        auto del = f.st.begin_write();
        f.st.delete_job(del, "0000abcd");
        del.commit();
        CHECK(f.st.notifications_of(100, 77).empty());
    }
}
