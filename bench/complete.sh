#!/bin/sh
# The completion helper's answer time, which a shell waits for at every
# TAB: `schedule __complete` over a store of 10,000 jobs (bar: 50 ms, the
# point where a pause after TAB starts to show).
#
# 1. every job name: `job show <TAB>` with nothing typed (10,000 lines);
# 2. the names after a prefix: `job show job-12<TAB>` (111 names);
# 3. the same through bash's protocol (the line as typed, replies quoted);
# 4. commands only, no store read: `job <TAB>`;
# 5. time zones: `--tz Europe/<TAB>` (a directory of the tz database).
#
# Every command runs in the environment cron gives a job (`env -i` with
# HOME, LOGNAME, PATH=/usr/bin:/bin and SHELL=/bin/sh), with the store
# named by --store on the completed line, RUNS times; the median is shown.
# The store is made by the bench-only generator of bench/common.sh.
#
# Usage: bench/complete.sh [RUNS]   (default 21)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-21}

. bench/common.sh
bench_setup bench/complete.sh

# median_of CMD: the median wall time of CMD over $runs runs, in ms.
median_of() {
    t=""
    i=0
    while [ $i -lt "$runs" ]; do
        t="$t $(time_ns : "$1")"
        i=$((i + 1))
    done
    echo $t | median_ms
}

# report WHAT CMD: runs CMD once to count its lines, then times it.
report() {
    lines=$(eval "$2" | wc -l)
    ms=$(median_of "$2")
    pass=$(awk -v m="$ms" 'BEGIN { print (m < 50 ? "PASS" : "FAIL") }')
    printf '%-44s %8s ms  (%s lines; bar 50 ms) %s\n' "$1" "$ms" "$lines" "$pass"
}

db=$scratch/complete.db
make_store "$db" 10000 '0 3 * * *' 4102444800
run="$cron_env '$schedule' __complete"

echo "== schedule __complete over 10000 jobs, median of $runs runs"
report "job show <TAB> (every name)" "$run zsh --store '$db' job show ''"
report "job show job-12<TAB>" "$run zsh --store '$db' job show job-12"
report "bash: job show job-12<TAB>" \
    "$run bash ' =:' 'schedule --store $db job show job-12'"
report "job <TAB> (no store read)" "$run zsh job ''"
report "job create --tz Europe/<TAB>" "$run zsh job create --tz Europe/"
