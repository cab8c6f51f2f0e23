// The PyPI registry with a pull-through cache in front of it: a project not published here is
// answered from the upstream indexes (upstream-pages.ts: tried in order, cached, revalidated,
// served stale when they fail) and its files are stored as verified blobs on first download
// (upstream-files.ts). A project published here keeps to its own files, unless merge_upstream
// adds the upstream's files it does not have (an upstream failure then hides nothing local).
import type { NoraConfig } from '../config/schema.js';
import type { CacheMeter, UpstreamMetrics } from '../upstream/metrics.js';
import type { ProjectDocument } from './project-store.js';
import { distributionOf, pageOf, type FileSource, type PypiApi, type PypiDeps } from './registry.js';
import type { ProjectPage } from './simple-page.js';
import { PypiUpstream } from './upstream-client.js';
import { UpstreamFiles } from './upstream-files.js';
import type { UpstreamFile } from './upstream-page.js';
import { UpstreamPages, type UpstreamDocument } from './upstream-pages.js';

export interface PypiPullThroughOptions {
  config: Pick<NoraConfig['pypi'], 'upstreams' | 'merge_upstream'>;
  deps: PypiDeps;
  metrics?: UpstreamMetrics | undefined;
  now?: () => number;
}

/** The decorator for [[pypi.upstreams]], or undefined when there are none. */
export function pypiPullThrough(options: PypiPullThroughOptions): ((local: PypiApi) => PypiApi) | undefined {
  const { upstreams } = options.config;
  if (upstreams.length === 0) return undefined;
  return (local) => {
    // A page merges nothing across upstreams: it is as fresh as the most eager of them wants.
    const ttl = Math.min(...upstreams.map((u) => u.metadata_ttl));
    const cache = options.metrics?.cache('pypi');
    const pages = new UpstreamPages(options.deps.store, upstreams.map((u) => new PypiUpstream(u, options.metrics)), ttl, options.now, cache);
    return new PypiPullThrough(local, pages, new UpstreamFiles(options.deps.blobs), options.config.merge_upstream, cache);
  };
}

export class PypiPullThrough implements PypiApi {
  constructor(private readonly inner: PypiApi, readonly pages: UpstreamPages, readonly files: UpstreamFiles, private readonly merge: boolean, private readonly cache?: CacheMeter) {}

  projectList(): Promise<string[]> {
    return this.inner.projectList();
  }

  localProject(project: string): Promise<ProjectDocument | undefined> {
    return this.inner.localProject(project);
  }

  /** The upstream page to serve beside `local`: none for a local project unless merging. */
  private async upstreamPage(project: string, local: ProjectDocument | undefined): Promise<UpstreamDocument | undefined> {
    if (!local) return this.pages.page(project);
    // Merging: an upstream failure must not hide the files published here.
    return this.merge ? this.pages.page(project).catch(() => undefined) : undefined;
  }

  async projectPage(project: string, baseUrl: string): Promise<ProjectPage | undefined> {
    const local = await this.inner.localProject(project);
    return pageOf(project, baseUrl, local, await this.upstreamPage(project, local));
  }

  async locateFile(project: string, filename: string): Promise<FileSource | undefined> {
    const own = await this.inner.locateFile(project, filename);
    if (own) return own;
    const { distName, wantsMetadata } = distributionOf(filename);
    const local = await this.inner.localProject(project);
    if (local?.files.some((file) => file.filename === distName)) return undefined;
    const page = await this.upstreamPage(project, local);
    const remote = page?.files.find((file) => file.filename === distName);
    if (!page || !remote) return undefined;
    return wantsMetadata ? this.upstreamMetadata(page, remote) : this.upstreamFile(page, remote);
  }

  private async upstreamFile(page: UpstreamDocument, file: UpstreamFile): Promise<FileSource | undefined> {
    const upstream = this.pages.upstreamOf(page.source);
    const digest = await this.files.cached(file.sha256);
    this.cache?.record(upstream.client.name, 'file', digest ? 'hit' : 'miss');
    if (digest) return { kind: 'blob', digest };
    const fetched = await this.files.open(file, upstream);
    if (!fetched) return undefined;
    if ('digest' in fetched) return { kind: 'blob', digest: fetched.digest };
    return { kind: 'stream', body: fetched.body, ...(fetched.size !== undefined ? { size: fetched.size } : {}) };
  }

  private async upstreamMetadata(page: UpstreamDocument, file: UpstreamFile): Promise<FileSource | undefined> {
    const digest = await this.files.metadata(file, this.pages.upstreamOf(page.source));
    return digest ? { kind: 'blob', digest } : undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.pages.upstreams.map((u) => u.close()));
    await this.inner.close();
  }
}
