// doctor's machinery without hosts: the runner (parallel, time limits, a failed source is "could
// not check"), the report (grouped by node and area, worst first; text and JSON), the live view's
// lines, the parsers of its scripts, the scripts themselves (shellcheck), and --resolver.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLUSTER_QUERY_SCRIPT, logsScript, parseClusterQuery, parseSections } from '../../src/doctor/cluster-query.js';
import { liveLines } from '../../src/doctor/live.js';
import { NODE_PROBE_SCRIPT, parseNodeProbe } from '../../src/doctor/node-probe.js';
import { formatReport, groupResults, jsonReport, summaryLine, wrapHanging } from '../../src/doctor/report.js';
import { runChecks } from '../../src/doctor/run.js';
import { dnsLookupScript, logRequests } from '../../src/doctor/sources.js';
import { createDoctorStore } from '../../src/doctor/state.js';
import { SourceError, type CheckDefinition, type CheckResult } from '../../src/doctor/types.js';
import { resolverOption } from '../../src/cli/commands/doctor.js';
import { requires, shellcheckMissing } from '../support/requires.js';
import { pod, view } from './fixtures.js';

const NODES = [{ name: 'cp1', role: 'control-plane' }, { name: 'w1', role: 'worker' }, { name: 'w2', role: 'worker' }];

function result(id: string, status: CheckResult['status'], node?: string, area: CheckResult['area'] = 'node', title = id): CheckResult {
  const findings = status === 'ok' || status === 'running' || status === 'pending' ? [] : [{ severity: status, title: `${title} is wrong`, evidence: ['seen: x'], fix: 'do y' }];
  return { id, area, ...(node ? { node } : {}), title, status, summary: `${title} summary`, findings };
}

describe('runChecks', () => {
  const check = (id: string, run: () => Promise<{ summary: string; findings: [] }>, timeoutMs = 5000): CheckDefinition => ({ id, area: 'node', title: id, timeoutMs, run });

  it('runs every check at once: none waits for another to finish', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    const checks = ['a', 'b', 'c'].map((id) =>
      check(id, async () => {
        started.push(id);
        if (id === 'a') await gate;
        return { summary: id, findings: [] };
      }),
    );
    const done = runChecks(checks);
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b', 'c']); // b and c started while a still waits
    release();
    expect((await done).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
  });

  it('a check past its time limit ends as unknown and says so; a failed source gives its reason and fix', async () => {
    const updates: string[] = [];
    const results = await runChecks(
      [
        check('slow', () => new Promise(() => undefined), 50),
        check('source', () => Promise.reject(new SourceError('cp1 could not be reached over SSH', 'look at cp1'))),
      ],
      (r) => updates.push(`${r.id}:${r.status}`),
    );
    expect(results[0]).toMatchObject({ status: 'unknown', summary: 'not checked: the check "slow" did not answer within 0 s' });
    expect(results[1]!.findings[0]).toEqual({ severity: 'unknown', title: 'could not check: cp1 could not be reached over SSH', evidence: [], fix: 'look at cp1' });
    expect(updates.sort()).toEqual(['slow:running', 'slow:unknown', 'source:running', 'source:unknown']);
  });
});

describe('the report', () => {
  const results = [
    result('cp1/node/ssh', 'ok', 'cp1'),
    result('w1/node/ssh', 'ok', 'w1'),
    result('w1/memory/available', 'warning', 'w1', 'memory', 'Available memory'),
    result('w2/node/services', 'critical', 'w2', 'node', 'kubelet and containerd'),
    result('w2/dns/resolver', 'unknown', 'w2', 'dns', 'Resolver'),
    result('cluster/dns/lookup', 'ok', undefined, 'dns'),
    result('cluster/cluster/lock', 'warning', undefined, 'cluster', 'Lock'),
  ];

  it('groups by node (the cluster last on ties) and area, worst first', () => {
    const groups = groupResults(results, NODES);
    expect(groups.map((g) => `${g.key}:${g.status}`)).toEqual(['w2:critical', 'w1:warning', 'cluster:warning', 'cp1:ok']);
    expect(groups[0]!.areas.map((a) => `${a.area}:${a.status}`)).toEqual(['node:critical', 'dns:unknown']);
    expect(groups[1]!.areas.map((a) => a.area)).toEqual(['memory', 'node']);
  });

  it('plain text: findings with evidence and fix first, then every check, then the count; no control codes', () => {
    const text = formatReport({ cluster: 'source', startedAt: Date.parse('2026-11-28T12:00:00Z'), durationMs: 6200 }, results, NODES).join('\n');
    expect(text).toContain('hobbykube doctor: cluster source, 2026-11-28T12:00:00Z, 7 checks in 6.2 s');
    expect(text).toMatch(/^w2 \(worker\)\n {2}CRITICAL Node › kubelet and containerd: kubelet and containerd is wrong\n {11}seen: x\n {11}fix: do y$/m);
    expect(text.indexOf('w2 (worker)')).toBeLessThan(text.indexOf('w1 (worker)'));
    expect(text).toContain('    ok       Node › SSH login: cp1/node/ssh summary'.replace('SSH login', 'cp1/node/ssh'));
    expect(text).toMatch(/4 findings: 1 critical, 2 warnings, 1 not checked \(3 of 7 checks passed\)\.$/);
    expect(text).not.toMatch(/\u001B\[/);
    expect(summaryLine([result('a', 'ok')])).toBe('No findings: all 1 checks passed.');
  });

  it('wraps to a width with hanging indents, and never splits a word that fits', () => {
    expect(wrapHanging('           fix: on w1: sudo systemctl restart kubelet; then sudo journalctl -u kubelet -e shows why it stopped', 60, 16)).toEqual([
      '           fix: on w1: sudo systemctl restart kubelet; then',
      '                sudo journalctl -u kubelet -e shows why it',
      '                stopped',
    ]);
    expect(wrapHanging('short', 60, 4)).toEqual(['short']);
    expect(wrapHanging('x'.repeat(100), undefined, 4)).toEqual(['x'.repeat(100)]);
  });

  it('JSON: every check with its group, worst first, the counts and healthy', () => {
    const json = jsonReport({ cluster: 'source', startedAt: 0, durationMs: 1 }, results, NODES);
    expect(json.healthy).toBe(false);
    expect(json.findings).toEqual({ critical: 1, warning: 2, unknown: 1 });
    expect(json.checks[0]).toMatchObject({ group: 'w2', id: 'w2/node/services', status: 'critical' });
    expect(json.checks.map((c) => c.id)).toHaveLength(7);
    expect(jsonReport({ cluster: 's', startedAt: 0, durationMs: 1 }, [result('a', 'ok')], NODES).healthy).toBe(true);
  });
});

describe('the live view\'s lines', () => {
  const checks: CheckDefinition[] = ['cp1', 'w1'].flatMap((n) => ['ssh', 'disk'].map((c) => ({ id: `${n}/node/${c}`, area: 'node' as const, node: n, title: c, timeoutMs: 1, run: async () => ({ summary: '', findings: [] }) })));

  it('a finished group of passes is one line; running checks are one line per group; findings show their fix', () => {
    const store = createDoctorStore({ cluster: 'source', nodes: NODES, checks, now: () => 1000 });
    store.update(result('cp1/node/ssh', 'ok', 'cp1', 'node', 'ssh'));
    store.update(result('cp1/node/disk', 'ok', 'cp1', 'node', 'disk'));
    store.update(result('w1/node/ssh', 'running', 'w1', 'node', 'ssh'));
    store.update(result('w1/node/disk', 'critical', 'w1', 'node', 'disk'));
    const lines = liveLines(store.getState(), 24, 3500);
    expect(lines.map((l) => `${l.status ?? '-'} ${' '.repeat(l.indent)}${l.text}`)).toEqual([
      '- doctor: source · 3/4 checks done · 1 critical · 2.5 s · q stops',
      'critical w1 (worker)',
      'running   checking ssh',
      'critical   Node › disk: disk is wrong',
      '-       fix: do y',
      'ok cp1 (control-plane): 2 passed',
    ]);
  });

  it('more lines than the terminal has: the rest is counted', () => {
    const many: CheckDefinition[] = Array.from({ length: 30 }, (_, i) => ({ id: `w1/node/c${i}`, area: 'node', node: 'w1', title: `c${i}`, timeoutMs: 1, run: async () => ({ summary: '', findings: [] }) }));
    const store = createDoctorStore({ cluster: 'source', nodes: NODES, checks: many });
    for (const c of many) store.update({ ...result(c.id, 'warning', 'w1'), title: c.title });
    const lines = liveLines(store.getState(), 10, Date.now());
    expect(lines).toHaveLength(9);
    expect(lines[8]!.text).toMatch(/^… 54 more lines; the full report follows when the checks are done$/);
  });
});

describe('parsers', () => {
  it('the node probe: kubelet config, the resolv.conf it hands out, journal tails, swaps, RSS, certificates', () => {
    const text = [
      'hobbykube-doctor=1',
      '#kubelet-config',
      'apiVersion: kubelet.config.k8s.io/v1beta1',
      'kind: KubeletConfiguration',
      'failSwapOn: false',
      'memorySwap:',
      '  swapBehavior: LimitedSwap',
      'resolvConf: /etc/resolv.conf',
      '#end',
      'kubelet_resolv_conf=/etc/resolv.conf',
      'kubelet_nameserver=127.0.0.53',
      'unit.kubelet=inactive',
      '#journal kubelet',
      'Nov 28 10:00:01 w2 systemd[1]: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.',
      '#end',
      'unit.containerd=active',
      '#swaps',
      '/var/lib/hobbykube/swapfile               file\t\t983036\t\t10240\t\t-2',
      '#end',
      'fstab_swap=/var/lib/hobbykube/swapfile',
      'rss.pods=102400',
      'rss.kubelet=40960',
      'rss.containerd=30720',
      'rss.shims=20480',
      'rss.other=81920',
      'rss.process.kube-apiserver=245760',
      'rss.process.kube-controller=49152',
      'cert=/etc/kubernetes/pki/apiserver.crt|Nov 28 09:43:00 2027 GMT',
      'cert=/etc/kubernetes/pki/front-proxy-ca.crt|unreadable',
      'end=1',
    ].join('\n');
    const p = parseNodeProbe(text);
    expect(p.complete).toBe(true);
    expect(p.kubeletConfig).toMatchObject({ failSwapOn: false, memorySwap: { swapBehavior: 'LimitedSwap' } });
    expect(p.kubeletResolvConf).toEqual({ path: '/etc/resolv.conf', nameservers: ['127.0.0.53'], missing: false });
    expect(p.units.kubelet).toEqual({ state: 'inactive', journal: ['Nov 28 10:00:01 w2 systemd[1]: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.'] });
    expect(p.swaps).toEqual([{ file: '/var/lib/hobbykube/swapfile', type: 'file', sizeMiB: 960, usedMiB: 10 }]);
    expect(p.fstabSwap).toEqual(['/var/lib/hobbykube/swapfile']);
    expect(p.rss).toEqual({ pods: 100, kubelet: 40, containerd: 30, shims: 20, other: 80 });
    expect(p.processes).toEqual({ 'kube-apiserver': 240, 'kube-controller-manager': 48 });
    expect(p.certificates).toEqual([{ path: '/etc/kubernetes/pki/apiserver.crt', notAfter: new Date('2027-11-28T09:43:00Z') }, { path: '/etc/kubernetes/pki/front-proxy-ca.crt' }]);
    expect(parseNodeProbe('hobbykube-doctor=1\nunit.kubelet=active').complete).toBe(false);
  });

  it('the cluster query: each section on its own, a failing one named with its error', () => {
    const out = [
      '#section nodes 0',
      JSON.stringify({ kind: 'List', items: [{ kind: 'Node', metadata: { name: 'cp1' } }] }),
      '#section pods 1',
      'Error from server (Timeout): the server was unable to return a response in the time allotted',
      '#section workloads 0',
      JSON.stringify({ kind: 'List', items: [] }),
      '#section coredns 0',
      JSON.stringify({ kind: 'ConfigMap', data: { Corefile: '.:53 {\n forward . 1.1.1.1\n}' } }),
      '#section version 0',
      JSON.stringify({ clientVersion: {}, serverVersion: { gitVersion: 'v1.37.1' } }),
    ].join('\n');
    const v = parseClusterQuery(out);
    expect(v.nodes).toHaveLength(1);
    expect(v.pods).toEqual([]);
    expect(v.errors).toEqual({ pods: 'Error from server (Timeout): the server was unable to return a response in the time allotted' });
    expect(v.corefile).toContain('forward . 1.1.1.1');
    expect(v.serverVersion).toBe('v1.37.1');
    expect([...parseSections('#section log:default/a/b 0\nline 1\nline 2\n').entries()]).toEqual([['log:default/a/b', { exitCode: 0, text: 'line 1\nline 2' }]]);
  });

  it('asks for the previous log of a crashing container and the log of a failed pod, quoted', () => {
    const crash = pod({ name: 'blog-1', workload: 'blog', node: 'w1', statuses: [{ name: 'blog', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    const fine = pod({ name: 'bot-1', workload: 'bot', node: 'w1' });
    const requests = logRequests(view({ pods: [crash, fine] }));
    expect(requests).toEqual([{ key: 'default/blog-1/blog', namespace: 'default', pod: 'blog-1', container: 'blog', previous: true, tail: 15 }]);
    expect(logsScript(requests, true)).toContain("out=$(kq logs -n default blog-1 -c blog --previous --tail=15 2>&1)\nprintf '#section %s %s\\n%s\\n' log:default/blog-1/blog \"$?\" \"$out\"");
  });
});

describe('doctor\'s scripts', () => {
  const scripts: Array<[string, string]> = [
    ['node probe', NODE_PROBE_SCRIPT],
    ['cluster query', CLUSTER_QUERY_SCRIPT],
    ['logs', logsScript([{ key: 'default/blog-1/blog', namespace: 'default', pod: 'blog-1', container: 'blog', previous: true, tail: 15 }], true)],
    ['DNS lookup', dnsLookupScript('abc123')],
  ];

  it.each(scripts)('%s passes shellcheck', requires(shellcheckMissing()), (_name, text) => {
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: text, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the DNS lookup runs one short-lived pod per name under a fresh name, and annotates nothing', () => {
    const s = dnsLookupScript('abc123');
    expect(s).toContain('pod=hobbykube-doctor-abc123-$what');
    expect(s).toContain('--rm -i --restart=Never');
    expect(s).not.toContain('annotate');
    expect(s).not.toMatch(/delete pod/);
  });

  it('the node probe only reads: no command that changes a node', () => {
    expect(NODE_PROBE_SCRIPT).not.toMatch(/\b(systemctl (start|stop|restart|enable|disable)|swapon|swapoff|rm |mv |tee |sed -i|>\s*\/(etc|var))/);
  });
});

describe('--resolver', () => {
  it('takes an IP, IP:port, or [IPv6]:port, and refuses the rest naming what it got', () => {
    expect(resolverOption('1.1.1.1')).toBe('1.1.1.1');
    expect(resolverOption('127.0.0.1:5353')).toBe('127.0.0.1:5353');
    expect(resolverOption('[2606:4700::1111]:53')).toBe('[2606:4700::1111]:53');
    expect(resolverOption('2606:4700::1111')).toBe('2606:4700::1111');
    expect(resolverOption(undefined)).toBeUndefined();
    expect(() => resolverOption('dns.google')).toThrow('--resolver: got "dns.google", expected the IP address of a DNS server, optionally with a port (1.1.1.1, 127.0.0.1:5353, [2606:4700::1111]:53)');
    expect(() => resolverOption('1.1.1.1:99999')).toThrow('--resolver: got "1.1.1.1:99999"');
    expect(() => resolverOption('[1.1.1.1]:53')).toThrow('--resolver');
  });
});
