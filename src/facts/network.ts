// Preflight for the pod network (part of src/facts/preflight.ts): the WireGuard module when pod
// traffic is encrypted, and a private default-route address when the owner says the nodes share a
// private network (VXLAN then crosses that network unencrypted).
import { isIPv4 } from 'node:net';
import type { NetworkSpec, NodeSpec } from '../spec/types.js';
import type { NodeFacts } from './types.js';
import { defaultIPv4 } from './addressing.js';

export type NetworkFinding = { level: 'ok' | 'warn' | 'fail'; code: string; message: string };

/** RFC 1918 private ranges and RFC 6598 shared address space (carrier-grade NAT, some VPS LANs). */
export function isPrivateIPv4(ip: string): boolean {
  if (!isIPv4(ip)) return false;
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
}

export function networkFindings(node: NodeSpec, facts: NodeFacts, network: NetworkSpec | undefined): NetworkFinding[] {
  const findings: NetworkFinding[] = [];
  const kernel = facts.kernel ?? 'this kernel';
  if (network?.privateNetwork !== true) {
    const wg = facts.modules.wireguard;
    if (wg === true) findings.push({ level: 'ok', code: 'wireguard', message: `the wireguard kernel module is available (${kernel}): pod traffic between nodes is encrypted` });
    else if (wg === false)
      findings.push({
        level: 'fail',
        code: 'wireguard',
        message: `the kernel (${kernel}) has no wireguard module (modprobe --dry-run wireguard found none), and pod traffic between the nodes is encrypted with WireGuard. It is in every kernel since 5.6: on Ubuntu install the kernel's extra modules (apt-get install linux-modules-extra-$(uname -r)) or a generic kernel; some VPS types (OpenVZ, LXC containers) cannot load modules at all, so choose a KVM VPS. If the nodes share a private network, set spec.network.privateNetwork: true instead (VXLAN, unencrypted, over that network)`,
      });
    else findings.push({ level: 'warn', code: 'wireguard', message: 'could not tell whether the kernel has the wireguard module (no modprobe): flannel fails to start without it' });
    return findings;
  }
  // privateNetwork: flannel sends VXLAN from the default route's address, unencrypted.
  const local = defaultIPv4(facts);
  if (local === undefined) return findings;
  if (isPrivateIPv4(local.address)) {
    findings.push({ level: 'ok', code: 'private-network', message: `pod traffic uses VXLAN from ${local.address}${local.device ? ` (${local.device})` : ''}, a private address, as spec.network.privateNetwork says` });
  } else {
    findings.push({
      level: 'fail',
      code: 'private-network',
      message: `spec.network.privateNetwork is true, but the default route's address ${local.address}${local.device ? ` (${local.device})` : ''} is public: flannel would send pod traffic unencrypted (VXLAN) across it. Remove privateNetwork (WireGuard then encrypts it), or use nodes whose default route is the private network`,
    });
  }
  return findings;
}
