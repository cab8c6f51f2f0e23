// The crates.io cache in-process against a scripted upstream on 127.0.0.1:0: one upstream fetch
// for concurrent downloads, TTL caching of index files, upstream statuses, and `dl` taken from
// the upstream's config.json when [cargo] upstream_dl is empty.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

const crate = gzipSync(Buffer.from('cached crate bytes'));
const cksum = createHash('sha256').update(crate).digest('hex');
const line = `${JSON.stringify({ name: 'Cached', vers: '1.0.0', deps: [], cksum, features: {}, yanked: false, links: null })}\n`;

let upstream: http.Server;
let base: string;
let hits: Record<string, number>;
let indexStatus: number;
let garbage: boolean;
let t: TestApp | undefined;

beforeEach(async () => {
  hits = {};
  indexStatus = 200;
  garbage = false;
  upstream = http.createServer((request, response) => {
    const url = request.url ?? '';
    hits[url] = (hits[url] ?? 0) + 1;
    if (url === '/index/config.json') response.end(JSON.stringify({ dl: `${base}/files/{lowerprefix}/{crate}-{version}.crate` }));
    else if (url === '/index/ca/ch/cached') {
      response.statusCode = indexStatus;
      response.setHeader('etag', '"v1"');
      response.end(indexStatus === 200 ? (garbage ? '<html>maintenance</html>' : line) : '');
    } else if (url === '/index/br/ok/broken') {
      response.end(line.replace('"Cached"', '"broken"'));
    } else if (url === '/dl/broken/1.0.0/download') {
      response.setHeader('content-length', crate.length);
      response.write(crate.subarray(0, 10));
      setTimeout(() => response.destroy(), 20);
    } else if (url === '/dl/Cached/1.0.0/download') {
      // As crates.io's API does: a redirect to the file.
      response.statusCode = 302;
      response.setHeader('location', '/files/ca/ch/Cached-1.0.0.crate');
      response.end();
    } else if (url === '/files/ca/ch/Cached-1.0.0.crate') {
      setTimeout(() => response.end(crate), 50);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await t?.close();
  t = undefined;
  await new Promise((resolve) => upstream.close(resolve));
});

async function start(settings: Record<string, string>): Promise<TestApp> {
  t = await buildTestApp({ settings: { 'cargo.upstream_index': `sparse+${base}/index/`, 'cargo.upstream_dl': `${base}/dl`, ...settings } });
  return t;
}

describe('crates.io cache', () => {
  it('fetches a .crate once for concurrent downloads, following redirects, and serves it verified', async () => {
    const { app } = await start({});
    const responses = await Promise.all(Array.from({ length: 5 }, () => app.inject({ url: '/cargo/crates-io/api/v1/crates/Cached/1.0.0/download' })));
    for (const response of responses) {
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(crate)).toBe(true);
    }
    expect(hits['/dl/Cached/1.0.0/download']).toBe(1);
    expect(hits['/files/ca/ch/Cached-1.0.0.crate']).toBe(1);
    expect((await app.inject({ url: '/cargo/crates-io/api/v1/crates/Cached/1.0.0/download' })).statusCode).toBe(200);
    expect(hits['/dl/Cached/1.0.0/download']).toBe(1);
    expect(hits['/files/ca/ch/Cached-1.0.0.crate']).toBe(1);
    expect((await app.inject({ url: '/cargo/crates-io/api/v1/crates/Cached/2.0.0/download' })).statusCode).toBe(404);
  });

  it('serves index files from cache within the TTL and revalidates after it', async () => {
    const cached = await start({ 'cargo.upstream_ttl': '1h' });
    for (let i = 0; i < 3; i++) expect((await cached.app.inject({ url: '/cargo/crates-io/index/ca/ch/cached' })).body).toBe(line);
    expect(hits['/index/ca/ch/cached']).toBe(1);
    await cached.close();
    const fresh = await start({ 'cargo.upstream_ttl': '0s' });
    for (let i = 0; i < 2; i++) expect((await fresh.app.inject({ url: '/cargo/crates-io/index/ca/ch/cached' })).body).toBe(line);
    expect(hits['/index/ca/ch/cached']).toBe(3);
  });

  it('serves the stale copy when the upstream fails, 502 without one, 404 when the upstream has no crate', async () => {
    const { app } = await start({ 'cargo.upstream_ttl': '0s' });
    indexStatus = 503;
    const none = await app.inject({ url: '/cargo/crates-io/index/ca/ch/cached' });
    expect(none.statusCode).toBe(502);
    expect(none.json()).toEqual({ errors: [{ detail: `upstream ${base}/index/ca/ch/cached is unavailable (status 503) and nothing is cached` }] });
    indexStatus = 200;
    expect((await app.inject({ url: '/cargo/crates-io/index/ca/ch/cached' })).statusCode).toBe(200);
    indexStatus = 500;
    const stale = await app.inject({ url: '/cargo/crates-io/index/ca/ch/cached' });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(line);
    expect((await app.inject({ url: '/cargo/crates-io/index/ot/he/other' })).statusCode).toBe(404);
    // A 200 that is no index file (a maintenance page) does not replace the cached copy.
    indexStatus = 200;
    garbage = true;
    expect((await app.inject({ url: '/cargo/crates-io/index/ca/ch/cached' })).body).toBe(line);
  });

  it('answers 502 when the upstream stops sending a .crate mid-way, and stores nothing', async () => {
    const { app } = await start({});
    const response = await app.inject({ url: '/cargo/crates-io/api/v1/crates/broken/1.0.0/download' });
    expect(response.statusCode).toBe(502);
    expect(response.json<{ errors: Array<{ detail: string }> }>().errors[0]!.detail).toMatch(/^upstream http:\/\/127\.0\.0\.1:\d+\/dl\/broken\/1\.0\.0\/download is unavailable/);
    expect(await app.inject({ url: '/cargo/crates-io/api/v1/crates/broken/1.0.0/download' }).then((r) => r.statusCode)).toBe(502);
    expect(hits['/dl/broken/1.0.0/download']).toBe(2);
  });

  it('takes dl from the upstream config.json when upstream_dl is empty', async () => {
    const { app } = await start({ 'cargo.upstream_dl': '' });
    const response = await app.inject({ url: '/cargo/crates-io/api/v1/crates/Cached/1.0.0/download' });
    expect(response.statusCode).toBe(200);
    expect(hits['/index/config.json']).toBe(1);
    expect(hits['/files/ca/ch/Cached-1.0.0.crate']).toBe(1);
  });
});
