#include <schedule/model/job_json.hpp>
#include <schedule/plan/catchup.hpp>
#include <schedule/plan/fires.hpp>
#include <schedule/plan/retry.hpp>
#include <schedule/plan/tick.hpp>
#include <schedule/time/duration.hpp>
#include <schedule/time/iso8601.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <tuple>

namespace schedule::plan {

namespace {

using model::ExecutionStatus;
using model::ExecutionTrigger;
using model::SkipReason;
using model::WaitReason;

// What the planner tracks per job while it decides.
struct JobState {
    std::int64_t active = 0;           // runs claimed or running (and planned to start)
    std::vector<std::int64_t> running; // owned running executions
    std::vector<std::int64_t> claimed; // claimed by a supervisor, not started yet
    bool waiting = false;              // a queued run of the job keeps waiting
    std::int64_t planned = 0;          // runs of the job this plan lets start
};

struct Candidate {
    RunDecision run;
    bool series = false;      // one of several catch-up `all` runs: strictly one after another
    bool reuses_slot = false; // overlap replace: takes the slot of the run it replaces
};

bool owned(const model::Execution& e, const TickSnapshot& s) {
    return e.supervisor_pid && !s.orphaned.count(e.id) &&
           (e.status == ExecutionStatus::running || e.status == ExecutionStatus::queued);
}

// The wait reason stored on a queued run, if it has one.
std::optional<WaitReason> stored_wait(const model::Execution& e) {
    return e.reason ? e.reason->wait() : std::nullopt;
}

// A run that counts toward its job's max_executions and has not started.
bool waits_to_start(const model::Execution& e) {
    return (e.status == ExecutionStatus::queued || e.status == ExecutionStatus::waiting) &&
           model::counts_toward_limit(e.trigger);
}

// runs_left() of a job with `pending` runs waiting to start.
std::optional<std::int64_t> left_after(const model::Job& j, std::int64_t pending) {
    if (!j.max_executions)
        return std::nullopt;
    return std::max<std::int64_t>(0, *j.max_executions - j.scheduled_count - pending);
}

std::string ids_text(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (auto id : ids)
        out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
}

class Planner {
public:
    explicit Planner(const TickSnapshot& s) : m_s(s), m_horizon(due_horizon(s.now)) {
        // A queued run that this plan drops for the misfire grace holds no
        // place: a fire due now may take it.
        for (const auto& e : s.active) {
            const auto* j = job(e.job_id);
            if (waits_to_start(e) && !(j && !owned(e, s) && past_grace(*j, e)))
                ++m_pending[e.job_id];
        }
    }

    TickPlan run() {
        recover();
        if (m_s.fire_due)
            fire_due();
        take_queued();
        apply_windows();
        apply_dependencies();
        apply_overlap();
        assign_slots();
        return std::move(m_plan);
    }

private:
    const model::Job* job(const std::string& id) const {
        auto it = m_s.jobs.find(id);
        return it == m_s.jobs.end() ? nullptr : &it->second;
    }

    // A queued run later than the job's misfire grace (take_queued drops it).
    bool past_grace(const model::Job& j, const model::Execution& e) const {
        return j.misfire_grace &&
               m_s.now - e.scheduled_for.value_or(e.created_at) > *j.misfire_grace;
    }

    void skip(const std::string& job_id, std::optional<std::int64_t> execution_id,
              time::Instant scheduled_for, model::SkipReason reason, std::int64_t count,
              std::string detail) {
        m_plan.skips.push_back(
            {job_id, execution_id, scheduled_for, reason, count, std::move(detail)});
    }

    void recover() {
        for (const auto& e : m_s.active) {
            if (!e.supervisor_pid)
                continue;
            if (owned(e, m_s)) {
                auto& st = m_state[e.job_id];
                ++st.active;
                ++m_used;
                if (e.status == ExecutionStatus::running) {
                    st.running.push_back(e.id);
                } else {
                    st.claimed.push_back(e.id);
                    if (model::counts_toward_limit(e.trigger))
                        ++m_taken[e.job_id]; // it starts: take_queued() counts it in
                }
                continue;
            }
            if (!m_s.orphaned.count(e.id))
                continue;
            bool lost = e.status == ExecutionStatus::running;
            m_plan.recoveries.push_back({e.id, e.job_id, lost});
            if (!lost)
                continue;
            const auto* j = job(e.job_id);
            if (!j)
                continue;
            auto ended = e;
            ended.status = ExecutionStatus::lost;
            auto retry = plan_retry(*j, ended, m_s.now);
            if (!retry)
                continue;
            if (retry->paused) {
                skip(e.job_id, std::nullopt, retry->at, SkipReason::paused, 1,
                     "the job is paused: lost execution " + std::to_string(e.id) +
                         " is not retried");
                continue;
            }
            if (retry->superseded) {
                skip(e.job_id, std::nullopt, retry->at, SkipReason::superseded, 1,
                     "the retry of lost execution " + std::to_string(e.id) +
                         " would run into the next regular run");
                continue;
            }
            RunDecision d;
            d.job_id = e.job_id;
            d.trigger = ExecutionTrigger::retry;
            d.attempt = retry->attempt;
            d.scheduled_for = d.not_before = retry->at;
            d.priority = j->priority;
            d.retry_of = e.id;
            if (retry->at < m_horizon) {
                d.reason = "retry of lost execution " + std::to_string(e.id);
                m_new[e.job_id].push_back({d, false});
            } else {
                d.reason = "retry";
                d.wait = WaitReason::retry;
                m_plan.runs.push_back(d);
            }
        }
    }

    void fire_due() {
        for (const auto& [id, j] : m_s.jobs) {
            if (!j.enabled || j.status != model::JobStatus::active)
                continue;
            if (j.trigger.type == model::TriggerType::reboot) {
                if (!m_s.boot_id.empty() && j.boot_id != m_s.boot_id)
                    fire_reboot(j);
                continue;
            }
            if (j.next_execution && *j.next_execution < m_horizon)
                fire_schedule(j);
        }
    }

    // Runs of the job's schedule that may still start: the limit less the
    // runs that started and those waiting to start.
    std::int64_t runs_left(const model::Job& j) const {
        auto it = m_pending.find(j.id);
        return left_after(j, it == m_pending.end() ? 0 : it->second).value_or(INT64_MAX);
    }

    // Why fires beyond the limit are skipped.
    static std::string limit_detail(const model::Job& j) {
        return model::limit_reached(j.max_executions, j.scheduled_count)
                   ? "the job has had its " + std::to_string(*j.max_executions) + " runs"
                   : "runs of the job waiting to start fill its limit of " +
                         std::to_string(*j.max_executions);
    }

    void fire_reboot(const model::Job& j) {
        JobChange c{j.id, std::nullopt, j.status, m_s.boot_id};
        if (model::limit_reached(j.max_executions, j.scheduled_count))
            c.status = model::JobStatus::finished;
        if (runs_left(j) == 0) {
            skip(j.id, std::nullopt, m_s.now, SkipReason::max_executions, 1, limit_detail(j));
        } else {
            RunDecision d;
            d.job_id = j.id;
            d.trigger = ExecutionTrigger::reboot;
            d.scheduled_for = d.not_before = m_s.now;
            d.priority = j.priority;
            d.reason = "first tick after a boot";
            m_new[j.id].push_back({d, false});
        }
        m_plan.jobs.push_back(c);
    }

    void fire_schedule(const model::Job& j) {
        const auto zone = model::zone_of(j);
        auto cp = plan_catchup(j, zone, *j.next_execution, m_s.now, j.catchup, j.misfire_grace);
        m_regular_due.insert(j.id);
        if (cp.coalesced > 0)
            skip(j.id, std::nullopt, *j.next_execution, SkipReason::coalesced, cp.coalesced,
                 std::to_string(cp.coalesced) + " due fire(s) folded into another run (catch-up " +
                     std::string(model::to_string(j.catchup)) + ")");
        if (cp.expired > 0)
            skip(j.id, std::nullopt, *cp.first_expired, SkipReason::deadline, cp.expired,
                 "later than the misfire grace");
        JobChange c{j.id, cp.next ? std::optional(cp.next->at) : std::nullopt, j.status,
                    std::nullopt};
        // The oldest due runs that the limit leaves room for.
        const auto left = runs_left(j);
        std::vector<DueRun> kept;
        for (const auto& r : cp.runs)
            if (static_cast<std::int64_t>(kept.size()) < left)
                kept.push_back(r);
        const auto over_limit = static_cast<std::int64_t>(cp.runs.size() - kept.size());
        if (over_limit > 0)
            skip(j.id, std::nullopt, cp.runs.back().fire.scheduled, SkipReason::max_executions,
                 over_limit, limit_detail(j));
        bool series = j.catchup == model::Catchup::all && kept.size() > 1;
        for (const auto& r : kept) {
            RunDecision d;
            d.job_id = j.id;
            d.trigger = r.missed ? ExecutionTrigger::catchup : ExecutionTrigger::schedule;
            d.scheduled_for = r.fire.scheduled;
            d.not_before = r.fire.at;
            d.priority = j.priority;
            d.reason =
                r.missed ? "missed fire (catch-up " + std::string(model::to_string(j.catchup)) + ")"
                         : "due";
            m_new[j.id].push_back({d, series});
        }
        if (model::limit_reached(j.max_executions, j.scheduled_count) ||
            (!cp.next && time_based(j.trigger.type))) {
            c.status = model::JobStatus::finished;
            c.next_execution.reset();
        }
        m_plan.jobs.push_back(c);
    }

    void take_queued() {
        for (const auto& e : m_s.active) {
            if (e.status != ExecutionStatus::queued || owned(e, m_s))
                continue;
            const auto* j = job(e.job_id);
            if (!j)
                continue;
            const auto scheduled = e.scheduled_for.value_or(e.created_at);
            if (!j->enabled) {
                skip(j->id, e.id, scheduled, SkipReason::paused, 1, "the job was paused");
                continue;
            }
            if (past_grace(*j, e)) {
                skip(j->id, e.id, scheduled, SkipReason::deadline, 1,
                     "later than the misfire grace");
                continue;
            }
            if (e.trigger == ExecutionTrigger::retry && m_regular_due.count(j->id)) {
                skip(j->id, e.id, scheduled, SkipReason::superseded, 1,
                     "a regular run of the job is due first");
                continue;
            }
            // The limit was lowered below the runs that wait to start.
            if (model::counts_toward_limit(e.trigger)) {
                auto& taken = m_taken[j->id];
                if (model::limit_reached(j->max_executions, j->scheduled_count + taken)) {
                    skip(j->id, e.id, scheduled, SkipReason::max_executions, 1, limit_detail(*j));
                    continue;
                }
                ++taken;
            }
            auto not_before = e.not_before.value_or(scheduled);
            if (not_before >= m_horizon) {
                m_plan.waiting.push_back({e.id, j->id, stored_wait(e).value_or(WaitReason::retry),
                                          "not before", not_before});
                m_state[j->id].waiting = true;
                continue;
            }
            RunDecision d;
            d.job_id = j->id;
            d.execution_id = e.id;
            d.trigger = e.trigger;
            d.attempt = e.attempt;
            d.scheduled_for = scheduled;
            d.not_before = not_before;
            d.priority = e.priority;
            d.reason = "queued";
            m_queued[j->id].push_back({d, e.trigger == ExecutionTrigger::catchup});
        }
        for (auto& [id, list] : m_queued)
            std::stable_sort(list.begin(), list.end(), [](const Candidate& a, const Candidate& b) {
                return std::tie(a.run.scheduled_for, *a.run.execution_id) <
                       std::tie(b.run.scheduled_for, *b.run.execution_id);
            });
    }

    // A run may start only inside one of its job's windows. Due outside
    // them, it waits for the next one to open (a new run is queued until
    // then; later fires of the job fold into it) or, under
    // --outside-window skip, is skipped.
    void apply_windows() {
        for (const auto& e : m_s.active)
            if (e.status == ExecutionStatus::queued && stored_wait(e) == WaitReason::window)
                m_window_held.insert(e.job_id);
        for (auto& entry : m_queued) {
            // Named copies: a lambda may not capture a structured binding in C++17.
            const std::string& id = entry.first;
            auto& list = entry.second;
            const auto& j = *job(id);
            if (j.windows.empty())
                continue;
            std::erase_if(list, [&](const Candidate& c) {
                const auto closed = closed_window(j, c.run);
                if (!closed)
                    return false;
                if (j.outside_window == model::OutsideWindow::skip) {
                    skip(id, c.run.execution_id, c.run.scheduled_for, SkipReason::window, 1,
                         *closed);
                } else {
                    const auto opens =
                        model::next_window_start(j.windows, start_of(c.run), model::zone_of(j));
                    m_plan.waiting.push_back(
                        {*c.run.execution_id, id, WaitReason::window,
                         opens ? "outside its windows; the next opens" : "outside its windows",
                         opens});
                    m_state[id].waiting = true;
                }
                return true;
            });
        }
        for (auto& entry : m_new) {
            // Named copies: a lambda may not capture a structured binding in C++17.
            const std::string& id = entry.first;
            auto& list = entry.second;
            const auto& j = *job(id);
            if (j.windows.empty())
                continue;
            std::erase_if(list, [&](Candidate& c) {
                if (m_window_held.count(id)) {
                    skip(id, std::nullopt, c.run.scheduled_for, SkipReason::coalesced, 1,
                         "folded into the run of the job waiting for its window");
                    return true;
                }
                const auto closed = closed_window(j, c.run);
                if (!closed)
                    return false;
                const auto opens =
                    model::next_window_start(j.windows, start_of(c.run), model::zone_of(j));
                if (j.outside_window == model::OutsideWindow::skip || !opens) {
                    skip(id, std::nullopt, c.run.scheduled_for, SkipReason::window, 1, *closed);
                    return true;
                }
                c.run.not_before = *opens;
                queue_new(c, WaitReason::window);
                m_window_held.insert(id);
                m_state[id].waiting = true;
                return true;
            });
        }
    }

    // Dependencies: a scheduled run of a job with --depends-on starts only
    // when each job it depends on has no run queued, waiting, running or
    // due now, and has ended in the state required since the run before
    // it was due. Otherwise it waits (a new run is queued, reason
    // dependency) until that end, or past the timeout is skipped; with no
    // timeout, the job's next scheduled run supersedes it.
    void apply_dependencies() {
        std::set<std::string> due_now; // jobs with a run that may start in this plan
        for (const auto& [id, list] : m_new)
            if (!list.empty())
                due_now.insert(id);
        for (const auto& [id, list] : m_queued)
            if (!list.empty())
                due_now.insert(id);
        for (auto& entry : m_queued) {
            // Named copies: a lambda may not capture a structured binding in C++17.
            const std::string& id = entry.first;
            auto& list = entry.second;
            const auto& j = *job(id);
            if (j.depends_on.empty())
                continue;
            const bool superseding = !m_new[id].empty();
            std::erase_if(list, [&](const Candidate& c) {
                if (!needs_requirements(c.run.trigger))
                    return false;
                auto since = m_s.previous_due.find(*c.run.execution_id);
                const auto unmet = unmet_dependency(
                    j, since == m_s.previous_due.end() ? j.created_at : since->second, due_now);
                if (!unmet)
                    return false;
                if (expired(*unmet, c.run) || (superseding && unmet->timeout.count() == 0)) {
                    skip(id, c.run.execution_id, c.run.scheduled_for, SkipReason::dependency, 1,
                         dependency_detail(*unmet, expired(*unmet, c.run)));
                    return true;
                }
                m_plan.waiting.push_back({*c.run.execution_id, id, WaitReason::dependency,
                                          waits_text(*unmet), std::nullopt});
                m_state[id].waiting = true;
                return true;
            });
        }
        for (auto& entry : m_new) {
            // Named copies: a lambda may not capture a structured binding in C++17.
            const std::string& id = entry.first;
            auto& list = entry.second;
            const auto& j = *job(id);
            if (j.depends_on.empty())
                continue;
            auto since_it = m_s.last_due.find(id);
            const auto since = since_it == m_s.last_due.end() ? j.created_at : since_it->second;
            std::erase_if(list, [&](Candidate& c) {
                if (!needs_requirements(c.run.trigger))
                    return false;
                const auto unmet = unmet_dependency(j, since, due_now);
                if (!unmet)
                    return false;
                if (expired(*unmet, c.run)) {
                    skip(id, std::nullopt, c.run.scheduled_for, SkipReason::dependency, 1,
                         dependency_detail(*unmet, true));
                    return true;
                }
                if (m_state[id].waiting) {
                    skip(id, std::nullopt, c.run.scheduled_for, SkipReason::coalesced, 1,
                         "folded into the run of the job waiting for " + unmet->job_name);
                    return true;
                }
                auto it = m_s.linked.find(unmet->job_id);
                c.run.deferred =
                    !due_now.count(unmet->job_id) && !(it != m_s.linked.end() && it->second.active);
                queue_new(c, WaitReason::dependency);
                m_state[id].waiting = true;
                return true;
            });
        }
    }

    // Runs that wait for the jobs they depend on: those of the schedule,
    // not another attempt or a run by hand.
    static bool needs_requirements(ExecutionTrigger t) {
        return t != ExecutionTrigger::retry && t != ExecutionTrigger::manual;
    }

    // The first dependency of `j` that a run is still waiting for, its
    // requirement being an end since `since`.
    std::optional<model::JobLink> unmet_dependency(const model::Job& j, time::Instant since,
                                                   const std::set<std::string>& due_now) const {
        for (const auto& d : j.depends_on) {
            auto it = m_s.linked.find(d.job_id);
            if (it == m_s.linked.end() || it->second.active || due_now.count(d.job_id))
                return d;
            const auto& other = it->second;
            const auto& end = d.state == model::EndState::completed ? other.completed
                              : d.state == model::EndState::failed  ? other.failed
                                                                    : other.ended;
            if (!end || *end < since)
                return d;
        }
        return std::nullopt;
    }

    bool expired(const model::JobLink& d, const RunDecision& r) const {
        return d.timeout.count() > 0 && m_s.now > r.scheduled_for + d.timeout;
    }

    static std::string waits_text(const model::JobLink& d) {
        return "waits for " + d.job_name + " to end " + std::string(model::to_string(d.state));
    }

    static std::string dependency_detail(const model::JobLink& d, bool timed_out) {
        return d.job_name + " did not end " + std::string(model::to_string(d.state)) +
               (timed_out ? " within " + time::format_duration(d.timeout)
                          : " before the next scheduled run");
    }

    // Whether jobs `a` and `b` may not run at the same time.
    bool conflict(const std::string& a, const std::string& b) const {
        return m_s.conflicts.count({a, b}) || m_s.conflicts.count({b, a});
    }

    // The job of the snapshot's links that a run of `id` conflicts with and
    // that runs (or starts in this plan), if any.
    std::optional<std::string> conflicting(const std::string& id,
                                           const std::set<std::string>& starting) const {
        for (const auto& [a, b] : m_s.conflicts) {
            if (a != id && b != id)
                continue;
            const auto& other = a == id ? b : a;
            auto it = m_s.linked.find(other);
            if ((it != m_s.linked.end() && it->second.running) || starting.count(other))
                return other;
        }
        return std::nullopt;
    }

    // When a run that may start now would start: its not-before time, or now.
    time::Instant start_of(const RunDecision& r) const { return std::max(m_s.now, r.not_before); }

    // Why `r` may not start now for its job's windows ("outside its
    // windows; the next opens 2026-12-07T09:00:00-05:00"), or nullopt when it may.
    std::optional<std::string> closed_window(const model::Job& j, const RunDecision& r) const {
        const auto zone = model::zone_of(j);
        const auto at = start_of(r);
        if (model::in_window(j.windows, at, zone))
            return std::nullopt;
        const auto opens = model::next_window_start(j.windows, at, zone);
        return opens ? "outside its windows; the next opens " + time::format_iso(*opens, zone)
                     : std::string("outside its windows, which do not open in the next 8 days");
    }

    void wait_existing(const Candidate& c, WaitReason reason, std::string detail) {
        m_plan.waiting.push_back(
            {*c.run.execution_id, c.run.job_id, reason, std::move(detail), std::nullopt});
    }

    void queue_new(Candidate c, WaitReason reason) {
        c.run.start = false;
        c.run.wait = reason;
        m_plan.runs.push_back(c.run);
    }

    void apply_overlap() {
        std::set<std::string> ids;
        for (const auto& [id, list] : m_queued)
            ids.insert(id);
        for (const auto& [id, list] : m_new)
            ids.insert(id);
        for (const auto& id : ids) {
            const auto& j = *job(id);
            auto& st = m_state[id];
            const std::int64_t limit =
                j.overlap == model::Overlap::allow ? j.max_instances.value_or(INT_MAX) : 1;
            const std::string running = st.running.empty()
                                            ? "a run is starting"
                                            : "execution " + ids_text(st.running) + " is running";
            for (auto& c : m_queued[id]) {
                const std::int64_t lim = c.series ? 1 : limit;
                if (st.active < lim && !(c.series && st.waiting)) {
                    ++st.active;
                    ++st.planned;
                    m_wants.push_back(c);
                } else {
                    wait_existing(c, c.series ? WaitReason::catchup : WaitReason::overlap, running);
                    st.waiting = true;
                }
            }
            for (auto& c : m_new[id]) {
                if (c.series) {
                    if (st.active == 0 && !st.waiting) {
                        ++st.active;
                        ++st.planned;
                        m_wants.push_back(c);
                    } else {
                        queue_new(c, WaitReason::catchup);
                        st.waiting = true;
                    }
                    continue;
                }
                switch (j.overlap) {
                case model::Overlap::skip:
                    if (st.active > 0 || st.waiting) {
                        skip(id, std::nullopt, c.run.scheduled_for, SkipReason::overlap, 1,
                             running);
                        continue;
                    }
                    break;
                case model::Overlap::queue:
                    if (st.active > 0 || st.waiting) {
                        if (st.waiting) {
                            skip(id, std::nullopt, c.run.scheduled_for, SkipReason::overlap, 1,
                                 "a run of the job is already queued");
                        } else {
                            queue_new(c, WaitReason::overlap);
                            st.waiting = true;
                        }
                        continue;
                    }
                    break;
                case model::Overlap::allow:
                    if (st.active >= limit) {
                        skip(id, std::nullopt, c.run.scheduled_for, SkipReason::overlap, 1,
                             std::to_string(st.active) + " run(s) already, --max-instances " +
                                 std::to_string(limit));
                        continue;
                    }
                    break;
                case model::Overlap::replace:
                    if (st.waiting || st.planned > 0) {
                        // One run of the job at a time: the one already
                        // waiting or starting stays, this fire is skipped.
                        skip(id, std::nullopt, c.run.scheduled_for, SkipReason::overlap, 1,
                             "a run of the job is already queued");
                        continue;
                    }
                    // Running runs first: the new run's supervisor stops
                    // the first; claimed ones are cancelled before they start.
                    c.run.replaces = st.running;
                    c.run.replaces.insert(c.run.replaces.end(), st.claimed.begin(),
                                          st.claimed.end());
                    c.reuses_slot = !c.run.replaces.empty(); // the replaced run's slot
                    st.running.clear();
                    st.claimed.clear();
                    st.active = 0;
                    break;
                }
                ++st.active;
                ++st.planned;
                m_wants.push_back(c);
            }
        }
    }

    void assign_slots() {
        std::stable_sort(m_wants.begin(), m_wants.end(),
                         [](const Candidate& a, const Candidate& b) {
                             return std::make_tuple(-a.run.priority, a.run.scheduled_for,
                                                    a.run.job_id, a.run.execution_id.value_or(0)) <
                                    std::make_tuple(-b.run.priority, b.run.scheduled_for,
                                                    b.run.job_id, b.run.execution_id.value_or(0));
                         });
        std::int64_t free = std::max<std::int64_t>(0, m_s.max_workers - m_used);
        std::vector<RunDecision> starts;
        std::set<std::string> starting; // jobs with a run starting in this plan
        for (auto& c : m_wants) {
            if (!m_s.conflicts.empty()) {
                if (auto other = conflicting(c.run.job_id, starting)) {
                    const auto* o = job(*other);
                    const std::string detail = (o ? o->name : linked_name(*other)) + " is running";
                    if (c.run.execution_id) {
                        wait_existing(c, WaitReason::conflict, detail);
                    } else {
                        c.run.replaces.clear();
                        queue_new(c, WaitReason::conflict);
                    }
                    continue;
                }
                starting.insert(c.run.job_id);
            }
            if (c.reuses_slot) {
                c.run.start = true;
                starts.push_back(c.run);
            } else if (free > 0) {
                --free;
                c.run.start = true;
                starts.push_back(c.run);
            } else if (c.run.execution_id) {
                wait_existing(c, WaitReason::slot,
                              "all " + std::to_string(m_s.max_workers) + " workers are busy");
            } else {
                c.run.replaces.clear();
                queue_new(c, WaitReason::slot);
            }
        }
        m_plan.runs.insert(m_plan.runs.begin(), starts.begin(), starts.end());
    }

    // A linked job's name, from the links of the snapshot's jobs.
    std::string linked_name(const std::string& id) const {
        for (const auto& [jid, j] : m_s.jobs)
            for (const auto& l : j.conflicts_with)
                if (l.job_id == id)
                    return l.job_name;
        return id;
    }

    const TickSnapshot& m_s;
    const time::Instant m_horizon;
    TickPlan m_plan;
    std::map<std::string, JobState> m_state;
    std::int64_t m_used = 0;
    std::map<std::string, std::int64_t> m_pending; // runs waiting to start, by job (runs_left)
    std::map<std::string, std::int64_t> m_taken;   // of those, the claimed ones and those kept
    std::set<std::string> m_regular_due;
    std::set<std::string> m_window_held;                    // jobs with a run waiting for a window
    std::map<std::string, std::vector<Candidate>> m_new;    // due fires by job
    std::map<std::string, std::vector<Candidate>> m_queued; // existing queued runs by job
    std::vector<Candidate> m_wants;                         // runs the overlap policy lets start
};

} // namespace

bool TickPlan::writes() const {
    return !recoveries.empty() || !runs.empty() || !skips.empty() || !jobs.empty();
}

std::int64_t TickPlan::fired() const {
    return std::count_if(runs.begin(), runs.end(), [](const RunDecision& r) { return r.start; });
}

std::int64_t TickPlan::queued() const {
    return std::count_if(runs.begin(), runs.end(),
                         [](const RunDecision& r) { return !r.start && !r.execution_id; });
}

std::int64_t TickPlan::skipped() const {
    std::int64_t n = 0;
    for (const auto& s : skips)
        n += s.count;
    return n;
}

std::int64_t TickPlan::recovered() const {
    return static_cast<std::int64_t>(recoveries.size());
}

time::Instant due_horizon(time::Instant now) {
    return time::floor_minute(now) + std::chrono::minutes(1);
}

TickPlan plan_tick(const TickSnapshot& snapshot) {
    return Planner(snapshot).run();
}

std::optional<std::int64_t> runs_left(const model::Job& job,
                                      const std::vector<model::Execution>& active) {
    return left_after(job, std::count_if(active.begin(), active.end(), [&](const auto& e) {
                          return e.job_id == job.id && waits_to_start(e);
                      }));
}

} // namespace schedule::plan
