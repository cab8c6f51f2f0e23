// On stores that write in place (fs, memory) every PATCH of an upload goes into one data file at
// the recorded offset, and closing it moves that file into place. The recorded size is the only
// truth: a PATCH that failed midway or carried the wrong length leaves bytes past it, which the
// next PATCH overwrites and the close cuts away; two PATCHes racing for one offset cannot mix.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { EventBus } from '../../../src/lib/events/bus.js';
import { OciRegistry } from '../../../src/lib/oci/registry.js';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import type { ObjectStore } from '../../../src/lib/storage/object-store.js';
import { collect } from '../../../src/lib/storage/body.js';
import { listAll } from '../../../src/lib/storage/object-store.js';

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const roots: string[] = [];
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => fs.rm(root, { recursive: true, force: true })));
});

const stores: Array<[string, () => Promise<ObjectStore>]> = [
  ['fs', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nora-upload-data-'));
    roots.push(root);
    return new FsStore({ root }).open();
  }],
  ['memory', async () => new MemoryStore()],
];

/** Sends `sent` bytes, then fails, as a client hanging up in the middle of a PATCH. */
function cutOff(sent: Buffer): Readable {
  return Readable.from((async function* () {
    yield sent;
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error('client went away');
  })());
}

async function uploadKeys(store: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listAll(store, 'repos/oci/')) keys.push(info.key);
  return keys;
}

describe.each(stores)('upload data file (%s)', (_name, create) => {
  const first = randomBytes(300_000);
  const second = randomBytes(70_001);
  const whole = Buffer.concat([first, second]);

  async function setup() {
    const store = await create();
    const blobs = new BlobStore(store);
    const registry = new OciRegistry({ store, blobs, events: new EventBus(), uploadTtlMs: 3_600_000 });
    return { store, blobs, registry, uploads: registry.uploads };
  }

  it('writes every PATCH into one file and moves it into place: no chunk objects, no copy, no re-read', async () => {
    const { store, blobs, registry, uploads } = await setup();
    const put = vi.spyOn(store, 'put');
    const read = vi.spyOn(uploads, 'read');
    let state = await uploads.start('team/app');
    state = await uploads.append(state, Readable.from([first]));
    state = await uploads.append(state, Readable.from([second]));
    expect(state.chunks).toHaveLength(1);
    expect(state.chunks[0]).toMatchObject({ start: 0, size: whole.length });
    const written = await registry.blobs.complete(state, digestOf(whole));
    expect(written).toMatchObject({ digest: digestOf(whole), size: whole.length });
    expect(read).not.toHaveBeenCalled();
    expect(put.mock.calls.map(([key]) => key).filter((key) => key.includes('chunk'))).toEqual([]);
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(whole);
    expect((await uploadKeys(store)).filter((key) => key.includes('upload'))).toEqual([]);
  });

  it('a PATCH cut off midway, then the same bytes again, yields the right blob', async () => {
    const { blobs, registry, uploads } = await setup();
    let state = await uploads.start('team/app');
    state = await uploads.append(state, Readable.from([first]));
    await expect(uploads.append(state, cutOff(randomBytes(200_000)))).rejects.toThrow('client went away');
    state = await uploads.get('team/app', state.id);
    expect(state.size).toBe(first.length);
    state = await uploads.append(state, Readable.from([second]));
    const written = await registry.blobs.complete(state, digestOf(whole));
    expect(written.size).toBe(whole.length);
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(whole);
  });

  it('a PATCH longer than declared is SIZE_INVALID, records nothing, and the next PATCH overwrites its bytes', async () => {
    const { blobs, registry, uploads } = await setup();
    let state = await uploads.start('team/app');
    state = await uploads.append(state, Readable.from([first]));
    await expect(uploads.append(state, Readable.from([randomBytes(90_000)]), { length: 80_000 })).rejects.toMatchObject({ code: 'SIZE_INVALID' });
    await expect(uploads.append(state, Readable.from([randomBytes(500)]), { length: 80_000 })).rejects.toMatchObject({ code: 'SIZE_INVALID' });
    state = await uploads.get('team/app', state.id);
    expect(state.size).toBe(first.length);
    // Shorter than the garbage left behind: the close cuts the rest away.
    state = await uploads.append(state, Readable.from([second]), { length: second.length });
    const written = await registry.blobs.complete(state, digestOf(whole));
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(whole);
  });

  it('two PATCHes racing for one offset: one is recorded, the other is CHUNK_OUT_OF_ORDER, the bytes do not mix', async () => {
    const { blobs, registry, uploads } = await setup();
    const state = await uploads.start('team/app');
    const racers = [randomBytes(250_000), randomBytes(250_000)];
    const outcomes = await Promise.allSettled(racers.map((bytes) => uploads.append(state, Readable.from([bytes.subarray(0, 100_000), bytes.subarray(100_000)]))));
    const won = outcomes.findIndex((outcome) => outcome.status === 'fulfilled');
    expect(won).toBeGreaterThanOrEqual(0);
    expect(outcomes[1 - won]).toMatchObject({ status: 'rejected', reason: { code: 'CHUNK_OUT_OF_ORDER' } });
    const written = await registry.blobs.complete(await uploads.get('team/app', state.id), digestOf(racers[won]!));
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(racers[won]);
  });

  it('a close from a state older than the data file (a PATCH landed meanwhile) re-reads the recorded bytes, never moves the file', async () => {
    const { blobs, registry, uploads } = await setup();
    let state = await uploads.start('team/app');
    state = await uploads.append(state, Readable.from([first]));
    await uploads.append(state, Readable.from([second]));
    const written = await registry.blobs.complete(state, digestOf(first));
    expect(written.size).toBe(first.length);
    expect(await collect((await blobs.open(written.digest)).body)).toEqual(first);
  });

  it('a wrong digest is DIGEST_INVALID and stores no blob', async () => {
    const { blobs, registry, uploads } = await setup();
    let state = await uploads.start('team/app');
    state = await uploads.append(state, Readable.from([first]));
    await expect(registry.blobs.complete(state, digestOf(Buffer.from('other')))).rejects.toMatchObject({ code: 'DIGEST_INVALID' });
    expect(await blobs.exists(digestOf(first))).toBe(false);
  });

  it('an upload cancelled or expired is removed with its data file', async () => {
    const { store, uploads } = await setup();
    let state = await uploads.start('team/app');
    state = await uploads.append(state, Readable.from([first]));
    expect((await uploadKeys(store)).some((key) => key.includes('/data-'))).toBe(true);
    await uploads.remove(state);
    expect(await uploadKeys(store)).toEqual([]);
    const old = await uploads.start('team/app');
    await uploads.append(old, Readable.from([second]));
    expect(await uploads.sweep(Date.now() + 2 * 3_600_000)).toBe(1);
    expect(await uploadKeys(store)).toEqual([]);
  });
});
