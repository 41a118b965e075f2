// format::export_jobs and its parts: names, the crontab command field,
// systemd strings, Kubernetes labels, the daylight-saving notes, and what
// each target writes and notes for a job (schedule(1), EXPORT).

#include "../support/time_helpers.hpp"

#include <schedule/format/export.hpp>
#include <schedule/format/export_detail.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <tuple>

using namespace schedule;
using namespace std::string_literals;
using schedule::test::utc;

namespace {

model::Job job(const std::string& name, const std::string& expression = "30 2 * * *",
               const std::string& zone = "UTC") {
    model::Job j;
    j.id = "1a2b3c4d";
    j.name = name;
    j.timezone = zone;
    j.command = "true";
    j.trigger.type = model::TriggerType::cron;
    j.trigger.expression = expression;
    return j;
}

format::ExportOptions options(format::ExportTarget target) {
    format::ExportOptions o;
    o.target = target;
    o.now = utc(2026, 6, 1);
    return o;
}

// The notes of the only job exported, joined.
std::string notes_of(const format::Export& e) {
    std::string all;
    for (const auto& n : e.notes)
        for (const auto& s : n.notes)
            all += s + "\n";
    return all;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("format::export") {

    TEST_CASE("export names are DNS labels of the name and the id") {
        CHECK(format::export_name(job("backup")) == "schedule-backup-1a2b3c4d");
        CHECK(format::export_name(job("Nightly \"DB\" backup!")) ==
              "schedule-nightly-db-backup-1a2b3c4d");
        CHECK(format::export_name(job("  -x-  ")) == "schedule-x-1a2b3c4d");
        CHECK(format::export_name(job("日本語")) == "schedule-1a2b3c4d");
        CHECK(format::export_name(job("ünï")) == "schedule-n-1a2b3c4d");
        auto longest = format::export_name(job(std::string(64, 'a')));
        CHECK(longest.size() == 52);
        CHECK(longest == "schedule-" + std::string(34, 'a') + "-1a2b3c4d");
        // A cut that ends on a separator drops it.
        auto cut = format::export_name(job(std::string(33, 'a') + " b"));
        CHECK(cut == "schedule-" + std::string(33, 'a') + "-1a2b3c4d");
    }

    TEST_CASE("export names are DNS-1123 labels of at most 52 characters whatever the name") {
        for (const std::string& name :
             {"x"s, "-"s, "A_B"s, "a--b"s, "123"s, "Über \"Backup\" #1"s, "日本語 ✓"s, "a/b\\c"s,
              "x'y`z$%"s, "..."s, "\u202eevil"s, std::string(64, 'Z'), std::string(64, '-'),
              "a" + std::string(62, '.') + "b"s}) {
            INFO("name: " << name);
            const auto n = format::export_name(job(name));
            CHECK(n.size() <= 52);
            CHECK(n.starts_with("schedule-"));
            CHECK(n.ends_with("-1a2b3c4d"));
            CHECK(n.find("--") == std::string::npos);
            CHECK(std::all_of(n.begin(), n.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            }));
        }
        // Names that make the same words still make one name per job.
        auto a = job("a b");
        auto b = job("A-B");
        b.id = "0000000b";
        CHECK(format::export_name(a) == "schedule-a-b-1a2b3c4d");
        CHECK(format::export_name(b) == "schedule-a-b-0000000b");
    }

    TEST_CASE("every file export writes starts with the line that marks it as exported") {
        auto j = job("j");
        for (auto target : {format::ExportTarget::crontab, format::ExportTarget::systemd,
                            format::ExportTarget::kubernetes}) {
            auto e = format::export_jobs({j}, options(target));
            REQUIRE(!e.files.empty());
            for (const auto& f : e.files) {
                INFO(f.name);
                CHECK(format::is_exported_text(f.text));
                CHECK(format::is_exported_text(f.text.substr(0, f.text.find('\n') + 1)));
            }
        }
        CHECK_FALSE(format::is_exported_text(""));
        CHECK_FALSE(format::is_exported_text("[Timer]\nOnCalendar=daily\n"));
        CHECK_FALSE(format::is_exported_text("# exported with `schedule export --to systemd`."));
        CHECK_FALSE(format::is_exported_text(
            "[Unit]\n# x, exported with `schedule export --to systemd`.\n"));
        CHECK_FALSE(format::is_exported_text("# x, exported with `schedule export --to cron`.\n"));
    }

    TEST_CASE("the crontab command escapes % and encodes what cannot stand in a line") {
        using format::detail::crontab_command;
        CHECK(crontab_command("echo hi") == "echo hi");
        CHECK(crontab_command("date +%F 100%") == "date +\\%F 100\\%");
        CHECK(crontab_command("echo 'ü' \"x\" $HOME") == "echo 'ü' \"x\" $HOME");
        CHECK(crontab_command("printf 'a\\nb'") == "printf 'a\\nb'");
        // A newline, a backslash before %, white space at the end, bytes
        // that are not UTF-8: printf writes the script back.
        CHECK(crontab_command("a\nb") == "eval \"$(printf '\\%b' 'a\\0012b')\"");
        CHECK(crontab_command("echo \\%") == "eval \"$(printf '\\%b' 'echo \\0134\\0045')\"");
        CHECK(crontab_command("echo 'x' ") == "eval \"$(printf '\\%b' 'echo \\0047x\\0047 ')\"");
        CHECK(crontab_command("echo \xff") == "eval \"$(printf '\\%b' 'echo \\0377')\"");
    }

    TEST_CASE("systemd strings escape what systemd would read otherwise") {
        using format::detail::Expand;
        using format::detail::systemd_quote;
        CHECK(systemd_quote("echo hi", Expand::variables) == "\"echo hi\"");
        CHECK(systemd_quote("say \"x\" \\ 100% $HOME", Expand::variables) ==
              R"("say \"x\" \\ 100%% $$HOME")");
        CHECK(systemd_quote("A=$HOME 5%", Expand::none) == R"("A=$HOME 5%%")");
        CHECK(systemd_quote("a\nb\tc\x01", Expand::none) == R"("a\nb\tc\x01")");
        CHECK(systemd_quote("ü\u202e\xff", Expand::none) == "\"ü\\xe2\\x80\\xae\\xff\"");
    }

    TEST_CASE("Kubernetes labels") {
        using format::detail::label_key;
        using format::detail::label_value;
        CHECK(label_key("team"));
        CHECK(label_key("app.kubernetes.io/part-of"));
        CHECK(label_key("a_b.c-d"));
        CHECK_FALSE(label_key(""));
        CHECK_FALSE(label_key("has space"));
        CHECK_FALSE(label_key("-x"));
        CHECK_FALSE(label_key("Upper.Case/x"));
        CHECK_FALSE(label_key(std::string(64, 'a')));
        CHECK(label_value(""));
        CHECK(label_value("v1.2_3"));
        CHECK_FALSE(label_value("a b"));
        CHECK_FALSE(label_value("ü"));
    }

    TEST_CASE("the daylight-saving notes name only the changes a calendar meets") {
        using format::detail::dst_meeting;
        using format::detail::when_of;
        auto berlin = [](const std::string& e) {
            return dst_meeting(when_of(job("j", e, "Europe/Berlin")), utc(2026, 6, 1));
        };
        CHECK(berlin("30 2 * * *").gap);         // 02:30 on the last Sunday of March
        CHECK(berlin("30 2 * * *").overlap);     // and of October
        CHECK_FALSE(berlin("30 2 * * 1-5").gap); // the changes fall on Sundays
        CHECK_FALSE(berlin("15 9 * * *").gap);
        CHECK_FALSE(berlin("15 9 * * *").overlap);
        CHECK(berlin("0 * * * *").overlap);
        auto kolkata =
            dst_meeting(when_of(job("j", "30 2 * * *", "Asia/Kolkata")), utc(2026, 6, 1));
        CHECK_FALSE(kolkata.gap);
        CHECK_FALSE(kolkata.overlap);
    }

    TEST_CASE("crontab: a line per job, CRON_TZ where the zone changes, a comment of notes") {
        auto berlin = job("b", "30 2 * * *", "Europe/Berlin");
        berlin.id = "bbbbbbbb";
        auto here = job("h", "0 * * * *");
        here.id = "cccccccc";
        here.overlap = model::Overlap::allow;
        here.catchup = model::Catchup::none;
        auto paused = job("p");
        paused.id = "dddddddd";
        paused.enabled = false;
        paused.status = model::JobStatus::paused;
        auto manual = job("m");
        manual.id = "eeeeeeee";
        manual.trigger = {};
        auto e = format::export_jobs({here, berlin, here, paused, manual},
                                     options(format::ExportTarget::crontab));
        REQUIRE(e.files.size() == 1);
        CHECK(e.files[0].name == "schedule.crontab");
        const auto& t = e.files[0].text;
        INFO(t);
        CHECK(has(t, "\n# h (cccccccc)\n0 * * * * true\n"));
        CHECK(has(t, "\nCRON_TZ=Europe/Berlin\n30 2 * * * true\n"));
        // Back to the host's zone after Berlin.
        CHECK(has(t, "30 2 * * * true\n\n# h (cccccccc)\nCRON_TZ=UTC\n0 * * * * true\n"));
        CHECK(has(t, "# p (dddddddd), paused (commented out): "));
        CHECK(has(t, "\n#30 2 * * * true\n"));
        CHECK(has(t, "# m (eeeeeeee): not exported: it has no schedule"));
        // The notes: the job in the host's zone that overlaps and catches
        // nothing up has none.
        std::vector<std::string> noted;
        for (const auto& n : e.notes)
            noted.push_back(n.job_id);
        CHECK(std::count(noted.begin(), noted.end(), "cccccccc") == 0);
        CHECK(std::count(noted.begin(), noted.end(), "bbbbbbbb") == 1);
        auto m = std::find_if(e.notes.begin(), e.notes.end(),
                              [](const auto& n) { return n.job_id == "eeeeeeee"; });
        REQUIRE(m != e.notes.end());
        CHECK(m->left_out);
    }

    TEST_CASE("crontab: what cron cannot express is noted") {
        auto j = job("j", "30 2 * * *", "Europe/Berlin");
        j.run_as = "alice";
        j.timeout = std::chrono::hours(1);
        j.max_attempts = 3;
        j.jitter = std::chrono::minutes(5);
        j.dst_gap = model::DstGap::skip;
        j.dst_overlap = model::DstOverlap::twice;
        j.end_date = utc(2027, 1, 1);
        j.max_executions = 4;
        auto notes = notes_of(format::export_jobs({j}, options(format::ExportTarget::crontab)));
        INFO(notes);
        for (const char* part :
             {"--run-as alice", "CRON_TZ=Europe/Berlin", "--timeout 1h", "--overlap skip",
              "--catchup latest", "--max-attempts 3", "--jitter 5m", "--dst-gap skip",
              "--dst-overlap twice", "--end-date 2027-01-01T01:00:00+01:00", "--max-executions 4"})
            CHECK_MESSAGE(has(notes, part), part);
    }

    TEST_CASE("every target notes the hooks a job has: none runs them") {
        auto j = job("j", "30 2 * * *", "UTC");
        j.on_failure = "mail ops";
        j.on_success = "echo ok";
        for (auto target : {format::ExportTarget::crontab, format::ExportTarget::systemd,
                            format::ExportTarget::kubernetes}) {
            auto notes = notes_of(format::export_jobs({j}, options(target)));
            INFO(notes);
            CHECK(has(notes, "--on-failure: not expressed ("));
            CHECK(has(notes, "--on-success: not expressed ("));
            CHECK(has(notes, "runs no notification hooks)"));
            CHECK_FALSE(has(notes, "--on-retry"));
        }
    }

    TEST_CASE("systemd: units from the job's fields") {
        auto j = job("Nightly \"DB\" 100%", "*/15 9-17 * * MON-FRI", "Europe/Berlin");
        j.command = "echo \"$HOME\" 100%";
        j.run_as = "alice";
        j.working_dir = "/srv/a b";
        j.env = {{"A", "x \"y\""}};
        j.timeout = std::chrono::minutes(90);
        j.kill_grace = std::chrono::seconds(0);
        j.jitter = std::chrono::minutes(5);
        j.catchup = model::Catchup::none;
        auto e = format::export_jobs({j}, options(format::ExportTarget::systemd));
        REQUIRE(e.files.size() == 2);
        CHECK(e.files[0].name == "schedule-nightly-db-100-1a2b3c4d.service");
        CHECK(e.files[1].name == "schedule-nightly-db-100-1a2b3c4d.timer");
        const auto& service = e.files[0].text;
        const auto& timer = e.files[1].text;
        INFO(service << timer);
        CHECK(has(service, "\nDescription=schedule job Nightly \"DB\" 100%% (1a2b3c4d)\n"));
        CHECK(has(service, "\nExecStart=/bin/sh -c \"echo \\\"$$HOME\\\" 100%%\"\n"));
        CHECK(has(service, "\nUser=alice\n"));
        CHECK(has(service, "\nWorkingDirectory=/srv/a b\n"));
        CHECK(has(service, "\nEnvironment=\"A=x \\\"y\\\"\"\n"));
        CHECK(has(service, "\nRuntimeMaxSec=5400s\n"));
        CHECK(has(service, "\nKillSignal=SIGKILL\n"));
        CHECK(has(timer, "\nOnCalendar=Mon..Fri *-*-* 09..17:00/15:00 Europe/Berlin\n"));
        CHECK(has(timer, "\nPersistent=false\n"));
        CHECK(has(timer, "\nRandomizedDelaySec=300s\nFixedRandomDelay=true\n"));
        CHECK(has(timer, "\n[Install]\nWantedBy=timers.target\n"));
    }

    TEST_CASE("systemd: a job without a schedule is a service alone") {
        auto j = job("m");
        j.trigger = {};
        auto e = format::export_jobs({j}, options(format::ExportTarget::systemd));
        REQUIRE(e.files.size() == 1);
        CHECK(e.files[0].name.ends_with(".service"));
        CHECK(e.notes.empty());
    }

    TEST_CASE("systemd: notes") {
        auto j = job("j", "30 2 * * *", "Europe/Berlin");
        j.overlap = model::Overlap::queue;
        j.catchup = model::Catchup::all;
        j.misfire_grace = std::chrono::minutes(10);
        j.max_attempts = 2;
        auto notes = notes_of(format::export_jobs({j}, options(format::ExportTarget::systemd)));
        INFO(notes);
        for (const char* part : {"--overlap queue", "--catchup all", "--misfire-grace 10m",
                                 "--max-attempts 2", "systemd skips a time in a skipped hour"})
            CHECK_MESSAGE(has(notes, part), part);
        auto hourly = job("h", "0 * * * *", "Europe/Berlin");
        CHECK(has(notes_of(format::export_jobs({hourly}, options(format::ExportTarget::systemd))),
                  "systemd runs a repeated hour once"));
        auto nine = job("n", "0 9 * * *", "Europe/Berlin");
        CHECK(format::export_jobs({nine}, options(format::ExportTarget::systemd)).notes.empty());
    }

    TEST_CASE("kubernetes: policies map to the CronJob's fields") {
        auto o = options(format::ExportTarget::kubernetes);
        o.keep_last = 7;
        o.image = "busybox:1";
        auto j = job("j", "0 0 * * 7");
        j.misfire_grace = std::chrono::minutes(5);
        j.max_attempts = 3;
        j.timeout = std::chrono::hours(1);
        j.kill_grace = std::chrono::seconds(30);
        j.tags = {{"team", "infra"}, {"bad key", "x"}, {"bare", std::nullopt}};
        j.description = "line\nbreak";
        struct Case {
            model::Overlap overlap;
            const char* policy;
        };
        for (auto c :
             {Case{model::Overlap::skip, "Forbid"}, Case{model::Overlap::queue, "Forbid"},
              Case{model::Overlap::allow, "Allow"}, Case{model::Overlap::replace, "Replace"}}) {
            j.overlap = c.overlap;
            auto e = format::export_jobs({j}, o);
            REQUIRE(e.files.size() == 1);
            CHECK(e.files[0].name == "schedule-j-1a2b3c4d.yaml");
            CHECK(has(e.files[0].text, "concurrencyPolicy: \""s + c.policy + "\"\n"));
            CHECK(has(notes_of(e), "--overlap queue") == (c.overlap == model::Overlap::queue));
        }
        auto e = format::export_jobs({j}, o);
        const auto& y = e.files[0].text;
        INFO(y);
        CHECK(y.starts_with("# schedule job 1a2b3c4d, exported with `schedule export --to "
                            "kubernetes`.\n---\napiVersion: \"batch/v1\"\nkind: \"CronJob\"\n"));
        CHECK(has(y, "  name: \"schedule-j-1a2b3c4d\"\n"));
        CHECK(has(y, "  labels:\n    \"team\": \"infra\"\n    \"bare\": \"\"\n"));
        CHECK_FALSE(has(y, "bad key"));
        CHECK(has(y, "\"schedule/description\": \"line\\nbreak\"\n"));
        CHECK(has(y, "  schedule: \"0 0 * * 0\"\n  timeZone: \"UTC\"\n"));
        CHECK(has(y, "  startingDeadlineSeconds: 300\n"));
        CHECK(has(y, "  suspend: false\n"));
        CHECK(has(y, "  successfulJobsHistoryLimit: 7\n  failedJobsHistoryLimit: 7\n"));
        CHECK(has(y, "      backoffLimit: 2\n      activeDeadlineSeconds: 3600\n"));
        CHECK(has(y, "          terminationGracePeriodSeconds: 30\n"));
        CHECK(has(y, "              image: \"busybox:1\"\n"));
        CHECK(has(y, "              command: [\"/bin/sh\", \"-c\", \"true\"]\n"));
        auto notes = notes_of(e);
        CHECK(has(notes, "--tag bad key=x: no Kubernetes label"));
        CHECK(has(notes, "Kubernetes retries after its own back-off"));
        CHECK(has(notes, "activeDeadlineSeconds bounds all attempts together"));
    }

    TEST_CASE("kubernetes: catch-up none allows a minute's delay, and a paused job is suspended") {
        auto j = job("j");
        j.catchup = model::Catchup::none;
        j.enabled = false;
        j.status = model::JobStatus::paused;
        auto y = format::export_jobs({j}, options(format::ExportTarget::kubernetes)).files[0].text;
        CHECK(has(y, "  startingDeadlineSeconds: 60\n"));
        CHECK(has(y, "  suspend: true\n"));
    }

    TEST_CASE("kubernetes: the starting deadline is never below the controller's 10 seconds") {
        auto j = job("j");
        for (auto [grace, catchup, deadline] : {std::tuple{3, model::Catchup::latest, "10"},
                                                std::tuple{10, model::Catchup::all, "10"},
                                                std::tuple{90, model::Catchup::latest, "90"},
                                                std::tuple{90, model::Catchup::none, "60"},
                                                std::tuple{5, model::Catchup::none, "10"}}) {
            INFO("grace " << grace);
            j.misfire_grace = std::chrono::seconds(grace);
            j.catchup = catchup;
            auto e = format::export_jobs({j}, options(format::ExportTarget::kubernetes));
            CHECK(has(e.files[0].text, "  startingDeadlineSeconds: "s + deadline + "\n"));
            CHECK(has(notes_of(e), "startingDeadlineSeconds is 10") == (grace < 10));
        }
    }

    TEST_CASE("kubernetes: what no CronJob can be is left out with the reason") {
        auto both = job("both", "0 0 */2 * MON");
        auto boot = job("boot", "@reboot");
        boot.trigger.type = model::TriggerType::reboot;
        auto bytes = job("bytes");
        bytes.command = "echo \xff";
        auto task = job("task");
        task.command.reset();
        task.task_type = "report";
        for (const auto& [j, why] :
             {std::pair{both, "day fields must both match"}, std::pair{boot, "@reboot"},
              std::pair{bytes, "not UTF-8"}, std::pair{task, "no handler for task type report"}}) {
            auto e = format::export_jobs({j}, options(format::ExportTarget::kubernetes));
            INFO(j.name);
            CHECK(e.files.empty());
            REQUIRE(e.notes.size() == 1);
            CHECK(e.notes[0].left_out);
            CHECK(has(e.notes[0].notes[0], "not exported: "));
            CHECK(has(e.notes[0].notes[0], why));
        }
    }

    TEST_CASE("a task job runs its handler with its config on stdin") {
        auto j = job("task");
        j.command.reset();
        j.task_type = "report";
        j.task_config = R"({"to":"it's me"})";
        auto o = options(format::ExportTarget::systemd);
        o.handlers["report"] = "/usr/local/bin/report";
        auto e = format::export_jobs({j}, o);
        REQUIRE(e.files.size() == 2);
        CHECK(has(e.files[0].text,
                  R"(ExecStart=/bin/sh -c "printf '%%s' '{\"to\":\"it'\\''s me\"}' | )"
                  R"('/usr/local/bin/report'")"));
    }

    TEST_CASE("the text for stdout marks each unit with its file name") {
        auto e = format::export_jobs({job("a")}, options(format::ExportTarget::systemd));
        auto text = format::export_text(e);
        CHECK(text.starts_with("# FILE: schedule-a-1a2b3c4d.service\n# schedule job \"a\""));
        CHECK(has(text, "\n\n# FILE: schedule-a-1a2b3c4d.timer\n# schedule job \"a\""));
    }
}
