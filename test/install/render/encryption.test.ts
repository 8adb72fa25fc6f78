// Secrets at rest: the EncryptionConfiguration and the kubeadm configuration that passes it to
// kube-apiserver, validated against the upstream shapes; the keys in the secrets file.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ENCRYPTION_CONFIG_PATH,
  checkKey,
  encryptionStep,
  initStep,
  redactedEncryptionConfig,
  renderEncryptionConfig,
  renderInitConfig,
  type EncryptionKey,
} from '../../../src/install/render/index.js';
import { generateKey, keysInConfig, loadEncryptionKeys, reconcileKeys, saveEncryptionKeys } from '../../../src/state/encryption-keys.js';
import { loadSecrets, saveSecrets } from '../../../src/state/secrets.js';
import { clusterPaths, ensureClusterDir } from '../../../src/state/paths.js';
import { checkEncryptionConfiguration, checkShape, KUBEADM_V1BETA4_CLUSTER_CONFIGURATION } from '../../support/upstream-config-shapes.js';

const key = (name: string, fill: number): EncryptionKey => ({ name, secret: Buffer.alloc(32, fill).toString('base64') });
const BASE = { nodeName: 'cp1', address: '203.0.113.10', kubernetesVersion: '1.37', schedulable: false, memTotalMiB: 970, resolvedStub: true };

describe('the EncryptionConfiguration', () => {
  it('is secretbox with the keys in order (the first writes), identity last; valid apiserver.config.k8s.io/v1', () => {
    const config = parse(renderEncryptionConfig([key('key2', 2), key('key1', 1)]));
    expect(checkEncryptionConfiguration(config)).toEqual([]);
    expect(config.resources).toEqual([
      {
        resources: ['secrets'],
        providers: [{ secretbox: { keys: [{ name: 'key2', secret: key('key2', 2).secret }, { name: 'key1', secret: key('key1', 1).secret }] } }, { identity: {} }],
      },
    ]);
  });

  it('the shape check is not a formality: it finds what the API server would refuse', () => {
    expect(checkEncryptionConfiguration({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'k', secret: 'c2hvcnQ=' }] }, identity: {} }] }] })).toEqual([
      '.resources[0].providers[0]: exactly one provider type, got secretbox, identity',
      '.resources[0].providers[0].secretbox.keys[k]: a 32-byte key in base64',
    ]);
    expect(checkEncryptionConfiguration({ apiVersion: 'v1', kind: 'EncryptionConfig', resources: [] })[0]).toContain('expected one of apiserver.config.k8s.io/v1');
  });

  it('for plan --out, the same file with every key replaced by <redacted>', () => {
    const keys = [key('key1', 1)];
    const text = redactedEncryptionConfig(keys);
    expect(text).not.toContain(keys[0]!.secret);
    expect(text).toContain('secret: <redacted>');
    expect(text).toContain(`# ${ENCRYPTION_CONFIG_PATH} on the control plane (mode 0600)`);
  });

  it('refuses keys the API server would refuse', () => {
    expect(() => checkKey({ name: 'key1', secret: Buffer.alloc(16).toString('base64') })).toThrow('expected the base64 of 32 bytes');
    expect(() => checkKey({ name: 'Key 1', secret: key('x', 1).secret })).toThrow('not an encryption key name');
    expect(() => renderEncryptionConfig([])).toThrow('no encryption key');
    expect(() => renderEncryptionConfig([key('key1', 1), key('key1', 2)])).toThrow('names repeat');
    expect(Buffer.from(generateKey().secret, 'base64')).toHaveLength(32);
    expect(generateKey(['key1', 'key2']).name).toBe('key3');
  });
});

describe("kubeadm's configuration", () => {
  it('passes the file to kube-apiserver with the v1beta4 list form and a read-only mount of its directory', () => {
    const docs = parseAllDocuments(renderInitConfig({ ...BASE, encryptionKeys: [key('key1', 1)] })).map((d) => d.toJS() as Record<string, any>);
    const cluster = docs.find((d) => d.kind === 'ClusterConfiguration')!;
    expect(checkShape(cluster, KUBEADM_V1BETA4_CLUSTER_CONFIGURATION)).toEqual([]);
    expect(cluster.apiServer.extraArgs).toEqual([{ name: 'encryption-provider-config', value: ENCRYPTION_CONFIG_PATH }]);
    expect(cluster.apiServer.extraVolumes).toEqual([{ name: 'hobbykube-encryption', hostPath: '/etc/hobbykube/encryption', mountPath: '/etc/hobbykube/encryption', readOnly: true, pathType: 'DirectoryOrCreate' }]);
    // The file the flag names lies inside the mount.
    expect(ENCRYPTION_CONFIG_PATH.startsWith(`${cluster.apiServer.extraVolumes[0].hostPath}/`)).toBe(true);
    // Without keys, no flag (an earlier cluster's configuration), still a valid ClusterConfiguration.
    const plain = parseAllDocuments(renderInitConfig(BASE)).map((d) => d.toJS() as Record<string, any>).find((d) => d.kind === 'ClusterConfiguration')!;
    expect(checkShape(plain, KUBEADM_V1BETA4_CLUSTER_CONFIGURATION)).toEqual([]);
    expect(plain.apiServer).not.toHaveProperty('extraArgs');
    // The shape check refuses the v1beta3 map form kubeadm v1beta4 rejects.
    expect(checkShape({ ...cluster, apiServer: { extraArgs: { 'encryption-provider-config': 'x' } } }, KUBEADM_V1BETA4_CLUSTER_CONFIGURATION)).toEqual(['.apiServer.extraArgs: expected a list']);
  });

  it('kubeadm init gets the file before it starts kube-apiserver: 0600, a secret (redacted in plan --out)', () => {
    const step = initStep({ ...BASE, encryptionKeys: [key('key1', 1)] });
    const file = step.files.find((f) => f.path === ENCRYPTION_CONFIG_PATH)!;
    expect(file).toMatchObject({ mode: 0o600, secret: true });
    expect(file.redacted).not.toContain(key('key1', 1).secret);
  });

  it('the encryption step: probe reads only hashes and markers; the action rewrites the Secrets and records the key it used', () => {
    const keys = [key('key1', 1)];
    const step = encryptionStep({ nodeName: 'cp1', keys, initConfig: renderInitConfig({ ...BASE, encryptionKeys: keys }) });
    for (const text of [step.probe, step.action]) expect(text).not.toContain(keys[0]!.secret);
    expect(step.action).toContain('kc get secrets -A -o json | kc replace -f - >/dev/null');
    expect(step.action).toContain('kubeadm init phase control-plane apiserver --config /etc/hobbykube/kubeadm-init.yaml');
    expect(step.action).toContain('kubeadm init phase upload-config kubeadm --config /etc/hobbykube/kubeadm-init.yaml');
    expect(step.probe).toContain("[ \"$rewritten\" = key1 ] || exit 1");
    expect(() => encryptionStep({ nodeName: 'cp 1', keys, initConfig: '' })).toThrow();
  });
});

describe('the keys in the secrets file', () => {
  const paths = () => {
    const p = clusterPaths('home', { HOBBYKUBE_HOME: mkdtempSync(join(tmpdir(), 'hk-keys-')) });
    ensureClusterDir(p);
    return p;
  };

  it('are kept beside the secret values, 0600, each writer keeping the other\'s part', () => {
    const p = paths();
    saveSecrets(p, { bot: { TOKEN: 'xoxb-1' } });
    saveEncryptionKeys(p, [key('key1', 1)]);
    saveSecrets(p, { bot: { TOKEN: 'xoxb-2' } });
    expect(loadEncryptionKeys(p)).toEqual([key('key1', 1)]);
    expect(loadSecrets(p)).toEqual({ bot: { TOKEN: 'xoxb-2' } });
    expect((statSync(p.secrets).mode & 0o777).toString(8)).toBe('600');
    expect(parse(readFileSync(p.secrets, 'utf8')).encryption.provider).toBe('secretbox');
  });

  it('reconciled with the control plane: generated only when neither has one, copied back when lost, a clash refused', () => {
    const k1 = key('key1', 1);
    const fresh = reconcileKeys([], undefined, () => k1);
    expect(fresh).toEqual({ keys: [k1], imported: [], generated: 'key1' });
    expect(reconcileKeys([k1], undefined)).toEqual({ keys: [k1], imported: [] }); // a rebuilt control plane gets the old key
    expect(reconcileKeys([], [k1])).toEqual({ keys: [k1], imported: ['key1'] }); // a lost secrets file
    expect(reconcileKeys([k1], [k1])).toEqual({ keys: [k1], imported: [] });
    // The control plane's writing key stays first.
    expect(reconcileKeys([k1], [key('key2', 2), k1]).keys.map((k) => k.name)).toEqual(['key2', 'key1']);
    expect(() => reconcileKeys([k1], [key('key1', 9)])).toThrow('encryption key key1 in the secrets file is not the one the control plane uses');
  });

  it('reads the control plane\'s file, and refuses a provider hobbykube does not manage', () => {
    expect(keysInConfig(renderEncryptionConfig([key('key2', 2), key('key1', 1)])).map((k) => k.name)).toEqual(['key2', 'key1']);
    const aescbc = 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aescbc:\n      keys:\n      - {name: k, secret: ' + key('k', 3).secret + '}\n';
    expect(() => keysInConfig(aescbc)).toThrow('it uses the aescbc provider, which hobbykube does not manage');
    expect(() => keysInConfig('kind: Pod\n')).toThrow('not an EncryptionConfiguration');
  });
});
