// The cargo format service as ops, the API and the UI see it: names paged, glob- and
// pull-filtered in their canonical spelling; versions with the .crate's size, push time, pulls
// (counted by the real download route) and the yanked flag; read; yank versus an admin delete;
// owner changes; gc references and usage. Lookups match up to case, - and _ as crates.io's do.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Authorizer } from '../../../src/lib/auth/access.js';
import type { PublishedEvent } from '../../../src/lib/events/bus.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';

let t: TestApp;
let events: PublishedEvent[];
beforeEach(async () => {
  t = await buildTestApp({ settings: { 'cargo.upstream_index': '' } });
  events = [];
  t.services.events.subscribe((e) => { if (e.type !== 'ArtifactPulled') events.push(e); });
});
afterEach(async () => { await t.close(); });

const publish = async (name: string, version: string) => {
  const crate = fakeCrate(name, version);
  const r = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata(name, version), crate) });
  expect(r.statusCode, r.body).toBe(200);
  return { crate, digest: `sha256:${createHash('sha256').update(crate).digest('hex')}` };
};
const get = (url: string) => t.app.inject({ url });
/** Every line of an index file, parsed: fails unless each line is a JSON object. */
const indexLines = async (path: string) => (await get(`/cargo/index/${path}`)).body.trim().split('\n').map((l) => JSON.parse(l) as { vers: string; yanked: boolean });
const mutations = () => events.splice(0).map((e) => ({ type: e.type, name: e.artifact.name, reference: e.artifact.reference, digest: e.artifact.digest, detail: e.detail }));

describe('cargo service: listing', () => {
  it('lists names by page, glob and pull permission, in their canonical spelling', async () => {
    await publish('Serde_Lite', '1.0.0');
    await publish('alpha', '0.1.0');
    await publish('alpha-extra', '0.1.0');
    const cargo = t.services.formats.cargo;
    expect(await cargo.listNames({ limit: 2 })).toEqual({ items: ['Serde_Lite', 'alpha'], next: 'alpha' });
    expect(await cargo.listNames({ after: 'alpha' })).toEqual({ items: ['alpha-extra'] });
    expect(await cargo.listNames({ glob: 'alpha*', canPull: (n) => n !== 'alpha-extra' })).toEqual({ items: ['alpha'] });
    expect(cargo.accessName('alpha')).toBe('alpha');
  });

  it('lists versions with size, push time, yanked flag and the pulls of the download route, under any spelling', async () => {
    const one = await publish('Serde_Lite', '1.0.0');
    await publish('Serde_Lite', '1.1.0');
    for (const url of ['/cargo/api/v1/crates/Serde_Lite/1.0.0/download', '/cargo/api/v1/crates/serde-lite/1.0.0/download']) {
      const download = await get(url);
      expect(download.statusCode, url).toBe(200);
      expect(download.rawPayload.equals(one.crate)).toBe(true);
    }
    expect((await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/serde_lite/1.1.0/yank' })).statusCode).toBe(200);
    await t.services.pulls.flush();
    const cargo = t.services.formats.cargo;
    const versions = await cargo.listVersions('SERDE-LITE');
    expect(versions).toMatchObject([
      { name: 'Serde_Lite', version: '1.0.0', digest: one.digest, size: one.crate.length, pulls: 2, yanked: false },
      { name: 'Serde_Lite', version: '1.1.0', pulls: 0, yanked: true },
    ]);
    expect(Date.parse(versions[0]!.pushed)).not.toBeNaN();
    expect(Date.parse(versions[0]!.lastPulled!)).not.toBeNaN();
    expect(versions[1]!.lastPulled).toBeUndefined();
    const listed = (await get('/api/artifacts?type=cargo&pulls=true')).json().items;
    expect(listed).toMatchObject([{ type: 'cargo', name: 'Serde_Lite', version: '1.0.0', size: one.crate.length, pulls: 2 }, { version: '1.1.0', pulls: 0 }]);

    const detail = await cargo.read('serde_lite', '1.0.0');
    expect(detail).toMatchObject({ version: '1.0.0', blobs: [{ digest: one.digest, size: one.crate.length }], metadata: { name: 'Serde_Lite', vers: '1.0.0', cksum: one.digest.slice(7), yanked: false } });
    expect(await cargo.read('serde_lite', '9.9.9')).toBeUndefined();
    for (const bad of ['../etc', 'a/b', '', 'x'.repeat(65)]) {
      expect(await cargo.listVersions(bad)).toEqual([]);
      expect(await cargo.read(bad, '1.0.0')).toBeUndefined();
      expect(await cargo.delete(bad, '1.0.0')).toBe(false);
      expect(await cargo.yank(bad, '1.0.0', true)).toBe(false);
    }
  });
});

describe('cargo service: yank versus delete', () => {
  it('yanks: the line stays with yanked: true and the .crate stays downloadable; again is no change', async () => {
    const one = await publish('demo', '1.0.0');
    events.length = 0;
    const cargo = t.services.formats.cargo;
    expect(await cargo.yank('Demo', '1.0.0', true, { actor: 'alice' })).toBe(true);
    expect(await indexLines('de/mo/demo')).toMatchObject([{ vers: '1.0.0', yanked: true }]);
    expect((await get('/cargo/api/v1/crates/demo/1.0.0/download')).statusCode).toBe(200);
    expect(await cargo.yank('demo', '1.0.0', true)).toBe(true);
    expect(await cargo.yank('demo', '1.0.0', false, { actor: 'alice' })).toBe(true);
    expect(await cargo.yank('demo', '2.0.0', true)).toBe(false);
    expect(await cargo.yank('nope', '1.0.0', true)).toBe(false);
    expect(mutations()).toEqual([
      { type: 'ArtifactYanked', name: 'demo', reference: '1.0.0', digest: one.digest, detail: undefined },
      { type: 'ArtifactUnyanked', name: 'demo', reference: '1.0.0', digest: one.digest, detail: undefined },
    ]);
    expect(t.services.audit.recent.slice(-2).map((l) => [l.action, l.identity, l.resource, l.reference])).toEqual([
      ['yank', 'alice', 'cargo:demo', '1.0.0'], ['unyank', 'alice', 'cargo:demo', '1.0.0'],
    ]);
  });

  it('deletes: the line leaves a still valid index file, the .crate is no longer served or referenced; the last version takes the name', async () => {
    const one = await publish('demo', '1.0.0');
    const two = await publish('demo', '1.1.0');
    const three = await publish('demo', '1.2.0');
    events.length = 0;
    const cargo = t.services.formats.cargo;
    const referenced = async () => { const out = new Set<string>(); for await (const d of cargo.referencedBlobs()) out.add(d); return out; };
    expect(await referenced()).toEqual(new Set([one.digest, two.digest, three.digest]));
    expect(await cargo.usage()).toEqual({ bytes: one.crate.length + two.crate.length + three.crate.length, names: 1, versions: 3 });

    expect(await cargo.delete('DEMO', '1.1.0', { actor: 'root' })).toBe(true);
    expect(await cargo.delete('demo', '1.1.0')).toBe(false);
    expect((await indexLines('de/mo/demo')).map((l) => l.vers)).toEqual(['1.0.0', '1.2.0']);
    expect((await get('/cargo/api/v1/crates/demo/1.1.0/download')).statusCode).toBe(404);
    expect(await referenced()).toEqual(new Set([one.digest, three.digest]));

    expect(await cargo.delete('demo', '1.0.0')).toBe(true);
    expect(await cargo.delete('demo', '1.2.0')).toBe(true);
    expect((await get('/cargo/index/de/mo/demo')).statusCode).toBe(404);
    expect(await cargo.listNames()).toEqual({ items: [] });
    expect((await get('/cargo/api/v1/crates?q=demo')).json()).toMatchObject({ meta: { total: 0 } });
    expect(await cargo.usage()).toEqual({ bytes: 0, names: 0, versions: 0 });
    expect(mutations()).toEqual([
      { type: 'ArtifactDeleted', name: 'demo', reference: '1.1.0', digest: two.digest, detail: undefined },
      { type: 'ArtifactDeleted', name: 'demo', reference: '1.0.0', digest: one.digest, detail: undefined },
      { type: 'ArtifactDeleted', name: 'demo', reference: '1.2.0', digest: three.digest, detail: undefined },
    ]);
    // The name is free again: a new first publish may choose its spelling.
    await publish('Demo', '3.0.0');
    expect(await cargo.listNames()).toEqual({ items: ['Demo'] });
  });
});

describe('cargo service: owners', () => {
  it('publishes OwnersChanged naming who was added or removed, and nothing for a change that changes nothing', async () => {
    await publish('owned', '1.0.0');
    events.length = 0;
    const put = (method: 'PUT' | 'DELETE', users: string[]) => t.app.inject({ method, url: '/cargo/api/v1/crates/Owned/owners', payload: JSON.stringify({ users }) });
    expect((await put('PUT', ['alice', 'bob'])).statusCode).toBe(200);
    expect((await put('PUT', ['alice'])).statusCode).toBe(200);
    expect((await put('DELETE', ['bob', 'carol'])).statusCode).toBe(200);
    expect((await put('DELETE', ['carol'])).statusCode).toBe(200);
    expect((await put('DELETE', ['anonymous', 'alice'])).statusCode).toBe(400);
    expect(mutations()).toEqual([
      { type: 'OwnersChanged', name: 'owned', reference: undefined, digest: undefined, detail: 'added alice, bob' },
      { type: 'OwnersChanged', name: 'owned', reference: undefined, digest: undefined, detail: 'removed bob' },
    ]);
    expect((await get('/cargo/api/v1/crates/owned/owners')).json().users.map((u: { login: string }) => u.login)).toEqual(['anonymous', 'alice']);
  });
});

describe('cargo: a crate reached under another spelling', () => {
  it('needs the same access on the crate\'s own name: yank, unyank, download, owners and the admin delete', async () => {
    await t.close();
    // Once strict, everything is allowed except naming the crate team-core itself.
    let strict = false;
    const authorizer: Authorizer = { authorize: async (_identity, requests) => !strict || requests.every((r) => r.name !== 'team-core') };
    t = await buildTestApp({ authorizer, settings: { 'cargo.upstream_index': '' } });
    await publish('team-core', '1.0.0');
    strict = true;
    const seen: string[] = [];
    t.services.events.subscribe((e) => { seen.push(e.type); });
    const refused = [
      await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/team_core/1.0.0/yank' }),
      await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/Team_Core/1.0.0/unyank' }),
      await get('/cargo/api/v1/crates/team_core/1.0.0/download'),
      await get('/cargo/api/v1/crates/team_core/owners'),
      await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/team_core/owners', payload: '{"users":["mallory"]}' }),
      await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=cargo:team_core@1.0.0' }),
    ];
    expect(refused.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(JSON.parse(refused[0]!.body).errors[0].detail).toMatch(/team-core/);
    expect(seen).toEqual([]);
    strict = false;
    expect(await indexLines('te/am/team-core')).toMatchObject([{ vers: '1.0.0', yanked: false }]);
    expect((await get('/cargo/api/v1/crates/team-core/owners')).json().users.map((u: { login: string }) => u.login)).toEqual(['anonymous']);
    // Without the rule, the other spelling reaches the crate.
    expect((await t.app.inject({ method: 'DELETE', url: '/cargo/api/v1/crates/team_core/1.0.0/yank' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=cargo:TEAM_CORE@1.0.0' })).statusCode).toBe(200);
    expect(seen).toEqual(['ArtifactYanked', 'ArtifactDeleted']);
  });
});
