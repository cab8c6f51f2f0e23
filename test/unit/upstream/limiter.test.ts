// The per-upstream bound on concurrent requests: never more than `max` holders, FIFO hand-over.
import { expect, test } from 'vitest';
import { Limiter } from '../../../src/lib/upstream/limiter.js';

/** A few turns of the event loop: enough for any waiter that could run to have run. */
const turns = async (n = 5) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

test('at most max holders at once; a double release frees one slot', async () => {
  const limiter = new Limiter(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all(Array.from({ length: 8 }, async (_, i) => {
    const release = await limiter.acquire();
    active++;
    peak = Math.max(peak, active);
    await turns();
    order.push(i);
    active--;
    release();
    release();
  }));
  expect(peak).toBe(2);
  expect(order).toHaveLength(8);
  const a = await limiter.acquire();
  const b = await limiter.acquire();
  let third = false;
  const pending = limiter.acquire().then((r) => { third = true; return r; });
  await turns();
  expect(third).toBe(false);
  a();
  (await pending)();
  b();
});
