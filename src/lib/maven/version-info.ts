// One deployed version as listings, retention and the UI see it (formats/format-service.ts):
// its main file's digest, the sum of its distinct blobs, when it was last pushed to, and its
// pulls. Pulls are counted per file ("<version>/<file name>", as the download route reports
// them); a build fetching a version reads its POM and its jar, so the version's count is its
// most-pulled file's, not the sum.
import type { ArtifactDetail, VersionInfo } from '../formats/format-service.js';
import type { PullRecord } from '../pulls/pull-tracker.js';
import type { StoredFile, VersionEntry } from './artifact-document.js';
import { parseSnapshotFile } from './coordinates.js';

/** Classifier and extension of a file of `artifactId`:`version` ("" classifier: the main artifact). */
function kindOf(artifactId: string, version: string, filename: string): { classifier: string; extension: string } {
  const stamped = parseSnapshotFile(artifactId, version, filename);
  if (stamped) return stamped;
  const rest = filename.slice(`${artifactId}-${version}`.length);
  const match = /^(?:-([^.]+))?\.(.+)$/.exec(rest);
  return { classifier: match?.[1] ?? '', extension: match?.[2] ?? '' };
}

const newest = (files: Array<[string, StoredFile]>) => files.reduce<[string, StoredFile] | undefined>((best, f) => (!best || f[1].modified > best[1].modified ? f : best), undefined);

/**
 * The file that stands for the version: the newest main artifact (no classifier; not a POM,
 * signature or Gradle module), else the newest POM, else the newest file.
 */
export function mainFile(artifactId: string, version: string, entry: VersionEntry): { name: string; file: StoredFile } | undefined {
  const files = Object.entries(entry.files);
  const kinds = files.map((f) => [f, kindOf(artifactId, version, f[0])] as const);
  const pick = (test: (k: { classifier: string; extension: string }) => boolean) => newest(kinds.filter(([, k]) => test(k)).map(([f]) => f));
  const chosen = pick((k) => k.classifier === '' && !/(^|\.)(pom|asc|module)$/.test(k.extension))
    ?? pick((k) => k.classifier === '' && k.extension === 'pom')
    ?? newest(files);
  return chosen && { name: chosen[0], file: chosen[1] };
}

/** The version's distinct blobs (two files with the same bytes are one blob). */
export function versionBlobs(entry: VersionEntry): { digest: string; size: number }[] {
  const blobs = new Map<string, number>();
  for (const file of Object.values(entry.files)) blobs.set(file.digest, file.size);
  return [...blobs].map(([digest, size]) => ({ digest, size }));
}

function pullsOf(record: PullRecord, version: string, entry: VersionEntry): { pulls: number; lastPulled?: string } {
  let pulls = 0;
  let last = '';
  for (const name of Object.keys(entry.files)) {
    const stats = record[`${version}/${name}`];
    if (!stats) continue;
    pulls = Math.max(pulls, stats.count);
    if (stats.last > last) last = stats.last;
  }
  return last ? { pulls, lastPulled: last } : { pulls };
}

/** The listing entry of a deployed version; undefined when it has no file. */
export function versionInfo(name: string, artifactId: string, version: string, entry: VersionEntry, pulls: PullRecord): VersionInfo | undefined {
  const main = mainFile(artifactId, version, entry);
  if (!main) return undefined;
  const pushed = Object.values(entry.files).reduce((latest, f) => (f.modified > latest ? f.modified : latest), entry.created);
  return {
    name, version, digest: main.file.digest, size: versionBlobs(entry).reduce((n, b) => n + b.size, 0), pushed,
    ...pullsOf(pulls, version, entry),
  };
}

/** `versionInfo` with every blob and the version's files as metadata. */
export function versionDetail(info: VersionInfo, groupId: string, artifactId: string, entry: VersionEntry): ArtifactDetail {
  const files = Object.fromEntries(Object.entries(entry.files).map(([file, f]) => [file, { digest: f.digest, size: f.size, sha1: f.sha1, modified: f.modified }]));
  return { ...info, blobs: versionBlobs(entry), metadata: { groupId, artifactId, version: info.version, files } };
}
