// A 3-node install as the runner would report it, and memory samples from the captured fixtures.
import { readFileSync } from 'node:fs';
import type { RunEvent, StepRef } from '../../src/events.js';
import { parseMemorySample, type MemorySample } from '../../src/monitor/memory.js';

export const T0 = Date.UTC(2026, 9, 1, 12, 0, 0);

const step = (node: string, id: string, title: string): StepRef => ({ id: `${node}/${id}`, node, title });

export const STEPS = {
  cpPrepare: step('cp1', 'prepare', 'Prepare the node'),
  cpContainerd: step('cp1', 'containerd', 'Install containerd'),
  cpPackages: step('cp1', 'packages', 'Install kubeadm, kubelet, kubectl'),
  cpInit: step('cp1', 'init', 'Initialise the control plane'),
  cpFlannel: step('cp1', 'flannel', 'Install the flannel network'),
  w1Prepare: step('w1', 'prepare', 'Prepare the node'),
  w1Containerd: step('w1', 'containerd', 'Install containerd'),
  w1Packages: step('w1', 'packages', 'Install kubeadm, kubelet, kubectl'),
  w1Join: step('w1', 'join', 'Join the cluster'),
  w2Prepare: step('w2', 'prepare', 'Prepare the node'),
  w2Containerd: step('w2', 'containerd', 'Install containerd'),
  w2Packages: step('w2', 'packages', 'Install kubeadm, kubelet, kubectl'),
  w2Join: step('w2', 'join', 'Join the cluster'),
};
export const ALL_STEPS = Object.values(STEPS);

export function fixtureSample(name: 'control-plane-1gb' | 'worker-512mb' | 'cp-not-kubernetes-yet', time = T0): MemorySample {
  const text = readFileSync(new URL(`../monitor/fixtures/${name}.txt`, import.meta.url), 'utf8');
  return parseMemorySample(text, time);
}

/** Events up to "cp1 is initialising, workers are installing packages". */
export function runningEvents(): RunEvent[] {
  const at = (s: number) => T0 + s * 1000;
  const ev: RunEvent[] = [{ type: 'run-started', time: at(0), steps: ALL_STEPS }];
  for (const [s, t0, t1] of [
    [STEPS.cpPrepare, 0, 3.2],
    [STEPS.w1Prepare, 0, 2.9],
    [STEPS.w2Prepare, 0, 3.1],
  ] as const) {
    ev.push({ type: 'step-started', time: at(t0), step: s });
    ev.push({ type: 'step-finished', time: at(t1), step: s, durationMs: (t1 - t0) * 1000 });
  }
  ev.push({ type: 'step-skipped', time: at(3.3), step: STEPS.cpContainerd, reason: 'containerd 1.7.28 is already running' });
  ev.push({ type: 'step-started', time: at(3.2), step: STEPS.w1Containerd });
  ev.push({ type: 'step-output', time: at(4), step: STEPS.w1Containerd, line: 'Setting up containerd (1.7.28-0ubuntu1) ...', stream: 'stdout' });
  ev.push({ type: 'step-finished', time: at(21.5), step: STEPS.w1Containerd, durationMs: 18_300 });
  ev.push({ type: 'step-skipped', time: at(3.4), step: STEPS.w2Containerd, reason: 'containerd 1.7.28 is already running' });
  ev.push({ type: 'step-started', time: at(3.5), step: STEPS.cpPackages });
  ev.push({ type: 'step-finished', time: at(30), step: STEPS.cpPackages, durationMs: 26_500 });
  ev.push({ type: 'step-started', time: at(30), step: STEPS.cpInit });
  for (let i = 0; i < 30; i++) {
    ev.push({ type: 'step-output', time: at(30 + i / 10), step: STEPS.cpInit, line: `[init] line ${i}`, stream: 'stdout' });
  }
  ev.push({ type: 'step-output', time: at(34), step: STEPS.cpInit, line: '[wait-control-plane] Waiting for the kubelet to boot up the control plane', stream: 'stdout' });
  ev.push({ type: 'step-started', time: at(22), step: STEPS.w1Packages });
  ev.push({ type: 'step-output', time: at(33), step: STEPS.w1Packages, line: 'Unpacking kubelet (1.37.1-1.1) ...', stream: 'stdout' });
  ev.push({ type: 'step-started', time: at(4), step: STEPS.w2Packages });
  ev.push({ type: 'step-output', time: at(35), step: STEPS.w2Packages, line: 'Setting up kubectl (1.37.1-1.1) ...', stream: 'stderr' });
  return ev;
}

/** ... then w1's join fails with an expired token; w2 finishes, the run stops. */
export function failedEvents(): RunEvent[] {
  const at = (s: number) => T0 + s * 1000;
  return [
    ...runningEvents(),
    { type: 'step-finished', time: at(40), step: STEPS.w1Packages, durationMs: 18_000 },
    { type: 'step-finished', time: at(41), step: STEPS.w2Packages, durationMs: 37_000 },
    { type: 'step-finished', time: at(70), step: STEPS.cpInit, durationMs: 40_000 },
    { type: 'step-started', time: at(70), step: STEPS.w1Join },
    { type: 'step-started', time: at(70), step: STEPS.w2Join },
    { type: 'step-started', time: at(70), step: STEPS.cpFlannel },
    { type: 'step-output', time: at(71), step: STEPS.w1Join, line: '[preflight] Running pre-flight checks', stream: 'stdout' },
    {
      type: 'step-failed',
      time: at(75),
      step: STEPS.w1Join,
      durationMs: 5000,
      exitCode: 1,
      message: 'kubeadm join failed',
      lastLines: [
        '[preflight] Running pre-flight checks',
        '[discovery] Trying to connect to API Server "10.0.0.1:6443"',
        'error execution phase preflight: couldn\'t validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID "abcdef"',
      ],
    },
    { type: 'step-finished', time: at(78), step: STEPS.w2Join, durationMs: 8000 },
    { type: 'step-finished', time: at(80), step: STEPS.cpFlannel, durationMs: 10_000 },
  ];
}

export function failedFinishedEvents(): RunEvent[] {
  return [...failedEvents(), { type: 'run-finished', time: T0 + 80_000, ok: false, durationMs: 80_000, done: 9, skipped: 2, failed: 1, blocked: 0 }];
}

export function successEvents(): RunEvent[] {
  const at = (s: number) => T0 + s * 1000;
  return [
    ...runningEvents(),
    { type: 'step-finished', time: at(40), step: STEPS.w1Packages, durationMs: 18_000 },
    { type: 'step-finished', time: at(41), step: STEPS.w2Packages, durationMs: 37_000 },
    { type: 'step-finished', time: at(70), step: STEPS.cpInit, durationMs: 40_000 },
    { type: 'step-started', time: at(70), step: STEPS.cpFlannel },
    { type: 'step-finished', time: at(80), step: STEPS.cpFlannel, durationMs: 10_000 },
    { type: 'step-started', time: at(80), step: STEPS.w1Join },
    { type: 'step-started', time: at(80), step: STEPS.w2Join },
    { type: 'step-finished', time: at(88), step: STEPS.w1Join, durationMs: 8000 },
    { type: 'step-finished', time: at(89), step: STEPS.w2Join, durationMs: 9000 },
    { type: 'run-finished', time: at(89), ok: true, durationMs: 89_000, done: 11, skipped: 2, failed: 0, blocked: 0 },
  ];
}
