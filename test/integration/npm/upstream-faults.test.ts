// Upstream faults with a tiny fake registry: a tarball that does not match its published
// integrity is refused and not cached; ten concurrent requests make one upstream fetch; an
// upstream that never answers gives 504 naming it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../../helpers/fake-npm-upstream.js';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { tarballBytes } from '../../helpers/npm-fixtures.js';

let fake: FakeUpstream;
let proxy: NoraServer;
const popular = tarballBytes('popular', 400_000);
const oldie = tarballBytes('oldie', 30_000);

beforeAll(async () => {
  fake = await startFakeUpstream({
    packages: { liar: { versions: { '1.0.0': tarballBytes('liar', 30_000) }, lie: true }, popular: { versions: { '1.0.0': popular } }, dying: { versions: { '1.0.0': tarballBytes('dying', 200_000) }, dieMidway: true },
      oldie: { versions: { '0.1.0': oldie }, shasumOnly: true },
      'old-liar': { versions: { '0.1.0': tarballBytes('old-liar', 20_000) }, shasumOnly: true, lie: true },
    },
    trickleMs: 300,
    hang: ['slowpoke'],
  });
  proxy = await startNora({ env: { NORA_NPM_UPSTREAM: fake.url, NORA_NPM_UPSTREAM_TIMEOUT: '1s' } });
});
afterAll(async () => { await proxy?.stop(); await fake?.close(); });

async function sha512Blobs(): Promise<string[]> {
  try {
    const dirs = await readdir(path.join(proxy.dataDir, 'blobs', 'sha512'));
    return (await Promise.all(dirs.map((d) => readdir(path.join(proxy.dataDir, 'blobs', 'sha512', d))))).flat();
  } catch {
    return [];
  }
}

/** Status and whether the whole body arrived: a refused stream must fail, not end short. */
async function download(url: string): Promise<{ status: number; complete: boolean; bytes?: Buffer }> {
  const response = await fetch(url);
  try {
    const bytes = Buffer.from(await response.arrayBuffer());
    return { status: response.status, complete: true, bytes };
  } catch {
    return { status: response.status, complete: false };
  }
}

describe('npm upstream faults', { timeout: 60_000 }, () => {
  it('refuses a tarball whose bytes do not match the upstream integrity, and does not cache it', async () => {
    const url = `${proxy.url}/npm/liar/-/liar-1.0.0.tgz`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await download(url);
      expect(result.status === 200 ? result.complete : true, 'a 200 stream must break off').toBe(false);
    }
    expect(fake.requests.filter((p) => p === '/liar/-/liar-1.0.0.tgz')).toHaveLength(2);
    expect(await sha512Blobs()).toEqual([]);
    const logs = proxy.logs();
    expect(logs).toContain('does not match its published integrity');
  });

  it('breaks off the client stream when the upstream dies midway, and caches nothing', async () => {
    const result = await download(`${proxy.url}/npm/dying/-/dying-1.0.0.tgz`);
    expect(result.status === 200 ? result.complete : false).toBe(false);
    expect(await sha512Blobs()).toEqual([]);
    const retry = await download(`${proxy.url}/npm/dying/-/dying-1.0.0.tgz`);
    expect(retry.complete && retry.status === 200).toBe(false);
    expect(fake.requests.filter((p) => p === '/dying/-/dying-1.0.0.tgz')).toHaveLength(2);
  });

  it('serves and caches a package that declares only a sha1 shasum, and refuses one whose shasum lies', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await download(`${proxy.url}/npm/oldie/-/oldie-0.1.0.tgz`);
      expect(result.status).toBe(200);
      expect(result.bytes?.equals(oldie)).toBe(true);
    }
    expect(fake.requests.filter((p) => p === '/oldie/-/oldie-0.1.0.tgz')).toHaveLength(1);
    const before = (await sha512Blobs()).length;
    const lying = await download(`${proxy.url}/npm/old-liar/-/old-liar-0.1.0.tgz`);
    expect(lying.status === 200 ? lying.complete : false).toBe(false);
    expect((await sha512Blobs()).length).toBe(before);
  });

  it('collapses ten concurrent requests for one tarball into one upstream fetch', async () => {
    const url = `${proxy.url}/npm/popular/-/popular-1.0.0.tgz`;
    const results = await Promise.all(Array.from({ length: 10 }, () => download(url)));
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.bytes?.equals(popular)).toBe(true);
    }
    expect(fake.requests.filter((p) => p === '/popular/-/popular-1.0.0.tgz')).toHaveLength(1);
    expect(fake.requests.filter((p) => p === '/popular')).toHaveLength(1);
  });

  it('answers 504 naming the upstream when it does not answer in time', async () => {
    const response = await fetch(`${proxy.url}/npm/slowpoke`);
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: string }).error).toBe(`upstream registry ${fake.url} did not answer within 1000 ms and nothing is cached`);
  });
});
