// The plain memory line (stdout not a terminal): swap in use is named on a node that has swap.
import { describe, expect, it } from 'vitest';
import { plainMemoryLine } from '../../src/progress/plain-lines.js';
import { fixtureSample, T0 } from './scenario.js';

describe('plain memory line', () => {
  it("names the swapfile's use on a 512 MB worker with swap", () => {
    const line = plainMemoryLine('w1', fixtureSample('worker-512mb', T0));
    expect(line).toMatch(/ w1 {2}memory \d+\/480 MiB used, \d+ MiB available, swap 22\/512 MiB used; top: /);
  });

  it('says nothing of swap on a node without it', () => {
    const line = plainMemoryLine('cp1', fixtureSample('control-plane-1gb', T0));
    expect(line).toMatch(/ cp1 {2}memory \d+\/970 MiB used, \d+ MiB available; top: /);
  });
});
