// OCI over fastify inject() on memory storage: the push/pull round trip for every name shape,
// events on the bus, concurrent tag pushes, and the per-route access declarations.
import { afterEach, describe, expect, test } from 'vitest';
import type { AccessRequest, Authorizer } from '../../../src/lib/auth/access.js';
import type { DomainEvent } from '../../../src/lib/events/bus.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { digestOf, errorOf, injectHttp, OCI_MANIFEST, pushBlob, pushImage } from '../../helpers/oci-client.js';

let current: TestApp | undefined;
afterEach(async () => { await current?.close(); current = undefined; });
const start = async (settings: Record<string, string | number | boolean> = {}) => (current = await buildTestApp({ settings }));

describe('name shapes', () => {
  test.each(['a', 'app', 'team/app', 'a/b/c/d/e/f', 'my-app.v2/under_score__x', 'blobs/manifests/uploads', 'tags/list', 'x/referrers'])('push and pull %s', async (name) => {
    const { app } = await start();
    const http = injectHttp(app);
    const image = await pushImage(http, name, 'latest');
    const got = await http('GET', `/v2/${name}/manifests/latest`);
    expect(got.status).toBe(200);
    expect(got.body.equals(image.manifest)).toBe(true);
    expect((await http('GET', `/v2/${name}/blobs/${image.layers[0]}`)).status).toBe(200);
    expect((await http('GET', `/v2/${name}/tags/list`)).json()).toEqual({ name, tags: ['latest'] });
    expect((await http('GET', '/v2/_catalog')).json()).toEqual({ repositories: [name] });
  });

  test.each(['A', 'a//b', 'a/', '-a', 'a/_b', 'a..b', `${'a'.repeat(256)}`])('%j is NAME_INVALID on every route', async (name) => {
    const { app } = await start();
    const http = injectHttp(app);
    for (const [method, path] of [['GET', `/v2/${name}/manifests/x`], ['POST', `/v2/${name}/blobs/uploads/`], ['GET', `/v2/${name}/tags/list`], ['GET', `/v2/${name}/blobs/${digestOf('x')}`]] as const) {
      expect(errorOf(await http(method, path))).toMatchObject({ status: 400, code: 'NAME_INVALID' });
    }
  });
});

describe('events', () => {
  test('pushes, tags, pulls and deletes are published', async () => {
    const { app, services } = await start();
    const events: DomainEvent[] = [];
    services.events.subscribe((event) => { events.push(event); });
    const http = injectHttp(app);
    const image = await pushImage(http, 'ev/app', '1.0');
    await http('GET', '/v2/ev/app/manifests/1.0');
    await http('DELETE', '/v2/ev/app/manifests/1.0');
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'ArtifactPushed')).toHaveLength(3);
    expect(events).toContainEqual(expect.objectContaining({ type: 'TagCreated', artifact: { format: 'oci', name: 'ev/app', reference: '1.0', digest: image.digest } }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'ArtifactPulled', artifact: { format: 'oci', name: 'ev/app', reference: '1.0', digest: image.digest } }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'ArtifactDeleted', artifact: { format: 'oci', name: 'ev/app', reference: '1.0', digest: image.digest } }));
  });
});

describe('concurrency', () => {
  test('concurrent pushes of one tag leave it naming one of the pushed manifests', async () => {
    const { app } = await start();
    const http = injectHttp(app);
    const images = await Promise.all(Array.from({ length: 8 }, (_v, i) => pushImage(http, 'race/app', `v${i}`, { layers: [`layer ${i}`] })));
    await Promise.all(images.map((image) => http('PUT', '/v2/race/app/manifests/latest', { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } })));
    const latest = await http('GET', '/v2/race/app/manifests/latest');
    expect(latest.status).toBe(200);
    expect(images.map((i) => i.digest)).toContain(latest.headers['docker-content-digest']);
    expect(digestOf(latest.body)).toBe(latest.headers['docker-content-digest']);
  });

  test('two PATCHes racing at the same offset: one wins, the other is 416', async () => {
    const { app } = await start();
    const http = injectHttp(app);
    const open = await http('POST', '/v2/race/blob/blobs/uploads/');
    const location = new URL(open.headers.location!).pathname;
    const results = await Promise.all([1, 2].map((n) => http('PATCH', location, { body: Buffer.alloc(10, n), headers: { 'content-type': 'application/octet-stream', 'content-range': '0-9' } })));
    expect(results.map((r) => r.status).sort()).toEqual([202, 416]);
    expect((await http('GET', location)).headers.range).toBe('0-9');
  });
});

describe('access declarations', () => {
  class Recorder implements Authorizer {
    seen: AccessRequest[][] = [];
    async authorize(_identity: unknown, requests: AccessRequest[]): Promise<boolean> {
      this.seen.push(requests);
      return !requests.some((r) => r.name === 'forbidden');
    }
  }

  test('every route asks for its action on its repository; a mount asks for pull on the source', async () => {
    const testApp = await start();
    const recorder = new Recorder();
    // The hook reads the authorizer it was given at build time: rebuild the app around the recorder.
    const { buildApp } = await import('../../../src/server/app.js');
    testApp.services.authorizer = recorder;
    const app = await buildApp({ services: testApp.services });
    const http = injectHttp(app);
    const digest = await pushBlob(http, 'acl/src', 'bytes');
    recorder.seen = [];
    await http('GET', `/v2/acl/src/blobs/${digest}`);
    await http('DELETE', `/v2/acl/src/blobs/${digest}`);
    await http('POST', `/v2/acl/dst/blobs/uploads/?mount=${digest}&from=acl/src`);
    await http('GET', '/v2/_catalog');
    await http('GET', '/v2/');
    expect(recorder.seen).toEqual([
      [{ action: 'pull', format: 'oci', name: 'acl/src' }],
      [{ action: 'delete', format: 'oci', name: 'acl/src' }],
      [{ action: 'push', format: 'oci', name: 'acl/dst' }, { action: 'pull', format: 'oci', name: 'acl/src' }],
      [{ action: 'pull', format: 'oci', name: '' }],
    ]);
    const denied = await http('GET', '/v2/forbidden/manifests/x');
    expect(errorOf(denied)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    await app.close();
  });
});

describe('manifest references', () => {
  // The spec lists only 404 for pulling a manifest that is not there; PUT validates the tag.
  test.each(['-leading-dash', '.dot', 'x'.repeat(129), 'sha256:nothex', 'md5:d41d8cd98f00b204e9800998ecf8427e', 'sha384:abc'])('GET and HEAD of %j are 404 MANIFEST_UNKNOWN; PUT keeps refusing it', async (reference) => {
    const { app } = await start();
    const http = injectHttp(app);
    await pushImage(http, 'refs/app', 'latest');
    const got = errorOf(await http('GET', `/v2/refs/app/manifests/${reference}`));
    expect(got).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    expect(got.message?.length).toBeLessThan(300);
    const head = await http('HEAD', `/v2/refs/app/manifests/${reference}`);
    expect(head.status).toBe(404);
    expect(head.body.length).toBe(0);
    const put = errorOf(await http('PUT', `/v2/refs/app/manifests/${reference}`, { body: '{}', headers: { 'content-type': OCI_MANIFEST } }));
    expect(put).toMatchObject({ status: 400, code: reference.includes(':') ? 'DIGEST_INVALID' : 'TAG_INVALID' });
  });

  // A tag's digest at its last pull is a hint for reading the record and bytes early: a retag or
  // an untag in between (which never goes through the pull path) must still be answered exactly.
  test('pulls of a tag follow every retag and untag between them', async () => {
    const { app } = await start();
    const http = injectHttp(app);
    const first = await pushImage(http, 'hint/app', 'stable', { layers: ['one'] });
    const second = await pushImage(http, 'hint/app', 'other', { layers: ['two'] });
    for (const [image, pushTag] of [[first, false], [second, true], [first, true]] as const) {
      if (pushTag) expect((await http('PUT', '/v2/hint/app/manifests/stable', { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } })).status).toBe(201);
      for (let i = 0; i < 2; i++) {
        const got = await http('GET', '/v2/hint/app/manifests/stable');
        expect(got.headers['docker-content-digest']).toBe(image.digest);
        expect(got.body.equals(image.manifest)).toBe(true);
        expect((await http('HEAD', '/v2/hint/app/manifests/stable')).headers['docker-content-digest']).toBe(image.digest);
      }
    }
    expect((await http('DELETE', '/v2/hint/app/manifests/stable')).status).toBe(202);
    expect(errorOf(await http('GET', '/v2/hint/app/manifests/stable'))).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' });
    expect((await http('HEAD', '/v2/hint/app/manifests/stable')).status).toBe(404);
    // The manifest itself is still there by digest; only the tag went.
    expect((await http('GET', `/v2/hint/app/manifests/${first.digest}`)).status).toBe(200);
  });

  // A GET reads the record and the bytes side by side: the bytes exist for any repository's
  // manifest, so only the record may decide whether this repository has it.
  test('a manifest is pulled by digest only from a repository that has it; GET and HEAD answer the same headers', async () => {
    const { app, services } = await start();
    const pulls: DomainEvent[] = [];
    services.events.subscribe((event) => { if (event.type === 'ArtifactPulled') pulls.push(event); });
    const http = injectHttp(app);
    const image = await pushImage(http, 'refs/owner', 'v1');
    await pushImage(http, 'refs/other', 'v1', { layers: ['another layer'] });
    for (const method of ['GET', 'HEAD'] as const) {
      const elsewhere = await http(method, `/v2/refs/other/manifests/${image.digest}`);
      expect(elsewhere.status).toBe(404);
      if (method === 'GET') expect(errorOf(elsewhere)).toMatchObject({ code: 'MANIFEST_UNKNOWN' });
    }
    expect(pulls).toEqual([]);
    const byTag = await http('GET', '/v2/refs/owner/manifests/v1');
    const byDigest = await http('GET', `/v2/refs/owner/manifests/${image.digest}`);
    const head = await http('HEAD', `/v2/refs/owner/manifests/${image.digest}`);
    for (const got of [byTag, byDigest, head]) {
      expect(got.status).toBe(200);
      expect(got.headers).toMatchObject({
        'content-type': OCI_MANIFEST,
        'docker-content-digest': image.digest,
        etag: `"${image.digest}"`,
        'content-length': String(image.manifest.length),
      });
    }
    expect(byTag.body.equals(image.manifest)).toBe(true);
    expect(byDigest.body.equals(image.manifest)).toBe(true);
    expect(head.body.length).toBe(0);
    expect(pulls.map((e) => e.artifact)).toEqual([
      { format: 'oci', name: 'refs/owner', reference: 'v1', digest: image.digest },
      { format: 'oci', name: 'refs/owner', digest: image.digest },
    ]);
  });
});
