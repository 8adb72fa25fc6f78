// DNS checks: what each node resolves with and what its kubelet hands to pods (the 127.0.0.53
// trap named when seen), CoreDNS's pods and where it forwards, and the install's own test: a
// cluster name and an outside name looked up from a pod.
import type { NodeFacts } from '../../facts/types.js';
import { INTERNAL_NAME } from '../../install/render/dns-check.js';
import { kubeletResolvConf } from '../../install/render/resolved.js';
import type { NodeSpec } from '../../spec/types.js';
import type { ClusterView } from '../cluster-query.js';
import type { NodeProbe } from '../node-probe.js';
import { OUTSIDE_NAME } from '../sources.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { define, isLoopback, KUBECTL, lastLines, ok, onNode, podInfo, podTrouble, type CheckContext } from './common.js';

const STUB = /^127\.0\.0\.5[34]$/;

function trapWords(servers: readonly string[]): string {
  return servers.some((s) => STUB.test(s))
    ? `the 127.0.0.53 trap: ${servers.join(', ')} is systemd-resolved's stub on the node itself, which a pod cannot reach`
    : `a loopback resolver (${servers.join(', ')}) that only the node itself can reach`;
}

export function judgeResolver(node: NodeSpec, facts: NodeFacts, probe: NodeProbe): CheckOutcome {
  const findings: Finding[] = [];
  const nodeServers = facts.dns.nameservers;
  const kubelet = probe.kubeletResolvConf;
  const own = `/etc/resolv.conf${facts.dns.resolvConfLink ? ` (-> ${facts.dns.resolvConfLink})` : ''}: ${nodeServers.length > 0 ? nodeServers.join(', ') : 'no nameserver'}`;
  const handed = `the kubelet gives pods ${kubelet.path}: ${kubelet.missing ? 'the file does not exist' : kubelet.nameservers.length > 0 ? kubelet.nameservers.join(', ') : 'no nameserver'}`;
  const evidence = [own, handed, ...(facts.dns.upstream.length > 0 ? [`systemd-resolved's upstream servers: ${facts.dns.upstream.join(', ')}`] : [])];
  // systemd-resolved's own list of the upstream servers, when the node has one: what the kubelet should hand out.
  const better = facts.dns.upstream.length > 0 ? kubeletResolvConf(true) : undefined;
  const pointAt = better
    ? `set resolvConf: ${better} in /var/lib/kubelet/config.yaml (the real upstream servers), then sudo systemctl restart kubelet`
    : `point the kubelet's resolvConf (/var/lib/kubelet/config.yaml) at a file that lists real DNS servers (your dns.upstream), then sudo systemctl restart kubelet`;

  if (kubelet.missing) {
    findings.push({
      severity: 'critical',
      title: `the kubelet on ${node.name} hands pods ${kubelet.path}, which does not exist`,
      evidence,
      fix: onNode(node.name, pointAt),
    });
  } else if (kubelet.nameservers.length > 0 && kubelet.nameservers.every(isLoopback)) {
    findings.push({
      severity: 'critical',
      title: `${node.name}: pods get ${trapWords(kubelet.nameservers)}`,
      evidence,
      fix: onNode(node.name, better !== undefined && better !== kubelet.path ? pointAt : `list real DNS servers (your dns.upstream) in ${kubelet.path}, or ${pointAt.replace(/^point/, 'point')}`),
    });
  } else if (kubelet.nameservers.length === 0) {
    findings.push({ severity: 'warning', title: `the resolv.conf the kubelet on ${node.name} gives pods names no server`, evidence, fix: onNode(node.name, pointAt) });
  }
  if (facts.dns.resolver === 'none') {
    findings.push({ severity: 'warning', title: `${node.name} itself has no DNS server: it cannot pull images or reach package mirrors`, evidence, fix: onNode(node.name, 'name a DNS server in /etc/resolv.conf (or in systemd-resolved: DNS= in /etc/systemd/resolved.conf)') });
  } else if (facts.dns.resolver === 'systemd-stub' && facts.services.resolved !== undefined && facts.services.resolved !== 'active') {
    findings.push({
      severity: 'critical',
      title: `${node.name} resolves through systemd-resolved's stub (127.0.0.53), but systemd-resolved is ${facts.services.resolved}: the node resolves nothing`,
      evidence,
      fix: onNode(node.name, 'sudo systemctl restart systemd-resolved'),
    });
  }
  return { summary: `${own}; pods: ${kubelet.path} (${kubelet.nameservers.join(', ') || 'none'})`, findings };
}

/** Targets of the Corefile's `forward .` (servers or a resolv.conf path). */
export function forwardTargets(corefile: string): string[] | undefined {
  const m = /^\s*forward\s+\.\s+([^{\n]+)/m.exec(corefile);
  return m ? m[1]!.trim().split(/\s+/) : undefined;
}

export function judgeCoredns(view: ClusterView, spec: { upstream: readonly string[] }, cp: string, probes: ReadonlyMap<string, NodeProbe>): CheckOutcome {
  const findings: Finding[] = [];
  const pods = view.pods.map(podInfo).filter((p) => p.namespace === 'kube-system' && p.labels['k8s-app'] === 'kube-dns');
  const running = pods.filter((p) => p.phase === 'Running' && p.containers.every((c) => c.ready));
  const where = pods.map((p) => `${p.name} on ${p.node ?? '(not scheduled)'}: ${podTrouble(p) ?? 'Running'}`);
  if (view.errors.pods !== undefined) findings.push({ severity: 'unknown', title: `could not list CoreDNS's pods: ${view.errors.pods}`, evidence: [] });
  else if (pods.length === 0) findings.push({ severity: 'critical', title: 'no CoreDNS pod exists: nothing answers cluster DNS', evidence: ['kube-system pods with k8s-app=kube-dns: none'], fix: onNode(cp, `${KUBECTL} -n kube-system get deployment coredns`) });
  else if (running.length === 0) {
    findings.push({ severity: 'critical', title: 'no CoreDNS pod is running: pods resolve nothing', evidence: where, fix: onNode(cp, `${KUBECTL} -n kube-system describe pods -l k8s-app=kube-dns; ${KUBECTL} -n kube-system logs -l k8s-app=kube-dns (a "Loop ... detected" line is the 127.0.0.53 trap)`) });
  }
  const targets = view.corefile !== undefined ? forwardTargets(view.corefile) : undefined;
  if (view.corefile === undefined) findings.push({ severity: 'unknown', title: `could not read CoreDNS's Corefile${view.errors.coredns ? `: ${view.errors.coredns}` : ''}`, evidence: [] });
  else if (!targets) findings.push({ severity: 'warning', title: 'CoreDNS forwards outside names nowhere (no "forward ." in its Corefile)', evidence: lastLines(view.corefile, 12, (s) => s), fix: 'hobbykube apply (writes the Corefile with your dns.upstream servers)' });
  else {
    const loop = targets.filter((t) => !t.startsWith('/') && isLoopback(t));
    const files = targets.filter((t) => t.startsWith('/'));
    if (loop.length > 0) {
      findings.push({ severity: 'critical', title: `CoreDNS forwards to ${trapWords(loop)}; CoreDNS loops and outside names fail`, evidence: [`Corefile: forward . ${targets.join(' ')}`], fix: 'hobbykube apply (points CoreDNS at your dns.upstream servers)' });
    } else if (files.length > 0) {
      // CoreDNS reads the resolv.conf its own node's kubelet hands it.
      const nodes = [...new Set(pods.map((p) => p.node).filter((n): n is string => n !== undefined))];
      const trapped = nodes.filter((n) => {
        const servers = probes.get(n)?.kubeletResolvConf.nameservers ?? [];
        return servers.length > 0 && servers.every(isLoopback);
      });
      if (trapped.length > 0) {
        findings.push({
          severity: 'critical',
          title: `CoreDNS forwards to ${files.join(' ')}, which on ${trapped.join(', ')} is ${trapWords(probes.get(trapped[0]!)!.kubeletResolvConf.nameservers)}`,
          evidence: [`Corefile: forward . ${targets.join(' ')}`, ...trapped.map((n) => `${n}: ${probes.get(n)!.kubeletResolvConf.path}: ${probes.get(n)!.kubeletResolvConf.nameservers.join(', ')}`)],
          fix: 'hobbykube apply (points CoreDNS at your dns.upstream servers instead of a file)',
        });
      } else if (spec.upstream.length > 0) {
        findings.push({ severity: 'warning', title: `CoreDNS forwards to ${files.join(' ')}, not to hobbykube.yaml's dns.upstream (${spec.upstream.join(', ')})`, evidence: [`Corefile: forward . ${targets.join(' ')}`], fix: 'hobbykube apply (puts your upstream servers back)' });
      }
    } else {
      const wanted = [...spec.upstream].sort().join(' ');
      if (wanted !== '' && [...targets].sort().join(' ') !== wanted) {
        findings.push({ severity: 'warning', title: `CoreDNS forwards to ${targets.join(', ')}, but hobbykube.yaml says ${spec.upstream.join(', ')}`, evidence: [`Corefile: forward . ${targets.join(' ')}`], fix: 'hobbykube apply (puts your upstream servers back)' });
      }
    }
  }
  const summary = `${running.length}/${pods.length} pod${pods.length === 1 ? '' : 's'} running${targets ? `, forwarding to ${targets.join(' ')}` : ''}`;
  return { summary, findings };
}

export function judgeLookup(result: { internal: boolean; external: boolean; nameserver?: string; explanation: string; log: string }, redact: (s: string) => string): CheckOutcome {
  const outside = OUTSIDE_NAME.replace(/\.$/, '');
  const summary = `${INTERNAL_NAME} ${result.internal ? 'resolves' : 'does NOT resolve'}, ${outside} ${result.external ? 'resolves' : 'does NOT resolve'} from a pod${result.nameserver ? ` (via ${result.nameserver})` : ''}`;
  if (result.internal && result.external) return ok(summary);
  if (!/^hobbykube-dns (internal|external) /m.test(result.log)) {
    // The pod never reported: nothing was looked up, so DNS itself is not judged.
    return { summary: 'the lookup pod never reported', findings: [{ severity: 'unknown', title: 'could not check: the lookup pod never reported', evidence: lastLines(result.log, 12, redact), fix: result.explanation }] };
  }
  const title = !result.internal && !result.external ? 'pods resolve no names at all' : !result.external ? 'pods resolve cluster names but not outside names' : 'pods resolve outside names but not cluster names';
  return {
    summary,
    findings: [
      {
        severity: 'critical',
        title,
        evidence: lastLines(result.log, 12, redact),
        fix: result.explanation,
      },
    ],
  };
}

export function dnsChecks(ctx: CheckContext): CheckDefinition[] {
  const { sources } = ctx;
  const spec = sources.spec;
  const cp = sources.controlPlane.name;
  return [
    ...spec.spec.nodes.map((node) =>
      define({
        name: 'resolver',
        area: 'dns',
        node: node.name,
        title: "Resolver and the kubelet's resolv.conf",
        timeoutMs: 90_000,
        run: async () => judgeResolver(node, await sources.facts(node.name), await sources.probe(node.name)),
      }),
    ),
    define({
      name: 'coredns',
      area: 'dns',
      title: 'CoreDNS',
      timeoutMs: 90_000,
      run: async () => {
        const view = await sources.cluster();
        const probes = new Map<string, NodeProbe>();
        await Promise.all(spec.spec.nodes.map(async (n) => sources.probe(n.name).then((p) => probes.set(n.name, p), () => undefined)));
        return judgeCoredns(view, { upstream: spec.spec.dns.upstream }, cp, probes);
      },
    }),
    define({
      name: 'lookup',
      area: 'dns',
      title: 'Lookups from a pod',
      timeoutMs: 200_000,
      run: async () => judgeLookup(await sources.dns(), ctx.redact),
    }),
  ];
}
