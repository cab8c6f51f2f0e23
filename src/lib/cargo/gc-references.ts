// What Cargo metadata keeps alive, for garbage collection and `nora images ls --type cargo`: a
// .crate blob is addressed by its index `cksum` (sha256), so every 64-hex checksum named by a
// local crate document or a cached upstream index file under repos/cargo/ counts; and the
// admin's version delete (unlike a yank, the version leaves the index).
import type { ObjectStore } from '../storage/object-store.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import { DELETE, updateDocument } from '../storage/documents.js';
import { allCrates, crateKey, type CrateDocument } from './crate-document.js';

export function referencedBlobs(store: ObjectStore, filter: DocumentFilter = {}): AsyncGenerator<string> {
  return digestsInDocuments(store, 'repos/cargo/', { ...filter, bareSha256: true });
}

export interface CargoListing { name: string; version: string; digest: string; size: number; pushed: string }

/** Every locally published crate version. */
export async function* listCrates(store: ObjectStore): AsyncGenerator<CargoListing> {
  for await (const doc of allCrates(store)) {
    for (const v of doc.versions) yield { name: doc.name, version: v.vers, digest: `sha256:${v.cksum}`, size: v.size, pushed: v.published_at };
  }
}

/** Removes one version from a local crate (the crate with its last); false when absent. */
export async function deleteVersion(store: ObjectStore, name: string, version: string): Promise<boolean> {
  let found = false;
  await updateDocument<CrateDocument>(store, crateKey(name), (current) => {
    found = current?.versions.some((v) => v.vers === version) ?? false;
    if (!current || !found) return undefined;
    const versions = current.versions.filter((v) => v.vers !== version);
    return versions.length === 0 ? DELETE : { ...current, versions, updated: new Date().toISOString() };
  });
  return found;
}
