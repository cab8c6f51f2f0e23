// The documents that hold a project published here. One JSON document per project lists its
// files in upload order, each pointing at the blob with the file's bytes (and at the blob of
// its extracted core metadata); updates are compare-and-swap, so concurrent uploads to one
// project never lose a file.
//   repos/pypi/<normalized name>/project.json   files published here
//   repos/pypi/<normalized name>/upstream.json  the cached upstream page (upstream-cache.ts)
import type { ObjectStore } from '../storage/object-store.js';
import { listAll } from '../storage/object-store.js';
import { readDocument, updateDocument, DELETE } from '../storage/documents.js';
import type { DistKind } from './filenames.js';

export interface StoredFile {
  filename: string;
  version: string;
  kind: DistKind;
  /** Blob address of the file ("sha256:<hex>"). */
  digest: string;
  sha256: string;
  md5?: string;
  blake2_256?: string;
  size: number;
  /** ISO 8601, UTC. */
  uploadTime: string;
  requiresPython?: string;
  /** PEP 592: absent when not yanked, else the reason ("" when none was given). */
  yanked?: string;
  /** PEP 658: the wheel's METADATA file, stored as its own blob. */
  metadata?: { digest: string; sha256: string; size: number };
}

export interface ProjectDocument {
  /** The name as first uploaded (display spelling). */
  name: string;
  files: StoredFile[];
}

export const PROJECTS_PREFIX = 'repos/pypi/';
export const projectKey = (normalized: string): string => `${PROJECTS_PREFIX}${normalized}/project.json`;

/** The project's document, or undefined when nothing was published under that name. */
export async function readProject(store: ObjectStore, normalized: string): Promise<ProjectDocument | undefined> {
  return (await readDocument<ProjectDocument>(store, projectKey(normalized)))?.value;
}

/** Applies `change` atomically; returning an empty file list deletes the document. */
export async function updateProject(
  store: ObjectStore,
  normalized: string,
  change: (current: ProjectDocument | undefined) => ProjectDocument | undefined,
): Promise<ProjectDocument | undefined> {
  return updateDocument<ProjectDocument>(store, projectKey(normalized), (current) => {
    const next = change(current);
    if (next && next.files.length === 0) return DELETE;
    return next;
  });
}

/** Normalized names of every project published here, sorted. */
export async function listProjects(store: ObjectStore): Promise<string[]> {
  const names: string[] = [];
  for await (const info of listAll(store, PROJECTS_PREFIX)) {
    const match = /^repos\/pypi\/([^/]+)\/project\.json$/.exec(info.key);
    if (match) names.push(match[1]!);
  }
  return names.sort();
}
