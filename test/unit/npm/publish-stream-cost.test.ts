// Hostile npm PUT bodies cost about what a normal body of the same size costs: the publish
// reader does constant work per byte. A 300 KB body nested 50,000 deep used to block the event
// loop for about a minute (the nesting stack was copied for every string).
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../../src/lib/blobs/blob-store.js';
import { MAX_DEPTH } from '../../../src/lib/npm/json-position.js';
import { readStreamedBody } from '../../../src/lib/npm/publish-stream.js';
import { MemoryStore } from '../../../src/lib/storage/memory-store.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';

const SIZE = 300 * 1024;

/** `prefix`, then `unit` repeated, then `suffix`: SIZE bytes give or take a unit. */
const fill = (prefix: string, unit: string, suffix: string) => Buffer.from(prefix + unit.repeat(Math.floor((SIZE - prefix.length - suffix.length) / unit.length)) + suffix);

/** What `npm deprecate` sends: the whole packument, many versions of small fields. */
function packumentEdit(): Buffer {
  const versions: Record<string, unknown> = {};
  let text = '';
  for (let i = 0; text.length < SIZE - 600; i++) {
    versions[`1.0.${i}`] = {
      name: 'pkg', version: `1.0.${i}`, description: 'a package', main: 'index.js', license: 'MIT',
      dependencies: { 'left-pad': '^1.3.0', '@acme/util': '~2.0.0' }, deprecated: 'use 2.x',
      dist: { integrity: `sha512-${'A'.repeat(86)}==`, shasum: 'a'.repeat(40), tarball: `http://nora/npm/pkg/-/pkg-1.0.${i}.tgz` },
    };
    text = JSON.stringify({ _id: 'pkg', name: 'pkg', _rev: '3-abc', 'dist-tags': { latest: '1.0.0' }, versions });
  }
  return Buffer.from(text);
}

const WORST: Array<[string, Buffer]> = [
  ['the reported body: nested 50,000 deep (refused at the depth limit)', fill('{"a":'.repeat(50_000), '"s",', '1')],
  [`nested ${MAX_DEPTH - 1} deep around tens of thousands of strings`, fill('['.repeat(MAX_DEPTH - 1), '"s",', `"s"${']'.repeat(MAX_DEPTH - 1)}`)],
  ['tens of thousands of top-level keys', fill('{', '"data":1,', '"z":1}')],
  ['keys at the tracked depths, every one escaped', fill('{"versions":{"1.0.0":{"dist":{', '"\\u0064ata":1,', '"z":1}}}}')],
  ['empty arrays and objects', fill('{"a":[', '[],{},', '[]]}')],
  ['an attachment written entirely as "\\/" escapes', fill('{"_attachments":{"p.tgz":{"data":"', '\\/\\/\\/\\/', '"}}}')],
];

async function read(body: Buffer): Promise<void> {
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += 64 * 1024) chunks.push(body.subarray(i, i + 64 * 1024));
  await readStreamedBody(Readable.from(chunks), { blobs: new BlobStore(new MemoryStore()), maxSize: 1 << 24, maxMetadata: 1 << 24 }).catch(() => undefined);
}

describe('npm publish reader cost on hostile bodies', { timeout: 120_000 }, () => {
  const normal = packumentEdit();

  it.each(WORST)('%s costs less than 10x a packument edit of the same size', async (_label, worst) => {
    expect(Math.abs(worst.length - normal.length)).toBeLessThan(SIZE / 10);
    const cost = await costRatio(() => read(normal), () => read(worst));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(10);
  });
});
