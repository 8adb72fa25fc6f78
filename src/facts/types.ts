// What hobbykube knows about a node before it touches it, read by src/facts/gather-script.ts.
//
// Units: memory and disk sizes are MiB (1024 × 1024 bytes), in fields named `...MiB`. Messages
// call them "MB" because kubeadm does: its preflight computes MemTotal / 1024 / 1024 and prints
// "the system RAM (970 MB) is less than the minimum 1700 MB", so our numbers match kubeadm's word
// for word. "GB" in messages is 1024 of those MB. Times are milliseconds.
//
// `undefined` anywhere means "unknown": the node did not tell (missing tool, unreadable file, the
// probe's output was cut off). Nothing is guessed.

export type Arch = 'amd64' | 'arm64';

/** How the node's /etc/resolv.conf resolves names. */
export type ResolverKind =
  /** Only systemd-resolved's stub (127.0.0.53, or its 127.0.0.54 proxy): unreachable from pods. */
  | 'systemd-stub'
  /** Only other loopback servers (dnsmasq, unbound on 127.0.0.1 ...): CoreDNS would forward to itself. */
  | 'loopback'
  /** At least one real, non-loopback server. */
  | 'direct'
  /** The file is missing or names no server. */
  | 'none';

export interface InstalledTool {
  /** Where `command -v` found it. */
  path: string;
  /** Version without a leading "v" (1.37.0, 2.1.4), undefined when the version command said nothing usable. */
  version?: string;
  /** The version command's first output line, as printed. */
  raw?: string;
}

/** A global-scope address on one of the node's interfaces. */
export interface InterfaceAddress {
  /** Interface name (eth0, ens3 ...); undefined when only `hostname -I` could be read. */
  device?: string;
  address: string;
  /** Prefix length of the interface's network; undefined from `hostname -I`. */
  prefix?: number;
  family: 4 | 6;
}

export interface ListeningPort {
  port: number;
  /** Process name, when ss -p could tell (it can as root). */
  process?: string;
}

export interface NodeFacts {
  /** The probe reached its last line; when false, facts after the cut are unknown. */
  complete: boolean;
  /** User id the probe ran as (0 = root). */
  uid?: number;
  hostname?: string;
  os: {
    /** /etc/os-release ID, lower case: ubuntu, debian ... */
    id?: string;
    /** /etc/os-release VERSION_ID: 24.04, 12 ... */
    versionId?: string;
    codename?: string;
    prettyName?: string;
  };
  kernel?: string;
  /** `uname -m` as printed: x86_64, aarch64, armv7l ... */
  machine?: string;
  /** Kubernetes' name for the architecture; undefined when unknown or neither amd64 nor arm64. */
  arch?: Arch;
  /** CPUs usable by processes (nproc), which is what kubeadm's NumCPU check counts. */
  cpus?: number;
  memory: {
    /** MemTotal in MiB, rounded down: exactly the number kubeadm's Mem check compares with 1700. */
    totalMiB?: number;
    /** MemAvailable in MiB: what can still be had without swapping (page cache counts as available). */
    availableMiB?: number;
    /** MemFree in MiB: informational only; never judge a node by it. */
    freeMiB?: number;
  };
  swap: {
    /** SwapTotal in MiB: the size of the swap areas in use right now (0 = swap is off). */
    totalMiB?: number;
    /** SwapTotal - SwapFree in MiB. */
    usedMiB?: number;
    /** Number of active swap areas in /proc/swaps. */
    areas?: number;
  };
  /** v2 when /sys/fs/cgroup is cgroup2fs, v1 when it is tmpfs (v1 or hybrid). */
  cgroup?: 'v1' | 'v2';
  /** `stat -fc %T /sys/fs/cgroup` as printed. */
  cgroupFs?: string;
  dns: {
    resolver?: ResolverKind;
    /** Whether /etc/resolv.conf exists (readable) at all. */
    resolvConf?: 'present' | 'missing';
    /** Servers in /etc/resolv.conf, in order. */
    nameservers: string[];
    /** Where /etc/resolv.conf links to, when it is a symlink. */
    resolvConfLink?: string;
    /** Servers in /run/systemd/resolve/resolv.conf (systemd-resolved's upstreams): prefill for the DNS question. */
    upstream: string[];
  };
  /** `systemctl is-active` per unit: active, inactive, failed ...; undefined without systemd. */
  services: {
    resolved?: string;
    containerd?: string;
    kubelet?: string;
  };
  /** Installed tools; absent means not found on root's PATH. */
  tools: {
    containerd?: InstalledTool;
    kubeadm?: InstalledTool;
    kubelet?: InstalledTool;
    kubectl?: InstalledTool;
    /** Docker Engine's daemon, when on root's PATH (only its path is read). */
    dockerd?: InstalledTool;
  };
  /**
   * Installed Debian packages among WATCHED_PACKAGES (gather-script.ts), name to version:
   * containerd, containerd.io, runc, docker-ce, docker.io ... An empty map when none is installed
   * (or dpkg-query is missing).
   */
  packages: Record<string, string>;
  /**
   * The node's own addresses (global scope), as `ip -o addr` lists them; undefined when neither
   * ip nor hostname could tell. A NAT'd VPS lists its private address only.
   */
  addresses?: {
    source: 'ip' | 'hostname';
    interfaces: InterfaceAddress[];
    /** The interface of the IPv4 default route (kubelet and flannel use its address by default). */
    defaultDevice?: string;
  };
  cluster: {
    /** /etc/kubernetes/kubelet.conf exists: the node joined (or initialized) a cluster. */
    member?: boolean;
    /** admin.conf or the kube-apiserver static pod manifest exists: the node is a control plane. */
    controlPlane?: boolean;
    /** Non-empty directories that make kubeadm init/join refuse to run (/etc/kubernetes/manifests, /var/lib/etcd). */
    leftovers: string[];
  };
  /** The filesystem holding /var (containerd images, kubelet, etcd, logs). */
  varDisk?: {
    totalMiB: number;
    availableMiB: number;
    mount: string;
  };
  ports: {
    /** How ports were listed; undefined when neither ss nor /proc/net/tcp was available. */
    source?: 'ss' | 'proc';
    /** Listening TCP ports among those kubeadm checks (6443, 2379, 2380, 10250, 10257, 10259). */
    listening: ListeningPort[];
  };
  /** The SSH connection the fact probe came in on, and sshd's own ports. */
  ssh: {
    /** This computer's address as the node sees it (SSH_CONNECTION's client address). */
    clientAddress?: string;
    /** The port hobbykube reached sshd on (SSH_CONNECTION's server port). */
    serverPort?: number;
    /** TCP ports sshd listens on (ss -p), when ss could tell. */
    listeningPorts: number[];
  };
  /** Kernel modules, by name: true when `modprobe --dry-run` finds it (or it is loaded); undefined when unknown. */
  modules: {
    wireguard?: boolean;
  };
  clock: {
    /** The node's clock when the probe started and ended, ms since the epoch. */
    remoteStartMs?: number;
    remoteEndMs?: number;
    /** Node clock minus this computer's clock, in ms (positive: the node is ahead). Set by gatherFacts. */
    skewMs?: number;
  };
}
