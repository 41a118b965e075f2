#pragma once
// The rules that every use case writing jobs shares (`job create|update|
// delete|pause`, `config restore`, `apply`): internal to service.

#include <schedule/service/context.hpp>
#include <schedule/service/jobs.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace schedule::service {

// Whether two versions of a job fire at different times.
bool schedule_differs(const model::Job& a, const model::Job& b);

// The next fire after `now` for an active job, else none (a paused job
// gets its next run when it is resumed: no catch-up for the paused time).
std::optional<time::Instant> next_run(const model::Job& job, time::Instant now);

// Marks `job` finished, with no next run, when its trigger fires by the
// clock but has no fire after `now` left (a passed --at or end date),
// whether it is enabled or not: as a tick finishes a job after its last
// fire, which it never would for a job without a next run. For jobs
// whose next run counts from `now`: created, restored, resumed, or given
// a new schedule.
void finish_if_spent(model::Job& job, time::Instant now);

// Pausing skips the job's runs that wait to start (reason paused), in the
// pause's own transaction: a paused job starts nothing later, not after a
// `job resume` either. Runs recorded running go on.
void skip_waiting_runs(Context& ctx, store::WriteTransaction& tx, const model::Job& job);

// A random job id that no job of the store has.
std::string new_job_id(store::Store& store);

// Inserts `job`, new and with its id, in `tx`: an @reboot job fires after
// the next boot (not now), the next run counts from `now` (its jitter
// depends on the id), and the job.created event gets `detail`, or the job
// object when none is given.
void insert_new_job(Context& ctx, store::WriteTransaction& tx, model::Job& job, time::Instant now,
                    std::optional<std::string> detail = std::nullopt);

// `definition` as a new version of `stored`: with the stored job's id, its
// creation time, counters, last run and boot, so that its history still
// belongs to it. Status, next run and updated_at stay the definition's.
model::Job keep_identity(const model::Job& stored, model::Job definition);

// Completes `job`, a changed version of `before`, as of `now`: a finished
// job whose schedule or run limit changes may fire again, one whose
// limit is reached is finished, a job that becomes @reboot waits for the
// next boot, and a changed schedule, enabled or status gets its next run
// from now (no surprise run for the past), or is finished when it has no
// fire left (finish_if_spent()). Sets updated_at.
void settle_change(Context& ctx, const model::Job& before, model::Job& job, time::Instant now);

// Writes `job`, changed from `before` in the fields `changes` names
// (changed_fields()), in `tx`: job.paused or job.resumed when enabled
// changes (pausing skips the runs that wait, see skip_waiting_runs()),
// and job.updated listing the other changed fields. `origin`, when given,
// is a key set to true in these events' details ("applied").
void write_change(Context& ctx, store::WriteTransaction& tx, const model::Job& before,
                  const model::Job& job, std::vector<std::string> changes,
                  const char* origin = nullptr);

// Finds a job of the store by id or name (model::resolve_links()).
model::JobFinder store_finder(Context& ctx);

// Refuses, with a ValidationError naming the field by `names`, jobs
// `changed` (as they are to be stored, ids set) that would close a cycle of
// --depends-on and --after links with each other or with the store's
// other jobs; the message gives the cycle in run order, "snap -> export ->
// upload -> snap".
void check_no_cycle(Context& ctx, const std::vector<model::Job>& changed,
                    const model::FieldNamer& names);
// The same for a document's jobs, each named by its own namer
// (`names[i]` for `changed[i]`).
void check_no_cycle(Context& ctx, const std::vector<model::Job>& changed,
                    const std::vector<const model::FieldNamer*>& names);

// A finder over a document's jobs first: `refs` maps each document job's
// id and name to the job's id and name as they will be stored; then, unless
// `document_only`, the store's jobs.
model::JobFinder document_finder(Context& ctx,
                                 std::map<std::string, std::pair<std::string, std::string>> refs,
                                 bool document_only);

// `job` without its dependency and conflict links: what is inserted first
// when several new jobs link to each other, their links being written
// (update_job) once all of them are in the store.
model::Job without_links(model::Job job);

// Before `job` is deleted: removes the links to it from the jobs that have
// them (a dependency or conflict is dropped; an --after trigger becomes
// none, so the job runs only by hand), each with a job.updated event
// ({"changed": [...], "unlinked": ID}). Returns the names of those jobs.
std::vector<std::string> unlink_dependents(Context& ctx, store::WriteTransaction& tx,
                                           const model::Job& job);

// Throws Conflict when another job than `own_id` has the name.
void ensure_name_free(store::Store& store, const std::string& name, const std::string& own_id = {});

// An audit event about `job` by the acting user, now.
model::Event job_event(Context& ctx, const char* type, const model::Job& job,
                       std::string detail = "{}");

// Names of the job's definition fields that differ (as the Job object
// names them), for the job.updated event; counters and timestamps are not
// compared.
std::vector<std::string> changed_fields(const model::Job& a, const model::Job& b);

// Deletes `job` in `tx`: its running runs recorded cancelled (reason
// deleted, each added to `running`), the job and its history removed, the
// job.deleted event. After the commit, stop_deleted_runs() stops the
// process groups of `running`.
DeleteResult delete_in(Context& ctx, store::WriteTransaction& tx, const model::Job& job,
                       std::vector<model::Execution>& running);
void stop_deleted_runs(Context& ctx, const std::vector<model::Execution>& running,
                       const model::Job& job);

} // namespace schedule::service
