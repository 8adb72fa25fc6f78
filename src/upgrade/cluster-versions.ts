// Reading the cluster's versions before an upgrade: one read-only command on the control plane
// (the API server's version and the Node objects), joined with each node's installed packages
// from its facts. Also whether pkgs.k8s.io has a repository for the target minor, asked from the
// control plane before anything changes.
import type { NodeFacts } from '../facts/types.js';
import { aptRepositoryUrl } from '../install/render/index.js';
import { quote } from '../shell/quote.js';
import type { ClusterSpec } from '../spec/types.js';
import type { Host } from '../ssh/types.js';
import { nodeReadiness } from '../status/cluster.js';
import type { ClusterVersions } from './versions.js';

const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf --request-timeout=20s';

export const VERSIONS_SCRIPT = [
  'set -u',
  `[ -f /etc/kubernetes/admin.conf ] || { echo 'no /etc/kubernetes/admin.conf: the control plane is not installed (run hobbykube apply)' >&2; exit 3; }`,
  `${KUBECTL} version -o json || exit 4`,
  `echo '#nodes'`,
  `${KUBECTL} get nodes -o json || exit 5`,
  '',
].join('\n');

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

/** The script's output with the nodes' facts: every spec node, member or not. */
export function parseClusterVersions(stdout: string, spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): ClusterVersions {
  const [versionPart = '', nodesPart = ''] = stdout.split(/^#nodes$/m);
  const server = obj(obj(JSON.parse(versionPart.trim())).serverVersion).gitVersion;
  if (typeof server !== 'string') throw new Error('kubectl version printed no serverVersion.gitVersion');
  const items = (obj(JSON.parse(nodesPart.trim())).items as unknown[] | undefined) ?? [];
  const readiness = items.map((n) => nodeReadiness(obj(n)));
  return {
    server,
    nodes: spec.spec.nodes.map((n) => {
      const r = readiness.find((x) => x.name === n.name);
      const f = facts.get(n.name);
      return {
        name: n.name,
        role: n.role,
        member: r !== undefined,
        ready: r?.ready ?? false,
        cordoned: r?.unschedulable ?? false,
        ...(r?.version ? { reported: r.version } : {}),
        ...(r?.reason ? { readyReason: r.reason } : {}),
        ...(f?.tools.kubeadm?.version ? { kubeadm: f.tools.kubeadm.version } : {}),
        ...(f?.tools.kubelet?.version ? { kubelet: f.tools.kubelet.version } : {}),
      };
    }),
  };
}

export async function queryClusterVersions(cp: Host, spec: ClusterSpec, facts: ReadonlyMap<string, NodeFacts>): Promise<ClusterVersions> {
  const result = await cp.run(VERSIONS_SCRIPT, { sudo: true, timeoutMs: 60_000 });
  if (result.code !== 0) {
    const last = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    throw new Error(`could not read the cluster's versions on ${cp.node} (exit code ${result.code})${last ? `: ${last}` : ''}`);
  }
  try {
    return parseClusterVersions(result.stdout, spec, facts);
  } catch (error) {
    throw new Error(`the cluster's versions on ${cp.node} could not be read: ${(error as Error).message}`);
  }
}

export type RepositoryCheck = { ok: true } | { ok: false; missing: boolean; message: string };

/** Asks pkgs.k8s.io, from the control plane, for the minor's repository signing key (read only). */
export async function checkRepository(cp: Host, minor: string): Promise<RepositoryCheck> {
  const url = `${aptRepositoryUrl(minor)}Release.key`;
  const result = await cp.run(`curl -fsSL --retry 2 -o /dev/null ${quote(url)}`, { sudo: false, timeoutMs: 60_000 });
  if (result.code === 0) return { ok: true };
  const said = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
  // curl exit 22: the server answered with an error (404: no such repository).
  if (result.code === 22) return { ok: false, missing: true, message: `pkgs.k8s.io has no repository for Kubernetes ${minor} (${url}: ${said || 'not found'}); it may not be released yet` };
  return { ok: false, missing: false, message: `${cp.node} could not reach pkgs.k8s.io (${url}, curl exit code ${result.code}${said ? `: ${said}` : ''})` };
}
