#!/bin/sh
# The backup benchmark: `config backup --include-history` and `config
# restore` of 10,000 jobs with 10 executions each (100,000 executions, each
# with a line of stored output), against SQLite's own copy of the same
# store: `sqlite3 DB .dump` and reading that dump into a new database.
# Aims: backup under 2x, restore under 3x.
#
# Every command runs in the environment cron gives a job (see
# bench/common.sh); each pair is measured alternately, RUNS times, and
# compared by medians.
#
# Usage: bench/backup.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}

. bench/common.sh
bench_setup bench/backup.sh

t0=1767225600 # 2026-01-01T00:00:00Z
make_store "$scratch/store.db" 10000 '0 3 * * *' $((t0 + 3 * 3600))
sqlite3 "$scratch/store.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 9)
INSERT INTO executions (job_id, trigger, attempt, status, scheduled_for, start_time, end_time,
                        duration_ms, exit_code, host, created_at, updated_at, priority)
SELECT job_id, 'schedule', 1, CASE WHEN i % 5 = 4 THEN 'failed' ELSE 'completed' END,
       $t0 - i * 86400, $t0 - i * 86400, $t0 - i * 86400 + 2, 1500 + i,
       CASE WHEN i % 5 = 4 THEN 1 ELSE 0 END, 'bench', $t0 - i * 86400, $t0 - i * 86400 + 2, 50
FROM jobs, n ORDER BY i, job_id;
INSERT INTO outputs (execution_id, stream, data, total_bytes, truncated)
SELECT execution_id, 'stdout', CAST('backed up ' || execution_id || ' files' || char(10) AS BLOB),
       length('backed up ' || execution_id || ' files') + 1, 0
FROM executions;
UPDATE jobs SET execution_count = 10, failure_count = 2, last_status = 'completed';
SQL
rm -f "$scratch/store.db-wal" "$scratch/store.db-shm"
echo "store: $(sqlite3 "$scratch/store.db" 'select count(*) from jobs') jobs," \
    "$(sqlite3 "$scratch/store.db" 'select count(*) from executions') executions," \
    "$(($(stat -c %s "$scratch/store.db") / 1024)) KiB"

echo
echo "== 1. config backup --include-history vs sqlite3 .dump, median of $runs"
compare : "$cron_env '$schedule' --store '$scratch/store.db' config backup --include-history --output '$scratch/backup.json'" \
    "$cron_env sqlite3 '$scratch/store.db' '.output $scratch/dump.sql' .dump"
r1=$(ratio "$ours" "$theirs")
echo "schedule config backup: ${ours} ms   sqlite3 .dump: ${theirs} ms   ratio ${r1}x (aim 2x) $(verdict "$r1" 2)"
echo "(backup $(($(stat -c %s "$scratch/backup.json") / 1024)) KiB, dump $(($(stat -c %s "$scratch/dump.sql") / 1024)) KiB)"

echo
echo "== 2. config restore into a new store vs sqlite3 reading the dump, median of $runs"
compare "rm -f '$scratch'/restored.db*" \
    "$cron_env '$schedule' --store '$scratch/restored.db' -q config restore --input '$scratch/backup.json'" \
    "$cron_env sqlite3 '$scratch/copy.db' '.read $scratch/dump.sql'" \
    "rm -f '$scratch'/copy.db*"
r2=$(ratio "$ours" "$theirs")
echo "schedule config restore: ${ours} ms   sqlite3 .read: ${theirs} ms   ratio ${r2}x (aim 3x) $(verdict "$r2" 3)"
echo "(restored: $(sqlite3 "$scratch/restored.db" 'select count(*) from jobs') jobs," \
    "$(sqlite3 "$scratch/restored.db" 'select count(*) from executions') executions)"
