// Keeps the layering of ARCHITECTURE.md true by reading the includes of
// every source file: which module may include which, and which third-party
// or system headers each module may use.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

struct Source {
    std::string path;   // relative to the source dir
    std::string module; // lib module name, or "app"
    std::vector<std::string> includes;
};

std::vector<Source> sources() {
    const fs::path root = SCHEDULE_SOURCE_DIR;
    std::vector<Source> out;
    const std::regex include_re(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
    for (const char* top : {"lib/schedule", "app"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp")
                continue;
            Source s;
            s.path = fs::relative(entry.path(), root).string();
            if (std::string(top) == "app") {
                s.module = "app";
            } else {
                auto rel = fs::relative(entry.path(), root / top);
                s.module = rel.begin()->string();
            }
            std::ifstream in(entry.path());
            std::string line;
            std::smatch m;
            while (std::getline(in, line))
                if (std::regex_search(line, m, include_re))
                    s.includes.push_back(m[1]);
            out.push_back(std::move(s));
        }
    }
    return out;
}

// The modules each module may include (besides itself), from
// app -> service -> {store, exec} -> {plan, history, backup} -> model -> cron -> time -> util,
// and app -> format -> {model, plan, history, time, util}.
const std::map<std::string, std::set<std::string>>& allowed() {
    static const std::map<std::string, std::set<std::string>> k = {
        {"util", {}},
        {"time", {"util"}},
        {"cron", {"time", "util"}},
        {"model", {"cron", "time", "util"}},
        {"plan", {"model", "cron", "time", "util"}},
        {"history", {"model", "cron", "time", "util"}},
        {"backup", {"model", "cron", "time", "util"}},
        {"store", {"plan", "history", "backup", "model", "cron", "time", "util"}},
        {"exec", {"plan", "history", "backup", "model", "cron", "time", "util"}},
        {"format", {"model", "plan", "history", "cron", "time", "util"}},
        {"service",
         {"store", "exec", "plan", "history", "backup", "model", "cron", "time", "util"}},
        {"app",
         {"service", "format", "store", "exec", "plan", "history", "backup", "model", "cron",
          "time", "util"}},
    };
    return k;
}

bool starts_with(const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
}

} // namespace

TEST_SUITE("architecture") {

    TEST_CASE("modules include only the modules below them") {
        auto all = sources();
        REQUIRE(all.size() > 20);
        for (const auto& s : all) {
            REQUIRE_MESSAGE(allowed().count(s.module),
                            "unknown module " << s.module << " in " << s.path);
            const auto& ok = allowed().at(s.module);
            for (const auto& inc : s.includes) {
                if (!starts_with(inc, "schedule/"))
                    continue;
                auto target = inc.substr(9, inc.find('/', 9) - 9);
                bool fine = target == s.module || ok.count(target);
                CHECK_MESSAGE(fine, s.path << " (" << s.module << ") includes " << inc);
            }
        }
    }

    TEST_CASE("third-party and system headers stay in their module") {
        struct Rule {
            std::string header_prefix;
            std::string only_in; // path prefix
        };
        const std::vector<Rule> rules = {
            {"SQLiteCpp/", "lib/schedule/store/"},
            {"sqlite3.h", "lib/schedule/store/"},
            {"CLI/", "app/cli.cpp"},
            {"date/", "lib/schedule/time/"},
            {"spawn.h", "lib/schedule/exec/"},
            {"sys/wait.h", "lib/schedule/exec/"},
            {"sys/prctl.h", "lib/schedule/exec/"},
            {"csignal", "lib/schedule/exec/"},
            {"signal.h", "lib/schedule/exec/"},
        };
        for (const auto& s : sources())
            for (const auto& inc : s.includes)
                for (const auto& r : rules)
                    if (starts_with(inc, r.header_prefix))
                        CHECK_MESSAGE(starts_with(s.path, r.only_in),
                                      s.path << " includes <" << inc << ">, allowed only in "
                                             << r.only_in);
    }

    TEST_CASE("only the clock reads the system clock") {
        const fs::path root = SCHEDULE_SOURCE_DIR;
        for (const auto& s : sources()) {
            if (s.path == "lib/schedule/time/clock.cpp")
                continue;
            std::ifstream in(root / s.path);
            std::string text((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
            CHECK_MESSAGE(text.find("system_clock::now") == std::string::npos, s.path);
        }
    }
}
