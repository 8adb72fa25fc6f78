// `hobbykube doctor` against the source document's cluster, installed by apply on real sshd test
// hosts (970/470/470 MiB; apt-get, kubeadm, kubectl, systemctl, journalctl ... are recording
// doubles). The owner's side is real: A records from a DNS server on loopback (--resolver), ports
// 80/443 and certificates from listeners on the ingress host's address standing in for Traefik,
// certificates made by openssl and trusted through NODE_EXTRA_CA_CERTS. Each fault is provoked
// for real on the bed, named by doctor with evidence and fix, then undone.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed } from '../hosts/harness.js';
import { editSpec } from '../rerun/support.js';
import { CLI_TIMEOUT_MS, runCliAsync } from '../support/cli.js';
import { shortCert, startDnsServer, startIngress, TestCa, traefikDefaultCert, type DnsServer, type IngressStandIn } from '../support/outside.js';
import { hostsMissing, requires } from '../support/requires.js';
import type { BedSpec } from '../install/support.js';
import { editNode, editObject, readOnlyCall, setBehaviour, setMissingImages, writeSourceSpec } from './support.js';

const DOMAIN = 'blog.example.com';
const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

interface Check {
  id: string;
  status: string;
  summary: string;
  findings: Array<{ severity: string; title: string; evidence: string[]; fix?: string }>;
}

describe('hobbykube doctor on the source cluster on sshd test hosts (recording doubles, loopback DNS and TLS)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let spec: BedSpec;
  let dns: DnsServer;
  let ca: TestCa;
  let ingress: IngressStandIn;
  const cp1 = () => bed.hosts[0]!;
  const w1 = () => bed.hosts[1]!;
  const w2 = () => bed.hosts[2]!;
  const env = () => ({ ...spec.env, NODE_EXTRA_CA_CERTS: ca.certPath });
  const doctor = (args: string[] = []) => runCliAsync(['doctor', '--resolver', dns.address, ...args, '-f', spec.specPath], { env: env(), cwd: spec.dir, timeoutMs: CLI_TIMEOUT_MS.quick });
  /** doctor --json: the checks by id, and the exit code. */
  const json = async (): Promise<{ code: number | null; checks: Map<string, Check>; stdout: string; stderr: string }> => {
    const r = await doctor(['--json']);
    const report = JSON.parse(r.stdout) as { checks: Check[] };
    return { code: r.code, checks: new Map(report.checks.map((c) => [c.id, c])), stdout: r.stdout, stderr: r.stderr };
  };
  const notOk = (checks: Map<string, Check>) => [...checks.values()].filter((c) => c.status !== 'ok').map((c) => `${c.id}:${c.status}`).sort();

  beforeAll(async () => {
    // MemAvailable as a fresh Debian/Ubuntu VPS leaves it (~90 MiB used by the OS); no swap yet on the workers.
    bed = await startHosts([
      { name: 'cp1', os: 'debian-12', memTotalMb: 970, memAvailableMb: 880, cpus: 2 },
      { name: 'w1', os: 'debian-12', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
      { name: 'w2', os: 'ubuntu-24.04', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
    ]);
    spec = writeSourceSpec(bed);
    const r = await runCliAsync(['apply', '--yes', '-f', spec.specPath], { env: spec.env, cwd: spec.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    dns = await startDnsServer({ [DOMAIN]: [w1().address] });
    ca = new TestCa();
    ingress = await startIngress(w1().address, traefikDefaultCert(), { [DOMAIN]: ca.issue(DOMAIN, 60) });
  });

  afterAll(async () => {
    await ingress?.close();
    await dns?.close();
    ca?.remove();
    await bed?.stop();
  });

  it('a healthy cluster: exit 0, no findings, and the nodes only saw read-only calls', async () => {
    for (const h of bed.hosts) h.clearRecordings();
    const r = await doctor();
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^No findings: all \d+ checks passed\.$/m);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/ok {7}Ingress and TLS › Certificate of blog\.example\.com: issued by hobbykube test CA Test R1, valid until \S+ \(59 days left\)/);
    expect(r.stdout).toMatch(/ok {7}DNS › Lookups from a pod: kubernetes\.default\.svc\.cluster\.local resolves, kubernetes\.io resolves from a pod/);
    expect(r.stdout).toMatch(/ok {7}Cluster › Control-plane certificates: 10 certificates; the first to expire: \S+: expires/);
    const calls = bed.hosts.flatMap((h) => h.recordings());
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.filter((c) => !readOnlyCall(c)).map((c) => `${c.host}: ${c.argv.join(' ')}`)).toEqual([]);
    // Only the DNS check's two short-lived pods are created, on the control plane, with --rm.
    expect(calls.filter((c) => c.argv.includes('run')).map((c) => `${c.host} ${c.argv[c.argv.indexOf('run') + 1]}`.replace(/[0-9a-f]{6}/, 'X'))).toEqual(['cp1 hobbykube-doctor-X-internal', 'cp1 hobbykube-doctor-X-external']);
    expect(calls.some((c) => c.argv[0] === 'kubectl' && c.argv.some((a) => ['apply', 'delete', 'patch', 'annotate', 'label', 'create', 'drain', 'cordon', 'taint', 'rollout'].includes(a)))).toBe(false);
    expect(calls.some((c) => c.argv[0] === 'systemctl' && /start|stop|restart|enable|disable/.test(c.argv[1] ?? ''))).toBe(false);
    expect(calls.some((c) => c.argv[0] === 'apt-get')).toBe(false);
    expect(dns.asked).toContain(DOMAIN);
  });

  it('--json: one document, every check with its status; exit 0 when healthy', async () => {
    const { code, checks, stderr } = await json();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(notOk(checks)).toEqual([]);
    expect([...checks.keys()]).toEqual(expect.arrayContaining(['cp1/node/ssh', 'w1/node/swap', 'w2/dns/resolver', 'cluster/dns/lookup', 'cluster/workloads/app:blog', `cluster/ingress/certificate:${DOMAIN}`, 'cp1/cluster/certificates', 'cluster/cluster/lock']));
  });

  it('a stopped kubelet: the journal lines, NotReady with its reason, and the restart command', async () => {
    await w2().rootExec('systemctl stop kubelet');
    try {
      const { code, checks } = await json();
      expect(code).toBe(1);
      const services = checks.get('w2/node/services')!;
      expect(services.status).toBe('critical');
      expect(services.findings[0]!.title).toBe('kubelet on w2 is inactive');
      expect(services.findings[0]!.evidence).toEqual(expect.arrayContaining(['systemctl is-active kubelet: inactive', 'journalctl -u kubelet (last lines):', expect.stringMatching(/^ {2}\w{3} [ \d]\d \d\d:\d\d:\d\d w2 systemd\[1\]: Stopped kubelet\.service - kubelet: The Kubernetes Node Agent\.$/)]));
      expect(services.findings[0]!.fix).toBe('on w2: sudo systemctl restart kubelet; then sudo journalctl -u kubelet -e shows why it stopped');
      expect(checks.get('w2/node/ready')!.findings[0]).toMatchObject({ title: 'w2 is NotReady: NodeStatusUnknown', evidence: ['Ready=Unknown NodeStatusUnknown: Kubelet stopped posting node status.'] });
    } finally {
      await w2().rootExec('systemctl start kubelet');
    }
    await w1().rootExec('systemctl stop containerd');
    try {
      const { checks } = await json();
      expect(checks.get('w1/node/services')!.findings[0]!.title).toBe('containerd on w1 is inactive');
      expect(checks.get('w1/node/ready')!.findings[0]).toMatchObject({ title: 'w1 is NotReady: KubeletNotReady', fix: 'on w1: sudo systemctl restart containerd' });
    } finally {
      await w1().rootExec('systemctl start containerd');
    }
  });

  it("the 127.0.0.53 trap: a node whose kubelet hands pods systemd-resolved's stub", async () => {
    // cp1 is Debian (no resolved stub): its kubelet gives pods /etc/resolv.conf, now pointing at the stub.
    await cp1().rootExec('cp /etc/resolv.conf /etc/resolv.conf.doctor && printf "nameserver 127.0.0.53\\noptions edns0 trust-ad\\n" >/etc/resolv.conf');
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("CRITICAL DNS › Resolver and the kubelet's resolv.conf: cp1: pods get the 127.0.0.53 trap: 127.0.0.53 is systemd-resolved's stub on the node itself, which a pod cannot reach");
      expect(r.stdout).toContain('the kubelet gives pods /etc/resolv.conf: 127.0.0.53');
      expect(r.stdout).toContain("fix: on cp1: set resolvConf: /run/systemd/resolve/resolv.conf in /var/lib/kubelet/config.yaml (the real upstream servers), then sudo systemctl restart kubelet");
    } finally {
      await cp1().rootExec('mv /etc/resolv.conf.doctor /etc/resolv.conf');
    }
  });

  it('workloads: an image pull error, a crash loop with its log, an OOM kill and an eviction, a failed CronJob, Pending for memory', async () => {
    const hour = 3_600_000;
    setMissingImages(bed, { 'ghcr.io/me/blog:3': 'not-found' });
    setBehaviour(bed, 'default', 'chatbot', { crash: { exitCode: 1, restarts: 7, log: ['Starting ruboty', `token ${'xoxb-DOCTOR-distinctive-7788'} rejected by Slack`, 'Error: invalid_auth'] } });
    setBehaviour(bed, 'default', 'mysql', { oomKilled: { at: new Date(Date.now() - 2 * hour).toISOString(), restarts: 2 }, evicted: [{ at: new Date(Date.now() - 3 * hour).toISOString(), node: 'w2' }] });
    setBehaviour(bed, 'default', 'renew', { runs: [{ at: new Date(Date.now() - 5 * hour).toISOString(), exitCode: 1 }] });
    const undo = editObject(bed, 'Deployment', 'default', 'blog', (o) => {
      o.spec.replicas = 2;
      o.spec.template.spec.containers[0].resources.requests.memory = '400Mi';
    });
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      const out = r.stdout;
      expect(out).toContain('CRITICAL Workloads › app blog: blog cannot be placed on any node: not enough memory');
      expect(out).toMatch(/scheduler: 0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 Insufficient memory\. preemption: .*/);
      expect(out).toContain('CRITICAL Workloads › worker chatbot: chatbot keeps crashing (7 restarts)');
      expect(out).toContain('  Error: invalid_auth');
      expect(out).toContain('  token [redacted] rejected by Slack');
      expect(out).not.toContain('xoxb-DOCTOR-distinctive-7788');
      expect(out).toContain('WARNING  Memory › OOM kills and evictions (24 h): mysql was killed for going over its memory limit once in the last 24 h');
      expect(out).toMatch(/default\/mysql-0 container \S+ OOMKilled \(limit \d+Mi, 2 restarts\) on w2/);
      expect(out).toMatch(/evicted from w2: The node was low on resource: memory/);
      expect(out).toMatch(/capacity check for w2: \d+ of \d+ MiB allocatable requested \(\d+ free\), every pod at its limit: -?\d+ MiB spare; (fits|does not fit)/);
      expect(out).toContain('fix: raise memory of mysql in hobbykube.yaml (now 256Mi) and run hobbykube apply');
      expect(out).toContain('WARNING  Workloads › cron renew: the last run of renew failed');
      expect(out).toMatch(/job renew-\d+ started \S+: BackoffLimitExceeded \(Job has reached the specified backoff limit\)/);
      expect(out).toContain(`create job renew-manual --from=cronjob/renew && sudo ${KUBECTL} logs -f job/renew-manual`);

      // The image: blog back to its own size, the image still missing.
      undo();
      const pull = await doctor();
      expect(pull.stdout).toContain('CRITICAL Workloads › app blog: blog: the image ghcr.io/me/blog:3 cannot be pulled');
      expect(pull.stdout).toContain('Back-off pulling image "ghcr.io/me/blog:3": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "ghcr.io/me/blog:3": failed to resolve reference "ghcr.io/me/blog:3": ghcr.io/me/blog:3: not found');
      expect(pull.stdout).toContain('fix: check image of blog in hobbykube.yaml');
    } finally {
      undo();
      setMissingImages(bed, {});
      for (const w of ['chatbot', 'mysql', 'renew']) setBehaviour(bed, 'default', w, undefined);
    }
  });

  it('TLS: a certificate about to expire with Traefik\'s last ACME error; none at all (Traefik\'s default); an expiring control-plane certificate', async () => {
    setBehaviour(bed, 'traefik', 'traefik', {
      log: [
        'time="2026-11-28T03:00:00Z" level=info msg="Starting provider *acme.ChallengeTLSALPN"',
        `2026-11-28T03:00:01Z ERR Unable to obtain ACME certificate for domains error="unable to generate a certificate for the domains [${DOMAIN}]: error: one or more domains had a problem:\\n[${DOMAIN}] acme: error: 403 :: urn:ietf:params:acme:error:unauthorized :: 203.0.113.99: Invalid response from http://${DOMAIN}/.well-known/acme-challenge/abc: 404" ACME CA=https://acme-v02.api.letsencrypt.org/directory domains=["${DOMAIN}"] providerName=letsencrypt.acme`,
      ],
    });
    ingress.certificates.set(DOMAIN, ca.issue(DOMAIN, 5));
    await cp1().rootExec('cp /etc/kubernetes/pki/apiserver.crt /tmp/apiserver.crt.doctor');
    const short = shortCert('kube-apiserver', 12);
    await cp1().rootExec('cat >/etc/kubernetes/pki/apiserver.crt', short.cert);
    try {
      const r = await doctor();
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/CRITICAL Ingress and TLS › Certificate of blog\.example\.com: blog\.example\.com's certificate expires in [45] days: Traefik should have renewed it \(it renews 30 days before\)/);
      expect(r.stdout).toContain("Traefik's last ACME error:");
      expect(r.stdout).toContain('urn:ietf:params:acme:error:unauthorized');
      expect(r.stdout).toContain('fix: Let\'s Encrypt must reach http://blog.example.com/.well-known/acme-challenge/ on port 80 of the ingress node');
      expect(r.stdout).toMatch(/WARNING {2}Cluster › Control-plane certificates: control-plane certificates expire in 1[12] days/);
      expect(r.stdout).toMatch(/apiserver\.crt: expires \S+ \(1[12] days\)/);
      expect(r.stdout).toContain('fix: on cp1: sudo kubeadm certs renew all');

      ingress.certificates.delete(DOMAIN);
      const none = await doctor();
      expect(none.stdout).toContain("CRITICAL Ingress and TLS › Certificate of blog.example.com: blog.example.com has no certificate from Let's Encrypt: Traefik serves its own default one (browsers refuse it)");
      expect(none.stdout).toContain('subject CN=TRAEFIK DEFAULT CERT');
    } finally {
      ingress.certificates.set(DOMAIN, ca.issue(DOMAIN, 60));
      setBehaviour(bed, 'traefik', 'traefik', undefined);
      await cp1().rootExec('mv /tmp/apiserver.crt.doctor /etc/kubernetes/pki/apiserver.crt');
    }
  });

  it('the outside: an A record pointing elsewhere, then the ports closed', async () => {
    dns.records.set(DOMAIN, ['198.51.100.7']);
    try {
      const { checks } = await json();
      expect(checks.get(`cluster/ingress/dns:${DOMAIN}`)!.findings[0]).toMatchObject({
        severity: 'critical',
        title: `${DOMAIN} points at 198.51.100.7, not at the ingress node w1 (${w1().address})`,
        fix: `set the A record of ${DOMAIN} to ${w1().address} at your DNS provider (and remove 198.51.100.7)`,
      });
    } finally {
      dns.records.set(DOMAIN, [w1().address]);
    }
    await ingress.close();
    try {
      const { checks } = await json();
      const ports = checks.get('w1/ingress/ports')!;
      expect(ports.findings[0]!.title).toBe('ports 80 and 443 of the ingress node w1 do not answer from here although Traefik runs');
      expect(ports.findings[0]!.evidence).toEqual([`${w1().address}:80 does not answer (ECONNREFUSED)`, `${w1().address}:443 does not answer (ECONNREFUSED)`, expect.stringMatching(/^Traefik pod traefik-\S+ on w1: Running$/)]);
      expect(ports.findings[0]!.fix).toContain("in your provider's firewall");
    } finally {
      ingress = await startIngress(w1().address, traefikDefaultCert(), { [DOMAIN]: ca.issue(DOMAIN, 60) });
    }
  });

  it('node resources: MemAvailable staying low, the disk under 15%, the swapfile off, memory pressure, clock skew, a kubelet behind', async () => {
    w2().setMemAvailable(40);
    await w1().setDisk({ totalMb: 100, freeMb: 12 });
    await w1().rootExec('swapoff /var/lib/hobbykube/swapfile');
    editNode(bed, 'w2', (n) => (n.conditions = { MemoryPressure: { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' } }));
    editNode(bed, 'w1', (n) => (n.version = 'v1.36.4'));
    cp1().setClockOffset(-4500);
    try {
      const { checks } = await json();
      expect(checks.get('w2/memory/available')!.findings[0]).toMatchObject({ severity: 'critical', title: 'w2 stays under 52 MiB available: the kubelet is about to evict pods (or already does)' });
      expect(checks.get('w2/memory/available')!.findings[0]!.evidence[0]).toBe('MemAvailable over 4 s: 40, 40, 40 MiB (MemTotal 470 MiB)');
      expect(checks.get('w2/memory/available')!.findings[0]!.evidence).toContainEqual(expect.stringMatching(/^biggest processes \(MiB\): /));
      expect(checks.get('w2/node/pressure')!.findings[0]!.title).toBe('w2 is short of memory (MemoryPressure)');
      expect(checks.get('w1/node/disk')!.findings[0]).toMatchObject({ severity: 'warning', title: expect.stringMatching(/^only 1[0-4]% of the disk is free on w1/) });
      expect(checks.get('w1/node/swap')!.findings[0]).toMatchObject({ severity: 'critical', fix: expect.stringContaining('on w1: sudo swapon /var/lib/hobbykube/swapfile') });
      expect(checks.get('cluster/cluster/clocks')!.findings[0]).toMatchObject({ severity: 'warning', fix: expect.stringMatching(/^on cp1: sudo timedatectl set-ntp true/) });
      expect(checks.get('cluster/cluster/clocks')!.findings[0]!.evidence[0]).toMatch(/cp1 -4\.\d s/);
      expect(checks.get('cluster/cluster/versions')!.findings[0]!.title).toBe('the kubelet on w1 (v1.36.4) is behind the API server (v1.37.1): an upgrade stopped half-way?');
    } finally {
      cp1().setClockOffset(0);
      editNode(bed, 'w1', (n) => (n.version = 'v1.37.1'));
      editNode(bed, 'w2', (n) => delete n.conditions);
      await w1().rootExec('swapon /var/lib/hobbykube/swapfile');
      await w1().setDisk(undefined);
      w2().setMemAvailable(380);
    }
  });

  it('kube-apiserver over its memory: its RSS against the 240 MiB planned for it', async () => {
    // The stand-in kube-apiserver (a sleep) replaced by one that holds ~330 MiB.
    await cp1().rootExec("for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = kube-apiserver ] && kill -9 ${p#/proc/}; done; ln -sf /run/hobbykube/node /tmp/kube-apiserver; setsid /tmp/kube-apiserver -e 'globalThis.b = Buffer.alloc(330 * 1048576, 1); setInterval(() => {}, 1e6)' </dev/null >/dev/null 2>&1 &");
    try {
      let found = '';
      for (let i = 0; i < 100 && !/^\d{6,}/.test(found); i += 1) {
        found = (await cp1().rootExec("for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = kube-apiserver ] && awk '/^VmRSS/ { print $2 }' $p/status; done")).stdout.trim();
        if (Number(found) < 330 * 1024) found = '';
        await new Promise((r) => setTimeout(r, 100));
      }
      const { checks } = await json();
      const api = checks.get('cp1/memory/apiserver')!;
      expect(api.findings[0]!.title).toMatch(/^kube-apiserver uses 3[3-9]\d MiB on cp1, well over the 240 MiB planned for it$/);
      expect(api.findings[0]!.evidence[0]).toMatch(/^kube-apiserver RSS 3\d\d MiB; planned: 240 MiB, its memory request/);
    } finally {
      await cp1().rootExec("for p in /proc/[0-9]*; do [ \"$(cat $p/comm 2>/dev/null)\" = kube-apiserver ] && kill -9 ${p#/proc/}; done; ln -sf \"$(command -v sleep)\" /tmp/kube-apiserver; setsid /tmp/kube-apiserver infinity </dev/null >/dev/null 2>&1 &");
    }
  });

  it('this computer: a stale lock, then an apply that stopped half-way', async () => {
    const dead = await new Promise<number>((resolve) => {
      const child = spawn('true');
      child.on('exit', () => resolve(child.pid!));
    });
    const lock = join(spec.home, 'source', 'apply.lock');
    writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), since: '2026-11-28T09:00:00.000Z', command: 'apply' }));
    try {
      const { checks } = await json();
      expect(checks.get('cluster/cluster/lock')!.findings[0]).toMatchObject({ severity: 'warning', title: `a stale lock: hobbykube apply (pid ${dead}) ended without removing it`, fix: `hobbykube apply clears it by itself (or: rm ${lock})` });
    } finally {
      rmSync(lock, { force: true });
    }
    // An apply that fails half-way: a workload change whose kubectl apply the control plane refuses.
    editSpec(spec.specPath, (s) => {
      s.spec.workloads.find((w: { name: string }) => w.name === 'chatbot').memory = '112Mi';
    });
    cp1().injectFault({ command: 'kubectl', match: 'apply', exitCode: 1, stderr: 'Error from server (InternalError): Internal error occurred: etcdserver: request timed out\n' , times: 'always' });
    const failed = await runCliAsync(['apply', '--yes', '-f', spec.specPath], { env: spec.env, cwd: spec.dir });
    expect(failed.code).toBe(1);
    cp1().clearControls();
    const { checks } = await json();
    const journal = checks.get('cluster/cluster/journal')!;
    expect(journal.findings[0]!.title).toMatch(/^the last run \(\S+\) stopped half-way: 1 step failed$/);
    expect(journal.findings[0]!.evidence[0]).toMatch(/ on cp1 failed \(exit code 1\)/);
    expect(journal.findings[0]!.fix).toBe('hobbykube apply (it resumes: finished steps are checked and skipped)');
    const resumed = await runCliAsync(['apply', '--yes', '-f', spec.specPath], { env: spec.env, cwd: spec.dir });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect((await json()).checks.get('cluster/cluster/journal')!.status).toBe('ok');
  });

  it('a frozen host and a changed host key: SSH names them; the checks that needed the node say so', async () => {
    w2().signalSshd('SIGSTOP');
    try {
      const { code, checks } = await json();
      expect(code).toBe(1);
      expect(checks.get('w2/node/ssh')!.findings[0]).toMatchObject({ severity: 'critical', title: 'w2 does not answer SSH: frozen, out of memory, or a firewall drops the packets' });
      expect(checks.get('w2/node/ssh')!.findings[0]!.evidence[0]).toMatch(/no SSH handshake with \S+ within 15 s/);
      expect(checks.get('w2/node/disk')!.findings[0]).toMatchObject({ severity: 'unknown', title: "could not check: w2 could not be reached over SSH (w2's SSH check says why)" });
      expect(checks.get('cp1/node/ssh')!.status).toBe('ok');
    } finally {
      w2().signalSshd('SIGCONT');
    }
    await w1().regenerateHostKey();
    w1().clearRecordings();
    const { checks } = await json();
    const ssh = checks.get('w1/node/ssh')!;
    expect(ssh.findings[0]!.title).toBe('the host key of w1 changed: hobbykube refuses to connect');
    expect(ssh.findings[0]!.evidence[0]).toContain(`server now presents ${w1().hostKeyFingerprint} (ssh-ed25519)`);
    expect(ssh.findings[0]!.fix).toContain(`ssh-keygen -R ${w1().address} -f ${join(spec.home, 'source', 'known_hosts')}`);
    expect(w1().recordings()).toEqual([]); // refused before login: nothing ran on w1
  });
});
