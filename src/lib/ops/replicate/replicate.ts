// One `nora replicate` run: expands the source into repositories (a pattern through the catalog)
// and their tags (filtered), maps each name onto the destination, and copies the artifacts with
// bounded concurrency. A failed artifact is recorded with its reason and the run goes on; the
// summary counts what was copied, skipped, filtered and failed, the bytes sent and the rate.
import picomatch from 'picomatch';
import { Copier, type CopierOptions } from './copier.js';
import type { OciEndpoint } from './endpoint.js';
import { ReplicateErrors } from './errors.js';
import type { Failure, ReplicateSummary } from './events.js';
import { isDockerHub, type Location } from './location.js';
import { withRetry, type RetryPolicy } from './retry.js';
import { TaskPool } from './task-pool.js';

/** What the copier takes, with the locations and the retry policy it is built from. */
export interface ReplicateOptions extends Omit<CopierOptions, 'retry'> {
  from: Location;
  to: Location;
  /** Artifacts copied at once, and blobs streaming at once. */
  concurrency: number;
  retry: Omit<RetryPolicy, 'onRetry'>;
}

export async function replicate(o: ReplicateOptions): Promise<ReplicateSummary> {
  const started = o.retry.now();
  const retry = <T>(what: string, step: () => Promise<T>) => withRetry(step, {
    ...o.retry,
    onRetry: (attempt, wait, error) => o.emit({ type: 'retry', what, attempt, wait_ms: wait, reason: (error as Error).message }),
  });
  const copier = new Copier({ source: o.source, dest: o.dest, selection: o.selection, referrers: o.referrers, dryRun: o.dryRun, concurrency: o.concurrency, retry, emit: o.emit });
  const destName = destinationNames(o.from, o.to);
  const counts = { copied: 0, skipped: 0, filtered: 0, failed: 0, bytes: 0 };
  const failures: Failure[] = [];
  const fail = (artifact: string, error: unknown) => {
    counts.failed++;
    const raw = (error as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : 'ERROR';
    failures.push({ artifact, code, reason: (error as Error).message });
  };

  const repos = (await sourceRepositories(o.from, o.source)).filter(o.selection.name);
  const pool = new TaskPool(o.concurrency);
  let artifacts = 0;
  const copyOne = (repo: string, reference: string) => pool.add(async () => {
    const label = reference.includes(':') ? `${repo}@${reference}` : `${repo}:${reference}`;
    const target = destName(repo);
    const destReference = o.to.kind === 'registry' && o.to.tag ? o.to.tag : reference;
    try {
      const result = await copier.copy(repo, target, reference, destReference);
      counts[result.status === 'would-copy' ? 'copied' : result.status]++;
      counts.bytes += result.transferred;
      o.emit({ type: 'artifact', status: result.status, repo: target, reference: destReference, source: label, digest: result.digest, size: result.size, bytes: result.transferred, ...(result.reason ? { reason: result.reason } : {}) });
    } catch (error) {
      fail(label, error);
      o.emit({ type: 'artifact', status: 'failed', repo: target, reference: destReference, source: label, size: 0, bytes: 0, reason: (error as Error).message });
    }
  });
  for (const repo of repos) {
    if (o.from.kind === 'registry' && (o.from.tag || o.from.digest)) {
      artifacts++;
      copyOne(repo, (o.from.tag ?? o.from.digest)!);
      continue;
    }
    pool.add(async () => {
      let tags: string[];
      try {
        tags = (await retry(`tags of ${repo}`, () => o.source.tags(repo))).filter(o.selection.tag);
      } catch (error) {
        fail(repo, error);
        return;
      }
      artifacts += tags.length;
      o.emit({ type: 'plan', repositories: repos.length, artifacts });
      for (const tag of tags) copyOne(repo, tag);
    });
  }
  o.emit({ type: 'plan', repositories: repos.length, artifacts });
  await pool.drained();
  const durationMs = o.retry.now() - started;
  return {
    dryRun: o.dryRun, ...counts, durationMs,
    throughput: durationMs > 0 ? Math.round(counts.bytes / (durationMs / 1000)) : counts.bytes,
    failures,
  };
}

/** The source's repositories the location names (a pattern expanded through its catalog). */
async function sourceRepositories(from: Location, source: OciEndpoint): Promise<string[]> {
  if (from.kind === 'local') return (await source.repositories()).filter((n) => n.startsWith(from.prefix));
  if (from.path && !from.glob) return [from.path];
  if (isDockerHub(from.host)) throw ReplicateErrors.NO_CATALOG('docker.io', 'Docker Hub offers no catalog');
  const match = from.path ? picomatch(from.path) : () => true;
  return (await source.repositories()).filter((name) => match(name));
}

/**
 * How a source repository is named at the destination: local/PREFIX/ prepends PREFIX (a local
 * source's own prefix removed first); a registry path names the one repository when the source
 * is one repository, else it is prepended; no path keeps the names.
 */
export function destinationNames(from: Location, to: Location): (repo: string) => string {
  const bare = (repo: string) => (from.kind === 'local' ? repo.slice(from.prefix.length) : repo);
  if (to.kind === 'local') return (repo) => `${to.prefix}${bare(repo)}`;
  if (to.digest) throw ReplicateErrors.UNSUPPORTED('--to cannot name a digest: a copy keeps the source\'s digest');
  const single = from.kind === 'registry' && !!from.path && !from.glob;
  if (to.tag && !(from.kind === 'registry' && (from.tag || from.digest))) throw ReplicateErrors.UNSUPPORTED('--to may name a tag only when --from names one tag or digest');
  if (!to.path) return bare;
  if (single) return () => to.path;
  return (repo) => `${to.path}/${bare(repo)}`;
}
