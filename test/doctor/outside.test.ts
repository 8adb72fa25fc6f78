// The owner's-machine view (src/doctor/outside.ts) against real servers on loopback: A records
// over real UDP DNS, a port that answers and one that does not, and the certificate a TLS server
// presents for a name (subject, issuer, dates, names, and why it is not trusted).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realOutside } from '../../src/doctor/outside.js';
import { startDnsServer, startIngress, TestCa, traefikDefaultCert, type DnsServer, type IngressStandIn } from '../support/outside.js';

describe("the owner's-machine view (loopback servers)", () => {
  let dns: DnsServer;
  let ca: TestCa;
  let ingress: IngressStandIn;
  // A loopback address nothing else uses in this test: 127.0.0.1 may have port 80/443 taken.
  const address = `127.${10 + (process.pid % 200)}.${(process.pid >> 8) % 250}.${1 + (process.pid % 250)}`;

  beforeAll(async () => {
    dns = await startDnsServer({ 'blog.example.com': ['203.0.113.11'], 'two.example.com': ['203.0.113.12', '203.0.113.11'] });
    ca = new TestCa();
    ingress = await startIngress(address, traefikDefaultCert(), { 'blog.example.com': ca.issue('blog.example.com', 40) });
  });
  afterAll(async () => {
    await dns?.close();
    await ingress?.close();
    ca?.remove();
  });

  it('resolves A records through the given server; an unknown name is missing; a dead server is an error', async () => {
    const outside = realOutside({ resolver: dns.address, timeoutMs: 2000 });
    expect(await outside.resolve4('blog.example.com')).toEqual({ ok: true, addresses: ['203.0.113.11'] });
    expect(await outside.resolve4('two.example.com')).toEqual({ ok: true, addresses: ['203.0.113.11', '203.0.113.12'] });
    expect(await outside.resolve4('nothing.example.com')).toEqual({ ok: false, missing: true, error: 'ENOTFOUND' });
    expect(dns.asked).toContain('nothing.example.com');
    const dead = await realOutside({ resolver: '127.0.0.1:9', timeoutMs: 1000 }).resolve4('blog.example.com');
    expect(dead.ok).toBe(false);
    expect(dead.ok === false && dead.missing).toBe(false);
  });

  it('a listening port answers; a closed one says why', async () => {
    const outside = realOutside({ timeoutMs: 2000 });
    expect(await outside.tcp(address, 80)).toEqual({ open: true });
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    expect(await outside.tcp('127.0.0.1', closed)).toEqual({ open: false, error: 'ECONNREFUSED' });
  });

  it('reads the certificate served for a name, and Traefik\'s default one for an unknown name', async () => {
    const outside = realOutside({ timeoutMs: 3000 });
    const blog = await outside.certificate(address, 443, 'blog.example.com');
    expect(blog.ok).toBe(true);
    if (!blog.ok) return;
    expect(blog.certificate.commonName).toBe('blog.example.com');
    expect(blog.certificate.names).toEqual(['blog.example.com']);
    expect(blog.certificate.issuerName).toBe('hobbykube test CA Test R1');
    expect(Math.round((blog.certificate.validTo.getTime() - Date.now()) / 86_400_000)).toBe(40);
    // This process does not trust the test CA (the CLI tests hand it over as NODE_EXTRA_CA_CERTS).
    expect(blog.certificate.trusted).toBe(false);
    expect(blog.certificate.trustError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const other = await outside.certificate(address, 443, 'other.example.com');
    expect(other.ok && other.certificate.commonName).toBe('TRAEFIK DEFAULT CERT');
    expect(other.ok && other.certificate.trustError).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(await outside.certificate('127.0.0.1', 9, 'blog.example.com')).toEqual({ ok: false, error: 'ECONNREFUSED' });
  });
});
