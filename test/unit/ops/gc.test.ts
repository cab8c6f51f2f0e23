// runGc over a memory store: grace window, the re-check of references written during the run,
// and upload sessions / temp objects past their TTL.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { runGc } from '../../../src/lib/ops/gc.js';
import { GcProgress } from '../../../src/lib/ops/gc-progress.js';
import { formatsFor } from '../../helpers/formats.js';
import { buildTestApp } from '../../helpers/test-app.js';
import { injectHttp, pushImage } from '../../helpers/oci-client.js';

const write = async (blobs: BlobStore, text: string) => (await blobs.write(Readable.from([Buffer.from(text)]))).digest;
/** A clock 1 ms ahead of the store's: everything written so far is older than "now", without waiting. */
const now = () => Date.now() + 1;

describe('runGc', () => {
  it('spares blobs inside the grace window and blobs referenced by documents written during the run', async () => {
    const store = new MemoryStore();
    const blobs = new BlobStore(store);
    const orphan = await write(blobs, 'orphan');
    const adopted = await write(blobs, 'adopted during the sweep');
    const kept = await write(blobs, 'kept by a document');
    await store.put('repos/pypi/kept/project.json', Buffer.from(JSON.stringify({ name: 'kept', files: [{ digest: kept }] })));
    // A publish lands after marking, while the sweep runs: the re-check must see it.
    const progress = new GcProgress((report) => {
      if (report.phase === 'sweep') void store.put('repos/npm/late/package.json', Buffer.from(JSON.stringify({ files: { 'late-1.0.0.tgz': { digest: adopted } } })));
    });
    const report = await runGc(store, blobs, { formats: formatsFor(store), graceMs: 0, uploadTtlMs: 60_000, progress, now });
    expect(report.deleted.map((d) => d.digest)).toEqual([orphan]);
    expect(await blobs.exists(adopted)).toBe(true);
    expect(await blobs.exists(kept)).toBe(true);

    const young = await write(blobs, 'young');
    const second = await runGc(store, blobs, { formats: formatsFor(store), graceMs: 60_000, uploadTtlMs: 60_000, now });
    expect(second.blobsFreed).toBe(0);
    expect(await blobs.exists(young)).toBe(true);
  });

  it('a dry run reports without deleting; temp objects past the TTL are swept', async () => {
    const store = new MemoryStore();
    const blobs = new BlobStore(store);
    const orphan = await write(blobs, 'orphan bytes');
    await store.put('tmp/abandoned', Buffer.from('half a blob'));
    const dry = await runGc(store, blobs, { formats: formatsFor(store), graceMs: 0, uploadTtlMs: 0, dryRun: true, now });
    expect(dry).toMatchObject({ dryRun: true, blobsFreed: 1, bytesFreed: 12, tempRemoved: 0 });
    expect(await blobs.exists(orphan)).toBe(true);
    expect(await store.stat('tmp/abandoned')).toBeDefined();
    const real = await runGc(store, blobs, { formats: formatsFor(store), graceMs: 0, uploadTtlMs: 0, now });
    expect(real).toMatchObject({ blobsFreed: 1, tempRemoved: 1 });
    expect(await blobs.exists(orphan)).toBe(false);
  });
});

describe('runGc dry run', () => {
  it('plans what the real run frees, also right after a delete (stale links written just before the run count as gone)', async () => {
    const t = await buildTestApp();
    try {
      const image = await pushImage(injectHttp(t.app), 'team/app', '1.0');
      expect((await t.app.inject({ method: 'DELETE', url: `/v2/team/app/manifests/${image.digest}` })).statusCode).toBe(202);
      const run = (dryRun: boolean) => runGc(t.services.store, t.services.blobs, { formats: t.services.formats, graceMs: 0, uploadTtlMs: 60_000, dryRun, now });
      const digests = (report: { deleted: { digest: string }[] }) => report.deleted.map((d) => d.digest).sort();
      const dry = await run(true);
      const real = await run(false);
      expect(digests(real)).toEqual([image.digest, image.config, ...image.layers].sort());
      expect(digests(dry)).toEqual(digests(real));
    } finally {
      await t.close();
    }
  });
});

describe('gc trash', () => {
  it('puts back a blob referenced while it was moved aside, deletes the rest', async () => {
    const { deleteThroughTrash, settleTrash } = await import('../../../src/lib/ops/gc-trash.js');
    const store = new MemoryStore();
    const blobs = new BlobStore(store);
    const [a, b] = [await write(blobs, 'a'), await write(blobs, 'b')];
    const deleted = await deleteThroughTrash(store, [a, b, `sha256:${'0'.repeat(64)}`], async () => {
      expect(await blobs.exists(a)).toBe(false);
      return new Set([a]);
    });
    expect(deleted).toEqual([b]);
    expect([await blobs.exists(a), await blobs.exists(b)]).toEqual([true, false]);

    // Leftovers of an interrupted (or concurrent) run all come back.
    await store.move('blobs/sha256/' + a.slice(7, 9) + '/' + a.slice(7), 'gc-trash/sha256/' + a.slice(7, 9) + '/' + a.slice(7));
    const c = await write(blobs, 'c');
    await store.move('blobs/sha256/' + c.slice(7, 9) + '/' + c.slice(7), 'gc-trash/sha256/' + c.slice(7, 9) + '/' + c.slice(7));
    expect(await settleTrash(store)).toBe(2);
    expect([await blobs.exists(a), await blobs.exists(c)]).toEqual([true, true]);
    expect((await store.list('gc-trash/')).items).toEqual([]);
  });
});
