// Turns the gather script's `key=value` output into NodeFacts. Never throws: a missing or garbled
// line leaves its fact undefined ("unknown"), and preflight says so instead of guessing.

import { isIPv4, isIPv6 } from 'node:net';
import type { Arch, InstalledTool, InterfaceAddress, ListeningPort, NodeFacts, ResolverKind } from './types.js';

export const FACTS_HEADER = 'hobbykube-facts';

/** systemd-resolved's stub listener and its "proxy" stub: loopback addresses pods cannot use. */
const SYSTEMD_STUBS = new Set(['127.0.0.53', '127.0.0.54']);

interface Lines {
  first: Map<string, string>;
  all: Map<string, string[]>;
}

function collect(output: string): Lines {
  const first = new Map<string, string>();
  const all = new Map<string, string[]>();
  for (const rawLine of output.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (!first.has(key)) first.set(key, value);
    const list = all.get(key);
    if (list) list.push(value);
    else all.set(key, [value]);
  }
  return { first, all };
}

/** True when the output is the gather script's (its first fact line is the header). */
export function looksLikeFacts(output: string): boolean {
  return collect(output).first.has(FACTS_HEADER);
}

export function parseFacts(output: string): NodeFacts {
  const { first, all } = collect(output);
  const text = (key: string): string | undefined => {
    const value = first.get(key);
    return value === undefined || value === '' ? undefined : value;
  };
  const list = (key: string): string[] => (all.get(key) ?? []).filter((value) => value !== '');
  const int = (key: string): number | undefined => toInt(text(key));
  const kib = (key: string): number | undefined => kibToMiB(int(key));

  const complete = first.get('end') === '1';
  const machine = text('arch');

  const swapTotalKiB = int('meminfo.SwapTotal');
  const swapFreeKiB = int('meminfo.SwapFree');

  const nameservers = list('nameserver');
  const resolvConf = text('resolv_conf');

  const exists = new Set(list('exists'));
  // Membership is only known when the probe got past that section: absent lines mean "no" then.
  const membershipKnown = complete || first.has('var_disk') || first.has('ports_from');

  const cgroupFs = text('cgroup_fs');

  return {
    complete,
    uid: int('uid'),
    hostname: text('hostname'),
    os: {
      id: unquote(text('os.ID'))?.toLowerCase(),
      versionId: unquote(text('os.VERSION_ID')),
      codename: unquote(text('os.VERSION_CODENAME')),
      prettyName: unquote(text('os.PRETTY_NAME')),
    },
    kernel: text('kernel'),
    machine,
    arch: archOf(machine),
    cpus: positive(int('cpus')),
    memory: {
      totalMiB: kib('meminfo.MemTotal'),
      availableMiB: kib('meminfo.MemAvailable'),
      freeMiB: kib('meminfo.MemFree'),
    },
    swap: {
      totalMiB: kibToMiB(swapTotalKiB),
      usedMiB:
        swapTotalKiB !== undefined && swapFreeKiB !== undefined
          ? kibToMiB(Math.max(0, swapTotalKiB - swapFreeKiB))
          : undefined,
      areas: int('swap_areas'),
    },
    cgroup: cgroupFs === 'cgroup2fs' ? 'v2' : cgroupFs === 'tmpfs' ? 'v1' : undefined,
    cgroupFs,
    dns: {
      resolver: resolverOf(resolvConf, nameservers),
      resolvConf: resolvConf === 'present' || resolvConf === 'missing' ? resolvConf : undefined,
      nameservers,
      resolvConfLink: text('resolv_conf_link'),
      upstream: list('upstream'),
    },
    services: {
      resolved: text('active.systemd-resolved'),
      containerd: text('active.containerd'),
      kubelet: text('active.kubelet'),
    },
    tools: {
      containerd: tool(text('path.containerd'), text('version.containerd')),
      kubeadm: tool(text('path.kubeadm'), text('version.kubeadm')),
      kubelet: tool(text('path.kubelet'), text('version.kubelet')),
      kubectl: tool(text('path.kubectl'), text('version.kubectl')),
      dockerd: tool(text('path.dockerd'), undefined),
    },
    packages: packages(all),
    addresses: addresses(text('addresses_from'), list('address'), text('default_route_dev')),
    cluster: {
      member: membershipKnown ? exists.has('/etc/kubernetes/kubelet.conf') : undefined,
      controlPlane: membershipKnown
        ? exists.has('/etc/kubernetes/admin.conf') || exists.has('/etc/kubernetes/manifests/kube-apiserver.yaml')
        : undefined,
      leftovers: list('nonempty'),
    },
    varDisk: disk(text('var_disk')),
    ports: {
      source: portsSource(text('ports_from')),
      listening: ports(list('listen')),
    },
    ssh: sshConnection(text('ssh_connection'), list('sshd_listen')),
    modules: {
      wireguard: text('module.wireguard') === 'yes' ? true : text('module.wireguard') === 'no' ? false : undefined,
    },
    clock: {
      remoteStartMs: epochMs(text('clock_start')),
      remoteEndMs: epochMs(text('clock_end')),
    },
  };
}

function toInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

/** KiB (the kernel's "kB") to MiB, rounded down as kubeadm does. */
function kibToMiB(kib: number | undefined): number | undefined {
  return kib === undefined ? undefined : Math.floor(kib / 1024);
}

/** /etc/os-release values may be wrapped in double or single quotes. */
function unquote(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const match = /^"(.*)"$/.exec(value) ?? /^'(.*)'$/.exec(value);
  const inner = match ? (match[1] ?? '') : value;
  return inner === '' ? undefined : inner.replace(/\\(["'$`\\])/g, '$1');
}

function archOf(machine: string | undefined): Arch | undefined {
  switch (machine) {
    case 'x86_64':
    case 'amd64':
      return 'amd64';
    case 'aarch64':
    case 'arm64':
      return 'arm64';
    default:
      return undefined;
  }
}

function isLoopback(server: string): boolean {
  return server.startsWith('127.') || server === '::1';
}

function resolverOf(resolvConf: string | undefined, nameservers: string[]): ResolverKind | undefined {
  if (resolvConf === 'missing') return 'none';
  if (resolvConf !== 'present') return undefined;
  if (nameservers.length === 0) return 'none';
  if (nameservers.every((server) => SYSTEMD_STUBS.has(server))) return 'systemd-stub';
  if (nameservers.every(isLoopback)) return 'loopback';
  return 'direct';
}

/** First x.y.z in a version line: "containerd containerd.io 1.7.27 05044ec", "Kubernetes v1.37.0", "Client Version: v1.37.0". */
export function versionIn(line: string | undefined): string | undefined {
  if (line === undefined) return undefined;
  const match = /(?:^|[\s:"v])v?(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)/.exec(line);
  return match?.[1];
}

function tool(path: string | undefined, raw: string | undefined): InstalledTool | undefined {
  if (path === undefined) return undefined;
  const result: InstalledTool = { path };
  const version = versionIn(raw);
  if (version !== undefined) result.version = version;
  if (raw !== undefined) result.raw = raw;
  return result;
}

function packages(all: Map<string, string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, values] of all) {
    const name = key.startsWith('package.') ? key.slice('package.'.length) : '';
    const version = values[0]?.trim();
    if (/^[a-z0-9][a-z0-9.+-]*$/.test(name) && version) out[name] = version;
  }
  return out;
}

/** `address=DEV CIDR` lines (DEV is "?" from hostname -I, which prints no prefix). */
function addresses(source: string | undefined, lines: string[], defaultDevice: string | undefined): NodeFacts['addresses'] {
  if (source !== 'ip' && source !== 'hostname') return undefined;
  const interfaces: InterfaceAddress[] = [];
  for (const line of lines) {
    const [device, cidr = ''] = line.split(/\s+/);
    const [address = '', prefixText] = cidr.split('/');
    const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
    if (family === undefined) continue;
    const prefix = toInt(prefixText);
    interfaces.push({
      ...(device && device !== '?' ? { device } : {}),
      address: address.toLowerCase(),
      ...(prefix !== undefined && prefix <= (family === 4 ? 32 : 128) ? { prefix } : {}),
      family,
    });
  }
  return { source, interfaces, ...(defaultDevice ? { defaultDevice } : {}) };
}

function disk(value: string | undefined): NodeFacts['varDisk'] {
  if (value === undefined) return undefined;
  const [size, avail, ...mountParts] = value.split(/\s+/);
  const totalKiB = toInt(size);
  const availKiB = toInt(avail);
  if (totalKiB === undefined || availKiB === undefined) return undefined;
  return {
    totalMiB: Math.floor(totalKiB / 1024),
    availableMiB: Math.floor(availKiB / 1024),
    mount: mountParts.join(' ') || '/var',
  };
}

function portsSource(value: string | undefined): 'ss' | 'proc' | undefined {
  return value === 'ss' || value === 'proc' ? value : undefined;
}

function ports(lines: string[]): ListeningPort[] {
  const byPort = new Map<number, ListeningPort>();
  for (const line of lines) {
    const [portText, ...rest] = line.split(/\s+/);
    const port = toInt(portText);
    if (port === undefined || port > 65535) continue;
    const process = rest.join(' ') || undefined;
    const known = byPort.get(port);
    if (!known) byPort.set(port, process ? { port, process } : { port });
    else if (!known.process && process) known.process = process;
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** SSH_CONNECTION ("client-address client-port server-address server-port") and sshd's listening ports. */
function sshConnection(value: string | undefined, listening: string[]): NodeFacts['ssh'] {
  const [client, , , serverPortText] = (value ?? '').split(/\s+/);
  const serverPort = toInt(serverPortText);
  const ports = [...new Set(listening.map(toInt).filter((p): p is number => p !== undefined && p > 0 && p <= 65535))].sort((a, b) => a - b);
  return {
    ...(client !== undefined && (isIPv4(client) || isIPv6(client)) ? { clientAddress: client.toLowerCase() } : {}),
    ...(serverPort !== undefined && serverPort > 0 && serverPort <= 65535 ? { serverPort } : {}),
    listeningPorts: ports,
  };
}

/** `date +%s.%N` output ("1767225600.123456789") to ms; undefined when %N was not expanded. */
function epochMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) return undefined;
  const [seconds = '0', fraction = ''] = value.split('.');
  const ms = Number(seconds) * 1000 + Number(`0.${fraction || '0'}`) * 1000;
  return Number.isFinite(ms) ? ms : undefined;
}
