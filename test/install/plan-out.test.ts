// `hobbykube plan --offline --out DIR` for a spec with all five kinds: every script it writes
// passes shellcheck, the kubeadm config is there and well formed, every manifest validates
// against the Kubernetes OpenAPI schemas, and no secret value appears anywhere in the output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { reservations } from '../../src/node-profile.js';
import { clusterPaths, ensureClusterDir } from '../../src/state/paths.js';
import { saveSecrets } from '../../src/state/secrets.js';
import { runCli } from '../support/cli.js';
import { MODELS } from '../support/k8s-schemas.js';
import { requires, shellcheckMissing } from '../support/requires.js';

const SECRET = 'xoxb-PLAN-OUT-distinctive-4242';
const MYSQL_PASSWORD = 'mysql-PLAN-OUT-distinctive-9191';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('plan --offline --out for a five-workload spec', () => {
  let out: string;
  let result: ReturnType<typeof runCli>;
  beforeAll(() => {
    const home = mkdtempSync(join(tmpdir(), 'hk-planout-home-'));
    const paths = clusterPaths('home', { HOBBYKUBE_HOME: home });
    ensureClusterDir(paths);
    saveSecrets(paths, { chatbot: { SLACK_TOKEN: SECRET }, mysql: { MYSQL_ROOT_PASSWORD: MYSQL_PASSWORD } });
    out = join(mkdtempSync(join(tmpdir(), 'hk-planout-')), 'plan');
    result = runCli(['plan', '-f', join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'), '--offline', '--out', out], { env: { HOBBYKUBE_HOME: home } });
  });

  it('succeeds and lists the workload and add-on steps on the control plane', () => {
    expect(result.code).toBe(0);
    for (const title of ['Apply ', 'Install traefik', "for Traefik's acme.json", 'Remove cert-manager left by an earlier hobbykube', 'rolled out']) expect(result.stdout).toContain(title);
    expect(result.stdout).not.toContain('Install cert-manager');
    expect(result.stdout).not.toContain('ClusterIssuer');
  });

  it('writes only shellcheck-clean scripts', requires(shellcheckMissing()), () => {
    const scripts = files(out).filter((f) => f.endsWith('.sh'));
    expect(scripts.length).toBeGreaterThan(50);
    for (const script of scripts) {
      const check = spawnSync('shellcheck', ['-s', 'bash', '-S', 'warning', script], { encoding: 'utf8' });
      expect(check.stdout, script).toBe('');
      expect(check.status, script).toBe(0);
    }
  });

  it('writes the kubeadm v1beta4 config and the kubelet patch', () => {
    // The control plane's steps, numbered: its preparation, its firewall, then kubeadm init.
    const steps = readdirSync(join(out, 'cp1')).sort();
    expect(steps.findIndex((d) => d.endsWith('-init'))).toBe(steps.findIndex((d) => d.endsWith('-firewall')) + 1);
    const init = readFileSync(join(out, 'cp1', steps.find((d) => d.endsWith('-init'))!, 'file_etc_hobbykube_kubeadm-init.yaml'), 'utf8');
    const kinds = parseAllDocuments(init).map((d) => `${d.get('apiVersion')}/${d.get('kind')}`);
    expect(kinds).toEqual(['kubeadm.k8s.io/v1beta4/InitConfiguration', 'kubeadm.k8s.io/v1beta4/ClusterConfiguration', 'kubelet.config.k8s.io/v1beta1/KubeletConfiguration']);
  });

  it("writes each node's firewall ruleset, and the encryption config without a key", () => {
    for (const node of ['cp1', 'w1', 'w2']) {
      const dir = readdirSync(join(out, node)).find((d) => d.endsWith('-firewall'))!;
      expect(readFileSync(join(out, node, dir, 'file_etc_hobbykube_firewall.nft'), 'utf8')).toContain('table inet hobbykube {');
    }
    const init = readdirSync(join(out, 'cp1')).find((d) => d.endsWith('-init'))!;
    const config = readFileSync(join(out, 'cp1', init, 'file_etc_hobbykube_encryption_config.yaml'), 'utf8');
    expect(config).toContain('kind: EncryptionConfiguration');
    expect(config).toContain('secret: <redacted>');
  });

  it("writes each worker's kubelet patch beside its join (the file join copies), sized for the assumed memory it states", () => {
    expect(result.stdout).toContain("Assumed for every node: 2048 MiB of memory (it sizes the kubelet's reservations; --memory MIB plans for another size), and its address on its own interface (no NAT).");
    for (const worker of ['w1', 'w2']) {
      const dir = join(out, worker, readdirSync(join(out, worker)).find((d) => d.endsWith('-join'))!);
      const patch = parseAllDocuments(readFileSync(join(dir, 'file_etc_hobbykube_kubeadm-patches_kubeletconfiguration_merge.yaml'), 'utf8'))[0]!.toJS() as Record<string, any>;
      const r = reservations(2048, 'worker');
      expect(patch.kubeReserved).toEqual({ memory: `${r.kubeReservedMiB}Mi` });
      expect(patch.systemReserved).toEqual({ memory: `${r.systemReservedMiB}Mi` });
      expect(patch.enforceNodeAllocatable).toEqual(['pods']);
    }
  });

  it('--memory MIB plans the reservations for that size instead, and says so', () => {
    const small = join(mkdtempSync(join(tmpdir(), 'hk-planout-')), 'plan');
    const r = runCli(['plan', '-f', join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'), '--offline', '--memory', '970', '--out', small], { env: { HOBBYKUBE_HOME: mkdtempSync(join(tmpdir(), 'hk-planout-home-')) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Assumed for every node: 970 MiB of memory (it sizes the kubelet's reservations), and its address on its own interface (no NAT).");
    const dir = join(small, 'w1', readdirSync(join(small, 'w1')).find((d) => d.endsWith('-join'))!);
    const patch = parseAllDocuments(readFileSync(join(dir, 'file_etc_hobbykube_kubeadm-patches_kubeletconfiguration_merge.yaml'), 'utf8'))[0]!.toJS() as Record<string, any>;
    expect(patch.kubeReserved).toEqual({ memory: `${reservations(970, 'worker').kubeReservedMiB}Mi` });
    const bad = runCli(['plan', '-f', join(import.meta.dirname, '../fixtures/specs/valid-full.yaml'), '--offline', '--memory', '1g']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error: --memory: got "1g", expected the memory per node in MiB, from 400 to 262144');
    expect(bad.stdout).toBe('');
  });

  it('writes manifests that validate against the Kubernetes schemas', () => {
    const manifests = files(out).filter((f) => f.endsWith('manifests.yaml'));
    let checked = 0;
    for (const file of manifests) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const o = doc.toJS() as { apiVersion: string; kind: string; metadata: { name: string } } | null;
        if (!o) continue;
        const Model = MODELS[`${o.apiVersion}/${o.kind}`];
        expect(Model, `${o.apiVersion}/${o.kind}`).toBeDefined();
        expect(() => new Model!(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(12);
  });

  it('keeps every secret value out of everything it printed or wrote', () => {
    for (const text of [result.stdout, result.stderr, ...files(out).map((f) => readFileSync(f, 'utf8'))]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(MYSQL_PASSWORD);
    }
    expect(files(out).some((f) => readFileSync(f, 'utf8').includes('kind: Secret'))).toBe(true);
  });
});
