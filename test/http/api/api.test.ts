// The management API in-process: OpenAPI document, access declared per route (admin for
// changes, pull for listings), gc started over HTTP and by `[gc] schedule`, cross-repository tags.
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually } from '../../helpers/eventually.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, pushImage, OCI_MANIFEST } from '../../helpers/oci-client.js';
import type { AccessRequest, Authorizer, Identity } from '../../../src/lib/auth/access.js';

let t: TestApp | undefined;
afterEach(async () => { vi.useRealTimers(); await t?.close(); t = undefined; });

const orphan = async (app: TestApp, text: string) => (await app.services.blobs.write(Readable.from([Buffer.from(text)]))).digest;
const waitFor = (check: () => Promise<boolean>) => eventually(check, (done) => done);

describe('/api/', () => {
  it('serves its OpenAPI description', async () => {
    t = await buildTestApp();
    const response = await t.app.inject({ url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().paths)).toEqual(expect.arrayContaining(['/api/artifacts', '/api/tags', '/api/gc']));
  });

  it('declares admin for changes and pull for listings (anonymous refusals are 401)', async () => {
    const seen: AccessRequest[][] = [];
    const authorizer: Authorizer = { authorize: async (_i: Identity, requests) => { seen.push(requests); return requests.every((r) => r.action === 'pull'); } };
    t = await buildTestApp({ authorizer });
    expect((await t.app.inject({ url: '/api/artifacts?type=npm' })).statusCode).toBe(200);
    expect(seen.at(-1)).toEqual([{ action: 'pull', format: 'npm', name: '' }]);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=npm:x@1.0.0' })).statusCode).toBe(401);
    expect(seen.at(-1)).toEqual([{ action: 'admin', format: 'npm', name: 'x' }]);
    expect((await t.app.inject({ method: 'POST', url: '/api/gc' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/tags', payload: { source: 'a:1', target: 'b:2' } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/gc' })).statusCode).toBe(200);
  });

  it('POST /api/gc runs a collection whose progress GET /api/gc reports; a second start while running is 409', async () => {
    // A fake clock (Date only) makes the orphan older than the run's grace cutoff without waiting.
    vi.useFakeTimers({ toFake: ['Date'] });
    t = await buildTestApp({ settings: { 'gc.grace': '0s' } });
    const digest = await orphan(t, 'nobody references me');
    vi.advanceTimersByTime(1000);
    const started = await t.app.inject({ method: 'POST', url: '/api/gc', payload: { dry_run: true } });
    expect(started.statusCode).toBe(202);
    await waitFor(async () => (await t!.app.inject({ url: '/api/gc' })).json().phase === 'done');
    expect((await t.app.inject({ url: '/api/gc' })).json()).toMatchObject({ phase: 'done', dry_run: true, blobs_freed: 1 });
    expect(await t.services.blobs.exists(digest)).toBe(true);

    const first = await t.app.inject({ method: 'POST', url: '/api/gc', payload: {} });
    const second = await t.app.inject({ method: 'POST', url: '/api/gc', payload: {} });
    expect(first.statusCode).toBe(202);
    expect([202, 409]).toContain(second.statusCode);
    await waitFor(async () => !(await t!.services.blobs.exists(digest)));
    expect(await t.services.blobs.exists(digest)).toBe(false);
  });

  it('runs gc on [gc] schedule', async () => {
    t = await buildTestApp({ settings: { 'gc.grace': '0s', 'gc.schedule': '* * * * * *' } });
    await t.app.ready();
    const digest = await orphan(t, 'scheduled away');
    await waitFor(async () => !(await t!.services.blobs.exists(digest)));
    expect(await t.services.blobs.exists(digest)).toBe(false);
  });

  it('tags into another repository without moving blobs; deleting by digest removes its tags', async () => {
    t = await buildTestApp();
    const http = injectHttp(t.app);
    const image = await pushImage(http, 'team/app', '1.0');
    const tagged = await t.app.inject({ method: 'POST', url: '/api/tags', payload: { source: 'team/app:1.0', target: 'release/app:stable' } });
    expect(tagged.statusCode, tagged.body).toBe(201);
    expect(tagged.json()).toEqual({ source: 'oci:team/app:1.0', target: 'oci:release/app:stable', digest: image.digest });
    const pulled = await http('GET', '/v2/release/app/manifests/stable', { headers: { accept: OCI_MANIFEST } });
    expect(pulled.body.equals(image.manifest)).toBe(true);
    for (const digest of [image.config, ...image.layers]) expect((await http('GET', `/v2/release/app/blobs/${digest}`)).status).toBe(200);

    const removed = await t.app.inject({ method: 'DELETE', url: `/api/artifacts?ref=${encodeURIComponent(`release/app@${image.digest}`)}` });
    expect(removed.statusCode).toBe(200);
    expect((await http('GET', '/v2/release/app/manifests/stable')).status).toBe(404);
    expect((await http('GET', '/v2/team/app/manifests/1.0', { headers: { accept: OCI_MANIFEST } })).status).toBe(200);
    const listed = (await t.app.inject({ url: '/api/artifacts?type=oci&glob=team/*' })).json();
    expect(listed.items).toMatchObject([{ type: 'oci', name: 'team/app', version: '1.0', digest: image.digest }]);
    expect((await t.app.inject({ url: '/api/artifacts?type=rpm' })).statusCode).toBe(400);
  });

  it('lists an image\'s size as its config + layers, and an index\'s as the blobs of its platforms (shared ones once)', async () => {
    t = await buildTestApp();
    const http = injectHttp(t.app);
    const blobSizes = (image: { manifest: Buffer }) => {
      const doc = JSON.parse(image.manifest.toString()) as { config: { digest: string; size: number }; layers: { digest: string; size: number }[] };
      return new Map([doc.config, ...doc.layers].map((d) => [d.digest, d.size]));
    };
    const sum = (...maps: Map<string, number>[]) => [...new Map(maps.flatMap((m) => [...m])).values()].reduce((a, b) => a + b, 0);
    const single = await pushImage(http, 'size/app', '1.0', { layers: ['a'.repeat(1000), 'b'.repeat(2000)] });
    const amd = await pushImage(http, 'size/multi', 'amd64', { layers: ['shared base layer', 'c'.repeat(3000)] });
    const arm = await pushImage(http, 'size/multi', 'arm64', { layers: ['shared base layer', 'd'.repeat(4000)] });
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [amd, arm].map((image, i) => ({ mediaType: OCI_MANIFEST, digest: image.digest, size: image.manifest.length, platform: { os: 'linux', architecture: ['amd64', 'arm64'][i] } })),
    }));
    expect((await http('PUT', '/v2/size/multi/manifests/latest', { body: index, headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' } })).status).toBe(201);
    const items = (await t.app.inject({ url: '/api/artifacts?type=oci&glob=size/*' })).json().items as { name: string; version: string; size: number }[];
    const sizeOf = (name: string, version: string) => items.find((i) => i.name === name && i.version === version)?.size;
    expect(sizeOf('size/app', '1.0')).toBe(sum(blobSizes(single)));
    expect(sizeOf('size/app', '1.0')).toBeGreaterThan(3000);
    expect(sizeOf('size/multi', 'amd64')).toBe(sum(blobSizes(amd)));
    expect(sizeOf('size/multi', 'latest')).toBe(sum(blobSizes(amd), blobSizes(arm)));
    expect(sizeOf('size/multi', 'latest')).toBeLessThan(sum(blobSizes(amd)) + sum(blobSizes(arm)));
  });
});
