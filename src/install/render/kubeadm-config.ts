// kubeadm configuration files, built as objects and serialized with the `yaml` library.
//
// - init: InitConfiguration + ClusterConfiguration (kubeadm.k8s.io/v1beta4) + KubeletConfiguration
//   (kubelet.config.k8s.io/v1beta1), for the control plane's `kubeadm init --config`;
// - join: JoinConfiguration for a worker's `kubeadm join --config` (holds the bootstrap token:
//   copied as a 0600 file, never put on a command line, removed after the join);
// - the kubelet patch: this node's own kubelet settings (memory reservations, maxPods, swap on
//   small workers, resolvConf).
//
// Why a patch: the KubeletConfiguration given to `kubeadm init` becomes the cluster-wide
// `kubelet-config` ConfigMap, which every joining node downloads. Reservations and resolvConf
// differ per node (a 512 MiB worker is not a 1 GB control plane; Debian has no resolved stub),
// so each node also gets a `kubeletconfiguration` patch (kubeadm's `patches.directory`, applied
// by init and join before the kubelet's config is written). A JSON merge patch: maps merge,
// lists are replaced.
import { isIP } from 'node:net';
import { kubeYamlStream } from '../../kubeyaml.js';
import type { NodeRole } from '../../spec/types.js';
import { nodeProfile } from '../../node-profile.js';
import { kubeletResolvConf } from './resolved.js';
import { clusterKubernetesVersion, parseKubernetesVersion } from './version.js';
import { PATCHES_DIR, checkNodeName } from './script.js';
import { apiServerEncryption, type EncryptionKey } from './encryption.js';

export const KUBEADM_API = 'kubeadm.k8s.io/v1beta4';
export const KUBELET_API = 'kubelet.config.k8s.io/v1beta1';
export const CRI_SOCKET = 'unix:///var/run/containerd/containerd.sock';
/** flannel's default network (its manifest's net-conf.json). */
export const DEFAULT_POD_SUBNET = '10.244.0.0/16';
export const API_SERVER_PORT = 6443;
export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } as const;

export interface KubeletNodeInput {
  /** MemTotal of the node in MiB (a "1 GB" VPS: about 970). */
  memTotalMiB: number;
  role: NodeRole;
  /** /etc/resolv.conf is systemd-resolved's stub (127.0.0.53). */
  resolvedStub: boolean;
}

/** The kubelet fields that differ per node. */
export function kubeletNodeSettings(input: KubeletNodeInput): Record<string, unknown> {
  const profile = nodeProfile(input.memTotalMiB, input.role);
  const r = profile.reservations;
  const settings: Record<string, unknown> = {
    // The file with the real upstream servers: pods (and CoreDNS's `forward`) must never get the
    // 127.0.0.53 stub, which inside a pod is the pod itself (CoreDNS then detects a loop and dies).
    resolvConf: kubeletResolvConf(input.resolvedStub),
    systemReserved: { memory: `${r.systemReservedMiB}Mi` },
    kubeReserved: { memory: `${r.kubeReservedMiB}Mi` },
    // Setting evictionHard replaces the kubelet's whole default map, so the defaults of the other
    // signals are restated; only memory.available is ours (see src/node-profile.ts).
    evictionHard: {
      'memory.available': `${r.evictionHardMiB}Mi`,
      'nodefs.available': '10%',
      'nodefs.inodesFree': '5%',
      'imagefs.available': '15%',
      'imagefs.inodesFree': '5%',
    },
    // Control plane: the static control-plane pods live in the `kubepods` cgroup, and enforcing
    // Allocatable would cap that cgroup at capacity - reserved, squeezing kube-apiserver itself.
    // Not enforcing keeps the reservation as the scheduler's and eviction manager's budget only.
    // Workers keep the default, a hard cap on all pods together.
    enforceNodeAllocatable: input.role === 'control-plane' ? ['none'] : ['pods'],
  };
  // Small nodes: kubeReserved counts one containerd-shim per pod, for this many pods.
  if (profile.maxPods !== undefined) settings.maxPods = profile.maxPods;
  if (profile.swap) {
    // Small workers run with hobbykube's swapfile (render/swapfile.ts): the kubelet must start with swap on,
    // and Burstable pods may use swap in proportion to their request (GA since Kubernetes 1.34;
    // cgroup v2 only, which preflight requires anyway).
    settings.failSwapOn = false;
    settings.memorySwap = { swapBehavior: profile.swap.behavior };
  }
  return settings;
}

export type ExtraArgs = Readonly<Record<string, string>>;

/** v1beta4's list form of extra arguments: [{name, value}], in the given order. */
export function extraArgsList(args: ExtraArgs | undefined): Array<{ name: string; value: string }> {
  return Object.entries(args ?? {}).map(([name, value]) => {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`not a kubelet flag name: ${JSON.stringify(name)}`);
    return { name, value };
  });
}

export interface InitConfigInput {
  nodeName: string;
  /** The spec's address: an IP or a host name; a certificate SAN, and the API endpoint unless endpointHost says otherwise. */
  address: string;
  /** The host every kubeconfig and join uses (controlPlaneEndpoint), when not `address`: the /etc/hosts name of a NAT'd control plane. */
  endpointHost?: string;
  /** More certificate SANs (the private address, the endpoint name). */
  certSANs?: readonly string[];
  /**
   * An IP address on the node's own interface, for the API server and etcd to advertise. Default:
   * `address` when it is an IP. A host name gives no default: kubeadm then picks the address of
   * the default route's interface. (On a VPS whose public IP is NATed, pass the private one.)
   */
  advertiseAddress?: string;
  /** The spec's kubernetesVersion ("1.37" or "1.37.2"). */
  kubernetesVersion: string;
  /** `kubeadm version -o short` of the installed kubeadm, when known: pins the control plane to it. */
  installedKubeadmVersion?: string;
  /** The spec's metadata.name; becomes kubeadm's clusterName (kubeconfig cluster entries). */
  clusterName?: string;
  /** Keep the control-plane NoSchedule taint unless true. */
  schedulable: boolean;
  /** Only what the owner explicitly accepted in preflight (e.g. NumCPU, Mem); empty: none. */
  ignorePreflightErrors?: readonly string[];
  kubeletExtraArgs?: ExtraArgs;
  podSubnet?: string;
  memTotalMiB: number;
  resolvedStub: boolean;
  /** Secrets encrypted at rest with these keys (first one writes): kube-apiserver gets the flag and the mount (encryption.ts). */
  encryptionKeys?: readonly EncryptionKey[];
}

export function hostPort(host: string, port: number = API_SERVER_PORT): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The bootstrap token `kubeadm init` creates. kubeadm cannot be told to create none: its defaulting
 * turns an absent or empty `bootstrapTokens` into one token valid 24 h (SetDefaults_BootstrapTokens),
 * which nobody would use, since hobbykube mints a 15-minute token for each join. So the one it
 * creates gets a short life and says what it is; the token value is kubeadm's own random one (a
 * value of ours would have to sit in the config file on the node).
 */
export const INIT_TOKEN_TTL = '10m0s';
export const INIT_TOKEN_DESCRIPTION = 'made by kubeadm init; hobbykube never uses it (it mints a 15-minute token for each join)';

function checkCidr(cidr: string): void {
  const [ip, bits, ...rest] = cidr.split('/');
  const version = isIP(ip ?? '');
  const n = Number(bits);
  if (rest.length > 0 || version === 0 || !/^\d{1,3}$/.test(bits ?? '') || n > (version === 4 ? 32 : 128)) {
    throw new Error(`not a CIDR: ${JSON.stringify(cidr)}`);
  }
}

function nodeRegistration(
  name: string,
  extra: { kubeletExtraArgs?: ExtraArgs; ignorePreflightErrors?: readonly string[]; taints?: unknown[] },
): Record<string, unknown> {
  const registration: Record<string, unknown> = { name, criSocket: CRI_SOCKET };
  if (extra.taints !== undefined) registration.taints = extra.taints;
  const args = extraArgsList(extra.kubeletExtraArgs);
  if (args.length > 0) registration.kubeletExtraArgs = args;
  if (extra.ignorePreflightErrors && extra.ignorePreflightErrors.length > 0) {
    for (const check of extra.ignorePreflightErrors) {
      if (!/^[A-Za-z0-9.-]+$/.test(check)) throw new Error(`not a preflight check name: ${JSON.stringify(check)}`);
    }
    registration.ignorePreflightErrors = [...extra.ignorePreflightErrors];
  }
  return registration;
}

function documents(docs: readonly object[]): string {
  return kubeYamlStream(docs); // kubeadm reads go-yaml: strings quoted where YAML 1.1 would misread them
}

export function renderInitConfig(input: InitConfigInput): string {
  checkNodeName(input.nodeName);
  const podSubnet = input.podSubnet ?? DEFAULT_POD_SUBNET;
  checkCidr(podSubnet);
  const advertise = input.advertiseAddress ?? (isIP(input.address) ? input.address : undefined);
  if (advertise !== undefined && !isIP(advertise)) throw new Error(`advertiseAddress must be an IP address, got ${advertise}`);
  for (const ip of [input.address, advertise]) {
    // kube-apiserver exits when its advertise address and the IPv4 service subnet differ in family.
    if (ip !== undefined && isIP(ip) === 6) throw new Error(`IPv6 address ${ip}: hobbykube builds an IPv4 single-stack cluster (pods ${podSubnet}, services 10.96.0.0/12); use the node's IPv4 address or a host name`);
  }
  const version = clusterKubernetesVersion(parseKubernetesVersion(input.kubernetesVersion), input.installedKubeadmVersion);

  const init: Record<string, unknown> = { apiVersion: KUBEADM_API, kind: 'InitConfiguration' };
  init.bootstrapTokens = [{ description: INIT_TOKEN_DESCRIPTION, ttl: INIT_TOKEN_TTL }];
  if (advertise !== undefined) init.localAPIEndpoint = { advertiseAddress: advertise, bindPort: API_SERVER_PORT };
  init.nodeRegistration = nodeRegistration(input.nodeName, {
    // Left out, kubeadm would add the control-plane taint itself; written out, the file says it.
    taints: input.schedulable ? [] : [{ ...CONTROL_PLANE_TAINT }],
    ...(input.kubeletExtraArgs ? { kubeletExtraArgs: input.kubeletExtraArgs } : {}),
    ...(input.ignorePreflightErrors ? { ignorePreflightErrors: input.ignorePreflightErrors } : {}),
  });
  init.patches = { directory: PATCHES_DIR };

  const cluster: Record<string, unknown> = { apiVersion: KUBEADM_API, kind: 'ClusterConfiguration' };
  if (input.clusterName !== undefined) {
    checkNodeName(input.clusterName);
    cluster.clusterName = input.clusterName;
  }
  if (version !== undefined) cluster.kubernetesVersion = version;
  const endpointHost = input.endpointHost ?? input.address;
  if (!isIP(endpointHost) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(endpointHost)) throw new Error(`not an API endpoint host: ${endpointHost}`);
  for (const san of input.certSANs ?? []) if (!isIP(san) && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/i.test(san)) throw new Error(`not a certificate SAN: ${san}`);
  cluster.controlPlaneEndpoint = hostPort(endpointHost, API_SERVER_PORT);
  cluster.networking = { podSubnet };
  cluster.apiServer = {
    certSANs: [...new Set([input.address, input.nodeName, ...(advertise ? [advertise] : []), endpointHost, ...(input.certSANs ?? [])])],
    // v1beta4: extraArgs is a list of {name, value}; extraVolumes are HostPathMounts.
    ...(input.encryptionKeys && input.encryptionKeys.length > 0 ? apiServerEncryption() : {}),
  };

  const kubelet = {
    apiVersion: KUBELET_API,
    kind: 'KubeletConfiguration',
    cgroupDriver: 'systemd',
    ...kubeletNodeSettings({ memTotalMiB: input.memTotalMiB, role: 'control-plane', resolvedStub: input.resolvedStub }),
  };
  return documents([init, cluster, kubelet]);
}

/** What `kubeadm token create --print-join-command` says, parsed (see parseJoinCommand). */
export interface JoinCommand {
  /** host:port of the API server. */
  endpoint: string;
  /** Bootstrap token `[a-z0-9]{6}.[a-z0-9]{16}`: a secret. */
  token: string;
  /** `sha256:<64 hex>` pins of the cluster CA. */
  caCertHashes: string[];
}

export const TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;
export const CA_HASH_PATTERN = /^sha256:[a-f0-9]{64}$/;

export interface JoinConfigInput {
  nodeName: string;
  join: JoinCommand;
  kubeletExtraArgs?: ExtraArgs;
  ignorePreflightErrors?: readonly string[];
}

export function renderJoinConfig(input: JoinConfigInput): string {
  checkNodeName(input.nodeName);
  const { endpoint, token, caCertHashes } = input.join;
  if (!TOKEN_PATTERN.test(token)) throw new Error('the bootstrap token is malformed');
  if (caCertHashes.length === 0 || !caCertHashes.every((hash) => CA_HASH_PATTERN.test(hash))) {
    throw new Error(`malformed CA certificate hashes: ${caCertHashes.join(', ')}`);
  }
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(endpoint)) throw new Error(`not an API server endpoint: ${endpoint}`);
  const join = {
    apiVersion: KUBEADM_API,
    kind: 'JoinConfiguration',
    discovery: { bootstrapToken: { apiServerEndpoint: endpoint, token, caCertHashes: [...caCertHashes] } },
    nodeRegistration: nodeRegistration(input.nodeName, {
      ...(input.kubeletExtraArgs ? { kubeletExtraArgs: input.kubeletExtraArgs } : {}),
      ...(input.ignorePreflightErrors ? { ignorePreflightErrors: input.ignorePreflightErrors } : {}),
    }),
    patches: { directory: PATCHES_DIR },
  };
  return documents([join]);
}

/** `kubeletconfiguration+merge.yaml` for PATCHES_DIR: this node's own kubelet settings. */
export function renderKubeletPatch(input: KubeletNodeInput): string {
  return documents([kubeletNodeSettings(input)]);
}
