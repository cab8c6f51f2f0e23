// The PyPI registry as the HTTP layer sees it: the project list, a project's page and its files,
// each answered from files published here. The pull-through cache (pull-through.ts) decorates it
// with the cached upstream index for projects not published here; a project published here is
// served from its own files only (dependency-confusion protection) unless merge_upstream is on.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { EventBus } from '../events/bus.js';
import { listProjects, readProject, type ProjectDocument } from './project-store.js';
import { distinctVersions, localIndexFile, type IndexFile, type ProjectPage } from './simple-page.js';
import { encodeFilePath, METADATA_SUFFIX } from './file-urls.js';
import type { UpstreamPage } from './upstream-page.js';

export interface PypiDeps {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
}

/** Where a requested file's bytes come from. */
export type FileSource =
  | { kind: 'blob'; digest: string }
  | { kind: 'stream'; body: Readable; size?: number };

/** What handlers call: the registry, or a decorator of it. */
export type PypiApi = Pick<PypiRegistry, 'projectList' | 'localProject' | 'projectPage' | 'locateFile' | 'close'>;

/** The distribution a file name is about (a PEP 658 `.metadata` name is about its wheel). */
export const distributionOf = (filename: string): { distName: string; wantsMetadata: boolean } => {
  const wantsMetadata = filename.endsWith(METADATA_SUFFIX);
  return { distName: wantsMetadata ? filename.slice(0, -METADATA_SUFFIX.length) : filename, wantsMetadata };
};

/** A project's page from its local files and, if given, an upstream page (local files win by name). */
export function pageOf(project: string, baseUrl: string, local: ProjectDocument | undefined, upstream?: UpstreamPage): ProjectPage | undefined {
  if (!local && !upstream) return undefined;
  const files: IndexFile[] = (local?.files ?? []).map((file) => localIndexFile(baseUrl, project, file));
  const localNames = new Set(files.map((file) => file.filename));
  for (const file of upstream?.files ?? []) {
    if (localNames.has(file.filename)) continue;
    const { url: _upstreamUrl, ...rest } = file;
    files.push({ ...rest, url: `${baseUrl}${encodeFilePath(project, file.filename)}` });
  }
  const versions = distinctVersions([...(local?.files ?? []).map((file) => file.version), ...(upstream?.versions ?? [])]);
  return { name: local?.name ?? upstream?.name ?? project, files, versions };
}

export class PypiRegistry {
  constructor(readonly deps: PypiDeps) {}

  /** Normalized names of the projects published here (upstream projects are not listed). */
  projectList(): Promise<string[]> {
    return listProjects(this.deps.store);
  }

  /** The document of a project published here. */
  localProject(project: string): Promise<ProjectDocument | undefined> {
    return readProject(this.deps.store, project);
  }

  /** The project's page with links under `baseUrl`; undefined when it is not published here. */
  async projectPage(project: string, baseUrl: string): Promise<ProjectPage | undefined> {
    return pageOf(project, baseUrl, await this.localProject(project));
  }

  /** Locates `filename` (or its PEP 658 `.metadata`) of `project`; undefined when there is none. */
  async locateFile(project: string, filename: string): Promise<FileSource | undefined> {
    const { distName, wantsMetadata } = distributionOf(filename);
    const own = (await this.localProject(project))?.files.find((file) => file.filename === distName);
    if (!own) return undefined;
    if (!wantsMetadata) return { kind: 'blob', digest: own.digest };
    return own.metadata ? { kind: 'blob', digest: own.metadata.digest } : undefined;
  }

  async close(): Promise<void> {
    // Nothing to release: the store belongs to Services.
  }
}
