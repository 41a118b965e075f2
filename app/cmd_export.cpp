// Run function of `schedule export`.

#include "commands.hpp"

#include <schedule/format/export.hpp>
#include <schedule/service/export.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/fs.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

namespace schedule::app {

namespace {

namespace fs = std::filesystem;

constexpr unsigned k_file_mode = 0644;
constexpr unsigned k_dir_mode = 0755;

// The command line's own consistency, before the store is read.
format::ExportTarget check_options(const ExportCommandOptions& o) {
    auto target = format::parse_export_target(o.to);
    if (!target)
        throw util::ValidationError("--to", util::quoted(o.to) + " is not a target",
                                    "use crontab, systemd or kubernetes");
    if (o.image && *target != format::ExportTarget::kubernetes)
        throw util::UsageError("--image is for --to kubernetes");
    if (o.image) {
        bool blank = o.image->empty();
        for (char c : *o.image)
            blank = blank || c == ' ' || c == '\t';
        if (blank || util::has_control(*o.image) || !util::is_valid_utf8(*o.image))
            throw util::ValidationError("--image",
                                        util::quoted(*o.image) + " is not an image reference");
    }
    if (o.force && !o.output_dir)
        throw util::UsageError("--force is for --output-dir");
    if (o.output_dir && o.output_dir->empty())
        throw util::ValidationError("--output-dir", "the directory name is empty");
    return *target;
}

// The first bytes of a file that tell whether export wrote it: its first
// line (a job name is at most 64 characters).
constexpr std::size_t k_head_bytes = 1024;

// How `path` may be written: it is new (Replace::no), or holds a file
// that export wrote, or with `force` any file or symbolic link
// (Replace::yes). Throws Conflict otherwise, naming `shown`.
util::Replace check_replaceable(const fs::path& path, const fs::path& shown, bool force) {
    const auto found = util::peek_file(path, k_head_bytes);
    using fs::file_type;
    if (found.type == file_type::not_found)
        return util::Replace::no;
    if (found.type == file_type::regular && format::is_exported_text(found.head))
        return util::Replace::yes;
    const bool file = found.type == file_type::regular || found.type == file_type::symlink;
    if (file && force)
        return util::Replace::yes;
    if (!file)
        throw util::Conflict(shown.string() + " exists and is not a file",
                             "move it away and export again");
    throw util::Conflict(shown.string() + " exists and was not written by `schedule export`",
                         "move it away, or pass --force to replace it");
}

// Writes each file into `dir` (created 0755 when missing) as a whole, mode
// 0644, never through a symbolic link, and returns their paths in `shown`
// (the directory as given; `dir` is it resolved), the directory messages
// name too. Checks every name first and writes nothing when one is taken by
// something that check_replaceable refuses. Throws RuntimeFailure naming
// the file or directory that could not be read, made or written.
std::vector<fs::path> write_files(const fs::path& dir, const fs::path& shown,
                                  const std::vector<format::ExportFile>& files, bool force) {
    std::vector<fs::path> written;
    std::string doing; // what failed, for the message
    try {
        std::vector<util::Replace> how;
        for (const auto& f : files) {
            doing = "cannot read " + (shown / f.name).string();
            how.push_back(check_replaceable(dir / f.name, shown / f.name, force));
        }
        doing = "cannot create " + shown.string();
        util::create_directories(dir, k_dir_mode);
        for (std::size_t i = 0; i < files.size(); ++i) {
            const auto name = shown / files[i].name;
            doing = "cannot write " + name.string();
            if (!util::write_file_atomically(dir / files[i].name, files[i].text, k_file_mode,
                                             how[i]))
                throw util::Conflict(name.string() + " was created meanwhile",
                                     "look at it, and export again");
            written.push_back(name);
        }
    } catch (const fs::filesystem_error& e) {
        throw util::write_failure("--output-dir: " + doing, e.code());
    }
    return written;
}

// JOB arguments ask for those jobs: one that the target cannot express at
// all is refused (ValidationError, exit 2) rather than left out with a
// warning, before anything is printed or written.
void refuse_left_out(const format::Export& result, const std::string& target) {
    std::vector<std::string> jobs;
    for (const auto& n : result.notes) {
        if (!n.left_out)
            continue;
        auto why = n.notes.front().substr(format::k_not_exported.size());
        jobs.push_back("job " + util::quoted(n.job_name) + " (" + n.job_id + "): " + why);
    }
    if (!jobs.empty())
        throw util::ValidationError("JOB",
                                    "not exportable to " + target + ": " + util::join(jobs, "; "),
                                    "leave it out, or export it to another target");
}

} // namespace

int run_export(Invocation& inv, const ExportCommandOptions& o) {
    const auto target = check_options(o);
    std::optional<fs::path> dir;
    if (o.output_dir)
        dir = output_directory(*o.output_dir, "--output-dir", *o.output_dir);
    auto selection = service::select_for_export(inv.context(), o.jobs);
    format::ExportOptions options;
    options.target = target;
    if (o.image)
        options.image = *o.image;
    options.keep_last = selection.keep_last;
    options.host_zone = selection.host_zone;
    options.handlers = selection.handlers;
    options.now = selection.now;
    auto result = format::export_jobs(selection.jobs, options);
    if (!o.jobs.empty())
        refuse_left_out(result, o.to);

    if (target == format::ExportTarget::kubernetes && !o.image)
        spdlog::warn("--image not given: the CronJobs run {}", format::k_default_image);
    // -q keeps the lines of the jobs left out: nothing goes silently.
    const bool left_out = std::any_of(result.notes.begin(), result.notes.end(),
                                      [](const format::ExportNotes& n) { return n.left_out; });
    if (inv.quiet() && left_out)
        inv.raise_stderr_logging(spdlog::level::warn);
    for (const auto& n : result.notes)
        if (n.left_out || !inv.quiet())
            spdlog::warn("{}: job {} ({}): {}", o.to, util::quoted(n.job_name), n.job_id,
                         util::escape_control(util::join(n.notes, "; ")));

    if (!dir) {
        inv.print(format::export_text(result));
        return 0;
    }
    for (const auto& p : write_files(*dir, *o.output_dir, result.files, o.force))
        if (!inv.quiet())
            inv.print(p.string() + "\n");
    return 0;
}

} // namespace schedule::app
