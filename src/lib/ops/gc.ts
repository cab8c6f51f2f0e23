// Online garbage collection over every format, without locks. Safety argument:
//  1. cutoff = start - grace: a blob written after the cutoff (every upload during GC, and every
//     push of the last `grace`) is never a candidate, whatever the marking saw.
//  2. Mark reads all metadata of every format; a document written during marking may be missed,
//     so before each batch of deletions GC re-reads every document written since it started
//     and drops whatever they reference from the batch (the re-check of recent references);
//     the batch is then moved aside and re-checked once more before it is deleted (gc-trash.ts).
//  3. OCI manifests are accepted only when their blobs are linked in the repository, and stale
//     links are removed before marking, so a manifest racing a link removal is refused with
//     MANIFEST_BLOB_UNKNOWN (the client re-uploads) instead of referencing a deleted blob.
// The residual window: a writer that saw an hour-old orphan blob (default grace) just before it
// was moved aside, and links it only after the second re-check finished.
import type { BlobStore } from '../blobs/blob-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { FORMATS, markReferences, type FormatSet } from './formats.js';
import { GcProgress, type GcReport } from './gc-progress.js';
import { deleteThroughTrash, settleTrash } from './gc-trash.js';

export interface GcOptions {
  /** Every format's service: what they reference, and their housekeeping before marking. */
  formats: FormatSet;
  graceMs: number;
  uploadTtlMs: number;
  dryRun?: boolean;
  /** Deletions per re-check of recent references. */
  batchSize?: number;
  progress?: GcProgress;
  /** The clock the grace window and upload TTL are measured with (default: the system clock). */
  now?: () => number;
}

export async function runGc(store: ObjectStore, blobs: BlobStore, options: GcOptions): Promise<GcReport> {
  const progress = options.progress ?? new GcProgress();
  const now = options.now ?? (() => Date.now());
  const started = new Date(now());
  const cutoff = new Date(started.getTime() - options.graceMs);
  const dryRun = options.dryRun ?? false;
  progress.begin(dryRun);
  try {
    progress.phase('uploads');
    if (!dryRun) {
      progress.report.tempRemoved = await blobs.sweepTemp(options.uploadTtlMs, now());
      progress.report.restored = await settleTrash(store);
    }
    progress.phase('links');
    const skipKeys = new Set<string>();
    for (const format of FORMATS) {
      const prepared = await options.formats[format].prepareGc?.({ cutoff, uploadTtlMs: options.uploadTtlMs, dryRun, now: started.getTime() });
      if (!prepared) continue;
      progress.report.uploadsRemoved += prepared.uploadsRemoved;
      progress.report.linksRemoved += prepared.linksRemoved;
      for (const key of prepared.skipKeys) skipKeys.add(key);
    }

    progress.phase('mark');
    const marked = new Set<string>();
    // A dry run removes nothing, so it marks as if the stale links were gone.
    await markReferences(options.formats, marked, dryRun ? { skipKeys } : {});
    progress.report.marked = marked.size;

    progress.phase('sweep');
    const candidates: { digest: string; size: number }[] = [];
    for await (const { digest, info } of blobs.list()) {
      progress.report.scanned++;
      if (!marked.has(digest) && info.modified < cutoff) candidates.push({ digest, size: info.size });
    }
    progress.report.candidates = candidates.length;
    progress.phase('sweep');
    const batch = options.batchSize ?? 500;
    // A dry run also re-checks as if the stale links were gone: links written just before the
    // run are recent, and would otherwise spare what the real run frees.
    const recentReferences = async () => {
      const recent = new Set<string>();
      await markReferences(options.formats, recent, { since: new Date(started.getTime() - 1000), ...(dryRun ? { skipKeys } : {}) });
      return recent;
    };
    for (let i = 0; i < candidates.length; i += batch) {
      const recent = await recentReferences();
      const chosen = candidates.slice(i, i + batch).filter((c) => !recent.has(c.digest));
      const sizes = new Map(chosen.map((c) => [c.digest, c.size]));
      const deleted = dryRun ? [...sizes.keys()] : await deleteThroughTrash(store, [...sizes.keys()], recentReferences);
      for (const digest of deleted) progress.freed(digest, sizes.get(digest)!);
    }
    return progress.finish();
  } catch (error) {
    progress.fail(error);
    throw error;
  }
}
