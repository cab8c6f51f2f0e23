// `nora gc` in its own process beside a live server on the same data directory: it frees what no
// format references any more, a dry run deletes nothing, and a push loop running during several
// collections loses nothing (every pushed image pulls completely afterwards). Nothing here waits
// for a grace window: the grace arithmetic is unit-tested with a clock (test/unit/ops/gc.test.ts);
// here old data is made old by setting its files' times.
import { existsSync } from 'node:fs';
import { readdir, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNora, startNora, type NoraServer } from '../../helpers/nora-process.js';
import { fetchHttp, pushImage, OCI_MANIFEST, type PushedImage } from '../../helpers/oci-client.js';
import { expectServed, publishAll, refsOf, type PublishedFile } from '../../helpers/all-formats.js';

let nora: NoraServer;
beforeAll(async () => { nora = await startNora(); });
afterAll(async () => { await nora.stop(); });

const gc = async (...args: string[]) => {
  const result = await runNora(['gc', '--data-dir', nora.dataDir, '--json', ...args]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { blobs_freed: number; bytes_freed: number; deleted: { digest: string }[]; dry_run: boolean };
};
const present = (files: PublishedFile[]) => files.filter((f) => existsSync(path.join(nora.dataDir, f.blobPath)));

describe('nora gc', () => {
  it('frees the blobs of deleted artifacts of every format; a dry run deletes nothing', async () => {
    const kept = await publishAll(nora.url, 'kept');
    const dropped = await publishAll(nora.url, 'dropped');
    // The dropped image's layers are shared with nothing; the kept image stays tagged.
    for (const ref of refsOf('dropped', dropped)) {
      const response = await fetch(`${nora.url}/api/artifacts?ref=${encodeURIComponent(ref)}`, { method: 'DELETE' });
      expect(response.status, `${ref}: ${await response.text()}`).toBe(200);
    }
    // The blobs were written before this gc process starts, so a zero grace window covers them.
    const dry = await gc('--grace', '0s', '--dry-run');
    expect(dry.dry_run).toBe(true);
    expect(present(dropped)).toHaveLength(dropped.length);
    const planned = new Set(dry.deleted.map((d) => d.digest));
    for (const f of dropped) expect(planned.has(f.blobPath.split('/').filter((_s, i) => i === 1 || i === 3).join(':')), f.path).toBe(true);

    const report = await gc('--grace', '0s');
    expect(report.blobs_freed).toBeGreaterThanOrEqual(dropped.length);
    expect(present(dropped).map((f) => f.format)).toEqual([]);
    await expectServed(nora.url, kept);

    const again = await gc('--grace', '0s');
    expect(again.blobs_freed).toBe(0);
  });

  it('a push loop during collections (a scheduled one in the server, and nora gc processes) loses nothing', async () => {
    // The grace window outlasts any push however loaded the machine; what the collections race
    // with are old, unreferenced blobs that the loop starts referencing again (aged below).
    const busy = await startNora({ env: { NORA_GC_SCHEDULE: '* * * * * *', NORA_GC_GRACE: '10m' } });
    try {
      await pushLoop(busy);
    } finally {
      await busy.stop();
    }
  });
});

async function pushLoop(nora: NoraServer): Promise<void> {
  const gc = async (...args: string[]) => {
    const result = await runNora(['gc', '--data-dir', nora.dataDir, '--json', ...args]);
    expect(result.code, result.stderr).toBe(0);
  };
  const http = fetchHttp(nora.url);
  // Shared layers that an untagged image left behind, an hour old: collectable until the loop
  // references them again.
  const old = await pushImage(http, 'loop/old', 'gone', { layers: [0, 1, 2].map((i) => `shared layer ${i}`) });
  const removed = await fetch(`${nora.url}/api/artifacts?ref=${encodeURIComponent(`loop/old@${old.digest}`)}`, { method: 'DELETE' });
  expect(removed.status).toBe(200);
  const hourAgo = new Date(Date.now() - 3_600_000);
  for (const dir of ['blobs', 'repos/oci']) await age(path.join(nora.dataDir, dir), hourAgo);
  const pushed: { name: string; image: PushedImage }[] = [];
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const name = `loop/img${i % 5}`;
      pushed.push({ name: `${name}:t${i}`, image: await pushImage(http, name, `t${i}`, { layers: [`loop layer ${i}`, `shared layer ${i % 3}`] }) });
    }
  })();
  for (let run = 0; run < 3 || pushed.length < 4; run++) await gc('--grace', '10m');
  stop = true;
  await loop;
  expect(pushed.length).toBeGreaterThan(3);
  // The collections had work: the untagged image's own config blob (old, referenced by nothing) is gone.
  expect(existsSync(path.join(nora.dataDir, 'blobs', 'sha256', old.config.slice(7, 9), old.config.slice(7)))).toBe(false);
  for (const { name, image } of pushed) {
    const [repo, tag] = name.split(':') as [string, string];
    const manifest = await fetch(`${nora.url}/v2/${repo}/manifests/${tag}`, { headers: { accept: OCI_MANIFEST } });
    expect(manifest.status, name).toBe(200);
    expect(Buffer.from(await manifest.arrayBuffer()).equals(image.manifest)).toBe(true);
    for (const digest of [image.config, ...image.layers]) {
      const blob = await fetch(`${nora.url}/v2/${repo}/blobs/${digest}`);
      expect(blob.status, `${name} ${digest}`).toBe(200);
      await blob.arrayBuffer();
    }
  }
  const state = (await (await fetch(`${nora.url}/api/gc`)).json()) as { phase: string };
  expect(['done', 'uploads', 'links', 'mark', 'sweep']).toContain(state.phase);
}

/** Sets the times of every file under `dir` to `when`. */
async function age(dir: string, when: Date): Promise<void> {
  for (const entry of await readdir(dir, { recursive: true })) {
    const file = path.join(dir, entry);
    if ((await stat(file)).isFile()) await utimes(file, when, when);
  }
}
