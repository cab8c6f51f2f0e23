// Small objects on the fs store are read whole (one stat beside one read) and come back as a
// BytesBody: the bytes, size and etag must be exactly what a streamed read of the same file gives,
// on each side of the first read's and the small-object limit's boundaries.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { BytesBody } from '../../../src/lib/storage/bytes-body.js';
import { collect } from '../../../src/lib/storage/body.js';
import { isStorageError } from '../../../src/lib/storage/errors.js';

let store: FsStore;

beforeEach(async () => {
  store = await new FsStore({ root: await fs.mkdtemp(path.join(os.tmpdir(), 'nora-fs-small-')) }).open();
});
afterEach(async () => fs.rm(store.root, { recursive: true, force: true }));

const streamed = async (body: NodeJS.ReadableStream): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

describe('fs store: small objects read whole', () => {
  for (const size of [0, 1, 4094, 4095, 4096, 10_000, 64 * 1024]) {
    it(`${size} bytes: a BytesBody with the exact bytes, size and etag`, async () => {
      const bytes = randomBytes(size);
      const put = await store.put('docs/a.json', bytes);
      const { info, body } = await store.get('docs/a.json');
      expect(body).toBeInstanceOf(BytesBody);
      expect(info.size).toBe(size);
      expect(info.etag).toBe(put.etag);
      expect((await store.stat('docs/a.json'))?.etag).toBe(info.etag);
      expect(Buffer.compare(await collect(body), bytes)).toBe(0);
    });
  }

  it('a BytesBody also streams its bytes once, like any body', async () => {
    const bytes = randomBytes(6000);
    await store.put('docs/b.json', bytes);
    const { body } = await store.get('docs/b.json');
    expect(Buffer.compare(await streamed(body), bytes)).toBe(0);
  });

  it('past the limit the object streams, byte for byte', async () => {
    const bytes = randomBytes(64 * 1024 + 1);
    await store.put('blobs/big', bytes);
    const { info, body } = await store.get('blobs/big');
    expect(body).not.toBeInstanceOf(BytesBody);
    expect(info.size).toBe(bytes.length);
    expect(Buffer.compare(await collect(body), bytes)).toBe(0);
  });

  it('a range is read from the file, not whole', async () => {
    const bytes = randomBytes(5000);
    await store.put('docs/c.json', bytes);
    const { body } = await store.get('docs/c.json', { start: 10, end: 19 });
    expect(body).not.toBeInstanceOf(BytesBody);
    expect(Buffer.compare(await collect(body), bytes.subarray(10, 20))).toBe(0);
  });

  it('a key that is a folder is not found', async () => {
    await store.put('docs/d/inner.json', Buffer.from('{}'));
    const error = await store.get('docs/d').catch((e: unknown) => e);
    expect(isStorageError(error, 'NOT_FOUND')).toBe(true);
  });

  it('a replaced object reads as one version or the other, never a mix', async () => {
    const a = Buffer.alloc(9000, 'a');
    const b = Buffer.alloc(7000, 'b');
    await store.put('docs/e.json', a);
    const reads = [];
    for (let i = 0; i < 40; i++) {
      reads.push(store.get('docs/e.json').then(async ({ info, body }) => ({ info, bytes: await collect(body) })));
      if (i === 20) await store.put('docs/e.json', b);
    }
    for (const { info, bytes } of await Promise.all(reads)) {
      expect(bytes.length).toBe(info.size);
      expect(bytes.equals(a) || bytes.equals(b)).toBe(true);
    }
  });
});

describe('fs store: small objects read lately', () => {
  it('a second read of an unchanged object comes from memory, with the same bytes and etag', async () => {
    const bytes = Buffer.from('{"digest":"sha256:aa"}');
    await store.put('docs/t.json', bytes);
    const first = await store.get('docs/t.json');
    const second = await store.get('docs/t.json');
    expect(second.info).toEqual(first.info);
    expect((second.body as BytesBody).bytes).toBe((first.body as BytesBody).bytes);
    expect((await collect(second.body)).equals(bytes)).toBe(true);
  });

  it('another process replacing the file (a fresh file renamed into place) is seen at once', async () => {
    await store.put('docs/r.json', Buffer.from('{"v":1}'));
    await collect((await store.get('docs/r.json')).body);
    // What another server on the same directory does: write a temp file, rename it over the key.
    const file = path.join(store.root, 'docs', 'r.json');
    await fs.writeFile(`${file}.other`, '{"v":2}');
    await fs.rename(`${file}.other`, file);
    const { info, body } = await store.get('docs/r.json');
    expect((await collect(body)).toString()).toBe('{"v":2}');
    // The info is the new file's, not the remembered one's.
    expect(info).toEqual(await store.stat('docs/r.json'));
    expect((await store.get('docs/r.json')).info).toEqual(info);
  });

  it('another process deleting the file is seen at once: not found', async () => {
    await store.put('docs/g.json', Buffer.from('{}'));
    await collect((await store.get('docs/g.json')).body);
    await fs.unlink(path.join(store.root, 'docs', 'g.json'));
    const error = await store.get('docs/g.json').catch((e: unknown) => e);
    expect(isStorageError(error, 'NOT_FOUND')).toBe(true);
  });

  it('this process replacing or deleting it is seen at once', async () => {
    await store.put('docs/p.json', Buffer.from('old'));
    await collect((await store.get('docs/p.json')).body);
    await store.put('docs/p.json', Buffer.from('new'));
    expect((await collect((await store.get('docs/p.json')).body)).toString()).toBe('new');
    await store.delete('docs/p.json');
    expect(isStorageError(await store.get('docs/p.json').catch((e: unknown) => e), 'NOT_FOUND')).toBe(true);
  });

  it('an object written in place (writeAt, truncate) is read from the file after each write', async () => {
    await store.writeAt('up/data', 0, Readable.from([Buffer.from('aaaa')]));
    expect((await collect((await store.get('up/data')).body)).toString()).toBe('aaaa');
    await store.writeAt('up/data', 0, Readable.from([Buffer.from('bbbb')]));
    expect((await collect((await store.get('up/data')).body)).toString()).toBe('bbbb');
    await store.truncate('up/data', 2);
    expect((await collect((await store.get('up/data')).body)).toString()).toBe('bb');
  });
});
