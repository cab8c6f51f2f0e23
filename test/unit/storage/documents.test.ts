// Compare-and-swap documents: concurrent updaters lose no write, on memory and on fs.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DELETE, readDocument, updateDocument } from '../../../src/lib/storage/documents.js';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import type { ObjectStore } from '../../../src/lib/storage/object-store.js';

const dirs: string[] = [];
afterAll(async () => { await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))); });

describe.each([
  ['memory', async (): Promise<ObjectStore> => new MemoryStore()],
  ['fs', async (): Promise<ObjectStore> => { const d = await mkdtemp(path.join(os.tmpdir(), 'nora-docs-')); dirs.push(d); return new FsStore({ root: d }).open(); }],
])('updateDocument on %s', (_name, create) => {
  it('30 concurrent publishers each add their version; none is lost', async () => {
    const store = await create();
    await Promise.all(Array.from({ length: 30 }, (_, i) => updateDocument<{ versions: string[] }>(store, 'repos/demo/pkg/doc.json',
      (current) => ({ versions: [...(current?.versions ?? []), `1.0.${i}`] }))));
    const doc = await readDocument<{ versions: string[] }>(store, 'repos/demo/pkg/doc.json');
    expect(doc?.value.versions).toHaveLength(30);
    expect(new Set(doc?.value.versions).size).toBe(30);
  });

  it('undefined leaves the document untouched; DELETE removes it', async () => {
    const store = await create();
    await updateDocument(store, 'repos/demo/x.json', () => ({ n: 1 }));
    const before = await store.stat('repos/demo/x.json');
    expect(await updateDocument(store, 'repos/demo/x.json', () => undefined)).toEqual({ n: 1 });
    expect((await store.stat('repos/demo/x.json'))?.etag).toBe(before?.etag);
    expect(await updateDocument(store, 'repos/demo/x.json', () => DELETE)).toBeUndefined();
    expect(await readDocument(store, 'repos/demo/x.json')).toBeUndefined();
  });
});
