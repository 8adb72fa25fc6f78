// The keys Secrets are encrypted with at rest (the configuration that uses them: src/install/render/encryption.ts), kept in the
// secrets file (0600) beside the workloads' secret values, so that a rebuilt control plane, or an
// etcd backup restored onto one, can read the data written with them.
//
// The control plane holds the same keys in its encryption configuration. Before an apply the two
// are reconciled (reconcileKeys): keys the control plane has and this computer lost (a new laptop,
// a deleted state directory) are copied back; a key generated here is the first (writing) key only
// when the cluster has none yet. Two different keys under one name are refused: the API server
// finds a value's key by the name written into it, so one of them could no longer decrypt.
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import type { ClusterPaths } from './paths.js';
import { readSecretsDocument, writeSecretsDocument } from './secrets.js';

/** secretbox (XSalsa20 and Poly1305): why this provider is said in src/install/render/encryption.ts. */
export const ENCRYPTION_PROVIDER = 'secretbox';
export const KEY_BYTES = 32;

export interface EncryptionKey {
  /** key1, key2 ...: the name the API server writes into every encrypted value's prefix. */
  name: string;
  /** base64 of KEY_BYTES random bytes: a secret. */
  secret: string;
}

export function checkKey(key: EncryptionKey): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(key.name)) throw new Error(`not an encryption key name: ${JSON.stringify(key.name)}`);
  const bytes = Buffer.from(key.secret, 'base64');
  if (bytes.length !== KEY_BYTES || bytes.toString('base64') !== key.secret) throw new Error(`encryption key ${key.name}: expected the base64 of ${KEY_BYTES} bytes`);
}

export function loadEncryptionKeys(paths: ClusterPaths): EncryptionKey[] {
  const doc = readSecretsDocument(paths);
  const section = doc.encryption as { keys?: unknown } | undefined;
  const keys = Array.isArray(section?.keys) ? section.keys : [];
  const out: EncryptionKey[] = [];
  for (const item of keys) {
    const key = { name: String((item as Record<string, unknown>)?.name ?? ''), secret: String((item as Record<string, unknown>)?.secret ?? '') };
    try {
      checkKey(key);
    } catch (error) {
      throw new Error(`${paths.secrets}: encryption.keys: ${(error as Error).message}`);
    }
    out.push(key);
  }
  return out;
}

export function saveEncryptionKeys(paths: ClusterPaths, keys: readonly EncryptionKey[]): void {
  writeSecretsDocument(paths, { ...readSecretsDocument(paths), encryption: { provider: ENCRYPTION_PROVIDER, keys: keys.map((k) => ({ name: k.name, secret: k.secret })) } });
}

export function generateKey(taken: readonly string[] = []): EncryptionKey {
  let n = 1;
  while (taken.includes(`key${n}`)) n += 1;
  return { name: `key${n}`, secret: randomBytes(KEY_BYTES).toString('base64') };
}

/**
 * The secretbox keys in a control plane's encryption configuration (the file's text), in order.
 * Throws when the file uses a provider hobbykube does not manage (its keys would be dropped).
 */
export function keysInConfig(text: string): EncryptionKey[] {
  const doc = parse(text) as { kind?: string; resources?: Array<{ providers?: Array<Record<string, { keys?: Array<{ name?: unknown; secret?: unknown }> }>> }> } | null;
  if (doc?.kind !== 'EncryptionConfiguration') throw new Error('not an EncryptionConfiguration');
  const keys: EncryptionKey[] = [];
  for (const resource of doc.resources ?? []) {
    for (const provider of resource.providers ?? []) {
      for (const [type, config] of Object.entries(provider)) {
        if (type === 'identity') continue;
        if (type !== ENCRYPTION_PROVIDER) throw new Error(`it uses the ${type} provider, which hobbykube does not manage (it writes ${ENCRYPTION_PROVIDER} only)`);
        for (const k of config.keys ?? []) {
          const key = { name: String(k.name ?? ''), secret: String(k.secret ?? '') };
          checkKey(key);
          if (!keys.some((x) => x.name === key.name && x.secret === key.secret)) keys.push(key);
        }
      }
    }
  }
  return keys;
}

export interface Reconciled {
  keys: EncryptionKey[];
  /** Names copied back from the control plane. */
  imported: string[];
  /** A key generated now (the cluster had none). */
  generated?: string;
}

/** Local keys and the control plane's (undefined: it has none yet) as one list; the first key writes. */
export function reconcileKeys(local: readonly EncryptionKey[], remote: readonly EncryptionKey[] | undefined, generate: (taken: string[]) => EncryptionKey = generateKey): Reconciled {
  const keys = [...local];
  const imported: string[] = [];
  for (const key of remote ?? []) {
    const same = keys.find((k) => k.name === key.name);
    if (same && same.secret !== key.secret) {
      throw new Error(`encryption key ${key.name} in the secrets file is not the one the control plane uses: the API server finds a Secret's key by its name, so one of the two could no longer be read. Move the secrets file's encryption section aside (the control plane's keys are then copied back), or restore the secrets file that belongs to this cluster`);
    }
    if (!same) {
      keys.push(key);
      imported.push(key.name);
    }
  }
  // The control plane's own first key keeps writing: it is what its Secrets are encrypted with.
  if (remote && remote.length > 0) {
    const first = keys.findIndex((k) => k.name === remote[0]!.name);
    keys.unshift(...keys.splice(first, 1));
  }
  if (keys.length > 0) return { keys, imported };
  const key = generate([]);
  return { keys: [key], imported, generated: key.name };
}
