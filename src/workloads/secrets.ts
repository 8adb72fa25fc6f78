// Generated secrets: each database's MySQL root password is created on first render and kept in
// secrets.yaml (0600) beside the secretEnv values. It is never printed; the caller invokes this
// before rendering the Secret objects.
import { randomBytes } from 'node:crypto';
import { loadSecrets, saveSecrets, type Secrets } from '../state/secrets.js';
import type { ClusterPaths } from '../state/paths.js';
import type { ClusterSpec } from '../spec/types.js';
import { MYSQL_ROOT_PASSWORD } from './render.js';

/** 32 characters of base64url: 192 random bits, no quoting trouble anywhere. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/** The secrets with a root password for every database that has none (pure apart from `generate`). */
export function withGeneratedSecrets(spec: ClusterSpec, secrets: Secrets, generate: () => string = generatePassword): { secrets: Secrets; generated: string[] } {
  const out: Secrets = Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, { ...v }]));
  const generated: string[] = [];
  for (const w of spec.spec.workloads) {
    if (w.kind !== 'database' || out[w.name]?.[MYSQL_ROOT_PASSWORD] !== undefined) continue;
    out[w.name] = { ...(out[w.name] ?? {}), [MYSQL_ROOT_PASSWORD]: generate() };
    generated.push(`${w.name}.${MYSQL_ROOT_PASSWORD}`);
  }
  return { secrets: out, generated };
}

/** Loads secrets.yaml, adds missing database passwords and saves it (0600) when something was added. */
export function ensureGeneratedSecrets(spec: ClusterSpec, paths: ClusterPaths): { secrets: Secrets; generated: string[] } {
  const result = withGeneratedSecrets(spec, loadSecrets(paths));
  if (result.generated.length > 0) saveSecrets(paths, result.secrets);
  return result;
}
