// The pull-through cache in process (memory storage) against a small upstream that demands the
// Docker token protocol: a 401 with a Bearer challenge, a token service checking the configured
// user, tokens reused until they expire. Also: a locally pushed repository wins over the default
// upstream, and pushes into a prefix upstream's namespace are refused.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const layer = Buffer.from('a layer from the token-protected upstream');
const config = Buffer.from('{}');
const manifest = Buffer.from(JSON.stringify({
  schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(layer), size: layer.length }],
}));
const log: string[] = [];
let upstream: http.Server;
let base: string;
let nora: TestApp;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    if (req.url!.startsWith('/token')) {
      const url = new URL(req.url!, 'http://x');
      const basic = `Basic ${Buffer.from('robot:s3cret').toString('base64')}`;
      if (req.headers.authorization !== basic || url.searchParams.get('scope') !== 'repository:library/hello:pull' || url.searchParams.get('service') !== 'fake') {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'tok-1', expires_in: 300 }));
      return;
    }
    if (req.headers.authorization !== 'Bearer tok-1') {
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="fake",scope="repository:library/hello:pull"` }).end();
      return;
    }
    const bodies: Record<string, [Buffer, string]> = {
      '/v2/library/hello/manifests/1': [manifest, 'application/vnd.oci.image.manifest.v1+json'],
      [`/v2/library/hello/manifests/${sha(manifest)}`]: [manifest, 'application/vnd.oci.image.manifest.v1+json'],
      [`/v2/library/hello/blobs/${sha(layer)}`]: [layer, 'application/octet-stream'],
      [`/v2/library/hello/blobs/${sha(config)}`]: [config, 'application/octet-stream'],
    };
    const found = bodies[req.url!];
    if (!found) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': found[1], 'content-length': found[0].length, 'docker-content-digest': sha(found[0]), 'ratelimit-remaining': '99;w=21600' });
    res.end(req.method === 'HEAD' ? undefined : found[0]);
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(upstream.address() as net.AddressInfo).port}`;
  nora = await buildTestApp({
    mutate: (c) => {
      const common = { username: '', password: '', password_file: '', password_env: '', metadata_ttl: 300_000, max_concurrency: 4, timeout: 2000, allow_push: false, proxy: '', ca_file: '' };
      c.docker.upstreams = [
        { ...common, name: 'fake', url: base, default: true, prefix: '', username: 'robot', password: 's3cret' },
        { ...common, name: 'down', url: 'http://127.0.0.1:1', default: false, prefix: 'down.example/' },
      ];
    },
  });
});

afterAll(async () => {
  await nora?.close();
  await new Promise((r) => upstream?.close(r));
});

test('a Bearer-protected upstream is pulled with a token from its token service, fetched once', async () => {
  const m = await nora.app.inject({ method: 'GET', url: '/v2/hello/manifests/1' });
  expect(m.statusCode).toBe(200);
  expect(m.headers['docker-content-digest']).toBe(sha(manifest));
  expect(m.rawPayload.equals(manifest)).toBe(true);
  const b = await nora.app.inject({ method: 'GET', url: `/v2/hello/blobs/${sha(layer)}` });
  expect(b.statusCode).toBe(200);
  expect(b.rawPayload.equals(layer)).toBe(true);
  expect(log.filter((l) => l.startsWith('GET /token'))).toHaveLength(1);
  const metrics = await nora.app.inject({ method: 'GET', url: '/metrics' });
  expect(metrics.payload).toContain('nora_upstream_ratelimit_remaining{upstream="fake"} 99');
});

test('a blob the upstream does not have is BLOB_UNKNOWN', async () => {
  const b = await nora.app.inject({ method: 'GET', url: `/v2/hello/blobs/${sha(Buffer.from('nope'))}` });
  expect(b.statusCode).toBe(404);
  expect(b.json<{ errors: Array<{ code: string }> }>().errors[0]!.code).toBe('BLOB_UNKNOWN');
});

test('an upstream refusing a never-pulled name means unknown, so a push to it can check its blobs first', async () => {
  const head = await nora.app.inject({ method: 'HEAD', url: `/v2/newapp/blobs/${sha(layer)}` });
  expect(head.statusCode).toBe(404);
  const m = await nora.app.inject({ method: 'GET', url: '/v2/newapp/manifests/1' });
  expect(m.json<{ errors: Array<{ code: string }> }>().errors[0]!.code).toBe('MANIFEST_UNKNOWN');
  expect((await nora.app.inject({ method: 'POST', url: '/v2/newapp/blobs/uploads/' })).statusCode).toBe(202);
});

test('a repository pushed here wins over the default upstream', async () => {
  const blob = Buffer.from('local layer');
  const cfg = Buffer.from('{"local":true}');
  for (const bytes of [blob, cfg]) {
    const put = await nora.app.inject({ method: 'POST', url: `/v2/mine/blobs/uploads/?digest=${sha(bytes)}`, payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(put.statusCode).toBe(201);
  }
  const own = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(cfg), size: cfg.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha(blob), size: blob.length }],
  }));
  const pushed = await nora.app.inject({ method: 'PUT', url: '/v2/mine/manifests/1', payload: own, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });
  expect(pushed.statusCode).toBe(201);
  const before = log.length;
  expect((await nora.app.inject({ method: 'GET', url: '/v2/mine/manifests/1' })).headers['docker-content-digest']).toBe(sha(own));
  expect((await nora.app.inject({ method: 'GET', url: '/v2/mine/manifests/2' })).statusCode).toBe(404);
  expect(log.length).toBe(before);
});

test('pushes into a prefix upstream namespace or a cached repository are refused before any byte', async () => {
  for (const name of ['down.example/team/app', 'hello']) {
    const response = await nora.app.inject({ method: 'POST', url: `/v2/${name}/blobs/uploads/` });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ errors: Array<{ code: string; message: string }> }>().errors[0]!.message).toContain('allow_push');
  }
});

test('an unreachable upstream with nothing cached is 503 UNAVAILABLE naming it', async () => {
  const response = await nora.app.inject({ method: 'GET', url: '/v2/down.example/team/app/manifests/1' });
  expect(response.statusCode).toBe(503);
  expect(response.json<{ errors: Array<{ code: string; message: string }> }>().errors[0]).toMatchObject({ code: 'UNAVAILABLE' });
  expect(response.payload).toContain('down');
});
