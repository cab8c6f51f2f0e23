// What Maven metadata keeps alive, for garbage collection and `nora images ls --type maven`:
// every blob named by a local artifact document or a cached upstream file record under
// repos/maven/; and the admin's version delete.
import type { ObjectStore } from '../storage/object-store.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import { listMavenArtifacts } from './listing.js';
import { DELETE, updateDocument } from '../storage/documents.js';
import { artifactKey, own, readArtifact, type ArtifactDocument } from './artifact-document.js';

export function referencedBlobs(store: ObjectStore, filter: DocumentFilter = {}): AsyncGenerator<string> {
  return digestsInDocuments(store, 'repos/maven/', filter);
}

export interface MavenListing { name: string; version: string; digest: string; size: number; pushed: string }

/** Every locally deployed version ("groupId:artifactId"), its first file's digest and total size. */
export async function* listVersions(store: ObjectStore): AsyncGenerator<MavenListing> {
  for await (const summary of listMavenArtifacts(store)) {
    const doc = await readArtifact(store, { groupPath: summary.groupId.split('.'), artifactId: summary.artifactId });
    for (const [version, entry] of Object.entries(doc?.versions ?? {})) {
      const files = Object.values(entry.files);
      yield { name: `${summary.groupId}:${summary.artifactId}`, version, digest: files[0]?.digest ?? '', size: files.reduce((n, f) => n + f.size, 0), pushed: entry.created };
    }
  }
}

/** Removes one locally deployed version of "groupId:artifactId"; false when absent. */
export async function deleteVersion(store: ObjectStore, name: string, version: string): Promise<boolean> {
  const [groupId, artifactId] = name.split(':');
  if (!groupId || !artifactId) return false;
  let found = false;
  await updateDocument<ArtifactDocument>(store, artifactKey('local', { groupPath: groupId.split('.'), artifactId }), (current) => {
    found = own(current?.versions, version) !== undefined;
    if (!current || !found) return undefined;
    const doc = structuredClone(current);
    delete doc.versions[version];
    if (Object.keys(doc.versions).length === 0) return DELETE;
    doc.updated = new Date().toISOString();
    return doc;
  });
  return found;
}
