// `nora backup`: a consistent snapshot of a live store as one streamed tar.gz. Metadata is read
// first, at one point, and held in memory (small documents); then the blob list is taken. Blobs
// are immutable and only garbage collection removes them, so every blob the snapshot's metadata
// references is in that list (one that GC removes meanwhile was unreferenced, and is left out).
// Archive layout, in this order:
//   store/<key>              metadata objects (sha256 in the manifest)
//   store/blobs/<alg>/..     blobs, streamed from the store (their key is their digest)
//   files/<name>             local files the store needs beside it (the htpasswd users file)
//   manifest.json            last: format, creation time, every entry with size, digest, mtime;
//                            an archive cut short has none, so restore refuses it
// Entry mtimes are the objects' modification times; push dates live inside the documents.
import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ObjectStore } from '../storage/object-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { collect } from '../storage/body.js';
import { isStorageError } from '../storage/errors.js';
import { blobKey } from '../blobs/digest.js';
import { metadataObjects } from './store-walk.js';

// node:zlib loads on first use, not at every start (issue 23).
const zlib = () => process.getBuiltinModule('node:zlib');

export const BACKUP_FORMAT = 'nora-backup/1';

export interface BackupManifest {
  format: string;
  created: string;
  objects: { key: string; size: number; sha256: string; modified: string }[];
  blobs: { digest: string; size: number; modified: string }[];
  files?: { name: string; size: number; sha256: string }[];
}

/** total 0: not known yet. totalBytes: the blob phase's byte total (taken from the blob listing). */
export interface BackupProgress { phase: 'metadata' | 'blobs'; done: number; total: number; bytes: number; totalBytes: number }
export interface BackupReport { objects: number; blobs: number; bytes: number; durationMs: number }

export interface BackupOptions {
  includeSecrets?: boolean;
  /** Local files to carry by name (e.g. { htpasswd: <bytes> }). */
  files?: Record<string, Buffer>;
  onProgress?: (progress: BackupProgress) => void;
  /** Keys of in-flight state to leave out (see transientKeys in formats.ts). */
  skip?: (key: string) => boolean;
}

function addEntry(pack: tar.Pack, header: { name: string; size?: number; mtime?: Date }, body: Buffer | NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (Buffer.isBuffer(body)) {
      pack.entry(header, body, (error) => (error ? reject(error) : resolve()));
      return;
    }
    const sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    pipeline(body, sink).catch(reject);
  });
}

/** Streams a backup of `store` into `out` (gzip-compressed tar). */
export async function writeBackup(store: ObjectStore, blobs: BlobStore, out: Writable, options: BackupOptions = {}): Promise<BackupReport> {
  const started = Date.now();
  const metadata: { key: string; body: Buffer; modified: Date }[] = [];
  for await (const info of metadataObjects(store, { ...(options.skip ? { skip: options.skip } : {}), ...(options.includeSecrets ? { includeSecrets: true } : {}) })) {
    try {
      metadata.push({ key: info.key, body: await collect((await store.get(info.key)).body), modified: info.modified });
    } catch (error) {
      if (!isStorageError(error, 'NOT_FOUND')) throw error; // deleted meanwhile: not in the snapshot
    }
    options.onProgress?.({ phase: 'metadata', done: metadata.length, total: 0, bytes: 0, totalBytes: 0 });
  }
  const listed: { digest: string; size: number; modified: Date }[] = [];
  for await (const { digest, info } of blobs.list()) listed.push({ digest, size: info.size, modified: info.modified });
  const totalBytes = listed.reduce((sum, blob) => sum + blob.size, 0);

  const pack = tar.pack();
  const written = pipeline(pack, zlib().createGzip(), out);
  written.catch(() => undefined);
  for (const m of metadata) await addEntry(pack, { name: `store/${m.key}`, mtime: m.modified }, m.body);
  const blobList: BackupManifest['blobs'] = [];
  let bytes = 0;
  for (const [i, blob] of listed.entries()) {
    let body;
    try {
      body = (await blobs.open(blob.digest)).body;
    } catch (error) {
      if (isStorageError(error, 'NOT_FOUND')) continue;
      throw error;
    }
    await addEntry(pack, { name: `store/${blobKey(blob.digest)}`, size: blob.size, mtime: blob.modified }, body);
    blobList.push({ digest: blob.digest, size: blob.size, modified: blob.modified.toISOString() });
    bytes += blob.size;
    options.onProgress?.({ phase: 'blobs', done: i + 1, total: listed.length, bytes, totalBytes });
  }
  const files = Object.entries(options.files ?? {});
  for (const [name, body] of files) await addEntry(pack, { name: `files/${name}`, mtime: new Date() }, body);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    created: new Date().toISOString(),
    objects: metadata.map((m) => ({ key: m.key, size: m.body.length, sha256: createHash('sha256').update(m.body).digest('hex'), modified: m.modified.toISOString() })),
    blobs: blobList,
    files: files.map(([name, body]) => ({ name, size: body.length, sha256: createHash('sha256').update(body).digest('hex') })),
  };
  await addEntry(pack, { name: 'manifest.json', mtime: new Date() }, Buffer.from(JSON.stringify(manifest, null, 1)));
  pack.finalize();
  await written;
  return { objects: metadata.length, blobs: blobList.length, bytes, durationMs: Date.now() - started };
}
