// Benchmark entry (bundled by scripts/bench/foundation.mjs with esbuild, run under Node 24 with
// the binary's V8 flags): streams a generated body of BENCH_BLOB_BYTES (default 2 GiB) through
// BlobStore.write() into the fs store, reads it back through BlobStore.open() while hashing it,
// and prints one JSON line: throughput of each phase and peak RSS. Memory must stay flat — a
// blob is never buffered — so peak RSS is the figure to watch, not the speed.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BlobStore } from '../../src/lib/blobs/blob-store.js';
import { FsStore } from '../../src/lib/storage/fs-store.js';

const TOTAL = Number(process.env.BENCH_BLOB_BYTES ?? 2 * 1024 ** 3);
const CHUNK = 64 * 1024; // what a socket typically hands over

/**
 * A body of `total` bytes in fresh 64 KiB buffers (as from a socket), cut from a random pool.
 * Records RSS (MiB) at every eighth of the way into `trail`, to show that memory stays flat.
 */
function generated(total: number, trail: number[]): Readable {
  const step = Math.max(CHUNK, Math.floor(total / 8 / CHUNK) * CHUNK);
  const pool = randomBytes(1024 * 1024 + CHUNK);
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(CHUNK, total - sent);
      const offset = (sent / CHUNK) % (pool.length - CHUNK) | 0;
      const chunk = Buffer.allocUnsafe(size);
      pool.copy(chunk, 0, offset, offset + size);
      sent += size;
      if (sent % step === 0 || sent === total) trail.push(Math.round(process.memoryUsage.rss() / 1048576));
      this.push(chunk);
    },
  });
}

/** VmRSS and VmHWM (peak) in KiB from /proc/self/status. */
async function memory(): Promise<{ rssKiB: number; hwmKiB: number }> {
  const status = await readFile('/proc/self/status', 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM') };
}

/** Resets VmHWM to the current RSS (Linux: "5" in clear_refs), so each phase gets its own peak. */
async function resetPeak(): Promise<void> {
  await writeFile('/proc/self/clear_refs', '5').catch(() => undefined);
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'nora-blob-bench-'));
  try {
    const blobs = new BlobStore(await new FsStore({ root: dir }).open());
    const before = await memory();

    await resetPeak();
    let start = performance.now();
    const trail: number[] = [];
    const written = await blobs.write(generated(TOTAL, trail));
    const writeSeconds = (performance.now() - start) / 1000;
    const afterWrite = await memory();
    if (written.size !== TOTAL) throw new Error(`wrote ${written.size} bytes, expected ${TOTAL}`);

    await resetPeak();
    start = performance.now();
    const { body } = await blobs.open(written.digest);
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      read += chunk.length;
    }
    const readSeconds = (performance.now() - start) / 1000;
    const afterRead = await memory();
    const digest = `sha256:${hash.digest('hex')}`;
    if (read !== TOTAL || digest !== written.digest) throw new Error(`read back ${read} bytes as ${digest}, wrote ${written.digest}`);

    console.log(JSON.stringify({
      bytes: TOTAL,
      node: process.version,
      execArgv: process.execArgv,
      rssBeforeKiB: before.rssKiB,
      write: { seconds: writeSeconds, mbPerSecond: TOTAL / 1e6 / writeSeconds, peakKiB: afterWrite.hwmKiB, rssAfterKiB: afterWrite.rssKiB, rssTrailMiB: trail },
      read: { seconds: readSeconds, mbPerSecond: TOTAL / 1e6 / readSeconds, peakKiB: afterRead.hwmKiB, rssAfterKiB: afterRead.rssKiB },
    }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
