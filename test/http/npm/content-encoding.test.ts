// npm PUT bodies are decoded per their Content-Encoding (the npm CLI sends publishes
// uncompressed, so this is over HTTP): gzip, deflate and br publish like identity; a body that is
// not what its coding says is a 400 and a coding NORA cannot decode a 415, in npm's shape, with
// the store left exactly as it was.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeKeys } from '../../helpers/store-keys.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { publishBody, tarballBytes } from '../../helpers/npm-fixtures.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'npm.upstream': '', 'npm.max_body': '64KiB' } }); });
afterEach(async () => { await t.close(); });

const put = (url: string, payload: Buffer, encoding: string) => t.app.inject({
  method: 'PUT', url: `/npm/${url}`, payload,
  headers: { 'content-type': 'application/json', 'content-encoding': encoding, authorization: 'Bearer dummy' },
});

const ENCODERS: Array<[string, (b: Buffer) => Buffer]> = [
  ['gzip', gzipSync], ['x-gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync],
  ['identity', (b) => b], ['gzip, identity', gzipSync], ['GZIP', gzipSync],
];

describe.each([{ name: 'left-pad', url: 'left-pad' }, { name: '@acme/util', url: '@acme%2futil' }])('Content-Encoding of publishes: $name', ({ name, url }) => {
  it.each(ENCODERS)('%s is decoded and published', async (encoding, encode) => {
    const tarball = tarballBytes(name, 3000);
    const response = await put(url, encode(Buffer.from(JSON.stringify(publishBody(name, { tarball })))), encoding);
    expect(response.statusCode, response.body).toBe(201);
    expect((await t.app.inject({ url: `/npm/${url}` })).json()).toMatchObject({ name, 'dist-tags': { latest: '1.0.0' } });
    const file = await t.app.inject({ url: `/npm/${url}/-/${name.split('/').at(-1)}-1.0.0.tgz` });
    expect(file.rawPayload.equals(tarball)).toBe(true);
  });

  const body = () => Buffer.from(JSON.stringify(publishBody(name, { tarball: tarballBytes(name, 3000) })));
  it.each([
    { label: 'a plain JSON body sent as gzip', encoding: 'gzip', payload: () => body(), status: 400, code: 'NPM_BAD_ENCODING', error: /not valid gzip data/ },
    { label: 'a plain JSON body sent as br', encoding: 'br', payload: () => body(), status: 400, code: 'NPM_BAD_ENCODING', error: /not valid br data/ },
    { label: 'a gzip body cut inside the tarball', encoding: 'gzip', payload: () => { const z = gzipSync(body()); return z.subarray(0, z.length - 200); }, status: 400, code: 'NPM_BAD_ENCODING', error: /not valid gzip data/ },
    { label: 'a gzip body with bytes after its end', encoding: 'gzip', payload: () => Buffer.concat([gzipSync(body()), Buffer.from('trailing')]), status: 400, code: 'NPM_BAD_ENCODING', error: /not valid gzip data/ },
    { label: 'a deflate body sent as gzip', encoding: 'gzip', payload: () => deflateSync(body()), status: 400, code: 'NPM_BAD_ENCODING', error: /not valid gzip data/ },
    { label: 'an unknown coding', encoding: 'compress', payload: () => body(), status: 415, code: 'NPM_UNSUPPORTED_ENCODING', error: /unsupported Content-Encoding "compress"/ },
    { label: 'two codings stacked', encoding: 'gzip, br', payload: () => brotliCompressSync(gzipSync(body())), status: 415, code: 'NPM_UNSUPPORTED_ENCODING', error: /unsupported Content-Encoding "gzip, br"/ },
    { label: 'gzip that inflates past npm.max_body', encoding: 'gzip', payload: () => gzipSync(Buffer.concat([Buffer.from('{"name":"x","readme":"'), Buffer.alloc(1 << 20, 0x61), Buffer.from('"}')])), status: 413, code: 'TOO_LARGE', error: /exceeds the limit of 65536 bytes/ },
  ])('$label → $status $code, store unchanged', async ({ encoding, payload, status, code, error }) => {
    const before = await storeKeys(t.services.store);
    const response = await put(url, payload(), encoding);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json()).toEqual({ code, error: expect.stringMatching(error) });
    expect(await storeKeys(t.services.store)).toEqual(before);
  });
});
