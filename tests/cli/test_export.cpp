// `schedule export` through the real binary (man page EXPORT): every
// trigger type on each target, crontab lines read back as cron reads them
// and run, systemd units checked by systemd itself (systemd-analyze verify,
// its calendar against `job next`, and the unit files as systemd loads
// them), CronJobs checked against the Kubernetes schema, names and texts
// that hold quotes, unicode and control characters, files, refusals and
// exit codes.

#include "harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using nlohmann::json;
using schedule::test::Args;
using schedule::test::contains;
using schedule::test::check_error_line;
using schedule::test::concat;
using schedule::test::lines_of;
using schedule::test::require_program;
using schedule::test::RunResult;
using schedule::test::Sandbox;
namespace fs = std::filesystem;
using namespace std::string_literals;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Creates a job and returns its id.
std::string create(const Sandbox& sb, const Args& args) {
    auto r = sb.run(concat({"job", "create", "-q"}, args));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out.substr(0, 8);
}

// Runs `export ARGS`, requires exit 0 and returns the result.
RunResult exported(const Sandbox& sb, const Args& args) {
    auto r = sb.run(concat({"export"}, args));
    INFO("stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

// The warning line about job `id`, or "".
std::string warning_about(const std::string& err, const std::string& id) {
    for (const auto& line : lines_of(err))
        if (line.rfind("schedule: warning: ", 0) == 0 && contains(line, "(" + id + "): "))
            return line;
    return "";
}

// --- crontab as cron reads it ----------------------------------------------

// A job line of a crontab: its schedule (five fields or an @macro), the
// command field as written, and the CRON_TZ in force (empty: none given).
struct CronLine {
    std::string schedule;
    std::string field;
    std::string zone;
};

// The job lines of a crontab by the id in the comment line above each,
// skipping comments (a commented-out line of a paused job included).
std::map<std::string, CronLine> cron_lines(const std::string& crontab) {
    std::map<std::string, CronLine> out;
    std::string id, zone;
    for (const auto& line : lines_of(crontab)) {
        if (line.rfind("# ", 0) == 0) {
            auto open = line.find(" (");
            if (open != std::string::npos)
                id = line.substr(open + 2, 8);
            continue;
        }
        if (line.empty() || line[0] == '#')
            continue;
        if (line.rfind("CRON_TZ=", 0) == 0) {
            zone = line.substr(8);
            continue;
        }
        if (line.rfind("SHELL=", 0) == 0 || line.rfind("PATH=", 0) == 0)
            continue;
        // Fields are separated by blanks; a macro is one field.
        std::size_t pos = 0;
        const int fields = line[0] == '@' ? 1 : 5;
        for (int f = 0; f < fields; ++f) {
            pos = line.find_first_not_of(" \t", pos);
            pos = line.find_first_of(" \t", pos);
        }
        auto start = line.find_first_not_of(" \t", pos);
        out[id] = {line.substr(0, pos), line.substr(start), zone};
    }
    return out;
}

// The command and the stdin cron makes of a command field, as cronie does
// (do_command.c): the first `%` not escaped by a backslash ends the
// command, `\%` is a `%`, any other backslash stays; after it each `%` is a
// newline of stdin.
std::pair<std::string, std::string> cron_command(const std::string& field) {
    std::string command;
    bool escaped = false;
    std::size_t i = 0;
    for (; i < field.size(); ++i) {
        char c = field[i];
        if (escaped) {
            if (c == '%')
                command.back() = '%';
            else
                command += c;
            escaped = false;
            continue;
        }
        if (c == '%')
            break;
        escaped = c == '\\';
        command += c;
    }
    std::string input = i < field.size() ? field.substr(i + 1) : "";
    std::replace(input.begin(), input.end(), '%', '\n');
    return {command, input};
}

// --- systemd ----------------------------------------------------------------

// "Www YYYY-MM-DD HH:MM:SS UTC" lines of systemd-analyze calendar (run in
// UTC) as "YYYY-MM-DDTHH:MM:SSZ".
std::vector<std::string> elapses(const std::string& out) {
    std::vector<std::string> v;
    for (const auto& line : lines_of(out)) {
        if (!contains(line, "Next elapse: ") && !contains(line, "Iter. #"))
            continue;
        auto colon = line.find(": ");
        auto t = line.substr(colon + 2); // "Mon 2026-06-10 07:15:00 UTC"
        REQUIRE(t.size() == 27);
        CHECK(t.substr(24) == "UTC");
        v.push_back(t.substr(4, 10) + "T" + t.substr(15, 8) + "Z");
    }
    return v;
}

// The values of `key=` lines of a unit file.
std::vector<std::string> unit_values(const std::string& unit, const std::string& key) {
    std::vector<std::string> out;
    for (const auto& line : lines_of(unit))
        if (line.rfind(key + "=", 0) == 0)
            out.push_back(line.substr(key.size() + 1));
    return out;
}

// The file of `dir` whose name holds `id` and ends in `ext`.
fs::path file_of(const fs::path& dir, const std::string& id, const std::string& ext) {
    for (const auto& e : fs::directory_iterator(dir)) {
        auto name = e.path().filename().string();
        if (contains(name, id) && name.ends_with(ext))
            return e.path();
    }
    FAIL("no " << ext << " file for job " << id << " in " << dir);
    return {};
}

// One argument of systemd's "Command Line:" dump, which quotes arguments
// in double quotes with C escapes (\" \\ \$ \n \t \r \a \b \f \v \ooo).
std::vector<std::string> dumped_command_line(const std::string& text) {
    std::vector<std::string> args;
    std::string cur;
    bool quoted = false, any = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '"') {
            quoted = !quoted;
            any = true;
        } else if (c == '\\' && i + 1 < text.size()) {
            char n = text[++i];
            static const std::map<char, char> simple = {{'n', '\n'}, {'t', '\t'}, {'r', '\r'},
                                                        {'a', '\a'}, {'b', '\b'}, {'f', '\f'},
                                                        {'v', '\v'}};
            if (simple.count(n)) {
                cur += simple.at(n);
            } else if (n >= '0' && n <= '7' && i + 2 < text.size()) {
                cur += static_cast<char>(std::stoi(text.substr(i, 3), nullptr, 8));
                i += 2;
            } else {
                cur += n;
            }
        } else if (c == ' ' && !quoted) {
            if (any || !cur.empty())
                args.push_back(cur);
            cur.clear();
            any = false;
        } else {
            cur += c;
        }
    }
    if (any || !cur.empty())
        args.push_back(cur);
    return args;
}

// --- Kubernetes ---------------------------------------------------------------

// The YAML that export writes, read strictly into JSON: block mappings and
// sequences by indentation, double-quoted strings, integers, true/false and
// flow sequences of double-quoted strings; comment lines only before a
// document's `---`. Anything else (a plain string above all, which YAML 1.1
// might read as a boolean or a number) fails the test. Documents in order.
class ExportedYaml {
public:
    explicit ExportedYaml(const std::string& text) {
        for (const auto& line : lines_of(text)) {
            if (line == "---") {
                m_docs.push_back(std::vector<Line>{});
                continue;
            }
            if (line.rfind("# ", 0) == 0) {
                // A comment belongs before the separator of a document.
                CHECK_MESSAGE((m_docs.empty() || !m_docs.back().empty()), line);
                continue;
            }
            REQUIRE_MESSAGE(!m_docs.empty(), "content before the first ---: " << line);
            const auto indent = line.find_first_not_of(' ');
            REQUIRE_MESSAGE(indent != std::string::npos, "a blank line in a document");
            m_docs.back().push_back({static_cast<int>(indent), line.substr(indent)});
        }
    }

    std::vector<json> documents() const {
        std::vector<json> out;
        for (auto doc : m_docs) {
            std::size_t i = 0;
            out.push_back(block(doc, i, 0));
            CHECK_MESSAGE(i == doc.size(), "lines left after the document: " << doc[i].text);
        }
        return out;
    }

private:
    struct Line {
        int indent;
        std::string text;
    };
    std::vector<std::vector<Line>> m_docs;

    // A double-quoted scalar at the start of `text`: its value, and where
    // it ends. YAML's double-quoted escapes that export uses are JSON's.
    static std::pair<std::string, std::size_t> quoted(const std::string& text) {
        REQUIRE_MESSAGE(!text.empty(), "an empty scalar");
        REQUIRE_MESSAGE(text[0] == '"', "not a double-quoted string: " << text);
        std::size_t end = 1;
        while (end < text.size() && text[end] != '"')
            end += text[end] == '\\' ? 2 : 1;
        REQUIRE_MESSAGE(end < text.size(), "an unterminated string: " << text);
        return {json::parse(text.substr(0, end + 1)).get<std::string>(), end + 1};
    }

    static json scalar(const std::string& text) {
        if (text == "true" || text == "false")
            return text == "true";
        if (!text.empty() && text[0] == '[') {
            auto list = json::parse(text); // ["a", "b"]: JSON's form
            for (const auto& item : list)
                CHECK(item.is_string());
            return list;
        }
        if (!text.empty() && text[0] != '"') {
            const bool digits = std::all_of(text.begin() + (text[0] == '-'), text.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
            REQUIRE_MESSAGE((digits && text != "-"), "a plain scalar: " << text);
            return std::stoll(text);
        }
        auto [value, end] = quoted(text);
        REQUIRE_MESSAGE(end == text.size(), "text after a string: " << text);
        return value;
    }

    // The block at `indent` starting at lines[i]: a sequence when it starts
    // with "- ", else a mapping.
    static json block(std::vector<Line>& lines, std::size_t& i, int indent) {
        REQUIRE(i < lines.size());
        if (lines[i].text.rfind("- ", 0) == 0) {
            json list = json::array();
            while (i < lines.size() && lines[i].indent == indent &&
                   lines[i].text.rfind("- ", 0) == 0) {
                // "- key: value" opens a mapping whose keys line up after "- ".
                lines[i] = {indent + 2, lines[i].text.substr(2)};
                list.push_back(block(lines, i, indent + 2));
            }
            return list;
        }
        json map = json::object();
        while (i < lines.size() && lines[i].indent == indent) {
            const auto& text = lines[i].text;
            std::string key;
            std::size_t after = 0;
            if (text[0] == '"') {
                std::tie(key, after) = quoted(text);
            } else {
                after = text.find(':');
                REQUIRE_MESSAGE(after != std::string::npos, "not a mapping entry: " << text);
                key = text.substr(0, after);
                CHECK_MESSAGE(std::all_of(key.begin(), key.end(),
                                          [](char c) {
                                              return (c >= 'a' && c <= 'z') ||
                                                     (c >= 'A' && c <= 'Z');
                                          }),
                              "a plain key that is not a word: " << key);
            }
            REQUIRE_MESSAGE(text.compare(after, 1, ":") == 0, "no ':' after the key: " << text);
            CHECK_MESSAGE(!map.contains(key), "key given twice: " << key);
            const auto rest = text.substr(after + 1);
            ++i;
            if (rest.empty()) {
                REQUIRE_MESSAGE((i < lines.size() && lines[i].indent > indent),
                                "no block under " << key);
                map[key] = block(lines, i, lines[i].indent);
            } else {
                REQUIRE_MESSAGE(rest[0] == ' ', "no space after ':': " << text);
                map[key] = scalar(rest.substr(1));
            }
        }
        CHECK_MESSAGE((i == lines.size() || lines[i].indent < indent),
                      "a line indented oddly: " << lines[i].text);
        return map;
    }
};

bool dns_label(const std::string& s, std::size_t max) {
    return !s.empty() && s.size() <= max && s.front() != '-' && s.back() != '-' &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
           });
}

// Checks `value` against `schema`, the part of the batch/v1 CronJob schema
// that export uses: an object maps each key it may have to the schema of
// its value; an array holds the schema of its items; a string names a type:
// "string", "int32" (0 to 2^31-1), "int64" (at least 0), "bool",
// "strings" (a list of strings), "string map" (string values), or
// "enum:A|B|..". Every key of `value` must be in its schema.
void check_schema(const json& value, const json& schema, const std::string& path) {
    INFO("at " << path);
    if (schema.is_object()) {
        REQUIRE(value.is_object());
        for (const auto& [key, v] : value.items()) {
            CHECK_MESSAGE(schema.contains(key), "unknown key " << path << "." << key);
            if (schema.contains(key))
                check_schema(v, schema[key], path + "." + key);
        }
        return;
    }
    if (schema.is_array()) {
        REQUIRE(value.is_array());
        for (std::size_t i = 0; i < value.size(); ++i)
            check_schema(value[i], schema[0], path + "[" + std::to_string(i) + "]");
        return;
    }
    const auto type = schema.get<std::string>();
    if (type == "string") {
        CHECK(value.is_string());
    } else if (type == "int32" || type == "int64") {
        REQUIRE(value.is_number_integer());
        CHECK(value.get<long long>() >= 0);
        if (type == "int32")
            CHECK(value.get<long long>() <= 2147483647LL);
    } else if (type == "bool") {
        CHECK(value.is_boolean());
    } else if (type == "strings" || type == "string map") {
        CHECK((type == "strings" ? value.is_array() : value.is_object()));
        for (const auto& item : value)
            CHECK(item.is_string());
    } else {
        REQUIRE(type.rfind("enum:", 0) == 0);
        REQUIRE(value.is_string());
        CHECK_MESSAGE(contains("|" + type.substr(5) + "|", "|" + value.get<std::string>() + "|"),
                      value.get<std::string>() << " is not one of " << type.substr(5));
    }
}

// A CronJob as the Kubernetes API takes it: the schema's fields and types,
// the required fields, and the rules the API server adds (a name of at
// most 52 characters that is a DNS-1123 label, valid label keys and values,
// a five-field schedule).
void check_cron_job(const json& d) {
    static const json container = {
        {"name", "string"},
        {"image", "string"},
        {"command", "strings"},
        {"workingDir", "string"},
        {"env", json::array({{{"name", "string"}, {"value", "string"}}})}};
    static const json schema = {
        {"apiVersion", "enum:batch/v1"},
        {"kind", "enum:CronJob"},
        {"metadata", {{"name", "string"}, {"labels", "string map"}, {"annotations", "string map"}}},
        {"spec",
         {{"schedule", "string"},
          {"timeZone", "string"},
          {"concurrencyPolicy", "enum:Allow|Forbid|Replace"},
          {"startingDeadlineSeconds", "int64"},
          {"suspend", "bool"},
          {"successfulJobsHistoryLimit", "int32"},
          {"failedJobsHistoryLimit", "int32"},
          {"jobTemplate",
           {{"spec",
             {{"backoffLimit", "int32"},
              {"activeDeadlineSeconds", "int64"},
              {"template",
               {{"spec",
                 {{"restartPolicy", "enum:Never|OnFailure"},
                  {"terminationGracePeriodSeconds", "int64"},
                  {"containers", json::array({container})}}}}}}}}}}},
    };
    check_schema(d, schema, "");
    const auto name = d["metadata"]["name"].get<std::string>();
    CHECK_MESSAGE(dns_label(name, 52), name);
    const auto labels = d["metadata"].value("labels", json::object());
    for (const auto& [key, value] : labels.items()) {
        const auto v = value.get<std::string>();
        CHECK_MESSAGE(dns_label(key, 63), key); // export's keys carry no prefix
        CHECK_MESSAGE(
            (v.empty() || (v.size() <= 63 && std::isalnum(static_cast<unsigned char>(v.front())) &&
                           std::isalnum(static_cast<unsigned char>(v.back())))),
            v);
    }
    const auto& spec = d["spec"];
    REQUIRE(spec.contains("schedule"));
    REQUIRE(spec.contains("jobTemplate"));
    std::istringstream fields(spec["schedule"].get<std::string>());
    CHECK(std::distance(std::istream_iterator<std::string>(fields),
                        std::istream_iterator<std::string>()) == 5);
    const auto& pod = spec["jobTemplate"]["spec"]["template"]["spec"];
    REQUIRE(pod["containers"].size() == 1);
    CHECK(pod["containers"][0].contains("image"));
    CHECK(dns_label(pod["containers"][0]["name"].get<std::string>(), 63));
    const auto env = pod["containers"][0].value("env", json::array());
    for (const auto& e : env)
        CHECK(e.contains("name"));
}

// A container's command or an env value as Kubernetes hands it to the
// container (EnvVar.value and Container.command in the API reference):
// `$(NAME)` becomes the value of the variable NAME when the container has
// one and stays as written otherwise, `$$` becomes `$`, and any other `$`
// stays.
std::string kubernetes_expanded(const std::string& s,
                                const std::map<std::string, std::string>& vars) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '$' || i + 1 == s.size()) {
            out += s[i];
        } else if (s[i + 1] == '$') {
            out += '$';
            ++i;
        } else if (auto close = s.find(')', i + 2); s[i + 1] == '(' && close != s.npos) {
            const auto name = s.substr(i + 2, close - i - 2);
            const auto var = vars.find(name);
            out += var != vars.end() ? var->second : "$(" + name + ")";
            i = close;
        } else {
            out += '$';
        }
    }
    return out;
}

// A container's env as Kubernetes sets it: each value expanded with the
// variables defined before it.
std::map<std::string, std::string> kubernetes_env(const json& env) {
    std::map<std::string, std::string> vars;
    for (const auto& e : env)
        vars[e["name"].get<std::string>()] =
            kubernetes_expanded(e["value"].get<std::string>(), vars);
    return vars;
}

} // namespace

TEST_SUITE("cli::export") {

    TEST_CASE("crontab: every trigger type as a line, or a comment saying why not") {
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-06-01T10:00:00Z";
        auto cron = create(sb, {"cron", "--cron", "*/5 9-17 * * MON-FRI", "--command", "c"});
        auto macro = create(sb, {"macro", "--cron", "@weekly", "--command", "m"});
        auto daily = create(sb, {"daily", "--daily", "07:45", "--command", "d"});
        auto weekly = create(sb, {"weekly", "--weekly", "MON,THU@09:30", "--command", "w"});
        auto monthly = create(sb, {"monthly", "--monthly", "1,15@18:00", "--command", "mo"});
        auto every = create(
            sb, {"every", "--every", "15m", "--anchor", "2026-06-01T10:03", "--command", "e"});
        auto every2h = create(
            sb, {"every2h", "--every", "2h", "--anchor", "2026-06-01T09:00", "--command", "e2"});
        auto odd = create(sb, {"odd", "--every", "7m", "--command", "o"});
        auto at = create(sb, {"at", "--at", "2026-12-25T10:00", "--command", "a"});
        auto boot = create(sb, {"boot", "--cron", "@reboot", "--command", "b"});
        auto manual = create(sb, {"manual", "--command", "h"});
        auto paused = create(sb, {"paused", "--cron", "0 3 * * *", "--command", "p", "--disabled"});
        auto zoned =
            create(sb, {"zoned", "--cron", "0 3 * * *", "--tz", "Asia/Kolkata", "--command", "z"});

        auto r = exported(sb, {"--to", "crontab"});
        INFO(r.out);
        auto lines = cron_lines(r.out);
        auto line = [&](const std::string& id) {
            REQUIRE(lines.count(id));
            return lines.at(id).schedule + " " + lines.at(id).field;
        };
        CHECK(line(cron) == "*/5 9-17 * * MON-FRI c");
        CHECK(line(macro) == "@weekly m");
        CHECK(line(daily) == "45 7 * * * d");
        CHECK(line(weekly) == "30 9 * * MON,THU w");
        CHECK(line(monthly) == "0 18 1,15 * * mo");
        CHECK(line(every) == "3-59/15 * * * * e");
        CHECK(line(every2h) == "0 1-23/2 * * * e2");
        CHECK(line(boot) == "@reboot b");
        CHECK(line(zoned) == "0 3 * * * z");
        CHECK(lines.at(zoned).zone == "Asia/Kolkata");
        CHECK(lines.at(cron).zone.empty()); // the host's zone (TZ=UTC): no CRON_TZ line
        for (const auto& id : {odd, at, manual, paused})
            CHECK(lines.count(id) == 0);
        CHECK(contains(r.out, "\n#0 3 * * * p\n"));
        CHECK(r.out.rfind("# Jobs of schedule", 0) == 0);
        CHECK(contains(r.out, "\nSHELL=/bin/sh\nPATH=/usr/local/bin:/usr/bin:/bin\n"));

        // What cron cannot do is in the job's comment and in a warning.
        for (const auto& [id, why] :
             {std::pair{odd, "not exported: --every 7m is no cron schedule"},
              std::pair{at, "not exported: a single fire (--at)"},
              std::pair{manual, "not exported: it has no schedule"},
              std::pair{cron, "--overlap skip: cron starts a run while the last one runs"},
              std::pair{zoned, "CRON_TZ=Asia/Kolkata"},
              std::pair{every, "--anchor 2026-06-01T10:03:00+00:00: cron fires on the --every "
                               "grid before it too"}}) {
            INFO("job " << id);
            CHECK(contains(warning_about(r.err, id), why));
            CHECK(contains(r.out, why));
        }
    }

    TEST_CASE("crontab: commands read back as cron reads them, and run the same") {
        Sandbox sb;
        const auto dir = sb.dir() / "work dir 'q'";
        fs::create_directories(dir);
        const std::vector<std::string> commands = {
            "printf '%s|%s\\n' 100% \"$(echo 5%)\"",
            "printf '%s\\n' 'a\\%b' \"c\\\\%d\"",
            "echo one\necho \"two 'quoted'\" ünï",
            "printf 'ctl:\x01:\x1b:\\n' | od -An -c",
            "echo 'trailing' ",
            "echo \"$0\" 'x'\\''y' `echo tick` $((1+2))",
        };
        std::vector<std::string> ids;
        for (std::size_t i = 0; i < commands.size(); ++i)
            ids.push_back(create(sb, {"c" + std::to_string(i), "--cron", "0 3 * * *", "--overlap",
                                      "allow", "--catchup", "none", "--command", commands[i]}));
        auto env_job = create(sb, {"env", "--cron", "0 3 * * *", "--command",
                                   "printf '%s|%s|%s\\n' \"$GREETING\" \"$OTHER\" \"$(pwd)\"",
                                   "--env", "GREETING=hi \"there\" 100% 'q'", "--env", "OTHER=a\nb",
                                   "--working-dir", dir.string()});

        auto r = exported(sb, {"--to", "crontab"});
        INFO(r.out);
        auto lines = cron_lines(r.out);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            INFO("command: " << commands[i]);
            REQUIRE(lines.count(ids[i]));
            const auto& field = lines.at(ids[i]).field;
            // One line, no unescaped %.
            CHECK(field.find('\n') == std::string::npos);
            auto [command, input] = cron_command(field);
            CHECK(input.empty());
            auto ours = sb.run_program({"/bin/sh", "-c", command});
            auto theirs = sb.run_program({"/bin/sh", "-c", commands[i]});
            CHECK(ours.exit_code == theirs.exit_code);
            CHECK(ours.out == theirs.out);
            CHECK(!ours.out.empty());
        }
        // A job without control characters keeps its command as written,
        // with % escaped.
        CHECK(lines.at(ids[0]).field == "printf '\\%s|\\%s\\n' 100\\% \"$(echo 5\\%)\"");

        REQUIRE(lines.count(env_job));
        auto [command, input] = cron_command(lines.at(env_job).field);
        CHECK(input.empty());
        auto ran = sb.run_program({"/bin/sh", "-c", command});
        CHECK(ran.exit_code == 0);
        CHECK(ran.out == "hi \"there\" 100% 'q'|a\nb|" + dir.string() + "\n");
    }

    TEST_CASE("each target exports every job or names it in a warning") {
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-06-01T10:00:00Z";
        std::vector<std::string> ids = {
            create(sb, {"cron", "--cron", "0 3 * * *", "--command", "a"}),
            create(sb, {"both", "--cron", "0 3 */2 * MON", "--command", "a"}),
            create(sb, {"every", "--every", "7m", "--command", "a"}),
            create(sb, {"at", "--at", "2026-12-25T10:00", "--command", "a"}),
            create(sb, {"boot", "--cron", "@reboot", "--command", "a"}),
            create(sb, {"manual", "--command", "a"}),
            create(sb, {"task", "--task-type", "report", "--cron", "0 3 * * *"}),
        };
        for (const char* target : {"crontab", "systemd", "kubernetes"}) {
            INFO("target " << target);
            auto r = exported(sb, {"--to", target});
            for (const auto& id : ids) {
                INFO("job " << id);
                const bool out = contains(r.out, id);
                const auto warning = warning_about(r.err, id);
                const bool left_out = contains(warning, "not exported: ");
                // crontab names every job in a comment; the others name only
                // what they export.
                if (std::string(target) == "crontab") {
                    CHECK(out);
                    CHECK(left_out == !cron_lines(r.out).count(id));
                } else {
                    CHECK(out != left_out);
                }
            }
        }
    }

    TEST_CASE("a job left out is named even with -q, and one named as JOB exits 2") {
        Sandbox sb;
        // A task job whose type has no handler: no target can express it.
        const auto task = create(sb, {"w", "--task-type", "report", "--cron", "0 3 * * *"});
        const auto cron =
            create(sb, {"c", "--cron", "0 3 * * *", "--command", "true", "--catchup", "all"});
        // Without JOB arguments: -q keeps the line of the job left out, and
        // only that one.
        auto all = exported(sb, {"--to", "systemd", "-q"});
        const auto lines = lines_of(all.err);
        REQUIRE(lines.size() == 1);
        CHECK(lines[0] == "schedule: warning: systemd: job \"w\" (" + task +
                              "): not exported: no handler for task type report (handlers.report)");
        CHECK(contains(all.out, "schedule-c-" + cron));
        CHECK(warning_about(exported(sb, {"--to", "systemd"}).err, cron) != "");

        // Named on the command line, alone or with others, with or without
        // -q, to stdout or to files: exit 2, one line, nothing written.
        const auto out = sb.dir() / "units";
        for (const auto& args :
             std::vector<Args>{{"--to", "systemd", "w"},
                               {"--to", "systemd", "c", task, "-q"},
                               {"--to", "crontab", "w"},
                               {"--to", "kubernetes", "w", "--output-dir", out.string()}}) {
            INFO(args.back());
            auto r = sb.run(concat({"export"}, args));
            CHECK(r.exit_code == 2);
            check_error_line(r, "JOB: not exportable to ");
            CHECK(contains(r.err, "job \"w\" (" + task + "): no handler for task type report"));
            CHECK(r.out.empty());
        }
        CHECK(!fs::exists(out));
        // A named job that is exported with notes is fine.
        CHECK(exported(sb, {"--to", "systemd", "c"}).exit_code == 0);
    }

    TEST_CASE("systemd: the units pass systemd-analyze verify") {
        Sandbox sb;
        require_program(sb, "systemd-analyze", "systemd");
        const auto dir = sb.dir() / "srv dir";
        fs::create_directories(dir);
        auto me = sb.run_program({"id", "-un"}).out;
        me.pop_back();
        create(sb, {"Nightly \"report\" ünï 100%", "--cron", "*/15 9-17 * * MON-FRI", "--tz",
                    "Europe/Berlin", "--command", "echo \"$HOME\" 'x' 100% \\ ünï\necho two\x01",
                    "--env", "A=x \"y\" $HOME 5%", "--env", "B=line\nbreak", "--working-dir",
                    dir.string(), "--run-as", me, "--timeout", "1h", "--jitter", "5m"});
        create(sb,
               {"either", "--cron", "0 12 1,15 * MON", "--command", "true", "--kill-grace", "0"});
        create(sb, {"ends in a backslash $x %i \\", "--cron", "0 3 * * *", "--command", "true"});
        create(sb, {"every", "--every", "7m", "--command", "true"});
        create(sb, {"boot", "--cron", "@reboot", "--command", "true"});
        create(sb, {"at", "--at", "2026-12-25T10:00", "--command", "true"});
        create(sb, {"manual", "--command", "true"});
        const auto out = sb.dir() / "units";
        exported(sb, {"--to", "systemd", "--output-dir", out.string()});
        std::vector<std::string> argv = {"systemd-analyze", "verify"};
        for (const auto& e : fs::directory_iterator(out))
            argv.push_back(e.path().string());
        CHECK(argv.size() == 2 + 7 + 6);
        auto r = sb.run_program(argv);
        INFO("stderr: " << r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.err.empty());
    }

    TEST_CASE("systemd: a timer elapses when job next says the job fires") {
        Sandbox sb;
        require_program(sb, "systemd-analyze", "systemd");
        // Summer: twenty fires of each job lie away from daylight-saving
        // changes, or at times of day that no change touches.
        sb.env["SCHEDULE_NOW"] = "2026-06-10T00:00:30Z";
        std::vector<std::string> ids = {
            create(sb, {"a", "--command", "true", "--cron", "*/15 9-17 * * MON-FRI", "--tz",
                        "Europe/Berlin"}),
            create(sb, {"b", "--command", "true", "--cron", "30 6 1,15 * MON", "--tz",
                        "America/New_York"}),
            create(sb,
                   {"c", "--command", "true", "--cron", "0 12 */2 * MON", "--tz", "Europe/Berlin"}),
            create(sb, {"d", "--command", "true", "--cron", "@hourly", "--tz", "America/New_York"}),
            create(sb, {"e", "--command", "true", "--cron", "0 0 * * 7", "--tz", "UTC"}),
            create(sb, {"f", "--command", "true", "--daily", "07:45", "--tz", "Asia/Kolkata"}),
            create(sb, {"g", "--command", "true", "--weekly", "SAT,SUN@23:10", "--tz",
                        "America/New_York"}),
            create(sb,
                   {"h", "--command", "true", "--monthly", "31@18:00", "--tz", "Europe/Berlin"}),
            create(sb, {"i", "--command", "true", "--cron", "5 4 * JAN-MAR,DEC *", "--tz",
                        "Asia/Kolkata"}),
            create(sb,
                   {"j", "--command", "true", "--every", "15m", "--anchor", "2026-06-01T10:03Z"}),
            create(sb, {"k", "--command", "true", "--every", "2h", "--anchor",
                        "2026-06-01T09:20+05:30", "--tz", "Asia/Kolkata"}),
            create(sb, {"l", "--command", "true", "--every", "1w", "--anchor",
                        "2026-06-03T08:00+02:00", "--tz", "Europe/Berlin"}),
        };
        const auto out = sb.dir() / "units";
        exported(sb, {"--to", "systemd", "--output-dir", out.string()});
        for (const auto& id : ids) {
            INFO("job " << id);
            auto timer = read_file(file_of(out, id, ".timer"));
            auto calendars = unit_values(timer, "OnCalendar");
            REQUIRE(!calendars.empty());
            std::vector<std::string> argv = {"systemd-analyze", "calendar", "--iterations=20",
                                             "--base-time=2026-06-10 00:00:30 UTC"};
            argv.insert(argv.end(), calendars.begin(), calendars.end());
            auto r = sb.run_program(argv);
            INFO("calendar: " << r.out << r.err);
            REQUIRE(r.exit_code == 0);
            // A timer fires at the union of its OnCalendar= lines.
            auto all = elapses(r.out);
            std::set<std::string> merged(all.begin(), all.end());
            std::vector<std::string> first(merged.begin(), merged.end());
            first.resize(std::min<std::size_t>(first.size(), 20));
            auto next = sb.json({"job", "next", id, "--count", "20", "--utc"})["next"];
            CHECK(first == next.get<std::vector<std::string>>());
        }
    }

    TEST_CASE("systemd: the units read back as systemd loads them") {
        Sandbox sb;
        const std::string systemd = "/lib/systemd/systemd";
        const bool root = ::geteuid() == 0;
        REQUIRE_MESSAGE(fs::exists(systemd), systemd << " is missing: install the systemd package "
                                                        "(scripts/deps.sh test)");
        if (root)
            require_program(sb, "setpriv", "util-linux");
        // systemd --test loads units as a user manager would, without
        // running one, and prints them; it refuses to do so as root.
        std::string tmpl = (fs::temp_directory_path() / "schedule-units-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()));
        const fs::path shared = tmpl;
        struct Cleanup {
            fs::path p;
            ~Cleanup() { fs::remove_all(p); }
        } cleanup{shared};
        fs::permissions(shared, fs::perms(0755));
        const auto work = shared / "dir with \"quotes\" and ünï";
        fs::create_directories(work);
        const auto runtime = shared / "runtime";
        fs::create_directories(runtime);
        if (root)
            REQUIRE(::chown(runtime.c_str(), 65534, 65534) == 0);

        const std::string command =
            "echo \"$HOME\" '$x' ${Y} 100% \\ \\\\ `id`\n\techo 'ünï \u202e' \x01\x7f end";
        auto id = create(sb, {"Odd \"name\" 100% ünï", "--cron", "0 3 * * *", "--command", command,
                              "--env", "A=x \"y\" $HOME 5% \\ ü", "--working-dir", work.string(),
                              "--timeout", "90m", "--kill-grace", "20s"});
        const auto units = shared / "units";
        exported(sb, {"--to", "systemd", "--output-dir", units.string()});
        const auto unit = file_of(units, id, ".service").filename().string();

        std::vector<std::string> argv;
        if (root)
            argv = schedule::test::as_nobody({});
        for (const auto& a :
             std::vector<std::string>{"env", "-i", "XDG_RUNTIME_DIR=" + runtime.string(),
                                      "SYSTEMD_UNIT_PATH=" + units.string() + ":", systemd,
                                      "--test", "--user", "--unit=" + unit, "--no-pager"})
            argv.push_back(a);
        auto r = sb.run_program(argv);
        REQUIRE_MESSAGE(contains(r.out, "-> By units:"), "systemd --test did not run: " << r.err);
        REQUIRE(contains(r.out, "-> Unit " + unit + ":"));
        INFO("systemd warnings: " << r.err);
        CHECK(!contains(r.err, unit)); // no complaint about the unit
        // The unit's own section of the dump.
        auto from = r.out.find("-> Unit " + unit + ":");
        auto to = r.out.find("-> Unit ", from + 1);
        auto dump = r.out.substr(from, to == std::string::npos ? std::string::npos : to - from);
        INFO(dump);
        std::map<std::string, std::vector<std::string>> seen;
        for (const auto& line : lines_of(dump)) {
            auto s = line.substr(line.find_first_not_of('\t') == std::string::npos
                                     ? 0
                                     : line.find_first_not_of('\t'));
            auto colon = s.find(": ");
            if (colon != std::string::npos)
                seen[s.substr(0, colon)].push_back(s.substr(colon + 2));
        }
        CHECK(seen["Description"] ==
              std::vector<std::string>{"schedule job Odd \"name\" 100% ünï (" + id + ")"});
        CHECK(seen["WorkingDirectory"] == std::vector<std::string>{work.string()});
        CHECK(seen["RuntimeMaxSec"] == std::vector<std::string>{"1h 30min"});
        CHECK(seen["TimeoutStopSec"] == std::vector<std::string>{"20s"});
        CHECK(std::count(seen["Environment"].begin(), seen["Environment"].end(),
                         "A=x \"y\" $HOME 5% \\ ü") == 1);
        REQUIRE(seen["Command Line"].size() == 1);
        auto args = dumped_command_line(seen["Command Line"][0]);
        REQUIRE(args.size() == 3);
        CHECK(args[0] == "/bin/sh");
        CHECK(args[1] == "-c");
        // systemd turns $$ into $ when it starts the command.
        std::string loaded;
        for (std::size_t i = 0; i < args[2].size(); ++i) {
            loaded += args[2][i];
            if (args[2][i] == '$' && i + 1 < args[2].size() && args[2][i + 1] == '$')
                ++i;
        }
        CHECK(loaded == command);
    }

    TEST_CASE("kubernetes: CronJobs of the batch/v1 schema, every mapping, every text intact") {
        Sandbox sb;
        sb.env["SCHEDULE_NOW"] = "2026-06-01T10:00:00Z";
        sb.ok({"config", "set", "history.keep_last", "7"});
        // Kubernetes reads `$(NAME)` and `$$` in a command and in env values.
        const std::string command = "echo \"$HOME\" 'it''s' 100% \\ ünï\n\techo \u2028\u202e\x01 "
                                    "\"pid $$\" $(B) '$(NOPE)' $$(B) $";
        auto odd = create(sb, {"Odd \"name\" ünï, no",
                               "--cron",
                               "*/15 9-17 * * MON-FRI",
                               "--tz",
                               "Europe/Berlin",
                               "--command",
                               command,
                               "--env",
                               "A=x \"y\"\n\x02 ü",
                               "--env",
                               "D=$(A) $$ $(B) $",
                               "--env",
                               "B=yes",
                               "--env",
                               "C= #: leading space, 0x1F",
                               "--working-dir",
                               "/srv/a \"b\"",
                               "--tag",
                               "team=infra",
                               "--tag",
                               "has space=x",
                               "--tag",
                               "tier=no",
                               "--tag",
                               "bad=not valid",
                               "--tag",
                               "bare",
                               "--description",
                               "a\tdescription \xff",
                               "--overlap",
                               "queue",
                               "--timeout",
                               "1h",
                               "--max-attempts",
                               "3",
                               "--kill-grace",
                               "30s",
                               "--misfire-grace",
                               "5m"});
        auto plain = create(sb, {"null", "--daily", "07:45", "--tz", "Asia/Kolkata", "--command",
                                 "true", "--overlap", "replace", "--disabled"});
        auto every = create(sb, {"0x10", "--every", "2h", "--anchor", "2026-06-01T09:20Z",
                                 "--command", "on", "--overlap", "allow", "--catchup", "none"});
        auto skip = create(sb, {"- [x] {y} #c", "--cron", "0 0 1 * *", "--command", "off",
                                "--misfire-grace", "3s"});
        auto boot = create(sb, {"boot", "--cron", "@reboot", "--command", "true"});

        auto r = exported(sb, {"--to", "kubernetes", "--image", "busybox:1.36"});
        CHECK(!contains(r.err, "--image not given"));
        auto docs = ExportedYaml(r.out).documents();
        REQUIRE(docs.size() == 4);
        std::map<std::string, json> by_id;
        for (const auto& d : docs) {
            check_cron_job(d);
            by_id[d["metadata"]["annotations"]["schedule/job-id"].get<std::string>()] = d;
        }
        CHECK(by_id.count(boot) == 0);
        CHECK(contains(warning_about(r.err, boot), "not exported: @reboot has no calendar time"));

        const auto& o = by_id.at(odd);
        CHECK(o["metadata"]["name"] == "schedule-odd-name-n-no-" + odd);
        CHECK(o["metadata"]["annotations"]["schedule/job-name"] == "Odd \"name\" ünï, no");
        CHECK(o["metadata"]["annotations"]["schedule/description"] == "a\tdescription \uFFFD");
        CHECK(o["metadata"]["labels"] == json{{"team", "infra"}, {"tier", "no"}, {"bare", ""}});
        CHECK(o["spec"]["schedule"] == "*/15 9-17 * * 1-5");
        CHECK(o["spec"]["timeZone"] == "Europe/Berlin");
        CHECK(o["spec"]["concurrencyPolicy"] == "Forbid");
        CHECK(o["spec"]["startingDeadlineSeconds"] == 300);
        CHECK(o["spec"]["suspend"] == false);
        CHECK(o["spec"]["successfulJobsHistoryLimit"] == 7);
        CHECK(o["spec"]["failedJobsHistoryLimit"] == 7);
        const auto& job = o["spec"]["jobTemplate"]["spec"];
        CHECK(job["backoffLimit"] == 2);
        CHECK(job["activeDeadlineSeconds"] == 3600);
        const auto& pod = job["template"]["spec"];
        CHECK(pod["restartPolicy"] == "Never");
        CHECK(pod["terminationGracePeriodSeconds"] == 30);
        const auto& c = pod["containers"][0];
        CHECK(c["image"] == "busybox:1.36");
        // What the container gets, after Kubernetes has expanded them.
        const auto vars = kubernetes_env(c["env"]);
        CHECK(vars == std::map<std::string, std::string>{{"A", "x \"y\"\n\x02 ü"},
                                                         {"B", "yes"},
                                                         {"C", " #: leading space, 0x1F"},
                                                         {"D", "$(A) $$ $(B) $"}});
        REQUIRE(c["command"].size() == 3);
        CHECK(c["command"][0] == "/bin/sh");
        CHECK(c["command"][1] == "-c");
        CHECK(kubernetes_expanded(c["command"][2].get<std::string>(), vars) == command);
        CHECK(c["workingDir"] == "/srv/a \"b\"");
        const auto warning = warning_about(r.err, odd);
        CHECK(contains(warning, "--overlap queue: exported as Forbid"));
        CHECK(contains(warning, "--tag has space=x: no Kubernetes label (left out)"));
        CHECK(contains(warning, "--tag bad=not valid: no Kubernetes label (left out)"));
        CHECK(contains(warning, "Kubernetes retries after its own back-off"));

        const auto& p = by_id.at(plain);
        CHECK(p["metadata"]["annotations"]["schedule/job-name"] == "null");
        CHECK(p["spec"]["suspend"] == true);
        CHECK(p["spec"]["concurrencyPolicy"] == "Replace");
        CHECK(p["spec"]["schedule"] == "45 7 * * *");
        CHECK(p["spec"]["timeZone"] == "Asia/Kolkata");
        CHECK(!p["spec"].contains("startingDeadlineSeconds"));
        CHECK(!p["spec"]["jobTemplate"]["spec"].contains("activeDeadlineSeconds"));
        CHECK(p["spec"]["jobTemplate"]["spec"]["backoffLimit"] == 0);
        const auto& e = by_id.at(every);
        CHECK(e["metadata"]["annotations"]["schedule/job-name"] == "0x10");
        CHECK(e["spec"]["schedule"] == "20 1-23/2 * * *");
        CHECK(e["spec"]["timeZone"] == "UTC");
        CHECK(e["spec"]["concurrencyPolicy"] == "Allow");
        CHECK(e["spec"]["startingDeadlineSeconds"] == 60);
        CHECK(e["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["command"] ==
              json{"/bin/sh", "-c", "on"});
        const auto& k = by_id.at(skip);
        CHECK(k["metadata"]["annotations"]["schedule/job-name"] == "- [x] {y} #c");
        CHECK(k["metadata"]["name"] == "schedule-x-y-c-" + skip);
        CHECK(k["spec"]["startingDeadlineSeconds"] == 10);
        CHECK(contains(warning_about(r.err, skip), "--misfire-grace 3s: startingDeadlineSeconds is 10"));
    }

    TEST_CASE("kubernetes: the image defaults to debian:bookworm-slim with a warning") {
        Sandbox sb;
        create(sb, {"j", "--cron", "0 3 * * *", "--command", "true"});
        auto r = exported(sb, {"--to", "kubernetes"});
        CHECK(contains(r.out, "image: \"debian:bookworm-slim\""));
        CHECK(contains(r.err, "schedule: warning: --image not given: the CronJobs run "
                         "debian:bookworm-slim\n"));
    }

    TEST_CASE("--output-dir writes a file per unit, 0644 whatever the umask, in a new 0755 "
              "directory") {
        Sandbox sb;
        auto a = create(sb, {"a", "--cron", "0 3 * * *", "--command", "true"});
        auto m = create(sb, {"m", "--command", "true"});
        const auto out = sb.dir() / "new" / "units";
        auto r =
            sb.run_program({"sh", "-c", "umask 077 && exec \"$0\" \"$@\"", schedule::test::binary(),
                            "export", "--to", "systemd", "--output-dir", out.string()});
        REQUIRE(r.exit_code == 0);
        for (const auto& dir : {out, out.parent_path()}) {
            struct stat st {};
            REQUIRE(::stat(dir.c_str(), &st) == 0);
            CHECK((st.st_mode & 07777) == 0755);
        }
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(out)) {
            names.insert(e.path().filename().string());
            struct stat st {};
            REQUIRE(::stat(e.path().c_str(), &st) == 0);
            CHECK((st.st_mode & 07777) == 0644);
        }
        CHECK(names == std::set<std::string>{"schedule-a-" + a + ".service",
                                             "schedule-a-" + a + ".timer",
                                             "schedule-m-" + m + ".service"});
        // stdout lists the files written, -q nothing.
        CHECK(lines_of(r.out).size() == 3);
        CHECK(contains(r.out, (out / ("schedule-a-" + a + ".timer")).string() + "\n"));
        CHECK(exported(sb, {"--to", "systemd", "--output-dir", out.string(), "-q"}).out.empty());

        // crontab: one file; kubernetes: a file per CronJob.
        exported(sb, {"--to", "crontab", "--output-dir", out.string()});
        CHECK(contains(read_file(out / "schedule.crontab"), "0 3 * * * true\n"));
        exported(sb, {"--to", "kubernetes", "--output-dir", out.string()});
        CHECK(contains(read_file(out / ("schedule-a-" + a + ".yaml")), "kind: \"CronJob\""));
        CHECK(!fs::exists(out / ("schedule-m-" + m + ".yaml")));
    }

    TEST_CASE("--output-dir replaces the files export wrote, and others only with --force") {
        Sandbox sb;
        auto a = create(sb, {"a", "--cron", "0 3 * * *", "--command", "true"});
        auto m = create(sb, {"m", "--command", "true"});
        const auto out = sb.dir() / "units";
        const auto timer = out / ("schedule-a-" + a + ".timer");
        const auto service = out / ("schedule-m-" + m + ".service");
        exported(sb, {"--to", "systemd", "--output-dir", out.string()});

        // Its own files: replaced after an update, and nothing else touched.
        std::ofstream(out / "other.service") << "mine";
        sb.ok({"job", "update", "a", "--cron", "0 4 * * *"});
        exported(sb, {"--to", "systemd", "--output-dir", out.string()});
        CHECK(contains(read_file(timer), "OnCalendar=*-*-* 04:00:00 UTC\n"));
        CHECK(read_file(out / "other.service") == "mine");

        // A file of someone else's at one of its names: nothing is written,
        // exit 4, until --force.
        std::ofstream(timer, std::ios::trunc) << "[Timer]\nOnCalendar=daily\n";
        fs::remove(service);
        auto refused = sb.run({"export", "--to", "systemd", "--output-dir", out.string()});
        CHECK(refused.exit_code == 4);
        check_error_line(refused, timer.string() + " exists and was not written by `schedule "
                                                   "export`");
        CHECK(contains(refused.err, "--force"));
        CHECK(read_file(timer) == "[Timer]\nOnCalendar=daily\n");
        CHECK(!fs::exists(service));
        exported(sb, {"--to", "systemd", "--output-dir", out.string(), "--force"});
        CHECK(contains(read_file(timer), "[Timer]\nOnCalendar=*-*-* 04:00:00 UTC\n"));
        CHECK(fs::exists(service));

        // A symbolic link there is never written through: refused, then
        // replaced by a file with --force.
        const auto elsewhere = sb.dir() / "elsewhere";
        std::ofstream(elsewhere) << "keep";
        fs::remove(timer);
        fs::create_symlink(elsewhere, timer);
        CHECK(sb.run({"export", "--to", "systemd", "--output-dir", out.string()}).exit_code == 4);
        exported(sb, {"--to", "systemd", "--output-dir", out.string(), "--force"});
        CHECK(!fs::is_symlink(timer));
        CHECK(contains(read_file(timer), "[Timer]"));
        CHECK(read_file(elsewhere) == "keep");

        // A directory there is refused even with --force.
        fs::remove(timer);
        fs::create_directory(timer);
        auto dir = sb.run({"export", "--to", "systemd", "--output-dir", out.string(), "--force"});
        CHECK(dir.exit_code == 4);
        check_error_line(dir, "is not a file");
    }

    TEST_CASE("a job runs as its owner in root's store, and its export says so") {
        Sandbox sb;
        create(sb, {"owned", "--cron", "0 3 * * *", "--command", "true", "--owner", "root"});
        create(sb,
               {"nobody's", "--cron", "0 3 * * *", "--command", "true", "--owner", "no such user"});
        const auto out = exported(sb, {"--to", "systemd"}).out;
        const auto lines = lines_of(out);
        CHECK(std::count(lines.begin(), lines.end(), "User=root") == (::geteuid() == 0 ? 1 : 0));
        CHECK(!contains(out, "User=no"));
    }

    TEST_CASE("hooks, a job's own or the store's default, are noted: no target runs them") {
        Sandbox sb;
        const auto own = create(sb, {"own", "--cron", "0 3 * * *", "--command", "true",
                                     "--on-failure", "mail ops", "--on-retry", "echo retry"});
        const auto by_default = create(sb, {"default", "--cron", "0 3 * * *", "--command", "true"});
        const auto opted_out =
            create(sb, {"opted-out", "--cron", "0 3 * * *", "--command", "true", "--no-notify"});
        sb.ok({"config", "set", "notify.on_success", "echo done"});
        for (const char* target : {"crontab", "systemd", "kubernetes"}) {
            INFO("target " << target);
            const auto err = exported(sb, {"--to", target}).err;
            const auto noted = [&](const std::string& id, const std::string& flag) {
                return contains(warning_about(err, id), flag + ": not expressed");
            };
            CHECK(noted(own, "--on-failure"));
            CHECK(noted(own, "--on-retry"));
            CHECK(noted(own, "--on-success"));
            CHECK_FALSE(noted(by_default, "--on-failure"));
            CHECK(noted(by_default, "--on-success"));
            CHECK_FALSE(noted(opted_out, "--on-success"));
        }
    }

    TEST_CASE("JOB arguments choose the jobs, in their order, each once") {
        Sandbox sb;
        auto a = create(sb, {"a", "--cron", "0 3 * * *", "--command", "true"});
        auto b = create(sb, {"b", "--cron", "0 4 * * *", "--command", "true"});
        create(sb, {"c", "--cron", "0 5 * * *", "--command", "true"});
        auto out = exported(sb, {"--to", "kubernetes", "b", a, "b"}).out;
        auto pos_a = out.find("schedule-a-" + a);
        auto pos_b = out.find("schedule-b-" + b);
        CHECK(pos_b < pos_a);
        CHECK(pos_a != std::string::npos);
        CHECK(!contains(out, "schedule-c-"));
        auto lines = lines_of(out);
        CHECK(std::count(lines.begin(), lines.end(), "---") == 2);
    }

    TEST_CASE("refusals: exit code, one error line, nothing written") {
        Sandbox sb;
        create(sb, {"a", "--cron", "0 3 * * *", "--command", "true"});
        const auto before = sb.dump();
        const auto out = sb.dir() / "out";
        struct Case {
            Args args;
            int code;
            std::string names;
        };
        for (const auto& c : std::vector<Case>{
                 {{"--to", "cron"}, 2, "--to"},
                 {{}, 2, "--to"},
                 {{"--to", "crontab", "nosuchjob"}, 3, "nosuchjob"},
                 {{"--to", "systemd", "a", "nosuchjob", "--output-dir", out.string()},
                  3,
                  "nosuchjob"},
                 {{"--to", "crontab", "--image", "x"}, 2, "--image"},
                 {{"--to", "kubernetes", "--image", ""}, 2, "--image"},
                 {{"--to", "kubernetes", "--image", "a b"}, 2, "--image"},
                 {{"--to", "crontab", "--force"}, 2, "--force"},
                 {{"--to", "crontab", "--output-dir", ""}, 2, "--output-dir"},
                 {{"--to", "crontab", "--format", "json"}, 2, "--format"},
             }) {
            auto r = sb.run(concat({"export"}, c.args));
            INFO("args: " << c.args.size() << " " << (c.args.empty() ? "" : c.args.back()));
            CHECK(r.exit_code == c.code);
            check_error_line(r, c.names);
            CHECK(r.out.empty());
        }
        CHECK(!fs::exists(out));
        CHECK(sb.dump() == before);
    }

    TEST_CASE("a directory that cannot be made exits 1 with one plain line naming it") {
        Sandbox sb;
        create(sb, {"a", "--cron", "0 3 * * *", "--command", "true"});
        const auto file = sb.dir() / "file";
        std::ofstream(file) << "in the way";
        const auto out = file / "units";
        auto r = sb.run({"export", "--to", "crontab", "--output-dir", out.string()});
        CHECK(r.exit_code == 1);
        // After the job's warning line, the error.
        const auto lines = lines_of(r.err);
        REQUIRE(!lines.empty());
        CHECK(lines.back() ==
              "schedule: error: --output-dir: cannot create " + out.string() + ": Not a directory");
        CHECK(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
                  return l.rfind("schedule: error: ", 0) == 0;
              }) == 1);
        CHECK(r.out.empty());
    }

    TEST_CASE("export reads the store and changes nothing, and no store exports no job") {
        Sandbox sb;
        auto empty = exported(sb, {"--to", "crontab"});
        CHECK(lines_of(empty.out).size() == 4); // the header alone
        CHECK(!fs::exists(sb.store()));
        CHECK(exported(sb, {"--to", "systemd"}).out.empty());
        create(sb, {"a", "--cron", "0 3 * * *", "--command", "true"});
        const auto before = sb.dump();
        for (const char* target : {"crontab", "systemd", "kubernetes"})
            exported(sb, {"--to", target});
        CHECK(sb.dump() == before);
    }

    TEST_CASE("names with quotes, unicode and punctuation give safe names, one per job") {
        Sandbox sb;
        // The last three would make the same name but for the job's id.
        const std::vector<std::string> names = {
            "Über \"Backup\" #1", "日本語", "a/b\\c", "x'y`z$", "a b", "a-b", "A_B"};
        for (const auto& name : names)
            create(sb, {name, "--cron", "0 3 * * *", "--command", "true"});
        const auto out = sb.dir() / "out";
        exported(sb, {"--to", "systemd", "--output-dir", out.string()});
        exported(sb, {"--to", "kubernetes", "--output-dir", out.string()});
        int files = 0;
        for (const auto& e : fs::directory_iterator(out)) {
            ++files;
            auto name = e.path().filename().string();
            INFO(name);
            CHECK(name.rfind("schedule-", 0) == 0);
            auto base = name.substr(0, name.find('.'));
            CHECK(base.size() <= 52);
            CHECK(std::all_of(base.begin(), base.end(), [](char c) {
                return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            }));
        }
        CHECK(files == static_cast<int>(names.size()) * 3);
    }
}
