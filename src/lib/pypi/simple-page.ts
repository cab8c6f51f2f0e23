// What a simple-API page says, independent of its HTML or JSON spelling: the project list, and
// a project's files with hashes, Requires-Python, yank state, core-metadata hash, size, upload
// time, and the project's versions (PEP 700).
import { encodeFilePath } from './file-urls.js';
import type { StoredFile } from './project-store.js';
import { releaseKey } from './versions.js';

export interface IndexFile {
  filename: string;
  /** Absolute URL the client downloads from. */
  url: string;
  sha256: string;
  requiresPython?: string;
  /** Absent when not yanked, else the reason ("" when none). */
  yanked?: string;
  /** sha256 of the PEP 658 metadata file served at `${url}.metadata`. */
  coreMetadataSha256?: string;
  size?: number;
  uploadTime?: string;
  version?: string;
}

export interface ProjectPage {
  name: string;
  files: IndexFile[];
  versions: string[];
}

export const API_VERSION = '1.1';

/** Distinct releases in first-seen order, each as first spelled (PEP 440: 1.0 and 1.0.0 are one). */
export function distinctVersions(versions: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const version of versions) {
    const key = releaseKey(version) ?? version;
    if (!seen.has(key)) seen.set(key, version);
  }
  return [...seen.values()];
}

/** The distinct versions of `files`, in first-seen order. */
export function versionsOf(files: Array<{ version?: string }>): string[] {
  return distinctVersions(files.flatMap((file) => (file.version ? [file.version] : [])));
}

/** The index entry of a file published here, linked under `baseUrl`. */
export function localIndexFile(baseUrl: string, project: string, file: StoredFile): IndexFile {
  return {
    filename: file.filename,
    url: `${baseUrl}${encodeFilePath(project, file.filename)}`,
    sha256: file.sha256,
    ...(file.requiresPython ? { requiresPython: file.requiresPython } : {}),
    ...(file.yanked !== undefined ? { yanked: file.yanked } : {}),
    ...(file.metadata ? { coreMetadataSha256: file.metadata.sha256 } : {}),
    size: file.size,
    uploadTime: file.uploadTime,
    version: file.version,
  };
}
