// Shared bits for the transport's integration tests (each test file starts its own test bed).
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { Asker } from '../../src/ssh/types.js';

export interface ScriptedAsker extends Asker {
  confirmHostKey: ReturnType<typeof vi.fn<Asker['confirmHostKey']>>;
  secret: ReturnType<typeof vi.fn<Asker['secret']>>;
}

/** An Asker that accepts host keys (or not) and answers secrets from a list (last one repeats). */
export function scriptedAsker(options: { acceptHostKey?: boolean; secrets?: string[] } = {}): ScriptedAsker {
  const secrets = options.secrets ?? [];
  let index = 0;
  return {
    confirmHostKey: vi.fn<Asker['confirmHostKey']>(async () => options.acceptHostKey ?? true),
    secret: vi.fn<Asker['secret']>(async () => {
      const answer = secrets[Math.min(index, secrets.length - 1)];
      index += 1;
      if (answer === undefined) throw new Error('the test did not expect a secret question');
      return answer;
    }),
  };
}

/** A fresh state dir standing in for ~/.hobbykube/<cluster>. */
export function stateDir(prefix = 'hk-ssh-state-'): { dir: string; knownHosts: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, knownHosts: join(dir, 'known_hosts') };
}

/** Every regular file's content under a directory (recursively). */
export function allFileContents(dir: string): string[] {
  const contents: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) contents.push(...allFileContents(path));
    else if (stat.isFile()) contents.push(readFileSync(path, 'utf8'));
  }
  return contents;
}

/** Settles a promise into a value or the error it rejected with. */
export async function outcome<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}
