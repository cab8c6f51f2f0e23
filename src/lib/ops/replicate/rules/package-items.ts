// Package formats in [[replication]] rules: which events queue work, and the work. Any change of
// a name (a version published, a dist-tag moved, a yank, a deprecation) queues one "sync" of the
// name, done by the format's pusher: it publishes the versions the remote lacks and aligns tags,
// yanks and deprecations, so a sync repeated or run late is harmless. A deleted version (with
// `delete`) is deleted at the remote through its management API (DELETE /api/artifacts), and a
// whole package deleted here (npm unpublish of the package) loses there what it no longer has here.
import type { BlobStore } from '../../../blobs/blob-store.js';
import type { PublishedEvent } from '../../../events/bus.js';
import type { FormatService } from '../../../formats/format-service.js';
import { mavenName, parseMavenName } from '../../../maven/coordinates.js';
import type { Selection } from '../filters.js';
import { PUSHERS, type PackageFormat } from '../formats/push-formats.js';
import type { RemoteNora } from '../formats/remote-nora.js';
import { remoteVersions } from '../formats/remote-listing.js';
import type { ReplicationItem } from './replication-runner.js';

const CHANGES = new Set(['ArtifactPushed', 'TagCreated', 'TagDeleted', 'ArtifactYanked', 'ArtifactUnyanked', 'ArtifactDeprecated', 'ArtifactUndeprecated']);
/** PyPI names a deleted file by its filename (a deleted release by its version). */
const PYPI_FILE = /\.(whl|tar\.gz|zip|tar\.bz2|egg)$/;

/** The queue item for a package event the rule matches, if any. */
export function packageItem(event: PublishedEvent, selection: Selection, propagateDeletes: boolean): ReplicationItem | undefined {
  const format = event.artifact.format as PackageFormat;
  if (!(format in PUSHERS) || !selection.name(event.artifact.name)) return undefined;
  const name = serviceName(format, event.artifact.name);
  if (name === undefined) return undefined;
  const reference = event.artifact.reference ?? '';
  if (CHANGES.has(event.type)) return { op: 'sync', format, repo: name, tag: reference };
  // An upstream cache's eviction deletes nothing of this store's own: never propagated.
  if (event.type !== 'ArtifactDeleted' || !propagateDeletes || event.cached || (format === 'pypi' && PYPI_FILE.test(reference))) return undefined;
  // A deletion without a version is a whole package (npm unpublish of the package): "" deletes at
  // the remote every version this store no longer has.
  if (reference && !selection.tag(reference)) return undefined;
  return { op: 'delete', format, repo: name, tag: reference };
}

/** The name the format service takes, from the name events carry (Maven: "org/example/lib" -> "org.example:lib"). */
function serviceName(format: PackageFormat, name: string): string | undefined {
  if (format !== 'maven') return name;
  const artifact = parseMavenName(name);
  return artifact ? mavenName(artifact) : undefined;
}

export interface SyncContext { service: FormatService; blobs: BlobStore; remote: RemoteNora; keep: (version: string) => boolean }

/**
 * Pushes one name: what was published, and the reasons of the versions that failed (the caller
 * counts the first and retries the item for the second; a sync repeated skips what is there).
 */
export async function syncPackage(c: SyncContext, format: PackageFormat, name: string): Promise<{ copied: number; bytes: number; failed?: string }> {
  const pusher = new PUSHERS[format]({ ...c, dryRun: false, retry: (_what, step) => step() });
  const outcomes = await pusher.push(name);
  const failed = outcomes.filter((o) => o.status === 'failed');
  const copied = outcomes.filter((o) => o.status === 'copied');
  return {
    copied: copied.length, bytes: copied.reduce((n, o) => n + o.bytes, 0),
    ...(failed.length ? { failed: failed.map((o) => `${format}:${name}@${o.version}: ${o.reason ?? 'failed'}`).join('; ') } : {}),
  };
}

/**
 * A whole package deleted here: deletes at the remote NORA each version of `name` it lists that
 * this store no longer has and the rule replicates (`keep`), so a package published again here
 * meanwhile keeps what it has. The number deleted.
 */
export async function deletePackage(c: SyncContext, format: PackageFormat, name: string): Promise<number> {
  const here = new Set((await c.service.listVersions(name)).map((v) => v.version));
  const listed = await remoteVersions(c.remote, format, (_what, step) => step(), name);
  let deleted = 0;
  for (const { version } of listed.get(name) ?? []) {
    if (here.has(version) || !c.keep(version)) continue;
    if (await deletePackageVersion(c.remote, format, name, version)) deleted++;
  }
  return deleted;
}

/** Deletes one version at the remote NORA; false when it was not there. */
export async function deletePackageVersion(remote: RemoteNora, format: PackageFormat, name: string, version: string): Promise<boolean> {
  const ref = `${format}:${name}@${version}`;
  const reply = await remote.request('DELETE', `api/artifacts?${new URLSearchParams({ ref })}`);
  if (reply.status === 404) { reply.body.resume(); return false; }
  if (reply.status >= 300) throw await remote.refused(reply, `deletion of ${ref}`);
  reply.body.resume();
  return true;
}
