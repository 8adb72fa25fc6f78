// Values kept exactly on their way to Kubernetes: for random strings, what the container gets, as
// the kubectl double receives the manifests and reads them the way kubectl does (go-yaml, YAML
// 1.1: test/hosts/doubles/k8s-yaml.cjs), equals the spec's value. The same for kubeadm's config,
// the kubeconfig and helm values with names YAML 1.1 misreads ("on", "y", "012").
import { createRequire } from 'node:module';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderInitConfig, renderJoinConfig } from '../../src/install/render/index.js';
import { renameAdminConf, renderKubeconfig, mergeKubeconfig } from '../../src/kubeconfig/merge.js';
import { kubeYaml, plainIsSafe } from '../../src/kubeyaml.js';
import { traefikValues, valuesYaml } from '../../src/workloads/addons.js';
import { renderObjects, toYaml } from '../../src/workloads/render.js';
import { FRAGMENTS, rng } from '../faults/support.js';
import { specOf, NODES } from './helpers.js';

const require = createRequire(import.meta.url);
const kubectlYaml = require('../hosts/doubles/k8s-yaml.cjs') as {
  parseStream(text: string): { docs: any[]; error?: string };
  stringFieldProblem(o: any): string | undefined;
  resolvePlain(text: string): unknown;
};

/** Strings YAML 1.1 (or go-yaml's number syntax) reads as something else when written plain. */
const YAML11 = [
  'yes', 'Yes', 'YES', 'no', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'y', 'Y', 'n', 'N', 'true', 'False',
  '1.10', '1.0', '012345', '0o17', '-0o17', '0O17', '0x1F', '0b101', '1_000', '+5', '-1', '.5', '1e3', '09', '017',
  '12345678901234567890', '.inf', '-.Inf', '.nan', '~', 'null', 'Null', 'NULL', '', ' ', '  leading', 'trailing  ',
  'a\nb', '\n', '1:20', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '<<', '- x', '? x', ': x',
  '#x', '&a', '*a', '!tag', '%YAML', '@x', '`x', '"', "'", '{a: 1}', '[1]', '|', '>', '\u2028', '\u0085',
];

function randomStrings(count: number, seed: number): string[] {
  const r = rng(seed);
  const pool = [...YAML11, 'tab\there', '=', ...FRAGMENTS.filter((f) => f.length < 200)];
  const out = [...YAML11];
  while (out.length < count) {
    const n = 1 + Math.floor(r() * 3);
    let s = '';
    for (let i = 0; i < n; i++) s += pool[Math.floor(r() * pool.length)]!;
    out.push(s);
  }
  return out;
}

/** What kubectl, reading the manifests apply sends, decodes the container's env and words to. */
function kubectlSees(yamlText: string): { env: Record<string, unknown>; words: unknown[]; problem: string | undefined } {
  const parsed = kubectlYaml.parseStream(yamlText);
  expect(parsed.error).toBeUndefined();
  const deployment = parsed.docs.find((d) => d?.kind === 'Deployment');
  const container = deployment.spec.template.spec.containers[0];
  return {
    env: Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value])),
    words: container.command ?? [],
    problem: parsed.docs.map((d) => kubectlYaml.stringFieldProblem(d)).find(Boolean),
  };
}

function specWith(env: Record<string, string>, command: string[]) {
  return specOf({
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: 'home' },
    spec: { nodes: NODES, dns: { upstream: ['1.1.1.1'] }, workloads: [{ kind: 'worker', name: 'bot', image: 'ghcr.io/me/bot:1.2', env, command }] },
  });
}

describe('the go-yaml reading the doubles use', () => {
  it('reads plain scalars as go-yaml v2 does, and quoted ones as text', () => {
    const { docs } = kubectlYaml.parseStream('a: on\nb: "on"\nc: 0o17\nd: 012345\ne: 1.10\nf: ~\ng: 2001-12-14\nh: 1:20\ni: 1_000\nj: y\nk: 09\n');
    expect(docs[0]).toEqual({ a: true, b: 'on', c: 15, d: 5349, e: 1.1, f: null, g: '2001-12-14', h: '1:20', i: 1000, j: true, k: 9 });
  });

  it('refuses, as the API server does, what the old serializer sent for "on" and "1.10"', () => {
    // YAML 1.2 output (the `yaml` library's default) for the strings "on" and "1.10" ...
    const old = stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bot' }, spec: { template: { spec: { containers: [{ name: 'bot', image: 'b:1', env: [{ name: 'FLAG', value: 'on' }], command: ['yes'] }] } } } });
    expect(old).toContain('value: on');
    const [doc] = kubectlYaml.parseStream(old).docs;
    expect(kubectlYaml.stringFieldProblem(doc)).toBe('.spec.template.spec.containers[name="bot"].command[0]: expected string, got &value.valueUnstructured{Value:true}');
  });
});

describe('manifests reach kubectl with the spec\'s exact strings', () => {
  it('for 2000 random strings (YAML 1.1 specials, hostile fragments and their mixes): env values and command words', () => {
    const values = randomStrings(2000, 20261128);
    for (let start = 0; start < values.length; start += 100) {
      const chunk = values.slice(start, start + 100);
      const env = Object.fromEntries(chunk.map((v, i) => [`V${start + i}`, v]));
      const spec = specWith(env, chunk);
      const seen = kubectlSees(toYaml(renderObjects(spec)));
      expect(seen.problem).toBeUndefined();
      expect(seen.env).toEqual(env);
      expect(seen.words).toEqual(chunk);
    }
  });

  it('writes plain what every reader agrees on, and quotes only where one would not', () => {
    for (const s of ['hello', 'ghcr.io/me/bot:1.2', '128Mi', 'sh', '-c', 'echo done', 'a-b_c', '/healthz', 'me@example.com']) expect(plainIsSafe(s), s).toBe(true);
    for (const s of YAML11) expect(plainIsSafe(s), JSON.stringify(s)).toBe(false);
    expect(kubeYaml({ value: 'on', name: 'hello', n: 'y' })).toBe('value: "on"\nname: hello\n"n": "y"\n');
  });
});

describe('names YAML 1.1 misreads stay names in kubeadm\'s config, the kubeconfig and helm values', () => {
  const names = ['on', 'y', 'n', 'no', 'yes', 'off', '012', '0x1f', '1e3', '123'];

  it.each(names)('node %s: kubeadm init and join configs', (name) => {
    const init = kubectlYaml.parseStream(renderInitConfig({ nodeName: name, address: '203.0.113.10', kubernetesVersion: '1.37', schedulable: false, memTotalMiB: 970, resolvedStub: true, clusterName: name })).docs;
    expect(init.find((d) => d.kind === 'InitConfiguration').nodeRegistration.name).toBe(name);
    expect(init.find((d) => d.kind === 'ClusterConfiguration').clusterName).toBe(name);
    const join = kubectlYaml.parseStream(renderJoinConfig({ nodeName: name, join: { endpoint: '203.0.113.10:6443', token: 'abcdef.0123456789abcdef', caCertHashes: [`sha256:${'a'.repeat(64)}`] } })).docs;
    expect(join.find((d) => d.kind === 'JoinConfiguration').nodeRegistration.name).toBe(name);
  });

  it.each(names)('cluster %s: the kubeconfig, written and merged', (name) => {
    const admin = 'apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "https://203.0.113.10:6443"}\n  name: kubernetes\nusers:\n- name: kubernetes-admin\n  user: {token: x}\ncontexts:\n- context: {cluster: kubernetes, user: kubernetes-admin}\n  name: kubernetes-admin@kubernetes\ncurrent-context: kubernetes-admin@kubernetes\n';
    const ours = renameAdminConf(admin, name);
    for (const text of [renderKubeconfig(ours), mergeKubeconfig('apiVersion: v1\nkind: Config\nclusters: []\nusers: []\ncontexts: []\n', ours).text]) {
      const [kc] = kubectlYaml.parseStream(text).docs;
      expect(kc['current-context']).toBe(name);
      expect([kc.clusters[0].name, kc.users[0].name, kc.contexts[0].name, kc.contexts[0].context.cluster, kc.contexts[0].context.user]).toEqual([name, name, name, name, name]);
    }
  });

  it.each(names)('ingress node %s: Traefik\'s nodeSelector in the helm values', (name) => {
    const [values] = kubectlYaml.parseStream(valuesYaml(traefikValues({ node: name, email: 'me@example.com', acme: 'staging' }))).docs;
    expect(values.nodeSelector['kubernetes.io/hostname']).toBe(name);
  });
});
