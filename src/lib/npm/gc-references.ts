// What npm metadata keeps alive, for garbage collection and `nora images ls --type npm`: every
// blob named by a local package document, a cached upstream packument or a tarball-cache record
// under repos/npm/ (digests and sha512 integrity strings alike); and the admin's version delete.
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { DELETE, readDocument, updateDocument } from '../storage/documents.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import { documentKey, type PackageDocument } from './package-document.js';
import { parsePackageName } from './package-name.js';
import { applyUpdate } from './package-edits.js';

export function referencedBlobs(store: ObjectStore, filter: DocumentFilter = {}): AsyncGenerator<string> {
  return digestsInDocuments(store, 'repos/npm/', { ...filter, integrity: true });
}

export interface NpmListing { name: string; version: string; digest: string; size: number; pushed: string }

/** Every locally published version. */
export async function* listPackages(store: ObjectStore): AsyncGenerator<NpmListing> {
  for await (const info of listAll(store, 'repos/npm/')) {
    if (!info.key.endsWith('/package.json')) continue;
    const doc = (await readDocument<PackageDocument>(store, info.key))?.value;
    if (!doc) continue;
    for (const file of Object.values(doc.files)) {
      const time = doc.packument.time?.[file.version];
      yield { name: doc.packument.name, version: file.version, digest: file.digest, size: file.size, pushed: typeof time === 'string' ? time : info.modified.toISOString() };
    }
  }
}

/** Removes one locally published version (the whole document with its last); false when absent. */
export async function deleteVersion(store: ObjectStore, name: string, version: string): Promise<boolean> {
  const key = documentKey(parsePackageName(name));
  let found = false;
  await updateDocument<PackageDocument>(store, key, (current) => {
    found = current?.packument.versions[version] !== undefined;
    if (!current || !found) return undefined;
    const rest = Object.keys(current.packument.versions).filter((v) => v !== version);
    if (rest.length === 0) return DELETE;
    const { doc } = applyUpdate(current, { versions: Object.fromEntries(rest.map((v) => [v, {}])), 'dist-tags': current.packument['dist-tags'] }, new Date().toISOString());
    return doc;
  });
  return found;
}
