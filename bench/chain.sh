#!/bin/sh
# The chain benchmark: 100 jobs of `true`, each --after the one before it;
# from the tick that fires the first to the end of the last, against 100
# `/bin/true` run one after another by a shell. Each end starts the next
# job in the same write that records it, so the chain does not wait for
# ticks. Aim: under 3x.
#
# Every command runs in the environment cron gives a job (see
# bench/common.sh). The two are measured alternately, RUNS times, and
# compared by medians. Each run of ours starts from a copy of the same
# store (the copy, about 1 ms, is timed with it).
#
# Usage: bench/chain.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}

. bench/common.sh
bench_setup bench/chain.sh

store=$scratch/template.db
SCHEDULE_NOW=2026-01-01T02:59:00Z "$schedule" --store "$store" -q job create j0 \
    --cron '0 3 * * *' --tz UTC --command true >/dev/null
i=1
while [ $i -lt 100 ]; do
    cmd=true
    [ $i -eq 99 ] && cmd="touch '$scratch/done'"
    SCHEDULE_NOW=2026-01-01T02:59:00Z "$schedule" --store "$store" -q job create "j$i" \
        --after "j$((i - 1))" --command "$cmd" >/dev/null
    i=$((i + 1))
done

# Fire j0 and wait for j99's mark (a 2 ms poll).
cat >"$scratch/chain.sh" <<SH
cp '$store' '$scratch/run.db'
rm -f '$scratch/done' '$scratch'/run.db-*
SCHEDULE_NOW=2026-01-01T03:00:00Z '$schedule' --store '$scratch/run.db' -q tick
while [ ! -e '$scratch/done' ]; do sleep 0.002; done
SH
cat >"$scratch/spawns.sh" <<'SH'
i=0
while [ $i -lt 100 ]; do /bin/true; i=$((i + 1)); done
SH

echo "== chain of 100 --after jobs vs 100 sequential /bin/true, median of $runs"
compare : "$cron_env /bin/sh '$scratch/chain.sh'" "$cron_env /bin/sh '$scratch/spawns.sh'"
r=$(ratio "$ours" "$theirs")
echo "chain: ${ours} ms   100 x /bin/true: ${theirs} ms   ratio ${r}x (aim 3x) $(verdict "$r" 3)"
runs_done=$(sqlite3 "$scratch/run.db" "select count(*) from executions where status = 'completed'")
echo "(last run: $runs_done of 100 runs completed)"
