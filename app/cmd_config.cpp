// Run functions of the `config` commands.

#include "commands.hpp"

#include <schedule/format/config.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/service/backup.hpp>
#include <schedule/service/config.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/fs.hpp>
#include <schedule/util/strings.hpp>
#include <schedule/util/utf8.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>

namespace schedule::app {

int run_config_list(Invocation& inv) {
    auto settings = service::list_settings(inv.context());
    if (inv.output_format() == "json")
        inv.print(format::settings_json(settings));
    else if (inv.output_format() == "csv")
        inv.print(format::settings_csv(settings, inv.style()));
    else
        inv.print(format::settings_table(settings, inv.style()));
    return 0;
}

int run_config_get(Invocation& inv, const ConfigKeyOptions& o) {
    auto setting = service::get_setting(inv.context(), o.key);
    if (inv.output_format() == "json")
        inv.print(format::setting_json(setting));
    else if (setting.value)
        inv.print(util::escape_control(*setting.value) + "\n");
    return 0;
}

int run_config_set(Invocation& inv, const ConfigKeyOptions& o) {
    auto setting = service::set_setting(inv.context(), o.key, o.value);
    if (inv.output_format() == "json")
        inv.print(format::setting_json(setting));
    else if (!inv.quiet())
        inv.print(setting.key + " = " + util::escape_control(setting.value.value_or("")) + "\n");
    return 0;
}

int run_config_unset(Invocation& inv, const ConfigKeyOptions& o) {
    auto& ctx = inv.context();
    bool removed = service::unset_setting(ctx, o.key);
    auto setting = service::get_setting(ctx, o.key);
    if (inv.output_format() == "json") {
        inv.print(format::setting_json(setting));
    } else if (!inv.quiet()) {
        std::string now = setting.value ? util::escape_control(*setting.value) : "unset";
        inv.print(removed ? o.key + " removed; the default applies (" + now + ")\n"
                          : o.key + " was not set; the default applies (" + now + ")\n");
    }
    return 0;
}

namespace {

// Refuses an --output FILE that is there and is not a regular file: the
// backup replaces what is at FILE, and a device (/dev/null), a FIFO or a
// link (/dev/stdout, or a link someone else made) is not a backup to
// replace.
void check_output_file(const std::string& output) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto type = fs::symlink_status(output, ec).type();
    if (type == fs::file_type::symlink)
        throw util::UsageError("--output: " + output + " is a symbolic link",
                               "give the path it leads to, or - for standard output");
    if (type == fs::file_type::directory)
        throw util::UsageError("--output: " + output + " is a directory", "name a file in it");
    if (type != fs::file_type::not_found && type != fs::file_type::regular &&
        type != fs::file_type::none)
        throw util::UsageError("--output: " + output + " is not a regular file",
                               "give a file name, or - for standard output");
}

} // namespace

int run_config_backup(Invocation& inv, const ConfigBackupOptions& o) {
    if (o.output.empty())
        throw util::UsageError("--output: give a file name, or - for standard output");
    std::filesystem::path path;
    if (o.output != "-") {
        check_output_file(o.output);
        const std::filesystem::path given(o.output);
        path = output_directory(given.parent_path().empty() ? "." : given.parent_path(), "--output",
                                o.output) /
               given.filename();
    }
    auto& ctx = inv.context();
    auto doc = service::make_backup(ctx, {o.include_history});
    auto text = backup::to_json_text(doc, ctx.default_zone());
    if (o.output == "-") {
        inv.print(text);
        return 0;
    }
    try {
        util::write_file_atomically(path, text, 0600, util::Replace::yes);
    } catch (const std::filesystem::filesystem_error& e) {
        throw util::write_failure("cannot write the backup to " + o.output, e.code());
    }
    if (inv.output_format() == "json") {
        nlohmann::ordered_json j;
        j["output"] = o.output;
        j["jobs"] = doc.jobs.size();
        j["executions"] = doc.executions ? nlohmann::ordered_json(doc.executions->size())
                                         : nlohmann::ordered_json(nullptr);
        inv.print(model::dump_json(j, 2) + "\n");
    } else if (!inv.quiet())
        inv.print("backed up " + std::to_string(doc.jobs.size()) + " job" +
                  (doc.jobs.size() == 1 ? "" : "s") +
                  (doc.executions ? " and " + std::to_string(doc.executions->size()) +
                                        " execution" + (doc.executions->size() == 1 ? "" : "s")
                                  : std::string()) +
                  " to " + util::escape_control(o.output) + "\n");
    return 0;
}

namespace {

std::string plural(std::int64_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

} // namespace

int run_config_restore(Invocation& inv, const ConfigRestoreOptions& o) {
    auto text = read_input(o.input, "--input");
    if (o.dry_run)
        inv.open_read_only();
    auto result = service::restore(inv.context(), text, {o.force, o.prune, o.dry_run});
    using service::RestoreAction;
    if (inv.output_format() == "json") {
        nlohmann::ordered_json j;
        j["dry_run"] = result.dry_run;
        auto& jobs = j["jobs"] = nlohmann::ordered_json::array();
        for (const auto& item : result.jobs)
            jobs.push_back({{"action", std::string(service::to_string(item.action))},
                            {"job_id", item.job_id},
                            {"name", item.name},
                            {"changed", item.changed}});
        auto& settings = j["settings"] = nlohmann::ordered_json::array();
        for (const auto& [key, value] : result.settings)
            settings.push_back({{"key", key}, {"value", value}});
        j["created"] = result.count(RestoreAction::create);
        j["replaced"] = result.count(RestoreAction::replace);
        j["deleted"] = result.count(RestoreAction::remove);
        j["unchanged"] = result.count(RestoreAction::unchanged);
        j["executions"] = result.executions;
        j["executions_skipped"] = result.executions_skipped;
        inv.print(model::dump_json(j, 2) + "\n");
        return 0;
    }
    if (inv.quiet())
        return 0;
    std::string out;
    for (const auto& item : result.jobs) {
        auto action = std::string(service::to_string(item.action));
        action.resize(10, ' ');
        out += action + util::escape_control(item.name) + " (" + item.job_id + ")";
        if (!item.changed.empty())
            out += ": " + util::join(item.changed, ", ");
        out += "\n";
    }
    for (const auto& [key, value] : result.settings)
        out += "set       " + key + " = " + util::escape_control(value) + "\n";
    out += std::string(result.dry_run ? "would restore: " : "restored: ") +
           std::to_string(result.count(RestoreAction::create)) + " created, " +
           std::to_string(result.count(RestoreAction::replace)) + " replaced, " +
           std::to_string(result.count(RestoreAction::remove)) + " deleted, " +
           std::to_string(result.count(RestoreAction::unchanged)) + " unchanged; " +
           plural(result.executions, "execution") + ", " +
           plural(static_cast<std::int64_t>(result.settings.size()), "setting");
    if (result.executions_skipped > 0)
        out += " (" + plural(result.executions_skipped, "execution") +
               " of jobs already in the store not added)";
    inv.print(out + "\n");
    return 0;
}

} // namespace schedule::app
