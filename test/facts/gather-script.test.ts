// The gather script itself: shellcheck-clean, and run for real on this machine (no SSH; the
// real-sshd run belongs to the test-host harness).

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { gatherFacts } from '../../src/facts/gather.js';
import { GATHER_SCRIPT } from '../../src/facts/gather-script.js';
import { parseFacts } from '../../src/facts/parse.js';
import type { Host, RunOptions, RunResult } from '../../src/ssh/types.js';
import { requires, shellcheckMissing } from '../support/requires.js';


describe('gather script: shellcheck', () => {
  it('passes shellcheck -s bash', requires(shellcheckMissing()), () => {
    const result = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: GATHER_SCRIPT, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('starts with its deliberate strictness and contains no JavaScript leftovers', () => {
    expect(GATHER_SCRIPT.startsWith('set -uo pipefail\n')).toBe(true);
    expect(GATHER_SCRIPT).not.toMatch(/undefined|\[object /);
    // Only printable text and newlines: a raw NUL (a `\0` the template literal turned into one)
    // cut the command line short and the node's sshd ended the connection.
    expect(GATHER_SCRIPT).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });
});

/** Runs scripts here with bash, as the Host interface would on a node (`bash -c script`). */
class LocalHost implements Host {
  readonly node = 'local';
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}
  async run(script: string, options: RunOptions = {}): Promise<RunResult> {
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: options.timeoutMs, env: this.env });
    return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
  }
  async copyFile(): Promise<void> {
    throw new Error('not needed');
  }
  async download(): Promise<number> {
    throw new Error('not needed');
  }
  async close(): Promise<void> {}
}

describe('gather script: run for real on this machine', () => {
  const uid = process.getuid?.();

  it(`prints plausible facts (running as uid ${uid})`, () => {
    const result = spawnSync('bash', ['-c', GATHER_SCRIPT], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    // The contract: nothing but key=value lines.
    for (const line of result.stdout.trimEnd().split('\n')) expect(line).toMatch(/^[a-z][\w.-]*=/);

    const facts = parseFacts(result.stdout);
    expect(facts.complete).toBe(true);
    expect(facts.uid).toBe(uid);
    expect(facts.hostname).toBe(os.hostname());
    expect(facts.cpus).toBeGreaterThanOrEqual(1);
    expect(facts.cpus).toBe(os.availableParallelism());
    expect(facts.memory.totalMiB).toBeGreaterThan(0);
    expect(facts.memory.availableMiB).toBeGreaterThan(0);
    expect(facts.memory.availableMiB).toBeLessThanOrEqual(facts.memory.totalMiB ?? 0);
    expect(facts.machine).toBe(spawnSync('uname', ['-m'], { encoding: 'utf8' }).stdout.trim());
    expect(facts.swap.totalMiB).toBeGreaterThanOrEqual(0);
    expect(facts.varDisk?.availableMiB).toBeGreaterThan(0);
    expect(facts.ports.source).toBeDefined();
    expect(facts.os.id).toBeDefined();
    expect(facts.cluster.member).toBeDefined();
    // The clock is read first and last (what the readings say is checked below, with a fixed clock).
    expect(facts.clock.remoteStartMs).toBeDefined();
    expect(facts.clock.remoteEndMs).toBeGreaterThanOrEqual(facts.clock.remoteStartMs!);
  });

  it('works with an empty environment (no PATH, no HOME, no locale)', () => {
    const result = spawnSync('/bin/bash', ['-c', GATHER_SCRIPT], { encoding: 'utf8', env: {}, timeout: 60_000 });
    expect(result.status).toBe(0);
    const facts = parseFacts(result.stdout);
    expect(facts.complete).toBe(true);
    expect(facts.cpus).toBeGreaterThanOrEqual(1);
    expect(facts.memory.totalMiB).toBeGreaterThan(0);
  });

  it('sees a port kubeadm needs while something listens on it', async () => {
    const net = await import('node:net');
    const server = net.createServer();
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(10259, '127.0.0.1', () => resolve(10259));
    }).catch(() => undefined);
    try {
      if (port === undefined) return; // 10259 busy already: nothing to prove here
      const result = spawnSync('bash', ['-c', GATHER_SCRIPT], { encoding: 'utf8', timeout: 60_000 });
      const facts = parseFacts(result.stdout);
      expect(facts.ports.listening.map((listener) => listener.port)).toContain(10259);
    } finally {
      server.close();
    }
  });

  it("gatherFacts sets the node's clock readings against the midpoint of this side's round trip", async () => {
    // The node's `date` answers a fixed time (a bash function exported to the script, which bash
    // prefers to /bin/date), and this side's clock is fixed too: the skew is exact, whatever the load.
    const host = new LocalHost({ ...process.env, 'BASH_FUNC_date%%': '() { echo 1767225600.250000000; }' });
    const readings = [1_767_225_590_000, 1_767_225_591_000];
    const facts = await gatherFacts(host, () => readings.shift()!);
    expect(facts.complete).toBe(true);
    expect(facts.clock).toMatchObject({ remoteStartMs: 1_767_225_600_250, remoteEndMs: 1_767_225_600_250 });
    expect(facts.clock.skewMs).toBe(1_767_225_600_250 - 1_767_225_590_500);
    expect(readings).toEqual([]);
  });
});
