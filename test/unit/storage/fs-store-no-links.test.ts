// The storage contract against the filesystem adapter on a filesystem without hard links (FAT,
// some network and FUSE mounts answer link(2) with EPERM): no-replace moves fall back to the
// key's lock and still let exactly one creator win.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { runStorageSuite } from '../../storage/storage-suite.js';

let refusedLinks = 0;
beforeAll(() => {
  vi.spyOn(fs, 'link').mockImplementation(async () => {
    refusedLinks++;
    throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
  });
});
afterAll(() => {
  vi.restoreAllMocks();
  expect(refusedLinks, 'the suite took the fallback').toBeGreaterThan(0);
});

runStorageSuite({
  name: 'fs without hard links',
  create: async () => new FsStore({ root: await fs.mkdtemp(path.join(os.tmpdir(), 'nora-fs-nolink-')) }).open(),
  teardown: async (store) => fs.rm((store as FsStore).root, { recursive: true, force: true }),
  skip: [
    {
      reason: 'on a filesystem a path is a file or a directory, so key "a/b" and key "a/b/c" cannot both exist',
      tests: ['a key may also be the prefix of other keys'],
    },
  ],
});
