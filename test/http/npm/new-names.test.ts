// Names of new npm packages follow npm's rules (validate-npm-package-name, validForNewPackages),
// and a new name that differs only in case from a published one is refused; names npm allowed
// once (upper case) that are already stored keep working. Every refusal leaves the store as it was.
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePackageName } from '../../../src/lib/npm/package-name.js';
import { parsePublishBody } from '../../../src/lib/npm/publish-body.js';
import { storeKeys } from '../../helpers/store-keys.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'npm.upstream': '' } }); });
afterEach(async () => { await t.close(); });

const put = (name: string, version = '1.0.0') => t.app.inject({
  method: 'PUT', url: `/npm/${name.replace('/', '%2f')}`, headers: { 'content-type': 'application/json', authorization: 'Bearer dummy' },
  payload: JSON.stringify(publishBody(name, { version })),
});

/** Stores a package the way an older NORA (or a restore) left it, bypassing today's name rules. */
async function storeLegacy(text: string): Promise<void> {
  const name = parsePackageName(text);
  const tarball = tarballBytes(text);
  const blob = await t.services.blobs.write(Readable.from([tarball]), { algorithm: 'sha512', extraHashes: ['sha1'] });
  await t.services.formats.npm.registry.local.publish(name, parsePublishBody(name, publishBody(text, { tarball }), blob));
}

describe('names of new packages', () => {
  it.each([
    ['PWNED', /must be lower case/],
    ['Left-Pad', /must be lower case/],
    ['@Acme/util', /must be lower case/],
    ['@acme/Util', /must be lower case/],
    ['-', /must not start with "-"/],
    ['-x', /must not start with "-"/],
    ['a~b', /must not contain any of ~'!\(\)\*/],
    ['@acme/~x', /must not contain any of/],
    ['http', /Node.js core module/],
    ['fs', /Node.js core module/],
    ['node_modules', /reserved/],
    ['favicon.ico', /reserved/],
  ])('%s → 400 in npm shape, nothing stored', async (name, why) => {
    const before = await storeKeys(t.services.store);
    const response = await put(name);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'NPM_INVALID_NAME', error: expect.stringMatching(why) });
    expect(await storeKeys(t.services.store)).toEqual(before);
  });

  it.each(['left-pad', 'a.b_c-d', '@acme/util', '@acme-corp/x.y', '@scope/http', 'http-client'])('%s is accepted', async (name) => {
    const response = await put(name);
    expect(response.statusCode, response.body).toBe(201);
  });

  it('takes 214 characters and refuses 215', async () => {
    expect((await put('x'.repeat(214))).statusCode).toBe(201);
    const refused = await put('y'.repeat(215));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatch(/longer than 214 characters/);
  });
});

describe('names that differ only in case', () => {
  it.each([['PWNED', 'pwned'], ['JSONStream', 'jsonstream'], ['@Acme/Util', '@acme/util']])('with %s stored, %s → 409 naming it; the stored one keeps working', async (stored, wanted) => {
    await storeLegacy(stored);
    const before = await storeKeys(t.services.store);
    const refused = await put(wanted);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json()).toEqual({ code: 'NPM_NAME_CONFLICT', error: expect.stringContaining(`differs only in case from the published package "${stored}"`) });
    expect(await storeKeys(t.services.store)).toEqual(before);

    const url = `/npm/${stored.replace('/', '%2f')}`;
    expect((await t.app.inject({ url })).json()).toMatchObject({ name: stored, 'dist-tags': { latest: '1.0.0' } });
    const bare = stored.split('/').at(-1)!;
    const tarball = await t.app.inject({ url: `${url}/-/${bare}-1.0.0.tgz` });
    expect(tarball.rawPayload.equals(tarballBytes(stored))).toBe(true);
    const next = await put(stored, '1.1.0');
    expect(next.statusCode, next.body).toBe(201);
  });
});
