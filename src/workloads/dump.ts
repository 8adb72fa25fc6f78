// A database's scheduled dumps (pure): the CronJob that writes them, where they land, what they
// cost, and the two scripts that make and load them.
//
// - Every `database` workload gets a CronJob `<name>-dump` (daily at 03:00 UTC unless the spec's
//   `backup: {schedule, keep}` says otherwise). Its pod runs the database's own image (mysqldump,
//   bash and gzip are in it), asks the database over its Service, and writes
//   `<YYYYmmddTHHMMSSZ>.sql.gz` into /var/lib/hobbykube/backups/<name> on the dump node, keeping the
//   newest `keep` (7 by default).
// - The dump node is another node than the database's own whenever there is one that runs
//   workloads (the first such worker in spec order, else a schedulable control plane), so that
//   losing the database's VPS does not take its dumps along. With a single workload node the dumps
//   stay beside the data: they still undo a bad migration, not a dead disk (`hobbykube backup`
//   copies them off the cluster).
// - The dump is consistent (`--single-transaction`: one InnoDB snapshot across every database),
//   covers every database except MySQL's own schemas (mysql, sys, information_schema,
//   performance_schema: the server's accounts are not in it), drops and recreates each database
//   on load (`--add-drop-database`), writes binary columns as hex (the dump is plain text), and
//   carries no date (`--skip-dump-date`), so two dumps of the same data are byte-identical.
// - The root password reaches mysql and mysqldump only through an option file on a pipe
//   (`--defaults-extra-file=<(...)`, the pattern of the image's own entrypoint), from the
//   container's environment, which takes it from the database's Secret: never on a command line.
// - The pod has the batch priority class (it yields to serving workloads and never preempts them)
//   and is counted by the capacity check on the dump node (`dumpPods`).
import { nextRuns } from '../spec/cron.js';
import type { ClusterSpec, DatabaseWorkload, NodeSpec } from '../spec/types.js';
import { NAMESPACE, objectLabels } from './labels.js';
import { templateObject, type K8sObject } from './templates.js';

/** What a spec that says nothing gets: one dump a day at 03:00 UTC, a week of them kept. */
export const DUMP_DEFAULTS = { schedule: '0 3 * * *', keep: 7 } as const;

/** Where the dumps live on the dump node: one directory per database. */
export const DUMP_ROOT = '/var/lib/hobbykube/backups';
/** The directory's path inside the dump container. */
export const DUMP_MOUNT = '/backup';
/** Labels the CronJob and its pods with the database it dumps. */
export const DUMP_OF_LABEL = 'hobbykube.dev/dump-of';

/**
 * Memory of the dump pod, MiB. An estimate, not a measurement (no MySQL runs here): mysqldump with
 * `--quick` streams one row at a time, ~10 MiB resident for the client library and its buffers;
 * gzip -6 ~2 MiB; bash ~4 MiB: ~16 MiB for a small database. The request is twice that; the limit
 * leaves room for mysqldump's packet buffer, which grows to the largest row (at most
 * max_allowed_packet, 24 MiB by default for mysqldump 8.x). A database with rows of tens of MiB
 * needs more: raise it here.
 */
export const DUMP_MEMORY = { requestMiB: 32, limitMiB: 64 } as const;

export const dumpDir = (database: string): string => `${DUMP_ROOT}/${database}`;
/** The CronJob's name. Database names are at most 47 characters (rules.databaseName), so it fits a CronJob's 52. */
export const dumpCronJobName = (database: string): string => `${database}-dump`;
/** Dump files: `20261128T030000Z.sql.gz` (UTC, so names sort by time). */
export const DUMP_FILE = /^(\d{8}T\d{6}Z)\.sql\.gz$/;

export interface DumpSettings {
  schedule: string;
  keep: number;
}

export function dumpSettings(w: DatabaseWorkload): DumpSettings {
  return { schedule: w.backup?.schedule ?? DUMP_DEFAULTS.schedule, keep: w.backup?.keep ?? DUMP_DEFAULTS.keep };
}

export interface DumpPlacement {
  /** The node whose disk holds the dumps. */
  node: string;
  /** True when that is not the database's own node. */
  offNode: boolean;
}

/** The dump node: the first workload node other than the database's, else the database's own. */
export function dumpNode(spec: ClusterSpec, w: DatabaseWorkload): DumpPlacement {
  const runsWorkloads = (n: NodeSpec) => n.role === 'worker' || n.schedulable;
  const others = spec.spec.nodes.filter((n) => runsWorkloads(n) && n.name !== w.node);
  const other = others.find((n) => n.role === 'worker') ?? others[0];
  return other ? { node: other.name, offNode: true } : { node: w.node, offNode: false };
}

/** The dump: run in the database image's container (DB_HOST, KEEP and MYSQL_ROOT_PASSWORD from its env). */
export const DUMP_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
export LC_ALL=C
umask 077
# hobbykube: dump every database of the server at $DB_HOST except MySQL's own into ${DUMP_MOUNT}
# (a directory on the dump node's disk), compressed, and keep the newest $KEEP dumps.
cd ${DUMP_MOUNT}
chmod 0700 .
# The password reaches the clients through an option file on a pipe, never on a command line.
client_options() { printf '[client]\\nuser=root\\npassword="%s"\\n' "$MYSQL_ROOT_PASSWORD"; }
listed=$(mysql --defaults-extra-file=<(client_options) --host="$DB_HOST" --batch --skip-column-names --execute='SHOW DATABASES')
mapfile -t databases < <(grep -Evx 'mysql|sys|information_schema|performance_schema' <<<"$listed" || true)
stamp=$(date -u +%Y%m%dT%H%M%SZ)
part=".$stamp.sql.gz.part"
trap 'rm -f -- "$part"' EXIT
if [ "\${#databases[@]}" -gt 0 ]; then
  mysqldump --defaults-extra-file=<(client_options) --host="$DB_HOST" \\
    --single-transaction --quick --hex-blob --routines --events --triggers \\
    --set-gtid-purged=OFF --skip-dump-date --add-drop-database \\
    --databases "\${databases[@]}" | gzip -6 >"$part"
else
  printf -- "-- hobbykube: no databases on %s besides MySQL's own\\n" "$DB_HOST" | gzip -6 >"$part"
fi
gzip -t -- "$part"
mv -f -- "$part" "$stamp.sql.gz"
trap - EXIT
# Names sort by time: remove all but the newest $KEEP.
shopt -s nullglob
dumps=(*.sql.gz)
excess=$(( \${#dumps[@]} - KEEP ))
if [ "$excess" -gt 0 ]; then rm -f -- "\${dumps[@]:0:excess}"; fi
echo "dumped \${#databases[@]} database(s) (\${databases[*]:-none}) into $stamp.sql.gz, $(stat -c %s -- "$stamp.sql.gz") bytes; keeping the newest $KEEP"
`;

/**
 * Loads a dump from standard input into the server of the database pod it runs in (`kubectl exec
 * -i <name>-0 -c mysql`), as root over the local socket; the password as in DUMP_SCRIPT.
 */
export const LOAD_SCRIPT = `#!/usr/bin/env bash
set -euo pipefail
export LC_ALL=C
client_options() { printf '[client]\\nuser=root\\npassword="%s"\\n' "$MYSQL_ROOT_PASSWORD"; }
mysql --defaults-extra-file=<(client_options)
echo "loaded"
`;

/** The dump's objects for one database workload: its own ServiceAccount (no API access) and the CronJob. */
export function renderDumpObjects(spec: ClusterSpec, w: DatabaseWorkload, secretName: string): K8sObject[] {
  const name = dumpCronJobName(w.name);
  const sa = templateObject('workloads/common.yaml', 'ServiceAccount');
  sa.metadata.name = name;
  sa.metadata.labels = { ...objectLabels(spec.metadata.name, name), [DUMP_OF_LABEL]: w.name };
  return [sa, renderDumpCronJob(spec, w, secretName)];
}

/** The dump CronJob of one database workload. */
export function renderDumpCronJob(spec: ClusterSpec, w: DatabaseWorkload, secretName: string): K8sObject {
  const cluster = spec.metadata.name;
  const name = dumpCronJobName(w.name);
  const settings = dumpSettings(w);
  const labels = { ...objectLabels(cluster, name), [DUMP_OF_LABEL]: w.name };
  const cj = templateObject('workloads/database-dump.yaml', 'CronJob');
  cj.metadata.name = name;
  cj.metadata.namespace = NAMESPACE;
  cj.metadata.labels = labels;
  cj.spec.schedule = settings.schedule;
  const pod = cj.spec.jobTemplate.spec.template;
  pod.metadata = { labels: { ...labels } };
  pod.spec.serviceAccountName = name;
  pod.spec.nodeSelector = { 'kubernetes.io/hostname': dumpNode(spec, w).node };
  const c = pod.spec.containers[0];
  c.image = w.image;
  c.command = ['bash', '-c', DUMP_SCRIPT];
  for (const e of c.env as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string } } }>) {
    if (e.name === 'MYSQL_ROOT_PASSWORD') e.valueFrom!.secretKeyRef.name = secretName;
    if (e.name === 'DB_HOST') e.value = w.name;
    if (e.name === 'KEEP') e.value = String(settings.keep);
  }
  c.resources = { requests: { memory: `${DUMP_MEMORY.requestMiB}Mi` }, limits: { memory: `${DUMP_MEMORY.limitMiB}Mi` } };
  pod.spec.volumes[0].hostPath.path = dumpDir(w.name);
  return cj;
}

/** Where and when each database is dumped, for plan and apply: one line per database. */
export function describeDumps(spec: ClusterSpec): string[] {
  return spec.spec.workloads
    .filter((w): w is DatabaseWorkload => w.kind === 'database')
    .map((w) => {
      const { schedule, keep } = dumpSettings(w);
      const { node, offNode } = dumpNode(spec, w);
      const where = offNode ? `onto ${node}` : `onto ${node}, the database's own node (no other node runs workloads: \`hobbykube backup\` is what copies them off it)`;
      return `${w.name}: ${schedule} (UTC) ${where}, ${dumpDir(w.name)}, the newest ${keep} kept`;
    });
}

/** A dump pod as the capacity check sees it: pinned to the dump node, at the batch priority. */
export interface DumpPod {
  name: string;
  database: string;
  node: string;
  memoryMiB: number;
  limitMiB: number;
}

export function dumpPods(spec: ClusterSpec): DumpPod[] {
  return spec.spec.workloads
    .filter((w): w is DatabaseWorkload => w.kind === 'database')
    .map((w) => ({ name: dumpCronJobName(w.name), database: w.name, node: dumpNode(spec, w).node, memoryMiB: DUMP_MEMORY.requestMiB, limitMiB: DUMP_MEMORY.limitMiB }));
}

/** A scheduled run may start this late (the CronJob's startingDeadlineSeconds) and then take a while. */
export const DUMP_GRACE_MS = 60 * 60_000;

export interface DumpFreshness {
  /** When the last dump succeeded (the CronJob's status.lastSuccessfulTime), if ever. */
  lastSuccess?: number;
  /** Older than twice its schedule: two scheduled runs have passed since, without a success. */
  overdue: boolean;
  /** One line for status: "last dump 5h 2m ago", or what is wrong. */
  text: string;
}

/** "40s", "5h 2m", "2d 3h". */
export function agoText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60 * 24) return m < 60 ? `${m}m` : `${Math.floor(m / 60)}h ${m % 60}m`;
  const h = Math.floor(m / 60);
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

const iso = (t: number) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * Is a database's last dump recent enough? Overdue once two scheduled runs (plus an hour's grace)
 * have passed since the last success, or since the CronJob was created when it never succeeded:
 * "older than twice its schedule", measured on the schedule itself, so a weekday-only schedule is
 * not overdue over a weekend.
 */
export function dumpFreshness(schedule: string, lastSuccess: number | undefined, created: number | undefined, now: number): DumpFreshness {
  const since = lastSuccess ?? created;
  if (since === undefined) return { overdue: false, text: 'no dump yet' };
  const runs = nextRuns(schedule, new Date(since), 2);
  const overdue = runs.length === 2 && runs[1]!.getTime() + DUMP_GRACE_MS < now;
  if (lastSuccess !== undefined) {
    const ago = `last dump ${agoText(now - lastSuccess)} ago (${iso(lastSuccess)})`;
    return { lastSuccess, overdue, text: overdue ? `${ago}: older than twice its schedule (${schedule} UTC); the dumps are failing or not running` : ago };
  }
  if (overdue) return { overdue, text: `no successful dump in the ${agoText(now - since)} since it was set up (schedule ${schedule} UTC); the dumps are failing or not running` };
  return { overdue, text: `no dump yet; the first at ${runs[0] ? iso(runs[0].getTime()) : 'its schedule'}` };
}
