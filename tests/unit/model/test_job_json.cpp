// model::job_json: the job object written as text must be exactly what
// nlohmann's serialiser makes of the same values (key order, escaping,
// invalid UTF-8 replaced), since `job list --format json` uses the writer
// and `job show` the tree.
//
// model::job_from_json: a job object read back through the job builder.
// A property test writes many generated jobs (every field, every trigger
// type, text with Unicode and control characters) and reads them back;
// hostile objects must give a ValidationError naming the JSON path.

#include <schedule/model/job_json.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <random>
#include <set>
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

namespace {

// The number of members of an aggregate: T{any, any, ...} compiles with
// as many initialisers as T has members and no more.
struct AnyMember {
    template <class T> operator T() const;
};
template <class T, class... Given> constexpr std::size_t member_count() {
    if constexpr (requires { T{Given{}..., AnyMember{}}; })
        return member_count<T, Given..., AnyMember>();
    else
        return sizeof...(Given);
}

// A new member of Job or Trigger needs a key in job_to_json(), a reader
// in job_from_json() and a value in the generator below; then update
// these counts.
static_assert(member_count<model::Job>() == 50, "a new Job field: see the comment above");
static_assert(member_count<model::Trigger>() == 7, "a new Trigger field: see the comment above");

const time::Instant k_read_now = time::from_unix(1767225600); // 2026-01-01T00:00:00Z

model::BuildContext read_context() {
    model::BuildContext c;
    c.now = k_read_now;
    c.default_zone = [] { return std::string("UTC"); };
    c.root = true; // any run_as user; user_exists unset: every user exists
    return c;
}

// Jobs with every field drawn at random, each value one the builder
// accepts and in the form it stores (sorted tags, normal cron text, ...).
class JobGenerator {
public:
    explicit JobGenerator(std::uint64_t seed) : m_rng(seed) {}

    model::Job job() {
        model::Job j;
        j.id = hex_id();
        j.name = until_valid([&] { return label(64, ":"); }, model::validate_name);
        j.description = chance(4) ? "" : text(0, 300, true);
        j.timezone = pick(k_zones);
        j.trigger = trigger();
        if (chance(3)) {
            j.task_type = task_type();
            j.task_config = task_config();
        } else {
            j.command = until_valid([&] { return text(1, 200, true); }, model::validate_command);
        }
        j.priority = int(number(0, 100));
        if (chance(2))
            j.owner = until_valid([&] { return label(64, ""); }, model::validate_owner);
        j.tags = tags();
        switch (number(0, 3)) {
        case 0:
            j.enabled = true, j.status = model::JobStatus::active;
            break;
        case 1:
            j.enabled = false, j.status = model::JobStatus::paused;
            break;
        default:
            j.enabled = chance(2), j.status = model::JobStatus::finished;
        }
        if (chance(2))
            j.timeout = time::Duration{number(1, 10'000'000)};
        j.env = env();
        if (chance(2))
            j.working_dir =
                "/" + until_valid(
                          [&] { return text(0, 60, true); },
                          [](auto s) { return model::validate_working_dir("/" + std::string(s)); });
        if (chance(3))
            j.run_as = user_name();
        j.kill_grace = time::Duration{number(0, 100'000)};
        j.overlap = pick(k_overlaps);
        if (j.overlap == model::Overlap::allow && chance(2))
            j.max_instances = int(number(1, 10'000));
        j.jitter = time::Duration{chance(2) ? 0 : number(0, 86'400)};
        j.dst_gap = chance(2) ? model::DstGap::run : model::DstGap::skip;
        j.dst_overlap = chance(2) ? model::DstOverlap::once : model::DstOverlap::twice;
        if (chance(3))
            j.start_date = instant();
        if (chance(3)) {
            j.end_date = instant();
            if (j.start_date && *j.end_date <= *j.start_date)
                std::swap(*j.start_date, *j.end_date);
            if (j.start_date && *j.end_date == *j.start_date)
                j.start_date.reset();
        }
        for (auto n = chance(2) ? 0 : number(1, 4); n > 0; --n)
            if (auto w = window();
                std::find(j.windows.begin(), j.windows.end(), w) == j.windows.end())
                j.windows.push_back(w);
        j.outside_window = chance(2) ? model::OutsideWindow::wait : model::OutsideWindow::skip;
        for (auto n = chance(2) ? 0 : number(1, 3); n > 0; --n)
            j.depends_on.push_back(link(true));
        for (auto n = chance(2) ? 0 : number(1, 3); n > 0; --n)
            j.conflicts_with.push_back(link(false));
        j.catchup = pick(k_catchups);
        if (chance(2))
            j.misfire_grace = time::Duration{number(1, 1'000'000)};
        if (chance(2))
            j.max_executions = number(1, 1'000'000'000);
        j.max_attempts = int(number(1, 100));
        j.retry_delay = time::Duration{number(0, 100'000)};
        j.retry_max_delay = j.retry_delay + time::Duration{number(0, 10'000'000)};
        j.backoff = pick(k_backoffs);
        j.retry_on = retry_on();
        for (auto* hook : {&j.on_failure, &j.on_retry, &j.on_success})
            if (chance(2))
                *hook = until_valid([&] { return text(1, 200, true); }, model::validate_command);
        j.notify = chance(2);
        j.execution_count = counter();
        j.failure_count = counter();
        j.scheduled_count = counter();
        if (chance(2))
            j.last_execution = instant();
        if (chance(2))
            j.last_status = pick(k_execution_statuses);
        // Not read back: next_execution is computed from now, boot_id is
        // this host's.
        if (chance(2))
            j.next_execution = instant();
        if (j.trigger.type == model::TriggerType::reboot && chance(2))
            j.boot_id = "0d3c7b3a-9f0e-4f5e-8a59-0e8a4f1e2b6c";
        j.created_at = instant();
        j.updated_at = instant();
        return j;
    }

private:
    static constexpr const char* k_zones[] = {
        "UTC",
        "Europe/Berlin",
        "America/New_York",
        "Asia/Kolkata",
        "Asia/Kathmandu",
        "America/St_Johns",
        "Australia/Lord_Howe",
        "Pacific/Kiritimati",
    };
    static constexpr model::Overlap k_overlaps[] = {model::Overlap::skip, model::Overlap::queue,
                                                    model::Overlap::allow, model::Overlap::replace};
    static constexpr model::Catchup k_catchups[] = {model::Catchup::latest, model::Catchup::all,
                                                    model::Catchup::none};
    static constexpr model::Backoff k_backoffs[] = {model::Backoff::fixed, model::Backoff::linear,
                                                    model::Backoff::exponential,
                                                    model::Backoff::fibonacci};
    static constexpr const char* k_execution_statuses[] = {
        "completed", "failed", "timed_out", "cancelled", "skipped", "lost", "running"};
    // Characters text is made of: ASCII, quotes and backslashes, Latin,
    // CJK, emoji, a combining mark, right-to-left override; control
    // characters (C0, DEL, C1) where a field allows them.
    static constexpr const char* k_printable[] = {
        "a",      "Z",      "7",      " ",      "-",          "_",       ".",      "=",
        ",",      ":",      "\"",     "\\",     "'",          "/",       "{",      "}",
        "\u00e9", "\u00df", "\u4e2d", "\u6587", "\U0001F600", "e\u0301", "\u202e", "\u00a0",
    };
    static constexpr const char* k_controls[] = {"\t",   "\n",   "\r",     "\x01",
                                                 "\x1b", "\x7f", "\u0085", "\u009b"};

    std::int64_t number(std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(m_rng);
    }
    bool chance(int one_in) { return number(1, one_in) == 1; }
    template <class T, std::size_t N> T pick(const T (&items)[N]) {
        return items[number(0, N - 1)];
    }

    std::string text(int min, int max, bool controls) {
        std::string s;
        const auto n = number(min, max);
        for (std::int64_t i = 0; i < n; ++i)
            s += controls && chance(6) ? pick(k_controls) : pick(k_printable);
        return s;
    }
    // Text without control characters, cut to `max` code points, without
    // the characters in `refused`.
    std::string label(std::size_t max, std::string_view refused) {
        std::string s;
        const auto n = number(1, std::int64_t(max));
        for (std::int64_t i = 0; i < n; ++i) {
            std::string c = pick(k_printable);
            if (c.size() == 1 && refused.find(c[0]) != std::string_view::npos)
                continue;
            if (util::codepoint_count(s + c) > max)
                break;
            s += c;
        }
        return s;
    }
    // The first text `make` gives that `check` accepts.
    template <class Make, class Check> std::string until_valid(Make make, Check check) {
        for (;;) {
            auto s = make();
            if (check(s))
                return s;
        }
    }

    // A link to another job as the store gives it (id and current name).
    model::JobLink link(bool dependency) {
        model::JobLink l;
        l.job_id = hex_id();
        l.job_name = until_valid([&] { return label(64, ":"); }, model::validate_name);
        if (dependency) {
            l.state = chance(3)   ? model::EndState::completed
                      : chance(2) ? model::EndState::failed
                                  : model::EndState::any;
            l.timeout = time::Duration{chance(2) ? 0 : number(1, 1'000'000)};
        } else {
            l.state = model::EndState::completed;
        }
        return l;
    }

    std::string hex_id() {
        static constexpr char k_hex[] = "0123456789abcdef";
        std::string id;
        for (int i = 0; i < 8; ++i)
            id += k_hex[number(0, 15)];
        return id;
    }

    // Whole seconds from 1971 to 9998: inside the supported range in
    // every zone.
    time::Instant instant() { return time::from_unix(number(31'536'000, 253'339'000'000)); }

    std::int64_t counter() {
        switch (number(0, 3)) {
        case 0:
            return 0;
        case 1:
            return model::k_max_count;
        default:
            return number(0, 1'000'000'000'000);
        }
    }

    std::string two_digits(std::int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); }
    std::string time_of_day() {
        const auto h = number(0, 23);
        return (chance(2) ? std::to_string(h) : two_digits(h)) + ":" + two_digits(number(0, 59));
    }
    std::string days(int lo, int hi, bool names) {
        static constexpr const char* k_days[] = {"SUN", "mon", "Tue", "WED", "thu", "FRI", "sat"};
        std::string s;
        const auto n = number(1, 3);
        for (std::int64_t i = 0; i < n; ++i)
            s += (i ? "," : "") + (names && chance(2) ? std::string(k_days[number(0, 6)])
                                                      : std::to_string(number(lo, hi)));
        return s;
    }

    model::Trigger trigger() {
        static constexpr const char* k_crons[] = {
            "*/5 * * * *",       "30 2 * * *",       "0  9 * *   MON-FRI",   "0 0 1 1 *",
            "@hourly",           "@Daily",           "15,45 */2 1-15 * SUN", "0 12 L * *",
            "5 4 * jan,JUL 6-0", "*/7 3-20/2 * * *", "0 0 29 2 *",           "@yearly"};
        switch (number(0, 8)) {
        case 8: {
            model::Trigger t;
            t.type = model::TriggerType::after;
            t.after = link(false);
            return t;
        }
        case 0: {
            auto t = model::parse_cron_trigger(pick(k_crons));
            if (t && t->type == model::TriggerType::cron)
                return *t;
            return *model::parse_cron_trigger("* * * * *");
        }
        case 1:
            return *model::parse_cron_trigger("@reboot");
        case 2:
            return *model::parse_daily(time_of_day());
        case 3:
            return *model::parse_weekly(days(0, 7, true) + "@" + time_of_day());
        case 4:
            return *model::parse_monthly(days(1, 31, false) + "@" + time_of_day());
        case 5: {
            model::Trigger t;
            t.type = model::TriggerType::every;
            t.every = time::Duration{60 * number(1, 1'000'000)};
            t.anchor = instant();
            return t;
        }
        case 6: {
            model::Trigger t;
            t.type = model::TriggerType::at;
            t.at = instant();
            return t;
        }
        default:
            return model::Trigger{};
        }
    }

    // One character of `first`, then up to `more` of `rest`.
    std::string word(std::string_view first, std::string_view rest, std::int64_t more) {
        std::string s(1, first[number(0, std::int64_t(first.size()) - 1)]);
        for (auto n = number(0, more); n > 0; --n)
            s += rest[number(0, std::int64_t(rest.size()) - 1)];
        return s;
    }

    std::string task_type() { return word("aZ7", "abcXYZ019_-.", 63); }
    std::string task_config() {
        ojson config = ojson::object();
        for (auto n = number(0, 4); n > 0; --n) {
            auto key = text(0, 8, true);
            switch (number(0, 4)) {
            case 0:
                config[key] = text(0, 20, true);
                break;
            case 1:
                config[key] = number(-1'000'000, 1'000'000);
                break;
            case 2:
                config[key] = ojson::array({1.5, true, nullptr, text(0, 5, true)});
                break;
            case 3:
                config[key] = {{"nested", {{"deeper", ojson::array()}}}};
                break;
            default:
                config[key] = std::numeric_limits<std::uint64_t>::max();
            }
        }
        // The form the builder stores.
        return *model::validate_task_config(model::dump_json(config));
    }

    std::vector<model::Tag> tags() {
        std::vector<model::Tag> tags;
        std::set<std::string> keys;
        for (auto n = number(0, 5); n > 0; --n) {
            model::Tag t{until_valid([&] { return label(64, ",=:"); },
                                     [](auto s) {
                                         return !model::check_tag({s, std::nullopt});
                                     }),
                         std::nullopt};
            if (chance(3))
                t.value = chance(5) ? "" : label(256, "");
            if (keys.insert(t.key).second && !model::check_tag(t))
                tags.push_back(t);
        }
        return *model::normalise_tags(tags);
    }

    std::vector<model::EnvVar> env() {
        std::vector<model::EnvVar> env;
        std::set<std::string> names;
        for (auto n = number(0, 5); n > 0; --n) {
            model::EnvVar v{word("ABZ_abz", "ABZ_abz019", 12), chance(5) ? "" : text(0, 80, true)};
            if (names.insert(v.name).second && !model::check_env(v))
                env.push_back(v);
        }
        return *model::normalise_env(env);
    }

    std::string user_name() { return word("az_", "abcz019._-", 20); }

    model::Window window() {
        static constexpr const char* k_zones[] = {"Europe/London", "America/New_York", "UTC",
                                                  "Asia/Kolkata"};
        model::Window w;
        w.days = static_cast<std::uint8_t>(number(1, 0x7f));
        w.start = int(number(0, 1439));
        do
            w.end = int(number(1, 1440));
        while (w.end % 1440 == w.start);
        if (chance(2))
            w.zone = pick(k_zones);
        return w;
    }

    std::vector<model::RetryOn> retry_on() {
        static constexpr const char* k_items[] = {"timeout", "lost",   "signal",
                                                  "exit:1",  "exit:3", "exit:255"};
        std::vector<std::string_view> items;
        for (auto n = number(0, 4); n > 0; --n)
            items.push_back(pick(k_items));
        if (items.empty())
            return {};
        return *model::parse_retry_on(items);
    }

    std::mt19937_64 m_rng;
};

// What record mode gives for `job`: every field but those not read back.
model::Job as_restored(model::Job job) {
    job.next_execution.reset();
    job.boot_id.reset();
    return job;
}

// What definition mode gives for `job`: its definition, with a new job's
// id, counters, times and status.
model::Job as_defined(model::Job job) {
    model::Job fresh;
    job.id = fresh.id;
    job.status = job.enabled ? model::JobStatus::active : model::JobStatus::paused;
    job.execution_count = job.failure_count = job.scheduled_count = 0;
    job.last_execution.reset();
    job.last_status.reset();
    job.next_execution.reset();
    job.boot_id.reset();
    job.created_at = job.updated_at = k_read_now;
    return job;
}

struct Refused {
    std::string field, message, hint;
};

// The ValidationError reading `object` gives (the test fails without one).
Refused refused(const ojson& object, model::JobJsonMode mode = model::JobJsonMode::definition,
                const std::string& path = "jobs[3]") {
    try {
        model::job_from_json(object, mode, read_context(), path);
    } catch (const util::ValidationError& e) {
        CHECK(int(e.code()) == 2);
        CHECK(std::string(e.what()).starts_with(e.field() + ": "));
        return {e.field(), e.what(), e.hint()};
    }
    FAIL("no ValidationError for " << model::dump_json(object).substr(0, 300));
    return {};
}

model::Job defined(const ojson& object) {
    return model::job_from_json(object, model::JobJsonMode::definition, read_context(), "jobs[3]");
}

ojson minimal_definition() {
    return {{"name", "backup"}, {"command", "true"}};
}

// The minimal definition with `key` set to `value` (a task job for
// task_type).
ojson definition_with(const std::string& key, ojson value) {
    auto object = minimal_definition();
    if (key == "task_type")
        object.erase("command");
    object[key] = std::move(value);
    return object;
}

ojson with(ojson object, const std::string& key, ojson value) {
    object[key] = std::move(value);
    return object;
}

bool has(const std::string& s, const std::string& needle) {
    return s.find(needle) != std::string::npos;
}

// The minimal definition with `key` set to `value` is refused, naming
// `field`, with `reason` in the message.
struct RefusalCase {
    const char* key;
    ojson value;
    const char* field;
    const char* reason;
};

void check_refusal(const RefusalCase& c) {
    const std::string key = c.key, reason = c.reason;
    CAPTURE(key);
    CAPTURE(reason);
    auto r = refused(definition_with(key, c.value));
    CHECK(r.field == c.field);
    CHECK(has(r.message, reason));
}

} // namespace

TEST_SUITE("model::job_from_json") {
    TEST_CASE("json_path names array elements and members") {
        CHECK(model::json_path("jobs", 3) == "jobs[3]");
        CHECK(model::json_path("jobs[3]", "retry_on") == "jobs[3].retry_on");
        CHECK(model::json_path("jobs[3].retry_on", 0) == "jobs[3].retry_on[0]");
        CHECK(model::json_path("", "jobs") == "jobs");
        CHECK(model::json_path("jobs[3]", "time out") == "jobs[3][\"time out\"]");
        CHECK(model::json_path("jobs[3]", "9lives") == "jobs[3][\"9lives\"]");
        CHECK(model::json_path("jobs[3]", "") == "jobs[3][\"\"]");
        CHECK(model::json_path("jobs[3]", "a\x1b[2J") == "jobs[3][\"a\\e[2J\"]");
        const auto long_key = model::json_path("jobs[3]", std::string(10'000'000, 'k'));
        CHECK(long_key.size() < 100);
        CHECK(long_key.starts_with("jobs[3][\"kkkk"));
    }

    TEST_CASE("property: every generated job reads back from its JSON, field for field") {
        JobGenerator generate(20261203);
        std::set<model::TriggerType> types;
        for (std::size_t i = 0; i < 3000; ++i) {
            const auto job = generate.job();
            types.insert(job.trigger.type);
            const bool utc = i % 2 == 0;
            const auto text = model::dump_json(model::job_to_json(job, utc));
            CAPTURE(text);
            const auto object = ojson::parse(text);
            const auto path = model::json_path("jobs", i);
            model::Job restored, definition;
            REQUIRE_NOTHROW(restored = model::job_from_json(object, model::JobJsonMode::record,
                                                            read_context(), path));
            auto ctx = read_context();
            ctx.keep_past = true; // an --at in the past is the generator's chance
            REQUIRE_NOTHROW(definition = model::job_from_json(
                                object, model::JobJsonMode::definition, ctx, path));
            if (restored == as_restored(job) && definition == as_defined(job))
                continue;
            // The first job that differs, shown as the JSON of both (boot_id
            // and next_execution apart), then compared in full.
            CHECK(model::job_json_text(restored, time::Zone::utc(), true) ==
                  model::job_json_text(as_restored(job), time::Zone::utc(), true));
            CHECK(restored == as_restored(job));
            CHECK(model::job_json_text(definition, time::Zone::utc(), true) ==
                  model::job_json_text(as_defined(job), time::Zone::utc(), true));
            CHECK(definition == as_defined(job));
            break;
        }
        // Every trigger a job can have.
        CHECK(types.size() == 9);
    }

    TEST_CASE("each key job_to_json writes is read, apart from the documented derived ones") {
        // Two jobs with every field set away from its default: a command
        // job and a task job. Leaving a key out must change what is read
        // (or be refused), unless the key is derived from others.
        model::Job a;
        a.id = "0a1b2c3d";
        a.name = "nightly \u00e9";
        a.description = "desc";
        a.timezone = "Europe/Berlin";
        a.trigger = model::Trigger{
            model::TriggerType::every,   "",           "",          time::Duration{900},
            time::from_unix(1700000000), std::nullopt, std::nullopt};
        a.command = "echo hi";
        a.priority = 80;
        a.owner = "ops";
        a.tags = {{"team", std::string("infra")}};
        a.enabled = false;
        a.status = model::JobStatus::finished;
        a.timeout = time::Duration{30};
        a.env = {{"A", "1"}};
        a.working_dir = "/srv";
        a.run_as = "backup";
        a.kill_grace = time::Duration{5};
        a.overlap = model::Overlap::allow;
        a.max_instances = 3;
        a.jitter = time::Duration{30};
        a.dst_gap = model::DstGap::skip;
        a.dst_overlap = model::DstOverlap::twice;
        a.start_date = time::from_unix(1700000000);
        a.end_date = time::from_unix(1900000000);
        a.windows = {*model::parse_window("Mon-Fri 09:00-17:00"),
                     *model::parse_window("Sat 22:00-06:00 Europe/London")};
        a.outside_window = model::OutsideWindow::skip;
        a.depends_on = {{"0b1c2d3e", "snap", model::EndState::failed, time::Duration{60}}};
        a.conflicts_with = {{"0c1d2e3f", "backup", model::EndState::completed, time::Duration{0}}};
        a.catchup = model::Catchup::all;
        a.misfire_grace = time::Duration{60};
        a.max_executions = 10;
        a.max_attempts = 4;
        a.retry_delay = time::Duration{10};
        a.retry_max_delay = time::Duration{100};
        a.backoff = model::Backoff::linear;
        a.retry_on = {{model::RetryOn::Kind::timeout, 0}};
        a.on_failure = "mail -s failed ops";
        a.on_retry = "echo retry";
        a.on_success = "echo ok";
        a.notify = false;
        a.execution_count = 7;
        a.failure_count = 2;
        a.scheduled_count = 3;
        a.last_execution = time::from_unix(1750000000);
        a.last_status = "failed";
        a.next_execution = time::from_unix(1800000000);
        a.created_at = time::from_unix(1600000000);
        a.updated_at = time::from_unix(1650000000);
        model::Job b = a;
        b.trigger = *model::parse_daily("09:30"); // cron_expression is not null
        b.command.reset();
        b.task_type = "report";
        b.task_config = R"({"to":"ops"})";

        std::set<std::string> checked, ignored;
        for (const auto& job : {a, b}) {
            const auto object = model::job_to_json(job, false);
            const auto whole =
                model::job_from_json(object, model::JobJsonMode::record, read_context(), "jobs[0]");
            REQUIRE(whole == as_restored(job));
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (it.value().is_null())
                    continue; // a null is the same as no key
                checked.insert(it.key());
                auto without = object;
                without.erase(it.key());
                try {
                    if (model::job_from_json(without, model::JobJsonMode::record, read_context(),
                                             "jobs[0]") == whole)
                        ignored.insert(it.key());
                } catch (const util::ValidationError&) {
                    // refused without it: read
                }
            }
        }
        CHECK(checked.size() == model::job_to_json(a, false).size()); // every key written
        CHECK(ignored == std::set<std::string>{"cron_expression", "next_execution"});
    }

    TEST_CASE("a hand-written definition with the command line's trigger keys") {
        auto cron = defined({{"name", "backup"}, {"cron", "30 2 * * *"}, {"command", "tar c /"}});
        CHECK(cron.trigger.type == model::TriggerType::cron);
        CHECK(cron.trigger.expression == "30 2 * * *");
        CHECK(cron.timezone == "UTC");
        CHECK(cron.created_at == k_read_now);
        CHECK(cron.id.empty());

        auto every = defined(
            {{"name", "e"}, {"every", "15m"}, {"anchor", "2026-01-01T00:05"}, {"command", "x"}});
        CHECK(every.trigger.every == time::Duration{900});
        CHECK(every.trigger.anchor == k_read_now + std::chrono::minutes(5));
        CHECK(defined(with(minimal_definition(), "daily", "9:30")).trigger.spec == "09:30");
        CHECK(defined(with(minimal_definition(), "weekly", "mon@09:30")).trigger.expression ==
              "30 9 * * MON");
        CHECK(defined(with(minimal_definition(), "monthly", "15@09:30")).trigger.expression ==
              "30 9 15 * *");
        CHECK(defined(with(minimal_definition(), "at", "2026-02-01T10:00")).trigger.at ==
              time::from_unix(1769940000));
        CHECK(defined(with(minimal_definition(), "cron", "@reboot")).trigger.type ==
              model::TriggerType::reboot);
        CHECK(defined(with(minimal_definition(), "priority", "high")).priority == 80);
        auto paused = defined(with(minimal_definition(), "enabled", false));
        CHECK_FALSE(paused.enabled);
        CHECK(paused.status == model::JobStatus::paused);

        // The trigger object, with only what defines the trigger.
        auto daily =
            defined(with(minimal_definition(), "trigger", {{"type", "daily"}, {"at", "7:05"}}));
        CHECK(daily.trigger.expression == "5 7 * * *");
        auto reboot = defined(with(minimal_definition(), "trigger", {{"type", "reboot"}}));
        CHECK(reboot.trigger.type == model::TriggerType::reboot);
        auto manual = defined(with(minimal_definition(), "trigger", {{"type", "manual"}}));
        CHECK(manual.trigger == model::Trigger{});
    }

    TEST_CASE("definition mode ignores what the store keeps and record mode reads it") {
        auto object = with(minimal_definition(), "job_id", "0a1b2c3d");
        object["execution_count"] = 5;
        object["status"] = "finished";
        object["created_at"] = "2020-01-01T00:00:00Z";
        object["next_execution"] = "not even an instant";
        object["state"] = 42;
        auto job = defined(object);
        CHECK(job.id.empty());
        CHECK(job.execution_count == 0);
        CHECK(job.status == model::JobStatus::active);
        CHECK(job.created_at == k_read_now);

        auto kept = model::job_from_json(object, model::JobJsonMode::record, read_context());
        CHECK(kept.id == "0a1b2c3d");
        CHECK(kept.execution_count == 5);
        CHECK(kept.status == model::JobStatus::finished);
        CHECK(kept.created_at == time::from_unix(1577836800));
        CHECK_FALSE(kept.next_execution);
    }

    TEST_CASE("an --at or end date in the past is kept in record mode only") {
        auto past_at = with(minimal_definition(), "at", "2020-01-01T00:00:00Z");
        auto r = refused(past_at);
        CHECK(r.field == "jobs[3].at");
        CHECK(has(r.message, "in the past"));
        auto past_end = with(minimal_definition(), "end_date", "2020-01-01T00:00:00Z");
        CHECK(refused(past_end).field == "jobs[3].end_date");
        past_at["job_id"] = past_end["job_id"] = "0a1b2c3d";
        CHECK(
            model::job_from_json(past_at, model::JobJsonMode::record, read_context()).trigger.at ==
            time::from_unix(1577836800));
        CHECK(model::job_from_json(past_end, model::JobJsonMode::record, read_context()).end_date ==
              time::from_unix(1577836800));
    }

    TEST_CASE("hostile: what is not a job object") {
        for (const auto& v : {ojson(nullptr), ojson(5), ojson("job"), ojson::array()}) {
            auto r = refused(v);
            CHECK(r.field == "jobs[3]");
            CHECK(has(r.message, "expected a job object"));
        }
        CHECK(refused(ojson::array(), model::JobJsonMode::record, "").field == "job");
    }

    TEST_CASE("hostile: unknown keys are named with their full path") {
        auto r = refused(with(minimal_definition(), "timeot_seconds", 5));
        CHECK(r.message == "jobs[3].timeot_seconds: unknown key");
        CHECK(r.hint == "did you mean \"timeout_seconds\"?");
        CHECK(refused(with(minimal_definition(), "x", 5)).hint.empty());
        // Keys that are not identifiers are quoted, escaped and cut.
        CHECK(refused(with(minimal_definition(), "time out", 5)).field == "jobs[3][\"time out\"]");
        CHECK(refused(with(minimal_definition(), "a\x1b[2J", 5)).field == "jobs[3][\"a\\e[2J\"]");
        auto huge = refused(with(minimal_definition(), std::string(10'000'000, 'k'), 5));
        CHECK(huge.field.size() < 100);
        CHECK(huge.message.size() < 200);
        // Inside the trigger object: the keys of its type only.
        auto in_trigger =
            refused(with(minimal_definition(), "trigger",
                         {{"type", "cron"}, {"expression", "* * * * *"}, {"every", "5m"}}));
        CHECK(in_trigger.message ==
              "jobs[3].trigger.every: unknown key (a cron trigger has type, expression)");
        CHECK(refused(with(minimal_definition(), "trigger",
                           {{"type", "daily"}, {"at", "09:00"}, {"anchor", nullptr}}))
                  .field == "jobs[3].trigger.anchor");
    }

    TEST_CASE("hostile: wrong JSON types name the path and the type expected") {
        const RefusalCase cases[] = {
            {"name", 5, "jobs[3].name", "expected a string, not an integer"},
            {"name", nullptr, "jobs[3].name", "expected a string, not null"},
            {"description", ojson::array(), "jobs[3].description",
             "expected a string, not an array"},
            {"command", true, "jobs[3].command", "expected a string or null, not a boolean"},
            {"timeout_seconds", "60", "jobs[3].timeout_seconds",
             "expected an integer or null, not a string"},
            {"timeout_seconds", "1h", "jobs[3].timeout_seconds",
             "expected an integer or null, not a string"},
            {"kill_grace_seconds", nullptr, "jobs[3].kill_grace_seconds",
             "expected an integer, not null"},
            {"max_attempts", 3.0, "jobs[3].max_attempts", "expected an integer, not 3.0"},
            {"max_attempts", 2.5, "jobs[3].max_attempts", "expected an integer, not 2.5"},
            {"retry_delay_seconds", 1e300, "jobs[3].retry_delay_seconds",
             "expected an integer, not 1e+300"},
            {"priority", "80", "jobs[3].priority",
             "expected an integer or low, normal, high, critical, not a string"},
            {"priority", ojson::object(), "jobs[3].priority",
             "expected an integer or low, normal, high, critical, not an object"},
            {"enabled", "yes", "jobs[3].enabled", "expected true or false, not a string"},
            {"enabled", 1, "jobs[3].enabled", "expected true or false, not an integer"},
            {"tags", ojson::array({"a=b"}), "jobs[3].tags", "expected an object, not an array"},
            {"tags",
             {{"team", 5}},
             "jobs[3].tags.team",
             "expected a string or null, not an integer"},
            {"tags",
             {{"a b", true}},
             "jobs[3].tags[\"a b\"]",
             "expected a string or null, not a boolean"},
            {"env", {{"A", nullptr}}, "jobs[3].env.A", "expected a string, not null"},
            {"env", "A=1", "jobs[3].env", "expected an object, not a string"},
            {"retry_on", "timeout", "jobs[3].retry_on",
             "expected an array of strings or null, not a string"},
            {"retry_on", ojson::array({"timeout", 3}), "jobs[3].retry_on[1]",
             "expected a string, not an integer"},
            {"task_config", "{}", "jobs[3].task_config",
             "expected an object or null, not a string"},
            {"trigger", "cron", "jobs[3].trigger", "expected an object, not a string"},
            {"trigger", {{"type", 1}}, "jobs[3].trigger.type", "expected a string, not an integer"},
            {"trigger",
             {{"type", "every"}, {"every", 900}},
             "jobs[3].trigger.every",
             "expected a string, not an integer"},
            {"trigger",
             {{"type", "every"}, {"every", "15m"}, {"anchor", 0}},
             "jobs[3].trigger.anchor",
             "expected a string or null, not an integer"},
            {"cron", ojson::array(), "jobs[3].cron", "expected a string, not an array"},
            {"start_date", 1767225600, "jobs[3].start_date",
             "expected a string or null, not an integer"},
        };
        for (const auto& c : cases)
            check_refusal(c);
    }

    TEST_CASE("hostile: the trigger object's type and required keys") {
        auto r = refused(with(minimal_definition(), "trigger", ojson::object()));
        CHECK(r.field == "jobs[3].trigger.type");
        CHECK(has(r.message, "missing"));
        r = refused(with(minimal_definition(), "trigger", {{"type", "after"}}));
        CHECK(r.message == "jobs[3].trigger.job: missing (the name of the other job)");
        r = refused(with(minimal_definition(), "trigger", {{"type", "later"}}));
        CHECK(r.message == "jobs[3].trigger.type: \"later\" is not cron, every, daily, weekly, "
                           "monthly, at, after, reboot or manual");
        CHECK(refused(with(minimal_definition(), "trigger", {{"type", "hourly"}})).field ==
              "jobs[3].trigger.type");
        r = refused(with(minimal_definition(), "trigger", {{"type", "cron"}}));
        CHECK(r.message == "jobs[3].trigger.expression: missing (a cron trigger needs it)");
        CHECK(refused(with(minimal_definition(), "trigger", {{"type", "weekly"}})).field ==
              "jobs[3].trigger.at");
        // The builder's errors name the key inside the trigger object.
        r = refused(with(minimal_definition(), "trigger",
                         {{"type", "cron"}, {"expression", "60 * * * *"}}));
        CHECK(r.field == "jobs[3].trigger.expression");
        CHECK(has(r.message, "60 is out of range 0-59"));
        CHECK(refused(with(minimal_definition(), "trigger", {{"type", "every"}, {"every", "30s"}}))
                  .field == "jobs[3].trigger.every");
        CHECK(refused(with(minimal_definition(), "trigger",
                           {{"type", "every"}, {"every", "5m"}, {"anchor", "soon"}}))
                  .field == "jobs[3].trigger.anchor");
        CHECK(refused(with(minimal_definition(), "trigger",
                           {{"type", "at"}, {"at", "2020-01-01T00:00:00Z"}}))
                  .field == "jobs[3].trigger.at");
        // A trigger object and a trigger key; two trigger keys.
        auto both = with(minimal_definition(), "trigger", {{"type", "manual"}});
        both["cron"] = "* * * * *";
        r = refused(both);
        CHECK(r.message == "jobs[3].cron: give either \"trigger\" or \"cron\", not both");
        auto two = with(minimal_definition(), "cron", "* * * * *");
        two["daily"] = "09:00";
        CHECK(refused(two).message == "jobs[3].daily: give one trigger only (also given: cron)");
        CHECK(refused(with(minimal_definition(), "anchor", "2026-01-01")).field ==
              "jobs[3].anchor");
    }

    TEST_CASE("hostile: numbers at and past each limit") {
        constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
        constexpr auto uint64_max = std::numeric_limits<std::uint64_t>::max();
        struct Case {
            const char* key;
            ojson accepted; // the limit itself, or null
            ojson refused;  // past it
        };
        const Case cases[] = {
            {"priority", 100, 101},
            {"priority", 0, -1},
            {"max_attempts", 100, 101},
            {"max_attempts", 1, 0},
            {"max_executions", 1'000'000'000, 1'000'000'001},
            {"max_executions", 1, 0},
            {"timeout_seconds", 1, 0},
            {"timeout_seconds", nullptr, -1},
            {"timeout_seconds", nullptr, int64_max},
            {"timeout_seconds", nullptr, uint64_max},
            {"kill_grace_seconds", 0, -1},
            {"kill_grace_seconds", nullptr, std::uint64_t(int64_max) + 1},
            {"kill_grace_seconds", nullptr, std::numeric_limits<std::int64_t>::min()},
            {"misfire_grace_seconds", 1, 0},
            {"jitter_seconds", 86'400, 86'401},
            {"jitter_seconds", 0, -1},
            {"retry_delay_seconds", 0, -1},
            {"retry_max_delay_seconds", nullptr, uint64_max},
        };
        for (const auto& c : cases) {
            const std::string key = c.key;
            CAPTURE(key);
            CAPTURE(c.refused);
            if (!c.accepted.is_null())
                CHECK_NOTHROW(defined(with(minimal_definition(), c.key, c.accepted)));
            auto r = refused(with(minimal_definition(), c.key, c.refused));
            CHECK(r.field == std::string("jobs[3].") + c.key);
        }
        // max_instances needs overlap allow (the hint in the document's terms).
        auto allowed = with(minimal_definition(), "overlap", "allow");
        CHECK(defined(with(allowed, "max_instances", 10'000)).max_instances == 10'000);
        CHECK(refused(with(allowed, "max_instances", 10'001)).field == "jobs[3].max_instances");
        CHECK(refused(with(allowed, "max_instances", 0)).field == "jobs[3].max_instances");
        auto r = refused(with(minimal_definition(), "max_instances", 2));
        CHECK(r.hint == "add \"overlap\": \"allow\"");
        r = refused(with(minimal_definition(), "timeout_seconds", 0));
        CHECK(has(r.message, "use \"timeout_seconds\": null for none"));
        // Counters the store keeps: 0 to 2^53 - 1.
        auto record = with(minimal_definition(), "job_id", "0a1b2c3d");
        for (const char* key : {"execution_count", "failure_count", "scheduled_count"}) {
            CAPTURE(key);
            CHECK(model::job_from_json(with(record, key, model::k_max_count),
                                       model::JobJsonMode::record, read_context()) != model::Job{});
            for (const auto& bad : {ojson(-1), ojson(model::k_max_count + 1), ojson(int64_max),
                                    ojson(std::uint64_t(int64_max) + 1), ojson(uint64_max),
                                    ojson(1e300), ojson(1.0), ojson("1")})
                CHECK(refused(with(record, key, bad), model::JobJsonMode::record).field ==
                      std::string("jobs[3].") + key);
        }
    }

    TEST_CASE("hostile: text the command line refuses is refused the same way") {
        const std::string bad_utf8 = "a\xff\xfe";
        const RefusalCase cases[] = {
            {"name", bad_utf8, "jobs[3].name", "must be valid UTF-8"},
            {"name", "a\x1b[2Jb", "jobs[3].name", "contains a control character"},
            {"name", "a\u0085b", "jobs[3].name", "contains a control character"},
            {"name", "", "jobs[3].name", "must not be empty"},
            {"name", "0a1b2c3d", "jobs[3].name", "looks like a job id"},
            {"owner", bad_utf8, "jobs[3].owner", "must be valid UTF-8"},
            {"owner", "a\tb", "jobs[3].owner", "control character"},
            {"command", std::string("echo a\0b", 8), "jobs[3].command", "must not contain NUL"},
            {"command", "   ", "jobs[3].command", "must not be empty"},
            {"description", std::string("a\0b", 3), "jobs[3].description", "NUL"},
            {"working_dir", "/srv\nx", "jobs[3].working_dir", "newlines"},
            {"working_dir", "srv", "jobs[3].working_dir", "absolute"},
            {"tags", {{"team", "in\x01fra"}}, "jobs[3].tags", "without control characters"},
            {"tags", {{"te,am", nullptr}}, "jobs[3].tags", "must not contain ','"},
            {"tags", {{bad_utf8, nullptr}}, "jobs[3].tags", "valid UTF-8"},
            {"env", {{"1A", "x"}}, "jobs[3].env", "not a valid variable name"},
            {"env", {{"SCHEDULE_ID", "x"}}, "jobs[3].env", "set by the scheduler"},
            {"env", {{"A", std::string("a\0b", 3)}}, "jobs[3].env", "NUL"},
            {"task_type", "has space", "jobs[3].task_type", "is not a task type"},
            {"timezone", "Nowhere/Land", "jobs[3].timezone", ""},
            {"run_as", "-x", "jobs[3].run_as", "is not a user name"},
            {"overlap", "sometimes", "jobs[3].overlap", "is not skip, queue, allow or replace"},
            {"dst_gap", "RUN ", "jobs[3].dst_gap", "is not run or skip"},
            {"retry_on", ojson::array(), "jobs[3].retry_on", "give timeout, lost"},
            {"retry_on", ojson::array({"exit:0"}), "jobs[3].retry_on", "is not timeout"},
            {"start_date", "tomorrow", "jobs[3].start_date", ""},
            {"cron", "0 0 30 2 *", "jobs[3].cron", ""},
            {"daily", "25:00", "jobs[3].daily", "hour 25 is out of range"},
        };
        for (const auto& c : cases)
            check_refusal(c);
        // What the command line allows, a document allows too.
        auto job = defined(with(with(minimal_definition(), "description", "tab\t\x01 \u00e9"),
                                "env", {{"A", "line\nbreak\x1b"}}));
        CHECK(job.description == "tab\t\x01 \u00e9");
        CHECK(job.env == std::vector<model::EnvVar>{{"A", "line\nbreak\x1b"}});
        // A task config is a task job's, nested at most 64 levels.
        auto task = ojson{{"name", "t"}, {"task_type", "report"}};
        CHECK(defined(with(task, "task_config", {{"b", 1}, {"a", {{"c", nullptr}}}})).task_config ==
              R"({"a":{"c":null},"b":1})");
        CHECK(refused(with(minimal_definition(), "task_config", ojson::object())).field ==
              "jobs[3].task_config");
        ojson deep = ojson::object();
        for (int i = 0; i < 100'000; ++i)
            deep = ojson{{"d", std::move(deep)}};
        auto r = refused(with(task, "task_config", std::move(deep)));
        CHECK(r.message == "jobs[3].task_config: nested more than 64 levels deep");
    }

    TEST_CASE("hostile: strings of 10 MB are refused by length, in short messages") {
        const std::string big(10'000'000, 'x');
        const std::pair<const char*, ojson> cases[] = {
            {"name", big},
            {"description", big},
            {"command", big},
            {"owner", big},
            {"working_dir", "/" + big},
            {"task_type", big},
            {"run_as", big},
            {"timezone", big},
            {"cron", big},
            {"every", big},
            {"at", big},
            {"start_date", big},
            {"overlap", big},
            {"tags", {{big, nullptr}}},
            {"tags", {{"k", big}}},
            {"env", {{big, "v"}}},
            {"env", {{"A", big}}},
            {"retry_on", ojson::array({big})},
            {"priority", big},
            {"daily", big},
            {"weekly", big},
            {"monthly", big},
            {"backoff", big},
            {"dst_overlap", big},
        };
        for (const auto& [name, value] : cases) {
            const std::string key = name;
            CAPTURE(key);
            auto r = refused(definition_with(key, value));
            CHECK(r.field == std::string("jobs[3].") + key);
            CHECK(r.message.size() < 1000);
        }
        auto task = ojson{{"name", "t"}, {"task_type", "report"}, {"task_config", {{"k", big}}}};
        CHECK(has(refused(task).message, "64 KiB"));
    }

    TEST_CASE("hostile: record mode's own keys") {
        auto record = with(minimal_definition(), "job_id", "0a1b2c3d");
        auto read = [](const ojson& o) {
            return model::job_from_json(o, model::JobJsonMode::record, read_context(), "jobs[3]");
        };
        auto refused_record = [](const ojson& o) { return refused(o, model::JobJsonMode::record); };
        CHECK(read(record).id == "0a1b2c3d");
        auto r = refused_record(minimal_definition());
        CHECK(r.field == "jobs[3].job_id");
        CHECK(has(r.message, "missing"));
        for (const auto& id : {ojson("0A1B2C3D"), ojson("0a1b2c3"), ojson("0a1b2c3dd"),
                               ojson("0a1b2c3g"), ojson(12345678)})
            CHECK(refused_record(with(record, "job_id", id)).field == "jobs[3].job_id");

        r = refused_record(with(record, "status", "paused"));
        CHECK(r.message == "jobs[3].status: \"paused\" does not agree with \"enabled\": true");
        auto paused = with(record, "enabled", false);
        CHECK(read(with(paused, "status", "paused")).status == model::JobStatus::paused);
        CHECK(refused_record(with(paused, "status", "active")).field == "jobs[3].status");
        CHECK(read(with(paused, "status", "finished")).status == model::JobStatus::finished);
        CHECK(refused_record(with(record, "status", "done")).field == "jobs[3].status");

        CHECK(read(with(record, "last_status", "failed")).last_status == "failed");
        CHECK(refused_record(with(record, "last_status", "fine")).field == "jobs[3].last_status");
        CHECK(refused_record(with(record, "last_status", 1)).field == "jobs[3].last_status");
        CHECK(read(with(record, "last_execution", nullptr)).last_execution == std::nullopt);
        for (const char* key : {"created_at", "updated_at", "last_execution"}) {
            CAPTURE(key);
            CHECK(refused_record(with(record, key, "yesterday")).field ==
                  std::string("jobs[3].") + key);
            CHECK(refused_record(with(record, key, "0001-01-01T00:00:00Z")).field ==
                  std::string("jobs[3].") + key);
            CHECK(refused_record(with(record, key, 1767225600)).field ==
                  std::string("jobs[3].") + key);
        }
        CHECK(refused_record(with(record, "created_at", nullptr)).field == "jobs[3].created_at");
        // Read in the job's zone when the text has no offset.
        auto berlin = with(record, "timezone", "Europe/Berlin");
        CHECK(read(with(berlin, "created_at", "2026-01-01T01:00")).created_at == k_read_now);
    }
}
