// Secret values live only here and in the cluster: ~/.hobbykube/<cluster>/secrets.yaml, mode 0600,
// never in hobbykube.yaml, logs or plans. Four sections:
//
//   workloads:      workload -> NAME -> value   (secretEnv values, each database's MYSQL_ROOT_PASSWORD)
//   databaseUsers:  database -> workload -> password   (generated for each `database:` link)
//   registries:     registry name -> token      (private registries' passwords or access tokens)
//   encryption:     the keys Secrets are encrypted with at rest (src/state/encryption-keys.ts)
//
// A database user's entry outlives the link: hobbykube never drops a MySQL user, so the password
// stays here with a note in `apply` until the owner removes the user and the entry by hand.
import { statSync, chmodSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { readTextIfExists, writeSecretFile } from './files.js';
import type { ClusterPaths } from './paths.js';
import type { ClusterSpec } from '../spec/types.js';

/** workload name -> variable name -> value */
export type Secrets = Record<string, Record<string, string>>;
/** database workload -> linked workload -> the password of its MySQL user */
export type DatabaseUsers = Record<string, Record<string, string>>;
/** registry name (spec.registries[].name) -> token */
export type RegistryTokens = Record<string, string>;

/** Everything secrets.yaml holds. */
export interface SecretValues {
  workloads: Secrets;
  databaseUsers: DatabaseUsers;
  registries: RegistryTokens;
}

export const emptySecretValues = (): SecretValues => ({ workloads: {}, databaseUsers: {}, registries: {} });

function nested(value: unknown): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [outer, inner] of Object.entries(value as Record<string, unknown>)) {
    out[outer] = Object.fromEntries(Object.entries((inner ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  return out;
}

export function loadSecretValues(paths: ClusterPaths): SecretValues {
  const data = readSecretsDocument(paths);
  const registries = data.registries !== null && typeof data.registries === 'object' ? (data.registries as Record<string, unknown>) : {};
  return {
    workloads: nested(data.workloads),
    databaseUsers: nested(data.databaseUsers),
    registries: Object.fromEntries(Object.entries(registries).map(([k, v]) => [k, String(v)])),
  };
}

/** Writes these three sections; the file's other sections (encryption keys) are kept. */
export function saveSecretValues(paths: ClusterPaths, values: SecretValues): void {
  const { databaseUsers: _users, registries: _registries, ...rest } = readSecretsDocument(paths);
  const out: Record<string, unknown> = { ...rest, workloads: values.workloads };
  if (Object.keys(values.databaseUsers).length > 0) out.databaseUsers = values.databaseUsers;
  if (Object.keys(values.registries).length > 0) out.registries = values.registries;
  writeSecretsDocument(paths, out);
}

/** The workloads section. */
export function loadSecrets(paths: ClusterPaths): Secrets {
  return loadSecretValues(paths).workloads;
}

/** Replaces the workloads section; the others are kept. */
export function saveSecrets(paths: ClusterPaths, secrets: Secrets): void {
  writeSecretsDocument(paths, { ...readSecretsDocument(paths), workloads: secrets });
}

/**
 * The whole secrets file as a plain object: the sections above and `encryption` (the keys Secrets
 * are encrypted with at rest, src/state/encryption-keys.ts). Each writer keeps the others' parts.
 */
export function readSecretsDocument(paths: ClusterPaths): Record<string, unknown> {
  const text = readTextIfExists(paths.secrets);
  if (text === undefined) return {};
  // Someone may have copied the file around with a looser mode; tighten it rather than leak.
  if ((statSync(paths.secrets).mode & 0o077) !== 0) chmodSync(paths.secrets, 0o600);
  const data = parse(text) as unknown;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

export function writeSecretsDocument(paths: ClusterPaths, document: Record<string, unknown>): void {
  writeSecretFile(paths.secrets, stringify(document, { lineWidth: 0 }));
}

export function setSecret(paths: ClusterPaths, workload: string, name: string, value: string): void {
  const values = loadSecretValues(paths);
  values.workloads[workload] = { ...(values.workloads[workload] ?? {}), [name]: value };
  saveSecretValues(paths, values);
}

export function setRegistryToken(paths: ClusterPaths, registry: string, token: string): void {
  const values = loadSecretValues(paths);
  values.registries[registry] = token;
  saveSecretValues(paths, values);
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

/** The registries of the spec that have no token yet. */
export function missingRegistryTokens(spec: ClusterSpec, tokens: RegistryTokens): string[] {
  return (spec.spec.registries ?? []).filter((r) => tokens[r.name] === undefined || tokens[r.name] === '').map((r) => r.name);
}

/** Every value the file holds: for the redactor. */
export function allSecretValues(values: SecretValues): string[] {
  return [
    ...Object.values(values.workloads).flatMap((v) => Object.values(v)),
    ...Object.values(values.databaseUsers).flatMap((v) => Object.values(v)),
    ...Object.values(values.registries),
  ];
}
