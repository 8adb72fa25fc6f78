// What doctor asks the control plane, read-only, as root with admin.conf: nodes, every pod, the
// workloads and their Jobs, CoreDNS's Corefile and the API server's version in one command (each
// part in its own section, so one failing `kubectl get` costs only its part); then, in a second
// command, the log lines worth showing (a crashing container's previous run, a failed Job's pod,
// Traefik's ACME messages). Pure except for the two run functions.
import { raw, sh } from '../shell/quote.js';
import { ADMIN_CONF, SHELL_HELPERS, script, shd } from '../install/render/script.js';
import { NAMESPACE } from '../workloads/labels.js';
import type { Host } from '../ssh/types.js';
import { SourceError } from './types.js';

export type Json = Record<string, unknown>;
export const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Shell: runs `command` (hobbykube's own text), then prints `#section NAME EXIT` and its output (stdout and stderr). */
function section(name: string, command: string): string {
  return `out=$(${command} 2>&1)\n${sh`printf '#section %s %s\\n%s\\n' ${name} "$?" "$out"`}`;
}

export const CLUSTER_QUERY_SCRIPT = script(
  [
    'set +e',
    shd`[ -f ${ADMIN_CONF} ] || { echo 'no ${raw(ADMIN_CONF)} on this node: the control plane is not installed (or was reset)' >&2; exit 3; }`,
    section('nodes', 'kq get nodes -o json'),
    section('pods', 'kq get pods -A -o json'),
    section('workloads', sh`kq get deployments,statefulsets,cronjobs,jobs -n ${NAMESPACE} -o json`),
    section('coredns', 'kq -n kube-system get configmap coredns -o json'),
    section('version', 'kq version -o json'),
    'exit 0',
  ].join('\n'),
  [SHELL_HELPERS.kubectlQuick],
);

export interface Section {
  exitCode: number;
  text: string;
}

export function parseSections(stdout: string): Map<string, Section> {
  const out = new Map<string, Section>();
  let current: { name: string; exitCode: number; lines: string[] } | undefined;
  const close = () => {
    if (current) out.set(current.name, { exitCode: current.exitCode, text: current.lines.join('\n').replace(/\n+$/, '') });
  };
  for (const line of stdout.split('\n')) {
    const m = /^#section (\S+(?: \S+)*?) (\d+)$/.exec(line);
    if (m) {
      close();
      current = { name: m[1]!, exitCode: Number(m[2]), lines: [] };
    } else current?.lines.push(line);
  }
  close();
  return out;
}

export interface ClusterView {
  nodes: Json[];
  pods: Json[];
  /** Deployments, StatefulSets, CronJobs and Jobs in the workloads' namespace. */
  workloads: Json[];
  corefile?: string;
  /** The API server's gitVersion (v1.37.1). */
  serverVersion?: string;
  /** Parts that could not be read: name → the error's last line. */
  errors: Record<string, string>;
}

function items(text: string): Json[] {
  const parsed = obj(JSON.parse(text));
  if (Array.isArray(parsed.items)) return parsed.items.map(obj);
  return parsed.kind ? [parsed] : [];
}

const lastLine = (text: string) => text.trim().split('\n').filter(Boolean).slice(-1)[0] ?? '';

export function parseClusterQuery(stdout: string): ClusterView {
  const sections = parseSections(stdout);
  const errors: Record<string, string> = {};
  const read = <T>(name: string, fn: (text: string) => T): T | undefined => {
    const s = sections.get(name);
    if (!s) {
      errors[name] = 'no answer';
      return undefined;
    }
    if (s.exitCode !== 0) {
      errors[name] = lastLine(s.text) || `exit code ${s.exitCode}`;
      return undefined;
    }
    try {
      return fn(s.text);
    } catch (error) {
      errors[name] = `unreadable answer: ${(error as Error).message}`;
      return undefined;
    }
  };
  const corefile = read('coredns', (t) => str(obj(obj(JSON.parse(t)).data).Corefile));
  const serverVersion = read('version', (t) => str(obj(obj(JSON.parse(t)).serverVersion).gitVersion));
  return {
    nodes: read('nodes', items) ?? [],
    pods: read('pods', items) ?? [],
    workloads: read('workloads', items) ?? [],
    ...(corefile !== undefined ? { corefile } : {}),
    ...(serverVersion !== undefined ? { serverVersion } : {}),
    errors,
  };
}

export const CLUSTER_QUERY_TIMEOUT_MS = 45_000;

export async function queryCluster(cp: Host, timeoutMs = CLUSTER_QUERY_TIMEOUT_MS): Promise<ClusterView> {
  const result = await cp.run(CLUSTER_QUERY_SCRIPT, { sudo: true, timeoutMs });
  if (result.code !== 0) {
    throw new SourceError(
      `could not ask the cluster on ${cp.node} (exit code ${result.code}): ${lastLine(result.stderr || result.stdout) || 'no output'}`,
      result.code === 3 ? 'hobbykube apply' : undefined,
    );
  }
  const view = parseClusterQuery(result.stdout);
  if (view.errors.nodes !== undefined && view.errors.pods !== undefined) {
    throw new SourceError(`the API server on ${cp.node} did not answer: ${view.errors.nodes}`, `sudo systemctl status kubelet; sudo crictl ps -a | grep kube-apiserver (on ${cp.node})`);
  }
  return view;
}

// --- log lines ----------------------------------------------------------------------------------

export interface LogRequest {
  /** Key the answer is filed under. */
  key: string;
  namespace: string;
  pod: string;
  container?: string;
  /** The previous (crashed) run's log. */
  previous: boolean;
  tail: number;
}

/** Traefik's namespace and pod label (the chart's). */
export const TRAEFIK_SELECTOR = { namespace: 'traefik', label: 'app.kubernetes.io/name=traefik' } as const;
export const ACME_LOG_KEY = 'traefik-acme';

/** The log-reading command; `acme` adds Traefik's last lines that mention ACME or certificates. */
export function logsScript(requests: readonly LogRequest[], acme: boolean): string {
  const lines = requests.map((r) => {
    if (!Number.isInteger(r.tail) || r.tail < 1 || r.tail > 200) throw new Error(`not a line count: ${r.tail}`);
    if (!/^[\w./:-]+$/.test(r.key)) throw new Error(`not a log key: ${r.key}`);
    const words = [sh`kq logs -n ${r.namespace} ${r.pod}`];
    if (r.container) words.push(sh`-c ${r.container}`);
    if (r.previous) words.push('--previous');
    words.push(`--tail=${r.tail}`);
    return section(`log:${r.key}`, words.join(' '));
  });
  // Traefik's last lines that mention ACME or certificates (a long log, filtered on the node).
  const acmeLines = acme
    ? [
        sh`out=$(kq logs -n ${TRAEFIK_SELECTOR.namespace} -l ${TRAEFIK_SELECTOR.label} --tail=1000 2>&1)`,
        sh`printf '#section %s %s\\n' ${ACME_LOG_KEY} "$?"`,
        `printf '%s\\n' "$out" | grep -iE 'acme|certificate' | tail -n 20`,
      ]
    : [];
  return script(['set +e', ...lines, ...acmeLines, 'exit 0'].join('\n'), [SHELL_HELPERS.kubectlQuick]);
}

export async function readLogs(cp: Host, requests: readonly LogRequest[], acme: boolean, timeoutMs = CLUSTER_QUERY_TIMEOUT_MS): Promise<Map<string, Section>> {
  if (requests.length === 0 && !acme) return new Map();
  const result = await cp.run(logsScript(requests, acme), { sudo: true, timeoutMs });
  if (result.code !== 0) throw new SourceError(`could not read logs on ${cp.node} (exit code ${result.code}): ${lastLine(result.stderr || result.stdout)}`);
  const sections = parseSections(result.stdout);
  const out = new Map<string, Section>();
  for (const [name, s] of sections) out.set(name.replace(/^log:/, ''), s);
  return out;
}
