// Run function of `import crontab`.

#include "commands.hpp"

#include <schedule/format/import.hpp>
#include <schedule/service/import.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace schedule::app {

namespace {

// No crontab is this large; a file that is gets refused before it is held.
constexpr std::size_t k_max_crontab = std::size_t{16} << 20;

std::string read_all(std::istream& in, const std::string& what) {
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > k_max_crontab)
            throw util::UsageError(what + " is larger than 16 MiB, which no crontab is");
    }
    return text;
}

std::string read_crontab(const std::string& file) {
    if (file == "-")
        return read_all(std::cin, "standard input");
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw util::UsageError(util::quoted(file) + " is a directory",
                               "give one crontab file, or - for standard input");
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw util::UsageError("cannot read " + util::quoted(file) + ": " + std::strerror(errno));
    return read_all(in, util::quoted(file));
}

std::string problem_text(const model::CrontabProblem& p, const std::string& suffix = {}) {
    return util::escape_control(p.message) + suffix +
           (p.hint.empty() ? "" : " (hint: " + util::escape_control(p.hint) + ")");
}

} // namespace

int run_import_crontab(Invocation& inv, const ImportCrontabOptions& o) {
    service::ImportCrontabRequest request;
    request.text = read_crontab(o.file);
    request.source =
        o.file == "-" ? o.file : std::filesystem::absolute(o.file).lexically_normal().string();
    const bool system = o.system || (o.file != "-" && model::is_system_crontab(request.source));
    request.kind = system ? model::CrontabKind::system : model::CrontabKind::user;
    request.run_as = o.run_as;
    request.skip_invalid = o.skip_invalid;
    request.dry_run = o.dry_run;
    if (o.dry_run)
        inv.open_read_only();

    auto result = service::import_crontab(inv.context(), request);
    for (const auto& w : result.warnings)
        spdlog::warn("{}", problem_text(w));
    if (result.refused) {
        for (const auto& e : result.invalid)
            spdlog::error("{}", problem_text(e));
        const auto n = result.invalid.size();
        throw util::UsageError(std::to_string(n) + " invalid line" + (n == 1 ? "" : "s") +
                                   "; nothing imported",
                               "fix them, or pass --skip-invalid to import the other lines");
    }
    for (const auto& e : result.invalid)
        spdlog::warn("{}", problem_text(e, "; line skipped"));

    if (inv.output_format() == "json") {
        inv.print(format::import_json(result, inv.style()));
    } else if (inv.quiet()) {
        for (const auto& j : result.jobs)
            if (j.status == model::ImportStatus::created)
                inv.print(j.job.id + "\n");
    } else {
        inv.print(format::import_text(result, inv.style()));
    }
    return 0;
}

} // namespace schedule::app
