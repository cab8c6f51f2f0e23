// Regression: puts racing with moves/deletes that prune the same parent directory must not fail
// (recursive mkdir can report ENOENT when a sibling's prune removes the parent mid-way).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';

test('concurrent put/move/delete in one directory never fail', async () => {
  const root = await mkdtemp(path.join(os.tmpdir(), 'nora-fs-race-'));
  try {
    const store = await new FsStore({ root }).open();
    await Promise.all(Array.from({ length: 8 }, async (_v, worker) => {
      for (let i = 0; i < 100; i++) {
        const key = `tmp/w${worker}-${i}`;
        await store.put(key, Buffer.from('x'));
        await store.move(key, `dest/w${worker}/${i}`);
        await store.delete(`dest/w${worker}/${i}`);
      }
    }));
    expect((await store.list('')).items).toEqual([]);
  } finally {
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  }
}, 60_000);
