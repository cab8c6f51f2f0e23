// A store that is full, or lost, as each protocol's client sees it (fault-injecting store, so
// it runs anywhere; test/integration/core/storage-full.test.ts fills a real filesystem):
// 507 "the store is full" / 503 "storage unavailable" in the protocol's shape, no storage key in
// the message, /ready not ready while writes fail, nothing partial stored, and the same publish
// succeeds once the fault is gone.
import { afterEach, describe, expect, it } from 'vitest';
import { listAll } from '../../../src/lib/storage/object-store.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { faultyStore, type Fault } from '../../helpers/faulty-store.js';
import { injectHttp } from '../../helpers/oci-client.js';
import { errorMessage, expectNoPartialObjects, publications } from '../../helpers/publish-each.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';

let current: TestApp | undefined;
afterEach(async () => { await current?.close(); current = undefined; });

async function start() {
  const memory = new MemoryStore();
  const faulty = faultyStore(memory);
  current = await buildTestApp({ store: faulty.store, settings: { 'npm.upstream': '', 'maven.upstream': '' } });
  const objects = async () => {
    const all: Array<{ key: string; bytes: Buffer }> = [];
    for await (const info of listAll(memory, '')) {
      const { body } = await memory.get(info.key);
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      all.push({ key: info.key, bytes: Buffer.concat(chunks) });
    }
    return all;
  };
  return { app: current.app, http: injectHttp(current.app), inject: (fault: Fault) => faulty.inject(fault), objects };
}

const LEAKS = ['blobs/', 'repos/', 'tmp/', 'injected'];

describe.each(publications('faults').map((p) => [p.format, p] as const))('%s', (_format, publication) => {
  it('a full store: 507 saying the store is full, /ready 503 until space is back, nothing partial, then the same publish succeeds', async () => {
    const { app, http, inject, objects } = await start();
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    inject('full');
    const refused = await publication.publish(http);
    expect(refused.status, refused.body.toString()).toBe(507);
    const message = errorMessage(publication.format, refused);
    expect(message).toMatch(/store is full/);
    for (const leak of LEAKS) expect(message).not.toContain(leak);

    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'unavailable', code: 'STORAGE_FULL' });
    expectNoPartialObjects(await objects());
    expect((await http('GET', publication.path)).status).toBe(404);

    inject(undefined);
    expect((await app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(200);
    const published = await publication.publish(http);
    expect(published.status, published.body.toString()).toBeLessThan(300);
    const served = await http('GET', publication.path);
    expect(served.status).toBe(200);
    expect(served.body.equals(publication.bytes)).toBe(true);
    expectNoPartialObjects(await objects());
  });

  it('a lost store: 503 storage unavailable in the protocol shape, no key, /ready 503', async () => {
    const { app, http, inject } = await start();
    inject('unavailable');
    const refused = await publication.publish(http);
    expect(refused.status, refused.body.toString()).toBe(503);
    const message = errorMessage(publication.format, refused);
    expect(message).toMatch(/storage unavailable/);
    for (const leak of LEAKS) expect(message).not.toContain(leak);
    const ready = await app.inject({ method: 'GET', url: '/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });
});
