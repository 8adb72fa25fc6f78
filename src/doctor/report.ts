// The report: checks grouped by node (the cluster-wide ones last) and area, worst first; the
// plain text doctor prints when not on a terminal (and after the live view), and the JSON of
// --json. Pure.
import { AREA_TITLES, AREAS, STATUS_RANK, type Area, type CheckResult, type CheckStatus, type Severity } from './types.js';
import { wrapWithHang } from '../text/wrap.js';

export const CLUSTER_GROUP = 'cluster';

export interface AreaGroup {
  area: Area;
  status: CheckStatus;
  checks: CheckResult[];
}

export interface Group {
  /** A node's name, or "cluster". */
  key: string;
  /** "cp1 (control-plane)" or "Cluster". */
  title: string;
  status: CheckStatus;
  areas: AreaGroup[];
}

const worst = (statuses: readonly CheckStatus[]): CheckStatus => statuses.reduce<CheckStatus>((w, s) => (STATUS_RANK[s] < STATUS_RANK[w] ? s : w), 'ok');

export function groupKey(r: Pick<CheckResult, 'node' | 'area'>): string {
  return r.node ?? CLUSTER_GROUP;
}

/**
 * Groups in order: worst status first, then nodes in spec order, the cluster last. Inside a group,
 * areas worst first (then in AREAS order), checks worst first (then as listed).
 */
export function groupResults(results: readonly CheckResult[], nodes: ReadonlyArray<{ name: string; role: string }>): Group[] {
  const order = new Map<string, number>(nodes.map((n, i) => [n.name, i]));
  const keys = [...new Set(results.map(groupKey))];
  const groups = keys.map((key): Group => {
    const mine = results.filter((r) => groupKey(r) === key);
    const areas = AREAS.map((area) => {
      const checks = mine
        .map((r, i) => ({ r, i }))
        .filter(({ r }) => r.area === area)
        .sort((a, b) => STATUS_RANK[a.r.status] - STATUS_RANK[b.r.status] || a.i - b.i)
        .map(({ r }) => r);
      return { area, status: worst(checks.map((c) => c.status)), checks };
    })
      .filter((a) => a.checks.length > 0)
      .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || AREAS.indexOf(a.area) - AREAS.indexOf(b.area));
    const node = nodes.find((n) => n.name === key);
    return { key, title: node ? `${node.name} (${node.role})` : 'Cluster', status: worst(areas.map((a) => a.status)), areas };
  });
  const rank = (k: string) => order.get(k) ?? Number.MAX_SAFE_INTEGER;
  return groups.sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || rank(a.key) - rank(b.key));
}

export interface Counts {
  critical: number;
  warning: number;
  unknown: number;
  ok: number;
  running: number;
  pending: number;
}

export function countResults(results: readonly CheckResult[]): Counts {
  const c: Counts = { critical: 0, warning: 0, unknown: 0, ok: 0, running: 0, pending: 0 };
  for (const r of results) c[r.status] += 1;
  return c;
}

/** Findings by severity, over all checks. */
export function countFindings(results: readonly CheckResult[]): Record<Severity, number> {
  const c: Record<Severity, number> = { critical: 0, warning: 0, unknown: 0 };
  for (const r of results) for (const f of r.findings) c[f.severity] += 1;
  return c;
}

export function healthy(results: readonly CheckResult[]): boolean {
  return results.every((r) => r.status === 'ok');
}

export const STATUS_WORD: Record<CheckStatus, string> = {
  critical: 'CRITICAL',
  warning: 'WARNING',
  unknown: 'UNKNOWN',
  ok: 'ok',
  running: 'running',
  pending: 'waiting',
};

export interface ReportHeader {
  cluster: string;
  startedAt: number;
  durationMs: number;
}

export interface TextStyle {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

const plainStyle: TextStyle = { bold: (s) => s, red: (s) => s, yellow: (s) => s, green: (s) => s, dim: (s) => s };

function tone(style: TextStyle, status: CheckStatus): (s: string) => string {
  return status === 'critical' ? style.red : status === 'warning' || status === 'unknown' ? style.yellow : status === 'ok' ? style.green : style.dim;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const f = countFindings(results);
  const total = f.critical + f.warning + f.unknown;
  if (total === 0) return `No findings: all ${results.length} checks passed.`;
  const parts = [f.critical > 0 ? `${f.critical} critical` : '', f.warning > 0 ? `${f.warning} warning${f.warning === 1 ? '' : 's'}` : '', f.unknown > 0 ? `${f.unknown} not checked` : ''].filter(Boolean);
  return `${total} finding${total === 1 ? '' : 's'}: ${parts.join(', ')} (${countResults(results).ok} of ${results.length} checks passed).`;
}

/** Cuts a line at spaces to `width` columns; continuation lines start at column `hang`. */
export function wrapHanging(line: string, width: number | undefined, hang: number): string[] {
  if (width === undefined || line.length <= width || width < hang + 20) return [line];
  return wrapWithHang(line, width, ' '.repeat(hang));
}

/**
 * The plain report: findings (grouped by node and area, worst first) with evidence and fix, then
 * every check in one line. `width` wraps long lines (a terminal); without it lines stay whole.
 */
export function formatReport(header: ReportHeader, results: readonly CheckResult[], nodes: ReadonlyArray<{ name: string; role: string }>, style: TextStyle = plainStyle, width?: number): string[] {
  const lines: string[] = [];
  // Styles wrap whole lines after wrapping, so colour codes never count against the width.
  const put = (text: string, hang: number, paint: (s: string) => string = (x) => x) => {
    for (const l of wrapHanging(text, width, hang)) lines.push(paint(l));
  };
  const when = new Date(header.startedAt).toISOString().replace(/\.\d+Z$/, 'Z');
  put(`hobbykube doctor: cluster ${header.cluster}, ${when}, ${results.length} checks in ${(header.durationMs / 1000).toFixed(1)} s`, 2, style.bold);
  lines.push('');
  const groups = groupResults(results, nodes);
  for (const g of groups.filter((x) => x.status !== 'ok')) {
    put(g.title, 2, style.bold);
    for (const a of g.areas) {
      for (const c of a.checks) {
        for (const f of c.findings) {
          const word = STATUS_WORD[f.severity].padEnd(8);
          const head = wrapHanging(`  ${word} ${AREA_TITLES[a.area]} › ${c.title}: ${f.title}`, width, 11);
          lines.push(`  ${tone(style, f.severity)(word)}${head[0]!.slice(2 + word.length)}`, ...head.slice(1));
          for (const e of f.evidence) put(`           ${e}`, 13);
          if (f.fix) put(`           fix: ${f.fix}`, 16);
        }
      }
    }
    lines.push('');
  }
  put('Every check:', 2, style.bold);
  for (const g of groups) {
    put(`  ${g.title}`, 4);
    for (const a of g.areas) {
      for (const c of a.checks) {
        const word = STATUS_WORD[c.status].padEnd(8);
        const head = wrapHanging(`    ${word} ${AREA_TITLES[a.area]} › ${c.title}: ${c.summary}`, width, 13);
        lines.push(`    ${tone(style, c.status)(word)}${head[0]!.slice(4 + word.length)}`, ...head.slice(1));
      }
    }
  }
  lines.push('');
  put(summaryLine(results), 2, style.bold);
  return lines;
}

export interface JsonReport {
  cluster: string;
  startedAt: string;
  durationMs: number;
  healthy: boolean;
  findings: Record<Severity, number>;
  checks: Array<CheckResult & { group: string }>;
}

export function jsonReport(header: ReportHeader, results: readonly CheckResult[], nodes: ReadonlyArray<{ name: string; role: string }>): JsonReport {
  const checks = groupResults(results, nodes).flatMap((g) => g.areas.flatMap((a) => a.checks.map((c) => ({ group: g.key, ...c }))));
  return {
    cluster: header.cluster,
    startedAt: new Date(header.startedAt).toISOString(),
    durationMs: header.durationMs,
    healthy: healthy(results),
    findings: countFindings(results),
    checks,
  };
}
