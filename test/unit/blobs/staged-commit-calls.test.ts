// The store calls a staged blob's commit makes: where a no-replace move is as cheap as a stat (fs,
// memory), a new blob is placed by the move alone; on S3 the stat comes first (the move copies).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import type { ObjectStore } from '../../../src/lib/storage/object-store.js';

function counted(kind: string): { store: ObjectStore; calls: string[] } {
  const inner = new MemoryStore();
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'kind') return kind;
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || !['stat', 'move', 'delete'].includes(String(property))) return value;
      return (...args: unknown[]) => { calls.push(String(property)); return (value as (...a: unknown[]) => unknown).apply(target, args); };
    },
  });
  return { store, calls };
}

const bytes = Buffer.from('small config');
const expected = { algorithm: 'sha256' as const, hex: createHash('sha256').update(bytes).digest('hex') };

test('a new blob is placed by the no-replace move alone; a present one is found by the stat after the refused move', async () => {
  const { store, calls } = counted('memory');
  const blobs = new BlobStore(store);
  expect(await blobs.write(Readable.from([bytes]), { expected })).toMatchObject({ created: true });
  expect(calls).toEqual(['move']);
  calls.length = 0;
  expect(await blobs.write(Readable.from([bytes]), { expected })).toMatchObject({ created: false, size: bytes.length });
  expect(calls).toEqual(['move', 'stat', 'delete']);
  expect((await store.list('tmp/')).items).toEqual([]);
});

test('on S3 the stat comes before the move, so a present blob is never copied', async () => {
  const { store, calls } = counted('s3');
  const blobs = new BlobStore(store);
  await blobs.write(Readable.from([bytes]), { expected });
  expect(calls).toEqual(['stat', 'move']);
  calls.length = 0;
  expect(await blobs.write(Readable.from([bytes]), { expected })).toMatchObject({ created: false });
  expect(calls).toEqual(['stat', 'delete']);
});
