// Leases and the durable queue against one store adapter: two "processes" are two instances
// with different holders on the same store. Time is a variable the test moves; renewals run
// from a manual scheduler. An adapter that cannot honour compare-and-swap lists the racing
// cases in `skip` with its reason, as the storage suite does.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAll, type ObjectStore } from '../../src/lib/storage/object-store.js';
import { Leases } from '../../src/lib/coordination/leases.js';
import { DurableQueue, type DurableQueueOptions } from '../../src/lib/coordination/durable-queue.js';
import { holdClaim } from '../../src/lib/coordination/claim-heartbeat.js';

export interface CoordinationSuiteOptions {
  name: string;
  create: () => Promise<ObjectStore>;
  teardown?: (store: ObjectStore) => Promise<void>;
  skip?: Array<{ reason: string; tests: string[] }>;
}

/** A scheduler the test drives: `fire()` runs what is due, as a timer would. */
function manualScheduler() {
  const due = new Set<() => void>();
  return {
    schedule: (fn: () => void) => {
      due.add(fn);
      return () => due.delete(fn);
    },
    pending: () => due.size,
    fire: () => {
      const now = [...due];
      due.clear();
      for (const fn of now) fn();
    },
  };
}

/** Starts `runExclusive` with work that holds the lease until `finish()`; resolves once it runs. */
async function holdLease(leases: Leases, name: string) {
  let finish!: () => void;
  let started!: (signal: AbortSignal) => void;
  const running = new Promise<AbortSignal>((resolve) => (started = resolve));
  const ran = leases.runExclusive(name, 3000, async (_lease, signal) => {
    started(signal);
    await new Promise<void>((resolve) => (finish = resolve));
  });
  const signal = await running;
  return { ran, finish, signal };
}

export function runCoordinationSuite(options: CoordinationSuiteOptions): void {
  describe(`coordination: ${options.name}`, () => {
    let store: ObjectStore;
    let created = false;
    let t = 1_000_000;
    const now = () => t;
    const reasons = new Map(options.skip?.flatMap((group) => group.tests.map((test) => [test, group.reason] as const)));
    const test = (name: string, body: () => Promise<void>) => {
      const reason = reasons.get(name);
      if (reason !== undefined) it.skip(`${name} [skipped: ${reason}]`, body);
      else it(name, body);
    };
    const queueOf = (holder: string, extra: DurableQueueOptions = {}) =>
      new DurableQueue<{ n: number }>(store, 'jobs', { holder, now, random: () => 0.5, ...extra });

    beforeAll(async () => {
      store = await options.create();
      created = true;
    });
    afterAll(async () => {
      if (!created) return;
      await store.close();
      await options.teardown?.(store);
    });
    afterEach(async () => {
      t = 1_000_000;
      if (!created) return;
      const left: string[] = [];
      for await (const info of listAll(store, '')) left.push(info.key);
      await Promise.all(left.map((key) => store.delete(key)));
    });

    describe('leases', () => {
      test('a held lease is refused to another holder; released, the next holder gets a larger token', async () => {
        const a = new Leases(store, { holder: 'a', now });
        const b = new Leases(store, { holder: 'b', now });
        const first = await a.tryAcquire('gc', 10_000);
        expect(first).toMatchObject({ name: 'gc', holder: 'a', token: 1, expiresAt: t + 10_000 });
        expect(await b.tryAcquire('gc', 10_000)).toBeUndefined();
        expect(await a.tryAcquire('gc', 10_000)).toBeUndefined(); // not re-entrant
        expect(await a.release(first!)).toBe(true);
        const second = await b.tryAcquire('gc', 10_000);
        expect(second).toMatchObject({ holder: 'b', token: 2 });
        expect(await a.release(first!)).toBe(false); // a stale lease cannot release the new one
        expect(await b.inspect('gc')).toMatchObject({ holder: 'b', token: 2 });
      });

      test('expiry: the lease passes on only after expires_at; the old holder can neither renew nor release', async () => {
        const a = new Leases(store, { holder: 'a', now });
        const b = new Leases(store, { holder: 'b', now });
        const lease = (await a.tryAcquire('retention', 1000))!;
        t += 1000 - 1;
        expect(await b.tryAcquire('retention', 1000)).toBeUndefined();
        t += 1;
        const taken = await b.tryAcquire('retention', 1000);
        expect(taken).toMatchObject({ holder: 'b', token: lease.token + 1 });
        expect(await a.renew(lease)).toBeUndefined();
        expect(await a.release(lease)).toBe(false);
        expect(await b.inspect('retention')).toMatchObject({ holder: 'b', token: lease.token + 1 });
      });

      test('renew pushes expiry forward; an expired lease nobody took is still renewable', async () => {
        const a = new Leases(store, { holder: 'a', now });
        const b = new Leases(store, { holder: 'b', now });
        let lease = (await a.tryAcquire('replication', 1000))!;
        t += 900;
        lease = (await a.renew(lease))!;
        expect(lease.expiresAt).toBe(t + 1000);
        t += 999;
        expect(await b.tryAcquire('replication', 1000)).toBeUndefined();
        t += 5000; // expired, but nobody took it
        const renewed = await a.renew(lease);
        expect(renewed).toMatchObject({ token: lease.token, expiresAt: t + 1000 });
        expect(await b.tryAcquire('replication', 1000)).toBeUndefined();
      });

      test('10 holders racing for one lease: exactly one gets it', async () => {
        const holders = Array.from({ length: 10 }, (_, i) => new Leases(store, { holder: `h${i}`, now }));
        const results = await Promise.all(holders.map((h) => h.tryAcquire('race', 10_000)));
        const winners = results.filter((lease) => lease !== undefined);
        expect(winners).toHaveLength(1);
        expect(await holders[0]!.inspect('race')).toMatchObject({ holder: winners[0]!.holder, token: 1 });
      });

      test('runExclusive renews while fn runs, keeps others out, then releases', async () => {
        const timers = manualScheduler();
        const a = new Leases(store, { holder: 'a', now, schedule: timers.schedule });
        const b = new Leases(store, { holder: 'b', now });
        const { ran, finish, signal } = await holdLease(a, 'webhooks');
        for (let i = 0; i < 5; i++) {
          await expect.poll(() => timers.pending()).toBe(1); // the previous renewal has planned the next
          t += 1000; // a third of the ttl: the renewal timer is due
          timers.fire();
          await expect.poll(async () => (await a.inspect('webhooks'))?.expiresAt).toBe(t + 3000);
        }
        expect(await b.runExclusive('webhooks', 3000, async () => expect.fail('ran while held'))).toBe(false);
        finish();
        expect(await ran).toBe(true);
        expect(signal?.aborted).toBe(false);
        expect(timers.pending()).toBe(0);
        let ranB = false;
        expect(await b.runExclusive('webhooks', 3000, async () => void (ranB = true))).toBe(true);
        expect(ranB).toBe(true);
      });

      test('runExclusive aborts its signal when a renewal finds the lease taken over', async () => {
        const timers = manualScheduler();
        const a = new Leases(store, { holder: 'a', now, schedule: timers.schedule });
        const b = new Leases(store, { holder: 'b', now });
        const { ran, finish, signal } = await holdLease(a, 'gc');
        t += 3000; // a stalled holder: no renewal ran in time
        const taken = await b.tryAcquire('gc', 3000);
        expect(taken).toMatchObject({ holder: 'b', token: 2 });
        timers.fire();
        await expect.poll(() => signal?.aborted).toBe(true);
        finish();
        expect(await ran).toBe(true);
        expect(await b.inspect('gc')).toMatchObject({ holder: 'b', token: 2 }); // not released by a
      });

      test('a hostile lease name is INVALID_PATH and touches nothing', async () => {
        const a = new Leases(store, { holder: 'a', now });
        for (const name of ['../x', 'a/b', '', '.hidden', 'x'.repeat(200)]) await expect(a.tryAcquire(name, 1000)).rejects.toMatchObject({ code: 'INVALID_PATH' });
        const keys: string[] = [];
        for await (const info of listAll(store, '')) keys.push(info.key);
        expect(keys).toEqual([]);
      });
    });

    describe('durable queue', () => {
      test('enqueue is idempotent on id, while pending and after completion', async () => {
        const a = queueOf('a');
        expect((await a.enqueue({ n: 1 }, { id: 'evt-1' })).created).toBe(true);
        const again = await a.enqueue({ n: 2 }, { id: 'evt-1' });
        expect(again).toMatchObject({ created: false, item: { id: 'evt-1', payload: { n: 1 }, state: 'pending' } });
        const [item] = await a.claim(10, 5000);
        expect(await a.complete(item!, { status: 200 })).toBe(true);
        expect((await a.enqueue({ n: 3 }, { id: 'evt-1' })).created).toBe(false);
        expect(await a.claim(10, 5000)).toEqual([]);
        expect((await a.list()).items.map((i) => [i.id, i.state, i.outcome])).toEqual([['evt-1', 'done', { status: 200 }]]);
      });

      test('an item claimed by one process is invisible to another until the claim expires', async () => {
        const a = queueOf('a');
        const b = queueOf('b');
        for (let n = 0; n < 3; n++) await a.enqueue({ n });
        const claimedA = await a.claim(10, 5000);
        expect(claimedA.map((i) => i.payload.n)).toEqual([0, 1, 2]);
        expect(claimedA.every((i) => i.claim?.holder === 'a' && i.attempts === 1)).toBe(true);
        expect(await b.claim(10, 5000)).toEqual([]);
        t += 4999;
        expect(await b.claim(10, 5000)).toEqual([]);
        expect(await a.complete(claimedA[0]!)).toBe(true);
        t += 1;
        // a crashed after its first item: the other two come back to b
        const claimedB = await b.claim(10, 5000);
        expect(claimedB.map((i) => [i.payload.n, i.attempts, i.claim?.holder])).toEqual([[1, 2, 'b'], [2, 2, 'b']]);
        expect(await a.fail(claimedA[1]!, 'late')).toBe('lost'); // a's stale claim changes nothing
        expect(await b.complete(claimedB[0]!)).toBe(true);
        expect(await a.complete(claimedA[2]!)).toBe(true); // the work was done: first completer wins
        expect(await b.complete(claimedB[1]!)).toBe(false);
        expect((await a.list({ state: 'done' })).items.map((i) => i.payload.n)).toEqual([0, 1, 2]);
      });

      test('two processes claiming 30 items at once never claim the same item', async () => {
        const a = queueOf('a');
        const b = queueOf('b');
        for (let n = 0; n < 30; n++) await a.enqueue({ n });
        const [fromA, fromB] = await Promise.all([a.claim(30, 5000), b.claim(30, 5000)]);
        const ids = [...fromA, ...fromB].map((i) => i.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toHaveLength(30);
      });

      test('fail backs off exponentially with jitter, then dead-letters; redeliver sends it again', async () => {
        const a = queueOf('a', { maxAttempts: 3, backoff: { baseMs: 1000, maxMs: 60_000 } });
        await a.enqueue({ n: 7 }, { id: 'hook-1' });
        const waits: number[] = [];
        for (let attempt = 1; attempt <= 2; attempt++) {
          const [item] = await a.claim(1, 5000);
          expect(item).toMatchObject({ id: 'hook-1', attempts: attempt });
          expect(await a.fail(item!, `HTTP 500 #${attempt}`, { status: 500 })).toBe('retry');
          const waiting = (await a.get('hook-1'))!;
          expect(waiting).toMatchObject({ state: 'pending', lastError: `HTTP 500 #${attempt}`, outcome: { status: 500 } });
          waits.push(waiting.availableAt - t);
          t = waiting.availableAt - 1;
          expect(await a.claim(1, 5000)).toEqual([]);
          t += 1;
        }
        expect(waits).toEqual([750, 1500]); // base * 2^(n-1), jitter 0.5 into its upper half
        const [last] = await a.claim(1, 5000);
        expect(await a.fail(last!, 'HTTP 503')).toBe('dead');
        expect(await a.claim(1, 5000)).toEqual([]);
        expect((await a.list({ state: 'dead' })).items).toMatchObject([{ id: 'hook-1', attempts: 3, lastError: 'HTTP 503', state: 'dead' }]);
        expect((await a.list({ state: 'pending' })).items).toEqual([]);
        expect(await a.redeliver('hook-1')).toMatchObject({ id: 'hook-1', state: 'pending', attempts: 0 });
        expect((await a.list({ state: 'dead' })).items).toEqual([]);
        const [again] = await a.claim(1, 5000);
        expect(await a.complete(again!)).toBe(true);
        expect(await a.redeliver('missing')).toBeUndefined();
      });

      test('a claim that expires on the last attempt dead-letters the item (a worker that keeps crashing)', async () => {
        const a = queueOf('a', { maxAttempts: 2 });
        await a.enqueue({ n: 1 }, { id: 'poison' });
        await a.claim(1, 1000);
        t += 1000;
        await a.claim(1, 1000);
        t += 1000;
        expect(await a.claim(1, 1000)).toEqual([]);
        expect(await a.get('poison')).toMatchObject({ state: 'dead', attempts: 2 });
      });

      test('redeliver makes a backed-off item claimable at once', async () => {
        const a = queueOf('a');
        await a.enqueue({ n: 1 }, { id: 'slow' });
        const [item] = await a.claim(1, 1000);
        await a.fail(item!, 'timeout');
        expect(await a.claim(1, 1000)).toEqual([]);
        expect(await a.redeliver('slow')).toMatchObject({ state: 'pending', availableAt: t });
        expect(await a.claim(1, 1000)).toMatchObject([{ id: 'slow', attempts: 2 }]);
      });

      test('claimDue tells when the earliest item it could not claim becomes due', async () => {
        const a = queueOf('a', { backoff: { baseMs: 1000, maxMs: 60_000 } });
        expect(await a.claimDue(5, 1000)).toEqual({ items: [] });
        await a.enqueue({ n: 1 }, { id: 'x' });
        await a.enqueue({ n: 2 }, { id: 'y' });
        const first = await a.claimDue(1, 4000);
        expect(first.items.map((i) => i.id)).toEqual(['x']);
        await a.fail(first.items[0]!, 'HTTP 502'); // x waits 750 ms
        const second = await a.claimDue(5, 4000);
        expect(second).toMatchObject({ items: [{ id: 'y' }], nextAt: t + 750 });
        expect(await a.claimDue(5, 4000)).toEqual({ items: [], nextAt: t + 750 }); // y's claim ends later
      });

      test('claimById claims one claimable item without a scan, once', async () => {
        const a = queueOf('a');
        const b = queueOf('b');
        const { item } = await a.enqueue({ n: 1 });
        expect(await a.claimById(item.id, 1000)).toMatchObject({ id: item.id, state: 'claimed', attempts: 1 });
        expect(await b.claimById(item.id, 1000)).toBeUndefined();
        expect(await b.claimById('missing', 1000)).toBeUndefined();
        t += 1000;
        expect(await b.claimById(item.id, 1000)).toMatchObject({ claim: { holder: 'b' }, attempts: 2 });
      });

      test('listing pages through every item once, per state and all together', async () => {
        const a = queueOf('a');
        for (let n = 0; n < 25; n++) await a.enqueue({ n }, { id: `i${String(n).padStart(2, '0')}` });
        for (const item of await a.claim(5, 1000)) await a.complete(item);
        const seen = async (state?: 'pending' | 'done') => {
          const ids: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await a.list({ limit: 7, ...(state ? { state } : {}), ...(cursor ? { cursor } : {}) });
            ids.push(...page.items.map((i) => i.id));
            cursor = page.cursor;
          } while (cursor);
          return ids;
        };
        expect(await seen('done')).toHaveLength(5);
        expect(await seen('pending')).toHaveLength(20);
        const all = await seen();
        expect(new Set(all).size).toBe(25);
        await expect(a.list({ cursor: 'coordination/queues/other/x' })).rejects.toMatchObject({ code: 'INVALID_QUERY' });
      });

      test('listing active items gives pending and claimed ones in one pass, not done or dead ones', async () => {
        const a = queueOf('a');
        for (let n = 0; n < 6; n++) await a.enqueue({ n }, { id: `i${n}` });
        const [first, second] = await a.claim(2, 1000);
        await a.complete(first!);
        const active = await a.list({ active: true });
        expect(active.items.map((i) => [i.id, i.state]).sort()).toEqual([['i1', 'claimed'], ['i2', 'pending'], ['i3', 'pending'], ['i4', 'pending'], ['i5', 'pending']]);
        expect(second!.id).toBe('i1');
      });

      test('a claim whose holder stops renewing (a killed process) is claimable after its ttl', async () => {
        const a = queueOf('a');
        const b = queueOf('b');
        await a.enqueue({ n: 1 }, { id: 'job' });
        const [item] = await a.claim(1, 30_000);
        t += 30_000 - 1;
        expect(await b.claim(1, 30_000)).toEqual([]);
        t += 1;
        expect(await b.claim(1, 30_000)).toMatchObject([{ id: 'job', attempts: 2, claim: { holder: 'b' } }]);
        expect(await a.renew(item!, 30_000)).toBeUndefined(); // the old holder cannot take it back
      });

      test('a holder renewing by heartbeat keeps its claim past the ttl, then completes', async () => {
        const timers = manualScheduler();
        const a = queueOf('a');
        const b = queueOf('b');
        await a.enqueue({ n: 1 }, { id: 'long' });
        const [item] = await a.claim(1, 3000);
        let finish!: () => void;
        let seen: AbortSignal | undefined;
        const held = holdClaim(a, item!, 3000, async (signal) => {
          seen = signal;
          await new Promise<void>((resolve) => (finish = resolve));
          return 'worked';
        }, { schedule: timers.schedule });
        for (let i = 0; i < 5; i++) {
          await expect.poll(() => timers.pending()).toBe(1); // the previous beat has planned the next
          t += 1000; // a third of the ttl
          timers.fire();
          await expect.poll(async () => (await a.get('long'))?.claim?.expiresAt).toBe(t + 3000);
          expect(await b.claim(1, 3000)).toEqual([]);
        }
        finish();
        expect(await held).toBe('worked');
        expect(seen?.aborted).toBe(false);
        expect(timers.pending()).toBe(0); // no renewal after the work
        expect(await a.complete(item!)).toBe(true);
        expect(await a.get('long')).toMatchObject({ state: 'done', attempts: 1 });
      });

      test('a renewal that finds the item taken over aborts the worker, whose late fail changes nothing', async () => {
        const timers = manualScheduler();
        const a = queueOf('a');
        const b = queueOf('b');
        await a.enqueue({ n: 1 }, { id: 'stalled' });
        const [item] = await a.claim(1, 3000);
        let finish!: () => void;
        let signal: AbortSignal | undefined;
        const held = holdClaim(a, item!, 3000, async (s) => {
          signal = s;
          await new Promise<void>((resolve) => (finish = resolve));
        }, { schedule: timers.schedule });
        t += 3000; // a's process stalled: no beat ran in time
        const [taken] = await b.claim(1, 3000);
        expect(taken).toMatchObject({ id: 'stalled', claim: { holder: 'b' } });
        timers.fire();
        await expect.poll(() => signal?.aborted).toBe(true);
        expect(String((signal!.reason as Error).message)).toMatch(/lost to another worker/);
        finish();
        await held;
        expect(timers.pending()).toBe(0);
        expect(await a.fail(item!, 'late')).toBe('lost');
        expect(await a.release(item!)).toBe(false);
        expect(await a.get('stalled')).toMatchObject({ state: 'claimed', claim: { holder: 'b', token: taken!.claim!.token } });
      });

      test('release gives a claim back at shutdown: claimable at once, the attempt not counted', async () => {
        const a = queueOf('a');
        const b = queueOf('b');
        await a.enqueue({ n: 1 }, { id: 'mid-work' });
        const [item] = await a.claim(1, 60_000);
        expect(await a.release(item!)).toBe(true);
        expect(await a.get('mid-work')).toMatchObject({ state: 'pending', attempts: 0, availableAt: t });
        expect(await a.release(item!)).toBe(false); // released already
        expect(await a.renew(item!, 60_000)).toBeUndefined();
        expect(await b.claim(1, 60_000)).toMatchObject([{ id: 'mid-work', attempts: 1, claim: { holder: 'b' } }]);
      });

      test('prune removes done records older than the retention, nothing else', async () => {
        const a = queueOf('a');
        await a.enqueue({ n: 1 }, { id: 'old' });
        await a.enqueue({ n: 2 }, { id: 'open' });
        const [item] = await a.claim(1, 1000);
        await a.complete(item!);
        expect(await a.prune(60_000)).toBe(0); // the test clock is far before the store's write times
        t = Date.UTC(2100, 0, 1);
        expect(await a.prune(60_000)).toBe(1);
        expect(await a.get('old')).toBeUndefined();
        expect(await a.get('open')).toMatchObject({ state: 'pending' });
      });
    });
  });
}
