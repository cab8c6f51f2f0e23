// The store's format marker: created, opened, adopted, upgraded or refused, as store-marker.ts's
// table says; and openStore's modes on a real directory (nothing created where no store is).
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { MARKER_KEY, openMarker, readMarker, STORE_LAYOUT_VERSION, type OpenMarkerOptions } from '../../../src/lib/storage/store-marker.js';
import { openStore, sameStore } from '../../../src/lib/storage/open-store.js';
import { collect } from '../../../src/lib/storage/body.js';
import { loadConfig } from '../../../src/lib/config/index.js';

const NOW = new Date('2026-12-06T12:00:00Z');
const options = (extra: Partial<OpenMarkerOptions> = {}): OpenMarkerOptions => ({ create: false, location: '/srv/nora', version: '9.9.9', now: () => NOW, ...extra });
const putMarker = (store: MemoryStore, value: unknown) => store.put(MARKER_KEY, Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));
const marker = (layout: number) => ({ format: 'nora-store', layout_version: layout, created: '2026-01-01T00:00:00.000Z', written_by: '0.1.0' });

describe('openMarker', () => {
  it('creates a marker in an empty store only when asked to create', async () => {
    const store = new MemoryStore();
    await expect(openMarker(store, options())).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', message: 'no NORA store at /srv/nora' });
    expect(await store.stat(MARKER_KEY)).toBeUndefined();
    expect(await openMarker(store, options({ create: true }))).toBe('created');
    expect(await readMarker(store, 'x')).toEqual({ format: 'nora-store', layout_version: STORE_LAYOUT_VERSION, created: NOW.toISOString(), written_by: '9.9.9' });
    expect(await openMarker(store, options())).toBe('opened');
  });

  it('adopts a store written before the marker existed (blobs or metadata, no marker) as layout 1', async () => {
    for (const key of ['blobs/sha256/ab/abcd', 'repos/npm/left-pad/package.json']) {
      const store = new MemoryStore();
      await store.put(key, Buffer.from('x'));
      expect(await openMarker(store, options())).toBe('adopted');
      expect((await readMarker(store, 'x'))?.layout_version).toBe(1);
      expect(await openMarker(store, options())).toBe('opened');
    }
  });

  it('does not count other objects (a stray file, temp writes) as a store', async () => {
    const store = new MemoryStore();
    await store.put('tmp/123', Buffer.from('x'));
    await store.put('notes.txt', Buffer.from('x'));
    await expect(openMarker(store, options())).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });

  it('refuses a layout newer than this NORA knows, naming both versions', async () => {
    const store = new MemoryStore();
    await putMarker(store, { ...marker(STORE_LAYOUT_VERSION + 1), written_by: '7.0.0' });
    const error = await openMarker(store, options({ create: true })).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(error).toMatchObject({ code: 'STORE_LAYOUT_UNSUPPORTED' });
    expect(error?.message).toContain(`layout version ${STORE_LAYOUT_VERSION + 1}, written by a newer NORA (7.0.0)`);
    expect(error?.message).toContain(`this NORA reads layout ${STORE_LAYOUT_VERSION}`);
  });

  it('refuses an older layout it has no upgrade for, and upgrades one it has, step by step', async () => {
    const old = new MemoryStore();
    await putMarker(old, marker(0));
    await expect(openMarker(old, options())).rejects.toMatchObject({ code: 'STORE_LAYOUT_UNSUPPORTED', message: expect.stringContaining('cannot upgrade') as unknown });

    const steps: number[] = [];
    const store = new MemoryStore();
    await putMarker(store, marker(1));
    const upgrades = { 1: async () => { steps.push(1); }, 2: async () => { steps.push(2); } };
    expect(await openMarker(store, options({ current: 3, upgrades }))).toBe('upgraded');
    expect(steps).toEqual([1, 2]);
    expect((await readMarker(store, 'x'))?.layout_version).toBe(3);
    expect(await openMarker(store, options({ current: 3, upgrades }))).toBe('opened');
    expect(steps).toEqual([1, 2]);
  });

  it('refuses a marker file that is not NORA\'s', async () => {
    for (const body of ['not json', JSON.stringify({ format: 'other', layout_version: 1 }), JSON.stringify({ format: 'nora-store', layout_version: 'one' })]) {
      const store = new MemoryStore();
      await putMarker(store, body);
      await expect(openMarker(store, options({ create: true }))).rejects.toMatchObject({ code: 'STORE_LAYOUT_UNSUPPORTED' });
    }
  });

  it('two processes creating one store agree on one marker', async () => {
    const store = new MemoryStore();
    const outcomes = await Promise.all([openMarker(store, options({ create: true, version: 'a' })), openMarker(store, options({ create: true, version: 'b' }))]);
    expect(outcomes).toEqual(['created', 'created']);
    expect(JSON.parse((await collect((await store.get(MARKER_KEY)).body)).toString()).written_by).toMatch(/^[ab]$/);
  });
});

describe('openStore on a directory', () => {
  const dirs: string[] = [];
  afterEach(async () => { for (const dir of dirs.splice(0)) await fs.rm(dir, { recursive: true, force: true }); });
  const tempDir = async () => { const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'nora-marker-')); dirs.push(dir); return dir; };
  const storage = (dataDir: string) => loadConfig({ env: {}, flags: { 'storage.data_dir': dataDir } }).config.storage;

  it('existing mode creates nothing where there is no store; create mode makes the directory and its marker', async () => {
    const dir = path.join(await tempDir(), 'a', 'b');
    await expect(openStore(storage(dir), { mode: 'existing' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND', message: `no NORA store at ${dir}` });
    expect(existsSync(path.join(dir, '..'))).toBe(false);
    const empty = await tempDir();
    await expect(openStore(storage(empty), { mode: 'existing' })).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    expect(await fs.readdir(empty)).toEqual([]);

    const created = await openStore(storage(dir), { mode: 'create', probeWrites: true });
    await created.close();
    expect(JSON.parse(await fs.readFile(path.join(dir, MARKER_KEY), 'utf8'))).toMatchObject({ format: 'nora-store', layout_version: STORE_LAYOUT_VERSION });
    await (await openStore(storage(dir), { mode: 'existing' })).close();
  });

  it('inspect mode (dry runs) writes nothing, not even a marker', async () => {
    const dir = path.join(await tempDir(), 'target');
    const store = await openStore(storage(dir), { mode: 'inspect' });
    expect((await store.list('', {})).items).toEqual([]);
    await store.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('an unusable path fails at once with STORE_UNUSABLE (a file, a parent that refuses new directories)', async () => {
    const file = path.join(await tempDir(), 'file');
    await fs.writeFile(file, 'x');
    await expect(openStore(storage(file), { mode: 'create' })).rejects.toMatchObject({ code: 'STORE_UNUSABLE', message: expect.stringContaining('not a directory') as unknown });
    await expect(openStore(storage(path.join(file, 'below')), { mode: 'create' })).rejects.toMatchObject({ code: 'STORE_UNUSABLE' });
    // Node's recursive mkdir loops forever here; the store must answer.
    await expect(openStore(storage('/proc/nora-test/data'), { mode: 'create' })).rejects.toMatchObject({ code: 'STORE_UNUSABLE' });
  });

  it('sameStore: one directory however it is spelled; one bucket and prefix', async () => {
    const dir = await tempDir();
    expect(sameStore(storage(dir), storage(`${dir}/./`))).toBe(true);
    expect(sameStore(storage(dir), storage(`${dir}-other`))).toBe(false);
    const s3 = (prefix: string, bucket = 'b') => loadConfig({ env: {}, flags: { 'storage.backend': 's3', 'storage.s3.bucket': bucket, 'storage.s3.prefix': prefix } }).config.storage;
    expect(sameStore(s3('nora/'), s3('nora'))).toBe(true);
    expect(sameStore(s3('nora'), s3('other'))).toBe(false);
    expect(sameStore(s3('nora'), s3('nora', 'c'))).toBe(false);
  });
});
