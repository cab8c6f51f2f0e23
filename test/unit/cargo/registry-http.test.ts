// The local registry through inject(): config.json, index files with ETag/Last-Modified/304,
// case-insensitive lookup, downloads, yank, owners, search and the access each route declares.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessRequest, Authorizer } from '../../../src/lib/auth/access.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { dep, fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';

let t: TestApp;
let seen: AccessRequest[][];
const recorder: Authorizer = { authorize: async (_identity, requests) => { seen.push(requests); return true; } };
beforeEach(async () => {
  seen = [];
  t = await buildTestApp({ authorizer: recorder, settings: { 'server.public_url': 'https://nora.example.com/', 'cargo.upstream_index': '' } });
});
afterEach(async () => { await t.close(); });

async function publish(name: string, vers: string, extra: Record<string, unknown> = {}, crate = fakeCrate(name, vers)) {
  const response = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata(name, vers, extra), crate) });
  expect(response.statusCode, response.body).toBe(200);
  return crate;
}
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });
const detail = (body: string) => (JSON.parse(body) as { errors: Array<{ detail: string }> }).errors[0]!.detail;

describe('index', () => {
  it('serves config.json from the public URL', async () => {
    const response = await get('/cargo/index/config.json');
    expect(response.json()).toEqual({ dl: 'https://nora.example.com/cargo/api/v1/crates', api: 'https://nora.example.com/cargo' });
    expect(seen.at(-1)).toEqual([{ action: 'pull', format: 'cargo', name: '' }]);
  });

  it('adds auth-required when configured', async () => {
    const other = await buildTestApp({ settings: { 'cargo.auth_required': true, 'cargo.upstream_index': '' } });
    expect((await other.app.inject({ url: '/cargo/index/config.json' })).json()).toMatchObject({ 'auth-required': true });
    await other.close();
  });

  it('serves one line per version with ETag and Last-Modified, and 304 when unchanged', async () => {
    await publish('Demo-Crate', '1.0.0');
    const first = await get('/cargo/index/de/mo/demo-crate');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('text/plain; charset=utf-8');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect((await get('/cargo/index/de/mo/demo-crate', { 'if-none-match': etag })).statusCode).toBe(304);
    expect((await get('/cargo/index/de/mo/demo-crate', { 'if-modified-since': String(first.headers['last-modified']) })).statusCode).toBe(304);
    expect((await get('/cargo/index/de/mo/demo-crate', { 'if-none-match': '"other"' })).statusCode).toBe(200);
    await publish('Demo-Crate', '1.1.0');
    const second = await get('/cargo/index/de/mo/demo-crate', { 'if-none-match': etag });
    expect(second.statusCode).toBe(200);
    expect(second.body.trim().split('\n').map((l) => (JSON.parse(l) as { name: string; vers: string }).vers)).toEqual(['1.0.0', '1.1.0']);
    expect(seen.at(-1)).toEqual([{ action: 'pull', format: 'cargo', name: 'demo-crate' }]);
  });

  it('looks names up case-insensitively and keeps the canonical spelling', async () => {
    await publish('MyCrate', '0.1.0');
    for (const path of ['my/cr/mycrate', 'my/cr/MyCrate', 'MY/CR/MYCRATE']) {
      const response = await get(`/cargo/index/${path}`);
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body)).toMatchObject({ name: 'MyCrate', vers: '0.1.0' });
    }
    expect((await get('/cargo/api/v1/crates/mycrate/0.1.0/download')).statusCode).toBe(200);
  });

  it('answers 404 in cargo shape for unknown crates, wrong directories and non-index paths', async () => {
    await publish('demo', '1.0.0');
    for (const path of ['/cargo/index/no/pe/nope', '/cargo/index/xx/mo/demo', '/cargo/index/de/mo', '/cargo/index/de/mo/demo/extra', '/cargo/index/3/d/demo']) {
      const response = await get(path);
      expect(response.statusCode, path).toBe(404);
      expect(detail(response.body)).toMatch(/does not exist|is not an index file path/);
    }
    expect(detail((await get('/cargo/index/de/mo')).body)).toBe('not found: de/mo is not an index file path (1/a, 2/ab, 3/a/abc, ab/cd/abcd)');
    // A spelling with - for _ is another index path: not served (cargo would see a wrong name).
    await publish('under_score', '1.0.0');
    expect((await get('/cargo/index/un/de/under-score')).statusCode).toBe(404);
  });
});

describe('downloads and yank', () => {
  it('downloads exactly the published bytes, whose sha256 is the cksum, yanked or not', async () => {
    const crate = await publish('dl-me', '2.0.0');
    const line = JSON.parse((await get('/cargo/index/dl/-m/dl-me')).body) as { cksum: string };
    expect(line.cksum).toBe(createHash('sha256').update(crate).digest('hex'));
    const download = await get('/cargo/api/v1/crates/dl-me/2.0.0/download');
    expect(download.rawPayload.equals(crate)).toBe(true);
    expect(seen.at(-1)).toEqual([{ action: 'pull', format: 'cargo', name: 'dl-me' }]);

    const yank = await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/dl-me/2.0.0/yank' });
    expect(yank.json()).toEqual({ ok: true });
    expect(seen.at(-1)).toEqual([{ action: 'delete', format: 'cargo', name: 'dl-me' }]);
    expect(JSON.parse((await get('/cargo/index/dl/-m/dl-me')).body)).toMatchObject({ yanked: true });
    expect((await get('/cargo/api/v1/crates/dl-me/2.0.0/download')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/dl-me/2.0.0/unyank' })).json()).toEqual({ ok: true });
    expect(JSON.parse((await get('/cargo/index/dl/-m/dl-me')).body)).toMatchObject({ yanked: false });
  });

  it('answers 404 for unknown crates and versions', async () => {
    await publish('here', '1.0.0');
    expect(detail((await get('/cargo/api/v1/crates/here/9.9.9/download')).body)).toBe('crate `here` has no version `9.9.9`');
    expect((await get('/cargo/api/v1/crates/gone/1.0.0/download')).statusCode).toBe(404);
    const yank = await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/here/9.9.9/yank' });
    expect(yank.statusCode).toBe(404);
  });

  it('records renamed deps of a second crate on the first', async () => {
    await publish('base-lib', '0.1.0');
    await publish('top-lib', '0.1.0', { deps: [dep({ name: 'base-lib', explicit_name_in_toml: 'base', version_req: '^0.1.0' })] });
    expect(JSON.parse((await get('/cargo/index/to/p-/top-lib')).body).deps).toEqual([
      { name: 'base', req: '^0.1.0', features: [], optional: false, default_features: true, target: null, kind: 'normal', package: 'base-lib' },
    ]);
  });
});

describe('events', () => {
  it('publishes ArtifactPushed and ArtifactPulled with the cargo format', async () => {
    const events: Array<{ type: string; artifact: unknown }> = [];
    t.services.events.subscribe((event) => { events.push({ type: event.type, artifact: event.artifact }); });
    await publish('evented', '1.0.0');
    await get('/cargo/api/v1/crates/evented/1.0.0/download');
    expect(events).toEqual([
      { type: 'ArtifactPushed', artifact: expect.objectContaining({ format: 'cargo', name: 'evented', reference: '1.0.0', digest: expect.stringMatching(/^sha256:/) }) },
      { type: 'ArtifactPulled', artifact: expect.objectContaining({ format: 'cargo', name: 'evented', reference: '1.0.0' }) },
    ]);
  });
});

describe('owners and search', () => {
  it('lists, adds and removes owners, never the last one', async () => {
    await publish('owned', '1.0.0');
    expect((await get('/cargo/api/v1/crates/owned/owners')).json()).toEqual({ users: [{ id: 1, login: 'anonymous', name: null }] });
    const add = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/owned/owners', payload: '{"users":["alice","bob"]}' });
    expect(add.json()).toEqual({ ok: true, msg: 'user alice, user bob added as owners of crate owned' });
    expect(seen.at(-1)).toEqual([{ action: 'admin', format: 'cargo', name: 'owned' }]);
    const remove = await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/owned/owners', payload: { users: ['anonymous', 'bob'] } });
    expect(remove.json()).toMatchObject({ ok: true });
    expect((await get('/cargo/api/v1/crates/owned/owners')).json<{ users: Array<{ login: string }> }>().users.map((u) => u.login)).toEqual(['alice']);
    const last = await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/owned/owners', payload: { users: ['alice'] } });
    expect(last.statusCode).toBe(400);
    expect(detail(last.body)).toBe('cannot remove every owner of crate `owned`');
    const bad = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/owned/owners', payload: '{"users":"alice"}' });
    expect(bad.statusCode).toBe(400);
    expect((await get('/cargo/api/v1/crates/missing/owners')).statusCode).toBe(404);
  });

  it('searches names and descriptions with per_page and a total', async () => {
    await publish('json-fast', '1.0.0');
    await publish('json-fast', '1.2.0-beta.1');
    await publish('json', '0.3.0');
    await publish('yaml-thing', '1.0.0', { description: 'reads JSON too' });
    await publish('other', '1.0.0');
    const all = (await get('/cargo/api/v1/crates?q=json&per_page=10')).json();
    expect(all).toEqual({
      crates: [
        { name: 'json', max_version: '0.3.0', description: 'json for tests' },
        { name: 'json-fast', max_version: '1.0.0', description: 'json-fast for tests' },
        { name: 'yaml-thing', max_version: '1.0.0', description: 'reads JSON too' },
      ],
      meta: { total: 3 },
    });
    expect((await get('/cargo/api/v1/crates?q=json&per_page=1')).json()).toMatchObject({ crates: [{ name: 'json' }], meta: { total: 3 } });
    expect((await get('/cargo/api/v1/crates?q=')).json()).toMatchObject({ meta: { total: 4 } });
    // A page size that is not an integer is refused, not ignored (test/http/page-sizes.test.ts).
    expect((await get('/cargo/api/v1/crates?q=&per_page=x')).statusCode).toBe(400);
  });
});

describe('crates.io cache switched off', () => {
  it('answers its routes with a cargo-shaped 404', async () => {
    const response = await get('/cargo/crates-io/index/se/rd/serde');
    expect(response.statusCode).toBe(404);
    expect(detail(response.body)).toMatch(/crates.io cache is disabled/);
  });
});
