// Cache metrics of every format's pull-through, from the one upstream kit: after real traffic
// through a cache whose upstream is another NORA (listening on loopback), /metrics shows for
// each format lookups, hits and misses labelled by format and upstream name, and the pair a hit
// ratio is computed from adds up (lookups = hits + misses).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import type { NoraConfig } from '../../../src/lib/config/schema.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';
import { publishAll, type PublishedFile } from '../../helpers/all-formats.js';

const FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi'] as const;
let origin: TestApp;
let cache: TestApp;
let files: PublishedFile[];

beforeAll(async () => {
  origin = await buildTestApp();
  await origin.app.listen({ port: 0, host: '127.0.0.1' });
  const up = `http://127.0.0.1:${(origin.app.server.address() as AddressInfo).port}`;
  files = await publishAll(up, 'metered');
  cache = await buildTestApp({
    mutate: (config: NoraConfig) => {
      config.docker.upstreams = [upstreamConfig('docker', up, { name: 'origin', default: true })];
      config.npm.upstreams = [upstreamConfig('npm', `${up}/npm`, { name: 'origin' })];
      config.maven.upstreams = [upstreamConfig('maven', `${up}/maven2`, { name: 'origin' })];
      config.pypi.upstreams = [upstreamConfig('pypi', `${up}/simple`, { name: 'origin' })];
      config.cargo.upstreams = [upstreamConfig('cargo', `sparse+${up}/cargo/index/`, { name: 'origin' })];
    },
  });
});
afterAll(async () => {
  await cache?.close();
  await origin?.close();
});

/** GETs `url` from the cache and checks the bytes when `bytes` is given. */
async function get(url: string, bytes?: Buffer, accept?: string): Promise<void> {
  const response = await cache.app.inject({ url, headers: accept ? { accept } : {} });
  expect(response.statusCode, `${url}: ${response.body.slice(0, 200)}`).toBe(200);
  if (bytes) expect(response.rawPayload.equals(bytes), `${url} bytes`).toBe(true);
}

/** The value of each sample of `metric` with format="<format>", summed over its other labels. */
function total(text: string, metric: string, format: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) || !line.includes(`format="${format}"`)) continue;
    expect(line, 'labelled by upstream name').toContain('upstream="origin"');
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('upstream cache metrics', () => {
  it('counts lookups, hits and misses of every format by format and upstream', async () => {
    const byFormat = (format: PublishedFile['format']) => files.filter((f) => f.format === format);
    // Each twice: the first fetches from the upstream (miss), the second is served from the cache (hit).
    for (let round = 0; round < 2; round++) {
      for (const file of byFormat('oci')) await get(file.path, file.bytes, file.accept);
      await get('/npm/ops-metered');
      for (const file of byFormat('npm')) await get(file.path, file.bytes);
      for (const file of byFormat('maven')) await get(file.path, file.bytes);
      await get('/cargo/crates-io/index/op/s-/ops-metered');
      await get('/cargo/crates-io/api/v1/crates/ops-metered/1.0.0/download', byFormat('cargo')[0]!.bytes);
      await get('/simple/ops-metered/');
      for (const file of byFormat('pypi')) await get(file.path, file.bytes);
    }
    const text = (await cache.app.inject({ url: '/metrics' })).body;
    for (const format of FORMATS) {
      const [lookups, hits, misses] = ['lookups', 'hits', 'misses'].map((m) => total(text, `nora_upstream_cache_${m}_total`, format));
      expect({ format, misses: misses! > 0, hits: hits! > 0 }).toEqual({ format, misses: true, hits: true });
      expect(lookups, format).toBe(hits! + misses!);
    }
    // The OCI manifest by tag: fetched once, then a fresh hit.
    expect(text).toMatch(/nora_upstream_cache_misses_total\{format="oci",upstream="origin",kind="tag"\} 1\n/);
    expect(text).toMatch(/nora_upstream_cache_hits_total\{format="oci",upstream="origin",kind="tag"\} 1\n/);
    expect(text).toMatch(/nora_upstream_cache_misses_total\{format="npm",upstream="origin",kind="tarball"\} 1\n/);
    expect(text).toMatch(/nora_upstream_cache_hits_total\{format="npm",upstream="origin",kind="tarball"\} 1\n/);
    expect(text).toMatch(/nora_upstream_cache_hits_total\{format="cargo",upstream="origin",kind="crate"\} 1\n/);
    expect(text).toMatch(/nora_upstream_cache_hits_total\{format="pypi",upstream="origin",kind="file"\} 1\n/);
    expect(text).toMatch(/nora_upstream_cache_hits_total\{format="maven",upstream="origin",kind="file"\} 1\n/);
  });
});
