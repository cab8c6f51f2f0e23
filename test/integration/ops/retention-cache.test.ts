// Pull-through cache eviction against a real upstream (Debian's docker-registry): cached images
// go by not_pulled_for and by the size budget (least recently pulled first), pushed images in the
// same server are never touched, and skopeo pulls an evicted image through NORA again.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistribution, type DistributionRegistry } from '../../helpers/docker-registry.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { fetchHttp, pushImage, OCI_MANIFEST, type Http } from '../../helpers/oci-client.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';
import { makeSkopeo, type Skopeo } from '../../helpers/skopeo.js';
import { runPass } from '../../../src/lib/ops/retention/pass.js';
import { eventually } from '../../helpers/eventually.js';

const DAY = 86_400_000;
let hub: DistributionRegistry;
let t: TestApp;
let nora: Http;
let host: string;
let skopeo: Skopeo;

beforeAll(async () => {
  hub = await startDistribution();
  const upstream = fetchHttp(hub.url);
  for (const name of ['one', 'two', 'three']) await pushImage(upstream, `lib/${name}`, 'latest', { layers: [`${name} layer `.repeat(100)] });
  t = await buildTestApp({ mutate: (config) => { config.docker.upstreams = [upstreamConfig('docker', hub.url, { name: 'hub', prefix: 'hub/' })]; } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  host = `127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  nora = fetchHttp(`http://${host}`);
  skopeo = await makeSkopeo();
});
afterAll(async () => {
  await t.close();
  await hub.cleanup();
  await skopeo.cleanup();
});

const pullThrough = async (name: string) => {
  const response = await nora('GET', `/v2/hub/lib/${name}/manifests/latest`, { headers: { accept: OCI_MANIFEST } });
  expect(response.status, response.body.toString()).toBe(200);
};
const cachedNames = async () => {
  const names: string[] = [];
  for await (const item of t.services.formats.oci.listCached()) names.push(item.name);
  return names.sort();
};
const pass = (cache: TestApp['config']['retention']['cache'], at: number, dryRun = false) => {
  t.config.retention.cache = cache;
  return runPass(t.services, { dryRun, now: () => at });
};

describe('[[retention.cache]]', () => {
  it('evicts by size budget (least recently pulled first) and by not_pulled_for; local images stay', async () => {
    await pushImage(nora, 'local/app', 'v1', { layers: ['local layer'] });
    for (const name of ['one', 'two', 'three']) await pullThrough(name);
    await pullThrough('one');
    // Pull events are published as responses finish: wait until all four are counted.
    const counted = async () => (await Promise.all(['one', 'two', 'three'].map(async (n) => Object.values(await t.services.pulls.read('oci', `hub/lib/${n}`)).reduce((sum, s) => sum + s.count, 0)))).reduce((a, b) => a + b, 0);
    expect(await eventually(counted, (n) => n >= 4)).toBe(4);
    expect(await cachedNames()).toEqual(['hub/lib/one', 'hub/lib/three', 'hub/lib/two']);

    const items: Array<{ name: string; size: number }> = [];
    for await (const item of t.services.formats.oci.listCached()) items.push(item);
    const sizeOf = (name: string) => items.find((i) => i.name === `hub/lib/${name}`)!.size;
    // A budget for two images: the least recently pulled of the three ("two", pulled before "three" and "one") goes.
    const budget = [{ upstream: 'hub', format: 'oci' as const, not_pulled_for: 0, max_size: sizeOf('one') + sizeOf('three') }];
    const dry = await pass(budget, Date.now(), true);
    expect(dry.cache.evictions.map((e) => e.name)).toEqual(['hub/lib/two']);
    expect(dry.cache.evictions[0]!.reason).toMatch(/^max_size = \d+ bytes: over the budget, last pulled/);
    expect(await cachedNames()).toHaveLength(3);
    const real = await pass(budget, Date.now());
    expect(real.cache).toMatchObject({ evicted: 1, failed: [] });
    expect(real.cache.evictions).toEqual(dry.cache.evictions);
    expect(await cachedNames()).toEqual(['hub/lib/one', 'hub/lib/three']);

    // Ten days later nothing was pulled: everything cached goes, the pushed image stays.
    const stale = await pass([{ upstream: '', format: '', not_pulled_for: 7 * DAY, max_size: 0 }], Date.now() + 10 * DAY);
    expect(stale.cache.evictions.map((e) => [e.name, e.reason.split(':')[0]])).toEqual([['hub/lib/one', 'not_pulled_for = 7d'], ['hub/lib/three', 'not_pulled_for = 7d']]);
    expect(await cachedNames()).toEqual([]);
    expect((await nora('GET', '/v2/local/app/manifests/v1', { headers: { accept: OCI_MANIFEST } })).status).toBe(200);

    // skopeo pulls an evicted image through NORA again (fetched from the upstream anew).
    const raw = await skopeo.run('inspect', '--tls-verify=false', '--raw', `docker://${host}/hub/lib/two:latest`);
    expect(JSON.parse(raw)).toMatchObject({ mediaType: OCI_MANIFEST });
    expect(await cachedNames()).toEqual(['hub/lib/two']);
  });
});
