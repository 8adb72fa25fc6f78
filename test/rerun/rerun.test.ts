// Growing and changing a running cluster by rerunning hobbykube, on real sshd test hosts with
// recording doubles: a 2-node cluster made by apply, then add-worker (the old worker gets one
// step, its firewall letting the new one in, and nothing else), add-worker again (nothing
// changes), a workload change (the expected object diff and what apply sends), remove-worker
// (drain before reset, the remaining firewalls stop letting it in, spec updated, comments kept),
// and a worker reset behind hobbykube's back rejoining under the same name.
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { FIREWALL_CHANGES, firewallLoaded, isMutating, line, loadedPeers, type BedSpec } from '../install/support.js';
import { loadSpec } from '../../src/spec/file.js';
import { formatObjectDiff, objectDiff } from '../../src/wizard/object-diff.js';
import { acceptedLogins, editSpec, runCliAsync, writePartialSpec } from './support.js';

describe('rerun: add-worker, workload change, remove-worker on sshd test hosts', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  const cli = (...args: string[]) => runCliAsync([...args, '-f', spec.specPath], { env: spec.env, cwd: spec.dir });

  beforeAll(async () => {
    bed = await startHosts([
      { name: 'cp1', memTotalMb: 1970 },
      { name: 'w1', memTotalMb: 970, cpus: 1 },
      { name: 'w2', memTotalMb: 970, cpus: 1, os: 'debian-12' },
    ]);
    spec = writePartialSpec(bed, 2);
    editSpec(spec.specPath, (s) => {
      s.spec.workloads = [
        { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', memory: '64Mi' },
        { kind: 'cron', name: 'cleanup', schedule: '0 3 * * *', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'], memory: '32Mi' },
      ];
    }, ' my cluster: keep this comment');
    const first = await cli('apply', '--yes');
    expect(first.stderr).not.toContain('failed');
    expect(first.code, first.stdout + first.stderr).toBe(0);
  });
  afterAll(async () => bed?.stop());

  const [cpName, w1Name, w2Name] = ['cp1', 'w1', 'w2'];
  const host = (name: string) => bed.hosts.find((h) => h.name === name)!;

  it('add-worker joins only the new node: the existing worker gets one step, its firewall letting the new node in', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const w2 = host(w2Name);
    const addresses = (...names: string[]) => names.map((n) => host(n).address).sort();
    expect(await loadedPeers(host(w1Name))).toEqual(addresses(cpName, w1Name));
    const started = Date.now();
    const r = await cli('add-worker', '--name', w2Name, '--address', w2.address, '--user', bed.users.nopasswd, '--key', bed.keyPath, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`Added worker w2 (${w2.address})`);
    expect(r.stdout).toContain('The control plane and w2 are set up; w1 gets one step only: its host firewall lets w2 in (after a read-only check of its addresses).');
    expect(r.stdout).toContain('checking cp1, w2...');
    expect(r.stdout).toContain('Reading w1 for the firewall (read only: its addresses)...');
    // The plan says so: w1's one step.
    expect(r.stdout).toContain('Host firewall: let w2 in (the only step on w1 when adding a worker)');
    expect(r.stdout).toContain('Cluster is up.');

    // The old worker: its firewall's allowed nodes, and nothing else changed.
    expect(host(w1Name).recordings().filter(isMutating).map(line)).toEqual(FIREWALL_CHANGES);
    for (const n of [cpName, w1Name, w2Name]) expect(await loadedPeers(host(n)), `${n}'s allowed nodes`).toEqual(addresses(cpName, w1Name, w2Name));

    // The token was minted on the control plane during this add, then the new node joined with it.
    const cp = host(cpName).recordings();
    const mints = cp.filter((x) => line(x).startsWith('kubeadm token create'));
    expect(mints).toHaveLength(1);
    expect(mints[0]!.time).toBeGreaterThanOrEqual(started);
    const deleteStale = cp.find((x) => x.argv[0] === 'kubectl' && x.argv.includes('delete') && x.argv.includes('node') && x.argv.includes('w2'));
    expect(deleteStale, 'stale Node object removed before the join').toBeDefined();
    expect(deleteStale!.time).toBeLessThanOrEqual(mints[0]!.time);
    const join = w2.recordings().find((x) => x.argv[0] === 'kubeadm' && x.argv[1] === 'join')!;
    expect(join.time).toBeGreaterThan(mints[0]!.time);
    // Nothing but the join-related steps changed the control plane: no init, no reinstall.
    const cpChanges = cp.filter(isMutating).map(line);
    expect(cpChanges.some((l) => l.startsWith('kubeadm init') || l.startsWith('apt-get'))).toBe(false);

    const nodes = await host(cpName).rootExec('kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name');
    expect(nodes.stdout.trim().split('\n').sort()).toEqual(['node/cp1', 'node/w1', 'node/w2']);
    // The spec has the node, and the owner's comment survived.
    const text = readFileSync(spec.specPath, 'utf8');
    expect(text).toContain('# my cluster: keep this comment');
    expect(loadSpec(spec.specPath).spec.nodes.map((n) => n.name)).toEqual(['cp1', 'w1', 'w2']);
  });

  it('add-worker again for the joined node changes nothing: every step is skipped', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const before = readFileSync(spec.specPath, 'utf8');
    const w2 = host(w2Name);
    const r = await cli('add-worker', '--name', w2Name, '--address', w2.address, '--user', bed.users.nopasswd, '--key', bed.keyPath, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('w2 is already in');
    expect(r.stdout).toMatch(/Cluster is up\. 0 steps run, \d+ already done/);
    for (const h of bed.hosts) expect(h.recordings().filter(isMutating).map(line), `${h.name} received changes`).toEqual([]);
    expect(readFileSync(spec.specPath, 'utf8')).toBe(before);
  });

  it('add-worker refuses a clashing name or address, and a bad value, with the spec file\'s words', async () => {
    const before = readFileSync(spec.specPath, 'utf8');
    const clash = await cli('add-worker', '--name', 'w1', '--address', '127.0.0.250', '--yes');
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('new node w1.name: got "w1", expected a name not used by another node (spec.nodes[1] has it)');
    const sameAddress = await cli('add-worker', '--name', 'w9', '--address', host(w1Name).address, '--user', bed.users.nopasswd, '--yes');
    expect(sameAddress.code).toBe(2);
    expect(sameAddress.stderr).toContain(`expected an address and SSH port not used by another node`);
    const bad = await cli('add-worker', '--name', 'W_9', '--address', '10.0.0.300', '--port', 'x', '--yes');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a name of lower-case letters, digits and "-"');
    expect(bad.stderr).toContain('expected a port number from 1 to 65535');
    expect(bad.stderr).toContain('Nothing was changed.');
    expect(readFileSync(spec.specPath, 'utf8')).toBe(before);
  });

  it('a workload change produces the expected object diff, and apply sends exactly the new objects', async () => {
    const before = loadSpec(spec.specPath);
    editSpec(spec.specPath, (s) => {
      s.spec.workloads = [
        { kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.3', memory: '64Mi' },
        { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, memory: '128Mi' },
      ];
    });
    const after = loadSpec(spec.specPath);
    const diff = objectDiff(before, after);
    const text = formatObjectDiff(diff).join('\n');
    expect(diff.filter((c) => c.change === 'created').map((c) => `${c.kind}/${c.name}`)).toEqual(['Deployment/blog', 'Service/blog', 'ServiceAccount/blog']);
    expect(diff.filter((c) => c.change === 'changed').map((c) => `${c.kind}/${c.name}`)).toEqual(['Deployment/bot']);
    expect(diff.find((c) => c.name === 'bot')!.fields).toEqual(['spec.template.spec.containers[0].image']);
    expect(diff.filter((c) => c.change === 'removed').map((c) => `${c.kind}/${c.name}`)).toEqual(['CronJob/cleanup', 'ServiceAccount/cleanup']);
    expect(text).toContain('~ change  deployment/bot  (spec.template.spec.containers[0].image)');

    for (const h of bed.hosts) h.clearRecordings();
    const r = await cli('apply', '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const applied = host(cpName)
      .recordings()
      .filter((x) => x.argv[0] === 'kubectl' && x.argv.includes('apply') && x.argv.includes('--server-side'))
      .flatMap((x) => parseAllDocuments(x.stdin ?? '').map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: any }));
    const names = applied.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names).toContain('Deployment/blog');
    expect(names).toContain('Service/blog');
    expect(applied.find((o) => o.kind === 'Deployment' && o.metadata.name === 'bot')!.spec.template.spec.containers[0].image).toBe('ghcr.io/me/bot:1.3');
    expect(names).not.toContain('CronJob/cleanup');
    // Workers do not take part in a workload change.
    expect(host(w1Name).recordings().filter(isMutating)).toEqual([]);
  });

  it('remove-worker drains on the control plane before kubeadm reset on the node, then drops it from the spec', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const refused = await cli('remove-worker', '--name', w2Name);
    expect(refused.code).toBe(2); // no terminal, no --yes: asks nothing, changes nothing
    expect(refused.stdout).toContain('This removes w2 from cluster test');
    expect(refused.stdout).toContain('/etc/kubernetes (certificates, kubeconfigs, static pod manifests)');
    expect(host(w2Name).recordings()).toEqual([]);

    const r = await cli('remove-worker', '--name', w2Name, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const drain = host(cpName).recordings().find((x) => x.argv[0] === 'kubectl' && x.argv.includes('drain'))!;
    const del = host(cpName).recordings().find((x) => x.argv[0] === 'kubectl' && x.argv.includes('delete') && x.argv.includes('node'))!;
    const reset = host(w2Name).recordings().find((x) => line(x) === 'kubeadm reset -f')!;
    expect(drain.argv).toContain('w2');
    expect(del.time).toBeGreaterThanOrEqual(drain.time);
    expect(reset.time).toBeGreaterThan(drain.time);
    // The remaining nodes stop letting w2 in (after its reset); w2's own firewall is gone with it.
    expect(host(w1Name).recordings().filter(isMutating).map(line)).toEqual(FIREWALL_CHANGES);
    const reload = host(cpName).recordings().find((x) => line(x) === FIREWALL_CHANGES[0]);
    expect(reload!.time).toBeGreaterThan(reset.time);
    for (const n of [cpName, w1Name]) expect(await loadedPeers(host(n)), `${n}'s allowed nodes`).toEqual([host(cpName).address, host(w1Name).address].sort());
    expect(await firewallLoaded(host(w2Name))).toBe(false);
    expect(r.stdout).toContain("then every remaining node's host firewall stops letting w2 in (cp1, w1),");
    const nodes = await host(cpName).rootExec('kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes -o name');
    expect(nodes.stdout.trim().split('\n').sort()).toEqual(['node/cp1', 'node/w1']);
    const text = readFileSync(spec.specPath, 'utf8');
    expect(text).toContain('# my cluster: keep this comment');
    expect((parse(text) as any).spec.nodes.map((n: { name: string }) => n.name)).toEqual(['cp1', 'w1']);
    expect(r.stdout).toContain('Removed.');
  });

  it('a worker reset behind our back rejoins cleanly under the same name with add-worker', async () => {
    const w2 = host(w2Name);
    // w2 was removed above; add it back, then wipe it by hand (kubeadm reset on the machine).
    let r = await cli('add-worker', '--name', w2Name, '--address', w2.address, '--user', bed.users.nopasswd, '--key', bed.keyPath, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await w2.rootExec('kubeadm reset -f >/dev/null 2>&1');
    for (const h of bed.hosts) h.clearRecordings();
    r = await cli('add-worker', '--name', w2Name, '--address', w2.address, '--user', bed.users.nopasswd, '--key', bed.keyPath, '--yes');
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const joins = w2.recordings().filter((x) => x.argv[0] === 'kubeadm' && x.argv[1] === 'join');
    expect(joins).toHaveLength(1);
    const ready = await host(cpName).rootExec("kubectl --kubeconfig /etc/kubernetes/admin.conf get node w2 -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}'");
    expect(ready.stdout.trim()).toBe('True');
    // w1 already let w2 in: it was only read.
    expect(host(w1Name).recordings().filter(isMutating)).toEqual([]);
  });
});
