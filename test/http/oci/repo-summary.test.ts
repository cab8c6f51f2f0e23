// The per-repository summary (src/lib/oci/repo-summary.ts) equals what the tag documents and
// manifest records say after pushes, re-tags, deletes, concurrent tag writes, a store written
// before summaries existed, and a push that lands while the first listing builds the summary.
// Each case runs on the memory store and on a real S3 (Ceph RGW, one bucket for the file, a
// prefix per test), where the summary's compare-and-swap writes go through conditional PutObject.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { layout } from '../../../src/lib/oci/layout.js';
import type { OciService } from '../../../src/lib/oci/oci-service.js';
import type { RepoSummary } from '../../../src/lib/oci/repo-summary.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import type { ListOptions, ObjectStore } from '../../../src/lib/storage/object-store.js';
import { readDocument } from '../../../src/lib/storage/documents.js';
import { S3Store } from '../../../src/lib/storage/s3-store.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { injectHttp, OCI_MANIFEST, pushImage } from '../../helpers/oci-client.js';
import { rgwBucket } from '../../helpers/rgw.js';
import type { S3TestServer } from '../../helpers/s3-server.js';

let current: TestApp | undefined;
afterEach(async () => { await current?.close(); current = undefined; });

let bucket: S3TestServer | undefined;
// RGW starts on the run's first use (13-15 s here): in a hook, with the hooks' longer timeout.
beforeAll(async () => { bucket = await rgwBucket(); });
afterAll(async () => { await bucket?.stop(); });

const stores: Array<[string, () => Promise<ObjectStore>]> = [
  ['memory', async () => new MemoryStore()],
  ['s3 (Ceph RGW)', async () => {
    if (!bucket) throw new Error('no RGW bucket');
    return new S3Store({ bucket: bucket.bucket, region: bucket.region, endpoint: bucket.endpoint, pathStyle: true, credentials: bucket.credentials, prefix: randomUUID() });
  }],
];

async function start(store: ObjectStore) {
  current = await buildTestApp({ store });
  const oci = current.services.formats.oci;
  return { http: injectHttp(current.app), oci, store, local: oci.registry.local };
}

/** The summary rebuilt from the truth: the stored one is removed first, so read() scans. */
async function truth(store: ObjectStore, oci: OciService, name: string): Promise<RepoSummary> {
  const saved = await readDocument<RepoSummary>(store, layout.summary(name));
  await store.delete(layout.summary(name));
  const rebuilt = await oci.registry.local.summaries.read(name);
  if (saved) await store.put(layout.summary(name), Buffer.from(JSON.stringify(saved.value)));
  return rebuilt;
}

const stored = async (store: ObjectStore, name: string) => (await readDocument<RepoSummary>(store, layout.summary(name)))?.value;

describe.each(stores)('repository summary on %s', (_name, createStore) => {
  test('follows pushes, re-tags, tag deletes and manifest deletes', async () => {
    const { http, oci, store, local } = await start(await createStore());
    const a = await pushImage(http, 'team/app', 'v1', { layers: ['one'] });
    const b = await pushImage(http, 'team/app', 'v2', { layers: ['two'] });
    // The first listing builds it (nothing else reads it yet); writes keep it up to date from then on.
    expect(Object.keys((await local.summaries.read('team/app')).tags).sort()).toEqual(['v1', 'v2']);
    await pushImage(http, 'team/app', 'v1', { layers: ['three'] });
    await http('PUT', '/v2/team/app/manifests/latest', { body: b.manifest, headers: { 'content-type': OCI_MANIFEST } });
    expect((await http('DELETE', '/v2/team/app/manifests/v2')).status).toBe(202);
    expect((await http('DELETE', `/v2/team/app/manifests/${a.digest}`)).status).toBe(202);
    const summary = await stored(store, 'team/app');
    expect(summary?.building).toBeUndefined();
    expect(summary).toEqual(await truth(store, oci, 'team/app'));
    expect(Object.keys(summary!.tags).sort()).toEqual(['latest', 'v1']);
    expect(summary!.tags.latest!.digest).toBe(b.digest);
    expect(summary!.manifests[a.digest]).toBeUndefined();
    expect(summary!.manifests[b.digest]!.blobs!.map((x) => x.digest)).toEqual([b.digest, b.config, ...b.layers]);
  });

  test('concurrent pushes of one tag leave the summary naming what the tag document names', async () => {
    const { http, oci, store, local } = await start(await createStore());
    const images = await Promise.all(['x', 'y', 'z'].map((l) => pushImage(http, 'race/app', `only-${l}`, { layers: [l] })));
    await local.summaries.read('race/app');
    await Promise.all(images.flatMap((image) => [1, 2, 3].map(() =>
      http('PUT', '/v2/race/app/manifests/shared', { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } }))));
    const tagDocument = await readDocument<{ digest: string }>(store, layout.tag('race/app', 'shared'));
    expect((await stored(store, 'race/app'))!.tags.shared!.digest).toBe(tagDocument!.value.digest);
    expect(await stored(store, 'race/app')).toEqual(await truth(store, oci, 'race/app'));
  });

  test('a repository written before summaries existed is listed from its records, and gets one', async () => {
    const { http, store, oci } = await start(await createStore());
    const image = await pushImage(http, 'old/app', '1.0');
    await store.delete(layout.summary('old/app'));
    const listing = await oci.listManifests('old/app');
    expect(listing.map((m) => [m.digest, m.tags])).toEqual([[image.digest, ['1.0']]]);
    expect((await stored(store, 'old/app'))?.tags['1.0']?.digest).toBe(image.digest);
  });

  test('a push while the first listing builds the summary is in the summary', async () => {
    const store = await createStore();
    const { http, oci, local } = await start(store);
    await pushImage(http, 'build/app', '1.0', { layers: ['a'] });
    await store.delete(layout.summary('build/app'));
    // The injected point: the build has put its placeholder and listed the tags; a push lands now.
    // (local.store is the store the summaries use: the metered one over `store`.)
    let pushed: Promise<unknown> | undefined;
    const list = local.store.list.bind(local.store);
    local.store.list = async (prefix: string, options?: ListOptions) => {
      const page = await list(prefix, options);
      if (prefix === layout.tags('build/app') && !pushed) {
        pushed = pushImage(http, 'build/app', '2.0', { layers: ['b'] });
        await pushed;
      }
      return page;
    };
    const summary = await local.summaries.read('build/app');
    local.store.list = list;
    expect(pushed).toBeDefined();
    expect(Object.keys(summary.tags).sort()).toEqual(['1.0', '2.0']);
    expect(await stored(store, 'build/app')).toEqual(await truth(store, oci, 'build/app'));
  });
});
