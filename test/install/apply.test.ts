// `hobbykube apply` end to end on three real sshd hosts. apt-get, kubeadm, kubectl, systemctl,
// modprobe and friends are test doubles on those hosts that record every call and answer like
// the real tools; the assertions read those recordings.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/install/journal.js';
import { startHosts, type Recording, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { isMutating, line, writeBedSpec, type BedSpec } from './support.js';

describe('apply on three sshd test hosts (recording doubles for apt, kubeadm, kubectl, systemctl)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let first: ReturnType<typeof runCli>;
  let recorded: Record<string, Recording[]>;

  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', os: 'ubuntu-24.04', resolvedStub: true, memTotalMb: 1970 },
      { name: 'w1', os: 'debian-12', memTotalMb: 970, cpus: 1 },
      { name: 'w2', os: 'ubuntu-22.04', resolvedStub: true, memTotalMb: 480, cpus: 1 },
    ]);
    spec = writeBedSpec(bed);
    first = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    recorded = Object.fromEntries(bed.hosts.map((h) => [h.name, h.recordings()]));
  });
  afterAll(async () => bed?.stop());

  it('completes and says where the kubeconfig is', () => {
    for (const h of bed.hosts) {
      expect(first.stderr).toContain(`${h.name} (${h.address}) is new to this cluster: its ssh-ed25519 host key is ${h.hostKeyFingerprint}; accepted (--yes) and pinned in ${join(spec.home, 'test', 'known_hosts')}`);
    }
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Cluster is up.');
    // Not a terminal: memory comes as plain lines per node (the first right at the start).
    for (const [name, mb] of [['cp1', 1970], ['w1', 970], ['w2', 480]] as const) {
      expect(first.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${name} {2}memory \\d+/${mb} MiB used, \\d+ MiB available(, swap \\d+/\\d+ MiB used)?; top: `, 'm'));
    }
    const kubeconfig = join(spec.home, 'test', 'admin.conf');
    expect(first.stdout).toContain(`Kubeconfig: ${kubeconfig}`);
    expect((statSync(kubeconfig).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(kubeconfig, 'utf8')).toContain(`server: https://${bed.hosts[0]!.address}:6443`);
  });

  it('runs kubeadm init only on the control plane, and joins each worker after it', () => {
    const init = recorded.cp1!.filter((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init' && r.argv[2] !== 'phase');
    expect(init).toHaveLength(1);
    for (const w of ['w1', 'w2']) {
      expect(recorded[w]!.some((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init')).toBe(false);
      const joins = recorded[w]!.filter((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'join');
      expect(joins).toHaveLength(1);
      expect(joins[0]!.time).toBeGreaterThan(init[0]!.time);
    }
    // Every node prepared: packages installed and held, modules loaded; swap off on the control
    // plane, hobbykube's swapfile on the workers of 1 GB or less (both are).
    for (const host of ['cp1', 'w1', 'w2']) {
      const lines = recorded[host]!.map(line);
      expect(lines.some((l) => /^apt-get .*install -y .*kubelet kubeadm kubectl/.test(l))).toBe(true);
      expect(lines).toContain('apt-mark hold kubelet kubeadm kubectl');
      expect(lines.some((l) => l.startsWith('modprobe') && l.includes('br_netfilter'))).toBe(true);
    }
    expect(recorded.cp1!.map(line)).toContain('swapoff -a');
    expect(recorded.w1!.map(line)).toContain('swapon /var/lib/hobbykube/swapfile');
    expect(recorded.w2!.map(line)).toContain('swapon /var/lib/hobbykube/swapfile');
    for (const w of ['w1', 'w2']) expect(recorded[w]!.map(line)).not.toContain('swapoff -a');
    // Network and DNS on the control plane only, after init.
    const cpLines = recorded.cp1!.map(line);
    expect(cpLines.some((l) => /kubectl .*apply -f \S*kube-flannel\.yml/.test(l))).toBe(true);
    expect(recorded.w1!.some((r) => r.argv[0] === 'kubectl' && r.argv.includes('apply'))).toBe(false);
  });

  it('joins with a token minted on the control plane after init, never on a command line', () => {
    const init = recorded.cp1!.find((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init')!;
    const mints = recorded.cp1!.filter((r) => line(r).startsWith('kubeadm token create --print-join-command'));
    expect(mints).toHaveLength(2);
    for (const mint of mints) expect(mint.time).toBeGreaterThan(init.time);
    for (const w of ['w1', 'w2']) {
      const join = recorded[w]!.find((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'join')!;
      expect(join.argv).toEqual(['kubeadm', 'join', '--config', '/etc/hobbykube/kubeadm-join.yaml']);
      const config = Object.values(join.files ?? {})[0]!;
      const token = /token: (\S+)/.exec(config)![1]!;
      expect(token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
      // The token never reached the log or the screen.
      expect(first.stdout).not.toContain(token);
      const log = readFileSync(/Log: (\S+)/.exec(first.stdout)![1]!, 'utf8');
      expect(log).not.toContain(token);
      // The join config is gone from the worker afterwards.
    }
  });

  it('sends a kubeadm config with the node\'s resolver, memory reservations and the control-plane taint', async () => {
    const init = recorded.cp1!.find((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init')!;
    expect(init.argv).toEqual(['kubeadm', 'init', '--config', '/etc/hobbykube/kubeadm-init.yaml']);
    const docs = parseAllDocuments(Object.values(init.files!)[0]!).map((d) => d.toJS() as Record<string, any>);
    const byKind = Object.fromEntries(docs.map((d) => [d.kind, d]));
    expect(Object.keys(byKind).sort()).toEqual(['ClusterConfiguration', 'InitConfiguration', 'KubeletConfiguration']);
    expect(byKind.InitConfiguration!.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(byKind.InitConfiguration!.localAPIEndpoint.advertiseAddress).toBe(bed.hosts[0]!.address);
    expect(byKind.InitConfiguration!.nodeRegistration.name).toBe('cp1');
    expect(byKind.InitConfiguration!.nodeRegistration.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(byKind.InitConfiguration!.nodeRegistration.ignorePreflightErrors).toBeUndefined();
    expect(byKind.ClusterConfiguration!.controlPlaneEndpoint).toBe(`${bed.hosts[0]!.address}:6443`);
    expect(byKind.ClusterConfiguration!.networking.podSubnet).toBe('10.244.0.0/16');
    const kubelet = byKind.KubeletConfiguration!;
    expect(kubelet.resolvConf).toBe('/run/systemd/resolve/resolv.conf');
    expect(kubelet.cgroupDriver).toBe('systemd');
    expect(kubelet.evictionHard['memory.available']).toBe('100Mi');
    expect(kubelet.systemReserved.memory).toMatch(/^\d+Mi$/);
    expect(kubelet.kubeReserved.memory).toMatch(/^\d+Mi$/);
    // CoreDNS forwards to the spec's upstream servers, not to a file holding the 127.0.0.53 stub.
    const corefile = recorded.cp1!.filter((r) => r.argv[0] === 'kubectl' && r.argv.includes('apply') && (r.stdin ?? '').includes('Corefile'));
    expect(corefile.length).toBeGreaterThan(0);
    expect(corefile.at(-1)!.stdin).toMatch(/forward \. 203\.0\.113\.53 198\.51\.100\.53/);
  });

  it('points systemd-resolved at the upstream servers only where the stub is in use', () => {
    const dropIn = (host: string) => recorded[host]!.some((r) => r.argv[0] === 'systemctl' && r.argv[1] === 'restart' && r.argv.includes('systemd-resolved'));
    expect(dropIn('cp1')).toBe(true);
    expect(dropIn('w2')).toBe(true);
    expect(dropIn('w1')).toBe(false);
  });

  it('a second apply changes nothing: every step is skipped by its probe', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const second = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Cluster is up\. 0 steps run, \d+ already done/);
    for (const h of bed.hosts) {
      const changed = h.recordings().filter(isMutating).map(line);
      expect(changed, `${h.name} received changes`).toEqual([]);
    }
    const runs = [...new Set(readJournal(join(spec.home, 'test', 'journal.jsonl')).map((e) => e.run))];
    expect(runs).toHaveLength(2);
  });

  it('plan shows the resolver step only for nodes with the systemd stub', () => {
    const plan = runCli(['plan', '-f', spec.specPath], { env: spec.env, cwd: spec.dir });
    expect(plan.code).toBe(0);
    const blocks = plan.stdout.split(/\n(?=\S)/);
    const block = (name: string) => blocks.find((b) => b.startsWith(`${name} (`) && b.includes('  skip  ')) ?? '';
    expect(block('cp1')).toContain('Give systemd-resolved the upstream DNS servers 203.0.113.53, 198.51.100.53');
    expect(block('w2')).toContain('Give systemd-resolved the upstream DNS servers');
    expect(block('w1')).not.toContain('systemd-resolved');
    expect(plan.stdout).toMatch(/(\d+) steps: 0 to run, \1 already done\./);
  });

  it('reset of one worker drains it on the control plane first, then wipes what join made', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const r = runCli(['reset', '-f', spec.specPath, '--node', 'w2', '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code).toBe(0);
    const cp = bed.hosts[0]!.recordings();
    const drain = cp.find((x) => x.argv[0] === 'kubectl' && x.argv.includes('drain'))!;
    const reset = bed.hosts[2]!.recordings().find((x) => line(x) === 'kubeadm reset -f')!;
    expect(drain.argv).toContain('w2');
    expect(reset.time).toBeGreaterThan(drain.time);
    expect(bed.hosts[1]!.recordings().filter(isMutating)).toEqual([]);
    const left = await bed.hosts[2]!.rootExec('ls /etc/kubernetes/kubelet.conf /etc/hobbykube 2>&1; true');
    expect(left.stdout).toContain('No such file or directory');
    const nodes = await bed.hosts[0]!.rootExec('kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name');
    expect(nodes.stdout.trim().split('\n').sort()).toEqual(['node/cp1', 'node/w1']);
  });

  it('reset of the whole cluster wipes the control plane after the workers and forgets the kubeconfig', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const r = runCli(['reset', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir });
    expect(r.code).toBe(0);
    const cpReset = bed.hosts[0]!.recordings().find((x) => line(x) === 'kubeadm reset -f')!;
    const w1Reset = bed.hosts[1]!.recordings().find((x) => line(x) === 'kubeadm reset -f')!;
    expect(cpReset.time).toBeGreaterThan(w1Reset.time);
    const left = await bed.hosts[0]!.rootExec('ls /etc/kubernetes/admin.conf /var/lib/etcd 2>&1; true');
    expect(left.stdout).toContain('No such file or directory');
    expect(existsSync(join(spec.home, 'test', 'admin.conf'))).toBe(false);
  });
});
