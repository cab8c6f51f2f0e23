// The PyPI registry as the HTTP layer sees it: the project list, a project's page and its
// files, each answered from files published here and, for projects not published here, from
// the cached upstream index. A project published here is served from its own files only
// (dependency-confusion protection) unless merge_upstream is on; then local files win over
// upstream files of the same name.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { EventBus } from '../events/bus.js';
import { listProjects, readProject, type ProjectDocument } from './project-store.js';
import { distinctVersions, localIndexFile, type IndexFile, type ProjectPage } from './simple-page.js';
import { encodeFilePath, METADATA_SUFFIX } from './file-urls.js';
import { UpstreamPages, type UpstreamDocument, type UpstreamSettings } from './upstream-pages.js';
import { UpstreamFiles } from './upstream-files.js';
import type { UpstreamFile } from './upstream-page.js';

export interface PypiSettings extends UpstreamSettings {
  merge_upstream: boolean;
  max_upload_size: number;
}

export interface PypiDeps {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
}

/** Where a requested file's bytes come from. */
export type FileSource =
  | { kind: 'blob'; digest: string }
  | { kind: 'stream'; body: Readable; size?: number };

export class PypiRegistry {
  readonly upstreamPages: UpstreamPages;
  readonly upstreamFiles: UpstreamFiles;

  constructor(readonly deps: PypiDeps, readonly settings: PypiSettings) {
    this.upstreamPages = new UpstreamPages(deps.store, settings);
    this.upstreamFiles = new UpstreamFiles(deps.blobs, this.upstreamPages.client);
  }

  /** Normalized names of the projects published here (upstream projects are not listed). */
  projectList(): Promise<string[]> {
    return listProjects(this.deps.store);
  }

  private async sources(project: string): Promise<{ local?: ProjectDocument; upstream?: UpstreamDocument }> {
    const local = await readProject(this.deps.store, project);
    if (local && !this.settings.merge_upstream) return { local };
    if (!local) {
      const upstream = await this.upstreamPages.page(project);
      return upstream ? { upstream } : {};
    }
    // Merging: an upstream failure must not hide the files published here.
    const upstream = await this.upstreamPages.page(project).catch(() => undefined);
    return { local, ...(upstream ? { upstream } : {}) };
  }

  /** The project's page with links under `baseUrl`; undefined when nobody has the project. */
  async projectPage(project: string, baseUrl: string): Promise<ProjectPage | undefined> {
    const { local, upstream } = await this.sources(project);
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

  /** Locates `filename` (or its PEP 658 `.metadata`) of `project`; undefined when there is none. */
  async locateFile(project: string, filename: string): Promise<FileSource | undefined> {
    const { local, upstream } = await this.sources(project);
    const wantsMetadata = filename.endsWith(METADATA_SUFFIX);
    const distName = wantsMetadata ? filename.slice(0, -METADATA_SUFFIX.length) : filename;
    const own = local?.files.find((file) => file.filename === distName);
    if (own) {
      if (!wantsMetadata) return { kind: 'blob', digest: own.digest };
      return own.metadata ? { kind: 'blob', digest: own.metadata.digest } : undefined;
    }
    const remote = upstream?.files.find((file) => file.filename === distName);
    if (!remote) return undefined;
    return wantsMetadata ? this.upstreamMetadata(remote) : this.upstreamFile(remote);
  }

  private async upstreamFile(file: UpstreamFile): Promise<FileSource | undefined> {
    const digest = await this.upstreamFiles.cached(file.sha256);
    if (digest) return { kind: 'blob', digest };
    const fetched = await this.upstreamFiles.open(file);
    if (!fetched) return undefined;
    if ('digest' in fetched) return { kind: 'blob', digest: fetched.digest };
    return { kind: 'stream', body: fetched.body, ...(fetched.size !== undefined ? { size: fetched.size } : {}) };
  }

  private async upstreamMetadata(file: UpstreamFile): Promise<FileSource | undefined> {
    const digest = await this.upstreamFiles.metadata(file);
    return digest ? { kind: 'blob', digest } : undefined;
  }

  async close(): Promise<void> {
    await this.upstreamPages.client.close();
  }
}
