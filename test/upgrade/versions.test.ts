// Where `upgrade` goes from the cluster's versions (pure): one minor at a time, never down, a
// half-done upgrade finished before anything else, every node a member and Ready.
import { describe, expect, it } from 'vitest';
import { decideUpgrade, parseRelease, type ClusterVersions, type NodeVersions } from '../../src/upgrade/versions.js';

const node = (name: string, version: string, extra: Partial<NodeVersions> = {}): NodeVersions => ({
  name,
  role: name.startsWith('cp') ? 'control-plane' : 'worker',
  member: true,
  ready: true,
  cordoned: false,
  reported: `v${version}`,
  kubeadm: version,
  kubelet: version,
  ...extra,
});
const at = (version: string, ...extra: Array<Partial<NodeVersions>>): ClusterVersions => ({
  server: `v${version}`,
  nodes: ['cp1', 'w1', 'w2'].map((n, i) => node(n, version, extra[i] ?? {})),
});

describe('decideUpgrade', () => {
  it('takes a cluster on one minor to the next by default, and to --to of the next minor', () => {
    expect(decideUpgrade('1.36', at('1.36.1'))).toEqual({ kind: 'upgrade', from: 36, to: 37, halfDone: false, notes: [] });
    expect(decideUpgrade('1.36', at('1.36.1'), '1.37')).toMatchObject({ kind: 'upgrade', from: 36, to: 37 });
    expect(decideUpgrade('1.36', at('1.36.1'), '1.37.0')).toMatchObject({ kind: 'upgrade', to: 37, patch: '1.37.0' });
  });

  it('refuses a jump of two minors, naming the two upgrades to run instead', () => {
    const d = decideUpgrade('1.36', at('1.36.1'), '1.38');
    expect(d.kind).toBe('refused');
    expect(d.kind === 'refused' && d.message).toBe(
      '--to 1.38: the cluster runs 1.36, and kubeadm upgrades one minor release at a time (1.36 -> 1.37 -> 1.38). Run `hobbykube upgrade --to 1.37`, then `hobbykube upgrade --to 1.38`. Nothing was changed.',
    );
  });

  it('refuses a downgrade, of a minor or of a patch release', () => {
    for (const to of ['1.35', '1.36.0']) {
      const d = decideUpgrade('1.36', at('1.36.1'), to);
      expect(d.kind).toBe('refused');
      expect(d.kind === 'refused' && d.message).toContain(`--to ${to}: the cluster runs v1.36.1, and Kubernetes is not downgraded`);
    }
  });

  it('says there is nothing to do when the cluster already runs what --to names', () => {
    expect(decideUpgrade('1.37', at('1.37.1'), '1.37')).toEqual({ kind: 'up-to-date', minor: 37, message: 'The cluster already runs 1.37 (v1.37.1): nothing to upgrade.' });
    expect(decideUpgrade('1.37', at('1.37.1'), '1.37.1').kind).toBe('up-to-date');
    // A later patch of the same minor is an upgrade.
    expect(decideUpgrade('1.37', at('1.37.0'), '1.37.1')).toMatchObject({ kind: 'upgrade', from: 37, to: 37, patch: '1.37.1' });
  });

  it('sets the spec first when every node already runs a newer minor than it says (an upgrade stopped before saving it)', () => {
    const message = 'The cluster already runs 1.37 (v1.37.1) on every node, but the spec says "1.36" (an upgrade that stopped before it saved the spec).';
    expect(decideUpgrade('1.36', at('1.37.1'))).toEqual({ kind: 'up-to-date', minor: 37, specBehind: true, message });
    expect(decideUpgrade('1.36', at('1.37.1'), '1.37')).toEqual({ kind: 'up-to-date', minor: 37, specBehind: true, message });
    // Asked for the next minor outright: that upgrade runs, and sets the spec at its end.
    expect(decideUpgrade('1.36', at('1.37.1'), '1.38')).toMatchObject({ kind: 'upgrade', from: 37, to: 38 });
    // The spec in step with the cluster: the next minor, as always.
    expect(decideUpgrade('1.37', at('1.37.1'))).toMatchObject({ kind: 'upgrade', from: 37, to: 38 });
  });

  it('offers to finish a half-done upgrade, and refuses any other target until it is finished', () => {
    const half: ClusterVersions = { server: 'v1.37.1', nodes: [node('cp1', '1.37.1'), node('w1', '1.36.1', { kubeadm: '1.37.1', cordoned: true }), node('w2', '1.36.1')] };
    const d = decideUpgrade('1.36', half);
    expect(d).toMatchObject({ kind: 'upgrade', from: 36, to: 37, halfDone: true });
    expect(d.kind === 'upgrade' && d.notes[0]).toBe(
      'The cluster is half-way through an upgrade to 1.37: API server v1.37.1; cp1 kubelet v1.37.1; w1 kubelet v1.36.1, kubeadm 1.37.1 (cordoned); w2 kubelet v1.36.1. This finishes it; steps already done are skipped.',
    );
    expect(decideUpgrade('1.36', half, '1.37').kind).toBe('upgrade');
    const other = decideUpgrade('1.36', half, '1.38');
    expect(other.kind === 'refused' && other.message).toMatch(/^the cluster is half-way through an upgrade to 1\.37 \(.*\): finish it first with `hobbykube upgrade --to 1\.37` \(or without --to\)\. Nothing was changed\.$/);
    // Only a package ahead (killed right after the control plane's kubeadm step) is half done too.
    expect(decideUpgrade('1.36', at('1.36.1', { kubeadm: '1.37.1' }))).toMatchObject({ kind: 'upgrade', to: 37, halfDone: true });
  });

  it('refuses parts more than one minor apart, a node not in the cluster, and a NotReady node', () => {
    expect(decideUpgrade('1.36', at('1.36.1', {}, { reported: 'v1.34.2', kubeadm: '1.34.2', kubelet: '1.34.2' })).kind).toBe('refused');
    const absent = decideUpgrade('1.36', at('1.36.1', {}, {}, { member: false, reported: undefined }));
    expect(absent.kind === 'refused' && absent.message).toBe('w2 is in the spec but not in the cluster: run `hobbykube apply` to join it first, then upgrade. Nothing was changed.');
    const down = decideUpgrade('1.36', at('1.36.1', {}, { ready: false, readyReason: 'NodeStatusUnknown: Kubelet stopped posting node status.' }));
    expect(down.kind === 'refused' && down.message).toBe(
      'w1 is NotReady (NodeStatusUnknown: Kubelet stopped posting node status.): the upgrade drains and restarts the nodes one at a time and needs every node Ready first (see `hobbykube status`). Nothing was changed.',
    );
    // Half done, a NotReady node is what the rerun may repair: not refused.
    expect(decideUpgrade('1.36', at('1.36.1', { kubeadm: '1.37.1' }, { ready: false })).kind).toBe('upgrade');
  });

  it('notes a spec that names another version than the cluster runs', () => {
    const d = decideUpgrade('1.37', at('1.36.1'));
    expect(d.kind === 'upgrade' && d.notes).toEqual(['The spec says kubernetesVersion "1.37", but the cluster runs 1.36; the spec is set to the version the cluster reaches.']);
  });

  it('reads the versions kubeadm, kubectl, dpkg and the spec write', () => {
    expect(parseRelease('v1.37.1')).toEqual({ minor: 37, patch: 1 });
    expect(parseRelease('1.37.1-1.1')).toEqual({ minor: 37, patch: 1 });
    expect(parseRelease('1.37')).toEqual({ minor: 37 });
    expect(parseRelease('2.0.1')).toBeUndefined();
    expect(parseRelease(undefined)).toBeUndefined();
  });
});
