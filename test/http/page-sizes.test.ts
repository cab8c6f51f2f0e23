// Page sizes of npm search and cargo search over inject(): an integer in range pages as before,
// anything else is 400 INVALID_QUERY in the protocol's own error shape, never silently ignored.
// (OCI's tag list and catalog: test/http/oci/paging.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { frame, fakeCrate, publishMetadata } from '../helpers/cargo-frame.js';
import { publishBody } from '../helpers/npm-fixtures.js';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ settings: { 'npm.upstream': '', 'cargo.upstream_index': '' } });
  for (const name of ['tool-a', 'tool-b']) {
    expect((await t.app.inject({ method: 'PUT', url: `/npm/${name}`, payload: publishBody(name) })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: frame(publishMetadata(name, '1.0.0'), fakeCrate(name, '1.0.0')) })).statusCode).toBe(200);
  }
});
afterAll(async () => { await t.close(); });

const get = (url: string) => t.app.inject({ url });
const BAD = ['-1', 'abc', '1.5', '', '1e1', '0x10', '+1', ' 1', '99999999999999999999'];

describe('npm search', () => {
  it.each(BAD.flatMap((value) => [['size', value], ['from', value]]))('%s=%j is 400 INVALID_QUERY in npm shape', async (key, value) => {
    const response = await get(`/npm/-/v1/search?text=tool&${key}=${encodeURIComponent(value)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ code: 'INVALID_QUERY', error: expect.stringContaining(`invalid query parameter: ${key} must be an integer from`) });
  });

  it('a repeated size, and sizes out of range, are refused too', async () => {
    for (const query of ['size=1&size=2', 'size=0', 'size=251', 'from=10001']) expect((await get(`/npm/-/v1/search?text=tool&${query}`)).statusCode, query).toBe(400);
  });

  it('integers in range page', async () => {
    expect((await get('/npm/-/v1/search?text=tool&size=1')).json().objects).toHaveLength(1);
    expect((await get('/npm/-/v1/search?text=tool&size=01&from=1')).json().objects.map((o: any) => o.package.name)).toEqual(['tool-b']);
    expect((await get('/npm/-/v1/search?text=tool')).json().objects).toHaveLength(2);
  });
});

describe('cargo search', () => {
  it.each(BAD.filter((v) => v !== '99999999999999999999'))('per_page=%j is 400 INVALID_QUERY in cargo shape', async (value) => {
    const response = await get(`/cargo/api/v1/crates?q=tool&per_page=${encodeURIComponent(value)}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ errors: [{ detail: expect.stringContaining('invalid query parameter: per_page must be an integer from') }] });
  });

  it('integers are clamped to 1..100 as before', async () => {
    expect((await get('/cargo/api/v1/crates?q=tool&per_page=0')).json().crates).toHaveLength(1);
    expect((await get('/cargo/api/v1/crates?q=tool&per_page=1')).json().crates).toHaveLength(1);
    expect((await get('/cargo/api/v1/crates?q=tool&per_page=1000')).json().crates).toHaveLength(2);
    expect((await get('/cargo/api/v1/crates?q=tool')).json()).toMatchObject({ meta: { total: 2 } });
  });
});
