#pragma once
// Jobs rendered as tables, JSON and CSV. Pure: strings out.

#include <schedule/format/style.hpp>
#include <schedule/model/execution.hpp>
#include <schedule/model/job.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/plan/retry.hpp>

#include <memory>
#include <string>
#include <vector>

namespace schedule::format {

// "high (80)", "50".
std::string priority_text(int priority);

// `job list`: id, name, status, schedule, next run, last status, priority.
// With `recent` (on a terminal), a RECENT column after the last status:
// each job's newest ended runs as a run_strip(), "-" for a job without.
std::string jobs_table(const std::vector<model::Job>& jobs, const Style& style,
                       const model::RecentRuns* recent = nullptr);
// A JSON array of job objects (schedule(1), Job object), one job per line.
std::string jobs_json(const std::vector<model::Job>& jobs, const Style& style);

// The text of jobs_json() written a job at a time: add() each job, take()
// what is written so far whenever it suits, finish() once at the end.
class JobsJson {
public:
    explicit JobsJson(const Style& style);
    ~JobsJson();
    JobsJson(const JobsJson&) = delete;
    JobsJson& operator=(const JobsJson&) = delete;

    void add(const model::Job& job);
    // Closes the array ("[]" when no job was added).
    void finish();
    // The text written since the last take().
    std::string take();
    std::size_t pending() const { return m_out.size(); }

private:
    struct Zones;
    Style m_style;
    std::string m_out;
    bool m_first = true;
    std::unique_ptr<Zones> m_zones;
};
// RFC 4180 CSV with a header row; tags and env as JSON objects.
std::string jobs_csv(const std::vector<model::Job>& jobs, const Style& style);

// A job as "Key: value" lines (`job show`, and what create and update
// print); with `upcoming`, the coming fires are listed too, with `state`
// the job's state and retry attempt.
std::string job_detail(const model::Job& job, const Style& style,
                       const std::vector<plan::Fire>* upcoming = nullptr,
                       const plan::RunState* state = nullptr);
// The job object; with `upcoming`, plus "next_runs" and "next_runs_dst";
// with `state`, plus "state", "attempt", "attempts_left" and "next_retry".
std::string job_json(const model::Job& job, const Style& style,
                     const std::vector<plan::Fire>* upcoming = nullptr,
                     const plan::RunState* state = nullptr);

// One CSV field, quoted when it needs quoting. Under `style.terminal` its
// control and bidi characters and invalid UTF-8 are escaped first, as in
// tables; otherwise the bytes are kept as they are.
std::string csv_field(std::string_view s, const Style& style);

} // namespace schedule::format
