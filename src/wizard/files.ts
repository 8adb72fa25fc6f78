// Everything the wizard reads and writes, behind one interface the command layer injects: the spec
// file, the draft, the secret values (secrets.yaml, 0600) and the cluster's known_hosts folder.
// `stateFiles(env)` is the real one, on the state directory (~/.hobbykube or $HOBBYKUBE_HOME);
// the flow (flow.ts) and the screens never touch the file system themselves.
import { existsSync } from 'node:fs';
import { readSpecFile, saveSpec } from '../spec/file.js';
import { formatProblem } from '../spec/problems.js';
import { clusterPaths, ensureClusterDir } from '../state/paths.js';
import { loadSecrets, loadSecretValues, saveSecrets, setRegistryToken } from '../state/secrets.js';
import type { Answers } from './answers.js';
import { discardDraft, findDraft, saveDraft, type Draft } from './draft.js';
import type { ScreenId } from './screen-ids.js';
import { answersFromSpec, buildSpec } from './spec-answers.js';

/** The spec file as the wizard starts from it: absent, not valid (start fresh), or its answers. */
export type SpecStart = { status: 'absent' } | { status: 'invalid' } | { status: 'valid'; answers: Answers };

export interface WizardFiles {
  /** Throws a FileError when the path exists but cannot be read (a directory, no permission). */
  readSpec(path: string): SpecStart;
  /** Writes the spec (minimal in-place merge into an existing file). Throws when the answers are not a valid spec. */
  writeSpec(answers: Answers, path: string): void;
  /** The newest draft under the state home, if any. */
  findDraft(): (Draft & { path: string }) | undefined;
  /** Saves the draft; its path, or undefined when the cluster name cannot name a folder yet. */
  saveDraft(answers: Answers, screen: ScreenId, now: Date): string | undefined;
  discardDraft(answers: Answers): void;
  /** Secret names that have a value in secrets.yaml, per workload. Throws when the file cannot be read. */
  storedSecretNames(cluster: string): Record<string, string[]>;
  /**
   * Keeps a workload's secret values. `renamedFrom`: the workload's name before this save; values
   * stored under it move to the new name first (typed values then replace moved ones).
   * Writes nothing when there is nothing to keep or move.
   */
  storeWorkloadSecrets(cluster: string, workload: string, values: Record<string, string>, renamedFrom?: string): void;
  /** Registry names whose token secrets.yaml keeps. Throws when the file cannot be read. */
  storedRegistryTokens(cluster: string): string[];
  /** Keeps a registry's token in secrets.yaml (0600); never in the spec. */
  storeRegistryToken(cluster: string, registry: string, token: string): void;
  /** The cluster's known_hosts path; the cluster's folder is made (0700) first. */
  knownHosts(cluster: string): string;
}

export function stateFiles(env: NodeJS.ProcessEnv = process.env): WizardFiles {
  return {
    readSpec(path) {
      if (!existsSync(path)) return { status: 'absent' };
      const read = readSpecFile(path);
      return read.spec ? { status: 'valid', answers: answersFromSpec(read.spec) } : { status: 'invalid' };
    },
    writeSpec(answers, path) {
      const built = buildSpec(answers);
      if (!built.spec) throw new Error(`the answers do not make a valid spec yet:\n  ${built.problems.map((p) => formatProblem(p)).join('\n  ')}`);
      saveSpec(path, built.spec);
    },
    findDraft: () => findDraft(env),
    saveDraft: (answers, screen, now) => saveDraft(answers, screen, env, now),
    discardDraft: (answers) => discardDraft(answers, env),
    storedSecretNames(cluster) {
      const secrets = loadSecrets(clusterPaths(cluster, env));
      return Object.fromEntries(Object.entries(secrets).map(([w, v]) => [w, Object.keys(v)]));
    },
    storeWorkloadSecrets(cluster, workload, values, renamedFrom) {
      const paths = clusterPaths(cluster, env);
      const moving = renamedFrom !== undefined && renamedFrom !== workload;
      if (!moving && Object.keys(values).length === 0) return;
      const secrets = loadSecrets(paths);
      const moved = moving ? secrets[renamedFrom] : undefined;
      if (!moved && Object.keys(values).length === 0) return;
      // The form showed the old name's values as kept: they win over anything left under the new name.
      secrets[workload] = { ...(secrets[workload] ?? {}), ...(moved ?? {}), ...values };
      if (moved) delete secrets[renamedFrom!];
      ensureClusterDir(paths);
      saveSecrets(paths, secrets);
    },
    storedRegistryTokens(cluster) {
      const tokens = loadSecretValues(clusterPaths(cluster, env)).registries;
      return Object.keys(tokens).filter((name) => tokens[name] !== '');
    },
    storeRegistryToken(cluster, registry, token) {
      const paths = clusterPaths(cluster, env);
      ensureClusterDir(paths);
      setRegistryToken(paths, registry, token);
    },
    knownHosts(cluster) {
      const paths = clusterPaths(cluster, env);
      ensureClusterDir(paths);
      return paths.knownHosts;
    },
  };
}
