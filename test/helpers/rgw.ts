// A bucket of its own on the test run's Ceph RGW (a real S3 that honours conditional writes),
// for test files that need compare-and-swap on S3. RGW starts once per run, on first use
// (test/helpers/rgw-process.ts); each call creates a fresh bucket, which stop() empties and drops.
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { ensureRgw } from './rgw-process.js';
import type { S3TestServer } from './s3-server.js';

export async function rgwBucket(): Promise<S3TestServer> {
  const rgw = await ensureRgw(inject('rgwRunDir'));
  const bucket = `nora-${randomUUID().slice(0, 12)}`;
  const client = new S3Client({ region: rgw.region, endpoint: rgw.endpoint, forcePathStyle: true, credentials: rgw.credentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const stop = async () => {
    for (;;) {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (page.Contents ?? []).map((object) => object.Key!);
      if (keys.length === 0) break;
      // One DeleteObject each: RGW 16 wants Content-MD5 on DeleteObjects, which the SDK no longer sends.
      await Promise.all(keys.map((Key) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key }))));
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  };
  return { ...rgw, bucket, stop };
}
