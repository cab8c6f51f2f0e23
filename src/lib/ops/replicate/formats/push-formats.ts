// `nora replicate --format npm|maven|cargo|pypi --from local/ --to <NORA URL>`: every name of
// the format in this store (filtered) is pushed to the remote NORA by that format's pusher, a
// few names at once; one failed version does not stop the others, and the summary counts
// versions copied, skipped and failed like the OCI copy counts artifacts.
import type { FormatName, FormatService } from '../../../formats/format-service.js';
import type { BlobStore } from '../../../blobs/blob-store.js';
import type { ReplicateEvent, ReplicateSummary, Failure } from '../events.js';
import type { Selection } from '../filters.js';
import { TaskPool } from '../task-pool.js';
import { CargoPusher } from './cargo-push.js';
import { MavenPusher } from './maven-push.js';
import { NpmPusher } from './npm-push.js';
import type { FormatPusher, PushContext } from './pusher.js';
import { PypiPusher } from './pypi-push.js';
import type { RemoteNora } from './remote-nora.js';

export type PackageFormat = Exclude<FormatName, 'oci'>;

export const PUSHERS: Record<PackageFormat, new (c: PushContext) => FormatPusher> = {
  npm: NpmPusher, maven: MavenPusher, cargo: CargoPusher, pypi: PypiPusher,
};

/** What a package copy takes in either direction (push-formats here, pull-formats beside it). */
export interface PackageCopyOptions {
  blobs: BlobStore;
  remote: RemoteNora;
  selection: Selection;
  dryRun: boolean;
  concurrency: number;
  retry: <T>(what: string, step: () => Promise<T>) => Promise<T>;
  emit: (event: ReplicateEvent) => void;
  now: () => number;
}

export interface PushFormatOptions extends PackageCopyOptions {
  format: PackageFormat;
  service: FormatService;
}

export async function pushFormat(o: PushFormatOptions): Promise<ReplicateSummary> {
  const started = o.now();
  const pusher = new PUSHERS[o.format]({ service: o.service, blobs: o.blobs, remote: o.remote, dryRun: o.dryRun, retry: o.retry, keep: o.selection.tag });
  const names: string[] = [];
  for (let after: string | undefined, page; (page = await o.service.listNames({ ...(after ? { after } : {}), limit: 500 })).items.length; after = page.next) {
    names.push(...page.items);
    if (!page.next) break;
  }
  return copyNames({ ...o, names: names.filter(o.selection.name), pusher, started });
}

/** Each name copied by `pusher` (either direction), a few at once; the summary of the versions. */
export async function copyNames(o: { format: PackageFormat; names: string[]; pusher: FormatPusher; dryRun: boolean; concurrency: number; emit: (event: ReplicateEvent) => void; now: () => number; started: number }): Promise<ReplicateSummary> {
  const { pusher, started } = o;
  const selected = o.names;
  o.emit({ type: 'plan', repositories: selected.length, artifacts: 0 });
  const counts = { copied: 0, skipped: 0, filtered: 0, failed: 0, bytes: 0 };
  const failures: Failure[] = [];
  const pool = new TaskPool(o.concurrency);
  for (const name of selected) {
    pool.add(async () => {
      try {
        for (const v of await pusher.push(name)) {
          const status = v.status;
          if (status === 'failed') failures.push({ artifact: `${o.format}:${name}@${v.version}`, code: 'REPLICATE_FAILED', reason: v.reason ?? 'failed' });
          counts[status === 'would-copy' ? 'copied' : status]++;
          counts.bytes += v.bytes;
          o.emit({ type: 'artifact', status, repo: name, reference: v.version, source: `${o.format}:${name}@${v.version}`, size: v.bytes, bytes: v.bytes, ...(v.reason ? { reason: v.reason } : {}), ...(v.updates ? { updates: v.updates } : {}) });
        }
      } catch (error) {
        counts.failed++;
        failures.push({ artifact: `${o.format}:${name}`, code: codeOf(error), reason: (error as Error).message });
        o.emit({ type: 'artifact', status: 'failed', repo: name, reference: '', source: `${o.format}:${name}`, size: 0, bytes: 0, reason: (error as Error).message });
      }
    });
  }
  await pool.drained();
  const durationMs = o.now() - started;
  return { dryRun: o.dryRun, ...counts, durationMs, throughput: durationMs > 0 ? Math.round(counts.bytes / (durationMs / 1000)) : counts.bytes, failures };
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'ERROR';
};
