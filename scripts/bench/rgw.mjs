// A throw-away Ceph RGW for the S3 benches (scripts/s3-rgw/start.sh on free loopback ports under
// `dir`), and `nora serve` on one of its buckets.
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

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

/**
 * Starts `nora serve` on `bucket` (`command`: the binary, or node with a bundle and its flags) and
 * waits for its first /v2/ 200; `extra` adds environment variables.
 */
export async function startS3Nora(command, rgw, bucket, dir, extra = {}) {
  const [cmd, ...lead] = command;
  const port = await freePort();
  const child = spawn(cmd, [...lead, 'serve', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dir], { env: s3Env(rgw, bucket, extra), stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`nora exited with ${child.exitCode}`);
    try {
      const { statusCode, body } = await request(`${url}/v2/`);
      await body.dump();
      if (statusCode === 200) return { url, child };
    } catch { /* not listening yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('nora did not start within 60 s');
}
