// backup::read_definitions: the job file of `apply -f`, either
// {"jobs": [...]} or a backup document, read whole before anything is
// written. The CLI suite (tests/cli/test_apply.cpp) drives the command;
// these cases pin what the reader itself hands the service.

#include <schedule/backup/document.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include "../support/time_helpers.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

using namespace schedule;
using schedule::test::utc;

namespace {

model::BuildContext context() {
    model::BuildContext c;
    c.now = utc(2026, 1, 15, 10, 0);
    c.default_zone = [] { return std::string("Europe/Berlin"); };
    c.root = true;
    return c;
}

// The error a file gives; fails the test when it reads.
util::ValidationError refused(const std::string& text) {
    try {
        backup::read_definitions(text, context());
    } catch (const util::ValidationError& e) {
        return e;
    }
    FAIL("read: " << text);
    return util::ValidationError("", "");
}

// The message of the ValidationError `read` throws, checked to be one
// escaped line of fewer than `max` bytes.
std::string refusal_line(const std::function<void()>& read, std::size_t max) {
    std::string message;
    try {
        read();
    } catch (const util::ValidationError& e) {
        message = e.what();
    }
    CAPTURE(message.substr(0, 200));
    CHECK(message.size() < max);
    CHECK(util::escape_control(message) == message);
    return message;
}

} // namespace

TEST_SUITE("backup::document") {
    TEST_CASE("a jobs file: each job with its path, read as a new job would be") {
        auto defs = backup::read_definitions(
            R"({"jobs": [{"name": "a", "cron": "30 2 * * *", "command": "true"},
                         {"name": "b", "every": "15m", "command": "true", "job_id": "0a1b2c3d"}]})",
            context());
        REQUIRE(defs.size() == 2);
        CHECK(defs[0].path == "jobs[0]");
        CHECK(defs[0].job.name == "a");
        CHECK(defs[0].job.timezone == "Europe/Berlin"); // the default zone
        CHECK(defs[1].path == "jobs[1]");
        CHECK(defs[1].job.id.empty()); // ids are ignored
        CHECK_FALSE(defs[1].gives_anchor);
        CHECK(defs[1].job.trigger.anchor == utc(2026, 1, 15, 10, 0));
        CHECK_FALSE(defs[0].past);
    }

    TEST_CASE("whether the file gives an every trigger's anchor") {
        auto shorthand = backup::read_definitions(
            R"({"jobs": [{"name": "a", "every": "1h", "anchor": "2026-01-01T00:30",
                          "command": "x"}]})",
            context());
        CHECK(shorthand[0].gives_anchor);
        auto object = backup::read_definitions(
            R"({"jobs": [{"name": "a", "trigger": {"type": "every", "every": "1h",
                          "anchor": "2026-01-01T00:30:00+01:00"}, "command": "x"}]})",
            context());
        CHECK(object[0].gives_anchor);
        auto null_anchor = backup::read_definitions(
            R"({"jobs": [{"name": "a", "trigger": {"type": "every", "every": "1h",
                          "anchor": null}, "command": "x"}]})",
            context());
        CHECK_FALSE(null_anchor[0].gives_anchor);
    }

    TEST_CASE("an --at or end date in the past is read, with the error job create gives") {
        auto defs = backup::read_definitions(
            R"({"jobs": [{"name": "once", "at": "2026-01-01T09:00", "command": "x"},
                         {"name": "ended", "cron": "@daily", "end_date": "2026-01-02",
                          "command": "x"}]})",
            context());
        REQUIRE(defs.size() == 2);
        CHECK(defs[0].job.trigger.at == utc(2026, 1, 1, 8, 0));
        REQUIRE(defs[0].past);
        CHECK(defs[0].past->field() == "jobs[0].at");
        CHECK(std::string(defs[0].past->what()).find("in the past") != std::string::npos);
        REQUIRE(defs[1].past);
        CHECK(defs[1].past->field() == "jobs[1].end_date");
        // Another fault of such a job is thrown.
        CHECK(refused(R"({"jobs": [{"name": "once", "at": "2026-01-01T09:00", "command": "x",
                                    "priority": 101}]})")
                  .field() == "jobs[0].priority");
    }

    TEST_CASE("a backup document: its jobs, its other keys not read") {
        auto defs = backup::read_definitions(
            R"({"format": "schedule-backup", "version": 1, "created_at": null, "host": 5,
                "jobs": [{"name": "a", "command": "true", "timezone": "UTC",
                          "status": "finished", "execution_count": 4}],
                "config": {"nonsense": 1}, "executions": "anything"})",
            context());
        REQUIRE(defs.size() == 1);
        CHECK(defs[0].job.timezone == "UTC");
        CHECK(defs[0].job.execution_count == 0);
        CHECK(defs[0].job.status == model::JobStatus::active);
    }

    TEST_CASE("hostile: the document's shape") {
        CHECK(refused("").field() == "document");
        CHECK(refused("[]").field() == "document");
        CHECK(refused(R"({"jobs": {}})").field() == "jobs");
        CHECK(refused(R"({})").field() == "jobs");
        auto extra = refused(R"({"jobs": [], "config": {}})");
        CHECK(extra.field() == "config");
        CHECK(extra.hint().find("schedule-backup") != std::string::npos);
        CHECK(refused(R"({"format": "other", "version": 1, "jobs": []})").field() == "format");
        CHECK(refused(R"({"format": "schedule-backup", "version": 2, "jobs": []})").field() ==
              "version");
        CHECK(
            refused(R"({"format": "schedule-backup", "version": 1, "jobs": [], "x": 1})").field() ==
            "x");
        CHECK(refused(std::string(100, '[') + std::string(100, ']')).field() == "document");
    }

    TEST_CASE("hostile: a key given twice in one object, at any depth, is named by its path") {
        const std::pair<const char*, const char*> cases[] = {
            {R"({"jobs": [], "jobs": []})", "jobs"},
            {R"({"jobs": [{"name": "a", "command": "echo harmless", "command": "echo EVIL"}]})",
             "jobs[0].command"},
            {R"({"jobs": [{"name": "a", "command": "x"},
                          {"name": "b", "command": "x", "tags": {"x": null, "x": "y"}}]})",
             "jobs[1].tags.x"},
            {R"({"jobs": [{"name": "a", "command": "x", "env": {"A B": "1", "A B": "2"}}]})",
             "jobs[0].env[\"A B\"]"},
            {R"({"jobs": [{"name": "a", "task_type": "t",
                           "task_config": {"l": [{}, {"k": 1, "k": 2}]}}]})",
             "jobs[0].task_config.l[1].k"},
            // Also in the keys of a backup document that apply does not read.
            {R"({"format": "schedule-backup", "version": 1, "jobs": [],
                "config": {"max_workers": "3", "max_workers": "4"}})",
             "config.max_workers"},
        };
        for (const auto& [text, path] : cases) {
            CAPTURE(text);
            auto e = refused(text);
            CHECK(e.field() == path);
            CHECK(std::string(e.what()).find("duplicate key") != std::string::npos);
        }
        // The same key in two objects is no duplicate.
        CHECK(backup::read_definitions(
                  R"({"jobs": [{"name": "a", "command": "x", "tags": {"name": "a"}},
                               {"name": "b", "command": "x"}]})",
                  context())
                  .size() == 2);
    }

    TEST_CASE("hostile: a NUL byte does not end the document") {
        const std::string good = R"({"jobs": [{"name": "a", "command": "true"}]})";
        for (const auto& text : {good + std::string("\0garbage", 8), good + std::string(1, '\0'),
                                 std::string("\0", 1) + good}) {
            CAPTURE(text);
            auto e = refused(text);
            CHECK(e.field() == "document");
            CHECK(std::string(e.what()).find("not valid JSON") != std::string::npos);
        }
    }

    TEST_CASE("hostile: two jobs with one name") {
        auto e = refused(R"({"jobs": [{"name": "a", "command": "x"}, {"name": "b", "command": "x"},
                                      {"name": "a", "command": "y"}]})");
        CHECK(e.field() == "jobs[2].name");
        CHECK(std::string(e.what()).find("jobs[0]") != std::string::npos);
    }

    TEST_CASE("a backup's execution reasons are read and written back as the same text") {
        // given a job and one ended execution for each text the reasons of
        // schedule(1) take, and one text no reason reads
        model::JobSpec spec;
        spec.name = "a";
        spec.command = "true";
        spec.cron = "0 * * * *";
        spec.timezone = "UTC";
        auto job = model::build_job(spec, context(), model::FlagNamer{});
        job.id = "0000000a";
        backup::Document doc;
        doc.created_at = utc(2026, 1, 15, 9, 0);
        doc.host = "h";
        doc.jobs.push_back(job);
        doc.executions.emplace();
        const std::vector<std::pair<model::ExecutionStatus, std::string>> texts = {
            {model::ExecutionStatus::skipped, "overlap"},
            {model::ExecutionStatus::skipped, "coalesced"},
            {model::ExecutionStatus::skipped, "deadline"},
            {model::ExecutionStatus::skipped, "max_executions"},
            {model::ExecutionStatus::skipped, "superseded"},
            {model::ExecutionStatus::skipped, "paused"},
            {model::ExecutionStatus::cancelled, "signal TERM"},
            {model::ExecutionStatus::cancelled, "replaced"},
            {model::ExecutionStatus::cancelled, "deleted"},
            {model::ExecutionStatus::lost, "replaced"},
            {model::ExecutionStatus::completed, "something else"},
        };
        std::int64_t id = 0;
        for (const auto& [status, text] : texts) {
            model::ExecutionRecord r;
            r.execution.id = ++id;
            r.execution.job_id = job.id;
            r.execution.status = status;
            model::set_reason_text(r.execution, text);
            r.execution.created_at = r.execution.updated_at = utc(2026, 1, 15, 8, 0);
            doc.executions->push_back(r);
        }
        const auto written = backup::to_json_text(doc, time::Zone::utc());
        // when it is read back
        auto back = backup::read_document(written, context());
        // then every execution has its reason's text, and writes the same document
        REQUIRE(back.executions);
        REQUIRE(back.executions->size() == texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i) {
            CAPTURE(texts[i].second);
            CHECK(written.find("\"reason\":\"" + texts[i].second + "\"") != std::string::npos);
            CHECK(model::reason_text((*back.executions)[i].execution) == texts[i].second);
        }
        CHECK(backup::to_json_text(back, time::Zone::utc()) == written);
    }

    TEST_CASE("JSON the reader refuses is named in one escaped line, however long its text") {
        using namespace std::string_literals;
        for (const auto& text :
             {"{\"jobs\": [\xff]}"s, "{\"jobs\": \x1b[2J}"s, "{\"jobs\": [\"\x01\"]}"s,
              "{\"jobs\": \"\xe2\x80\xae\x7f"s, "{\"jobs\": [\"" + std::string(1 << 20, 'x'),
              "{\"jobs\": [" + std::string(1 << 20, '1') + "x]}"}) {
            CHECK(refusal_line([&] { backup::read_definitions(text, context()); }, 400)
                      .starts_with("document: not valid JSON: "));
            CHECK(refusal_line([&] { backup::read_document(text, context()); }, 400)
                      .starts_with("document: not valid JSON: "));
        }
    }

    TEST_CASE("a version that is not 1 is shown in the message short and escaped") {
        for (const auto& version :
             {"\"" + std::string(1 << 20, 'x') + "\"",
              [] {
                  std::string list = "[";
                  for (int i = 0; i < 100000; ++i)
                      list += "1,";
                  return list + "1]";
              }(),
              std::string("\"\u202e\x7f\u009b\""), std::string("{\"a\": \"\\u001b[2J\"}")}) {
            const auto document = R"({"format": "schedule-backup", "version": )" + version +
                                  R"(, "jobs": [], "config": {}})";
            CHECK(refusal_line([&] { backup::read_document(document, context()); }, 200)
                      .starts_with("version: this build reads version 1, not "));
        }
    }
}
