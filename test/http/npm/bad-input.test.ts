// Every bad input the npm protocol can receive, for each name shape: the status and npm error
// body a client sees, and a store left exactly as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAll } from '../../../src/lib/storage/object-store.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'npm.upstream': '', 'npm.max_body': '16KiB', 'npm.max_metadata': '8KiB' } }); });
afterEach(async () => { await t.close(); });

async function storeKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listAll(t.services.store, '')) keys.push(`${info.key}@${info.etag}`);
  return keys;
}

const SHAPES = [
  { label: 'unscoped', name: 'pkg', url: 'pkg' },
  { label: 'scoped, encoded', name: '@team/pkg', url: '@team%2fpkg' },
  { label: 'scoped, unencoded', name: '@team/pkg', url: '@team/pkg' },
];

type Body = Record<string, any>;
const BAD_BODIES: Array<{ label: string; status: number; error: RegExp; body: (name: string) => Body | string }> = [
  { label: 'not JSON', status: 400, error: /JSON/i, body: () => '{"name": "pkg", ' },
  { label: 'a JSON array', status: 400, error: /expected a JSON object/, body: () => '[1,2]' },
  { label: 'another package in the body', status: 400, error: /names package "other"/, body: (n) => ({ ...publishBody(n), name: 'other', _id: 'other' }) },
  { label: 'traversal name in the body', status: 400, error: /names package "\.\.\/\.\.\/etc"/, body: (n) => ({ ...publishBody(n), name: '../../etc' }) },
  { label: 'no versions', status: 400, error: /"versions" must be an object/, body: (n) => ({ ...publishBody(n), versions: undefined }) },
  { label: 'two versions', status: 400, error: /exactly one version/, body: (n) => { const b = publishBody(n); b.versions['2.0.0'] = { ...b.versions['1.0.0'], version: '2.0.0' }; return b; } },
  { label: 'a non-semver version', status: 400, error: /not a semver version/, body: (n) => { const b = publishBody(n); b.versions = { 'v1': { ...b.versions['1.0.0'], version: 'v1' } }; return b; } },
  { label: 'a manifest of another package', status: 400, error: /names package "evil"/, body: (n) => { const b = publishBody(n); b.versions['1.0.0'].name = 'evil'; return b; } },
  { label: 'two attachments', status: 400, error: /exactly one attachment/, body: (n) => { const b = publishBody(n); b._attachments['x.tgz'] = b._attachments[Object.keys(b._attachments)[0]!]; return b; } },
  { label: 'attachment without data', status: 400, error: /no base64 "data"/, body: (n) => { const b = publishBody(n); Object.values(b._attachments).forEach((a: any) => { delete a.data; }); return b; } },
  { label: 'attachment that is not base64', status: 400, error: /not valid base64/, body: (n) => { const b = publishBody(n); Object.values(b._attachments).forEach((a: any) => { a.data = '!!notbase64!!'; }); return b; } },
  { label: 'attachment with characters outside base64', status: 400, error: /not valid base64/, body: (n) => { const b = publishBody(n); Object.values(b._attachments).forEach((a: any) => { a.data = `!!!!${a.data.slice(4)}`; }); return b; } },
  { label: 'attachment length that lies', status: 400, error: /declares length 5 but decodes to 256 bytes/, body: (n) => { const b = publishBody(n); Object.values(b._attachments).forEach((a: any) => { a.length = 5; }); return b; } },
  { label: 'wrong integrity', status: 400, error: /integrity mismatch: declared sha512-/, body: (n) => { const b = publishBody(n); b.versions['1.0.0'].dist.integrity = publishBody('x').versions['1.0.0'].dist.integrity; return b; } },
  { label: 'integrity without sha512', status: 400, error: /has no sha512 entry/, body: (n) => { const b = publishBody(n); b.versions['1.0.0'].dist.integrity = 'sha1-AAAA'; return b; } },
  { label: 'wrong shasum', status: 400, error: /shasum mismatch: declared 0{40}/, body: (n) => { const b = publishBody(n); b.versions['1.0.0'].dist.shasum = '0'.repeat(40); return b; } },
  { label: 'neither integrity nor shasum', status: 400, error: /neither integrity nor shasum/, body: (n) => { const b = publishBody(n); delete b.versions['1.0.0'].dist.integrity; delete b.versions['1.0.0'].dist.shasum; return b; } },
  { label: 'a dist-tag for another version', status: 400, error: /dist-tag latest points at 9\.9\.9/, body: (n) => ({ ...publishBody(n), 'dist-tags': { latest: '9.9.9' } }) },
  { label: 'JSON nested deeper than 64 levels', status: 400, error: /the JSON nests deeper than 64 levels/, body: (n) => ({ ...publishBody(n), deep: JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`) }) },
  { label: 'a malformed escape in a key', status: 400, error: /invalid JSON: a malformed escape/, body: (n) => JSON.stringify(publishBody(n)).replace('"description"', '"\\x"') },
  { label: 'metadata over npm.max_metadata', status: 413, error: /npm publish metadata \(the body without its tarball\) exceeds the limit of 8192 bytes/, body: (n) => ({ ...publishBody(n), readme: 'r'.repeat(9000) }) },
  { label: 'an oversized attachment', status: 413, error: /exceeds the limit|larger than the configured limit/, body: (n) => publishBody(n, { tarball: tarballBytes('big', 20 * 1024) }) },
  { label: 'an edit of a package that is not published', status: 404, error: /not published on this registry/, body: (n) => { const b = publishBody(n); delete b._attachments; return b; } },
];

describe.each(SHAPES)('bad publish bodies: $label', ({ name, url }) => {
  it.each(BAD_BODIES)('$label → $status', async ({ status, error, body }) => {
    const before = await storeKeys();
    const payload = body(name);
    const response = await t.app.inject({ method: 'PUT', url: `/npm/${url}`, headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    expect(response.statusCode, response.body).toBe(status);
    const answer = response.json();
    expect(Object.keys(answer).sort()).toEqual(['code', 'error']);
    expect(answer.error).toMatch(error);
    expect(await storeKeys()).toEqual(before);
  });
});

const TRAVERSAL_PATHS = [
  '/npm/..%2f..%2fetc%2fpasswd', '/npm/@team%2f%2e%2e', '/npm/@team%2f..%2fx', '/npm/@..%2fx', '/npm/@team/..%2f..%2fx',
  '/npm/.hidden', '/npm/_private', '/npm/a%00b', '/npm/@team%2fa%2fb', '/npm/%E0%A4%A', '/npm/pkg%5c..%5cx', '/npm/a%20b',
  '/npm/@team', '/npm/node_modules',
  '/npm/pkg/-/..%2f..%2fsecret.tgz', '/npm/pkg/-/.hidden.tgz', '/npm/pkg/-/a%2fb.tgz', '/npm/pkg/-/pkg-1.0.0.tar', '/npm/pkg/-/%2e%2e.tgz',
  '/npm/@team%2fpkg/-/@other/pkg-1.0.0.tgz', '/npm/pkg/-rev/not-a-rev', '/npm/-/package/..%2fx/dist-tags',
];

describe('traversal and malformed names in paths', () => {
  it.each(TRAVERSAL_PATHS)('%s → 400 in npm shape, for every method, store unchanged', async (path) => {
    await t.app.inject({ method: 'PUT', url: '/npm/pkg', payload: publishBody('pkg') });
    const before = await storeKeys();
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const response = await t.app.inject({ method, url: path, ...(method === 'PUT' ? { payload: publishBody('pkg', { version: '2.0.0' }) } : {}) });
      expect(response.statusCode, `${method} ${path}: ${response.body}`).toBe(400);
      expect(response.json().error, `${method} ${path}`).toEqual(expect.any(String));
    }
    expect(await storeKeys()).toEqual(before);
  });
});

describe('dist-tag bodies', () => {
  it.each([
    ['nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['a 100 KB string', JSON.stringify('v'.repeat(100_000))],
  ])('a version %s → 400 quoting it briefly, store unchanged', async (_label, payload) => {
    await t.app.inject({ method: 'PUT', url: '/npm/pkg', payload: publishBody('pkg'), headers: { authorization: 'Bearer dummy' } });
    const before = await storeKeys();
    const response = await t.app.inject({ method: 'PUT', url: '/npm/-/package/pkg/dist-tags/beta', headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' }, payload });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(400);
    expect(response.json()).toMatchObject({ code: 'NPM_BAD_TAG', error: expect.stringMatching(/^invalid dist-tag: pkg has no version .{1,220}$/) });
    expect(await storeKeys()).toEqual(before);
  });
});
