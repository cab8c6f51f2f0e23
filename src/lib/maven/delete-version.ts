// Removes one version of a locally deployed artifact (an administrator's operation). The files'
// blobs stay until garbage collection finds them unreferenced; the artifact document goes away
// with its last version.
import { CommonErrors } from '../errors/catalog.js';
import { DELETE, updateDocument } from '../storage/documents.js';
import { artifactKey, own, type ArtifactDocument } from './artifact-document.js';
import { artifactName, type ArtifactCoordinate } from './coordinates.js';
import type { MavenContext } from './context.js';

/** Deletes `version`; NOT_FOUND when the artifact has no such version. Returns the files removed. */
export async function deleteVersion(ctx: MavenContext, artifact: ArtifactCoordinate, version: string, actor?: string): Promise<number> {
  const name = artifactName(artifact);
  let removed = 0;
  await updateDocument<ArtifactDocument>(ctx.store, artifactKey('local', artifact), (current) => {
    const entry = own(current?.versions, version);
    if (!current || !entry) throw CommonErrors.NOT_FOUND(`${name}/${version}`);
    removed = Object.keys(entry.files).length;
    const doc = structuredClone(current);
    delete doc.versions[version];
    if (Object.keys(doc.versions).length === 0) return DELETE;
    doc.updated = new Date().toISOString();
    return doc;
  });
  ctx.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'maven', name, reference: version }, ...(actor ? { actor } : {}) });
  return removed;
}
