// Publish, read back (full, abbreviated, by version), ETag revalidation and tarball download,
// table-driven over unscoped and scoped names in both URL spellings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'npm.upstream': '' } }); });
afterEach(async () => { await t.close(); });

const SHAPES = [
  { label: 'unscoped', name: 'left-pad', url: 'left-pad', bare: 'left-pad' },
  { label: 'scoped, encoded', name: '@acme/util', url: '@acme%2futil', bare: 'util' },
  { label: 'scoped, upper-case escape', name: '@acme/util', url: '@acme%2Futil', bare: 'util' },
  { label: 'scoped, unencoded', name: '@acme/util', url: '@acme/util', bare: 'util' },
];

describe.each(SHAPES)('npm packages: $label', ({ name, url, bare }) => {
  it('publishes, serves full and abbreviated packuments and the tarball', async () => {
    const tarball = tarballBytes(name, 1000);
    const put = await t.app.inject({ method: 'PUT', url: `/npm/${url}`, payload: publishBody(name, { tarball }), headers: { authorization: 'Bearer dummy' } });
    expect(put.statusCode, put.body).toBe(201);

    const full = await t.app.inject({ url: `/npm/${url}`, headers: { host: 'nora.test:4000' } });
    expect(full.statusCode).toBe(200);
    const packument = full.json();
    expect(packument).toMatchObject({ _id: name, name, 'dist-tags': { latest: '1.0.0' } });
    expect(packument._rev).toMatch(/^1-[0-9a-f]+$/);
    expect(packument.versions['1.0.0'].dist.tarball).toBe(`http://nora.test:4000/npm/${name}/-/${bare}-1.0.0.tgz`);
    expect(packument.time['1.0.0']).toBeDefined();

    const abbreviated = await t.app.inject({ url: `/npm/${url}`, headers: { accept: 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*' } });
    expect(abbreviated.headers['content-type']).toContain('application/vnd.npm.install-v1+json');
    const short = abbreviated.json();
    expect(Object.keys(short).sort()).toEqual(['dist-tags', 'modified', 'name', 'versions']);
    expect(short.versions['1.0.0'].description).toBeUndefined();
    expect(short.versions['1.0.0'].dist.integrity).toBe(packument.versions['1.0.0'].dist.integrity);

    const etag = full.headers.etag as string;
    const again = await t.app.inject({ url: `/npm/${url}`, headers: { host: 'nora.test:4000', 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);

    const tgz = await t.app.inject({ url: `/npm/${name}/-/${bare}-1.0.0.tgz` });
    expect(tgz.statusCode).toBe(200);
    expect(tgz.rawPayload.equals(tarball)).toBe(true);
    expect(tgz.headers['content-length']).toBe('1000');

    const byVersion = await t.app.inject({ url: `/npm/${url}/latest` });
    expect(byVersion.json()).toMatchObject({ name, version: '1.0.0' });
  });

  it('refuses a second publish of the same version with 403 and keeps the first', async () => {
    expect((await t.app.inject({ method: 'PUT', url: `/npm/${url}`, payload: publishBody(name) })).statusCode).toBe(201);
    const dup = await t.app.inject({ method: 'PUT', url: `/npm/${url}`, payload: publishBody(name, { tarball: tarballBytes('other') }) });
    expect(dup.statusCode).toBe(403);
    expect(dup.json().error).toMatch(/cannot publish over the previously published versions: 1\.0\.0/);
  });

  it('lands concurrent publishes of different versions', async () => {
    const versions = ['1.0.0', '1.1.0', '1.2.0', '2.0.0-beta.1', '0.9.0'];
    const answers = await Promise.all(versions.map((version) => t.app.inject({ method: 'PUT', url: `/npm/${url}`, payload: publishBody(name, { version, tag: version.includes('-') ? 'next' : 'latest' }) })));
    expect(answers.map((a) => a.statusCode)).toEqual(versions.map(() => 201));
    const packument = (await t.app.inject({ url: `/npm/${url}` })).json();
    expect(Object.keys(packument.versions).sort()).toEqual([...versions].sort());
  });
});

describe('npm registry endpoints', () => {
  it('answers ping, whoami (401 without auth) and unknown packages in npm shape', async () => {
    expect((await t.app.inject({ url: '/npm/-/ping' })).json()).toEqual({});
    const whoami = await t.app.inject({ url: '/npm/-/whoami', headers: { authorization: 'Bearer dummy' } });
    expect(whoami.statusCode).toBe(401);
    expect(whoami.json().error).toMatch(/not logged in/);
    const missing = await t.app.inject({ url: '/npm/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'package nothing-here not found', code: 'NPM_PACKAGE_NOT_FOUND' });
  });

  it('answers audit requests with an empty report when no upstream is set', async () => {
    const bulk = await t.app.inject({ method: 'POST', url: '/npm/-/npm/v1/security/advisories/bulk', payload: { 'left-pad': ['1.0.0'] } });
    expect(bulk.statusCode).toBe(200);
    expect(bulk.json()).toEqual({});
    const quick = await t.app.inject({ method: 'POST', url: '/npm/-/npm/v1/security/audits/quick', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: Buffer.from([0x1f, 0x8b]) });
    expect(quick.json().metadata.vulnerabilities.critical).toBe(0);
  });

  it('emits events for publish and tarball pulls', async () => {
    const seen: string[] = [];
    t.services.events.subscribe((e) => { seen.push(`${e.type} ${e.artifact.name} ${e.artifact.reference ?? ''}`); });
    await t.app.inject({ method: 'PUT', url: '/npm/evented', payload: publishBody('evented') });
    await t.app.inject({ url: '/npm/evented/-/evented-1.0.0.tgz' });
    expect(seen).toEqual(['ArtifactPushed evented 1.0.0', 'TagCreated evented latest', 'ArtifactPulled evented evented-1.0.0.tgz']);
  });
});
