// Where the cluster is and where `upgrade` takes it (pure). The truth is the cluster's, not the
// spec's: the API server's version, each node's kubelet as it reports itself, and the kubeadm and
// kubelet packages each node has (its facts). kubeadm upgrades one minor release at a time and
// never downgrades (its version skew policy), so:
//
//   every part at one minor M       -> an upgrade to M+1 (or to --to, which must be M+1, or a
//                                      later patch of M); --to below M, or beyond M+1, is refused
//   parts at M and M+1              -> a half-done upgrade to M+1: offered to finish; any other
//                                      --to is refused until it is finished
//   parts further apart             -> refused: not something an upgrade can reconcile
//
// A node in the spec that is not in the cluster is refused (apply joins it first), and so is a
// NotReady node unless an upgrade is half done (its kubelet may be what the rerun repairs).
import type { NodeRole } from '../spec/types.js';

export interface NodeVersions {
  name: string;
  role: NodeRole;
  /** The Node object exists. */
  member: boolean;
  /** The kubelet version the node reports ("v1.36.1"). */
  reported?: string;
  ready: boolean;
  readyReason?: string;
  cordoned: boolean;
  /** Installed packages, from the node's facts ("1.36.1"). */
  kubeadm?: string;
  kubelet?: string;
}

export interface ClusterVersions {
  /** The API server's version ("v1.36.1"). */
  server: string;
  nodes: NodeVersions[];
}

export interface Release {
  minor: number;
  patch?: number;
}

/** "v1.37.1", "1.37.1", "1.37.1-1.1", "1.37" as numbers; undefined when it is none of these. */
export function parseRelease(text: string | undefined): Release | undefined {
  const m = /^v?1\.(\d{1,3})(?:\.(\d{1,3}))?(?:-.*)?$/.exec((text ?? '').trim());
  if (!m) return undefined;
  return m[2] !== undefined ? { minor: Number(m[1]), patch: Number(m[2]) } : { minor: Number(m[1]) };
}

export const minorText = (minor: number): string => `1.${minor}`;

export type UpgradeDecision =
  | {
      kind: 'upgrade';
      /** The minor every part starts from (the lowest, when half done). */
      from: number;
      to: number;
      /** "1.37.2": the release asked for; else the repository's newest of `to`. */
      patch?: string;
      /** Some parts are already at `to`: this finishes an earlier upgrade. */
      halfDone: boolean;
      /** What to tell the owner before the plan (the state of a half-done upgrade, the spec's stale version). */
      notes: string[];
    }
  | {
      kind: 'up-to-date';
      minor: number;
      message: string;
      /** The spec names an older minor than the cluster runs (an upgrade stopped after its last step, before it saved the spec): set it to `minor`. */
      specBehind?: boolean;
    }
  | { kind: 'refused'; message: string };

const NOTHING = 'Nothing was changed.';

/** Each part's version, for messages: "cp1 kubelet v1.37.1, kubeadm 1.37.1". */
function describeNode(n: NodeVersions): string {
  const parts = [`kubelet ${n.reported ?? 'unknown'}`];
  if (n.kubeadm && parseRelease(n.kubeadm)?.minor !== parseRelease(n.reported)?.minor) parts.push(`kubeadm ${n.kubeadm}`);
  if (n.kubelet && parseRelease(n.kubelet)?.minor !== parseRelease(n.reported)?.minor) parts.push(`kubelet package ${n.kubelet}`);
  return `${n.name} ${parts.join(', ')}${n.cordoned ? ' (cordoned)' : ''}`;
}

export function describeVersions(v: ClusterVersions): string {
  return `API server ${v.server}; ${v.nodes.map(describeNode).join('; ')}`;
}

export function decideUpgrade(specVersion: string, versions: ClusterVersions, requested?: string): UpgradeDecision {
  const absent = versions.nodes.filter((n) => !n.member).map((n) => n.name);
  if (absent.length > 0) {
    return { kind: 'refused', message: `${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} in the spec but not in the cluster: run \`hobbykube apply\` to join ${absent.length === 1 ? 'it' : 'them'} first, then upgrade. ${NOTHING}` };
  }
  const server = parseRelease(versions.server);
  if (!server || server.patch === undefined) return { kind: 'refused', message: `the API server reports version ${JSON.stringify(versions.server)}, which hobbykube cannot read. ${NOTHING}` };
  const minors = [server.minor];
  for (const n of versions.nodes) {
    for (const v of [n.reported, n.kubeadm, n.kubelet]) {
      const r = parseRelease(v);
      if (r) minors.push(r.minor);
    }
  }
  const lo = Math.min(...minors);
  const hi = Math.max(...minors);
  const state = describeVersions(versions);
  if (hi - lo > 1) {
    return { kind: 'refused', message: `the cluster's parts are more than one minor release apart (${state}): an upgrade cannot reconcile that. Bring the oldest node up by hand, or remove and add it again. ${NOTHING}` };
  }
  const want = requested !== undefined ? parseRelease(requested) : undefined;
  if (requested !== undefined && !want) return { kind: 'refused', message: `--to ${requested}: expected a Kubernetes version such as "1.37" or "1.37.2"` };
  const notes: string[] = [];
  const specMinor = parseRelease(specVersion)?.minor;

  if (lo !== hi) {
    // Half done: parts at hi, parts at lo. Finishing is the only way on.
    if (want && want.minor !== hi) {
      return { kind: 'refused', message: `the cluster is half-way through an upgrade to ${minorText(hi)} (${state}): finish it first with \`hobbykube upgrade --to ${minorText(hi)}\` (or without --to). ${NOTHING}` };
    }
    notes.push(`The cluster is half-way through an upgrade to ${minorText(hi)}: ${state}. This finishes it; steps already done are skipped.`);
    return { kind: 'upgrade', from: lo, to: hi, ...(want?.patch !== undefined ? { patch: `1.${want.minor}.${want.patch}` } : {}), halfDone: true, notes };
  }

  const current = lo;
  const notReady = versions.nodes.filter((n) => !n.ready);
  const refuseNotReady = (): UpgradeDecision => ({
    kind: 'refused',
    message: `${notReady.map((n) => `${n.name} is NotReady${n.readyReason ? ` (${n.readyReason})` : ''}`).join('; ')}: the upgrade drains and restarts the nodes one at a time and needs every node Ready first (see \`hobbykube status\`). ${NOTHING}`,
  });
  // Every part already runs a newer minor than the spec names: an upgrade that stopped after its
  // last step, before it saved the spec (or one done by hand). The spec catches up first; the next
  // minor is another run.
  if (specMinor !== undefined && specMinor < current && (!want || (want.minor === current && (want.patch === undefined || want.patch === server.patch)))) {
    return {
      kind: 'up-to-date',
      minor: current,
      specBehind: true,
      message: `The cluster already runs ${minorText(current)} (${versions.server}) on every node, but the spec says "${specVersion}" (an upgrade that stopped before it saved the spec).`,
    };
  }
  let to = current + 1;
  let patch: string | undefined;
  if (want) {
    if (want.minor < current || (want.minor === current && want.patch !== undefined && want.patch < server.patch)) {
      return {
        kind: 'refused',
        message: `--to ${requested}: the cluster runs ${versions.server}, and Kubernetes is not downgraded: kubeadm upgrades forward only, and etcd's data may already be in the newer release's format. ${NOTHING}`,
      };
    }
    if (want.minor > current + 1) {
      const steps = Array.from({ length: want.minor - current }, (_, i) => minorText(current + i + 1));
      return {
        kind: 'refused',
        message: `--to ${requested}: the cluster runs ${minorText(current)}, and kubeadm upgrades one minor release at a time (${[minorText(current), ...steps].join(' -> ')}). Run ${steps.map((s) => `\`hobbykube upgrade --to ${s}\``).join(', then ')}. ${NOTHING}`,
      };
    }
    if (want.minor === current && (want.patch === undefined || want.patch === server.patch)) {
      return { kind: 'up-to-date', minor: current, message: `The cluster already runs ${minorText(current)} (${versions.server}): nothing to upgrade.` };
    }
    to = want.minor;
    if (want.patch !== undefined) patch = `1.${want.minor}.${want.patch}`;
  }
  if (notReady.length > 0) return refuseNotReady();
  if (specMinor !== undefined && specMinor !== current) notes.push(`The spec says kubernetesVersion "${specVersion}", but the cluster runs ${minorText(current)}; the spec is set to the version the cluster reaches.`);
  return { kind: 'upgrade', from: current, to, ...(patch ? { patch } : {}), halfDone: false, notes };
}
