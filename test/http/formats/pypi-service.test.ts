// The PyPI format service as ops, the API and the UI see it: names PEP 503-normalized, paged,
// glob- and pull-filtered; releases (the files of one PEP 440 version: 1.0 is 1.0.0) with the
// sum of their files, push time, pulls counted by the real download route and the yanked flag;
// read by version or filename; yank; delete of a release or a file; gc references and usage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Authorizer } from '../../../src/lib/auth/access.js';
import type { PublishedEvent } from '../../../src/lib/events/bus.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { sdist, sha256, twineFields, uploadForm, wheel } from '../../helpers/pypi-dists.js';

let t: TestApp;
let events: PublishedEvent[];
beforeEach(async () => {
  t = await buildTestApp();
  events = [];
  t.services.events.subscribe((e) => { if (e.type !== 'ArtifactPulled') events.push(e); });
});
afterEach(async () => { await t.close(); });

interface Dist { filename: string; bytes: Buffer; metadata?: string }
const upload = async (name: string, version: string, kind: 'wheel' | 'sdist' = 'wheel'): Promise<Dist> => {
  const dist: Dist = kind === 'wheel' ? wheel({ name, version }) : sdist({ name, version });
  const { body, contentType } = uploadForm(twineFields({ name, version }, dist), dist);
  const r = await t.app.inject({ method: 'POST', url: '/pypi/', payload: body, headers: { 'content-type': contentType } });
  expect(r.statusCode, r.body).toBe(200);
  return dist;
};
const digest = (d: Dist) => `sha256:${sha256(d.bytes)}`;
const get = (url: string, method: 'GET' | 'HEAD' = 'GET') => t.app.inject({ method, url });
const page = async (project: string) => {
  const r = await t.app.inject({ url: `/simple/${project}/`, headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
  return r.statusCode === 200 ? r.json<{ versions: string[]; files: Array<{ filename: string; yanked?: string | boolean }> }>() : r.statusCode;
};
const mutations = () => events.splice(0).map((e) => ({ type: e.type, name: e.artifact.name, reference: e.artifact.reference, digest: e.artifact.digest, actor: e.actor }));

describe('pypi service: listing', () => {
  it('lists normalized names by page, glob and pull permission; access names are normalized', async () => {
    await upload('Zeta.Pkg', '1.0');
    await upload('alpha', '1.0');
    await upload('Alpha_Extra', '1.0');
    const pypi = t.services.formats.pypi;
    expect(await pypi.listNames({ limit: 2 })).toEqual({ items: ['alpha', 'alpha-extra'], next: 'alpha-extra' });
    expect(await pypi.listNames({ after: 'alpha-extra' })).toEqual({ items: ['zeta-pkg'] });
    expect(await pypi.listNames({ glob: 'alpha*', canPull: (n) => n !== 'alpha-extra' })).toEqual({ items: ['alpha'] });
    expect(pypi.accessName('Zeta_Pkg')).toBe('zeta-pkg');
  });

  it('lists releases (1.0 and 1.0.0 are one) with the sum of their files, push time, yank flag and the pulls of the download route', async () => {
    const whl = await upload('Demo_Pkg', '1.0');
    const tgz = await upload('Demo_Pkg', '1.0', 'sdist');
    const padded = await upload('demo-pkg', '1.0.0');
    const two = await upload('demo-pkg', '2.0');
    for (const [url, method] of [
      [`/pypi/files/demo-pkg/${whl.filename}`, 'GET'], [`/pypi/files/demo-pkg/${whl.filename}`, 'GET'], [`/pypi/files/demo-pkg/${tgz.filename}`, 'GET'],
      // Neither the core metadata nor a HEAD is a download.
      [`/pypi/files/demo-pkg/${whl.filename}.metadata`, 'GET'], [`/pypi/files/demo-pkg/${padded.filename}`, 'HEAD'],
    ] as const) expect((await get(url, method)).statusCode, url).toBe(200);
    expect((await get(`/pypi/files/demo-pkg/${whl.filename}`)).rawPayload.equals(whl.bytes)).toBe(true);
    await t.services.pulls.flush();

    const pypi = t.services.formats.pypi;
    const versions = await pypi.listVersions('DEMO.pkg');
    expect(versions).toMatchObject([
      { name: 'demo-pkg', version: '1.0', digest: digest(whl), size: whl.bytes.length + tgz.bytes.length + padded.bytes.length, pulls: 4, yanked: false },
      { name: 'demo-pkg', version: '2.0', digest: digest(two), size: two.bytes.length, pulls: 0, yanked: false },
    ]);
    expect(Date.parse(versions[0]!.lastPulled!)).not.toBeNaN();
    expect(versions[1]!.lastPulled).toBeUndefined();
    expect(Date.parse(versions[0]!.pushed)).toBeLessThanOrEqual(Date.parse(versions[1]!.pushed));
    // The simple page lists the release once too (PEP 700 versions).
    expect(await page('demo-pkg')).toMatchObject({ versions: ['1.0', '2.0'] });
    const listed = (await get('/api/artifacts?type=pypi&pulls=true')).json().items;
    expect(listed).toMatchObject([{ type: 'pypi', name: 'demo-pkg', version: '1.0', pulls: 4 }, { version: '2.0', pulls: 0 }]);
  });

  it('reads a release by any PEP 440 spelling, or one file; nothing for unknown or hostile names', async () => {
    const whl = await upload('demo', '1.0');
    const tgz = await upload('demo', '1.0', 'sdist');
    const pypi = t.services.formats.pypi;
    const metadata = { digest: `sha256:${sha256(Buffer.from(whl.metadata!))}`, size: Buffer.byteLength(whl.metadata!) };
    for (const spelling of ['1.0', '1.0.0', 'v1', '1.0.0.0']) {
      expect(await pypi.read('Demo', spelling), spelling).toMatchObject({
        name: 'demo', version: '1.0', digest: digest(whl), size: whl.bytes.length + tgz.bytes.length,
        blobs: [{ digest: digest(whl), size: whl.bytes.length }, metadata, { digest: digest(tgz), size: tgz.bytes.length }],
        metadata: { name: 'demo', files: [{ filename: whl.filename }, { filename: tgz.filename }] },
      });
    }
    expect(await pypi.read('demo', tgz.filename)).toMatchObject({ version: tgz.filename, digest: digest(tgz), size: tgz.bytes.length, blobs: [{ digest: digest(tgz) }] });
    expect(await pypi.read('demo', '1.0.1')).toBeUndefined();
    expect(await pypi.read('demo', '1.0rc1')).toBeUndefined();
    expect(await pypi.read('nope', '1.0')).toBeUndefined();
    for (const bad of ['../demo', 'a/b', '', '-demo', 'x'.repeat(201)]) {
      expect(await pypi.listVersions(bad)).toEqual([]);
      expect(await pypi.read(bad, '1.0')).toBeUndefined();
      expect(await pypi.delete(bad, '1.0')).toBe(false);
      expect(await pypi.yank(bad, '1.0', true)).toBe(false);
    }
  });
});

describe('pypi service: yank and delete', () => {
  it('yanks a release (every file, PEP 592) and unyanks it; again is no change', async () => {
    const whl = await upload('demo', '1.0');
    await upload('demo', '1.0.0', 'sdist');
    events.length = 0;
    const pypi = t.services.formats.pypi;
    expect(await pypi.yank('Demo', '1', true, { actor: 'alice' })).toBe(true);
    expect(await page('demo')).toMatchObject({ files: [{ yanked: true }, { yanked: true }] });
    expect(await pypi.listVersions('demo')).toMatchObject([{ version: '1.0', yanked: true }]);
    expect((await get(`/pypi/files/demo/${whl.filename}`)).statusCode).toBe(200);
    expect(await pypi.yank('demo', '1.0', true)).toBe(true);
    expect(await pypi.yank('demo', '1.0.0', false, { actor: 'alice' })).toBe(true);
    expect(await pypi.yank('demo', '2.0', true)).toBe(false);
    expect(await pypi.yank('nope', '1.0', true)).toBe(false);
    const unyanked = await page('demo');
    expect(typeof unyanked === 'object' && unyanked.files.every((f) => f.yanked === undefined || f.yanked === false)).toBe(true);
    expect(mutations()).toEqual([
      { type: 'ArtifactYanked', name: 'demo', reference: '1.0', digest: digest(whl), actor: 'alice' },
      { type: 'ArtifactUnyanked', name: 'demo', reference: '1.0', digest: digest(whl), actor: 'alice' },
    ]);
    expect(t.services.audit.recent.slice(-2).map((l) => [l.action, l.identity, l.resource, l.reference])).toEqual([
      ['yank', 'alice', 'pypi:demo', '1.0'], ['unyank', 'alice', 'pypi:demo', '1.0'],
    ]);
  });

  it('deleting 1.0 removes the files uploaded as 1.0.0 (PEP 440: one release), then a file, then the project with its last file', async () => {
    const whl = await upload('demo', '1.0.0');
    const tgz = await upload('demo', '1.0.0', 'sdist');
    const two = await upload('demo', '2.0');
    const twoSdist = await upload('demo', '2.0', 'sdist');
    events.length = 0;
    const pypi = t.services.formats.pypi;
    const referenced = async () => { const out = new Set<string>(); for await (const d of pypi.referencedBlobs()) out.add(d); return out; };
    const meta = (d: Dist) => `sha256:${sha256(Buffer.from(d.metadata!))}`;
    expect(await referenced()).toEqual(new Set([digest(whl), meta(whl), digest(tgz), digest(two), meta(two), digest(twoSdist)]));
    const all = [whl, tgz, two, twoSdist].reduce((n, d) => n + d.bytes.length, 0) + Buffer.byteLength(whl.metadata!) + Buffer.byteLength(two.metadata!);
    expect(await pypi.usage()).toEqual({ bytes: all, names: 1, versions: 2 });

    const deleted = await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=pypi:Demo@1.0' });
    expect([deleted.statusCode, deleted.json()]).toEqual([200, { deleted: { ref: 'pypi:Demo@1.0', dry_run: false } }]);
    expect(await page('demo')).toMatchObject({ versions: ['2.0'], files: [{ filename: two.filename }, { filename: twoSdist.filename }] });
    expect((await get(`/pypi/files/demo/${whl.filename}`)).statusCode).toBe(404);
    expect((await get(`/pypi/files/demo/${whl.filename}.metadata`)).statusCode).toBe(404);
    expect(await referenced()).toEqual(new Set([digest(two), meta(two), digest(twoSdist)]));
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=pypi:demo@1.0.0' })).statusCode).toBe(404);

    expect(await pypi.delete('demo', twoSdist.filename, { actor: 'root' })).toBe(true);
    expect(await pypi.delete('demo', twoSdist.filename)).toBe(false);
    expect(await pypi.listVersions('demo')).toMatchObject([{ version: '2.0', size: two.bytes.length }]);
    expect(await pypi.delete('demo', '2')).toBe(true);
    expect(await page('demo')).toBe(404);
    expect(await pypi.listNames()).toEqual({ items: [] });
    expect(await pypi.usage()).toEqual({ bytes: 0, names: 0, versions: 0 });
    expect(mutations()).toEqual([
      { type: 'ArtifactDeleted', name: 'demo', reference: '1.0.0', digest: digest(whl), actor: 'anonymous' },
      { type: 'ArtifactDeleted', name: 'demo', reference: twoSdist.filename, digest: digest(twoSdist), actor: 'root' },
      { type: 'ArtifactDeleted', name: 'demo', reference: '2.0', digest: digest(two), actor: undefined },
    ]);
  });

  it('the admin delete needs access on the normalized name, however the reference spells it', async () => {
    await t.close();
    // Once strict, everything is allowed except naming the project team-core itself.
    let strict = false;
    const authorizer: Authorizer = { authorize: async (_identity, requests) => !strict || requests.every((r) => r.name !== 'team-core') };
    t = await buildTestApp({ authorizer });
    t.services.events.subscribe((e) => { if (e.type !== 'ArtifactPulled') events.push(e); });
    await upload('team-core', '1.0');
    events.length = 0;
    strict = true;
    for (const spelling of ['Team_Core', 'team.core', 'TEAM-CORE']) {
      expect((await t.app.inject({ method: 'DELETE', url: `/api/artifacts?ref=pypi:${spelling}@1.0` })).statusCode, spelling).toBe(401);
    }
    expect(events).toEqual([]);
    strict = false;
    expect((await t.app.inject({ method: 'DELETE', url: '/api/artifacts?ref=pypi:Team_Core@1.0' })).statusCode).toBe(200);
    expect(mutations().map((e) => [e.type, e.name, e.reference])).toEqual([['ArtifactDeleted', 'team-core', '1.0']]);
  });
});
