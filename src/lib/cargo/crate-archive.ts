// Checks a .crate while it streams into the blob store: a gzip of a tar archive whose every
// entry lies under `<name>-<version>/` (no `..`, no absolute paths, no links leaving it) and
// which holds `<name>-<version>/Cargo.toml`, unpacking to at most a set size. A .crate that
// fails is refused before it becomes visible, so consumers never download what cargo would
// refuse to unpack. Handles ustar prefixes, GNU long names (L) and pax `path` records (x).
import type { Gunzip } from 'node:zlib';
import { once } from 'node:events';
import { CargoErrors } from './errors.js';

const BLOCK = 512;
/** Largest GNU long-name (L) or pax (x) record: a path needs a few KiB; they are held in memory. */
const MAX_RECORD = 64 * 1024;

class TarWalker {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of entry data still to skip (or collect, for L/x records), padded to blocks. */
  private skip = 0;
  private collect: { kind: 'L' | 'x'; size: number; data: Buffer[]; got: number } | undefined;
  private longName: string | undefined;
  private ended = false;
  unpacked = 0;
  sawManifest = false;

  constructor(private readonly root: string, private readonly maxUnpacked: number) {}

  push(data: Buffer): void {
    this.unpacked += data.length;
    if (this.unpacked > this.maxUnpacked) throw CargoErrors.INVALID_FRAME(`the .crate unpacks to more than ${this.maxUnpacked} bytes`);
    if (this.ended) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    while (!this.ended) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buffer.length);
        if (this.collect && this.collect.got < this.collect.size) {
          const take = this.buffer.subarray(0, Math.min(n, this.collect.size - this.collect.got));
          this.collect.data.push(take);
          this.collect.got += take.length;
        }
        this.buffer = this.buffer.subarray(n);
        this.skip -= n;
        if (this.skip > 0) return;
        if (this.collect) this.finishRecord();
        continue;
      }
      if (this.buffer.length < BLOCK) return;
      const header = this.buffer.subarray(0, BLOCK);
      this.buffer = this.buffer.subarray(BLOCK);
      this.entry(header);
    }
  }

  private finishRecord(): void {
    const { kind, data } = this.collect!;
    this.collect = undefined;
    const text = Buffer.concat(data).toString('utf8');
    if (kind === 'L') this.longName = text.replace(/\0.*$/s, '');
    else {
      const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
      if (path !== undefined) this.longName = path;
    }
  }

  private entry(header: Buffer): void {
    if (header.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const field = (offset: number, length: number) => header.subarray(offset, offset + length).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0) throw this.bad('has a corrupt tar header');
    const type = field(156, 1) || '0';
    this.skip = Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L' || type === 'x') {
      if (size > MAX_RECORD) throw this.bad(`has a ${size}-byte ${type === 'L' ? 'long-name' : 'pax'} record (at most ${MAX_RECORD})`);
      this.collect = { kind: type, size, data: [], got: 0 };
      if (this.skip === 0) this.finishRecord();
      return;
    }
    if (type === 'g') return;
    // Only POSIX ustar has a path prefix there; GNU headers ("ustar  ") keep times in that place.
    const ustar = header.subarray(257, 263).toString('latin1') === 'ustar\0' ? field(345, 155) : '';
    const path = this.longName ?? (ustar ? `${ustar}/${field(0, 100)}` : field(0, 100));
    this.longName = undefined;
    this.checkPath(path, type, field(157, 100));
  }

  private checkPath(path: string, type: string, linkTarget: string): void {
    const parts = path.split('/');
    if (parts[0] !== this.root || parts.length < 2 || parts.some((p) => p === '..') || path.includes('\\')) {
      throw this.bad(`has the entry ${JSON.stringify(path)} outside ${this.root}/`);
    }
    if ((type === '1' || type === '2') && (linkTarget.startsWith('/') || linkTarget.split('/').includes('..'))) {
      throw this.bad(`has the link ${JSON.stringify(path)} pointing outside the crate`);
    }
    if (path === `${this.root}/Cargo.toml`) this.sawManifest = true;
  }

  finish(): void {
    if (!this.sawManifest) throw this.bad(`has no ${this.root}/Cargo.toml`);
  }

  private bad(why: string) {
    return CargoErrors.INVALID_FRAME(`the .crate ${why}`);
  }
}

/** Passes the .crate through unchanged, failing before the end if its archive is not acceptable. */
export async function* checkCrateArchive(source: AsyncIterable<Buffer>, name: string, version: string, maxUnpacked: number): AsyncGenerator<Buffer> {
  const walker = new TarWalker(`${name}-${version}`, maxUnpacked);
  // node:zlib loads with the first crate read, not at every start (issue 23).
  const gunzip: Gunzip = process.getBuiltinModule('node:zlib').createGunzip();
  let failure: unknown;
  gunzip.on('data', (data: Buffer) => {
    try {
      walker.push(data);
    } catch (error) {
      failure ??= error;
      gunzip.destroy();
    }
  });
  gunzip.on('error', (error) => { failure ??= CargoErrors.INVALID_FRAME(`the .crate is not a valid gzip stream (${error.message})`); });
  const closed = once(gunzip, 'close').catch(() => undefined);
  try {
    for await (const chunk of source) {
      if (failure) throw failure;
      if (!gunzip.write(chunk)) await Promise.race([once(gunzip, 'drain'), closed]);
      yield chunk;
    }
    gunzip.end();
    await closed;
    if (failure) throw failure;
    walker.finish();
  } finally {
    gunzip.destroy();
  }
}
