// `hobbykube doctor`: the shapes every part shares. A check looks at one thing (a node's SSH
// login, CoreDNS, one app's certificate ...) and ends with a summary and zero or more findings;
// each finding has a severity, the evidence it saw (redacted) and the fix (a command or a spec
// change). No I/O here.

/** Where a check belongs in the report: grouped by node (or the cluster), then by area. */
export type Area = 'node' | 'dns' | 'memory' | 'workloads' | 'ingress' | 'cluster';

export const AREAS: readonly Area[] = ['node', 'dns', 'memory', 'workloads', 'ingress', 'cluster'];

export const AREA_TITLES: Record<Area, string> = {
  node: 'Node',
  dns: 'DNS',
  memory: 'Memory',
  workloads: 'Workloads',
  ingress: 'Ingress and TLS',
  cluster: 'Cluster',
};

/**
 * How bad a finding is:
 * - critical: broken now (a node down, DNS not resolving, a workload not serving);
 * - warning:  will break or is degraded (a certificate expiring, memory tight, a stale lock);
 * - unknown:  the check could not run, and says why (it never passes silently).
 */
export type Severity = 'critical' | 'warning' | 'unknown';

export type CheckStatus = 'pending' | 'running' | 'ok' | Severity;

/** Worst first: the order of the report. */
export const STATUS_RANK: Record<CheckStatus, number> = { critical: 0, warning: 1, unknown: 2, running: 3, pending: 4, ok: 5 };

export interface Finding {
  severity: Severity;
  /** The cause in plain words, one line. */
  title: string;
  /** What the check saw: lines of output, numbers (redacted). */
  evidence: string[];
  /** What to do next: a command or a spec change. */
  fix?: string;
}

export interface CheckOutcome {
  /** One line: what was seen (also when all is well). */
  summary: string;
  findings: Finding[];
}

export interface CheckDefinition {
  /** Stable id: `<group>/<area>/<name>` (cp1/node/ssh, cluster/dns/lookup, cluster/ingress/cert:blog.example.com). */
  id: string;
  area: Area;
  /** The node it is about; undefined: the cluster as a whole. */
  node?: string;
  /** Short name shown in the view ("SSH login", "CoreDNS"). */
  title: string;
  /** The check is stopped and reported as unknown after this long. */
  timeoutMs: number;
  run(): Promise<CheckOutcome>;
}

export interface CheckResult {
  id: string;
  area: Area;
  node?: string;
  title: string;
  status: CheckStatus;
  summary: string;
  findings: Finding[];
  startedAt?: number;
  durationMs?: number;
}

/** The status a finished check gets from its findings: the worst severity, or ok. */
export function statusOf(findings: readonly Finding[]): CheckStatus {
  let worst: CheckStatus = 'ok';
  for (const f of findings) if (STATUS_RANK[f.severity] < STATUS_RANK[worst]) worst = f.severity;
  return worst;
}

/** A finding that says a check could not run, and why. */
export function cannotCheck(why: string, fix?: string): Finding {
  return { severity: 'unknown', title: `could not check: ${why}`, evidence: [], ...(fix ? { fix } : {}) };
}

/** A source (SSH, the cluster query ...) that failed: every check depending on it says so. */
export class SourceError extends Error {
  constructor(
    message: string,
    /** What the owner can do about it, when known. */
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'SourceError';
  }
}

export const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
