// Upload sessions over inject(): bodies with and without Content-Type, expiry of idle sessions,
// and the configurable manifest size limit.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { digestOf, errorOf, injectHttp, OCI_MANIFEST, pathOf, withQuery } from '../../helpers/oci-client.js';

let current: TestApp | undefined;
afterEach(async () => { vi.useRealTimers(); await current?.close(); current = undefined; });
const start = async (settings: Record<string, string | number | boolean> = {}) => (current = await buildTestApp({ settings }));

describe('uploads', () => {
  test.each([undefined, 'application/octet-stream', 'application/json', 'text/plain'])('PATCH and PUT bodies with Content-Type %s', async (contentType) => {
    const { app } = await start();
    const http = injectHttp(app);
    const bytes = Buffer.from(`{"body with":"${contentType}"}`);
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const open = await http('POST', '/v2/ct/app/blobs/uploads/');
    const patched = await http('PATCH', pathOf(open.headers.location), { body: bytes.subarray(0, 5), headers });
    expect(patched.status).toBe(202);
    const done = await http('PUT', withQuery(pathOf(patched.headers.location), `digest=${digestOf(bytes)}`), { body: bytes.subarray(5), headers });
    expect(done.status).toBe(201);
    expect((await http('GET', `/v2/ct/app/blobs/${digestOf(bytes)}`)).body.equals(bytes)).toBe(true);
  });

  test('a session idle past docker.upload_ttl is BLOB_UPLOAD_UNKNOWN, and the sweep removes it', async () => {
    // The clock is faked (Date only; timers stay real), so expiry never waits for wall time.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-01T00:00:00Z') });
    const { app, services } = await start({ 'docker.upload_ttl': '1s' });
    const http = injectHttp(app);
    const open = await http('POST', '/v2/ttl/app/blobs/uploads/');
    await http('PATCH', pathOf(open.headers.location), { body: 'abc', headers: { 'content-type': 'application/octet-stream' } });
    const keys = async () => (await services.store.list('repos/oci/')).items.map((i) => i.key).filter((k) => k.includes('upload'));
    expect((await keys()).length).toBeGreaterThan(0);
    vi.advanceTimersByTime(1000);
    expect((await http('GET', pathOf(open.headers.location))).status).toBe(204);
    vi.advanceTimersByTime(1001);
    expect(errorOf(await http('GET', pathOf(open.headers.location)))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
    expect(await keys()).toEqual([]);
  });

  test('the sweep expires sessions nobody touches again', async () => {
    const { app, services } = await start({ 'docker.upload_ttl': '1s' });
    const http = injectHttp(app);
    await http('POST', '/v2/ttl/app/blobs/uploads/');
    const { OciRegistry } = await import('../../../src/lib/oci/registry.js');
    const registry = new OciRegistry({ store: services.store, blobs: services.blobs, events: services.events, uploadTtlMs: 1000 });
    expect(await registry.uploads.sweep()).toBe(0);
    expect(await registry.uploads.sweep(Date.now() + 2000)).toBe(1);
    expect((await services.store.list('repos/oci/')).items.filter((i) => i.key.includes('upload'))).toEqual([]);
  });

  test('two servers on one store continue each other\'s session (state lives in the store)', async () => {
    const { MemoryStore } = await import('../../../src/lib/storage/memory-store.js');
    const store = new MemoryStore();
    const a = await buildTestApp({ store });
    const b = await buildTestApp({ store });
    try {
      const [httpA, httpB] = [injectHttp(a.app), injectHttp(b.app)];
      const bytes = Buffer.from('0123456789abcdefghij');
      const open = await httpA('POST', '/v2/shared/app/blobs/uploads/');
      const location = pathOf(open.headers.location);
      expect((await httpA('PATCH', location, { body: bytes.subarray(0, 10), headers: { 'content-type': 'application/octet-stream', 'content-range': '0-9' } })).status).toBe(202);
      expect((await httpB('GET', location)).headers.range).toBe('0-9');
      expect((await httpB('PATCH', location, { body: bytes.subarray(10), headers: { 'content-type': 'application/octet-stream', 'content-range': '10-19' } })).status).toBe(202);
      expect((await httpA('PUT', withQuery(location, `digest=${digestOf(bytes)}`))).status).toBe(201);
      expect((await httpB('GET', `/v2/shared/app/blobs/${digestOf(bytes)}`)).body.equals(bytes)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('docker.manifest_max_size is enforced', async () => {
    const { app } = await start({ 'docker.manifest_max_size': '1KiB' });
    const http = injectHttp(app);
    const response = await http('PUT', '/v2/limit/app/manifests/x', { body: Buffer.alloc(1025, 0x20), headers: { 'content-type': OCI_MANIFEST } });
    expect(errorOf(response)).toMatchObject({ status: 413, code: 'SIZE_INVALID' });
    expect(errorOf(response).message).toMatch(/1024 bytes/);
  });

  test('POST on a session and PATCH on the uploads root are UNSUPPORTED / BLOB_UPLOAD_UNKNOWN', async () => {
    const { app } = await start();
    const http = injectHttp(app);
    const open = await http('POST', '/v2/m/app/blobs/uploads/');
    expect(errorOf(await http('POST', pathOf(open.headers.location)))).toMatchObject({ status: 405, code: 'UNSUPPORTED' });
    expect(errorOf(await http('PATCH', '/v2/m/app/blobs/uploads/', { body: 'x' }))).toMatchObject({ status: 404, code: 'BLOB_UPLOAD_UNKNOWN' });
    expect(errorOf(await http('PATCH', '/v2/m/app/manifests/x', { body: 'x' }))).toMatchObject({ status: 405, code: 'UNSUPPORTED' });
  });
});
