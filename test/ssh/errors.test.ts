import { describe, expect, it } from 'vitest';
import { classifyConnectError } from '../../src/ssh/errors.js';
import { SshError } from '../../src/ssh/types.js';

const endpoint = { node: 'cp1', address: '127.0.0.2', port: 2222, user: 'root' };

function classify(error: unknown): SshError {
  return classifyConnectError(endpoint, error, 20_000);
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.2:2222`), { code, level: 'client-socket' });
}

describe('classifyConnectError', () => {
  it.each([
    ['EHOSTUNREACH', 'unreachable'],
    ['ENETUNREACH', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['ECONNREFUSED', 'refused'],
    ['ETIMEDOUT', 'timeout'],
  ])('%s → %s, one line naming node and address', (code, kind) => {
    const error = classify(socketError(code));
    expect(error.kind).toBe(kind);
    expect(error.message.startsWith('cp1: ')).toBe(true);
    expect(error.message).toContain('127.0.0.2');
    expect(error.message).not.toContain('\n');
  });

  it('handshake timeout, rejected key, algorithm mismatch', () => {
    expect(classify(Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' })).kind).toBe('timeout');
    const auth = classify(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }));
    expect(auth.kind).toBe('auth');
    expect(auth.message).toContain('root@127.0.0.2:2222');
    expect(classify(new Error('Handshake failed: no matching host key format')).kind).toBe('unsupported-key');
  });

  it('keeps an SshError as it is, and names anything else as a lost connection', () => {
    const original = new SshError('cp1', 'host-key-mismatch', 'changed');
    expect(classify(original)).toBe(original);
    expect(classify(new Error('weird')).kind).toBe('connection-lost');
  });
});
