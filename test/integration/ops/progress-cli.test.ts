// Progress of the operator commands as a person and a script see it: on a terminal (a pseudo-
// terminal from util-linux `script`) backup, restore and migrate draw bars counting bytes with a
// rate and an ETA, and a phase with nothing to do draws nothing; piped without --json, stderr
// stays empty. An interrupted backup (SIGINT to the real process, held in its blob phase by a
// proxy in front of S3 that never answers a blob read) removes its .partial file.
// Each test runs several nora processes: 90 s each, for a loaded CI machine.
import { execFile, spawn } from 'node:child_process';
import http from 'node:http';
import type net from 'node:net';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, noraCommand, runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { publishAll } from '../../helpers/all-formats.js';
import { startS3Server, type S3TestServer } from '../../helpers/s3-server.js';

let nora: NoraServer;
let empty: NoraServer;
let s3: S3TestServer;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-progress-'));
  [nora, empty, s3] = await Promise.all([startNora(), startNora(), startS3Server()]);
  await publishAll(nora.url, 'bars');
});
afterAll(async () => {
  await Promise.all([nora.stop(), empty.stop(), s3.stop()]);
  await rm(dir, { recursive: true, force: true });
});

function onTerminal(args: string[]): Promise<{ code: number; output: string }> {
  const command = [...noraCommand(), ...args].map((part) => `'${part}'`).join(' ');
  const env = Object.fromEntries(Object.entries(cleanEnv()).filter(([key]) => !['NO_COLOR', 'FORCE_COLOR', 'CI'].includes(key)));
  return new Promise((resolve) => {
    execFile('script', ['-qfec', command, '/dev/null'], { env: { ...env, TERM: 'xterm-256color', COLUMNS: '150', NO_COLOR: '1' } }, (error, stdout) => {
      resolve({ code: error ? Number(error.code) : 0, output: stdout });
    });
  });
}

const s3Env = (endpoint: string) => ({
  NORA_STORAGE_BACKEND: 's3', NORA_STORAGE_S3_BUCKET: s3.bucket, NORA_STORAGE_S3_ENDPOINT: endpoint, NORA_STORAGE_S3_REGION: s3.region,
  NORA_STORAGE_S3_PATH_STYLE: 'true', NORA_STORAGE_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, NORA_STORAGE_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
});

describe('progress bars on a terminal', { timeout: 90_000 }, () => {
  it('backup, restore and migrate count bytes with rate and ETA; the result follows', async () => {
    const archive = path.join(dir, 'bars.tar.gz');
    const backup = await onTerminal(['backup', '-o', archive, '--data-dir', nora.dataDir]);
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toMatch(/blobs\s+\[[^\]]*\] 100% [\d.]+ (B|KiB) ?\/[\d.]+ (B|KiB) [\d.]+ (B|KiB|MiB|GiB)\/s ETA/);
    expect(backup.output).toMatch(/backup: written \d+ documents/);

    const restore = await onTerminal(['restore', '-i', archive, '--data-dir', path.join(dir, 'restored')]);
    expect(restore.code, restore.output).toBe(0);
    expect(restore.output).toMatch(/archive\s+\[[^\]]*\] 100% [\d.]+ (B|KiB) ?\/[\d.]+ (B|KiB) [\d.]+ (B|KiB|MiB|GiB)\/s ETA/);

    const migrate = await onTerminal(['migrate', '--data-dir', nora.dataDir, '--to-data-dir', path.join(dir, 'migrated')]);
    expect(migrate.code, migrate.output).toBe(0);
    expect(migrate.output).toMatch(/blobs\s+\[[^\]]*\] 100% [\d.]+ (B|KiB) ?\/[\d.]+ (B|KiB) [\d.]+ (B|KiB|MiB|GiB)\/s ETA/);
  });

  it('phases with nothing to do draw nothing; piped without --json, stderr stays empty', async () => {
    const gc = await onTerminal(['gc', '--data-dir', empty.dataDir]);
    expect(gc.code, gc.output).toBe(0);
    expect(gc.output.trim()).toMatch(/^gc: freed 0 blobs, 0 B in \d+ ms/);
    const piped = await runNora(['backup', '-o', path.join(dir, 'piped.tar.gz'), '--data-dir', nora.dataDir]);
    expect([piped.code, piped.stderr]).toEqual([0, '']);
    expect(piped.stdout).toMatch(/^backup: written/);
  });
});

describe('an interrupted backup', { timeout: 90_000 }, () => {
  it('SIGINT removes FILE.partial and exits 130', async () => {
    const migrated = await runNora(['migrate', '--data-dir', nora.dataDir, '--to-s3-bucket', s3.bucket, '--to-s3-endpoint', s3.endpoint, '--to-s3-region', s3.region, '--to-s3-path-style'], {
      env: { AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey },
    });
    expect(migrated.code, migrated.stderr).toBe(0);
    // A proxy that forwards everything to S3 but never answers a blob read: the backup waits there.
    const upstream = new URL(s3.endpoint);
    const sockets = new Set<net.Socket>();
    let held!: () => void;
    const blobRead = new Promise<void>((resolve) => { held = resolve; });
    const proxy = http.createServer((req, res) => {
      if (req.method === 'GET' && /\/blobs\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}($|\?)/.test(req.url ?? '')) return held();
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    proxy.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const archive = path.join(dir, 'interrupted.tar.gz');
    try {
      const [cmd, ...lead] = noraCommand();
      const child = spawn(cmd, [...lead, 'backup', '-o', archive], { env: { ...cleanEnv(), ...s3Env(`http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`) }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.stdout.resume();
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await Promise.race([blobRead, exited]);
      expect((await stat(`${archive}.partial`)).isFile()).toBe(true);
      child.kill('SIGINT');
      expect(await exited, stderr).toBe(130);
      expect(stderr).toContain(`nora backup: interrupted (SIGINT); removed ${archive}.partial`);
      await expect(stat(`${archive}.partial`)).rejects.toThrow();
      await expect(stat(archive)).rejects.toThrow();
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
