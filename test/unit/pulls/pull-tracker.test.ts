// Pull tracking: counted in memory, written in batches (never a store write per pull), merged by
// compare-and-swap so several servers on one store add up, kept across a failed flush, and
// flushed by the injected timer. No sleeps: fake timers drive the flush interval.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import type { ObjectStore, PutOptions } from '../../../src/lib/storage/object-store.js';
import { EventBus } from '../../../src/lib/events/bus.js';
import { combine, PullTracker } from '../../../src/lib/pulls/pull-tracker.js';

/** A store that counts document writes and can fail the next ones. */
function countingStore(inner = new MemoryStore()) {
  const counter = { puts: 0, failNext: 0 };
  const store: ObjectStore = Object.create(inner) as ObjectStore;
  store.put = async (key: string, body: Parameters<ObjectStore['put']>[1], options?: PutOptions) => {
    if (counter.failNext > 0) { counter.failNext--; throw new Error('store down'); }
    counter.puts++;
    return inner.put(key, body, options);
  };
  return { store, counter, inner };
}

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

afterEach(() => { vi.useRealTimers(); });

describe('PullTracker', () => {
  it('writes one document per name per flush, however many pulls', async () => {
    const { store, counter } = countingStore();
    const pulls = new PullTracker({ store });
    for (let i = 0; i < 1000; i++) pulls.record('npm', 'tool', 'tool-1.0.0.tgz', at(i % 60));
    pulls.record('oci', 'team/app', 'latest', at(5));
    expect(counter.puts).toBe(0);
    expect(await pulls.read('npm', 'tool')).toEqual({ 'tool-1.0.0.tgz': { count: 1000, last: at(59).toISOString() } });
    await pulls.flush();
    expect(counter.puts).toBe(2);
    await pulls.flush();
    expect(counter.puts).toBe(2);
    expect(await new PullTracker({ store }).read('oci', 'team/app')).toEqual({ latest: { count: 1, last: at(5).toISOString() } });
  });

  it('several servers on one store add up (compare-and-swap merge), the latest time wins', async () => {
    const store = new MemoryStore();
    const servers = Array.from({ length: 4 }, () => new PullTracker({ store }));
    servers.forEach((server, i) => {
      for (let n = 0; n <= i; n++) server.record('oci', 'team/app', '1.0', at(10 * i + n));
    });
    await Promise.all(servers.map((server) => server.flush()));
    expect(await new PullTracker({ store }).read('oci', 'team/app')).toEqual({ '1.0': { count: 1 + 2 + 3 + 4, last: at(33).toISOString() } });
  });

  it('keeps the counts of a failed flush for the next one', async () => {
    const { store, counter } = countingStore();
    const errors: unknown[] = [];
    const pulls = new PullTracker({ store, onError: (e) => errors.push(e) });
    pulls.record('npm', 'tool', 'v', at(1));
    counter.failNext = 1;
    await pulls.flush();
    expect(errors).toHaveLength(1);
    pulls.record('npm', 'tool', 'v', at(2));
    await pulls.flush();
    expect(await new PullTracker({ store }).read('npm', 'tool')).toEqual({ v: { count: 2, last: at(2).toISOString() } });
  });

  it('flushes on its interval, counting ArtifactPulled events from the bus', async () => {
    vi.useFakeTimers();
    const { store, counter } = countingStore();
    const events = new EventBus(undefined, () => at(7));
    const pulls = new PullTracker({ store });
    pulls.follow(events);
    pulls.start(30_000);
    events.publish({ type: 'ArtifactPulled', artifact: { format: 'oci', name: 'team/app', reference: '1.0', digest: 'sha256:x' } });
    events.publish({ type: 'ArtifactPulled', artifact: { format: 'oci', name: 'team/app', digest: 'sha256:x' } });
    events.publish({ type: 'ArtifactPushed', artifact: { format: 'oci', name: 'team/app', reference: '1.0' } });
    await vi.advanceTimersByTimeAsync(29_999);
    expect(counter.puts).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await pulls.flush();
    pulls.stop();
    expect(counter.puts).toBe(1);
    const stored = await new PullTracker({ store }).read('oci', 'team/app');
    expect(combine(stored, ['1.0', 'sha256:x'])).toEqual({ pulls: 2, lastPulled: at(7).toISOString() });
  });

  it('flushes early when too many references are pending (bounded memory)', async () => {
    const { store, counter } = countingStore();
    const pulls = new PullTracker({ store, maxPending: 3 });
    for (const ref of ['a', 'b', 'c', 'd']) pulls.record('npm', 'tool', ref, at(1));
    await pulls.flush();
    // The third reference started a flush of a, b, c; d went with the next one.
    expect(counter.puts).toBe(2);
    expect(Object.keys(await pulls.read('npm', 'tool')).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
