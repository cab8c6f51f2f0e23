// The one contract suite of the storage port, run against every adapter (memory, fs, S3 on a
// local S3-compatible server). An adapter that cannot honour a case lists it in `skip` with the
// reason; every other case passes with the same assertions everywhere. Each case removes what it
// wrote: after each one the store's root must list empty.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listAll, type ObjectStore } from '../../src/lib/storage/object-store.js';
import { listCases } from './list-cases.js';
import { bigStream, codeOf, failingStream, getText, increment, outcomeOf, readAll, sha256Of, streamOf, type SuiteTest } from './suite-helpers.js';

export interface StorageSuiteOptions {
  name: string;
  /** Called once for the suite; the store is closed, then `teardown` runs, after the last case. */
  create: () => Promise<ObjectStore>;
  teardown?: (store: ObjectStore) => Promise<void>;
  skip?: Array<{ reason: string; tests: string[] }>;
}

const MiB = 1024 * 1024;
const INVALID_KEYS = ['../x', 'a/../b', '/abs', 'a//b', 'a\\b', 'a\u0000b', '.hidden', '', 'k'.repeat(2000)];

export function runStorageSuite(options: StorageSuiteOptions): void {
  describe(`storage contract: ${options.name}`, () => {
    let store: ObjectStore;
    let created = false;
    const reasons = new Map(options.skip?.flatMap((group) => group.tests.map((test) => [test, group.reason] as const)));
    const declared = new Set<string>();
    const test: SuiteTest = (name, body, timeout) => {
      declared.add(name);
      const reason = reasons.get(name);
      if (reason !== undefined) it.skip(`${name} [skipped: ${reason}]`, body);
      else it(name, body, timeout);
    };
    const put = (key: string, text: string) => store.put(key, Buffer.from(text));

    beforeAll(async () => {
      store = await options.create();
      created = true;
    });
    afterAll(async () => {
      if (!created) return; // create() failed, and said why
      await store.close();
      await options.teardown?.(store);
    });
    afterEach(async () => {
      if (!created) return;
      const left: string[] = [];
      for await (const info of listAll(store, '')) left.push(info.key);
      await Promise.all(left.map((key) => store.delete(key)));
      expect(left, 'objects left behind by the test').toEqual([]);
    });

    describe('objects', () => {
      test('round-trips a Buffer body with its stat', async () => {
        const written = await store.put('obj/buffer', Buffer.from('hello world'));
        expect(written).toMatchObject({ key: 'obj/buffer', size: 11 });
        const info = await store.stat('obj/buffer');
        expect(info).toMatchObject({ key: 'obj/buffer', size: 11, etag: written.etag });
        expect(info?.modified).toBeInstanceOf(Date);
        const { info: got, body } = await store.get('obj/buffer');
        expect(got).toMatchObject({ key: 'obj/buffer', size: 11, etag: written.etag });
        expect((await readAll(body)).toString()).toBe('hello world');
        expect(await store.delete('obj/buffer')).toBe(true);
      });
      test('stat, get and list report one modified time for an object', async () => {
        await store.put('obj/when', Buffer.from('now'));
        const stat = await store.stat('obj/when');
        const { info: got, body } = await store.get('obj/when');
        await readAll(body);
        const listed = (await store.list('obj/')).items.find((i) => i.key === 'obj/when');
        expect(got.modified.toISOString()).toBe(stat!.modified.toISOString());
        expect(listed?.modified.toISOString()).toBe(stat!.modified.toISOString());
        await store.delete('obj/when');
      });
      test('round-trips a stream body of unknown length', async () => {
        const written = await store.put('obj/stream', streamOf('hello ', 'stream'));
        expect(written).toMatchObject({ key: 'obj/stream', size: 12 });
        expect(await getText(store, 'obj/stream')).toBe('hello stream');
        await store.delete('obj/stream');
      });
      test('round-trips a stream body of known size', async () => {
        const written = await store.put('obj/sized', streamOf('abc', 'def'), { size: 6 });
        expect(written).toMatchObject({ key: 'obj/sized', size: 6 });
        expect(await store.stat('obj/sized')).toMatchObject({ size: 6, etag: written.etag });
        expect(await getText(store, 'obj/sized')).toBe('abcdef');
        await store.delete('obj/sized');
      });
      test('concurrent puts each return the info of their own write', async () => {
        const written = await Promise.all(Array.from({ length: 10 }, (_, i) => store.put('obj/race', Buffer.alloc(i + 1, 97))));
        written.forEach((info, i) => expect(info.size).toBe(i + 1));
        const final = await store.stat('obj/race');
        expect(written.find((info) => info.etag === final?.etag)?.size).toBe(final?.size);
        await store.delete('obj/race');
      });
      test('stores an empty object', async () => {
        await store.put('obj/empty', Buffer.alloc(0));
        expect(await store.stat('obj/empty')).toMatchObject({ size: 0 });
        const { info, body } = await store.get('obj/empty');
        expect(info.size).toBe(0);
        expect((await readAll(body)).length).toBe(0);
        await store.delete('obj/empty');
      });
      test('get of a missing key is NOT_FOUND and stat is undefined', async () => {
        expect(await codeOf(store.get('obj/missing'))).toBe('NOT_FOUND');
        expect(await store.stat('obj/missing')).toBeUndefined();
      });
      test('delete returns true once, then false', async () => {
        await put('obj/delete', 'x');
        expect(await store.delete('obj/delete')).toBe(true);
        expect(await store.delete('obj/delete')).toBe(false);
        expect(await store.stat('obj/delete')).toBeUndefined();
      });
      test('a put that need not be durable and a delete of an unconditional key behave like any put and delete', async () => {
        const info = await store.put('obj/volatile', Buffer.from('session state'), { durable: false });
        expect(await store.stat('obj/volatile')).toMatchObject({ size: 13, etag: info.etag });
        expect(await getText(store, 'obj/volatile')).toBe('session state');
        expect(await store.delete('obj/volatile', { unconditionalKey: true })).toBe(true);
        expect(await store.delete('obj/volatile', { unconditionalKey: true })).toBe(false);
        expect(await store.stat('obj/volatile')).toBeUndefined();
      });
      test('overwrite replaces the bytes and changes the etag', async () => {
        const first = await put('obj/over', 'version one');
        const second = await put('obj/over', 'version two!');
        expect(second.etag).not.toBe(first.etag);
        expect(await store.stat('obj/over')).toMatchObject({ size: 12, etag: second.etag });
        expect(await getText(store, 'obj/over')).toBe('version two!');
        await store.delete('obj/over');
      });
    });

    describe('ranges', () => {
      const ranged = async (start: number, end?: number) => {
        const { info, body } = await store.get('range/r', end === undefined ? { start } : { start, end });
        return { size: info.size, text: (await readAll(body)).toString() };
      };
      test('reads the first byte, a middle slice, an open end and a clamped end', async () => {
        await put('range/r', '0123456789');
        expect(await ranged(0, 0)).toEqual({ size: 10, text: '0' });
        expect(await ranged(3, 6)).toEqual({ size: 10, text: '3456' });
        expect(await ranged(7)).toEqual({ size: 10, text: '789' });
        expect(await ranged(8, 100)).toEqual({ size: 10, text: '89' });
        expect(await ranged(9, 9)).toEqual({ size: 10, text: '9' });
        await store.delete('range/r');
      });
      test('a range starting at or past the end is RANGE_NOT_SATISFIABLE', async () => {
        await put('range/r', '0123456789');
        await put('range/empty', '');
        expect(await codeOf(store.get('range/r', { start: 10 }))).toBe('RANGE_NOT_SATISFIABLE');
        expect(await codeOf(store.get('range/r', { start: 50, end: 60 }))).toBe('RANGE_NOT_SATISFIABLE');
        expect(await codeOf(store.get('range/empty', { start: 0 }))).toBe('RANGE_NOT_SATISFIABLE');
        expect(await codeOf(store.get('range/missing', { start: 0 }))).toBe('NOT_FOUND');
        await store.delete('range/r');
        await store.delete('range/empty');
      });
    });

    describe('conditional puts', () => {
      test('ifNoneMatch * creates only once', async () => {
        await store.put('cas/create', Buffer.from('first'), { ifNoneMatch: '*' });
        expect(await codeOf(store.put('cas/create', Buffer.from('second'), { ifNoneMatch: '*' }))).toBe('PRECONDITION_FAILED');
        expect(await getText(store, 'cas/create')).toBe('first');
        await store.delete('cas/create');
      });
      test('10 concurrent ifNoneMatch * creators of one key: exactly one wins and its bytes stay', async () => {
        const outcomes = await Promise.all(Array.from({ length: 10 }, (_v, i) =>
          store.put('cas/race', Buffer.from(`writer ${i}`), { ifNoneMatch: '*', durable: false }).then(() => i, (e: unknown) => (e as { code?: string }).code)));
        const winners = outcomes.filter((o) => typeof o === 'number');
        expect(winners).toHaveLength(1);
        expect(outcomes.filter((o) => o === 'PRECONDITION_FAILED')).toHaveLength(9);
        expect(await getText(store, 'cas/race')).toBe(`writer ${winners[0]}`);
        await store.delete('cas/race');
      });
      test('ifMatch with the current etag replaces', async () => {
        const first = await put('cas/match', 'one');
        const second = await store.put('cas/match', Buffer.from('two'), { ifMatch: first.etag });
        expect(await store.stat('cas/match')).toMatchObject({ etag: second.etag });
        expect(await getText(store, 'cas/match')).toBe('two');
        await store.delete('cas/match');
      });
      test('ifMatch with a stale etag is PRECONDITION_FAILED', async () => {
        const first = await put('cas/stale', 'one');
        await put('cas/stale', 'two!');
        expect(await codeOf(store.put('cas/stale', Buffer.from('three'), { ifMatch: first.etag }))).toBe('PRECONDITION_FAILED');
        expect(await codeOf(store.put('cas/absent', Buffer.from('x'), { ifMatch: first.etag }))).toBe('PRECONDITION_FAILED');
        expect(await getText(store, 'cas/stale')).toBe('two!');
        expect(await store.stat('cas/absent')).toBeUndefined();
        await store.delete('cas/stale');
      });
      test('20 concurrent compare-and-swap increments lose no update', async () => {
        await Promise.all(Array.from({ length: 20 }, () => increment(store, 'cas/counter')));
        expect(JSON.parse(await getText(store, 'cas/counter'))).toEqual({ n: 20 });
        await store.delete('cas/counter');
      }, 60_000);
    });

    describe('move', () => {
      test('move leaves the source gone and the bytes at the destination', async () => {
        await put('move/from', 'moving bytes');
        await store.move('move/from', 'move/elsewhere/to');
        expect(await store.stat('move/from')).toBeUndefined();
        expect(await getText(store, 'move/elsewhere/to')).toBe('moving bytes');
        await store.delete('move/elsewhere/to');
      });
      test('move replaces an existing destination', async () => {
        await put('move/a', 'new');
        await put('move/b', 'old contents');
        await store.move('move/a', 'move/b');
        expect(await store.stat('move/b')).toMatchObject({ size: 3 });
        expect(await getText(store, 'move/b')).toBe('new');
        expect(await store.stat('move/a')).toBeUndefined();
        await store.delete('move/b');
      });
      test('move of a missing key is NOT_FOUND', async () => {
        expect(await codeOf(store.move('move/missing', 'move/target'))).toBe('NOT_FOUND');
        expect(await codeOf(store.move('move/missing', 'move/target', { ifNoneMatch: '*' }))).toBe('NOT_FOUND');
        expect(await store.stat('move/target')).toBeUndefined();
      });
      test('move with ifNoneMatch * creates a missing destination', async () => {
        await put('move/new', 'created once');
        await store.move('move/new', 'move/deep/created', { ifNoneMatch: '*' });
        expect(await store.stat('move/new')).toBeUndefined();
        expect(await getText(store, 'move/deep/created')).toBe('created once');
        await store.delete('move/deep/created');
      });
      test('move with ifNoneMatch * refuses an existing destination and leaves both objects', async () => {
        await put('move/late', 'second writer');
        await put('move/taken', 'first writer');
        expect(await codeOf(store.move('move/late', 'move/taken', { ifNoneMatch: '*' }))).toBe('PRECONDITION_FAILED');
        expect(await getText(store, 'move/taken')).toBe('first writer');
        expect(await getText(store, 'move/late')).toBe('second writer');
        await store.delete('move/late');
        await store.delete('move/taken');
      });
      test('10 concurrent no-replace moves onto one key: exactly one creates it', async () => {
        const sources = Array.from({ length: 10 }, (_, i) => `move/racer-${i}`);
        await Promise.all(sources.map((key, i) => put(key, `racer ${i}`)));
        const outcomes = await Promise.all(sources.map((key) => outcomeOf(store.move(key, 'move/prize', { ifNoneMatch: '*' }))));
        const winners = sources.filter((_key, i) => outcomes[i] === 'ok');
        expect(winners).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome !== 'ok')).toEqual(Array(9).fill('PRECONDITION_FAILED'));
        expect(await getText(store, 'move/prize')).toBe(`racer ${sources.indexOf(winners[0]!)}`);
        for (const key of sources) expect(await store.stat(key) === undefined, key).toBe(key === winners[0]);
        await Promise.all([...sources, 'move/prize'].map((key) => store.delete(key)));
      });
    });

    // Optional (fs and memory have them): scratch objects written in place, then cut and synced.
    describe('writeAt and truncate', () => {
      test('writeAt writes at offsets, keeps earlier bytes, and truncate cuts what lies past the size', async () => {
        if (!store.writeAt || !store.truncate) return;
        const big = bigStream(2 * MiB + 5);
        expect(await store.writeAt('scratch/data', 0, big.body)).toBe(2 * MiB + 5);
        expect(await store.writeAt('scratch/data', 2 * MiB + 5, streamOf('tail', ' bytes'))).toBe(10);
        // A rewrite from an offset inside the object overwrites from there and keeps the rest.
        expect(await store.writeAt('scratch/data', 2 * MiB + 5, streamOf('TAIL'))).toBe(4);
        expect((await store.stat('scratch/data'))?.size).toBe(2 * MiB + 15);
        const cut = await store.truncate('scratch/data', 2 * MiB + 9);
        expect(cut.size).toBe(2 * MiB + 9);
        const bytes = await readAll((await store.get('scratch/data')).body);
        expect(bytes.subarray(2 * MiB + 5).toString()).toBe('TAIL');
        expect((await sha256Of((await store.get('scratch/data', { start: 0, end: 2 * MiB + 4 })).body)).hex).toBe(big.digest());
        expect(await store.stat('scratch/data')).toMatchObject({ size: cut.size, etag: cut.etag });
        await store.delete('scratch/data');
      });
      test('a failed writeAt is rethrown and the bytes before its offset stay', async () => {
        if (!store.writeAt || !store.truncate) return;
        await store.writeAt('scratch/failing', 0, streamOf('kept'));
        await expect(store.writeAt('scratch/failing', 4, failingStream(3 * 64 * 1024))).rejects.toThrow('client went away');
        await store.writeAt('scratch/failing', 4, streamOf('!'));
        await store.truncate('scratch/failing', 5);
        expect(await getText(store, 'scratch/failing')).toBe('kept!');
        await store.delete('scratch/failing');
      });
      test('truncate of a missing object is NOT_FOUND, and past its end refuses', async () => {
        if (!store.writeAt || !store.truncate) return;
        expect(await codeOf(store.truncate('scratch/missing', 0))).toBe('NOT_FOUND');
        await store.writeAt('scratch/short', 0, streamOf('abc'));
        await expect(store.truncate('scratch/short', 4)).rejects.toThrow('fewer than the 4 to keep');
        expect(await getText(store, 'scratch/short')).toBe('abc');
        await store.delete('scratch/short');
      });
    });

    listCases({ test, store: () => store });

    describe('keys and failures', () => {
      test('rejects invalid keys with INVALID_PATH', async () => {
        for (const key of INVALID_KEYS) {
          expect(await codeOf(store.put(key, Buffer.from('x'))), key).toBe('INVALID_PATH');
          expect(await codeOf(store.get(key)), key).toBe('INVALID_PATH');
          expect(await codeOf(store.stat(key)), key).toBe('INVALID_PATH');
          expect(await codeOf(store.delete(key)), key).toBe('INVALID_PATH');
          expect(await codeOf(store.move('valid/key', key)), key).toBe('INVALID_PATH');
          expect(await codeOf(store.move(key, 'valid/key')), key).toBe('INVALID_PATH');
          if (key !== '') expect(await codeOf(store.list(key)), key).toBe('INVALID_PATH');
        }
      });
      test('a stream of unknown length failing midway leaves nothing', async () => {
        await expect(store.put('fail/unknown', failingStream(256 * 1024))).rejects.toThrow('client went away');
        expect(await store.stat('fail/unknown')).toBeUndefined();
      });
      test('a stream of known size failing midway leaves nothing', async () => {
        await expect(store.put('fail/sized', failingStream(256 * 1024), { size: MiB })).rejects.toThrow('client went away');
        expect(await store.stat('fail/sized')).toBeUndefined();
      });
      test('a failing stream does not replace the existing object', async () => {
        await put('fail/keep', 'still here');
        await expect(store.put('fail/keep', failingStream(1024))).rejects.toThrow('client went away');
        expect(await getText(store, 'fail/keep')).toBe('still here');
        await store.delete('fail/keep');
      });
      test('20 MiB of unknown length round-trip byte for byte', async () => {
        const source = bigStream(20 * MiB);
        const written = await store.put('big/blob', source.body);
        expect(written.size).toBe(20 * MiB);
        const { info, body } = await store.get('big/blob');
        expect(info.size).toBe(20 * MiB);
        expect(await sha256Of(body)).toEqual({ hex: source.digest(), size: 20 * MiB });
        await store.delete('big/blob');
      }, 120_000);
      test('check() resolves', async () => {
        await store.check();
      });
    });

    it('skips only cases this suite has', () => {
      expect([...reasons.keys()].filter((name) => !declared.has(name))).toEqual([]);
    });
  });
}
