// Removes one deployed version of a local artifact: the one delete behind DELETE /maven2/...,
// /api/artifacts and `nora delete`. A release and a SNAPSHOT go the same way: the version's entry
// (every file, every timestamped build, any checksum still waiting for its file) leaves the
// artifact document in one compare-and-swap, and the artifact document goes with its last
// version. maven-metadata.xml is generated from that document, so the artifact level's
// latest/release move to the highest remaining version (Maven order) and a SNAPSHOT's own
// metadata is gone at once. The files' blobs stay until garbage collection finds them unreferenced.
import type { EventBus } from '../events/bus.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DELETE, updateDocument } from '../storage/documents.js';
import { artifactKey, own, type ArtifactDocument } from './artifact-document.js';
import { artifactName, type ArtifactCoordinate } from './coordinates.js';
import { mainFile } from './version-info.js';

export interface DeletedVersion {
  /** How many files the version held. */
  files: number;
}

/**
 * Deletes `version` of `artifact` and publishes one ArtifactDeleted; undefined (and no event)
 * when the artifact has no such deployed version (one holding only early checksums is not).
 */
export async function deleteVersion(deps: { store: ObjectStore; events: EventBus }, artifact: ArtifactCoordinate, version: string, actor?: string): Promise<DeletedVersion | undefined> {
  let removed: { files: number; digest?: string } | undefined;
  await updateDocument<ArtifactDocument>(deps.store, artifactKey('local', artifact), (current) => {
    const entry = own(current?.versions, version);
    removed = undefined;
    if (!current || !entry || Object.keys(entry.files).length === 0) return undefined;
    const main = mainFile(current.artifactId, version, entry);
    removed = { files: Object.keys(entry.files).length, ...(main ? { digest: main.file.digest } : {}) };
    const doc = structuredClone(current);
    delete doc.versions[version];
    if (Object.keys(doc.versions).length === 0) return DELETE;
    doc.updated = new Date().toISOString();
    return doc;
  });
  if (!removed) return undefined;
  deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'maven', name: artifactName(artifact), reference: version, ...(removed.digest ? { digest: removed.digest } : {}) }, ...(actor ? { actor } : {}) });
  return { files: removed.files };
}
