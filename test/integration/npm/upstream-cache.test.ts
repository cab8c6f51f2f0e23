// The upstream cache with a second NORA as the public registry: packuments revalidated with the
// ETag, tarballs fetched once and then served from the cache, served stale when the upstream is
// down, and a clear 502 naming the upstream when nothing is cached. metadata_ttl is 0 here, so
// nothing waits for it to pass; the TTL itself is tested with a fake clock in
// test/http/npm/upstream-ttl.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { tarballBytes } from '../../helpers/npm-fixtures.js';
import { eventually } from '../../helpers/eventually.js';
import { loggedRequests, publish, requestsFor } from '../../helpers/npm-http.js';

let upstream: NoraServer;
let proxy: NoraServer;

beforeAll(async () => {
  upstream = await startNora({ env: { NORA_NPM_UPSTREAM: '' } });
  proxy = await startNora({ env: { NORA_NPM_UPSTREAM: `${upstream.url}/npm`, NORA_NPM_METADATA_TTL: '0ms' } });
});
afterAll(async () => { await proxy?.stop(); await upstream?.stop(); });

describe('npm upstream cache (NORA as upstream)', { timeout: 60_000 }, () => {
  it('caches packuments and tarballs, rewrites tarball URLs, revalidates with the ETag and serves stale when the upstream is down', async () => {
    const bytes = tarballBytes('cached', 50_000);
    expect((await publish(upstream.url, '@up/cached', { tarball: bytes })).status).toBe(201);

    const first = await fetch(`${proxy.url}/npm/@up%2fcached`);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-nora-cache')).toBe('miss');
    const packument = await first.json() as { versions: Record<string, { dist: { tarball: string } }>; _rev?: string };
    const tarballUrl = packument.versions['1.0.0']!.dist.tarball;
    expect(tarballUrl).toBe(`${proxy.url}/npm/@up/cached/-/cached-1.0.0.tgz`);

    // past the (zero) TTL: one conditional request, answered 304
    const second = await fetch(`${proxy.url}/npm/@up/cached`, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
    expect(second.headers.get('x-nora-cache')).toBe('revalidated');
    expect(((await second.json()) as { versions: Record<string, unknown> }).versions['1.0.0']).toBeDefined();

    for (const expected of ['miss', 'hit']) {
      const tgz = await fetch(tarballUrl);
      expect(tgz.status).toBe(200);
      expect(tgz.headers.get('x-nora-cache')).toBe(expected);
      expect(Buffer.from(await tgz.arrayBuffer()).equals(bytes)).toBe(true);
    }
    const packuments = () => requestsFor(upstream, '/npm/@up%2fcached').map((r) => r.status);
    // (with a zero TTL the tarball requests revalidate the packument too: every later answer is a 304)
    const [fetched, ...revalidations] = await eventually(packuments, (p) => p.length >= 4);
    expect([fetched, new Set(revalidations)]).toEqual([200, new Set([304])]);
    const tarballs = () => requestsFor(upstream, '/npm/@up/cached/-/cached-1.0.0.tgz');
    expect(await eventually(tarballs, (r) => r.length >= 1)).toHaveLength(1);

    // a new upstream version shows on the next request
    expect((await publish(upstream.url, '@up/cached', { version: '1.1.0' })).status).toBe(201);
    const refreshed = await (await fetch(`${proxy.url}/npm/@up%2fcached`)).json() as { versions: Record<string, unknown> };
    expect(Object.keys(refreshed.versions).sort()).toEqual(['1.0.0', '1.1.0']);

    // audit requests are relayed byte for byte (npm gzips them) to the upstream
    const { gzipSync } = await import('node:zlib');
    const audit = await fetch(`${proxy.url}/npm/-/npm/v1/security/advisories/bulk`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(JSON.stringify({ '@up/cached': ['1.0.0'] })),
    });
    expect(audit.status).toBe(200);
    expect(await audit.json()).toEqual({});
    const audits = () => loggedRequests(upstream).filter((r) => r.method === 'POST' && r.path === '/npm/-/npm/v1/security/advisories/bulk');
    expect(await eventually(audits, (r) => r.length >= 1)).toHaveLength(1);

    // upstream down: the cached packument and tarball are still served, marked stale
    await upstream.stop({ keepData: true });
    const stale = await fetch(`${proxy.url}/npm/@up%2fcached`);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-nora-cache')).toBe('stale');
    const staleTarball = await fetch(tarballUrl);
    expect(staleTarball.status).toBe(200);
    expect(staleTarball.headers.get('x-nora-cache')).toBe('stale');
    expect(Buffer.from(await staleTarball.arrayBuffer()).equals(bytes)).toBe(true);

    // nothing cached: 502 naming the upstream
    const uncached = await fetch(`${proxy.url}/npm/never-fetched`);
    expect(uncached.status).toBe(502);
    const error = await uncached.json() as { error: string };
    expect(error.error).toContain(`upstream registry ${upstream.url}/npm is unavailable`);
  });
});
