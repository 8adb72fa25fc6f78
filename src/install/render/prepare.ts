// Node preparation, following the official kubeadm install guide for Ubuntu 22.04/24.04 and
// Debian 12, as the ordered list of one node's steps: swap off (swap-off.ts; on small workers
// hobbykube's swapfile instead, swapfile.ts), kernel modules and sysctls (kernel.ts), base packages
// (base-packages.ts), containerd 2.x with the systemd cgroup driver (containerd.ts), the
// pkgs.k8s.io repository with kubelet/kubeadm/kubectl held (kubernetes-packages.ts), containerd's
// sandbox image aligned with kubeadm's (sandbox-image.ts), and (only where resolv.conf is
// systemd-resolved's stub) resolved's upstream servers (resolved.ts). Each step: a side-effect-free
// probe and an idempotent action.
import { basePackagesStep } from './base-packages.js';
import { containerdStep } from './containerd.js';
import { kernelStep } from './kernel.js';
import { kubernetesPackagesStep } from './kubernetes-packages.js';
import { resolvedStep } from './resolved.js';
import { sandboxImageStep } from './sandbox-image.js';
import type { StepScripts } from './script.js';
import { swapStep } from './swap-off.js';
import { swapfileStep } from './swapfile.js';

export interface PrepareInput {
  /** The spec's kubernetesVersion: "1.37" or a patch release "1.37.2". */
  kubernetesVersion: string;
  /** The spec's dns.upstream (validated IP addresses). */
  upstreamDns: readonly string[];
  /** The node's /etc/resolv.conf is systemd-resolved's 127.0.0.53 stub (from the node's facts). */
  resolvedStub: boolean;
  /** A small worker's swapfile size (MiB, see src/node-profile.ts); absent: swap is turned off instead. */
  swapMiB?: number;
}

export interface PlannedStep {
  id: string;
  scripts: StepScripts;
}

/** The preparation steps for one node, in order (each waits for the one before). */
export function prepareSteps(input: PrepareInput): PlannedStep[] {
  const steps: PlannedStep[] = [
    { id: 'prepare.swap', scripts: input.swapMiB !== undefined ? swapfileStep(input.swapMiB) : swapStep() },
    { id: 'prepare.kernel', scripts: kernelStep() },
    { id: 'prepare.packages', scripts: basePackagesStep() },
    { id: 'prepare.containerd', scripts: containerdStep() },
    { id: 'prepare.kubernetes', scripts: kubernetesPackagesStep(input.kubernetesVersion) },
    { id: 'prepare.sandbox-image', scripts: sandboxImageStep() },
  ];
  if (input.resolvedStub) steps.push({ id: 'prepare.resolved', scripts: resolvedStep(input.upstreamDns) });
  return steps;
}
