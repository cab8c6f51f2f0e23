// Generates maven-metadata.xml from the server's own records: artifact level (versions, latest,
// release, lastUpdated) and SNAPSHOT version level (latest timestamped build, and the newest
// value per classifier/extension). Output depends only on the stored document, so the XML and
// its checksums always agree. https://maven.apache.org/ref/3.8.7/maven-repository-metadata/repository-metadata.html
import { isSnapshot, parseSnapshotFile } from './coordinates.js';
import type { ArtifactDocument } from './artifact-document.js';
import { own } from './artifact-document.js';
import { compareVersions, metadataTimestamp } from './versions.js';
import { first, xmlBlocks, xmlTexts } from './xml-scan.js';

const escape = (text: string): string => text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const element = (name: string, value: string) => `<${name}>${escape(value)}</${name}>`;
const HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface VersionList {
  groupId: string;
  artifactId: string;
  versions: string[];
  /** yyyyMMddHHmmss */
  lastUpdated: string;
}

/** Artifact-level metadata for a sorted-or-not list of versions (sorted here, Maven order). */
export function renderArtifactMetadata({ groupId, artifactId, versions, lastUpdated }: VersionList): string {
  const sorted = [...new Set(versions)].sort(compareVersions);
  const releases = sorted.filter((v) => !isSnapshot(v));
  const lines = [
    '<metadata>',
    `  ${element('groupId', groupId)}`,
    `  ${element('artifactId', artifactId)}`,
    '  <versioning>',
    ...(sorted.length > 0 ? [`    ${element('latest', sorted.at(-1)!)}`] : []),
    ...(releases.length > 0 ? [`    ${element('release', releases.at(-1)!)}`] : []),
    '    <versions>',
    ...sorted.map((v) => `      ${element('version', v)}`),
    '    </versions>',
    `    ${element('lastUpdated', lastUpdated)}`,
    '  </versioning>',
    '</metadata>',
  ];
  return HEADER + lines.join('\n') + '\n';
}

/** Versions with at least one file (a version holding only early checksums is not deployed yet). */
export const deployedVersions = (doc: ArtifactDocument): string[] => Object.entries(doc.versions).filter(([, e]) => Object.keys(e.files).length > 0).map(([v]) => v);

export function artifactMetadata(doc: ArtifactDocument): string {
  return renderArtifactMetadata({ groupId: doc.groupId, artifactId: doc.artifactId, versions: deployedVersions(doc), lastUpdated: metadataTimestamp(new Date(doc.updated)) });
}

/** Version-level metadata of a SNAPSHOT version; undefined for releases or unknown versions. */
export function snapshotMetadata(doc: ArtifactDocument, version: string): string | undefined {
  const entry = own(doc.versions, version);
  if (!entry || !isSnapshot(version) || Object.keys(entry.files).length === 0) return undefined;
  const base = version.slice(0, -'-SNAPSHOT'.length);
  const builds = Object.entries(entry.files).flatMap(([name, file]) => {
    const parsed = parseSnapshotFile(doc.artifactId, version, name);
    return parsed ? [{ ...parsed, modified: file.modified }] : [];
  });
  const rank = (b: { buildNumber: number; timestamp: string }) => `${String(b.buildNumber).padStart(12, '0')}${b.timestamp}`;
  const newest = new Map<string, (typeof builds)[number]>();
  for (const build of builds) {
    const kind = `${build.classifier}\u0000${build.extension}`;
    const seen = newest.get(kind);
    if (!seen || rank(build) > rank(seen)) newest.set(kind, build);
  }
  const latest = builds.reduce<(typeof builds)[number] | undefined>((best, b) => (!best || rank(b) > rank(best) ? b : best), undefined);
  const modified = Object.values(entry.files).map((f) => f.modified).sort().at(-1) ?? entry.created;
  const lines = [
    '<metadata modelVersion="1.1.0">',
    `  ${element('groupId', doc.groupId)}`,
    `  ${element('artifactId', doc.artifactId)}`,
    `  ${element('version', version)}`,
    '  <versioning>',
    ...(latest ? ['    <snapshot>', `      ${element('timestamp', latest.timestamp)}`, `      ${element('buildNumber', String(latest.buildNumber))}`, '    </snapshot>'] : []),
    `    ${element('lastUpdated', metadataTimestamp(new Date(modified)))}`,
  ];
  if (newest.size > 0) {
    lines.push('    <snapshotVersions>');
    for (const build of [...newest.values()].sort((a, b) => (a.classifier + a.extension).localeCompare(b.classifier + b.extension))) {
      lines.push('      <snapshotVersion>');
      if (build.classifier) lines.push(`        ${element('classifier', build.classifier)}`);
      lines.push(`        ${element('extension', build.extension)}`, `        ${element('value', `${base}-${build.timestamp}-${build.buildNumber}`)}`,
        `        ${element('updated', metadataTimestamp(new Date(build.modified)))}`, '      </snapshotVersion>');
    }
    lines.push('    </snapshotVersions>');
  }
  lines.push('  </versioning>', '</metadata>');
  return HEADER + lines.join('\n') + '\n';
}

/** What an upstream artifact-level metadata file says (enough to merge several upstreams). */
export function readVersionList(xml: string): Partial<VersionList> & { versions: string[] } {
  const one = (name: string) => first(xmlTexts(xml, name));
  const block = first(xmlBlocks(xml, 'versions')) ?? '';
  const versions = [...xmlTexts(block, 'version')].filter(Boolean);
  const result: Partial<VersionList> & { versions: string[] } = { versions };
  for (const key of ['groupId', 'artifactId', 'lastUpdated'] as const) {
    const value = one(key);
    if (value !== undefined) result[key] = value;
  }
  return result;
}
