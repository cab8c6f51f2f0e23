// The catalog's names are kept in memory between listings and re-listed when the stamp changes
// (src/lib/oci/catalog.ts): a repository pushed through another server on the same store shows
// in this server's next listing, and a store written before stamps existed lists every repository.
import { afterEach, expect, test } from 'vitest';
import { layout } from '../../../src/lib/oci/layout.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, pushImage } from '../../helpers/oci-client.js';

const apps: TestApp[] = [];
afterEach(async () => { for (const app of apps.splice(0)) await app.close(); });
const start = async (store: MemoryStore) => { const app = await buildTestApp({ store }); apps.push(app); return injectHttp(app.app); };
const catalog = async (http: ReturnType<typeof injectHttp>, query = '') => JSON.parse((await http('GET', `/v2/_catalog${query}`)).body.toString()) as { repositories: string[] };

test('a repository pushed through another server shows in the next listing here', async () => {
  const store = new MemoryStore();
  const [a, b] = [await start(store), await start(store)];
  await pushImage(a, 'team/one', '1');
  expect((await catalog(b)).repositories).toEqual(['team/one']);
  await pushImage(a, 'team-two', '1');
  await pushImage(a, 'team/a', '1');
  expect((await catalog(b)).repositories).toEqual(['team-two', 'team/a', 'team/one']);
  expect((await catalog(b, '?n=1&last=team-two')).repositories).toEqual(['team/a']);
});

test('a store written before the stamp existed lists every repository, then keeps a stamp', async () => {
  const store = new MemoryStore();
  const a = await start(store);
  await pushImage(a, 'old/one', '1');
  await store.delete(layout.catalogStamp);
  const b = await start(store);
  expect((await catalog(b)).repositories).toEqual(['old/one']);
  expect(await store.stat(layout.catalogStamp)).toBeDefined();
  await pushImage(a, 'old/two', '1');
  expect((await catalog(b)).repositories).toEqual(['old/one', 'old/two']);
});
