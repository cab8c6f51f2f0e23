// Builds tiny wheels and sdists in memory for PyPI tests (no build backend, no network): a
// wheel is a zip with the package, METADATA, WHEEL and RECORD; an sdist a .tar.gz with PKG-INFO.
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { blake2b } from 'blakejs';

export interface DistOptions {
  name: string;
  version: string;
  requiresPython?: string;
  requires?: string[];
  /** Module name inside the package (default: the name with "-" and "." as "_", lowercased). */
  module?: string;
}

const moduleOf = (o: DistOptions) => o.module ?? o.name.replace(/[-.]/g, '_').toLowerCase();
const escaped = (name: string) => name.replace(/[-_.]+/g, '_');

export function metadataText(o: DistOptions): string {
  return [
    'Metadata-Version: 2.1',
    `Name: ${o.name}`,
    `Version: ${o.version}`,
    'Summary: A tiny package for NORA tests',
    ...(o.requiresPython ? [`Requires-Python: ${o.requiresPython}`] : []),
    ...(o.requires ?? []).map((r) => `Requires-Dist: ${r}`),
    '',
    '',
  ].join('\n');
}

/** A zip archive of `entries` (deflated), as Python's zipfile writes them. */
export function zip(entries: Array<[string, Buffer | string]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const data = Buffer.from(content);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** A wheel; `metadata` replaces its METADATA text. */
export function wheel(o: DistOptions, metadata = metadataText(o)): { filename: string; bytes: Buffer; metadata: string } {
  const distInfo = `${escaped(o.name)}-${o.version}.dist-info`;
  const files: Array<[string, string]> = [
    [`${moduleOf(o)}/__init__.py`, `VERSION = ${JSON.stringify(o.version)}\n`],
    [`${distInfo}/METADATA`, metadata],
    [`${distInfo}/WHEEL`, 'Wheel-Version: 1.0\nGenerator: nora-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n'],
  ];
  const record = files.map(([n, c]) => `${n},sha256=${createHash('sha256').update(c).digest('base64url')},${Buffer.byteLength(c)}`);
  files.push([`${distInfo}/RECORD`, `${record.join('\n')}\n${distInfo}/RECORD,,\n`]);
  return { filename: `${escaped(o.name)}-${o.version}-py3-none-any.whl`, bytes: zip(files), metadata };
}

function tarEntry(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100);
  header.write('0000644\0', 100); header.write('0000000\0', 108); header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148); header.write('0', 156); header.write('ustar\0', 257); header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return Buffer.concat([header, content, Buffer.alloc((512 - (content.length % 512)) % 512)]);
}

function sdistFiles(o: DistOptions, pkgInfo: string | null): Array<[string, Buffer]> {
  const base = `${escaped(o.name).toLowerCase()}-${o.version}`;
  const setup = `from setuptools import setup\nsetup(name=${JSON.stringify(o.name)}, version=${JSON.stringify(o.version)}, packages=[${JSON.stringify(moduleOf(o))}])\n`;
  return [
    ...(pkgInfo === null ? [] : [[`${base}/PKG-INFO`, Buffer.from(pkgInfo)] as [string, Buffer]]),
    [`${base}/setup.py`, Buffer.from(setup)],
    [`${base}/${moduleOf(o)}/__init__.py`, Buffer.from(`VERSION = ${JSON.stringify(o.version)}\n`)],
  ];
}

/** A .tar.gz sdist; `pkgInfo` replaces its PKG-INFO text (null: none at all). */
export function sdist(o: DistOptions, pkgInfo: string | null = metadataText(o)): { filename: string; bytes: Buffer } {
  const tar = Buffer.concat([...sdistFiles(o, pkgInfo).map(([name, content]) => tarEntry(name, content)), Buffer.alloc(1024)]);
  return { filename: `${escaped(o.name).toLowerCase()}-${o.version}.tar.gz`, bytes: gzipSync(tar) };
}

/** A legacy .zip sdist with the same files. */
export function zipSdist(o: DistOptions, pkgInfo: string | null = metadataText(o)): { filename: string; bytes: Buffer } {
  return { filename: `${escaped(o.name).toLowerCase()}-${o.version}.zip`, bytes: zip(sdistFiles(o, pkgInfo)) };
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
export const blake2_256 = (b: Buffer) => Buffer.from(blake2b(b, undefined, 32)).toString('hex');

/** A multipart/form-data body as twine sends it: fields first, then `content`. */
export function uploadForm(fields: Record<string, string | undefined>, file?: { filename: string; bytes: Buffer }, boundary = 'nora-test-boundary'): { body: Buffer; contentType: string } {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** twine's fields for a file. */
export function twineFields(o: DistOptions, file: { filename: string; bytes: Buffer }): Record<string, string> {
  return {
    ':action': 'file_upload', protocol_version: '1', metadata_version: '2.1', name: o.name, version: o.version,
    filetype: file.filename.endsWith('.whl') ? 'bdist_wheel' : 'sdist', pyversion: file.filename.endsWith('.whl') ? 'py3' : 'source',
    summary: 'A tiny package for NORA tests', ...(o.requiresPython ? { requires_python: o.requiresPython } : {}),
    md5_digest: md5(file.bytes), sha256_digest: sha256(file.bytes), blake2_256_digest: blake2_256(file.bytes),
  };
}
