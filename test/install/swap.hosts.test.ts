// hobbykube's swapfile on a small worker, run as root on real sshd test hosts: the probe and the
// idempotent action, the dd fallbacks, and reset taking it all back. fallocate, dd's zero fill,
// mkswap, swapon and swapoff are recording doubles (doubles), because the hosts share this
// machine's kernel and their /var is RAM: the file is sparse and /proc/swaps is a fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHosts, type TestBed, type TestHost } from '../hosts/harness.js';
import { hostsMissing, requires } from '../support/requires.js';
import { SWAPFILE, resetStep, swapfileStep } from '../../src/install/render/index.js';
import { line } from './support.js';

const MIB = 960;

async function run(host: TestHost, script: string): Promise<{ code: number | null; out: string }> {
  const r = await host.rootExec(script);
  return { code: r.code, out: `${r.stdout}${r.stderr}` };
}

const swapCalls = (h: TestHost) => h.recordings().map(line).filter((l) => /^(fallocate|dd|mkswap|swapon|swapoff)\b/.test(l) && !/^swapon (--show|-s)/.test(l));

describe('the swapfile on a 470 MiB worker (sshd test hosts, doubles for fallocate/dd/mkswap/swapon/swapoff)', requires(hostsMissing()), () => {
  let bed: TestBed;
  let w1: TestHost;
  let w2: TestHost;
  beforeAll(async () => {
    // w1 has no swap yet; w2 has the provider's own /swap.img (512 MiB), which must be left alone.
    bed = await startHosts([
      { name: 'w1', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 0 },
      { name: 'w2', memTotalMb: 470, memAvailableMb: 380, cpus: 1, swapMb: 512 },
    ]);
    [w1, w2] = bed.hosts as [TestHost, TestHost];
  });
  afterAll(async () => bed?.stop());

  const scripts = swapfileStep(MIB);

  it('probe says "run", the action makes the file, turns it on, adds it to fstab; then the probe says "done"', async () => {
    expect((await run(w1, scripts.probe)).code).toBe(1);
    const action = await run(w1, scripts.action);
    expect(action.code, action.out).toBe(0);
    expect(action.out).toContain(`swap is on: ${SWAPFILE} (960 MiB)`);
    expect(swapCalls(w1)).toEqual([`fallocate -l 960M ${SWAPFILE}.new`, `mkswap ${SWAPFILE}.new`, `swapon ${SWAPFILE}`]);
    const state = await w1.rootExec(`stat -c '%a %s' ${SWAPFILE}; cat /proc/swaps; grep -E '^Swap(Total|Free)' /proc/meminfo; cat /etc/fstab`);
    expect(state.stdout).toContain(`600 ${MIB * 1048576}`);
    expect(state.stdout).toMatch(new RegExp(`^${SWAPFILE}\\s+file\\s+${MIB * 1024 - 4}\\s`, 'm'));
    expect(state.stdout).toMatch(new RegExp(`^SwapTotal:\\s+${MIB * 1024 - 4} kB`, 'm'));
    expect(state.stdout).toContain(`${SWAPFILE} none swap sw 0 0`);
    expect((await run(w1, scripts.probe)).code).toBe(0);
  });

  it('a second run changes nothing', async () => {
    w1.clearRecordings();
    const again = await run(w1, scripts.action);
    expect(again.code, again.out).toBe(0);
    expect(swapCalls(w1)).toEqual([]);
    const fstab = await w1.rootExec(`grep -c '^${SWAPFILE} ' /etc/fstab`);
    expect(fstab.stdout.trim()).toBe('1');
  });

  it('writes zeros with dd where fallocate is not supported, and again where swapon refuses the preallocated file', async () => {
    w2.injectFault({ command: 'fallocate', exitCode: 1, stderr: 'fallocate: fallocate failed: Operation not supported\n' });
    const first = await run(w2, scripts.action);
    expect(first.code, first.out).toBe(0);
    expect(swapCalls(w2)).toEqual([`fallocate -l 960M ${SWAPFILE}.new`, `dd if=/dev/zero of=${SWAPFILE}.new bs=1M count=960 status=none`, `mkswap ${SWAPFILE}.new`, `swapon ${SWAPFILE}`]);
    // The provider's swap stays on beside ours.
    const swaps = (await w2.rootExec('cat /proc/swaps')).stdout;
    expect(swaps).toContain('/swap.img');
    expect(swaps).toContain(SWAPFILE);

    // swapon refusing a preallocated file (btrfs): zeros are written and it is tried once more.
    await w2.rootExec(`swapoff ${SWAPFILE} && rm -f ${SWAPFILE}`);
    w2.clearRecordings();
    w2.injectFault({ command: 'swapon', match: SWAPFILE, exitCode: 255, stderr: `swapon: ${SWAPFILE}: swapon failed: Invalid argument\n` });
    const second = await run(w2, scripts.action);
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('swapon refused the preallocated file; writing 960 MiB of zeros instead');
    expect(swapCalls(w2)).toEqual([
      `fallocate -l 960M ${SWAPFILE}.new`,
      `mkswap ${SWAPFILE}.new`,
      `swapon ${SWAPFILE}`,
      `dd if=/dev/zero of=${SWAPFILE} bs=1M count=960 status=none`,
      `mkswap ${SWAPFILE}`,
      `swapon ${SWAPFILE}`,
    ]);
    // Still one fstab line.
    expect((await w2.rootExec(`grep -c '^${SWAPFILE} ' /etc/fstab`)).stdout.trim()).toBe('1');
  });

  it('refuses when the disk cannot hold the swapfile with room to spare, naming the figures', async () => {
    const big = swapfileStep(65536);
    await w1.rootExec(`swapoff ${SWAPFILE}; rm -f ${SWAPFILE}`);
    const avail = Number((await w1.rootExec('df --output=avail -m /var/lib/hobbykube | tail -n 1')).stdout.trim());
    const r = await run(w1, big.action);
    if (avail >= 66560) {
      // A test machine with more than 65 GiB free under /var: the swapfile fits there.
      expect(r.code, r.out).toBe(0);
      await w1.rootExec(`swapoff ${SWAPFILE}; rm -f ${SWAPFILE}`);
      return;
    }
    expect(r.code).toBe(1);
    expect(r.out).toContain(`not enough disk for a 65536 MiB swapfile: ${avail} MiB free on /var/lib/hobbykube, 66560 MiB needed`);
    expect(r.out).toMatch(/^not enough disk for a 65536 MiB swapfile: \d+ MiB free on \/var\/lib\/hobbykube, 66560 MiB needed$/m);
  });

  it('reset turns it off, deletes it and its fstab line, and leaves other swap alone', async () => {
    const reset = resetStep('worker');
    expect((await run(w2, reset.probe)).code).toBe(1);
    w2.clearRecordings();
    const r = await run(w2, reset.action);
    expect(r.code, r.out).toBe(0);
    expect(swapCalls(w2)).toEqual([`swapoff ${SWAPFILE}`]);
    const state = await w2.rootExec(`ls ${SWAPFILE} 2>&1; cat /proc/swaps; cat /etc/fstab`);
    expect(state.stdout).toContain('No such file or directory');
    expect(state.stdout).not.toMatch(new RegExp(`^${SWAPFILE}`, 'm'));
    expect(state.stdout).toContain('/swap.img');
    expect((await run(w2, reset.probe)).code).toBe(0);
  });
});
