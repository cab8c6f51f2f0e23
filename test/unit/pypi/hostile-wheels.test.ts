// Wheels whose zip structure lies: every offset and size is checked against the archive before it
// is read, so a hostile wheel is a 400 "invalid wheel" (not a storage range error or a 500), and
// an entry's declared compressed size cannot make NORA read the whole archive into memory.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listEntries, readEntry, ZipError, type RangeReader } from '../../../src/lib/pypi/zip-reader.js';
import { storeKeys } from '../../helpers/store-keys.js';
import { buildTestApp, type TestApp } from '../../helpers/test-app.js';
import { twineFields, uploadForm, wheel, zip } from '../../helpers/pypi-dists.js';

/** Rewrites the central directory entry of `name` (and, when `extra` is given, appends that extra field to it). */
function patchEntry(archive: Buffer, name: string, patch: (entry: Buffer) => void, extra?: Buffer): Buffer {
  const eocd = archive.length - 22;
  const dirAt = archive.readUInt32LE(eocd + 16);
  for (let at = dirAt; at < eocd;) {
    const nameLength = archive.readUInt16LE(at + 28);
    const length = 46 + nameLength + archive.readUInt16LE(at + 30) + archive.readUInt16LE(at + 32);
    if (archive.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const entry = Buffer.from(archive.subarray(at, at + length));
      patch(entry);
      if (!extra) return Buffer.concat([archive.subarray(0, at), entry, archive.subarray(at + length)]);
      entry.writeUInt16LE(entry.readUInt16LE(30) + extra.length, 30);
      const out = Buffer.concat([archive.subarray(0, at), entry, extra, archive.subarray(at + length)]);
      out.writeUInt32LE(out.readUInt32LE(out.length - 22 + 12) + extra.length, out.length - 22 + 12);
      return out;
    }
    at += length;
  }
  throw new Error(`no entry ${name}`);
}

/** Reads like the blob store: a range starting past the end is refused, not shortened. */
function storeLikeReader(bytes: Buffer): { read: RangeReader; largest: () => number } {
  let largest = 0;
  return {
    largest: () => largest,
    read: async (start, end) => {
      if (start >= bytes.length) throw Object.assign(new Error(`requested range is outside the object (${bytes.length} bytes)`), { code: 'RANGE_NOT_SATISFIABLE' });
      largest = Math.max(largest, Math.min(end, bytes.length) - start);
      return bytes.subarray(start, end);
    },
  };
}

const pkg = { name: 'nora-demo', version: '1.0' };
const good = wheel(pkg);
const METADATA = 'nora_demo-1.0.dist-info/METADATA';
const zip64Short = Buffer.from([0x01, 0x00, 0x00, 0x00]); // a zip64 extra field holding nothing

const HOSTILE: Array<[string, Buffer, RegExp]> = [
  ['a local header past the end', patchEntry(good.bytes, METADATA, (e) => e.writeUInt32LE(good.bytes.length + 1000, 42)), /local header of .* lies outside the archive/],
  ['a zip64 size without its zip64 field', patchEntry(good.bytes, METADATA, (e) => e.writeUInt32LE(0xffffffff, 24), zip64Short), /zip64 extra field of .* is too short/],
  ['a compressed size far beyond the entry size', patchEntry(good.bytes, METADATA, (e) => e.writeUInt32LE(0x7fffffff, 20)), /declares 2147483647 compressed bytes/],
];

describe('zip reader on hostile archives', () => {
  it.each(HOSTILE)('%s is a ZipError', async (_label, archive, why) => {
    const { read } = storeLikeReader(archive);
    const extract = async () => readEntry(read, (await listEntries(read, archive.length)).find((e) => e.name === METADATA)!, 1 << 20);
    await expect(extract()).rejects.toThrow(ZipError);
    await expect(extract()).rejects.toThrow(why);
  });

  it('never reads more of an entry than its size limit allows', async () => {
    const archive = zip([['pkg-1.0.dist-info/METADATA', 'Name: pkg\n'], ['big.bin', randomBytes(300_000)]]);
    const lying = patchEntry(archive, 'pkg-1.0.dist-info/METADATA', (e) => e.writeUInt32LE(archive.length - 100, 20));
    const { read, largest } = storeLikeReader(lying);
    const [entry] = await listEntries(read, lying.length, (name) => name.endsWith('METADATA'));
    await expect(readEntry(read, entry!, 4096)).rejects.toThrow(ZipError);
    expect(largest()).toBeLessThan(70_000); // the tail with the central directory; never the 300 KB
  });

  it('keeps only the entries asked for', async () => {
    const archive = zip(Array.from({ length: 2000 }, (_v, i) => [`pkg/file${i}.py`, ''] as [string, string]).concat([['pkg-1.0.dist-info/METADATA', 'Name: pkg\n']]));
    const { read } = storeLikeReader(archive);
    expect((await listEntries(read, archive.length, (name) => name.endsWith('/METADATA'))).map((e) => e.name)).toEqual(['pkg-1.0.dist-info/METADATA']);
  });
});

describe('uploads of hostile wheels', () => {
  let t: TestApp;
  beforeEach(async () => { t = await buildTestApp(); });
  afterEach(async () => { await t.close(); });

  it.each(HOSTILE)('%s → 400 invalid wheel, store unchanged', async (_label, bytes, why) => {
    const file = { filename: good.filename, bytes };
    const { body, contentType } = uploadForm(twineFields(pkg, file), file);
    const response = await t.app.inject({ method: 'POST', url: '/pypi/', payload: body, headers: { 'content-type': contentType } });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.body).toMatch(/invalid wheel/);
    expect(response.body).toMatch(why);
    expect(await storeKeys(t.services.store)).toEqual([]);
  });
});
