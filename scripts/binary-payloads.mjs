// Appends payloads after a binary's ELF image, in the layout src/binary-payloads.ts reads (why
// they are not SEA assets is said there): the payloads' bytes, a JSON index {name: [offset,
// length]}, the magic line and the index's length as a u64 LE. The ELF loader maps only the
// image's segments, so bytes after it change nothing about how the binary runs.
import { closeSync, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';

export const PAYLOADS_MAGIC = 'NORA-PAYLOADS-1\n';

/** Appends each file of `payloads` ({name: path}) to `binary`. */
export function appendPayloads(binary, payloads) {
  const fd = openSync(binary, 'a');
  try {
    let offset = fstatSync(fd).size;
    const index = {};
    for (const [name, file] of Object.entries(payloads)) {
      const bytes = readFileSync(file);
      writeAll(fd, bytes);
      index[name] = [offset, bytes.length];
      offset += bytes.length;
    }
    const indexBytes = Buffer.from(JSON.stringify(index));
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(indexBytes.length));
    writeAll(fd, Buffer.concat([indexBytes, Buffer.from(PAYLOADS_MAGIC, 'latin1'), length]));
  } finally {
    closeSync(fd);
  }
}

function writeAll(fd, bytes) {
  for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
}
