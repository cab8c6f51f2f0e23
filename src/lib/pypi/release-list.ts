// A local project's releases as listings, reads and deletes see them: a release is the set of
// its files (wheels and sdists), grouped by PEP 440 equality (1.0 and 1.0.0 are one release,
// shown as its first file declared it), in the order each release's first file was uploaded.
// Its digest is its first file's, its size the sum of its distinct files, its push time the
// latest upload, its pulls those of all its files; it is yanked when every file is.
import type { ArtifactDetail, VersionInfo } from '../formats/format-service.js';
import { combine, type PullRecord } from '../pulls/pull-tracker.js';
import type { ProjectDocument, StoredFile } from './project-store.js';
import { releaseKey, sameRelease } from './versions.js';

export interface Release {
  /** The version as the release's first file declared it. */
  version: string;
  files: StoredFile[];
}

/** Every release of the project, in upload order. */
export function releasesOf(doc: ProjectDocument): Release[] {
  const releases = new Map<string, Release>();
  for (const file of doc.files) {
    const key = releaseKey(file.version) ?? file.version;
    const release = releases.get(key);
    if (release) release.files.push(file);
    else releases.set(key, { version: file.version, files: [file] });
  }
  return [...releases.values()];
}

/** The release `version` names under PEP 440, or undefined. */
export function findRelease(doc: ProjectDocument, version: string): Release | undefined {
  return releasesOf(doc).find((release) => sameRelease(release.version, version));
}

const sumDistinct = (blobs: { digest: string; size: number }[]) => [...new Map(blobs.map((b) => [b.digest, b.size])).values()].reduce((a, b) => a + b, 0);

/** The listing entry of a release of `project` (its normalized name). */
export function releaseInfo(project: string, release: Release, pulls: PullRecord): VersionInfo {
  const files = release.files;
  const pushed = files.reduce((latest, f) => (f.uploadTime > latest ? f.uploadTime : latest), '');
  return {
    name: project, version: release.version, digest: files[0]!.digest, size: sumDistinct(files), pushed,
    ...combine(pulls, files.map((f) => f.filename)), yanked: files.every((f) => f.yanked !== undefined),
  };
}

/** Every blob of the files: each file and its PEP 658 metadata, each once. */
export function blobsOf(files: StoredFile[]): { digest: string; size: number }[] {
  const blobs = new Map<string, number>();
  for (const file of files) {
    blobs.set(file.digest, file.size);
    if (file.metadata) blobs.set(file.metadata.digest, file.metadata.size);
  }
  return [...blobs].map(([digest, size]) => ({ digest, size }));
}

/** What `read` answers for a release: its blobs, and the files as the simple API describes them. */
export function releaseDetail(doc: ProjectDocument, info: VersionInfo, files: StoredFile[]): ArtifactDetail {
  return { ...info, blobs: blobsOf(files), metadata: { name: doc.name, files: files.map((f) => ({ ...f })) } };
}
