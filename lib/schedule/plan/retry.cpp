#include <schedule/plan/retry.hpp>

#include <algorithm>

namespace schedule::plan {

time::Duration retry_delay(model::Backoff backoff, time::Duration delay, time::Duration max_delay,
                           int failed_attempt) {
    const std::int64_t d = std::max<std::int64_t>(delay.count(), 0);
    const std::int64_t cap = std::max<std::int64_t>(max_delay.count(), 0);
    const std::int64_t n = std::max(failed_attempt, 1);
    // The factor that multiplies d, computed until d * factor passes the
    // cap: from there on the answer is the cap, whatever the attempt.
    std::int64_t factor = 1;
    switch (backoff) {
    case model::Backoff::fixed:
        break;
    case model::Backoff::linear:
        factor = n;
        break;
    case model::Backoff::exponential:
        for (std::int64_t i = 1; i < n && (d == 0 || d * factor <= cap); ++i)
            factor *= 2;
        break;
    case model::Backoff::fibonacci: {
        std::int64_t a = 1, b = 1; // fib(1), fib(2)
        for (std::int64_t i = 2; i < n && (d == 0 || d * b <= cap); ++i) {
            auto next = a + b;
            a = b;
            b = next;
        }
        factor = n == 1 ? 1 : b;
        break;
    }
    }
    if (d != 0 && factor > cap / d)
        return time::Duration{cap};
    return time::Duration{std::min(d * factor, cap)};
}

bool retries(const model::Job& job, const model::Execution& ended) {
    using S = model::ExecutionStatus;
    if (ended.attempt >= job.max_attempts || !model::is_failure(ended.status))
        return false;
    if (job.retry_on.empty())
        return true;
    for (const auto& r : job.retry_on) {
        switch (r.kind) {
        case model::RetryOn::Kind::timeout:
            if (ended.status == S::timed_out)
                return true;
            break;
        case model::RetryOn::Kind::lost:
            if (ended.status == S::lost)
                return true;
            break;
        case model::RetryOn::Kind::signal:
            if (ended.status == S::failed && ended.signal && !ended.exit_code)
                return true;
            break;
        case model::RetryOn::Kind::exit:
            if (ended.status == S::failed && ended.exit_code == r.code)
                return true;
            break;
        }
    }
    return false;
}

std::optional<Retry> plan_retry(const model::Job& job, const model::Execution& ended,
                                time::Instant ended_at) {
    if (!retries(job, ended))
        return std::nullopt;
    Retry r;
    r.attempt = ended.attempt + 1;
    r.at = ended_at + retry_delay(job.backoff, job.retry_delay, job.retry_max_delay, ended.attempt);
    r.superseded = job.next_execution && r.at >= *job.next_execution;
    r.paused = !job.enabled;
    return r;
}

RunState run_state(const model::Job& job, const std::vector<model::Execution>& active,
                   const std::optional<model::Execution>& newest) {
    RunState s;
    const model::Execution* retry = nullptr;
    bool running = false, queued = false;
    for (const auto& e : active) {
        if (e.status == model::ExecutionStatus::running)
            running = true;
        else if (e.trigger == model::ExecutionTrigger::retry)
            retry = &e;
        else
            queued = true;
    }
    if (newest) {
        s.attempt = newest->attempt;
        s.attempts_left = std::max(0, job.max_attempts - newest->attempt);
    }
    if (retry) {
        s.next_retry = retry->not_before ? retry->not_before : retry->scheduled_for;
        if (!running) {
            // The newest run is the retry itself: the failed attempt is the one before.
            s.attempt = retry->attempt - 1;
            s.attempts_left = std::max(0, job.max_attempts - s.attempt);
        }
    }
    s.state = running ? "running" : retry ? "retrying" : queued ? "queued" : "idle";
    return s;
}

} // namespace schedule::plan
