// Which directories the filesystem adapter removes when they empty: those below the root's own
// children (a key's private folders), never the children themselves (tmp/, blobs/, repos/), which
// the next write would only have to create again.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';

let root: string;
let store: FsStore;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'nora-fs-prune-'));
  store = await new FsStore({ root }).open();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true, maxRetries: 3 });
});

const isDir = async (dir: string) => (await stat(path.join(root, dir)).catch(() => undefined))?.isDirectory() ?? false;

test('a move out of tmp/ keeps tmp/ and a later put into a missing folder creates it', async () => {
  await store.put('tmp/one', Buffer.from('1'));
  await store.move('tmp/one', 'blobs/aa/one');
  expect(await isDir('tmp')).toBe(true);
  await store.put('tmp/two', Buffer.from('2'));
  await store.put('repos/x/_uploads/id/state', Buffer.from('{}'), { ifNoneMatch: '*' });
  expect((await store.get('tmp/two')).info.size).toBe(1);
  expect((await store.stat('repos/x/_uploads/id/state'))?.size).toBe(2);
});

test('a delete prunes the folders it emptied up to, not including, a child of the root', async () => {
  await store.put('repos/oci/a/_uploads/id/state', Buffer.from('{}'));
  await store.put('repos/oci/b/_tags/latest', Buffer.from('{}'));
  expect(await store.delete('repos/oci/a/_uploads/id/state')).toBe(true);
  expect(await isDir('repos/oci/a')).toBe(false);
  expect(await isDir('repos/oci/b/_tags')).toBe(true);
  expect(await store.delete('repos/oci/b/_tags/latest')).toBe(true);
  expect(await isDir('repos/oci')).toBe(false);
  expect(await isDir('repos')).toBe(true);
  expect(await store.list('', { delimiter: '/' })).toMatchObject({ items: [] });
  expect((await store.list('repos/', { delimiter: '/' })).prefixes).toEqual([]);
});

test('keepFolder stops the prune at the folders it names, and only there', async () => {
  const kept = await new FsStore({ root, keepFolder: (folder) => folder.endsWith('/_uploads/') }).open();
  await kept.put('repos/oci/a/_uploads/id/state', Buffer.from('{}'));
  await kept.put('tmp/blob', Buffer.from('x'));
  await kept.move('tmp/blob', 'repos/oci/a/_uploads/id2/chunk');
  expect(await kept.delete('repos/oci/a/_uploads/id/state')).toBe(true);
  expect(await kept.delete('repos/oci/a/_uploads/id2/chunk')).toBe(true);
  expect(await isDir('repos/oci/a/_uploads/id')).toBe(false);
  expect(await isDir('repos/oci/a/_uploads/id2')).toBe(false);
  expect(await isDir('repos/oci/a/_uploads')).toBe(true);
  expect((await kept.list('repos/')).items).toEqual([]);
});
