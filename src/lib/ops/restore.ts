// `nora restore`: reads a backup (see backup.ts) into a store. Blobs go through the verifying blob
// store (a wrong byte is DIGEST_MISMATCH, never a stored blob); metadata is held back and written
// only after the whole archive, its trailing manifest and every digest checked out, so a
// corrupted or truncated archive leaves no artifact visible (only unreferenced blobs, which the
// next gc removes).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ObjectStore } from '../storage/object-store.js';
import type { BlobStore } from '../blobs/blob-store.js';
import { parseDigest } from '../blobs/digest.js';
import { isNoraError } from '../errors/nora-error.js';
import { BACKUP_FORMAT, type BackupManifest } from './backup.js';
import { BackupErrors } from './errors.js';
import { holdsArtifacts } from './store-walk.js';
import type { EventBus } from '../events/bus.js';
import { announceAll, type FormatSet } from './formats.js';

// node:zlib loads on first use, not at every start (issue 23).
const zlib = () => process.getBuiltinModule('node:zlib');

export interface RestoreProgress { phase: 'blobs' | 'metadata'; done: number; bytes: number }
export interface RestoreReport {
  objects: number;
  blobs: number;
  bytes: number;
  durationMs: number;
  /** Local files the backup carried (e.g. htpasswd), verified; the caller decides where they go. */
  files: Record<string, Buffer>;
}

export interface RestoreOptions {
  force?: boolean;
  /** When given, one ArtifactPushed per restored version is published (actor "restore"). */
  announce?: { formats: FormatSet; events: EventBus };
  onProgress?: (progress: RestoreProgress) => void;
}

const BLOB_ENTRY = /^store\/blobs\/(sha256|sha512)\/[0-9a-f]{2}\/([0-9a-f]+)$/;

async function collectEntry(entry: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function readArchive(blobs: BlobStore, input: Readable, options: RestoreOptions) {
  const metadata = new Map<string, Buffer>();
  const files = new Map<string, Buffer>();
  const restoredBlobs = new Map<string, number>();
  let manifest: BackupManifest | undefined;
  let bytes = 0;
  const extract = tar.extract();
  const feeding = pipeline(input, zlib().createGunzip(), extract);
  feeding.catch(() => undefined);
  for await (const entry of extract) {
    const name = entry.header.name;
    const blob = BLOB_ENTRY.exec(name);
    if (blob) {
      const digest = `${blob[1]}:${blob[2]}`;
      if (!parseDigest(digest)) throw BackupErrors.BACKUP_INVALID(`entry ${name} is not a blob address`);
      const written = await blobs.write(Readable.from(entry, { objectMode: false }), { expected: parseDigest(digest)!, expectedSize: entry.header.size ?? 0, label: name });
      restoredBlobs.set(written.digest, written.size);
      bytes += written.size;
      options.onProgress?.({ phase: 'blobs', done: restoredBlobs.size, bytes });
    } else if (name === 'manifest.json') {
      manifest = JSON.parse((await collectEntry(entry)).toString('utf8')) as BackupManifest;
    } else if (name.startsWith('files/')) {
      files.set(name.slice('files/'.length), await collectEntry(entry));
    } else if (name.startsWith('store/')) {
      metadata.set(name.slice('store/'.length), await collectEntry(entry));
    } else {
      throw BackupErrors.BACKUP_INVALID(`unexpected entry ${JSON.stringify(name)}`);
    }
  }
  await feeding;
  return { metadata, files, restoredBlobs, manifest, bytes };
}

function check(manifest: BackupManifest | undefined, metadata: Map<string, Buffer>, blobs: Map<string, number>, files: Map<string, Buffer>): BackupManifest {
  if (!manifest) throw BackupErrors.BACKUP_INVALID('it has no manifest.json (truncated, or not made by nora backup)');
  if (manifest.format !== BACKUP_FORMAT) throw BackupErrors.BACKUP_INVALID(`unknown format ${JSON.stringify(manifest.format)}`);
  for (const object of manifest.objects) {
    const body = metadata.get(object.key);
    if (!body) throw BackupErrors.BACKUP_INVALID(`${object.key} is listed in the manifest but missing`);
    if (createHash('sha256').update(body).digest('hex') !== object.sha256) throw BackupErrors.BACKUP_INVALID(`${object.key} does not match its sha256`);
  }
  for (const file of manifest.files ?? []) {
    const body = files.get(file.name);
    if (!body || createHash('sha256').update(body).digest('hex') !== file.sha256) throw BackupErrors.BACKUP_INVALID(`file ${file.name} is missing or does not match its sha256`);
  }
  for (const blob of manifest.blobs) {
    if (blobs.get(blob.digest) !== blob.size) throw BackupErrors.BACKUP_INVALID(`blob ${blob.digest} is listed in the manifest but missing`);
  }
  return manifest;
}

/** zlib's and tar's words ("incorrect header check") said for a person holding the file. */
function archiveProblem(error: NodeJS.ErrnoException): string {
  if (error.code === 'Z_BUF_ERROR' || /unexpected end of (file|data)/i.test(error.message)) return 'it ends early (truncated: copy the whole file again)';
  if (error.code?.startsWith('Z_')) return 'it is not gzip data, or its compressed bytes are damaged (give the .tar.gz file "nora backup" wrote)';
  return error.message;
}

/** Restores the archive read from `input`; TARGET_NOT_EMPTY unless empty or `force`. */
export async function restoreBackup(store: ObjectStore, blobs: BlobStore, input: Readable, options: RestoreOptions = {}): Promise<RestoreReport> {
  const started = Date.now();
  if (!options.force && (await holdsArtifacts(store))) throw BackupErrors.TARGET_NOT_EMPTY(store.kind);
  let read;
  try {
    read = await readArchive(blobs, input, options);
  } catch (error) {
    if (isNoraError(error) && error.code === 'BACKUP_INVALID') throw error;
    throw BackupErrors.BACKUP_INVALID(archiveProblem(error as NodeJS.ErrnoException));
  }
  const manifest = check(read.manifest, read.metadata, read.restoredBlobs, read.files);
  let done = 0;
  for (const object of manifest.objects) {
    await store.put(object.key, read.metadata.get(object.key)!);
    options.onProgress?.({ phase: 'metadata', done: ++done, bytes: read.bytes });
  }
  if (options.announce) await announceAll(options.announce.formats, options.announce.events, 'restore');
  const files = Object.fromEntries((manifest.files ?? []).map((f) => [f.name, read.files.get(f.name)!]));
  return { objects: manifest.objects.length, blobs: manifest.blobs.length, bytes: read.bytes, durationMs: Date.now() - started, files };
}
