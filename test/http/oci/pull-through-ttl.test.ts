// The pull-through cache's clock: a cached tag is served for tag_ttl without asking the upstream,
// then revalidated with a HEAD (a moved tag is fetched), and served stale while the upstream
// fails. The clock is faked (Date only; timers and sockets stay real), so nothing waits for the
// TTL to pass; test/integration/upstream/pull-through.test.ts drives the same cache with skopeo.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { OCI_MANIFEST } from '../../helpers/oci-client.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';

/** An upstream registry serving one tag, library/moving:latest, that the test can move or break. */
async function fakeRegistry() {
  const state = { manifest: manifestBytes('one'), failing: false, requests: [] as string[] };
  const digest = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '/').split('?', 1)[0]!;
    state.requests.push(`${request.method} ${path}`);
    if (state.failing) return response.writeHead(503).end();
    if (path === '/v2/') return response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    const m = /^\/v2\/library\/moving\/manifests\/(.+)$/.exec(path);
    if (!m || (m[1] !== 'latest' && m[1] !== digest(state.manifest))) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': OCI_MANIFEST, 'content-length': state.manifest.length, 'docker-content-digest': digest(state.manifest) });
    response.end(request.method === 'HEAD' ? undefined : state.manifest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    state,
    digest,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: (prefix: string) => state.requests.filter((r) => r.startsWith(prefix)).length,
    close: () => { server.closeAllConnections(); return new Promise<void>((resolve) => server.close(() => resolve())); },
  };
}

function manifestBytes(seed: string): Buffer {
  const blob = (text: string) => ({ digest: `sha256:${createHash('sha256').update(text).digest('hex')}`, size: text.length });
  return Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...blob(`config ${seed}`) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...blob(`layer ${seed}`) }],
  }));
}

let t: TestApp | undefined;
let upstream: Awaited<ReturnType<typeof fakeRegistry>> | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await t?.close();
  await upstream?.close();
  t = undefined;
  upstream = undefined;
});

const MINUTE = 60_000;

describe('pull-through tag_ttl', () => {
  it('serves a cached tag for tag_ttl, then revalidates it with HEAD, and serves it stale while the upstream fails', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const registry = upstream = await fakeRegistry();
    t = await buildTestApp({
      mutate: (config) => {
        config.docker.upstreams = [upstreamConfig('docker', registry.url, { name: 'hub', default: true, metadata_ttl: MINUTE, max_concurrency: 4 })];
      },
    });
    const pull = async () => {
      const response = await t!.app.inject({ url: '/v2/moving/manifests/latest', headers: { accept: OCI_MANIFEST } });
      return { status: response.statusCode, digest: response.headers['docker-content-digest'], cache: response.headers['x-nora-cache'] };
    };
    const first = registry.digest(registry.state.manifest);
    expect(await pull()).toMatchObject({ status: 200, digest: first });
    const asked = registry.state.requests.length;

    registry.state.manifest = manifestBytes('two');
    const second = registry.digest(registry.state.manifest);
    vi.advanceTimersByTime(MINUTE - 1000);
    expect(await pull()).toMatchObject({ status: 200, digest: first });
    expect(registry.state.requests.length).toBe(asked);

    vi.advanceTimersByTime(2000);
    const heads = registry.count('HEAD /v2/library/moving/manifests/latest');
    expect(await pull()).toMatchObject({ status: 200, digest: second });
    expect(registry.count('HEAD /v2/library/moving/manifests/latest')).toBe(heads + 1);

    registry.state.failing = true;
    expect(await pull()).toMatchObject({ status: 200, digest: second });
    vi.advanceTimersByTime(MINUTE + 1);
    expect(await pull()).toMatchObject({ status: 200, digest: second, cache: 'stale' });
  });
});
