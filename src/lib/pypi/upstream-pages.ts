// Cached upstream project pages. A page is served from its document while younger than
// metadata_ttl, then revalidated (If-None-Match / If-Modified-Since) against the upstream it
// came from; upstreams are tried in order and the first that knows the project wins. When
// every upstream fails, the stale copy is served. Concurrent misses share one fetch.
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import { SingleFlight } from './single-flight.js';
import { UpstreamClient, UpstreamUnavailable } from './upstream-client.js';
import { parseHtmlPage, parseJsonPage, type UpstreamPage } from './upstream-page.js';
import { PROJECTS_PREFIX } from './project-store.js';
import { PypiErrors } from './errors.js';

export interface UpstreamDocument extends UpstreamPage {
  /** The upstream page URL this copy came from. */
  source: string;
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
}

export interface UpstreamSettings {
  upstream: string[];
  metadata_ttl: number;
  upstream_timeout: number;
}

export const upstreamKey = (project: string): string => `${PROJECTS_PREFIX}${project}/upstream.json`;

export class UpstreamPages {
  private readonly flights = new SingleFlight();
  readonly client: UpstreamClient;

  constructor(private readonly store: ObjectStore, private readonly settings: UpstreamSettings, private readonly now: () => number = Date.now) {
    this.client = new UpstreamClient(settings.upstream_timeout);
  }

  get enabled(): boolean {
    return this.settings.upstream.length > 0;
  }

  /** The project's upstream page (fresh, revalidated, or stale when upstreams fail); undefined when no upstream has it. */
  async page(project: string): Promise<UpstreamDocument | undefined> {
    if (!this.enabled) return undefined;
    const cached = (await readDocument<UpstreamDocument>(this.store, upstreamKey(project)))?.value;
    if (cached && this.now() - cached.fetchedAt < this.settings.metadata_ttl) return cached;
    return this.flights.run(project, () => this.refresh(project, cached));
  }

  private async refresh(project: string, cached: UpstreamDocument | undefined): Promise<UpstreamDocument | undefined> {
    const failures: string[] = [];
    for (const base of this.settings.upstream) {
      const url = `${base.replace(/\/+$/, '')}/${project}/`;
      const validators = cached?.source === url ? { ...(cached.etag ? { etag: cached.etag } : {}), ...(cached.lastModified ? { lastModified: cached.lastModified } : {}) } : {};
      try {
        const response = await this.client.page(url, validators);
        if (response.status === 404) continue;
        if (response.status === 304) {
          if (!cached) throw new UpstreamUnavailable(`${url} answered 304 to an unconditional request`);
          const renewed = { ...cached, fetchedAt: this.now() };
          await writeDocument(this.store, upstreamKey(project), renewed);
          return renewed;
        }
        const isJson = (response.contentType ?? '').toLowerCase().includes('json');
        const parsed = isJson ? parseJsonPage(response.body ?? '', url, project) : parseHtmlPage(response.body ?? '', url, project);
        const document: UpstreamDocument = {
          ...parsed, source: url, fetchedAt: this.now(),
          ...(response.etag ? { etag: response.etag } : {}), ...(response.lastModified ? { lastModified: response.lastModified } : {}),
        };
        await writeDocument(this.store, upstreamKey(project), document);
        return document;
      } catch (error) {
        if (!(error instanceof UpstreamUnavailable) && !(error instanceof SyntaxError)) throw error;
        failures.push(error.message);
      }
    }
    if (failures.length === 0) return undefined;
    if (cached) return cached;
    throw PypiErrors.UPSTREAM_FAILED(project, failures.join('; '));
  }
}
