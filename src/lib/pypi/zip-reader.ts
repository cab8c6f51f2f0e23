// Reads single entries out of a zip archive through ranged reads, without loading the archive:
// the end-of-central-directory record, the central directory, then one entry's local header
// and data (stored or deflated, CRC-checked). Enough of APPNOTE (incl. zip64) for wheels.
// The archive is hostile input: every offset is checked against its size (a ZipError, never a
// storage range error), an entry's compressed bytes are bounded by its size limit before they
// are read, and only the entries asked for are kept in memory.
// https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
// node:zlib loads on first use, not at every start (issue 23).
const zlib = () => process.getBuiltinModule('node:zlib');

/** Reads bytes start..end-1 of the archive. */
export type RangeReader = (start: number, end: number) => Promise<Buffer>;

export interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Size of the archive the entry was listed from (its offsets must lie inside). */
  archiveSize: number;
}

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_CENTRAL_DIRECTORY = 32 * 1024 * 1024;

const u64 = (buf: Buffer, at: number): number => Number(buf.readBigUInt64LE(at));

async function centralDirectory(read: RangeReader, archiveSize: number): Promise<{ offset: number; size: number }> {
  if (archiveSize < 22) throw new ZipError('too short to be a zip archive');
  const tailStart = Math.max(0, archiveSize - 22 - 0xffff - 20);
  const tail = await read(tailStart, archiveSize);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) { at = i; break; }
  }
  if (at < 0) throw new ZipError('no end of central directory record');
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if ((offset === 0xffffffff || size === 0xffffffff) && at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    const recordAt = u64(tail, at - 20 + 8);
    if (recordAt + 56 > archiveSize) throw new ZipError('zip64 end of central directory lies outside the archive');
    const record = await read(recordAt, recordAt + 56);
    if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipError('bad zip64 end of central directory');
    size = u64(record, 40);
    offset = u64(record, 48);
  }
  if (offset + size > archiveSize) throw new ZipError('central directory lies outside the archive');
  if (size > MAX_CENTRAL_DIRECTORY) throw new ZipError('central directory is too large');
  return { offset, size };
}

function zip64Values(extra: Buffer, entry: ZipEntry): void {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      let at = i + 4;
      const end = Math.min(at + length, extra.length);
      const next = () => {
        if (at + 8 > end) throw new ZipError(`zip64 extra field of ${entry.name} is too short`);
        const v = u64(extra, at);
        at += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
      return;
    }
    i += 4 + length;
  }
}

/** The entries of the archive's central directory, or only those whose name `wanted` accepts. */
export async function listEntries(read: RangeReader, archiveSize: number, wanted: (name: string) => boolean = () => true): Promise<ZipEntry[]> {
  const { offset, size } = await centralDirectory(read, archiveSize);
  const dir = await read(offset, offset + size);
  const entries: ZipEntry[] = [];
  for (let at = 0; at + 46 <= dir.length;) {
    if (dir.readUInt32LE(at) !== CENTRAL) throw new ZipError('corrupt central directory');
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
    if (!wanted(name)) {
      at += 46 + nameLength + extraLength + commentLength;
      continue;
    }
    const entry: ZipEntry = {
      name,
      method: dir.readUInt16LE(at + 10),
      crc: dir.readUInt32LE(at + 16),
      compressedSize: dir.readUInt32LE(at + 20),
      size: dir.readUInt32LE(at + 24),
      localHeaderOffset: dir.readUInt32LE(at + 42),
      archiveSize,
    };
    zip64Values(dir.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), entry);
    entries.push(entry);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry; ZipError when larger than `maxSize` or corrupt. */
export async function readEntry(read: RangeReader, entry: ZipEntry, maxSize: number): Promise<Buffer> {
  if (entry.size > maxSize) throw new ZipError(`${entry.name} is larger than ${maxSize} bytes`);
  // Deflate adds at most a few bytes per 16 KiB block to incompressible data.
  const compressedLimit = entry.method === 0 ? entry.size : entry.size + Math.ceil(entry.size / 1024) + 1024;
  if (entry.compressedSize > compressedLimit) throw new ZipError(`${entry.name} declares ${entry.compressedSize} compressed bytes for ${entry.size} bytes`);
  if (entry.localHeaderOffset + 30 > entry.archiveSize) throw new ZipError(`the local header of ${entry.name} lies outside the archive`);
  const header = await read(entry.localHeaderOffset, entry.localHeaderOffset + 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) throw new ZipError(`bad local header for ${entry.name}`);
  const dataAt = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (dataAt + entry.compressedSize > entry.archiveSize) throw new ZipError(`the data of ${entry.name} lies outside the archive`);
  const raw = entry.compressedSize === 0 ? Buffer.alloc(0) : await read(dataAt, dataAt + entry.compressedSize);
  let data: Buffer;
  if (entry.method === 0) data = raw;
  else if (entry.method === 8) {
    try {
      data = zlib().inflateRawSync(raw, { maxOutputLength: Math.max(1, maxSize) });
    } catch (error) {
      throw new ZipError(`cannot inflate ${entry.name}: ${(error as Error).message}`);
    }
  } else throw new ZipError(`${entry.name} uses unsupported compression method ${entry.method}`);
  if (data.length !== entry.size || zlib().crc32(data) !== entry.crc) throw new ZipError(`${entry.name} fails its CRC or size check`);
  return data;
}
