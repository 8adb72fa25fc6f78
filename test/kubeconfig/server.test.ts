// The owner's kubeconfig points at the control plane's spec address: admin.conf's server is set,
// everything else kept byte for byte where the YAML library allows.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubeconfigError, setKubeconfigServer } from '../../src/kubeconfig/merge.js';

const CERT = 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lJSG9iYnlrdWJlRmFrZUNBd0RRWUpLb1pJaHZjTkFRRUxCUUF3RlRFVE1CRUcKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=';
const ADMIN = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: ${CERT}
    server: https://api.home.hobbykube.internal:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: ${CERT}
    client-key-data: ${CERT}
`;

describe('setKubeconfigServer', () => {
  it("replaces only the server (long base64 lines are not folded)", () => {
    const out = setKubeconfigServer(ADMIN, 'https://203.0.113.10:6443');
    expect(out).toBe(ADMIN.replace('https://api.home.hobbykube.internal:6443', 'https://203.0.113.10:6443'));
    expect((parse(out) as { clusters: Array<{ cluster: { server: string } }> }).clusters[0]!.cluster.server).toBe('https://203.0.113.10:6443');
  });

  it('returns the text unchanged when the server already is the one wanted', () => {
    const same = ADMIN.replace('https://api.home.hobbykube.internal:6443', 'https://203.0.113.10:6443');
    expect(setKubeconfigServer(same, 'https://203.0.113.10:6443')).toBe(same);
  });

  it('refuses a file without exactly one cluster, or that is not YAML', () => {
    expect(() => setKubeconfigServer('apiVersion: v1\nclusters: []\n', 'https://x:6443')).toThrow(KubeconfigError);
    expect(() => setKubeconfigServer('clusters: [a\n', 'https://x:6443')).toThrow(/not valid YAML/);
  });
});
