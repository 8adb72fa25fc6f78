import { describe, expect, it } from 'vitest';
import { Limiter } from '../../src/ssh/limiter.js';

describe('Limiter', () => {
  it('never runs more than the limit at once and runs every task', async () => {
    const limiter = new Limiter(3);
    let active = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limiter.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 2 + (index % 3)));
          active -= 1;
          return index;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index));
    expect(peak).toBe(3);
    expect(limiter.inUse).toBe(0);
  });

  it('releases the slot when a task fails', async () => {
    const limiter = new Limiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});
