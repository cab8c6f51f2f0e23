// A REAL full filesystem: the data directory is a 2 MiB tmpfs, filled to the last byte. Each
// protocol's publish gets 507 in its shape saying the store is full, /ready is 503 while writes
// fail, nothing partial is left, and after space is freed /ready is 200 and the same publish
// succeeds. Needs root for mount(8); elsewhere it is skipped and
// test/http/core/storage-faults.test.ts (fault-injecting store) covers the same answers.
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp } from '../../helpers/oci-client.js';
import { errorMessage, expectNoPartialObjects, publications } from '../../helpers/publish-each.js';
import { runProcess } from '../../helpers/run-process.js';

let dir: string;
let mounted = false;
let nora: NoraServer | undefined;
const FILLER = '.filler';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nora-full-'));
  mounted = (await runProcess('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir])).code === 0;
  if (mounted) nora = await startNora({ dataDir: dir, env: { NORA_NPM_UPSTREAM: '', NORA_MAVEN_UPSTREAM: '' } });
});

afterAll(async () => {
  await nora?.stop();
  if (mounted) await runProcess('umount', [dir]);
  await rmdir(dir).catch(() => rm(dir, { recursive: true, force: true }));
});

/** Writes a hidden file (not a store key) until the filesystem has no byte left. */
async function fill(): Promise<void> {
  const handle = await open(path.join(dir, FILLER), 'a');
  try {
    for (const size of [256 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x66);
      try {
        for (;;) await handle.write(chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Every file under the data directory as a store key (or .tmp/...), with its bytes. */
async function objects(): Promise<Array<{ key: string; bytes: Buffer }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  return Promise.all(files.filter((f) => f !== FILLER && f !== 'audit.log').map(async (key) => ({ key, bytes: await readFile(path.join(dir, key)) })));
}

const ready = async () => {
  const response = await fetch(`${nora!.url}/ready`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

it.for(publications('disk').map((p) => [p.format, p] as const))('%s: 507 while the disk is full, the same publish succeeds once space is freed', async ([, publication], context) => {
  if (!mounted) context.skip();
  const http = fetchHttp(nora!.url);
  const before = await objects();
  await fill();
  try {
    const refused = await publication.publish(http);
    expect(refused.status, refused.body.toString()).toBe(507);
    const message = errorMessage(publication.format, refused);
    expect(message).toMatch(/store is full/);
    for (const leak of ['blobs/', 'repos/', 'tmp/', dir]) expect(message).not.toContain(leak);
    expect(await ready()).toMatchObject({ status: 503, body: { code: 'STORAGE_FULL' } });
    // Nothing partial: no write in progress left, every blob whole, and no new document.
    const after = await objects();
    expectNoPartialObjects(after);
    expect(after.map((o) => o.key).sort()).toEqual(before.map((o) => o.key).sort());
  } finally {
    await rm(path.join(dir, FILLER), { force: true });
  }
  expect(await ready()).toMatchObject({ status: 200 });
  const published = await publication.publish(http);
  expect(published.status, published.body.toString()).toBeLessThan(300);
  const served = await http('GET', publication.path);
  expect(served.status).toBe(200);
  expect(createHash('sha256').update(served.body).digest('hex')).toBe(createHash('sha256').update(publication.bytes).digest('hex'));
  expectNoPartialObjects(await objects());
});
