// `hobbykube upgrade` on real sshd test hosts: the source document's cluster (970/470/470 MiB, its
// four workloads, Traefik on w1, MySQL on w2) installed at 1.36, then upgraded to 1.37. apt-get,
// kubeadm, kubectl, systemctl, crictl ... are recording doubles (doubles): kubeadm upgrade
// apply/node rewrite manifests and the kubelet's configuration from the cluster's ConfigMaps and the
// patches given; a restarted kubelet reports its package's version and re-reads that
// configuration (it does not start with swap on and failSwapOn unset, as a real one). What they
// cannot show: real images pulled, real static pods restarted, a real etcd migrated.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/install/journal.js';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { runCli, runCliAsync, type CliResult } from '../support/cli.js';
import { hostsMissing, requires } from '../support/requires.js';
import { isMutating, line, type BedSpec } from '../install/support.js';
import { kubeadmPackageStep } from '../../src/upgrade/render/kubeadm-package.js';
import { upgradeApplyStep, upgradePlanStep } from '../../src/upgrade/render/control-plane.js';
import { kubeletPackageStep } from '../../src/upgrade/render/kubelet-package.js';
import { drainStep, uncordonStep, waitUpgradedStep } from '../../src/upgrade/render/drain.js';
import { upgradeNodeStep } from '../../src/upgrade/render/node-config.js';
import { KC, overlappingDrains, SOURCE_DRAIN_LINES, SOURCE_HOSTS, specVersion, unfinishedUncordons, upgradeTimeline, writeUpgradeSpec } from './support.js';

const UPGRADE_TIMEOUT_MS = 600_000; // a 3-node upgrade took ~25 s alone here; much longer beside other test runs

const cli = (spec: BedSpec, args: string[]) => runCliAsync([...args, '-f', spec.specPath], { env: spec.env, cwd: spec.dir, timeoutMs: UPGRADE_TIMEOUT_MS });
const nodesTable = async (bed: TestBed) => (await bed.hosts[0]!.rootExec(`${KC} get nodes --no-headers`)).stdout;

describe('upgrade 1.36 -> 1.37 of the source cluster on 970/470/470 MiB test hosts (recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let upgrade: CliResult;
  let started: number;
  let forecast: Record<string, number>;

  beforeAll(async () => {
    bed = await startHosts(SOURCE_HOSTS);
    spec = writeUpgradeSpec(bed);
    const apply = await cli(spec, ['apply', '--yes']);
    if (apply.code !== 0) throw new Error(`apply at 1.36 failed: ${apply.stderr}`);
    // What each step's probe says before anything was upgraded: the plan shown in a terminal forecasts from them.
    const cp = bed.hosts[0]!;
    const w1 = bed.hosts[1]!;
    const probe = async (host: typeof cp, script: string) => (await host.rootExec('bash -s', script)).code;
    forecast = {
      'cp1/upgrade.kubeadm': await probe(cp, kubeadmPackageStep({ minor: '1.37' }).probe),
      'cp1/upgrade.plan': await probe(cp, upgradePlanStep('1.37').probe),
      'cp1/upgrade.apply': await probe(cp, upgradeApplyStep({ minor: '1.37', memTotalMiB: 970, resolvedStub: false }).probe),
      'cp1/upgrade.kubelet': await probe(cp, kubeletPackageStep('cp1', 'admin', '1.37').probe),
      'cp1/upgrade.ready': await probe(cp, waitUpgradedStep('cp1', '1.37').probe),
      'w1/upgrade.drain': await probe(cp, drainStep('w1', '1.37').probe),
      'w1/upgrade.node': await probe(w1, upgradeNodeStep({ nodeName: 'w1', minor: '1.37', memTotalMiB: 470, resolvedStub: false }).probe),
      'w1/upgrade.kubelet': await probe(w1, kubeletPackageStep('w1', 'kubelet', '1.37').probe),
      'w1/upgrade.ready': await probe(cp, waitUpgradedStep('w1', '1.37').probe),
      'w1/upgrade.uncordon': await probe(cp, uncordonStep('w1', '1.37').probe),
    };
    started = Date.now();
    upgrade = await cli(spec, ['upgrade', '--yes']);
  }, UPGRADE_TIMEOUT_MS * 2);
  afterAll(async () => bed?.stop());

  it('reaches 1.37: the spec says "1.37", status reports every node at v1.37.1', async () => {
    expect(upgrade.code, upgrade.stderr).toBe(0);
    expect(upgrade.stdout).toContain('Upgrade: 1.36 -> 1.37 (the newest patch release pkgs.k8s.io has), the control plane first, then one worker at a time.');
    expect(upgrade.stdout).toContain('Upgraded: the cluster runs v1.37.1 on every node.');
    expect(upgrade.stdout).toContain(`${spec.specPath} now says kubernetesVersion: "1.37".`);
    expect(specVersion(spec)).toBe('1.37');
    const status = await cli(spec, ['status', '--once']);
    expect(status.code, status.stdout).toBe(0);
    for (const n of ['cp1', 'w1', 'w2']) expect(status.stdout).toMatch(new RegExp(`^${n} +(control-plane|worker) +Ready +v1\\.37\\.1 `, 'm'));
    expect(status.stdout).not.toContain('v1.36');
  });

  it("keeps Secrets encrypted at rest: the API server's manifest kubeadm writes anew still reads the EncryptionConfiguration (doubles)", async () => {
    const manifest = await bed.hosts[0]!.rootExec('cat /etc/kubernetes/manifests/kube-apiserver.yaml');
    expect(manifest.code, manifest.stderr).toBe(0);
    expect(manifest.stdout).toContain('registry.k8s.io/kube-apiserver:v1.37.1');
    expect(manifest.stdout).toMatch(/--encryption-provider-config=\S+/);
  });

  it("before the upgrade, every step's probe says 'to run' (exit 1), so the plan shown beforehand forecasts no step as done", () => {
    expect(forecast).toEqual(Object.fromEntries(Object.keys(forecast).map((k) => [k, 1])));
  });

  it('says beforehand what each drain takes down (printed and done with --yes)', () => {
    expect(upgrade.stdout).toContain(SOURCE_DRAIN_LINES.join('\n'));
  });

  it('upgrades the control plane first, then one worker at a time: drain, kubeadm upgrade node, kubelet, uncordon, no overlap', () => {
    const events = upgradeTimeline(bed, started).map((e) => e.what);
    const order = (what: string) => {
      const i = events.indexOf(what);
      expect(i, `${what} in ${events.join(' | ')}`).toBeGreaterThanOrEqual(0);
      return i;
    };
    // The control plane: kubeadm, then kubeadm upgrade apply, then its kubelet, before any drain.
    expect(order('cp1 install kubeadm')).toBeLessThan(order('cp1 kubeadm upgrade apply'));
    expect(order('cp1 kubeadm upgrade apply')).toBeLessThan(order('cp1 restart kubelet'));
    expect(order('cp1 restart kubelet')).toBeLessThan(order('drain w1'));
    // Each worker: drain -> kubeadm upgrade node -> kubelet -> uncordon, w1 wholly before w2.
    for (const w of ['w1', 'w2']) {
      expect(order(`drain ${w}`)).toBeLessThan(order(`${w} kubeadm upgrade node`));
      expect(order(`${w} kubeadm upgrade node`)).toBeLessThan(order(`${w} restart kubelet`));
      expect(order(`${w} restart kubelet`)).toBeLessThan(order(`uncordon ${w}`));
    }
    expect(order('uncordon w1')).toBeLessThan(order('drain w2'));
    expect(overlappingDrains(upgradeTimeline(bed, started))).toEqual([]);
    expect(unfinishedUncordons(upgradeTimeline(bed, started))).toEqual([]);
    // Exactly once each; the control plane is never drained.
    for (const what of ['cp1 kubeadm upgrade apply', 'drain w1', 'drain w2', 'uncordon w1', 'uncordon w2']) expect(events.filter((e) => e === what)).toHaveLength(1);
    expect(events.some((e) => e === 'drain cp1')).toBe(false);
  });

  it('kubeadm upgrade apply and node get the patches: each kubelet keeps its reservations and swap, the static pods their requests, CoreDNS one replica', async () => {
    for (const w of ['w1', 'w2']) {
      const config = parse((await bed.hosts.find((h) => h.name === w)!.rootExec('cat /var/lib/kubelet/config.yaml')).stdout);
      expect(config).toMatchObject({ failSwapOn: false, memorySwap: { swapBehavior: 'LimitedSwap' }, maxPods: 11, systemReserved: { memory: expect.stringMatching(/Mi$/) } });
    }
    const cp = bed.hosts[0]!;
    const cpConfig = parse((await cp.rootExec('cat /var/lib/kubelet/config.yaml')).stdout);
    expect(cpConfig.enforceNodeAllocatable).toEqual(['none']);
    const apiserver = parse((await cp.rootExec('cat /etc/kubernetes/manifests/kube-apiserver.yaml')).stdout);
    expect(apiserver.spec.containers[0].image).toBe('registry.k8s.io/kube-apiserver:v1.37.1');
    expect(apiserver.spec.containers[0].resources.requests.memory).toBe('240Mi');
    const coredns = JSON.parse((await cp.rootExec(`${KC} -n kube-system get deployment coredns -o json`)).stdout);
    expect(coredns.spec.replicas).toBe(1);
    expect(coredns.spec.template.spec.containers[0].resources.requests.memory).toBe('50Mi');
    // The recordings: the directory passed on every node.
    for (const h of bed.hosts) {
      const calls = h.recordings().filter((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'upgrade' && r.argv[2] !== 'plan').map(line);
      expect(calls.length, h.name).toBe(1);
      expect(calls[0]).toMatch(/--patches \/etc\/hobbykube\/kubeadm-patches$/);
    }
  });

  it('leaves kubelet, kubeadm and kubectl at 1.37.1 and held on every node, from the v1.37 repository', async () => {
    for (const h of bed.hosts) {
      const r = await h.rootExec("apt-mark showhold; dpkg-query -W -f='${Package} ${Version}\\n' kubeadm kubelet kubectl; cat /etc/apt/sources.list.d/kubernetes.list");
      expect(r.stdout, h.name).toContain('kubeadm\nkubectl\nkubelet\n');
      for (const p of ['kubeadm', 'kubelet', 'kubectl']) expect(r.stdout, h.name).toContain(`${p} 1.37.1-1.1`);
      expect(r.stdout).toContain('https://pkgs.k8s.io/core:/stable:/v1.37/deb/ /');
    }
    expect(readFileSync(join(spec.home, 'source', 'admin.conf'), 'utf8')).toContain(`server: https://${bed.hosts[0]!.address}:6443`);
  });

  it('refuses a two-minor jump, a downgrade and an unpublished minor, changing nothing', async () => {
    const before = bed.hosts.map((h) => h.recordings().length);
    const jump = await cli(spec, ['upgrade', '--to', '1.39', '--yes']);
    expect(jump.code).toBe(1);
    expect(jump.stderr).toContain('error: --to 1.39: the cluster runs 1.37, and kubeadm upgrades one minor release at a time (1.37 -> 1.38 -> 1.39). Run `hobbykube upgrade --to 1.38`, then `hobbykube upgrade --to 1.39`. Nothing was changed.');
    const down = await cli(spec, ['upgrade', '--to', '1.36', '--yes']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('error: --to 1.36: the cluster runs v1.37.1, and Kubernetes is not downgraded');
    // Without --to: 1.38, which pkgs.k8s.io does not have (yet).
    const next = await cli(spec, ['upgrade', '--yes']);
    expect(next.code).toBe(1);
    expect(next.stderr).toContain('error: cannot upgrade to 1.38: pkgs.k8s.io has no repository for Kubernetes 1.38 (https://pkgs.k8s.io/core:/stable:/v1.38/deb/Release.key: curl: (22) The requested URL returned error: 404); it may not be released yet. Nothing was changed.');
    const same = await cli(spec, ['upgrade', '--to', '1.37', '--yes']);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('The cluster already runs 1.37 (v1.37.1): nothing to upgrade.');
    const usage = runCli(['upgrade', '--to', '1.x', '-f', spec.specPath], { env: spec.env });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--to "1.x": expected a Kubernetes minor version from 1.31 on such as "1.37" (or a patch release such as "1.37.1")');
    // Nothing that changes a node; on the control plane the repository check (curl, which the helper counts as a download) is the one call.
    bed.hosts.forEach((h, i) => {
      const calls = h.recordings().slice(before[i]).filter(isMutating).map(line);
      expect(calls.filter((l) => !l.startsWith('curl -fsSL --retry 2 -o /dev/null https://pkgs.k8s.io/core:/stable:/v1.38/deb/Release.key')), h.name).toEqual([]);
    });
  });

  it('refuses while a node is unreachable, naming it', async () => {
    const w2 = bed.hosts[2]!;
    w2.signalSshd('SIGKILL');
    try {
      const r = await cli(spec, ['upgrade', '--yes']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/w2 \(127\.0\.0\.\d+, worker\)\n {2}fail {2}.*(refused|unreachable|connect)/i);
      expect(r.stderr).toContain('error: w2 is not ready (see above). Nothing was changed.');
    } finally {
      await w2.restart();
    }
  });

  it('status shows the certificates; one 20 days from expiry is a problem, and --renew-certs renews it', async () => {
    const cp = bed.hosts[0]!;
    let status = await cli(spec, ['status', '--once']);
    expect(status.stdout).toMatch(/^Certificates on cp1: first expiry \d{4}-\d\d-\d\d \([a-z.-]+, 36[45] days left\); CAs until \d{4}-\d\d-\d\d$/m);
    // The doubles keep each certificate's NotAfter beside the fake PEM files: apiserver's moves to 20 days from now.
    const file = '/etc/kubernetes/pki/.hobbykube-fake-expiry.json';
    const expiry = JSON.parse((await cp.rootExec(`cat ${file}`)).stdout);
    expiry.certs.apiserver = Date.now() + 20 * 24 * 3600 * 1000 + 3600 * 1000;
    await cp.rootExec(`cat > ${file}`, JSON.stringify(expiry));
    status = await cli(spec, ['status', '--once']);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^Certificates on cp1: first expiry \d{4}-\d\d-\d\d \(apiserver, 20 days left\);/m);
    expect(status.stdout).toContain('  - certificates on cp1 expire within 30 days: apiserver (20 days left). Run `hobbykube upgrade --renew-certs` (or `hobbykube upgrade`, which renews them).');

    const before = cp.recordings().length;
    const workersBefore = bed.hosts.slice(1).map((w) => w.recordings().length);
    const renew = await cli(spec, ['upgrade', '--renew-certs', '--yes']);
    expect(renew.code, renew.stderr).toBe(0);
    expect(renew.stdout).toMatch(/^Renewed\. Certificates on cp1: first expiry \d{4}-\d\d-\d\d \([a-z.-]+, 364 days left\)/m);
    const calls = cp.recordings().slice(before).map(line);
    expect(calls).toContain('kubeadm certs renew all');
    expect(calls.some((l) => /^crictl .* stop( [0-9a-f]{13,64}){4}$/.test(l))).toBe(true);
    // The workers are not contacted.
    bed.hosts.slice(1).forEach((w, i) => expect(w.recordings().slice(workersBefore[i]).filter(isMutating).map(line), w.name).toEqual([]));
    status = await cli(spec, ['status', '--once']);
    expect(status.code, status.stdout).toBe(0);
    // The owner's kubeconfig has the renewed admin certificate.
    const local = readFileSync(join(spec.home, 'source', 'admin.conf'), 'utf8');
    const remote = (await cp.rootExec('cat /etc/kubernetes/admin.conf')).stdout;
    const cert = (t: string) => /client-certificate-data: (\S+)/.exec(t)![1];
    expect(cert(local)).toBe(cert(remote));
    // A second run finds it done: nothing renewed or restarted again.
    const again = await cli(spec, ['upgrade', '--renew-certs', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 steps run, 3 already done');
  });

  it('(doubles) without the patches, kubeadm upgrade node would leave a swap worker whose kubelet does not start', async () => {
    // Why the patches directory is passed: the kubelet-config ConfigMap has no per-node settings.
    const w1 = bed.hosts[1]!;
    await w1.rootExec('kubeadm upgrade node && systemctl restart kubelet');
    const config = parse((await w1.rootExec('cat /var/lib/kubelet/config.yaml')).stdout);
    expect(config.failSwapOn).toBeUndefined();
    expect((await w1.rootExec('systemctl is-active kubelet')).stdout.trim()).toBe('activating');
    expect(await nodesTable(bed)).toMatch(/^w1 +NotReady /m);
  });
});

describe('a half-done upgrade (w2 fails in kubeadm upgrade node) is refused a new target and offered to finish (recording doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let first: CliResult;

  beforeAll(async () => {
    bed = await startHosts(SOURCE_HOSTS);
    spec = writeUpgradeSpec(bed);
    const apply = await cli(spec, ['apply', '--yes']);
    if (apply.code !== 0) throw new Error(`apply at 1.36 failed: ${apply.stderr}`);
    bed.hosts[2]!.injectFault({
      command: 'kubeadm',
      match: 'upgrade node',
      exitCode: 1,
      stderr: 'error: error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: failed to get config map: Get "https://127.0.0.1:6443/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s": net/http: TLS handshake timeout\nTo see the stack trace of this error execute with --v=5 or higher\n',
    });
    first = await cli(spec, ['upgrade', '--yes']);
  }, UPGRADE_TIMEOUT_MS * 2);
  afterAll(async () => bed?.stop());

  it('stops at w2, which stays cordoned; w1 is upgraded and back; the spec still says 1.36', async () => {
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('failed: w2: upgrade.node: exit code 1');
    expect(first.stderr).toContain('  | error: error execution phase preflight: unable to fetch the kubeadm-config ConfigMap');
    expect(first.stderr).toContain('Rerun `hobbykube upgrade` to go on: finished steps are skipped, and a node stays cordoned until its own upgrade has finished.');
    expect(specVersion(spec)).toBe('1.36');
    const nodes = await nodesTable(bed);
    expect(nodes).toMatch(/^w1 +Ready +<none> +\S+ +v1\.37\.1$/m);
    expect(nodes).toMatch(/^w2 +Ready,SchedulingDisabled +<none> +\S+ +v1\.36\.1$/m);
    const status = await cli(spec, ['status', '--once']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('  - version skew: cp1, w1 on 1.37; w2 on 1.36: an upgrade is half done; run `hobbykube upgrade` to finish it');
  });

  it('refuses --to 1.38 until the half-done upgrade is finished', async () => {
    const r = await cli(spec, ['upgrade', '--to', '1.38', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: the cluster is half-way through an upgrade to 1\.37 \(API server v1\.37\.1; cp1 kubelet v1\.37\.1; w1 kubelet v1\.37\.1; w2 kubelet v1\.36\.1, kubeadm 1\.37\.1 \(cordoned\)\): finish it first with `hobbykube upgrade --to 1\.37` \(or without --to\)\. Nothing was changed\./);
  });

  it('asks to finish it, and finishes without redoing what was done', async () => {
    const journal = join(spec.home, 'source', 'journal.jsonl');
    // Asked: no --yes and no terminal, so the question is refused, naming the way on.
    const asked = await cli(spec, ['upgrade']);
    expect(asked.code).toBe(2);
    expect(asked.stdout).toContain('The cluster is half-way through an upgrade to 1.37');
    expect(asked.stderr).toContain('error: Finish the upgrade of cluster source to 1.37? 4 workloads are down for about 3 minutes (see above). Not in a terminal, so nothing can be asked: rerun with --yes to go ahead. Nothing was changed.');
    const r = await cli(spec, ['upgrade', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(specVersion(spec)).toBe('1.37');
    expect(await nodesTable(bed)).not.toContain('SchedulingDisabled');
    const entries = readJournal(journal);
    const runs = [...new Set(entries.map((e) => e.run))];
    const last = runs[runs.length - 1];
    const doneBefore = new Set(entries.filter((e) => e.run !== last && e.outcome === 'done').map((e) => e.step));
    const again = entries.filter((e) => e.run === last && e.outcome === 'started' && doneBefore.has(e.step)).map((e) => e.step);
    expect(again).toEqual([]);
    expect(upgradeTimeline(bed).filter((e) => e.what === 'cp1 kubeadm upgrade apply')).toHaveLength(1);
    expect(overlappingDrains(upgradeTimeline(bed))).toEqual([]);
    expect(unfinishedUncordons(upgradeTimeline(bed))).toEqual([]);
  });
});
