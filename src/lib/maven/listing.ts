// Listings of the Maven repository: every deployed artifact (for the format service), every
// cached upstream file (usage), and one directory of the repository layout (the HTML pages).
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { readDocument } from '../storage/documents.js';
import { own, readArtifact, type ArtifactDocument, type CacheDocument, type StoredFile } from './artifact-document.js';
import { CHECKSUM_ALGORITHMS, METADATA_FILE, isSnapshot } from './coordinates.js';
import { deployedVersions } from './metadata-xml.js';
import { compareVersions } from './versions.js';

const LOCAL = 'repos/maven/local/';
const CACHE = 'repos/maven/cache/';
const INDEX = '@index.json';

export interface MavenArtifactSummary {
  /** groupId/artifactId path form, the name access rules use. */
  name: string;
  groupId: string;
  artifactId: string;
  versions: string[];
  latest?: string;
  release?: string;
  files: number;
  size: number;
  updated: string;
}

/** Every local artifact document with at least one deployed version, in storage key order. */
export async function* localArtifacts(store: ObjectStore): AsyncGenerator<{ path: string; doc: ArtifactDocument }> {
  for await (const info of listAll(store, LOCAL)) {
    if (!info.key.endsWith(`/${INDEX}`)) continue;
    const doc = (await readDocument<ArtifactDocument>(store, info.key))?.value;
    if (doc && deployedVersions(doc).length > 0) yield { path: info.key.slice(LOCAL.length, -(INDEX.length + 1)), doc };
  }
}

/** Every locally deployed artifact, in storage key order. */
export async function* listMavenArtifacts(store: ObjectStore): AsyncGenerator<MavenArtifactSummary> {
  for await (const { path, doc } of localArtifacts(store)) {
    const versions = deployedVersions(doc).sort(compareVersions);
    const files = versions.flatMap((v) => Object.values(doc.versions[v]!.files));
    const releases = versions.filter((v) => !isSnapshot(v));
    yield {
      name: path, groupId: doc.groupId, artifactId: doc.artifactId, versions,
      latest: versions.at(-1)!, ...(releases.length > 0 ? { release: releases.at(-1)! } : {}),
      files: files.length, size: files.reduce((sum, f) => sum + f.size, 0), updated: doc.updated,
    };
  }
}

/** Every file cached from an upstream (they hold blobs as deployed files do). */
export async function* cachedFiles(store: ObjectStore): AsyncGenerator<StoredFile> {
  for await (const info of listAll(store, CACHE)) {
    if (!info.key.endsWith(`/${INDEX}`)) continue;
    yield* Object.values((await readDocument<CacheDocument>(store, info.key))?.value.files ?? {});
  }
}

export interface DirectoryEntry {
  name: string;
  directory: boolean;
  size?: number;
  modified?: string;
}

const withChecksums = (name: string, entry: Omit<DirectoryEntry, 'name'>): DirectoryEntry[] =>
  [{ name, ...entry }, ...CHECKSUM_ALGORITHMS.map((a) => ({ name: `${name}.${a}`, directory: false }))];

/** The entries of one repository directory; undefined when nothing local lives there. */
export async function listDirectory(store: ObjectStore, segments: string[]): Promise<DirectoryEntry[] | undefined> {
  const entries = new Map<string, DirectoryEntry>();
  const prefix = segments.length === 0 ? LOCAL : `${LOCAL}${segments.join('/')}/`;
  let cursor: string | undefined;
  let artifact: ArtifactDocument | undefined;
  do {
    const page = await store.list(prefix, { delimiter: '/', ...(cursor === undefined ? {} : { cursor }) });
    for (const sub of page.prefixes) {
      const name = sub.slice(prefix.length, -1);
      entries.set(name, { name, directory: true });
    }
    if (page.items.some((i) => i.key === `${prefix}${INDEX}`)) artifact = (await readDocument<ArtifactDocument>(store, `${prefix}${INDEX}`))?.value;
    cursor = page.cursor;
  } while (cursor !== undefined);
  if (artifact) {
    for (const version of deployedVersions(artifact)) entries.set(version, { name: version, directory: true });
    for (const e of withChecksums(METADATA_FILE, { directory: false, modified: artifact.updated })) entries.set(e.name, e);
  }
  if (segments.length >= 3) {
    const doc = await readArtifact(store, { groupPath: segments.slice(0, -2), artifactId: segments.at(-2)! });
    const version = own(doc?.versions, segments.at(-1)!);
    for (const [name, file] of Object.entries(version?.files ?? {})) {
      for (const e of withChecksums(name, { directory: false, size: file.size, modified: file.modified })) entries.set(e.name, e);
    }
    if (version && isSnapshot(segments.at(-1)!)) for (const e of withChecksums(METADATA_FILE, { directory: false })) entries.set(e.name, e);
  }
  if (entries.size === 0 && segments.length > 0) return undefined;
  return [...entries.values()].sort((a, b) => (a.directory === b.directory ? a.name.localeCompare(b.name) : a.directory ? -1 : 1));
}
