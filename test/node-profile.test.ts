import { describe, expect, it } from 'vitest';
import {
  CONTAINERD_MIB,
  KUBELET_MIB,
  OS_MIB,
  SHIM_FIRST_MIB,
  SHIM_PER_POD_MIB,
  allocatableMiB,
  gkeReservationMiB,
  nodeProfile,
  reservations,
  swapSizeMiB,
} from '../src/node-profile.js';

describe('memory reservations', () => {
  // [MemTotal MiB, role, systemReserved, kubeReserved, evictionHard, allocatable, maxPods, swap MiB]
  const table = [
    // small profile (under 2 GiB): OS 80 + kubelet 40 + containerd 24 + shims 10 + 2.5 x maxPods
    [470, 'worker', 80, 102, 20, 268, 11, 960],
    [512, 'worker', 80, 104, 20, 308, 12, 1024],
    [970, 'worker', 80, 134, 20, 736, 24, 1984],
    [1024, 'worker', 80, 137, 20, 787, 25, 2048],
    [1500, 'worker', 80, 167, 100, 1153, 37, undefined],
    [2047, 'worker', 80, 202, 100, 1665, 51, undefined],
    [970, 'control-plane', 80, 134, 100, 656, 24, undefined],
    [1970, 'control-plane', 80, 197, 100, 1593, 49, undefined],
    // standard profile (2 GiB and more): unchanged, GKE's ladder + 256 MiB on a control plane
    [2048, 'worker', 100, 412, 100, 1436, undefined, undefined],
    [4096, 'worker', 100, 924, 100, 2972, undefined, undefined],
    [8192, 'worker', 100, 1743, 100, 6249, undefined, undefined],
    [2048, 'control-plane', 100, 668, 100, 1180, undefined, undefined],
    [4096, 'control-plane', 100, 1180, 100, 2716, undefined, undefined],
    [8192, 'control-plane', 100, 1999, 100, 5993, undefined, undefined],
  ] as const;

  it.each(table)('%i MiB %s: system %i, kube %i, eviction %i, allocatable %i, maxPods %s, swap %s', (mem, role, system, kube, eviction, allocatable, maxPods, swap) => {
    expect(reservations(mem, role)).toEqual({ systemReservedMiB: system, kubeReservedMiB: kube, evictionHardMiB: eviction });
    expect(allocatableMiB(mem, role)).toBe(allocatable);
    expect(mem - system - kube - eviction).toBe(allocatable);
    const profile = nodeProfile(mem, role);
    expect(profile.maxPods).toBe(maxPods);
    expect(profile.swap?.sizeMiB).toBe(swap);
    if (swap !== undefined) expect(profile.swap?.behavior).toBe('LimitedSwap');
  });

  it('the small profile adds up from its parts, line by line', () => {
    const p = nodeProfile(470, 'worker');
    expect(p.kind).toBe('small');
    expect(p.budget.map((b) => b.mib)).toEqual([OS_MIB, KUBELET_MIB, CONTAINERD_MIB, Math.ceil(KUBELET_MIB + CONTAINERD_MIB + SHIM_FIRST_MIB + SHIM_PER_POD_MIB * 11) - KUBELET_MIB - CONTAINERD_MIB, 20]);
    expect(p.budget.reduce((sum, b) => sum + b.mib, 0)).toBe(470 - 268);
    for (const line of p.budget) expect(line.source, line.what).not.toBe('');
    const cp = nodeProfile(4096, 'control-plane');
    expect(cp.budget.reduce((sum, b) => sum + b.mib, 0)).toBe(4096 - 2716);
  });

  it('swap only on workers of 1 GiB or less, twice their memory in 64 MiB steps; never on a control plane', () => {
    expect(swapSizeMiB(470)).toBe(960);
    expect(swapSizeMiB(481)).toBe(1024);
    expect(nodeProfile(1024, 'worker').swap).toBeDefined();
    expect(nodeProfile(1025, 'worker').swap).toBeUndefined();
    for (const mem of [470, 970, 1024]) expect(nodeProfile(mem, 'control-plane').swap).toBeUndefined();
  });

  it("follows GKE's ladder for the host reservation", () => {
    expect(gkeReservationMiB(600)).toBe(255);
    expect(gkeReservationMiB(1024)).toBe(256);
    expect(gkeReservationMiB(4096)).toBe(1024);
    expect(gkeReservationMiB(8192)).toBe(1843);
    expect(gkeReservationMiB(16384)).toBe(2662);
    expect(gkeReservationMiB(131072)).toBe(9543);
  });

  it('never leaves less than 64 MiB allocatable, even on a tiny node, and says what it cut', () => {
    for (const mem of [300, 400, 450, 512, 600]) {
      for (const role of ['worker', 'control-plane'] as const) expect(allocatableMiB(mem, role)).toBeGreaterThanOrEqual(64);
    }
    expect(reservations(300, 'control-plane')).toEqual({ systemReservedMiB: 80, kubeReservedMiB: 56, evictionHardMiB: 100 });
    const tiny = nodeProfile(300, 'control-plane');
    expect(tiny.budget.find((b) => b.mib < 0)).toMatchObject({ what: 'cut to leave 64 MiB allocatable', mib: -38 });
    expect(tiny.budget.reduce((sum, b) => sum + b.mib, 0)).toBe(300 - 64);
  });

  it('grows with memory within each profile; the only steps down are named', () => {
    for (const [from, to] of [
      [300, 2047],
      [2048, 65536],
    ]) {
      for (const role of ['worker', 'control-plane'] as const) {
        let last = -1;
        for (let mem = from!; mem <= to!; mem += 1) {
          const now = allocatableMiB(mem, role);
          if (role === 'worker' && mem === 1025) expect(now, 'swap ends: eviction 20 -> 100 MiB').toBe(last + 1 - 80);
          // Every 40 MiB the small profile reserves one more shim (2.5 MiB) for one more pod.
          else if (from === 300 && mem % 40 === 0) expect(now, `${mem} ${role}`).toBeGreaterThanOrEqual(last - 2);
          else expect(now, `${mem} ${role}`).toBeGreaterThanOrEqual(last);
          last = now;
        }
      }
    }
    // At 2 GiB the conservative ladder takes over (documented in src/node-profile.ts and docs/SMALL-NODES.md).
    expect(allocatableMiB(2047, 'worker')).toBe(1665);
    expect(allocatableMiB(2048, 'worker')).toBe(1436);
  });

  it('refuses nonsense sizes', () => {
    expect(() => reservations(0, 'worker')).toThrow();
    expect(() => reservations(Number.NaN, 'worker')).toThrow();
  });
});
