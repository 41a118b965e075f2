// The process environment through the real binary: the default zone when
// $TZ is unset (as under cron and systemd) or unusable, and what an idle
// tick reads to find it (man page: TIME, ENVIRONMENT).

#include "harness.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using schedule::test::lines_of;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

// The file-name system calls `args` makes, one per line (strace's %file
// class), or nullopt when this host cannot trace (no ptrace in a container).
std::optional<std::vector<std::string>>
file_calls(const Sandbox& sb, const std::vector<std::string>& args, RunResult& result) {
    auto trace = sb.dir() / "trace";
    std::vector<std::string> argv = {"strace",      "-f", "-qq",          "-e",
                                     "trace=%file", "-o", trace.string(), schedule::test::binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    result = sb.run_program(argv);
    if (result.exit_code != 0 && result.err.find("ptrace") != std::string::npos)
        return std::nullopt;
    std::ifstream in(trace);
    std::stringstream text;
    text << in.rdbuf();
    return lines_of(text.str());
}

// Calls that look a path up under a zoneinfo tree. readlink of
// /etc/localtime names the tree in its answer, not in its question.
std::vector<std::string> zoneinfo_lookups(const std::vector<std::string>& calls) {
    std::vector<std::string> out;
    for (const auto& c : calls)
        if (c.find("zoneinfo") != std::string::npos && c.find("readlink") == std::string::npos)
            out.push_back(c);
    return out;
}

} // namespace

TEST_SUITE("cli::environment") {

    TEST_CASE("an idle tick with TZ unset looks nothing up under the zoneinfo tree") {
        std::error_code ec;
        if (!std::filesystem::is_symlink("/etc/localtime", ec)) {
            MESSAGE("/etc/localtime is not a symbolic link: the zone is found by reading the "
                    "tz database, skipped");
            return;
        }
        Sandbox sb;
        sb.ok({"job", "create", "yearly", "--cron", "0 0 1 1 *", "--tz", "Europe/Berlin",
               "--command", "true"});
        sb.env["TZ"] = std::nullopt;

        RunResult tick;
        auto calls = file_calls(sb, {"tick"}, tick);
        if (!calls) {
            MESSAGE("strace cannot trace here: " << tick.err);
            return;
        }
        CHECK(tick.exit_code == 0);
        CHECK(tick.out == "fired 0, skipped 0, queued 0, recovered 0\n");
        // The trace saw the store being opened...
        CHECK(std::any_of(calls->begin(), calls->end(), [](const std::string& c) {
            return c.find("schedule.db") != std::string::npos;
        }));
        // ...and nothing under the zoneinfo tree.
        auto lookups = zoneinfo_lookups(*calls);
        CHECK_MESSAGE(lookups.empty(), lookups.size() << " look-ups, the first: "
                                                      << (lookups.empty() ? "" : lookups[0]));

        // A command that shows times in the job's zone does read it.
        RunResult list;
        auto list_calls = file_calls(sb, {"job", "list"}, list);
        REQUIRE(list_calls);
        CHECK(list.exit_code == 0);
        CHECK_FALSE(zoneinfo_lookups(*list_calls).empty());
    }

    TEST_CASE("TZ with a leading ':' names a zone, as in glibc") {
        Sandbox sb;
        sb.env["TZ"] = ":Europe/Berlin";
        auto r = sb.run({"job", "create", "berlin", "--command", "true", "--format", "json"});
        CHECK(r.exit_code == 0);
        CHECK(r.err == "");
        CHECK(nlohmann::json::parse(r.out)["timezone"] == "Europe/Berlin");
    }

    TEST_CASE("an unusable TZ is passed over with one warning") {
        Sandbox sb;
        sb.env["TZ"] = std::nullopt;
        const std::string host = sb.ok({"config", "get", "timezone"});
        REQUIRE_FALSE(host.empty());
        const std::string host_zone = host.substr(0, host.size() - 1);

        struct Case {
            const char* tz;
            const char* says;
        };
        for (const Case& c : {Case{"Nowhere/Bogus", "not a known IANA time zone"},
                              Case{"EST5EDT,M3.2.0,M11.1.0", "is a POSIX rule"},
                              Case{"europe/berlin", "not a known IANA time zone"}}) {
            CAPTURE(c.tz);
            sb.env["TZ"] = c.tz;
            auto r = sb.run({"job", "list"});
            CHECK(r.exit_code == 0);
            auto err = lines_of(r.err);
            REQUIRE(err.size() == 1);
            CHECK(err[0].rfind("schedule: warning: TZ \"", 0) == 0);
            CHECK(err[0].find(c.tz) != std::string::npos);
            CHECK(err[0].find(c.says) != std::string::npos);
            CHECK(err[0].find("the default zone is " + host_zone) != std::string::npos);
        }

        SUBCASE("the job gets the host's zone and the warning comes once") {
            sb.env["TZ"] = "Nowhere/Bogus";
            auto r = sb.run({"job", "create", "plain", "--command", "true", "--format", "json"});
            CHECK(r.exit_code == 0);
            CHECK(nlohmann::json::parse(r.out)["timezone"] == host_zone);
            CHECK(lines_of(r.err).size() == 1);
        }
        SUBCASE("the value is shown with its control characters escaped") {
            sb.env["TZ"] = "Bad\x1b[2J";
            auto r = sb.run({"job", "list"});
            CHECK(r.exit_code == 0);
            CHECK(r.err.find('\x1b') == std::string::npos);
            CHECK(r.err.find("Bad\\e[2J") != std::string::npos);
        }
        SUBCASE("-q silences it") {
            sb.env["TZ"] = "Nowhere/Bogus";
            auto r = sb.run({"-q", "job", "list"});
            CHECK(r.exit_code == 0);
            CHECK(r.err == "");
        }
        SUBCASE("the timezone setting makes TZ irrelevant") {
            sb.ok({"config", "set", "timezone", "Asia/Tokyo"});
            sb.env["TZ"] = "Nowhere/Bogus";
            auto r = sb.run({"job", "list"});
            CHECK(r.exit_code == 0);
            CHECK(r.err == "");
        }
    }
}
