// Leases and the durable queue on the S3 adapter against Ceph RGW (the run's one instance, a
// bucket of its own): conditional writes are real here, so the racing cases run with no skips.
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { rgwBucket } from '../../helpers/rgw.js';
import type { S3TestServer } from '../../helpers/s3-server.js';
import { runCoordinationSuite } from '../../storage/coordination-suite.js';

let server: S3TestServer | undefined;

runCoordinationSuite({
  name: 's3 (Ceph RGW)',
  create: async () => {
    server = await rgwBucket();
    return new S3Store({ bucket: server.bucket, region: server.region, endpoint: server.endpoint, pathStyle: true, credentials: server.credentials, prefix: 'coord' });
  },
  teardown: async () => server?.stop(),
});
