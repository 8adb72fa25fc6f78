import { describe, expect, it } from 'vitest';
import { causeFor, hintFor } from '../../src/progress/hints.js';

const cause = (lines: string[], message = '') => causeFor(lines, message)?.cause;

describe('hintFor', () => {
  it.each([
    ['apt-lock', ['E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1234 (unattended-upgr)', 'E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?']],
    ['apt-lock', ['E: Could not get lock /var/lib/apt/lists/lock. It is held by process 812 (apt-get)']],
    ['image-pull', ['[ERROR ImagePull]: failed to pull image registry.k8s.io/kube-apiserver:v1.37.1: output: E1001 ... rpc error']],
    ['image-pull', ['Warning  Failed  kubelet  Failed to pull image "mysql:8.4": failed to resolve reference "docker.io/library/mysql:8.4": toomanyrequests']],
    ['image-pull', ['web-6d4cf56db6-x2 0/1 ImagePullBackOff']],
    ['token', ['error execution phase preflight: couldn\'t validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID "abcdef"']],
    ['token', ['[discovery] token id "abcdef" is invalid for this cluster or it has expired']],
    ['port-in-use', ['[ERROR Port-6443]: Port 6443 is in use']],
    ['port-in-use', ['listen tcp 0.0.0.0:80: bind: address already in use']],
    ['out-of-memory', ['mysql-0 0/1 OOMKilled']],
    ['out-of-memory', ['[ 812.3] Out of memory: Killed process 4242 (kube-apiserver) total-vm:1.2G']],
    ['connection-lost', ['Connection reset by 203.0.113.10 port 22']],
  ])('%s: %s', (expected, lines) => {
    expect(cause(lines)).toBe(expected);
    expect(hintFor(lines)).toMatch(/\S/);
  });

  it('reads the message too (the runner\'s connection-lost and timeout messages)', () => {
    expect(cause([], 'w1: connection lost while running "Join the cluster"')).toBe('connection-lost');
    expect(cause(['Setting up kubelet ...'], 'exit code 137')).toBe('out-of-memory');
  });

  it('gives no hint for an unknown cause', () => {
    expect(hintFor(['E: Package \'kubelet\' has no installation candidate'], 'exit code 100')).toBeUndefined();
    expect(hintFor([], '')).toBeUndefined();
  });

  it('prefers the more specific cause: an OOM kill that also dropped the connection', () => {
    expect(cause(['Out of memory: Killed process 812 (sshd)'], 'connection lost')).toBe('out-of-memory');
  });

  it('hints are one line and short enough for two rows of an 80-column terminal', () => {
    for (const lines of [['Port 6443 is in use'], ['OOMKilled'], ['ErrImagePull'], ['token has expired'], ['Could not get lock /var/lib/dpkg/lock'], ['Broken pipe']]) {
      const hint = hintFor(lines)!;
      expect(hint).not.toMatch(/\n/);
      expect(hint.length).toBeLessThanOrEqual(150);
    }
  });
});
