// An admin's delete of one version, unlike a yank: the version leaves the crate document, so
// its line leaves the index file (which stays a valid index file: the other lines are rendered
// as before) and its .crate is no longer referenced (the next gc frees it). Deleting the last
// version removes the crate, and with it the name.
import type { ObjectStore } from '../storage/object-store.js';
import { DELETE, updateDocument } from '../storage/documents.js';
import { crateKey, type CrateDocument, type StoredVersion } from './crate-document.js';
import { isLookupName } from './names.js';

export interface DeletedVersion {
  /** The crate's canonical name. */
  name: string;
  version: StoredVersion;
  /** True when it was the last version (the crate is gone). */
  last: boolean;
}

/** Removes `version` of `name` (up to case, - and _); undefined when absent. */
export async function deleteVersion(store: ObjectStore, name: string, version: string): Promise<DeletedVersion | undefined> {
  if (!isLookupName(name)) return undefined;
  let deleted: DeletedVersion | undefined;
  await updateDocument<CrateDocument>(store, crateKey(name), (current) => {
    const entry = current?.versions.find((v) => v.vers === version);
    deleted = current && entry ? { name: current.name, version: entry, last: current.versions.length === 1 } : undefined;
    if (!current || !deleted) return undefined;
    const versions = current.versions.filter((v) => v !== entry);
    return versions.length === 0 ? DELETE : { ...current, versions, updated: new Date().toISOString() };
  });
  return deleted;
}
