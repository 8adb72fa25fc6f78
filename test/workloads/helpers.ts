import { validateObject } from '../../src/spec/validate.js';
import type { ClusterSpec } from '../../src/spec/types.js';

/** A spec object validated through the same walker as the spec file (so tests use real specs). */
export function specOf(raw: unknown): ClusterSpec {
  const v = validateObject(raw);
  if (!v.spec) throw new Error(`invalid test spec:\n${v.problems.map((p) => JSON.stringify(p)).join('\n')}`);
  return v.spec;
}

export const NODES = [
  { name: 'cp1', address: '203.0.113.10', role: 'control-plane', schedulable: false },
  { name: 'w1', address: '203.0.113.11', role: 'worker' },
  { name: 'w2', address: '203.0.113.12', role: 'worker' },
];

/** All five kinds: worker, database, app with a domain (so the ingress add-ons), cron. */
export function fullSpec(workloads?: unknown[]): ClusterSpec {
  return specOf({
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'home' },
    spec: {
      kubernetesVersion: '1.37',
      nodes: NODES,
      dns: { upstream: ['1.1.1.1'] },
      ingress: { node: 'w1', email: 'me@example.com', acme: 'staging' },
      workloads: workloads ?? [
        { kind: 'worker', name: 'chatbot', image: 'ghcr.io/me/bot:1.2', memory: '128Mi', env: { SLACK_CHANNEL: 'general' }, secretEnv: ['SLACK_TOKEN'] },
        { kind: 'database', name: 'mysql', node: 'w1', storage: '5Gi', memory: '256Mi' },
        { kind: 'app', name: 'blog', image: 'ghcr.io/me/blog:3', port: 3000, replicas: 2, domain: 'blog.example.com', memory: '256Mi', healthPath: '/healthz', env: { RAILS_SERVE_STATIC_FILES: '1' } },
        { kind: 'cron', name: 'cleanup', schedule: '0 3 * * *', image: 'busybox:1.36', command: ['sh', '-c', 'echo done'], memory: '32Mi' },
      ],
    },
  });
}
