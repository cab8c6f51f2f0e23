// The .crate archive check: entries under <name>-<version>/, a Cargo.toml, GNU long names and
// pax paths, links, corrupt gzip and the unpacked-size limit.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkCrateArchive } from '../../../src/lib/cargo/crate-archive.js';
import { tarGz, type TarEntry } from '../../helpers/crate-tarball.js';

async function check(archive: Buffer, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const pieces = Array.from({ length: Math.ceil(archive.length / 7) }, (_, i) => archive.subarray(i * 7, i * 7 + 7));
  for await (const chunk of checkCrateArchive((async function* () { yield* pieces; })(), 'demo', '1.0.0', limit)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const manifest: TarEntry = { path: 'demo-1.0.0/Cargo.toml', data: '[package]\nname = "demo"\n' };
const longPath = `demo-1.0.0/${'d/'.repeat(80)}lib.rs`;

/** A pax extended header record "<length> path=<path>\n", whose length counts itself. */
function paxPath(path: string): string {
  const body = ` path=${path}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length++;
  return `${length}${body}`;
}

describe('.crate archive check', () => {
  it('passes a good archive through unchanged, chunk by chunk', async () => {
    const archive = tarGz([manifest, { path: 'demo-1.0.0/src/lib.rs', data: 'pub fn x() {}\n' }]);
    expect((await check(archive)).equals(archive)).toBe(true);
  });

  it('accepts GNU long names and pax paths under the crate directory, and reads them', async () => {
    await check(tarGz([manifest, { path: '././@LongLink', type: 'L', data: `${longPath}\0` }, { path: 'demo-1.0.0/truncated', data: 'x' }]));
    await check(tarGz([{ path: 'PaxHeader', type: 'x', data: paxPath(longPath) }, { path: 'demo-1.0.0/short', data: 'x' }, manifest]));
    await expect(check(tarGz([manifest, { path: 'PaxHeader', type: 'x', data: paxPath('elsewhere/x') }, { path: 'demo-1.0.0/short' }]))).rejects.toThrow(/"elsewhere\/x" outside/);
  });

  it.each<[string, TarEntry[], RegExp]>([
    ['an entry of another crate', [manifest, { path: 'other-1.0.0/src/lib.rs' }], /entry "other-1.0.0\/src\/lib.rs" outside demo-1.0.0\//],
    ['a .. entry', [manifest, { path: 'demo-1.0.0/../../etc/passwd' }], /outside demo-1.0.0\//],
    ['an absolute entry', [manifest, { path: '/demo-1.0.0/x' }], /outside/],
    ['a long name leaving the crate', [manifest, { path: '././@LongLink', type: 'L', data: `${'x/'.repeat(60)}evil\0` }, { path: 'demo-1.0.0/x' }], /outside/],
    ['a symlink leaving the crate', [manifest, { path: 'demo-1.0.0/link', type: '2', link: '../../etc/passwd' }], /link "demo-1.0.0\/link" pointing outside/],
    ['no Cargo.toml', [{ path: 'demo-1.0.0/src/lib.rs', data: 'x' }], /has no demo-1.0.0\/Cargo.toml/],
  ])('refuses %s', async (_what, entries, message) => {
    await expect(check(tarGz(entries))).rejects.toThrow(message);
  });

  it('refuses a corrupt gzip stream and archives that unpack past the limit', async () => {
    const archive = tarGz([manifest]);
    const corrupt = Buffer.concat([archive.subarray(0, 12), Buffer.alloc(40, 0xee)]);
    await expect(check(corrupt)).rejects.toThrow(/not a valid gzip stream/);
    const bomb = tarGz([manifest, { path: 'demo-1.0.0/zeros', data: Buffer.alloc(4 * 1024 * 1024) }]);
    await expect(check(bomb, 1024 * 1024)).rejects.toThrow(/unpacks to more than 1048576 bytes/);
    await expect(check(gzipSync(Buffer.from('not a tar')))).rejects.toThrow(/has no demo-1.0.0\/Cargo.toml|corrupt/);
  });
});
