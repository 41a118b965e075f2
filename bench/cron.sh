#!/bin/sh
# The cron benchmark (README.md, Benchmarks).
#
# 1. Engine throughput: parses and next-fire computations per second for
#    each expression of tests/vectors/bench_expressions.tsv.
# 2. Whole process: `schedule next EXPR --tz Z --from 2025-01-01T00:00:00Z
#    --count 20000` against a node script printing the same 20000 instants
#    with croner@11 (installed with npm into a scratch directory, never into
#    the repository), the median of RUNS runs each; prints each ratio and
#    the geometric mean against the bar of 20x. Skipped without node/npm.
#
# Usage: bench/cron.sh [RUNS]   (default 5)
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
count=20000
from=2025-01-01T00:00:00Z
expressions=tests/vectors/bench_expressions.tsv

scripts/deps.sh build
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSCHEDULE_BUILD_BENCH=ON \
    -DSCHEDULE_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench -j"$(nproc)" --target schedule cron_throughput >/dev/null
schedule=$(pwd)/build-bench/app/schedule

echo "== engine throughput (one process, 0.5 s per figure)"
./build-bench/bench/cron_throughput "$expressions" 0.5

echo
echo "== whole process: schedule next --count $count vs croner@11, median of $runs runs"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "node/npm not found: croner comparison skipped"
    exit 0
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund croner@11 >/dev/null 2>&1)
cat > "$scratch/next.mjs" <<'JS'
import { Cron } from "croner";
const [expr, tz, from, count] = process.argv.slice(2);
const job = new Cron(expr, { timezone: tz, paused: true });
const out = [];
let t = new Date(from);
for (let i = 0; i < Number(count); i++) {
    const n = job.nextRun(t);
    if (!n) break;
    out.push(n.toISOString().replace(".000Z", "Z"));
    t = n;
}
process.stdout.write(out.join("\n") + "\n");
JS
export SCHEDULE_STORE="$scratch/none/schedule.db" # no store: nothing to read

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# median_ms CMD...: the median wall time of $runs runs, output discarded.
median_ms() {
    times=""
    i=0
    while [ $i -lt "$runs" ]; do
        start=$(now_ms)
        "$@" >/dev/null
        times="$times $(($(now_ms) - start))"
        i=$((i + 1))
    done
    echo $times | tr ' ' '\n' | sort -n | sed -n "$(((runs + 1) / 2))p"
}

printf '%-34s %-20s %10s %10s %8s  %s\n' expression zone schedule croner ratio output
ratios=""
tab=$(printf '\t')
while IFS="$tab" read -r expr tz; do
    [ -n "$expr" ] || continue
    "$schedule" next "$expr" --tz "$tz" --from "$from" --count "$count" --utc |
        sed 's/  (dst:.*//' >"$scratch/ours.txt"
    node "$scratch/next.mjs" "$expr" "$tz" "$from" "$count" >"$scratch/theirs.txt"
    if cmp -s "$scratch/ours.txt" "$scratch/theirs.txt"; then
        same=same
    elif [ -s "$scratch/theirs.txt" ] &&
        head -n "$(wc -l <"$scratch/theirs.txt")" "$scratch/ours.txt" | cmp -s - "$scratch/theirs.txt"; then
        # croner gives up at the year 3000; what it does print must agree.
        same="same ($(wc -l <"$scratch/theirs.txt") lines: croner stops at $(tail -n1 "$scratch/theirs.txt"))"
    else
        same=DIFFERENT
    fi
    ours=$(median_ms "$schedule" next "$expr" --tz "$tz" --from "$from" --count "$count")
    theirs=$(median_ms node "$scratch/next.mjs" "$expr" "$tz" "$from" "$count")
    [ "$ours" -gt 0 ] || ours=1
    ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')
    ratios="$ratios $ratio"
    printf '%-34s %-20s %8sms %8sms %7sx  %s\n' "$expr" "$tz" "$ours" "$theirs" "$ratio" "$same"
done <"$expressions"
echo $ratios | awk '{ s = 0; for (i = 1; i <= NF; i++) s += log($i);
    g = exp(s / NF); printf "geometric mean: %.1fx (bar: 20x) %s\n", g, (g >= 20 ? "PASS" : "FAIL") }'
