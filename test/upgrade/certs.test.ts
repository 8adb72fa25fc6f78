// `kubeadm certs check-expiration`'s table as kubeadm prints it, read back; what status says
// about it (a warning under 30 days).
import { describe, expect, it } from 'vitest';
import { certificateProblems, certificatesLine, parseCheckExpiration, parseExpires, summarizeCertificates, WARN_DAYS } from '../../src/status/certs.js';

// The layout of kubeadm 1.2x+ (tabwriter, padding 3), as in kubernetes/kubeadm#2866.
const OUTPUT = `[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...
[check-expiration] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.

CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED
admin.conf                 Apr 09, 2027 09:17 UTC   132d            ca                      no
apiserver                  Dec 18, 2026 09:16 UTC   20d             ca                      no
apiserver-etcd-client      Apr 09, 2027 09:16 UTC   132d            etcd-ca                 no
front-proxy-client         Apr 09, 2027 09:16 UTC   132d            front-proxy-ca          no
!MISSING! super-admin.conf

CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED
ca                      Nov 03, 2035 14:13 UTC   8y              no
etcd-ca                 Nov 03, 2035 14:13 UTC   8y              no
front-proxy-ca          Nov 03, 2035 14:13 UTC   8y              no
`;
const NOW = Date.UTC(2026, 10, 28, 9, 16); // Nov 28, 2026 09:16 UTC

describe('kubeadm certs check-expiration', () => {
  it('reads both tables: names, expiry, CA, missing certificates', () => {
    const r = parseCheckExpiration(OUTPUT);
    expect(r.certificates.map((c) => c.name)).toEqual(['admin.conf', 'apiserver', 'apiserver-etcd-client', 'front-proxy-client', 'super-admin.conf']);
    expect(r.certificates[1]).toEqual({ name: 'apiserver', expires: Date.UTC(2026, 11, 18, 9, 16), authority: 'ca', externallyManaged: false });
    expect(r.certificates[3]!.authority).toBe('front-proxy-ca');
    expect(r.certificates[4]).toEqual({ name: 'super-admin.conf' });
    expect(r.authorities.map((c) => [c.name, c.expires])).toEqual([
      ['ca', Date.UTC(2035, 10, 3, 14, 13)],
      ['etcd-ca', Date.UTC(2035, 10, 3, 14, 13)],
      ['front-proxy-ca', Date.UTC(2035, 10, 3, 14, 13)],
    ]);
    expect(parseExpires('Feb 30, 2027 10:00 PST')).toBeUndefined();
  });

  it(`summarises the first expiry and warns under ${WARN_DAYS} days, saying what to run`, () => {
    const s = summarizeCertificates(parseCheckExpiration(OUTPUT), NOW);
    expect(s.first).toMatchObject({ name: 'apiserver', days: 20 });
    expect(s.missing).toEqual(['super-admin.conf']);
    expect(certificatesLine('cp1', s)).toBe('Certificates on cp1: first expiry 2026-12-18 (apiserver, 20 days left); CAs until 2035-11-03; missing: super-admin.conf');
    expect(certificateProblems('cp1', s)).toEqual([
      'certificates on cp1 expire within 30 days: apiserver (20 days left). Run `hobbykube upgrade --renew-certs` (or `hobbykube upgrade`, which renews them).',
    ]);
  });

  it('says nothing is wrong a year before expiry, and calls an expired certificate expired', () => {
    const fresh = summarizeCertificates(parseCheckExpiration(OUTPUT), Date.UTC(2025, 11, 19));
    expect(certificateProblems('cp1', fresh)).toEqual([]);
    const late = summarizeCertificates(parseCheckExpiration(OUTPUT), Date.UTC(2026, 11, 21, 10));
    expect(certificatesLine('cp1', late)).toContain('(apiserver, expired 3 days ago)');
  });
});
