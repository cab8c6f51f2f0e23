// Publish over plain HTTP (cargo itself refuses some of these before sending): truncated and
// lying frames, huge lengths, bad and reserved names, duplicates and renames, unknown deps.
// Every refusal is in cargo's {"errors":[{"detail"}]} shape and leaves the store unchanged.
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAll } from '../../../src/lib/storage/object-store.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { dep, fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';
import { tarGz } from '../../helpers/crate-tarball.js';

let t: TestApp;
beforeEach(async () => { t = await buildTestApp({ settings: { 'cargo.max_crate_size': '64KiB', 'cargo.upstream_index': '' } }); });
afterEach(async () => { await t.close(); });

const publish = (payload: Buffer, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload, headers: { authorization: 'any-token', ...headers } });

async function storeKeys(): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of listAll(t.services.store, '')) keys.push(info.key);
  return keys;
}

async function expectRefused(payload: Buffer, status: number, detail: RegExp | string, headers: Record<string, string> = {}): Promise<void> {
  const before = await storeKeys();
  const response = await publish(payload, headers);
  expect(response.statusCode).toBe(status);
  const body = response.json<{ errors: Array<{ detail: string }> }>();
  expect(body.errors).toHaveLength(1);
  if (typeof detail === 'string') expect(body.errors[0]!.detail).toBe(detail);
  else expect(body.errors[0]!.detail).toMatch(detail);
  expect(await storeKeys()).toEqual(before);
}

const good = (name = 'demo', vers = '1.0.0', extra = {}) => frame(publishMetadata(name, vers, extra), fakeCrate(name, vers));

describe('cargo publish over HTTP', () => {
  it('accepts a frame without Content-Type and answers the warnings object', async () => {
    const response = await publish(good());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ warnings: { invalid_categories: [], invalid_badges: [], other: [] } });
    expect((await t.app.inject({ url: '/cargo/index/de/mo/demo' })).statusCode).toBe(200);
  });

  it('refuses truncated frames', async () => {
    const body = good();
    await expectRefused(body.subarray(0, 3), 400, /cannot hold the two length fields/);
    await expectRefused(body.subarray(0, body.length - 4), 400, /add up to .* but Content-Length is/);
  });

  it('refuses lying lengths', async () => {
    const body = good();
    const lying = Buffer.from(body);
    lying.writeUInt32LE(body.readUInt32LE(0) + 10, 0);
    await expectRefused(lying, 400, /invalid publish metadata: not JSON/);
    lying.writeUInt32LE(body.length, 0);
    await expectRefused(lying, 400, /metadata length \d+ does not fit in the \d+-byte body/);
    await expectRefused(Buffer.concat([body, Buffer.from('trailing')]), 400, /add up to .* but Content-Length is/);
  });

  it('refuses lying .crate lengths in a chunked body (no Content-Length) once the stream shows it', async () => {
    const chunked = async (payload: Buffer, detail: RegExp) => {
      const before = await storeKeys();
      const response = await t.app.inject({ method: 'PUT', url: '/cargo/api/v1/crates/new', payload: Readable.from([payload.subarray(0, 20), payload.subarray(20)]) });
      expect(response.statusCode).toBe(400);
      expect(response.json<{ errors: Array<{ detail: string }> }>().errors[0]!.detail).toMatch(detail);
      expect(await storeKeys()).toEqual(before);
    };
    const body = good();
    await chunked(body.subarray(0, body.length - 3), /\.crate ended after/);
    await chunked(Buffer.concat([body, Buffer.from('!')]), /unexpected bytes after the/);
  });

  it('refuses huge lengths with 413 before reading on', async () => {
    const huge = Buffer.alloc(16);
    huge.writeUInt32LE(0xfffffff0, 0);
    await expectRefused(huge, 413, 'publish metadata exceeds the limit of 1048576 bytes');
    const meta = Buffer.from(JSON.stringify(publishMetadata('demo', '1.0.0')));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(meta.length);
    const crateLen = Buffer.alloc(4);
    crateLen.writeUInt32LE(10 * 1024 * 1024);
    await expectRefused(Buffer.concat([len, meta, crateLen, Buffer.alloc(100)]), 413, '.crate file exceeds the limit of 65536 bytes');
  });

  it.each([
    ['../x', /invalid crate name "..\/x": only ASCII letters/],
    ['nul', 'invalid crate name "nul": the name is reserved'],
    ['Con', 'invalid crate name "Con": the name is reserved'],
    ['lpt1', 'invalid crate name "lpt1": the name is reserved'],
    ['9lives', 'invalid crate name "9lives": must start with an ASCII letter'],
    ['a%2fb', /only ASCII letters/],
  ])('refuses the name %j', async (name, detail) => {
    await expectRefused(good(name), 400, detail);
  });

  it('refuses bad versions, bad deps and unknown same-registry deps', async () => {
    await expectRefused(good('demo', '1.0'), 400, /invalid version "1.0"/);
    await expectRefused(good('demo', '1.0.0', { deps: [dep({ name: 'x', version_req: 'whatever' })] }), 400, /version_req "whatever"/);
    await expectRefused(good('demo', '1.0.0', { deps: [dep({ name: 'missing-dep' })] }), 400, /no known crate named `missing-dep`/);
  });

  it('refuses a .crate whose archive leaves its directory or names another crate', async () => {
    await expectRefused(frame(publishMetadata('demo', '1.0.0'), tarGz([{ path: 'demo-1.0.0/Cargo.toml', data: 'x' }, { path: 'demo-1.0.0/../../evil', data: 'x' }])), 400,
      'invalid publish request body: the .crate has the entry "demo-1.0.0/../../evil" outside demo-1.0.0/');
    await expectRefused(frame(publishMetadata('demo', '1.0.0'), fakeCrate('other', '1.0.0')), 400, /entry "other-1.0.0\/Cargo.toml" outside demo-1.0.0\//);
  });

  it('refuses a non-gzip .crate and non-JSON metadata', async () => {
    await expectRefused(frame(publishMetadata('demo', '1.0.0'), Buffer.from('not a tarball')), 400, /not a gzip archive/);
    await expectRefused(frame('{"name":', fakeCrate('demo', '1.0.0')), 400, /invalid publish metadata: not JSON/);
  });

  it('refuses duplicate versions (also differing only in build metadata) and leaves the index as it was', async () => {
    expect((await publish(good('demo', '1.0.0+build1'))).statusCode).toBe(200);
    const index = (await t.app.inject({ url: '/cargo/index/de/mo/demo' })).body;
    await expectRefused(good('demo', '1.0.0+build1'), 400, 'crate version `demo@1.0.0+build1` already exists in this registry');
    await expectRefused(good('demo', '1.0.0'), 400, 'crate version `demo@1.0.0+build1` already exists in this registry');
    expect((await t.app.inject({ url: '/cargo/index/de/mo/demo' })).body).toBe(index);
  });

  it('refuses another spelling of an existing crate', async () => {
    expect((await publish(good('my-crate'))).statusCode).toBe(200);
    await expectRefused(good('My_Crate', '2.0.0'), 400, /conflicts with the existing crate `my-crate`/);
  });

  it('loses no index line when many versions of one crate are published at once', async () => {
    const versions = Array.from({ length: 12 }, (_, i) => `0.${i}.0`);
    const results = await Promise.all(versions.map((v) => publish(good('busy', v))));
    expect(results.map((r) => r.statusCode)).toEqual(versions.map(() => 200));
    const lines = (await t.app.inject({ url: '/cargo/index/bu/sy/busy' })).body.trim().split('\n').map((l) => JSON.parse(l) as { vers: string });
    expect(lines.map((l) => l.vers).sort()).toEqual([...versions].sort());
  });

  it('lets exactly one of two concurrent publishes of the same version win', async () => {
    const results = await Promise.all([publish(good('race')), publish(good('race'))]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect((await t.app.inject({ url: '/cargo/index/ra/ce/race' })).body.trim().split('\n')).toHaveLength(1);
  });
});
