// `nora gc` in its own process beside a live server on the same data directory: it frees what no
// format references any more, a dry run deletes nothing, and a push loop running during several
// collections loses nothing (every pushed image pulls completely afterwards).
import { existsSync } from 'node:fs';
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
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { blobsFreed: number; bytesFreed: number; deleted: { digest: string }[]; dryRun: boolean };
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
    await new Promise((r) => setTimeout(r, 1100));

    const dry = await gc('--grace', '1s', '--dry-run');
    expect(dry.dryRun).toBe(true);
    expect(present(dropped)).toHaveLength(dropped.length);
    const planned = new Set(dry.deleted.map((d) => d.digest));
    for (const f of dropped) expect(planned.has(f.blobPath.split('/').filter((_s, i) => i === 1 || i === 3).join(':')), f.path).toBe(true);

    const report = await gc('--grace', '1s');
    expect(report.blobsFreed).toBeGreaterThanOrEqual(dropped.length);
    expect(present(dropped).map((f) => f.format)).toEqual([]);
    await expectServed(nora.url, kept);

    const again = await gc('--grace', '1s');
    expect(again.blobsFreed).toBe(0);
  });

  it('a push loop during collections (a scheduled one in the server, and nora gc processes) loses nothing', async () => {
    const busy = await startNora({ env: { NORA_GC_SCHEDULE: '* * * * * *', NORA_GC_GRACE: '2s' } });
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
  const pushed: { name: string; image: PushedImage }[] = [];
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const name = `loop/img${i % 5}`;
      pushed.push({ name: `${name}:t${i}`, image: await pushImage(http, name, `t${i}`, { layers: [`loop layer ${i}`, `shared layer ${i % 3}`] }) });
    }
  })();
  const until = Date.now() + 3000;
  for (let run = 0; run < 3 || Date.now() < until; run++) await gc('--grace', '2s');
  stop = true;
  await loop;
  expect(pushed.length).toBeGreaterThan(3);
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
