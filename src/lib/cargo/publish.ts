// Publishing a crate version: conflicts and dependencies are checked before any byte is stored,
// the .crate is streamed into the blob store (its sha256 is the index `cksum`) while its archive
// is checked (crate-archive.ts), and the version joins the crate document by compare-and-swap,
// where the duplicate check runs again: two concurrent publishes of one version cannot both win,
// and two of different versions both land.
import { admitted, OPEN_GATE, type WriteGate } from '../formats/write-gate.js';
import { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, updateDocument } from '../storage/documents.js';
import { checkCrateArchive } from './crate-archive.js';
import { crateKey, findCrate, type CrateDocument } from './crate-document.js';
import { CargoErrors } from './errors.js';
import { toIndexDependency } from './index-line.js';
import type { PublishMetadata } from './metadata.js';
import { releaseKey } from './semver.js';

export interface CargoStores {
  store: ObjectStore;
  blobs: BlobStore;
  /** Asked before the .crate is stored (tenant quotas); admits everything when absent. */
  gate?: WriteGate | undefined;
}

/** Largest unpacked size of a .crate (crates.io's default limit). */
export const MAX_UNPACKED_SIZE = 512 * 1024 * 1024;

/** The answer cargo expects from a publish (crates.io's shape; NORA has nothing to warn about). */
export const PUBLISH_WARNINGS = { warnings: { invalid_categories: [] as string[], invalid_badges: [] as string[], other: [] as string[] } };

/** Throws CRATE_RENAMED or CRATE_EXISTS when `meta` cannot join `current`. */
export function checkConflicts(current: CrateDocument | undefined, meta: PublishMetadata): void {
  if (!current) return;
  if (current.name !== meta.name) throw CargoErrors.CRATE_RENAMED(meta.name, current.name);
  const release = releaseKey(meta.vers);
  const clash = current.versions.find((v) => releaseKey(v.vers) === release);
  if (clash) throw CargoErrors.CRATE_EXISTS(current.name, clash.vers);
}

/** Dependencies on this registry (no `registry` key) must name crates published here. */
export async function checkDependencies(store: ObjectStore, meta: PublishMetadata): Promise<void> {
  const local = new Set(meta.deps.filter((d) => d.registry === undefined).map((d) => d.name));
  for (const name of local) {
    if (name.toLowerCase() === meta.name.toLowerCase()) continue;
    if (!(await findCrate(store, name))) throw CargoErrors.UNKNOWN_DEPENDENCY(name);
  }
}

export interface PublishInput {
  meta: PublishMetadata;
  crate: AsyncIterable<Buffer>;
  crateLength: number;
  actor: string;
  /** The index `cksum` (sha256 hex) the .crate must have (a replication's copy of a remote's version). */
  cksum?: string;
}

export interface PublishedCrate {
  name: string;
  version: string;
  digest: string;
  size: number;
}

/** Stores the version; resolves once its index line is visible. */
export async function publishCrate({ store, blobs, gate }: CargoStores, input: PublishInput): Promise<PublishedCrate> {
  const { meta, crateLength, actor } = input;
  checkConflicts((await readDocument<CrateDocument>(store, crateKey(meta.name)))?.value, meta);
  await checkDependencies(store, meta);
  // The frame declares the .crate's length: the quota is asked before a byte of it is stored.
  return admitted(gate ?? OPEN_GATE, { format: 'cargo', name: meta.name, blobs: [{ size: crateLength }], ...(actor ? { actor } : {}) }, () => storeCrate({ store, blobs }, input));
}

async function storeCrate({ store, blobs }: CargoStores, { meta, crate, crateLength, actor, cksum: expected }: PublishInput): Promise<PublishedCrate> {
  const checked = checkCrateArchive(crate, meta.name, meta.vers, MAX_UNPACKED_SIZE);
  const blob = await blobs.write(Readable.from(checked), { expectedSize: crateLength, label: '.crate', ...(expected ? { expected: { algorithm: 'sha256', hex: expected } } : {}) });
  const cksum = blob.digest.slice('sha256:'.length);
  const now = new Date().toISOString();
  await updateDocument<CrateDocument>(store, crateKey(meta.name), (current) => {
    checkConflicts(current, meta);
    const version = {
      vers: meta.vers,
      deps: meta.deps.map(toIndexDependency),
      cksum,
      features: meta.features,
      yanked: false,
      links: meta.links,
      rust_version: meta.rust_version,
      size: blob.size,
      published_at: now,
      published_by: actor,
      description: meta.description,
    };
    return {
      name: current?.name ?? meta.name,
      owners: current?.owners ?? [actor],
      versions: [...(current?.versions ?? []), version],
      updated: now,
    };
  });
  return { name: meta.name, version: meta.vers, digest: blob.digest, size: blob.size };
}
