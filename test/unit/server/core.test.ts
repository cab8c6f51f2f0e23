// The server core through fastify's inject(): access declarations and the authorize() seam,
// protocol error shapes, request ids, trusted proxies and public URLs, metrics, body limits.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AccessRequest, Authorizer } from '../../../src/lib/auth/access.js';
import { NoraError } from '../../../src/lib/errors/nora-error.js';
import { publicBaseUrl } from '../../../src/server/core/public-url.js';
import type { Protocol } from '../../../src/server/protocols.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let current: TestApp | undefined;
afterEach(async () => { await current?.close(); current = undefined; });

const demo: Protocol = {
  name: 'demo',
  prefix: '/demo',
  plugin: async (app: FastifyInstance, { errorShapes, services }) => {
    errorShapes.register('/demo/', (error) => ({ status: error.status, body: `demo says: ${error.message}\n`, headers: { 'content-type': 'text/plain' } }));
    app.get('/items/:name', { config: { access: (request) => ({ action: 'pull', format: 'demo', name: (request.params as { name: string }).name }) } },
      async (request) => ({ name: (request.params as { name: string }).name, identity: request.identity.name, access: request.access }));
    app.put('/items/:name', { config: { access: (request) => ({ action: 'push', format: 'demo', name: (request.params as { name: string }).name }) } },
      async () => ({ ok: true }));
    app.get('/fail', { config: { access: 'public' } }, async () => { throw new NoraError('DEMO_BROKEN', 409, 'the demo conflicts'); });
    app.get('/crash', { config: { access: 'public' } }, async () => { throw new Error('secret internals'); });
    app.get('/base', { config: { access: 'public' } }, async (request) => ({ base: publicBaseUrl(request, services.config.server.public_url), ip: request.ip }));
  },
};

async function start(settings: Record<string, string> = {}): Promise<TestApp> {
  current = await buildTestApp({ protocols: [demo], settings });
  return current;
}

describe('route access', () => {
  it('passes the declared access request through the authorize() seam', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/demo/items/widget' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'widget', identity: 'anonymous', access: [{ action: 'pull', format: 'demo', name: 'widget' }] });
  });

  it('answers an anonymous caller the authorizer refuses with 401 in the protocol shape, before the handler runs', async () => {
    const seen: AccessRequest[][] = [];
    const denyPush: Authorizer = { authorize: async (_identity, requests) => { seen.push(requests); return requests.every((r) => r.action !== 'push'); } };
    current = await buildTestApp({ protocols: [demo], authorizer: denyPush });
    const response = await current.app.inject({ method: 'PUT', url: '/demo/items/widget', payload: { a: 1 } });
    expect(response.statusCode).toBe(401);
    expect(response.body).toBe('demo says: authentication required: anonymous may not push on demo:widget\n');
    expect(seen.at(-1)).toEqual([{ action: 'push', format: 'demo', name: 'widget' }]);
    expect((await current.app.inject({ method: 'GET', url: '/demo/items/widget' })).statusCode).toBe(200);
  });

  it('refuses to start when a route declares no access', async () => {
    const undeclared: Protocol = { name: 'bad', prefix: '/bad', plugin: async (app) => { app.get('/open', async () => 'oops'); } };
    await expect(buildTestApp({ protocols: [undeclared] })).rejects.toThrow('route GET /bad/open declares no access (config.access)');
  });
});

describe('errors', () => {
  it('renders domain errors in the shape registered for the prefix', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/demo/fail' });
    expect(response.statusCode).toBe(409);
    expect(response.body).toBe('demo says: the demo conflicts\n');
  });

  it('answers unexpected failures with INTERNAL and the request id, never the internals', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/demo/crash', headers: { 'x-request-id': 'req-500' } });
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe('demo says: internal error (request id req-500)\n');
    expect(response.body).not.toContain('secret internals');
  });

  it('uses NORA\'s JSON shape outside protocol prefixes', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/elsewhere' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'not found: GET /elsewhere' } });
  });

  it('maps an oversized body to 413 TOO_LARGE', async () => {
    const { app } = await start({ 'server.body_limit': '1KiB' });
    const response = await app.inject({ method: 'PUT', url: '/demo/items/x', payload: { blob: 'x'.repeat(4096) } });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('request body is larger than the configured limit');
  });
});

describe('request ids', () => {
  it('honours a well-formed X-Request-Id and replaces a hostile one', async () => {
    const { app } = await start();
    const kept = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'gh-actions:123.4' } });
    expect(kept.headers['x-request-id']).toBe('gh-actions:123.4');
    const replaced = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'evil\u0000"}{' } });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['markup', '<script>alert(1)</script>'], ['10 KB', 'a'.repeat(10_000)], ['129 characters', 'a'.repeat(129)],
    ['spaces', 'id with spaces'], ['two ids', 'a, b'], ['non-ASCII', 'idé'],
  ])('replaces an X-Request-Id with %s by a generated one', async (_label, id) => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('keeps a well-formed id of 128 characters', async () => {
    const { app } = await start();
    const id = `trace-${'0123456789abcdef'.repeat(8)}`.slice(0, 128);
    expect((await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': id } })).headers['x-request-id']).toBe(id);
  });
});

describe('public URL and trusted proxies', () => {
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'nora.example.com', 'x-forwarded-for': '203.0.113.9' };

  it('ignores X-Forwarded-* by default', async () => {
    const { app } = await start();
    const response = await app.inject({ method: 'GET', url: '/demo/base', headers: { host: 'internal:4000', ...forwarded }, remoteAddress: '10.0.0.5' });
    expect(response.json()).toEqual({ base: 'http://internal:4000', ip: '10.0.0.5' });
  });

  it('believes X-Forwarded-* from a trusted proxy only', async () => {
    const { app } = await start({ 'server.trusted_proxies': '10.0.0.0/8' });
    const trusted = await app.inject({ method: 'GET', url: '/demo/base', headers: { host: 'internal:4000', ...forwarded }, remoteAddress: '10.0.0.5' });
    expect(trusted.json()).toEqual({ base: 'https://nora.example.com', ip: '203.0.113.9' });
    const untrusted = await app.inject({ method: 'GET', url: '/demo/base', headers: { host: 'internal:4000', ...forwarded }, remoteAddress: '192.0.2.1' });
    expect(untrusted.json()).toEqual({ base: 'http://internal:4000', ip: '192.0.2.1' });
  });

  it('prefers server.public_url when set', async () => {
    const { app } = await start({ 'server.public_url': 'https://registry.example.org/' });
    const response = await app.inject({ method: 'GET', url: '/demo/base', headers: forwarded });
    expect(response.json()).toMatchObject({ base: 'https://registry.example.org' });
  });
});

describe('metrics', () => {
  it('counts requests by route and status, and storage operations', async () => {
    const { app } = await start();
    await app.inject({ method: 'GET', url: '/demo/items/a' });
    await app.inject({ method: 'GET', url: '/ready' });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('nora_http_requests_total{method="GET",route="/demo/items/:name",status="200"} 1');
    expect(metrics).toContain('nora_storage_operations_total{backend="memory",operation="check"} 1');
    expect(metrics).toMatch(/nora_http_request_duration_seconds_bucket\{le="0.001",method="GET",route="\/demo\/items\/:name"\}/);
  });

  it('is absent when metrics.enabled = false', async () => {
    const { app } = await start({ 'metrics.enabled': 'false' });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
  });
});
