// Filesystem-only guarantees the shared suite cannot see: what a crash leaves in <root>/.tmp is
// swept on open, a failed write leaves no temp file, and two processes on one directory (two
// FsStore instances here) serialise their compare-and-swap writes.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { failingStream, getText, increment } from '../../storage/suite-helpers.js';

const HOUR = 3600_000;

describe('FsStore crash safety', () => {
  let root: string;

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'nora-fs-crash-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const tempFiles = async () => (await fs.readdir(path.join(root, '.tmp'))).sort();

  it('open(ttl) removes temp files older than the ttl and keeps younger ones', async () => {
    await fs.mkdir(path.join(root, '.tmp'), { recursive: true });
    const old = path.join(root, '.tmp', 'left-by-a-crash');
    const young = path.join(root, '.tmp', 'write-in-progress');
    await fs.writeFile(old, 'partial');
    await fs.writeFile(young, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
    await fs.utimes(old, twoHoursAgo, twoHoursAgo);

    const store = await new FsStore({ root }).open(HOUR);
    expect(await tempFiles()).toEqual(['write-in-progress']);
    // Temp files are never objects.
    expect((await store.list('')).items).toEqual([]);
  });

  it('a put whose stream fails leaves no file in .tmp and no object', async () => {
    const store = await new FsStore({ root }).open();
    await expect(store.put('docs/x', failingStream(200 * 1024))).rejects.toThrow('client went away');
    await expect(store.put('docs/y', failingStream(10), { ifNoneMatch: '*' })).rejects.toThrow('client went away');
    expect(await tempFiles()).toEqual([]);
    expect(await store.stat('docs/x')).toBeUndefined();
    expect(await store.stat('docs/y')).toBeUndefined();
  });

  it('a conditional put that loses leaves no file in .tmp', async () => {
    const store = await new FsStore({ root }).open();
    await store.put('docs/z', Buffer.from('first'), { ifNoneMatch: '*' });
    await expect(store.put('docs/z', Buffer.from('second'), { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(await tempFiles()).toEqual([]);
    expect(await getText(store, 'docs/z')).toBe('first');
  });

  it('two stores on one root lose no update under 20 concurrent compare-and-swaps', async () => {
    const a = await new FsStore({ root }).open();
    const b = await new FsStore({ root }).open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? a : b, 'repos/counter')));
    expect(JSON.parse(await getText(a, 'repos/counter'))).toEqual({ n: 20 });
    expect(await tempFiles()).toEqual([]);
    expect(await fs.readdir(path.join(root, '.locks'))).toEqual([]);
  }, 60_000);
});
