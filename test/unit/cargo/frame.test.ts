// The publish frame: lengths, limits, Content-Length agreement, truncation and trailing bytes.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteReader, readPublishFrame } from '../../../src/lib/cargo/frame.js';
import { fakeCrate, frame } from '../../helpers/cargo-frame.js';

const limits = { maxMetadataSize: 1024, maxCrateSize: 4096 };

function reader(body: Buffer, chunk = 3): ByteReader {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunk) pieces.push(body.subarray(i, i + chunk));
  return new ByteReader(Readable.from(pieces)[Symbol.asyncIterator]());
}

async function drainCrate(body: Buffer, contentLength?: number): Promise<Buffer> {
  const parsed = await readPublishFrame(reader(body), limits, contentLength);
  const chunks: Buffer[] = [];
  for await (const chunk of parsed.crate) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('publish frame', () => {
  const crate = fakeCrate('demo', '1.0.0');
  const body = frame({ name: 'demo', vers: '1.0.0' }, crate);

  it('yields the metadata and exactly the .crate bytes, across any chunking', async () => {
    for (const size of [1, 2, 7, 1000]) {
      const parsed = await readPublishFrame(reader(body, size), limits, body.length);
      expect(parsed.metadata).toEqual({ name: 'demo', vers: '1.0.0' });
      expect(parsed.crateLength).toBe(crate.length);
      const chunks: Buffer[] = [];
      for await (const chunk of parsed.crate) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(crate)).toBe(true);
    }
  });

  it('refuses a body cut inside the metadata, the lengths or the .crate', async () => {
    await expect(drainCrate(body.subarray(0, 2))).rejects.toThrow('metadata length ended after 2 of 4 bytes');
    await expect(drainCrate(body.subarray(0, 10))).rejects.toThrow(/metadata ended after/);
    await expect(drainCrate(body.subarray(0, body.length - 5))).rejects.toThrow(/\.crate ended after/);
  });

  it('refuses bytes after the .crate', async () => {
    await expect(drainCrate(Buffer.concat([body, Buffer.from('extra')]))).rejects.toThrow(/unexpected bytes after/);
  });

  it('refuses lengths over the limits before reading further', async () => {
    const huge = Buffer.alloc(8);
    huge.writeUInt32LE(0xffffffff, 0);
    await expect(readPublishFrame(reader(huge), limits)).rejects.toMatchObject({ code: 'TOO_LARGE', status: 413 });
    const bigCrate = Buffer.concat([body.subarray(0, 4 + body.readUInt32LE(0)), Buffer.from([0xff, 0xff, 0xff, 0x7f])]);
    await expect(readPublishFrame(reader(bigCrate), limits)).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('refuses lengths that disagree with Content-Length', async () => {
    await expect(drainCrate(body, body.length + 1)).rejects.toThrow(/add up to .* but Content-Length is/);
    await expect(drainCrate(body, 6)).rejects.toThrow(/cannot hold the two length fields/);
  });

  it('discards the rest of a refused body up to a limit', async () => {
    const small = reader(Buffer.alloc(100), 10);
    await small.readExact(5, 'head');
    expect(await small.discard(1000)).toBe(true);
    expect(await small.atEnd()).toBe(true);
    expect(await reader(Buffer.alloc(5000), 100).discard(1000)).toBe(false);
  });

  it('refuses metadata that is not JSON and a .crate that is not gzip', async () => {
    await expect(drainCrate(frame('{nope', crate))).rejects.toMatchObject({ code: 'INVALID_METADATA' });
    await expect(drainCrate(frame({ name: 'demo' }, Buffer.from('plain text')))).rejects.toThrow('the .crate is not a gzip archive');
  });
});
