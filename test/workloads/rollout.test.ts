import { describe, expect, it } from 'vitest';
import { RolloutTracker, deploymentStatus, statefulSetStatus, stuckPods } from '../../src/workloads/rollout.js';

// Status sequences as `kubectl get -o json` reports them during real rollouts (trimmed to the
// fields the logic reads).
const deploy = (generation: number, status: Record<string, unknown>, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'blog', namespace: 'default', generation },
  spec: { replicas },
  status,
});
const progressing = (reason: string, status = 'True') => ({ type: 'Progressing', status, reason });
const pod = (name: string, waiting?: { reason: string; message?: string }, restartCount = 0) => ({
  kind: 'Pod',
  metadata: { name, labels: { 'app.kubernetes.io/name': 'blog' } },
  status: { containerStatuses: [{ name: 'main', restartCount, state: waiting ? { waiting } : { running: {} } }] },
});

describe('deployment rollout logic (kubectl rollout status)', () => {
  it('a progressing rollout, step by step, to done', () => {
    const sequence = [
      deploy(2, { observedGeneration: 1, replicas: 1, updatedReplicas: 0, availableReplicas: 1 }),
      deploy(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 1, conditions: [progressing('ReplicaSetUpdated')] }),
      deploy(2, { observedGeneration: 2, replicas: 2, updatedReplicas: 1, availableReplicas: 2, conditions: [progressing('ReplicaSetUpdated')] }),
      deploy(2, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 0, conditions: [progressing('ReplicaSetUpdated')] }),
      deploy(2, { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [progressing('NewReplicaSetAvailable')] }),
    ];
    expect(sequence.map((d) => deploymentStatus(d)).map((s) => [s.done, s.failed, s.message])).toEqual([
      [false, false, 'deployment "blog": waiting for the spec update to be observed'],
      [false, false, 'deployment "blog": 1 old replicas pending termination'],
      [false, false, 'deployment "blog": 1 old replicas pending termination'],
      [false, false, 'deployment "blog": 0 of 1 updated replicas available'],
      [true, false, 'deployment "blog" successfully rolled out'],
    ]);
  });

  it('counts updated replicas against the spec', () => {
    expect(deploymentStatus(deploy(1, { observedGeneration: 1, replicas: 3, updatedReplicas: 1, availableReplicas: 3 }, 3)).message).toBe('deployment "blog": 1 of 3 new replicas updated');
  });

  it('deadline exceeded is a failure', () => {
    const s = deploymentStatus(deploy(3, { observedGeneration: 3, replicas: 2, updatedReplicas: 1, availableReplicas: 1, conditions: [progressing('ProgressDeadlineExceeded', 'False')] }));
    expect([s.done, s.failed, s.message]).toEqual([false, true, 'deployment "blog" exceeded its progress deadline']);
  });
});

describe('statefulset rollout logic', () => {
  const sts = (status: Record<string, unknown>) => ({ kind: 'StatefulSet', metadata: { name: 'mysql', generation: 1 }, spec: { replicas: 1, updateStrategy: { type: 'RollingUpdate' } }, status });
  it('waits for ready pods and the new revision', () => {
    expect(statefulSetStatus(sts({ observedGeneration: 0 })).message).toBe('statefulset "mysql": waiting for the spec update to be observed');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 0 })).message).toBe('statefulset "mysql": 0 of 1 pods ready');
    expect(statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 1, updatedReplicas: 0, currentRevision: 'mysql-a', updateRevision: 'mysql-b' })).message).toBe(
      'statefulset "mysql": 0 of 1 pods at the new revision',
    );
    const done = statefulSetStatus(sts({ observedGeneration: 1, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'mysql-b', updateRevision: 'mysql-b' }));
    expect([done.done, done.message]).toEqual([true, 'statefulset "mysql" rolled out']);
  });
});

describe('following a rollout (tracker over recorded snapshots)', () => {
  const stuckDeploy = deploy(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0, conditions: [progressing('ReplicaSetUpdated')] });

  it('reports only changes, and done at the end', () => {
    const t = new RolloutTracker(['Deployment/blog']);
    expect(t.update({ workloads: [], pods: [], timeMs: 0 })).toEqual({ lines: ['deployment "blog": not found yet'], done: false, failures: [] });
    expect(t.update({ workloads: [stuckDeploy], pods: [pod('blog-1')], timeMs: 1000 }).lines).toEqual(['deployment "blog": 0 of 1 updated replicas available']);
    expect(t.update({ workloads: [stuckDeploy], pods: [pod('blog-1')], timeMs: 2000 }).lines).toEqual([]);
    const ok = deploy(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 });
    expect(t.update({ workloads: [ok], pods: [pod('blog-1')], timeMs: 3000 })).toEqual({ lines: ['deployment "blog" successfully rolled out'], done: true, failures: [] });
  });

  it('image pull failure: named at once with its reason, fails after the grace period', () => {
    const t = new RolloutTracker(['Deployment/blog'], { stuckGraceMs: 60_000 });
    const pulling = pod('blog-7d9f-abcde', { reason: 'ErrImagePull', message: 'failed to pull image "ghcr.io/me/blog:4": not found' });
    const backoff = pod('blog-7d9f-abcde', { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/me/blog:4"' });
    expect(t.update({ workloads: [stuckDeploy], pods: [pulling], timeMs: 0 }).lines).toEqual([
      'deployment "blog": 0 of 1 updated replicas available',
      'pod blog-7d9f-abcde of blog is stuck in ErrImagePull: failed to pull image "ghcr.io/me/blog:4": not found',
    ]);
    expect(t.update({ workloads: [stuckDeploy], pods: [backoff], timeMs: 30_000 }).failures).toEqual([]);
    const last = t.update({ workloads: [stuckDeploy], pods: [backoff], timeMs: 61_000 });
    expect(last.done).toBe(false);
    expect(last.failures).toEqual(['blog: pod blog-7d9f-abcde is stuck in ImagePullBackOff: Back-off pulling image "ghcr.io/me/blog:4"']);
  });

  it('crash loop: fails after three restarts', () => {
    const t = new RolloutTracker(['Deployment/blog']);
    const crash = (n: number) => pod('blog-x', { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=main' }, n);
    expect(t.update({ workloads: [stuckDeploy], pods: [crash(1)], timeMs: 0 }).failures).toEqual([]);
    expect(t.update({ workloads: [stuckDeploy], pods: [crash(3)], timeMs: 40_000 }).failures).toEqual([
      'blog: pod blog-x is stuck in CrashLoopBackOff (3 restarts): back-off 20s restarting failed container=main',
    ]);
  });

  it('deadline exceeded ends the wait', () => {
    const t = new RolloutTracker(['Deployment/blog']);
    const dead = deploy(1, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 0, conditions: [progressing('ProgressDeadlineExceeded', 'False')] });
    expect(t.update({ workloads: [dead], pods: [], timeMs: 0 }).failures).toEqual(['deployment "blog" exceeded its progress deadline']);
  });

  it('lists stuck pods by name and reason, ignoring healthy ones', () => {
    expect(stuckPods([pod('ok'), pod('bad', { reason: 'CreateContainerConfigError', message: 'secret "blog-env" not found' })])).toEqual([
      { pod: 'bad', workload: 'blog', container: 'main', reason: 'CreateContainerConfigError', message: 'secret "blog-env" not found', restarts: 0 },
    ]);
  });
});
