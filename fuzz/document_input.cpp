#include "document_input.hpp"
#include "fuzz_checks.hpp"

#include <schedule/backup/document.hpp>
#include <schedule/model/job_json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace schedule::fuzz {

namespace {

// The jobs of a job file, as a job file again.
std::string jobs_file_of(const std::vector<backup::Definition>& defs) {
    std::string out = R"({"jobs": [)";
    for (std::size_t i = 0; i < defs.size(); ++i)
        out += (i ? "," : "") + model::job_json_text(defs[i].job, time::Zone::utc(), true);
    return out + "]}";
}

void backup_document(std::string_view text, const model::BuildContext& ctx) {
    std::optional<backup::Document> doc;
    try {
        doc = backup::read_document(text, ctx);
    } catch (const util::ValidationError& e) {
        require_clean(e);
        return;
    }
    // What a restore read, a backup writes and a restore reads again.
    const auto written = backup::to_json_text(*doc, time::Zone::utc());
    const auto again = backup::read_document(written, ctx);
    require(backup::to_json_text(again, time::Zone::utc()) == written);
}

void job_file(std::string_view text, const model::BuildContext& ctx) {
    std::optional<std::vector<backup::Definition>> defs;
    try {
        defs = backup::read_definitions(text, ctx);
    } catch (const util::ValidationError& e) {
        require_clean(e);
        return;
    }
    for (const auto& def : *defs) {
        require(def.path.starts_with("jobs["));
        require(!def.past || clean_line(def.past->what()));
    }
    const auto written = jobs_file_of(*defs);
    const auto again = backup::read_definitions(written, ctx);
    require(jobs_file_of(again) == written);
}

} // namespace

int document_input(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto ctx = fixed_context();
    backup_document(text, ctx);
    job_file(text, ctx);
    return 0;
}

} // namespace schedule::fuzz
