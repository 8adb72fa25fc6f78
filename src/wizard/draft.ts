// The draft: the wizard's answers so far, saved as the person goes (atomic write, so a crash or a
// dropped terminal never leaves half a file) to ~/.hobbykube/<cluster>/draft.yaml, and offered
// back on the next start. Secret values are never part of the answers, so never in the draft.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { writeFileAtomic } from '../state/files.js';
import { clusterPaths, stateHome } from '../state/paths.js';
import { emptyAnswers, type Answers } from './answers.js';
import { isScreenId, type ScreenId } from './screen-ids.js';

export interface Draft {
  savedAt: string;
  screen: ScreenId;
  answers: Answers;
}

export function saveDraft(answers: Answers, screen: ScreenId, env: NodeJS.ProcessEnv = process.env, now: Date = new Date()): string | undefined {
  if (answers.cluster.name === '' || !/^[a-z0-9-]+$/.test(answers.cluster.name)) return undefined;
  const path = clusterPaths(answers.cluster.name, env).draft;
  const draft: Draft = { savedAt: now.toISOString(), screen, answers };
  writeFileAtomic(path, `# hobbykube wizard draft (no secret values here). Offered back when the wizard starts.\n${stringify(draft, { lineWidth: 0 })}`, 0o600);
  return path;
}

/** Fills anything a draft from an older version lacks, so a draft never crashes the wizard. */
function normalize(data: unknown): Draft | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Partial<Draft>;
  const a = d.answers as Partial<Answers> | undefined;
  if (!a || typeof a !== 'object') return undefined;
  const base = emptyAnswers();
  const answers: Answers = {
    cluster: { ...base.cluster, ...(a.cluster ?? {}) },
    nodes: Array.isArray(a.nodes) ? a.nodes : [],
    dns: { ...base.dns, ...(a.dns ?? {}) },
    ingress: { ...base.ingress, ...(a.ingress ?? {}) },
    ...(a.network && typeof a.network === 'object' ? { network: a.network } : {}),
    workloads: Array.isArray(a.workloads) ? a.workloads : [],
  };
  const screen = isScreenId(d.screen) ? d.screen : 'welcome';
  return { savedAt: typeof d.savedAt === 'string' ? d.savedAt : '', screen, answers };
}

export function loadDraft(path: string): Draft | undefined {
  try {
    return normalize(parse(readFileSync(path, 'utf8')));
  } catch {
    return undefined;
  }
}

/** The newest draft under the state home, if any. */
export function findDraft(env: NodeJS.ProcessEnv = process.env): (Draft & { path: string }) | undefined {
  const home = stateHome(env);
  if (!existsSync(home)) return undefined;
  let best: { path: string; mtime: number } | undefined;
  for (const entry of readdirSync(home)) {
    const path = join(home, entry, 'draft.yaml');
    try {
      const mtime = statSync(path).mtimeMs;
      if (!best || mtime > best.mtime) best = { path, mtime };
    } catch {
      // no draft for this cluster
    }
  }
  if (!best) return undefined;
  const draft = loadDraft(best.path);
  return draft ? { ...draft, path: best.path } : undefined;
}

export function discardDraft(answers: Answers, env: NodeJS.ProcessEnv = process.env): void {
  if (answers.cluster.name === '') return;
  rmSync(clusterPaths(answers.cluster.name, env).draft, { force: true });
}
