// The .crate check costs about the same per unpacked byte whatever the archive holds: hostile
// tar layouts (nothing but headers, long-name and pax records before every entry) against a
// normal crate of the same unpacked size. Long-name and pax records are held in memory, so they
// are capped (64 KiB; a path needs a few hundred bytes).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkCrateArchive } from '../../../src/lib/cargo/crate-archive.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';
import { tarGz, type TarEntry } from '../../helpers/crate-tarball.js';

const ROOT = 'demo-1.0.0';
const UNPACKED = 4 * 1024 * 1024;
const manifest: TarEntry = { path: `${ROOT}/Cargo.toml`, data: '[package]\nname = "demo"\nversion = "1.0.0"\n' };

/** Entries from `make` until the tar holds about UNPACKED bytes (`blocks` 512-byte blocks each). */
function tarOf(make: (i: number) => TarEntry[], blocks: number): Buffer {
  const entries = [manifest];
  for (let i = 0; entries.length * 512 < UNPACKED - blocks * 512; i++) entries.push(...make(i));
  return tarGz(entries);
}

async function check(archive: Buffer): Promise<void> {
  const pieces = Array.from({ length: Math.ceil(archive.length / 65536) }, (_, i) => archive.subarray(i * 65536, (i + 1) * 65536));
  for await (const chunk of checkCrateArchive((async function* () { yield* pieces; })(), 'demo', '1.0.0', 512 * 1024 * 1024)) void chunk;
}

describe('.crate check cost on hostile archives', { timeout: 120_000 }, () => {
  // A real crate: source text in files of a few KiB.
  const source = randomBytes(UNPACKED).toString('base64').slice(0, 6000);
  const normal = tarOf((i) => [{ path: `${ROOT}/src/m${i}.rs`, data: source }], 13);

  it.each([
    ['nothing but empty entries', tarOf((i) => [{ path: `${ROOT}/f${i}` }], 1)],
    ['a long-name record before every entry', tarOf((i) => [{ path: '././@LongLink', type: 'L', data: `${ROOT}/${'d/'.repeat(200)}f${i}\0` }, { path: `${ROOT}/x` }], 3)],
    ['a pax record of many lines before every entry', tarOf((i) => [{ path: 'PaxHeader', type: 'x', data: `${'20 comment=abcdefgh\n'.repeat(300)}30 path=${ROOT}/f${String(i).padStart(12, '0')}\n` }, { path: `${ROOT}/x` }], 14)],
  ])('%s costs less than 10x a normal crate of the same unpacked size', async (_label, worst) => {
    const cost = await costRatio(() => check(normal), () => check(worst));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(10);
  });

  it('refuses a long-name or pax record over 64 KiB before holding it', async () => {
    const long = tarGz([manifest, { path: '././@LongLink', type: 'L', data: `${ROOT}/${'a'.repeat(70 * 1024)}\0` }, { path: `${ROOT}/x` }]);
    await expect(check(long)).rejects.toThrow(/has a \d+-byte long-name record \(at most 65536\)/);
    const pax = tarGz([manifest, { path: 'PaxHeader', type: 'x', data: `${'70 comment='.padEnd(69, 'c')}\n`.repeat(1100) }, { path: `${ROOT}/x` }]);
    await expect(check(pax)).rejects.toThrow(/has a \d+-byte pax record/);
  });
});
