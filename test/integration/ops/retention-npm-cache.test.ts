// npm cache eviction: a package cached from the upstream goes by not_pulled_for (its tarballs
// are then unreferenced, for gc), a published package never does, and npm itself reads the evicted
// package through NORA again.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-npm-upstream.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { publish } from '../../helpers/npm-http.js';
import { tarballBytes } from '../../helpers/npm-fixtures.js';
import { npmSandbox, type NpmSandbox } from '../../helpers/npm-cli.js';
import { runPass } from '../../../src/lib/ops/retention/pass.js';

const DAY = 86_400_000;
let fake: FakeUpstream;
let t: TestApp;
let base: string;
let npm: NpmSandbox;

beforeAll(async () => {
  fake = await startFakeUpstream({ packages: { 'remote-pkg': { versions: { '1.0.0': tarballBytes('remote 1', 2048), '1.1.0': tarballBytes('remote 2', 4096) } } } });
  t = await buildTestApp({ settings: { 'npm.upstream': fake.url } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  npm = await npmSandbox(base);
});
afterAll(async () => {
  await t.close();
  await fake.close();
  await npm.cleanup();
});

const cached = async () => {
  const out: Array<{ name: string; size: number; upstream: string }> = [];
  for await (const item of t.services.formats.npm.listCached()) out.push(item);
  return out;
};

describe('[[retention.cache]] for npm', () => {
  it('evicts a cached package, never a published one; npm reads it again afterwards', async () => {
    expect((await publish(base, 'mine', { version: '1.0.0' })).status).toBe(201);
    const view = await npm.npm(['view', 'remote-pkg', 'version']);
    expect(view.stdout.trim(), view.stderr).toBe('1.1.0');
    expect((await fetch(`${base}/npm/remote-pkg/-/remote-pkg-1.0.0.tgz`)).status).toBe(200);
    const host = new URL(fake.url).host;
    expect(await cached()).toEqual([expect.objectContaining({ name: 'remote-pkg', size: 2048, upstream: host })]);

    t.config.retention.cache = [{ upstream: '', format: 'npm', not_pulled_for: DAY, max_size: 0 }];
    const dry = await runPass(t.services, { dryRun: true, now: () => Date.now() + 2 * DAY });
    expect(dry.cache.evictions.map((e) => [e.name, e.upstream, e.size])).toEqual([['remote-pkg', host, 2048]]);
    const real = await runPass(t.services, { now: () => Date.now() + 2 * DAY });
    expect(real.cache).toMatchObject({ evicted: 1, failed: [] });
    expect(await cached()).toEqual([]);
    expect((await fetch(`${base}/npm/mine`)).status).toBe(200);

    const packuments = fake.requests.filter((p) => p === '/remote-pkg').length;
    const again = await npm.npm(['view', 'remote-pkg', 'version', '--prefer-online']);
    expect(again.stdout.trim(), again.stderr).toBe('1.1.0');
    expect(fake.requests.filter((p) => p === '/remote-pkg').length).toBe(packuments + 1);
  });
});
