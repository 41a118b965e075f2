#pragma once
// The backup document of `config backup` and `config restore` (schedule(1),
// BACKUP DOCUMENT): one JSON object with the store's jobs, its settings and,
// optionally, its history. Pure: text in, text out.

#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/model/job_builder.hpp>
#include <schedule/time/instant.hpp>
#include <schedule/time/zone.hpp>
#include <schedule/util/error.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace schedule::backup {

inline constexpr std::string_view k_format = "schedule-backup";
inline constexpr int k_version = 1;

struct Document {
    time::Instant created_at{};
    std::string host;
    // Ordered by name.
    std::vector<model::Job> jobs;
    // The settings stored in the store (not their defaults), by key.
    std::vector<std::pair<std::string, std::string>> config;
    // With history: every ended execution, oldest first, with its output.
    std::optional<std::vector<model::ExecutionRecord>> executions;
};

// The document as JSON text, indented by two spaces, ending in a newline.
// created_at is written in `zone`, each job's instants in the job's zone.
// Output that is valid UTF-8 is written as "data"; other output as
// "data_base64", so that the bytes come back exactly.
std::string to_json_text(const Document& doc, const time::Zone& zone);

// The largest stored output a document may hold per stream (bytes).
inline constexpr std::size_t k_max_output_bytes = 64 * 1024 * 1024;

// Reads and checks a whole document before anything is written: the JSON
// itself (valid UTF-8 without a NUL byte, nesting at most 64 deep, no key
// twice in one object), format and version, no unknown keys, every job
// through model::job_from_json (record mode, so the builder's rules apply
// and ids, counters and timestamps are kept), no two jobs with one id or
// one name, every setting through its own check, and each execution (a
// whole id from 1 to model::k_max_count used once, a job of the document,
// an ended status, known trigger, instants, output). Throws
// util::ValidationError naming the JSON path of the first fault
// ("jobs[3].timeout_seconds", "executions[7].status"). Jobs come back in
// the document's order, settings normalised as `config set` stores them.
Document read_document(std::string_view text, const model::BuildContext& ctx);

// One job of a job file (`apply -f`).
struct Definition {
    // The job as the file defines it (model::JobJsonMode::definition): no
    // id, counters or next run. An --at or end date in the past is kept
    // here; `past` says so.
    model::Job job;
    // Where it is in the file: "jobs[3]".
    std::string path;
    // Whether the file gives the anchor of an every trigger (else the job
    // is anchored now, as by `job create`).
    bool gives_anchor = false;
    // When the --at or end date is in the past: the error `job create`
    // would give (naming the first of the two), for the caller to throw
    // when that value would be new to the job.
    std::optional<util::ValidationError> past;
};

// Reads and checks a whole job file for `apply -f` before anything is
// written: the JSON itself as read_document() reads it, then either a
// backup document (its format and version checked, its keys known; only
// "jobs" is read) or {"jobs": [...]} without any other key. Every job
// through model::job_from_json (definition mode: ids, counters and
// timestamps are ignored), no two jobs with one name. Throws
// util::ValidationError naming the JSON path of the first fault. Jobs
// come back in the file's order.
std::vector<Definition> read_definitions(std::string_view text, const model::BuildContext& ctx);

} // namespace schedule::backup
