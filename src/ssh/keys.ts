// Loads the private keys to offer, before the connection starts (a human typing a passphrase
// must not race ssh2's handshake timer). An encrypted key's passphrase is asked once through
// Asker.secret, checked locally, and kept in memory only (in the `passphrases` map the caller may
// share between nodes, so three nodes using one key ask once).
import { existsSync, readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { quote } from '../shell/quote.js';
import { SshError, type Asker } from './types.js';

const { parseKey } = ssh2.utils;

export interface LoadedKey {
  path: string;
  key: Buffer;
  passphrase?: string;
}

export const PASSPHRASE_ATTEMPTS = 3;

type ParseOutcome = { ok: true } | { ok: false; reason: 'encrypted' | 'bad-passphrase' | 'unsupported'; message: string };

export function tryParseKey(key: Buffer, passphrase?: string): ParseOutcome {
  let result: unknown;
  try {
    result = parseKey(key, passphrase);
  } catch (error) {
    result = error instanceof Error ? error : new Error(String(error));
  }
  if (!(result instanceof Error)) return { ok: true };
  const message = result.message;
  if (/no passphrase given/i.test(message)) return { ok: false, reason: 'encrypted', message };
  if (/bad passphrase|integrity check failed|bad decrypt/i.test(message)) return { ok: false, reason: 'bad-passphrase', message };
  return { ok: false, reason: 'unsupported', message };
}

export interface LoadKeysInput {
  node: string;
  files: string[];
  /** Files the owner named (spec keyPath or IdentityFile): a missing or unusable one is an error. */
  explicit: boolean;
  /** An agent is available: unusable default keys are skipped quietly instead of asking. */
  haveAgent: boolean;
  asker: Asker;
  passphrases: Map<string, string>;
}

export async function loadKeys(input: LoadKeysInput): Promise<LoadedKey[]> {
  const keys: LoadedKey[] = [];
  for (const path of input.files) {
    if (!existsSync(path)) {
      if (input.explicit && input.files.length === 1) {
        throw new SshError(input.node, 'auth', `key file ${path} does not exist`);
      }
      continue;
    }
    const key = readFileSync(path);
    const plain = tryParseKey(key);
    if (plain.ok) {
      keys.push({ path, key });
      continue;
    }
    if (plain.reason === 'unsupported') {
      if (!input.explicit) continue;
      throw new SshError(input.node, 'unsupported-key', `key file ${path} is not a private key ssh2 can use (${plain.message})`);
    }
    // Encrypted. Default key files are only unlocked when there is no agent to try instead.
    if (!input.explicit && input.haveAgent) continue;
    keys.push({ path, key, passphrase: await unlock(input, path, key) });
  }
  return keys;
}

async function unlock(input: LoadKeysInput, path: string, key: Buffer): Promise<string> {
  const cached = input.passphrases.get(path);
  if (cached !== undefined && tryParseKey(key, cached).ok) return cached;
  for (let attempt = 1; attempt <= PASSPHRASE_ATTEMPTS; attempt += 1) {
    const question =
      attempt === 1
        ? `Passphrase for SSH key ${path} (node ${input.node})`
        : `Wrong passphrase for ${path}; try again (${attempt}/${PASSPHRASE_ATTEMPTS})`;
    const passphrase = await input.asker.secret(question, 'key-passphrase');
    if (passphrase !== '' && tryParseKey(key, passphrase).ok) {
      input.passphrases.set(path, passphrase);
      return passphrase;
    }
  }
  throw new SshError(
    input.node,
    'auth',
    `wrong passphrase for SSH key ${path} (${PASSPHRASE_ATTEMPTS} attempts); ` +
      `check it with \`ssh-keygen -y -f ${quote(path)}\`, or load the key into ssh-agent`,
  );
}
