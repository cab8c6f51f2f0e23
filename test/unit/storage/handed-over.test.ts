// Chunks handed over to the fs store's writer (lib/streams/handed-over.ts) are freed once written
// and the file still holds every byte; chunks of a stream not handed over, a Buffer body and
// slices of shared memory are never touched.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashingStream } from '../../../src/lib/blobs/hashing-stream.js';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { chunksHandedOver, handOverChunks, passHandOver, releaseChunk } from '../../../src/lib/streams/handed-over.js';

/** Chunks like socket reads: each a Buffer with memory of its own (Readable.from yields each as it is). */
const ownChunks = (count: number, size = 64 * 1024): Buffer[] => Array.from({ length: count }, () => Buffer.from(randomBytes(size)));

describe('releaseChunk', () => {
  it('frees a chunk that spans its own memory', () => {
    const [chunk] = ownChunks(1);
    releaseChunk(chunk!);
    expect(chunk!.length).toBe(0);
  });

  it('leaves slices of shared memory alone', () => {
    const pooled = Buffer.from('a small pooled buffer');
    const whole = randomBytes(1024);
    const slice = whole.subarray(0, 512);
    releaseChunk(pooled);
    releaseChunk(slice);
    expect(pooled.toString()).toBe('a small pooled buffer');
    expect(slice.length).toBe(512);
    expect(whole.length).toBe(1024);
  });
});

describe('passHandOver', () => {
  it('marks a pass-through of a handed-over stream, and only of one', () => {
    const handed = handOverChunks(Readable.from([]));
    expect(chunksHandedOver(passHandOver(handed, new HashingStream({ algorithms: [] })))).toBe(true);
    expect(chunksHandedOver(passHandOver(Readable.from([]), new HashingStream({ algorithms: [] })))).toBe(false);
  });
});

describe('the fs store writing handed-over chunks', () => {
  let store: FsStore;
  beforeEach(async () => {
    store = await new FsStore({ root: await fs.mkdtemp(path.join(os.tmpdir(), 'nora-handed-over-')) }).open();
  });
  afterEach(() => fs.rm(store.root, { recursive: true, force: true }));

  const stored = async (key: string) => Buffer.concat(await (await store.get(key)).body.toArray());

  it('put: frees each chunk once written, and stores every byte', async () => {
    const chunks = ownChunks(40);
    const expected = Buffer.concat(chunks);
    await store.put('blobs/a', handOverChunks(Readable.from(chunks)));
    expect((await stored('blobs/a')).equals(expected)).toBe(true);
    expect(chunks.every((chunk) => chunk.length === 0)).toBe(true);
  });

  it('writeAt: frees each chunk once written, and the bytes land at the offset', async () => {
    const first = randomBytes(1000);
    await store.put('uploads/data', first);
    const chunks = ownChunks(20);
    const expected = Buffer.concat([first, ...chunks]);
    await store.writeAt('uploads/data', first.length, handOverChunks(Readable.from(chunks)));
    expect((await stored('uploads/data')).equals(expected)).toBe(true);
    expect(chunks.every((chunk) => chunk.length === 0)).toBe(true);
  });

  it('leaves the chunks of a stream not handed over, and a Buffer body, as they were', async () => {
    const chunks = ownChunks(20);
    const copies = chunks.map((chunk) => Buffer.from(chunk));
    await store.put('blobs/b', Readable.from(chunks));
    expect(chunks.every((chunk, i) => chunk.equals(copies[i]!))).toBe(true);
    const body = randomBytes(64 * 1024);
    const copy = Buffer.from(body);
    await store.put('blobs/c', body);
    expect(body.equals(copy)).toBe(true);
  });
});
