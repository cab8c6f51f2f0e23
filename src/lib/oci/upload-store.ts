// Blob upload sessions kept entirely in the store, so a restarted server, or another server on
// the same bucket, continues a session: a state document (updated by compare-and-swap) plus one
// object per PATCH, or, on stores that write in place (fs), one data file this server writes
// every PATCH into (upload-data-file.ts). Completion streams the chunks in order through the
// verifying blob writer, or moves the data file into place when this server hashed every byte;
// nothing holds a whole blob in memory. Sessions untouched for `ttl` are expired.
// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-a-blob-in-chunks
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import { putHashed } from '../blobs/hashed-put.js';
import { HashingStream } from '../blobs/hashing-stream.js';
import { passHandOver } from '../streams/handed-over.js';
import { StorageError } from '../storage/errors.js';
import { pipeline } from 'node:stream/promises';
import { dataFileName, exclusive } from './upload-data-file.js';
import { OciErrors } from './errors.js';
import { layout } from './layout.js';
import { UploadHashes } from './upload-hashes.js';

/** `size` bytes of the upload from `start` on, held in `key` from its first byte (a data file may hold more). */
export interface UploadChunk { key: string; start: number; size: number }

export interface UploadState {
  id: string;
  name: string;
  started: string;
  /** Epoch ms of the last change; expiry counts from here. */
  updated: number;
  /** Bytes received so far: the next chunk must start here. */
  size: number;
  chunks: UploadChunk[];
}

/**
 * How the session's state is written: not synced. Losing it in a power loss only loses the
 * session (the client gets BLOB_UPLOAD_UNKNOWN and starts the upload again); an earlier version
 * surviving cannot store a wrong blob, since closing verifies the digest of the bytes it reads
 * (as it must for PATCH bytes, which are not synced before the close either).
 */
const VOLATILE = { durable: false } as const;
/** Chunks, data files and the expiry entry are never written conditionally. */
const UNCONDITIONAL = { unconditionalKey: true } as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class UploadStore {
  /**
   * `now` is the clock expiry is measured with (tests drive it); `hashes` the running sha256 of
   * the sessions whose chunks came through this server (shared by every UploadStore of a registry).
   */
  constructor(
    private readonly store: ObjectStore,
    readonly ttlMs: number,
    readonly now: () => number = () => Date.now(),
    readonly hashes: UploadHashes = new UploadHashes(),
  ) {}

  /** The sha256 hex of the whole upload when this server hashed every byte of it as it arrived, else undefined. */
  digestSoFar(state: UploadState): string | undefined {
    return this.hashes.digest(state.id, state.size);
  }

  async start(name: string): Promise<UploadState> {
    const id = randomUUID();
    const state: UploadState = { id, name, started: new Date(this.now()).toISOString(), updated: this.now(), size: 0, chunks: [] };
    // The entry expiry finds sessions by stays durable (synced): without it a session's files
    // would never be swept. It is written first, so every state has one.
    await this.store.put(layout.openUpload(id), Buffer.from(JSON.stringify({ name })));
    await this.store.put(layout.uploadState(name, id), Buffer.from(JSON.stringify(state)), { ifNoneMatch: '*', ...VOLATILE });
    return state;
  }

  /**
   * The session's state; undefined when absent, or unreadable: the state is not synced
   * (VOLATILE), so after a power loss it may be empty or torn, and that session is lost.
   */
  private async readState(name: string, id: string): Promise<UploadState | undefined> {
    try {
      return (await readDocument<UploadState>(this.store, layout.uploadState(name, id)))?.value;
    } catch (error) {
      if (error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** The session, or BLOB_UPLOAD_UNKNOWN (malformed id, finished, cancelled, expired). */
  async get(name: string, id: string, now = this.now()): Promise<UploadState> {
    if (!UUID.test(id)) throw OciErrors.BLOB_UPLOAD_UNKNOWN(id.slice(0, 80));
    const state = await this.readState(name, id);
    if (!state) throw OciErrors.BLOB_UPLOAD_UNKNOWN(id);
    if (now - state.updated > this.ttlMs) {
      await this.remove(state);
      throw OciErrors.BLOB_UPLOAD_UNKNOWN(id);
    }
    return state;
  }

  /**
   * Appends `body` at `start` (default: the current end). A chunk that does not start at the end
   * is CHUNK_OUT_OF_ORDER (416), also when another writer appended first; `length`, when
   * declared, must match the bytes received (SIZE_INVALID).
   */
  async append(state: UploadState, body: Readable, options: { start?: number; length?: number } = {}): Promise<UploadState> {
    const start = options.start ?? state.size;
    if (start !== state.size) throw OciErrors.CHUNK_OUT_OF_ORDER(state.size, start);
    const data = this.dataFile(state);
    if (data !== undefined && ownedBy(state, data)) {
      const next = await exclusive(state.id, () => this.appendInPlace(state, data, body, start, options.length));
      if (next) return next;
    }
    const key = `${layout.upload(state.name, state.id)}chunk-${String(start).padStart(15, '0')}-${randomUUID().slice(0, 8)}`;
    const hash = this.hashes.continueAt(state.id, start);
    const { size } = await putHashed(this.store, key, body, { algorithms: [], ...(hash ? { feed: hash } : {}), ...(options.length === undefined ? {} : { maxSize: options.length }), label: 'chunk' })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'TOO_LARGE') throw OciErrors.SIZE_INVALID(`the chunk is longer than the ${options.length} bytes declared`);
        throw error;
      });
    if (options.length !== undefined && size !== options.length) {
      await this.store.delete(key, UNCONDITIONAL);
      throw OciErrors.SIZE_INVALID(`the chunk declared ${options.length} bytes but ${size} arrived`);
    }
    let conflict: number | undefined;
    const next = await updateDocument<UploadState>(this.store, layout.uploadState(state.name, state.id), (current) => {
      conflict = undefined;
      if (!current) return undefined;
      if (current.size !== start) { conflict = current.size; return undefined; }
      const chunks = size > 0 ? [...current.chunks, { key, start, size }] : current.chunks;
      return { ...current, size: start + size, chunks, updated: this.now() };
    }, VOLATILE);
    if (!next || conflict !== undefined || size === 0) await this.store.delete(key, UNCONDITIONAL).catch(() => undefined);
    if (!next) throw OciErrors.BLOB_UPLOAD_UNKNOWN(state.id);
    if (conflict !== undefined) throw OciErrors.CHUNK_OUT_OF_ORDER(conflict, start);
    this.hashes.settle(state.id, hash, next.size);
    return next;
  }

  /** This server's data file of the session, on stores that write in place; else undefined. */
  private dataFile(state: Pick<UploadState, 'name' | 'id'>): string | undefined {
    return this.store.writeAt && this.store.truncate ? `${layout.upload(state.name, state.id)}${dataFileName}` : undefined;
  }

  /**
   * A PATCH written into the data file at `start` (the recorded size, re-checked here, under the
   * session's lock), then recorded. Bytes of a PATCH that failed stay past the recorded size, for
   * the next PATCH to overwrite. Undefined when the session's bytes are no longer all in the data
   * file (another server appended): the caller writes a chunk object instead.
   */
  private async appendInPlace(state: UploadState, data: string, body: Readable, start: number, length: number | undefined): Promise<UploadState | undefined> {
    const stateKey = layout.uploadState(state.name, state.id);
    const current = await this.readState(state.name, state.id);
    if (!current) throw OciErrors.BLOB_UPLOAD_UNKNOWN(state.id);
    if (current.size !== start) throw OciErrors.CHUNK_OUT_OF_ORDER(current.size, start);
    if (!ownedBy(current, data)) return undefined;
    const hash = this.hashes.continueAt(state.id, start);
    const hashing = passHandOver(body, new HashingStream({ algorithms: [], ...(hash ? { feed: hash } : {}), ...(length === undefined ? {} : { maxSize: length }), label: 'chunk' }));
    const written = this.store.writeAt!(data, start, hashing);
    try {
      await Promise.all([pipeline(body, hashing), written]);
    } catch (error) {
      hashing.destroy();
      const refusal = await written.then(() => undefined, (e: unknown) => e);
      if ((error as { code?: string }).code === 'TOO_LARGE') throw OciErrors.SIZE_INVALID(`the chunk is longer than the ${length} bytes declared`);
      throw refusal instanceof StorageError ? refusal : error;
    }
    const size = hashing.size;
    if (length !== undefined && size !== length) throw OciErrors.SIZE_INVALID(`the chunk declared ${length} bytes but ${size} arrived`);
    let conflict: number | undefined;
    const next = await updateDocument<UploadState>(this.store, stateKey, (latest) => {
      conflict = undefined;
      if (!latest) return undefined;
      if (latest.size !== start || !ownedBy(latest, data)) { conflict = latest.size; return undefined; }
      const chunks = start + size > 0 ? [{ key: data, start: 0, size: start + size }] : latest.chunks;
      return { ...latest, size: start + size, chunks, updated: this.now() };
    }, VOLATILE);
    if (!next) {
      // Cancelled or expired while this PATCH wrote: its file may have been created anew.
      await this.store.delete(data, UNCONDITIONAL).catch(() => undefined);
      throw OciErrors.BLOB_UPLOAD_UNKNOWN(state.id);
    }
    if (conflict !== undefined) throw OciErrors.CHUNK_OUT_OF_ORDER(conflict, start);
    this.hashes.settle(state.id, hash, next.size);
    return next;
  }

  /**
   * When every byte of the session is in this server's data file, and the session is still as
   * `state` says: the file cut to the recorded size and synced, handed to `use` (which moves it
   * into place) under the session's lock, so no PATCH writes into it meanwhile. Else undefined.
   */
  async withDataFile<T>(state: UploadState, use: (key: string) => Promise<T>): Promise<T | undefined> {
    const data = this.dataFile(state);
    if (data === undefined || state.chunks.length !== 1 || state.chunks[0]!.key !== data) return undefined;
    return exclusive(state.id, async () => {
      const current = await this.readState(state.name, state.id);
      if (current?.size !== state.size || !ownedBy(current, data)) return undefined;
      await this.store.truncate!(data, state.size);
      return use(data);
    });
  }

  /**
   * True when some of the session's bytes are in a data file (of any server): such a file may
   * hold bytes past the recorded ones, so it is never moved or joined whole, only read by range.
   */
  inDataFile(state: UploadState): boolean {
    const prefix = `${layout.upload(state.name, state.id)}data-`;
    return state.chunks.some((chunk) => chunk.key.startsWith(prefix));
  }

  /** The upload's bytes, chunk after chunk, streamed from the store. */
  read(state: UploadState): Readable {
    const store = this.store;
    return Readable.from((async function* () {
      for (const chunk of state.chunks) {
        // A range: a data file may hold bytes of a failed PATCH past the recorded ones.
        const { body } = await store.get(chunk.key, { start: 0, end: chunk.size - 1 });
        yield* body;
      }
    })(), { objectMode: false });
  }

  /**
   * Deletes the session's chunks and state; idempotent. Only the state is written by
   * compare-and-swap, so only its delete waits for one in flight (a PATCH's swap landing after
   * the delete would bring back a state no expiry entry points to); the chunks, data files and
   * the expiry entry are only ever written unconditionally.
   */
  async remove(state: Pick<UploadState, 'name' | 'id'>): Promise<void> {
    this.hashes.forget(state.id);
    for await (const info of listAll(this.store, layout.upload(state.name, state.id))) {
      if (!info.key.endsWith('/state')) await this.store.delete(info.key, UNCONDITIONAL);
    }
    await this.store.delete(layout.uploadState(state.name, state.id));
    await this.store.delete(layout.openUpload(state.id), UNCONDITIONAL);
  }

  /** Removes sessions idle for longer than the TTL; returns how many. */
  async sweep(now = this.now()): Promise<number> {
    let removed = 0;
    for await (const info of listAll(this.store, layout.openUploads)) {
      const id = info.key.slice(layout.openUploads.length);
      const open = (await readDocument<{ name: string }>(this.store, info.key))?.value;
      if (!open) continue;
      const state = await this.readState(open.name, id);
      if (state && now - state.updated <= this.ttlMs) continue;
      if (!state && now - info.modified.getTime() <= this.ttlMs) continue;
      await this.remove({ name: open.name, id });
      removed++;
    }
    return removed;
  }
}

/** True when all of the session's bytes (none, or every one) are in the data file `data`. */
function ownedBy(state: UploadState, data: string): boolean {
  return state.chunks.length === 0 || (state.chunks.length === 1 && state.chunks[0]!.key === data && state.chunks[0]!.start === 0);
}
