#include <schedule/plan/tick.hpp>
#include <schedule/service/claim.hpp>
#include <schedule/service/jobs.hpp>
#include <schedule/service/notify.hpp>
#include <schedule/service/records.hpp>
#include <schedule/service/runs.hpp>
#include <schedule/util/error.hpp>
#include <schedule/util/utf8.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace schedule::service {

namespace {

// The runs a supervisor owns, from claimed to recorded:
//
//   later   claimed (queued, marked with our id), waiting for not_before
//   ready   marked running in the store, not started yet
//   runs    started: a process of the runner
//   ended   over, not recorded yet
//
// The loop starts one ready run, writes what changed when it must, then
// waits. A write is one transaction: the ends (with retries), the pids of
// the runs started since the last write, and the queued work claimed for
// the slots that freed up, which it marks running at once. It happens when
// no run is ready (so the claim refills the ready runs while the run just
// started goes on), when nothing is left to run, or k_write_delay after
// the oldest change not written; so a burst of short runs costs one
// transaction per max_workers runs. A run is marked running in a committed
// transaction before its process starts: if the supervisor dies, the run is
// recovered as lost, never started twice (and a run that ended less than
// k_write_delay before is recorded lost too).
class Supervisor {
public:
    Supervisor(Context& ctx, exec::ProcessRunner& runner)
        : m_ctx(ctx), m_runner(runner), m_me{ctx.host().self().pid, ctx.host().self().start} {}

    void run() {
        adopt();
        // Hooks of runs that a tick recovered as lost, handed to us.
        start_hooks(m_ctx.store.notifications_of(m_me.pid, m_me.start));
        for (;;) {
            if (m_runner.interrupted_by() != 0 && !m_stopping)
                stop_taking_work();
            start_one();
            if (must_write())
                write();
            if (m_runner.active() == 0 && m_ready.empty() && m_later.empty() && m_ended.empty() &&
                m_hooks_ended.empty())
                break;
            collect(m_runner.wait_for(wait_limit()));
            stop_disowned();
        }
    }

private:
    // Takes the queued runs that the tick (or `job run`) claimed for us.
    void adopt() {
        for (auto& e : m_ctx.store.claimed_executions(m_me.pid, m_me.start)) {
            if (!m_jobs.count(e.job_id)) {
                auto job = m_ctx.store.find_job_by_id(e.job_id);
                if (!job)
                    continue;
                m_jobs.insert_or_assign(e.job_id, std::move(*job));
            }
            e.job_name = m_jobs.at(e.job_id).name;
            m_later.push_back(std::move(e));
        }
    }

    bool due(const model::Execution& e, time::Instant now) const {
        return !e.not_before || *e.not_before <= now;
    }

    bool must_write() const {
        if (m_retry_at && m_ctx.host().steady_now() < *m_retry_at)
            return false; // the store could not be written a moment ago
        const auto now = m_ctx.now();
        if (std::any_of(m_later.begin(), m_later.end(),
                        [&](const auto& e) { return m_stopping || due(e, now); }))
            return true;
        if (!m_write_by)
            return false; // nothing changed
        return m_ready.empty() || m_stopping || m_ctx.host().steady_now() >= *m_write_by;
    }

    // A run ended or started: written by k_write_delay from the first such
    // change at the latest.
    // A run of an overlap=replace job is written at once (`now`): a
    // replacing run's supervisor looks for its pid.
    void changed(bool now = false) {
        const auto by = now ? m_ctx.host().steady_now() : m_ctx.host().steady_now() + k_write_delay;
        if (!m_write_by || by < *m_write_by)
            m_write_by = by;
    }

    // Zero while a ready run waits; otherwise until the first not_before
    // (nothing: until a run ends). No change waits unwritten here: with no
    // run ready, must_write() held.
    // While the store cannot be written, no longer than until the next try.
    std::optional<std::chrono::milliseconds> wait_limit() const {
        using std::chrono::milliseconds;
        if (!m_ready.empty())
            return milliseconds(0);
        std::optional<milliseconds> limit; // runs going: see stop_disowned()
        if (!m_runs.empty())
            limit = milliseconds(k_owner_check);
        if (m_retry_at)
            limit =
                std::min(limit.value_or(milliseconds::max()),
                         std::max(milliseconds(0), std::chrono::duration_cast<milliseconds>(
                                                       *m_retry_at - m_ctx.host().steady_now())));
        if (m_later.empty())
            return limit;
        auto first = time::Instant::max();
        for (const auto& e : m_later)
            first = std::min(first, e.not_before.value_or(time::Instant{}));
        const auto until_first = std::max(
            milliseconds(0), std::chrono::duration_cast<milliseconds>(first - m_ctx.now()));
        return limit ? std::min(*limit, until_first) : until_first;
    }

    // A run whose row is gone or no longer running (its job was deleted):
    // see k_owner_check.
    void stop_disowned() {
        const auto now = m_ctx.host().steady_now();
        if (!m_next_check)
            m_next_check = now + k_owner_check; // a second after the first run
        if (m_runs.empty() || now < *m_next_check)
            return;
        m_next_check = now + k_owner_check;
        std::set<std::int64_t> running;
        for (auto [id, status] : m_ctx.store.active_execution_statuses())
            if (status == model::ExecutionStatus::running)
                running.insert(id);
        for (const auto& [id, e] : m_runs)
            if (!running.count(id))
                m_runner.cancel(id, exec::k_stop_signal);
    }

    void collect(std::vector<exec::Finished> finished) {
        for (auto& f : finished) {
            if (auto hook = m_hooks.find(f.id); hook != m_hooks.end()) {
                m_hooks_ended.emplace_back(std::move(hook->second), std::move(f.result));
                m_hooks.erase(hook);
                changed();
                continue;
            }
            auto it = m_runs.find(f.id);
            if (it == m_runs.end())
                continue;
            m_ended.emplace_back(std::move(it->second), std::move(f.result));
            m_runs.erase(it);
            m_unsaved.erase(f.id); // its end carries the pid
            changed();
        }
    }

    // Starts hooks noted for us, each beside the runs (they hold no worker);
    // their ends are recorded with the next write.
    void start_hooks(const std::vector<model::Notification>& hooks) {
        for (const auto& n : hooks) {
            HookSend send{n, std::nullopt};
            if (auto r = start_hook(m_ctx, m_runner, send)) {
                m_hooks_ended.emplace_back(std::move(send), std::move(*r));
                changed();
            } else {
                m_hooks.emplace(hook_run_id(n), std::move(send));
            }
        }
    }

    // A run marked ready that must not start after all.
    void end_unstarted(model::Execution e, exec::Outcome outcome, std::string error, int signal) {
        exec::RunResult r;
        r.outcome = outcome;
        r.error = std::move(error);
        r.cancel_signal = signal;
        m_ended.emplace_back(std::move(e), std::move(r));
        changed();
    }

    // Starts the first ready run. The runner paces starts (exec/process.hpp).
    void start_one() {
        if (m_ready.empty())
            return;
        auto e = std::move(m_ready.front());
        m_ready.pop_front();
        if (m_stopping) {
            end_unstarted(std::move(e), exec::Outcome::cancelled, "", m_runner.interrupted_by());
            return;
        }
        const auto& job = m_jobs.at(e.job_id);
        if (job.overlap == model::Overlap::replace) {
            // A newer run may have replaced this one before it started.
            auto current = m_ctx.store.find_execution(e.id);
            if (current && model::is_replaced(*current)) {
                // Recorded cancelled, reason replaced (record_ends).
                end_unstarted(std::move(e), exec::Outcome::cancelled, "", 0);
                return;
            }
            // Stopping may take the kill grace: what waits is written first.
            if (m_write_by)
                write();
            stop_replaced(e, job);
        }
        auto resolved = resolve_run(m_ctx, job, e);
        if (resolved.error) {
            end_unstarted(std::move(e), exec::Outcome::failed_to_start, *resolved.error, 0);
            return;
        }
        e.start_time = m_ctx.now();
        if (auto started = m_runner.start(e.id, spec_for(m_ctx, job, resolved, Tee::no, e.id))) {
            e.pid = started->pid;
            e.process_start = started->process_start;
            m_unsaved.insert(e.id);
            changed(job.overlap == model::Overlap::replace);
        }
        m_runs.emplace(e.id, std::move(e)); // a start that failed ends in wait_for
    }

    // Overlap replace: the run this one replaces is stopped first.
    void stop_replaced(const model::Execution& e, const model::Job& job) {
        if (!e.parent_execution_id || e.trigger == model::ExecutionTrigger::retry)
            return;
        auto old = m_ctx.store.find_execution(*e.parent_execution_id);
        // Its supervisor records its pid right after starting it: give it a moment.
        for (int i = 0; i < 100 && old && old->status == model::ExecutionStatus::running &&
                        old->replace_requested && !old->pid;
             ++i) {
            m_ctx.host().sleep_for(std::chrono::milliseconds(10));
            old = m_ctx.store.find_execution(*e.parent_execution_id);
        }
        if (!old || old->status != model::ExecutionStatus::running || !old->replace_requested ||
            !old->pid || !old->process_start)
            return;
        spdlog::info("stopping execution {} of {}: replaced by execution {}", old->id,
                     util::escape_control(job.name), e.id);
        m_ctx.host().terminate_group(*old->pid, *old->process_start, job.kill_grace);
    }

    // On SIGTERM/SIGINT/SIGHUP the runner cancels the running runs; the
    // ready ones are recorded cancelled and the later ones go back to the
    // queue for the next tick.
    void stop_taking_work() {
        m_stopping = true;
        spdlog::info("supervisor {} stopping: signal {}", m_me.pid,
                     exec::signal_name(m_runner.interrupted_by()));
    }

    // One transaction: ends, pids, claims; then the claimed runs are ready.
    // Writes; when the store cannot be written (a full disk, a file-size
    // limit, a lock held too long) the transaction is rolled back, what it
    // was to write stays in memory and the write is tried again
    // k_store_retry later, for k_store_patience; past that the error ends
    // the supervisor (its runs are killed with it) and the next tick
    // records its runs lost.
    void write() {
        auto later = m_later; // the claimed runs, as before the write
        try {
            write_once();
            m_failing_since.reset();
            m_retry_at.reset();
            m_failed_writes = 0;
        } catch (const util::StoreError& e) {
            m_later = std::move(later);
            const auto now = m_ctx.host().steady_now();
            if (!m_failing_since)
                m_failing_since = now;
            if (now - *m_failing_since >= k_store_patience)
                throw;
            // The output may be what does not fit: after a few tries the
            // ends are written without it.
            if (++m_failed_writes >= k_tries_with_output)
                drop_outputs(m_ended, e.what());
            spdlog::error("supervisor {} cannot write the store, trying again in {}s: {}", m_me.pid,
                          k_store_retry.count(), e.what());
            m_retry_at = now + k_store_retry;
        }
    }

    void write_once() {
        const auto now = m_ctx.now();
        std::vector<model::Execution> ready;
        auto tx = m_ctx.store.begin_write();
        const auto hooks = record_ends(m_ctx, tx, m_ended, Retries::yes, m_me);
        for (const auto& [send, result] : m_hooks_ended)
            record_hook(m_ctx, tx, send, result);
        // A run whose job was deleted before its pid was written: the
        // delete could not stop it, so it is stopped here once committed.
        std::vector<std::int64_t> deleted;
        for (auto id : m_unsaved)
            if (!m_ctx.store.note_process(tx, m_runs.at(id)))
                deleted.push_back(id);
        std::vector<model::Execution> take;
        for (auto it = m_later.begin(); it != m_later.end();) {
            if (m_stopping || due(*it, now)) {
                take.push_back(std::move(*it));
                it = m_later.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& e : take) {
            // Claimed earlier: a replacing run may have cancelled it since.
            auto current = m_ctx.store.find_execution(e.id);
            if (!current || current->status != model::ExecutionStatus::queued ||
                current->supervisor_pid != m_me.pid)
                continue;
            if (m_stopping) {
                current->supervisor_pid.reset();
                current->supervisor_start.reset();
                current->updated_at = now;
                m_ctx.store.update_execution(tx, *current);
                continue;
            }
            mark_running(m_ctx, e);
            m_ctx.store.update_claim(tx, e);
            note_started(tx, e, ready);
        }
        if (!m_stopping) {
            auto snapshot = load_snapshot(m_ctx, Purpose::follow_on);
            auto plan = plan::plan_tick(snapshot);
            if (plan.fired() > 0) {
                // A claimed run that may start now is written running at
                // once, in the claim's own row update.
                auto applied = apply_plan(m_ctx, tx, snapshot, plan, m_me, [&](auto& e) {
                    if (due(e, now) && snapshot.jobs.count(e.job_id))
                        mark_running(m_ctx, e);
                });
                for (auto& e : applied.claimed) {
                    m_jobs.insert_or_assign(e.job_id, snapshot.jobs.at(e.job_id));
                    if (e.status == model::ExecutionStatus::running)
                        note_started(tx, e, ready);
                    else
                        m_later.push_back(std::move(e));
                }
            }
        }
        tx.commit();
        for (auto id : deleted)
            m_runner.cancel(id, exec::k_stop_signal);
        log_ends(m_ended);
        m_ended.clear();
        m_hooks_ended.clear();
        m_unsaved.clear();
        m_write_by.reset();
        for (auto& e : ready)
            m_ready.push_back(std::move(e));
        // The ends are committed: their hooks may go.
        start_hooks(hooks);
    }

    // The counters and event of a run written running in `tx`; its process
    // starts after the commit. The run that uses up the job's
    // max_executions (the limit counts runs that started) finishes the job.
    void note_started(store::WriteTransaction& tx, model::Execution& e,
                      std::vector<model::Execution>& ready) {
        auto count = m_ctx.store.note_run_started(tx, e);
        if (count && model::counts_toward_limit(e.trigger) &&
            model::limit_reached(count->max_executions, count->scheduled_count))
            m_ctx.store.advance_job(tx, e.job_id, std::nullopt, model::JobStatus::finished,
                                    std::nullopt);
        append_execution_event(m_ctx, tx, model::event_type::execution_started, e, e.job_name);
        ready.push_back(std::move(e));
    }

    Context& m_ctx;
    exec::ProcessRunner& m_runner;
    const exec::SupervisorId m_me;
    std::vector<model::Execution> m_later;
    std::deque<model::Execution> m_ready;
    std::map<std::int64_t, model::Execution> m_runs;
    std::vector<std::pair<model::Execution, exec::RunResult>> m_ended;
    std::set<std::int64_t> m_unsaved;                                // started, pid not written yet
    std::map<exec::RunId, HookSend> m_hooks;                         // hooks running
    std::vector<std::pair<HookSend, exec::RunResult>> m_hooks_ended; // not recorded yet
    std::map<std::string, model::Job> m_jobs;
    std::optional<exec::Host::SteadyTime> m_write_by; // a change waits to be written
    std::optional<exec::Host::SteadyTime> m_retry_at; // a failed write is tried again
    std::optional<exec::Host::SteadyTime> m_failing_since;
    int m_failed_writes = 0;
    std::optional<exec::Host::SteadyTime> m_next_check; // stop_disowned() // the first failed write
    bool m_stopping = false;
};

} // namespace

void supervise(Context& ctx, exec::ProcessRunner& runner) {
    require_trusted_store(ctx);
    Supervisor(ctx, runner).run();
    prune_history(ctx);
}

} // namespace schedule::service
