// The content-addressed blob store over memory and fs: verified writes become visible only
// when the digest matches; limits stop oversized or truncated bodies; racing writers of one
// blob all succeed with one stored copy, and exactly one of them created it; a staged blob is
// invisible until committed and discarding it never touches a visible blob.
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { blobKey, parseDigest } from '../../../src/lib/blobs/digest.js';
import { collect } from '../../../src/lib/storage/body.js';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { listAll, type ObjectStore } from '../../../src/lib/storage/object-store.js';

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const chunks = (b: Buffer, size = 1000) => Readable.from(Array.from({ length: Math.ceil(b.length / size) }, (_, i) => b.subarray(i * size, (i + 1) * size)));

async function keys(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const info of listAll(store, '')) out.push(info.key);
  return out;
}

const dirs: string[] = [];
afterEach(async () => { await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true }))); });

const adapters: Array<[string, () => Promise<ObjectStore>]> = [
  ['memory', async () => new MemoryStore()],
  ['fs', async () => { const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-blobs-')); dirs.push(dir); return new FsStore({ root: dir }).open(); }],
];

describe.each(adapters)('BlobStore on %s', (_name, create) => {
  it('writes, stats and reads back a blob by digest, with ranges', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const bytes = Buffer.from('hello, content-addressed world');
    const written = await blobs.write(chunks(bytes, 7), { expected: parseDigest(sha256(bytes))!, extraHashes: ['sha1', 'md5'] });
    expect(written).toMatchObject({ digest: sha256(bytes), size: bytes.length, created: true });
    expect(written.hashes.sha1).toBe(createHash('sha1').update(bytes).digest('hex'));
    expect((await blobs.stat(written.digest))?.size).toBe(bytes.length);
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(bytes);
    expect((await collect((await blobs.open(written.digest, { start: 7, end: 13 })).body)).toString()).toBe('content');
    expect(await keys(store)).toEqual([blobKey(written.digest)]);
  });

  it('addresses by sha512 when asked', async () => {
    const blobs = new BlobStore(await create());
    const bytes = Buffer.from('sha512 please');
    const written = await blobs.write(Readable.from([bytes]), { algorithm: 'sha512' });
    expect(written.digest).toBe(`sha512:${createHash('sha512').update(bytes).digest('hex')}`);
    expect(await blobs.exists(written.digest)).toBe(true);
  });

  it('a wrong digest leaves nothing visible, not even a temp object', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const declared = parseDigest(sha256(Buffer.from('what the client promised')))!;
    await expect(blobs.write(Readable.from([Buffer.from('what it sent')]), { expected: declared }))
      .rejects.toMatchObject({ code: 'DIGEST_MISMATCH', status: 400 });
    expect(await blobs.exists(declared)).toBe(false);
    expect(await keys(store)).toEqual([]);
  });

  it('stops an oversized body at the limit and a short one as truncated', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    await expect(blobs.write(chunks(Buffer.alloc(10_000)), { maxSize: 4096, label: 'layer' }))
      .rejects.toMatchObject({ code: 'TOO_LARGE', status: 413, message: 'layer exceeds the limit of 4096 bytes' });
    await expect(blobs.write(chunks(Buffer.alloc(100)), { expectedSize: 200, label: 'tarball' }))
      .rejects.toMatchObject({ code: 'TRUNCATED', message: 'tarball ended after 100 of 200 bytes' });
    expect(await keys(store)).toEqual([]);
  });

  it('a body that fails midway (client gone) leaves nothing behind', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const failing = new Readable({ read() { this.push(Buffer.alloc(1000)); this.destroy(new Error('client disconnected')); } });
    await expect(blobs.write(failing)).rejects.toThrow('client disconnected');
    expect(await keys(store)).toEqual([]);
  });

  it('concurrent writers of the same blob all succeed, one copy is stored and exactly one created it', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const bytes = Buffer.alloc(256 * 1024, 7);
    const results = await Promise.all(Array.from({ length: 8 }, () => blobs.write(chunks(bytes, 4096), { expected: parseDigest(sha256(bytes))! })));
    expect(new Set(results.map((r) => r.digest))).toEqual(new Set([sha256(bytes)]));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await keys(store)).toEqual([blobKey(sha256(bytes))]);
    expect(await collect((await blobs.open(sha256(bytes))).body)).toEqual(bytes);
  });

  it('racing commits of staged copies: exactly one creates the blob, none leaves a temp object', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const bytes = Buffer.from('staged by ten publishers');
    const staged = await Promise.all(Array.from({ length: 10 }, () => blobs.stage(Readable.from([bytes]))));
    const committed = await Promise.all(staged.map((s) => s.commit()));
    expect(committed.filter((c) => c.created)).toHaveLength(1);
    expect(await keys(store)).toEqual([blobKey(sha256(bytes))]);
  });

  it('a staged blob is invisible until committed, and readable from its staged copy', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const bytes = Buffer.from('checked before anyone sees it');
    const staged = await blobs.stage(chunks(bytes, 5), { extraHashes: ['md5'] });
    expect(staged).toMatchObject({ digest: sha256(bytes), size: bytes.length });
    expect(staged.hashes.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    expect(await blobs.exists(staged.digest)).toBe(false);
    expect((await collect((await staged.open({ start: 0, end: 6 })).body)).toString()).toBe('checked');
    expect(await staged.commit()).toMatchObject({ digest: sha256(bytes), created: true });
    expect(await staged.commit()).toMatchObject({ created: true }); // idempotent
    expect(await collect((await blobs.open(staged.digest)).body)).toEqual(bytes);
    expect(await keys(store)).toEqual([blobKey(staged.digest)]);
  });

  it('discarding a staged blob removes only its own temp object, never the visible blob', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const bytes = Buffer.from('published by the winner');
    const winner = await blobs.write(Readable.from([bytes]));
    const refused = await blobs.stage(Readable.from([bytes]));
    await refused.discard();
    await refused.discard(); // idempotent
    const late = await blobs.stage(Readable.from([bytes]));
    expect(await late.commit()).toMatchObject({ digest: winner.digest, created: false });
    await late.discard(); // after a commit: a no-op
    expect(await keys(store)).toEqual([blobKey(winner.digest)]);
    expect(await collect((await blobs.open(winner.digest)).body)).toEqual(bytes);
  });

  it('lists blobs and sweeps only old temp objects', async () => {
    const store = await create();
    const blobs = new BlobStore(store);
    const a = await blobs.write(Readable.from([Buffer.from('a')]));
    await store.put('tmp/leftover-from-a-crash', Buffer.from('partial'));
    const listed: string[] = [];
    for await (const blob of blobs.list()) listed.push(blob.digest);
    expect(listed).toEqual([a.digest]);
    expect(await blobs.sweepTemp(60_000)).toBe(0);
    expect(await blobs.sweepTemp(60_000, Date.now() + 120_000)).toBe(1);
    expect(await keys(store)).toEqual([blobKey(a.digest)]);
  });
});

describe('fs durability', () => {
  it('writes through a temp file in the same filesystem and leaves none behind', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-blobs-'));
    dirs.push(dir);
    const blobs = new BlobStore(await new FsStore({ root: dir }).open());
    await blobs.write(Readable.from([Buffer.from('durable')]));
    expect(await readdir(path.join(dir, '.tmp'))).toEqual([]);
  });
});
