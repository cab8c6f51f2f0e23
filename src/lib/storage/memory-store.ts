// In-memory adapter for tests and `storage.backend = "memory"`: same semantics as the others,
// nothing survives the process.
import type { Readable } from 'node:stream';
import type { ByteRange, ListOptions, ListPage, MoveOptions, ObjectInfo, ObjectStore, PutOptions } from './object-store.js';
import { NotFound, PreconditionFailed, TruncateBeyondEnd } from './errors.js';
import { assertValidKey, assertValidPrefix } from './keys.js';
import { collect, resolveRange } from './body.js';
import { BytesBody } from './bytes-body.js';
import { paginate } from './paginate.js';

interface Entry { bytes: Buffer; info: ObjectInfo }

export class MemoryStore implements ObjectStore {
  readonly kind = 'memory';
  private readonly objects = new Map<string, Entry>();
  private version = 0;

  async stat(key: string): Promise<ObjectInfo | undefined> {
    assertValidKey(key);
    const entry = this.objects.get(key);
    return entry && { ...entry.info };
  }

  async get(key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    assertValidKey(key);
    const entry = this.objects.get(key);
    if (!entry) throw NotFound(key);
    let bytes = entry.bytes;
    if (range) {
      const { start, end } = resolveRange(key, bytes.length, range);
      bytes = bytes.subarray(start, end + 1);
    }
    return { info: { ...entry.info }, body: new BytesBody(bytes) };
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<ObjectInfo> {
    assertValidKey(key);
    const bytes = await collect(body);
    // Checked after the body is read, as a real backend decides at commit time.
    const current = this.objects.get(key);
    if (options.ifNoneMatch === '*' && current) throw PreconditionFailed(key);
    if (options.ifMatch !== undefined && current?.info.etag !== options.ifMatch) throw PreconditionFailed(key);
    const info = { key, size: bytes.length, etag: `m${++this.version}`, modified: new Date() };
    this.objects.set(key, { bytes, info });
    return { ...info };
  }

  async move(from: string, to: string, options: MoveOptions = {}): Promise<void> {
    assertValidKey(from);
    assertValidKey(to);
    const entry = this.objects.get(from);
    if (!entry) throw NotFound(from);
    if (options.ifNoneMatch === '*' && this.objects.has(to)) throw PreconditionFailed(to);
    this.objects.delete(from);
    this.objects.set(to, { bytes: entry.bytes, info: { ...entry.info, key: to, etag: `m${++this.version}` } });
  }

  async writeAt(key: string, offset: number, body: Readable): Promise<number> {
    assertValidKey(key);
    const bytes = await collect(body);
    const before = this.objects.get(key)?.bytes ?? Buffer.alloc(0);
    const after = Buffer.alloc(Math.max(before.length, offset + bytes.length));
    before.copy(after);
    bytes.copy(after, offset);
    this.objects.set(key, { bytes: after, info: { key, size: after.length, etag: `m${++this.version}`, modified: new Date() } });
    return bytes.length;
  }

  async truncate(key: string, size: number): Promise<ObjectInfo> {
    assertValidKey(key);
    const entry = this.objects.get(key);
    if (!entry) throw NotFound(key);
    if (entry.bytes.length < size) throw TruncateBeyondEnd(key, entry.bytes.length, size);
    const info = { key, size, etag: `m${++this.version}`, modified: new Date() };
    this.objects.set(key, { bytes: entry.bytes.subarray(0, size), info });
    return { ...info };
  }

  async delete(key: string): Promise<boolean> {
    assertValidKey(key);
    return this.objects.delete(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort();
    return paginate(keys.map((k) => ({ ...this.objects.get(k)!.info })), prefix, options);
  }

  async check(): Promise<void> {}

  async close(): Promise<void> {}
}
