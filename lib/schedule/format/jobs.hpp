#pragma once
// Jobs rendered as tables, JSON and CSV. Pure: strings out.

#include <schedule/format/style.hpp>
#include <schedule/model/job.hpp>

#include <string>
#include <vector>

namespace schedule::format {

// The schedule column: "cron 0 3 * * *", "@reboot", "manual".
std::string schedule_text(const model::Job& job);

// "high (80)", "50".
std::string priority_text(int priority);

// `job list`: id, name, status, schedule, next run, last status, priority.
std::string jobs_table(const std::vector<model::Job>& jobs, const Style& style);
// A JSON array of job objects (SPEC §5 keys), one job per line.
std::string jobs_json(const std::vector<model::Job>& jobs, const Style& style);
// RFC 4180 CSV with a header row; tags and env as JSON objects.
std::string jobs_csv(const std::vector<model::Job>& jobs, const Style& style);

// `job show` as "Key: value" lines.
std::string job_detail(const model::Job& job, const Style& style);
// `job show --format json`: the job object.
std::string job_json(const model::Job& job, const Style& style);

// Quotes one CSV field when it needs quoting.
std::string csv_field(std::string_view s);

} // namespace schedule::format
