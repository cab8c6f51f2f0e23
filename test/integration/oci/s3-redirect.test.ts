// With S3 storage and storage.s3.redirect, blob downloads are 307 redirects to a presigned URL
// that a client can follow to the bucket (s3rver on loopback); HEAD and unknown blobs stay local.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';

let s3: S3TestServer;
let nora: NoraServer;
const blob = randomBytes(300_000);
const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;

beforeAll(async () => {
  s3 = await startS3Server();
  nora = await startNora({
    env: {
      NORA_STORAGE_BACKEND: 's3',
      NORA_STORAGE_S3_BUCKET: s3.bucket,
      NORA_STORAGE_S3_ENDPOINT: s3.endpoint,
      NORA_STORAGE_S3_REGION: s3.region,
      NORA_STORAGE_S3_PATH_STYLE: 'true',
      NORA_STORAGE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
      NORA_STORAGE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
      NORA_STORAGE_S3_REDIRECT: 'true',
      // s3rver ignores conditional writes; one server on it is what this test needs.
      NORA_STORAGE_S3_UNSAFE_NO_CONDITIONAL_WRITES: 'true',
      NORA_STORAGE_S3_REDIRECT_TTL: '2m',
    },
  });
  const pushed = await fetch(`${nora.url}/v2/team/app/blobs/uploads/?digest=${digest}`, { method: 'POST', body: blob, headers: { 'content-type': 'application/octet-stream' } });
  expect(pushed.status).toBe(201);
});
afterAll(async () => { await nora?.stop(); await s3?.stop(); });

describe('presigned blob redirects on S3', () => {
  it('answers GET with 307 to a presigned bucket URL that serves the exact bytes', async () => {
    const response = await fetch(`${nora.url}/v2/team/app/blobs/${digest}`, { redirect: 'manual' });
    expect(response.status).toBe(307);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${s3.endpoint}/${s3.bucket}/blobs/sha256/`)).toBe(true);
    expect(location).toContain('X-Amz-Signature=');
    expect(location).toContain('X-Amz-Expires=120');
    const direct = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(createHash('sha256').update(direct).digest('hex')).toBe(digest.slice('sha256:'.length));
  });

  it('follows through for a client that follows redirects', async () => {
    const response = await fetch(`${nora.url}/v2/team/app/blobs/${digest}`);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(blob)).toBe(true);
  });

  it('answers HEAD itself, and never redirects for a blob the repository does not have', async () => {
    const head = await fetch(`${nora.url}/v2/team/app/blobs/${digest}`, { method: 'HEAD', redirect: 'manual' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(blob.length));
    const other = await fetch(`${nora.url}/v2/other/app/blobs/${digest}`, { redirect: 'manual' });
    expect(other.status).toBe(404);
    expect(((await other.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('BLOB_UNKNOWN');
  });
});
