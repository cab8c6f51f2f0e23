// A tagged manifest push updates the repository's summary once (the record and the tag in one
// compare-and-swap), and the summary still ends equal to the truth; a push by digest and a
// re-push of a present manifest update it as before.
import type { Readable } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { layout } from '../../../src/lib/oci/layout.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import type { ByteRange, ObjectInfo, PutOptions } from '../../../src/lib/storage/object-store.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, OCI_MANIFEST, pushImage } from '../../helpers/oci-client.js';

let current: TestApp | undefined;
afterEach(async () => { await current?.close(); current = undefined; });

/** A memory store that records the keys put and read, and refuses puts of `failing`. */
class RecordingStore extends MemoryStore {
  puts: string[] = [];
  gets: string[] = [];
  failing: string | undefined;
  override async put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<ObjectInfo> {
    if (key === this.failing) throw new Error('disk went away');
    this.puts.push(key);
    return super.put(key, body, options);
  }
  override async get(key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    this.gets.push(key);
    return super.get(key, range);
  }
}

/** An app on a recording store whose team/app already holds v1 and a built summary. */
async function repoWithSummary() {
  const store = new RecordingStore();
  current = await buildTestApp({ store });
  const http = injectHttp(current.app);
  const { local } = current.services.formats.oci.registry;
  await pushImage(http, 'team/app', 'v1', { layers: ['one'] });
  await local.summaries.read('team/app');
  return { store, http, local };
}

test('a tagged push writes the summary once, with both the manifest and the tag', async () => {
  const { store, http, local } = await repoWithSummary();
  const summaryCalls = (keys: string[]) => keys.splice(0).filter((key) => key === layout.summary('team/app')).length;
  summaryCalls(store.puts);
  summaryCalls(store.gets);

  const v2 = await pushImage(http, 'team/app', 'v2', { layers: ['two'] });
  expect(summaryCalls(store.puts)).toBe(1);
  expect(summaryCalls(store.gets)).toBe(1);
  const summary = await local.summaries.read('team/app');
  expect(summary.tags.v2?.digest).toBe(v2.digest);
  expect(summary.manifests[v2.digest]).toMatchObject({ size: v2.manifest.length });

  // The same manifest under another tag: no record is written, the tag still reaches the summary.
  summaryCalls(store.puts);
  const retag = await http('PUT', '/v2/team/app/manifests/v3', { body: v2.manifest, headers: { 'content-type': OCI_MANIFEST } });
  expect(retag.status).toBe(201);
  expect(summaryCalls(store.puts)).toBe(1);
  expect((await local.summaries.read('team/app')).tags.v3?.digest).toBe(v2.digest);
});

test('a tagged push whose tag write fails still brings its new manifest into the summary', async () => {
  const { store, http, local } = await repoWithSummary();
  store.failing = layout.tag('team/app', 'v2');
  const failed = await pushImage(http, 'team/app', 'v2', { layers: ['two'] }).catch((e: unknown) => e);
  expect((failed as Error).message).toMatch(/^PUT manifest: 5\d\d/);
  const summary = await local.summaries.read('team/app');
  expect(summary.tags.v2).toBeUndefined();
  const records = Object.keys(summary.manifests);
  expect(records).toHaveLength(2);
});
