// The internet around a test cluster, on loopback only: a DNS server answering A records over
// real UDP (what `doctor --resolver 127.0.0.1:PORT` asks), and listeners on the ingress host's
// ports 80 and 443 standing in for Traefik (the doubles run no Traefik), the latter serving
// real certificates made with openssl: a test CA (handed to the CLI as NODE_EXTRA_CA_CERTS),
// leaves per domain with chosen lifetimes, and a self-signed "TRAEFIK DEFAULT CERT".
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

// --- DNS ------------------------------------------------------------------------------------------

export interface DnsServer {
  /** "127.0.0.1:PORT" for --resolver. */
  address: string;
  /** name (lower case, no trailing dot) → IPv4 addresses; names not here get NXDOMAIN. */
  records: Map<string, string[]>;
  /** Names asked, in order. */
  asked: string[];
  close(): Promise<void>;
}

function readName(msg: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = offset;
  while (i < msg.length && msg[i]! > 0) {
    const len = msg[i]!;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('ascii'));
    i += 1 + len;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 1 };
}

/** Answers one standard query: A records from `records`, NXDOMAIN for unknown names, no data for other types. */
export function dnsAnswer(query: Buffer, records: ReadonlyMap<string, string[]>): Buffer {
  const id = query.readUInt16BE(0);
  const { name, end } = readName(query, 12);
  const qtype = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const known = records.get(name);
  const answers = known && qtype === 1 ? known : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x8180 | (known ? 0 : 3), 2); // response, recursion desired + available; rcode NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  const rrs = answers.map((ip) => {
    const rr = Buffer.alloc(16);
    rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
    rr.writeUInt16BE(1, 2); // A
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(300, 6); // TTL
    rr.writeUInt16BE(4, 10);
    ip.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
    return rr;
  });
  return Buffer.concat([header, question, ...rrs]);
}

export async function startDnsServer(records: Record<string, string[]> = {}): Promise<DnsServer> {
  const socket = dgram.createSocket('udp4');
  const server: DnsServer = {
    address: '',
    records: new Map(Object.entries(records).map(([k, v]) => [k.toLowerCase(), v])),
    asked: [],
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (msg, rinfo) => {
    try {
      server.asked.push(readName(msg, 12).name);
      socket.send(dnsAnswer(msg, server.records), rinfo.port, rinfo.address);
    } catch {
      // a malformed query gets no answer
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  server.address = `127.0.0.1:${socket.address().port}`;
  return server;
}

// --- certificates ---------------------------------------------------------------------------------

export interface Pem {
  cert: string;
  key: string;
}

export class TestCa {
  readonly dir = mkdtempSync(join(tmpdir(), 'hk-ca-'));
  readonly certPath = join(this.dir, 'ca.pem');
  private readonly keyPath = join(this.dir, 'ca.key');

  constructor(subject = '/O=hobbykube test CA/CN=Test R1') {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', this.keyPath, '-out', this.certPath, '-days', '30', '-subj', subject]);
  }

  /** A leaf for `domain` signed by this CA, valid from a day ago for `days` more days. */
  issue(domain: string, days: number): Pem {
    const key = join(this.dir, `${domain}.key`);
    const csr = join(this.dir, `${domain}.csr`);
    const crt = join(this.dir, `${domain}.crt`);
    const ext = join(this.dir, `${domain}.ext`);
    writeFileSync(ext, `subjectAltName=DNS:${domain}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${domain}`]);
    openssl(['x509', '-req', '-in', csr, '-CA', this.certPath, '-CAkey', this.keyPath, '-CAcreateserial', '-out', crt, '-days', String(days), '-extfile', ext]);
    return { cert: readFileSync(crt, 'utf8'), key: readFileSync(key, 'utf8') };
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Traefik's own fallback certificate: self-signed, CN "TRAEFIK DEFAULT CERT". */
export function traefikDefaultCert(): Pem {
  const dir = mkdtempSync(join(tmpdir(), 'hk-traefik-'));
  try {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', '365', '-subj', '/CN=TRAEFIK DEFAULT CERT']);
    return { cert: readFileSync(join(dir, 'c'), 'utf8'), key: readFileSync(join(dir, 'k'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A short-lived certificate file for the control plane (openssl, self-signed, `days` long). */
export function shortCert(cn: string, days: number): Pem {
  const dir = mkdtempSync(join(tmpdir(), 'hk-cert-'));
  try {
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-days', String(days), '-subj', `/CN=${cn}`]);
    return { cert: readFileSync(join(dir, 'c'), 'utf8'), key: readFileSync(join(dir, 'k'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

// --- the ingress node's ports ----------------------------------------------------------------------

export interface IngressStandIn {
  /** What port 443 serves per SNI name (the default certificate otherwise). */
  certificates: Map<string, Pem>;
  close(): Promise<void>;
}

/** Listens on address:80 (accepts and closes) and address:443 (TLS with SNI) until closed. */
export async function startIngress(address: string, fallback: Pem, certificates: Record<string, Pem> = {}): Promise<IngressStandIn> {
  const certs = new Map(Object.entries(certificates));
  const contexts = new Map<Pem, tls.SecureContext>();
  const contextOf = (pem: Pem) => {
    let c = contexts.get(pem);
    if (!c) contexts.set(pem, (c = tls.createSecureContext({ cert: pem.cert, key: pem.key })));
    return c;
  };
  const http = net.createServer((socket) => {
    socket.on('error', () => undefined); // a client that only checks the port resets the connection
    socket.end('HTTP/1.1 308 Permanent Redirect\r\nLocation: https://example/\r\nContent-Length: 0\r\n\r\n');
  });
  const https = tls.createServer({ cert: fallback.cert, key: fallback.key, SNICallback: (name, cb) => cb(null, contextOf(certs.get(name.toLowerCase()) ?? fallback)) }, (socket) => {
    // Left to the client to close (ending at once races its handshake); dropped after 10 s.
    socket.on('error', () => undefined);
    socket.setTimeout(10_000, () => socket.destroy());
  });
  https.on('tlsClientError', () => undefined);
  await Promise.all([
    new Promise<void>((resolve, reject) => http.once('error', reject).listen(80, address, () => resolve())),
    new Promise<void>((resolve, reject) => https.once('error', reject).listen(443, address, () => resolve())),
  ]);
  return {
    certificates: certs,
    close: () =>
      Promise.all([new Promise<void>((r) => http.close(() => r())), new Promise<void>((r) => https.close(() => r()))]).then(() => undefined),
  };
}
