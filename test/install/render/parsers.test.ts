import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  REDACT_FUNCTION,
  aptRepositoryUrl,
  kubernetesPackages,
  parseDnsCheck,
  parseJoinCommand,
  parseKubeadmVersion,
  parseKubernetesVersion,
  dnsCheckStep,
} from '../../../src/install/render/index.js';

const HASH = 'sha256:' + '9f'.repeat(32);

describe('parseJoinCommand (kubeadm token create --print-join-command)', () => {
  it('reads endpoint, token and CA hash', () => {
    const output = `kubeadm join 203.0.113.10:6443 --token 8x2k1q.0a1b2c3d4e5f6g7h --discovery-token-ca-cert-hash ${HASH} \n`;
    expect(parseJoinCommand(output)).toEqual({ endpoint: '203.0.113.10:6443', token: '8x2k1q.0a1b2c3d4e5f6g7h', caCertHashes: [HASH] });
  });

  it('skips warnings before the command, accepts --flag=value, several hashes and IPv6 endpoints', () => {
    const output = [
      'W1125 10:00:00.000000    1234 version.go:104] could not fetch a Kubernetes version from the internet',
      `kubeadm join [2001:db8::10]:6443 --token=abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH} --discovery-token-ca-cert-hash=sha256:${'a'.repeat(64)}`,
    ].join('\n');
    expect(parseJoinCommand(output)).toEqual({
      endpoint: '[2001:db8::10]:6443',
      token: 'abcdef.0123456789abcdef',
      caCertHashes: [HASH, `sha256:${'a'.repeat(64)}`],
    });
  });

  it('refuses output without a well-formed join command', () => {
    expect(() => parseJoinCommand('error: unable to create token')).toThrow(/no "kubeadm join"/);
    expect(() => parseJoinCommand(`kubeadm join 1.2.3.4:6443 --token nope --discovery-token-ca-cert-hash ${HASH}`)).toThrow(/token/);
    expect(() => parseJoinCommand('kubeadm join 1.2.3.4:6443 --token abcdef.0123456789abcdef')).toThrow(/hash/);
    expect(() => parseJoinCommand(`kubeadm join --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash ${HASH}`)).toThrow(/endpoint/);
  });
});

describe('parseDnsCheck', () => {
  const ok = 'hobbykube-dns nameserver nameserver 10.96.0.10\nhobbykube-dns internal ok kubernetes.default.svc.cluster.local\nhobbykube-dns external ok kubernetes.io.\n';

  it('passes when both names resolve', () => {
    expect(parseDnsCheck(ok)).toEqual({ internal: true, external: true, nameserver: '10.96.0.10', explanation: '' });
  });

  it('blames the upstream path when only outside names fail', () => {
    const log = 'hobbykube-dns internal ok x\nhobbykube-dns external failed kubernetes.io.\n;; connection timed out; no servers could be reached\n';
    const result = parseDnsCheck(log, ['1.1.1.1', '9.9.9.9']);
    expect(result.internal).toBe(true);
    expect(result.external).toBe(false);
    expect(result.explanation).toMatch(/cannot reach 1\.1\.1\.1, 9\.9\.9\.9/);
    expect(result.explanation).toMatch(/firewall/);
  });

  it('blames CoreDNS (and the resolved stub loop) when nothing resolves', () => {
    const result = parseDnsCheck('hobbykube-dns internal failed a\nhobbykube-dns external failed b\n');
    expect(result.explanation).toMatch(/CoreDNS is not answering/);
    expect(result.explanation).toMatch(/127\.0\.0\.53/);
  });

  it('says the pod never ran when there is no report at all', () => {
    expect(parseDnsCheck('').explanation).toMatch(/never reported/);
  });

  it('explains an in-cluster-only failure', () => {
    expect(parseDnsCheck('hobbykube-dns internal failed a\nhobbykube-dns external ok b\n').explanation).toMatch(/cluster names do not/);
  });

  it('looks each name up in its own short-lived, unprivileged pod that tolerates every taint', () => {
    const action = dnsCheckStep({ upstreamDns: ['1.1.1.1'], externalName: 'example.org.' }).action;
    expect(action).toContain('lookup external example.org.');
    expect(action).toContain('lookup internal kubernetes.default.svc.cluster.local');
    expect(action).toMatch(/run "\$pod" --rm -i --restart=Never/);
    const overrides = /--overrides='([^']+)'/.exec(action)![1]!;
    expect(JSON.parse(overrides).spec).toEqual({
      tolerations: [{ operator: 'Exists' }],
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: { runAsNonRoot: true, runAsUser: 65534 },
    });
  });
});

describe('versions', () => {
  it('parses spec and kubeadm versions', () => {
    expect(parseKubernetesVersion('1.37')).toEqual({ minor: '1.37' });
    expect(parseKubernetesVersion('1.37.2')).toEqual({ minor: '1.37', patch: '1.37.2' });
    expect(parseKubernetesVersion('v1.37.2')).toEqual({ minor: '1.37', patch: '1.37.2' });
    expect(() => parseKubernetesVersion('1.37; reboot')).toThrow();
    expect(parseKubeadmVersion('v1.37.2\n')).toBe('v1.37.2');
    expect(parseKubeadmVersion('command not found')).toBeUndefined();
  });

  it('names the pkgs.k8s.io repository and pins packages to a patch release', () => {
    expect(aptRepositoryUrl('1.37')).toBe('https://pkgs.k8s.io/core:/stable:/v1.37/deb/');
    expect(kubernetesPackages({ minor: '1.37' })).toEqual(['kubelet', 'kubeadm', 'kubectl']);
    expect(kubernetesPackages({ minor: '1.37', patch: '1.37.2' })).toEqual(['kubelet=1.37.2-*', 'kubeadm=1.37.2-*', 'kubectl=1.37.2-*']);
  });
});

describe('redaction of kubeadm output', () => {
  it('hides bootstrap tokens and certificate keys', () => {
    const input = [
      '[bootstrap-token] Using token: abcdef.0123456789abcdef',
      'kubeadm join 203.0.113.10:6443 --token abcdef.0123456789abcdef \\',
      `        --discovery-token-ca-cert-hash ${HASH} --certificate-key 0a1b2c`,
      '',
    ].join('\n');
    const result = spawnSync('bash', ['-c', `${REDACT_FUNCTION}\nredact`], { input, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('0123456789abcdef');
    expect(result.stdout).not.toContain('0a1b2c');
    expect(result.stdout).toContain(HASH); // the CA hash is public: kept
    expect(result.stdout).toContain('Using token: <redacted-token>');
  });
});
