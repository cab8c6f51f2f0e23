// An upload session's state is written without fsync (losing it loses only the session), and its
// expiry entry with it. After a power loss the state may be missing, empty or an earlier
// version: the session is then unknown (never a 500), expiry still removes its files, and an
// earlier version cannot make the close store bytes that do not match the digest.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, expect, test, vi } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { EventBus } from '../../../src/lib/events/bus.js';
import { layout } from '../../../src/lib/oci/layout.js';
import { OciRegistry } from '../../../src/lib/oci/registry.js';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { listAll } from '../../../src/lib/storage/object-store.js';

const TTL = 3_600_000;
const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const roots: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(roots.splice(0).map((root) => fs.rm(root, { recursive: true, force: true })));
});

async function setup() {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'nora-upload-loss-'));
  roots.push(root);
  const store = await new FsStore({ root }).open();
  const events = new EventBus();
  const registry = new OciRegistry({ store, blobs: new BlobStore(store), events, uploadTtlMs: TTL });
  return { store, registry, uploads: registry.uploads, events };
}

async function keysUnder(store: FsStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listAll(store, prefix)) keys.push(info.key);
  return keys;
}

test('the state is put without fsync; the expiry entry is durable', async () => {
  const { store, uploads } = await setup();
  const put = vi.spyOn(store, 'put');
  const state = await uploads.start('team/app');
  await uploads.append(state, Readable.from([randomBytes(1000)]));
  const options = (key: string) => put.mock.calls.filter(([k]) => k === key).map(([, , o]) => o);
  expect(options(layout.openUpload(state.id))).toEqual([undefined]);
  expect(options(layout.uploadState('team/app', state.id))).toEqual([
    { ifNoneMatch: '*', durable: false },
    expect.objectContaining({ ifMatch: expect.any(String) as unknown, durable: false }),
  ]);
});

test('an empty state (torn by a power loss) is an unknown session, and expiry removes its files', async () => {
  const { store, uploads } = await setup();
  const state = await uploads.start('team/app');
  await uploads.append(state, Readable.from([randomBytes(1000)]));
  await fs.writeFile(path.join(store.root, ...layout.uploadState('team/app', state.id).split('/')), '');
  const error = await uploads.get('team/app', state.id).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'BLOB_UPLOAD_UNKNOWN' });
  expect(await uploads.sweep(Date.now() + TTL / 2), 'an unreadable state expires by its entry\'s age').toBe(0);
  expect(await uploads.sweep(Date.now() + 2 * TTL)).toBe(1);
  expect(await keysUnder(store, 'repos/oci/')).toEqual([]);
});

test('an earlier version of the state surviving cannot close into a wrong blob', async () => {
  const { store, registry, uploads, events } = await setup();
  const published = vi.fn();
  events.subscribe(published);
  const first = randomBytes(5000);
  const second = randomBytes(3000);
  let state = await uploads.start('team/app');
  state = await uploads.append(state, Readable.from([first]));
  const stateFile = path.join(store.root, ...layout.uploadState('team/app', state.id).split('/'));
  const earlier = await fs.readFile(stateFile);
  state = await uploads.append(state, Readable.from([second]));
  // The power loss: the second PATCH's state is gone, and so is this process (a new server,
  // which never hashed the bytes, reads the session).
  await fs.writeFile(stateFile, earlier);
  uploads.hashes.forget(state.id);
  const restored = await uploads.get('team/app', state.id);
  expect(restored.size).toBe(first.length);
  const whole = Buffer.concat([first, second]);
  const error = await registry.blobs.complete(restored, digestOf(whole)).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'DIGEST_INVALID' });
  expect(await registry.local.blobStore.exists(digestOf(whole))).toBe(false);
  expect(published).not.toHaveBeenCalled();
  // The client sends the lost PATCH again and closes: the blob is right.
  const resumed = await uploads.append(await uploads.get('team/app', state.id), Readable.from([second]));
  expect(await registry.blobs.complete(resumed, digestOf(whole))).toMatchObject({ digest: digestOf(whole), size: whole.length });
  expect(published).toHaveBeenCalledTimes(1);
});
