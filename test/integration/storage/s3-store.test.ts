// The S3 adapter when its backend cannot serve (s3rver: a gone server, a missing bucket). The
// storage contract itself runs against Ceph RGW (s3-rgw-store.test.ts), which, unlike s3rver,
// decides conditional writes and lists in byte order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';

describe('S3Store when the backend cannot serve', () => {
  let live: S3TestServer;
  const storeAt = (endpoint: string, bucket: string) =>
    new S3Store({ bucket, region: live.region, endpoint, pathStyle: true, credentials: live.credentials });

  beforeAll(async () => {
    live = await startS3Server();
  });
  afterAll(async () => {
    await live.stop();
  });

  it('a server that is gone is STORAGE_UNAVAILABLE, for check() and for every operation', async () => {
    const gone = await startS3Server();
    await gone.stop();
    const store = storeAt(gone.endpoint, gone.bucket);
    const unavailable = { code: 'STORAGE_UNAVAILABLE' };
    await expect(store.check()).rejects.toMatchObject(unavailable);
    await expect(store.stat('k')).rejects.toMatchObject(unavailable);
    await expect(store.get('k')).rejects.toMatchObject(unavailable);
    await expect(store.put('k', Buffer.from('x'))).rejects.toMatchObject(unavailable);
    await expect(store.list('')).rejects.toMatchObject(unavailable);
    await store.close();
  });

  it('a missing bucket is STORAGE_UNAVAILABLE', async () => {
    const store = storeAt(live.endpoint, 'no-such-bucket');
    await expect(store.check()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(store.list('')).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await expect(store.put('k', Buffer.from('x'))).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    await store.close();
  });
});
