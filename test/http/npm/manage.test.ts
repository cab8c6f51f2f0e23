// dist-tags, deprecate, unpublish (the CLI's -rev flow), search and public URLs over inject,
// for unscoped and scoped names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { publishBody } from '../../helpers/npm-fixtures.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'npm.upstream': '' } }); });
afterEach(async () => { await t.close(); });

const put = (url: string, payload: unknown) => t.app.inject({ method: 'PUT', url, payload: payload as object });
const get = (url: string) => t.app.inject({ url });

describe.each([
  { name: 'tool', url: 'tool', bare: 'tool' },
  { name: '@org/tool', url: '@org%2ftool', bare: 'tool' },
])('managing $name', ({ name, url, bare }) => {
  beforeEach(async () => {
    for (const version of ['1.0.0', '1.1.0']) expect((await put(`/npm/${url}`, publishBody(name, { version }))).statusCode).toBe(201);
  });

  it('adds, lists and removes dist-tags', async () => {
    const events: string[] = [];
    t.services.events.subscribe((e) => { events.push(`${e.type} ${e.artifact.name} ${e.artifact.reference}`); });
    const added = await t.app.inject({ method: 'PUT', url: `/npm/-/package/${url}/dist-tags/beta`, headers: { 'content-type': 'application/json' }, payload: '"1.0.0"' });
    expect(added.statusCode).toBe(201);
    expect(events).toEqual([`TagCreated ${name} beta`]);
    expect((await get(`/npm/-/package/${url}/dist-tags`)).json()).toEqual({ latest: '1.1.0', beta: '1.0.0' });
    const bad = await t.app.inject({ method: 'PUT', url: `/npm/-/package/${url}/dist-tags/beta`, headers: { 'content-type': 'application/json' }, payload: '"7.0.0"' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatch(/has no version "7\.0\.0"/);
    expect((await t.app.inject({ method: 'DELETE', url: `/npm/-/package/${url}/dist-tags/beta` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/npm/-/package/${url}/dist-tags/latest` })).statusCode).toBe(400);
    expect((await get(`/npm/-/package/${url}/dist-tags`)).json()).toEqual({ latest: '1.1.0' });
  });

  it('deprecates and undeprecates through an edited packument', async () => {
    const packument = (await get(`/npm/${url}?write=true`)).json();
    packument.versions['1.0.0'].deprecated = 'old';
    expect((await put(`/npm/${url}`, packument)).statusCode).toBe(200);
    expect((await get(`/npm/${url}`)).json().versions['1.0.0'].deprecated).toBe('old');
    const stale = await put(`/npm/${url}`, packument);
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatch(/changed: request is for revision/);
  });

  it('unpublishes one version with the -rev flow, then the whole package', async () => {
    const seen: string[] = [];
    t.services.events.subscribe((e) => { seen.push(`${e.type} ${e.artifact.format} ${e.artifact.name} ${e.artifact.reference ?? '-'}`); });
    const packument = (await get(`/npm/${url}`)).json();
    delete packument.versions['1.1.0'];
    packument['dist-tags'] = {};
    expect((await put(`/npm/${url}/-rev/${packument._rev}`, packument)).statusCode).toBe(200);
    const after = (await get(`/npm/${url}`)).json();
    expect(Object.keys(after.versions)).toEqual(['1.0.0']);
    expect(after['dist-tags']).toEqual({ latest: '1.0.0' });
    expect((await get(`/npm/${name}/-/${bare}-1.1.0.tgz`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/npm/${name}/-/${bare}-1.1.0.tgz/-rev/${after._rev}` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `/npm/${url}/-rev/1-0` })).statusCode).toBe(409);
    const latest = (await get(`/npm/${url}`)).json();
    expect((await t.app.inject({ method: 'DELETE', url: `/npm/${url}/-rev/${latest._rev}` })).statusCode).toBe(200);
    expect((await get(`/npm/${url}`)).statusCode).toBe(404);
    expect(seen).toEqual([`ArtifactDeleted npm ${name} 1.1.0`, `ArtifactDeleted npm ${name} -`]);
  });

  it('finds the package by search text, size and from', async () => {
    const found = (await get('/npm/-/v1/search?text=tool&size=5')).json();
    expect(found.objects.map((o: any) => o.package.name)).toEqual([name]);
    expect(found.objects[0].package.version).toBe('1.1.0');
    expect((await get('/npm/-/v1/search?text=tool&from=1')).json().objects).toEqual([]);
    expect((await get('/npm/-/v1/search?text=nothing-like-it')).json()).toMatchObject({ objects: [], total: 0 });
    expect((await get('/npm/-/v1/search?text=tool&size=0')).statusCode).toBe(400);
  });
});

describe('public URLs in tarball links', () => {
  it('uses server.public_url when set', async () => {
    const app = await buildTestApp({ settings: { 'npm.upstream': '', 'server.public_url': 'https://nora.example.com/reg/' } });
    await app.app.inject({ method: 'PUT', url: '/npm/p', payload: publishBody('p') });
    expect((await app.app.inject({ url: '/npm/p' })).json().versions['1.0.0'].dist.tarball).toBe('https://nora.example.com/reg/npm/p/-/p-1.0.0.tgz');
    await app.close();
  });

  it('believes X-Forwarded-* only from trusted proxies', async () => {
    const app = await buildTestApp({ settings: { 'npm.upstream': '', 'server.trusted_proxies': '127.0.0.1' } });
    await app.app.inject({ method: 'PUT', url: '/npm/p', payload: publishBody('p') });
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'edge.example.com' };
    expect((await app.app.inject({ url: '/npm/p', headers, remoteAddress: '127.0.0.1' })).json().versions['1.0.0'].dist.tarball).toBe('https://edge.example.com/npm/p/-/p-1.0.0.tgz');
    expect((await app.app.inject({ url: '/npm/p', headers: { ...headers, host: 'inner:4000' }, remoteAddress: '10.9.9.9' })).json().versions['1.0.0'].dist.tarball).toBe('http://inner:4000/npm/p/-/p-1.0.0.tgz');
    await app.close();
  });

  it('serves nothing under /npm/ when npm.enabled is false, still in npm error shape', async () => {
    const app = await buildTestApp({ settings: { 'npm.enabled': false } });
    const response = await app.app.inject({ url: '/npm/-/ping' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('Not found');
    await app.close();
  });
});
