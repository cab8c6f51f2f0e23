// A pull rule's package formats: the names the remote NORA lists (GET /api/artifacts?type=FMT,
// only what our credentials may pull), filtered, each copied into this store by the format's
// puller through the local format's own publish path. npm only so far: the config check
// refuses a pull rule with another package format (config/consistency.ts).
import type { Formats } from '../../../formats/create-formats.js';
import type { NoraConfig } from '../../../config/schema.js';
import type { ReplicateSummary } from '../events.js';
import { NpmPuller } from './npm-pull.js';
import { copyNames, type PackageCopyOptions } from './push-formats.js';

/** Package formats a pull rule can copy into this store. */
export const PULL_FORMATS = ['npm'] as const;
export type PullFormat = (typeof PULL_FORMATS)[number];

export interface PullFormatOptions extends PackageCopyOptions {
  format: PullFormat;
  formats: Formats;
  config: NoraConfig;
  actor: string;
}

export async function pullFormat(o: PullFormatOptions): Promise<ReplicateSummary> {
  const started = o.now();
  const listed = await o.retry(`${o.format} names at ${o.remote.label}`, () => o.remote.json<{ items: Array<{ name: string }> }>(`api/artifacts?type=${o.format}`));
  const names = [...new Set((listed?.items ?? []).map((item) => item.name))].filter(o.selection.name);
  const puller = new NpmPuller({
    registry: o.formats.npm.registry, blobs: o.blobs, remote: o.remote, limits: o.config.npm,
    dryRun: o.dryRun, retry: o.retry, keep: o.selection.tag, actor: o.actor,
  });
  return copyNames({ format: o.format, names, pusher: puller, dryRun: o.dryRun, concurrency: o.concurrency, emit: o.emit, now: o.now, started });
}
