// `schedule export --to kubernetes`: a batch/v1 CronJob per job
// (schedule(1), EXPORT), as YAML whose every string is double-quoted.

#include <schedule/format/calendar.hpp>
#include <schedule/format/export_detail.hpp>
#include <schedule/format/yaml.hpp>
#include <schedule/util/utf8.hpp>

#include <algorithm>
#include <cstdint>

namespace schedule::format::detail {

namespace {

bool alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A label name or value: 1-63 of [A-Za-z0-9-_.], starting and ending with a
// letter or digit.
bool label_word(std::string_view s) {
    if (s.empty() || s.size() > 63 || !alnum(s.front()) || !alnum(s.back()))
        return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

// A DNS-1123 subdomain: dot-separated labels of [a-z0-9-], each starting and
// ending with a letter or digit, at most 253 characters in all.
bool dns_subdomain(std::string_view s) {
    if (s.empty() || s.size() > 253)
        return false;
    std::size_t start = 0;
    while (true) {
        auto dot = s.find('.', start);
        auto label = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        for (char c : label)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

} // namespace

bool label_key(std::string_view key) {
    auto slash = key.rfind('/');
    if (slash == std::string_view::npos)
        return label_word(key);
    return dns_subdomain(key.substr(0, slash)) && label_word(key.substr(slash + 1));
}

bool label_value(std::string_view value) {
    return value.empty() || label_word(value);
}

namespace {

std::int64_t clamp32(std::int64_t v) {
    return std::clamp<std::int64_t>(v, 0, 2147483647);
}

// The controller looks for due CronJobs every 10 seconds, and may never
// start one whose deadline is shorter.
constexpr std::int64_t k_shortest_deadline = 10;

// startingDeadlineSeconds: the misfire grace; with catch-up none at most a
// minute (a fire is not run after the next minute has begun); never below
// k_shortest_deadline.
std::optional<std::int64_t> starting_deadline(const model::Job& job) {
    std::optional<std::int64_t> deadline;
    if (job.misfire_grace)
        deadline = job.misfire_grace->count();
    if (job.catchup == model::Catchup::none)
        deadline = std::min<std::int64_t>(deadline.value_or(60), 60);
    if (deadline)
        deadline = std::max(*deadline, k_shortest_deadline);
    return deadline;
}

// What Kubernetes cannot express of a job it runs.
void kubernetes_notes(const model::Job& job, const When& when, const ExportOptions& o,
                      Notes& notes) {
    if (job.overlap == model::Overlap::queue)
        notes.add("--overlap queue: exported as Forbid (a fire during a run is skipped, not "
                  "queued)");
    else if (job.overlap == model::Overlap::allow && job.max_instances)
        notes.add("--max-instances " + std::to_string(*job.max_instances) + ": not expressed");
    if (job.misfire_grace && job.misfire_grace->count() < k_shortest_deadline)
        notes.add("--misfire-grace " + duration_text(*job.misfire_grace) +
                  ": startingDeadlineSeconds is 10, the shortest the controller keeps");
    if (job.catchup == model::Catchup::all)
        notes.add("--catchup all: the controller starts one run for missed fires");
    if (job.max_attempts > 1) {
        notes.add("--retry-delay " + duration_text(job.retry_delay) + ", --backoff " +
                  std::string(model::to_string(job.backoff)) +
                  ": Kubernetes retries after its own back-off (10s, doubling up to 6m)");
        if (!job.retry_on.empty())
            notes.add("--retry-on " + model::retry_on_text(job.retry_on) +
                      ": Kubernetes retries every failure");
        if (job.timeout)
            notes.add("--timeout " + duration_text(*job.timeout) +
                      ": activeDeadlineSeconds bounds all attempts together");
    }
    if (job.jitter.count() > 0)
        notes.add("--jitter " + duration_text(job.jitter) + ": not expressed");
    if (job.run_as)
        notes.add("--run-as " + *job.run_as +
                  ": not expressed (set the pod's securityContext.runAsUser)");
    if (const auto dst = dst_meeting(when, o.now); dst.gap || dst.overlap)
        notes.add("daylight saving in " + when.zone +
                  ": the controller's rules for a skipped or repeated hour may differ from "
                  "schedule's");
    if (job.task_type)
        notes.add("task type " + *job.task_type + ": its handler " + o.handlers.at(*job.task_type) +
                  " must exist in the image");
    for (const auto& tag : job.tags)
        if (!label_key(tag.key) || !label_value(tag.value.value_or("")))
            notes.add("--tag " + tag.key + (tag.value ? "=" + *tag.value : "") +
                      ": no Kubernetes label (left out)");
    common_notes(job, when, o, "Kubernetes", notes);
}

// Why the job's texts cannot go into a manifest (which holds only Unicode
// text), or nullopt.
std::optional<std::string> not_text(const model::Job& job, const std::string& script) {
    if (!util::is_valid_utf8(script))
        return "its command is not UTF-8, which a manifest cannot hold";
    for (const auto& v : job.env)
        if (!util::is_valid_utf8(v.value))
            return "--env " + v.name + " is not UTF-8, which a manifest cannot hold";
    if (job.working_dir && !util::is_valid_utf8(*job.working_dir))
        return "--working-dir is not UTF-8, which a manifest cannot hold";
    return std::nullopt;
}

std::string number(std::int64_t n) {
    return std::to_string(n);
}

// `s` as a container's command or an env value that Kubernetes hands over
// unchanged: it expands `$(NAME)` there and reads `$$` as `$`, so every `$`
// is written `$$`.
std::string dollars_escaped(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == '$')
            out += '$';
        out += c;
    }
    return out;
}

std::string cron_job(const model::Job& job, const When& when, const std::string& schedule,
                     const std::string& script, const ExportOptions& o) {
    // The job's name stays out of the comment: YAML 1.1 ends a line at
    // U+2028 and U+2029, which a name may hold.
    std::string y =
        "# schedule job " + job.id + ", exported with `schedule export --to kubernetes`.\n---\n";
    y += "apiVersion: \"batch/v1\"\n";
    y += "kind: \"CronJob\"\n";
    y += "metadata:\n";
    y += "  name: " + yaml_quote(export_name(job)) + "\n";
    std::string labels;
    for (const auto& tag : job.tags)
        if (label_key(tag.key) && label_value(tag.value.value_or("")))
            labels +=
                "    " + yaml_quote(tag.key) + ": " + yaml_quote(tag.value.value_or("")) + "\n";
    if (!labels.empty())
        y += "  labels:\n" + labels;
    y += "  annotations:\n";
    y += "    \"schedule/job-id\": " + yaml_quote(job.id) + "\n";
    y += "    \"schedule/job-name\": " + yaml_quote(job.name) + "\n";
    if (!job.description.empty())
        y += "    \"schedule/description\": " + yaml_quote(job.description) + "\n";
    y += "spec:\n";
    y += "  schedule: " + yaml_quote(schedule) + "\n";
    y += "  timeZone: " + yaml_quote(when.zone) + "\n";
    const char* policy = job.overlap == model::Overlap::allow     ? "Allow"
                         : job.overlap == model::Overlap::replace ? "Replace"
                                                                  : "Forbid";
    y += std::string("  concurrencyPolicy: \"") + policy + "\"\n";
    if (auto deadline = starting_deadline(job))
        y += "  startingDeadlineSeconds: " + number(*deadline) + "\n";
    y += std::string("  suspend: ") + (dormant(job) ? "true" : "false") + "\n";
    y += "  successfulJobsHistoryLimit: " + number(clamp32(o.keep_last)) + "\n";
    y += "  failedJobsHistoryLimit: " + number(clamp32(o.keep_last)) + "\n";
    y += "  jobTemplate:\n";
    y += "    spec:\n";
    y += "      backoffLimit: " + number(job.max_attempts - 1) + "\n";
    if (job.timeout)
        y += "      activeDeadlineSeconds: " + number(job.timeout->count()) + "\n";
    y += "      template:\n";
    y += "        spec:\n";
    y += "          restartPolicy: \"Never\"\n";
    y += "          terminationGracePeriodSeconds: " + number(job.kill_grace.count()) + "\n";
    y += "          containers:\n";
    y += "            - name: \"job\"\n";
    y += "              image: " + yaml_quote(o.image) + "\n";
    y += "              command: [\"/bin/sh\", \"-c\", " + yaml_quote(dollars_escaped(script)) +
         "]\n";
    if (job.working_dir)
        y += "              workingDir: " + yaml_quote(*job.working_dir) + "\n";
    if (!job.env.empty()) {
        y += "              env:\n";
        for (const auto& v : job.env) {
            y += "                - name: " + yaml_quote(v.name) + "\n";
            y += "                  value: " + yaml_quote(dollars_escaped(v.value)) + "\n";
        }
    }
    return y;
}

} // namespace

void export_kubernetes(const std::vector<model::Job>& jobs, const ExportOptions& o, Export& out) {
    for (const auto& job : jobs) {
        Notes notes;
        const When when = when_of(job);
        const auto script = shell_script(job, o);
        std::optional<std::string> schedule;
        if (when.kind == When::Kind::calendar)
            schedule = portable_cron(when.expr);
        if (auto why = no_calendar(when, false))
            notes.leave_out(*why);
        else if (!schedule)
            notes.leave_out("its day fields must both match (one starts with *), which "
                            "Kubernetes cannot express");
        else if (!script)
            notes.leave_out(no_handler(job));
        else if (auto why_not = not_text(job, *script))
            notes.leave_out(*why_not);
        else
            kubernetes_notes(job, when, o, notes);
        if (!notes.left_out)
            out.files.push_back(
                {export_name(job) + ".yaml", cron_job(job, when, *schedule, *script, o)});
        record(out, job, std::move(notes));
    }
}

} // namespace schedule::format::detail
