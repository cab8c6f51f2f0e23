// The storage contract against the S3 adapter on Ceph RGW 16 (Debian 12), a real S3 that honours
// conditional PutObject: compare-and-swap and atomic puts run here with no skips. The one skipped
// pair is RGW ignoring If-None-Match on CopyObject (a no-replace move), which the move's own
// doc comment states; AWS S3 honours it.
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { rgwBucket } from '../../helpers/rgw.js';
import type { S3TestServer } from '../../helpers/s3-server.js';
import { runStorageSuite } from '../../storage/storage-suite.js';

let server: S3TestServer | undefined;

runStorageSuite({
  name: 's3 (Ceph RGW)',
  create: async () => {
    server = await rgwBucket();
    return new S3Store({
      bucket: server.bucket, region: server.region, endpoint: server.endpoint, pathStyle: true,
      credentials: server.credentials, prefix: 'suite',
    });
  },
  teardown: async () => server?.stop(),
  skip: [
    {
      reason: 'Ceph RGW 16 ignores If-None-Match on CopyObject and replaces the destination',
      tests: [
        'move with ifNoneMatch * refuses an existing destination and leaves both objects',
        '10 concurrent no-replace moves onto one key: exactly one creates it',
      ],
    },
  ],
});
