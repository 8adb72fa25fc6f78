import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  checkHostKey,
  fingerprint,
  forgetInstruction,
  hostKeyAlgorithms,
  hostPattern,
  keyTypeOf,
  KnownHosts,
  pinHostKey,
  verifyHostKey,
  type HostKeyContext,
} from '../../src/ssh/hostkeys.js';
import { SshError, type Asker } from '../../src/ssh/types.js';

let dir: string;
const keys: Record<string, { raw: Buffer; pubFile: string }> = {};

function makeKey(name: string, type: string): void {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', name, '-f', file]);
  const [, base64] = readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
  keys[name] = { raw: Buffer.from(base64 ?? '', 'base64'), pubFile: `${file}.pub` };
}

function key(name: string): Buffer {
  const entry = keys[name];
  if (!entry) throw new Error(`no key ${name}`);
  return entry.raw;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hk-hostkeys-'));
  makeKey('ed', 'ed25519');
  makeKey('ed2', 'ed25519');
  makeKey('ec', 'ecdsa');
  makeKey('rsa', 'rsa');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function asker(answer: boolean): Asker & { confirmHostKey: ReturnType<typeof vi.fn> } {
  return {
    confirmHostKey: vi.fn(async () => answer),
    secret: vi.fn(async () => {
      throw new Error('no secrets here');
    }),
  };
}

function context(file: string, overrides: Partial<HostKeyContext> = {}): HostKeyContext {
  return { node: 'cp1', address: '127.0.0.2', port: 2222, knownHostsPath: file, asker: asker(true), assumeYes: false, ...overrides };
}

describe('fingerprint', () => {
  it.each(['ed', 'ec', 'rsa'])('matches ssh-keygen -lf for a %s key', (name) => {
    const entry = keys[name];
    if (!entry) throw new Error('missing key');
    const line = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', entry.pubFile], { encoding: 'utf8' });
    const expected = line.split(/\s+/)[1];
    expect(fingerprint(entry.raw)).toBe(expected);
    expect(fingerprint(entry.raw)).not.toMatch(/=$/);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeOf(key('ed'))).toBe('ssh-ed25519');
    expect(keyTypeOf(key('ec'))).toBe('ecdsa-sha2-nistp256');
    expect(keyTypeOf(key('rsa'))).toBe('ssh-rsa');
    expect(() => keyTypeOf(Buffer.from([0, 0]))).toThrow();
  });
});

describe('known_hosts file', () => {
  it('writes OpenSSH format, [addr]:port only when the port is not 22', () => {
    expect(hostPattern('127.0.0.2', 22)).toBe('127.0.0.2');
    expect(hostPattern('127.0.0.2', 2222)).toBe('[127.0.0.2]:2222');
    const file = join(dir, 'format_known_hosts');
    pinHostKey(file, '127.0.0.2', 2222, key('ed'));
    pinHostKey(file, '127.0.0.3', 22, key('ec'));
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toEqual([
      `[127.0.0.2]:2222 ssh-ed25519 ${key('ed').toString('base64')}`,
      `127.0.0.3 ecdsa-sha2-nistp256 ${key('ec').toString('base64')}`,
    ]);
    // OpenSSH's own tools read it.
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.2]:2222', '-f', file], { encoding: 'utf8' });
    expect(found).toContain('ssh-ed25519');
    const known = KnownHosts.load(file);
    expect(known.lookup('127.0.0.2', 2222).map((entry) => entry.fingerprint)).toEqual([fingerprint(key('ed'))]);
    expect(known.lookup('127.0.0.2', 22)).toEqual([]);
    expect(known.lookup('127.0.0.3', 22)).toHaveLength(1);
  });

  it('matches hashed entries (ssh-keygen -H) and skips comments and markers', () => {
    const file = join(dir, 'hashed_known_hosts');
    writeFileSync(file, `# comment\n@cert-authority * ssh-ed25519 ${key('ed2').toString('base64')}\n`);
    pinHostKey(file, '127.0.0.4', 2200, key('ed'));
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    expect(readFileSync(file, 'utf8')).not.toContain('127.0.0.4');
    const found = KnownHosts.load(file).lookup('127.0.0.4', 2200);
    expect(found.map((entry) => entry.keyType)).toEqual(['ssh-ed25519']);
    expect(found[0]?.key.equals(key('ed'))).toBe(true);
  });

  it('a missing file is an empty one', () => {
    expect(KnownHosts.load(join(dir, 'nope')).lookup('127.0.0.2', 22)).toEqual([]);
  });

  it('the forget instruction really removes the entry', () => {
    const file = join(dir, 'forget_known_hosts');
    pinHostKey(file, '127.0.0.2', 2222, key('ed'));
    pinHostKey(file, '127.0.0.3', 2222, key('ec'));
    execFileSync('bash', ['-c', forgetInstruction(file, '127.0.0.2', 2222)], { stdio: 'ignore' });
    const known = KnownHosts.load(file);
    expect(known.lookup('127.0.0.2', 2222)).toEqual([]);
    expect(known.lookup('127.0.0.3', 2222)).toHaveLength(1);
  });
});

describe('host key decision', () => {
  it('unknown / known / changed', () => {
    const pinned = [{ keyType: 'ssh-ed25519', key: key('ed'), fingerprint: fingerprint(key('ed')) }];
    expect(checkHostKey([], key('ed')).status).toBe('unknown');
    expect(checkHostKey(pinned, key('ed')).status).toBe('known');
    expect(checkHostKey(pinned, key('ed2')).status).toBe('changed');
    // Only another type pinned: not silently accepted.
    expect(checkHostKey(pinned, key('ec')).status).toBe('changed');
  });

  it('first contact asks once and pins', async () => {
    const file = join(dir, 'first_known_hosts');
    const ctx = context(file);
    await verifyHostKey(ctx, key('ed'));
    expect(ctx.asker.confirmHostKey).toHaveBeenCalledTimes(1);
    expect(ctx.asker.confirmHostKey).toHaveBeenCalledWith('cp1', '127.0.0.2', fingerprint(key('ed')), 'ssh-ed25519');
    expect(KnownHosts.load(file).lookup('127.0.0.2', 2222)).toHaveLength(1);
    // Known now: no question.
    await verifyHostKey(ctx, key('ed'));
    expect(ctx.asker.confirmHostKey).toHaveBeenCalledTimes(1);
  });

  it('--yes pins without asking', async () => {
    const file = join(dir, 'yes_known_hosts');
    const ctx = context(file, { assumeYes: true });
    await verifyHostKey(ctx, key('ed'));
    expect(ctx.asker.confirmHostKey).not.toHaveBeenCalled();
    expect(KnownHosts.load(file).lookup('127.0.0.2', 2222)).toHaveLength(1);
  });

  it('a declined key is not pinned', async () => {
    const file = join(dir, 'declined_known_hosts');
    const ctx = context(file, { asker: asker(false) });
    await expect(verifyHostKey(ctx, key('ed'))).rejects.toMatchObject({ kind: 'host-key-rejected', node: 'cp1' });
    expect(existsSync(file)).toBe(false);
  });

  it('a changed key is refused, even with --yes, naming node, both fingerprints and the way out', async () => {
    const file = join(dir, 'changed_known_hosts');
    pinHostKey(file, '127.0.0.2', 2222, key('ed'));
    const ctx = context(file, { assumeYes: true });
    const error = await verifyHostKey(ctx, key('ed2')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SshError);
    const sshError = error as SshError;
    expect(sshError.kind).toBe('host-key-mismatch');
    expect(sshError.message).toContain('cp1');
    expect(sshError.message).toContain(fingerprint(key('ed')));
    expect(sshError.message).toContain(fingerprint(key('ed2')));
    expect(sshError.message).toContain(`ssh-keygen -R '[127.0.0.2]:2222' -f ${file}`);
    expect(ctx.asker.confirmHostKey).not.toHaveBeenCalled();
    // The file still holds only the old key.
    expect(KnownHosts.load(file).lookup('127.0.0.2', 2222).map((entry) => entry.fingerprint)).toEqual([fingerprint(key('ed'))]);
  });

  it('asks the server for the pinned key type first', () => {
    expect(hostKeyAlgorithms(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(hostKeyAlgorithms(['ecdsa-sha2-nistp256'])[0]).toBe('ecdsa-sha2-nistp256');
    const all = hostKeyAlgorithms([]);
    expect(new Set(all).size).toBe(all.length);
  });
});
