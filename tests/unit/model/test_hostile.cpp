// Hostile input for every parser of user input below the store: cron
// expressions, durations, date-times, tags, environment variables, time
// windows, job links, every field of the job builder, the JSON job reader
// in both modes, and crontabs built as `import crontab` builds them. Each
// table tries the kinds of text of support/hostile.hpp and the parser's
// own cases; a refusal must be the parser's documented error, in one clean
// line naming the field (support/hostile.hpp says what clean means). The
// backup documents and apply files are tried in backup/test_hostile.cpp.

#include "../support/hostile.hpp"
#include "../support/time_helpers.hpp"

#include <schedule/cron/expression.hpp>
#include <schedule/model/crontab.hpp>
#include <schedule/model/job_builder.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/settings.hpp>
#include <schedule/model/trigger.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/model/window.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>
#include <schedule/util/strings.hpp>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace schedule;
using ojson = nlohmann::ordered_json;
using model::Field;
using model::JobSpec;
using schedule::test::Expect;
using schedule::test::HostileCase;
using schedule::test::Outcome;

namespace {

// The one other job links may name: "other", id 0b0b0b0b.
std::optional<std::pair<std::string, std::string>> find_other(const std::string& ref) {
    if (ref == "other" || ref == "0b0b0b0b")
        return std::pair<std::string, std::string>("0b0b0b0b", "other");
    return std::nullopt;
}

// A job's JSON text reads back (record mode) to the same text: what the
// builder accepted, a backup restores.
void check_round_trip(model::Job job) {
    job.id = "0a1b2c3d";
    const auto text = model::job_json_text(job, time::Zone::utc(), true);
    std::string again;
    try {
        const auto read = model::job_from_json(ojson::parse(text), model::JobJsonMode::record,
                                               test::hostile_context(), "jobs[0]");
        again = model::job_json_text(read, time::Zone::utc(), true);
    } catch (const std::exception& e) {
        again = std::string("refused: ") + e.what();
    }
    CHECK_MESSAGE(again == text, util::escape_control(text.substr(0, 300)));
}

// build_job (and resolve_links, unless `resolve` is no) with the command
// line's flags on the spec of a job "h" running "true", changed by `fill`.
// An accepted job must read back from its JSON.
enum class Resolve { no, yes };
Outcome build_with(const std::function<void(JobSpec&)>& fill,
                   const model::BuildContext& ctx = test::hostile_context(),
                   Resolve resolve = Resolve::yes) {
    JobSpec spec;
    spec.name = "h";
    spec.command = "true";
    fill(spec);
    model::Job job;
    auto o = test::outcome_of_call([&] {
        job = model::build_job(spec, ctx, model::FlagNamer{});
        if (resolve == Resolve::yes)
            model::resolve_links(job, find_other, model::FlagNamer{});
    });
    if (o.accepted)
        check_round_trip(job);
    return o;
}

// The text a JSON string holds when `text` is written to a document:
// invalid UTF-8 becomes U+FFFD (a document's reader refuses it outright).
std::string as_json(const std::string& text) {
    return ojson::parse(model::dump_json(ojson(text))).get<std::string>();
}

// `text` with `part` at the place of the first "@".
std::string put(std::string_view text, const std::string& part) {
    std::string out(text);
    out.replace(out.find('@'), 1, part);
    return out;
}

// The generic texts put into `pattern` at its "@" (labelled "LABEL in
// PATTERN"), for the labels given (all when empty).
std::vector<HostileCase> embedded(std::string_view pattern, const std::set<std::string>& only = {},
                                  const std::set<std::string>& accepted = {}) {
    std::vector<HostileCase> out;
    for (const auto& h : test::hostile_texts())
        if (only.empty() || only.count(h.label))
            out.push_back({h.label + " in " + std::string(pattern), put(pattern, h.text),
                           accepted.count(h.label) ? Expect::accepted : Expect::refused});
    return out;
}

std::vector<HostileCase> joined(std::initializer_list<std::vector<HostileCase>> parts) {
    std::vector<HostileCase> out;
    for (const auto& part : parts)
        out.insert(out.end(), part.begin(), part.end());
    return out;
}

// The cases with those labelled `accepted` accepted, the rest refused.
std::vector<HostileCase> expecting(std::vector<HostileCase> cases,
                                   const std::set<std::string>& accepted) {
    for (auto& c : cases)
        c.expect = accepted.count(c.label) ? Expect::accepted : Expect::refused;
    return cases;
}

// A flag of job create whose value a table tries: how the spec gets
// it, and the labels of the cases it accepts.
struct Flag {
    const char* flag;
    std::function<void(JobSpec&, const std::string&)> set;
    std::set<std::string> accepted;
};

// Tries `cases` with each flag (through build_with), expecting what the
// flag accepts; returns how many were tried.
std::size_t run_flags(const std::vector<HostileCase>& cases, const std::vector<Flag>& flags) {
    std::size_t n = 0;
    for (const auto& flag : flags) {
        CAPTURE(flag.flag);
        n += test::run_table(
            expecting(cases, flag.accepted),
            [&](const std::string& t) { return build_with([&](JobSpec& s) { flag.set(s, t); }); },
            flag.flag);
    }
    return n;
}

// Labels of the generic texts that are numbers or text a label field
// takes as it is (valid UTF-8, no control character).
const std::set<std::string> k_printable =
    test::labels_of({test::Kind::unicode, test::Kind::number, test::Kind::text});

const std::set<std::string> k_small_numbers = {"zero", "leading zeros"};

} // namespace

TEST_SUITE("model::hostile") {

    TEST_CASE("cron expressions: refused with the field at fault, never accepted by accident") {
        const std::set<std::string> fields_only = {
            "csi escape",
            "nul inside",
            "invalid bytes",
            "overlong slash",
            "emoji",
            "rtl override",
            "int64 max",
            "uint64 max + 1",
            "huge digits",
            "huge letters",
            "huge multibyte",
            "minus one",
            "plus sign",
            "hex",
            "fraction",
            "1e400",
            "fullwidth digits",
            "arabic-indic digits",
            "huge list",
            "del",
        };
        auto cases = test::hostile_cases({});
        for (const char* pattern : {"@ * * * *", "0 @ * * *", "0 0 @ * *", "0 0 1 @ *", "0 0 * * @",
                                    "*/@ * * * *", "0 0 1-@ * *"})
            cases = joined({cases, embedded(pattern, fields_only)});
        cases = joined(
            {cases,
             {
                 {"leading zeros everywhere", "007 007 007 007 007", Expect::accepted},
                 {"tabs and newlines between fields", "0\t0\n*\t*\t*", Expect::accepted},
                 {"a list of every minute",
                  "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,"
                  "15,16,17,18,19,20,21,22,23,24,25,26,"
                  "27,28,29,30,31,32,33,34,35,36,37,38,"
                  "39,40,41,42,43,44,45,46,47,48,49,50,"
                  "51,52,53,54,55,56,57,58,59 * * * *",
                  Expect::accepted},
                 {"a field of 1 MiB of valid values",
                  test::repeated("0,", test::k_huge) + "0 * * * *", Expect::refused},
                 {"a step of 1 MiB of digits",
                  "*/" + test::repeated("1", test::k_huge) + " * * * *", Expect::refused},
                 {"a value of 1 MiB of digits", "0 0 " + test::repeated("3", test::k_huge) + " * *",
                  Expect::refused},
                 {"never fires, with a huge day list",
                  "0 0 " + test::repeated("30,", test::k_huge) + "30 2 *", Expect::refused},
                 {"six fields", "0 0 0 * * *", Expect::refused},
                 {"a crontab line", "0 0 * * * /bin/true", Expect::refused},
                 {"macro with an escape", "@daily\x1b[2J", Expect::refused},
                 {"macro of 1 MiB", "@" + test::repeated("d", test::k_huge), Expect::refused},
                 {"reboot in capitals", "@REBOOT", Expect::accepted},
                 {"step after a name", "0 0 * JAN/2 *", Expect::accepted},
                 {"range to 2^31", "0 0 1-2147483648 * *", Expect::refused},
                 {"step 2^31", "*/2147483648 * * * *", Expect::refused},
                 {"negative step", "*/-1 * * * *", Expect::refused},
                 {"question mark", "0 0 ? * *", Expect::refused},
                 {"L and W", "0 0 L * 5W", Expect::refused},
             }});
        std::size_t n = test::run_table(
            cases, [](const std::string& t) { return test::outcome_of(cron::parse(t)); });
        n += test::run_table(cases, [](const std::string& t) {
            return test::outcome_of(model::parse_cron_trigger(t));
        });
        n += test::run_table(
            cases, [](const std::string& t) { return build_with([&](JobSpec& s) { s.cron = t; }); },
            "--cron");
        MESSAGE(n << " hostile cron expressions tried");
    }

    TEST_CASE("durations: each flag that takes one refuses in one line naming itself") {
        auto cases = test::hostile_cases(
            k_small_numbers,
            {
                {"the largest, in seconds", "3162240000", Expect::accepted},
                {"one past the largest", "3162240001", Expect::refused},
                {"the largest, in days", "36600d", Expect::accepted},
                {"past the largest, in weeks", "5229w", Expect::refused},
                {"every unit", "1w1d1h1m1s", Expect::accepted},
                {"units out of order", "1s1m", Expect::refused},
                {"a unit twice", "1h1h", Expect::refused},
                {"a space inside", "1h 30m", Expect::refused},
                {"an escape as the unit", "5\x1b[31m", Expect::refused},
                {"an override as the unit", "5\xe2\x80\xae", Expect::refused},
                {"a unit of 1 MiB", "5" + test::repeated("x", test::k_huge), Expect::refused},
                {"a unit of 1 MiB of escapes", "5" + test::repeated("\x1b", test::k_huge),
                 Expect::refused},
                {"digits past int64 with a unit", "99999999999999999999s", Expect::refused},
                {"int64 max seconds", "9223372036854775807s", Expect::refused},
                {"int64 max weeks", "9223372036854775807w", Expect::refused},
                {"exponent", "1e3s", Expect::refused},
                {"years", "1y", Expect::refused},
                {"NUL after the unit", std::string("5m\0", 3), Expect::refused},
            });
        std::size_t n = test::run_table(
            cases, [](const std::string& t) { return test::outcome_of(time::parse_duration(t)); });
        // The flags' own ranges: those of the generic cases each accepts.
        const std::set<std::string> any_length = {"zero", "leading zeros", "every unit",
                                                  "the largest, in seconds",
                                                  "the largest, in days"};
        const std::vector<Flag> flags = {
            {"--timeout",
             [](JobSpec& s, const std::string& t) { s.timeout = t; },
             {"leading zeros", "every unit", "the largest, in seconds", "the largest, in days"}},
            {"--every",
             [](JobSpec& s, const std::string& t) { s.every = t; },
             {"the largest, in seconds", "the largest, in days"}},
            {"--jitter",
             [](JobSpec& s, const std::string& t) { s.jitter = t; },
             {"zero", "leading zeros"}},
            {"--kill-grace", [](JobSpec& s, const std::string& t) { s.kill_grace = t; },
             any_length},
            {"--misfire-grace",
             [](JobSpec& s, const std::string& t) { s.misfire_grace = t; },
             {"leading zeros", "every unit", "the largest, in seconds", "the largest, in days"}},
            {"--retry-delay",
             [](JobSpec& s, const std::string& t) { s.retry_delay = t; },
             {"zero", "leading zeros"}},
            {"--retry-max-delay",
             [](JobSpec& s, const std::string& t) { s.retry_max_delay = t; },
             {"every unit", "the largest, in seconds", "the largest, in days"}},
        };
        n += run_flags(cases, flags);
        MESSAGE(n << " hostile durations tried");
    }

    TEST_CASE("date-times: --at, --start-date, --end-date and --anchor") {
        const std::vector<HostileCase> own = {
            {"a date", "2026-12-25", Expect::accepted},
            {"a date and time", "2026-12-25T10:00", Expect::accepted},
            {"a space and seconds", "2026-12-25 10:00:30", Expect::accepted},
            {"lower case t and z", "2026-12-25t10:00z", Expect::accepted},
            {"blanks around", "  2026-12-25T10:00  ", Expect::accepted},
            {"a fraction of 1 MiB", "2026-12-25T10:00:00." + test::repeated("9", test::k_huge),
             Expect::accepted},
            {"a leap second", "2026-12-31T23:59:60Z", Expect::accepted},
            {"offset +18:00", "2026-12-25T10:00+18:00", Expect::accepted},
            {"offset +1801", "2026-12-25T10:00+1801", Expect::refused},
            {"offset +1", "2026-12-25T10:00+1", Expect::refused},
            {"offset +24:00", "2026-12-25T10:00+24:00", Expect::refused},
            {"February 29 of 2026", "2026-02-29", Expect::refused},
            {"February 29 of 2028", "2028-02-29", Expect::accepted},
            {"month 13", "2026-13-01", Expect::refused},
            {"month 0", "2026-00-10", Expect::refused},
            {"day 32", "2026-01-32", Expect::refused},
            {"hour 24", "2026-12-25T24:00", Expect::refused},
            {"minute 60", "2026-12-25T10:60", Expect::refused},
            {"second 61", "2026-12-25T10:00:61", Expect::refused},
            {"year 0", "0000-01-01", Expect::refused},
            {"year 1969", "1969-12-31T23:59:59Z", Expect::refused},
            {"year 10000", "10000-01-01", Expect::refused},
            {"the last second", "9999-12-31T23:59:59Z", Expect::accepted},
            {"past the end by its offset", "9999-12-31T23:59:59-01:00", Expect::accepted},
            {"before the start by its offset", "1970-01-01T00:00:00+01:00", Expect::accepted},
            {"a sign before the year", "+2026-12-25", Expect::refused},
            {"short fields", "2026-1-5", Expect::refused},
            {"a T and nothing", "2026-12-25T", Expect::refused},
            {"a fraction without digits", "2026-12-25T10:00:00.Z", Expect::refused},
            {"fullwidth year", "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x96-12-25",
             Expect::refused},
            {"an escape after it", "2026-12-25T10:00\x1b[31m", Expect::refused},
            {"a NUL inside", std::string("2026-12-25\0T10:00", 16), Expect::refused},
            {"an override after it", "2026-12-25\xe2\x80\xae", Expect::refused},
            {"junk after Z", "2026-12-25T10:00Z junk", Expect::refused},
            {"1 MiB after it", "2026-12-25T10:00Z" + test::repeated("x", test::k_huge),
             Expect::refused},
            {"SQL after it", "2026-12-25'; DROP TABLE jobs; --", Expect::refused},
        };
        auto cases = test::hostile_cases({}, own);
        std::size_t n = test::run_table(
            cases, [](const std::string& t) { return test::outcome_of(time::parse_iso8601(t)); });
        n += test::run_table(cases, [](const std::string& t) {
            return test::outcome_of(time::parse_instant(t, time::Zone::utc()));
        });
        // In a job: within 1970-9999 in UTC and the job's zone; --at and
        // --end-date after now (2026-01-15T10:00Z).
        const std::set<std::string> in_range = {
            "a date",
            "a date and time",
            "a space and seconds",
            "lower case t and z",
            "blanks around",
            "a fraction of 1 MiB",
            "a leap second",
            "offset +18:00",
            "February 29 of 2028",
            "the last second",
        };
        std::set<std::string> from_1970 = in_range;
        from_1970.insert("1970-01-01T00:00:00Z");
        const std::vector<Flag> flags = {
            {"--at", [](JobSpec& s, const std::string& t) { s.at = t; }, in_range},
            {"--end-date", [](JobSpec& s, const std::string& t) { s.end_date = t; }, in_range},
            {"--start-date", [](JobSpec& s, const std::string& t) { s.start_date = t; }, from_1970},
            {"--anchor",
             [](JobSpec& s, const std::string& t) {
                 s.every = "15m";
                 s.anchor = t;
             },
             from_1970},
        };
        cases.push_back({"1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", Expect::refused});
        n += run_flags(cases, flags);
        MESSAGE(n << " hostile date-times tried");
    }

    TEST_CASE("tags: --tag KEY[=VALUE] and a document's tags object") {
        const auto values =
            test::labels_of({test::Kind::empty, test::Kind::blank, test::Kind::unicode,
                             test::Kind::number, test::Kind::text});
        auto cases = test::hostile_cases(
            k_printable,
            joined(
                {embedded("team=@", {}, values),
                 {
                     {"a key of 64 characters", std::string(64, 'k'), Expect::accepted},
                     {"a key of 65 characters", std::string(65, 'k'), Expect::refused},
                     {"a value of 256 characters", "k=" + std::string(256, 'v'), Expect::accepted},
                     {"a value of 257 characters", "k=" + std::string(257, 'v'), Expect::refused},
                     {"an empty value", "k=", Expect::accepted},
                     {"an '=' in the value", "k=a=b", Expect::accepted},
                     {"an empty key", "=v", Expect::refused},
                     {"a ',' in the key", "a,b=c", Expect::refused},
                     {"a key with a leading space", " k=v", Expect::refused},
                     {"a key with an escape", "k\x1b[31m=v", Expect::refused},
                     {"a value with an override",
                      "k=\xe2\x80\xae"
                      "v",
                      Expect::accepted},
                 }}));
        std::size_t n = test::run_table(
            cases, [](const std::string& t) { return test::outcome_of(model::parse_tag(t)); });
        n += test::run_table(
            cases,
            [](const std::string& t) {
                return build_with([&](JobSpec& s) { s.tags = std::vector<std::string>{t}; });
            },
            "--tag");
        // As a document gives them: the key and the value apart.
        auto check = [](const model::Tag& tag) {
            auto f = model::check_tag(tag);
            return f ? Outcome{false, f->message, std::nullopt} : Outcome{true, {}, std::nullopt};
        };
        // A key holds no '=' (the text "1 OR 1=1" is the key "1 OR 1").
        auto keys = k_printable;
        keys.erase("sql or");
        keys.erase("sql quote");
        n += test::run_table(test::hostile_cases(keys), [&](const std::string& t) {
            return check({t, std::nullopt});
        });
        n += test::run_table(test::hostile_cases(values), [&](const std::string& t) {
            return check({"k", t});
        });
        MESSAGE(n << " hostile tags tried");
    }

    TEST_CASE("environment variables: --env NAME=value and a document's env object") {
        auto cases = test::hostile_cases(
            {},
            joined(
                {embedded(
                     "A=@", {},
                     test::labels_of({test::Kind::empty, test::Kind::blank, test::Kind::unicode,
                                      test::Kind::control, test::Kind::number, test::Kind::text})),
                 embedded("@=1", {}, {"nan", "infinity"}),
                 {
                     {"a value of 64 KiB", "A=" + std::string(65536, 'v'), Expect::accepted},
                     {"a value of 64 KiB and one byte", "A=" + std::string(65537, 'v'),
                      Expect::refused},
                     {"a name of 256 characters", std::string(256, 'N') + "=1", Expect::accepted},
                     {"a name of 257 characters", std::string(257, 'N') + "=1", Expect::refused},
                     {"an underscore", "_=1", Expect::accepted},
                     {"a lower-case schedule_ name", "schedule_x=1", Expect::accepted},
                     {"a SCHEDULE_ name", "SCHEDULE_X=1", Expect::refused},
                     {"a name starting with a digit", "1A=1", Expect::refused},
                     {"a blank in the name", "A B=1", Expect::refused},
                     {"a letter that is not ASCII", "\xc3\x84=1", Expect::refused},
                     {"no '='", "A", Expect::refused},
                     {"a command substitution", "PATH=/bin:$(rm -rf /)", Expect::accepted},
                 }}));
        std::size_t n = test::run_table(
            cases, [](const std::string& t) { return test::outcome_of(model::parse_env(t)); });
        n += test::run_table(
            cases,
            [](const std::string& t) {
                return build_with([&](JobSpec& s) { s.env = std::vector<std::string>{t}; });
            },
            "--env");
        auto check = [](const model::EnvVar& var) {
            auto f = model::check_env(var);
            return f ? Outcome{false, f->message, std::nullopt} : Outcome{true, {}, std::nullopt};
        };
        n += test::run_table(test::hostile_cases({"nan", "infinity"}), [&](const std::string& t) {
            return check({t, "1"});
        });
        MESSAGE(n << " hostile environment variables tried");
    }

    TEST_CASE("time windows: [DAYS] HH:MM-HH:MM [ZONE]") {
        const std::set<std::string> parts = {
            "csi escape",
            "osc title",
            "bell",
            "del",
            "c1 csi",
            "nul inside",
            "rtl override",
            "invalid bytes",
            "overlong slash",
            "emoji",
            "huge letters",
            "huge digits",
            "huge multibyte",
            "int64 max",
            "minus one",
            "sql drop",
            "format string",
            "fullwidth digits",
            "carriage return",
            "backspace",
        };
        auto cases = test::hostile_cases(
            {},
            joined(
                {embedded("@ 09:00-17:00", parts),
                 embedded("Mon-Fri @", parts),
                 embedded("Mon-Fri 09:00-17:00 @", parts),
                 {
                     {"days and a zone", "Mon-Fri 09:00-17:00 Europe/Berlin", Expect::accepted},
                     {"every day", "09:00-17:00", Expect::accepted},
                     {"24:00", "22:00-24:00", Expect::accepted},
                     {"a start at 24:00", "24:00-01:00", Expect::refused},
                     {"equal ends", "09:00-09:00", Expect::refused},
                     {"times of 1 MiB", "09:00-" + test::repeated("1", test::k_huge),
                      Expect::refused},
                     {"a day list of 1 MiB",
                      test::repeated("Mon,", test::k_huge) + "Tue 09:00-17:00", Expect::accepted},
                     {"a zone path outside the database", "09:00-17:00 ../../../etc/passwd",
                      Expect::refused},
                     {"a zone named by an absolute path", "09:00-17:00 /usr/share/zoneinfo/UTC",
                      Expect::refused},
                     {"three words of days", "Mon Tue Wed 09:00-17:00", Expect::refused},
                     {"hour 2^53", "9007199254740992:00-10:00", Expect::refused},
                 }}));
        std::size_t n = test::run_table(
            cases, [](const std::string& t) { return test::outcome_of(model::parse_window(t)); });
        n += test::run_table(
            cases,
            [](const std::string& t) {
                return build_with([&](JobSpec& s) { s.windows = std::vector<std::string>{t}; });
            },
            "--window");
        MESSAGE(n << " hostile time windows tried");
    }

    TEST_CASE("job links: --depends-on JOB[:STATE[:TIMEOUT]], --after JOB[:STATE], "
              "--conflicts-with JOB") {
        // The text reads as a link to a job named by whatever it holds;
        // only "other" is a job, so the rest are refused once resolved.
        const std::set<std::string> parts = {
            "empty",       "csi escape", "nul inside",     "invalid bytes", "huge letters",
            "huge digits", "int64 max",  "minus one",      "1e400",         "rtl override",
            "sql drop",    "emoji",      "huge multibyte",
        };
        auto cases = test::hostile_cases(
            {}, joined({embedded("@", parts),
                        embedded("other:@", parts),
                        embedded("other:completed:@", parts),
                        {
                            {"the job", "other", Expect::accepted},
                            {"the job by id", "0b0b0b0b", Expect::accepted},
                            {"a state", "other:failed", Expect::accepted},
                            {"a name with colons that is no job", "a:b:c", Expect::refused},
                            {"a state of another case", "other:FAILED", Expect::refused},
                            {"only a colon", ":", Expect::refused},
                            {"only a state", ":completed", Expect::refused},
                        }}));
        // parse_job_link reads every text with a name: what it leaves to
        // resolve_links is whether the job exists.
        std::size_t n = 0;
        for (auto form : {model::LinkForm::state, model::LinkForm::state_timeout}) {
            n += test::run_table(cases, [&](const std::string& t) {
                auto link = model::parse_job_link(t, form);
                if (!link)
                    return test::outcome_of(link);
                auto found = find_other(link->job_name);
                if (found)
                    return Outcome{true, {}, std::nullopt};
                return Outcome{false, "no job " + util::quoted(link->job_name), std::nullopt};
            });
        }
        const std::vector<Flag> flags = {
            {"--depends-on",
             [](JobSpec& s, const std::string& t) { s.depends_on = std::vector<std::string>{t}; },
             {"the job", "the job by id", "a state"}},
            {"--after",
             [](JobSpec& s, const std::string& t) { s.after = t; },
             {"the job", "the job by id", "a state"}},
            {"--conflicts-with",
             [](JobSpec& s, const std::string& t) {
                 s.conflicts_with = std::vector<std::string>{t};
             },
             {"the job", "the job by id"}},
        };
        n += run_flags(cases, flags);
        MESSAGE(n << " hostile job links tried");
    }

    TEST_CASE("the job builder: every field of job create, each hostile text") {
        // Whatever each field accepts must read back from the job's JSON
        // (build_with checks); what it refuses, it refuses naming itself.
        struct Setter {
            Field field;
            std::function<void(JobSpec&, const std::string&)> set;
        };
        const Setter setters[] = {
            {Field::name, [](JobSpec& s, const std::string& t) { s.name = t; }},
            {Field::description, [](JobSpec& s, const std::string& t) { s.description = t; }},
            {Field::daily, [](JobSpec& s, const std::string& t) { s.daily = t; }},
            {Field::weekly, [](JobSpec& s, const std::string& t) { s.weekly = t; }},
            {Field::monthly, [](JobSpec& s, const std::string& t) { s.monthly = t; }},
            {Field::dst_gap, [](JobSpec& s, const std::string& t) { s.dst_gap = t; }},
            {Field::dst_overlap, [](JobSpec& s, const std::string& t) { s.dst_overlap = t; }},
            {Field::outside_window, [](JobSpec& s, const std::string& t) { s.outside_window = t; }},
            {Field::command, [](JobSpec& s, const std::string& t) { s.command = t; }},
            {Field::task_type,
             [](JobSpec& s, const std::string& t) {
                 s.command.reset();
                 s.task_type = t;
             }},
            {Field::task_config,
             [](JobSpec& s, const std::string& t) {
                 s.command.reset();
                 s.task_type = "report";
                 s.task_config = t;
             }},
            {Field::priority, [](JobSpec& s, const std::string& t) { s.priority = t; }},
            {Field::owner, [](JobSpec& s, const std::string& t) { s.owner = t; }},
            {Field::timezone, [](JobSpec& s, const std::string& t) { s.timezone = t; }},
            {Field::working_dir, [](JobSpec& s, const std::string& t) { s.working_dir = t; }},
            {Field::run_as, [](JobSpec& s, const std::string& t) { s.run_as = t; }},
            {Field::overlap, [](JobSpec& s, const std::string& t) { s.overlap = t; }},
            {Field::max_instances,
             [](JobSpec& s, const std::string& t) {
                 s.overlap = "allow";
                 s.max_instances = t;
             }},
            {Field::catchup, [](JobSpec& s, const std::string& t) { s.catchup = t; }},
            {Field::max_executions, [](JobSpec& s, const std::string& t) { s.max_executions = t; }},
            {Field::max_attempts, [](JobSpec& s, const std::string& t) { s.max_attempts = t; }},
            {Field::backoff, [](JobSpec& s, const std::string& t) { s.backoff = t; }},
            {Field::retry_on, [](JobSpec& s, const std::string& t) { s.retry_on = t; }},
            {Field::on_failure, [](JobSpec& s, const std::string& t) { s.on_failure = t; }},
            {Field::on_retry, [](JobSpec& s, const std::string& t) { s.on_retry = t; }},
            {Field::on_success, [](JobSpec& s, const std::string& t) { s.on_success = t; }},
        };
        auto cases = test::hostile_cases({});
        for (auto& c : cases)
            c.expect = Expect::either;
        std::size_t n = 0;
        for (const auto& setter : setters) {
            const std::string flag(model::flag_of(setter.field));
            CAPTURE(flag);
            n += test::run_table(
                cases,
                [&](const std::string& t) {
                    return build_with([&](JobSpec& s) { setter.set(s, t); });
                },
                flag);
        }
        // --enabled is job update's.
        n += test::run_table(
            cases,
            [](const std::string& t) {
                JobSpec spec;
                spec.enabled = t;
                return test::outcome_of_call([&] {
                    model::change_job(model::Job{}, spec, test::hostile_context(),
                                      model::FlagNamer{});
                });
            },
            "--enabled");
        MESSAGE(n << " hostile values of the other job fields tried");
    }

    TEST_CASE("the JSON job reader, both modes: what the command line refuses, and JSON's own") {
        using Mode = model::JobJsonMode;
        auto record_context = test::hostile_context();
        record_context.keep_past = true;
        // The job object read at jobs[0]: {"name": "h", "command": "true"}
        // (and a job id in record mode) with `members` (JSON text) added.
        auto read = [&](Mode mode, const std::string& members) {
            std::string text = R"({"name":"h","command":"true")";
            if (mode == Mode::record)
                text += R"(,"job_id":"0a1b2c3d")";
            text += members + "}";
            const auto object = ojson::parse(text);
            return test::outcome_of_call([&] {
                model::job_from_json(
                    object, mode, mode == Mode::record ? record_context : test::hostile_context(),
                    "jobs[0]");
            });
        };
        auto member = [](const std::string& key, const ojson& value) {
            return "," + model::dump_json(ojson(key)) + ":" + model::dump_json(value);
        };
        // Compares the reader's outcome with the expectation; a refusal
        // names the key's path.
        auto check = [](const HostileCase& c, const Outcome& o, const std::string& path) {
            test::check_outcome(c, o);
            if (!o.accepted && c.expect != Expect::accepted) {
                CAPTURE(c.label);
                CHECK(o.field.value_or("").starts_with(path));
            }
        };
        // Keys whose string value is the flag's text: the reader accepts
        // what the flag accepts. `members` (JSON) are added before the key.
        using Set = std::function<void(JobSpec&, const std::string&)>;
        using Value = std::function<ojson(const std::string&)>;
        struct TextKey {
            TextKey(const char* k, Set s, Value v = nullptr, std::string m = {})
                : key(k), set(std::move(s)),
                  value(v ? std::move(v) : [](const std::string& t) { return ojson(t); }),
                  members(std::move(m)) {}
            const char* key;
            Set set;
            Value value;
            std::string members;
        };
        const TextKey text_keys[] = {
            {"name", [](JobSpec& s, const std::string& t) { s.name = t; }},
            {"description", [](JobSpec& s, const std::string& t) { s.description = t; }},
            {"timezone", [](JobSpec& s, const std::string& t) { s.timezone = t; }},
            {"command", [](JobSpec& s, const std::string& t) { s.command = t; }},
            {"owner", [](JobSpec& s, const std::string& t) { s.owner = t; }},
            {"working_dir", [](JobSpec& s, const std::string& t) { s.working_dir = t; }},
            {"run_as", [](JobSpec& s, const std::string& t) { s.run_as = t; }},
            {"overlap", [](JobSpec& s, const std::string& t) { s.overlap = t; }},
            {"catchup", [](JobSpec& s, const std::string& t) { s.catchup = t; }},
            {"backoff", [](JobSpec& s, const std::string& t) { s.backoff = t; }},
            {"on_failure", [](JobSpec& s, const std::string& t) { s.on_failure = t; }},
            {"on_retry", [](JobSpec& s, const std::string& t) { s.on_retry = t; }},
            {"on_success", [](JobSpec& s, const std::string& t) { s.on_success = t; }},
            {"dst_gap", [](JobSpec& s, const std::string& t) { s.dst_gap = t; }},
            {"dst_overlap", [](JobSpec& s, const std::string& t) { s.dst_overlap = t; }},
            {"start_date", [](JobSpec& s, const std::string& t) { s.start_date = t; }},
            {"end_date", [](JobSpec& s, const std::string& t) { s.end_date = t; }},
            {"outside_window", [](JobSpec& s, const std::string& t) { s.outside_window = t; }},
            {"cron", [](JobSpec& s, const std::string& t) { s.cron = t; }},
            {"every", [](JobSpec& s, const std::string& t) { s.every = t; }},
            {"daily", [](JobSpec& s, const std::string& t) { s.daily = t; }},
            {"weekly", [](JobSpec& s, const std::string& t) { s.weekly = t; }},
            {"monthly", [](JobSpec& s, const std::string& t) { s.monthly = t; }},
            {"at", [](JobSpec& s, const std::string& t) { s.at = t; }},
            {"after", [](JobSpec& s, const std::string& t) { s.after = t; }},
            {"anchor",
             [](JobSpec& s, const std::string& t) {
                 s.every = "15m";
                 s.anchor = t;
             },
             [](const std::string& t) { return ojson(t); }, R"(,"every":"15m")"},
            {"windows", [](JobSpec& s, const std::string& t) { s.windows = {{t}}; },
             [](const std::string& t) { return ojson::array({t}); }},
            {"tags",
             [](JobSpec& s, const std::string& t) {
                 s.tags = std::vector<model::Tag>{{t, std::nullopt}};
             },
             [](const std::string& t) {
                 return ojson{{t, nullptr}};
             }},
            {"env",
             [](JobSpec& s, const std::string& t) {
                 s.env = std::vector<model::EnvVar>{{"A", t}};
             },
             [](const std::string& t) {
                 return ojson{{"A", t}};
             }},
            {"retry_on",
             [](JobSpec& s, const std::string& t) { s.retry_on = std::vector<std::string>{t}; },
             [](const std::string& t) { return ojson::array({t}); }},
            {"depends_on",
             [](JobSpec& s, const std::string& t) { s.depends_on = std::vector<std::string>{t}; },
             [](const std::string& t) { return ojson::array({t}); }},
            {"conflicts_with",
             [](JobSpec& s, const std::string& t) {
                 s.conflicts_with = std::vector<std::string>{t};
             },
             [](const std::string& t) { return ojson::array({t}); }},
        };
        std::size_t n = 0;
        for (const auto& key : text_keys) {
            CAPTURE(key.key);
            for (const auto& h : test::hostile_texts()) {
                for (Mode mode : {Mode::definition, Mode::record}) {
                    const auto flag =
                        build_with([&](JobSpec& s) { key.set(s, as_json(h.text)); },
                                   mode == Mode::record ? record_context : test::hostile_context(),
                                   Resolve::no);
                    const HostileCase c{h.label, h.text,
                                        flag.accepted ? Expect::accepted : Expect::refused};
                    check(c, read(mode, key.members + member(key.key, key.value(h.text))),
                          std::string("jobs[0].") + key.key);
                    ++n;
                }
            }
        }
        // Integers: the flag's text is the integer's decimal text; a
        // fraction or exponent is refused.
        struct IntegerKey {
            IntegerKey(const char* k, Set s, std::string m = {})
                : key(k), set(std::move(s)), members(std::move(m)) {}
            const char* key;
            Set set;
            std::string members;
        };
        const IntegerKey integer_keys[] = {
            {"priority", [](JobSpec& s, const std::string& t) { s.priority = t; }},
            {"timeout_seconds", [](JobSpec& s, const std::string& t) { s.timeout = t; }},
            {"kill_grace_seconds", [](JobSpec& s, const std::string& t) { s.kill_grace = t; }},
            {"max_instances",
             [](JobSpec& s, const std::string& t) {
                 s.overlap = "allow";
                 s.max_instances = t;
             },
             R"(,"overlap":"allow")"},
            {"misfire_grace_seconds",
             [](JobSpec& s, const std::string& t) { s.misfire_grace = t; }},
            {"max_executions", [](JobSpec& s, const std::string& t) { s.max_executions = t; }},
            {"max_attempts", [](JobSpec& s, const std::string& t) { s.max_attempts = t; }},
            {"retry_delay_seconds", [](JobSpec& s, const std::string& t) { s.retry_delay = t; }},
            {"retry_max_delay_seconds",
             [](JobSpec& s, const std::string& t) { s.retry_max_delay = t; }},
            {"jitter_seconds", [](JobSpec& s, const std::string& t) { s.jitter = t; }},
        };
        std::vector<std::string> numbers = {
            "100",        "101",   "10000", "10001",      "1000000000",
            "1000000001", "86400", "86401", "3162240000", "3162240001",
            "-0.0",       "1.0",   "1E2",   "-1e0",       "123456789012345678901234567890"};
        for (const auto& h : test::hostile_texts()) {
            const auto j = ojson::parse(h.text, nullptr, false);
            if (!j.is_discarded() && j.is_number())
                numbers.push_back(h.text);
        }
        for (const auto& key : integer_keys) {
            CAPTURE(key.key);
            for (const auto& number : numbers) {
                const auto value = ojson::parse(number);
                Expect expect = Expect::refused;
                if (value.is_number_integer()) {
                    const auto flag = build_with([&](JobSpec& s) { key.set(s, value.dump()); });
                    expect = flag.accepted ? Expect::accepted : Expect::refused;
                }
                for (Mode mode : {Mode::definition, Mode::record}) {
                    check({number, number, expect},
                          read(mode, key.members + member(key.key, value)),
                          std::string("jobs[0].") + key.key);
                    ++n;
                }
            }
        }
        // What the store keeps, record mode only: counters from 0 to
        // 2^53 - 1; ids, statuses and instants as written.
        for (const char* key : {"execution_count", "failure_count", "scheduled_count"}) {
            CAPTURE(key);
            for (const auto& number : numbers) {
                const auto value = ojson::parse(number);
                const bool in_range =
                    value.is_number_integer() &&
                    (value.is_number_unsigned() ? value.get<std::uint64_t>() <= model::k_max_count
                                                : value.get<std::int64_t>() >= 0);
                check({number, number, in_range ? Expect::accepted : Expect::refused},
                      read(Mode::record, member(key, value)), std::string("jobs[0].") + key);
                ++n;
            }
        }
        for (const char* key :
             {"job_id", "status", "last_status", "last_execution", "created_at", "updated_at"}) {
            CAPTURE(key);
            for (const auto& h : test::hostile_texts()) {
                check({h.label, h.text, Expect::refused}, read(Mode::record, member(key, h.text)),
                      std::string("jobs[0].") + key);
                ++n;
            }
        }
        // Nesting 10,000 levels deep as the value of each key: refused at
        // the key, or ignored where the key is (derived keys; the store's
        // keys in definition mode).
        const std::string deep_array = std::string(10000, '[') + std::string(10000, ']');
        std::string deep_object;
        for (int i = 0; i < 10000; ++i)
            deep_object += R"({"a":)";
        deep_object += "null" + std::string(10000, '}');
        const std::vector<std::string> read_keys = {
            "name",
            "description",
            "timezone",
            "command",
            "task_type",
            "task_config",
            "priority",
            "owner",
            "tags",
            "enabled",
            "timeout_seconds",
            "env",
            "working_dir",
            "run_as",
            "kill_grace_seconds",
            "overlap",
            "max_instances",
            "catchup",
            "misfire_grace_seconds",
            "max_executions",
            "max_attempts",
            "retry_delay_seconds",
            "retry_max_delay_seconds",
            "backoff",
            "retry_on",
            "on_failure",
            "on_retry",
            "on_success",
            "notify",
            "jitter_seconds",
            "dst_gap",
            "dst_overlap",
            "start_date",
            "end_date",
            "windows",
            "outside_window",
            "depends_on",
            "conflicts_with",
            "after",
            "cron",
            "every",
            "anchor",
            "daily",
            "weekly",
            "monthly",
            "at",
            "trigger",
        };
        const std::vector<std::string> record_keys = {
            "job_id",         "status",      "execution_count", "failure_count", "scheduled_count",
            "last_execution", "last_status", "created_at",      "updated_at"};
        const std::vector<std::string> derived_keys = {"cron_expression", "next_execution", "state",
                                                       "next_runs"};
        const std::string* deeps[] = {&deep_array, &deep_object};
        for (const std::string* deep : deeps) {
            for (Mode mode : {Mode::definition, Mode::record}) {
                auto deep_member = [&](const std::string& key) {
                    return "," + model::dump_json(ojson(key)) + ":" + *deep;
                };
                for (const auto& key : read_keys) {
                    CAPTURE(key);
                    check({"10,000 levels", "", Expect::refused}, read(mode, deep_member(key)),
                          "jobs[0]." + key);
                    ++n;
                }
                for (const auto& key : record_keys) {
                    CAPTURE(key);
                    const auto expect = mode == Mode::record ? Expect::refused : Expect::accepted;
                    check({"10,000 levels", "", expect}, read(mode, deep_member(key)),
                          "jobs[0]." + key);
                    ++n;
                }
                for (const auto& key : derived_keys) {
                    CAPTURE(key);
                    check({"10,000 levels", "", Expect::accepted}, read(mode, deep_member(key)),
                          "jobs[0]." + key);
                    ++n;
                }
            }
        }
        // Hostile keys are unknown keys, named by their (escaped) path.
        for (const auto& h : test::hostile_texts()) {
            for (Mode mode : {Mode::definition, Mode::record}) {
                const auto o = read(mode, member(h.text, 1));
                check({h.label, h.text, Expect::refused}, o, "jobs[0]");
                CHECK(o.field == model::json_path("jobs[0]", as_json(h.text)));
                ++n;
            }
        }
        // Anything but an object is not a job.
        for (const auto& h : test::hostile_texts()) {
            const auto o = test::outcome_of_call([&] {
                model::job_from_json(ojson(h.text), Mode::definition, test::hostile_context(),
                                     "jobs[0]");
            });
            check({h.label, h.text, Expect::refused}, o, "jobs[0]");
            ++n;
        }
        test::hostile_total() += n;
        MESSAGE(n << " hostile job object members tried");
    }

    TEST_CASE("settings: each value `config set` and a backup's config give") {
        // Whatever a setting accepts, it accepts again as it stores it.
        auto cases = test::hostile_cases({});
        for (auto& c : cases)
            c.expect = Expect::either;
        std::size_t n = 0;
        for (const auto& spec : model::setting_specs()) {
            const std::string key(spec.key);
            CAPTURE(key);
            n += test::run_table(cases, [&](const std::string& t) {
                const auto value = spec.validate(t);
                if (value) {
                    const auto again = spec.validate(*value);
                    CHECK((again && *again == *value));
                }
                return test::outcome_of(value);
            });
        }
        MESSAGE(n << " hostile setting values tried");
    }

    TEST_CASE("crontabs: read, then each line's job built as import crontab builds it") {
        // Every problem the reader reports names its line in one clean
        // line; every job it gives is named validly and built with a
        // CrontabNamer, whose refusals name the line too. The outcome is
        // the first error or refusal.
        auto import = [](const std::string& text, model::CrontabKind kind) {
            const auto crontab = model::parse_crontab(text, kind);
            for (const auto* problems : {&crontab.errors, &crontab.warnings})
                for (const auto& p : *problems) {
                    CHECK(p.message.starts_with("line " + std::to_string(p.line) + ": "));
                    CHECK(test::clean_message(p.message));
                    CHECK((p.hint.empty() || test::clean_message(p.hint)));
                }
            Outcome out{crontab.errors.empty(), {}, std::nullopt};
            if (!crontab.errors.empty())
                out.message = crontab.errors.front().message;
            for (const auto& entry : crontab.entries) {
                const auto spec =
                    model::crontab_job_spec(entry, "/etc/cron.d/hostile", std::nullopt);
                CHECK(model::validate_name(spec.name.value_or("")).ok());
                const auto o = test::outcome_of_call([&] {
                    model::build_job(spec, test::hostile_context(),
                                     model::CrontabNamer(entry.line));
                });
                if (o.accepted)
                    continue;
                CHECK(o.field.value_or("").starts_with("line " + std::to_string(entry.line)));
                if (out.accepted)
                    out = o;
            }
            return out;
        };
        auto either = [](std::vector<HostileCase> cases) {
            for (auto& c : cases)
                c.expect = Expect::either;
            return cases;
        };
        const std::string debian_crontab =
            "# /etc/crontab: system-wide crontab\n"
            "SHELL=/bin/sh\n"
            "PATH=/usr/local/sbin:/usr/local/bin:/sbin:/bin:/usr/sbin:/usr/bin\n"
            "\n"
            "17 *\t* * *\troot\tcd / && run-parts --report /etc/cron.hourly\n"
            "25 6\t* * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report "
            "/etc/cron.daily; }\n"
            "47 6\t* * 7\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report "
            "/etc/cron.weekly; }\n"
            "52 6\t1 * *\troot\ttest -x /usr/sbin/anacron || { cd / && run-parts --report "
            "/etc/cron.monthly; }\n"
            "#\n";
        const auto lines = joined({
            either(embedded("@ * * * * true")),
            either(embedded("0 0 * * * @")),
            either(embedded("0 0 * * * echo %@%")),
            either(embedded("A=@\n0 0 * * * true")),
            either(embedded("@=1\n0 0 * * * true")),
            either(embedded("CRON_TZ=@\n0 0 * * * true")),
            either(embedded("MAILTO=@\n0 0 * * * true")),
            either(embedded("SHELL=@\n0 0 * * * true")),
            either(embedded("@reboot @")),
            {
                {"an environment value with escapes", "A=\x1b[31m\n0 0 * * * true",
                 Expect::accepted},
                {"a command with escapes", "0 0 * * * printf '\x1b[2J'", Expect::accepted},
                {"input with escapes", "0 0 * * * cat %\x1b[31m%%\x07", Expect::accepted},
                {"a NUL in a line", std::string("0 0 * * * tr\0ue", 14), Expect::refused},
                {"DOS line ends", "0 0 * * * true\r\n", Expect::refused},
                {"a byte order mark",
                 "\xef\xbb\xbf"
                 "0 0 * * * true",
                 Expect::refused},
                {"a minute field of 1 MiB", test::repeated("0,", test::k_huge) + "0 * * * * true",
                 Expect::refused},
                {"a command of 1 MiB", "0 0 * * * " + test::repeated("x", test::k_huge),
                 Expect::refused},
                {"a comment of 1 MiB", "#" + test::repeated("x", test::k_huge) + "\n",
                 Expect::accepted},
                {"70,000 job lines", test::repeated("* * * * * true\n", test::k_huge),
                 Expect::accepted},
                {"70,000 environment lines", test::repeated("A=1\n", 280'000) + "* * * * * true",
                 Expect::accepted},
                {"a CRON_TZ outside the database", "CRON_TZ=../../etc/passwd\n0 0 * * * true",
                 Expect::refused},
                {"a zone", "CRON_TZ=Europe/Berlin\n0 0 * * * true", Expect::accepted},
                {"six time fields", "0 0 0 * * * true", Expect::refused},
                {"a SCHEDULE_ variable", "SCHEDULE_JOB_ID=1\n0 0 * * * true", Expect::refused},
                {"a tick line", "* * * * * schedule tick -q", Expect::accepted},
            },
        });
        auto cases = joined(
            {test::hostile_cases({"empty", "blank", "tabs and newlines", "huge blank"}), lines});
        // The generic texts as whole files: most are one job line that
        // the builder refuses; blank files hold nothing.
        std::size_t n = test::run_table(
            cases, [&](const std::string& t) { return import(t, model::CrontabKind::user); });
        auto system_cases = joined(
            {test::hostile_cases({"empty", "blank", "tabs and newlines", "huge blank"}),
             either(embedded("0 0 * * * @ true")),
             {
                 {"Debian's /etc/crontab", debian_crontab, Expect::accepted},
                 {"a user column of 1 MiB",
                  "0 0 * * * " + test::repeated("u", test::k_huge) + " true", Expect::refused},
                 {"a user that is no user name", "0 0 * * * -rf true", Expect::refused},
                 {"no command after the user", "0 0 * * * root", Expect::refused},
             }});
        n += test::run_table(system_cases, [&](const std::string& t) {
            return import(t, model::CrontabKind::system);
        });
        MESSAGE(n << " hostile crontabs tried");
    }
}

namespace {

// Prints how many hostile inputs the tables tried, at the end of a run
// that tried any (`unit_tests -ts='*hostile*'` gives the whole count).
struct HostileTotal : doctest::IReporter {
    explicit HostileTotal(const doctest::ContextOptions&) {}
    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_run_end(const doctest::TestRunStats&) override {
        if (test::hostile_total() > 0)
            std::printf("[doctest] hostile inputs tried: %zu\n", test::hostile_total());
    }
    void test_case_start(const doctest::TestCaseData&) override {}
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats&) override {}
    void test_case_exception(const doctest::TestCaseException&) override {}
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData&) override {}
    void log_message(const doctest::MessageData&) override {}
    void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("hostile_total", 1, HostileTotal);

} // namespace
