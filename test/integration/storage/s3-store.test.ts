// The storage contract against the S3 adapter talking to a real S3-compatible server (s3rver,
// started per file). Skipped cases are s3rver gaps, each observed against s3rver 3.7.1; real S3
// supports them, so they stay in the suite for the day the tests run against another server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';
import { runStorageSuite } from '../../storage/storage-suite.js';

let server: S3TestServer | undefined;

runStorageSuite({
  name: 's3 (s3rver)',
  create: async () => {
    server = await startS3Server();
    return new S3Store({
      bucket: server.bucket,
      region: server.region,
      endpoint: server.endpoint,
      pathStyle: true,
      credentials: server.credentials,
      // No trailing slash on purpose: the store adds it, and the suite sees keys without it.
      prefix: 'suite',
    });
  },
  teardown: async () => server?.stop(),
  skip: [
    {
      reason: 's3rver ignores If-None-Match and If-Match on PutObject and overwrites',
      tests: [
        'ifNoneMatch * creates only once',
        'ifMatch with a stale etag is PRECONDITION_FAILED',
        '20 concurrent compare-and-swap increments lose no update',
      ],
    },
    {
      // AWS S3 honours If-None-Match on CopyObject and CompleteMultipartUpload; Ceph RGW 16 ignores
      // it on both (shared/notes/s3-real-rgw.md), so there two racing creators may both succeed.
      reason: 's3rver ignores If-None-Match on CopyObject and replaces the destination',
      tests: [
        'move with ifNoneMatch * refuses an existing destination and leaves both objects',
        '10 concurrent no-replace moves onto one key: exactly one creates it',
      ],
    },
    {
      reason: 's3rver lists in directory-walk order ("a/b/c" before "a/b", "a/d" before "a-c"), not byte order',
      tests: ['orders keys by byte value across separators', 'a key may also be the prefix of other keys'],
    },
    {
      reason: 's3rver does not walk directories below a common prefix, so a prefix holding only deeper keys is missed',
      tests: ["delimiter '/' reports a prefix whose keys are all several levels deeper"],
    },
    {
      reason: 's3rver counts only objects toward MaxKeys, so a delimited page can exceed the limit',
      tests: ['a cursor continues a delimited listing without repeats'],
    },
    {
      reason: 's3rver writes a PutObject body in place: an aborted upload leaves a partial object, and concurrent '
        + 'puts to one key can leave the bytes of one writer under the etag of another',
      tests: ['a stream of known size failing midway leaves nothing', 'concurrent puts each return the info of their own write'],
    },
  ],
});

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
