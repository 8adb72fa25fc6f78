// The control plane's certificates: `kubeadm certs check-expiration` on the control plane (read
// only), its text table parsed, and what `status` says about it. kubeadm's certificates live one
// year (its CAs ten); an upgrade renews them, and so does `hobbykube upgrade --renew-certs`. On the
// day one expires the API server refuses its clients: kubectl, the kubelets, hobbykube itself.
//
// The table kubeadm prints (Go's tabwriter, columns padded with spaces; EXPIRES is Go's
// "Jan 02, 2006 15:04 MST" in UTC; a certificate that is not on disk is "!MISSING! <name>"):
//
//   CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
//   admin.conf                 Nov 28, 2027 10:00 UTC   364d            ca                      no
//   ...
//   CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
//   ca                      Nov 25, 2036 10:00 UTC   9y              no
import type { Host } from '../ssh/types.js';

/** Warn when a certificate expires sooner than this (the issue's threshold; kubeadm itself says nothing). */
export const WARN_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;

export const CERTS_SCRIPT = 'set -u\nkubeadm certs check-expiration\n';

export interface CertificateExpiry {
  name: string;
  /** NotAfter, ms since the epoch; undefined when kubeadm reported it missing. */
  expires?: number;
  /** The CA that signed it (certificates only). */
  authority?: string;
  externallyManaged?: boolean;
}

export interface CertificateReport {
  certificates: CertificateExpiry[];
  authorities: CertificateExpiry[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's "Jan 02, 2006 15:04 UTC" as ms since the epoch; undefined when it is not that. */
export function parseExpires(text: string): number | undefined {
  const m = /^([A-Z][a-z]{2}) (\d{2}), (\d{4}) (\d{2}):(\d{2}) UTC$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1]!);
  if (month < 0) return undefined;
  return Date.UTC(Number(m[3]), month, Number(m[2]), Number(m[4]), Number(m[5]));
}

const EXPIRES_RE = /([A-Z][a-z]{2} \d{2}, \d{4} \d{2}:\d{2} UTC)/;

/** The two tables of `kubeadm certs check-expiration`; lines that are neither (kubeadm's notes) are skipped. */
export function parseCheckExpiration(output: string): CertificateReport {
  const report: CertificateReport = { certificates: [], authorities: [] };
  let section: 'certificates' | 'authorities' | undefined;
  for (const line of output.split('\n')) {
    if (/^CERTIFICATE\s+EXPIRES\s/.test(line)) {
      section = 'certificates';
      continue;
    }
    if (/^CERTIFICATE AUTHORITY\s+EXPIRES\s/.test(line)) {
      section = 'authorities';
      continue;
    }
    if (!section || line.trim() === '') continue;
    const missing = /^!MISSING!\s+(\S+)/.exec(line);
    if (missing) {
      report[section].push({ name: missing[1]! });
      continue;
    }
    const expires = EXPIRES_RE.exec(line);
    if (!expires) continue;
    const name = line.slice(0, expires.index).trim();
    const after = line.slice(expires.index + expires[1]!.length).trim().split(/\s+/);
    // after: RESIDUAL TIME, [CERTIFICATE AUTHORITY,] EXTERNALLY MANAGED
    const entry: CertificateExpiry = { name, expires: parseExpires(expires[1]!)!, externallyManaged: after[after.length - 1] === 'yes' };
    if (section === 'certificates' && after.length >= 3) entry.authority = after[1]!;
    report[section].push(entry);
  }
  return report;
}

/** Runs check-expiration on the control plane (as root: it reads /etc/kubernetes/pki). */
export async function queryCertificates(cp: Host, timeoutMs = 30_000): Promise<CertificateReport> {
  const result = await cp.run(CERTS_SCRIPT, { sudo: true, timeoutMs });
  if (result.code !== 0) {
    const last = (result.stderr || result.stdout).trim().split('\n').slice(-1)[0] ?? '';
    throw new Error(`kubeadm certs check-expiration failed on ${cp.node} (exit code ${result.code})${last ? `: ${last}` : ''}`);
  }
  const report = parseCheckExpiration(result.stdout);
  if (report.certificates.length === 0) throw new Error(`kubeadm certs check-expiration on ${cp.node} printed no certificate table`);
  return report;
}

/** Whole days from `now` until `expires`; once expired, minus the whole days since (0: expired today). */
export function daysLeft(expires: number, now: number): number {
  return Math.trunc((expires - now) / DAY_MS);
}

export interface CertificateSummary {
  /** The certificate that expires first (the CAs are summarised apart). */
  first?: Dated;
  /** The CA that expires first. */
  firstAuthority?: Dated;
  missing: string[];
  /** Certificates (and CAs) expiring within WARN_DAYS, or already expired: what `status` warns about. */
  expiringSoon: Dated[];
}

export type Dated = CertificateExpiry & { expires: number; days: number; expired: boolean; isAuthority: boolean };

export function summarizeCertificates(report: CertificateReport, now: number): CertificateSummary {
  const dated = (list: CertificateExpiry[], isAuthority: boolean): Dated[] =>
    list
      .filter((c): c is CertificateExpiry & { expires: number } => c.expires !== undefined)
      .map((c) => ({ ...c, days: daysLeft(c.expires, now), expired: c.expires <= now, isAuthority }))
      .sort((a, b) => a.expires - b.expires);
  const certs = dated(report.certificates, false);
  const cas = dated(report.authorities, true);
  return {
    ...(certs[0] ? { first: certs[0] } : {}),
    ...(cas[0] ? { firstAuthority: cas[0] } : {}),
    missing: [...report.certificates, ...report.authorities].filter((c) => c.expires === undefined).map((c) => c.name),
    expiringSoon: [...certs, ...cas].filter((c) => c.days < WARN_DAYS && !c.externallyManaged),
  };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function inDays(c: Dated): string {
  if (c.expired) return c.days === 0 ? 'expired today' : `expired ${-c.days} day${c.days === -1 ? '' : 's'} ago`;
  if (c.days === 0) return 'expires today';
  return `${c.days} day${c.days === 1 ? '' : 's'} left`;
}

/** One line for status: the first certificate to expire, and the first CA. */
export function certificatesLine(cp: string, s: CertificateSummary): string {
  const parts: string[] = [];
  if (s.first) parts.push(`first expiry ${isoDay(s.first.expires)} (${s.first.name}, ${inDays(s.first)})`);
  if (s.firstAuthority) parts.push(`CAs until ${isoDay(s.firstAuthority.expires)}`);
  if (s.missing.length > 0) parts.push(`missing: ${s.missing.join(', ')}`);
  return `Certificates on ${cp}: ${parts.join('; ') || 'none reported'}`;
}

/** The problems status reports: certificates under WARN_DAYS, with what to run. */
export function certificateProblems(cp: string, s: CertificateSummary): string[] {
  if (s.expiringSoon.length === 0) return [];
  const names = s.expiringSoon.map((c) => `${c.name} (${inDays(c)})`).join(', ');
  const ca = s.expiringSoon.some((c) => c.isAuthority);
  return [
    `certificates on ${cp} expire within ${WARN_DAYS} days: ${names}. Run \`hobbykube upgrade --renew-certs\` (or \`hobbykube upgrade\`, which renews them)${ca ? '; a CA cannot be renewed that way: see kubeadm\'s "Manual certificate renewal" for CA rotation' : ''}.`,
  ];
}
