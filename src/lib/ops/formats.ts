// The one place that knows every format: their reference scanners (for GC) and listings (for
// `nora images ls`). Formats never import each other; ops composes them here.
import type { ObjectStore } from '../storage/object-store.js';
import type { DocumentFilter } from '../blobs/digest-scan.js';
import * as oci from '../oci/gc-references.js';
import * as npm from '../npm/gc-references.js';
import * as maven from '../maven/gc-references.js';
import * as cargo from '../cargo/gc-references.js';
import * as pypi from '../pypi/gc-references.js';

export const FORMATS = ['oci', 'npm', 'maven', 'cargo', 'pypi'] as const;
export type FormatName = (typeof FORMATS)[number];

export interface Listing { type: FormatName; name: string; version: string; digest: string; size: number; pushed: string }

type Refs = (store: ObjectStore, filter?: DocumentFilter) => AsyncIterable<string>;
type List = (store: ObjectStore) => AsyncIterable<Omit<Listing, 'type'>>;

const FORMAT_OPS: Record<FormatName, { refs: Refs; list: List }> = {
  oci: { refs: oci.referencedBlobs, list: oci.listImages },
  npm: { refs: npm.referencedBlobs, list: npm.listPackages },
  maven: { refs: maven.referencedBlobs, list: maven.listVersions },
  cargo: { refs: cargo.referencedBlobs, list: cargo.listCrates },
  pypi: { refs: pypi.referencedBlobs, list: pypi.listReleases },
};

/** Adds every digest any format references (optionally only from recently written metadata). */
export async function markReferences(store: ObjectStore, into: Set<string>, filter: DocumentFilter = {}): Promise<void> {
  for (const format of FORMATS) for await (const digest of FORMAT_OPS[format].refs(store, filter)) into.add(digest);
}

/** Every artifact of the given formats (all when none are given). */
export async function* listArtifacts(store: ObjectStore, types: readonly FormatName[] = FORMATS): AsyncGenerator<Listing> {
  for (const type of types) for await (const item of FORMAT_OPS[type].list(store)) yield { type, ...item };
}

export const staleOciLinks = oci.staleLinks;
export const sweepOciUploads = oci.sweepUploads;
