// `nora migrate`: copies every object of one store into another (fs <-> S3, bucket to bucket).
// Blobs first, through the target's verifying blob store (the digest is the key, so a corrupted
// copy is refused); then metadata, so a server on the target never sees a document before its
// bytes. Resumable: a blob already in the target, or a document with identical bytes, is
// skipped, so a second run after an interruption copies only what is left. Temporary writes are
// not copied. Failures are collected and reported; the run continues past them. Given the
// target's format services and bus, every version the copy added or changed there is published
// as one ArtifactPushed (actor "migrate"), so the target's audit log records what arrived.
import type { ObjectStore } from '../storage/object-store.js';
import { BlobStore } from '../blobs/blob-store.js';
import { collect } from '../storage/body.js';
import { isStorageError } from '../storage/errors.js';
import { parseDigest } from '../blobs/digest.js';
import { metadataObjects } from './store-walk.js';
import type { EventBus } from '../events/bus.js';
import { announceAll, snapshotVersions, type FormatSet } from './formats.js';

/**
 * done counts objects handled (copied, skipped or failed); in the blob phase total and
 * totalBytes come from the source listing taken first, and bytes counts every handled blob's size
 * (copied or already there), so the two move together. Documents: total 0 (not counted first).
 */
export interface MigrateProgress { phase: 'blobs' | 'metadata'; done: number; total: number; copied: number; skipped: number; bytes: number; totalBytes: number }

export interface MigrateReport {
  dryRun: boolean;
  copied: number;
  /** Versions announced on the target's bus (0 without `announce` or on a dry run). */
  announced: number;
  skipped: number;
  bytes: number;
  failed: { key: string; error: string }[];
  durationMs: number;
}

export interface MigrateOptions {
  dryRun?: boolean;
  onProgress?: (progress: MigrateProgress) => void;
  /** Keys that are local files of either side, not artifacts (their audit logs). */
  skip?: (key: string) => boolean;
  /** The target's format services and bus: each version copied is published there once. */
  announce?: { formats: FormatSet; events: EventBus };
}

async function sameDocument(from: ObjectStore, to: ObjectStore, key: string, body: Buffer): Promise<boolean> {
  const info = await to.stat(key);
  if (!info || info.size !== body.length) return false;
  try {
    return (await collect((await to.get(key)).body)).equals(body);
  } catch (error) {
    if (isStorageError(error, 'NOT_FOUND')) return false;
    throw error;
  }
}

export async function migrateStore(from: ObjectStore, to: ObjectStore, options: MigrateOptions = {}): Promise<MigrateReport> {
  const started = Date.now();
  const dryRun = options.dryRun ?? false;
  const report: MigrateReport = { dryRun, copied: 0, announced: 0, skipped: 0, bytes: 0, failed: [], durationMs: 0 };
  const source = new BlobStore(from);
  const target = new BlobStore(to);
  // The blob listing first (digests and sizes only): the progress then has totals to move towards.
  const listed: { digest: string; info: { key: string; size: number } }[] = [];
  for await (const { digest, info } of source.list()) listed.push({ digest, info: { key: info.key, size: info.size } });
  const totalBytes = listed.reduce((sum, blob) => sum + blob.info.size, 0);
  let done = 0;
  const announce = dryRun ? undefined : options.announce;
  const before = announce ? await snapshotVersions(announce.formats) : undefined;
  let handledBytes = 0;
  const tick = (phase: MigrateProgress['phase']) => options.onProgress?.({
    phase, done: ++done, total: phase === 'blobs' ? listed.length : 0, copied: report.copied, skipped: report.skipped,
    bytes: phase === 'blobs' ? handledBytes : report.bytes, totalBytes: phase === 'blobs' ? totalBytes : 0,
  });

  for (const { digest, info } of listed) {
    try {
      const existing = await target.stat(digest);
      if (existing && existing.size === info.size) report.skipped++;
      else {
        if (!dryRun) await target.write((await source.open(digest)).body, { expected: parseDigest(digest)!, expectedSize: info.size, label: digest });
        report.copied++;
        report.bytes += info.size;
      }
    } catch (error) {
      report.failed.push({ key: info.key, error: (error as Error).message });
    }
    handledBytes += info.size;
    tick('blobs');
  }
  done = 0;
  for await (const info of metadataObjects(from, { includeSecrets: true, ...(options.skip ? { skip: options.skip } : {}) })) {
    try {
      const body = await collect((await from.get(info.key)).body);
      if (await sameDocument(from, to, info.key, body)) report.skipped++;
      else {
        if (!dryRun) await to.put(info.key, body);
        report.copied++;
        report.bytes += body.length;
      }
    } catch (error) {
      if (!isStorageError(error, 'NOT_FOUND')) report.failed.push({ key: info.key, error: (error as Error).message });
    }
    tick('metadata');
  }
  if (announce) report.announced = await announceAll(announce.formats, announce.events, 'migrate', before);
  report.durationMs = Date.now() - started;
  return report;
}
