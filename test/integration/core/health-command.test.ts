// `nora health` as a container HEALTHCHECK runs it: against a running server it prints 200 and
// exits 0 (/health, and /ready with --ready); the port taken from the config file; a refused
// connection or a non-200 answer exits 1; a malformed --url exits 2.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';

let nora: NoraServer;
let dir: string;

beforeAll(async () => {
  nora = await startNora();
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-health-'));
});

afterAll(async () => {
  await nora?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('nora health', () => {
  it('answers 200 for /health and /ready of a running server', async () => {
    const health = await runNora(['health', '--url', nora.url]);
    expect(health.code, health.stderr).toBe(0);
    expect(health.stdout).toMatch(/^200 http:\/\/127\.0\.0\.1:\d+\/health \{"status":"ok"/);
    const ready = await runNora(['health', '--ready', '--url', nora.url]);
    expect(ready.code, ready.stderr).toBe(0);
    expect(ready.stdout).toMatch(/^200 http:\/\/127\.0\.0\.1:\d+\/ready /);
  });

  it('finds the server from the config file when no --url is given (0.0.0.0 becomes 127.0.0.1)', async () => {
    const port = new URL(nora.url).port;
    const file = path.join(dir, 'nora.toml');
    await writeFile(file, `[server]\nhost = "0.0.0.0"\nport = ${port}\n`);
    const result = await runNora(['health', '--config', file], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`200 http://127.0.0.1:${port}/health`);
  });

  it('exits 1 when nothing listens', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const result = await runNora(['health', '--url', `http://127.0.0.1:${port}`]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('connection refused');
  });

  it('exits 1 on a non-200 answer and prints it', async () => {
    const server = http.createServer((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"status":"unavailable"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const result = await runNora(['health', '--url', `http://127.0.0.1:${(server.address() as AddressInfo).port}`]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('503 ');
      expect(result.stdout).toContain('"status":"unavailable"');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits 2 for a --url that is not http(s)', async () => {
    const result = await runNora(['health', '--url', 'ftp://example.com']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not an http(s) URL');
  });
});
