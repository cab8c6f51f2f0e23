// SIGTERM while a request is in flight: NORA stops accepting new connections, lets the
// in-flight upload finish (it lands, 201), then exits 0. With a short shutdown_timeout, a
// request that outlives it is cut and the process still exits 0.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';

let server: NoraServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

/** POSTs `chunks` to a monolithic upload one every `gapMs`, calling `midway` once the server is reading it. */
/** The exit code once the process has exited by itself (no further signal is sent). */
function exitCode(server: NoraServer): Promise<number | null> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function slowUpload(url: string, name: string, chunks: Buffer[], gapMs: number, midway: () => void): Promise<{ status: number } | { error: string }> {
  const body = Buffer.concat(chunks);
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const target = new URL(`${url}/v2/${name}/blobs/uploads/?digest=${digest}`);
  return new Promise((resolve) => {
    const request = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', agent: false,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) } }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
    });
    request.on('error', (error) => resolve({ error: error.message }));
    let i = 0;
    const next = () => {
      request.write(chunks[i++]);
      if (i === 2) midway();
      if (i < chunks.length) setTimeout(next, gapMs);
      else request.end();
    };
    next();
  });
}

const chunks = Array.from({ length: 6 }, (_, i) => Buffer.alloc(64 * 1024, i));

it('finishes an in-flight upload after SIGTERM, refuses new connections, and exits 0', async () => {
  server = await startNora();
  const running = server;
  let refused: Promise<string> | undefined;
  const upload = slowUpload(running.url, 'team/app', chunks, 200, () => {
    running.process.kill('SIGTERM');
    // Once the server logs that it is shutting down it has begun closing: a new connection is refused (or 503).
    refused = eventually(() => running.logs(), (logs) => logs.includes('"msg":"shutting down"'))
      .then(() => fetch(`${running.url}/health`).then((res) => `answered ${res.status}`, (error: Error) => `refused: ${error.message}`));
  });
  expect(await upload).toEqual({ status: 201 });
  expect(await refused).toMatch(/^refused|^answered 503$/);
  expect(await exitCode(running)).toBe(0);
  expect(running.logs()).toContain('"msg":"shutting down"');
}, 20_000);

it('cuts a request that outlives server.shutdown_timeout and still exits 0', async () => {
  server = await startNora({ env: { NORA_SERVER_SHUTDOWN_TIMEOUT: '300ms' } });
  const running = server;
  const upload = slowUpload(running.url, 'team/slow', chunks, 400, () => running.process.kill('SIGTERM'));
  expect(await upload).toMatchObject({ error: expect.any(String) as unknown });
  expect(await exitCode(running)).toBe(0);
  expect(running.logs()).toContain('shutdown timeout reached');
}, 20_000);
