// Reading and checking `cargo publish` metadata costs about the same for hostile JSON as for a
// normal publish of the same size (the metadata is capped by cargo.max_metadata_size; these use
// 512 KiB): deep nesting, huge tables and long strings are linear, and unknown fields are dropped.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteReader, readPublishFrame } from '../../../src/lib/cargo/frame.js';
import { parsePublishMetadata } from '../../../src/lib/cargo/metadata.js';
import { costRatio, describeCost } from '../../helpers/cost-ratio.js';
import { dep, fakeCrate, frame, publishMetadata } from '../../helpers/cargo-frame.js';

const SIZE = 512 * 1024;
const crate = fakeCrate('demo', '1.0.0');

/** A metadata document of about SIZE bytes: `base` plus as many `add(i)` steps as fit. */
function sized(add: (meta: Record<string, unknown>, i: number) => void): string {
  const meta = publishMetadata('demo', '1.0.0');
  for (let i = 0; ; i++) {
    add(meta, i);
    if (i >= 64 && i % 256 !== 0) continue;
    const text = JSON.stringify(meta);
    if (text.length > SIZE) return text;
  }
}

async function readAndCheck(body: Buffer): Promise<void> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += 65536) pieces.push(body.subarray(i, i + 65536));
  try {
    const parsed = await readPublishFrame(new ByteReader(Readable.from(pieces)[Symbol.asyncIterator]()), { maxMetadataSize: 1 << 20, maxCrateSize: 1 << 20 });
    parsePublishMetadata(parsed.metadata);
    for await (const chunk of parsed.crate) void chunk;
  } catch { /* refusing is fine; the cost is what is measured */ }
}

describe('cargo publish metadata cost on hostile JSON', { timeout: 120_000 }, () => {
  // A publish with many dependencies and features, as a large workspace crate sends it.
  const normal = frame(sized((meta, i) => {
    (meta.deps as unknown[]).push(dep({ name: `dep_${i}`, version_req: '^1.2.3', features: ['std', 'serde'] }));
    (meta.features as Record<string, string[]>)[`feature_${i}`] = [`dep_${i}/std`];
  }), crate);

  it.each([
    ['an unknown field nested 250,000 deep', `{"name":"demo","vers":"1.0.0","x":${'['.repeat(SIZE / 2)}${']'.repeat(SIZE / 2)}}`],
    ['tens of thousands of features', sized((meta, i) => { (meta.features as Record<string, string[]>)[`f${i}`] = ['a', 'b']; })],
    ['dependencies with 64 KiB strings', sized((meta, i) => { (meta.deps as unknown[]).push(dep({ name: `d${i}`, target: 'x'.repeat(60_000), features: ['y'.repeat(60_000)] })); })],
    ['keywords of every length', sized((meta, i) => { (meta.keywords as string[]).push('k'.repeat(i % 500)); })],
  ])('%s costs less than 10x a normal publish of the same size', async (_label, json) => {
    const worst = frame(json, crate);
    expect(Math.abs(worst.length - normal.length)).toBeLessThan(SIZE / 4);
    const cost = await costRatio(() => readAndCheck(normal), () => readAndCheck(worst));
    expect(cost.ratio, describeCost(cost)).toBeLessThan(10);
  });
});
