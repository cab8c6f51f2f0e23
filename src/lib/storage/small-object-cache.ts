// The fs store's last-read small objects (tag and manifest documents, manifests), each with the
// etag of the file it was read from. A read stats the file and, when the etag is unchanged, answers
// from memory: one stat instead of open, stat, read and close. Every write on the fs store renames
// a fresh file into place (a new inode and mtime, so a new etag), so an unchanged etag means
// unchanged bytes, whichever server process on the same directory wrote last. Bounded in entries
// and bytes; the oldest read goes first.
import type { ObjectInfo } from './object-store.js';

/** `file`: where the object was read from, so a repeat read needs no path built again. */
export interface Entry { info: ObjectInfo; bytes: Buffer; file: string }

export class SmallObjectCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(private readonly maxEntries: number, private readonly maxBytes: number) {}

  /** The bytes read from `key` when its file still has `etag`. */
  get(key: string, etag: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.info.etag !== etag) {
      this.delete(key);
      return undefined;
    }
    // Most recently used last, so eviction takes the first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /** The entry of `key`, unchecked and left in its place (get() checks its etag). */
  peek(key: string): Entry | undefined {
    return this.entries.get(key);
  }

  set(key: string, info: ObjectInfo, bytes: Buffer, file: string): void {
    this.delete(key);
    if (bytes.length > this.maxBytes) return;
    this.entries.set(key, { info, bytes, file });
    this.bytes += bytes.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes.length;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes.length;
  }
}
