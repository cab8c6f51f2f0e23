// Chunked uploads are hashed as their PATCHes arrive, so closing one needs no second pass; a
// session that moved between servers (two registries on one store, each with its own hash
// state) is re-read at the end. Either way the blob is exactly the bytes, under the right digest.
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { EventBus } from '../../../src/lib/events/bus.js';
import { OciRegistry } from '../../../src/lib/oci/registry.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { collect } from '../../../src/lib/storage/body.js';

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

function servers(count: number) {
  const store = new MemoryStore();
  const blobs = new BlobStore(store);
  return { store, blobs, registries: Array.from({ length: count }, () => new OciRegistry({ store, blobs, events: new EventBus(), uploadTtlMs: 3_600_000 })) };
}

async function pushInChunks(registries: OciRegistry[], chunks: Buffer[], digest: string) {
  let state = await registries[0]!.uploads.start('team/app');
  for (const [i, chunk] of chunks.entries()) {
    const registry = registries[i % registries.length]!;
    state = await registry.uploads.append(await registry.uploads.get('team/app', state.id), Readable.from([chunk]));
  }
  const last = registries[chunks.length % registries.length]!;
  return last.blobs.complete(await last.uploads.get('team/app', state.id), digest);
}

describe('upload hashing', () => {
  const chunks = [randomBytes(70_000), randomBytes(1), randomBytes(33_333)];
  const whole = Buffer.concat(chunks);

  it('closes a chunked upload on one server from the hash state it kept', async () => {
    const { blobs, registries } = servers(1);
    const reread = vi.spyOn(registries[0]!.uploads, 'digestSoFar');
    const written = await pushInChunks(registries, chunks, digestOf(whole));
    expect(reread).toHaveReturnedWith(digestOf(whole).slice('sha256:'.length));
    expect(written).toMatchObject({ digest: digestOf(whole), size: whole.length });
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(whole);
  });

  it('re-reads an upload whose chunks came through several servers', async () => {
    const { blobs, registries } = servers(2);
    const reads = registries.map((r) => vi.spyOn(r.uploads, 'read'));
    const written = await pushInChunks(registries, chunks, digestOf(whole));
    expect(reads.reduce((n, spy) => n + spy.mock.calls.length, 0)).toBe(1);
    expect(written.digest).toBe(digestOf(whole));
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(whole);
  });

  it('moves a single streamed chunk into place, and leaves no upload object behind', async () => {
    const { store, blobs, registries } = servers(1);
    const written = await pushInChunks(registries, [whole], digestOf(whole));
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(whole);
    expect((await store.list('repos/oci/')).items.filter((i) => i.key.includes('upload'))).toEqual([]);
  });

  it('refuses a wrong digest from the kept state, and stores nothing', async () => {
    for (const count of [1, 2]) {
      const { blobs, registries } = servers(count);
      await expect(pushInChunks(registries, chunks, digestOf(Buffer.from('other')))).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
      expect(await blobs.exists(digestOf(whole))).toBe(false);
    }
  });
});
