// The lines the wizard shows beside a node: its facts without the node's name, every line at the
// same indentation (the addresses line used to keep the name's width as extra indentation).
import { describe, expect, it } from 'vitest';
import type { NodeAnswers } from '../../src/wizard/answers.js';
import { judge, probeLines } from '../../src/wizard/probe.js';
import { healthyFacts } from '../facts/helpers.js';

describe('probeLines', () => {
  it('drops the node name from the facts and keeps continuation lines flush (addresses, installed tools)', () => {
    const facts = healthyFacts({ addresses: { source: 'ip', interfaces: [{ device: 'eth0', address: '10.0.0.5', prefix: 24, family: 4 }], defaultDevice: 'eth0' } });
    const node: NodeAnswers = { name: 'worker-long-name', address: '10.0.0.5', user: '', port: '', keyPath: '', role: 'worker', schedulable: 'no', acceptUndersized: false };
    const lines = probeLines(node, { status: 'ok', address: node.address, facts, verdict: judge(node, facts) });
    expect(lines[0]).toMatch(/^Ubuntu /);
    expect(lines).toContain('addresses: 10.0.0.5/24 (default route via eth0)');
  });
});
