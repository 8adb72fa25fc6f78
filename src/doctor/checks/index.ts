// Every check doctor runs for a spec, in the order they are listed (the report sorts them).
import type { CheckDefinition } from '../types.js';
import { clusterChecks } from './cluster.js';
import { dnsChecks } from './dns.js';
import { ingressChecks } from './ingress.js';
import { memoryChecks } from './memory.js';
import { nodeChecks } from './node.js';
import { workloadChecks } from './workloads.js';
import type { CheckContext } from './common.js';

export type { CheckContext } from './common.js';

export function allChecks(ctx: CheckContext): CheckDefinition[] {
  return [
    ...ctx.sources.spec.spec.nodes.flatMap((n) => nodeChecks(ctx, n)),
    ...dnsChecks(ctx),
    ...memoryChecks(ctx),
    ...workloadChecks(ctx),
    ...ingressChecks(ctx),
    ...clusterChecks(ctx),
  ];
}
