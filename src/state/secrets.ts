// Secret values (secretEnv values, generated database passwords) live only here and in the
// cluster: ~/.hobbykube/<cluster>/secrets.yaml, mode 0600, never in hobbykube.yaml, logs or plans.
import { readFileSync, statSync, chmodSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { writeSecretFile } from './files.js';
import type { ClusterPaths } from './paths.js';
import type { ClusterSpec } from '../spec/types.js';

/** workload name -> variable name -> value */
export type Secrets = Record<string, Record<string, string>>;

export function loadSecrets(paths: ClusterPaths): Secrets {
  let text: string;
  try {
    text = readFileSync(paths.secrets, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  // Someone may have copied the file around with a looser mode; tighten it rather than leak.
  if ((statSync(paths.secrets).mode & 0o077) !== 0) chmodSync(paths.secrets, 0o600);
  const data = parse(text) as { workloads?: Secrets } | null;
  const out: Secrets = {};
  for (const [workload, values] of Object.entries(data?.workloads ?? {})) {
    out[workload] = Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));
  }
  return out;
}

export function saveSecrets(paths: ClusterPaths, secrets: Secrets): void {
  writeSecretsDocument(paths, { ...readSecretsDocument(paths), workloads: secrets });
}

/**
 * The whole secrets file as a plain object: `workloads` (above) and `encryption` (the keys Secrets
 * are encrypted with at rest, src/state/encryption-keys.ts). Each writer keeps the other's part.
 */
export function readSecretsDocument(paths: ClusterPaths): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(paths.secrets, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  if ((statSync(paths.secrets).mode & 0o077) !== 0) chmodSync(paths.secrets, 0o600);
  const data = parse(text) as unknown;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

export function writeSecretsDocument(paths: ClusterPaths, document: Record<string, unknown>): void {
  writeSecretFile(paths.secrets, stringify(document, { lineWidth: 0 }));
}

export function setSecret(paths: ClusterPaths, workload: string, name: string, value: string): void {
  const secrets = loadSecrets(paths);
  secrets[workload] = { ...(secrets[workload] ?? {}), [name]: value };
  saveSecrets(paths, secrets);
}

/** The secretEnv values the spec names that have no value yet, as "workload.NAME". */
export function missingSecrets(spec: ClusterSpec, secrets: Secrets): string[] {
  const missing: string[] = [];
  for (const w of spec.spec.workloads) {
    if (w.kind === 'database') continue;
    for (const name of w.secretEnv) if (secrets[w.name]?.[name] === undefined) missing.push(`${w.name}.${name}`);
  }
  return missing;
}
