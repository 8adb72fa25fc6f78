// Cluster checks: the control plane's certificates, versions that do not match (a half-done
// upgrade), the clocks of the nodes, and on this computer a run that stopped half-way (the
// journal) or a lock left behind.
import type { NodeFacts } from '../../facts/types.js';
import { readJournal, type JournalEntry } from '../../install/journal.js';
import { inspectLock, type LockState } from '../../install/lock.js';
import type { ClusterSpec } from '../../spec/types.js';
import { obj, str, type ClusterView } from '../cluster-query.js';
import type { NodeProbe } from '../node-probe.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { days, define, isoMinute, ok, onNode, type CheckContext } from './common.js';

const DAY_MS = 86_400_000;
/**
 * kubeadm's certificates last a year (CAs ten); `kubeadm upgrade` renews them, a cluster that is
 * not upgraded must renew them by hand. Warned in their last 30 days (a judgement: time to act).
 * The fix follows kubeadm's "Certificate Management with kubeadm": `kubeadm certs renew all`, then
 * restart the static pods by moving their manifests out of /etc/kubernetes/manifests for 20 s
 * (the kubelet's fileCheckFrequency).
 */
export const CP_CERT_WARN_DAYS = 30;
/** Clocks further apart than this break TLS validity checks, tokens and etcd's leases (the issue's figure). */
export const CLOCK_SKEW_MS = 2000;

export function judgeCertificates(cp: string, probe: NodeProbe, now: number): CheckOutcome {
  if (probe.opensslMissing) return { summary: 'unknown', findings: [{ severity: 'unknown', title: `could not read the certificates on ${cp}: openssl is not installed`, evidence: [], fix: onNode(cp, 'sudo kubeadm certs check-expiration') }] };
  if (probe.certificates.length === 0) return { summary: 'none found', findings: [{ severity: 'unknown', title: `no certificates in /etc/kubernetes/pki on ${cp}`, evidence: [], fix: 'hobbykube apply (the control plane is not installed?)' }] };
  const unreadable = probe.certificates.filter((c) => !c.notAfter);
  const dated = probe.certificates.filter((c): c is { path: string; notAfter: Date } => c.notAfter !== undefined).sort((a, b) => a.notAfter.getTime() - b.notAfter.getTime());
  const findings: Finding[] = [];
  const expired = dated.filter((c) => c.notAfter.getTime() <= now);
  const soon = dated.filter((c) => c.notAfter.getTime() > now && c.notAfter.getTime() - now < CP_CERT_WARN_DAYS * DAY_MS);
  const line = (c: { path: string; notAfter: Date }) => `${c.path.replace('/etc/kubernetes/pki/', '')}: ${c.notAfter.getTime() <= now ? 'expired' : 'expires'} ${isoMinute(c.notAfter)} (${days(Math.abs(c.notAfter.getTime() - now))}${c.notAfter.getTime() <= now ? ' ago' : ''})`;
  const fix = onNode(cp, 'sudo kubeadm certs renew all, then restart the control plane\'s static pods (move /etc/kubernetes/manifests/*.yaml out, wait 20 s, move them back); then hobbykube kubeconfig for the renewed admin credentials');
  if (expired.length > 0) findings.push({ severity: 'critical', title: `${expired.length} control-plane certificate${expired.length === 1 ? ' has' : 's have'} expired: the API server refuses clients`, evidence: expired.map(line), fix });
  if (soon.length > 0) findings.push({ severity: 'warning', title: `control-plane certificates expire in ${days(soon[0]!.notAfter.getTime() - now)}`, evidence: soon.map(line), fix });
  if (unreadable.length > 0) findings.push({ severity: 'unknown', title: `${unreadable.length} certificate file${unreadable.length === 1 ? '' : 's'} could not be read`, evidence: unreadable.map((c) => c.path), fix: onNode(cp, 'sudo kubeadm certs check-expiration') });
  const first = dated[0];
  return { summary: first ? `${dated.length} certificates; the first to expire: ${line(first)}` : 'no readable certificate', findings };
}

const minor = (v: string | undefined): number | undefined => {
  const m = /^v?1\.(\d+)/.exec(v ?? '');
  return m ? Number(m[1]) : undefined;
};

export function judgeVersions(spec: ClusterSpec, view: ClusterView): CheckOutcome {
  const server = view.serverVersion;
  const kubelets = view.nodes.map((n) => ({ name: str(obj(n.metadata).name) ?? '?', version: str(obj(obj(n.status).nodeInfo).kubeletVersion) }));
  const evidence = [`kube-apiserver ${server ?? 'unknown'}; hobbykube.yaml: kubernetesVersion ${spec.spec.kubernetesVersion}`, `kubelets: ${kubelets.map((k) => `${k.name} ${k.version ?? '?'}`).join(', ')}`];
  const summary = `API server ${server ?? '?'}, kubelets ${[...new Set(kubelets.map((k) => k.version ?? '?'))].join(', ')}`;
  if (!server) return { summary, findings: [{ severity: 'unknown', title: `could not read the API server's version${view.errors.version ? `: ${view.errors.version}` : ''}`, evidence }] };
  const findings: Finding[] = [];
  const sm = minor(server)!;
  for (const k of kubelets) {
    const km = minor(k.version);
    if (km === undefined) continue;
    if (km > sm) findings.push({ severity: 'critical', title: `the kubelet on ${k.name} (${k.version}) is newer than the API server (${server}): Kubernetes does not support that`, evidence, fix: 'upgrade the control plane first (kubeadm upgrade apply on it), then this node' });
    else if (sm - km > 3) findings.push({ severity: 'critical', title: `the kubelet on ${k.name} (${k.version}) is more than 3 minor versions behind the API server (${server})`, evidence, fix: `upgrade ${k.name} one minor version at a time (kubeadm upgrade node, then the kubelet package)` });
    else if (km < sm) findings.push({ severity: 'warning', title: `the kubelet on ${k.name} (${k.version}) is behind the API server (${server}): an upgrade stopped half-way?`, evidence, fix: onNode(k.name, `upgrade kubeadm to 1.${sm}, sudo kubeadm upgrade node, then kubelet and kubectl to 1.${sm}, and sudo systemctl restart kubelet`) });
  }
  const wanted = minor(spec.spec.kubernetesVersion);
  if (wanted !== undefined && wanted !== sm) {
    findings.push({
      severity: 'warning',
      title: `the cluster runs ${server} but hobbykube.yaml says ${spec.spec.kubernetesVersion}`,
      evidence,
      fix: wanted > sm ? 'the upgrade to the version in hobbykube.yaml has not happened (or stopped half-way)' : `set kubernetesVersion: "1.${sm}" in hobbykube.yaml (a cluster is never downgraded)`,
    });
  }
  return { summary, findings };
}

export function judgeClocks(facts: ReadonlyMap<string, NodeFacts>): CheckOutcome {
  const skews = [...facts].flatMap(([name, f]) => (f.clock.skewMs !== undefined ? [{ name, skew: f.clock.skewMs }] : []));
  if (skews.length === 0) return { summary: 'unknown', findings: [{ severity: 'unknown', title: 'no node told its clock', evidence: [] }] };
  const sorted = [...skews].sort((a, b) => a.skew - b.skew);
  const spread = sorted[sorted.length - 1]!.skew - sorted[0]!.skew;
  const median = sorted[Math.floor(sorted.length / 2)]!.skew;
  const fmt = (ms: number) => `${ms >= 0 ? '+' : '-'}${(Math.abs(ms) / 1000).toFixed(1)} s`;
  const evidence = [`against this computer: ${skews.map((s) => `${s.name} ${fmt(s.skew)}`).join(', ')}`];
  const summary = skews.length === 1 ? `${skews[0]!.name} ${fmt(skews[0]!.skew)} against this computer` : `the nodes' clocks are ${(spread / 1000).toFixed(1)} s apart`;
  if (spread <= CLOCK_SKEW_MS) return ok(summary);
  const off = sorted.filter((s) => Math.abs(s.skew - median) > CLOCK_SKEW_MS / 2).map((s) => s.name);
  return {
    summary,
    findings: [
      {
        severity: 'warning',
        title: `the nodes' clocks are ${(spread / 1000).toFixed(1)} s apart (more than ${CLOCK_SKEW_MS / 1000} s): certificates, tokens and etcd leases go wrong`,
        evidence,
        fix: onNode(off.join(', ') || sorted[sorted.length - 1]!.name, 'sudo timedatectl set-ntp true; timedatectl status should say "System clock synchronized: yes"'),
      },
    ],
  };
}

/** The last run in the journal: what stopped it, if anything. */
export function judgeJournal(entries: readonly JournalEntry[], lock: LockState): CheckOutcome {
  if (entries.length === 0) return ok('no run recorded on this computer');
  const last = entries[entries.length - 1]!.run;
  const run = entries.filter((e) => e.run === last);
  const latest = new Map<string, JournalEntry>();
  for (const e of run) latest.set(`${e.node}/${e.step}`, e);
  const failed = [...latest.values()].filter((e) => e.outcome === 'failed');
  const blocked = [...latest.values()].filter((e) => e.outcome === 'blocked');
  const open = [...latest.values()].filter((e) => e.outcome === 'started');
  const when = isoMinute(Date.parse(last) || Date.parse(run[0]!.time));
  const summary = `last run ${when}: ${run.filter((e) => e.outcome === 'done').length} steps done, ${run.filter((e) => e.outcome === 'skipped').length} already done`;
  if (failed.length === 0 && open.length === 0) return ok(summary);
  if (open.length > 0 && lock.state === 'held') return ok(`${summary}; still running (pid ${lock.owner.pid})`);
  const evidence = [
    ...failed.slice(0, 5).map((e) => `${e.step} on ${e.node} failed${e.exitCode !== undefined ? ` (exit code ${e.exitCode})` : ''}${e.message ? `: ${e.message}` : ''}`),
    ...open.slice(0, 3).map((e) => `${e.step} on ${e.node} started ${isoMinute(Date.parse(e.time))} and never finished (the run was interrupted)`),
    ...(blocked.length > 0 ? [`${blocked.length} step${blocked.length === 1 ? '' : 's'} did not run because of it`] : []),
  ];
  return {
    summary,
    findings: [
      {
        severity: 'warning',
        title: failed.length > 0 ? `the last run (${when}) stopped half-way: ${failed.length} step${failed.length === 1 ? '' : 's'} failed` : `the last run (${when}) was interrupted half-way`,
        evidence,
        fix: 'hobbykube apply (it resumes: finished steps are checked and skipped)',
      },
    ],
  };
}

export function judgeLock(lock: LockState, path: string): CheckOutcome {
  switch (lock.state) {
    case 'free':
      return ok('no lock: no hobbykube is changing the cluster');
    case 'held':
      return {
        summary: `held by pid ${lock.owner.pid}`,
        findings: [{ severity: 'warning', title: `another hobbykube (${lock.owner.command}, pid ${lock.owner.pid}) is changing the cluster right now: what doctor sees may be mid-change`, evidence: [`${path}: pid ${lock.owner.pid} on ${lock.owner.host} since ${lock.owner.since}`], fix: 'run doctor again when it has finished' }],
      };
    case 'stale':
      return {
        summary: `stale (pid ${lock.owner.pid} is gone)`,
        findings: [{ severity: 'warning', title: `a stale lock: hobbykube ${lock.owner.command} (pid ${lock.owner.pid}) ended without removing it`, evidence: [`${path}: pid ${lock.owner.pid} on ${lock.owner.host} since ${lock.owner.since}; no such process now`], fix: `hobbykube apply clears it by itself (or: rm ${path})` }],
      };
    case 'torn':
      return { summary: 'torn', findings: [{ severity: 'warning', title: 'a torn lock file (its writer died while writing it)', evidence: [path], fix: `hobbykube apply clears it by itself (or: rm ${path})` }] };
    case 'elsewhere':
      return {
        summary: `held on ${lock.owner.host}`,
        findings: [{ severity: 'warning', title: `a lock taken on another computer (${lock.owner.host}, pid ${lock.owner.pid}, ${lock.owner.command}, since ${lock.owner.since})`, evidence: [path], fix: `if no hobbykube runs on ${lock.owner.host}: rm ${path}` }],
      };
  }
}

export function clusterChecks(ctx: CheckContext): CheckDefinition[] {
  const { sources } = ctx;
  const spec = sources.spec;
  const cp = sources.controlPlane.name;
  return [
    define({ name: 'certificates', area: 'cluster', node: cp, title: 'Control-plane certificates', timeoutMs: 90_000, run: async () => judgeCertificates(cp, await sources.probe(cp), ctx.now()) }),
    define({ name: 'versions', area: 'cluster', title: 'Versions', timeoutMs: 90_000, run: async () => judgeVersions(spec, await sources.cluster()) }),
    define({ name: 'clocks', area: 'cluster', title: 'Clocks', timeoutMs: 90_000, run: async () => judgeClocks(await sources.allFacts()) }),
    define({ name: 'journal', area: 'cluster', title: 'Last run (journal)', timeoutMs: 10_000, run: async () => judgeJournal(readJournal(ctx.paths.journal), inspectLock(ctx.paths.lock)) }),
    define({ name: 'lock', area: 'cluster', title: 'Lock', timeoutMs: 10_000, run: async () => judgeLock(inspectLock(ctx.paths.lock), ctx.paths.lock) }),
  ];
}
