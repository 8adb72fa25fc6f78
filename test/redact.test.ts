import { describe, expect, it } from 'vitest';
import { Redactor } from '../src/redact.js';

describe('redactor', () => {
  it('masks known secret values and kubeadm bootstrap tokens', () => {
    const r = new Redactor();
    r.add('hunter2-sudo');
    r.add('multi\nline-secret');
    r.add('ab'); // too short to mask safely
    expect(r.redact('password hunter2-sudo ok')).toBe('password [redacted] ok');
    expect(r.redact('kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:00')).toBe(
      'kubeadm join 10.0.0.1:6443 --token [redacted] --discovery-token-ca-cert-hash sha256:00',
    );
    expect(r.redact('x line-secret y')).toBe('x [redacted] y');
    expect(r.redact('about ab')).toBe('about ab');
  });
});
