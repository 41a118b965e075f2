// model::notify: which hook the end of a run calls for, and which command
// runs for it (schedule(1), NOTIFICATIONS).

#include <schedule/model/notify.hpp>

#include <doctest/doctest.h>

using namespace schedule;
using model::HookKind;
using Status = model::ExecutionStatus;

TEST_SUITE("model::notify") {

    TEST_CASE("hook kinds read back from their text") {
        for (auto k : model::k_hook_kinds)
            CHECK(model::parse_hook_kind(model::to_string(k)) == k);
        CHECK(model::to_string(HookKind::failure) == "failure");
        CHECK(model::to_string(HookKind::retry) == "retry");
        CHECK(model::to_string(HookKind::success) == "success");
        CHECK_FALSE(model::parse_hook_kind("Failure"));
        CHECK_FALSE(model::parse_hook_kind(""));
    }

    TEST_CASE("the end of a run calls for success, retry, failure or nothing") {
        for (bool retry : {false, true}) {
            CAPTURE(retry);
            CHECK(model::hook_for(Status::completed, retry) == HookKind::success);
            for (auto failure : {Status::failed, Status::timed_out, Status::lost})
                CHECK(model::hook_for(failure, retry) ==
                      (retry ? HookKind::retry : HookKind::failure));
            for (auto none : {Status::cancelled, Status::skipped, Status::queued, Status::waiting,
                              Status::running})
                CHECK_FALSE(model::hook_for(none, retry));
        }
    }

    TEST_CASE("a job's own hook replaces the store's default, and --no-notify drops the defaults") {
        model::Settings settings;
        settings.notify_on_failure = "default failure";
        settings.notify_on_success = "default success";
        model::Job job;
        CHECK(model::hook_command(job, settings, HookKind::failure) == "default failure");
        CHECK_FALSE(model::hook_command(job, settings, HookKind::retry));
        CHECK(model::hook_command(job, settings, HookKind::success) == "default success");

        job.on_failure = "own failure";
        job.on_retry = "own retry";
        CHECK(model::hook_command(job, settings, HookKind::failure) == "own failure");
        CHECK(model::hook_command(job, settings, HookKind::retry) == "own retry");
        CHECK(model::hook_command(job, settings, HookKind::success) == "default success");

        CHECK(&model::own_hook(job, HookKind::failure) == &job.on_failure);
        CHECK(&model::own_hook(job, HookKind::retry) == &job.on_retry);
        CHECK(&model::own_hook(job, HookKind::success) == &job.on_success);

        job.notify = false;
        CHECK(model::hook_command(job, settings, HookKind::failure) == "own failure");
        CHECK(model::hook_command(job, settings, HookKind::retry) == "own retry");
        CHECK_FALSE(model::hook_command(job, settings, HookKind::success));
    }
}
