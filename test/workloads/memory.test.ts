// How `memory` becomes a container's request and limit (src/workloads/memory.ts).
import { describe, expect, it } from 'vitest';
import { SWAP_REQUEST_DIVISOR, memoryPlan, type MemoryNode } from '../../src/workloads/memory.js';
import { nodeProfile } from '../../src/node-profile.js';
import { fullSpec } from './helpers.js';

const spec = fullSpec([
  { kind: 'worker', name: 'bot', image: 'bot:1', memory: '96Mi' },
  { kind: 'database', name: 'db', node: 'w2', memory: '256Mi' },
  { kind: 'app', name: 'web', image: 'web:1', port: 80, memory: '500M' },
  { kind: 'cron', name: 'job', image: 'job:1', schedule: '@daily', memory: '64Mi', memoryRequest: '64Mi' },
]);
const nodes = (cp: number, w1: number | undefined, w2: number | undefined, schedulable = false): MemoryNode[] => [
  { name: 'cp1', role: 'control-plane', schedulable, memTotalMiB: cp },
  { name: 'w1', role: 'worker', schedulable: false, ...(w1 !== undefined ? { memTotalMiB: w1 } : {}) },
  { name: 'w2', role: 'worker', schedulable: false, ...(w2 !== undefined ? { memTotalMiB: w2 } : {}) },
];
const summary = (plan: ReturnType<typeof memoryPlan>) => Object.fromEntries([...plan].map(([n, m]) => [n, `${m.request}/${m.limit} ${m.rule}`]));

describe('memory request rule', () => {
  it('every workload node with swap: a third of memory, rounded up to a MiB; the limit as written', () => {
    expect(summary(memoryPlan(spec.spec.workloads, nodes(970, 470, 470)))).toEqual({
      bot: '32Mi/96Mi swap',
      db: '86Mi/256Mi swap',
      // 500M = 476.8 MiB: a third is 158.9, so 159Mi; the limit stays "500M", as the owner wrote it.
      web: '159Mi/500M swap',
      job: '64Mi/64Mi memoryRequest',
    });
    expect(SWAP_REQUEST_DIVISOR).toBe(1 + 2); // RAM + swap of 2 x MemTotal
    expect(nodeProfile(470, 'worker').swap!.sizeMiB / 470).toBeGreaterThanOrEqual(2);
  });

  it('a database follows its own node; Deployments need every workload node to have swap', () => {
    // w1 has 2 GiB (no swap), w2 470 MiB (swap): the database on w2 gets a third, the rest not.
    expect(summary(memoryPlan(spec.spec.workloads, nodes(970, 2048, 470)))).toEqual({
      bot: '96Mi/96Mi limit',
      db: '86Mi/256Mi swap',
      web: '500M/500M limit',
      job: '64Mi/64Mi memoryRequest',
    });
    // A schedulable control plane never has swap: pods could land there.
    expect(summary(memoryPlan(spec.spec.workloads, nodes(970, 470, 470, true))).bot).toBe('96Mi/96Mi limit');
  });

  it('nodes whose memory is unknown (no facts, plan --offline) count as nodes without swap', () => {
    expect(summary(memoryPlan(spec.spec.workloads, nodes(970, undefined, 470))).bot).toBe('96Mi/96Mi limit');
    expect(summary(memoryPlan(spec.spec.workloads, nodes(970, 470, undefined))).db).toBe('256Mi/256Mi limit');
  });
});
