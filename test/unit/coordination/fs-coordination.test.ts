// Leases and the durable queue on the filesystem store, in a fresh temp directory.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { runCoordinationSuite } from '../../storage/coordination-suite.js';

runCoordinationSuite({
  name: 'fs',
  create: async () => new FsStore({ root: await fs.mkdtemp(path.join(os.tmpdir(), 'nora-coord-')) }).open(),
  teardown: async (store) => fs.rm((store as FsStore).root, { recursive: true, force: true }),
});
