// Host key pinning. hobbykube keeps its own known_hosts file per cluster (clusterPaths().knownHosts)
// in OpenSSH's format, so `ssh -o UserKnownHostsFile=<file> ...` and `ssh-keygen -R/-F -f <file>`
// work on it. First contact asks the owner (Asker.confirmHostKey, or --yes) and pins the key; a
// known key goes through; a changed key stops the connection before authentication, so no
// command ever runs on a host that is not the one we pinned.
import { createHash, createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { quote } from '../shell/quote.js';
import { writeFileAtomic } from '../state/files.js';
import { SshError, type Asker } from './types.js';

/** OpenSSH's fingerprint of a raw (wire format) public key: `SHA256:<base64 without '='>`. */
export function fingerprint(rawKey: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '');
}

/** The key type named inside a raw public key blob (its first SSH string), e.g. `ssh-ed25519`. */
export function keyTypeOf(rawKey: Buffer): string {
  if (rawKey.length < 4) throw new Error('host key blob too short');
  const length = rawKey.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > rawKey.length) throw new Error('host key blob malformed');
  return rawKey.subarray(4, 4 + length).toString('latin1');
}

/** The host pattern OpenSSH writes for an address: `addr` on port 22, `[addr]:port` otherwise. */
export function hostPattern(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** ssh2 `algorithms.serverHostKey` names that make a server present a key of this type. */
export function algorithmsForKeyType(keyType: string): string[] {
  return keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [keyType];
}

/** ssh2's default host key algorithm order (ssh2 1.17 on a Node with Ed25519). */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

/**
 * Host key algorithms to offer, pinned types first. Like OpenSSH, we ask the server for the kind
 * of key we already know, so a server that also has other key types shows us the pinned one.
 */
export function hostKeyAlgorithms(pinnedTypes: readonly string[]): string[] {
  const first = pinnedTypes.flatMap(algorithmsForKeyType).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

export interface KnownKey {
  keyType: string;
  key: Buffer;
  fingerprint: string;
}

interface Entry {
  patterns: string[];
  keyType: string;
  key: Buffer;
}

/** A parsed known_hosts file. Markers (@cert-authority, @revoked) and broken lines are skipped. */
export class KnownHosts {
  private constructor(
    readonly path: string,
    private readonly entries: Entry[],
  ) {}

  static load(path: string): KnownHosts {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    return new KnownHosts(path, parseKnownHosts(text));
  }

  /** Keys pinned for this host (address and port), in file order. */
  lookup(address: string, port: number): KnownKey[] {
    const wanted = hostPattern(address, port);
    return this.entries
      .filter((entry) => entry.patterns.some((pattern) => patternMatches(pattern, wanted)))
      .map((entry) => ({ keyType: entry.keyType, key: entry.key, fingerprint: fingerprint(entry.key) }));
  }
}

export function parseKnownHosts(text: string): Entry[] {
  const entries: Entry[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@')) continue;
    const [hosts, keyType, keyBase64] = line.split(/\s+/);
    if (!hosts || !keyType || !keyBase64) continue;
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length === 0) continue;
    entries.push({ patterns: hosts.split(','), keyType, key });
  }
  return entries;
}

/** Exact names and OpenSSH hashed names (`|1|salt|hash`); negations and wildcards are ignored. */
function patternMatches(pattern: string, host: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(host).digest('base64');
    return digest === hash;
  }
  return pattern === host;
}

/** One known_hosts line for a key. */
export function knownHostsLine(address: string, port: number, rawKey: Buffer): string {
  return `${hostPattern(address, port)} ${keyTypeOf(rawKey)} ${rawKey.toString('base64')}`;
}

/**
 * Appends a key to the known_hosts file. Read and write happen synchronously in one go, so
 * several nodes pinned at once in this process never lose each other's lines.
 */
export function pinHostKey(path: string, address: string, port: number, rawKey: Buffer): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  writeFileAtomic(path, `${current}${separator}${knownHostsLine(address, port, rawKey)}\n`, 0o644);
}

export type HostKeyStatus =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'changed'; pinned: KnownKey[] };

/**
 * The decision for a presented key. A host with no pinned key is unknown. A presented key equal
 * to one pinned for the host is known. Anything else is a change, also when only keys of other
 * types are pinned: we cannot tell that key from an attacker's, so it is not silently accepted.
 */
export function checkHostKey(known: KnownKey[], rawKey: Buffer): HostKeyStatus {
  if (known.length === 0) return { status: 'unknown' };
  if (known.some((entry) => entry.key.equals(rawKey))) return { status: 'known' };
  return { status: 'changed', pinned: known };
}

export interface HostKeyContext {
  node: string;
  /** The address we connect to (after ~/.ssh/config HostName), as it goes into known_hosts. */
  address: string;
  port: number;
  knownHostsPath: string;
  asker: Asker;
  /** --yes: pin an unknown key without asking. Never accepts a changed key. */
  assumeYes: boolean;
}

/** How to forget a pinned key on purpose; works today with plain OpenSSH tools. */
export function forgetInstruction(knownHostsPath: string, address: string, port: number): string {
  return `ssh-keygen -R ${quote(hostPattern(address, port))} -f ${quote(knownHostsPath)}`;
}

export function mismatchError(context: HostKeyContext, pinned: KnownKey[], rawKey: Buffer): SshError {
  const where = hostPattern(context.address, context.port);
  const old = pinned.map((entry) => `${entry.fingerprint} (${entry.keyType})`).join(', ');
  const now = `${fingerprint(rawKey)} (${keyTypeOf(rawKey)})`;
  return new SshError(
    context.node,
    'host-key-mismatch',
    `host key of ${where} has changed: pinned ${old}, server now presents ${now}. ` +
      'Refusing to connect: this is what a man-in-the-middle attack looks like. ' +
      `If the server was reinstalled on purpose, forget the old key with: ` +
      `${forgetInstruction(context.knownHostsPath, context.address, context.port)}`,
  );
}

/**
 * Verifies a presented host key: resolves when the connection may go on, rejects with an
 * SshError ('host-key-mismatch' or 'host-key-rejected') when it must stop.
 */
export async function verifyHostKey(context: HostKeyContext, rawKey: Buffer): Promise<void> {
  const known = KnownHosts.load(context.knownHostsPath).lookup(context.address, context.port);
  const decision = checkHostKey(known, rawKey);
  if (decision.status === 'known') return;
  if (decision.status === 'changed') throw mismatchError(context, decision.pinned, rawKey);

  const keyType = keyTypeOf(rawKey);
  const print = fingerprint(rawKey);
  const accepted =
    context.assumeYes || (await context.asker.confirmHostKey(context.node, context.address, print, keyType));
  if (!accepted) {
    throw new SshError(
      context.node,
      'host-key-rejected',
      `host key ${print} (${keyType}) of ${hostPattern(context.address, context.port)} was not accepted; nothing was run`,
    );
  }
  // Someone may have pinned a key for this host while we were asking: check again before writing.
  const again = checkHostKey(KnownHosts.load(context.knownHostsPath).lookup(context.address, context.port), rawKey);
  if (again.status === 'changed') throw mismatchError(context, again.pinned, rawKey);
  if (again.status === 'unknown') pinHostKey(context.knownHostsPath, context.address, context.port, rawKey);
}
