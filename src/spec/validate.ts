// Checks a parsed hobbykube.yaml field by field and builds the ClusterSpec with defaults filled
// in. It walks the YAML syntax tree rather than plain objects so that every problem carries the
// line and column of the value (or key) at fault, and it reports every problem at once.
//
// Why one file of ~740 lines: one walk over one syntax tree, section by section (nodes, ssh, dns,
// ingress, workloads, backup...), each section a small function sharing the same problem list
// and position helpers; the field rules themselves live in rules.ts, shared with the wizard.
import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import * as rules from './rules.js';
import { show, type Problem } from './problems.js';
import {
  API_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  KIND,
  WORKLOAD_KINDS,
  type AppWorkload,
  type ClusterSpec,
  type CronWorkload,
  type DatabaseWorkload,
  type DumpSettingsSpec,
  type IngressSpec,
  type NetworkSpec,
  type NodeSpec,
  type RegistrySpec,
  type SshSettings,
  type WorkerWorkload,
  type Workload,
} from './types.js';

/** Defaults a hand-written spec may leave out; the wizard writes the same. */
export const DEFAULTS = {
  sshPort: 22,
  acme: 'production',
  replicas: 1,
  healthPath: '/',
  databaseImage: 'mysql:8.4',
  databaseStorage: '5Gi',
  // The source document's own workloads (a chat bot, MySQL, a Rails app, a certificate renewal
  // job), which fit its 970 MiB control plane and two 470 MiB workers (docs/SMALL-NODES.md).
  memory: { worker: '96Mi', database: '256Mi', app: '192Mi', cron: '64Mi' },
} as const;

const MAX_DNS_SERVERS = 3; // the most a resolv.conf honours; CoreDNS would take more, nodes would not

export interface Validation {
  spec?: ClusterSpec;
  problems: Problem[];
}

type Check = (value: string) => string | undefined;

/** What a rule accepts, in its own words: every rule answers an impossible value with that phrase. */
const expectedOf = (check: Check): string => check('\u0000') ?? 'a value';

class Walker {
  readonly problems: Problem[] = [];
  constructor(private readonly lines?: LineCounter) {}

  report(path: string, node: Node | null | undefined, message: string): void {
    const offset = node?.range?.[0];
    const pos = offset !== undefined && this.lines ? this.lines.linePos(offset) : undefined;
    this.problems.push({ path, message, ...(pos ? { line: pos.line, column: pos.col } : {}) });
  }

  /** A mapping's fields by key; unknown keys and non-mappings are reported. */
  fields(node: Node | null | undefined, path: string, allowed: readonly string[], expected: string): Fields | undefined {
    if (isAlias(node)) {
      this.report(path, node, 'YAML aliases (*name) are not supported here; write the value out');
      return undefined;
    }
    if (!isMap(node)) {
      this.report(path, node, `got ${describe(node)}, expected ${expected}`);
      return undefined;
    }
    const map = new Map<string, Pair<Node, Node | null>>();
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || (isScalar(pair.key) && typeof pair.key.value !== 'string')) {
        this.report(path, pair.key as Node, `got ${describe(pair.key as Node)} as a key, expected one of ${allowed.join(', ')}`);
        continue;
      }
      if (key === '<<') {
        this.report(`${path}.<<`, pair.key as Node, 'YAML merge keys (<<) are not supported here; write the fields out');
        continue;
      }
      if (!allowed.includes(key)) {
        const hint = closest(key, allowed);
        this.report(
          join(path, key),
          pair.key as Node,
          `unknown key ${JSON.stringify(key)}${hint ? ` (did you mean ${hint}?)` : ''}; expected one of ${allowed.join(', ')}`,
        );
        continue;
      }
      map.set(key, pair);
    }
    return new Fields(this, node, path, map);
  }

  scalar(node: Node | null | undefined, path: string, expected: string): string | number | boolean | undefined {
    if (isAlias(node)) {
      this.report(path, node, 'YAML aliases (*name) are not supported here; write the value out');
      return undefined;
    }
    if (!isScalar(node)) {
      this.report(path, node, `got ${describe(node)}, expected ${expected}`);
      return undefined;
    }
    const value = node.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (value === null) {
      this.report(path, node, `got nothing, expected ${expected}`);
      return undefined;
    }
    this.report(path, node, `got ${describe(node)}, expected ${expected}`);
    return undefined;
  }

  /**
   * A text value checked by a rule. A number or boolean is read as its text only when that is
   * exactly what was written (`name: 1`); `012345`, `1.10` or `1e3` would change behind the
   * owner's back, so they are refused with the quoted form to write instead.
   */
  text(node: Node | null | undefined, path: string, check: Check, expectedIfWrongType?: string): string | undefined {
    const expected = expectedIfWrongType ?? expectedOf(check);
    const value = this.scalar(node, path, expected);
    if (value === undefined) return undefined;
    const text = String(value);
    if (typeof value !== 'string' && isScalar(node) && node.source !== undefined && node.source !== text) {
      this.report(path, node, notText(node, expected));
      return undefined;
    }
    const problem = check(text);
    if (problem) {
      this.report(path, node, `got ${show(value)}, expected ${problem}`);
      return undefined;
    }
    return text;
  }

  /**
   * A value Kubernetes takes only as text (an environment value, a command word): a YAML
   * number, boolean or null is refused, with the quoted form that keeps exactly what was written.
   */
  textOnly(node: Node | null | undefined, path: string, expected: string, at?: Node): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    if (node === null || node === undefined || (isScalar(node) && (node.value === null || typeof node.value === 'number' || typeof node.value === 'boolean'))) {
      this.report(path, node?.range ? node : at, notText(node, expected));
      return undefined;
    }
    this.scalar(node, path, expected); // reports aliases, lists, mappings
    return undefined;
  }

  list(node: Node | null | undefined, path: string, expected: string): Array<Node | null> | undefined {
    if (isAlias(node)) {
      this.report(path, node, 'YAML aliases (*name) are not supported here; write the value out');
      return undefined;
    }
    if (!isSeq(node)) {
      this.report(path, node, `got ${describe(node)}, expected ${expected}`);
      return undefined;
    }
    return node.items as Array<Node | null>;
  }
}

class Fields {
  constructor(
    private readonly walker: Walker,
    readonly node: Node,
    readonly path: string,
    private readonly map: Map<string, Pair<Node, Node | null>>,
  ) {}

  has(key: string): boolean {
    const value = this.map.get(key)?.value;
    return value !== undefined && !(isScalar(value) && value.value === null);
  }

  node_(key: string): Node | null | undefined {
    return this.map.get(key)?.value;
  }

  keyNode(key: string): Node | undefined {
    return this.map.get(key)?.key;
  }

  at(key: string): string {
    return join(this.path, key);
  }

  missing(key: string, expected: string): void {
    this.walker.report(this.at(key), this.node, `missing; expected ${expected}`);
  }

  text(key: string, check: Check, required: boolean): string | undefined {
    if (!this.has(key)) {
      if (required) this.missing(key, expectedOf(check));
      return undefined;
    }
    return this.walker.text(this.node_(key), this.at(key), check);
  }

  integer(key: string, check: (v: unknown) => string | undefined, fallback: number): number | undefined {
    if (!this.has(key)) return fallback;
    const node = this.node_(key);
    const expected = check(undefined) ?? 'a whole number';
    const value = this.walker.scalar(node, this.at(key), expected);
    if (value === undefined) return undefined;
    const problem = check(value);
    if (problem) {
      this.walker.report(this.at(key), node, `got ${show(value)}, expected ${problem}`);
      return undefined;
    }
    return value as number;
  }

  boolean(key: string, fallback: boolean): boolean | undefined {
    if (!this.has(key)) return fallback;
    const node = this.node_(key);
    const value = this.walker.scalar(node, this.at(key), 'true or false');
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.walker.report(this.at(key), node, `got ${show(value)}, expected true or false`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, choices: readonly T[], fallback: T | undefined): T | undefined {
    const expected = `one of ${choices.join(', ')}`;
    if (!this.has(key)) {
      if (fallback === undefined) this.missing(key, expected);
      return fallback;
    }
    const node = this.node_(key);
    const value = this.walker.scalar(node, this.at(key), expected);
    if (value === undefined) return undefined;
    if (!choices.includes(value as T)) {
      this.walker.report(this.at(key), node, `got ${show(value)}, expected ${expected}`);
      return undefined;
    }
    return value as T;
  }
}

/** Why a number, boolean or null is not the text it looks like, and the quoted form to write. */
function notText(node: Node | null | undefined, expected: string): string {
  const value = isScalar(node) ? node.value : null;
  const written = isScalar(node) ? (node.source ?? (value === null ? '' : String(value))) : '';
  if (value === null || value === undefined) {
    return written === ''
      ? `got nothing, expected ${expected}; for an empty value write ""`
      : `got ${written} (YAML's null), expected ${expected}: quote it: ${JSON.stringify(written)}`;
  }
  const type = typeof value === 'number' ? 'a number' : 'a boolean';
  const reads = String(value) === written ? '' : ` (YAML reads an unquoted ${written} as the ${typeof value === 'number' ? 'number' : 'boolean'} ${String(value)})`;
  return `got ${written} (${type}), expected ${expected}: quote it: ${JSON.stringify(written)}${reads}`;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(node: Node | null | undefined): string {
  if (node === undefined || node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isAlias(node)) return `an alias (*${node.source})`;
  if (isScalar(node)) return show(node.value);
  return 'an unsupported value';
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

const TOP_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'] as const;
const SPEC_KEYS = ['kubernetesVersion', 'nodes', 'dns', 'ingress', 'network', 'registries', 'workloads'] as const;
const REGISTRY_KEYS = ['name', 'server', 'username'] as const;
const NODE_KEYS = ['name', 'address', 'role', 'schedulable', 'ssh', 'acceptUndersized'] as const;
const SSH_KEYS = ['user', 'port', 'keyPath'] as const;
const CONTAINER_KEYS = ['image', 'env', 'secretEnv', 'command', 'database'] as const;
const BACKUP_KEYS = ['schedule', 'keep'] as const;
const WORKLOAD_KEYS: Record<Workload['kind'], readonly string[]> = {
  worker: ['kind', 'name', 'memory', 'memoryRequest', 'replicas', ...CONTAINER_KEYS],
  database: ['kind', 'name', 'memory', 'memoryRequest', 'node', 'storage', 'image', 'mysqlCompatible', 'backup'],
  app: ['kind', 'name', 'memory', 'memoryRequest', 'port', 'replicas', 'domain', 'healthPath', 'release', ...CONTAINER_KEYS],
  cron: ['kind', 'name', 'memory', 'memoryRequest', 'schedule', ...CONTAINER_KEYS],
};

/** Validates a parsed document. Pass the LineCounter used when parsing to get line and column. */
export function validateDocument(doc: Document, lineCounter?: LineCounter): Validation {
  const w = new Walker(lineCounter);
  const top = w.fields(doc.contents as Node | null, '', TOP_KEYS, `a mapping with ${TOP_KEYS.join(', ')}`);
  if (!top) {
    if (w.problems.length > 0 && w.problems[0]!.path === '') w.problems[0]!.path = '(document)';
    return { problems: w.problems };
  }

  const apiVersion = top.text('apiVersion', (v) => (v === API_VERSION ? undefined : API_VERSION), true);
  const kind = top.text('kind', (v) => (v === KIND ? undefined : KIND), true);
  let name: string | undefined;
  if (!top.has('metadata')) top.missing('metadata', 'a mapping with name (the cluster\'s name, e.g. home)');
  else {
    const metadata = w.fields(top.node_('metadata'), 'metadata', ['name'], 'a mapping with name');
    name = metadata?.text('name', rules.clusterName, true);
  }

  if (!top.has('spec')) {
    top.missing('spec', 'a mapping with nodes, dns and workloads');
    return { problems: w.problems };
  }
  const spec = w.fields(top.node_('spec'), 'spec', SPEC_KEYS, 'a mapping with nodes, dns and workloads');
  if (!spec) return { problems: w.problems };

  let kubernetesVersion: string | undefined = DEFAULT_KUBERNETES_VERSION;
  if (spec.has('kubernetesVersion')) {
    const node = spec.node_('kubernetesVersion');
    if (isScalar(node) && typeof node.value === 'number') {
      w.report(
        spec.at('kubernetesVersion'),
        node,
        `got ${node.source ?? String(node.value)} (a number), expected ${rules.kubernetesVersion('')} (YAML reads an unquoted 1.30 as the number 1.3)`,
      );
      kubernetesVersion = undefined;
    } else {
      kubernetesVersion = spec.text('kubernetesVersion', rules.kubernetesVersion, false);
    }
  }

  const nodes = validateNodes(w, spec);
  const nodeNames = rawNodeNames(spec.node_('nodes'));
  const dns = validateDns(w, spec);
  const ingress = validateIngress(w, spec, nodeNames);
  const network = validateNetwork(w, spec);
  const registries = validateRegistries(w, spec);
  const workloads = validateWorkloads(w, spec, nodeNames);
  if (nodes) checkPlacement(w, spec, nodes);
  checkDatabaseLinks(w, spec);
  if (registries) checkRegistriesUsed(w, spec, registries);

  w.problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  if (w.problems.length > 0 || !apiVersion || !kind || !name || !kubernetesVersion || !nodes || !dns || !workloads || network === null || (spec.has('registries') && !registries)) {
    return { problems: w.problems };
  }
  const result: ClusterSpec = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name },
    spec: { kubernetesVersion, nodes, dns, ...(ingress ? { ingress } : {}), ...(network ? { network } : {}), ...(registries && registries.length > 0 ? { registries } : {}), workloads },
  };
  return { spec: result, problems: [] };
}

function validateNodes(w: Walker, spec: Fields): NodeSpec[] | undefined {
  const expected = 'a list of nodes, each with name, address and role (one control-plane)';
  if (!spec.has('nodes')) {
    spec.missing('nodes', expected);
    return undefined;
  }
  const items = w.list(spec.node_('nodes'), spec.at('nodes'), expected);
  if (!items) return undefined;
  const nodes: NodeSpec[] = [];
  let ok = true;
  const names = new Map<string, string>();
  const endpoints = new Map<string, string>();
  const controlPlanes: string[] = [];
  items.forEach((item, index) => {
    const path = `spec.nodes[${index}]`;
    const f = w.fields(item, path, NODE_KEYS, 'a mapping with name, address, role and ssh');
    if (!f) {
      ok = false;
      return;
    }
    const name = f.text('name', rules.nodeName, true);
    const address = f.text('address', rules.address, true);
    const role = f.oneOf('role', ['control-plane', 'worker'] as const, 'worker');
    const schedulable = f.boolean('schedulable', false);
    const acceptUndersized = f.boolean('acceptUndersized', false);
    const ssh = validateSsh(w, f);
    if (role === 'worker' && f.has('schedulable')) {
      w.report(f.at('schedulable'), f.node_('schedulable'), 'applies only to the control-plane node (workers always run workloads); remove it');
      ok = false;
    }
    if (name !== undefined) {
      const first = names.get(name);
      if (first) {
        w.report(f.at('name'), f.node_('name'), `got ${show(name)}, expected a name not used by another node (${first} has it)`);
        ok = false;
      } else names.set(name, path);
    }
    if (address !== undefined && ssh) {
      const endpoint = `${address.toLowerCase()}:${ssh.port ?? DEFAULTS.sshPort}`;
      const first = endpoints.get(endpoint);
      if (first) {
        w.report(f.at('address'), f.node_('address'), `got ${show(address)}, expected an address and SSH port not used by another node (${first} has them)`);
        ok = false;
      } else endpoints.set(endpoint, path);
    }
    if (role === 'control-plane') controlPlanes.push(path);
    if (name === undefined || address === undefined || role === undefined || schedulable === undefined || acceptUndersized === undefined || !ssh) {
      ok = false;
      return;
    }
    nodes.push({ name, address, role, schedulable, ssh, acceptUndersized });
  });
  if (items.length > 0 && controlPlanes.length !== 1) {
    const detail = controlPlanes.length === 0 ? 'none has it' : `${controlPlanes.join(', ')} have it`;
    w.report(spec.at('nodes'), spec.node_('nodes'), `expected exactly one node with role: control-plane (${detail})`);
    ok = false;
  }
  if (items.length === 0) {
    w.report(spec.at('nodes'), spec.node_('nodes'), `got an empty list, expected ${expected}`);
    ok = false;
  }
  return ok ? nodes : undefined;
}

/** Node names as written, even when some node is invalid, so references to them are still checked. */
/** A scalar's text as Walker.text would read it, for cross-checks that must not wait for the rest. */
function rawText(node: Node | null | undefined): string | undefined {
  if (!isScalar(node)) return undefined;
  return typeof node.value === 'string' || typeof node.value === 'number' ? String(node.value) : undefined;
}

function rawNodeNames(nodes: Node | null | undefined): Set<string> {
  const names = new Set<string>();
  if (!isSeq(nodes)) return names;
  for (const item of nodes.items) {
    const name = isMap(item) ? item.get('name') : undefined;
    // As Walker.text reads it: a name written as a YAML number (`name: 1`) is the node "1".
    if (typeof name === 'string' || typeof name === 'number') names.add(String(name));
  }
  return names;
}

function validateSsh(w: Walker, node: Fields): SshSettings | undefined {
  if (!node.has('ssh')) return {};
  const f = w.fields(node.node_('ssh'), node.at('ssh'), SSH_KEYS, 'a mapping with user, port and keyPath');
  if (!f) return undefined;
  const user = f.text('user', rules.sshUser, false);
  const port = f.has('port') ? f.integer('port', rules.port, DEFAULTS.sshPort) : undefined;
  const keyPath = f.text('keyPath', rules.keyPath, false);
  if ((f.has('user') && user === undefined) || (f.has('port') && port === undefined) || (f.has('keyPath') && keyPath === undefined)) {
    return undefined;
  }
  return { ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}), ...(keyPath !== undefined ? { keyPath } : {}) };
}

function validateDns(w: Walker, spec: Fields): { upstream: string[] } | undefined {
  const expected = `a mapping with upstream: a list of 1 to ${MAX_DNS_SERVERS} DNS server IP addresses (cluster DNS forwards outside names to them)`;
  if (!spec.has('dns')) {
    spec.missing('dns', expected);
    return undefined;
  }
  const f = w.fields(spec.node_('dns'), spec.at('dns'), ['upstream'], expected);
  if (!f) return undefined;
  if (!f.has('upstream')) {
    f.missing('upstream', `a list of 1 to ${MAX_DNS_SERVERS} DNS server IP addresses, such as [1.1.1.1, 9.9.9.9]`);
    return undefined;
  }
  const items = w.list(f.node_('upstream'), f.at('upstream'), `a list of 1 to ${MAX_DNS_SERVERS} DNS server IP addresses, such as [1.1.1.1, 9.9.9.9]`);
  if (!items) return undefined;
  const upstream: string[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const path = `${f.at('upstream')}[${index}]`;
    const server = w.text(item, path, rules.dnsServer);
    if (server === undefined) ok = false;
    else if (upstream.includes(server)) {
      w.report(path, item, `got ${show(server)}, expected a server not already listed`);
      ok = false;
    } else upstream.push(server);
  });
  if (items.length === 0 || items.length > MAX_DNS_SERVERS) {
    w.report(f.at('upstream'), f.node_('upstream'), `got ${items.length} servers, expected 1 to ${MAX_DNS_SERVERS}`);
    ok = false;
  }
  return ok ? { upstream } : undefined;
}

function validateIngress(w: Walker, spec: Fields, nodeNames: Set<string>): IngressSpec | undefined {
  if (!spec.has('ingress')) return undefined;
  const f = w.fields(spec.node_('ingress'), spec.at('ingress'), ['node', 'email', 'acme'], 'a mapping with node, email and acme');
  if (!f) return undefined;
  const node = f.text('node', rules.nodeName, true);
  if (node !== undefined && nodeNames.size > 0 && !nodeNames.has(node)) {
    w.report(f.at('node'), f.node_('node'), `got ${show(node)}, expected the name of a node in spec.nodes (${[...nodeNames].join(', ')})`);
  }
  const email = f.text('email', rules.email, true);
  const acme = f.oneOf('acme', ['production', 'staging'] as const, DEFAULTS.acme);
  return node !== undefined && email !== undefined && acme !== undefined ? { node, email, acme } : undefined;
}

/** spec.network: undefined when absent, null when it has a problem (reported). */
function validateNetwork(w: Walker, spec: Fields): NetworkSpec | undefined | null {
  if (!spec.has('network')) return undefined;
  const f = w.fields(spec.node_('network'), spec.at('network'), ['privateNetwork', 'apiAllowedFrom'], 'a mapping with privateNetwork and apiAllowedFrom');
  if (!f) return null;
  const privateNetwork = f.boolean('privateNetwork', false);
  let ok = privateNetwork !== undefined;
  let apiAllowedFrom: string[] | undefined;
  if (f.has('apiAllowedFrom')) {
    const expected = `a list of addresses or networks that may reach the Kubernetes API besides the nodes, such as [198.51.100.7, 2001:db8::/48] ([] for the nodes only)`;
    const items = w.list(f.node_('apiAllowedFrom'), f.at('apiAllowedFrom'), expected);
    if (!items) ok = false;
    else {
      apiAllowedFrom = [];
      items.forEach((item, index) => {
        const path = `${f.at('apiAllowedFrom')}[${index}]`;
        const source = w.text(item, path, rules.apiSource);
        if (source === undefined) ok = false;
        else if (apiAllowedFrom!.includes(source)) {
          w.report(path, item, `got ${show(source)}, expected an address not already listed`);
          ok = false;
        } else apiAllowedFrom!.push(source);
      });
    }
  } else if (f.node_('apiAllowedFrom') !== undefined) {
    // `apiAllowedFrom:` with nothing after it: YAML's null, which would silently mean the default.
    w.report(f.at('apiAllowedFrom'), f.node_('apiAllowedFrom') ?? f.node, 'got nothing, expected a list such as [198.51.100.7], or [] for the nodes only (leave the key out for this computer\'s address)');
    ok = false;
  }
  if (!ok || privateNetwork === undefined) return null;
  return { privateNetwork, ...(apiAllowedFrom !== undefined ? { apiAllowedFrom } : {}) };
}

function validateRegistries(w: Walker, spec: Fields): RegistrySpec[] | undefined {
  if (!spec.has('registries')) return undefined;
  const expected = 'a list of private registries, each with name, server and username (the token is kept in secrets.yaml)';
  const items = w.list(spec.node_('registries'), spec.at('registries'), expected);
  if (!items) return undefined;
  const out: RegistrySpec[] = [];
  let ok = true;
  const names = new Map<string, string>();
  const servers = new Map<string, string>();
  items.forEach((item, index) => {
    const path = `spec.registries[${index}]`;
    const f = w.fields(item, path, REGISTRY_KEYS, 'a mapping with name, server and username');
    if (!f) {
      ok = false;
      return;
    }
    const name = f.text('name', rules.registryName, true);
    const server = f.text('server', rules.registryServer, true);
    const username = f.text('username', rules.registryUsername, true);
    if (name !== undefined) {
      const first = names.get(name);
      if (first) {
        w.report(f.at('name'), f.node_('name'), `got ${show(name)}, expected a name not used by another registry (${first} has it)`);
        ok = false;
      } else names.set(name, path);
    }
    if (server !== undefined) {
      const host = rules.registryHost(server);
      const first = servers.get(host);
      if (first) {
        w.report(f.at('server'), f.node_('server'), `got ${show(server)}, expected a registry not already listed (${first} is ${host})`);
        ok = false;
      } else servers.set(host, path);
    }
    if (name === undefined || server === undefined || username === undefined) {
      ok = false;
      return;
    }
    out.push({ name, server, username });
  });
  return ok ? out : undefined;
}

/** Workloads as written (name, kind, the YAML map), for cross-checks that must not wait for the rest. */
function rawWorkloads(spec: Fields): Array<{ index: number; name?: string; kind?: string; item: YAMLMap }> {
  const items = spec.node_('workloads');
  if (!isSeq(items)) return [];
  return items.items.flatMap((item, index) =>
    isMap(item) ? [{ index, name: rawText(item.get('name', true) as Node | undefined), kind: rawText(item.get('kind', true) as Node | undefined), item: item as YAMLMap }] : [],
  );
}

/**
 * `database: NAME` names a database workload of this spec; the linked workload's MySQL names are
 * not MySQL's own; and its env and secretEnv leave the injected DATABASE_* variables to hobbykube.
 */
function checkDatabaseLinks(w: Walker, spec: Fields): void {
  const all = rawWorkloads(spec);
  const databases = all.filter((x) => x.kind === 'database' && x.name !== undefined).map((x) => x.name!);
  for (const x of all) {
    const node = x.item.get('database', true) as Node | undefined;
    if (node === undefined || x.kind === 'database') continue;
    const path = `spec.workloads[${x.index}]`;
    const target = rawText(node);
    const unknown = target === undefined ? undefined : rules.databaseLink(databases)(target);
    if (unknown) w.report(`${path}.database`, node, `got ${show(target)}, expected ${unknown}`);
    const reserved = x.name !== undefined ? rules.linkedWorkloadName(x.name) : undefined;
    if (reserved) w.report(`${path}.name`, x.item.get('name', true) as Node, `got ${show(x.name)}, expected ${reserved}; rename the workload or drop its database link`);
    const plain = rules.notInjected(target ?? '…', false);
    const env = x.item.get('env', true);
    if (isMap(env)) {
      for (const pair of (env as YAMLMap<Node, Node | null>).items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : '';
        const problem = plain(key);
        if (problem) w.report(`${path}.env.${key}`, pair.key as Node, `got ${show(key)}, expected ${problem}`);
      }
    }
    const secretRule = rules.notInjected(target ?? '…', true);
    const secret = x.item.get('secretEnv', true);
    if (isSeq(secret)) {
      secret.items.forEach((item, i) => {
        const key = rawText(item as Node);
        const problem = key === undefined ? undefined : secretRule(key);
        if (problem) w.report(`${path}.secretEnv[${i}]`, item as Node, `got ${show(key)}, expected ${problem}`);
      });
    }
  }
}

/**
 * Every registry entry serves some workload's image: an entry that matches none is almost always a
 * typo in `server`, and the owner learns which image is on which registry.
 */
function checkRegistriesUsed(w: Walker, spec: Fields, registries: RegistrySpec[]): void {
  const byHost = new Map<string, string[]>();
  for (const x of rawWorkloads(spec)) {
    const image = rawText(x.item.get('image', true) as Node | undefined) ?? (x.kind === 'database' ? DEFAULTS.databaseImage : undefined);
    if (image === undefined || x.name === undefined) continue;
    const host = rules.imageRegistry(image);
    byHost.set(host, [...(byHost.get(host) ?? []), x.name]);
  }
  const items = spec.node_('registries');
  registries.forEach((r, index) => {
    if (byHost.has(rules.registryHost(r.server))) return;
    const node = isSeq(items) && isMap(items.items[index]) ? ((items.items[index] as YAMLMap).get('server', true) as Node) : undefined;
    const used = [...byHost].map(([host, names]) => `${host}: ${names.join(', ')}`).join('; ');
    w.report(
      `spec.registries[${index}].server`,
      node,
      `got ${show(r.server)}, expected the registry of a workload's image (${used || 'no workload has an image yet'}); remove the entry if no image needs it`,
    );
  });
}

function validateWorkloads(w: Walker, spec: Fields, nodeNames: Set<string>): Workload[] | undefined {
  if (!spec.has('workloads')) return [];
  const items = w.list(spec.node_('workloads'), spec.at('workloads'), 'a list of workloads (kind: worker, database, app or cron)');
  if (!items) return undefined;
  const workloads: Workload[] = [];
  let ok = true;
  const names = new Map<string, string>();
  const domains = new Map<string, string>();
  items.forEach((item, index) => {
    const path = `spec.workloads[${index}]`;
    const kindOf = isMap(item) ? (item.get('kind', true) as Node | undefined) : undefined;
    const kindValue = isScalar(kindOf) ? kindOf.value : undefined;
    const known = WORKLOAD_KINDS.includes(kindValue as Workload['kind']) ? (kindValue as Workload['kind']) : undefined;
    const anyKey = [...new Set(Object.values(WORKLOAD_KEYS).flat())];
    const f = w.fields(item, path, known ? WORKLOAD_KEYS[known] : anyKey, 'a mapping with kind and name');
    if (!f) {
      ok = false;
      return;
    }
    if (!known) {
      const expected = `one of ${WORKLOAD_KINDS.join(', ')} (the reverse proxy is spec.ingress)`;
      if (!f.has('kind')) f.missing('kind', expected);
      else w.report(f.at('kind'), kindOf, `got ${show(kindValue)}, expected ${expected}`);
      ok = false;
      return;
    }
    if (known === 'app' && f.has('domain') && !spec.has('ingress')) {
      w.report(
        f.at('domain'),
        f.node_('domain'),
        'an app with a domain needs spec.ingress (node for web traffic and email for Let\'s Encrypt); add it or remove the domain',
      );
      ok = false;
    }
    // Clashes are checked on the names as written, so they show up with the workload's other
    // problems instead of only once those are fixed.
    const rawName = rawText(f.node_('name'));
    if (rawName !== undefined) {
      const first = names.get(rawName);
      if (first) {
        w.report(f.at('name'), f.node_('name'), `got ${show(rawName)}, expected a name not used by another workload (${first} has it)`);
        ok = false;
      } else names.set(rawName, path);
    }
    const rawDomain = known === 'app' ? rawText(f.node_('domain')) : undefined;
    if (rawDomain !== undefined) {
      const owner = domains.get(rawDomain);
      if (owner) {
        w.report(f.at('domain'), f.node_('domain'), `got ${show(rawDomain)}, expected a domain not used by another app (${owner} has it)`);
        ok = false;
      } else domains.set(rawDomain, path);
    }
    const workload = validateWorkload(w, f, known, nodeNames);
    if (!workload) {
      ok = false;
      return;
    }
    workloads.push(workload);
  });
  return ok ? workloads : undefined;
}

/**
 * Every workload needs a node it may run on: a worker, or the control plane with schedulable:
 * true (the control-plane taint keeps everything else off it). Otherwise the spec is accepted
 * and the pods wait forever in Pending. Checked on the workloads as written.
 */
function checkPlacement(w: Walker, spec: Fields, nodes: NodeSpec[]): void {
  const items = spec.node_('workloads');
  if (!isSeq(items)) return;
  const cp = nodes.find((n) => n.role === 'control-plane');
  const runnable = nodes.filter((n) => n.role === 'worker' || n.schedulable);
  const workers = nodes.filter((n) => n.role === 'worker').map((n) => n.name);
  const unplaced: string[] = [];
  items.items.forEach((item, index) => {
    if (!isMap(item)) return;
    const kind = rawText(item.get('kind', true) as Node | undefined);
    const name = rawText(item.get('name', true) as Node | undefined) ?? `spec.workloads[${index}]`;
    if (kind === 'database') {
      const nodeNode = item.get('node', true) as Node | undefined;
      const pinned = rawText(nodeNode);
      if (cp && pinned === cp.name && !cp.schedulable) {
        const elsewhere = workers.length > 0 ? `pin the database to a worker (${workers.join(', ')})` : 'add a worker for it';
        w.report(`spec.workloads[${index}].node`, nodeNode, `got ${show(pinned)}, expected a node that runs workloads: ${cp.name} is the control plane with schedulable: false; set schedulable: true on ${cp.name}, or ${elsewhere}`);
      }
    } else if (kind !== undefined && WORKLOAD_KINDS.includes(kind as Workload['kind']) && runnable.length === 0) {
      unplaced.push(`${kind} ${name}`);
    }
  });
  if (unplaced.length > 0 && cp) {
    w.report(
      'spec.workloads',
      items,
      `${unplaced.join(', ')} ${unplaced.length === 1 ? 'has' : 'have'} no node to run on: the only node, ${cp.name}, is the control plane with schedulable: false; add a worker, or set schedulable: true on ${cp.name}`,
    );
  }
}

function validateWorkload(w: Walker, f: Fields, kind: Workload['kind'], nodeNames: Set<string>): Workload | undefined {
  const name = f.text('name', kind === 'database' ? rules.databaseName : rules.workloadName, true);
  const memory = f.has('memory') ? f.text('memory', rules.memory, true) : DEFAULTS.memory[kind];
  const memoryRequest = validateMemoryRequest(w, f, memory);
  if (f.has('memoryRequest') && memoryRequest === undefined) return undefined;
  const request = memoryRequest !== undefined ? { memoryRequest } : {};
  if (kind === 'database') {
    let node = f.text('node', rules.nodeName, true);
    if (node !== undefined && nodeNames.size > 0 && !nodeNames.has(node)) {
      w.report(f.at('node'), f.node_('node'), `got ${show(node)}, expected the name of a node in spec.nodes (${[...nodeNames].join(', ')})`);
      node = undefined;
    }
    const storage = f.has('storage') ? f.text('storage', rules.storage, true) : DEFAULTS.databaseStorage;
    const mysqlCompatible = f.boolean('mysqlCompatible', false);
    const image = f.has('image') ? f.text('image', mysqlCompatible ? rules.image : rules.databaseImage, true) : DEFAULTS.databaseImage;
    const backup = validateBackup(w, f);
    if (!name || !memory || !node || !storage || !image || mysqlCompatible === undefined || backup === undefined) return undefined;
    const db: DatabaseWorkload = { kind, name, memory, ...request, node, storage, image, ...(mysqlCompatible ? { mysqlCompatible } : {}), ...(backup !== null ? { backup } : {}) };
    return db;
  }
  const container = validateContainer(w, f);
  if (kind === 'cron') {
    const schedule = f.text('schedule', rules.cronSchedule, true);
    if (!name || !memory || !container || !schedule) return undefined;
    const cron: CronWorkload = { kind, name, memory, ...request, schedule, ...container };
    return cron;
  }
  const replicas = f.integer('replicas', rules.replicas, DEFAULTS.replicas);
  if (kind === 'worker') {
    if (!name || !memory || !container || replicas === undefined) return undefined;
    const worker: WorkerWorkload = { kind, name, memory, ...request, replicas, ...container };
    return worker;
  }
  const port = f.has('port') ? f.integer('port', rules.port, 0) : undefined;
  if (!f.has('port')) f.missing('port', 'the port the app listens on, from 1 to 65535 (e.g. 3000)');
  const domain = f.text('domain', rules.domain, false);
  const healthPath = f.has('healthPath') ? f.text('healthPath', rules.healthPath, true) : DEFAULTS.healthPath;
  const release = f.has('release') ? validateWords(w, f, 'release', '[bin/rails, db:migrate]') : undefined;
  if (!name || !memory || !container || replicas === undefined || port === undefined || !healthPath || (f.has('domain') && !domain) || (f.has('release') && !release)) {
    return undefined;
  }
  const app: AppWorkload = { kind, name, memory, ...request, replicas, port, healthPath, ...(domain ? { domain } : {}), ...(release ? { release } : {}), ...container };
  return app;
}

/** A database's `backup: {schedule, keep}`: null when absent (defaults), undefined when wrong. */
function validateBackup(w: Walker, f: Fields): DumpSettingsSpec | null | undefined {
  if (!f.has('backup')) return null;
  const expected = 'a mapping with schedule (a cron schedule, UTC) and keep (how many dumps to keep), such as {schedule: "0 3 * * *", keep: 7}';
  const b = w.fields(f.node_('backup'), f.at('backup'), BACKUP_KEYS, expected);
  if (!b) return undefined;
  const schedule = b.text('schedule', rules.cronSchedule, false);
  const keep = b.has('keep') ? b.integer('keep', rules.dumpsKept, 0) : undefined;
  if ((b.has('schedule') && schedule === undefined) || (b.has('keep') && keep === undefined)) return undefined;
  return { ...(schedule !== undefined ? { schedule } : {}), ...(keep !== undefined ? { keep } : {}) };
}

/** An optional memory request: a memory size no larger than the workload's memory (its limit). */
function validateMemoryRequest(w: Walker, f: Fields, memory: string | undefined): string | undefined {
  if (!f.has('memoryRequest')) return undefined;
  const request = f.text('memoryRequest', rules.memory, true);
  if (request === undefined || memory === undefined) return undefined;
  if (rules.quantityBytes(request)! > rules.quantityBytes(memory)!) {
    w.report(f.at('memoryRequest'), f.node_('memoryRequest'), `got ${show(request)}, expected a memory size from 4Mi up to memory (${memory}), the limit`);
    return undefined;
  }
  return request;
}

type Container = Pick<WorkerWorkload, 'image' | 'env' | 'secretEnv' | 'command' | 'database'>;

function validateContainer(w: Walker, f: Fields): Container | undefined {
  const image = f.text('image', rules.image, true);
  let ok = image !== undefined;
  const env: Record<string, string> = {};
  if (f.has('env')) {
    const node = f.node_('env');
    if (isMap(node)) {
      for (const pair of node.items as Array<Pair<Node, Node | null>>) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        const keyText = typeof key === 'string' ? key : String(key);
        const path = `${f.at('env')}.${keyText}`;
        const keyProblem = typeof key === 'string' ? rules.envName(key) : rules.envName('');
        if (keyProblem) {
          w.report(path, pair.key as Node, `got ${show(key)} as a name, expected ${keyProblem}`);
          ok = false;
          continue;
        }
        const text = w.textOnly(pair.value, path, 'text (environment values are strings)', pair.key as Node);
        if (text === undefined) ok = false;
        else env[keyText] = text;
      }
    } else {
      w.report(f.at('env'), node, `got ${describe(node)}, expected a mapping of NAME: value`);
      ok = false;
    }
  }
  const secretEnv: string[] = [];
  if (f.has('secretEnv')) {
    const items = w.list(f.node_('secretEnv'), f.at('secretEnv'), 'a list of environment variable names whose values are kept secret');
    if (!items) ok = false;
    items?.forEach((item, index) => {
      const path = `${f.at('secretEnv')}[${index}]`;
      const name = w.text(item, path, rules.envName);
      if (name === undefined) ok = false;
      else if (secretEnv.includes(name)) {
        w.report(path, item, `got ${show(name)}, expected a name not already listed`);
        ok = false;
      } else if (name in env) {
        w.report(path, item, `got ${show(name)}, expected a name not also in env (a variable is either plain or secret)`);
        ok = false;
      } else secretEnv.push(name);
    });
  }
  let command: string[] | undefined;
  if (f.has('command')) {
    const items = w.list(f.node_('command'), f.at('command'), 'a list of words, such as [sh, -c, "echo done"]');
    if (!items) ok = false;
    else if (items.length === 0) {
      w.report(f.at('command'), f.node_('command'), 'got an empty list, expected a list of words, such as [sh, -c, "echo done"] (or leave command out)');
      ok = false;
    } else {
      command = [];
      items.forEach((item, index) => {
        const word = w.textOnly(item, `${f.at('command')}[${index}]`, 'a word of text');
        if (word === undefined) ok = false;
        else command!.push(word);
      });
    }
  }
  const database = f.has('database') ? f.text('database', rules.workloadName, true) : undefined;
  if (f.has('database') && database === undefined) ok = false;
  if (!ok || image === undefined) return undefined;
  return { image, env, secretEnv, ...(command ? { command } : {}), ...(database !== undefined ? { database } : {}) };
}

/** A list of words (command, release): each text; an empty list is refused. */
function validateWords(w: Walker, f: Fields, key: string, example: string): string[] | undefined {
  const expected = `a list of words, such as ${example}`;
  const items = w.list(f.node_(key), f.at(key), expected);
  if (!items) return undefined;
  if (items.length === 0) {
    w.report(f.at(key), f.node_(key), `got an empty list, expected ${expected} (or leave ${key} out)`);
    return undefined;
  }
  const words: string[] = [];
  let ok = true;
  items.forEach((item, index) => {
    const word = w.textOnly(item, `${f.at(key)}[${index}]`, 'a word of text');
    if (word === undefined) ok = false;
    else words.push(word);
  });
  return ok ? words : undefined;
}

/** Validates a spec built in memory (by the wizard), with the same rules and words as the file. */
export function validateObject(value: unknown): Validation {
  return validateDocument(new Document(value));
}
