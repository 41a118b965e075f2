// What packaging/ ships besides the package itself: the systemd units,
// judged by systemd (as system and as user units), and the cron.d line,
// run by a shell as cron runs it. The .deb is built, checked, installed and
// removed by tests/package/.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using schedule::test::lines_of;
using schedule::test::read_text;
using schedule::test::require_program;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

const fs::path packaging_dir = fs::path(SCHEDULE_SOURCE_DIR) / "packaging";

void write_text(const fs::path& p, const std::string& text,
                fs::perms mode = fs::perms::owner_read | fs::perms::owner_write) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
    fs::permissions(p, mode);
}

// `text` with every `from` replaced by `to`; requires at least one.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    std::size_t count = 0;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
        ++count;
    }
    REQUIRE_MESSAGE(count > 0, "no " << from << " in the text");
    return text;
}

// The unit files of packaging/ (the package installs each as a system and
// as a user unit).
std::vector<fs::path> shipped_units() {
    std::vector<fs::path> units;
    for (const auto& e : fs::directory_iterator(packaging_dir))
        if (e.path().extension() == ".service" || e.path().extension() == ".timer")
            units.push_back(e.path());
    std::sort(units.begin(), units.end());
    return units;
}

RunResult verify(const Sandbox& sb, const std::vector<std::string>& mode,
                 const std::vector<fs::path>& units) {
    std::vector<std::string> argv = {"systemd-analyze"};
    argv.insert(argv.end(), mode.begin(), mode.end());
    argv.push_back("verify");
    for (const auto& u : units)
        argv.push_back(u.string());
    return sb.run_program(argv);
}

} // namespace

TEST_SUITE("cli::packaging") {

    TEST_CASE("the systemd units pass systemd-analyze verify as system and as user units") {
        Sandbox sb;
        require_program(sb, "systemd-analyze", "systemd");
        const auto units = shipped_units();
        REQUIRE(units.size() == 2);
        // /usr/bin/schedule may not exist here: copies run the built binary.
        // Documentation=man:schedule(1) is looked up in the built page.
        const auto dir = sb.dir() / "units";
        fs::create_directories(dir);
        std::vector<fs::path> copies;
        for (const auto& u : units) {
            copies.push_back(dir / u.filename());
            const auto text = read_text(u);
            write_text(copies.back(), u.extension() == ".service"
                                          ? replaced(text, "ExecStart=/usr/bin/schedule ",
                                                     "ExecStart=" + schedule::test::binary() + " ")
                                          : text);
        }
        const auto man = sb.dir() / "man";
        fs::create_directories(man / "man1");
        fs::copy_file(SCHEDULE_MANPAGE, man / "man1" / "schedule.1");
        sb.env["MANPATH"] = man.string();
        // A user manager needs its runtime directory.
        const auto runtime = sb.dir() / "runtime";
        fs::create_directories(runtime);
        fs::permissions(runtime, fs::perms::owner_all);
        sb.env["XDG_RUNTIME_DIR"] = runtime.string();

        for (const auto& mode : {std::vector<std::string>{"--system"}, {"--user"}}) {
            CAPTURE(mode[0]);
            auto r = verify(sb, mode, copies);
            INFO("stderr: " << r.err);
            CHECK(r.exit_code == 0);
            CHECK(r.err.empty());
        }

        // The judge itself: a key systemd does not know is reported.
        write_text(copies.front(), read_text(copies.front()) + "Restartt=no\n");
        auto bad = verify(sb, {"--system"}, copies);
        CHECK(bad.err.find("Restartt") != std::string::npos);
    }

    TEST_CASE("the cron.d line ticks as root, only without systemd and with the binary installed") {
        Sandbox sb;
        const auto text = read_text(packaging_dir / "cron.d" / "schedule");
        std::vector<std::string> entries;
        for (const auto& line : lines_of(text))
            if (!line.empty() && line[0] != '#')
                entries.push_back(line);
        REQUIRE(entries.size() == 1);
        const std::string when_who = "* * * * * root ";
        REQUIRE(entries[0].rfind(when_who, 0) == 0);
        const auto command = entries[0].substr(when_who.size());
        CHECK(command.find("/usr/bin/schedule tick -q") != std::string::npos);

        // Run the command as cron does (sh -c), with the systemd directory
        // and the binary moved into the sandbox; the binary records its
        // arguments.
        const auto systemd_dir = sb.dir() / "run-systemd-system";
        const auto bin = sb.dir() / "bin-schedule";
        const auto args_file = sb.dir() / "args";
        const auto here = replaced(replaced(command, "/run/systemd/system", systemd_dir.string()),
                                   "/usr/bin/schedule", bin.string());
        auto cron_runs = [&] {
            fs::remove(args_file);
            auto r = sb.run_program({"/bin/sh", "-c", here});
            INFO("command: " << here << "\nstdout: " << r.out << "\nstderr: " << r.err);
            CHECK(r.exit_code == 0);
            CHECK(r.out.empty()); // cron would mail it
            CHECK(r.err.empty());
            return fs::exists(args_file) ? read_text(args_file) : std::string("(not run)");
        };

        // Removed package: the binary is gone, nothing runs, nothing is said.
        CHECK(cron_runs() == "(not run)");
        write_text(bin, "#!/bin/sh\necho \"$@\" > '" + args_file.string() + "'\n",
                   fs::perms::owner_all);
        CHECK(cron_runs() == "tick -q\n");
        // systemd runs: its timer ticks, cron does not.
        fs::create_directories(systemd_dir);
        CHECK(cron_runs() == "(not run)");
    }
}
