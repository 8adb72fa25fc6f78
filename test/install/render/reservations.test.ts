import { describe, expect, it } from 'vitest';
import { allocatableMiB, gkeReservationMiB, reservations } from '../../../src/install/render/index.js';

describe('memory reservations', () => {
  // [MemTotal MiB, role, systemReserved, kubeReserved, evictionHard, allocatable]
  const table = [
    [512, 'worker', 100, 155, 100, 157],
    [970, 'worker', 100, 155, 100, 615],
    [2048, 'worker', 100, 412, 100, 1436],
    [4096, 'worker', 100, 924, 100, 2972],
    [8192, 'worker', 100, 1743, 100, 6249],
    // control plane: +256 MiB kube-reserved for the request-less static pods
    [970, 'control-plane', 100, 411, 100, 359],
    [2048, 'control-plane', 100, 668, 100, 1180],
    [4096, 'control-plane', 100, 1180, 100, 2716],
    [8192, 'control-plane', 100, 1999, 100, 5993],
    // an undersized control plane: the extra shrinks so 64 MiB stay allocatable
    [512, 'control-plane', 100, 248, 100, 64],
  ] as const;

  it.each(table)('%i MiB %s: system %i, kube %i, eviction %i, allocatable %i', (mem, role, system, kube, eviction, allocatable) => {
    expect(reservations(mem, role)).toEqual({ systemReservedMiB: system, kubeReservedMiB: kube, evictionHardMiB: eviction });
    expect(allocatableMiB(mem, role)).toBe(allocatable);
    expect(mem - system - kube - eviction).toBe(allocatable);
  });

  it("follows GKE's ladder for the host reservation", () => {
    expect(gkeReservationMiB(600)).toBe(255);
    expect(gkeReservationMiB(1024)).toBe(256);
    expect(gkeReservationMiB(4096)).toBe(1024);
    expect(gkeReservationMiB(8192)).toBe(1843);
    expect(gkeReservationMiB(16384)).toBe(2662);
    expect(gkeReservationMiB(131072)).toBe(9543);
  });

  it('never leaves less than 64 MiB allocatable, even on a tiny node', () => {
    for (const mem of [300, 400, 450, 512, 600]) {
      for (const role of ['worker', 'control-plane'] as const) expect(allocatableMiB(mem, role)).toBeGreaterThanOrEqual(64);
    }
    expect(reservations(300, 'worker')).toEqual({ systemReservedMiB: 100, kubeReservedMiB: 36, evictionHardMiB: 100 });
  });

  it('grows monotonically with memory', () => {
    let last = -1;
    for (let mem = 512; mem <= 65536; mem += 128) {
      const now = allocatableMiB(mem, 'worker');
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });

  it('refuses nonsense sizes', () => {
    expect(() => reservations(0, 'worker')).toThrow();
    expect(() => reservations(Number.NaN, 'worker')).toThrow();
  });
});
