// Filesystem adapter (the default): one file per key under a root directory.
// Writes go to <root>/.tmp, are fsynced, then renamed into place, so a reader or a crash never
// sees a partial object; a crash leaves only .tmp files, swept when the store opens.
// Compare-and-swap puts and deletes hold a per-key lock file (<root>/.locks, fs-lock.ts), so
// several processes on one directory (a server and `nora gc`) agree; a create-if-absent put and a
// no-replace move are a link(2), which refuses an existing target atomically.
import { randomUUID } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ByteRange, DeleteOptions, ListOptions, ListPage, MoveOptions, ObjectInfo, ObjectStore, PutOptions } from './object-store.js';
import { withKeyLock } from './fs-lock.js';
import { placeFile, pruneEmptyDirs } from './fs-place.js';
import { NotFound, PreconditionFailed, StorageUnavailable, StoreUnusable, TruncateBeyondEnd } from './errors.js';
import { makeDirectory } from './fs-mkdir.js';
import { assertValidKey, assertValidPrefix } from './keys.js';
import { resolveRange } from './body.js';
import { writeBody } from './fs-write.js';
import { FileBody } from './file-body.js';
import { BytesBody } from './bytes-body.js';
import { SmallObjectCache, type Entry } from './small-object-cache.js';
import { MAX_PAGE } from './paginate.js';

const TEMP_DIR = '.tmp';
const LOCK_DIR = '.locks';
/** link(2) errors of filesystems without hard links (FAT, some network and FUSE mounts). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);
const READ_CHUNK = 1024 * 1024;
/** Objects up to this size are read whole (readSmall); the first read covers most documents. */
const SMALL_OBJECT = 64 * 1024;
// Under half of Buffer.poolSize, so the first read's buffer is a slice of Node's shared pool.
const FIRST_READ = 4095;
/** Bounds of the recently read small objects kept in memory. */
const RECENT_ENTRIES = 1024;
const RECENT_BYTES = 4 * 1024 * 1024;

export interface FsStoreOptions {
  root: string;
  /** Leftover temp files older than this are removed when the store opens. */
  tempTtlMs?: number;
  /**
   * Folders (keys ending in "/") kept when their last object goes: a format's session folders,
   * emptied by every finished upload and needed again by the next (pruning cost an rmdir, then a
   * failed rename and a mkdir per upload). The root's own children are always kept.
   */
  keepFolder?: (folder: string) => boolean;
}

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

export class FsStore implements ObjectStore {
  readonly kind = 'fs';
  readonly root: string;
  /** The root with its separator: a valid key's file is this plus the key (see file()). */
  private readonly rootPrefix: string;
  private readonly keepFolder: ((folder: string) => boolean) | undefined;
  /** Small objects read lately, answered from memory while their file is unchanged (small-object-cache.ts). */
  private readonly recent = new SmallObjectCache(RECENT_ENTRIES, RECENT_BYTES);

  constructor(options: FsStoreOptions) {
    this.root = path.resolve(options.root);
    this.rootPrefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    this.keepFolder = options.keepFolder;
  }

  /** Creates the root (unless it must exist already) and sweeps temp files a crash may have left. */
  async open(tempTtlMs = 24 * 3600_000): Promise<this> {
    try {
      await makeDirectory(this.root);
      await makeDirectory(path.join(this.root, TEMP_DIR));
      await makeDirectory(path.join(this.root, LOCK_DIR));
    } catch (error) {
      throw StoreUnusable(this.root, describeFsError(error), error);
    }
    await this.sweepTemp(tempTtlMs);
    return this;
  }

  async sweepTemp(olderThanMs: number): Promise<number> {
    const dir = path.join(this.root, TEMP_DIR);
    let removed = 0;
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > olderThanMs) {
        await fs.rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  private file(key: string): string {
    assertValidKey(key);
    // A valid key has no empty, '.' or '..' segment, so joining would change nothing where '/' is
    // the separator; only elsewhere are its slashes turned into the platform's.
    return path.sep === '/' ? this.rootPrefix + key : path.join(this.root, ...key.split('/'));
  }

  private info(key: string, stat: Stats): ObjectInfo {
    return { key, size: stat.size, etag: etagOf(stat), modified: stat.mtime };
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const file = this.file(key);
    try {
      const stat = await fs.stat(file);
      return stat.isFile() ? this.info(key, stat) : undefined;
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return undefined;
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }> {
    const recent = range ? undefined : this.recent.peek(key);
    if (recent) {
      const hit = await this.readRecent(key, recent);
      if (hit) return hit;
    }
    const file = recent?.file ?? this.file(key);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r');
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR') || isCode(error, 'EISDIR')) throw NotFound(key);
      throw error;
    }
    try {
      // Stat the open descriptor: a concurrent replace cannot change what we stream.
      const small = range ? undefined : await this.readSmall(key, handle, file);
      if (small && !('isFile' in small)) return small;
      const stat = small ?? await handle.stat();
      if (!stat.isFile()) throw NotFound(key);
      const info = this.info(key, stat);
      const { start, end } = range ? resolveRange(key, stat.size, range) : { start: 0, end: stat.size - 1 };
      // Large objects (layers, tarballs) stream in 1 MiB reads: 16x fewer syscalls and event-loop
      // turns than the 64 KiB default, from recycled buffers when sent to a client (file-body.ts).
      if (end - start >= READ_CHUNK) return { info, body: new FileBody(handle, start, end, READ_CHUNK) };
      return { info, body: handle.createReadStream({ start, end, autoClose: true, highWaterMark: 64 * 1024 }) };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * An object of up to SMALL_OBJECT bytes (tag and manifest documents, manifests) read whole: the
   * stat and a first read go out together, so it costs two trips to the thread pool (open, then
   * stat beside read) instead of five (open, stat, read, the read that finds the end, close), and
   * its close is not waited for. Both calls use the open descriptor, whose file a put never
   * rewrites (it renames a new one into place), so the stat and the bytes are of one version.
   * A larger object gets its stat back, for the caller to stream it.
   */
  private async readSmall(key: string, handle: fs.FileHandle, file: string): Promise<{ info: ObjectInfo; body: Readable } | Stats> {
    const first = Buffer.allocUnsafe(FIRST_READ);
    const [stat, read] = await Promise.all([handle.stat(), handle.read(first, 0, FIRST_READ, 0).catch((error: unknown) => error as Error)]);
    if (!stat.isFile()) throw NotFound(key);
    if (read instanceof Error) throw read;
    // Larger, or written in place since the stat (writeAt scratch objects, read by range anyway).
    if (stat.size > SMALL_OBJECT || read.bytesRead > stat.size) return stat;
    let bytes = first.subarray(0, read.bytesRead);
    if (stat.size > read.bytesRead) {
      bytes = Buffer.allocUnsafe(stat.size);
      first.copy(bytes, 0, 0, read.bytesRead);
      const { bytesRead } = await handle.read(bytes, read.bytesRead, stat.size - read.bytesRead, read.bytesRead);
      if (read.bytesRead + bytesRead !== stat.size) return stat;
    }
    // Nothing waits on a read-only descriptor's close, and nothing could be done if it failed.
    handle.close().catch(() => undefined);
    const info = this.info(key, stat);
    // A copy of its own, so a cached entry does not hold a slice of Buffer's shared pool.
    const kept = Buffer.from(bytes);
    this.recent.set(key, info, kept, file);
    return { info, body: new BytesBody(kept) };
  }

  /**
   * A small object read before, from memory when its file still has the etag it was read with. The
   * entry's own info then describes the file as it is (same inode, mtime and size), so it is
   * answered as is rather than built again from the stat.
   */
  private async readRecent(key: string, cached: Entry): Promise<{ info: ObjectInfo; body: Readable } | undefined> {
    const stat = await fs.stat(cached.file).catch(() => undefined);
    if (!stat?.isFile()) return undefined;
    const entry = this.recent.get(key, etagOf(stat));
    return entry ? { info: entry.info, body: new BytesBody(entry.bytes) } : undefined;
  }

  async put(key: string, body: Readable | Buffer, options: PutOptions = {}): Promise<ObjectInfo> {
    const target = this.file(key);
    const temp = await this.writeTemp(body, options.durable !== false);
    // rename(2) keeps inode, mtime and size, so this is the etag the object will have; a stat
    // of the target after the rename could see a concurrent writer's version instead.
    let written: Stats;
    try {
      written = await fs.stat(temp);
      if (options.ifMatch === undefined && options.ifNoneMatch === undefined) {
        await placeFile(temp, target, fs.rename, true);
      } else if (options.ifMatch === undefined && await this.linkNew(temp, target, key)) {
        // Created by link(2), which checks and creates in one step: no lock file, no stat.
      } else {
        await this.withLock(key, async () => {
          const current = await this.stat(key);
          if (options.ifNoneMatch === '*' && current) throw PreconditionFailed(key);
          if (options.ifMatch !== undefined && current?.etag !== options.ifMatch) throw PreconditionFailed(key);
          // Freed inodes are reused and coarse clocks repeat mtimes: without this, a later version
          // could carry an earlier version's etag (A-B-A) and a stale compare-and-swap would pass.
          // Under the lock, each version of a document gets a strictly later mtime than the last.
          if (current && written.mtimeMs <= current.modified.getTime()) {
            const later = new Date(current.modified.getTime() + 1);
            await fs.utimes(temp, later, later);
            written = await fs.stat(temp);
          }
          await placeFile(temp, target, fs.rename, true);
        });
      }
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    return this.info(key, written);
  }

  /**
   * Create-if-absent of a put with ifNoneMatch: link(2) refuses an existing target atomically,
   * across processes, so it needs no lock file (a delete under the key's lock cannot interleave
   * with a check that is the create itself). True when placed (the temp file is gone); false
   * where the filesystem has no hard links (the caller takes the lock path).
   */
  private async linkNew(temp: string, target: string, key: string): Promise<boolean> {
    try {
      await placeFile(temp, target, fs.link, true);
    } catch (error) {
      if (isCode(error, 'EEXIST')) throw PreconditionFailed(key);
      if (NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) return false;
      throw error;
    }
    await fs.unlink(temp);
    return true;
  }

  async writeAt(key: string, offset: number, body: Readable): Promise<number> {
    const file = this.file(key);
    // Written in place, where the etag alone might not tell a version: never answered from memory.
    this.recent.delete(key);
    // Opened without O_TRUNC: the bytes before `offset` (earlier PATCHes) stay.
    const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, flags);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
      await makeDirectory(path.dirname(file));
      handle = await fs.open(file, flags);
    }
    try {
      return await writeBody(handle, body, offset);
    } catch (error) {
      if (!body.destroyed) body.destroy();
      throw error;
    } finally {
      await handle.close();
    }
  }

  async truncate(key: string, size: number): Promise<ObjectInfo> {
    const file = this.file(key);
    this.recent.delete(key);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(file, 'r+');
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) throw NotFound(key);
      throw error;
    }
    try {
      const { size: held } = await handle.stat();
      if (held < size) throw TruncateBeyondEnd(key, held, size);
      if (held > size) await handle.truncate(size);
      // A fresh mtime: gc's grace window for the blob this becomes counts from now.
      const now = new Date();
      await handle.utimes(now, now);
      await handle.sync();
      return this.info(key, await handle.stat());
    } finally {
      await handle.close();
    }
  }

  async move(from: string, to: string, options: MoveOptions = {}): Promise<void> {
    const source = this.file(from);
    const target = this.file(to);
    try {
      if (options.ifNoneMatch === '*') await this.createFrom(source, target, to);
      else await placeFile(source, target, fs.rename);
    } catch (error) {
      if (isCode(error, 'ENOENT')) throw NotFound(from);
      throw error;
    }
    await pruneEmptyDirs(this.root, path.dirname(source), this.keepFolder);
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<boolean> {
    const file = this.file(key);
    // Under the key's lock: a conditional put that has checked its etag must not rename a new
    // version into place after the delete (that would bring a revoked token back, say). A key
    // never written conditionally has no such put to wait for.
    const unlinkFile = async () => {
      try {
        await fs.unlink(file);
        return true;
      } catch (error) {
        if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR') || isCode(error, 'EISDIR')) return false;
        throw error;
      }
    };
    const removed = options.unconditionalKey ? await unlinkFile() : await this.withLock(key, unlinkFile);
    if (removed) await pruneEmptyDirs(this.root, path.dirname(file), this.keepFolder);
    return removed;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    assertValidPrefix(prefix);
    const limit = Math.min(Math.max(options.limit ?? MAX_PAGE, 1), MAX_PAGE);
    const cut = prefix.lastIndexOf('/') + 1;
    const baseKey = prefix.slice(0, cut);
    const page: ListPage = { items: [], prefixes: [] };
    const cursor = options.cursor;
    let last: string | undefined;
    let full = false;

    const walk = async (dirKey: string): Promise<void> => {
      const dir = dirKey === '' ? this.root : path.join(this.root, ...dirKey.slice(0, -1).split('/'));
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return;
        throw error;
      }
      // Sorting directories as "name/" makes this walk yield keys in plain lexicographic order.
      const sorted = entries
        .filter((e) => !e.name.startsWith('.') && (e.isFile() || e.isDirectory()))
        .map((e) => ({ key: dirKey + e.name + (e.isDirectory() ? '/' : ''), dir: e.isDirectory() }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      for (const entry of sorted) {
        if (full) return;
        const matches = entry.key.startsWith(prefix) || (entry.dir && prefix.startsWith(entry.key));
        if (!matches) continue;
        if (entry.dir) {
          const grouped = options.delimiter && entry.key.length > prefix.length;
          if (grouped) {
            const marker = entry.key + '\uffff';
            if (cursor !== undefined && marker <= cursor) continue;
            if (page.items.length + page.prefixes.length === limit) { full = true; page.cursor = last!; return; }
            page.prefixes.push(entry.key);
            last = marker;
            continue;
          }
          // Skip subtrees that lie entirely before the cursor.
          if (cursor !== undefined && entry.key < cursor && !cursor.startsWith(entry.key)) continue;
          await walk(entry.key);
          continue;
        }
        if (cursor !== undefined && entry.key <= cursor) continue;
        const stat = await fs.stat(path.join(this.root, ...entry.key.split('/'))).catch(() => undefined);
        if (!stat?.isFile()) continue;
        if (page.items.length + page.prefixes.length === limit) { full = true; page.cursor = last!; return; }
        page.items.push(this.info(entry.key, stat));
        last = entry.key;
      }
    };
    await walk(baseKey);
    return page;
  }

  async check(): Promise<void> {
    try {
      await fs.access(path.join(this.root, TEMP_DIR), fs.constants.W_OK);
    } catch (error) {
      throw StorageUnavailable(`data directory ${this.root} is not writable (${(error as Error).message})`, error);
    }
  }

  async close(): Promise<void> {}

  /** `durable`: fsynced before it is placed (PutOptions.durable). */
  private async writeTemp(body: Readable | Buffer, durable = true): Promise<string> {
    const temp = path.join(this.root, TEMP_DIR, randomUUID());
    try {
      const handle = await fs.open(temp, 'wx');
      try {
        await writeBody(handle, body);
        // Once per object, before the rename makes it visible: durable without a sync per chunk.
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
      return temp;
    } catch (error) {
      // A body that failed mid-way may still be flowing: stop it so its source is released.
      if (!Buffer.isBuffer(body) && !body.destroyed) body.destroy();
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /**
   * No-replace move: link(2) fails with EEXIST when the target exists, atomically and across
   * processes, and never replaces it (unlike rename). Where the filesystem has no hard links,
   * the key's lock orders creators instead: exclusive against every other no-replace move.
   */
  private async createFrom(source: string, target: string, key: string): Promise<void> {
    try {
      await placeFile(source, target, fs.link);
    } catch (error) {
      if (isCode(error, 'EEXIST')) throw PreconditionFailed(key);
      if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await this.withLock(key, async () => {
        if (await this.stat(key)) throw PreconditionFailed(key);
        await placeFile(source, target, fs.rename);
      });
      return;
    }
    await fs.unlink(source);
  }

  private withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
    return withKeyLock(path.join(this.root, LOCK_DIR), key, work);
  }
}

/** Why a directory cannot be used, in words (the errno code stays for searching). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    ENOENT: 'a parent directory cannot hold new directories',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EACCES: 'permission denied',
    EPERM: 'the filesystem does not allow it',
    EROFS: 'the filesystem is read-only',
    ENOSPC: 'no space left on the device',
  };
  const message = (error as Error)?.message ?? String(error);
  return code && words[code] ? `${words[code]} (${code}: ${message.replace(/^[A-Z]+: /, '')})` : message;
}

function etagOf(stat: Stats): string {
  // Every write renames a fresh file into place, so inode plus nanosecond mtime identify a version.
  const big = stat as unknown as { ino: number; mtimeMs: number; size: number };
  return `${big.ino.toString(36)}-${Math.round(big.mtimeMs * 1000).toString(36)}-${big.size.toString(36)}`;
}
