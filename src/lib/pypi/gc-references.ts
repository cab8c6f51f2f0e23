// What PyPI metadata keeps alive, for garbage collection and `nora images ls --type pypi`: the
// file and core-metadata blobs of local projects, and the files a cached upstream page names by
// sha256 (cached copies are stored under that digest); and the admin's version delete.
import type { ObjectStore } from '../storage/object-store.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import { listProjects, readProject, updateProject } from './project-store.js';
import { normalizeName } from './names.js';

export function referencedBlobs(store: ObjectStore, filter: DocumentFilter = {}): AsyncGenerator<string> {
  return digestsInDocuments(store, 'repos/pypi/', { ...filter, bareSha256: true });
}

export interface PypiListing { name: string; version: string; digest: string; size: number; pushed: string }

/** Every locally published version: its first file's digest and the size of all its files. */
export async function* listReleases(store: ObjectStore): AsyncGenerator<PypiListing> {
  for (const normalized of await listProjects(store)) {
    const doc = await readProject(store, normalized);
    const versions = new Map<string, PypiListing>();
    for (const file of doc?.files ?? []) {
      const seen = versions.get(file.version);
      if (seen) seen.size += file.size;
      else versions.set(file.version, { name: doc!.name, version: file.version, digest: file.digest, size: file.size, pushed: file.uploadTime });
    }
    yield* versions.values();
  }
}

/** Removes every file of one version of a local project; false when absent. */
export async function deleteVersion(store: ObjectStore, name: string, version: string): Promise<boolean> {
  let found = false;
  await updateProject(store, normalizeName(name), (current) => {
    found = current?.files.some((f) => f.version === version) ?? false;
    return current && found ? { ...current, files: current.files.filter((f) => f.version !== version) } : undefined;
  });
  return found;
}
