// A throw-away Ceph RGW for the S3 benches (scripts/s3-rgw/start.sh on free loopback ports under
// `dir`), and the environment that points `nora serve` at one of its buckets.
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

export const freePort = () => new Promise((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

/** Starts RGW; `stop()` stops it and removes its directory. */
export async function startRgw(dir) {
  const [rgwPort, monPort, osdPortMin] = [await freePort(), await freePort(), await freePort()];
  const credentials = { accessKeyId: 'benchaccess', secretAccessKey: 'benchsecret' };
  const env = { ...process.env, RGW_DIR: path.join(dir, 'rgw'), RGW_PORT: String(rgwPort), MON_PORT: String(monPort), OSD_PORT_MIN: String(osdPortMin), S3_ACCESS_KEY: credentials.accessKeyId, S3_SECRET_KEY: credentials.secretAccessKey };
  await run(path.join(ROOT, 'scripts', 's3-rgw', 'start.sh'), [], { env, timeout: 300_000 });
  return { endpoint: `http://127.0.0.1:${rgwPort}`, credentials, stop: () => run(path.join(ROOT, 'scripts', 's3-rgw', 'stop.sh'), [], { env }) };
}

/** `nora serve`'s environment for `bucket` of `rgw` (other NORA_ variables dropped, NORA_BIN kept). */
export function s3Env(rgw, bucket, extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NORA_') || k === 'NORA_BIN'));
  return Object.assign(env, {
    NORA_STORAGE_BACKEND: 's3', NORA_STORAGE_S3_BUCKET: bucket, NORA_STORAGE_S3_ENDPOINT: rgw.endpoint, NORA_STORAGE_S3_REGION: 'us-east-1', NORA_STORAGE_S3_PATH_STYLE: 'true',
    NORA_STORAGE_S3_ACCESS_KEY_ID: rgw.credentials.accessKeyId, NORA_STORAGE_S3_SECRET_ACCESS_KEY: rgw.credentials.secretAccessKey,
  }, extra);
}
