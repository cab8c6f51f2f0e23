// The one storage port. Every format and the blob store sit above it; only src/lib/storage/
// knows a filesystem or S3. Keys are relative, '/'-separated, validated by keys.ts.
//
// Layout above the port (drawn once, owned by blobs/ and each format):
//   blobs/sha256/<2 hex>/<64 hex>        content-addressed bytes, visible only once verified
//   tmp/<uuid>                           blob writes in progress (cleaned after storage.temp_ttl)
//   repos/<format>/<name>/...            small JSON documents, updated by compare-and-swap
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  /** Changes on every write of the key; what conditional puts compare against. */
  etag: string;
  modified: Date;
}

/** Inclusive byte range, as in HTTP: bytes start..end. `end` omitted reads to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface PutOptions {
  /** Write only if the current object has this etag (else PreconditionFailed). */
  ifMatch?: string;
  /** '*': write only if the key does not exist yet (else PreconditionFailed). */
  ifNoneMatch?: '*';
  /** Known length of a stream body; lets adapters avoid multipart for small bodies. */
  size?: number;
  /**
   * false: the caller can lose this object in a crash (fs: no fsync before the rename; after a
   * power loss the key may be missing, empty or an earlier version, never a mix). Only for state
   * whose loss is harmless, never for bytes or records a client was told are stored.
   */
  durable?: false;
}

export interface DeleteOptions {
  /**
   * The caller never writes this key conditionally (ifMatch/ifNoneMatch), so the delete need not
   * wait for a compare-and-swap in flight (fs: no lock file).
   */
  unconditionalKey?: true;
}

export interface MoveOptions {
  /**
   * '*': move only if `to` does not exist yet, decided atomically by the backend (else
   * PreconditionFailed, and `from` is left in place for the caller). This is how a writer learns
   * that it, and no one else, created `to`.
   */
  ifNoneMatch?: '*';
}

export interface ListOptions {
  /** Return keys strictly after this one (the `cursor` of the previous page). */
  cursor?: string;
  /** Page size; adapters cap it at 1000. */
  limit?: number;
  /** '/': group keys below the next '/' into `prefixes` instead of listing them. */
  delimiter?: '/';
}

export interface ListPage {
  /** Objects in ascending key order. */
  items: ObjectInfo[];
  /** With a delimiter: the "directories" directly under the prefix, each ending in '/'. */
  prefixes: string[];
  /** Present when more keys follow: pass it as `cursor` to get them. */
  cursor?: string;
}

export interface ObjectStore {
  readonly kind: string;
  /** Metadata of a key, or undefined when it does not exist. */
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Streams an object (or a range of it). NotFound when missing; RangeNotSatisfiable past the end. */
  get(key: string, range?: ByteRange): Promise<{ info: ObjectInfo; body: Readable }>;
  /** Writes an object atomically: readers see the old or the new bytes, never a mix or a prefix. */
  put(key: string, body: Readable | Buffer, options?: PutOptions): Promise<ObjectInfo>;
  /**
   * Renames atomically where the backend can (fs), else copy then delete (S3). Replaces `to`,
   * unless `ifNoneMatch: '*'` asks for a no-replace create (see MoveOptions and each adapter).
   */
  move(from: string, to: string, options?: MoveOptions): Promise<void>;
  /** Removes a key; true if it existed. Idempotent. */
  delete(key: string, options?: DeleteOptions): Promise<boolean>;
  /** One page of keys starting with `prefix`. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Throws StorageUnavailable when the backend cannot serve requests (used by /ready). */
  check(): Promise<void>;
  /**
   * A time-limited URL from which a client can GET the object directly from the backend, for
   * adapters that have one (S3); absent elsewhere. Does not check that the key exists.
   */
  presignGet?(key: string, expiresInSeconds: number): Promise<string>;
  /**
   * Scratch objects written in place (fs and memory; absent elsewhere): writes `body` into `key`
   * from byte `offset` on, creating the object when missing and keeping the bytes before
   * `offset`; returns the bytes written. Neither atomic nor durable: a failed write may leave
   * any prefix of `body` behind (past what the caller records), readers must ask for ranges the
   * caller knows were written, and only `truncate` makes the object durable.
   */
  writeAt?(key: string, offset: number, body: Readable): Promise<number>;
  /**
   * Cuts a scratch object written by `writeAt` to its first `size` bytes (NotFound when missing;
   * shorter than `size` is an error), syncs it to disk and gives it a fresh modified time.
   */
  truncate?(key: string, size: number): Promise<ObjectInfo>;
  close(): Promise<void>;
}

/** Every object under a prefix, page by page. */
export async function* listAll(store: ObjectStore, prefix: string, options: Omit<ListOptions, 'cursor'> = {}): AsyncGenerator<ObjectInfo> {
  let cursor: string | undefined;
  do {
    const page: ListPage = await store.list(prefix, { ...options, ...(cursor === undefined ? {} : { cursor }) });
    yield* page.items;
    cursor = page.cursor;
  } while (cursor !== undefined);
}
