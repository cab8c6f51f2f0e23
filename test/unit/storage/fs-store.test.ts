// The storage contract against the filesystem adapter, in a fresh temp directory.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { runStorageSuite } from '../../storage/storage-suite.js';

runStorageSuite({
  name: 'fs',
  create: async () => new FsStore({ root: await fs.mkdtemp(path.join(os.tmpdir(), 'nora-fs-store-')) }).open(),
  teardown: async (store) => fs.rm((store as FsStore).root, { recursive: true, force: true }),
  skip: [
    {
      reason: 'on a filesystem a path is a file or a directory, so key "a/b" and key "a/b/c" cannot both exist',
      tests: ['a key may also be the prefix of other keys'],
    },
  ],
});
