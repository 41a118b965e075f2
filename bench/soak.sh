#!/bin/bash
# The soak: MINUTES of real time in which `schedule tick` runs every two
# seconds while SCHEDULE_NOW moves a minute per tick, over 200 jobs of every
# trigger, overlap and retry kind, with random pauses, resumes, updates,
# deletes, detached runs and kill -9 of supervisors in between. Not a test
# (it takes minutes); run it by hand before a release.
#
# At the end it checks, and prints the counts of:
# - the store: PRAGMA integrity_check is ok; after the last tick no
#   execution is running, or queued for anything but a window, a retry's
#   delay or a dependency, and none is owned by a supervisor that is gone;
# - exactly once: every job appends a line per run to a side file; no
#   execution id, and no (job, scheduled time, attempt), is there twice;
# - the fires: 60 control jobs (cron every 1, 2 and 5 minutes, overlap
#   allow, never touched) ran every fire the schedule has in the simulated
#   time, except runs lost with a killed supervisor, and nothing else;
# - supervisors: their memory (VmRSS) and open descriptors, sampled at
#   every tick, do not grow from the first third of the soak to the last;
# - retention: no execution that ended longer ago than history.retention
#   (plus the hour between prunings) is kept beyond history.keep_last per
#   job (runs still waiting are never pruned).
# It exits 1 when a check fails.
#
# Usage: bench/soak.sh [MINUTES]   (default 10)
set -eu
cd "$(dirname "$0")/.."
minutes=${1:-10}
runs=1

. bench/common.sh
bench_setup bench/soak.sh

export SCHEDULE_STORE=$scratch/soak.db
side=$scratch/runs.log
samples=$scratch/samples
: >"$side"
: >"$samples"
t0=$(date -u -d 2026-01-05T00:00:00Z +%s)
tick=0
# The simulated time of tick N: 30 s into minute N.
sim() { date -u -d @$((t0 + $1 * 60 + 30)) +%Y-%m-%dT%H:%M:%SZ; }
S() { SCHEDULE_NOW=$(sim $tick) "$schedule" -q "$@"; }
record="echo \"\$SCHEDULE_JOB_NAME \$SCHEDULE_EXECUTION_ID \$SCHEDULE_ATTEMPT \$SCHEDULE_SCHEDULED_FOR \$SCHEDULE_TRIGGER \$SCHEDULE_JOB_ID\" >> $side"

S config set max_workers 16
S config set history.retention 2h
S config set history.keep_last 5
control=() others=() manual=()
create() { # NAME ARGS...: a job that records its runs
    name=$1
    shift
    S job create "$name" --tz UTC "$@" >/dev/null
}
exprs=('* * * * *' '*/2 * * * *' '*/5 * * * *')
policies=(skip queue replace allow)
for i in $(seq -w 0 59); do
    create "c$i" --cron "${exprs[$((10#$i % 3))]}" --overlap allow --command "$record"
    control+=("c$i")
done
for i in $(seq -w 0 29); do
    create "r$i" --cron '*/3 * * * *' --max-attempts 3 --retry-delay 20s --command \
        "$record; [ \$((SCHEDULE_EXECUTION_ID % 2)) -eq 0 ]"
    create "o$i" --cron '* * * * *' --overlap "${policies[$((10#$i % 4))]}" \
        --command "$record; sleep 1"
    others+=("r$i" "o$i")
done
for i in $(seq -w 0 19); do
    create "a$i" --after "c$i" --command "$record"
    create "e$i" --every "$((10#$i % 5 + 3))m" --command "$record"
    others+=("a$i" "e$i")
done
for i in $(seq -w 0 9); do
    create "d$i" --cron '*/4 * * * *' --depends-on "r0$i:any:30m" --command "$record"
    create "w$i" --cron '* * * * *' --window '00:00-00:20' --window '12:00-12:30' \
        --outside-window "$([ $((10#$i % 2)) -eq 0 ] && echo wait || echo skip)" \
        --command "$record"
    create "m$i" --command "$record; sleep 1"
    others+=("d$i" "w$i")
    manual+=("m$i")
done
echo "soak: 200 jobs, $minutes minute(s) of ticks every 2 s, a simulated minute each"

supervisors() { pgrep -f "__supervise --store $SCHEDULE_STORE" || true; }
pick() { local a=("$@"); echo "${a[$((RANDOM % ${#a[@]}))]}"; }
kills=0 pauses=0 resumes=0 updates=0 deletes=0 detached=0
end=$(($(date +%s) + minutes * 60))
while [ "$(date +%s)" -lt "$end" ]; do
    started=$(date +%s%N)
    tick=$((tick + 1))
    S tick >/dev/null 2>>"$scratch/tick.err" || echo "tick $tick failed: $(tail -1 "$scratch/tick.err")"
    roll=$((RANDOM % 100))
    job=$(pick "${others[@]}")
    if [ $roll -lt 8 ]; then
        S job pause "$job" >/dev/null 2>&1 && pauses=$((pauses + 1)) || true
    elif [ $roll -lt 16 ]; then
        S job resume "$job" >/dev/null 2>&1 && resumes=$((resumes + 1)) || true
    elif [ $roll -lt 20 ] && [[ $job == o* ]]; then
        S job update "$job" --cron "*/$((RANDOM % 4 + 1)) * * * *" >/dev/null 2>&1 &&
            updates=$((updates + 1)) || true
    elif [ $roll -lt 23 ] && [[ $job == o* ]]; then
        S job delete "$job" --force >/dev/null 2>&1 && deletes=$((deletes + 1)) || true
        create "$job" --cron '* * * * *' --overlap "$(pick "${policies[@]}")" \
            --command "$record; sleep 1"
    elif [ $roll -lt 28 ]; then
        S job run "$(pick "${manual[@]}")" --detach >/dev/null 2>&1 &&
            detached=$((detached + 1)) || true
    fi
    # A supervisor killed about a second after the tick, mid-run.
    if [ $((RANDOM % 100)) -lt 6 ]; then
        sleep 1
        victim=$(supervisors | shuf -n 1 || true)
        if [ -n "$victim" ] && kill -9 "$victim" 2>/dev/null; then
            kills=$((kills + 1))
        fi
    fi
    for pid in $(supervisors); do
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
        [ -n "$rss" ] && echo "$tick $rss $fds" >>"$samples"
    done
    left=$((2000 - ($(date +%s%N) - started) / 1000000))
    [ $left -gt 0 ] && sleep "$(awk -v ms=$left 'BEGIN { printf "%.3f", ms / 1000 }')"
done
last=$tick
# Let every supervisor finish, then one more tick recovers what was lost.
for _ in $(seq 1 120); do
    [ -z "$(supervisors)" ] && break
    sleep 1
done
tick=$((tick + 1))
S tick --wait >/dev/null 2>>"$scratch/tick.err" || true
for _ in $(seq 1 120); do # and the runs their ends started
    [ -z "$(supervisors)" ] && break
    sleep 1
done

failed=0
check() { # WHAT OK DETAIL
    if [ "$2" = 1 ]; then echo "ok    $1: $3"; else
        echo "FAIL  $1: $3"
        failed=1
    fi
}
q() { sqlite3 "$SCHEDULE_STORE" "$1"; }

integrity=$(q 'PRAGMA integrity_check')
check "integrity" "$([ "$integrity" = ok ] && echo 1)" "$integrity"
# What is left queued waits for a window, a retry's delay or a dependency;
# nothing runs or waits for a worker, and nothing is owned by a supervisor
# that is gone.
left=$(q "SELECT count(*) FROM executions WHERE status = 'running' OR
    (status = 'queued' AND (reason IS NULL OR reason NOT IN ('window', 'retry', 'dependency')))")
orphans=0
for pid in $(q "SELECT DISTINCT supervisor_pid FROM executions WHERE status IN ('running', 'queued')
    AND supervisor_pid IS NOT NULL"); do
    kill -0 "$pid" 2>/dev/null || orphans=$((orphans + 1))
done
waiting=$(q "SELECT count(*) FROM executions WHERE status = 'queued'")
[ "$left" = 0 ] || q "SELECT '  left: ' || j.name || ' ' || e.status || ' ' || coalesce(e.reason, '-') ||
    ' job ' || j.status || ' ' || e.trigger FROM executions e JOIN jobs j ON j.job_id = e.job_id
    WHERE e.status = 'running' OR (e.status = 'queued' AND (e.reason IS NULL OR
    e.reason NOT IN ('window', 'retry', 'dependency'))) LIMIT 5"
check "no run left running or orphaned" "$([ "$left" = 0 ] && [ "$orphans" = 0 ] && echo 1)" \
    "$left running or waiting for a worker, $orphans supervisors gone, $waiting waiting for a window, a retry or a dependency"

lines=$(wc -l <"$side")
dup_ids=$(awk '{ print $2 }' "$side" | sort | uniq -d | wc -l)
# A fire of the schedule, or a retry of one, runs once; runs by hand and
# --after runs may share a time.
awk '$5 == "schedule" || $5 == "retry" { print $6, $1, $4, $3 }' "$side" | sort | uniq -d \
    >"$scratch/dup_fires"
dup_fires=$(wc -l <"$scratch/dup_fires")
[ "$dup_fires" = 0 ] || head -3 "$scratch/dup_fires" | sed 's/^/  ran twice: /'
check "no run ran twice" "$([ "$dup_ids" = 0 ] && [ "$dup_fires" = 0 ] && echo 1)" \
    "$lines runs, $dup_ids execution ids twice, $dup_fires fires twice"

# Control jobs: the simulated minute of each run, against the schedule.
# Minute N of the soak fires "* * * * *" always, "*/2" when N is even,
# "*/5" when N divides by 5; ticks 1..tick each fire minute N = tick.
awk -v t0day=5 '$1 ~ /^c[0-9]+$/ {
    split($4, dt, /[-T:+Z]/)
    n = (dt[3] - t0day) * 1440 + dt[4] * 60 + dt[5]
    print $1, n
}' "$side" | sort -u >"$scratch/control.got"
expected=0 missing=0 extra=0
for i in $(seq -w 0 59); do
    step=(1 2 5)
    s=${step[$((10#$i % 3))]}
    want=$(seq 1 "$tick" | awk -v s="$s" '$1 % s == 0' | sort)
    got=$(awk -v j="c$i" '$1 == j { print $2 }' "$scratch/control.got" | sort)
    expected=$((expected + $(echo "$want" | grep -c .)))
    missing=$((missing + $(comm -23 <(echo "$want") <(echo "$got") | grep -c . || true)))
    extra=$((extra + $(comm -13 <(echo "$want") <(echo "$got") | grep -c . || true)))
done
lost_control=$(q "SELECT count(*) FROM events WHERE type = 'execution.lost' AND job_id IN
    (SELECT job_id FROM jobs WHERE name GLOB 'c[0-9][0-9]')")
check "control fires ran once each" \
    "$([ "$extra" = 0 ] && [ "$missing" -le "$lost_control" ] && echo 1)" \
    "$expected fires expected, $missing missing ($lost_control control runs lost with killed supervisors), $extra unexpected"

third=$((last / 3))
read -r rss_early fds_early < <(awk -v t="$third" '$1 <= t { if ($2 > r) r = $2; if ($3 > f) f = $3 }
    END { print r + 0, f + 0 }' "$samples")
read -r rss_late fds_late < <(awk -v t="$((last - third))" '$1 > t { if ($2 > r) r = $2; if ($3 > f) f = $3 }
    END { print r + 0, f + 0 }' "$samples")
sampled=$(wc -l <"$samples")
check "supervisors flat" \
    "$([ "$rss_late" -le $((rss_early + rss_early / 5 + 1024)) ] && [ "$fds_late" -le $((fds_early + 2)) ] && echo 1)" \
    "$sampled samples; max VmRSS ${rss_early} kB in the first third, ${rss_late} kB in the last; max fds $fds_early, $fds_late"

now=$((t0 + tick * 60 + 30))
stale_rows="FROM executions e WHERE coalesce(e.end_time, e.created_at) <
    $((now - 3 * 3600)) AND e.status NOT IN ('queued', 'waiting', 'running') AND
    (SELECT count(*) FROM executions n WHERE n.job_id = e.job_id AND
        n.execution_id > e.execution_id) >= 5"
stale=$(q "SELECT count(*) $stale_rows")
if [ "$stale" != 0 ]; then
    echo "executions past retention (id, job, status, created, ended; now $now):"
    q "SELECT execution_id, job_id, status, created_at, end_time $stale_rows LIMIT 10"
fi
kept=$(q 'SELECT count(*) FROM executions')
size=$(stat -c %s "$SCHEDULE_STORE")
check "retention bounds the store" "$([ "$stale" = 0 ] && echo 1)" \
    "$kept executions kept, $stale past retention beyond keep_last; store $((size / 1024)) KiB"

echo "counts: $last ticks ($last simulated minutes), $lines runs recorded, $kills supervisors killed," \
    "$pauses pauses, $resumes resumes, $updates updates, $deletes deletes, $detached detached runs"
exit $failed
