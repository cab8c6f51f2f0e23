// A pull rule's package formats: the versions the remote NORA lists (GET /api/artifacts?type=FMT,
// every page, only what our credentials may pull), names filtered, each name copied into this
// store by the format's puller through the local format's own publish path (npm publish, mvn
// deploy, cargo publish, twine upload), so each copy is verified against the remote's checksums,
// meets this store's limits and quota, and publishes its event with the rule (or `replicate`) as actor.
import type { Formats } from '../../../formats/create-formats.js';
import type { NoraConfig } from '../../../config/schema.js';
import type { ReplicateSummary } from '../events.js';
import { CargoPuller } from './cargo-pull.js';
import { MavenPuller } from './maven-pull.js';
import { NpmPuller } from './npm-pull.js';
import type { PullContext } from './pull-context.js';
import { PypiPuller } from './pypi-pull.js';
import type { FormatPusher } from './pusher.js';
import { copyNames, type PackageCopyOptions, type PackageFormat } from './push-formats.js';
import { remoteVersions } from './remote-listing.js';

/** Package formats a pull rule can copy into this store. */
export const PULL_FORMATS = ['npm', 'maven', 'cargo', 'pypi'] as const satisfies readonly PackageFormat[];
export type PullFormat = (typeof PULL_FORMATS)[number];

const PULLERS: Record<PullFormat, (c: PullContext) => FormatPusher> = {
  npm: (c) => new NpmPuller(c),
  maven: (c) => new MavenPuller(c),
  cargo: (c) => new CargoPuller(c),
  pypi: (c) => new PypiPuller(c),
};

export interface PullFormatOptions extends PackageCopyOptions {
  format: PullFormat;
  formats: Formats;
  config: NoraConfig;
  actor: string;
}

export async function pullFormat(o: PullFormatOptions): Promise<ReplicateSummary> {
  const started = o.now();
  const listed = await remoteVersions(o.remote, o.format, o.retry);
  const names = [...listed.keys()].filter(o.selection.name);
  const context: PullContext = {
    formats: o.formats, blobs: o.blobs, config: o.config, remote: o.remote, listed: (name) => listed.get(name) ?? [],
    dryRun: o.dryRun, retry: o.retry, keep: o.selection.tag, actor: o.actor,
  };
  if (o.format === 'cargo') {
    // A crate is published here only after the crates it depends on.
    const puller = new CargoPuller(context);
    const plan = await puller.order(names);
    return copyNames({ format: o.format, names: plan.names, pusher: puller, dryRun: o.dryRun, concurrency: plan.sequential ? 1 : o.concurrency, emit: o.emit, now: o.now, started });
  }
  const puller = PULLERS[o.format](context);
  return copyNames({ format: o.format, names, pusher: puller, dryRun: o.dryRun, concurrency: o.concurrency, emit: o.emit, now: o.now, started });
}
