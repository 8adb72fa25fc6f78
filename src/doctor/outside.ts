// The view from the owner's machine, as visitors and Let's Encrypt see the cluster: an app
// domain's A records, whether the ingress node's ports 80 and 443 answer, and the certificate
// served for a domain. Each call has its own time limit and never throws: it answers what it saw
// or why it could not look.
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';

export type Lookup = { ok: true; addresses: string[] } | { ok: false; missing: boolean; error: string };

export interface PortAnswer {
  open: boolean;
  /** Why not (ECONNREFUSED, a timeout ...). */
  error?: string;
}

export interface ServedCertificate {
  subject: string;
  /** CN of the subject (TRAEFIK DEFAULT CERT for Traefik's own). */
  commonName: string;
  issuer: string;
  /** The issuer's organisation and common name, e.g. "Let's Encrypt R11". */
  issuerName: string;
  validFrom: Date;
  validTo: Date;
  /** DNS names it covers (subjectAltName), lower case. */
  names: string[];
  /** Trusted by this machine's CA store for this name. */
  trusted: boolean;
  /** Why not trusted (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID ...). */
  trustError?: string;
}

export type CertificateAnswer = { ok: true; certificate: ServedCertificate } | { ok: false; error: string };

/** What doctor asks of the network around it; tests may hand in their own. */
export interface Outside {
  resolve4(name: string): Promise<Lookup>;
  tcp(address: string, port: number): Promise<PortAnswer>;
  certificate(address: string, port: number, servername: string): Promise<CertificateAnswer>;
}

export interface OutsideOptions {
  /** A DNS server (IP, or IP:port) to ask instead of the system's. */
  resolver?: string;
  /** Per call. */
  timeoutMs?: number;
}

const code = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  return typeof e?.code === 'string' ? e.code : e instanceof Error ? e.message : String(error);
};

export function realOutside(options: OutsideOptions = {}): Outside {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    async resolve4(name) {
      // Two tries, each with its own time limit (c-ares' timeout is per try, in ms).
      const resolver = new Resolver({ timeout: Math.max(500, Math.floor(timeoutMs / 2)), tries: 2 });
      if (options.resolver) resolver.setServers([options.resolver]);
      try {
        return { ok: true, addresses: (await resolver.resolve4(name)).sort() };
      } catch (error) {
        const c = code(error);
        return { ok: false, missing: c === 'ENOTFOUND' || c === 'ENODATA', error: c };
      }
    },
    tcp(address, port) {
      return new Promise((resolve) => {
        const socket = net.connect({ host: address, port });
        const done = (answer: PortAnswer) => {
          clearTimeout(timer);
          socket.destroy();
          resolve(answer);
        };
        const timer = setTimeout(() => done({ open: false, error: `no answer within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
        socket.once('connect', () => done({ open: true }));
        socket.once('error', (error) => done({ open: false, error: code(error) }));
      });
    },
    certificate(address, port, servername) {
      return new Promise((resolve) => {
        // rejectUnauthorized false: an untrusted certificate is evidence to report, not a reason to look away.
        const socket = tls.connect({ host: address, port, servername, rejectUnauthorized: false });
        const done = (answer: CertificateAnswer) => {
          clearTimeout(timer);
          socket.destroy();
          resolve(answer);
        };
        const timer = setTimeout(() => done({ ok: false, error: `no TLS answer within ${Math.round(timeoutMs / 1000)} s` }), timeoutMs);
        socket.once('secureConnect', () => {
          const peer = socket.getPeerCertificate();
          if (!peer || Object.keys(peer).length === 0) return done({ ok: false, error: 'the server sent no certificate' });
          const names = (peer.subjectaltname ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.startsWith('DNS:'))
            .map((s) => s.slice(4).toLowerCase());
          let trustError = socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted');
          if (!trustError) {
            const mismatch = tls.checkServerIdentity(servername, peer);
            if (mismatch) trustError = (mismatch as NodeJS.ErrnoException).code ?? mismatch.message;
          }
          const field = (o: unknown, key: string) => {
            const v = (o as Record<string, unknown> | undefined)?.[key];
            return Array.isArray(v) ? v.join(', ') : typeof v === 'string' ? v : '';
          };
          const render = (o: unknown) =>
            Object.entries((o as Record<string, unknown>) ?? {})
              .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
              .join(', ');
          done({
            ok: true,
            certificate: {
              subject: render(peer.subject),
              commonName: field(peer.subject, 'CN'),
              issuer: render(peer.issuer),
              issuerName: [field(peer.issuer, 'O'), field(peer.issuer, 'CN')].filter(Boolean).join(' '),
              validFrom: new Date(peer.valid_from),
              validTo: new Date(peer.valid_to),
              names,
              trusted: trustError === undefined,
              ...(trustError ? { trustError } : {}),
            },
          });
        });
        socket.once('error', (error) => done({ ok: false, error: code(error) }));
      });
    },
  };
}
