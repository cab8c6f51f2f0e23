// `nora serve` on S3 probes the bucket before taking traffic: a conditional create twice must
// give one success and one 412. s3rver overwrites instead, so the start stops with a message
// unless storage.s3.unsafe_no_conditional_writes says otherwise (logged as a warning); Ceph RGW
// honours it and starts quietly.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora, startNora } from '../../helpers/nora-process.js';
import { rgwBucket } from '../../helpers/rgw.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';

const s3Env = (s3: S3TestServer) => ({
  NORA_STORAGE_BACKEND: 's3', NORA_STORAGE_S3_BUCKET: s3.bucket, NORA_STORAGE_S3_ENDPOINT: s3.endpoint, NORA_STORAGE_S3_REGION: s3.region,
  NORA_STORAGE_S3_PATH_STYLE: 'true', NORA_STORAGE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, NORA_STORAGE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
});
const unsafeLine = (logs: string) => logs.split('\n').find((line) => line.includes('UNSAFE'));

describe('serve probes the bucket for conditional writes', () => {
  let s3rver: S3TestServer;
  let rgw: S3TestServer;
  beforeAll(async () => {
    [s3rver, rgw] = await Promise.all([startS3Server(), rgwBucket()]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([s3rver?.stop(), rgw?.stop()]);
  });

  it('refuses to start on a bucket that ignores If-None-Match, naming the override', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'nora-probe-'));
    const result = await runNora(['serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir], { env: s3Env(s3rver) });
    await rm(dataDir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nora: cannot start:');
    expect(result.stderr).toContain('replaced an existing object on a conditional create');
    expect(result.stderr).toContain('storage.s3.unsafe_no_conditional_writes = true');
    expect(result.stdout).not.toContain('"msg":"listening"');
  });

  it('starts anyway with storage.s3.unsafe_no_conditional_writes = true, with a warning', async () => {
    const nora = await startNora({ env: { ...s3Env(s3rver), NORA_STORAGE_S3_UNSAFE_NO_CONDITIONAL_WRITES: 'true' } });
    try {
      const warning = JSON.parse(unsafeLine(nora.logs()) ?? '{}') as { level?: string; key?: string };
      expect(warning).toMatchObject({ level: 'warn', key: 'storage.s3.unsafe_no_conditional_writes' });
      expect((await fetch(`${nora.url}/v2/`)).status).toBe(200);
    } finally {
      await nora.stop();
    }
  });

  it('starts without a warning on Ceph RGW, and leaves no probe object behind', async () => {
    const nora = await startNora({ env: s3Env(rgw) });
    try {
      expect(unsafeLine(nora.logs())).toBeUndefined();
      expect((await fetch(`${nora.url}/v2/`)).status).toBe(200);
    } finally {
      await nora.stop();
    }
    const { S3Client, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const client = new S3Client({ region: rgw.region, endpoint: rgw.endpoint, forcePathStyle: true, credentials: rgw.credentials });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: rgw.bucket, Prefix: '_nora/probe/' }));
    client.destroy();
    expect(listed.Contents ?? []).toEqual([]);
  });
});
