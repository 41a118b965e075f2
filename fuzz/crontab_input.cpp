#include "crontab_input.hpp"
#include "fuzz_checks.hpp"

#include <schedule/model/crontab.hpp>
#include <schedule/model/job_json.hpp>
#include <schedule/model/validate.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace schedule::fuzz {

namespace {

std::string line_prefix(int line) {
    return "line " + std::to_string(line);
}

void check_problems(const std::vector<model::CrontabProblem>& problems) {
    for (const auto& p : problems) {
        require(p.line >= 1);
        require(p.message.starts_with(line_prefix(p.line) + ": "));
        require(clean_line(p.message));
        require(p.hint.empty() || clean_line(p.hint));
    }
}

// The job as a backup holds it reads back the same.
void check_round_trip(model::Job job, const model::BuildContext& ctx) {
    job.id = "0a1b2c3d";
    const auto text = model::job_json_text(job, time::Zone::utc(), true);
    const auto read = model::job_from_json(nlohmann::ordered_json::parse(text),
                                           model::JobJsonMode::record, ctx, "jobs[0]");
    require(model::job_json_text(read, time::Zone::utc(), true) == text);
}

void import(std::string_view text, model::CrontabKind kind, const model::BuildContext& ctx) {
    const auto crontab = model::parse_crontab(text, kind);
    check_problems(crontab.errors);
    check_problems(crontab.warnings);
    // Reading a job back costs more than building it: the first few
    // lines' jobs are read back, so that long crontabs stay fast to run.
    std::size_t read_back = 4;
    for (const auto& entry : crontab.entries) {
        require(entry.line >= 1);
        const auto spec = model::crontab_job_spec(entry, "/etc/cron.d/fuzz", std::nullopt);
        require(model::validate_name(*spec.name).ok());
        require(model::validate_name(model::numbered_job_name(*spec.name, 12)).ok());
        model::Job job;
        try {
            job = model::build_job(spec, ctx, model::CrontabNamer(entry.line));
        } catch (const util::ValidationError& e) {
            require_clean(e);
            require(e.field().starts_with(line_prefix(entry.line)));
            continue;
        }
        if (read_back > 0) {
            check_round_trip(job, ctx);
            --read_back;
        }
    }
}

} // namespace

int crontab_input(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto ctx = fixed_context();
    import(text, model::CrontabKind::user, ctx);
    import(text, model::CrontabKind::system, ctx);
    return 0;
}

} // namespace schedule::fuzz
