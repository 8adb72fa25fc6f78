// doctor's judgements, as pure functions of what the sources answered: each finding's severity,
// its evidence and its fix; and no finding when all is well.
import { describe, expect, it } from 'vitest';
import { judgeCertificates, judgeClocks, judgeJournal, judgeLock, judgeVersions } from '../../src/doctor/checks/cluster.js';
import { forwardTargets, judgeCoredns, judgeLookup, judgeResolver } from '../../src/doctor/checks/dns.js';
import { judgeCertificate, judgeDomainDns, judgePorts } from '../../src/doctor/checks/ingress.js';
import { capacityVerdict, judgeApiserver, judgeAvailable, judgeMemoryEvents, judgeOs, memoryEvents } from '../../src/doctor/checks/memory.js';
import { judgeDisk, judgePressure, judgeReady, judgeServices, judgeSsh, judgeSwap } from '../../src/doctor/checks/node.js';
import { judgeCron, judgeWorkload } from '../../src/doctor/checks/workloads.js';
import type { CertificateAnswer } from '../../src/doctor/outside.js';
import { SWAPFILE } from '../../src/install/render/swapfile.js';
import { SshError } from '../../src/ssh/types.js';
import type { CronWorkload } from '../../src/spec/types.js';
import { checkCapacity, capacityInput } from '../../src/workloads/capacity.js';
import { deployment, healthyFacts, iso, node, nodeJson, NOW, pod, probe, sample, sourceSpec, view } from './fixtures.js';

const id = (s: string) => s;

describe('node checks', () => {
  it('a changed host key is critical, names the pinned and presented keys, and gives the ssh-keygen -R command', () => {
    const f = judgeSsh(node('w1'), new SshError('w1', 'host-key-mismatch', 'host key of 203.0.113.11 has changed: pinned SHA256:old (ssh-ed25519), server now presents SHA256:new (ssh-ed25519). Refusing to connect: this is what a man-in-the-middle attack looks like. If the server was reinstalled on purpose, forget the old key with: ssh-keygen -R 203.0.113.11 -f /home/me/.hobbykube/source/known_hosts'));
    expect(f.severity).toBe('critical');
    expect(f.title).toBe('the host key of w1 changed: hobbykube refuses to connect');
    expect(f.evidence[0]).toContain('pinned SHA256:old (ssh-ed25519), server now presents SHA256:new');
    expect(f.fix).toContain('ssh-keygen -R 203.0.113.11 -f /home/me/.hobbykube/source/known_hosts');
  });

  it('a frozen host (handshake timeout), a refused port, a refused key and sudo each say what to do', () => {
    expect(judgeSsh(node('w2'), new SshError('w2', 'timeout', 'no SSH handshake with u@x:22 within 15 s'))).toMatchObject({ severity: 'critical', title: expect.stringContaining('does not answer SSH: frozen, out of memory') });
    expect(judgeSsh(node('w2'), new SshError('w2', 'refused', 'connection refused')).fix).toContain('systemctl start ssh');
    expect(judgeSsh(node('w2'), new SshError('w2', 'auth', 'rejected')).fix).toContain('ssh.keyPath');
    expect(judgeSsh(node('w2'), new SshError('w2', 'sudo', 'may not use sudo')).fix).toContain('HOBBYKUBE_SUDO_PASSWORD');
  });

  it('an unpinned host key is "could not check", never a pass, and says to rerun with --yes', () => {
    const f = judgeSsh(node('w1'), Object.assign(new Error('w1 (203.0.113.11) is new to this cluster: its ssh-ed25519 host key is SHA256:x.\n  Compare ...'), { name: 'CommandError' }));
    expect(f.severity).toBe('unknown');
    expect(f.fix).toContain('hobbykube doctor --yes');
  });

  it('kubelet inactive: critical with the journal lines; activating is a crash loop; containerd too', () => {
    const facts = healthyFacts({ tools: { kubelet: { path: '/usr/bin/kubelet' } }, services: { kubelet: 'inactive', containerd: 'active' } });
    const out = judgeServices('w2', facts, probe({ units: { kubelet: { state: 'inactive', journal: ['Nov 28 10:00:01 w2 systemd[1]: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.'] }, containerd: { state: 'active', journal: [] } } }), id);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ severity: 'critical', title: 'kubelet on w2 is inactive' });
    expect(out.findings[0]!.evidence).toContain('  Nov 28 10:00:01 w2 systemd[1]: Stopped kubelet.service - kubelet: The Kubernetes Node Agent.');
    expect(out.findings[0]!.fix).toBe('on w2: sudo systemctl restart kubelet; then sudo journalctl -u kubelet -e shows why it stopped');
    const loop = judgeServices('w2', healthyFacts({ tools: { kubelet: { path: '/usr/bin/kubelet' } }, services: { kubelet: 'activating', containerd: 'failed' } }), undefined, id);
    expect(loop.findings.map((f) => f.title)).toEqual(['containerd on w2 is failed', 'kubelet on w2 keeps restarting (it fails right after it starts)']);
    expect(judgeServices('w2', healthyFacts({ tools: { kubelet: { path: '/usr/bin/kubelet' } }, services: { kubelet: 'active', containerd: 'active' } }), undefined, id).findings).toEqual([]);
  });

  it('no Kubernetes on the node at all: apply is the fix', () => {
    expect(judgeServices('w2', healthyFacts(), undefined, id).findings[0]).toMatchObject({ severity: 'critical', fix: 'hobbykube apply' });
  });

  it('NotReady carries the condition\'s reason and message; a missing node and a cordoned one are named', () => {
    const v = view({ nodes: [nodeJson('cp1'), nodeJson('w1', { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' })] });
    const r = judgeReady(node('w1'), v, 'cp1');
    expect(r.findings[0]).toMatchObject({ severity: 'critical', title: 'w1 is NotReady: NodeStatusUnknown', evidence: ['Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.'] });
    expect(r.findings[0]!.fix).toContain('sudo systemctl restart kubelet');
    const runtime = judgeReady(node('w1'), view({ nodes: [nodeJson('w1', { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: '[container runtime is down, PLEG is not healthy]' })] }), 'cp1');
    expect(runtime.findings[0]!.fix).toBe('on w1: sudo systemctl restart containerd');
    expect(judgeReady(node('w2'), v, 'cp1').findings[0]).toMatchObject({ severity: 'critical', title: 'w2 is not a member of the cluster (never joined, or removed)', fix: expect.stringContaining('hobbykube apply') });
    const cordoned = view({ nodes: [{ ...nodeJson('w1'), spec: { unschedulable: true } }] });
    expect(judgeReady(node('w1'), cordoned, 'cp1').findings[0]).toMatchObject({ severity: 'warning', fix: 'on cp1: sudo kubectl --kubeconfig /etc/kubernetes/admin.conf uncordon w1' });
  });

  it('memory, disk and PID pressure are critical with the kubelet\'s message', () => {
    const v = view({ nodes: [nodeJson('w1', undefined, [{ type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }])] });
    // The fixture's own MemoryPressure=False comes first; the override is a second entry: the first wins, as the API has one per type.
    const n = v.nodes[0]!;
    (n.status as { conditions: unknown[] }).conditions = [{ type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }, { type: 'PIDPressure', status: 'True', reason: 'KubeletHasInsufficientPID' }, { type: 'Ready', status: 'True' }];
    const out = judgePressure(node('w1'), v);
    expect(out.findings.map((f) => f.title)).toEqual(['w1 is short of memory (MemoryPressure)', 'w1 is short of process ids (PIDPressure)']);
    expect(out.findings[0]!.evidence).toEqual(['MemoryPressure=True KubeletHasInsufficientMemory: kubelet has insufficient memory available']);
    expect(judgePressure(node('w2'), view()).findings).toEqual([]);
  });

  it('swap: a small worker whose swapfile is off is critical; one missing from fstab warns; a control plane with swap on and failSwapOn is flagged', () => {
    const small = healthyFacts({ memory: { totalMiB: 470, availableMiB: 380 } });
    const lsw = { failSwapOn: false, memorySwap: { swapBehavior: 'LimitedSwap' } };
    const off = judgeSwap(node('w1'), small, probe({ kubeletConfig: lsw, swaps: [], fstabSwap: [SWAPFILE] }));
    expect(off.findings[0]).toMatchObject({ severity: 'critical', fix: expect.stringContaining(`sudo swapon ${SWAPFILE}`) });
    expect(off.findings[0]!.evidence[0]).toBe('/proc/swaps: no swap');
    const notFstab = judgeSwap(node('w1'), small, probe({ kubeletConfig: lsw, swaps: [{ file: SWAPFILE, type: 'file', sizeMiB: 960, usedMiB: 3 }], fstabSwap: [] }));
    expect(notFstab.findings.map((f) => f.severity)).toEqual(['warning']);
    const good = judgeSwap(node('w1'), small, probe({ kubeletConfig: lsw, swaps: [{ file: SWAPFILE, type: 'file', sizeMiB: 960, usedMiB: 3 }], fstabSwap: [SWAPFILE] }));
    expect(good).toEqual({ summary: 'swapfile 960 MiB active (3 used), kubelet LimitedSwap', findings: [] });
    const cp = judgeSwap(node('cp1', 'control-plane'), healthyFacts({ memory: { totalMiB: 970 } }), probe({ swaps: [{ file: '/swap.img', type: 'file', sizeMiB: 1024, usedMiB: 0 }], fstabSwap: ['/swap.img'] }));
    expect(cp.findings[0]).toMatchObject({ severity: 'warning', title: expect.stringContaining('it will not start after its next restart'), fix: expect.stringContaining('sudo swapoff -a') });
  });

  it('disk: under 15% free warns, under 10% is critical, with the numbers', () => {
    expect(judgeDisk('w1', healthyFacts({ varDisk: { totalMiB: 10000, availableMiB: 1600, mount: '/' } })).findings).toEqual([]);
    expect(judgeDisk('w1', healthyFacts({ varDisk: { totalMiB: 10000, availableMiB: 1400, mount: '/' } })).findings[0]).toMatchObject({ severity: 'warning', evidence: ['df /var: 1400 MiB free of 10000 MiB on /'] });
    expect(judgeDisk('w1', healthyFacts({ varDisk: { totalMiB: 10000, availableMiB: 900, mount: '/' } })).findings[0]!.severity).toBe('critical');
  });
});

describe('DNS checks', () => {
  it('names the 127.0.0.53 trap when the kubelet hands pods the stub, and points at the real file', () => {
    const facts = healthyFacts({ dns: { resolver: 'systemd-stub', resolvConf: 'present', nameservers: ['127.0.0.53'], resolvConfLink: '../run/systemd/resolve/stub-resolv.conf', upstream: ['1.1.1.1'] }, services: { resolved: 'active' } });
    const out = judgeResolver(node('w1'), facts, probe({ kubeletResolvConf: { path: '/etc/resolv.conf', nameservers: ['127.0.0.53'], missing: false } }));
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]!.severity).toBe('critical');
    expect(out.findings[0]!.title).toBe("w1: pods get the 127.0.0.53 trap: 127.0.0.53 is systemd-resolved's stub on the node itself, which a pod cannot reach");
    expect(out.findings[0]!.evidence).toEqual([
      '/etc/resolv.conf (-> ../run/systemd/resolve/stub-resolv.conf): 127.0.0.53',
      'the kubelet gives pods /etc/resolv.conf: 127.0.0.53',
      "systemd-resolved's upstream servers: 1.1.1.1",
    ]);
    expect(out.findings[0]!.fix).toBe('on w1: set resolvConf: /run/systemd/resolve/resolv.conf in /var/lib/kubelet/config.yaml (the real upstream servers), then sudo systemctl restart kubelet');
  });

  it('a stub resolver whose systemd-resolved is down means the node resolves nothing', () => {
    const facts = healthyFacts({ dns: { resolver: 'systemd-stub', resolvConf: 'present', nameservers: ['127.0.0.53'], upstream: ['1.1.1.1'] }, services: { resolved: 'inactive' } });
    const out = judgeResolver(node('w1'), facts, probe());
    expect(out.findings.map((f) => f.fix)).toEqual(['on w1: sudo systemctl restart systemd-resolved']);
  });

  it('the usual Ubuntu setup passes: the node uses the stub, pods get resolved\'s upstream file', () => {
    const facts = healthyFacts({ dns: { resolver: 'systemd-stub', resolvConf: 'present', nameservers: ['127.0.0.53'], upstream: ['1.1.1.1'] }, services: { resolved: 'active' } });
    expect(judgeResolver(node('w1'), facts, probe()).findings).toEqual([]);
  });

  it('CoreDNS: no running pod is critical; a forward to 127.0.0.53 is the trap; a resolv.conf forward on a trapped node too; other servers than the spec warn', () => {
    const dnsPod = (ready: boolean) => pod({ name: 'coredns-abc', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, node: 'cp1', containers: [{ name: 'coredns', image: 'registry.k8s.io/coredns/coredns:v1.12.1' }], statuses: [{ name: 'coredns', ready, restartCount: ready ? 0 : 5, state: ready ? { running: {} } : { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } } }] });
    const spec = { upstream: ['1.1.1.1', '9.9.9.9'] };
    expect(judgeCoredns(view({ pods: [dnsPod(true)] }), spec, 'cp1', new Map()).findings).toEqual([]);
    const down = judgeCoredns(view({ pods: [dnsPod(false)] }), spec, 'cp1', new Map());
    expect(down.findings[0]).toMatchObject({ severity: 'critical', title: 'no CoreDNS pod is running: pods resolve nothing', evidence: ['coredns-abc on cp1: CrashLoopBackOff: back-off'] });
    const loop = judgeCoredns(view({ pods: [dnsPod(true)], corefile: '.:53 {\n  forward . 127.0.0.53\n}' }), spec, 'cp1', new Map());
    expect(loop.findings[0]!.title).toContain('the 127.0.0.53 trap');
    const file = judgeCoredns(view({ pods: [dnsPod(true)], corefile: '.:53 {\n  forward . /etc/resolv.conf {\n max_concurrent 1000\n }\n}' }), spec, 'cp1', new Map([['cp1', probe({ kubeletResolvConf: { path: '/etc/resolv.conf', nameservers: ['127.0.0.53'], missing: false } })]]));
    expect(file.findings[0]).toMatchObject({ severity: 'critical', title: expect.stringContaining('on cp1 is the 127.0.0.53 trap') });
    const other = judgeCoredns(view({ pods: [dnsPod(true)], corefile: '.:53 {\n  forward . 8.8.8.8\n}' }), spec, 'cp1', new Map());
    expect(other.findings[0]).toMatchObject({ severity: 'warning', fix: 'hobbykube apply (puts your upstream servers back)' });
    expect(forwardTargets('.:53 {\n    forward . 1.1.1.1 9.9.9.9 {\n      max_concurrent 1000\n    }\n}')).toEqual(['1.1.1.1', '9.9.9.9']);
  });

  it('lookups from a pod: outside names failing is critical with the install\'s own explanation', () => {
    const ok = judgeLookup({ internal: true, external: true, nameserver: '10.96.0.10', explanation: '', log: '' }, id);
    expect(ok.findings).toEqual([]);
    const bad = judgeLookup({ internal: true, external: false, explanation: 'Cluster names resolve but outside names do not: CoreDNS cannot reach 1.1.1.1.', log: 'hobbykube-dns internal ok kubernetes.default.svc.cluster.local\nhobbykube-dns external failed kubernetes.io.\n;; connection timed out; no servers could be reached' }, id);
    expect(bad.findings[0]).toMatchObject({ severity: 'critical', title: 'pods resolve cluster names but not outside names', fix: 'Cluster names resolve but outside names do not: CoreDNS cannot reach 1.1.1.1.' });
    expect(bad.findings[0]!.evidence).toContain(';; connection timed out; no servers could be reached');
    const silent = judgeLookup({ internal: false, external: false, explanation: 'The check pod never reported: it may not have been scheduled ...', log: 'error: timed out waiting for the condition' }, id);
    expect(silent.findings[0]).toMatchObject({ severity: 'unknown', title: 'could not check: the lookup pod never reported', evidence: ['error: timed out waiting for the condition'] });
  });
});

describe('memory checks', () => {
  it('MemAvailable staying under the eviction threshold + margin is critical, with the top processes; one good sample clears it', () => {
    const top = [{ name: 'mysqld', rssMiB: 180, count: 1 }, { name: 'kubelet', rssMiB: 40, count: 1 }];
    const low = judgeAvailable(node('w1'), [sample(470, 40, top), sample(470, 45, top), sample(470, 41, top)]);
    expect(low.findings[0]!.severity).toBe('critical');
    expect(low.findings[0]!.title).toBe('w1 stays under 52 MiB available: the kubelet is about to evict pods (or already does)');
    expect(low.findings[0]!.evidence).toContain('biggest processes (MiB): mysqld 180, kubelet 40');
    expect(low.findings[0]!.evidence[1]).toBe("the kubelet evicts below 20 MiB; doctor's alarm: under 52 MiB (eviction + margin), low under 72 MiB");
    expect(judgeAvailable(node('w1'), [sample(470, 40), sample(470, 140), sample(470, 41)]).findings).toEqual([]);
    expect(judgeAvailable(node('w1'), [sample(470, 60), sample(470, 65), sample(470, 70)]).findings[0]!.severity).toBe('warning');
  });

  it("the OS's share on a small node: used minus Kubernetes' RSS over 80 + 40 MiB warns; a standard node is not judged", () => {
    const p = probe({ rss: { pods: 120, kubelet: 40, containerd: 30, shims: 20, other: 0 } });
    expect(judgeOs(node('w1'), [sample(470, 200)], p)!.findings).toEqual([]); // used 270 - 210 = 60
    const over = judgeOs(node('w1'), [sample(470, 100)], p)!; // used 370 - 210 = 160
    expect(over.findings[0]!.title).toContain('uses about 160 MiB, more than the 80 MiB reserved');
    expect(judgeOs(node('w1'), [sample(4096, 100)], p)).toBeUndefined();
  });

  it('kube-apiserver: over its request x 1.25 warns; not running while the cluster is silent is critical', () => {
    expect(judgeApiserver(node('cp1', 'control-plane'), probe({ processes: { 'kube-apiserver': 250 } }), 970, true).findings).toEqual([]);
    const big = judgeApiserver(node('cp1', 'control-plane'), probe({ processes: { 'kube-apiserver': 420, etcd: 60 } }), 970, true);
    expect(big.findings[0]).toMatchObject({ severity: 'warning', title: 'kube-apiserver uses 420 MiB on cp1, well over the 240 MiB planned for it' });
    expect(judgeApiserver(node('cp1', 'control-plane'), probe({ processes: {} }), 970, false).findings[0]!.severity).toBe('critical');
  });

  it('OOM kills and evictions of the last 24 h, with the limit and the capacity check\'s verdict for the node', () => {
    const spec = sourceSpec();
    const oom = pod({ name: 'blog-7d-x', workload: 'blog', node: 'w1', containers: [{ name: 'blog', image: 'ghcr.io/me/blog:3', resources: { limits: { memory: '192Mi' } } }], statuses: [{ name: 'blog', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: iso(NOW - 3_600_000) } } }] });
    const old = pod({ name: 'chatbot-1', workload: 'chatbot', node: 'w2', statuses: [{ name: 'main', ready: true, restartCount: 1, state: { running: {} }, lastState: { terminated: { reason: 'OOMKilled', exitCode: 137, finishedAt: iso(NOW - 2 * 86_400_000) } } }] });
    const evicted = pod({ name: 'mysql-ev', workload: 'mysql', node: 'w2', phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.', conditions: [{ type: 'DisruptionTarget', status: 'True', lastTransitionTime: iso(NOW - 7_200_000) }] });
    const v = view({ pods: [oom, old, evicted] });
    expect(memoryEvents(v, NOW).map((e) => `${e.kind} ${e.pod.name}`)).toEqual(['OOMKilled blog-7d-x', 'Evicted mysql-ev']);
    const facts = new Map([['cp1', healthyFacts({ memory: { totalMiB: 970 } })], ['w1', healthyFacts({ memory: { totalMiB: 470 } })], ['w2', healthyFacts({ memory: { totalMiB: 470 } })]]);
    const report = checkCapacity(capacityInput(spec, facts));
    const out = judgeMemoryEvents(spec, v, NOW, { report });
    expect(out.findings.map((f) => f.title)).toEqual(['blog was killed for going over its memory limit once in the last 24 h', 'mysql was evicted once in the last 24 h: its node ran short of memory']);
    expect(out.findings[0]!.evidence[0]).toBe('2026-11-28T11:00Z default/blog-7d-x container blog OOMKilled (limit 192Mi, 2 restarts) on w1');
    expect(out.findings[0]!.evidence[1]).toMatch(/^capacity check for w1: \d+ of \d+ MiB allocatable requested \(\d+ free\), every pod at its limit: \d+ MiB spare; fits$/);
    expect(out.findings[0]!.fix).toBe('raise memory of blog in hobbykube.yaml (now 192Mi) and run hobbykube apply (its capacity check says whether it still fits)');
    expect(capacityVerdict(undefined, 'w1', 'memory of w2 is unknown (no facts)')).toBe('capacity check: not available (memory of w2 is unknown (no facts))');
  });
});

describe('workload checks', () => {
  const spec = sourceSpec();
  const blog = spec.spec.workloads.find((w) => w.name === 'blog')!;
  const base = { cp: 'cp1', redact: id };

  it('available: no finding', () => {
    const v = view({ workloads: [deployment('blog', true)], pods: [pod({ name: 'blog-1', workload: 'blog', node: 'w1' })] });
    expect(judgeWorkload({ ...base, workload: blog, view: v })).toEqual({ summary: 'Deployment 1/1 ready', findings: [] });
  });

  it('an image that cannot be pulled is named with the registry\'s answer', () => {
    const p = pod({ name: 'blog-1', workload: 'blog', node: 'w1', phase: 'Pending', containers: [{ name: 'blog', image: 'ghcr.io/me/blog:9' }], statuses: [{ name: 'blog', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/me/blog:9": ErrImagePull: ... not found' } } }] });
    const out = judgeWorkload({ ...base, workload: blog, view: view({ workloads: [deployment('blog', false)], pods: [p] }) });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({ severity: 'critical', title: 'blog: the image ghcr.io/me/blog:9 cannot be pulled' });
    expect(out.findings[0]!.evidence).toEqual(['blog-1 (w1): ImagePullBackOff', 'Back-off pulling image "ghcr.io/me/blog:9": ErrImagePull: ... not found']);
  });

  it('a crash loop shows the last log lines of the previous run (redacted) and the exit code', () => {
    const p = pod({ name: 'blog-1', workload: 'blog', node: 'w1', statuses: [{ name: 'blog', ready: false, restartCount: 6, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: iso(NOW - 60_000) } } }] });
    const logs = { requests: [], sections: new Map([['default/blog-1/blog', { exitCode: 0, text: 'booting\nDATABASE_PASSWORD=hunter22 rejected\nexit' }]]) };
    const out = judgeWorkload({ ...base, redact: (s) => s.replace('hunter22', '[redacted]'), workload: blog, view: view({ workloads: [deployment('blog', false)], pods: [p] }), logs });
    expect(out.findings[0]!.title).toBe('blog keeps crashing (6 restarts)');
    expect(out.findings[0]!.evidence).toEqual(['blog-1 on w1: CrashLoopBackOff; last exit: Error, code 1 at 2026-11-28T11:59Z', 'its last log lines:', '  booting', '  DATABASE_PASSWORD=[redacted] rejected', '  exit']);
  });

  it('Pending with the scheduler\'s reason (Insufficient memory) and the capacity verdict', () => {
    const p = pod({ name: 'blog-1', workload: 'blog', phase: 'Pending', statuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory.' }] });
    const out = judgeWorkload({ ...base, workload: blog, view: view({ workloads: [deployment('blog', false)], pods: [p] }), capacity: () => 'capacity check for w1: ... does not fit' });
    expect(out.findings[0]).toMatchObject({ severity: 'critical', title: 'blog cannot be placed on any node: not enough memory' });
    expect(out.findings[0]!.evidence).toContain('scheduler: 0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory.');
    expect(out.findings[0]!.fix).toContain('hobbykube add-worker');
  });

  it('a workload of the spec missing from the cluster: apply', () => {
    expect(judgeWorkload({ ...base, workload: blog, view: view() }).findings[0]).toMatchObject({ severity: 'warning', fix: 'hobbykube apply' });
  });

  it('CronJobs: the last run failed; never ran although due; not due yet is fine', () => {
    const renew = spec.spec.workloads.find((w) => w.name === 'renew') as CronWorkload;
    const cron = { kind: 'CronJob', metadata: { name: 'renew', namespace: 'default', creationTimestamp: iso(NOW - 3 * 86_400_000) }, spec: { schedule: '0 4 * * *' }, status: { lastScheduleTime: iso(NOW - 8 * 3_600_000) } };
    const job = { kind: 'Job', metadata: { name: 'renew-29933760', namespace: 'default', creationTimestamp: iso(NOW - 8 * 3_600_000), ownerReferences: [{ kind: 'CronJob', name: 'renew' }] }, status: { startTime: iso(NOW - 8 * 3_600_000), failed: 3, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } };
    const failed = judgeCron({ ...base, workload: renew, view: view({ workloads: [cron, job] }), now: NOW });
    expect(failed.findings[0]).toMatchObject({ severity: 'warning', title: 'the last run of renew failed' });
    expect(failed.findings[0]!.evidence[0]).toBe('job renew-29933760 started 2026-11-28T04:00Z: BackoffLimitExceeded (Job has reached the specified backoff limit)');
    expect(failed.findings[0]!.fix).toContain('create job renew-manual --from=cronjob/renew');
    const never = judgeCron({ ...base, workload: renew, view: view({ workloads: [{ ...cron, status: {} }] }), now: NOW });
    expect(never.findings[0]!.title).toBe('renew never ran, though it was due at 2026-11-26T04:00Z');
    const fresh = judgeCron({ ...base, workload: renew, view: view({ workloads: [{ ...cron, metadata: { ...cron.metadata, creationTimestamp: iso(NOW - 3_600_000) }, status: {} }] }), now: NOW });
    expect(fresh.findings).toEqual([]);
    expect(fresh.summary).toBe('not run yet, next 2026-11-29T04:00Z');
  });
});

describe('ingress and TLS checks', () => {
  const spec = sourceSpec();
  const cert = (over: Partial<Extract<CertificateAnswer, { ok: true }>['certificate']> = {}): CertificateAnswer => ({
    ok: true,
    certificate: { subject: 'CN=blog.example.com', commonName: 'blog.example.com', issuer: "C=US, O=Let's Encrypt, CN=R11", issuerName: "Let's Encrypt R11", validFrom: new Date(NOW - 30 * 86_400_000), validTo: new Date(NOW + 60 * 86_400_000), names: ['blog.example.com'], trusted: true, ...over },
  });
  const acme = ['2026-11-28T11:00:00Z ERR Unable to obtain ACME certificate for domains error="unable to generate a certificate for the domains [blog.example.com]: error: one or more domains had a problem:\\n[blog.example.com] acme: error: 403 :: urn:ietf:params:acme:error:unauthorized :: Invalid response from http://blog.example.com/.well-known/acme-challenge/x: 404" domains=["blog.example.com"] providerName=letsencrypt.acme'];

  it('a valid certificate passes; expiring in a week is critical with the last ACME error; Traefik\'s default certificate says none was obtained', () => {
    expect(judgeCertificate(spec, 'blog.example.com', cert(), acme, NOW, id).findings).toEqual([]);
    const soon = judgeCertificate(spec, 'blog.example.com', cert({ validTo: new Date(NOW + 5 * 86_400_000) }), acme, NOW, id);
    expect(soon.findings[0]).toMatchObject({ severity: 'critical', title: "blog.example.com's certificate expires in 5 days: Traefik should have renewed it (it renews 30 days before)" });
    expect(soon.findings[0]!.evidence).toContain(`  ${acme[0]}`);
    expect(judgeCertificate(spec, 'blog.example.com', cert({ validTo: new Date(NOW + 15 * 86_400_000) }), [], NOW, id).findings[0]!.severity).toBe('warning');
    const none = judgeCertificate(spec, 'blog.example.com', cert({ commonName: 'TRAEFIK DEFAULT CERT', subject: 'CN=TRAEFIK DEFAULT CERT', issuer: 'CN=TRAEFIK DEFAULT CERT', names: ['e4a6b5c1.traefik.default'], trusted: false, trustError: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), acme, NOW, id);
    expect(none.findings[0]!.title).toBe("blog.example.com has no certificate from Let's Encrypt: Traefik serves its own default one (browsers refuse it)");
    expect(none.findings[0]!.fix).toContain('/.well-known/acme-challenge/');
    expect(judgeCertificate(spec, 'blog.example.com', cert({ validTo: new Date(NOW - 86_400_000), trusted: false, trustError: 'CERT_HAS_EXPIRED' }), [], NOW, id).findings[0]!.title).toBe("blog.example.com's certificate expired 1 day ago");
    expect(judgeCertificate(spec, 'blog.example.com', cert({ names: ['other.example.com'] }), [], NOW, id).findings[0]!.title).toBe('the certificate served for blog.example.com is for other.example.com');
    expect(judgeCertificate(spec, 'blog.example.com', { ok: false, error: 'ECONNREFUSED' }, [], NOW, id).findings[0]!.severity).toBe('unknown');
  });

  it('a domain without an A record, or pointing elsewhere, is critical; a resolver that cannot answer is "could not check"', () => {
    expect(judgeDomainDns('blog.example.com', 'w1', ['203.0.113.11'], { ok: true, addresses: ['203.0.113.11'] }).findings).toEqual([]);
    expect(judgeDomainDns('blog.example.com', 'w1', ['203.0.113.11'], { ok: true, addresses: ['198.51.100.7'] }).findings[0]).toMatchObject({ severity: 'critical', title: 'blog.example.com points at 198.51.100.7, not at the ingress node w1 (203.0.113.11)', fix: 'set the A record of blog.example.com to 203.0.113.11 at your DNS provider (and remove 198.51.100.7)' });
    expect(judgeDomainDns('blog.example.com', 'w1', ['203.0.113.11'], { ok: false, missing: true, error: 'ENOTFOUND' }).findings[0]!.title).toContain('has no A record');
    expect(judgeDomainDns('blog.example.com', 'w1', ['203.0.113.11'], { ok: false, missing: false, error: 'ETIMEOUT' }).findings[0]).toMatchObject({ severity: 'unknown', title: "could not check blog.example.com's A record from this computer: ETIMEOUT" });
  });

  it('ports closed while Traefik runs: the provider\'s firewall; closed with Traefik down: Traefik', () => {
    const traefik = (ready: boolean) => pod({ name: 'traefik-1', namespace: 'traefik', labels: { 'app.kubernetes.io/name': 'traefik' }, node: 'w1', statuses: [{ name: 'traefik', ready, restartCount: 0, state: ready ? { running: {} } : { waiting: { reason: 'CrashLoopBackOff' } } }] });
    const closed = { port80: { open: false, error: 'ECONNREFUSED' }, port443: { open: false, error: 'ECONNREFUSED' } };
    expect(judgePorts('w1', '203.0.113.11', closed, view({ pods: [traefik(true)] }), 'cp1').findings[0]!.fix).toContain("in your provider's firewall");
    expect(judgePorts('w1', '203.0.113.11', closed, view({ pods: [traefik(false)] }), 'cp1').findings[0]!.fix).toContain('Traefik must run on w1');
    expect(judgePorts('w1', '203.0.113.11', { port80: { open: true }, port443: { open: true } }, undefined, 'cp1').findings).toEqual([]);
  });
});

describe('cluster checks', () => {
  it('control-plane certificates: expiring within 30 days warns, expired is critical, unreadable is "could not check"', () => {
    const at = (days: number) => new Date(NOW + days * 86_400_000);
    expect(judgeCertificates('cp1', probe({ certificates: [{ path: '/etc/kubernetes/pki/apiserver.crt', notAfter: at(300) }] }), NOW).findings).toEqual([]);
    const soon = judgeCertificates('cp1', probe({ certificates: [{ path: '/etc/kubernetes/pki/apiserver.crt', notAfter: at(10) }, { path: '/etc/kubernetes/pki/ca.crt', notAfter: at(3000) }] }), NOW);
    expect(soon.findings[0]).toMatchObject({ severity: 'warning', title: 'control-plane certificates expire in 10 days', evidence: ['apiserver.crt: expires 2026-12-08T12:00Z (10 days)'] });
    expect(soon.findings[0]!.fix).toContain('sudo kubeadm certs renew all');
    expect(judgeCertificates('cp1', probe({ certificates: [{ path: '/etc/kubernetes/pki/apiserver.crt', notAfter: at(-2) }] }), NOW).findings[0]!.severity).toBe('critical');
    expect(judgeCertificates('cp1', probe({ opensslMissing: true }), NOW).findings[0]!.severity).toBe('unknown');
  });

  it('versions: a kubelet behind the API server (an upgrade stopped half-way) warns, a newer one is critical, the spec\'s version is compared', () => {
    const spec = sourceSpec();
    expect(judgeVersions(spec, view()).findings).toEqual([]);
    const half = judgeVersions(spec, view({ nodes: [nodeJson('cp1'), nodeJson('w1', undefined, [], 'v1.36.4')] }));
    expect(half.findings[0]).toMatchObject({ severity: 'warning', title: 'the kubelet on w1 (v1.36.4) is behind the API server (v1.37.1): an upgrade stopped half-way?' });
    expect(judgeVersions(spec, view({ nodes: [nodeJson('w1', undefined, [], 'v1.38.0')] })).findings[0]!.severity).toBe('critical');
    expect(judgeVersions({ ...spec, spec: { ...spec.spec, kubernetesVersion: '1.38' } }, view()).findings[0]!.title).toBe('the cluster runs v1.37.1 but hobbykube.yaml says 1.38');
  });

  it('clocks more than 2 s apart warn and name the node that is off', () => {
    const f = (skewMs: number) => healthyFacts({ clock: { skewMs } });
    expect(judgeClocks(new Map([['cp1', f(100)], ['w1', f(900)], ['w2', f(-300)]])).findings).toEqual([]);
    const off = judgeClocks(new Map([['cp1', f(100)], ['w1', f(5200)], ['w2', f(-300)]]));
    expect(off.findings[0]).toMatchObject({ severity: 'warning', evidence: ['against this computer: cp1 +0.1 s, w1 +5.2 s, w2 -0.3 s'] });
    expect(off.findings[0]!.fix).toMatch(/^on w1: sudo timedatectl set-ntp true/);
  });

  it('the journal: a failed step in the last run is a half-finished apply; an interrupted one too, unless it still runs', () => {
    const e = (step: string, outcome: 'started' | 'done' | 'failed' | 'blocked', extra = {}) => ({ time: '2026-11-28T10:00:00.000Z', run: '2026-11-28T10:00:00.000Z', step, node: step.split('/')[0]!, outcome, ...extra });
    expect(judgeJournal([e('cp1/init', 'started'), e('cp1/init', 'done')], { state: 'free' }).findings).toEqual([]);
    const failed = judgeJournal([e('w1/join', 'started'), e('w1/join', 'failed', { exitCode: 1, message: 'token expired' }), e('w1/ready', 'blocked')], { state: 'free' });
    expect(failed.findings[0]).toMatchObject({ severity: 'warning', fix: 'hobbykube apply (it resumes: finished steps are checked and skipped)' });
    expect(failed.findings[0]!.evidence).toEqual(['w1/join on w1 failed (exit code 1): token expired', '1 step did not run because of it']);
    const cut = judgeJournal([e('w1/join', 'started')], { state: 'free' });
    expect(cut.findings[0]!.title).toContain('was interrupted half-way');
    expect(judgeJournal([e('w1/join', 'started')], { state: 'held', owner: { pid: 42, host: 'h', since: 's', command: 'apply' } }).findings).toEqual([]);
  });

  it('the lock: stale, torn, held elsewhere and held now are each named with what to do', () => {
    const owner = { pid: 4242, host: 'laptop', since: '2026-11-28T09:00:00.000Z', command: 'apply' };
    expect(judgeLock({ state: 'free' }, '/s/apply.lock').findings).toEqual([]);
    expect(judgeLock({ state: 'stale', owner }, '/s/apply.lock').findings[0]).toMatchObject({ severity: 'warning', title: 'a stale lock: hobbykube apply (pid 4242) ended without removing it', fix: 'hobbykube apply clears it by itself (or: rm /s/apply.lock)' });
    expect(judgeLock({ state: 'torn' }, '/s/apply.lock').findings[0]!.severity).toBe('warning');
    expect(judgeLock({ state: 'elsewhere', owner }, '/s/apply.lock').findings[0]!.fix).toBe('if no hobbykube runs on laptop: rm /s/apply.lock');
    expect(judgeLock({ state: 'held', owner }, '/s/apply.lock').findings[0]!.title).toContain('is changing the cluster right now');
  });
});
