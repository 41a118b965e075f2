// model::job_builder: every rule of a job's fields, written once for the
// command line and for documents. Each refusal is checked with both
// namers: the flag (`--timeout`) and the JSON path (`jobs[3].timeout_seconds`).

#include "../support/time_helpers.hpp"

#include <schedule/model/job_builder.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

using namespace schedule;
using model::Field;
using model::JobSpec;
using schedule::test::utc;

namespace {

constexpr Field k_all_fields[] = {
    Field::name,
    Field::description,
    Field::cron,
    Field::every,
    Field::anchor,
    Field::daily,
    Field::weekly,
    Field::monthly,
    Field::at,
    Field::jitter,
    Field::dst_gap,
    Field::dst_overlap,
    Field::start_date,
    Field::end_date,
    Field::command,
    Field::task_type,
    Field::task_config,
    Field::priority,
    Field::owner,
    Field::tags,
    Field::timezone,
    Field::timeout,
    Field::env,
    Field::working_dir,
    Field::run_as,
    Field::kill_grace,
    Field::overlap,
    Field::max_instances,
    Field::catchup,
    Field::misfire_grace,
    Field::max_executions,
    Field::max_attempts,
    Field::retry_delay,
    Field::retry_max_delay,
    Field::backoff,
    Field::retry_on,
    Field::on_failure,
    Field::on_retry,
    Field::on_success,
    Field::notify,
    Field::no_notify,
    Field::enabled,
    Field::disabled,
};

const time::Instant k_now = utc(2026, 1, 15, 10, 0); // a Thursday

bool contains(const std::string& s, const std::string& needle) {
    return s.find(needle) != std::string::npos;
}

model::BuildContext context() {
    model::BuildContext c;
    c.now = k_now;
    c.default_zone = [] { return std::string("Europe/Berlin"); };
    c.root = false;
    c.user = [] { return std::string("alice"); };
    return c;
}

JobSpec minimal() {
    JobSpec s;
    s.name = "backup";
    s.command = "true";
    return s;
}

// What a refusal gave: the field named, the message and the hint.
struct Refusal {
    std::string field;
    std::string message;
    std::string hint;
};

Refusal refusal(const std::function<void()>& build) {
    try {
        build();
    } catch (const util::ValidationError& e) {
        CHECK(int(e.code()) == 2);
        return {e.field(), e.what(), e.hint()};
    }
    FAIL("no ValidationError");
    return {};
}

// Builds `spec` as a new job with each namer and checks that the error
// names `field`: the flag, and the key under "jobs[3]". Returns both.
std::pair<Refusal, Refusal> refused(const JobSpec& spec, Field field,
                                    const model::BuildContext& ctx = context()) {
    const model::FlagNamer flags;
    const model::JsonNamer json("jobs[3]");
    auto by_flag = refusal([&] { model::build_job(spec, ctx, flags); });
    auto by_path = refusal([&] { model::build_job(spec, ctx, json); });
    CHECK(by_flag.field == std::string(model::flag_of(field)));
    CHECK(by_path.field == "jobs[3]." + std::string(model::json_key_of(field)));
    CHECK(by_flag.message.starts_with(by_flag.field + ": "));
    CHECK(by_path.message.starts_with(by_path.field + ": "));
    return {by_flag, by_path};
}

// A rule: a change to the minimal job, the field it names and a part of
// the reason.
struct Rule {
    const char* what;
    std::function<void(JobSpec&)> change;
    Field field;
    const char* reason;
};

const std::vector<Rule>& rules() {
    static const std::vector<Rule> k = {
        {"no name", [](JobSpec& s) { s.name.reset(); }, Field::name, "a job needs a name"},
        {"a name with ':'", [](JobSpec& s) { s.name = "db:completed"; }, Field::name, "':'"},
        {"a name like an id", [](JobSpec& s) { s.name = "0a1b2c3d"; }, Field::name, "job id"},
        {"nothing to run", [](JobSpec& s) { s.command.reset(); }, Field::command, "a job needs"},
        {"enabled on create", [](JobSpec& s) { s.enabled = "false"; }, Field::enabled,
         "to create a paused job"},
        {"a description over 4096 bytes",
         [](JobSpec& s) { s.description = std::string(4097, 'd'); }, Field::description,
         "4096 bytes"},
        {"an unknown zone", [](JobSpec& s) { s.timezone = "Nowhere/Land"; }, Field::timezone, ""},
        {"two triggers",
         [](JobSpec& s) {
             s.cron = "0 3 * * *";
             s.every = "1h";
         },
         Field::every, "give one trigger only"},
        {"a bad cron field", [](JobSpec& s) { s.cron = "61 * * * *"; }, Field::cron,
         "minute field: 61 is out of range 0-59"},
        {"a cron expression that never fires", [](JobSpec& s) { s.cron = "0 0 30 2 *"; },
         Field::cron, ""},
        {"a daily time out of range", [](JobSpec& s) { s.daily = "25:00"; }, Field::daily,
         "hour 25"},
        {"an unknown weekday", [](JobSpec& s) { s.weekly = "XYZ@09:00"; }, Field::weekly,
         "not a weekday"},
        {"a day of month out of range", [](JobSpec& s) { s.monthly = "32@09:00"; }, Field::monthly,
         "not a day of the month"},
        {"every in seconds", [](JobSpec& s) { s.every = "90s"; }, Field::every, "whole minutes"},
        {"an at in the past", [](JobSpec& s) { s.at = "2026-01-15T09:00:00Z"; }, Field::at,
         "is in the past"},
        {"an at that is no date", [](JobSpec& s) { s.at = "soon"; }, Field::at, ""},
        {"an anchor without every", [](JobSpec& s) { s.anchor = "2026-01-01T00:00Z"; },
         Field::anchor, "trigger has an anchor"},
        {"an anchor that is no date",
         [](JobSpec& s) {
             s.every = "1h";
             s.anchor = "yesterday";
         },
         Field::anchor, ""},
        {"jitter over a day", [](JobSpec& s) { s.jitter = "2d"; }, Field::jitter, "longer than 1d"},
        {"an unknown DST gap rule", [](JobSpec& s) { s.dst_gap = "maybe"; }, Field::dst_gap,
         "\"maybe\" is not run or skip"},
        {"an unknown DST overlap rule", [](JobSpec& s) { s.dst_overlap = "thrice"; },
         Field::dst_overlap, "is not once or twice"},
        {"a start date that is no date", [](JobSpec& s) { s.start_date = "x"; }, Field::start_date,
         ""},
        {"an end date in the past", [](JobSpec& s) { s.end_date = "2026-01-15T10:00:00Z"; },
         Field::end_date, "is in the past"},
        {"an end date before the start",
         [](JobSpec& s) {
             s.start_date = "2027-01-01T00:00Z";
             s.end_date = "2026-06-01T00:00Z";
         },
         Field::end_date, "the end date must come after the start date"},
        {"a command and a task type", [](JobSpec& s) { s.task_type = "sync"; }, Field::command,
         "not both"},
        {"a blank command", [](JobSpec& s) { s.command = "   "; }, Field::command,
         "must not be empty"},
        {"a bad task type",
         [](JobSpec& s) {
             s.command.reset();
             s.task_type = "-x";
         },
         Field::task_type, "is not a task type"},
        {"a task config for a command job", [](JobSpec& s) { s.task_config = "{}"; },
         Field::task_config, "(a command job has no task config)"},
        {"a task config that is no object",
         [](JobSpec& s) {
             s.command.reset();
             s.task_type = "sync";
             s.task_config = "[1]";
         },
         Field::task_config, "must be a JSON object"},
        {"a priority over 100", [](JobSpec& s) { s.priority = "101"; }, Field::priority,
         "is not a priority"},
        {"an empty owner", [](JobSpec& s) { s.owner = ""; }, Field::owner, "must not be empty"},
        {"a tag without key", [](JobSpec& s) { s.tags = std::vector<std::string>{"=x"}; },
         Field::tags, "the tag key must not be empty"},
        {"a tag given twice",
         [](JobSpec& s) {
             s.tags = std::vector<std::string>{"a=1", "a=2"};
         },
         Field::tags, "given twice"},
        {"a tag key with '=' given as a value",
         [](JobSpec& s) {
             s.tags = std::vector<model::Tag>{{"a=b", std::nullopt}};
         },
         Field::tags, "must not contain '='"},
        {"a tag value with a control character given as a value",
         [](JobSpec& s) {
             s.tags = std::vector<model::Tag>{{"team", std::string("a\x1b")}};
         },
         Field::tags, "the tag value must be valid UTF-8 without control characters"},
        {"a zero timeout", [](JobSpec& s) { s.timeout = "0s"; }, Field::timeout,
         "must be longer than 0s"},
        {"a negative timeout", [](JobSpec& s) { s.timeout = "-5m"; }, Field::timeout, "negative"},
        {"an env entry without '='", [](JobSpec& s) { s.env = std::vector<std::string>{"PATH"}; },
         Field::env, "must be NAME=value"},
        {"a SCHEDULE_ variable given as a value",
         [](JobSpec& s) {
             s.env = std::vector<model::EnvVar>{{"SCHEDULE_JOB_ID", "x"}};
         },
         Field::env, "set by the scheduler"},
        {"a variable name with '=' given as a value",
         [](JobSpec& s) {
             s.env = std::vector<model::EnvVar>{{"A=B", "x"}};
         },
         Field::env, "is not a valid variable name"},
        {"a variable given twice",
         [](JobSpec& s) {
             s.env = std::vector<std::string>{"A=1", "A=2"};
         },
         Field::env, "given twice"},
        {"a relative working directory", [](JobSpec& s) { s.working_dir = "srv"; },
         Field::working_dir, "absolute path"},
        {"a bad user name", [](JobSpec& s) { s.run_as = "-root"; }, Field::run_as,
         "is not a user name"},
        {"another user, not being root", [](JobSpec& s) { s.run_as = "bob"; }, Field::run_as,
         "only root can make a job run as another user"},
        {"a negative kill grace", [](JobSpec& s) { s.kill_grace = "-1"; }, Field::kill_grace,
         "negative"},
        {"an unknown overlap policy", [](JobSpec& s) { s.overlap = "wait"; }, Field::overlap,
         "is not skip, queue, allow or replace"},
        {"max instances of 0",
         [](JobSpec& s) {
             s.overlap = "allow";
             s.max_instances = "0";
         },
         Field::max_instances, "is not a whole number from 1 to 10000"},
        {"max instances without overlap allow", [](JobSpec& s) { s.max_instances = "2"; },
         Field::max_instances, "only overlap allow runs more than one instance"},
        {"an unknown catch-up policy", [](JobSpec& s) { s.catchup = "some"; }, Field::catchup,
         "is not latest, all or none"},
        {"a zero misfire grace", [](JobSpec& s) { s.misfire_grace = "0"; }, Field::misfire_grace,
         "must be at least 1s"},
        {"max executions of 0", [](JobSpec& s) { s.max_executions = "0"; }, Field::max_executions,
         "from 1 to 1000000000"},
        {"max attempts of 101", [](JobSpec& s) { s.max_attempts = "101"; }, Field::max_attempts,
         "from 1 to 100"},
        {"a retry delay that is no duration", [](JobSpec& s) { s.retry_delay = "later"; },
         Field::retry_delay, "not a duration"},
        {"a maximum retry delay below the delay", [](JobSpec& s) { s.retry_max_delay = "30s"; },
         Field::retry_max_delay, "is shorter than the retry delay"},
        {"a retry delay above the maximum", [](JobSpec& s) { s.retry_delay = "2h"; },
         Field::retry_delay, "the maximum retry delay (1h) is shorter than the retry delay (2h)"},
        {"an unknown backoff", [](JobSpec& s) { s.backoff = "random"; }, Field::backoff,
         "is not fixed, linear, exponential or fibonacci"},
        {"an unknown failure to retry on", [](JobSpec& s) { s.retry_on = "crash"; },
         Field::retry_on, "\"crash\" is not timeout, lost, signal or exit:N"},
        {"an exit code out of range given as an item",
         [](JobSpec& s) {
             s.retry_on = std::vector<std::string>{"timeout", "exit:256"};
         },
         Field::retry_on, "\"exit:256\" is not"},
        {"no failure to retry on given as items",
         [](JobSpec& s) { s.retry_on = std::vector<std::string>{}; }, Field::retry_on,
         "give timeout, lost, signal or exit:N"},
        {"a blank failure hook", [](JobSpec& s) { s.on_failure = " \t"; }, Field::on_failure,
         "must not be empty"},
        {"a retry hook with NUL", [](JobSpec& s) { s.on_retry = std::string("a\0b", 3); },
         Field::on_retry, "must not contain NUL"},
        {"a success hook over 64 KiB", [](JobSpec& s) { s.on_success = std::string(65537, 'x'); },
         Field::on_success, "64 KiB"},
        {"--notify and --no-notify",
         [](JobSpec& s) {
             s.notify = true;
             s.no_notify = true;
         },
         Field::notify, "not both"},
        {"an at beyond 9999 in the job's zone",
         [](JobSpec& s) {
             s.timezone = "Asia/Tokyo";
             s.at = "9999-12-31T20:00:00Z";
         },
         Field::at, "is outside the supported range in Asia/Tokyo"},
    };
    return k;
}

} // namespace

TEST_SUITE("model::job_builder") {

    TEST_CASE("every field has its own flag and JSON key") {
        std::set<std::string> flags, keys;
        for (auto f : k_all_fields) {
            CAPTURE(int(f));
            CHECK(model::flag_of(f).starts_with("--"));
            CHECK_FALSE(model::json_key_of(f).empty());
            flags.insert(std::string(model::flag_of(f)));
            keys.insert(std::string(model::json_key_of(f)));
        }
        CHECK(flags.size() == std::size(k_all_fields));
        // --enabled and --disabled are both the document's "enabled", --notify
        // and --no-notify its "notify"
        CHECK(keys.size() == std::size(k_all_fields) - 2);
        CHECK(model::json_key_of(Field::timeout) == "timeout_seconds");
        CHECK(model::flag_of(Field::timezone) == "--tz");
        CHECK(model::flag_of(Field::tags) == "--tag");
    }

    TEST_CASE("each field is found by its flag, and its choices are the values it takes") {
        for (auto f : k_all_fields) {
            CAPTURE(model::flag_of(f));
            CHECK(model::field_of_flag(model::flag_of(f)) == f);
        }
        CHECK_FALSE(model::field_of_flag("--format"));
        using Member = std::optional<std::string> JobSpec::*;
        const std::pair<Field, Member> fixed[] = {
            {Field::dst_gap, &JobSpec::dst_gap}, {Field::dst_overlap, &JobSpec::dst_overlap},
            {Field::overlap, &JobSpec::overlap}, {Field::catchup, &JobSpec::catchup},
            {Field::backoff, &JobSpec::backoff}, {Field::priority, &JobSpec::priority},
        };
        for (auto [field, member] : fixed) {
            auto choices = model::choices_of(field);
            CAPTURE(model::flag_of(field));
            CHECK(choices.size() >= 2);
            for (auto choice : choices) {
                CAPTURE(choice);
                auto spec = minimal();
                spec.*member = std::string(choice);
                CHECK_NOTHROW(model::build_job(spec, context(), model::FlagNamer{}));
            }
        }
        CHECK(model::choices_of(Field::overlap) ==
              std::vector<std::string_view>{"skip", "queue", "allow", "replace"});
        CHECK(model::choices_of(Field::priority) ==
              std::vector<std::string_view>{"low", "normal", "high", "critical"});
        CHECK(model::choices_of(Field::enabled) == std::vector<std::string_view>{"true", "false"});
        CHECK(model::choices_of(Field::timezone).empty());
        CHECK(model::choices_of(Field::command).empty());
    }

    TEST_CASE("each rule refuses with the field named by flag and by JSON path") {
        for (const auto& rule : rules()) {
            CAPTURE(rule.what);
            auto spec = minimal();
            rule.change(spec);
            auto [by_flag, by_path] = refused(spec, rule.field);
            CHECK(contains(by_flag.message, rule.reason));
            CHECK(contains(by_path.message, rule.reason));
        }
    }

    TEST_CASE("messages and hints refer to other fields the way the namer names them") {
        auto spec = minimal();
        spec.max_instances = "2";
        auto [flag, path] = refused(spec, Field::max_instances);
        CHECK(flag.hint == "add --overlap allow");
        CHECK(path.hint == R"(add "overlap": "allow")");

        spec = minimal();
        spec.timeout = "0";
        std::tie(flag, path) = refused(spec, Field::timeout);
        CHECK(flag.message == "--timeout: must be longer than 0s (use --clear-timeout for none)");
        CHECK(
            path.message ==
            R"(jobs[3].timeout_seconds: must be longer than 0s (use "timeout_seconds": null for none))");

        spec = minimal();
        spec.task_type = "sync";
        std::tie(flag, path) = refused(spec, Field::command);
        CHECK(flag.message == "--command: give either --command or --task-type, not both");
        CHECK(path.message == "jobs[3].command: give either command or task_type, not both");

        spec = minimal();
        spec.cron = "0 3 * * *";
        spec.daily = "09:00";
        std::tie(flag, path) = refused(spec, Field::daily);
        CHECK(flag.message == "--daily: give one trigger only (also given: --cron)");
        CHECK(path.message == "jobs[3].daily: give one trigger only (also given: cron)");

        spec = minimal();
        spec.enabled = "true";
        std::tie(flag, path) = refused(spec, Field::enabled);
        CHECK(flag.message == "--enabled: use --disabled to create a paused job");
    }

    TEST_CASE("a JSON namer names a field by the key the document used") {
        model::JsonNamer json("jobs[0]");
        json.use_key(Field::cron, "trigger.expression");
        auto spec = minimal();
        spec.cron = "0 0 * * 8";
        auto r = refusal([&] { model::build_job(spec, context(), json); });
        CHECK(r.field == "jobs[0].trigger.expression");
        model::JsonNamer top("");
        CHECK(top.name(Field::owner) == "owner");
        CHECK(top.mention(Field::max_instances) == "max_instances");
        CHECK(top.clearing(Field::max_instances) == R"("max_instances": null)");
    }

    TEST_CASE("a new job gets the defaults, the default zone and now") {
        int asked = 0;
        auto ctx = context();
        ctx.default_zone = [&] {
            ++asked;
            return std::string("Europe/Berlin");
        };
        auto job = model::build_job(minimal(), ctx, model::FlagNamer{});
        CHECK(asked == 1);
        CHECK(job.name == "backup");
        CHECK(job.command == "true");
        CHECK(job.timezone == "Europe/Berlin");
        CHECK(job.trigger.type == model::TriggerType::manual);
        CHECK(job.priority == model::k_priority_normal);
        CHECK(job.enabled);
        CHECK(job.status == model::JobStatus::active);
        CHECK(job.created_at == k_now);
        CHECK(job.updated_at == k_now);
        CHECK(job.id.empty());

        auto spec = minimal();
        spec.timezone = "UTC";
        spec.disabled = true;
        job = model::build_job(spec, ctx, model::FlagNamer{});
        CHECK(asked == 1); // a timezone given: the default zone is not looked up
        CHECK(job.timezone == "UTC");
        CHECK_FALSE(job.enabled);
        CHECK(job.status == model::JobStatus::paused);
    }

    TEST_CASE("text and values give the same job") {
        auto spec = minimal();
        spec.timezone = "Europe/Berlin";
        spec.every = "90m";
        spec.anchor = "2026-01-01T06:00";
        spec.priority = "high";
        spec.tags = std::vector<std::string>{"team=infra", "prod"};
        spec.env = std::vector<std::string>{"B=2", "A=x=y"};
        spec.timeout = "1h30m";
        spec.kill_grace = "0";
        spec.overlap = "allow";
        spec.max_instances = "3";
        spec.catchup = "all";
        spec.misfire_grace = "10m";
        spec.max_executions = "7";
        spec.max_attempts = "4";
        spec.retry_delay = "30s";
        spec.retry_max_delay = "5m";
        spec.backoff = "fibonacci";
        spec.retry_on = "exit:3,timeout,exit:3";
        spec.jitter = "90";
        spec.dst_gap = "skip";
        spec.dst_overlap = "twice";
        spec.start_date = "2026-02-01";
        spec.end_date = "2027-02-01T00:00:00+01:00";
        auto by_text = model::build_job(spec, context(), model::FlagNamer{});

        spec.tags = std::vector<model::Tag>{{"prod", std::nullopt}, {"team", "infra"}};
        spec.env = std::vector<model::EnvVar>{{"A", "x=y"}, {"B", "2"}};
        spec.retry_on = std::vector<std::string>{"timeout", "exit:3"};
        auto by_value = model::build_job(spec, context(), model::JsonNamer("jobs[1]"));
        CHECK(by_text == by_value);

        CHECK(by_text.trigger.every == time::Duration{5400});
        CHECK(by_text.trigger.anchor == utc(2026, 1, 1, 5, 0)); // read in the job's zone
        CHECK(by_text.priority == 80);
        CHECK(by_text.tags.front().key == "prod"); // sorted
        CHECK(by_text.env.front().name == "A");
        CHECK(by_text.env.front().value == "x=y");
        CHECK(by_text.timeout == time::Duration{5400});
        CHECK(by_text.kill_grace == time::Duration{0});
        CHECK(by_text.max_instances == 3);
        CHECK(by_text.retry_on.size() == 2);
        CHECK(by_text.start_date == utc(2026, 1, 31, 23, 0));
        CHECK(by_text.end_date == utc(2027, 1, 31, 23, 0));
    }

    TEST_CASE("--every without an anchor starts at now, to the minute") {
        auto ctx = context();
        ctx.now = k_now + time::Duration{42};
        auto spec = minimal();
        spec.every = "15m";
        CHECK(model::build_job(spec, ctx, model::FlagNamer{}).trigger.anchor == k_now);
    }

    TEST_CASE("past instants are kept when the context says so") {
        auto ctx = context();
        ctx.keep_past = true;
        auto spec = minimal();
        spec.at = "2020-05-01T10:00:00Z";
        spec.end_date = "2021-01-01T00:00:00Z";
        auto job = model::build_job(spec, ctx, model::FlagNamer{});
        CHECK(job.trigger.at == utc(2020, 5, 1, 10, 0));
        CHECK(job.end_date == utc(2021, 1, 1));
    }

    TEST_CASE("run_as names yourself, or any user that exists when root") {
        auto spec = minimal();
        spec.run_as = "alice";
        CHECK(model::build_job(spec, context(), model::FlagNamer{}).run_as == "alice");

        auto root = context();
        root.root = true;
        root.user_exists = [](const std::string& u) { return u == "bob"; };
        spec.run_as = "bob";
        CHECK(model::build_job(spec, root, model::FlagNamer{}).run_as == "bob");
        spec.run_as = "carol";
        auto [flag, path] = refused(spec, Field::run_as, root);
        CHECK(flag.message == "--run-as: no such user: carol");
        root.user_exists = nullptr; // nothing to ask: any user
        CHECK(model::build_job(spec, root, model::FlagNamer{}).run_as == "carol");
    }

    TEST_CASE("change_job changes only what is given, clears and pauses") {
        auto spec = minimal();
        spec.description = "nightly";
        spec.owner = "ops";
        spec.cron = "0 3 * * *";
        spec.overlap = "allow";
        spec.max_instances = "2";
        const auto job = model::build_job(spec, context(), model::FlagNamer{});

        JobSpec change;
        change.clear_owner = true;
        change.priority = "critical";
        change.enabled = "no";
        auto changed = model::change_job(job, change, context(), model::FlagNamer{});
        CHECK(changed.description == "nightly");
        CHECK_FALSE(changed.owner);
        CHECK(changed.priority == 100);
        CHECK(changed.trigger == job.trigger);
        CHECK_FALSE(changed.enabled);
        CHECK(changed.status == model::JobStatus::paused);

        auto finished = job;
        finished.status = model::JobStatus::finished;
        change = JobSpec{};
        change.enabled = "false";
        CHECK(model::change_job(finished, change, context(), model::FlagNamer{}).status ==
              model::JobStatus::finished);

        change = JobSpec{};
        change.clear_trigger = true;
        CHECK(model::change_job(job, change, context(), model::FlagNamer{}).trigger.type ==
              model::TriggerType::manual);
    }

    TEST_CASE("hooks are set, replaced and cleared one by one, and --no-notify and --notify") {
        auto spec = minimal();
        const auto plain = model::build_job(spec, context(), model::FlagNamer{});
        CHECK_FALSE(plain.on_failure);
        CHECK_FALSE(plain.on_retry);
        CHECK_FALSE(plain.on_success);
        CHECK(plain.notify);

        spec.on_failure = "mail -s failed ops";
        spec.on_retry = "echo retry";
        spec.no_notify = true;
        const auto job = model::build_job(spec, context(), model::FlagNamer{});
        CHECK(job.on_failure == "mail -s failed ops");
        CHECK(job.on_retry == "echo retry");
        CHECK_FALSE(job.on_success);
        CHECK_FALSE(job.notify);

        JobSpec change;
        change.clear_on_failure = true;
        change.on_success = "echo ok";
        change.notify = true;
        auto changed = model::change_job(job, change, context(), model::FlagNamer{});
        CHECK_FALSE(changed.on_failure);
        CHECK(changed.on_retry == "echo retry");
        CHECK(changed.on_success == "echo ok");
        CHECK(changed.notify);
        // A change that does not name notify keeps it.
        change = JobSpec{};
        change.on_retry = "true";
        CHECK_FALSE(model::change_job(job, change, context(), model::FlagNamer{}).notify);

        // A hook given with its clear flag names the hook.
        change = JobSpec{};
        change.on_success = "x";
        change.clear_on_success = true;
        auto r = refusal([&] { model::change_job(job, change, context(), model::FlagNamer{}); });
        CHECK(r.field == "--on-success");
        CHECK(model::FlagNamer{}.clearing(Field::on_retry) == "--clear-on-retry");
        CHECK(model::JsonNamer("").clearing(Field::on_retry) == "\"on_retry\": null");
    }

    TEST_CASE("change_job: rules that look at the job and the request") {
        auto spec = minimal();
        spec.overlap = "allow";
        spec.max_instances = "2";
        spec.start_date = "2027-01-01T00:00Z";
        const auto job = model::build_job(spec, context(), model::FlagNamer{});
        const model::FlagNamer flags;

        JobSpec change;
        change.overlap = "skip";
        auto r = refusal([&] { model::change_job(job, change, context(), flags); });
        CHECK(r.field == "--overlap");
        CHECK(r.message == "--overlap: the job has --max-instances, which only overlap allow uses");
        CHECK(r.hint == "add --clear-max-instances");
        change.clear_max_instances = true;
        CHECK_FALSE(model::change_job(job, change, context(), flags).max_instances);

        change = JobSpec{};
        change.end_date = "2026-06-01T00:00Z";
        CHECK(refusal([&] { model::change_job(job, change, context(), flags); }).field ==
              "--end-date");
        auto later = job;
        later.end_date = utc(2027, 6, 1);
        change = JobSpec{};
        change.start_date = "2027-07-01T00:00Z";
        CHECK(refusal([&] { model::change_job(later, change, context(), flags); }).field ==
              "--start-date");

        change = JobSpec{};
        change.owner = "x";
        change.clear_owner = true;
        r = refusal([&] { model::change_job(job, change, context(), flags); });
        CHECK(r.message == "--owner: given together with its --clear- flag");

        change = JobSpec{};
        change.daily = "09:00";
        change.clear_trigger = true;
        r = refusal([&] { model::change_job(job, change, context(), flags); });
        CHECK(r.message == "--daily: given together with --clear-schedule");

        change = JobSpec{};
        change.disabled = true;
        r = refusal([&] { model::change_job(job, change, context(), flags); });
        CHECK(r.message == "--disabled: use --enabled false to pause a job");

        change = JobSpec{};
        change.enabled = "perhaps";
        CHECK(refusal([&] { model::change_job(job, change, context(), flags); }).field ==
              "--enabled");

        // A new zone that moves an instant out of the supported range names
        // the zone.
        auto at_end = job;
        at_end.timezone = "UTC";
        at_end.trigger = model::Trigger{};
        at_end.trigger.type = model::TriggerType::at;
        at_end.trigger.at = utc(9999, 12, 31, 20, 0);
        change = JobSpec{};
        change.timezone = "Asia/Tokyo";
        r = refusal([&] { model::change_job(at_end, change, context(), flags); });
        CHECK(r.field == "--tz");
        CHECK(contains(r.message, "the job's --at instant is outside the supported range"));
    }

    TEST_CASE("check_change judges the values without the job") {
        const model::FlagNamer flags;
        JobSpec change;
        change.task_config = R"({"a": 1})";
        change.anchor = "2026-01-01T00:00Z";
        CHECK_NOTHROW(model::check_change(change, context(), flags));
        change.timeout = "0";
        CHECK(refusal([&] { model::check_change(change, context(), flags); }).field == "--timeout");
    }
}
