// Safe on the public internet, on real sshd test hosts with recording doubles: a host firewall on
// every node (its allowed-peer set the cluster's nodes, NAT'd ones with both addresses), flannel's
// WireGuard backend, Secrets encrypted at rest from kubeadm init on (and turned on for a cluster
// that ran without it), `plan --out` writing each ruleset and the encryption config without its key.
// The nft double runs the real nft in throwaway network namespaces (never this machine's firewall);
// what the firewall lets through is shown with real connections in firewall-netns.test.ts.
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInitConfig } from '../../src/install/render/index.js';
import { startHosts, type Recording, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { runCli } from '../support/cli.js';
import { firewallLoaded, line, loadedPeers, writeBedSpec, type BedSpec } from './support.js';

/** Every file under dir, relative. */
function files(dir: string, base = ''): string[] {
  return readdirSync(join(dir, base), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, join(base, e.name)) : [join(base, e.name)]));
}

describe('safe on the internet: firewall, WireGuard and Secrets at rest on three sshd test hosts (doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let first: ReturnType<typeof runCli>;
  let recorded: Record<string, Recording[]>;
  const host = (name: string) => bed.hosts.find((h) => h.name === name)!;
  const kubectl = async (h: TestHost, args: string) => (await h.rootExec(`kubectl --kubeconfig /etc/kubernetes/admin.conf ${args}`)).stdout;
  /** How etcd (the kubectl double's shared state) holds each Secret: "identity" or the encryption prefix. */
  const secretsAtRest = (): Record<string, string> => {
    const dir = join(bed.dir, 'shared', 'clusters', host('cp1').address, 'objects', 'secret');
    return Object.fromEntries(files(dir).filter((f) => f.endsWith('.at-rest')).map((f) => [f.replace(/\.json\.at-rest$/, ''), readFileSync(join(dir, f), 'utf8').trim()]));
  };

  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', memTotalMb: 1970 },
      // w1's public address is NAT'd: its interface holds only 10.0.1.7.
      { name: 'w1', memTotalMb: 970, cpus: 1, os: 'debian-12', interfaceAddresses: ['10.0.1.7/24'] },
      { name: 'w2', memTotalMb: 970, cpus: 1 },
    ]);
    spec = writeBedSpec(bed);
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.network = { apiAllowedFrom: ['198.51.100.0/24'] };
    doc.spec.workloads = [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi', secretEnv: ['SLACK_TOKEN'] }];
    writeFileSync(spec.specPath, stringify(doc));
    spec.env = { ...spec.env, HOBBYKUBE_SECRET_BOT_SLACK_TOKEN: 'xoxb-test-token-1234' };
    first = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 240_000 });
    recorded = Object.fromEntries(bed.hosts.map((h) => [h.name, h.recordings()]));
  }, 300_000);
  afterAll(async () => bed?.stop());

  it('installs and says before it starts which ports each node keeps open to whom', () => {
    expect(first.stderr).not.toMatch(/failed:/);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const section = first.stdout.slice(first.stdout.indexOf('Open ports (host firewall):'), first.stdout.indexOf('Plan:'));
    expect(section).toContain('cp1  SSH 22: anyone');
    expect(section).toContain('Kubernetes API 6443: the nodes and 198.51.100.0/24 (spec.network.apiAllowedFrom)');
    expect(section).toContain('kubelet 10250, kube-proxy health check 10256, pod network (WireGuard) 51820/udp, NodePorts 30000-32767 (TCP and UDP): the nodes only');
    expect(section).toContain('etcd 2379-2380, kube-controller-manager 10257, kube-scheduler 10259: cp1 itself');
    expect(section).toContain(`The nodes: cp1 ${host('cp1').address}, w1 ${host('w1').address} and 10.0.1.7, w2 ${host('w2').address}; pods in 10.244.0.0/16`);
    expect(first.stdout).toMatch(/Generated encryption key key1 for Secrets at rest; kept in \S+secrets\.yaml \(0600\)/);
  });

  it("every node's firewall is loaded before kubeadm runs there, and lets exactly the cluster's nodes in", async () => {
    const expected = [host('cp1').address, host('w1').address, '10.0.1.7', host('w2').address].sort();
    for (const name of ['cp1', 'w1', 'w2']) {
      const r = recorded[name]!;
      const load = r.find((x) => line(x) === 'nft -f /etc/hobbykube/firewall.nft' && x.netns === undefined);
      const kubeadm = r.find((x) => x.argv[0] === 'kubeadm' && (x.argv[1] === 'init' || x.argv[1] === 'join'));
      expect(load, `${name} loads its ruleset`).toBeDefined();
      expect(load!.time).toBeLessThan(kubeadm!.time);
      expect(r.map(line)).toContain('systemctl enable hobbykube-firewall.service');
      // The ruleset file the double loaded: checked by the real nft first.
      expect(r.some((x) => line(x) === 'nft --check -f /etc/hobbykube/firewall.nft')).toBe(true);
      expect(await loadedPeers(host(name)), `${name}'s allowed nodes`).toEqual(expected);
      expect((await host(name).rootExec('stat -c %a /etc/systemd/system/hobbykube-firewall.service')).stdout.trim()).toBe('644');
    }
    const api = await host('cp1').rootExec('nft list set inet hobbykube api4');
    expect(api.stdout).toContain('198.51.100.0/24');
  });

  it("flannel runs the WireGuard backend with a keepalive for the NAT'd node", () => {
    const apply = recorded.cp1!.find((r) => line(r).endsWith('apply -f -') && (r.stdin ?? '').includes('name: kube-flannel-ds'))!;
    const objects = parseAllDocuments(apply.stdin!).map((d) => d.toJS() as { kind: string; data?: Record<string, string>; spec?: any });
    expect(JSON.parse(objects.find((o) => o.kind === 'ConfigMap')!.data!['net-conf.json']!).Backend).toEqual({ Type: 'wireguard', ListenPort: 51820, PersistentKeepaliveInterval: 25 });
    expect(objects.find((o) => o.kind === 'DaemonSet')!.spec.template.spec.containers[0].resources.limits).toEqual({ memory: '50Mi' });
    // No download: flannel's objects came from hobbykube.
    for (const name of ['cp1', 'w1', 'w2']) expect(recorded[name]!.some((r) => r.argv[0] === 'curl' && r.argv.some((a) => a.includes('flannel')))).toBe(false);
  });

  it('Secrets are encrypted at rest from kubeadm init on; the key is only in the secrets file and the control plane', async () => {
    const init = recorded.cp1!.find((r) => r.argv[0] === 'kubeadm' && r.argv[1] === 'init' && r.argv[2] !== 'phase')!;
    const cluster = parseAllDocuments(Object.values(init.files!)[0]!).map((d) => d.toJS() as Record<string, any>).find((d) => d.kind === 'ClusterConfiguration')!;
    expect(cluster.apiServer.extraArgs).toEqual([{ name: 'encryption-provider-config', value: '/etc/hobbykube/encryption/config.yaml' }]);
    expect(cluster.apiServer.extraVolumes).toEqual([{ name: 'hobbykube-encryption', hostPath: '/etc/hobbykube/encryption', mountPath: '/etc/hobbykube/encryption', readOnly: true, pathType: 'DirectoryOrCreate' }]);

    const secretsFile = join(spec.home, 'test', 'secrets.yaml');
    expect((statSync(secretsFile).mode & 0o777).toString(8)).toBe('600');
    const key = (parse(readFileSync(secretsFile, 'utf8')) as { encryption: { keys: Array<{ name: string; secret: string }> } }).encryption.keys;
    expect(key.map((k) => k.name)).toEqual(['key1']);
    expect(Buffer.from(key[0]!.secret, 'base64')).toHaveLength(32);
    const onNode = await host('cp1').rootExec('stat -c %a /etc/hobbykube/encryption/config.yaml && stat -c %a /etc/hobbykube/encryption && cat /etc/hobbykube/encryption/config.yaml');
    const [fileMode, dirMode, ...config] = onNode.stdout.split('\n');
    expect([fileMode, dirMode]).toEqual(['600', '700']);
    const providers = (parse(config.join('\n')) as any).resources[0].providers;
    expect(providers).toEqual([{ secretbox: { keys: [{ name: 'key1', secret: key[0]!.secret }] } }, { identity: {} }]);
    // The key never reaches the output or the log.
    const logs = readdirSync(join(spec.home, 'test', 'logs')).map((f) => readFileSync(join(spec.home, 'test', 'logs', f), 'utf8')).join('\n');
    for (const text of [first.stdout, first.stderr, logs]) expect(text).not.toContain(key[0]!.secret);
    // Every Secret in etcd (the workload's included) is stored encrypted with key1.
    const atRest = secretsAtRest();
    expect(Object.keys(atRest)).toContain('default/bot-env');
    for (const [name, stored] of Object.entries(atRest)) expect(stored, name).toBe('k8s:enc:secretbox:v1:key1');
  });

  it('a cluster that ran without encryption gets it, and its existing Secrets are rewritten encrypted', async () => {
    const cp = host('cp1');
    // As an earlier hobbykube left it: kube-apiserver without the flag, a Secret stored in the clear.
    const old = renderInitConfig({ nodeName: 'cp1', address: cp.address, kubernetesVersion: '1.37', clusterName: 'test', schedulable: false, memTotalMiB: 1970, resolvedStub: true });
    await cp.rootExec('cat >/tmp/old-init.yaml', old);
    expect((await cp.rootExec('kubeadm init phase control-plane apiserver --config /tmp/old-init.yaml')).code).toBe(0);
    await kubectl(cp, '-n kube-system delete configmap hobbykube-encryption');
    await kubectl(cp, '-n default create secret generic legacy --from-literal=password=hunter22');
    expect(secretsAtRest()['default/legacy']).toBe('identity');
    for (const h of bed.hosts) h.clearRecordings();

    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 240_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('turning on encryption at rest: kube-apiserver restarts with --encryption-provider-config=/etc/hobbykube/encryption/config.yaml');
    const lines = cp.recordings().map(line);
    expect(lines).toContain('kubeadm init phase control-plane apiserver --config /etc/hobbykube/kubeadm-init.yaml');
    expect(lines).toContain('kubeadm init phase upload-config kubeadm --config /etc/hobbykube/kubeadm-init.yaml');
    expect(lines.some((l) => l.endsWith('replace -f -'))).toBe(true);
    for (const [name, stored] of Object.entries(secretsAtRest())) expect(stored, name).toBe('k8s:enc:secretbox:v1:key1');
    // The kubeadm-config ConfigMap carries it, so a kubeadm upgrade keeps the flag.
    expect(await kubectl(cp, "-n kube-system get configmap kubeadm-config -o jsonpath='{.data.ClusterConfiguration}'")).toContain('encryption-provider-config');
  });

  it('a lost secrets file gets its key back from the control plane, never a new one', async () => {
    const secretsFile = join(spec.home, 'test', 'secrets.yaml');
    const before = parse(readFileSync(secretsFile, 'utf8')) as { encryption: unknown; workloads: unknown };
    writeFileSync(secretsFile, stringify({ workloads: before.workloads }), { mode: 0o600 });
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 240_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`Copied encryption key key1 from cp1 into ${secretsFile} (0600).`);
    expect((parse(readFileSync(secretsFile, 'utf8')) as { encryption: unknown }).encryption).toEqual(before.encryption);
    expect(r.stdout).toMatch(/Cluster is up\. 0 steps run/);
  });

  it('plan --out writes each node\'s ruleset (valid for the real nft) and the encryption config with its key redacted', () => {
    const out = mkdtempSync(join(tmpdir(), 'hk-plan-out-'));
    const r = runCli(['plan', '-f', spec.specPath, '--out', out], { env: spec.env, cwd: spec.dir, timeoutMs: 240_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const written = files(out);
    const key = (parse(readFileSync(join(spec.home, 'test', 'secrets.yaml'), 'utf8')) as any).encryption.keys[0].secret as string;
    for (const name of ['cp1', 'w1', 'w2']) {
      const ruleset = written.find((f) => f.startsWith(`${name}/`) && f.endsWith('-firewall/file_etc_hobbykube_firewall.nft'));
      expect(ruleset, `${name}'s ruleset`).toBeDefined();
      const text = readFileSync(join(out, ruleset!), 'utf8');
      expect(text).toContain('table inet hobbykube {');
      const check = spawnSync('unshare', ['--net', 'nft', '--check', '-f', join(out, ruleset!)], { encoding: 'utf8' });
      expect(check.stderr, `${name}'s ruleset passes nft --check`).toBe('');
      expect(check.status).toBe(0);
    }
    const enc = written.filter((f) => f.endsWith('file_etc_hobbykube_encryption_config.yaml'));
    expect(enc.length).toBeGreaterThan(0);
    for (const f of enc) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text).toContain('kind: EncryptionConfiguration');
      expect(text).toContain('secret: <redacted>');
      expect(text).not.toContain(key);
    }
    for (const f of written) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain(key);
  });

  it('reset removes every firewall: no table, no unit', async () => {
    const r = runCli(['reset', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 240_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("hobbykube's host firewall (nftables table inet hobbykube and the unit that loads it at boot)");
    for (const h of bed.hosts) {
      expect(await firewallLoaded(h), `${h.name} still has the table`).toBe(false);
      expect((await h.rootExec('test -e /etc/systemd/system/hobbykube-firewall.service')).code).not.toBe(0);
    }
  });
});

describe('preflight and pins on one sshd test host (doubles)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  beforeAll(async () => {
    // A kernel without WireGuard; its only address private (a provider's network).
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970, missingModules: ['wireguard'], interfaceAddresses: ['10.0.0.5/24'] }]);
    spec = writeBedSpec(bed);
  });
  afterAll(async () => bed?.stop());

  it('a kernel without the wireguard module stops apply before anything changes, saying what to do', () => {
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fail {2}the kernel \(\S+\) has no wireguard module \(modprobe --dry-run wireguard found none\)/);
    expect(r.stdout).toContain('set spec.network.privateNetwork: true instead');
    expect(r.stderr).toContain('cp1 is not ready (see above). Nothing was changed.');
  });

  it('with privateNetwork the pod network is VXLAN and needs no module; a signing key with another fingerprint is refused', () => {
    const doc = parse(readFileSync(spec.specPath, 'utf8'));
    doc.spec.network = { privateNetwork: true };
    writeFileSync(spec.specPath, stringify(doc));
    // pkgs.k8s.io serves a key that is not the Kubernetes project's.
    const h = bed.hosts[0]!;
    h.serveUrl('https://pkgs.k8s.io/core:/stable:/v1.37/deb/Release.key', readFileSync(join(import.meta.dirname, '../hosts/doubles/fake-armored-key.asc'), 'utf8'));
    const r = runCli(['apply', '-f', spec.specPath, '--yes'], { env: spec.env, cwd: spec.dir, timeoutMs: 240_000 });
    expect(r.stdout).not.toContain('wireguard');
    expect(r.stdout).toContain('Install the flannel pod network v0.28.9 (VXLAN, over the private network; pods in 10.244.0.0/16)');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pkgs\.k8s\.io's signing key: signing key fingerprint mismatch: expected DE15B14486CD377B9E876E1A234654DA9A296436, got [0-9A-F]{40}; not trusting it/);
    // The untrusted key never became a keyring, and nothing was installed from the repository.
    expect(h.recordings().some((x) => x.argv[0] === 'gpg' && x.argv.includes('--dearmor'))).toBe(false);
    expect(h.recordings().some((x) => x.argv[0] === 'apt-get' && x.argv.includes('kubeadm'))).toBe(false);
  });
});
