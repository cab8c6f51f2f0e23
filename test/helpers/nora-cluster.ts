// Several `nora serve` processes on one bucket of the run's Ceph RGW: the scale-out deployment
// (stateless servers, one S3 bucket, no database) on loopback. Each node has its own data dir
// (only its audit log lives there); stop() ends every node, then empties and drops the bucket.
import { startNora, type NoraServer } from './nora-process.js';
import { rgwBucket } from './rgw.js';
import type { S3TestServer } from './s3-server.js';

/** Several servers start at once, beside other test files' servers, on two cores: give them time. */
const START_TIMEOUT_MS = 60_000;

export interface NoraCluster {
  nodes: NoraServer[];
  bucket: S3TestServer;
  stop(): Promise<void>;
}

export const s3Env = (s3: S3TestServer): NodeJS.ProcessEnv => ({
  NORA_STORAGE_BACKEND: 's3', NORA_STORAGE_S3_BUCKET: s3.bucket, NORA_STORAGE_S3_ENDPOINT: s3.endpoint, NORA_STORAGE_S3_REGION: s3.region,
  NORA_STORAGE_S3_PATH_STYLE: 'true', NORA_STORAGE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, NORA_STORAGE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
});

export async function startCluster(size: number, options: { env?: NodeJS.ProcessEnv; args?: string[] } = {}): Promise<NoraCluster> {
  const bucket = await rgwBucket();
  const started = await Promise.allSettled(Array.from({ length: size }, () => startNora({ env: { ...s3Env(bucket), ...options.env }, args: options.args ?? [], startTimeoutMs: START_TIMEOUT_MS })));
  const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await bucket.stop();
  };
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  return { nodes, bucket, stop };
}
