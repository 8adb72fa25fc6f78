// Where doctor's checks get their evidence. Every source is asked at most once per run (checks
// share the answer), has its own time limit, and is read-only:
//   connect  the SSH login and sudo (the transport, src/ssh)
//   facts    the facts script (src/facts: services, swap, disk, clock, resolver, versions)
//   memory   three memory samples 2 s apart (src/monitor: MemAvailable, top processes)
//   probe    doctor's node script (./node-probe.ts: kubelet config, journal, swap, RSS, certificates)
//   cluster  the control plane's answer (./cluster-query.ts), then the log lines worth showing
//   dns      the install's pod-based lookups (src/install/render: dnsLookupFunction)
//   outside  the owner's machine's view (./outside.ts: A records, ports 80/443, certificates)
// A source that fails rejects with its error; each check turns that into "could not check: ...".
import { randomBytes } from 'node:crypto';
import { gatherFacts } from '../facts/gather.js';
import type { NodeFacts } from '../facts/types.js';
import { dnsLookupFunction, INTERNAL_NAME, parseDnsCheck, type DnsCheckResult } from '../install/render/dns-check.js';
import { SHELL_HELPERS, script, shd } from '../install/render/script.js';
import { sampleMemory, SAMPLE_INTERVAL_MS, type MemorySample } from '../monitor/memory.js';
import type { ClusterSpec, NodeSpec } from '../spec/types.js';
import { SshError, type Host } from '../ssh/types.js';
import { ACME_LOG_KEY, queryCluster, readLogs, type ClusterView, type LogRequest, type Section } from './cluster-query.js';
import { looksLikeProbe, NODE_PROBE_SCRIPT, parseNodeProbe, type NodeProbe } from './node-probe.js';
import type { CertificateAnswer, Lookup, Outside, PortAnswer } from './outside.js';
import { SourceError } from './types.js';

/** Time limits (ms). Generous for a slow VPS; each stops only what hangs. */
export const LIMITS = {
  /** The SSH handshake (the transport's readyTimeout) and the sudo check after it. */
  connect: 15_000,
  sudo: 15_000,
  facts: 30_000,
  probe: 30_000,
  /** One memory sample. */
  sample: 5_000,
  cluster: 45_000,
  logs: 30_000,
  /** The lookup pods: kubectl run waits up to 60 s for each pod to start. */
  dns: 150_000,
} as const;

/** Memory samples taken per node, SAMPLE_INTERVAL_MS apart: "stays under" means all of them. */
export const MEMORY_SAMPLES = 3;

/** The outside name the lookup pod resolves (absolute: no search suffixes). */
export const OUTSIDE_NAME = 'kubernetes.io.';

export interface SourcesInput {
  spec: ClusterSpec;
  host(node: string): Promise<Host>;
  outside: Outside;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SourceError(`${what} did not answer within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

export interface LogsAnswer {
  sections: Map<string, Section>;
  /** The log request of each key. */
  requests: LogRequest[];
}

export class Sources {
  private readonly memo = new Map<string, Promise<unknown>>();
  readonly spec: ClusterSpec;
  readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly input: SourcesInput) {
    this.spec = input.spec;
    this.now = input.now ?? Date.now;
    this.sleep = input.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      p.catch(() => undefined); // answered to whoever asks; never an unhandled rejection
      this.memo.set(key, p);
    }
    return p;
  }

  node(name: string): NodeSpec {
    const n = this.spec.spec.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name} in the spec`);
    return n;
  }

  get controlPlane(): NodeSpec {
    return this.spec.spec.nodes.find((n) => n.role === 'control-plane')!;
  }

  /** The SSH login, then `sudo true`: the node can be asked as root. Rejects with the SshError. */
  connect(node: string): Promise<Host> {
    return this.once(`connect:${node}`, async () => {
      const host = await withTimeout(this.input.host(node), LIMITS.connect + 5_000, `the SSH login to ${node}`);
      const r = await host.run('true', { sudo: true, timeoutMs: LIMITS.sudo });
      if (r.code !== 0) throw new SshError(node, 'sudo', `sudo true failed on ${node} (exit code ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? ''}`);
      return host;
    });
  }

  /** The node's host, or a SourceError naming it as unreachable (for checks that depend on it). */
  private async reach(node: string): Promise<Host> {
    try {
      return await this.connect(node);
    } catch {
      throw new SourceError(`${node} could not be reached over SSH (${node}'s SSH check says why)`);
    }
  }

  facts(node: string): Promise<NodeFacts> {
    return this.once(`facts:${node}`, async () => withTimeout(gatherFacts(await this.reach(node), this.now), LIMITS.facts, `the facts script on ${node}`));
  }

  memory(node: string): Promise<MemorySample[]> {
    return this.once(`memory:${node}`, async () => {
      const host = await this.reach(node);
      const samples: MemorySample[] = [];
      for (let i = 0; i < MEMORY_SAMPLES; i += 1) {
        if (i > 0) await this.sleep(SAMPLE_INTERVAL_MS);
        samples.push(await withTimeout(sampleMemory(host, { timeoutMs: LIMITS.sample, now: this.now }), LIMITS.sample + 3_000, `a memory sample on ${node}`));
      }
      return samples;
    });
  }

  probe(node: string): Promise<NodeProbe> {
    return this.once(`probe:${node}`, async () => {
      const host = await this.reach(node);
      const r = await withTimeout(host.run(NODE_PROBE_SCRIPT, { sudo: true, timeoutMs: LIMITS.probe }), LIMITS.probe + 3_000, `doctor's node script on ${node}`);
      if (!looksLikeProbe(r.stdout)) throw new SourceError(`doctor's node script did not run on ${node} (exit code ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? 'no output'}`);
      return parseNodeProbe(r.stdout);
    });
  }

  /** Facts of every node that answered (for the capacity check and the clocks). */
  allFacts(): Promise<Map<string, NodeFacts>> {
    return this.once('all-facts', async () => {
      const out = new Map<string, NodeFacts>();
      await Promise.all(
        this.spec.spec.nodes.map(async (n) => {
          try {
            out.set(n.name, await this.facts(n.name));
          } catch {
            // that node's own checks say why
          }
        }),
      );
      return out;
    });
  }

  cluster(): Promise<ClusterView> {
    return this.once('cluster', async () => {
      const cp = this.controlPlane.name;
      return withTimeout(queryCluster(await this.reach(cp), LIMITS.cluster), LIMITS.cluster + 5_000, `the cluster query on ${cp}`);
    });
  }

  /**
   * Log lines worth showing: the previous run of each container that crashed, the pod of each
   * workload Job that failed (its last run), and Traefik's ACME messages when there is an ingress.
   */
  logs(): Promise<LogsAnswer> {
    return this.once('logs', async () => {
      const view = await this.cluster();
      const requests = logRequests(view);
      const acme = this.spec.spec.ingress !== undefined;
      const cp = this.controlPlane.name;
      const sections = await withTimeout(readLogs(await this.reach(cp), requests, acme, LIMITS.logs), LIMITS.logs + 5_000, `reading logs on ${cp}`);
      return { sections, requests };
    });
  }

  /** Traefik's last log lines about ACME or certificates. */
  async acmeLines(): Promise<string[]> {
    const logs = await this.logs();
    const s = logs.sections.get(ACME_LOG_KEY);
    if (!s) return [];
    return s.text.split('\n').filter((l) => l.trim() !== '');
  }

  /** Lookups of a cluster name and an outside name from a short-lived pod (removed after). */
  dns(): Promise<DnsCheckResult & { log: string }> {
    return this.once('dns', async () => {
      const cp = this.controlPlane.name;
      const host = await this.reach(cp);
      const r = await withTimeout(host.run(dnsLookupScript(), { sudo: true, timeoutMs: LIMITS.dns }), LIMITS.dns + 5_000, `the DNS lookup pods (started from ${cp})`);
      if (r.code !== 0) throw new SourceError(`the DNS lookup pods could not be started from ${cp} (exit code ${r.code}): ${(r.stderr || r.stdout).trim().split('\n').slice(-1)[0] ?? ''}`);
      return { ...parseDnsCheck(r.stdout, this.spec.spec.dns.upstream), log: r.stdout };
    });
  }

  resolve4(name: string): Promise<Lookup> {
    return this.once(`resolve:${name}`, () => this.input.outside.resolve4(name));
  }

  tcp(address: string, port: number): Promise<PortAnswer> {
    return this.once(`tcp:${address}:${port}`, () => this.input.outside.tcp(address, port));
  }

  certificate(address: string, domain: string): Promise<CertificateAnswer> {
    return this.once(`tls:${address}:${domain}`, () => this.input.outside.certificate(address, 443, domain));
  }
}

/** Pod names are made unique per run, so two doctors (or a doctor and an install) never meet. */
export function dnsLookupScript(suffix: string = randomBytes(3).toString('hex')): string {
  const lookup = dnsLookupFunction({ podPrefix: `hobbykube-doctor-${suffix}`, attempts: 1, podRunningTimeout: '60s', deleteLeftover: false });
  return script(
    shd`
    { lookup internal ${INTERNAL_NAME}; lookup external ${OUTSIDE_NAME}; } 2>&1 || true
    exit 0`,
    [SHELL_HELPERS.kubectl, lookup],
  );
}

/** Which logs to read, from the pods the cluster showed. */
export function logRequests(view: ClusterView): LogRequest[] {
  const out: LogRequest[] = [];
  const seen = new Set<string>();
  for (const pod of view.pods) {
    const metadata = (pod.metadata ?? {}) as Record<string, unknown>;
    const namespace = String(metadata.namespace ?? '');
    const name = String(metadata.name ?? '');
    const status = (pod.status ?? {}) as Record<string, unknown>;
    const statuses = Array.isArray(status.containerStatuses) ? (status.containerStatuses as Array<Record<string, any>>) : [];
    for (const cs of statuses) {
      const container = String(cs.name ?? '');
      const waiting = cs.state?.waiting?.reason;
      const lastTerminated = cs.lastState?.terminated;
      const terminated = cs.state?.terminated;
      let request: LogRequest | undefined;
      if (waiting === 'CrashLoopBackOff' || (lastTerminated && lastTerminated.exitCode !== 0 && lastTerminated.reason !== 'OOMKilled' && cs.ready !== true)) {
        request = { key: `${namespace}/${name}/${container}`, namespace, pod: name, container, previous: true, tail: 15 };
      } else if (terminated && terminated.exitCode !== 0 && status.phase === 'Failed') {
        request = { key: `${namespace}/${name}/${container}`, namespace, pod: name, container, previous: false, tail: 15 };
      }
      if (request && !seen.has(request.key) && /^[\w./:-]+$/.test(request.key) && out.length < 20) {
        seen.add(request.key);
        out.push(request);
      }
    }
  }
  return out;
}

