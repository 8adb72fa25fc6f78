// The deploy history: ~/.hobbykube/<cluster>/history.yaml keeps, per workload, the images `deploy`
// replaced, newest last. `rollback NAME` returns to the newest one and takes it off the list, so
// repeated rollbacks walk back one deploy at a time; a deploy after a rollback starts a new branch.
// hobbykube.yaml stays the truth of what runs now: the history only says what ran before it.
// Kept beside the spec's state rather than in the Deployment's revision history, because it must
// also serve cron jobs (a CronJob keeps no revisions) and must agree with hobbykube.yaml, which
// `kubectl rollout undo` would not change.
import { parse, stringify } from 'yaml';
import { readTextIfExists, writeFileAtomic } from './files.js';
import type { ClusterPaths } from './paths.js';

export interface HistoryEntry {
  /** The image that ran before the deploy that replaced it. */
  image: string;
  /** When it was replaced (ISO 8601). */
  replaced: string;
}

export type History = Record<string, HistoryEntry[]>;

/** Entries kept per workload: enough to walk back a month of weekly releases twice over. */
export const HISTORY_LIMIT = 10;

export function loadHistory(paths: ClusterPaths): History {
  const text = readTextIfExists(paths.history);
  if (text === undefined) return {};
  const data = parse(text) as { workloads?: Record<string, unknown> } | null;
  const out: History = {};
  for (const [workload, entries] of Object.entries(data?.workloads ?? {})) {
    if (!Array.isArray(entries)) continue;
    out[workload] = entries
      .filter((e): e is { image: unknown; replaced?: unknown } => e !== null && typeof e === 'object' && 'image' in e)
      .map((e) => ({ image: String(e.image), replaced: String(e.replaced ?? '') }));
  }
  return out;
}

function save(paths: ClusterPaths, history: History): void {
  const header = "# Images `hobbykube deploy` replaced, newest last: `hobbykube rollback NAME` returns to the last one.\n";
  writeFileAtomic(paths.history, header + stringify({ workloads: history }, { lineWidth: 0 }), 0o600);
}

/** Records that `image` was replaced by a deploy of `workload`. */
export function pushHistory(paths: ClusterPaths, workload: string, image: string, now: Date = new Date()): void {
  const history = loadHistory(paths);
  const entries = [...(history[workload] ?? []), { image, replaced: now.toISOString() }];
  history[workload] = entries.slice(-HISTORY_LIMIT);
  save(paths, history);
}

/** The image a rollback of `workload` returns to: the newest entry that is not `current`. */
export function rollbackTarget(history: History, workload: string, current: string): HistoryEntry | undefined {
  return [...(history[workload] ?? [])].reverse().find((e) => e.image !== current);
}

/** Takes the entries down to and including the one a rollback returned to. */
export function popHistory(paths: ClusterPaths, workload: string, returnedTo: HistoryEntry): void {
  const history = loadHistory(paths);
  const entries = history[workload] ?? [];
  const at = entries.map((e) => `${e.image}@${e.replaced}`).lastIndexOf(`${returnedTo.image}@${returnedTo.replaced}`);
  history[workload] = at < 0 ? entries : entries.slice(0, at);
  if (history[workload]!.length === 0) delete history[workload];
  save(paths, history);
}
