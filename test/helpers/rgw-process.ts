// Starts and stops the run's one Ceph RGW (scripts/s3-rgw/start.sh, stop.sh) under a run
// directory. Whichever worker needs it first starts it (an mkdir is the lock); the others wait
// for its `ready.json` or `failed` file. The global setup's teardown stops it by PID.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const scripts = path.join(__dirname, '..', '..', 'scripts', 's3-rgw');
const WAIT_MS = 180_000;

export interface RgwEndpoint {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(runDir: string): Promise<void> {
  const credentials = { accessKeyId: 'noratestaccess', secretAccessKey: 'noratestsecret' };
  const [rgwPort, monPort, osdPortMin] = [await freePort(), await freePort(), await freePort()];
  const env = {
    ...process.env, RGW_DIR: path.join(runDir, 'rgw'), RGW_PORT: String(rgwPort), MON_PORT: String(monPort),
    OSD_PORT_MIN: String(osdPortMin), S3_ACCESS_KEY: credentials.accessKeyId, S3_SECRET_KEY: credentials.secretAccessKey,
  };
  try {
    await run(path.join(scripts, 'start.sh'), [], { env, timeout: WAIT_MS });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    await fs.writeFile(path.join(runDir, 'failed'), `scripts/s3-rgw/start.sh failed: ${e.message}\n${e.stderr ?? ''}`);
    return;
  }
  const ready: RgwEndpoint = { endpoint: `http://127.0.0.1:${rgwPort}`, region: 'us-east-1', credentials };
  await fs.writeFile(path.join(runDir, 'ready.json.tmp'), JSON.stringify(ready));
  await fs.rename(path.join(runDir, 'ready.json.tmp'), path.join(runDir, 'ready.json'));
}

/** The run's RGW, started by the first caller in any worker. */
export async function ensureRgw(runDir: string): Promise<RgwEndpoint> {
  const claimed = await fs.mkdir(path.join(runDir, 'lock')).then(() => true, () => false);
  if (claimed) await start(runDir);
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const ready = await fs.readFile(path.join(runDir, 'ready.json'), 'utf8').catch(() => undefined);
    if (ready) return JSON.parse(ready) as RgwEndpoint;
    const failed = await fs.readFile(path.join(runDir, 'failed'), 'utf8').catch(() => undefined);
    if (failed) throw new Error(failed);
    if (Date.now() > deadline) throw new Error(`Ceph RGW did not start within ${WAIT_MS / 1000} s (${runDir})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function stopRgw(runDir: string): Promise<void> {
  const rgwDir = path.join(runDir, 'rgw');
  if (!(await fs.stat(rgwDir).catch(() => undefined))) return;
  await run(path.join(scripts, 'stop.sh'), [], { env: { ...process.env, RGW_DIR: rgwDir } });
}
