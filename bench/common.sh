# Shared by the benchmark scripts (sourced; needs $runs): timing, medians
# of alternating runs, ratios, and the environment cron gives a job.

# bench_setup SCRIPT: installs what the benchmarks need, builds schedule
# (Release) into build-bench and sets $schedule to it, and makes $scratch, a
# private directory removed on exit. SCRIPT is named in errors.
bench_setup() {
    scripts/deps.sh build
    command -v sqlite3 >/dev/null || {
        echo "$1 needs sqlite3 (apt-get install sqlite3)" >&2
        exit 1
    }
    cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSCHEDULE_BUILD_BENCH=ON \
        -DSCHEDULE_BUILD_TESTS=OFF >/dev/null
    cmake --build build-bench -j"$(nproc)" --target schedule >/dev/null
    schedule=$(pwd)/build-bench/app/schedule
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    chmod 700 "$scratch"
}

now_ns() { date +%s%N; }
# time_ns SETUP CMD: wall time in ns of the shell command CMD (evaluated in
# this shell, so the only processes timed are CMD's: env, which execs the
# command; output discarded), after running the shell command SETUP (may
# be :) untimed.
time_ns() {
    eval "$1"
    start=$(now_ns)
    eval "$2" >/dev/null 2>&1
    echo $(($(now_ns) - start))
}
median_ms() { tr ' ' '\n' | grep . | sort -n | sed -n "$(((runs + 1) / 2))p" | awk '{ printf "%.2f", $1 / 1e6 }'; }
# compare: runs OURS and THEIRS alternately $runs times (the machine's
# speed drifts; alternating keeps the two on the same footing) and sets
# $ours and $theirs to the medians in ms. OURS_SETUP runs before each of
# ours, THEIRS_SETUP (optional) before each of theirs.
compare() {
    ours_setup=$1 ours_cmd=$2 theirs_cmd=$3 theirs_setup=${4:-:}
    o="" t=""
    i=0
    while [ $i -lt "$runs" ]; do
        o="$o $(time_ns "$ours_setup" "$ours_cmd")"
        t="$t $(time_ns "$theirs_setup" "$theirs_cmd")"
        i=$((i + 1))
    done
    ours=$(echo $o | median_ms)
    theirs=$(echo $t | median_ms)
}

# The environment cron gives a job, as a command prefix.
cron_env="env -i HOME='$HOME' LOGNAME='${LOGNAME:-$(id -un)}' PATH=/usr/bin:/bin SHELL=/bin/sh"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v bar="$2" 'BEGIN { print (r <= bar ? "PASS" : "FAIL") }'; }

# make_store DB COUNT TRIGGER NEXT: a store with COUNT copies of one job
# with cron TRIGGER and next_execution NEXT (unix seconds).
make_store() {
    db=$1 count=$2 expr=$3 next=$4
    SCHEDULE_STORE=$db SCHEDULE_NOW=2026-01-01T00:00:00Z TZ=UTC \
        "$schedule" job create seed --cron "$expr" --command true -q >/dev/null
    sqlite3 "$db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $count - 1)
INSERT INTO jobs (job_id, name, trigger_type, trigger, cron_expression, timezone, command,
                  created_at, updated_at, next_execution)
SELECT printf('%08x', i), 'job-' || i, trigger_type, trigger, cron_expression, timezone,
       command, created_at, updated_at, $next
FROM n, (SELECT * FROM jobs WHERE name = 'seed');
UPDATE jobs SET next_execution = $next;
SQL
}
