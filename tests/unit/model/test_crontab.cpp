// model::crontab: crontab lines as Debian's cron reads them (its
// environment lines, `%` input, user column), the job names derived from
// commands, and the job each line gives through the job builder. The
// expected environment values and stdin bytes are what Debian 12's cron
// (3.0pl1-162) gave jobs for the same lines.

#include "../support/time_helpers.hpp"

#include <schedule/model/crontab.hpp>
#include <schedule/model/validate.hpp>
#include <schedule/util/error.hpp>

#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

extern char** environ;

using namespace schedule;
using model::CrontabKind;
using model::parse_crontab;

namespace {

model::CrontabEntry only_entry(const model::Crontab& c) {
    REQUIRE(c.errors.empty());
    REQUIRE(c.entries.size() == 1);
    return c.entries.front();
}

std::optional<std::string> env_of(const model::CrontabEntry& e, const std::string& name) {
    for (const auto& v : e.env)
        if (v.name == name)
            return v.value;
    return std::nullopt;
}

std::vector<std::string> messages(const std::vector<model::CrontabProblem>& problems) {
    std::vector<std::string> out;
    for (const auto& p : problems)
        out.push_back(p.message);
    return out;
}

// Runs `shell -c script` with stdin on /dev/null; returns its stdout.
std::string run_shell(const std::string& shell, const std::string& script) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, out[1]);
    std::vector<char*> argv = {const_cast<char*>(shell.c_str()), const_cast<char*>("-c"),
                               const_cast<char*>(script.c_str()), nullptr};
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, shell.c_str(), &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    std::string text;
    char buf[4096];
    for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;)
        text.append(buf, static_cast<std::size_t>(n));
    ::close(out[0]);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    return text;
}

model::BuildContext build_context(bool root = false) {
    model::BuildContext c;
    c.now = test::utc(2026, 1, 15, 10, 0);
    c.default_zone = [] { return std::string("Europe/Berlin"); };
    c.root = root;
    c.user = [] { return std::string("alice"); };
    c.user_exists = [](const std::string& u) { return u == "root" || u == "alice"; };
    return c;
}

// The job the only line of `text` gives; rethrows the builder's error.
model::Job build_line(const std::string& text, CrontabKind kind = CrontabKind::user,
                      bool root = false) {
    const auto crontab = parse_crontab(text, kind);
    const auto entry = only_entry(crontab);
    return model::build_job(model::crontab_job_spec(entry, "/tmp/tab", std::nullopt),
                            build_context(root), model::CrontabNamer(entry.line));
}

std::string build_error(const std::string& text, CrontabKind kind = CrontabKind::user,
                        bool root = false) {
    try {
        build_line(text, kind, root);
    } catch (const util::ValidationError& e) {
        return e.what();
    }
    FAIL("the line was accepted: " << text);
    return "";
}

} // namespace

TEST_SUITE("model::crontab") {

    TEST_CASE("comments and blank lines are skipped, line numbers count every line") {
        auto c = parse_crontab("# a comment\n\n   \n\t# indented comment\n"
                               "0 3 * * * /bin/backup\n",
                               CrontabKind::user);
        const auto e = only_entry(c);
        CHECK(e.line == 5);
        CHECK(e.schedule == "0 3 * * *");
        CHECK(e.command == "/bin/backup");
        CHECK_FALSE(e.user);
        CHECK_FALSE(e.input);
        CHECK(e.env.empty());
        CHECK_FALSE(e.timezone);
        CHECK(c.warnings.empty());
    }

    TEST_CASE("fields are split on blanks, the command keeps everything after them") {
        const auto e = only_entry(
            parse_crontab("  */5\t 1-3  *  JAN,jul\tmon-fri   echo  a\tb  \n", CrontabKind::user));
        CHECK(e.schedule == "*/5 1-3 * JAN,jul mon-fri");
        CHECK(e.command == "echo  a\tb  ");
    }

    TEST_CASE("a last line without a newline is read") {
        const auto e = only_entry(parse_crontab("@daily true", CrontabKind::user));
        CHECK(e.schedule == "@daily");
        CHECK(e.command == "true");
    }

    TEST_CASE("every macro that job create --cron takes is a schedule") {
        for (const char* macro : {"@yearly", "@annually", "@monthly", "@weekly", "@daily",
                                  "@midnight", "@hourly", "@reboot"}) {
            CAPTURE(macro);
            auto job = build_line(std::string(macro) + " /bin/true\n");
            CHECK(job.trigger.type == (std::string(macro) == "@reboot" ? model::TriggerType::reboot
                                                                       : model::TriggerType::cron));
            CHECK(job.trigger.expression == macro);
        }
        CHECK(build_error("@fortnightly true\n").rfind("line 1: ", 0) == 0);
    }

    TEST_CASE("a system crontab has a user column, a user crontab does not") {
        const auto sys = only_entry(parse_crontab(
            "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n", CrontabKind::system));
        CHECK(sys.user == "root");
        CHECK(sys.command == "cd / && run-parts --report /etc/cron.hourly");
        const auto macro =
            only_entry(parse_crontab("@reboot  www-data\t/usr/bin/warm\n", CrontabKind::system));
        CHECK(macro.user == "www-data");
        CHECK(macro.command == "/usr/bin/warm");
        const auto user = only_entry(parse_crontab("17 * * * * root true\n", CrontabKind::user));
        CHECK_FALSE(user.user);
        CHECK(user.command == "root true");
    }

    TEST_CASE("environment values as Debian's cron reads them") {
        // Each assignment, then the value the job saw under Debian's cron.
        const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> cases = {
            {"A=plain value  ", {"A", "plain value"}},
            {"B = \"quoted  \"", {"B", "quoted"}}, // trailing blanks go even inside quotes
            {"C='single'", {"C", "single"}},
            {"D=val # comment", {"D", "val # comment"}}, // no comments on the line
            {"H=x=y", {"H", "x=y"}},
            {"   I=leading", {"I", "leading"}},
            {"J=\"it's\"", {"J", "it's"}},
            {"K= 'spaced'", {"K", "spaced"}},
            {"M=x'y'", {"M", "x'y'"}},
            {"O=  spaced value  ", {"O", "spaced value"}},
            {"P=a#b", {"P", "a#b"}},
            {"Q=\t\"tabbed\"\t", {"Q", "tabbed"}},
            {"S=\"with # hash\"", {"S", "with # hash"}},
            {" T = \"a\" ", {"T", "a"}},
            {"V= \"\" ", {"V", ""}},
            {"W= trailing\\", {"W", "trailing\\"}},
            {"X=\" lead\"", {"X", " lead"}},
            {"Z=\" both \"", {"Z", " both"}},
        };
        for (const auto& [line, expected] : cases) {
            CAPTURE(line);
            const auto e = only_entry(parse_crontab(line + "\n* * * * * env\n", CrontabKind::user));
            CHECK(e.line == 2);
            CHECK(env_of(e, expected.first) == expected.second);
        }
    }

    TEST_CASE("lines that are no assignment for cron are job lines, and wrong ones") {
        for (const char* line : {"U=", "L=\"a\"b\"", "N=\"a b", "R='x", "G=\"a\" b", "FOO"}) {
            CAPTURE(line);
            auto c = parse_crontab(std::string(line) + "\n", CrontabKind::user);
            CHECK(c.entries.empty());
            REQUIRE(c.errors.size() == 1);
            CHECK(c.errors[0].message == "line 1: expected five time fields (or a @macro) and a "
                                         "command");
        }
    }

    TEST_CASE("variables apply to the lines after them, a later assignment replaces") {
        auto c = parse_crontab("* * * * * one\nA=1\nB=x\n* * * * * two\nA=2\n* * * * * three\n",
                               CrontabKind::user);
        REQUIRE(c.errors.empty());
        REQUIRE(c.entries.size() == 3);
        CHECK(c.entries[0].env.empty());
        CHECK(c.entries[1].env == std::vector<model::EnvVar>{{"A", "1"}, {"B", "x"}});
        CHECK(c.entries[2].env == std::vector<model::EnvVar>{{"A", "2"}, {"B", "x"}});
    }

    TEST_CASE("CRON_TZ gives the zone of the lines after it, empty goes back to the default") {
        auto c =
            parse_crontab("* * * * * a\nCRON_TZ=Asia/Tokyo\n* * * * * b\n"
                          "CRON_TZ=\"America/New_York\"\n* * * * * c\nCRON_TZ=\"\"\n* * * * * d\n",
                          CrontabKind::user);
        REQUIRE(c.errors.empty());
        REQUIRE(c.entries.size() == 4);
        CHECK_FALSE(c.entries[0].timezone);
        CHECK(c.entries[1].timezone == "Asia/Tokyo");
        CHECK(c.entries[2].timezone == "America/New_York");
        CHECK_FALSE(c.entries[3].timezone);
        for (const auto& e : c.entries)
            CHECK_FALSE(env_of(e, "CRON_TZ"));
        auto job = build_line("CRON_TZ=Asia/Tokyo\n30 9 * * * true\n");
        CHECK(job.timezone == "Asia/Tokyo");
        CHECK(build_line("30 9 * * * true\n").timezone == "Europe/Berlin");
    }

    TEST_CASE("an unknown CRON_TZ is an error at its line, and at each job line it governs") {
        auto c = parse_crontab("CRON_TZ=Mars/Olympus\n* * * * * a\n* * * * * b\n"
                               "CRON_TZ=UTC\n* * * * * c\n",
                               CrontabKind::user);
        REQUIRE(c.errors.size() == 3);
        CHECK(c.errors[0].line == 1);
        CHECK(c.errors[0].message.rfind("line 1: CRON_TZ: ", 0) == 0);
        CHECK(c.errors[1].message == "line 2: follows line 1, which is invalid");
        CHECK(c.errors[2].message == "line 3: follows line 1, which is invalid");
        REQUIRE(c.entries.size() == 1);
        CHECK(c.entries[0].line == 5);
        CHECK(c.entries[0].timezone == "UTC");
    }

    TEST_CASE("MAILTO and SHELL are not carried over, with a warning when that changes anything") {
        auto c = parse_crontab("MAILTO=ops@example.com\nSHELL=/bin/bash\nMAILTO=\"\"\n"
                               "SHELL=/bin/sh\nPATH=/usr/bin:/bin\n* * * * * true\n",
                               CrontabKind::user);
        const auto e = only_entry(c);
        CHECK(e.env == std::vector<model::EnvVar>{{"PATH", "/usr/bin:/bin"}});
        REQUIRE(c.warnings.size() == 2);
        CHECK(c.warnings[0].line == 1);
        CHECK(c.warnings[0].message.rfind("line 1: MAILTO=\"ops@example.com\" is not carried "
                                          "over",
                                          0) == 0);
        CHECK(c.warnings[1].line == 2);
        CHECK(c.warnings[1].message.rfind("line 2: SHELL=\"/bin/bash\" is not carried over", 0) ==
              0);
    }

    TEST_CASE("a variable a job cannot have is an error at its line and at the lines after it") {
        auto c = parse_crontab("1X=a\n* * * * * a\n1X=b\n", CrontabKind::user);
        CHECK(messages(c.errors) ==
              std::vector<std::string>{"line 1: environment: \"1X\" is not a valid variable name "
                                       "(letters, digits and _, not starting with a digit)",
                                       "line 2: follows line 1, which is invalid",
                                       "line 3: environment: \"1X\" is not a valid variable name "
                                       "(letters, digits and _, not starting with a digit)"});
        auto reserved = parse_crontab("SCHEDULE_JOB_ID=x\nSCHEDULE_JOB_ID=y\n", CrontabKind::user);
        REQUIRE(reserved.errors.size() == 2);
        CHECK(reserved.errors[0].message.find("SCHEDULE_*") != std::string::npos);
    }

    TEST_CASE("malformed job lines name the line and what is wrong") {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"* * * *\n", "line 1: expected five time fields (or a @macro) and a command"},
            {"* * * * *\n", "line 1: expected five time fields (or a @macro) and a command"},
            {"* * * * *   \n", "line 1: expected five time fields (or a @macro) and a command"},
            {"@daily\n", "line 1: expected five time fields (or a @macro) and a command"},
            {"* * * * * * true\n", "line 1: '*' after the time fields: six time fields?"},
            {std::string("0 1 * * * echo a\0b\n", 19), "line 1: contains a NUL byte"},
            {"0 1 * * * true\r\n", "line 1: ends with a carriage return"},
            {std::string(300, '1') + " * * * * true\n",
             "line 1: a time field longer than 256 bytes"},
        };
        for (const auto& [text, message] : cases) {
            CAPTURE(text);
            auto c = parse_crontab(text, CrontabKind::user);
            CHECK(c.entries.empty());
            CHECK(messages(c.errors) == std::vector<std::string>{message});
        }
        auto sys = parse_crontab("* * * * * root\n", CrontabKind::system);
        CHECK(messages(sys.errors) ==
              std::vector<std::string>{"line 1: expected five time fields (or a @macro), a user "
                                       "and a command: the command is missing"});
    }

    TEST_CASE("the builder judges the schedule and the user, naming the line") {
        CHECK(build_error("# header\n60 * * * * true\n") ==
              "line 2: minute field: 60 is out of range 0-59");
        CHECK(build_error("0 0 30 2 * true\n").rfind("line 1: never fires", 0) == 0);
        CHECK(build_error("0 0 * * * bob true\n", CrontabKind::system) ==
              "line 1: user: only root can make a job run as another user");
        CHECK(build_error("0 0 * * * nobody-here true\n", CrontabKind::system, true) ==
              "line 1: user: no such user: nobody-here");
        CHECK(build_line("0 0 * * * root true\n", CrontabKind::system, true).run_as == "root");
        CHECK(build_line("0 0 * * * alice true\n", CrontabKind::system).run_as == "alice");
        CHECK(build_error("0 0 * * * " + std::string(70000, 'x') + "\n") ==
              "line 1: command: must be at most 64 KiB");
    }

    TEST_CASE("the job of a line: schedule, command, zone, variables, tag, description") {
        auto job = build_line("PATH=/usr/bin:/bin\nHOME=/srv/app\nCRON_TZ=Asia/Tokyo\n"
                              "30 2 * * 1-5 /usr/local/bin/backup.sh --full\n");
        CHECK(job.name == "backup-sh");
        CHECK(job.trigger.expression == "30 2 * * 1-5");
        CHECK(job.command == "/usr/local/bin/backup.sh --full");
        CHECK(job.timezone == "Asia/Tokyo");
        CHECK(job.env ==
              std::vector<model::EnvVar>{{"HOME", "/srv/app"}, {"PATH", "/usr/bin:/bin"}});
        CHECK(job.working_dir == "/srv/app");
        CHECK(job.tags == std::vector<model::Tag>{{"imported", "crontab"}});
        CHECK(job.description == "imported from /tmp/tab, line 4");
        CHECK_FALSE(job.run_as);
        auto e = only_entry(parse_crontab("* * * * * true\n", CrontabKind::user));
        CHECK(model::crontab_job_spec(e, "-", "bob").run_as == "bob");
        CHECK(model::crontab_job_spec(e, "-", std::nullopt).description ==
              "imported from standard input, line 1");
    }

    TEST_CASE("% ends the command, the rest is its input, as Debian's cron feeds it") {
        struct Case {
            std::string text;
            std::string command;
            std::optional<std::string> input;
        };
        const std::vector<Case> cases = {
            {"od -c%foo", "od -c", "foo\n"},
            {"x%a%b%", "x", "a\nb\n"},
            {"x%a\\%b\\\\c\\x", "x", "a%b\\\\c\\x\n"},
            {"x%a\\", "x", "a\\\n"},
            {"x%", "x", std::nullopt},
            {"x%%", "x", "\n"},
            {"x%a%\\", "x", "a\n\\"}, // no newline after a final lone backslash
            {"x%\\", "x", "\\"},
            {"printf '\\%s\\n' 'x\\\\y' 'p\\%q'", "printf '%s\\n' 'x\\y' 'p%q'", std::nullopt},
            {"a\\\\%b", "a\\", "b\n"},
            {"echo \\$HOME 100\\%", "echo \\$HOME 100%", std::nullopt},
            {"mail -s \"disk\" root%Disk is full%Check /srv%", "mail -s \"disk\" root",
             "Disk is full\nCheck /srv\n"},
        };
        for (const auto& c : cases) {
            CAPTURE(c.text);
            auto split = model::split_crontab_command(c.text);
            CHECK(split.command == c.command);
            CHECK(split.input == c.input);
        }
    }

    TEST_CASE("the rewritten command gives /bin/sh and bash exactly cron's input") {
        const std::vector<std::string> inputs = {
            "foo\n",
            "a\nb\n",
            "\n",
            "a%b\\\\c\\x\n",
            "a\n\\",
            "\\",
            "it's $HOME `id` $(id) \"q\" \\n\n",
            "CRONTAB_INPUT\nCRONTAB_INPUT_2\nend\n",
            "  leading and trailing  \n\ttab\n",
            std::string("bytes \xff\xfe \x01\x7f\n"),
        };
        for (const std::string shell : {"/bin/sh", "/bin/bash"}) {
            for (const auto& input : inputs) {
                CAPTURE(shell);
                CAPTURE(input);
                CHECK(run_shell(shell, model::command_with_input("cat", input)) == input);
                // A command with a comment, a list and quotes of its own.
                CHECK(run_shell(shell, model::command_with_input("cat; echo \"it's done\" # note",
                                                                 input)) == input + "it's done\n");
            }
        }
        CHECK(model::command_with_input("cat", std::nullopt) == "cat");
        CHECK(model::command_with_input("mail root", std::string("hi\n")) ==
              "exec /bin/sh -c 'mail root' <<'CRONTAB_INPUT'\nhi\nCRONTAB_INPUT\n");
        CHECK(model::command_with_input("it's", std::string("a\n\\")) ==
              "printf '%s' 'a\n\\' | exec /bin/sh -c 'it'\\''s'");
    }

    TEST_CASE("a crontab line's input reaches the job's stdin through /bin/sh") {
        const auto e = only_entry(
            parse_crontab("* * * * * cat; echo \\% done%line one%  two\\%%\n", CrontabKind::user));
        auto job = model::build_job(model::crontab_job_spec(e, "-", std::nullopt), build_context(),
                                    model::CrontabNamer(e.line));
        CHECK(run_shell("/bin/sh", *job.command) == "line one\n  two%\n% done\n");
    }

    TEST_CASE("a job's name comes from its command") {
        const std::vector<std::pair<std::string, std::string>> cases = {
            {"/usr/local/bin/backup.sh", "backup-sh"},
            {"/usr/local/bin/backup.sh --full /srv/data", "backup-sh-data"},
            {"cd / && run-parts --report /etc/cron.hourly", "run-parts-cron-hourly"},
            {"test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }",
             "run-parts-cron-daily"},
            {"[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then "
             "/usr/lib/php/sessionclean; fi",
             "sessionclean"},
            {"command -v debian-sa1 > /dev/null && debian-sa1 1 1", "debian-sa1-1"},
            {"test -e /run/systemd/system || SERVICE_MODE=1 /sbin/e2scrub_all -A -r",
             "e2scrub_all"},
            {"pg_dump mydb > /backups/db.sql 2>&1", "pg_dump-mydb"},
            {"ls -la 2>/dev/null >>/tmp/x", "ls"},
            {"echo \"hello world\"", "echo-hello-world"},
            {"FOO=1 BAR=2 exec nice python3 -m app.jobs", "nice-python3"},
            {"test -x /bin/true", "test-true"},
            {"deadbeef", "deadbeef-job"},
            {"12345678 9", "12345678-9"},
            {"'***' \"$@\"", "job"},
            {"\xc3\xbc"
             "berjob",
             "berjob"},
            {"a:b c", "a-b-c"},
            {std::string(100, 'a'), std::string(64, 'a')},
            {std::string(63, 'a') + " b", std::string(63, 'a')},
            // An empty word before '&' (found by crontab_fuzz: the word's
            // last character was read from an empty string).
            {"''&", "job"},
            {"''& rsync -a /src /dst", "job"},
            {"\"\"&>/dev/null backup", "backup"},
        };
        for (const auto& [command, name] : cases) {
            CAPTURE(command);
            CHECK(model::crontab_job_name(command) == name);
            CHECK(model::validate_name(model::crontab_job_name(command)));
        }
        CHECK(model::numbered_job_name("backup-sh", 2) == "backup-sh-2");
        CHECK(model::numbered_job_name(std::string(64, 'a'), 12) == std::string(61, 'a') + "-12");
    }

    TEST_CASE("system crontab paths") {
        CHECK(model::is_system_crontab("/etc/crontab"));
        CHECK(model::is_system_crontab("/etc/cron.d/php"));
        CHECK_FALSE(model::is_system_crontab("/etc/cron.d"));
        CHECK_FALSE(model::is_system_crontab("/etc/cron.d/"));
        CHECK_FALSE(model::is_system_crontab("/etc/cron.d/a/b"));
        CHECK_FALSE(model::is_system_crontab("/etc/crontab.bak"));
        CHECK_FALSE(model::is_system_crontab("/tmp/crontab"));
    }

    TEST_CASE("hostile input: long lines, NUL bytes, invalid UTF-8, 10,000 lines") {
        // A command of 1 MiB is read (the builder refuses it, see above).
        const auto big =
            only_entry(parse_crontab("* * * * * " + std::string(1 << 20, 'x'), CrontabKind::user));
        CHECK(big.command.size() == (1u << 20));
        // Bytes that are not UTF-8 reach the command as they are.
        auto job = build_line("* * * * * echo \xff\xfe\xc3(\n");
        CHECK(job.command == "echo \xff\xfe\xc3(");
        CHECK(job.name == "echo");
        // NUL in a comment is ignored; anywhere else it is an error.
        const char raw[] = "# \0\n* * * * * true\nA=\0\n";
        auto nul = parse_crontab(std::string(raw, sizeof raw - 1), CrontabKind::user);
        CHECK(nul.entries.size() == 1);
        CHECK(messages(nul.errors) == std::vector<std::string>{"line 3: contains a NUL byte"});
        // 10,000 lines, every fourth an assignment.
        std::string text;
        for (int i = 0; i < 10000; ++i)
            text += i % 4 == 0
                        ? "V" + std::to_string(i % 7) + "=" + std::to_string(i) + "\n"
                        : std::to_string(i % 60) + " * * * * job " + std::to_string(i) + "\n";
        auto many = parse_crontab(text, CrontabKind::user);
        CHECK(many.errors.empty());
        REQUIRE(many.entries.size() == 7500);
        CHECK(many.entries.back().line == 10000);
        CHECK(many.entries.back().command == "job 9999");
        CHECK(env_of(many.entries.back(), "V0") == "9996");
        CHECK(many.entries.back().env.size() == 7);
    }

    TEST_CASE("the crontab namer names the line and the field") {
        model::CrontabNamer n(7);
        CHECK(n.name(model::Field::cron) == "line 7");
        CHECK(n.name(model::Field::command) == "line 7: command");
        CHECK(n.name(model::Field::timezone) == "line 7: CRON_TZ");
        CHECK(n.name(model::Field::run_as) == "line 7: user");
        CHECK(n.name(model::Field::env) == "line 7: environment");
        CHECK(n.setting(model::Field::overlap, "allow") == "--overlap allow");
    }

    TEST_CASE("find_tick_call finds schedule ... tick and the store it names") {
        using model::find_tick_call;
        CHECK(find_tick_call("schedule tick"));
        CHECK(find_tick_call("/usr/bin/schedule -q tick"));
        CHECK(find_tick_call("test -d /run/systemd/system || test ! -x /usr/bin/schedule || "
                             "/usr/bin/schedule tick -q"));
        CHECK(find_tick_call("cd / && 'schedule' --format json tick >/dev/null"));
        CHECK_FALSE(find_tick_call("schedule tick --dry-run"));
        CHECK_FALSE(find_tick_call("schedule job list"));
        CHECK_FALSE(find_tick_call("test -x /usr/bin/schedule"));
        CHECK_FALSE(find_tick_call("echo schedule; tick"));
        CHECK_FALSE(find_tick_call("/opt/myschedule tick"));
        auto c = find_tick_call("SCHEDULE_STORE=/a.db schedule tick");
        REQUIRE(c);
        CHECK(c->store_env == "/a.db");
        CHECK(!c->store_flag);
        c = find_tick_call("schedule --store /b.db tick");
        REQUIRE(c);
        CHECK(c->store_flag == "/b.db");
        c = find_tick_call("schedule tick --store=\"/c d.db\"");
        REQUIRE(c);
        CHECK(c->store_flag == "/c d.db");
        CHECK_FALSE(find_tick_call("echo 'schedule tick'"));
        c = find_tick_call("schedule tick --store=/c.db -q");
        REQUIRE(c);
        CHECK(c->store_flag == "/c.db");
    }
}
