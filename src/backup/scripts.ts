// The scripts `backup` and `restore` run on the nodes (pure). Each is a whole bash script through
// the one wrapper (src/install/render/script.ts) and the quoting helper; shellcheck checks them all
// (test/backup/scripts.test.ts).
import { ADMIN_CONF, script, shd } from '../install/render/script.js';
import { ACME_DIR } from '../workloads/addons.js';
import { DUMP_FILE, LOAD_SCRIPT, dumpCronJobName, dumpDir } from '../workloads/dump.js';
import { NAMESPACE } from '../workloads/labels.js';

/** Where the etcd snapshot is written on the control plane (the etcd pod's own data volume), then removed. */
export const SNAPSHOT_PATH = '/var/lib/etcd/hobbykube-snapshot.db';
export const ACME_FILE = `${ACME_DIR}/acme.json`;
/** The line before the JSON of `snapshot status` in the snapshot script's output. */
export const STATUS_MARK = '#snapshot-status';
/** How long a fresh dump may take, image pull included (a first run on a node pulls the image). */
export const FRESH_DUMP_TIMEOUT_S = 15 * 60;

const CRICTL = 'crictl_() { crictl --runtime-endpoint unix:///run/containerd/containerd.sock "$@"; }';
const KC = `kc() { kubectl --kubeconfig ${ADMIN_CONF} "$@"; }`;

/**
 * An etcd snapshot through the control plane's etcd static pod (crictl exec, so it works while the
 * API server is down): `etcdctl snapshot save` into the pod's data volume, then `snapshot status`
 * (etcdutl in etcd 3.6 images; etcdctl in older ones, which have no etcdutl), its JSON after
 * STATUS_MARK. The client certificate is kubeadm's health-check client of etcd's own CA.
 */
export function etcdSnapshotScript(): string {
  return script(
    shd`
      id=$(crictl_ ps --name '^etcd$' --state running --quiet | head -n 1)
      if [ -z "$id" ]; then
        echo "no running etcd container on $(hostname): is this the control plane, and is its kubelet running?" >&2
        exit 1
      fi
      snap=${SNAPSHOT_PATH}
      rm -f -- "$snap" "$snap.part"
      etcdctl_() {
        crictl_ exec "$id" etcdctl --endpoints=https://127.0.0.1:2379 \
          --cacert=/etc/kubernetes/pki/etcd/ca.crt \
          --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt \
          --key=/etc/kubernetes/pki/etcd/healthcheck-client.key "$@"
      }
      etcdctl_ snapshot save "$snap"
      chmod 0600 "$snap"
      echo ${STATUS_MARK}
      if crictl_ exec "$id" etcdutl version >/dev/null 2>&1; then
        crictl_ exec "$id" etcdutl --write-out=json snapshot status "$snap"
      else
        etcdctl_ --write-out=json snapshot status "$snap"
      fi`,
    [CRICTL],
  );
}

export function removeSnapshotScript(): string {
  return script(shd`rm -f -- ${SNAPSHOT_PATH} ${`${SNAPSHOT_PATH}.part`}`);
}

/** Lines "NAME SIZE" of a database's dumps on the dump node, oldest first; nothing when there are none. */
export function listDumpsScript(database: string): string {
  return script(shd`
    dir=${dumpDir(database)}
    [ -d "$dir" ] || exit 0
    cd "$dir"
    shopt -s nullglob
    for f in *.sql.gz; do
      printf '%s %s\n' "$f" "$(stat -c %s -- "$f")"
    done`);
}

/** Parses listDumpsScript's output: dump files (names as DUMP_FILE says) with their sizes, oldest first. */
export function parseDumpList(stdout: string): Array<{ name: string; bytes: number }> {
  return stdout
    .split('\n')
    .map((line) => /^(\S+) (\d+)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null && DUMP_FILE.test(m[1]!))
    .map((m) => ({ name: m[1]!, bytes: Number(m[2]) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * A fresh dump now: a Job from the database's dump CronJob (as the schedule would start it), waited
 * for until it completes or fails; its log follows. The Job stays for `kubectl logs`; the CronJob's
 * history limit removes it later. Exit 0: done; 2: the CronJob does not exist; 1: failed or timed out.
 */
export function freshDumpScript(database: string, jobName: string): string {
  const cronJob = dumpCronJobName(database);
  return script(
    shd`
      ns=${NAMESPACE}
      job=${jobName}
      cj=${cronJob}
      limit=${FRESH_DUMP_TIMEOUT_S}
      if ! kc -n "$ns" get cronjob "$cj" >/dev/null 2>&1; then
        echo "no CronJob $cj in the cluster: run hobbykube apply to set up the scheduled dumps" >&2
        exit 2
      fi
      kc -n "$ns" create job "$job" --from="cronjob/$cj"
      state=''
      for ((waited = 0; waited < limit; waited += 2)); do
        state=$(kc -n "$ns" get job "$job" -o jsonpath='{.status.conditions[?(@.status=="True")].type}')
        case " $state " in *" Complete "* | *" Failed "*) break ;; esac
        sleep 2
      done
      kc -n "$ns" logs "job/$job" --tail=20 || true
      case " $state " in
      *" Complete "*) exit 0 ;;
      *" Failed "*) echo "the dump job $job failed (kubectl -n $ns describe job $job)" >&2 ;;
      *)
        why=$(kc -n "$ns" get pods -l job-name="$job" -o jsonpath='{.items[0].status.conditions[?(@.type=="PodScheduled")].message}' || true)
        echo "the dump job $job did not finish within $limit s\${why:+: $why}" >&2
        ;;
      esac
      exit 1`,
    [KC],
  );
}

/** The dump file a fresh dump's log names ("... into 20261128T030000Z.sql.gz, ..."). */
export function dumpFileFromLog(log: string): string | undefined {
  const m = / into (\d{8}T\d{6}Z\.sql\.gz),/.exec(log);
  return m?.[1];
}

/** acme.json's size on the ingress node, or "none". */
export function acmeSizeScript(): string {
  return script(shd`
    f=${ACME_FILE}
    if [ -f "$f" ]; then stat -c %s -- "$f"; else echo none; fi`);
}

/** Is the database's pod running? Prints its phase (or nothing), exit 0 either way. */
export function databasePodScript(database: string): string {
  return script(
    shd`
      kc -n ${NAMESPACE} get pod ${`${database}-0`} -o jsonpath='{.status.phase} {.spec.nodeName}' 2>/dev/null || true`,
    [KC],
  );
}

/** Loads a compressed dump (standard input) into the database through the mysql client in its pod. */
export function loadDumpScript(database: string): string {
  return script(
    shd`
      # shellcheck disable=SC2016 # the quoted script runs in the pod, which expands its variables
      gzip -dc | kc -n ${NAMESPACE} exec -i ${`${database}-0`} -c mysql -- bash -c ${LOAD_SCRIPT}`,
    [KC],
  );
}
