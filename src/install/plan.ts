// The install plan: a pure function of the spec and the nodes' facts. Every node prepares at
// once (its own steps in order), the control plane is created, the network and DNS set up, and
// every worker joins at once with a token minted at that moment. Probes make each step a no-op
// when it is already done, so the same plan serves a fresh install, a resumed one and a rerun.
import { existsSync, readFileSync } from 'node:fs';
import { ignorePreflightErrors } from '../facts/preflight.js';
import { clusterAddressing, type ClusterAddressing } from '../facts/addressing.js';
import { clusterFirewall, podNetworkBackend, type ClusterFirewall } from './firewall.js';
import { firewallStep } from './render/firewall.js';
import { BACKEND_DEVICE, flannelStep, staleBackendStep } from './render/flannel.js';
import { encryptionStep, type EncryptionKey } from './render/encryption.js';
import { setKubeconfigServer } from '../kubeconfig/merge.js';
import type { NodeFacts } from '../facts/types.js';
import type { ClusterSpec, NodeSpec } from '../spec/types.js';
import { writeSecretFile } from '../state/files.js';
import { nodeProfile } from '../node-profile.js';
import {
  corednsStep,
  dnsCheckStep,
  endpointHostsStep,
  fetchAdminConfStep,
  flannelPublicIpStep,
  corednsSizing,
  initStep,
  renderInitConfig,
  joinStep,
  mintJoinTokenStep,
  parseJoinCommand,
  parseKubeadmVersion,
  prepareSteps,
  waitReadyStep,
} from './render/index.js';
import { quote } from '../shell/quote.js';
import { ACTION_TIMEOUT_MS, exitFailure, fromScripts, runAction, runQuick, type Step } from './step.js';

/**
 * The memory the plan assumes for a node nobody looked at (`plan --offline`), for the kubelet's
 * reservations: a guess, a 2 GB VPS (`plan --offline --memory MIB` plans for another size).
 */
export const OFFLINE_MEMORY_MIB = 2048;

export interface PlanInput {
  spec: ClusterSpec;
  /** Facts per node name; a node without facts is planned as a fresh machine. */
  facts: ReadonlyMap<string, NodeFacts>;
  /** Only these workers (add-worker): other workers get no step at all, not even a probe. */
  workers?: readonly string[];
  /** Steps that deploy add-ons and workloads; they run once the cluster is up. */
  workloadSteps?: (after: string[]) => Step[];
  /** MemTotal assumed for nodes without facts (default OFFLINE_MEMORY_MIB). */
  assumedMemoryMiB?: number;
  /**
   * The keys Secrets are encrypted with at rest, the first one writing (src/state/encryption-keys.ts).
   * Only apply runs a plan, with the real keys; `plan` and the review show one with DISPLAY_KEYS.
   */
  encryptionKeys: readonly EncryptionKey[];
}

/**
 * Stands for the encryption key where a plan is only shown (`plan` before the first apply, the
 * wizard's review): every script and artifact redacts it anyway, and such a plan is never run.
 */
export const DISPLAY_KEYS: readonly EncryptionKey[] = [{ name: 'key1', secret: Buffer.alloc(32).toString('base64') }];

export function controlPlaneOf(spec: ClusterSpec): NodeSpec {
  const cp = spec.spec.nodes.find((n) => n.role === 'control-plane');
  if (!cp) throw new Error('the spec has no control-plane node');
  return cp;
}

function resolvedStub(facts: NodeFacts | undefined): boolean {
  return facts?.dns.resolver === 'systemd-stub';
}

/** kubelet flags for a node: its private address as --node-ip when its public one is NAT'd. */
function kubeletArgs(ca: ClusterAddressing, node: string): { kubeletExtraArgs?: Record<string, string> } {
  const ip = ca.nodeIp.get(node);
  return ip ? { kubeletExtraArgs: { 'node-ip': ip } } : {};
}

/** The node's preparation, in order, its host firewall last; returns the steps and the id of the last one. */
function prepare(spec: ClusterSpec, node: NodeSpec, facts: NodeFacts | undefined, firewall: ClusterFirewall): { steps: Step[]; last: string } {
  const steps: Step[] = [];
  let previous: string | undefined;
  // Small workers get a swapfile instead of having swap turned off (src/node-profile.ts); a node
  // nobody looked at is planned without one.
  const swap = facts?.memory.totalMiB !== undefined ? nodeProfile(facts.memory.totalMiB, node.role).swap : undefined;
  const input = { kubernetesVersion: spec.spec.kubernetesVersion, upstreamDns: spec.spec.dns.upstream, resolvedStub: resolvedStub(facts), ...(swap ? { swapMiB: swap.sizeMiB } : {}) };
  for (const planned of prepareSteps(input)) {
    const id = `${node.name}/${planned.id}`;
    // apt and dpkg steps wait for a lock another process may hold briefly: safe to retry.
    const retry = /packages|kubernetes|containerd/.test(planned.id);
    steps.push(fromScripts(id, node.name, planned.scripts, { ...(previous ? { after: [previous] } : {}), retry }));
    previous = id;
  }
  // Before kubeadm opens any port: the host firewall (src/install/firewall.ts).
  const id = `${node.name}/firewall`;
  steps.push(fromScripts(id, node.name, firewallStep(firewall.nodes.find((n) => n.node === node.name)!), { after: [previous!], doneReason: 'the firewall is loaded with these rules', retry: true }));
  return { steps, last: id };
}

const PLACEHOLDER_JOIN = { endpoint: 'control-plane:6443', token: 'placeh.older00000000000', caCertHashes: [`sha256:${'0'.repeat(64)}`] };

/** Joins a worker: a fresh token minted on the control plane now, the join config sent as a 0600 file. */
function joinWorker(ca: ClusterAddressing, cp: NodeSpec, worker: NodeSpec, facts: NodeFacts | undefined, memTotalMiB: number, after: string[]): Step {
  // The probe and action scripts do not contain the token (it travels in a 0600 file), so they
  // can be rendered for the plan printout with a placeholder; the real join is rendered at run time.
  const settings = { nodeName: worker.name, memTotalMiB, resolvedStub: resolvedStub(facts), ...kubeletArgs(ca, worker.name) };
  const probeOnly = joinStep({ ...settings, join: PLACEHOLDER_JOIN });
  const mint = mintJoinTokenStep();
  return {
    id: `${worker.name}/join`,
    node: worker.name,
    title: `Join ${worker.name} to the cluster with a token minted now on ${cp.name}`,
    after,
    timeoutMs: ACTION_TIMEOUT_MS,
    retry: false,
    artifacts: [
      { name: 'probe.sh', content: probeOnly.probe },
      { name: `mint-token-on-${cp.name}.sh`, content: mint.action },
      { name: 'action.sh', content: probeOnly.action },
      // This node's own kubelet settings (reservations, maxPods, swap), sent with the join.
      ...probeOnly.files.filter((f) => !f.secret).map((f) => ({ name: `file${f.path.replace(/\//g, '_')}`, content: f.content })),
      { name: 'file_etc_hobbykube_kubeadm-join.yaml', content: '# secret file (bootstrap token): content redacted\n' },
    ],
    async probe(ctx) {
      const host = await ctx.host(worker.name);
      const result = await runQuick(host, probeOnly.probe);
      if (result.code === 0) return { done: true, reason: 'already a member of the cluster' };
      if (result.code === 1) return { done: false, reason: '' };
      throw exitFailure(ctx, `the check before joining ${worker.name} failed with exit code ${result.code}`, result, 'output');
    },
    async run(ctx, output) {
      const cpHost = await ctx.host(cp.name);
      // A Node object left from an earlier life of this machine (reset or re-imaged under the same name).
      await runQuick(cpHost, `kubectl --kubeconfig /etc/kubernetes/admin.conf delete node ${quote(worker.name)} --ignore-not-found --wait=false`);
      const minted = await runQuick(cpHost, mint.action);
      if (minted.code !== 0) throw exitFailure(ctx, `could not mint a join token on ${cp.name} (exit code ${minted.code})`, minted);
      const join = parseJoinCommand(minted.stdout);
      ctx.redactor.add(join.token);
      output(`minted a join token on ${cp.name} (valid 15 minutes)`, 'stdout');
      const scripts = joinStep({ ...settings, join, role: 'worker' });
      const host = await ctx.host(worker.name);
      for (const file of scripts.files) await host.copyFile(file.content, file.path, { mode: file.mode, sudo: true });
      await runAction(ctx, host, scripts.action, output, { timeoutMs: ACTION_TIMEOUT_MS });
    },
  };
}

/**
 * Copies admin.conf into the state directory (0600), its server set to the control plane's spec
 * address (with a NAT'd control plane, admin.conf names the /etc/hosts endpoint, which resolves
 * only on the nodes); skipped when the copy is already current.
 */
export function fetchKubeconfig(cp: NodeSpec, ownerServer: string, after: string[]): Step {
  const scripts = fetchAdminConfStep();
  const read = async (ctx: Parameters<Step['probe']>[0]): Promise<string> => {
    const host = await ctx.host(cp.name);
    const result = await runQuick(host, scripts.action);
    if (result.code !== 0) throw exitFailure(ctx, `could not read /etc/kubernetes/admin.conf on ${cp.name} (exit code ${result.code})`, result);
    return setKubeconfigServer(result.stdout, ownerServer);
  };
  return {
    id: `${cp.name}/kubeconfig`,
    node: cp.name,
    title: scripts.describe,
    after,
    timeoutMs: 120_000,
    retry: true,
    artifacts: [{ name: 'read.sh', content: scripts.action }],
    async probe(ctx) {
      const local = ctx.paths.kubeconfig;
      if (existsSync(local) && readFileSync(local, 'utf8') === (await read(ctx))) return { done: true, reason: `${local} is current` };
      return { done: false, reason: '' };
    },
    async run(ctx, output) {
      writeSecretFile(ctx.paths.kubeconfig, await read(ctx));
      output(`saved ${ctx.paths.kubeconfig} (mode 0600)`, 'stdout');
    },
  };
}

export function buildInstallPlan(input: PlanInput): Step[] {
  const { spec, facts } = input;
  const memoryMiB = (f: NodeFacts | undefined): number => f?.memory.totalMiB ?? input.assumedMemoryMiB ?? OFFLINE_MEMORY_MIB;
  const cp = controlPlaneOf(spec);
  const workers = spec.spec.nodes.filter((n) => n.role === 'worker' && (!input.workers || input.workers.includes(n.name)));
  const ca = clusterAddressing(spec, facts, [cp, ...workers]);
  // Built from every node of the spec: the allowed-peer set is the whole cluster's, even when
  // only some nodes get steps (add-worker).
  const firewall = clusterFirewall(spec, facts);
  const backend = podNetworkBackend(spec);
  const steps: Step[] = [];

  /** The API endpoint name in the node's /etc/hosts (NAT'd control plane); returns the id to wait for. */
  const endpointEntry = (node: NodeSpec, after: string): string => {
    const ip = ca.hostsEntries.get(node.name);
    if (ca.endpointName === undefined || ip === undefined) return after;
    const id = `${node.name}/api-endpoint`;
    steps.push(fromScripts(id, node.name, endpointHostsStep(ca.endpointName, ip), { after: [after], doneReason: `/etc/hosts maps ${ca.endpointName} to ${ip}` }));
    return id;
  };

  const cpFacts = facts.get(cp.name);
  const cpPrepare = prepare(spec, cp, cpFacts, firewall);
  steps.push(...cpPrepare.steps);
  const cpReadyForInit = endpointEntry(cp, cpPrepare.last);
  const installed = cpFacts?.tools.kubeadm?.version ? parseKubeadmVersion(cpFacts.tools.kubeadm.version) : undefined;
  const init = `${cp.name}/init`;
  const initInput = {
    nodeName: cp.name,
    address: cp.address,
    ...(ca.advertise !== undefined ? { advertiseAddress: ca.advertise } : {}),
    endpointHost: ca.endpointHost,
    certSANs: ca.certSANs,
    kubernetesVersion: spec.spec.kubernetesVersion,
    ...(installed ? { installedKubeadmVersion: installed } : {}),
    clusterName: spec.metadata.name,
    schedulable: cp.schedulable,
    ignorePreflightErrors: cpFacts ? ignorePreflightErrors(cp, cpFacts) : cp.acceptUndersized ? ['NumCPU', 'Mem'] : [],
    ...kubeletArgs(ca, cp.name),
    memTotalMiB: memoryMiB(cpFacts),
    resolvedStub: resolvedStub(cpFacts),
    encryptionKeys: input.encryptionKeys,
  };
  steps.push(fromScripts(init, cp.name, initStep(initInput), { after: [cpReadyForInit], doneReason: 'the control plane is already running', timeoutMs: 15 * 60_000 }));
  // Secrets at rest: on from kubeadm init on; a cluster made without it gets it now.
  const encryption = `${cp.name}/encryption`;
  steps.push(
    fromScripts(encryption, cp.name, encryptionStep({ nodeName: cp.name, keys: input.encryptionKeys, initConfig: renderInitConfig(initInput) }), {
      after: [init],
      doneReason: 'Secrets are encrypted at rest with this key',
      timeoutMs: 10 * 60_000,
    }),
  );
  const kubeconfig = fetchKubeconfig(cp, ca.ownerServer, [init]);
  const network = `${cp.name}/network`;
  const coredns = `${cp.name}/coredns`;
  // A NAT'd control plane gets flannel's public-address annotation before flannel first starts there.
  const cpPublicIp = ca.flannelPublicIp.get(cp.name);
  const beforeNetwork: string[] = [init];
  if (cpPublicIp !== undefined) {
    const id = `${cp.name}/flannel-public-ip`;
    steps.push(fromScripts(id, cp.name, flannelPublicIpStep(cp.name, cpPublicIp), { after: [init], doneReason: `flannel reaches ${cp.name} at ${cpPublicIp}`, retry: true }));
    beforeNetwork.push(id);
  }
  steps.push(
    kubeconfig,
    fromScripts(network, cp.name, flannelStep(backend), { after: beforeNetwork, doneReason: 'flannel is already installed at this version and backend', retry: true }),
    fromScripts(`${cp.name}/ready`, cp.name, waitReadyStep(cp.name), { after: [network], doneReason: 'node is Ready', retry: true }),
    // CoreDNS pods start only once a node is Ready (they need the pod network).
    fromScripts(coredns, cp.name, corednsStep(spec.spec.dns.upstream, corednsSizing(memoryMiB(cpFacts))), { after: [`${cp.name}/ready`], doneReason: 'CoreDNS already forwards to the upstream servers' }),
  );

  /** A node whose facts show the other backend's interface (flannel changed backend): delete it once flannel runs with the new one. */
  const staleBackend = (node: NodeSpec, after: string[]): string[] => {
    const stale = BACKEND_DEVICE[backend === 'wireguard' ? 'vxlan' : 'wireguard'];
    if (!(facts.get(node.name)?.addresses?.interfaces ?? []).some((i) => i.device === stale)) return [];
    const id = `${node.name}/pod-network-cleanup`;
    steps.push(fromScripts(id, node.name, staleBackendStep(backend), { after, doneReason: `${stale} is gone`, retry: true }));
    return [id];
  };
  staleBackend(cp, [network]);

  // add-worker: the nodes that get no other step still let the new worker through their
  // firewall. This is the only step those nodes get.
  const others = input.workers ? spec.spec.nodes.filter((n) => n.role === 'worker' && !input.workers!.includes(n.name)) : [];
  const peerUpdates = others.map((other) => {
    const id = `${other.name}/firewall`;
    const fw = firewall.nodes.find((n) => n.node === other.name)!;
    steps.push(
      fromScripts(id, other.name, firewallStep(fw, { describe: `Host firewall: let ${workers.map((w) => w.name).join(', ')} in (the only step on ${other.name} when adding a worker)` }), {
        doneReason: 'the firewall already allows every node',
        retry: true,
      }),
    );
    return id;
  });

  const ready: string[] = [`${cp.name}/ready`];
  for (const worker of workers) {
    const f = facts.get(worker.name);
    const prep = prepare(spec, worker, f, firewall);
    steps.push(...prep.steps);
    const join = joinWorker(ca, cp, worker, f, memoryMiB(f), [endpointEntry(worker, prep.last), init, ...peerUpdates]);
    steps.push(join);
    const readyId = `${worker.name}/ready`;
    steps.push(fromScripts(readyId, worker.name, waitReadyStep(worker.name), { after: [join.id, network], runsOn: cp.name, doneReason: 'node is Ready', retry: true }));
    // A NAT'd worker: flannel registered it (it is Ready) with its private address; tell flannel the public one.
    const publicIp = ca.flannelPublicIp.get(worker.name);
    if (publicIp !== undefined) {
      const id = `${worker.name}/flannel-public-ip`;
      steps.push(fromScripts(id, worker.name, flannelPublicIpStep(worker.name, publicIp), { after: [readyId], runsOn: cp.name, doneReason: `flannel reaches ${worker.name} at ${publicIp}`, retry: true }));
      ready.push(id);
    } else {
      ready.push(readyId);
    }
    ready.push(...staleBackend(worker, [network, readyId]));
  }

  steps.push(
    fromScripts(`${cp.name}/dns-check`, cp.name, dnsCheckStep({ upstreamDns: spec.spec.dns.upstream }), {
      after: [coredns, `${cp.name}/ready`],
      doneReason: 'cluster DNS was verified with these upstream servers',
      retry: true,
    }),
  );
  // Workloads bring Secrets: they are written once encryption at rest is on.
  if (input.workloadSteps) steps.push(...input.workloadSteps([...ready, `${cp.name}/dns-check`, kubeconfig.id, encryption]));
  return steps;
}
