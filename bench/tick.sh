#!/bin/sh
# The tick and listing benchmarks of the man page's performance bars, each a
# ratio against a peer measured on the same machine in the same run:
#
# 1. idle:  `schedule tick` over 100,000 jobs with nothing due, against
#           `sqlite3 DB 'select 1'` on the same store (bar: 2x).
# 2. fire:  `schedule tick --wait` firing 1,000 due `true` jobs (each runs
#           as /bin/sh -c true) with the default max_workers, against a
#           shell loop spawning /bin/true 1,000 times (bar: 1.5x).
# 3. list:  `schedule job list --format json` over 10,000 jobs, against
#           `sqlite3 -json` reading the same rows (bar: 2x).
#
# Every command, ours and the peers, runs in the environment cron gives a
# job (`env -i` with HOME, LOGNAME, PATH=/usr/bin:/bin and SHELL=/bin/sh;
# no TZ, so the default zone comes from /etc/localtime), with the store
# named by --store. Each pair is measured alternately, RUNS times, and
# compared by medians.
#
# The large stores are made by a bench-only generator: one job created
# through the CLI, then copied with SQL (ids 8 hex digits, unique names).
#
# Usage: bench/tick.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}

. bench/common.sh
bench_setup bench/tick.sh

# 2026-01-01T00:00:00Z, when the seed jobs are created; the ticks run at
# the real time, with the idle store's jobs due in 2100 and the fire
# store's two minutes before the store was made.
t0=1767225600
year_2100=4102444800

echo "== 1. idle tick over 100000 jobs vs sqlite3 'select 1', median of $runs"
make_store "$scratch/idle.db" 100000 '0 0 1 1 *' $year_2100
compare : "$cron_env '$schedule' --store '$scratch/idle.db' tick" \
    "$cron_env sqlite3 '$scratch/idle.db' 'select 1'"
r1=$(ratio "$ours" "$theirs")
echo "schedule tick: ${ours} ms   sqlite3 select 1: ${theirs} ms   ratio ${r1}x (bar 2x) $(verdict "$r1" 2)"
eval "$cron_env '$schedule' --store '$scratch/idle.db' tick"

echo
echo "== 2. firing 1000 due true jobs vs a loop spawning 1000 /bin/true, median of $runs"
make_store "$scratch/fire-template.db" 1000 '* * * * *' $(($(date +%s) - 120))
rm -f "$scratch/fire-template.db-wal" "$scratch/fire-template.db-shm"
compare "rm -f '$scratch'/fire.db*; cp '$scratch/fire-template.db' '$scratch/fire.db'" \
    "$cron_env '$schedule' --store '$scratch/fire.db' -q tick --wait" \
    "$cron_env /bin/sh -c 'i=0; while [ \$i -lt 1000 ]; do /bin/true; i=\$((i + 1)); done'"
r2=$(ratio "$ours" "$theirs")
completed=$(sqlite3 "$scratch/fire.db" "select count(*) from executions where status = 'completed'")
echo "schedule tick --wait: ${ours} ms   spawn loop: ${theirs} ms   ratio ${r2}x (bar 1.5x) $(verdict "$r2" 1.5)"
echo "(last run: $completed of 1000 executions completed)"

echo
echo "== 3. job list --format json over 10000 jobs vs sqlite3 -json, median of $runs"
make_store "$scratch/list.db" 10000 '0 3 * * *' $((t0 + 3 * 3600))
compare : "$cron_env '$schedule' --store '$scratch/list.db' job list --format json" \
    "$cron_env sqlite3 -json '$scratch/list.db' 'select * from jobs order by name'"
r3=$(ratio "$ours" "$theirs")
echo "schedule job list: ${ours} ms   sqlite3 -json: ${theirs} ms   ratio ${r3}x (bar 2x) $(verdict "$r3" 2)"
