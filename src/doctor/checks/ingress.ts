// Ingress and TLS checks, seen from the owner's machine as visitors and Let's Encrypt see them:
// the ingress node's ports 80 and 443, each app domain's A record (it must point at the ingress
// node), and each domain's certificate (issuer, expiry, and Traefik's last ACME error when it has
// none or an old one). Only when the spec has an ingress and an app with a domain.
import { isIP } from 'node:net';
import { ACME_SERVERS, ingressAddonsNeeded, TRAEFIK_CHART } from '../../workloads/addons.js';
import type { ClusterSpec } from '../../spec/types.js';
import type { ClusterView } from '../cluster-query.js';
import type { CertificateAnswer, Lookup, PortAnswer } from '../outside.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { days, define, isoMinute, KUBECTL, ok, onNode, podInfo, podTrouble, type CheckContext } from './common.js';

/**
 * Traefik renews a 90-day Let's Encrypt certificate in its last 30 days (certificatesDuration
 * 2160h, Traefik's ACME documentation), retrying daily; with under 20 days left it has failed for
 * 10 days (our margin, a judgement), under 7 the owner has a week left.
 */
export const CERT_WARN_DAYS = 20;
export const CERT_CRITICAL_DAYS = 7;
const DAY_MS = 86_400_000;

/** Where the ingress node is, as the outside sees it: its spec address (resolved when a name). */
export async function ingressAddresses(address: string, resolve: (name: string) => Promise<Lookup>): Promise<string[]> {
  if (isIP(address)) return [address];
  const r = await resolve(address);
  return r.ok ? r.addresses : [];
}

function traefikState(view: ClusterView | undefined, node: string): string {
  if (!view) return 'Traefik: unknown (the cluster did not answer)';
  const pods = view.pods.map(podInfo).filter((p) => p.namespace === TRAEFIK_CHART.namespace && p.labels['app.kubernetes.io/name'] === 'traefik');
  if (pods.length === 0) return 'Traefik: no pod in the cluster';
  return pods.map((p) => `Traefik pod ${p.name} on ${p.node ?? '(not scheduled)'}: ${podTrouble(p) ?? 'Running'}${p.node && p.node !== node ? ` (expected on ${node})` : ''}`).join('; ');
}

export function judgePorts(ingressNode: string, address: string, answers: { port80: PortAnswer; port443: PortAnswer }, view: ClusterView | undefined, cp: string): CheckOutcome {
  const line = (port: number, a: PortAnswer) => `${address}:${port} ${a.open ? 'answers' : `does not answer (${a.error ?? 'closed'})`}`;
  const summary = `${line(80, answers.port80)}, ${line(443, answers.port443)}`;
  if (answers.port80.open && answers.port443.open) return ok(summary);
  const traefik = traefikState(view, ingressNode);
  const running = /: Running/.test(traefik) && !/expected on/.test(traefik);
  const closed = [answers.port80.open ? undefined : 80, answers.port443.open ? undefined : 443].filter((p): p is number => p !== undefined);
  return {
    summary,
    findings: [
      {
        severity: 'critical',
        title: `port${closed.length > 1 ? 's' : ''} ${closed.join(' and ')} of the ingress node ${ingressNode} do${closed.length > 1 ? '' : 'es'} not answer from here${running ? ' although Traefik runs' : ''}`,
        evidence: [line(80, answers.port80), line(443, answers.port443), traefik],
        fix: running
          ? `open TCP 80 and 443 to ${ingressNode} (${address}) in your provider's firewall (Let's Encrypt needs 80, visitors 443)`
          : `Traefik must run on ${ingressNode}: ${onNode(cp, `${KUBECTL} -n ${TRAEFIK_CHART.namespace} describe pods`)}; then hobbykube apply`,
      },
    ],
  };
}

export function judgeDomainDns(domain: string, ingressNode: string, expected: readonly string[], lookup: Lookup): CheckOutcome {
  if (!lookup.ok) {
    if (lookup.missing) {
      return {
        summary: `${domain} has no A record`,
        findings: [{ severity: 'critical', title: `${domain} has no A record: nobody (Let's Encrypt included) can reach the app`, evidence: [`A ${domain}: ${lookup.error}`], fix: `add an A record ${domain} -> ${expected[0] ?? `${ingressNode}'s address`} at your DNS provider` }],
      };
    }
    return { summary: 'cannot be checked from here', findings: [{ severity: 'unknown', title: `could not check ${domain}'s A record from this computer: ${lookup.error}`, evidence: [], fix: 'check your network, or pass --resolver IP to ask another DNS server' }] };
  }
  const summary = `${domain} -> ${lookup.addresses.join(', ')}`;
  if (expected.length === 0) return { summary, findings: [{ severity: 'unknown', title: `could not tell ${ingressNode}'s address to compare with`, evidence: [summary] }] };
  const wrong = lookup.addresses.filter((a) => !expected.includes(a));
  if (wrong.length === 0) return ok(`${summary} (${ingressNode})`);
  return {
    summary,
    findings: [
      {
        severity: 'critical',
        title: `${domain} points at ${wrong.join(', ')}, not at the ingress node ${ingressNode} (${expected.join(', ')})`,
        evidence: [`A ${domain}: ${lookup.addresses.join(', ')}`, `ingress node ${ingressNode}: ${expected.join(', ')}`],
        fix: `set the A record of ${domain} to ${expected[0]} at your DNS provider (and remove ${wrong.join(', ')})`,
      },
    ],
  };
}

function acmeEvidence(lines: readonly string[], domain: string): string[] {
  const about = lines.filter((l) => l.includes(domain));
  const errors = (about.length > 0 ? about : lines).filter((l) => /error|unable|fail/i.test(l));
  return errors.length > 0 ? ['Traefik\'s last ACME error:', `  ${errors[errors.length - 1]!}`] : ['Traefik\'s log names no ACME error'];
}

export function judgeCertificate(
  spec: ClusterSpec,
  domain: string,
  answer: CertificateAnswer,
  acmeLines: readonly string[] | undefined,
  now: number,
  redact: (s: string) => string,
): CheckOutcome {
  if (!answer.ok) {
    return { summary: 'no certificate seen', findings: [{ severity: 'unknown', title: `could not fetch ${domain}'s certificate: ${answer.error}`, evidence: [], fix: 'see the ports check: 443 must answer first' }] };
  }
  const c = answer.certificate;
  const left = c.validTo.getTime() - now;
  const acme = acmeLines ? acmeEvidence(acmeLines.map(redact), domain) : ['Traefik\'s log could not be read'];
  const base = [`subject ${c.subject}; issuer ${c.issuer}`, `valid ${isoMinute(c.validFrom)} to ${isoMinute(c.validTo)}${c.names.length > 0 ? `; names ${c.names.join(', ')}` : ''}`];
  const summary = `issued by ${c.issuerName || c.issuer}, valid until ${isoMinute(c.validTo)} (${days(left)} left)`;
  const findings: Finding[] = [];
  const acmeFix = `Let's Encrypt must reach http://${domain}/.well-known/acme-challenge/ on port 80 of the ingress node: check the DNS and ports checks, then the ACME error above; Traefik retries by itself`;
  if (/TRAEFIK DEFAULT CERT/i.test(c.commonName)) {
    findings.push({ severity: 'critical', title: `${domain} has no certificate from Let's Encrypt: Traefik serves its own default one (browsers refuse it)`, evidence: [...base, ...acme], fix: acmeFix });
  } else if (c.names.length > 0 && !c.names.some((n) => n === domain || (n.startsWith('*.') && domain.endsWith(n.slice(1)) && domain.split('.').length === n.split('.').length))) {
    findings.push({ severity: 'critical', title: `the certificate served for ${domain} is for ${c.names.join(', ')}`, evidence: [...base, ...acme], fix: acmeFix });
  } else if (left <= 0) {
    findings.push({ severity: 'critical', title: `${domain}'s certificate expired ${days(-left)} ago`, evidence: [...base, ...acme], fix: acmeFix });
  } else if (left < CERT_WARN_DAYS * DAY_MS) {
    findings.push({
      severity: left < CERT_CRITICAL_DAYS * DAY_MS ? 'critical' : 'warning',
      title: `${domain}'s certificate expires in ${days(left)}: Traefik should have renewed it (it renews 30 days before)`,
      evidence: [...base, ...acme],
      fix: acmeFix,
    });
  } else if (!c.trusted) {
    const staging = spec.spec.ingress?.acme === 'staging' || /staging|\(STAGING\)/i.test(c.issuer);
    if (staging && spec.spec.ingress?.acme === 'production') {
      findings.push({ severity: 'warning', title: `${domain} still has a Let's Encrypt staging certificate (browsers refuse it)`, evidence: base, fix: `Traefik asks ${ACME_SERVERS.production} for a new one by itself; if it does not, see its ACME errors` });
    } else if (!staging) {
      findings.push({ severity: 'critical', title: `browsers do not trust ${domain}'s certificate (${c.trustError ?? 'untrusted'})`, evidence: [...base, ...acme], fix: acmeFix });
    }
  }
  return { summary, findings };
}

export function ingressChecks(ctx: CheckContext): CheckDefinition[] {
  const { sources } = ctx;
  const spec = sources.spec;
  const ingress = spec.spec.ingress;
  if (!ingress || !ingressAddonsNeeded(spec)) return [];
  const node = sources.node(ingress.node);
  const cp = sources.controlPlane.name;
  const expected = () => ingressAddresses(node.address, (n) => sources.resolve4(n));
  const domains = spec.spec.workloads.flatMap((w) => (w.kind === 'app' && w.domain ? [w.domain] : []));
  return [
    define({
      name: 'ports',
      area: 'ingress',
      node: ingress.node,
      title: 'Ports 80 and 443 from here',
      timeoutMs: 60_000,
      run: async () => {
        const [address] = await expected();
        if (!address) return { summary: 'unknown', findings: [{ severity: 'unknown', title: `could not resolve ${node.address} from this computer`, evidence: [] }] };
        const [port80, port443] = await Promise.all([sources.tcp(address, 80), sources.tcp(address, 443)]);
        return judgePorts(ingress.node, address, { port80, port443 }, await sources.cluster().catch(() => undefined), cp);
      },
    }),
    ...domains.flatMap((domain) => [
      define({
        name: `dns:${domain}`,
        area: 'ingress',
        title: `DNS of ${domain}`,
        timeoutMs: 60_000,
        run: async () => judgeDomainDns(domain, ingress.node, await expected(), await sources.resolve4(domain)),
      }),
      define({
        name: `certificate:${domain}`,
        area: 'ingress',
        title: `Certificate of ${domain}`,
        timeoutMs: 90_000,
        run: async () => {
          const [address] = await expected();
          if (!address) return { summary: 'unknown', findings: [{ severity: 'unknown', title: `could not resolve ${node.address} from this computer`, evidence: [] }] };
          const answer = await sources.certificate(address, domain);
          const acme = await sources.acmeLines().catch(() => undefined);
          return judgeCertificate(spec, domain, answer, acme, ctx.now(), ctx.redact);
        },
      }),
    ]),
  ];
}
