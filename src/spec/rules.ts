// Field rules shared by the spec file, the wizard and the plain prompts: each check returns
// undefined when the value is fine, or the phrase saying what would be accepted. One set of
// words everywhere, so a person sees the same message in every front end.
import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

export type Check = (value: string) => string | undefined;

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export const nodeName: Check = (v) =>
  LABEL.test(v) ? undefined : 'a name of lower-case letters, digits and "-", 1-63 characters, starting and ending with a letter or digit (e.g. cp1)';

export const clusterName: Check = nodeName;

/** Workload names become Service, StatefulSet and CronJob names; CronJob names allow at most 52. */
export const workloadName: Check = (v) =>
  DNS1035.test(v) && v.length <= 52
    ? undefined
    : 'a name of lower-case letters, digits and "-", 1-52 characters, starting with a letter and ending with a letter or digit (e.g. blog)';

/** A database's name also names its dump CronJob, `<name>-dump`, which must fit a CronJob's 52 characters. */
export const databaseName: Check = (v) =>
  DNS1035.test(v) && v.length <= 47
    ? undefined
    : 'a name of lower-case letters, digits and "-", 1-47 characters (a database\'s dump job is named <name>-dump), starting with a letter and ending with a letter or digit (e.g. mysql)';

function isHostName(v: string): boolean {
  if (v.length === 0 || v.length > 253) return false;
  return v.split('.').every((label) => /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/.test(label));
}

/**
 * A node's address. IPv6 is refused: hobbykube builds a single-stack IPv4 cluster (kubeadm's
 * service subnet 10.96.0.0/12, flannel's pod subnet 10.244.0.0/16), and an IPv6 advertise
 * address beside them makes kube-apiserver exit. A host name still works (its IPv4 address is used).
 */
export const address: Check = (v) => {
  if (isIPv6(v) || (v.startsWith('[') && v.endsWith(']') && isIPv6(v.slice(1, -1)))) {
    return 'an IPv4 address (203.0.113.10) or a host name (vps1.example.com): hobbykube builds an IPv4 cluster, so IPv6 node addresses are not supported';
  }
  return isIPv4(v) || (isHostName(v) && !/^[0-9.]+$/.test(v)) ? undefined : 'an IPv4 address (203.0.113.10) or a host name (vps1.example.com)';
};

export const sshUser: Check = (v) =>
  /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/.test(v) ? undefined : 'a login name such as ubuntu or root (letters, digits, "_", "." and "-", up to 32 characters)';

export const keyPath: Check = (v) =>
  v.trim() !== '' && !/[\0\n\r]/.test(v) ? undefined : 'the path of a private key file, such as ~/.ssh/id_ed25519';

export function integerIn(min: number, max: number, what = 'a whole number'): (value: unknown) => string | undefined {
  return (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : `${what} from ${min} to ${max}`;
}

/**
 * Typed text for a whole-number field (a port, replicas): a number when it is all digits, else the
 * text as typed, so the rule's message quotes what was given.
 */
export function numberOrText(text: string): number | string {
  return /^\d+$/.test(text) ? Number(text) : text;
}

export const port = integerIn(1, 65535, 'a port number');
export const replicas = integerIn(0, 50, 'a number of replicas');
/** Dumps kept on the dump node: each is a compressed copy of the database. */
export const dumpsKept = integerIn(1, 90, 'a number of dumps to keep');

const MIN_KUBERNETES_MINOR = 31; // kubeadm.k8s.io/v1beta4, which hobbykube writes, needs 1.31+
export const kubernetesVersion: Check = (v) => {
  const match = /^1\.(\d{1,3})(\.\d{1,3})?$/.exec(v);
  return match && Number(match[1]) >= MIN_KUBERNETES_MINOR
    ? undefined
    : `a Kubernetes minor version from 1.${MIN_KUBERNETES_MINOR} on, quoted, such as "1.37" (or a patch release such as "1.37.1")`;
};

/** Upstream resolvers must be reachable from inside pods: a loopback stub (127.0.0.53) is the bug this question exists for. */
export const dnsServer: Check = (v) => {
  if (!isIPv4(v) && !isIPv6(v)) return 'an IP address of a DNS server, such as 1.1.1.1 or 2606:4700:4700::1111';
  if (v.startsWith('127.') || v === '::1' || v === '0.0.0.0' || v === '::') {
    return 'a DNS server reachable from inside the cluster, not a loopback address (127.0.0.53 is systemd-resolved\'s local stub; use the servers it forwards to)';
  }
  return undefined;
};

/**
 * A source allowed to reach the Kubernetes API: an IPv4 or IPv6 address, or a network in CIDR
 * form whose host bits are zero (nftables refuses 198.51.100.7/24; the owner means either the
 * address or the network, and hobbykube does not guess which).
 */
export const apiSource: Check = (v) => {
  const expected = 'an IPv4 or IPv6 address or network, such as 198.51.100.7, 198.51.100.0/24 or 2001:db8::/48 (0.0.0.0/0 is anywhere)';
  const [ip = '', bits, ...rest] = v.split('/');
  const family = isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : 0;
  if (family === 0 || rest.length > 0) return expected;
  if (bits === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return expected;
  if (!hostBitsZero(ip, family, Number(bits))) return `${expected}; in ${v} the address has bits set beyond the /${bits} prefix`;
  return undefined;
};

/** The address as 4 or 16 bytes. */
export function addressBytes(ip: string): number[] {
  if (isIPv4(ip)) return ip.split('.').map(Number);
  const [head = '', tail = ''] = ip.includes('::') ? ip.split('::') : [ip, ''];
  const words = (part: string): number[] => (part === '' ? [] : part.split(':').flatMap((w) => (isIPv4(w) ? [] : [parseInt(w, 16)])));
  const v4 = ip.split(':').at(-1);
  const embedded = v4 !== undefined && isIPv4(v4) ? v4.split('.').map(Number) : [];
  const front = words(head);
  const back = words(tail);
  const missing = 8 - front.length - back.length - embedded.length / 2;
  const all = [...front, ...Array<number>(Math.max(0, missing)).fill(0), ...back];
  return [...all.flatMap((w) => [w >> 8, w & 0xff]), ...embedded];
}

function hostBitsZero(ip: string, family: 4 | 6, prefix: number): boolean {
  const bytes = addressBytes(ip);
  if (bytes.length !== (family === 4 ? 4 : 16)) return false;
  return bytes.every((byte, i) => {
    const kept = Math.max(0, Math.min(8, prefix - i * 8));
    const mask = kept === 0 ? 0 : (0xff << (8 - kept)) & 0xff;
    return (byte & ~mask & 0xff) === 0;
  });
}

export const domain: Check = (v) =>
  isHostName(v) && v.includes('.') && v === v.toLowerCase() && !isIPv4(v) && !/\.\d+$/.test(v)
    ? undefined
    : 'a lower-case domain name such as blog.example.com';

export const email: Check = (v) =>
  /^[^\s@"'<>()\\,;:]+@[a-z0-9.-]+\.[a-z]{2,}$/i.test(v) && isHostName(v.slice(v.indexOf('@') + 1))
    ? undefined
    : 'an email address for Let\'s Encrypt expiry notices, such as me@example.com';

// A container image reference: [registry[:port]/]path[:tag][@sha256:digest], as the OCI distribution spec allows.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REGISTRY = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\\d{1,5})?/)?';
const IMAGE = new RegExp(`^${REGISTRY}${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

/** An image reference split at its parts; `repository` is the last path component (mysql in docker.io/library/mysql:8.4). */
export function imageParts(v: string): { repository: string; tag?: string; digest?: string } {
  const [name = '', digest] = v.split('@');
  const slash = name.lastIndexOf('/');
  const last = name.slice(slash + 1);
  const colon = last.indexOf(':');
  return {
    repository: colon < 0 ? last : last.slice(0, colon),
    ...(colon >= 0 ? { tag: last.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** Docker Hub's names for itself: an image without a registry host is pulled from it. */
const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/**
 * The registry an image is pulled from, as its host[:port] (lower-case), the way containerd reads
 * a reference: the first path component is a registry only when it has a dot or a port or is
 * localhost; otherwise the image is on Docker Hub (docker.io).
 */
export function imageRegistry(v: string): string {
  const [name = ''] = v.split('@');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const host = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') ? first.toLowerCase() : 'docker.io';
  return DOCKER_HUB.includes(host) ? 'docker.io' : host;
}

/** The registry host an entry's `server` stands for, compared with imageRegistry(image). */
export function registryHost(server: string): string {
  const host = server.toLowerCase();
  return DOCKER_HUB.includes(host) ? 'docker.io' : host;
}

/** The variables a `database:` link injects into a workload's containers (src/workloads/database.ts). */
export const DATABASE_ENV = ['DATABASE_URL', 'DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USER', 'DATABASE_PASSWORD'] as const;

/** MySQL's own schemas and accounts: a workload linked to a database must not map onto them. */
const MYSQL_RESERVED = ['mysql', 'sys', 'information_schema', 'performance_schema', 'root'];

/**
 * The MySQL database and user name of a linked workload: its name with "-" as "_" (no quoting
 * trouble in any tool). A user name may have 32 characters: a longer one keeps 23 and adds "_"
 * and 8 hex characters of its SHA-256, so two long names never meet.
 */
export function mysqlNames(workload: string): { database: string; user: string } {
  const database = workload.replace(/-/g, '_');
  const user = database.length <= 32 ? database : `${database.slice(0, 23)}_${createHash('sha256').update(workload).digest('hex').slice(0, 8)}`;
  return { database, user };
}

/** A workload that may link a database: its MySQL names must not be MySQL's own. */
export const linkedWorkloadName: Check = (v) =>
  MYSQL_RESERVED.includes(mysqlNames(v).database) ? `a workload name that is not one of MySQL's own schemas or accounts (${MYSQL_RESERVED.join(', ')}): its database and user take its name` : undefined;

/**
 * A workload's `database: NAME` link: one of the spec's database workloads (`databases`, their
 * names). The spec file and the wizard's database field both ask this rule.
 */
export function databaseLink(databases: readonly string[]): Check {
  return (v) =>
    databases.includes(v)
      ? undefined
      : databases.length > 0
        ? `the name of a database workload in spec.workloads (${databases.join(', ')})`
        : 'the name of a database workload in spec.workloads (there is none: add one with kind: database)';
}

/**
 * An env or secretEnv name on a workload linked to `database`: not one of the variables the link
 * injects (DATABASE_ENV). `secret`: the name is in secretEnv (the password is generated).
 */
export function notInjected(database: string, secret: boolean): Check {
  const injected = DATABASE_ENV as readonly string[];
  return (v) => (injected.includes(v) ? `a name that database: ${database} does not set (it injects ${injected.join(', ')}${secret ? '; the password is generated' : ''})` : undefined);
}

/** A registry's name in the spec: it names its token (HOBBYKUBE_REGISTRY_<NAME>_TOKEN) and its pull Secret. */
export const registryName: Check = (v) =>
  LABEL.test(v) && v.length <= 40 ? undefined : 'a name of lower-case letters, digits and "-", 1-40 characters (e.g. ghcr)';

/** A registry host as image references name it: host[:port], no scheme, no path. */
export const registryServer: Check = (v) => {
  const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(v);
  const ok = match !== null && (isHostName(match[1]!) || isIPv4(match[1]!)) && (match[2] === undefined || (Number(match[2]) >= 1 && Number(match[2]) <= 65535));
  return ok ? undefined : 'a registry host as image references name it, such as ghcr.io or registry.example.com:5000 (no https://, no path)';
};

/** A registry login: printable, no spaces, no ":" (the pull credential is "user:token"). */
export const registryUsername: Check = (v) =>
  /^[\x21-\x39\x3b-\x7e]{1,255}$/.test(v) ? undefined : 'the registry login name (printable characters, no spaces or ":"), such as me';

/** A pinned image: a tag or a digest, so every node runs the same thing (the wizard asks the same). */
export const image: Check = (v) => {
  if (v.length > 255 || !IMAGE.test(v)) return 'a container image reference such as ghcr.io/me/app:1.2 or mysql:8.4';
  const parts = imageParts(v);
  return parts.tag === undefined && parts.digest === undefined
    ? `an image with a tag or digest, such as ${v}:1.2 or ${v}@sha256:… (without one, each node pulls whatever "latest" is that day)`
    : undefined;
};

/**
 * The database runs MySQL's own image (any registry or mirror: the repository is "mysql") from
 * 8.0.30 on: its settings (src/workloads/mysql.ts) use options older MySQL and MariaDB refuse at
 * start-up (innodb_redo_log_capacity, mysqlx, temptable_max_ram), and the pod passes
 * MYSQL_ROOT_PASSWORD and keeps data in /var/lib/mysql. `mysqlCompatible: true` on the workload
 * skips this check for an image that behaves the same under another name.
 */
export const databaseImage: Check = (v) => {
  const problem = image(v);
  if (problem) return problem;
  const { repository, tag } = imageParts(v);
  const what = 'a MySQL image, 8.0.30 or newer, such as mysql:8.4 (any registry: .../mysql:TAG); for an image that works like it under another name (same settings, MYSQL_ROOT_PASSWORD, /var/lib/mysql), add mysqlCompatible: true';
  if (repository !== 'mysql') return what;
  const version = tag === undefined ? undefined : /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-.]|$)/.exec(tag);
  if (version) {
    const [major, minor, patch] = [Number(version[1]), version[2] === undefined ? undefined : Number(version[2]), version[3] === undefined ? undefined : Number(version[3])];
    const old = major < 8 || (major === 8 && minor === 0 && patch !== undefined && patch < 30);
    if (old) return what;
  }
  return undefined;
};

const QUANTITY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const FACTOR: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Bytes in a Kubernetes quantity (128Mi, 1G, 512000000), or undefined when it is not one. */
export function quantityBytes(v: string): number | undefined {
  const match = QUANTITY.exec(v);
  if (!match) return undefined;
  return Number(match[1]) * FACTOR[match[2] ?? '']!;
}

export function quantityMiB(v: string): number {
  const bytes = quantityBytes(v);
  if (bytes === undefined) throw new Error(`not a quantity: ${v}`);
  return bytes / 1024 ** 2;
}

export const memory: Check = (v) => {
  const bytes = quantityBytes(v);
  return bytes !== undefined && bytes >= 4 * 1024 ** 2 && bytes <= 64 * 1024 ** 3
    ? undefined
    : 'a memory size from 4Mi to 64Gi, such as 128Mi or 1Gi';
};

export const storage: Check = (v) => {
  const bytes = quantityBytes(v);
  return bytes !== undefined && bytes >= 1024 ** 2 && bytes <= 16 * 1024 ** 4
    ? undefined
    : 'a storage size from 1Mi to 16Ti, such as 5Gi';
};

export const envName: Check = (v) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) && v.length <= 128
    ? undefined
    : 'an environment variable name of letters, digits and "_", not starting with a digit (e.g. SLACK_TOKEN)';

export const healthPath: Check = (v) =>
  /^\/[\x21-\x7e]*$/.test(v) ? undefined : 'an HTTP path starting with "/", such as / or /healthz';

export { cronSchedule } from './cron.js';
