#!/bin/sh
# Checks `schedule export --to kubernetes` against the Kubernetes API schema
# (README.md, Development). Not a CTest test, since it downloads: it
# installs kubernetes-models@5 and js-yaml with npm into a scratch
# directory (never into the repository), exports jobs that cover every
# mapping of the man page's EXPORT section and names that YAML would read
# as something else, validates each document as a batch/v1 CronJob
# (`new CronJob(doc).validate()`), and compares what js-yaml reads back,
# expanded as Kubernetes expands a container's command and env values
# (`$(NAME)` replaced by the variable, `$$` read as `$`), with the jobs as
# `schedule job list --format json` shows them. Prints one line per
# document and the warnings; exits non-zero on any failure.
#
# Usage: tests/validate/kubernetes.sh
set -eu
cd "$(dirname "$0")/../.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "error: node and npm are needed" >&2
    exit 1
fi
scripts/deps.sh build
scripts/build.sh schedule >/dev/null
schedule=$(pwd)/build/app/schedule

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && npm init -y >/dev/null &&
    npm install --silent --no-audit --no-fund kubernetes-models@5 js-yaml >/dev/null)
echo "== kubernetes-models $(cd "$scratch" && node -p 'require("kubernetes-models/package.json").version')," \
    "js-yaml $(cd "$scratch" && node -p 'require("js-yaml/package.json").version')"

export SCHEDULE_STORE="$scratch/store/schedule.db" SCHEDULE_NOW=2026-06-01T10:00:00Z TZ=UTC
create() { "$schedule" job create -q "$@" >/dev/null; }
nl='
'
# Every mapping: zone, command, env, working directory, tags (valid or
# not), description, overlap (each policy), timeout, attempts, kill grace,
# misfire grace (also below 10 s), catch-up none, paused, --every as a
# UTC calendar, --daily/--weekly/--monthly, a task job, history.keep_last.
"$schedule" config set history.keep_last 7 >/dev/null
"$schedule" config set handlers.report /usr/local/bin/report >/dev/null
create "Nightly \"DB\" backup ünï" --cron '*/15 9-17 * * MON-FRI' --tz Europe/Berlin \
    --command "echo \"\$HOME\" 'it''s' 100% \\ ünï${nl}	printf '%s\\n' done \"pid \$\$\" \$(B) \$" \
    --env "A=x \"y\"${nl} ü" --env B=yes --env 'C= #: leading space' --env D=0x1F \
    --env 'E=$(B) $$ $(NOPE) $' \
    --working-dir '/srv/a "b"' --tag team=infra --tag 'has space=x' --tag tier=no \
    --tag bare --description "a	description${nl}with lines" --overlap queue \
    --timeout 1h --max-attempts 3 --kill-grace 30s --misfire-grace 5m
create null --daily 07:45 --tz Asia/Kolkata --command true --overlap replace --disabled
create 0x10 --every 2h --anchor 2026-06-01T09:20Z --command on --overlap allow --catchup none
create '- [x] {y} #c' --cron '0 0 1 * *' --command off --misfire-grace 3s
create yes --weekly 'MON,THU@09:30' --tz America/New_York --command 'date +%F'
create '~' --monthly '1,15@18:00' --command true --catchup all --jitter 5m
create report --task-type report --task-config '{"to": "it'"'"'s me"}' --cron '@hourly'
create "$(printf 'x%.0s' $(seq 64))" --cron '0 3 * * *' --command true
# Left out, with a warning each.
create boot --cron @reboot --command true
create once --at 2026-12-25T10:00 --command true
create odd --every 7m --command true
create both --cron '0 0 */2 * MON' --command true
create manual --command true

"$schedule" job list --format json >"$scratch/jobs.json"
"$schedule" export --to kubernetes --image busybox:1.36 >"$scratch/stream.yaml" 2>"$scratch/warnings.txt"
"$schedule" export --to kubernetes --output-dir "$scratch/files" >/dev/null 2>&1

cat >"$scratch/validate.mjs" <<'JS'
import fs from "fs";
import * as yaml from "js-yaml";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";

const [streamFile, jobsFile, filesDir] = process.argv.slice(2);
const jobs = new Map(JSON.parse(fs.readFileSync(jobsFile, "utf8")).map((j) => [j.job_id, j]));
let failures = 0;
const fail = (what) => {
    failures++;
    console.log("FAIL " + what);
};
const same = (what, a, b) => {
    if (JSON.stringify(a) !== JSON.stringify(b))
        fail(`${what}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
};
const policy = { skip: "Forbid", queue: "Forbid", replace: "Replace", allow: "Allow" };
// What the container gets of a command or env value: Kubernetes replaces
// `$(NAME)` by the variable NAME when there is one and reads `$$` as `$`.
const expand = (s, vars) =>
    s.replace(/\$(\$|\(([^)]*)\))/g, (all, what, name) =>
        what === "$" ? "$" : name in vars ? vars[name] : all);
const containerEnv = (env) => {
    const vars = {};
    for (const e of env ?? []) vars[e.name] = expand(e.value, vars);
    return vars;
};

function check(doc, where) {
    try {
        new CronJob(doc).validate();
    } catch (e) {
        fail(`${where}: ${e.message}`);
        return;
    }
    const a = doc.metadata.annotations;
    const job = jobs.get(a["schedule/job-id"]);
    if (!job) return fail(`${where}: no job ${a["schedule/job-id"]}`);
    const spec = doc.spec;
    const pod = spec.jobTemplate.spec.template.spec;
    const c = pod.containers[0];
    same(`${where} name`, a["schedule/job-name"], job.name);
    same(`${where} description`, a["schedule/description"] ?? "", job.description);
    if (!/^[a-z0-9]([a-z0-9-]{0,50}[a-z0-9])?$/.test(doc.metadata.name))
        fail(`${where}: name ${doc.metadata.name} is no DNS-1123 label of at most 52 characters`);
    same(`${where} timeZone`, spec.timeZone, job.trigger.type === "every" ? "UTC" : job.timezone);
    same(`${where} concurrencyPolicy`, spec.concurrencyPolicy, policy[job.overlap]);
    same(`${where} suspend`, spec.suspend, !job.enabled);
    same(`${where} backoffLimit`, spec.jobTemplate.spec.backoffLimit, job.max_attempts - 1);
    same(`${where} activeDeadlineSeconds`, spec.jobTemplate.spec.activeDeadlineSeconds,
        job.timeout_seconds ?? undefined);
    same(`${where} terminationGracePeriodSeconds`, pod.terminationGracePeriodSeconds,
        job.kill_grace_seconds);
    const vars = containerEnv(c.env);
    if (job.command !== null)
        same(`${where} command`, c.command.map((a) => expand(a, vars)),
            ["/bin/sh", "-c", job.command]);
    same(`${where} workingDir`, c.workingDir, job.working_dir ?? undefined);
    same(`${where} env`, vars, job.env ?? {});
    for (const [k, v] of Object.entries(doc.metadata.labels ?? {}))
        same(`${where} label ${k}`, v, job.tags[k] ?? "");
    console.log(`ok ${where}: ${doc.metadata.name} ${JSON.stringify(spec.schedule)} ` +
        `${spec.timeZone} ${spec.concurrencyPolicy}`);
}

const docs = yaml.loadAll(fs.readFileSync(streamFile, "utf8")).filter((d) => d !== null);
docs.forEach((d, i) => check(d, `stream document ${i + 1}`));
const files = fs.readdirSync(filesDir).sort();
for (const f of files) {
    const one = yaml.loadAll(fs.readFileSync(`${filesDir}/${f}`, "utf8")).filter((d) => d !== null);
    if (one.length !== 1) fail(`${f}: ${one.length} documents`);
    one.forEach((d) => check(d, f));
}
if (files.length !== docs.length) fail(`${files.length} files, ${docs.length} documents`);
console.log(`${docs.length} CronJobs in the stream, ${files.length} files, ${failures} failures`);
process.exit(failures ? 1 : 0);
JS

echo "== warnings"
cat "$scratch/warnings.txt"
echo "== validation"
(cd "$scratch" && node validate.mjs stream.yaml jobs.json files)
