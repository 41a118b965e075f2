// The .deb that CPack builds from this build tree: what it holds, what
// lintian says of it, `cmake --install` under another prefix, and, as root,
// a real installation with dpkg, removal and purge, checking that the
// timer is enabled, the binary, man page and completions work, and that
// nothing is left behind but root's store.
//
// CTest runs these cases one at a time and alone (label "package"), and
// the installing case holds dpkg's lock, since it changes the machine. It
// never leaves the package installed: a failing case purges it on the way
// out.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;
using schedule::test::Args;
using schedule::test::lines_of;
using schedule::test::read_text;
using schedule::test::require_program;
using schedule::test::RunResult;
using schedule::test::Sandbox;

namespace {

const fs::path source_dir = SCHEDULE_SOURCE_DIR;
const fs::path build_dir = SCHEDULE_BUILD_DIR;
const std::string store_dir = "/var/lib/schedule";
const std::string timer_link = "/etc/systemd/system/timers.target.wants/schedule-tick.timer";

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

RunResult must(const Sandbox& sb, const Args& argv, const std::string& input = {}) {
    auto r = sb.run_program(argv, input);
    INFO(argv[0] << ' ' << (argv.size() > 1 ? argv[1] : "") << "\nstdout: " << r.out
                 << "\nstderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// dpkg and its maintainer scripts want the sbin directories in PATH.
void use_admin_path(Sandbox& sb) {
    sb.env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    sb.env["DEBIAN_FRONTEND"] = "noninteractive";
}

// Builds the package from the build tree into the sandbox; returns its path.
fs::path build_package(const Sandbox& sb) {
    require_program(sb, "dpkg-shlibdeps", "dpkg-dev");
    const auto out = sb.dir() / "package";
    must(sb, {CPACK_COMMAND, "--config", (build_dir / "CPackConfig.cmake").string(), "-G", "DEB",
              "-B", out.string()});
    auto arch = must(sb, {"dpkg", "--print-architecture"}).out;
    arch = arch.substr(0, arch.find('\n'));
    const auto deb = out / ("schedule_" SCHEDULE_VERSION "_" + arch + ".deb");
    REQUIRE_MESSAGE(fs::exists(deb), deb << " was not built");
    return deb;
}

struct Entry {
    std::string mode; // "-rw-r--r--", "drwxr-xr-x", ...
    std::string owner;
};

// `dpkg-deb -c`: absolute path -> mode and owner.
std::map<std::string, Entry> contents(const Sandbox& sb, const fs::path& deb) {
    std::map<std::string, Entry> out;
    for (const auto& line : lines_of(must(sb, {"dpkg-deb", "-c", deb.string()}).out)) {
        std::istringstream in(line);
        std::string mode, owner, size, date, time, path;
        in >> mode >> owner >> size >> date >> time >> path;
        REQUIRE_MESSAGE(path.rfind("./", 0) == 0, line);
        path = path.substr(1);
        if (path.size() > 1 && path.back() == '/')
            path.pop_back();
        out[path] = {mode, owner};
    }
    return out;
}

struct Completion {
    fs::path source;
    std::string installed;
};

// The completion scripts in completions/ and where the package puts them.
std::vector<Completion> completions() {
    const auto dir = source_dir / "completions";
    return {{dir / "schedule.bash", "/usr/share/bash-completion/completions/schedule"},
            {dir / "_schedule", "/usr/share/zsh/vendor-completions/_schedule"}};
}

// Every file (not directory) the package installs, with the source it must
// equal byte for byte where there is one.
std::map<std::string, fs::path> expected_files() {
    const auto packaging = source_dir / "packaging";
    std::map<std::string, fs::path> files = {
        {"/usr/bin/schedule", {}},
        {"/usr/share/man/man1/schedule.1.gz", {}},
        {"/usr/share/doc/schedule/changelog.gz", {}},
        {"/usr/share/doc/schedule/copyright", packaging / "debian" / "copyright"},
        {"/etc/cron.d/schedule", packaging / "cron.d" / "schedule"},
    };
    for (const char* manager : {"system", "user"})
        for (const char* unit : {"schedule-tick.service", "schedule-tick.timer"})
            files[std::string("/usr/lib/systemd/") + manager + "/" + unit] = packaging / unit;
    for (const auto& c : completions())
        files[c.installed] = c.source;
    return files;
}

// What the package's installation may touch, as a comparable listing: every
// path the package holds and the places the maintainer scripts write.
std::string host_state(const std::map<std::string, Entry>& package) {
    std::ostringstream out;
    auto list = [&](const fs::path& p) {
        struct stat st {};
        if (::lstat(p.c_str(), &st) != 0)
            return;
        out << p.string() << ' ' << std::oct << st.st_mode << std::dec << '\n';
    };
    for (const auto& [path, entry] : package)
        list(path);
    list(store_dir);
    for (const char* dir : {"/etc/systemd/system", "/var/lib/systemd/deb-systemd-helper-enabled",
                            "/var/lib/systemd/deb-systemd-helper-masked"}) {
        std::error_code ec;
        for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
            list(it->path());
    }
    return out.str();
}

std::string package_status(const Sandbox& sb) {
    return sb.run_program({"dpkg-query", "-W", "-f=${Status}", "schedule"}).out;
}

bool not_installed(const std::string& status) {
    return status.empty() || status == "unknown ok not-installed";
}

// dpkg's frontend lock, taken as apt takes it: waiting until whoever holds
// it (apt, or this test in another build tree) is done, then held while a
// case installs, removes and purges, with DPKG_FRONTEND_LOCKED telling the
// dpkg runs that their frontend holds it.
class DpkgLock {
public:
    explicit DpkgLock(Sandbox& sb) {
        m_fd =
            ::open("/var/lib/dpkg/lock-frontend", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
        REQUIRE_MESSAGE(m_fd >= 0, "cannot open dpkg's lock-frontend");
        struct flock whole {};
        whole.l_type = F_WRLCK;
        whole.l_whence = SEEK_SET;
        REQUIRE(::fcntl(m_fd, F_SETLKW, &whole) == 0);
        sb.env["DPKG_FRONTEND_LOCKED"] = "1";
    }
    ~DpkgLock() { ::close(m_fd); }
    DpkgLock(const DpkgLock&) = delete;
    DpkgLock& operator=(const DpkgLock&) = delete;

private:
    int m_fd = -1;
};

// Installs the package for one case; purges it (and removes root's store
// directory when the case created it) however the case ends.
class Installation {
public:
    Installation(const Sandbox& sb, const fs::path& deb, bool store_dir_existed)
        : m_sb(sb), m_store_dir_existed(store_dir_existed) {
        m_installed = true; // from here on the destructor purges
        auto r = m_sb.run_program({"dpkg", "-i", deb.string()});
        m_install_result = r;
    }
    ~Installation() {
        if (m_installed)
            m_sb.run_program({"dpkg", "--purge", "schedule"});
        std::error_code ec;
        if (!m_store_dir_existed)
            fs::remove_all(store_dir, ec);
    }
    Installation(const Installation&) = delete;
    Installation& operator=(const Installation&) = delete;

    // Checks what the constructor's `dpkg -i` did (the constructor must not
    // fail, or the destructor would not purge).
    void check_installed() const {
        const auto& r = m_install_result;
        INFO("dpkg -i\nstdout: " << r.out << "\nstderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK_FALSE(has(r.err, "warning"));
        CHECK_FALSE(has(r.err, "error"));
    }

    RunResult dpkg(const std::string& action) {
        auto r = m_sb.run_program({"dpkg", action, "schedule"});
        INFO("dpkg " << action << "\nstdout: " << r.out << "\nstderr: " << r.err);
        REQUIRE(r.exit_code == 0);
        m_installed = action != "--purge";
        return r;
    }

private:
    const Sandbox& m_sb;
    bool m_store_dir_existed;
    bool m_installed = false;
    RunResult m_install_result;
};

bool systemd_runs() {
    return fs::is_directory("/run/systemd/system");
}

// Whether a cron daemon runs (a process named cron or crond).
bool cron_runs() {
    for (const auto& entry : fs::directory_iterator("/proc")) {
        std::ifstream in(entry.path() / "comm");
        std::string comm;
        if (std::getline(in, comm) && (comm == "cron" || comm == "crond"))
            return true;
    }
    return false;
}

// `schedule doctor --format json`'s check `name` (the first of that name).
nlohmann::json doctor_check(const Sandbox& sb, const std::string& binary, const std::string& name,
                            int* exit_code = nullptr) {
    auto r = sb.run_program({binary, "doctor", "--format", "json"});
    if (exit_code)
        *exit_code = r.exit_code;
    const auto doc = nlohmann::json::parse(r.out);
    for (const auto& c : doc.at("checks"))
        if (c.at("check").get<std::string>() == name)
            return c;
    FAIL("no check " << name << " in: " << r.out << r.err);
    return {};
}

// A process whose name is `cron` (a copy of sleep), for as long as it lives.
class FakeCronDaemon {
public:
    explicit FakeCronDaemon(const Sandbox& sb) {
        static int made = 0;
        const auto dir = sb.dir() / ("daemon-" + std::to_string(++made));
        fs::create_directories(dir);
        const auto program = dir / "cron";
        fs::copy_file("/bin/sleep", program);
        auto r = sb.run_program(
            {"sh", "-c", "\"$0\" 300 </dev/null >/dev/null 2>&1 & echo $!", program.string()});
        REQUIRE(r.exit_code == 0);
        m_pid = std::stol(r.out);
    }
    ~FakeCronDaemon() { ::kill(static_cast<pid_t>(m_pid), SIGKILL); }
    FakeCronDaemon(const FakeCronDaemon&) = delete;
    FakeCronDaemon& operator=(const FakeCronDaemon&) = delete;

private:
    long m_pid = 0;
};

// A file in /etc/cron.d for as long as it lives.
class CronFile {
public:
    CronFile(const std::string& name, const std::string& text) : m_path("/etc/cron.d/" + name) {
        std::ofstream(m_path) << text;
    }
    ~CronFile() {
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    CronFile(const CronFile&) = delete;
    CronFile& operator=(const CronFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

} // namespace

TEST_SUITE("package") {

    TEST_CASE("the .deb holds exactly the expected files and fields, and lintian finds nothing") {
        Sandbox sb;
        use_admin_path(sb);
        const auto deb = build_package(sb);

        const auto listed = contents(sb, deb);
        const auto expected = expected_files();
        std::set<std::string> files;
        for (const auto& [path, entry] : listed) {
            CAPTURE(path);
            CHECK(entry.owner == "root/root");
            if (entry.mode[0] == 'd') {
                CHECK(entry.mode == "drwxr-xr-x");
                continue;
            }
            files.insert(path);
            CHECK(entry.mode == (path == "/usr/bin/schedule" ? "-rwxr-xr-x" : "-rw-r--r--"));
        }
        std::set<std::string> expected_paths;
        for (const auto& [path, source] : expected)
            expected_paths.insert(path);
        CHECK(files == expected_paths);

        // Installed under /usr, the units and the cron line are the files of
        // packaging/ as they are; the compressed files are the built ones.
        const auto root = sb.dir() / "root";
        must(sb, {"dpkg-deb", "-x", deb.string(), root.string()});
        for (const auto& [path, source] : expected) {
            CAPTURE(path);
            if (!source.empty())
                CHECK(read_text(root.string() + path) == read_text(source));
        }
        auto gunzipped = [&](const std::string& path) {
            return must(sb, {"gzip", "-dc", root.string() + path}).out;
        };
        CHECK(gunzipped("/usr/share/man/man1/schedule.1.gz") == read_text(SCHEDULE_MANPAGE));
        CHECK(gunzipped("/usr/share/doc/schedule/changelog.gz") ==
              read_text(source_dir / "packaging" / "debian" / "changelog"));
        CHECK(must(sb, {root.string() + "/usr/bin/schedule", "--version"}).out ==
              "schedule " SCHEDULE_VERSION "\n");

        auto field = [&](const std::string& name) {
            auto v = must(sb, {"dpkg-deb", "-f", deb.string(), name}).out;
            return v.substr(0, v.find_last_not_of('\n') + 1);
        };
        CHECK(field("Package") == "schedule");
        CHECK(field("Version") == SCHEDULE_VERSION);
        CHECK(field("Section") == "admin");
        CHECK(has(field("Maintainer"), "<"));
        CHECK(field("Description").rfind("per-host job scheduler", 0) == 0);
        // From dpkg-shlibdeps, and for the maintainer scripts.
        const auto depends = field("Depends");
        for (const char* dependency : {"libc6 ", "libsqlite3-0 ", "init-system-helpers "})
            CHECK_MESSAGE(has(depends, dependency), depends);

        const auto control = sb.dir() / "control";
        must(sb, {"dpkg-deb", "-e", deb.string(), control.string()});
        CHECK(read_text(control / "conffiles") == "/etc/cron.d/schedule\n");
        for (const char* script : {"postinst", "prerm", "postrm"}) {
            CAPTURE(script);
            CHECK(read_text(control / script) ==
                  read_text(source_dir / "packaging" / "debian" / script));
            CHECK((fs::status(control / script).permissions() & fs::perms::all) ==
                  (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                   fs::perms::others_read | fs::perms::others_exec));
        }

        // Purge removes root's store directory when it is empty, else keeps
        // it and says so: the packaged postrm run on a scratch root.
        const auto scratch = sb.dir() / "scratch-root";
        fs::create_directories(scratch / "var" / "lib" / "schedule");
        sb.env["DPKG_ROOT"] = scratch.string();
        sb.env["DPKG_MAINTSCRIPT_PACKAGE"] = "schedule"; // as dpkg runs it
        sb.env["DPKG_MAINTSCRIPT_NAME"] = "postrm";
        fs::create_directories(scratch / "var" / "lib" / "schedule" / "kept");
        auto kept = must(sb, {"sh", (control / "postrm").string(), "purge"});
        CHECK(fs::exists(scratch / "var" / "lib" / "schedule" / "kept"));
        CHECK(kept.err == "schedule: " + scratch.string() +
                              "/var/lib/schedule (root's job store) is not empty: kept; remove "
                              "it by hand\n");
        fs::remove(scratch / "var" / "lib" / "schedule" / "kept");
        auto emptied = must(sb, {"sh", (control / "postrm").string(), "purge"});
        CHECK_FALSE(fs::exists(scratch / "var" / "lib" / "schedule"));
        CHECK(emptied.err.empty());
        for (const char* name : {"DPKG_ROOT", "DPKG_MAINTSCRIPT_PACKAGE", "DPKG_MAINTSCRIPT_NAME"})
            sb.env.erase(name);

        // No error and no warning; README.md (Packaging) lists what lintian
        // reports at lower levels, and why it stays.
        require_program(sb, "lintian", "lintian");
        auto lint = sb.run_program({"lintian", "--pedantic", deb.string()});
        INFO("lintian:\n" << lint.out << lint.err);
        CHECK(lint.exit_code == 0);
        for (const auto& line : lines_of(lint.out)) {
            CHECK_FALSE(line.rfind("E: ", 0) == 0);
            CHECK_FALSE(line.rfind("W: ", 0) == 0);
        }
    }

    TEST_CASE("cmake --install under another prefix runs that prefix's binary") {
        Sandbox sb;
        const auto prefix = sb.dir() / "prefix";
        must(sb, {CMAKE_COMMAND, "--install", build_dir.string(), "--prefix", prefix.string()});
        const auto binary = prefix / "bin" / "schedule";
        CHECK(fs::exists(binary));
        CHECK(fs::exists(prefix / "share" / "man" / "man1" / "schedule.1.gz"));
        for (const char* manager : {"system", "user"}) {
            const auto service =
                read_text(prefix / "lib" / "systemd" / manager / "schedule-tick.service");
            CHECK(has(service, "\nExecStart=" + binary.string() + " tick -q\n"));
            CHECK_FALSE(has(service, "/usr/bin/schedule"));
            CHECK(read_text(prefix / "lib" / "systemd" / manager / "schedule-tick.timer") ==
                  read_text(source_dir / "packaging" / "schedule-tick.timer"));
        }
        const auto cron = read_text(prefix / "etc" / "cron.d" / "schedule");
        CHECK(
            has(cron, "|| test ! -x " + binary.string() + " || " + binary.string() + " tick -q\n"));
        CHECK_FALSE(has(cron, "/usr/bin/schedule"));
    }

    TEST_CASE(
        "dpkg installs it with the timer enabled, and remove and purge leave only the store") {
        if (::geteuid() != 0) {
            MESSAGE("skipped: installing the package needs root (the other package cases ran)");
            return;
        }
        Sandbox sb;
        use_admin_path(sb);
        const auto deb = build_package(sb);
        const auto listed = contents(sb, deb);
        DpkgLock lock(sb);
        const auto status = package_status(sb);
        REQUIRE_MESSAGE(not_installed(status), "a schedule package is on this machine ("
                                                   << status
                                                   << "); this test installs "
                                                      "and purges its own: "
                                                      "dpkg --purge schedule");
        const bool store_dir_existed = fs::exists(store_dir);
        const auto before = host_state(listed);

        Installation installation(sb, deb, store_dir_existed);
        installation.check_installed();
        CHECK(package_status(sb) == "install ok installed");
        for (const auto& [path, source] : expected_files())
            CHECK_MESSAGE(fs::exists(path), path);
        struct stat st {};
        REQUIRE(::stat(store_dir.c_str(), &st) == 0);
        if (!store_dir_existed) {
            CHECK((st.st_mode & 07777) == 0700);
            CHECK(st.st_uid == 0);
            CHECK(st.st_gid == 0);
        }
        // Enabled, and started where systemd runs.
        CHECK(fs::is_symlink(timer_link));
        if (systemd_runs())
            CHECK(sb.run_program({"systemctl", "is-active", "schedule-tick.timer"}).out ==
                  "active\n");
        CHECK(must(sb, {"/usr/bin/schedule", "--version"}).out == "schedule " SCHEDULE_VERSION
                                                                  "\n");
        CHECK(must(sb, {"man", "-w", "schedule"}).out == "/usr/share/man/man1/schedule.1.gz\n");
        // The installed completions offer a job's name, read by the
        // installed binary from the store: bash's from where
        // bash-completion loads it, zsh's from its $fpath directory.
        {
            Sandbox user;
            user.env["PATH"] = "/usr/bin:/bin";
            must(user, {"/usr/bin/schedule", "job", "create", "nightly", "--command", "true"});
            auto bash =
                must(user,
                     {"bash", (source_dir / "tests" / "completion" / "bash_complete.sh").string(),
                      completions()[0].installed},
                     "schedule job show ni\n");
            CHECK(bash.out == "nightly\n<<END>>\n");
            auto zsh = must(user,
                            {"zsh", "-f",
                             (source_dir / "tests" / "completion" / "zsh_complete.zsh").string(),
                             fs::path(completions()[1].installed).parent_path().string()},
                            "schedule job show ni\n");
            CHECK(zsh.out == "nightly\n<<END>>\n");
        }
        // The installed binary ticks root's default store in the directory
        // the package made (it refuses a store others could write to).
        const auto store = store_dir + "/schedule.db";
        if (store_dir_existed) {
            MESSAGE(store_dir << " was here before: no store is made in it");
        } else {
            sb.env.erase("SCHEDULE_STORE");
            must(sb, {"/usr/bin/schedule", "job", "create", "kept", "--command", "true", "-q"});
            const auto tick = must(sb, {"/usr/bin/schedule", "tick", "-q"});
            CHECK(tick.out.empty());
            CHECK(tick.err.empty());
            REQUIRE(fs::exists(store));
            // doctor finds the package's timer and cron line for root's
            // store, and says which one ticks it or why neither does.
            const auto driver = doctor_check(sb, "/usr/bin/schedule", "tick-driver");
            const auto message = driver.at("message").get<std::string>();
            INFO(message);
            if (systemd_runs()) {
                CHECK(message == "schedule-tick.timer (system) ticks this store");
            } else if (cron_runs()) {
                CHECK(message == "/etc/cron.d/schedule line 7 ticks this store");
            } else {
                CHECK(driver.at("status") == "fail");
                CHECK(message == "schedule-tick.timer (system) is enabled, but systemd does not "
                                 "run this host; /etc/cron.d/schedule line 7 is there, but no "
                                 "cron daemon is running");
                CHECK(has(driver.at("fix").get<std::string>(), "apt install cron"));
            }
            CHECK(doctor_check(sb, "/usr/bin/schedule", "last-tick").at("status") == "ok");
        }

        installation.dpkg("-r");
        CHECK(package_status(sb) == "deinstall ok config-files");
        for (const auto& [path, entry] : listed) {
            if (path == "/etc/cron.d/schedule") // a conffile: kept until purged
                CHECK(fs::exists(path));
            else if (entry.mode[0] != 'd')
                CHECK_MESSAGE(!fs::exists(path), path);
        }
        CHECK(fs::is_symlink(timer_link)); // the administrator's choice, kept until purged
        if (systemd_runs())
            CHECK(sb.run_program({"systemctl", "is-active", "schedule-tick.timer"}).out !=
                  "active\n");

        // The store outlives the package; the empty directory's removal is
        // the first case's.
        const auto purged = installation.dpkg("--purge");
        CHECK(not_installed(package_status(sb)));
        if (!store_dir_existed) {
            CHECK(fs::exists(store));
            CHECK(has(purged.err, store_dir + " (root's job store) is not empty: kept"));
            fs::remove_all(store_dir);
        }
        CHECK(host_state(listed) == before);
    }

    TEST_CASE("doctor: a cron line for the store and a running cron daemon tick it") {
        if (::geteuid() != 0) {
            MESSAGE("skipped: writing /etc/cron.d needs root");
            return;
        }
        Sandbox sb;
        const auto binary = schedule::test::binary();
        sb.ok({"job", "create", "a", "--cron", "* * * * *", "--command", "true", "-q"});
        const auto name = "schedule-doctor-test-" + std::to_string(::getpid());
        const auto store = sb.store().string();
        auto message = [&] {
            return doctor_check(sb, binary, "tick-driver").at("message").get<std::string>();
        };
        {
            // SCHEDULE_STORE set before the line, as cron allows; the line
            // stands aside for the timer where systemd runs.
            CronFile file(name, "SCHEDULE_STORE=" + store +
                                    "\n* * * * * root test -d /run/systemd/system || " + binary +
                                    " tick -q\n");
            if (systemd_runs()) {
                CHECK(message() == file.path() +
                                       " line 2 stands aside because systemd runs this host (its "
                                       "timer ticks instead)");
                return;
            }
            if (!cron_runs())
                CHECK(message() == file.path() + " line 2 is there, but no cron daemon is running");
            FakeCronDaemon cron(sb);
            CHECK(message() == file.path() + " line 2 ticks this store");
            // With a tick just now and nothing else amiss, nothing fails.
            sb.ok({"tick", "-q"});
            int code = -1;
            CHECK(doctor_check(sb, binary, "tick-driver", &code).at("status") == "ok");
            CHECK(code == 0);
            // A second line for the same store (--store, in another form).
            CronFile twice(name + "-2", "*/5 * * * * root cd / && " + binary + " --store=" + store +
                                            " -q tick\n");
            const auto driver = doctor_check(sb, binary, "tick-driver", &code);
            CHECK(driver.at("status") == "warn");
            CHECK(driver.at("message") == "ticked more than once, by " + file.path() + " line 2, " +
                                              twice.path() + " line 1");
            CHECK(code == 0);
        }
        {
            // Only a dry run, or every five minutes.
            CronFile dry(name,
                         "* * * * * root " + binary + " --store " + store + " tick --dry-run\n");
            FakeCronDaemon cron(sb);
            CHECK(message().starts_with("nothing ticks " + store));
        }
        {
            CronFile slow(name, "*/5 * * * * root " + binary + " --store " + store + " tick\n");
            FakeCronDaemon cron(sb);
            auto driver = doctor_check(sb, binary, "tick-driver");
            CHECK(driver.at("status") == "warn");
            CHECK(driver.at("message") ==
                  "/etc/cron.d/" + name + " line 1 ticks this store, but not every minute");
        }
    }
}
