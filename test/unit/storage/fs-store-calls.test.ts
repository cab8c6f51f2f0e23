// What the filesystem adapter spends on the small writes of an upload session: a put that need
// not be durable is not fsynced; a create-if-absent is one link(2), without a lock file; a delete
// of a key never written conditionally takes no lock file. The default put and delete still do.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';

let store: FsStore;
let opened: string[];
let syncs: number;

beforeEach(async () => {
  store = await new FsStore({ root: await fs.mkdtemp(path.join(os.tmpdir(), 'nora-fs-calls-')) }).open();
  const probe = await fs.open(path.join(store.root, 'probe'), 'w');
  const handleProto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  opened = [];
  syncs = 0;
  const open = fs.open.bind(fs);
  vi.spyOn(fs, 'open').mockImplementation(((file: string, ...rest: unknown[]) => {
    opened.push(String(file));
    return (open as (...a: unknown[]) => Promise<unknown>)(file, ...rest);
  }) as typeof fs.open);
  const sync = handleProto.sync;
  vi.spyOn(handleProto, 'sync').mockImplementation(function (this: unknown) {
    syncs++;
    return sync.call(this);
  });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await fs.rm(store.root, { recursive: true, force: true });
});

const lockFiles = () => opened.filter((file) => file.includes(`${path.sep}.locks${path.sep}`));

test('a put is fsynced once unless it need not be durable', async () => {
  await store.put('docs/durable', Buffer.from('kept'));
  expect(syncs).toBe(1);
  await store.put('docs/volatile', Buffer.from('may go'), { durable: false });
  expect(syncs).toBe(1);
  expect((await store.stat('docs/volatile'))?.size).toBe(6);
});

test('a create-if-absent takes no lock file and still refuses a present key', async () => {
  await store.put('docs/new', Buffer.from('first'), { ifNoneMatch: '*' });
  const error = await store.put('docs/new', Buffer.from('second'), { ifNoneMatch: '*' }).catch((e: unknown) => e);
  expect((error as { code?: string }).code).toBe('PRECONDITION_FAILED');
  expect(lockFiles()).toEqual([]);
  expect((await fs.readFile(path.join(store.root, 'docs', 'new'))).toString()).toBe('first');
  expect(await fs.readdir(path.join(store.root, '.tmp'))).toEqual([]);
});

test('a compare-and-swap and a plain delete take the lock; a delete of an unconditional key does not', async () => {
  const first = await store.put('docs/cas', Buffer.from('one'));
  await store.put('docs/cas', Buffer.from('two'), { ifMatch: first.etag });
  expect(lockFiles()).toHaveLength(1);
  expect(await store.delete('docs/cas')).toBe(true);
  expect(lockFiles()).toHaveLength(2);
  await store.put('docs/chunk', Buffer.from('bytes'));
  expect(await store.delete('docs/chunk', { unconditionalKey: true })).toBe(true);
  expect(await store.delete('docs/chunk', { unconditionalKey: true })).toBe(false);
  expect(lockFiles()).toHaveLength(2);
});
