#pragma once
// `schedule export`: jobs as crontab lines, systemd timer and service units,
// or Kubernetes CronJob manifests (schedule(1), EXPORT). Pure: the jobs and
// the facts of the host in, file names and texts and the warnings out.
//
// Every job gets a note for each thing of it that the target cannot
// express; a job that cannot be expressed at all is left out, with a note
// that says so. Nothing is dropped without a note.

#include <schedule/model/job.hpp>
#include <schedule/time/instant.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::format {

enum class ExportTarget { crontab, systemd, kubernetes };
// The targets' names, in the enumeration's order: what --to takes.
inline constexpr std::array<std::string_view, 3> k_export_target_names{"crontab", "systemd",
                                                                       "kubernetes"};
std::optional<ExportTarget> parse_export_target(std::string_view s);

// The container image of CronJobs when --image is not given.
inline constexpr std::string_view k_default_image = "debian:bookworm-slim";

struct ExportOptions {
    ExportTarget target = ExportTarget::crontab;
    std::string image{k_default_image}; // kubernetes
    std::int64_t keep_last = 20;        // history.keep_last: CronJob history limits
    std::string host_zone = "UTC";      // the zone a crontab line without CRON_TZ is read in
    std::map<std::string, std::string> handlers; // handlers.TYPE: what task jobs run
    time::Instant now{};                         // for the daylight-saving notes and the dates
};

struct ExportFile {
    std::string name; // a file name without directory: "schedule.crontab",
                      // "schedule-backup-1a2b3c4d.timer", "....yaml"
    std::string text;
};

// The start of the first note of a job left out, before the reason.
inline constexpr std::string_view k_not_exported = "not exported: ";

// What a target cannot express of one job.
struct ExportNotes {
    std::string job_id;
    std::string job_name;
    bool left_out = false; // nothing of the job was exported: the first note
                           // is k_not_exported and the reason
    std::vector<std::string> notes;
};

struct Export {
    std::vector<ExportFile> files;
    std::vector<ExportNotes> notes; // jobs with at least one note, in job order
};

// Exports `jobs` in their order. crontab: one file, schedule.crontab, with a
// comment line per job; systemd: a .service and (unless the job has no
// schedule) a .timer per job; kubernetes: one .yaml file per job.
Export export_jobs(const std::vector<model::Job>& jobs, const ExportOptions& options);

// The export as one text for stdout: the crontab; each systemd unit preceded
// by a "# FILE: NAME" line; the CronJobs as one multi-document YAML stream.
std::string export_text(const Export& e);

// Whether `text`, the start of a file, is the start of a file that export
// writes: a first line that is a comment ending "exported with `schedule
// export --to TARGET`." (what --output-dir replaces without --force).
bool is_exported_text(std::string_view text);

// The base of every file name of a job's export, and its CronJob's name:
// "schedule-", the name's ASCII letters and digits in lower case with every
// other run of characters as one '-' (at most 34 characters), '-' and the
// job id: "schedule-nightly-backup-1a2b3c4d"; "schedule-1a2b3c4d" when no
// letter or digit is left. A DNS-1123 label of at most 52 characters, and a
// valid systemd unit name prefix.
std::string export_name(const model::Job& job);

} // namespace schedule::format
