// A Maven deploy of a body handed over (the PUT route's request body, lib/streams/handed-over.ts)
// frees each chunk once the fs store has written it, through the checksum verifier and the blob
// store's hashing, and still stores every byte under the checksums the client announced.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, expect, it } from 'vitest';
import { FsStore } from '../../../src/lib/storage/fs-store.js';
import { handOverChunks } from '../../../src/lib/streams/handed-over.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { get, hex } from './helpers.js';

let t: TestApp | undefined;
let root: string | undefined;
afterEach(async () => {
  await t?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

it('frees the chunks it wrote, and the jar reads back whole', async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'nora-maven-handed-'));
  t = await buildTestApp({ store: await new FsStore({ root }).open(), mutate: (config) => { config.maven.upstreams = []; } });
  // Like socket reads: each chunk with memory of its own.
  const chunks = Array.from({ length: 24 }, () => Buffer.from(randomBytes(64 * 1024)));
  const jar = Buffer.concat(chunks);
  const target = { artifact: { groupPath: ['org', 'example'], artifactId: 'big' }, version: '1.0', filename: 'big-1.0.jar' };
  const stored = await t.services.formats.maven.deployFile(target, handOverChunks(Readable.from(chunks)), { expected: { sha1: hex('sha1', jar) } });
  expect(stored.size).toBe(jar.length);
  expect(chunks.every((chunk) => chunk.length === 0)).toBe(true);
  const response = await get(t, 'org/example/big/1.0/big-1.0.jar');
  expect(response.statusCode).toBe(200);
  expect(response.rawPayload.equals(jar)).toBe(true);
});
