// The timestamped builds of a SNAPSHOT version ("1.0-SNAPSHOT" holds lib-1.0-20240101.120000-3.jar
// and its POM as build "20240101.120000-3"), so retention keeps the newest N builds of each
// SNAPSHOT. Deleting a build removes its files from the artifact document in one
// compare-and-swap (maven-metadata.xml is generated from it, so the SNAPSHOT's metadata names the
// newest remaining build at once); the version goes with its last file, the document with its
// last version. One ArtifactDeleted names the build as its unique version ("1.0-20240101.120000-3").
import type { BuildInfo } from '../formats/format-service.js';
import type { EventBus } from '../events/bus.js';
import type { PullRecord } from '../pulls/pull-tracker.js';
import type { ObjectStore } from '../storage/object-store.js';
import { DELETE, updateDocument } from '../storage/documents.js';
import { artifactKey, own, type ArtifactDocument, type VersionEntry } from './artifact-document.js';
import { artifactName, isSnapshot, parseSnapshotFile, type ArtifactCoordinate } from './coordinates.js';

const buildOf = (artifactId: string, version: string, file: string): string | undefined => {
  const parsed = parseSnapshotFile(artifactId, version, file);
  return parsed && `${parsed.timestamp}-${parsed.buildNumber}`;
};

/** The unique version Maven resolves a build as: "1.0-SNAPSHOT" + "20240101.120000-3" -> "1.0-20240101.120000-3". */
export const uniqueVersion = (version: string, build: string): string => `${version.slice(0, -'-SNAPSHOT'.length)}-${build}`;

/** Builds of `version` (none for a release), oldest first; pulls as the version's files report them. */
export function snapshotBuilds(artifactId: string, version: string, entry: VersionEntry, pulls: PullRecord): BuildInfo[] {
  if (!isSnapshot(version)) return [];
  const builds = new Map<string, BuildInfo>();
  for (const [file, stored] of Object.entries(entry.files)) {
    const build = buildOf(artifactId, version, file);
    if (!build) continue;
    let info = builds.get(build);
    if (!info) builds.set(build, (info = { build, pushed: stored.modified, size: 0, blobs: [], pulls: 0 }));
    if (stored.modified > info.pushed) info.pushed = stored.modified;
    if (!info.blobs.some((b) => b.digest === stored.digest)) {
      info.blobs.push({ digest: stored.digest, size: stored.size });
      info.size += stored.size;
    }
    const stats = pulls[`${version}/${file}`];
    if (stats) {
      info.pulls = Math.max(info.pulls, stats.count);
      if (!info.lastPulled || stats.last > info.lastPulled) info.lastPulled = stats.last;
    }
  }
  return [...builds.values()].sort((a, b) => (a.build < b.build ? -1 : a.build > b.build ? 1 : 0));
}

/** Removes build `build` of SNAPSHOT `version`; false (no event) when it has no file. */
export async function deleteBuild(deps: { store: ObjectStore; events: EventBus }, artifact: ArtifactCoordinate, version: string, build: string, actor?: string): Promise<boolean> {
  let removed = false;
  await updateDocument<ArtifactDocument>(deps.store, artifactKey('local', artifact), (current) => {
    const entry = own(current?.versions, version);
    removed = false;
    if (!current || !entry) return undefined;
    const files = Object.keys(entry.files).filter((file) => buildOf(current.artifactId, version, file) === build);
    if (files.length === 0) return undefined;
    removed = true;
    const doc = structuredClone(current);
    const kept = doc.versions[version]!;
    for (const file of files) delete kept.files[file];
    if (Object.keys(kept.files).length === 0) delete doc.versions[version];
    if (Object.keys(doc.versions).length === 0) return DELETE;
    doc.updated = new Date().toISOString();
    return doc;
  });
  if (removed) deps.events.publish({ type: 'ArtifactDeleted', artifact: { format: 'maven', name: artifactName(artifact), reference: uniqueVersion(version, build) }, ...(actor ? { actor } : {}) });
  return removed;
}
