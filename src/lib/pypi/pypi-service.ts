// PyPI behind the format service contract (formats/format-service.ts), built once by the
// composition root and handed to the /simple/ and /pypi/ plugin, the management API and ops.
// Names are PEP 503-normalized ("Nora_Demo.Lib" is "nora-demo-lib") in listings, events and
// access checks; versions are releases of files published here, found by PEP 440 equality
// (release-list.ts); upstream pages and files are a cache, not artifacts (their blobs only stay
// alive for gc). A reference is a version or one file's name. Every mutation is one event: an
// uploaded file ArtifactPushed (the file), a deleted release or file ArtifactDeleted, a
// (un)yanked release ArtifactYanked / ArtifactUnyanked.
import type { Readable } from 'node:stream';
import type { BlobStore } from '../blobs/blob-store.js';
import { digestsInDocuments, type DocumentFilter } from '../blobs/digest-scan.js';
import { isNoraError } from '../errors/nora-error.js';
import type { EventBus } from '../events/bus.js';
import type { ArtifactDetail, CachedItem, FormatService, ListNamesOptions, MutationContext, NamePage, Usage, VersionInfo } from '../formats/format-service.js';
import { pageNames } from '../formats/page-names.js';
import { combine, type PullTracker } from '../pulls/pull-tracker.js';
import type { ObjectStore } from '../storage/object-store.js';
import { isValidName, normalizeName } from './names.js';
import { listProjects, PROJECTS_PREFIX, readProject, type ProjectDocument, type StoredFile } from './project-store.js';
import type { NoraConfig } from '../config/schema.js';
import type { UpstreamMetrics } from '../upstream/metrics.js';
import { cachedProjects, evictProject } from './cache-eviction.js';
import { pypiPullThrough } from './pull-through.js';
import { PypiRegistry, type PypiApi } from './registry.js';
import { blobsOf, findRelease, releaseDetail, releaseInfo, releasesOf } from './release-list.js';
import { deleteFile, deleteRelease, unyankRelease, yankRelease } from './releases.js';
import type { PreparedUpload } from './upload-form.js';
import { assertNewFile, commitUpload, receiveFile, type ReceivedFile } from './upload.js';

export interface PypiServiceOptions {
  store: ObjectStore;
  blobs: BlobStore;
  events: EventBus;
  pulls: PullTracker;
  config: NoraConfig['pypi'];
  /** Where the pull-through counts its upstream requests. */
  upstreamMetrics?: UpstreamMetrics | undefined;
}

/** The normalized name, or undefined when `name` is not a valid project name (nothing is stored under it). */
const projectOf = (name: string): string | undefined => (isValidName(name) ? normalizeName(name) : undefined);

export class PypiService implements FormatService {
  readonly format = 'pypi' as const;
  /** What pip reads: local projects, else (decorated by the pull-through) the upstream cache. */
  readonly registry: PypiApi;

  constructor(private readonly options: PypiServiceOptions) {
    const local = new PypiRegistry(options);
    const decorate = pypiPullThrough({ config: options.config, deps: options, metrics: options.upstreamMetrics });
    this.registry = decorate ? decorate(local) : local;
  }

  /** Access rules match the normalized name, whatever spelling the caller used. */
  accessName(name: string): string {
    return normalizeName(name);
  }

  /** Local projects by normalized name; the glob matches that spelling. */
  async listNames(options: ListNamesOptions = {}): Promise<NamePage> {
    return pageNames(await listProjects(this.options.store), options);
  }

  /** Releases in upload order; [] for an unknown project. */
  async listVersions(name: string): Promise<VersionInfo[]> {
    const found = await this.project(name);
    if (!found) return [];
    const pulls = await this.options.pulls.read('pypi', found.project);
    return releasesOf(found.doc).map((release) => releaseInfo(found.project, release, pulls));
  }

  /** A release (by PEP 440 equality) or one file (by filename). */
  async read(name: string, reference: string): Promise<ArtifactDetail | undefined> {
    const found = await this.project(name);
    if (!found) return undefined;
    const { project, doc } = found;
    const file = doc.files.find((f) => f.filename === reference);
    const release = file ? undefined : findRelease(doc, reference);
    if (!file && !release) return undefined;
    const pulls = await this.options.pulls.read('pypi', project);
    if (release) return releaseDetail(doc, releaseInfo(project, release, pulls), release.files);
    return releaseDetail(doc, this.fileInfo(project, file!, combine(pulls, [file!.filename])), [file!]);
  }

  /** A release with all its files, or one file; the project goes with its last file. False when absent. */
  async delete(name: string, reference: string, context: MutationContext = {}): Promise<boolean> {
    const found = await this.project(name);
    if (!found) return false;
    const isFile = found.doc.files.some((f) => f.filename === reference);
    return this.absentAsFalse(() => (isFile ? deleteFile(this.options, name, reference, context.actor) : deleteRelease(this.options, name, reference, context.actor)));
  }

  /** PEP 592 yank (reason "") or unyank of a release; false when absent. Yanking again changes nothing. */
  async yank(name: string, version: string, yanked: boolean, context: MutationContext = {}): Promise<boolean> {
    if (!projectOf(name)) return false;
    return this.absentAsFalse(() => (yanked ? yankRelease(this.options, name, version, '', context.actor) : unyankRelease(this.options, name, version, context.actor)));
  }

  /** PYPI_FILE_EXISTS when the upload's filename is already published. */
  assertNewFile(upload: PreparedUpload): Promise<void> {
    return assertNewFile(this.options.store, upload);
  }

  /** Streams an upload's file into the blob store, staged and verified (upload.ts). */
  receiveFile(upload: PreparedUpload, body: Readable): Promise<ReceivedFile> {
    return receiveFile(this.options, upload, body, this.options.config.max_upload_size);
  }

  /** Adds the received file to its project: one ArtifactPushed naming the file. */
  commitUpload(upload: PreparedUpload, received: ReceivedFile, context: MutationContext = {}): Promise<StoredFile> {
    return commitUpload(this.options, upload, received, context.actor);
  }

  /** Files and core metadata of local projects, and the files cached upstream pages name by sha256. */
  referencedBlobs(filter: DocumentFilter = {}): AsyncIterable<string> {
    return digestsInDocuments(this.options.store, PROJECTS_PREFIX, { ...filter, bareSha256: true });
  }

  /** Local projects, their releases, and the distinct blobs (files and core metadata) they hold. */
  /** Projects whose page is cached from an upstream. */
  listCached(): AsyncIterable<CachedItem> {
    return cachedProjects({ ...this.options, upstreams: this.options.config.upstreams });
  }

  evictCached(item: CachedItem, context: MutationContext = {}): Promise<boolean> {
    return evictProject(this.options, item, context.actor);
  }

  async usage(): Promise<Usage> {
    const blobs = new Map<string, number>();
    let names = 0;
    let versions = 0;
    for (const project of await listProjects(this.options.store)) {
      const doc = await readProject(this.options.store, project);
      if (!doc) continue;
      names++;
      versions += releasesOf(doc).length;
      for (const blob of blobsOf(doc.files)) blobs.set(blob.digest, blob.size);
    }
    return { bytes: [...blobs.values()].reduce((a, b) => a + b, 0), names, versions };
  }

  close(): Promise<void> {
    return this.registry.close();
  }

  private async project(name: string): Promise<{ project: string; doc: ProjectDocument } | undefined> {
    const project = projectOf(name);
    const doc = project && (await readProject(this.options.store, project));
    return project && doc ? { project, doc } : undefined;
  }

  private fileInfo(project: string, file: StoredFile, pulls: { pulls: number; lastPulled?: string }): VersionInfo {
    return { name: project, version: file.filename, digest: file.digest, size: file.size, pushed: file.uploadTime, ...pulls, yanked: file.yanked !== undefined };
  }

  /** Runs a change; NOT_FOUND (removed meanwhile, or never there) is false. */
  private async absentAsFalse(change: () => Promise<unknown>): Promise<boolean> {
    try {
      await change();
      return true;
    } catch (error) {
      if (isNoraError(error) && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }
}
