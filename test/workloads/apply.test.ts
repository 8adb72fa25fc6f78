import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/redact.js';
import type { Host, RunOptions, RunResult } from '../../src/ssh/types.js';
import type { StepContext } from '../../src/install/step.js';
import { workloadSteps } from '../../src/workloads/apply.js';
import { APPLY_COMMAND, parseLists } from '../../src/workloads/kubectl.js';
import { pruneCandidates } from '../../src/workloads/prune.js';
import { renderObjects } from '../../src/workloads/render.js';
import { withGeneratedSecrets } from '../../src/workloads/secrets.js';
import { emptySecretValues } from '../../src/state/secrets.js';
import { fullSpec } from './helpers.js';

const TOKEN = 'xoxb-DISTINCTIVE-s3cr3t-token-4711';

interface Call {
  script: string;
  stdin?: string;
}

/** A Host that records what it is asked to run and answers with canned results. */
function fakeHost(answer: (script: string) => Partial<RunResult> = () => ({})): { host: Host; calls: Call[]; copies: string[] } {
  const calls: Call[] = [];
  const copies: string[] = [];
  const host: Host = {
    node: 'cp1',
    async run(script: string, options?: RunOptions) {
      calls.push({ script, ...(options?.stdin !== undefined ? { stdin: String(options.stdin) } : {}) });
      return { code: 0, stdout: '', stderr: '', ...answer(script) };
    },
    async copyFile(_content, path) {
      copies.push(path);
    },
    async download() {
      throw new Error('the workload steps download nothing');
    },
    async close() {},
  };
  return { host, calls, copies };
}

function context(host: Host): StepContext {
  return { host: async () => host, paths: {} as StepContext['paths'], redactor: new Redactor(), shared: new Map() };
}

const spec = fullSpec();
const { secrets } = withGeneratedSecrets(spec, { ...emptySecretValues(), workloads: { chatbot: { SLACK_TOKEN: TOKEN } } }, () => 'generated-ROOT-pw-0815-abcdef');

describe('workload steps', () => {
  const steps = workloadSteps({ spec, secrets, prune: true })(['cp1/ready', 'w1/ready']);

  it('are ordered apply, helm, acme.json storage, Traefik, cert-manager removal, prune, rollout', () => {
    expect(steps.map((s) => [s.id, s.after])).toEqual([
      ['cp1/workloads-apply', ['cp1/ready', 'w1/ready']],
      ['cp1/helm', ['cp1/ready', 'w1/ready']],
      ['w1/acme-storage', ['cp1/ready', 'w1/ready']],
      ['cp1/traefik', ['cp1/helm', 'w1/acme-storage']],
      ['cp1/cert-manager-removal', ['cp1/traefik']],
      ['cp1/workloads-prune', ['cp1/workloads-apply']],
      ['cp1/workloads-rollout', ['cp1/workloads-apply', 'cp1/workloads-prune']],
    ]);
    // acme.json lives on the ingress node; everything else runs on the control plane.
    expect(steps.filter((s) => s.node !== 'cp1').map((s) => s.id)).toEqual(['w1/acme-storage']);
    const removal = steps.find((s) => s.id === 'cp1/cert-manager-removal')!;
    expect(removal.title).toContain('every app\'s certificate is issued again');
    expect(steps.flatMap((s) => s.artifacts.map((a) => a.content)).join('\n')).not.toMatch(/ClusterIssuer|cert-manager\.io\/cluster-issuer/);
  });

  it('apply sends the manifests on stdin, never in shell text, and prints no secret', async () => {
    const { host, calls } = fakeHost();
    const apply = steps[0]!;
    const lines: string[] = [];
    await apply.run(context(host), (line) => lines.push(line));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.script).toContain(APPLY_COMMAND);
    expect(APPLY_COMMAND).toBe('kubectl --kubeconfig /etc/kubernetes/admin.conf apply --server-side --field-manager=hobbykube --force-conflicts -f -');
    expect(calls[0]!.script).not.toContain('chatbot');
    expect(calls[0]!.stdin).toContain('kind: Deployment');
    expect(calls[0]!.stdin).toContain(Buffer.from(TOKEN).toString('base64'));
    for (const step of steps) for (const a of step.artifacts) {
      expect(a.content, `${step.id} ${a.name}`).not.toContain(TOKEN);
      expect(a.content).not.toContain(Buffer.from(TOKEN).toString('base64'));
      expect(a.content).not.toContain('generated-ROOT-pw-0815-abcdef');
    }
    expect(apply.artifacts.map((a) => a.name)).toEqual(['probe.sh', 'action.sh', 'manifests.yaml']);
    expect(apply.artifacts[2]!.content).toContain('SLACK_TOKEN: "[redacted]"');
  });

  it('apply is skipped when kubectl diff finds nothing, and masks secrets in any output', async () => {
    const same = fakeHost(() => ({ code: 0 }));
    const ctx = context(same.host);
    expect(await steps[0]!.probe(ctx)).toEqual({ done: true, reason: 'the cluster already matches the spec' });
    expect(same.calls[0]!.script).toContain('diff --server-side --field-manager=hobbykube');
    expect(ctx.redactor.redact(`oops ${TOKEN}`)).toBe('oops [redacted]');
    const differs = fakeHost(() => ({ code: 1 }));
    expect((await steps[0]!.probe(context(differs.host))).done).toBe(false);
  });

  it('helm releases copy their values as files', async () => {
    const { host, copies, calls } = fakeHost();
    await steps[3]!.run(context(host), () => {});
    expect(copies).toEqual(['/etc/hobbykube/addons/traefik-values.yaml']);
    // From the checked archive in the chart cache, never from the chart repository.
    expect(calls[0]!.script).toContain('archive=/var/cache/hobbykube/charts/traefik-41.5.0.tgz');
    expect(calls[0]!.script).toContain('upgrade --install traefik "$archive"');
    expect(calls[0]!.script).not.toContain('--repo');
  });

  it('rollout follows until available, from kubectl get -o json', async () => {
    const ok = (kind: string, name: string, status: Record<string, unknown>) => ({ kind, metadata: { name, generation: 1 }, spec: { replicas: 1 }, status: { observedGeneration: 1, ...status } });
    const list = {
      kind: 'List',
      items: [
        ok('StatefulSet', 'mysql', { readyReplicas: 1, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'a' }),
        { ...ok('Deployment', 'chatbot', { replicas: 1, updatedReplicas: 1, availableReplicas: 1 }) },
        { ...ok('Deployment', 'blog', { replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), spec: { replicas: 2 } },
      ],
    };
    const { host } = fakeHost(() => ({ stdout: JSON.stringify(list) }));
    const rollout = steps.at(-1)!;
    expect(await rollout.probe(context(host))).toEqual({ done: true, reason: 'every workload is available at its latest version' });
    const lines: string[] = [];
    await rollout.run(context(host), (l) => lines.push(l));
    expect(lines).toEqual(['statefulset "mysql" rolled out', 'deployment "chatbot" successfully rolled out', 'deployment "blog" successfully rolled out']);
  });
});

describe('prune', () => {
  it('deletes managed objects of this cluster the spec no longer has, keeps volumes', () => {
    const desired = renderObjects(spec);
    const managed = (kind: string, name: string, cluster = 'home', namespace?: string) => ({
      kind,
      metadata: { name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/managed-by': 'hobbykube', 'hobbykube.dev/cluster': cluster } },
    });
    const live = [
      managed('Deployment', 'blog', 'home', 'default'),
      managed('Deployment', 'oldapp', 'home', 'default'),
      managed('Service', 'oldapp', 'home', 'default'),
      managed('PersistentVolume', 'hobbykube-home-olddb'),
      managed('Deployment', 'other', 'another-cluster', 'default'),
      { kind: 'Deployment', metadata: { name: 'manual', namespace: 'default', labels: {} } },
    ];
    expect(pruneCandidates(live, desired, 'home')).toEqual({
      remove: [
        { kind: 'Deployment', name: 'oldapp', namespace: 'default' },
        { kind: 'Service', name: 'oldapp', namespace: 'default' },
      ],
      keep: [{ kind: 'PersistentVolume', name: 'hobbykube-home-olddb' }],
    });
  });

  it('reads concatenated kubectl JSON outputs', () => {
    expect(parseLists('{"kind":"List","items":[{"kind":"A","x":"}{"}]}\n{"kind":"List","items":[{"kind":"B"}]}\n')).toEqual([{ kind: 'A', x: '}{' }, { kind: 'B' }]);
  });
});
