// Node checks: can we log in (and is the host key the pinned one), are kubelet and containerd
// running, is the node Ready and free of pressure, is swap as the install set it up, is there
// disk left. Judgements are pure functions of what the sources answered.
import type { NodeFacts } from '../../facts/types.js';
import { hasSwap, swapSizeMiB, SWAP_BEHAVIOR } from '../../node-profile.js';
import { SWAPFILE } from '../../install/render/swapfile.js';
import type { NodeSpec } from '../../spec/types.js';
import { SshError } from '../../ssh/types.js';
import { obj, str, type ClusterView, type Json } from '../cluster-query.js';
import { kubeletSetting, type NodeProbe } from '../node-probe.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { message } from '../types.js';
import { define, KUBECTL, lastLines, ok, onNode, type CheckContext } from './common.js';

const NODE_TIMEOUT_MS = 90_000;

// --- SSH ----------------------------------------------------------------------------------------

/** What a failed login or sudo means, and what to do. */
export function judgeSsh(node: NodeSpec, error: unknown): Finding {
  const text = message(error);
  const said = text.startsWith(`${node.name}: `) ? text.slice(node.name.length + 2) : text;
  if (error instanceof SshError) {
    switch (error.kind) {
      case 'host-key-mismatch': {
        const forget = /forget the old key with: (.+)$/.exec(said)?.[1];
        return {
          severity: 'critical',
          title: `the host key of ${node.name} changed: hobbykube refuses to connect`,
          evidence: [said.replace(/ If the server was reinstalled.*$/, '')],
          fix: `if you reinstalled ${node.name} on purpose: ${forget ?? 'remove its old key from the cluster\'s known_hosts'}, then run hobbykube doctor --yes; if not, do not connect: someone may be between you and the node`,
        };
      }
      case 'timeout':
        return {
          severity: 'critical',
          title: `${node.name} does not answer SSH: frozen, out of memory, or a firewall drops the packets`,
          evidence: [said],
          fix: `look at ${node.name} in your provider's web console (its screen shows an out-of-memory kill or a hang); reboot it there if it is frozen`,
        };
      case 'refused':
        return { severity: 'critical', title: `nothing accepts SSH on ${node.name}`, evidence: [said], fix: `in your provider's web console: sudo systemctl start ssh (or check ssh.port of ${node.name} in hobbykube.yaml)` };
      case 'unreachable':
        return { severity: 'critical', title: `${node.name} cannot be reached`, evidence: [said], fix: `check address of ${node.name} in hobbykube.yaml and that the VPS is running (provider's console)` };
      case 'auth':
        return { severity: 'critical', title: `${node.name} refuses our SSH key`, evidence: [said], fix: `check ssh.user and ssh.keyPath of ${node.name} in hobbykube.yaml, and ~/.ssh/authorized_keys on the node` };
      case 'sudo':
        return { severity: 'critical', title: `cannot become root on ${node.name}`, evidence: [said], fix: 'allow the SSH user passwordless sudo, or set HOBBYKUBE_SUDO_PASSWORD (doctor never asks for it)' };
      case 'host-key-rejected':
        return { severity: 'unknown', title: `could not check ${node.name}: its host key was not accepted`, evidence: [said], fix: 'compare the fingerprint with the node\'s, then run hobbykube doctor --yes' };
      default:
        return { severity: 'critical', title: `the SSH connection to ${node.name} failed`, evidence: [said], fix: `check ${node.name} in your provider's web console` };
    }
  }
  if (/is new to this cluster/.test(text)) {
    return {
      severity: 'unknown',
      title: `could not check ${node.name}: its host key is not pinned yet`,
      evidence: [text.split('\n')[0]!],
      fix: 'compare the fingerprint with the node\'s (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there), then run hobbykube doctor --yes to pin it',
    };
  }
  if (/HOBBYKUBE_(SUDO_PASSWORD|KEY_PASSPHRASE)/.test(text)) return { severity: 'unknown', title: `could not log in to ${node.name}: a secret is needed`, evidence: [text.split('\n')[0]!], fix: /SUDO/.test(text) ? 'set HOBBYKUBE_SUDO_PASSWORD, or allow passwordless sudo' : 'set HOBBYKUBE_KEY_PASSPHRASE, or load the key into ssh-agent' };
  return { severity: 'critical', title: `the SSH login to ${node.name} failed`, evidence: [said] };
}

// --- kubelet and containerd -----------------------------------------------------------------------

export function judgeServices(node: string, facts: NodeFacts, probe: NodeProbe | undefined, redact: (s: string) => string): CheckOutcome {
  if (facts.tools.kubelet === undefined && facts.tools.kubeadm === undefined) {
    return { summary: 'Kubernetes is not installed', findings: [{ severity: 'critical', title: `Kubernetes is not installed on ${node}`, evidence: ['no kubelet or kubeadm on root\'s PATH'], fix: 'hobbykube apply' }] };
  }
  const findings: Finding[] = [];
  const states: string[] = [];
  for (const unit of ['containerd', 'kubelet'] as const) {
    const state = facts.services[unit] ?? probe?.units[unit].state;
    states.push(`${unit} ${state ?? 'unknown'}`);
    if (state === undefined || state === '' || state === 'unknown') {
      findings.push({ severity: 'unknown', title: `could not tell whether ${unit} runs on ${node} (no systemctl?)`, evidence: [] });
      continue;
    }
    if (state === 'active') continue;
    const journal = lastLines(probe?.units[unit].journal.join('\n'), 10, redact);
    const crashLoop = state === 'activating';
    findings.push({
      severity: 'critical',
      title: crashLoop ? `${unit} on ${node} keeps restarting (it fails right after it starts)` : `${unit} on ${node} is ${state}`,
      evidence: [`systemctl is-active ${unit}: ${state}`, ...(journal.length > 0 ? [`journalctl -u ${unit} (last lines):`, ...journal.map((l) => `  ${l}`)] : [])],
      fix: onNode(node, `sudo systemctl restart ${unit}; then sudo journalctl -u ${unit} -e shows why it stopped`) + (unit === 'containerd' ? ' (no pod runs on this node without it)' : ''),
    });
  }
  return { summary: states.join(', '), findings };
}

// --- Ready and pressure -------------------------------------------------------------------------------

const condition = (node: Json, type: string): Json | undefined => (Array.isArray(obj(node.status).conditions) ? (obj(node.status).conditions as unknown[]).map(obj).find((c) => c.type === type) : undefined);

export function findNode(view: ClusterView, name: string): Json | undefined {
  return view.nodes.find((n) => obj(n.metadata).name === name);
}

export function judgeReady(node: NodeSpec, view: ClusterView, cp: string): CheckOutcome {
  const n = findNode(view, node.name);
  if (!n) {
    return {
      summary: 'not a member of the cluster',
      findings: [
        {
          severity: 'critical',
          title: `${node.name} is not a member of the cluster (never joined, or removed)`,
          evidence: [`kubectl get nodes: ${view.nodes.map((x) => str(obj(x.metadata).name)).join(', ') || 'no nodes'}`],
          fix: 'hobbykube apply (joins every worker of hobbykube.yaml that is not in the cluster)',
        },
      ],
    };
  }
  const ready = condition(n, 'Ready');
  const findings: Finding[] = [];
  if (ready?.status !== 'True') {
    const reason = str(ready?.reason) ?? 'no Ready condition';
    const msg = str(ready?.message) ?? '';
    let fix = onNode(node.name, 'sudo journalctl -u kubelet -e (the kubelet says why)');
    if (reason === 'NodeStatusUnknown') fix = onNode(node.name, 'sudo systemctl restart kubelet (the kubelet stopped reporting; the "kubelet and containerd" check above shows its journal)');
    else if (/container runtime is down|runtime/i.test(msg)) fix = onNode(node.name, 'sudo systemctl restart containerd');
    else if (/network|cni/i.test(msg)) fix = onNode(cp, `${KUBECTL} -n kube-flannel get pods -o wide (flannel must run on ${node.name})`);
    findings.push({ severity: 'critical', title: `${node.name} is NotReady: ${reason}`, evidence: [`Ready=${str(ready?.status) ?? '?'} ${reason}${msg ? `: ${msg}` : ''}`], fix });
  }
  if (obj(n.spec).unschedulable === true) {
    findings.push({ severity: 'warning', title: `${node.name} is cordoned: no new pods are placed there`, evidence: ['spec.unschedulable: true (a drain that did not finish?)'], fix: onNode(cp, `${KUBECTL} uncordon ${node.name}`) });
  }
  const version = str(obj(obj(n.status).nodeInfo).kubeletVersion);
  return { summary: ready?.status === 'True' ? `Ready${version ? `, kubelet ${version}` : ''}` : `NotReady (${str(ready?.reason) ?? '?'})`, findings };
}

const PRESSURES: Array<[string, string, string]> = [
  ['MemoryPressure', 'memory', 'the kubelet is evicting pods to free memory; see the Memory checks for what uses it'],
  ['DiskPressure', 'disk space', 'the kubelet is deleting images and evicting pods; see the disk check'],
  ['PIDPressure', 'process ids', 'too many processes: a workload forks without end?'],
];

export function judgePressure(node: NodeSpec, view: ClusterView): CheckOutcome {
  const n = findNode(view, node.name);
  if (!n) return ok('not in the cluster (see Node Ready)');
  const findings: Finding[] = [];
  const seen: string[] = [];
  for (const [type, what, why] of PRESSURES) {
    const c = condition(n, type);
    if (!c) continue;
    seen.push(`${type}=${str(c.status)}`);
    if (c.status === 'True') {
      findings.push({
        severity: 'critical',
        title: `${node.name} is short of ${what} (${type})`,
        evidence: [`${type}=True ${str(c.reason) ?? ''}${str(c.message) ? `: ${str(c.message)}` : ''}`.trim()],
        fix: why,
      });
    }
  }
  return { summary: seen.length > 0 ? seen.join(', ') : 'no pressure conditions reported', findings };
}

// --- swap -----------------------------------------------------------------------------------------

export function judgeSwap(node: NodeSpec, facts: NodeFacts, probe: NodeProbe): CheckOutcome {
  const total = facts.memory.totalMiB;
  if (total === undefined) return { summary: 'memory unknown', findings: [{ severity: 'unknown', title: 'could not check swap: MemTotal unknown', evidence: [] }] };
  const wanted = hasSwap(total, node.role);
  const areas = probe.swaps.map((a) => `${a.file} ${a.sizeMiB} MiB (${a.usedMiB} used)`);
  const active = probe.swaps.find((a) => a.file === SWAPFILE);
  const inFstab = probe.fstabSwap.includes(SWAPFILE);
  const failSwapOn = kubeletSetting(probe, 'failSwapOn');
  const behavior = kubeletSetting(probe, 'memorySwap.swapBehavior');
  const evidence = [
    `/proc/swaps: ${areas.length > 0 ? areas.join(', ') : 'no swap'}`,
    `/etc/fstab swap lines: ${probe.fstabSwap.length > 0 ? probe.fstabSwap.join(', ') : 'none'}`,
    `kubelet: failSwapOn ${failSwapOn === undefined ? '(default: true)' : String(failSwapOn)}, memorySwap.swapBehavior ${behavior === undefined ? '(default: NoSwap)' : String(behavior)}`,
  ];
  const findings: Finding[] = [];
  if (wanted) {
    if (!active) {
      findings.push({
        severity: 'critical',
        title: `hobbykube's swapfile is not active on ${node.name}: its pods were sized with swap behind them`,
        evidence,
        fix: onNode(node.name, `sudo swapon ${SWAPFILE}`) + (inFstab ? '' : ` (then hobbykube apply, which also puts it back into /etc/fstab)`) + `; a missing file: hobbykube apply makes it (${swapSizeMiB(total)} MiB)`,
      });
    } else if (!inFstab) {
      findings.push({ severity: 'warning', title: `the swapfile on ${node.name} is not in /etc/fstab: the next reboot turns it off`, evidence, fix: 'hobbykube apply (adds the fstab line)' });
    }
    if (probe.kubeletConfig && (failSwapOn !== false || behavior !== SWAP_BEHAVIOR)) {
      findings.push({
        severity: 'warning',
        title: `the kubelet on ${node.name} does not let pods use swap (wants failSwapOn: false and swapBehavior ${SWAP_BEHAVIOR})`,
        evidence,
        fix: onNode(node.name, `set failSwapOn: false and memorySwap: {swapBehavior: ${SWAP_BEHAVIOR}} in /var/lib/kubelet/config.yaml, then sudo systemctl restart kubelet`),
      });
    }
    return { summary: active ? `swapfile ${active.sizeMiB} MiB active (${active.usedMiB} used), kubelet ${String(behavior ?? 'NoSwap')}` : 'swapfile not active', findings };
  }
  if (probe.swaps.length > 0 && failSwapOn !== false) {
    findings.push({
      severity: probe.units.kubelet.state === 'active' ? 'warning' : 'critical',
      title: `swap is on on ${node.name}, but its kubelet refuses to run with swap (${probe.units.kubelet.state === 'active' ? 'it will not start after its next restart' : 'that is why it does not start'})`,
      evidence,
      fix: onNode(node.name, "sudo swapoff -a && sudo sed -i '/^[^#].*[[:space:]]swap[[:space:]]/s/^/#/' /etc/fstab"),
    });
  } else if (probe.swaps.length === 0 && probe.fstabSwap.length > 0 && failSwapOn !== false) {
    findings.push({ severity: 'warning', title: `/etc/fstab on ${node.name} turns swap on at the next reboot; its kubelet refuses swap`, evidence, fix: onNode(node.name, "sudo sed -i '/^[^#].*[[:space:]]swap[[:space:]]/s/^/#/' /etc/fstab") });
  }
  return { summary: probe.swaps.length === 0 ? 'swap off, as set up' : `swap on: ${areas.join(', ')}`, findings };
}

// --- disk -----------------------------------------------------------------------------------------

/** The kubelet's defaults: images are garbage-collected at 85% used, pods evicted below 10% free (nodefs.available). */
export const DISK_WARN_FREE_PERCENT = 15;
export const DISK_CRITICAL_FREE_PERCENT = 10;

export function judgeDisk(node: string, facts: NodeFacts): CheckOutcome {
  const disk = facts.varDisk;
  if (!disk) return { summary: 'unknown', findings: [{ severity: 'unknown', title: 'could not read the free space on /var (df)', evidence: [] }] };
  const percent = disk.totalMiB > 0 ? (disk.availableMiB / disk.totalMiB) * 100 : 0;
  const gb = (m: number) => `${(m / 1024).toFixed(1)} GB`;
  const summary = `${gb(disk.availableMiB)} of ${gb(disk.totalMiB)} free on ${disk.mount} (${Math.floor(percent)}%)`;
  if (percent >= DISK_WARN_FREE_PERCENT) return ok(summary);
  const critical = percent < DISK_CRITICAL_FREE_PERCENT;
  return {
    summary,
    findings: [
      {
        severity: critical ? 'critical' : 'warning',
        title: `only ${Math.floor(percent)}% of the disk is free on ${node}${critical ? ': the kubelet evicts pods below 10%' : ': the kubelet starts deleting images at 85% used and evicts pods below 10% free'}`,
        evidence: [`df /var: ${disk.availableMiB} MiB free of ${disk.totalMiB} MiB on ${disk.mount}`],
        fix: onNode(node, 'sudo crictl rmi --prune (unused images); sudo journalctl --vacuum-size=100M; sudo apt-get clean'),
      },
    ],
  };
}

// --- the checks ---------------------------------------------------------------------------------------

export function nodeChecks(ctx: CheckContext, node: NodeSpec): CheckDefinition[] {
  const { sources } = ctx;
  const name = node.name;
  return [
    define({
      name: 'ssh',
      area: 'node',
      node: name,
      title: 'SSH login',
      timeoutMs: NODE_TIMEOUT_MS,
      run: async () => {
        try {
          await sources.connect(name);
        } catch (error) {
          const f = judgeSsh(node, error);
          return { summary: f.title, findings: [{ ...f, evidence: f.evidence.map(ctx.redact) }] };
        }
        return ok(`logged in as ${node.ssh.user ?? 'the default user'} with sudo; host key as pinned`);
      },
    }),
    define({
      name: 'services',
      area: 'node',
      node: name,
      title: 'kubelet and containerd',
      timeoutMs: NODE_TIMEOUT_MS,
      run: async () => {
        const facts = await sources.facts(name);
        const probe = await sources.probe(name).catch(() => undefined);
        return judgeServices(name, facts, probe, ctx.redact);
      },
    }),
    define({ name: 'ready', area: 'node', node: name, title: 'Node Ready', timeoutMs: NODE_TIMEOUT_MS, run: async () => judgeReady(node, await sources.cluster(), sources.controlPlane.name) }),
    define({ name: 'pressure', area: 'node', node: name, title: 'Memory, disk and PID pressure', timeoutMs: NODE_TIMEOUT_MS, run: async () => judgePressure(node, await sources.cluster()) }),
    define({
      name: 'swap',
      area: 'node',
      node: name,
      title: 'Swap',
      timeoutMs: NODE_TIMEOUT_MS,
      run: async () => judgeSwap(node, await sources.facts(name), await sources.probe(name)),
    }),
    define({ name: 'disk', area: 'node', node: name, title: 'Disk space', timeoutMs: NODE_TIMEOUT_MS, run: async () => judgeDisk(name, await sources.facts(name)) }),
  ];
}
