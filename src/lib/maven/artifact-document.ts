// The metadata of one locally deployed artifact (groupId:artifactId): its versions, and per
// version the path -> blob map of its files and any checksums that arrived before their file.
// One JSON document per artifact, changed only through updateDocument (compare-and-swap).
//   repos/maven/local/<group>/<path>/<artifactId>/@index.json   local deploys
//   repos/maven/cache/<group>/<path>/<artifactId>/@index.json   files cached from upstreams
// '@' cannot appear in Maven coordinates, so a document never collides with a deeper group.
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument } from '../storage/documents.js';
import { artifactName, type ArtifactCoordinate, type ChecksumAlgorithm } from './coordinates.js';

export interface StoredFile {
  /** Blob address ("sha256:<hex>"). */
  digest: string;
  size: number;
  md5: string;
  sha1: string;
  sha256: string;
  sha512: string;
  /** ISO time the file was stored (Last-Modified). */
  modified: string;
}

export interface VersionEntry {
  created: string;
  files: Record<string, StoredFile>;
  /** Client checksums received before their file: verified when the file lands. */
  pending?: Record<string, Partial<Record<ChecksumAlgorithm, string>>>;
}

export interface ArtifactDocument {
  groupId: string;
  artifactId: string;
  versions: Record<string, VersionEntry>;
  /** ISO time of the last change. */
  updated: string;
}

export interface CacheDocument {
  /** "<version>/<file name>" -> the verified cached file. */
  files: Record<string, StoredFile & { upstream: string }>;
}

export type Area = 'local' | 'cache';

export const artifactKey = (area: Area, artifact: ArtifactCoordinate): string => `repos/maven/${area}/${artifactName(artifact)}/@index.json`;

/** Own-property lookup: names from the network must never reach Object.prototype. */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

export async function readArtifact(store: ObjectStore, artifact: ArtifactCoordinate): Promise<ArtifactDocument | undefined> {
  return (await readDocument<ArtifactDocument>(store, artifactKey('local', artifact)))?.value;
}

export async function readCache(store: ObjectStore, artifact: ArtifactCoordinate): Promise<CacheDocument | undefined> {
  return (await readDocument<CacheDocument>(store, artifactKey('cache', artifact)))?.value;
}
