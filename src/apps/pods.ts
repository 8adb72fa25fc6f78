// Which pods `logs` and `exec` talk to (pure): one `kubectl get pods -l` on the control plane lists
// the workload's pods, and this picks:
//
//   app, worker   logs: every pod (kubectl logs -l ... --prefix when several); exec: a Running one
//   database      its StatefulSet's pod, NAME-0 (container mysql)
//   cron job      the pod of its newest run (logs: whether it is still running or done;
//                 exec: only while that run is still running, a finished container cannot be entered)
import { ADMIN_CONF, script, shd } from '../install/render/script.js';
import type { ClusterSpec, Workload } from '../spec/types.js';
import { CLUSTER_LABEL, NAME_LABEL, NAMESPACE } from '../workloads/labels.js';

type Json = Record<string, any>;

/** The workload's pods, as JSON (release Job pods carry other labels and are not among them). */
export function podsScript(spec: ClusterSpec, workload: string): string {
  return script(shd`kubectl --kubeconfig ${ADMIN_CONF} --request-timeout=20s get pods -n ${NAMESPACE} -l ${`${NAME_LABEL}=${workload},${CLUSTER_LABEL}=${spec.metadata.name}`} -o json`);
}

export const containerOf = (w: Workload): string => (w.kind === 'database' ? 'mysql' : 'main');

export interface PodInfo {
  name: string;
  phase: string;
  created: string;
  /** Why its container is not running (ErrImagePull ...), if so. */
  waiting?: string;
}

export function podInfos(items: Json[]): PodInfo[] {
  return items
    .filter((p) => p.kind === 'Pod' && typeof p.metadata?.name === 'string')
    .map((p) => {
      const waiting = p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      return { name: p.metadata.name, phase: String(p.status?.phase ?? 'Unknown'), created: String(p.status?.startTime ?? p.metadata?.creationTimestamp ?? ''), ...(typeof waiting === 'string' ? { waiting } : {}) };
    });
}

/** The newest pod first. */
const newest = (pods: PodInfo[]) => [...pods].sort((a, b) => b.created.localeCompare(a.created) || b.name.localeCompare(a.name));

export type Choice = { pods: string[] } | { problem: string };

/** The pods `logs` reads. */
export function logPods(w: Workload, pods: PodInfo[]): Choice {
  if (pods.length === 0) return { problem: noPods(w) };
  if (w.kind === 'cron') return { pods: [newest(pods)[0]!.name] };
  if (w.kind === 'database') return { pods: [pods.find((p) => p.name === `${w.name}-0`)?.name ?? pods[0]!.name] };
  return { pods: newest(pods).map((p) => p.name) };
}

/** The one pod `exec` enters. */
export function execPod(w: Workload, pods: PodInfo[]): Choice {
  if (pods.length === 0) return { problem: noPods(w) };
  if (w.kind === 'cron') {
    const last = newest(pods)[0]!;
    if (last.phase !== 'Running') {
      return { problem: `${w.name} is a cron job and no run of it is going on (its last run, pod ${last.name}, is ${last.phase}): a finished container cannot be entered. \`hobbykube logs ${w.name}\` shows what that run printed.` };
    }
    return { pods: [last.name] };
  }
  const running = pods.filter((p) => p.phase === 'Running' && p.waiting === undefined);
  const pick = w.kind === 'database' ? running.find((p) => p.name === `${w.name}-0`) : newest(running)[0];
  if (!pick) {
    const states = pods.map((p) => `${p.name} ${p.waiting ?? p.phase}`).join(', ');
    return { problem: `no pod of ${w.name} is running (${states}): \`hobbykube status\` says why` };
  }
  return { pods: [pick.name] };
}

function noPods(w: Workload): string {
  if (w.kind === 'cron') return `${w.name} is a cron job that has not run yet (schedule ${w.schedule}, UTC): no pod, no logs`;
  return `${w.name} has no pods: is it deployed? (\`hobbykube apply\`, then \`hobbykube status\`)`;
}

/** The workload `logs` or `exec` names (any kind); undefined when there is none. */
export function findWorkload(spec: ClusterSpec, name: string): Workload | undefined {
  return spec.spec.workloads.find((w) => w.name === name);
}

/** Why NAME names no workload, with the names there are. */
export function unknownWorkload(spec: ClusterSpec, name: string): string {
  const names = spec.spec.workloads.map((w) => w.name);
  return `no workload named ${JSON.stringify(name)} in the spec; expected one of ${names.length > 0 ? names.join(', ') : '(none yet)'}`;
}
