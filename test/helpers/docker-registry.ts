// Runs Debian's `docker-registry` (CNCF distribution) on loopback as an upstream for the
// pull-through tests: filesystem storage in a temp dir, optionally behind htpasswd Basic auth.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';

export interface DistributionRegistry {
  url: string;
  host: string;
  /** Stops the process; `start()` brings it back on the same port with the same storage. */
  stop(): Promise<void>;
  start(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Docker token protocol: the registry sends clients to `realm` and trusts tokens signed by `certificate`'s key. */
export interface TokenAuthOptions { realm: string; service: string; issuer: string; certificate: string }

export async function startDistribution(options: { user?: { name: string; password: string }; token?: TokenAuthOptions } = {}): Promise<DistributionRegistry> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nora-distribution-'));
  const port = await freePort();
  let auth = '';
  if (options.user) {
    await writeFile(path.join(dir, 'htpasswd'), `${options.user.name}:${bcrypt.hashSync(options.user.password, 5)}\n`);
    auth = `auth:\n  htpasswd:\n    realm: test\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  if (options.token) {
    await writeFile(path.join(dir, 'token-root.pem'), options.token.certificate);
    const t = options.token;
    auth = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${path.join(dir, 'token-root.pem')}\n`;
  }
  const config = path.join(dir, 'config.yml');
  await writeFile(config, `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`);
  const url = `http://127.0.0.1:${port}`;
  let child: ReturnType<typeof spawn> | undefined;

  const start = async () => {
    const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    for (let i = 0; i < 200; i++) {
      if (proc.exitCode !== null) throw new Error(`docker-registry exited: ${stderr}`);
      const up = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
        socket.once('error', () => resolve(false));
      });
      if (up) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`docker-registry did not listen: ${stderr}`);
  };
  const stop = async () => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url, host: `127.0.0.1:${port}`, start, stop, async cleanup() { await stop(); await rm(dir, { recursive: true, force: true }); } };
}
