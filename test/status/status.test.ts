// `hobbykube status --once` and `hobbykube kubeconfig` against a cluster built by apply on real
// sshd test hosts: the snapshot's content and exit codes (all Ready: 0; a worker wiped with
// kubeadm reset behind our back: 1), status in a pipe without --once, and the kubeconfig file
// and merge (an unrelated context kept intact, a re-merge replacing only ours).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import type { BedSpec } from '../install/support.js';
import { editSpec, runCliAsync, writePartialSpec } from '../rerun/support.js';

const OTHER = `apiVersion: v1
kind: Config
# my work cluster
clusters:
- name: work
  cluster: {server: 'https://work.example.com:6443', certificate-authority-data: d29yaw==}
users:
- name: work-admin
  user: {token: work-token}
contexts:
- name: work
  context: {cluster: work, user: work-admin, namespace: team}
current-context: work
`;

describe('status --once and kubeconfig on sshd test hosts', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCliAsync([...args, '-f', spec.specPath], { env: { ...spec.env, ...env }, cwd: spec.dir });

  beforeAll(async () => {
    bed = await startHosts([{ name: 'cp1', memTotalMb: 1970 }, { name: 'w1', memTotalMb: 970, cpus: 1 }]);
    spec = writePartialSpec(bed, 2, { cluster: 'home' });
    editSpec(spec.specPath, (s) => {
      s.spec.workloads = [
        { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi' },
        { kind: 'cron', name: 'cleanup', schedule: '0 3 * * *', image: 'busybox:1.36', memory: '32Mi' },
      ];
    });
    const r = await cli(['apply', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
  afterAll(async () => bed?.stop());

  it('status --once: every node Ready with its memory and top processes, every workload available, exit 0', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const r = await cli(['status', '--once']);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^Cluster home, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
    expect(out).toMatch(/^cp1 +control-plane +Ready +v\d+\.\d+\.\d+ +\d+\/1970 MiB used, \d+ MiB available/m);
    expect(out).toMatch(/^w1 +worker +Ready +v\d+\.\d+\.\d+ +\d+\/970 MiB used/m);
    expect(out).toMatch(/^ +top: \S.* \(MiB\)$/m);
    expect(out).toMatch(/^bot +Deployment +1\/1 +1 +available$/m);
    expect(out).toMatch(/^cleanup +CronJob +0 act +- +ok, not run yet$/m);
    expect(out).toContain('All nodes Ready, all workloads available.');
    expect(out).not.toMatch(/\u001B\[/); // plain: no control codes
    // Read-only and small: three `kubectl get` and kubeadm's read-only certificate check on the control plane, nothing at all on the worker.
    const kc = 'kubectl --kubeconfig /etc/kubernetes/admin.conf get';
    // (The certificate check runs beside the kubectl queries: compared in sorted order.)
    expect(bed.hosts[0]!.recordings().map((x) => x.argv.join(' ')).sort()).toEqual(
      [
        `${kc} nodes -o json`,
        'kubeadm certs check-expiration',
        `${kc} deployments,statefulsets,cronjobs -n default -l app.kubernetes.io/managed-by=hobbykube -o json`,
        `${kc} pods -n default -l app.kubernetes.io/managed-by=hobbykube -o json`,
      ].sort(),
    );
    expect(bed.hosts[1]!.recordings()).toEqual([]);
  });

  it('status in a pipe without --once prints the same one snapshot', async () => {
    const r = await cli(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('All nodes Ready, all workloads available.');
  });

  it('kubeconfig writes the state directory\'s kubeconfig 0600 with entries named after the cluster, never to the terminal or the project folder', async () => {
    const r = await cli(['kubeconfig']);
    expect(r.code, r.stderr).toBe(0);
    const path = join(spec.home, 'home', 'kubeconfig');
    expect(r.stdout).toContain(`Wrote the admin kubeconfig of home to ${path} (mode 0600; it grants full control of the cluster, so it is kept in hobbykube's state directory, out of your project and its git history).`);
    expect(readdirSync(spec.dir).filter((f) => f.includes('kubeconfig'))).toEqual([]);
    expect(r.stdout).not.toContain('client-key-data');
    expect((statSync(path).mode & 0o777).toString(8)).toBe('600');
    const kc = parse(readFileSync(path, 'utf8'));
    expect(kc['current-context']).toBe('home');
    expect(kc.contexts).toEqual([{ name: 'home', context: { cluster: 'home', user: 'home' } }]);
    expect(kc.clusters[0].cluster.server).toBe(`https://${bed.hosts[0]!.address}:6443`);
    expect(kc.users[0].name).toBe('home');
    const out = join(spec.dir, 'sub', 'x.conf');
    const r2 = await cli(['kubeconfig', '--out', out]);
    expect(r2.code).toBe(0);
    expect((statSync(out).mode & 0o777).toString(8)).toBe('600');
    const both = await cli(['kubeconfig', '--out', out, '--merge']);
    expect(both.code).toBe(2);
  });

  it('kubeconfig --merge keeps an unrelated context intact, backs up, and a re-merge replaces only ours', async () => {
    const home = join(spec.dir, 'home-dir');
    mkdirSync(join(home, '.kube'), { recursive: true });
    const config = join(home, '.kube', 'config');
    writeFileSync(config, OTHER, { mode: 0o644 });
    const r = await cli(['kubeconfig', '--merge'], { HOME: home });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Added context home (cluster and user home) in ${config} (mode 0600); the previous file is kept as ${config}.hobbykube.bak.`);
    expect(r.stdout).toContain('The current context stays work; switch with: kubectl config use-context home');
    expect((statSync(config).mode & 0o777).toString(8)).toBe('600');
    expect(readFileSync(`${config}.hobbykube.bak`, 'utf8')).toBe(OTHER);
    const merged = readFileSync(config, 'utf8');
    expect(merged).toContain('# my work cluster');
    const kc = parse(merged);
    expect(kc['current-context']).toBe('work');
    expect(kc.contexts.map((c: { name: string }) => c.name)).toEqual(['work', 'home']);
    expect(kc.contexts[0]).toEqual({ name: 'work', context: { cluster: 'work', user: 'work-admin', namespace: 'team' } });
    expect(kc.users[0]).toEqual({ name: 'work-admin', user: { token: 'work-token' } });
    expect(kc.clusters.map((c: { name: string }) => c.name)).toEqual(['work', 'home']);

    // Re-merge after the admin credentials changed: only our entries are replaced.
    const changed = merged.replace(/client-certificate-data: \S+/, 'client-certificate-data: OLD');
    writeFileSync(config, changed);
    const again = await cli(['kubeconfig', '--merge'], { HOME: home });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Updated context home');
    const kc2 = parse(readFileSync(config, 'utf8'));
    expect(kc2.contexts.map((c: { name: string }) => c.name)).toEqual(['work', 'home']);
    expect(kc2.users).toHaveLength(2);
    expect(kc2.users[1].user['client-certificate-data']).not.toBe('OLD');
    expect(kc2.users[0]).toEqual({ name: 'work-admin', user: { token: 'work-token' } });

    // $KUBECONFIG's first path wins over ~/.kube/config.
    const first = join(spec.dir, 'first.yaml');
    const viaEnv = await cli(['kubeconfig', '--merge'], { HOME: home, KUBECONFIG: `${first}:${config}` });
    expect(viaEnv.code).toBe(0);
    expect(existsSync(first)).toBe(true);
    expect(parse(readFileSync(first, 'utf8'))['current-context']).toBe('home');
  });

  it('status --once exits 1 and names the node once a worker is wiped with kubeadm reset', async () => {
    await bed.hosts[1]!.rootExec('kubeadm reset -f >/dev/null 2>&1');
    const r = await cli(['status', '--once']);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/^w1 +worker +NotReady/m);
    expect(r.stdout).toContain('not ready: NodeStatusUnknown: Kubelet stopped posting node status.');
    expect(r.stdout).toMatch(/problems?:\n {2}- w1: NotReady \(NodeStatusUnknown/);
  });

  it('status --once exits 1 when a node cannot be reached', async () => {
    editSpec(spec.specPath, (s) => {
      s.spec.nodes[1].ssh.port = 2; // nothing listens there: connection refused
    });
    const r = await cli(['status', '--once']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^w1 +worker +\S+ +v\d+\.\d+\.\d+ +unreachable: /m);
    expect(r.stdout).toContain('- w1: unreachable:');
  });
});
