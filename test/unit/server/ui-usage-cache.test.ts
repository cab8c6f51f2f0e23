// The overview's storage figures: computed once per format per minute (an injected clock), shared
// by concurrent readers, and asked again after a failure.
import { expect, test } from 'vitest';
import type { Usage } from '../../../src/lib/formats/format-service.js';
import type { Services } from '../../../src/lib/services.js';
import { USAGE_TTL_MS, UsageCache } from '../../../src/server/ui/usage-cache.js';

function fakeServices(results: Array<Usage | Error>): { services: Services; calls: () => number } {
  let calls = 0;
  const usage = () => {
    const next = results[Math.min(calls++, results.length - 1)]!;
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { services: { formats: { oci: { usage } } } as unknown as Services, calls: () => calls };
}

test('usage is computed once a minute and shared', async () => {
  let now = 1_000;
  const { services, calls } = fakeServices([{ bytes: 1, names: 1, versions: 1 }, { bytes: 2, names: 2, versions: 2 }]);
  const cache = new UsageCache(services, () => now);
  const [a, b] = await Promise.all([cache.get('oci'), cache.get('oci')]);
  expect(a).toEqual({ bytes: 1, names: 1, versions: 1 });
  expect(b).toBe(a);
  now += USAGE_TTL_MS - 1;
  expect((await cache.get('oci')).bytes).toBe(1);
  expect(calls()).toBe(1);
  now += 1;
  expect((await cache.get('oci')).bytes).toBe(2);
  expect(calls()).toBe(2);
});

test('a failed computation is asked again', async () => {
  const { services, calls } = fakeServices([new Error('store down'), { bytes: 3, names: 1, versions: 1 }]);
  const cache = new UsageCache(services, () => 0);
  await expect(cache.get('oci')).rejects.toThrow('store down');
  expect((await cache.get('oci')).bytes).toBe(3);
  expect(calls()).toBe(2);
});
