// Shared by the install integration tests: a spec for a test bed, the CLI run against it, and
// questions asked of the doubles' recordings.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Recording, TestBed, TestHost } from '../hosts/harness.js';

export interface BedSpec {
  dir: string;
  specPath: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

/** Writes hobbykube.yaml for the bed: first host the control plane, the rest workers. */
export function writeBedSpec(bed: TestBed, extra: { acceptUndersized?: boolean; upstream?: string[]; cluster?: string } = {}): BedSpec {
  const dir = mkdtempSync(join(tmpdir(), 'hk-install-'));
  const home = join(dir, 'state');
  const spec = {
    apiVersion: 'hobbykube.dev/v1alpha1',
    kind: 'Cluster',
    metadata: { name: extra.cluster ?? 'test' },
    spec: {
      kubernetesVersion: '1.37',
      nodes: bed.hosts.map((h, i) => ({
        name: h.name,
        address: h.address,
        role: i === 0 ? 'control-plane' : 'worker',
        ssh: { user: bed.users.nopasswd, keyPath: bed.keyPath },
        ...(i === 0 && extra.acceptUndersized ? { acceptUndersized: true } : {}),
      })),
      dns: { upstream: extra.upstream ?? ['203.0.113.53', '198.51.100.53'] },
    },
  };
  const specPath = join(dir, 'hobbykube.yaml');
  writeFileSync(specPath, stringify(spec));
  return { dir, specPath, home, env: { HOBBYKUBE_HOME: home, SSH_AUTH_SOCK: '' } };
}

export const line = (r: Recording) => r.argv.join(' ');

/** Calls that change a node: what a second apply must never make. */
export function isMutating(r: Recording): boolean {
  const [cmd, sub, third] = r.argv;
  if (r.netns === 'private') return false; // the firewall probe's throwaway network namespace
  switch (cmd) {
    case 'apt-get':
      return sub !== undefined && r.argv.some((a) => a === 'install' || a === 'update' || a === 'remove' || a === 'purge');
    case 'apt-mark':
      return sub === 'hold' || sub === 'unhold';
    case 'kubeadm':
      return ['init', 'join', 'reset'].includes(sub ?? '') || (sub === 'token' && third === 'create');
    case 'kubectl':
      return r.argv.some((a) => ['apply', 'delete', 'annotate', 'patch', 'drain', 'create', 'label', 'taint', 'replace'].includes(a)) || (r.argv.includes('rollout') && r.argv.includes('restart'));
    case 'systemctl':
      return ['enable', 'disable', 'restart', 'start', 'stop', 'daemon-reload', 'mask'].includes(sub ?? '');
    case 'modprobe':
      // --dry-run (-n) only looks: the fact probe asks whether the kernel has wireguard.
      return !r.argv.some((a) => a === '-n' || a === '--dry-run');
    case 'nft':
      // Listing and --check change nothing; -f, add, delete and flush do.
      return !r.argv.some((a) => a === 'list' || a === '--check' || a === '-c');
    case 'swapoff':
    case 'mkswap':
    case 'fallocate':
    case 'dd': // recorded only when it writes a file of zeros (the swapfile)
    case 'iptables-restore':
    case 'ip6tables-restore':
      return true;
    case 'swapon':
      return !['--show', '-s', '--summary', '--noheadings'].includes(sub ?? '');
    case 'helm':
      return ['upgrade', 'install', 'uninstall'].includes(sub ?? '');
    case 'sysctl':
      return r.argv.includes('--system') || r.argv.includes('-w');
    case 'gpg':
      return r.argv.includes('--dearmor');
    case 'curl':
      return true;
    default:
      return false;
  }
}

/**
 * The addresses a node's loaded firewall lets through to the Kubernetes ports (its nodes4 set, as
 * the nft double lists the host's saved ruleset), sorted; the pod subnet left out. Empty when the
 * table is not loaded.
 */
export async function loadedPeers(host: TestHost): Promise<string[]> {
  const r = await host.rootExec('nft list set inet hobbykube nodes4 2>/dev/null || true');
  const elements = /elements = \{([^}]*)\}/.exec(r.stdout)?.[1] ?? '';
  // The set merges neighbours (auto-merge): 127.0.0.9 and 127.0.0.10 list as 127.0.0.9-127.0.0.10,
  // an aligned pair as 127.0.0.8/31. Spelled out again as single addresses (small ranges only).
  const n = (ip: string) => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const ip = (v: number) => [24, 16, 8, 0].map((shift) => Math.floor(v / 2 ** shift) % 256).join('.');
  const expand = (e: string): string[] => {
    const [from, to] = e.includes('-') ? e.split('-') as [string, string] : [e.split('/')[0]!, undefined];
    const bits = e.includes('/') ? Number(e.split('/')[1]) : 32;
    const first = n(from);
    const last = to !== undefined ? n(to) : first + 2 ** (32 - bits) - 1;
    return last - first > 255 ? [e] : Array.from({ length: last - first + 1 }, (_, i) => ip(first + i));
  };
  return elements
    .split(/[\s,]+/)
    .filter((e) => e !== '' && e !== '10.244.0.0/16')
    .flatMap(expand)
    .sort();
}

/** Whether the host has hobbykube's firewall table loaded. */
export async function firewallLoaded(host: TestHost): Promise<boolean> {
  return (await host.rootExec('nft list table inet hobbykube >/dev/null 2>&1')).code === 0;
}

/** The mutating calls the firewall step makes (and nothing else). */
export const FIREWALL_CHANGES = ['nft -f /etc/hobbykube/firewall.nft', 'systemctl daemon-reload', 'systemctl enable hobbykube-firewall.service'];
