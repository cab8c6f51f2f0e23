// `nora serve` as a process: health, readiness, request ids, one access-log line per request,
// graceful shutdown with exit 0, and the zero-config defaults.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { rawRequest } from '../../helpers/raw-http.js';

let server: NoraServer | undefined;
afterEach(async () => { await server?.stop(); server = undefined; });

describe('nora serve', () => {
  it('answers /health and /ready, echoes request ids and exits 0 on SIGTERM', async () => {
    server = await startNora();
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const body = await health.json() as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(typeof body.uptime_seconds).toBe('number');

    const ready = await fetch(`${server.url}/ready`, { headers: { 'x-request-id': 'ci-job-42' } });
    expect(ready.status).toBe(200);
    expect(ready.headers.get('x-request-id')).toBe('ci-job-42');
    expect(await ready.json()).toEqual({ status: 'ready', storage: 'fs' });

    const code = await server.stop({ keepData: false });
    server = undefined;
    expect(code).toBe(0);
  });

  it('writes one JSON access-log line per request with the request id and byte counts', async () => {
    server = await startNora();
    await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'trace-me-1' } });
    const running = server;
    const lines = await eventually(() => running.logs().split('\n').filter((l) => l.includes('"trace-me-1"')), (found) => found.length > 0);
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ msg: 'request', method: 'GET', path: '/health', status: 200, req_id: 'trace-me-1', bytes_in: 0 });
    expect(entry.bytes_out).toBeGreaterThan(10);
    expect(typeof entry.ms).toBe('number');
  });

  it('rejects traversal before routing, in every encoding', async () => {
    server = await startNora();
    for (const path of ['/v2/%2e%2e/etc/passwd', '/npm/..%2f..%2fsecret', '/maven2/a/%2E%2E/b', '/x/%00', '/x/%5c..%5cwin', '/v2/a/../b']) {
      const response = await rawRequest(server.url, path);
      expect(response.status, path).toBe(400);
      // Each protocol answers in its own clients' shape: OCI's spec codes, plain text for Maven,
      // NORA's JSON elsewhere; every one of them says why.
      if (path.startsWith('/v2/')) expect((JSON.parse(response.text) as { errors: Array<{ code: string }> }).errors[0]?.code, path).toBe('NAME_INVALID');
      else expect(response.text, path).toMatch(/INVALID_PATH|invalid path/);
    }
  });

  it('reports 503 on /ready when the data directory stops being writable', async () => {
    server = await startNora();
    const { rm } = await import('node:fs/promises');
    await rm(`${server.dataDir}/.tmp`, { recursive: true, force: true });
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', storage: 'fs' });
  });
});
