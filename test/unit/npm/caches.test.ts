import { describe, expect, it } from 'vitest';
import { EtagMemo } from '../../../src/lib/npm/etag-memo.js';
import { RenderedCache } from '../../../src/lib/npm/rendered-cache.js';
import { SingleFlight } from '../../../src/lib/upstream/single-flight.js';

describe('EtagMemo', () => {
  it('remembers etags and absence for one second, and forgets on demand', () => {
    let now = 0;
    const memo = new EtagMemo(10, () => now);
    memo.set('a', 'e1');
    memo.set('b', undefined);
    expect(memo.get('a')).toEqual({ etag: 'e1', at: 0 });
    expect(memo.get('b')?.etag).toBeUndefined();
    expect(memo.get('b')).toBeDefined();
    now = 1001;
    expect(memo.get('a')).toBeUndefined();
    memo.set('a', 'e2');
    memo.forget('a');
    expect(memo.get('a')).toBeUndefined();
  });
});

describe('RenderedCache', () => {
  it('renders once per key with a content ETag and evicts by size', () => {
    const cache = new RenderedCache(400);
    let renders = 0;
    const first = cache.get('k', () => { renders++; return { x: 'y'.repeat(50) }; });
    expect(cache.get('k', () => { renders++; return {}; })).toBe(first);
    expect(renders).toBe(1);
    expect(first.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    for (let i = 0; i < 10; i++) cache.get(`other-${i}`, () => ({ x: 'z'.repeat(60) }));
    expect(cache.peek('k')).toBeUndefined();
  });
});

describe('SingleFlight', () => {
  it('shares one run among concurrent callers and frees the key afterwards', async () => {
    const flights = new SingleFlight<number>();
    let runs = 0;
    let finish!: () => void;
    const work = () => new Promise<number>((resolve) => { runs++; finish = () => resolve(runs); });
    const joined = [flights.run('k', work), flights.run('k', work), flights.run('k', work)];
    finish();
    const results = await Promise.all(joined);
    expect(results).toEqual([1, 1, 1]);
    expect(flights.get('k')).toBeUndefined();
    await expect(flights.run('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const again = flights.run('k', work);
    finish();
    expect(await again).toBe(2);
  });
});
