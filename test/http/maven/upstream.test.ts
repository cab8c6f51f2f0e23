// The upstream cache against a fake Maven Central on loopback: caching as verified blobs, one
// fetch for concurrent requests, checksum mismatches refused, the negative cache, upstream
// order and outages, metadata TTL and merging, and local coordinates never taking upstream data.
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/raw-http.js';
import type { TestApp } from '../../helpers/test-app.js';
import { readCache } from '../../../src/lib/maven/artifact-document.js';
import { fakeUpstream, published, type FakeUpstream } from './fake-upstream.js';
import { JAR, POM, get, hex, mavenApp, put } from './helpers.js';
import type { NoraConfig } from '../../../src/lib/config/schema.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';

let t: TestApp;
let upstreams: FakeUpstream[] = [];
afterEach(async () => {
  await t?.close();
  await Promise.all(upstreams.map((u) => u.close()));
  upstreams = [];
});

const LIB = 'com/acme/lib/1.0/lib-1.0.jar';
const BIG = Buffer.alloc(256 * 1024, 7);

async function start(entries: Array<[string, Buffer]>, maven: (m: NoraConfig['maven']) => void = () => undefined, delayMs = 0) {
  const upstream = await fakeUpstream(entries, { delayMs });
  upstreams.push(upstream);
  t = await mavenApp((m) => { m.upstreams = [upstreamConfig('maven', upstream.url)]; maven(m); });
  return upstream;
}

describe('maven upstream cache', () => {
  it('caches a file on first request as a verified blob and serves it from there', async () => {
    const upstream = await start(published(LIB, BIG));
    const first = await get(t, LIB);
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.equals(BIG)).toBe(true);
    const second = await get(t, LIB);
    expect(second.rawPayload.equals(BIG)).toBe(true);
    expect(second.headers.etag).toBe(`"${hex('sha1', BIG)}"`);
    expect((await get(t, `${LIB}.sha512`)).body).toBe(hex('sha512', BIG));
    expect(upstream.hits.get(LIB)).toBe(1);
    const cached = await readCache(t.services.store, { groupPath: ['com', 'acme'], artifactId: 'lib' });
    expect(cached?.files['1.0/lib-1.0.jar']).toMatchObject({ sha1: hex('sha1', BIG), size: BIG.length, upstream: upstream.url });
    expect(await t.services.blobs.exists(`sha256:${hex('sha256', BIG)}`)).toBe(true);
    // Cached files outlive their upstream.
    await upstream.close();
    expect((await get(t, LIB)).rawPayload.equals(BIG)).toBe(true);
  });

  it('fetches once for concurrent requests of the same file', async () => {
    const upstream = await start(published(LIB, BIG), undefined, 100);
    const responses = await Promise.all(Array.from({ length: 6 }, () => get(t, LIB)));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(200));
    for (const r of responses) expect(r.rawPayload.equals(BIG)).toBe(true);
    expect(upstream.hits.get(LIB)).toBe(1);
  });

  it('refuses a file that does not match the upstream checksum, and caches nothing', async () => {
    const upstream = await start(published(LIB, BIG, hex('sha1', 'something else')));
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const outcome = await rawRequest(base, `/maven2/${LIB}`).then((r) => r.body.length, (error: Error) => error.message);
    expect(outcome).not.toBe(BIG.length); // the connection is cut before the last chunk
    expect(await readCache(t.services.store, { groupPath: ['com', 'acme'], artifactId: 'lib' })).toBeUndefined();
    expect(await t.services.blobs.exists(`sha256:${hex('sha256', BIG)}`)).toBe(false);
    // A checksum request needs the whole file: it gets the error as a response.
    const sum = await get(t, `${LIB}.sha1`);
    expect(sum.statusCode).toBe(502);
    expect(sum.body).toBe(`upstream file ${upstream.url}/${LIB} does not match its published sha1 (${hex('sha1', 'something else')}); it hashes to ${hex('sha1', BIG)} and was not cached\n`);
  });

  it('remembers upstream 404s for negative_ttl', async () => {
    const upstream = await start([]);
    for (let i = 0; i < 3; i++) expect((await get(t, LIB)).statusCode).toBe(404);
    expect(upstream.hits.get(LIB)).toBe(1);
    await t.close();
    t = await mavenApp((m) => { m.upstreams = [upstreamConfig('maven', upstream.url)]; m.negative_ttl = 0; });
    for (let i = 0; i < 2; i++) expect((await get(t, LIB)).statusCode).toBe(404);
    expect(upstream.hits.get(LIB)).toBe(3);
  });

  it('tries upstreams in order and answers 502 when none can be reached', async () => {
    const second = await fakeUpstream(published(LIB, JAR));
    upstreams.push(second);
    t = await mavenApp((m) => { m.upstreams = ['http://127.0.0.1:1/maven2', second.url].map((url) => upstreamConfig('maven', url)); });
    expect((await get(t, LIB)).rawPayload.equals(JAR)).toBe(true);
    await t.close();
    t = await mavenApp((m) => { m.upstreams = [upstreamConfig('maven', 'http://127.0.0.1:1/maven2')]; });
    const down = await get(t, 'com/acme/other/1.0/other-1.0.jar');
    expect(down.statusCode).toBe(502);
    expect(down.body).toMatch(/^com\/acme\/other\/1\.0\/other-1\.0\.jar is not cached and no upstream repository answered: http:\/\/127\.0\.0\.1:1\/maven2\/com\/acme\/other\/1\.0\/other-1\.0\.jar: .+\n$/);
    expect((await get(t, 'com/acme/other/maven-metadata.xml')).statusCode).toBe(502);
  });

  it('caches upstream metadata for metadata_ttl, serves it stale when the upstream is down, and merges upstreams', async () => {
    const xml = (versions: string[]) => `<?xml version="1.0"?><metadata><groupId>com.acme</groupId><artifactId>lib</artifactId><versioning><versions>${versions.map((v) => `<version>${v}</version>`).join('')}</versions><lastUpdated>20250101000000</lastUpdated></versioning></metadata>`;
    const path = 'com/acme/lib/maven-metadata.xml';
    const one = await start([[path, Buffer.from(xml(['1.0', '1.1']))]]);
    expect((await get(t, path)).body).toBe(xml(['1.0', '1.1']));
    expect((await get(t, `${path}.sha1`)).body).toBe(hex('sha1', xml(['1.0', '1.1'])));
    expect(one.hits.get(path)).toBe(1);
    await t.close();

    const two = await fakeUpstream([[path, Buffer.from(xml(['2.0']))]]);
    upstreams.push(two);
    t = await mavenApp((m) => { m.upstreams = [one.url, two.url].map((url) => upstreamConfig('maven', url, { metadata_ttl: 0 })); });
    const merged = (await get(t, path)).body;
    expect([...merged.matchAll(/<version>([^<]+)<\/version>/g)].map((m) => m[1])).toEqual(['1.0', '1.1', '2.0']);
    expect(merged).toContain('<latest>2.0</latest>');
    await one.close();
    await two.close();
    expect((await get(t, path)).body).toBe(merged);
  });

  it('never mixes upstream versions or files into locally deployed coordinates', async () => {
    const upstream = await start([
      ['org/example/app/maven-metadata.xml', Buffer.from('<metadata><versioning><versions><version>9.9</version></versions></versioning></metadata>')],
      ...published('org/example/app/9.9/app-9.9.jar', JAR),
    ]);
    expect((await put(t, 'org/example/app/1.0/app-1.0.pom', POM)).statusCode).toBe(201);
    const xml = (await get(t, 'org/example/app/maven-metadata.xml')).body;
    expect(xml).toContain('<version>1.0</version>');
    expect(xml).not.toContain('9.9');
    expect((await get(t, 'org/example/app/9.9/app-9.9.jar')).statusCode).toBe(404);
    expect(upstream.hits.size).toBe(0);
  });
});
