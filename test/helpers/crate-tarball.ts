// Builds a real .crate (a gzipped ustar archive of <name>-<version>/...) in memory, so upstream
// tests can publish crates that stock cargo unpacks and compiles without running cargo publish.
import { gzipSync } from 'node:zlib';

function header(path: string, size: number): Buffer {
  const block = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => block.write(value, offset, length, 'ascii');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  field(0, 100, path);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, '        ');
  field(156, 1, '0');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, `${octal(sum, 7)}\0`);
  return block;
}

/** A gzipped tarball holding `files` (relative paths) under `<name>-<version>/`. */
export function crateTarball(name: string, version: string, files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const [path, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    parts.push(header(`${name}-${version}/${path}`, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
