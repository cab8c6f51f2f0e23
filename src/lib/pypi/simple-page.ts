// What a simple-API page says, independent of its HTML or JSON spelling: the project list, and
// a project's files with hashes, Requires-Python, yank state, core-metadata hash, size, upload
// time, and the project's versions (PEP 700).
import { encodeFilePath } from './file-urls.js';
import type { StoredFile } from './project-store.js';

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

/** Distinct versions in first-seen order. */
export function versionsOf(files: Array<{ version?: string }>): string[] {
  return [...new Set(files.flatMap((file) => (file.version ? [file.version] : [])))];
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
