// Generated secrets: each database's MySQL root password, and the password of each `database:`
// link's own MySQL user, are created on first need and kept in secrets.yaml (0600) beside the
// secretEnv values and registry tokens. They are never printed; the caller invokes this before
// rendering the Secret objects.
import { randomBytes } from 'node:crypto';
import { loadSecretValues, saveSecretValues, type SecretValues } from '../state/secrets.js';
import type { ClusterPaths } from '../state/paths.js';
import type { ClusterSpec } from '../spec/types.js';
import { MYSQL_ROOT_PASSWORD } from './render.js';

/** 32 characters of base64url: 192 random bits, no quoting trouble anywhere (SQL, URLs, shells). */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

function copy(values: SecretValues): SecretValues {
  const deep = (o: Record<string, Record<string, string>>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { ...v }]));
  return { workloads: deep(values.workloads), databaseUsers: deep(values.databaseUsers), registries: { ...values.registries } };
}

/**
 * The values with a root password for every database and a user password for every database link
 * that has none (pure apart from `generate`). `generated` names what was added.
 */
export function withGeneratedSecrets(spec: ClusterSpec, values: SecretValues, generate: () => string = generatePassword): { secrets: SecretValues; generated: string[] } {
  const out = copy(values);
  const generated: string[] = [];
  for (const w of spec.spec.workloads) {
    if (w.kind === 'database') {
      if (out.workloads[w.name]?.[MYSQL_ROOT_PASSWORD] !== undefined) continue;
      out.workloads[w.name] = { ...(out.workloads[w.name] ?? {}), [MYSQL_ROOT_PASSWORD]: generate() };
      generated.push(`${w.name}.${MYSQL_ROOT_PASSWORD}`);
    } else if (w.database !== undefined && out.databaseUsers[w.database]?.[w.name] === undefined) {
      out.databaseUsers[w.database] = { ...(out.databaseUsers[w.database] ?? {}), [w.name]: generate() };
      generated.push(`${w.database} user ${w.name}`);
    }
  }
  return { secrets: out, generated };
}

/** Loads secrets.yaml, adds missing generated passwords and saves it (0600) when something was added. */
export function ensureGeneratedSecrets(spec: ClusterSpec, paths: ClusterPaths): { secrets: SecretValues; generated: string[] } {
  const result = withGeneratedSecrets(spec, loadSecretValues(paths));
  if (result.generated.length > 0) saveSecretValues(paths, result.secrets);
  return result;
}

/**
 * Database users hobbykube made that no workload links any more: they are kept (with their data)
 * and their passwords stay in secrets.yaml; `apply` says so.
 */
export function unlinkedDatabaseUsers(spec: ClusterSpec, values: SecretValues): Array<{ database: string; workload: string }> {
  const linked = new Set(spec.spec.workloads.flatMap((w) => (w.kind !== 'database' && w.database !== undefined ? [`${w.database}/${w.name}`] : [])));
  return Object.entries(values.databaseUsers).flatMap(([database, users]) => Object.keys(users).filter((workload) => !linked.has(`${database}/${workload}`)).map((workload) => ({ database, workload })));
}
