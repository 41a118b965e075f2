// model::job_json: the job object written as text must be exactly what
// nlohmann's serialiser makes of the same values (key order, escaping,
// invalid UTF-8 replaced), since `job list --format json` uses the writer
// and `job show` the tree.

#include <schedule/model/job_json.hpp>
#include <schedule/time/zone.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

using namespace schedule;
using ojson = nlohmann::ordered_json;

namespace {

model::Job sample() {
    model::Job j;
    j.id = "0a1b2c3d";
    j.name = "n\u00e4me \"quoted\"";
    j.description = "bad \xff\xfe utf8, a tab\t, a bell \x07 and a backslash \\";
    j.trigger.type = model::TriggerType::cron;
    j.trigger.expression = "*/5 * * * *";
    j.timezone = "UTC";
    j.command = "echo \"hi\"\n";
    j.tags = {{"prod", std::nullopt}, {"team", std::string("in\u00dfra")}};
    j.env = {{"A", "1"}, {"B", "x\"y"}};
    j.retry_on = {{model::RetryOn::Kind::timeout, 0}, {model::RetryOn::Kind::exit, 3}};
    j.max_instances = 2;
    j.misfire_grace = time::Duration{600};
    j.next_execution = time::from_unix(1767225600);
    return j;
}

} // namespace

TEST_SUITE("model::job_json") {
    TEST_CASE("the written job text parses to the job object with every key in order") {
        auto job = sample();
        auto text = model::job_json_text(job, time::Zone::utc(), true);
        auto parsed = ojson::parse(text);
        CHECK(parsed["job_id"] == "0a1b2c3d");
        CHECK(parsed["name"] == "n\u00e4me \"quoted\"");
        CHECK(parsed["command"] == "echo \"hi\"\n");
        CHECK(parsed["tags"] == ojson({{"prod", nullptr}, {"team", "in\u00dfra"}}));
        CHECK(parsed["env"] == ojson({{"A", "1"}, {"B", "x\"y"}}));
        CHECK(parsed["retry_on"] == ojson::array({"timeout", "exit:3"}));
        CHECK(parsed["max_instances"] == 2);
        CHECK(parsed["misfire_grace_seconds"] == 600);
        CHECK(parsed["task_config"].is_null());
        CHECK(parsed["next_execution"] == "2026-01-01T00:00:00Z");
        CHECK(parsed.begin().key() == "job_id");
        CHECK((--parsed.end()).key() == "updated_at");
        // invalid UTF-8 became U+FFFD, exactly as dump_json() writes it
        CHECK(parsed["description"].get<std::string>().find("\xef\xbf\xbd") != std::string::npos);
    }

    TEST_CASE("written text and the serialised tree are the same bytes") {
        auto job = sample();
        auto text = model::job_json_text(job, time::Zone::utc(), false);
        // Rebuild the object member by member with nlohmann and compare.
        auto tree = ojson::parse(text);
        CHECK(model::dump_json(tree) == text);
        SUBCASE("strings that need escaping are escaped as nlohmann escapes them") {
            for (std::string s :
                 {std::string("plain"), std::string("quote \" and \\"), std::string("ctl \x01\x1f"),
                  std::string("bad \xc3"), std::string("\u00e9\u4e2d")}) {
                job.description = s;
                auto one = ojson::parse(model::job_json_text(job, time::Zone::utc(), false));
                CHECK(model::dump_json(one["description"]) == model::dump_json(ojson(s)));
            }
        }
    }

    TEST_CASE("a trigger's stored text reads back to the same trigger") {
        std::vector<model::Trigger> triggers;
        auto add = [&](model::TriggerType type, std::string expression) -> model::Trigger& {
            auto& t = triggers.emplace_back();
            t.type = type;
            t.expression = std::move(expression);
            return t;
        };
        add(model::TriggerType::cron, "*/5 * * * *");
        add(model::TriggerType::cron, "0 3 * * MON-FRI");
        add(model::TriggerType::cron, "odd \"quoted\" \\ and \u00e9"); // not the plain form
        add(model::TriggerType::reboot, "@reboot");
        add(model::TriggerType::daily, "0 9 * * *").spec = "09:00";
        add(model::TriggerType::every, "").every = time::Duration{900};
        triggers.back().anchor = time::from_unix(1767225600);
        add(model::TriggerType::at, "").at = time::from_unix(1767225600);
        for (const auto& t : triggers) {
            auto text = model::trigger_to_json_text(t);
            CAPTURE(text);
            // the stored text is what nlohmann writes for the same tree
            CHECK(model::dump_json(model::trigger_to_json(t, time::Zone::utc(), true)) == text);
            auto back = model::trigger_from_json_text(text);
            REQUIRE(back);
            CHECK(*back == t);
        }
    }

    TEST_CASE("trigger text not in the written form is read by the JSON parser") {
        auto spaced =
            model::trigger_from_json_text(R"({ "type": "cron", "expression": "0 1 * * *" })");
        REQUIRE(spaced);
        CHECK(spaced->type == model::TriggerType::cron);
        CHECK(spaced->expression == "0 1 * * *");
        auto escaped = model::trigger_from_json_text(R"({"type":"cron","expression":"a\u0041"})");
        REQUIRE(escaped);
        CHECK(escaped->expression == "aA");
        CHECK_FALSE(model::trigger_from_json_text(R"({"type":"cron","expression":"x")"));
        CHECK_FALSE(model::trigger_from_json_text(R"({"type":"nope"})"));
    }

    TEST_CASE("empty tags and env read back as empty lists, other text as written") {
        CHECK(model::tags_from_json_text("{}")->empty());
        CHECK(model::env_from_json_text("{}")->empty());
        auto tags = model::tags_from_json_text(R"({"prod":null,"team":"infra"})");
        REQUIRE(tags);
        CHECK(*tags == std::vector<model::Tag>{{"prod", std::nullopt}, {"team", "infra"}});
        CHECK_FALSE(model::tags_from_json_text("[]"));
        CHECK_FALSE(model::env_from_json_text(R"({"A":1})"));
    }

    TEST_CASE("errors about stored text quote it with control characters escaped") {
        auto trigger = model::trigger_from_json_text(R"({"type":"x\u001b[2J"})");
        REQUIRE_FALSE(trigger);
        CHECK(trigger.error() == "unknown trigger type \"x\\e[2J\"");
        auto tags = model::tags_from_json_text(R"({"k\u001b":1})");
        REQUIRE_FALSE(tags);
        CHECK(tags.error() == "tag \"k\\e\" must be a string or null");
        auto env = model::env_from_json_text(R"({"A\u202e":1})");
        REQUIRE_FALSE(env);
        CHECK(env.error() == "env \"A\\u202e\" must be a string");
    }
}
