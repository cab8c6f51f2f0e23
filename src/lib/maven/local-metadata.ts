// Which local artifact a maven-metadata.xml path belongs to, and its generated XML. A directory
// ending in -SNAPSHOT under a local artifact is a version directory; otherwise the directory is
// read as group/.../artifactId. When any reading names a local artifact the path is local, and
// upstream metadata never joins it (dependency-confusion protection). A group directory with
// locally deployed plugins has its own plugin-prefix metadata (group-metadata.ts).
import { own, readArtifact } from './artifact-document.js';
import type { ObjectStore } from '../storage/object-store.js';
import { isSnapshot, type ArtifactCoordinate } from './coordinates.js';
import { artifactMetadata, snapshotMetadata } from './metadata-xml.js';
import { groupMetadata } from './group-metadata.js';

export interface GeneratedMetadata {
  xml: string;
  modified: Date;
}

export interface LocalMetadataAnswer {
  /** True when the directory belongs to a locally deployed artifact. */
  local: boolean;
  metadata?: GeneratedMetadata;
}

export async function localMetadata(store: ObjectStore, dir: string[]): Promise<LocalMetadataAnswer> {
  let local = false;
  const version = dir.at(-1)!;
  if (dir.length >= 3 && isSnapshot(version)) {
    const artifact: ArtifactCoordinate = { groupPath: dir.slice(0, -2), artifactId: dir.at(-2)! };
    const doc = await readArtifact(store, artifact);
    if (doc) {
      local = true;
      const xml = snapshotMetadata(doc, version);
      const files = Object.values(own(doc.versions, version)?.files ?? {});
      if (xml) return { local, metadata: { xml, modified: new Date(files.map((f) => f.modified).sort().at(-1)!) } };
    }
  }
  if (dir.length >= 2) {
    const doc = await readArtifact(store, { groupPath: dir.slice(0, -1), artifactId: version });
    if (doc) {
      const xml = artifactMetadata(doc);
      return { local: true, ...(xml.includes('<version>') ? { metadata: { xml, modified: new Date(doc.updated) } } : {}) };
    }
  }
  const group = await groupMetadata(store, dir);
  return group ? { local: true, metadata: group } : { local };
}
