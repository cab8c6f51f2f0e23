// The binary's payloads (src/binary-payloads.ts): what scripts/binary-payloads.mjs appends after an
// image is read back byte for byte, and a file without them (or with a damaged index) is refused
// with a message that says so instead of handing out wrong bytes.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a build script without type declarations
import { appendPayloads } from '../../../scripts/binary-payloads.mjs';
import { openPayloads, readPayload } from '../../../src/binary-payloads.js';

describe('binary payloads', () => {
  let dir: string;
  let binary: string;
  const image = Buffer.from('\x7fELF pretend image bytes');
  const bundle = Buffer.from('(function () { return "bundle"; })');
  const cache = Buffer.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nora-payloads-'));
    binary = path.join(dir, 'nora');
    writeFileSync(binary, image);
    writeFileSync(path.join(dir, 'bundle'), bundle);
    writeFileSync(path.join(dir, 'cache'), cache);
    writeFileSync(path.join(dir, 'empty'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const append = () => appendPayloads(binary, { 'nora.cjs': path.join(dir, 'bundle'), 'nora.start-cache': path.join(dir, 'cache'), 'chunks/none.cjs': path.join(dir, 'empty') });

  it('reads back each payload appended after the image, byte for byte', () => {
    append();
    const payloads = openPayloads(binary);
    try {
      expect(payloads.read('nora.cjs').equals(bundle)).toBe(true);
      expect(payloads.read('nora.start-cache').equals(cache)).toBe(true);
      expect(payloads.read('chunks/none.cjs').length).toBe(0);
      expect(payloads.has('nora.cjs')).toBe(true);
      expect(payloads.has('chunks/undici.cjs')).toBe(false);
      expect(() => payloads.read('chunks/undici.cjs')).toThrow(`${binary} carries no payload "chunks/undici.cjs"`);
    } finally {
      payloads.close();
    }
    expect(readPayload('nora.start-cache', binary).equals(cache)).toBe(true);
  });

  it('leaves the image itself as it was', () => {
    append();
    expect(readFileSync(binary).subarray(0, image.length).equals(image)).toBe(true);
  });

  it('refuses a file that carries no payloads', () => {
    expect(() => openPayloads(binary)).toThrow(`${binary} carries no payloads NORA can read (no payload footer); rebuild it with npm run build:binaries`);
    truncateSync(binary, 3);
    expect(() => openPayloads(binary)).toThrow('(too short)');
  });

  it('refuses a damaged index instead of reading wrong bytes', () => {
    append();
    const size = statSync(binary).size;
    // The index length says more bytes than the file holds.
    const footer = Buffer.alloc(8);
    footer.writeBigUInt64LE(BigInt(size * 2));
    const damaged = path.join(dir, 'damaged');
    writeFileSync(damaged, image);
    appendFileSync(damaged, Buffer.concat([Buffer.from('NORA-PAYLOADS-1\n'), footer]));
    expect(() => openPayloads(damaged)).toThrow('(bad index length)');
    // An entry that points past the payload area.
    const index = Buffer.from(JSON.stringify({ 'nora.cjs': [0, 10_000] }));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(index.length));
    writeFileSync(damaged, Buffer.concat([image, index, Buffer.from('NORA-PAYLOADS-1\n'), length]));
    expect(() => openPayloads(damaged)).toThrow('(bad entry for "nora.cjs")');
    // An index that is not JSON.
    writeFileSync(damaged, Buffer.concat([image, Buffer.from('{oops'), Buffer.from('NORA-PAYLOADS-1\n'), Buffer.from([5, 0, 0, 0, 0, 0, 0, 0])]));
    expect(() => openPayloads(damaged)).toThrow('(index is not JSON)');
  });
});
