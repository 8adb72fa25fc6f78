// The host firewall as nftables text, the step that loads it, and its removal (reset). The
// decisions are in src/install/firewall.ts.
//
// - Its own table, `table inet hobbykube` (IPv4 and IPv6 together). kube-proxy and flannel keep
//   their rules in their own tables (iptables-nft's `ip filter`/`ip nat`, kube-proxy's nftables
//   mode `ip kube-proxy`): nothing of theirs is touched, and a flush of theirs leaves ours alone.
// - One base chain on the prerouting hook at priority mangle (-150): after conntrack (-200), so
//   replies are recognised, and before kube-proxy's DNAT (dstnat, -100), so a packet to a NodePort
//   is judged by the port it was sent to, before it is rewritten towards a pod (it would then
//   pass the forward hook, never input). Only packets addressed to the node itself are judged
//   (`fib daddr type local`): pod-to-pod and Service traffic pass untouched.
// - Policy accept, and a drop only for the Kubernetes ports from anyone not allowed. Accept in
//   one base chain does not overrule another chain's drop (nftables evaluates every base chain on
//   a hook; a drop anywhere is final), so kube-proxy's and flannel's own rules still apply; and
//   what we drop is only what no Kubernetes component needs from outside.
// - SSH first: the node's sshd ports are accepted before any drop, whatever else changes.
// - Loaded atomically (`table; delete table; table {...}` in one `nft -f` transaction): applying
//   it again replaces the table in one step, never leaving the node without it.
// - Survives a reboot: a oneshot systemd unit loads the same file before the network comes up
//   (ordered like Debian's nftables.service), and before the kubelet.
// - The probe compares the live table with the rendered one as this node's own nft prints it: it
//   loads the file into a throwaway network namespace (`unshare --net`) and lists both.
import { isIPv4, isIPv6 } from 'node:net';
import { createHash } from 'node:crypto';
import type { NodeRole } from '../../spec/types.js';
import type { PodNetworkBackend } from './flannel.js';
import { NODE_DIR, SHELL_HELPERS, script, shd, step, type StepScripts } from './script.js';

// --- what the model (src/install/firewall.ts) hands the renderer ---------------------------------

export type Port = number | readonly [number, number];
export type SourceSet = 'nodes' | 'controlPlanes' | 'api';

export interface PortGroup {
  protocol: 'tcp' | 'udp';
  ports: Port[];
  /** Plain words: "the Kubernetes API", "the kubelet" ... */
  what: string;
}

export interface GuardedGroup extends PortGroup {
  /** Accepted from this set only; dropped from everyone else. */
  from: SourceSet;
}

export interface ApiSources {
  /** spec: spec.network.apiAllowedFrom; this-computer: the default, detected; none: the nodes only. */
  kind: 'spec' | 'this-computer' | 'none';
  ipv4: string[];
  ipv6: string[];
  /** Why the default found no address (facts missing): shown in the review. */
  note?: string;
}

export interface NodeFirewall {
  node: string;
  role: NodeRole;
  /** Open to everyone, before any drop: SSH, and 80/443 on the ingress node. */
  open: PortGroup[];
  /** Kubernetes ports: accepted from their set, dropped otherwise. */
  guarded: GuardedGroup[];
  /** IPv4 sources per set (addresses and networks). */
  nodes: string[];
  controlPlanes: string[];
  api: ApiSources;
  backend: PodNetworkBackend;
}

export function formatPorts(ports: readonly Port[], protocol?: 'tcp' | 'udp'): string {
  const text = ports.map((p) => (typeof p === 'number' ? String(p) : `${p[0]}-${p[1]}`)).join(', ');
  return protocol === 'udp' ? `${text}/udp` : text;
}


export const FIREWALL_FAMILY = 'inet';
export const FIREWALL_TABLE = 'hobbykube';
export const FIREWALL_FILE = `${NODE_DIR}/firewall.nft`;
export const FIREWALL_UNIT = 'hobbykube-firewall.service';
export const FIREWALL_UNIT_PATH = `/etc/systemd/system/${FIREWALL_UNIT}`;

const SET_NAMES: Record<SourceSet, { v4: string; v6?: string }> = {
  nodes: { v4: 'nodes4' },
  controlPlanes: { v4: 'controlplanes4' },
  api: { v4: 'api4', v6: 'api6' },
};

function checkSource(source: string, family: 4 | 6): void {
  const [ip = '', bits, ...rest] = source.split('/');
  const ok = (family === 4 ? isIPv4(ip) : isIPv6(ip)) && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  if (!ok) throw new Error(`not an IPv${family} address or network: ${JSON.stringify(source)}`);
}

function checkPort(port: Port): void {
  const [lo, hi] = typeof port === 'number' ? [port, port] : port;
  if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 1 || hi > 65535 || lo > hi) throw new Error(`not a port or port range: ${JSON.stringify(port)}`);
}

function portSet(ports: readonly Port[]): string {
  for (const p of ports) checkPort(p);
  return `{ ${ports.map((p) => (typeof p === 'number' ? String(p) : `${p[0]}-${p[1]}`)).join(', ')} }`;
}

function set(name: string, type: 'ipv4_addr' | 'ipv6_addr', elements: readonly string[], comment: string): string[] {
  for (const e of elements) checkSource(e, type === 'ipv4_addr' ? 4 : 6);
  return [
    `\tset ${name} {`,
    `\t\ttype ${type}`,
    '\t\tflags interval',
    // Overlapping entries (a node inside an allowed network, 0.0.0.0/0) are merged, not refused.
    '\t\tauto-merge',
    ...(elements.length > 0 ? [`\t\telements = { ${elements.join(', ')} }`] : []),
    `\t\tcomment "${comment}"`,
    '\t}',
  ];
}

function acceptRules(group: GuardedGroup): string[] {
  const ports = portSet(group.ports);
  const names = SET_NAMES[group.from];
  const rules = [`\t\t${group.protocol} dport ${ports} ip saddr @${names.v4} accept comment "${group.what}: ${fromWords(group.from, 4)}"`];
  if (names.v6) rules.push(`\t\t${group.protocol} dport ${ports} ip6 saddr @${names.v6} accept comment "${group.what}: ${fromWords(group.from, 6)}"`);
  return rules;
}

function fromWords(from: SourceSet, family: 4 | 6): string {
  if (from === 'nodes') return 'the nodes';
  if (from === 'controlPlanes') return 'the control plane';
  return family === 4 ? 'the nodes and the allowed IPv4 sources' : 'the allowed IPv6 sources';
}

/** The nftables ruleset for one node, as loaded by `nft -f` (idempotent, atomic). */
export function renderRuleset(fw: NodeFirewall): string {
  const open = (g: PortGroup) => `\t\t${g.protocol} dport ${portSet(g.ports)} accept comment "${g.what}: always open"`;
  // The API set: the nodes and the owner's sources (one set per family, as nftables needs).
  const api4 = [...new Set([...fw.nodes, ...fw.api.ipv4])];
  const dropped = (protocol: 'tcp' | 'udp') => fw.guarded.filter((g) => g.protocol === protocol).flatMap((g) => g.ports);
  const lines = [
    `# hobbykube host firewall for node ${fw.node}. Generated by hobbykube from hobbykube.yaml: edits here`,
    '# are replaced by the next `hobbykube apply`. Loaded at boot by hobbykube-firewall.service.',
    `# Locked out? From the provider's console: nft delete table ${FIREWALL_FAMILY} ${FIREWALL_TABLE}; systemctl disable ${FIREWALL_UNIT}`,
    `table ${FIREWALL_FAMILY} ${FIREWALL_TABLE}`,
    `delete table ${FIREWALL_FAMILY} ${FIREWALL_TABLE}`,
    `table ${FIREWALL_FAMILY} ${FIREWALL_TABLE} {`,
    ...set('nodes4', 'ipv4_addr', fw.nodes, "the cluster's nodes and pods"),
    ...set('controlplanes4', 'ipv4_addr', fw.controlPlanes, 'the control plane'),
    ...set('api4', 'ipv4_addr', api4, 'may reach the Kubernetes API (IPv4)'),
    ...set('api6', 'ipv6_addr', fw.api.ipv6, 'may reach the Kubernetes API (IPv6)'),
    '',
    '\tchain prerouting {',
    '\t\ttype filter hook prerouting priority mangle; policy accept;',
    '\t\tiif "lo" accept comment "this node itself"',
    '\t\tct state established,related accept comment "replies, and connections already accepted"',
    '\t\tfib daddr type != local accept comment "not addressed to this node: pod and Service traffic"',
    ...fw.open.map(open),
    ...fw.guarded.flatMap(acceptRules),
    ...(['tcp', 'udp'] as const).filter((p) => dropped(p).length > 0).map((p) => `\t\t${p} dport ${portSet(dropped(p))} drop comment "Kubernetes ports: nobody else"`),
    '\t}',
    '}',
    '',
  ];
  return lines.join('\n');
}

/** The unit that loads the ruleset at boot, ordered like Debian's nftables.service (before the network). */
export function renderFirewallUnit(): string {
  return [
    '[Unit]',
    `Description=hobbykube host firewall (nftables table ${FIREWALL_FAMILY} ${FIREWALL_TABLE})`,
    'Documentation=man:nft(8)',
    'DefaultDependencies=no',
    'Wants=network-pre.target',
    'Before=network-pre.target shutdown.target kubelet.service',
    'Conflicts=shutdown.target',
    `ConditionPathExists=${FIREWALL_FILE}`,
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    `ExecStart=/usr/sbin/nft -f ${FIREWALL_FILE}`,
    '',
    '[Install]',
    'WantedBy=sysinit.target',
    '',
  ].join('\n');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One line: what this node opens, for the step title (the plan lists it per node). */
export function firewallSummary(fw: NodeFirewall): string {
  const open = fw.open.map((g) => formatPorts(g.ports)).join(', ');
  const nodeOnly = fw.guarded.filter((g) => g.from === 'nodes' && !(g.what === 'NodePorts' && g.protocol === 'udp'));
  const rest = nodeOnly.map((g) => formatPorts(g.ports, g.what === 'NodePorts' ? undefined : g.protocol)).join(', ');
  const api = fw.guarded.some((g) => g.from === 'api') ? `; API 6443: nodes${fw.api.ipv4.length + fw.api.ipv6.length > 0 ? ` and ${[...fw.api.ipv4, ...fw.api.ipv6].join(', ')}` : ''}` : '';
  return `open ${open}${api}; nodes only: ${rest}`;
}

/**
 * Loads the node's ruleset now and at every boot. Done when the file and the unit on the node are
 * these, the unit is enabled, and the live table is what this file loads.
 */
export function firewallStep(fw: NodeFirewall, options: { describe?: string } = {}): StepScripts {
  const ruleset = renderRuleset(fw);
  const unit = renderFirewallUnit();
  const table = `${FIREWALL_FAMILY} ${FIREWALL_TABLE}`;
  return step({
    describe: options.describe ?? `Host firewall (nftables): ${firewallSummary(fw)}`,
    files: [
      { path: FIREWALL_FILE, content: ruleset, mode: 0o644, secret: false },
      { path: FIREWALL_UNIT_PATH, content: unit, mode: 0o644, secret: false },
    ],
    probe: script(shd`
      command -v nft >/dev/null 2>&1 || exit 1
      echo ${`${sha256(ruleset)}  ${FIREWALL_FILE}`} | sha256sum -c --quiet - >/dev/null 2>&1 || exit 1
      echo ${`${sha256(unit)}  ${FIREWALL_UNIT_PATH}`} | sha256sum -c --quiet - >/dev/null 2>&1 || exit 1
      systemctl is-enabled --quiet ${FIREWALL_UNIT} || exit 1
      live=$(nft list table ${table} 2>/dev/null) || exit 1
      # What this file loads, as this node's nft lists it, from a throwaway network namespace.
      # shellcheck disable=SC2016 # $1..$3 belong to the inner sh
      want=$(unshare --net -- sh -c 'nft -f "$1" && nft list table "$2" "$3"' sh ${FIREWALL_FILE} ${FIREWALL_FAMILY} ${FIREWALL_TABLE} 2>/dev/null) || exit 1
      [ "$live" = "$want" ] || exit 1
      exit 0`),
    action: script(
      shd`
      if ! command -v nft >/dev/null 2>&1; then
        echo "installing nftables (the nft command)"
        apt_get install -y --no-install-recommends nftables
      fi
      nft --check -f ${FIREWALL_FILE}
      nft -f ${FIREWALL_FILE}
      systemctl daemon-reload
      systemctl enable ${FIREWALL_UNIT}
      echo ${`loaded nftables table ${table} (${FIREWALL_FILE}); loaded again at boot by ${FIREWALL_UNIT}`}`,
      [SHELL_HELPERS.apt],
    ),
  });
}

/** Removes the table, the unit and the file (part of reset): the node is as before hobbykube. */
export const FIREWALL_CLEANUP = shd`
  # hobbykube's host firewall: its nftables table, and the unit that loads it at boot.
  if command -v nft >/dev/null 2>&1 && nft list table ${FIREWALL_FAMILY} ${FIREWALL_TABLE} >/dev/null 2>&1; then
    nft delete table ${FIREWALL_FAMILY} ${FIREWALL_TABLE}
  fi
  if [ -e ${FIREWALL_UNIT_PATH} ]; then
    systemctl disable ${FIREWALL_UNIT} >/dev/null 2>&1 || true
    rm -f ${FIREWALL_UNIT_PATH}
    systemctl daemon-reload || true
  fi
  rm -f ${FIREWALL_FILE}`;

/** Exits 1 from a reset probe while anything of the firewall is left. */
export const FIREWALL_LEFT_CHECK = shd`
  if command -v nft >/dev/null 2>&1 && nft list table ${FIREWALL_FAMILY} ${FIREWALL_TABLE} >/dev/null 2>&1; then exit 1; fi
  [ -e ${FIREWALL_UNIT_PATH} ] && exit 1`;
