#include <doctest/doctest.h>

#include <schedule/model/settings.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/util/utf8.hpp>

#include <string>
#include <vector>

using namespace schedule::model;
using namespace std::string_literals;

namespace {

bool contains(const std::string& s, const std::string& needle) {
    return s.find(needle) != std::string::npos;
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += s;
    return out;
}

// n objects nested in one another; the innermost holds `leaf`.
std::string nested_objects(int n, const std::string& leaf) {
    std::string out;
    for (int i = 1; i < n; ++i)
        out += "{\"a\":";
    out += leaf.empty() ? "{}" : "{\"a\":" + leaf + "}";
    for (int i = 1; i < n; ++i)
        out += "}";
    return out;
}

} // namespace

TEST_SUITE("model::validate") {

    // ---- names (--name) ----

    TEST_CASE("validate_name accepts ordinary names and returns them unchanged") {
        for (const char* name : {"backup", "nightly-backup", "db backup (prod)", "say \"hi\"", "a",
                                 "x.y_z/1", "caf\xc3\xa9", "\xe5\xa4\x87\xe4\xbb\xbd", "deadbee",
                                 "deadbeef0", "deadbeeg", "it's", "a=b,c"}) {
            CAPTURE(name);
            auto r = validate_name(name);
            REQUIRE(r.ok());
            CHECK(*r == name);
        }
    }

    TEST_CASE("validate_name allows 1 to 64 characters, counted as code points") {
        CHECK_FALSE(validate_name("").ok());
        CHECK(validate_name(std::string(64, 'n')).ok());
        CHECK(contains(validate_name(std::string(65, 'n')).error(), "at most 64 characters"));
        SUBCASE("multi-byte characters count once") {
            auto cjk64 = repeat("\xe4\xb8\xad", 64); // 192 bytes, 64 characters
            CHECK(validate_name(cjk64).ok());
            CHECK_FALSE(validate_name(cjk64 + "\xe4\xb8\xad").ok());
        }
    }

    TEST_CASE("validate_name rejects control characters") {
        for (const std::string& name : {"a\nb"s, "a\tb"s, "a\rb"s, "\x1b[31mred"s, "a\x7f"s,
                                        "a\x00"
                                        "b"s,
                                        "a\xc2\x85"
                                        "b"s,
                                        "\x01"s}) {
            CAPTURE(name);
            auto r = validate_name(name);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "control character"));
        }
    }

    TEST_CASE("validate_name rejects invalid UTF-8") {
        CHECK(contains(validate_name("bad\xff").error(), "UTF-8"));
        CHECK_FALSE(validate_name("\xc0\xaf").ok());
    }

    TEST_CASE("validate_name rejects ':' because it separates JOB:STATE") {
        for (const char* name : {"a:b", ":a", "a:", "backup:completed"}) {
            CAPTURE(name);
            auto r = validate_name(name);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "':'"));
        }
    }

    TEST_CASE("validate_name rejects leading and trailing spaces") {
        for (const char* name : {" a", "a ", " a ", " "}) {
            CAPTURE(name);
            auto r = validate_name(name);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "space"));
        }
        CHECK(validate_name("a b").ok());
    }

    TEST_CASE("validate_name rejects names that read as a job id") {
        for (const char* name : {"deadbeef", "DEADBEEF", "0123abcd", "00000000", "DeadBeef"}) {
            CAPTURE(name);
            auto r = validate_name(name);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "job id"));
        }
    }

    TEST_CASE("looks_like_job_id is exactly 8 hex digits in any case") {
        CHECK(looks_like_job_id("deadbeef"));
        CHECK(looks_like_job_id("DEADBEEF"));
        CHECK(looks_like_job_id("01234567"));
        CHECK_FALSE(looks_like_job_id("deadbee"));
        CHECK_FALSE(looks_like_job_id("deadbeef1"));
        CHECK_FALSE(looks_like_job_id("deadbeeg"));
        CHECK_FALSE(looks_like_job_id(""));
    }

    // ---- priority (--priority) ----

    TEST_CASE("parse_priority accepts 0 to 100") {
        CHECK(*parse_priority("0") == 0);
        CHECK(*parse_priority("50") == 50);
        CHECK(*parse_priority("100") == 100);
        CHECK(*parse_priority(" 7 ") == 7);
    }

    TEST_CASE("parse_priority accepts the names in any case") {
        CHECK(*parse_priority("low") == 20);
        CHECK(*parse_priority("normal") == 50);
        CHECK(*parse_priority("high") == 80);
        CHECK(*parse_priority("critical") == 100);
        CHECK(*parse_priority("HIGH") == 80);
        CHECK(*parse_priority("Critical") == 100);
        CHECK(k_priority_normal == 50);
    }

    TEST_CASE("parse_priority rejects other values") {
        for (const char* text :
             {"101", "1000", "-1", "", "urgent", "5.5", "+5", "1e2", "99999999999999999999999"}) {
            CAPTURE(text);
            auto r = parse_priority(text);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "not a priority"));
        }
    }

    TEST_CASE("priority_name names only the four named levels") {
        CHECK(priority_name(20) == "low");
        CHECK(priority_name(50) == "normal");
        CHECK(priority_name(80) == "high");
        CHECK(priority_name(100) == "critical");
        CHECK_FALSE(priority_name(0).has_value());
        CHECK_FALSE(priority_name(51).has_value());
    }

    TEST_CASE("priority names round trip through priority_name") {
        for (int p : {20, 50, 80, 100}) {
            CAPTURE(p);
            CHECK(*parse_priority(std::string(*priority_name(p))) == p);
        }
    }

    // ---- tags (--tag) ----

    TEST_CASE("parse_tag reads key=value and bare keys") {
        SUBCASE("key=value") {
            auto t = parse_tag("team=infra");
            REQUIRE(t.ok());
            CHECK(t->key == "team");
            CHECK(t->value == "infra");
        }
        SUBCASE("a bare key has no value") {
            auto t = parse_tag("production");
            REQUIRE(t.ok());
            CHECK(t->key == "production");
            CHECK_FALSE(t->value.has_value());
        }
        SUBCASE("an empty value is a value") {
            auto t = parse_tag("team=");
            REQUIRE(t.ok());
            CHECK(t->value == "");
        }
        SUBCASE("the value may contain '=' and spaces") {
            auto t = parse_tag("expr=a=b c");
            REQUIRE(t.ok());
            CHECK(t->key == "expr");
            CHECK(t->value == "a=b c");
        }
    }

    TEST_CASE("parse_tag rejects bad keys") {
        CHECK(contains(parse_tag("=infra").error(), "must not be empty"));
        CHECK(contains(parse_tag("").error(), "must not be empty"));
        CHECK(contains(parse_tag("a,b=c").error(), "','"));
        CHECK_FALSE(parse_tag("a\nb=c").ok());
        CHECK_FALSE(parse_tag(" team=x").ok());
        CHECK(parse_tag(std::string(64, 'k')).ok());
        CHECK_FALSE(parse_tag(std::string(65, 'k')).ok());
    }

    TEST_CASE("parse_tag rejects bad values") {
        CHECK_FALSE(parse_tag("team=in\nfra").ok());
        CHECK_FALSE(parse_tag("team=\x1b[0m").ok());
        CHECK_FALSE(parse_tag("team=\xff").ok());
        CHECK(parse_tag("team=" + std::string(256, 'v')).ok());
        CHECK_FALSE(parse_tag("team=" + std::string(257, 'v')).ok());
    }

    TEST_CASE("normalise_tags sorts by key and rejects duplicate keys") {
        SUBCASE("sorting") {
            auto r = normalise_tags({Tag{"b", "2"}, Tag{"a", std::nullopt}, Tag{"c", "3"}});
            REQUIRE(r.ok());
            REQUIRE(r->size() == 3);
            CHECK((*r)[0] == Tag{"a", std::nullopt});
            CHECK((*r)[1] == Tag{"b", "2"});
            CHECK((*r)[2] == Tag{"c", "3"});
        }
        SUBCASE("duplicates, with or without values") {
            auto r = normalise_tags(
                {Tag{"team", "a"}, Tag{"x", std::nullopt}, Tag{"team", std::nullopt}});
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "\"team\""));
            CHECK(contains(r.error(), "twice"));
        }
        SUBCASE("nothing") {
            auto r = normalise_tags({});
            REQUIRE(r.ok());
            CHECK(r->empty());
        }
    }

    // ---- env (--env) ----

    TEST_CASE("parse_env reads NAME=value") {
        auto e = parse_env("PGHOST=db.internal");
        REQUIRE(e.ok());
        CHECK(e->name == "PGHOST");
        CHECK(e->value == "db.internal");
        SUBCASE("the value may be empty or contain '='") {
            CHECK(parse_env("EMPTY=")->value == "");
            CHECK(parse_env("OPTS=a=b=c")->value == "a=b=c");
            CHECK(parse_env("MSG=hello world\nsecond line")->value == "hello world\nsecond line");
        }
        SUBCASE("names may use letters, digits and _, not starting with a digit") {
            CHECK(parse_env("_X=1").ok());
            CHECK(parse_env("lower_case9=1").ok());
            CHECK(parse_env("A1=1").ok());
        }
    }

    TEST_CASE("parse_env rejects malformed names") {
        for (const char* text :
             {"NOEQUALS", "=value", "1ABC=x", "A-B=x", "A B=x", "A.B=x", "\xc3\xa9=x", " A=x"}) {
            CAPTURE(text);
            CHECK_FALSE(parse_env(text).ok());
        }
        CHECK(contains(parse_env("NOEQUALS").error(), "NAME=value"));
        CHECK(contains(parse_env("1ABC=x").error(), "not a valid variable name"));
    }

    TEST_CASE("parse_env reserves the SCHEDULE_ prefix for the scheduler") {
        for (const char* text : {"SCHEDULE_JOB_ID=x", "SCHEDULE_=x", "SCHEDULE_ANYTHING=1"}) {
            CAPTURE(text);
            auto r = parse_env(text);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "SCHEDULE_"));
        }
        CHECK(parse_env("SCHEDULEX=1").ok());
        CHECK(parse_env("MY_SCHEDULE_X=1").ok());
    }

    TEST_CASE("parse_env rejects NUL and values over 64 KiB") {
        CHECK_FALSE(parse_env("A=x\0y"s).ok());
        CHECK(parse_env("A=" + std::string(65536, 'v')).ok());
        CHECK_FALSE(parse_env("A=" + std::string(65537, 'v')).ok());
    }

    TEST_CASE("parse_env rejects a value that is not UTF-8: the store keeps JSON text") {
        for (const auto& value : {"a\xff"s, "\xc0\xaf"s, "\xed\xa0\x80"s, "caf\xe9"s}) {
            auto r = parse_env("A=" + value);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "\"A\": the value must be valid UTF-8"));
            CHECK(check_env(EnvVar{"A", value}));
        }
        CHECK(parse_env("A=caf\xc3\xa9 \x1b[31m\t").ok());
    }

    TEST_CASE("parse_env rejects names over 256 characters") {
        CHECK(parse_env(std::string(256, 'N') + "=1").ok());
        auto r = parse_env(std::string(257, 'N') + "=1");
        REQUIRE_FALSE(r.ok());
        CHECK(contains(r.error(), "at most 256 characters"));
        CHECK(check_env(EnvVar{std::string(10'000'000, 'N'), "1"}));
    }

    TEST_CASE("normalise_env sorts by name and rejects duplicates") {
        auto r = normalise_env({EnvVar{"B", "2"}, EnvVar{"A", "1"}});
        REQUIRE(r.ok());
        CHECK((*r)[0] == EnvVar{"A", "1"});
        CHECK((*r)[1] == EnvVar{"B", "2"});
        auto dup = normalise_env({EnvVar{"A", "1"}, EnvVar{"A", "2"}});
        REQUIRE_FALSE(dup.ok());
        CHECK(contains(dup.error(), "\"A\""));
    }

    // ---- description, command, task type, owner ----

    TEST_CASE("validate_description allows anything but NUL, up to 4096 bytes") {
        CHECK(*validate_description("") == "");
        CHECK(*validate_description("line one\nline two\t\"quoted\"") ==
              "line one\nline two\t\"quoted\"");
        CHECK(validate_description(std::string(4096, 'd')).ok());
        CHECK_FALSE(validate_description(std::string(4097, 'd')).ok());
        CHECK_FALSE(validate_description("a\0b"s).ok());
    }

    TEST_CASE("validate_command needs text, no NUL, up to 64 KiB") {
        CHECK(*validate_command("echo hi") == "echo hi");
        CHECK(*validate_command("  echo hi\n") == "  echo hi\n");
        CHECK_FALSE(validate_command("").ok());
        CHECK_FALSE(validate_command(" \t\n").ok());
        CHECK_FALSE(validate_command("echo\0hi"s).ok());
        CHECK(validate_command(std::string(65536, 'c')).ok());
        CHECK_FALSE(validate_command(std::string(65537, 'c')).ok());
    }

    TEST_CASE("validate_task_type allows 1-64 of [A-Za-z0-9_.-] starting with a letter or digit") {
        for (const char* t : {"http", "sql.query", "backup_v2", "9lives", "a-b", "X"}) {
            CAPTURE(t);
            CHECK(validate_task_type(t).ok());
        }
        for (const char* t : {"", "_x", "-x", ".x", "a b", "a/b", "caf\xc3\xa9"}) {
            CAPTURE(t);
            CHECK_FALSE(validate_task_type(t).ok());
        }
        CHECK(validate_task_type(std::string(64, 't')).ok());
        CHECK_FALSE(validate_task_type(std::string(65, 't')).ok());
    }

    TEST_CASE("validate_owner follows the label rules") {
        CHECK(*validate_owner("alice") == "alice");
        CHECK(validate_owner("Team Infra").ok());
        CHECK_FALSE(validate_owner("").ok());
        CHECK_FALSE(validate_owner(" alice").ok());
        CHECK_FALSE(validate_owner("alice\n").ok());
        CHECK(validate_owner(std::string(64, 'o')).ok());
        CHECK_FALSE(validate_owner(std::string(65, 'o')).ok());
        CHECK(validate_owner("a:b").ok()); // ':' is only reserved in job names
    }

    // ---- task config (JSON object) ----

    TEST_CASE("validate_task_config returns a JSON object in compact form") {
        CHECK(*validate_task_config("{}") == "{}");
        CHECK(*validate_task_config("{ \"path\" : \"/srv\" ,\n \"n\": [1, 2] }") ==
              "{\"n\":[1,2],\"path\":\"/srv\"}");
        CHECK(*validate_task_config("  {\"a\": {\"b\": null}}  ") == "{\"a\":{\"b\":null}}");
    }

    TEST_CASE("validate_task_config rejects JSON that is not an object") {
        for (const char* text : {"[]", "[1,2]", "\"text\"", "42", "null", "true"}) {
            CAPTURE(text);
            auto r = validate_task_config(text);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "must be a JSON object"));
        }
    }

    TEST_CASE("validate_task_config rejects text that is not JSON") {
        for (const char* text :
             {"", "{", "{\"a\":}", "{a: 1}", "{'a': 1}", "{} {}", "{\"a\":1,}"}) {
            CAPTURE(text);
            auto r = validate_task_config(text);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "not valid JSON"));
        }
    }

    TEST_CASE("validate_task_config limits nesting to 64 levels") {
        SUBCASE("64 nested objects are accepted") {
            CHECK(validate_task_config(nested_objects(64, "1")).ok());
            CHECK(validate_task_config(nested_objects(64, "")).ok());
        }
        SUBCASE("deeper nesting is rejected") {
            CHECK(contains(validate_task_config(nested_objects(65, "1")).error(), "64 levels"));
            CHECK(contains(validate_task_config(nested_objects(65, "")).error(), "64 levels"));
            CHECK(contains(validate_task_config(nested_objects(66, "")).error(), "64 levels"));
            CHECK(contains(validate_task_config(nested_objects(1000, "1")).error(), "64 levels"));
        }
        SUBCASE("arrays count as levels too") {
            auto deep = "{\"a\":" + repeat("[", 200) + repeat("]", 200) + "}";
            CHECK(contains(validate_task_config(deep).error(), "64 levels"));
        }
    }

    TEST_CASE("validate_task_config's refusal of the JSON is one escaped line") {
        for (const auto& text :
             {"{\"a\": \xff}"s, "{\"a\": \x1b[2J}"s, "\xf0\x9f\x95"s, "{\"a\": \"\xc2\x9b\x01"s,
              "{\"a\": \"" + std::string(60000, 'x')}) {
            auto r = validate_task_config(text);
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().starts_with("not valid JSON: "));
            CHECK(r.error().size() < 400);
            CHECK(schedule::util::escape_control(r.error()) == r.error());
        }
    }

    TEST_CASE("validate_task_config limits the size to 64 KiB") {
        auto small = "{\"a\":\"" + std::string(65536 - 8, 'x') + "\"}";
        REQUIRE(small.size() == 65536);
        CHECK(validate_task_config(small).ok());
        auto big = "{\"a\":\"" + std::string(65536 - 7, 'x') + "\"}";
        CHECK(contains(validate_task_config(big).error(), "64 KiB"));
    }

    // ---- working dir, booleans ----

    TEST_CASE("validate_working_dir needs an absolute path") {
        CHECK(*validate_working_dir("/") == "/");
        CHECK(*validate_working_dir("/srv/app dir") == "/srv/app dir");
        for (const char* text : {"", "srv", "./srv", "../srv", "~/srv", " /srv"}) {
            CAPTURE(text);
            auto r = validate_working_dir(text);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "absolute path"));
        }
        CHECK_FALSE(validate_working_dir("/srv\nx").ok());
        CHECK_FALSE(validate_working_dir("/srv\0x"s).ok());
    }

    TEST_CASE("parse_bool reads the usual spellings in any case") {
        for (const char* t : {"true", "yes", "1", "on", "TRUE", "Yes", "ON", " true "}) {
            CAPTURE(t);
            auto r = parse_bool(t);
            REQUIRE(r.ok());
            CHECK(*r == true);
        }
        for (const char* f : {"false", "no", "0", "off", "FALSE", "No", "Off"}) {
            CAPTURE(f);
            auto r = parse_bool(f);
            REQUIRE(r.ok());
            CHECK(*r == false);
        }
        for (const char* bad : {"", "y", "n", "2", "truthy", "enabled", "-1"}) {
            CAPTURE(bad);
            auto r = parse_bool(bad);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "not a boolean"));
        }
    }

    // ---- settings (model/settings.hpp) ----

    TEST_CASE("settings: keys are unique and each spec has a validator") {
        const auto& specs = setting_specs();
        REQUIRE_FALSE(specs.empty());
        for (std::size_t i = 0; i < specs.size(); ++i) {
            CAPTURE(specs[i].key);
            CHECK_FALSE(specs[i].key.empty());
            CHECK_FALSE(specs[i].description.empty());
            CHECK(static_cast<bool>(specs[i].validate));
            for (std::size_t j = i + 1; j < specs.size(); ++j)
                CHECK(specs[i].key != specs[j].key);
        }
    }

    TEST_CASE("settings: every default passes its own validation unchanged") {
        int with_default = 0;
        for (const auto& spec : setting_specs()) {
            if (!spec.default_value)
                continue;
            ++with_default;
            CAPTURE(spec.key);
            auto r = spec.validate(*spec.default_value);
            INFO("error: ", r.ok() ? std::string() : r.error());
            REQUIRE(r.ok());
            CHECK(*r == *spec.default_value);
        }
        CHECK(with_default >= 1);
    }

    TEST_CASE("settings: find_setting finds every key and nothing else") {
        for (const auto& spec : setting_specs()) {
            CAPTURE(spec.key);
            const auto* found = find_setting(spec.key);
            REQUIRE(found != nullptr);
            CHECK(found->key == spec.key);
        }
        CHECK(find_setting("nonexistent") == nullptr);
        CHECK(find_setting("") == nullptr);
        CHECK(find_setting("LOG.LEVEL") == nullptr);
        CHECK(find_setting("timezone") != nullptr);
        CHECK(find_setting("log.level") != nullptr);
        CHECK(find_setting("log.file") != nullptr);
    }

    TEST_CASE("settings: timezone accepts IANA names only") {
        const auto* spec = find_setting("timezone");
        REQUIRE(spec != nullptr);
        CHECK_FALSE(spec->default_value.has_value());
        CHECK(*spec->validate("Europe/Berlin") == "Europe/Berlin");
        CHECK(*spec->validate("UTC") == "UTC");
        CHECK(*spec->validate(" Asia/Tokyo ") == "Asia/Tokyo");
        for (const char* bad :
             {"", "Mars/Base", "europe/berlin", "../etc/passwd", "localtime", "+02:00"}) {
            CAPTURE(bad);
            CHECK_FALSE(spec->validate(bad).ok());
        }
    }

    TEST_CASE("settings: log.level accepts the spdlog levels, normalised to lower case") {
        const auto* spec = find_setting("log.level");
        REQUIRE(spec != nullptr);
        CHECK(spec->default_value == "warn");
        for (const char* level : {"trace", "debug", "info", "warn", "error", "off"}) {
            CAPTURE(level);
            CHECK(*spec->validate(level) == level);
        }
        CHECK(*spec->validate("DEBUG") == "debug");
        CHECK(*spec->validate(" Info ") == "info");
        for (const char* bad : {"", "warning", "verbose", "critical", "3"}) {
            CAPTURE(bad);
            auto r = spec->validate(bad);
            REQUIRE_FALSE(r.ok());
            CHECK(contains(r.error(), "not a log level"));
        }
    }

    TEST_CASE("settings: log.file needs an absolute path without NUL or newlines") {
        const auto* spec = find_setting("log.file");
        REQUIRE(spec != nullptr);
        CHECK_FALSE(spec->default_value.has_value());
        CHECK(*spec->validate("/var/log/schedule.log") == "/var/log/schedule.log");
        CHECK_FALSE(spec->validate("").ok());
        CHECK_FALSE(spec->validate("schedule.log").ok());
        CHECK_FALSE(spec->validate("~/schedule.log").ok());
        CHECK_FALSE(spec->validate("/var/log/a\nb").ok());
        CHECK_FALSE(spec->validate("/var/log/a\0b"s).ok());
    }

    TEST_CASE("settings: the notify hooks are commands, notify.timeout a duration above zero") {
        for (const char* key : {"notify.on_failure", "notify.on_retry", "notify.on_success"}) {
            CAPTURE(key);
            const auto* spec = find_setting(key);
            REQUIRE(spec != nullptr);
            CHECK_FALSE(spec->default_value.has_value());
            CHECK(*spec->validate(" mail -s \"$SCHEDULE_JOB_NAME\" ops ") ==
                  " mail -s \"$SCHEDULE_JOB_NAME\" ops ");
            for (const auto& bad : {""s, "  "s, "a\0b"s, std::string(65537, 'x')}) {
                auto r = spec->validate(bad);
                CHECK_FALSE(r.ok());
            }
        }
        const auto* timeout = find_setting("notify.timeout");
        REQUIRE(timeout != nullptr);
        CHECK(timeout->default_value == "30s");
        CHECK(*timeout->validate("90") == "1m30s");
        CHECK(*timeout->validate(" 2m ") == "2m");
        for (const char* bad : {"", "0", "0s", "-5s", "soon"}) {
            CAPTURE(bad);
            CHECK_FALSE(timeout->validate(bad).ok());
        }
        auto s = Settings::from_stored({{"notify.on_failure", "echo failed"},
                                        {"notify.on_success", " "},
                                        {"notify.timeout", "5s"}});
        CHECK(s.notify_on_failure == "echo failed");
        CHECK_FALSE(s.notify_on_retry);
        CHECK_FALSE(s.notify_on_success); // no longer valid: unset
        CHECK(s.notify_timeout == schedule::time::Duration{5});
        CHECK(Settings::from_stored({}).notify_timeout == schedule::time::Duration{30});
    }

    TEST_CASE("settings: from_stored applies valid rows over the defaults") {
        GIVEN("no stored rows") {
            auto s = Settings::from_stored({});
            THEN("the defaults apply") {
                CHECK_FALSE(s.timezone.has_value());
                CHECK(s.log_level == "warn");
                CHECK_FALSE(s.log_file.has_value());
            }
        }
        GIVEN("valid rows for every key") {
            auto s = Settings::from_stored({{"timezone", "Europe/Berlin"},
                                            {"log.level", "DEBUG"},
                                            {"log.file", "/tmp/schedule.log"}});
            THEN("each value is used, normalised") {
                CHECK(s.timezone == "Europe/Berlin");
                CHECK(s.log_level == "debug");
                CHECK(s.log_file == "/tmp/schedule.log");
            }
        }
        GIVEN("unknown keys and values that no longer validate") {
            auto s = Settings::from_stored({{"timezone", "Not/AZone"},
                                            {"log.level", "chatty"},
                                            {"log.file", "relative.log"},
                                            {"no.such.key", "x"}});
            THEN("they are ignored and the defaults apply") {
                CHECK_FALSE(s.timezone.has_value());
                CHECK(s.log_level == "warn");
                CHECK_FALSE(s.log_file.has_value());
            }
        }
    }

} // TEST_SUITE
