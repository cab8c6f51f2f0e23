// The binary's large payloads — the bundle, its start cache and the chunks — are appended after
// the executable's ELF image by scripts/build-binaries.mjs (scripts/binary-payloads.mjs writes
// them) and read here with pread, not carried as SEA assets. An asset is read through the
// executable's mapping, and every page read that way stays in the process's resident set for its
// whole life: 4 MiB of idle VmRSS for the bundle and start cache alone (issue 23). Bytes read with
// read(2) are only in the page cache, and their buffers are freed once compiled.
//
// Layout: [ELF image][payload bytes...][index: JSON {name: [offset, length]}][MAGIC][index length, u64 LE]
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const PAYLOADS_MAGIC = 'NORA-PAYLOADS-1\n';
const FOOTER = PAYLOADS_MAGIC.length + 8;
/** An index larger than this is not one NORA wrote. */
const MAX_INDEX = 1 << 20;

/**
 * The running executable. process.execPath names a path that an upgrade may have replaced with
 * another build while this one runs; /proc/self/exe is always the file this process was started from.
 */
export const RUNNING_EXECUTABLE = '/proc/self/exe';

export interface Payloads {
  has(name: string): boolean;
  read(name: string): Buffer;
  close(): void;
}

/** Opens `file`'s payload index; read() then answers each payload's bytes. */
export function openPayloads(file: string = RUNNING_EXECUTABLE): Payloads {
  const fd = openSync(file, 'r');
  try {
    const index = readIndex(fd, file);
    return {
      has: (name) => index.has(name),
      read: (name) => {
        const entry = index.get(name);
        if (!entry) throw new Error(`${file} carries no payload ${JSON.stringify(name)}`);
        return readExactly(fd, entry[0], entry[1], file);
      },
      close: () => closeSync(fd),
    };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** One payload of the running executable. */
export function readPayload(name: string, file: string = RUNNING_EXECUTABLE): Buffer {
  const payloads = openPayloads(file);
  try {
    return payloads.read(name);
  } finally {
    payloads.close();
  }
}

function readIndex(fd: number, file: string): Map<string, [number, number]> {
  const size = fstatSync(fd).size;
  const problem = (what: string) => new Error(`${file} carries no payloads NORA can read (${what}); rebuild it with npm run build:binaries`);
  if (size < FOOTER) throw problem('too short');
  const footer = readExactly(fd, size - FOOTER, FOOTER, file);
  if (footer.toString('latin1', 0, PAYLOADS_MAGIC.length) !== PAYLOADS_MAGIC) throw problem('no payload footer');
  const indexLength = Number(footer.readBigUInt64LE(PAYLOADS_MAGIC.length));
  const indexStart = size - FOOTER - indexLength;
  if (indexLength > MAX_INDEX || indexStart < 0) throw problem('bad index length');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readExactly(fd, indexStart, indexLength, file).toString('utf8'));
  } catch {
    throw problem('index is not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw problem('index is not an object');
  const index = new Map<string, [number, number]>();
  for (const [name, entry] of Object.entries(parsed)) {
    const [offset, length] = Array.isArray(entry) ? entry : [];
    const valid = Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= indexStart;
    if (!valid) throw problem(`bad entry for ${JSON.stringify(name)}`);
    index.set(name, [offset, length]);
  }
  return index;
}

function readExactly(fd: number, position: number, length: number, file: string): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error(`${file} ended ${length - done} bytes early at offset ${position + done}`);
    done += n;
  }
  return buffer;
}
