// The S3 adapter's no-replace move, against a stub that answers as AWS S3 does (s3rver and Ceph
// RGW 16 ignore the condition on copies, so the shared suite cannot prove it): the copy, or the
// completion of a multipart copy past 5 GiB, carries If-None-Match: *; a 412 or a 409
// ConditionalRequestConflict is PRECONDITION_FAILED naming the destination, and the source stays.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { S3Store } from '../../../src/lib/storage/s3-store.js';

interface Seen { method: string; url: string; ifNoneMatch: string | undefined }

const GiB = 1024 ** 3;
let seen: Seen[] = [];
let sourceSize = 5;
let conditionAnswer: { status: number; code: string } | undefined;

const xml = (res: http.ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
};

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = req.url ?? '';
    const ifNoneMatch = req.headers['if-none-match'];
    seen.push({ method: req.method ?? '', url, ifNoneMatch });
    const refuse = ifNoneMatch === '*' && conditionAnswer;
    if (req.method === 'HEAD') {
      res.writeHead(200, { 'content-length': String(sourceSize), etag: '"source-etag"', 'last-modified': new Date(0).toUTCString() });
      res.end();
    } else if (req.method === 'DELETE') {
      res.writeHead(204).end();
    } else if (req.method === 'POST' && url.includes('uploads')) {
      xml(res, 200, '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>up-1</UploadId></InitiateMultipartUploadResult>');
    } else if (refuse) {
      xml(res, conditionAnswer!.status, `<Error><Code>${conditionAnswer!.code}</Code><Message>condition</Message></Error>`);
    } else if (req.method === 'POST') {
      xml(res, 200, '<CompleteMultipartUploadResult><ETag>"done"</ETag></CompleteMultipartUploadResult>');
    } else if (url.includes('partNumber=')) {
      xml(res, 200, '<CopyPartResult><ETag>"part"</ETag></CopyPartResult>');
    } else {
      xml(res, 200, '<CopyObjectResult><ETag>"copy"</ETag></CopyObjectResult>');
    }
  });
});

let store: S3Store;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  store = new S3Store({ bucket: 'b', region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, pathStyle: true, credentials: { accessKeyId: 'a', secretAccessKey: 's' } });
});
afterAll(async () => {
  await store.close();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => { seen = []; conditionAnswer = undefined; });

const writes = () => seen.filter((s) => s.method !== 'HEAD');

describe.each([['CopyObject', 5], ['multipart copy past 5 GiB', 6 * GiB]])('S3 no-replace move by %s', (_what, size) => {
  beforeEach(() => { sourceSize = size; });
  const final = (s: Seen) => s.method === 'PUT' ? !s.url.includes('partNumber=') : s.method === 'POST' && s.url.includes('uploadId=');

  it('sends If-None-Match: * on the request that creates the destination, then deletes the source', async () => {
    await store.move('tmp/a', 'blobs/x', { ifNoneMatch: '*' });
    expect(writes().filter(final).map((s) => s.ifNoneMatch)).toEqual(['*']);
    expect(writes().at(-1)).toMatchObject({ method: 'DELETE', url: expect.stringMatching(/^\/b\/tmp\/a(\?|$)/) });
  });

  it.each([[412, 'PreconditionFailed'], [409, 'ConditionalRequestConflict']])('answers %i %s with PRECONDITION_FAILED on the destination and keeps the source', async (status, code) => {
    conditionAnswer = { status, code };
    await expect(store.move('tmp/a', 'blobs/x', { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', detail: { key: 'blobs/x' } });
    expect(writes().filter((s) => s.method === 'DELETE' && !s.url.includes('uploadId='))).toEqual([]); // an abort of the multipart copy is fine
  });

  it('a plain move sends no condition', async () => {
    await store.move('tmp/a', 'blobs/x');
    expect(writes().filter((s) => s.ifNoneMatch !== undefined)).toEqual([]);
  });
});
