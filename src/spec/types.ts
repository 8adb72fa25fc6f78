// The cluster spec (hobbykube.yaml): the single source of truth the wizard writes and `apply`
// reads. These are the shapes after validation; src/spec/validate.ts turns a parsed file into them.

export const API_VERSION = 'hobbykube.dev/v1alpha1';
export const KIND = 'Cluster';
export const DEFAULT_KUBERNETES_VERSION = '1.37';

export type NodeRole = 'control-plane' | 'worker';

export interface SshSettings {
  /** Login user (root needs no sudo); absent: ~/.ssh/config's User for this host, else root. */
  user?: string;
  /** Absent: ~/.ssh/config's Port for this host, else 22. */
  port?: number;
  /** Private key file; absent means the SSH agent or ~/.ssh/config decides. */
  keyPath?: string;
}

export interface NodeSpec {
  name: string;
  /** IPv4 or a host name (also a Host alias of ~/.ssh/config); IPv6 is refused (an IPv4 cluster). */
  address: string;
  role: NodeRole;
  /** Control plane only: whether ordinary workloads may run there (removes the taint). */
  schedulable: boolean;
  ssh: SshSettings;
  /**
   * The owner's explicit choice to install on a node below kubeadm's minimum (2 CPUs, 1700 MB
   * for a control plane). Becomes kubeadm's ignorePreflightErrors [NumCPU, Mem].
   */
  acceptUndersized: boolean;
}

export interface DnsSpec {
  /** Upstream resolvers for CoreDNS `forward .` and the nodes' systemd-resolved. */
  upstream: string[];
}

export type AcmeEnvironment = 'production' | 'staging';

export interface IngressSpec {
  /** The node whose public ports 80/443 receive web traffic (the domains' A records point here). */
  node: string;
  email: string;
  acme: AcmeEnvironment;
}

interface WorkloadBase {
  name: string;
  /**
   * Memory limit, a Kubernetes quantity such as 128Mi. Also the request, except on nodes with
   * swap, where the request defaults to a third of it (src/workloads/memory.ts).
   */
  memory: string;
  /** Memory request when set (at most `memory`); overrides the default rule. */
  memoryRequest?: string;
}

interface ContainerFields {
  image: string;
  env: Record<string, string>;
  /** Names of environment variables whose values live only in the secrets file and the cluster. */
  secretEnv: string[];
  command?: string[];
}

export interface WorkerWorkload extends WorkloadBase, ContainerFields {
  kind: 'worker';
  replicas: number;
}

export interface DatabaseWorkload extends WorkloadBase {
  kind: 'database';
  /** The node whose disk holds the data (hostPath PersistentVolume). */
  node: string;
  storage: string;
  image: string;
  /**
   * The owner's word that `image` behaves like the official mysql image under another name (same
   * settings, MYSQL_ROOT_PASSWORD, data in /var/lib/mysql); without it only MySQL's own image
   * from 8.0.30 on is accepted (src/spec/rules.ts, databaseImage).
   */
  mysqlCompatible?: true;
  /**
   * The scheduled dumps (src/workloads/dump.ts) as the spec writes them; a field left out takes
   * its default (daily at 03:00 UTC, the newest 7 kept): `dumpSettings(w)` fills them in.
   */
  backup?: DumpSettingsSpec;
}

/** `backup:` of a database workload as written: each field optional. */
export interface DumpSettingsSpec {
  /** Cron schedule (UTC) of the dump CronJob. */
  schedule?: string;
  /** How many dumps to keep on the dump node (older ones are deleted after each dump). */
  keep?: number;
}

export interface AppWorkload extends WorkloadBase, ContainerFields {
  kind: 'app';
  port: number;
  replicas: number;
  domain?: string;
  /** HTTP path the readiness probe asks. */
  healthPath: string;
}

export interface CronWorkload extends WorkloadBase, ContainerFields {
  kind: 'cron';
  schedule: string;
}

export type Workload = WorkerWorkload | DatabaseWorkload | AppWorkload | CronWorkload;
export type WorkloadKind = Workload['kind'];
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['worker', 'database', 'app', 'cron'];

export interface ClusterSpec {
  apiVersion: typeof API_VERSION;
  kind: typeof KIND;
  metadata: { name: string };
  spec: {
    kubernetesVersion: string;
    nodes: NodeSpec[];
    dns: DnsSpec;
    ingress?: IngressSpec;
    workloads: Workload[];
  };
}
