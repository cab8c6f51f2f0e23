// Builds real .crate files (gzipped tar archives of <name>-<version>/...) in memory, so tests can
// publish crates that stock cargo unpacks and compiles, and craft hostile archives.
import { gzipSync } from 'node:zlib';

export interface TarEntry { path: string; data?: string | Buffer; type?: string; link?: string }

function header(path: string, size: number, type: string, link: string): Buffer {
  const block = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => block.write(value, offset, length, 'utf8');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  field(0, 100, path);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, '        ');
  field(156, 1, type);
  field(157, 100, link);
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, `${octal(sum, 7)}\0`);
  return block;
}

/** A gzipped tar of `entries`, in order. */
export function tarGz(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const { path, data = '', type = '0', link = '' } of entries) {
    const bytes = Buffer.from(data);
    parts.push(header(path, bytes.length, type, link), bytes, Buffer.alloc((512 - (bytes.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

/** A .crate holding `files` (relative paths) under `<name>-<version>/`. */
export function crateTarball(name: string, version: string, files: Record<string, string>): Buffer {
  return tarGz(Object.entries(files).map(([path, data]) => ({ path: `${name}-${version}/${path}`, data })));
}
