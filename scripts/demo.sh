#!/bin/sh
# Installs what is missing, builds, and shows the main job of schedule
# against a throwaway store that is removed afterwards.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh build
scripts/build.sh schedule

demo_dir=$(mktemp -d)
trap 'rm -rf "$demo_dir"' EXIT
export SCHEDULE_STORE="$demo_dir/schedule.db"
schedule() { ./build/app/schedule "$@"; }
if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=""; plain=""; fi
step() { printf '\n%s$ schedule %s%s\n' "$bold" "$*" "$plain"; }

step job create backup --cron "'30 2 * * *'" --command "'tar czf /tmp/etc.tgz /etc'" ...
schedule job create backup --cron '30 2 * * *' --command 'tar czf /tmp/etc.tgz /etc' \
    --priority high --tag team=infra --timeout 1h --description 'Nightly /etc backup'
step job create disk-report --cron "'*/15 9-17 * * MON-FRI'" --command "'df -h'" --tz Europe/Berlin
schedule job create disk-report --cron '*/15 9-17 * * MON-FRI' --command 'df -h' \
    --tz Europe/Berlin --tag team=infra -q
step job create cleanup --cron @daily --command "'find /tmp -mtime +7 -delete'" --disabled
schedule job create cleanup --cron @daily --command 'find /tmp -mtime +7 -delete' --disabled -q
step job create heartbeat --every 15m --jitter 2m --command "'curl -fsS https://example.invalid/ping'"
schedule job create heartbeat --every 15m --jitter 2m --command 'curl -fsS https://example.invalid/ping' -q
step job list
schedule job list
step job next backup --count 3
schedule job next backup --count 3
step next "'30 2 * * *'" --tz America/New_York --from 2026-03-06 --count 4 "  # DST: 02:30 does not exist on 2026-03-08"
schedule next '30 2 * * *' --tz America/New_York --from 2026-03-06 --count 4
step job list --tag team=infra --format json
schedule job list --tag team=infra --format json
step job update disk-report --priority critical --timeout 5m
schedule job update disk-report --priority critical --timeout 5m
step job resume cleanup
schedule job resume cleanup
step job create bad --cron "'61 * * * *'" --command true "   # a mistake: exit 2, nothing written"
schedule job create bad --cron '61 * * * *' --command true || echo "(exit $?)"
step job create hello --command "'echo hello from \$SCHEDULE_JOB_NAME; echo a warning >&2; exit 3'"
schedule job create hello --command 'echo hello from $SCHEDULE_JOB_NAME; echo a warning >&2; exit 3' -q
step job run hello "   # output streams live; the job's exit code comes back"
schedule job run hello || echo "(exit $?)"
step job run backup --dry-run
schedule job run backup --dry-run
step job history
schedule job history
step job output 1 --both
schedule job output 1 --both
step job stats hello
schedule job stats hello
# The main job: ticks fire what is due. SCHEDULE_NOW moves the clock so the
# demo does not have to wait for the minutes to pass.
step job create every-minute --cron "'* * * * *'" --command "'echo tick at \$SCHEDULE_SCHEDULED_FOR'"
SCHEDULE_NOW=2026-11-23T09:00:00Z schedule job create every-minute --cron '* * * * *' \
    --command 'echo tick at $SCHEDULE_SCHEDULED_FOR' --tz UTC -q
step job create flaky --cron "'*/2 * * * *'" --command "'exit 3'" --max-attempts 2 --retry-delay 0
SCHEDULE_NOW=2026-11-23T09:00:00Z schedule job create flaky --cron '*/2 * * * *' \
    --command 'exit 3' --max-attempts 2 --retry-delay 0 --tz UTC -q
for now in 2026-11-23T09:01:05Z 2026-11-23T09:02:05Z 2026-11-23T09:06:05Z; do
    step tick --wait "   # SCHEDULE_NOW=$now"
    SCHEDULE_NOW=$now schedule tick --wait
done
step tick --dry-run --now 2026-11-23T09:30:00Z "   # what the tick would do, and why"
SCHEDULE_NOW=2026-11-23T09:06:30Z schedule tick --dry-run --now 2026-11-23T09:30:00Z
step job history every-minute "   # one run per minute; the missed minutes are one skipped record"
SCHEDULE_NOW=2026-11-23T09:06:30Z schedule job history every-minute
step job history flaky "   # the failed run was retried (attempt 2, trigger retry)"
SCHEDULE_NOW=2026-11-23T09:06:30Z schedule job history flaky
step config list
schedule config list
