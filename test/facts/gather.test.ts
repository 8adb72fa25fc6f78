import { describe, expect, it } from 'vitest';
import { FactsError, gatherFacts, skewOf } from '../../src/facts/gather.js';
import { GATHER_SCRIPT } from '../../src/facts/gather-script.js';
import { parseFacts } from '../../src/facts/parse.js';
import type { Host, RunOptions, RunResult } from '../../src/ssh/types.js';

class FakeHost implements Host {
  readonly node = 'cp1';
  readonly calls: Array<{ script: string; options?: RunOptions }> = [];
  constructor(private readonly result: RunResult) {}
  async run(script: string, options?: RunOptions): Promise<RunResult> {
    this.calls.push({ script, options });
    return this.result;
  }
  async copyFile(): Promise<void> {}
  async download(): Promise<number> {
    throw new Error('this test host transfers no files');
  }
  async close(): Promise<void> {}
}

const output = (start: string, end: string) =>
  `hobbykube-facts=1\nclock_start=${start}\ncpus=2\nmeminfo.MemTotal=993380\nclock_end=${end}\nend=1\n`;

describe('gatherFacts', () => {
  it('runs the script once, as root, and parses it', async () => {
    const host = new FakeHost({ code: 0, stdout: output('1000.500', '1000.700'), stderr: '' });
    const times = [1_000_000, 1_000_400];
    const facts = await gatherFacts(host, () => times.shift() ?? 0);
    expect(host.calls).toHaveLength(1);
    expect(host.calls[0]?.script).toBe(GATHER_SCRIPT);
    expect(host.calls[0]?.options).toMatchObject({ sudo: true });
    expect(facts.cpus).toBe(2);
    expect(facts.memory.totalMiB).toBe(970);
    // Node midpoint 1_000_600 ms, local midpoint 1_000_200 ms: the node is 400 ms ahead.
    expect(facts.clock.skewMs).toBe(400);
  });

  it('a node behind this computer has a negative skew', async () => {
    const host = new FakeHost({ code: 0, stdout: output('990.000', '990.100'), stderr: '' });
    const times = [1_000_000, 1_000_300];
    expect((await gatherFacts(host, () => times.shift() ?? 0)).clock.skewMs).toBe(-10_100);
  });

  it('throws a FactsError naming the node when the output is not facts (sudo refused)', async () => {
    const host = new FakeHost({ code: 1, stdout: '', stderr: 'sudo: a password is required\n' });
    const error = await gatherFacts(host).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FactsError);
    expect((error as FactsError).message).toBe("cp1: could not read the node's facts: sudo: a password is required");
  });

  it('skewOf falls back to one clock reading and gives up without any', () => {
    const oneReading = parseFacts('clock_end=1000.400\n');
    expect(skewOf(oneReading, 1_000_000, 1_000_200)).toBe(300);
    expect(skewOf(parseFacts(''), 1, 2)).toBeUndefined();
  });
});
