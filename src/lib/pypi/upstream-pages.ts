// Cached upstream project pages. A page is served from its document while younger than
// metadata_ttl, then revalidated (If-None-Match / If-Modified-Since) against the upstream it
// came from; upstreams are tried in order and the first that knows the project wins. When
// every upstream fails, the stale copy is served. Concurrent misses share one fetch.
import type { ObjectStore } from '../storage/object-store.js';
import { readDocument, writeDocument } from '../storage/documents.js';
import { isNoraError } from '../errors/nora-error.js';
import { failureLine, isTimeout, phrased, UpstreamErrors } from '../upstream/errors.js';
import type { CacheMeter, CacheOutcome } from '../upstream/metrics.js';
import { SingleFlight } from '../upstream/single-flight.js';
import type { PypiUpstream } from './upstream-client.js';
import { parseHtmlPage, parseJsonPage, type UpstreamPage } from './upstream-page.js';
import { PROJECTS_PREFIX } from './project-store.js';

export interface UpstreamDocument extends UpstreamPage {
  /** The upstream page URL this copy came from. */
  source: string;
  fetchedAt: number;
  etag?: string;
  lastModified?: string;
}

export const upstreamKey = (project: string): string => `${PROJECTS_PREFIX}${project}/upstream.json`;

const failedFor = (project: string, why: string, _upstreams: string[]) => `upstream index failed for ${project}: ${why}`;
const failedDetail = (project: string, why: string, upstreams: string[]) => ({ project, reason: why, upstreams });
/** Nothing cached and every upstream index failed (pip prints this line); a timeout when each of them timed out. */
const indexesFailed = phrased(UpstreamErrors.UNAVAILABLE, failedFor, failedDetail);
const indexesTimedOut = phrased(UpstreamErrors.TIMEOUT, failedFor, failedDetail);

/** Failures that make NORA try the next upstream (or the cached copy): the upstream's, or a page that does not parse. */
const isUpstreamFailure = (error: unknown): boolean => error instanceof SyntaxError || (isNoraError(error) && error.code.startsWith('UPSTREAM_'));

export class UpstreamPages {
  private readonly flights = new SingleFlight<UpstreamDocument | undefined>();

  /** `ttlMs`: how long a cached page is served before it is revalidated. */
  constructor(private readonly store: ObjectStore, readonly upstreams: PypiUpstream[], private readonly ttlMs: number,
    private readonly now: () => number = Date.now, private readonly cache?: CacheMeter) {}

  private count(upstream: PypiUpstream, outcome: CacheOutcome): void {
    this.cache?.record(upstream.client.name, 'index', outcome);
  }

  /** The upstream that serves `url` (a page or a file listed on it), else the first. */
  upstreamOf(url: string): PypiUpstream {
    return this.upstreams.find((u) => url.startsWith(`${u.client.base}/`)) ?? this.upstreams[0]!;
  }

  /** The project's upstream page (fresh, revalidated, or stale when upstreams fail); undefined when no upstream has it. */
  async page(project: string): Promise<UpstreamDocument | undefined> {
    const cached = (await readDocument<UpstreamDocument>(this.store, upstreamKey(project)))?.value;
    if (cached && this.now() - cached.fetchedAt < this.ttlMs) {
      this.count(this.upstreamOf(cached.source), 'hit');
      return cached;
    }
    return this.flights.run(project, () => this.refresh(project, cached));
  }

  private async refresh(project: string, cached: UpstreamDocument | undefined): Promise<UpstreamDocument | undefined> {
    const failures: string[] = [];
    let timedOut = true;
    for (const upstream of this.upstreams) {
      const url = upstream.client.url(`${project}/`);
      const validators = cached?.source === url ? { ...(cached.etag ? { etag: cached.etag } : {}), ...(cached.lastModified ? { lastModified: cached.lastModified } : {}) } : {};
      try {
        const response = await upstream.page(project, validators);
        if (response.status === 404) continue;
        if (response.status === 304) {
          if (!cached) throw UpstreamErrors.UNAVAILABLE(upstream.client.site(url), 'status 304 to an unconditional request');
          const renewed = { ...cached, fetchedAt: this.now() };
          await writeDocument(this.store, upstreamKey(project), renewed);
          this.count(upstream, 'revalidated');
          return renewed;
        }
        const isJson = (response.contentType ?? '').toLowerCase().includes('json');
        const parsed = isJson ? parseJsonPage(response.body ?? '', url, project) : parseHtmlPage(response.body ?? '', url, project);
        const document: UpstreamDocument = {
          ...parsed, source: url, fetchedAt: this.now(),
          ...(response.etag ? { etag: response.etag } : {}), ...(response.lastModified ? { lastModified: response.lastModified } : {}),
        };
        await writeDocument(this.store, upstreamKey(project), document);
        this.count(upstream, 'miss');
        return document;
      } catch (error) {
        if (!isUpstreamFailure(error)) throw error;
        failures.push(failureLine(error, url));
        timedOut &&= isTimeout(error);
      }
    }
    if (failures.length === 0) return undefined;
    if (cached) {
      this.count(this.upstreamOf(cached.source), 'stale');
      return cached;
    }
    throw (timedOut ? indexesTimedOut : indexesFailed)(project, failures.join('; '), this.upstreams.map((u) => u.client.base));
  }
}
