import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { Base64Decoder } from '../../../src/lib/npm/base64-decoder.js';
import { readStreamedBody } from '../../../src/lib/npm/publish-stream.js';
import { listAll } from '../../../src/lib/storage/object-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';

function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return Readable.from(parts);
}

async function keys(store: MemoryStore): Promise<string[]> {
  const out: string[] = [];
  for await (const info of listAll(store, '')) out.push(info.key);
  return out;
}

describe('readStreamedBody', () => {
  const tarball = tarballBytes('stream', 5000);
  const body = publishBody('@s/p', { tarball });

  it.each([1, 3, 7, 64, 100_000])('stages the attachment and keeps the rest, in %i-byte chunks', async (size) => {
    const store = new MemoryStore();
    const blobs = new BlobStore(store);
    const result = await readStreamedBody(chunked(JSON.stringify({ ...body, readme: 'with "quotes", \\backslashes\\ and ünïcode' }), size), { blobs, maxSize: 1 << 20 });
    const json = result.json as typeof body;
    expect(Object.values(json._attachments)[0]).toMatchObject({ data: '', length: 5000 });
    expect(json.readme).toBe('with "quotes", \\backslashes\\ and ünïcode');
    expect(json.versions['1.0.0'].dist).toEqual(body.versions['1.0.0'].dist);
    expect(result.blob).toMatchObject({ size: 5000 });
    expect(await blobs.exists(result.blob!.digest), 'staged, not visible before the publish commits it').toBe(false);
    expect(await result.blob!.commit()).toMatchObject({ size: 5000, created: true });
    const { body: stored } = await blobs.open(result.blob!.digest);
    const chunks: Buffer[] = [];
    for await (const c of stored) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(tarball)).toBe(true);
  });

  it('accepts escaped slashes in the base64 text and attachments before versions', async () => {
    const blobs = new BlobStore(new MemoryStore());
    const { _attachments, ...rest } = body;
    const text = JSON.stringify({ _attachments, ...rest }).replace(/\//g, '\\/');
    const result = await readStreamedBody(chunked(text, 13), { blobs, maxSize: 1 << 20 });
    expect(result.blob?.size).toBe(5000);
    expect((result.json as typeof body).name).toBe('@s/p');
  });

  it.each([
    ['a wrong integrity', (t: string) => t.replace(body.versions['1.0.0'].dist.integrity, publishBody('x').versions['1.0.0'].dist.integrity), /integrity mismatch/],
    ['non-base64 data', (t: string) => t.replace('"data":"', '"data":"!!!!'), /not valid base64/],
    ['a cut-off body', (t: string) => t.slice(0, t.indexOf('"data":"') + 100), /ended inside the attachment/],
    ['two attachments', (t: string) => t.replace(/\}\}\}$/, '},"x.tgz":{"data":"QUJD"}}}'), /exactly one attachment/],
    ['invalid JSON', (t: string) => `${t}}`, /invalid JSON/],
  ])('rejects %s and leaves the store empty', async (_label, mangle, error) => {
    const store = new MemoryStore();
    await expect(readStreamedBody(chunked(mangle(JSON.stringify(body)), 50), { blobs: new BlobStore(store), maxSize: 1 << 20 })).rejects.toThrow(error);
    expect(await keys(store)).toEqual([]);
  });

  it('stops reading at the size limit', async () => {
    const store = new MemoryStore();
    await expect(readStreamedBody(chunked(JSON.stringify(body), 1000), { blobs: new BlobStore(store), maxSize: 4000 })).rejects.toThrow(/exceeds the limit of 4000 bytes/);
    expect(await keys(store)).toEqual([]);
  });
});

describe('Base64Decoder', () => {
  it('decodes across arbitrary splits and refuses foreign characters and data after padding', () => {
    const bytes = tarballBytes('b64', 1000);
    const text = bytes.toString('base64');
    const decoder = new Base64Decoder();
    const out = [decoder.push(text.slice(0, 5)), decoder.push(text.slice(5, 6)), decoder.push(text.slice(6))];
    decoder.end();
    expect(Buffer.concat(out).equals(bytes)).toBe(true);
    expect(() => new Base64Decoder().push('ab!d')).toThrow(/not valid base64/);
    const padded = new Base64Decoder();
    padded.push('QQ==');
    expect(() => padded.push('QUJD')).toThrow(/not valid base64/);
    const short = new Base64Decoder();
    short.push('QUJ');
    expect(() => short.end()).toThrow(/not valid base64/);
  });
});
