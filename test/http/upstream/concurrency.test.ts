// max_concurrency bounds the requests NORA has in flight to one upstream, and a body holds its
// slot until it ends: a pull-through that needs another request before it reads a body would wait
// for itself. Maven asks for a file's published checksums while the file streams, so even one
// slot serves files, concurrently requested ones included.
import { createHash } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { TestApp } from '../../helpers/test-app.js';
import { upstreamConfig } from '../../helpers/upstream-config.js';
import { fakeUpstream, published, type FakeUpstream } from '../maven/fake-upstream.js';
import { mavenApp } from '../maven/helpers.js';

let t: TestApp | undefined;
let upstream: FakeUpstream | undefined;
afterEach(async () => {
  await t?.close();
  await upstream?.close();
});

it('serves Maven files with published checksums through an upstream limited to one request at a time', async () => {
  const files = ['a', 'b', 'c'].map((n) => [`com/acme/${n}/1.0/${n}-1.0.jar`, Buffer.alloc(64 * 1024, n)] as const);
  upstream = await fakeUpstream(files.flatMap(([path, bytes]) => published(path, bytes)));
  t = await mavenApp((m) => { m.upstreams = [upstreamConfig('maven', upstream!.url, { max_concurrency: 1 })]; });
  const responses = await Promise.all(files.map(([path]) => t!.app.inject({ url: `/maven2/${path}` })));
  expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200]);
  responses.forEach((r, i) => expect(r.rawPayload.equals(files[i]![1])).toBe(true));
  // Stored verified: the checksum is answered from the cache.
  const sum = await t.app.inject({ url: `/maven2/${files[0]![0]}.sha1` });
  expect(sum.body).toBe(createHash('sha1').update(files[0]![1]).digest('hex'));
});
