// Pull-through cache against a real upstream: Debian's docker-registry (CNCF distribution), once
// anonymous behind a fault-injecting proxy and once behind htpasswd Basic auth, seeded by skopeo
// from OCI layouts; skopeo pulls through NORA by the default upstream (library/ mapping), a
// prefix upstream and the mirror path. Request counts at the proxy prove what was cached. No test
// waits for a tag_ttl: the default upstream keeps tags for an hour, "fresh/" and the faulty ones
// revalidate on every request (tag_ttl 0s); the TTL arithmetic itself runs on a fake clock in
// test/http/oci/pull-through-ttl.test.ts.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { OciLayout, type Descriptor } from '../../helpers/oci-layout.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';

const LAYER = 'application/vnd.oci.image.layer.v1.tar';
const ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json';
const USER = { name: 'ci', password: 'upstream-secret-1' };
let work: string;
let skopeo: Skopeo;
let hub: DistributionRegistry;
let privateHub: DistributionRegistry;
let proxy: FaultProxy;
let faulty: FaultProxy;
let nora: NoraServer;
let host: string;
let src: OciLayout;
let image: Descriptor;
let moved: Descriptor;
let busy: Descriptor;
let busyLayers: Descriptor[];
let big: Descriptor;
let crowd: Descriptor;

const seed = (ref: string, to: string, ...flags: string[]) =>
  skopeo.run('copy', '--preserve-digests', '--dest-tls-verify=false', ...flags, `oci:${src.dir}:${ref}`, `docker://${to}`);
const pull = (ref: string) =>
  skopeo.run('copy', '--src-tls-verify=false', '--dest-oci-accept-uncompressed-layers', `docker://${host}/${ref}`, `oci:${path.join(work, 'out')}:x`);
const digestOf = async (ref: string) => sha(await skopeo.run('inspect', '--tls-verify=false', '--raw', `docker://${host}/${ref}`));
const sha = (bytes: Buffer | string) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const manifest = (name: string, ref: string, method = 'GET') => fetch(`${nora.url}/v2/${name}/manifests/${ref}`, { method, headers: { accept: ACCEPT } });

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'nora-pull-through-'));
  src = new OciLayout(path.join(work, 'src'));
  big = await src.addRandomBlob(3 * 1024 * 1024, LAYER);
  image = await src.addImage([big, await src.addBlob(Buffer.from('small layer'), LAYER)]);
  await src.tag('app', image);
  moved = await src.addImage([await src.addBlob(Buffer.from('the tag moved here'), LAYER)]);
  await src.tag('moved', moved);
  busyLayers = [];
  for (let i = 0; i < 4; i++) busyLayers.push(await src.addRandomBlob(256 * 1024 + i, LAYER));
  busy = await src.addImage(busyLayers);
  await src.tag('busy', busy);
  crowd = await src.addImage([await src.addRandomBlob(1024 * 1024, LAYER), await src.addBlob(Buffer.from('crowd layer'), LAYER)]);
  await src.tag('crowd', crowd);

  skopeo = await makeSkopeo();
  [hub, privateHub] = await Promise.all([startDistribution(), startDistribution({ user: USER })]);
  proxy = await startFaultProxy(hub.url);
  faulty = await startFaultProxy(hub.url);
  await Promise.all([
    seed('app', `${hub.host}/library/alpine:3.19`),
    seed('app', `${hub.host}/library/moving:latest`),
    seed('busy', `${hub.host}/library/busy:1`),
    seed('crowd', `${hub.host}/library/crowd:1`),
    seed('app', `${hub.host}/org/tool:1`),
    seed('app', `${privateHub.host}/team/secret:1`, '--dest-creds', `${USER.name}:${USER.password}`),
  ]);
  const config = path.join(work, 'nora.toml');
  await writeFile(config, [
    '[[docker.upstreams]]', 'name = "hub"', `url = "${proxy.url}"`, 'default = true', 'tag_ttl = "1h"', 'timeout = "2s"',
    '[[docker.upstreams]]', 'name = "fresh"', `url = "${proxy.url}"`, 'prefix = "fresh/"', 'tag_ttl = "0s"', 'timeout = "2s"',
    '[[docker.upstreams]]', 'name = "private"', `url = "${privateHub.url}"`, 'prefix = "private.example/"', `username = "${USER.name}"`, 'password_env = "UPSTREAM_PASSWORD"',
    '[[docker.upstreams]]', 'name = "faulty"', `url = "${faulty.url}"`, 'prefix = "faulty/"', 'tag_ttl = "0s"', 'timeout = "1s"',
    // Its own upstream, because a 429's Retry-After blocks that upstream for a while.
    '[[docker.upstreams]]', 'name = "limited"', `url = "${faulty.url}"`, 'prefix = "limited/"', 'tag_ttl = "0s"', 'timeout = "1s"', '',
  ].join('\n'));
  nora = await startNora({ args: ['--config', config], env: { UPSTREAM_PASSWORD: USER.password } });
  host = new URL(nora.url).host;
}, 60_000);

afterAll(async () => {
  await nora?.stop();
  await Promise.all([proxy?.close(), faulty?.close()]);
  await Promise.all([hub?.cleanup(), privateHub?.cleanup()]);
  await skopeo?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('pull-through cache with skopeo', () => {
  test('an unprefixed name comes from the default upstream as library/<name>, digest-identical; a second pull makes no upstream GET', async () => {
    await pull('alpine:3.19');
    expect(await digestOf('alpine:3.19')).toBe(image.digest);
    expect(proxy.count(/^GET \/v2\/library\/alpine\/blobs\//)).toBe(3);
    const gets = proxy.count(/^GET /);
    await pull('alpine:3.19');
    expect(proxy.count(/^GET /)).toBe(gets);
    const tags = await (await fetch(`${nora.url}/v2/alpine/tags/list`)).json() as { tags: string[] };
    expect(tags.tags).toEqual(['3.19']);
    const catalog = await (await fetch(`${nora.url}/v2/_catalog`)).json() as { repositories: string[] };
    expect(catalog.repositories).toContain('alpine');
  });

  test('the mirror path (/v2/library/<name>) serves the same image', async () => {
    await pull('library/alpine:3.19');
    expect(await digestOf('library/alpine:3.19')).toBe(image.digest);
  });

  test('a prefix upstream behind htpasswd Basic auth is pulled with the configured credentials', async () => {
    await pull('private.example/team/secret:1');
    expect(await digestOf('private.example/team/secret:1')).toBe(image.digest);
    expect(nora.logs()).not.toContain(USER.password);
  });

  test('a multi-segment name goes to the default upstream unchanged', async () => {
    await pull('org/tool:1');
    expect(await digestOf('org/tool:1')).toBe(image.digest);
  });

  test('a tag moved upstream is kept for tag_ttl (1h), and seen at once where tag_ttl is over (0s), revalidated by HEAD', async () => {
    expect(sha(Buffer.from(await (await manifest('moving', 'latest')).arrayBuffer()))).toBe(image.digest);
    expect(sha(Buffer.from(await (await manifest('fresh/library/moving', 'latest')).arrayBuffer()))).toBe(image.digest);
    await seed('moved', `${hub.host}/library/moving:latest`);
    expect((await manifest('moving', 'latest')).headers.get('docker-content-digest')).toBe(image.digest);
    const heads = proxy.count(/^HEAD \/v2\/library\/moving\/manifests\/latest/);
    await pull('fresh/library/moving:latest');
    expect(await digestOf('fresh/library/moving:latest')).toBe(moved.digest);
    expect(proxy.count(/^HEAD \/v2\/library\/moving\/manifests\/latest/)).toBeGreaterThan(heads);
  });

  test('20 concurrent pulls of one uncached image make one upstream GET per blob and manifest', async () => {
    proxy.faults.push({ match: /^GET \/v2\/library\/busy\//, delayMs: 300 });
    const pullOnce = async () => {
      const response = await manifest('busy', '1');
      expect(response.status).toBe(200);
      const body = await response.json() as { config: Descriptor; layers: Descriptor[] };
      for (const blob of [body.config, ...body.layers]) {
        const got = Buffer.from(await (await fetch(`${nora.url}/v2/busy/blobs/${blob.digest}`)).arrayBuffer());
        expect(sha(got)).toBe(blob.digest);
      }
    };
    await Promise.all(Array.from({ length: 20 }, pullOnce));
    proxy.faults.length = 0;
    for (const layer of busyLayers) expect(proxy.count(new RegExp(`^GET /v2/library/busy/blobs/${layer.digest}`))).toBe(1);
    expect(proxy.count(/^GET \/v2\/library\/busy\/manifests\//)).toBe(1);
    expect(proxy.count(/^HEAD \/v2\/library\/busy\/manifests\/1/)).toBe(1);
  });
});

describe('twenty skopeo clients at once', () => {
  test('20 concurrent skopeo pulls of one uncached image: one upstream GET per blob, identical digests', async () => {
    proxy.faults.push({ match: /^GET \/v2\/library\/crowd\/blobs\//, delayMs: 200 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => skopeo.run('copy', '--src-tls-verify=false', '--dest-oci-accept-uncompressed-layers',
      `docker://${host}/crowd:1`, `oci:${path.join(work, `crowd-${i}`)}:x`)));
    proxy.faults.length = 0;
    expect(await digestOf('crowd:1')).toBe(crowd.digest);
    const blobGets = proxy.requests.filter((r) => r.startsWith('GET /v2/library/crowd/blobs/'));
    expect(blobGets).toHaveLength(3);
    expect(new Set(blobGets).size).toBe(3);
  }, 60_000);
});

describe('upstream faults', () => {
  test('a connection cut mid-blob fails the client and caches nothing; the next pull gets the whole blob', async () => {
    expect((await fetch(`${nora.url}/v2/faulty/org/tool/manifests/1`, { headers: { accept: ACCEPT } })).status).toBe(200);
    faulty.faults.push({ match: new RegExp(`^GET .*/blobs/${big.digest}`), cutAfter: 512 * 1024, times: 1 });
    const url = `${nora.url}/v2/faulty/org/tool/blobs/${big.digest}`;
    const first = await fetch(url);
    expect(first.headers.get('content-length')).toBe(String(big.size));
    await expect(first.arrayBuffer()).rejects.toThrow();
    const second = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(second.length).toBe(big.size);
    expect(sha(second)).toBe(big.digest);
    // The cut download was not kept: the second pull fetched the blob again, the third is cached.
    expect(faulty.count(new RegExp(`^GET .*/blobs/${big.digest}`))).toBe(2);
    expect(sha(Buffer.from(await (await fetch(url)).arrayBuffer()))).toBe(big.digest);
    expect(faulty.count(new RegExp(`^GET .*/blobs/${big.digest}`))).toBe(2);
  });

  test('429 with Retry-After: nothing cached answers TOOMANYREQUESTS naming the upstream; a cached tag is served stale', async () => {
    expect((await fetch(`${nora.url}/v2/limited/org/tool/manifests/1`, { headers: { accept: ACCEPT } })).status).toBe(200);
    faulty.faults.push({ match: /manifests/, status: 429, headers: { 'retry-after': '2' } });
    const stale = await fetch(`${nora.url}/v2/limited/org/tool/manifests/1`, { headers: { accept: ACCEPT } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-nora-cache')).toBe('stale');
    const none = await fetch(`${nora.url}/v2/limited/library/alpine/manifests/3.19`, { headers: { accept: ACCEPT } });
    expect(none.status).toBe(429);
    const body = await none.json() as { errors: Array<{ code: string; message: string }> };
    expect(body.errors[0]!.code).toBe('TOOMANYREQUESTS');
    expect(body.errors[0]!.message).toContain('limited');
    expect(nora.logs()).toContain('serving the cached tag stale');
    faulty.faults.length = 0;
  });

  test('503 from the upstream (after retries) with nothing cached answers 503 UNAVAILABLE naming the upstream', async () => {
    faulty.faults.push({ match: /manifests/, status: 503 });
    const none = await fetch(`${nora.url}/v2/faulty/library/moving/manifests/latest`, { headers: { accept: ACCEPT } });
    expect(none.status).toBe(503);
    // HEAD is idempotent: tried three times with backoff before giving up.
    expect(faulty.count(/^HEAD \/v2\/library\/moving\/manifests\/latest/)).toBe(3);
    expect(((await none.json()) as { errors: Array<{ code: string; message: string }> }).errors[0]).toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('faulty') as unknown });
    faulty.faults.length = 0;
  });

  test('a slow upstream (past its timeout) gets the cached tag served stale', async () => {
    faulty.faults.push({ match: /^HEAD .*manifests/, hang: true });
    // The upstream never answers: only the timeout can end the request, and the stale marker shows it did.
    const stale = await fetch(`${nora.url}/v2/faulty/org/tool/manifests/1`, { headers: { accept: ACCEPT } });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-nora-cache')).toBe('stale');
    faulty.faults.length = 0;
  });

  test('pushing to a name served from an upstream is refused with DENIED', async () => {
    const response = await fetch(`${nora.url}/v2/alpine/blobs/uploads/`, { method: 'POST' });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe('DENIED');
  });

  test('upstream stopped: the cached tag still pulls (stale), an uncached one gets 503', async () => {
    await pull('fresh/library/alpine:3.19');
    await hub.stop();
    try {
      await pull('fresh/library/alpine:3.19');
      expect((await manifest('fresh/library/alpine', '3.19', 'HEAD')).headers.get('x-nora-cache')).toBe('stale');
      expect((await manifest('nothing-here', 'latest')).status).toBe(503);
    } finally {
      await hub.start();
    }
  });
});

describe('metrics', () => {
  test('cache hits, misses, upstream requests and bytes are exported', async () => {
    const text = await (await fetch(`${nora.url}/metrics`)).text();
    expect(text).toMatch(/nora_upstream_cache_hits_total\{format="oci",upstream="hub",kind="blob"\} [1-9]/);
    expect(text).toMatch(/nora_upstream_cache_misses_total\{format="oci",upstream="hub",kind="blob"\} [1-9]/);
    expect(text).toMatch(/nora_upstream_requests_total\{upstream="hub",method="HEAD",status="200"\} [1-9]/);
    expect(text).toMatch(/nora_upstream_bytes_total\{upstream="hub"\} [1-9]/);
    expect(text).toMatch(/nora_upstream_errors_total\{upstream="limited",reason="rate_limited"\} [1-9]/);
  });
});
