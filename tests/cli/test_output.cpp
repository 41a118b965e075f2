// Table, colour, escaping, JSON and CSV output of the real binary.

#include "harness.hpp"

#include <doctest/doctest.h>

using schedule::test::check_error_line;
using schedule::test::Sandbox;

namespace {
bool has_raw_control(const std::string& s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\n') || c == 0x7f)
            return true;
    return false;
}

std::vector<std::string> lines(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] == '\n') {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    return out;
}
} // namespace

TEST_SUITE("cli::output") {

    TEST_CASE("job list columns line up") {
        Sandbox sb;
        sb.ok({"job", "create", "a", "--command", "true", "--cron", "@daily"});
        sb.ok({"job", "create", "a-much-longer-name", "--command", "true", "--disabled"});
        auto rows = lines(sb.ok({"job", "list"}));
        REQUIRE(rows.size() == 3);
        auto col = rows[0].find("STATUS");
        REQUIRE(col != std::string::npos);
        CHECK(rows[1].substr(col, 6) == "active");
        CHECK(rows[2].substr(col, 6) == "paused");
        auto sched = rows[0].find("SCHEDULE");
        CHECK(rows[1].substr(sched, 11) == "cron @daily");
        CHECK(rows[2].substr(sched, 6) == "manual");
    }

    TEST_CASE("colour only on a terminal, and never with NO_COLOR or --no-color") {
        Sandbox sb;
        sb.ok({"job", "create", "c", "--command", "true"});
        CHECK(sb.ok({"job", "list"}).find('\033') == std::string::npos);
        auto tty = sb.run_tty({"job", "list"});
        CHECK(tty.exit_code == 0);
        CHECK(tty.out.find("\033[") != std::string::npos);
        CHECK(sb.run_tty({"job", "list", "--no-color"}).out.find('\033') == std::string::npos);
        sb.env["NO_COLOR"] = "1";
        CHECK(sb.run_tty({"job", "list"}).out.find('\033') == std::string::npos);
    }

    TEST_CASE("control characters in job data are escaped in tables") {
        Sandbox sb;
        std::string nasty = "line1\nline2\033[31mred\a\x7f end\xe2\x80\xae";
        sb.ok({"job", "create", "nasty", "--command", "echo '" + nasty + "'", "--description",
               nasty, "--tag", "k=v"});
        for (auto args : {std::vector<std::string>{"job", "show", "nasty"},
                          std::vector<std::string>{"job", "list"}}) {
            auto out = sb.ok(args);
            CHECK_FALSE(has_raw_control(out));
            CHECK(out.find("\xe2\x80\xae") == std::string::npos);
        }
        auto show = sb.ok({"job", "show", "nasty"});
        CHECK(show.find("line1\\nline2\\e[31mred\\x07\\x7f end\\u202e") != std::string::npos);
        // On a terminal as well.
        auto tty = sb.run_tty({"job", "show", "nasty", "--no-color"});
        CHECK(tty.out.find("\\e[31m") != std::string::npos);
        CHECK(tty.out.find("\033[31m") == std::string::npos);
    }

    TEST_CASE("JSON output is valid for unicode, quotes, newlines and invalid UTF-8") {
        Sandbox sb;
        std::string text = "Gr\xc3\xbc\xc3\x9f"
                           "e \xe2\x98\x83 \xe6\x97\xa5\xe6\x9c\xac \"q\" \\ \n\t";
        std::string invalid = "bad \xff\xfe bytes \xc3";
        sb.ok({"job", "create",
               "j\xc3\xb6"
               "b",
               "--command", invalid, "--description", text});
        auto job = sb.json({"job", "show",
                            "j\xc3\xb6"
                            "b"});
        CHECK(job["description"] == text);
        CHECK(job["command"] == "bad \xef\xbf\xbd\xef\xbf\xbd bytes \xef\xbf\xbd");
        auto list = sb.json({"job", "list"});
        CHECK(list[0]["name"] == "j\xc3\xb6"
                                 "b");
    }

    TEST_CASE("CSV quotes fields that need it") {
        Sandbox sb;
        sb.ok({"job", "create", "csv", "--command", "echo \"a,b\"", "--description", "x\ny"});
        auto out = sb.ok({"job", "list", "--format", "csv"});
        CHECK(out.rfind("job_id,name,description,cron_expression,", 0) == 0);
        CHECK(out.find(",csv,\"x\ny\",,manual,UTC,\"echo \"\"a,b\"\"\",") != std::string::npos);
        CHECK(out.find("\r\n") != std::string::npos);
    }

    TEST_CASE("CSV escapes control characters on a terminal and keeps them raw elsewhere") {
        Sandbox sb;
        const std::string bidi = "\xe2\x80\xae";
        const std::string text = "x\ny\033[2J" + bidi;
        sb.ok({"job", "create", "n" + bidi, "--command", "true", "--description", text});
        sb.ok({"job", "run", "n" + bidi});
        sb.ok({"config", "set", "handlers.t", "/bin/\033]0;x\a"});
        // Not a terminal: the bytes as stored, quoted as RFC 4180 says.
        CHECK(sb.ok({"job", "list", "-o", "csv"}).find("\"" + text + "\"") != std::string::npos);
        CHECK(sb.ok({"job", "history", "-o", "csv"}).find("n" + bidi) != std::string::npos);
        CHECK(sb.ok({"config", "list", "-o", "csv"}).find("/bin/\033]0;x\a") != std::string::npos);
        // A terminal: escaped as in tables, every command with CSV.
        auto list = sb.run_tty({"job", "list", "-o", "csv"});
        CHECK(list.exit_code == 0);
        CHECK(list.out.find("x\\ny\\e[2J\\u202e") != std::string::npos);
        CHECK(list.out.find(",n\\u202e,") != std::string::npos);
        auto history = sb.run_tty({"job", "history", "-o", "csv"});
        CHECK(history.exit_code == 0);
        CHECK(history.out.find(",n\\u202e,") != std::string::npos);
        auto config = sb.run_tty({"config", "list", "-o", "csv"});
        CHECK(config.exit_code == 0);
        CHECK(config.out.find("/bin/\\e]0;x\\x07") != std::string::npos);
        for (const auto* r : {&list, &history, &config}) {
            INFO(r->out);
            CHECK(r->out.find('\033') == std::string::npos);
            CHECK(r->out.find('\a') == std::string::npos);
            CHECK(r->out.find(bidi) == std::string::npos);
        }
    }

    TEST_CASE("errors and warnings show the control and bidi characters of a value escaped") {
        Sandbox sb;
        const std::string bidi = "\xe2\x80\xae";
        auto r = sb.run({"job", "create", "j", "--command", "true", "--timeout", "5\033"});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--timeout");
        CHECK(r.err.find("\"5\\e\": unknown unit '\\e'") != std::string::npos);
        r = sb.run({"job", "create", "j", "--command", "true", "--every", "5" + bidi});
        CHECK(r.exit_code == 2);
        check_error_line(r, "--every");
        CHECK(r.err.find("unknown unit '\\u202e'") != std::string::npos);
        CHECK(r.err.find('\xe2') == std::string::npos);
        // The warning of `job next` about a paused job names it escaped.
        sb.ok({"job", "create", "p" + bidi, "--cron", "@daily", "--command", "true", "--disabled"});
        r = sb.run({"job", "next", "p" + bidi});
        CHECK(r.exit_code == 0);
        CHECK(r.err.find("p\\u202e") != std::string::npos);
        CHECK(r.err.find(bidi) == std::string::npos);
    }

    TEST_CASE("tables show times in the job's zone with the zone when it is not the default") {
        Sandbox sb;
        sb.ok({"job", "create", "ny", "--command", "true", "--tz", "America/New_York"});
        auto show = sb.ok({"job", "show", "ny"});
        CHECK(show.find("2026-01-15 05:00 EST (now)") != std::string::npos);
        auto utc = sb.ok({"job", "show", "ny", "--utc"});
        CHECK(utc.find("2026-01-15 10:00Z (now)") != std::string::npos);
        sb.env["SCHEDULE_NOW"] = "2026-01-15T12:30:00Z";
        CHECK(sb.ok({"job", "show", "ny"}).find("(2h30m ago)") != std::string::npos);
    }

    TEST_CASE("relative hints a year or more away count years") {
        Sandbox sb;
        sb.ok({"job", "create", "far", "--command", "true", "--at", "9999-12-31T00:00"});
        CHECK(sb.ok({"job", "show", "far"}).find("9999-12-31 00:00 (in 7979y92d)") !=
              std::string::npos);
        CHECK(sb.ok({"job", "list"}).find("(in 7979y92d)") != std::string::npos);
    }

    TEST_CASE("an empty list prints a note in tables and [] in JSON") {
        Sandbox sb;
        CHECK(sb.ok({"job", "list"}) == "No jobs.\n");
        CHECK(sb.json({"job", "list"}) == nlohmann::json::array());
        CHECK(sb.ok({"job", "list", "-o", "csv"}).find("job_id,") == 0);
    }
}
