// Field rules shared by the spec file, the wizard and the plain prompts: each check returns
// undefined when the value is fine, or the phrase saying what would be accepted. One set of
// words everywhere, so a person sees the same message in every front end.
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
