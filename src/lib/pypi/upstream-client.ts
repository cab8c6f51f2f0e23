// One upstream index through the upstream kit's client: project pages with PEP 691 negotiation
// and conditional revalidation, and file bodies as streams. Failures are the kit's errors, so
// callers can fall back to what they have cached.
import type { UpstreamSettings } from '../config/upstream-fields.js';
import { UpstreamClient, type UpstreamReply } from '../upstream/client.js';
import type { UpstreamMetrics } from '../upstream/metrics.js';

export interface PageResponse {
  status: 200 | 304 | 404;
  body?: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';
const MAX_PAGE = 64 * 1024 * 1024;

export class PypiUpstream {
  readonly client: UpstreamClient;

  constructor(settings: UpstreamSettings, metrics?: UpstreamMetrics) {
    this.client = new UpstreamClient(settings, { metrics });
  }

  /** Fetches the page of `project`; 404/410 answer `status: 404`. */
  async page(project: string, validators: { etag?: string; lastModified?: string } = {}): Promise<PageResponse & { url: string }> {
    const url = this.client.url(`${project}/`);
    const reply = await this.client.request(url, {
      headers: {
        accept: ACCEPT,
        ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
        ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
      },
    });
    const header = (name: string) => { const v = reply.headers[name]; return Array.isArray(v) ? v[0] : v; };
    if (reply.status === 304) { reply.body.resume(); return { status: 304, url }; }
    if (reply.status === 404 || reply.status === 410) { reply.body.resume(); return { status: 404, url }; }
    if (reply.status !== 200) throw this.client.unexpected(reply);
    const body = (await this.client.read(reply, MAX_PAGE, 'a project page')).toString('utf8');
    const etag = header('etag');
    const lastModified = header('last-modified');
    return { status: 200, url, body, contentType: header('content-type') ?? '', ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  }

  /** Opens a file download; undefined on 404/410. */
  async file(url: string): Promise<UpstreamReply | undefined> {
    const reply = await this.client.request(url, { headers: { accept: '*/*' } });
    if (reply.status === 404 || reply.status === 410) { reply.body.resume(); return undefined; }
    if (reply.status !== 200) throw this.client.unexpected(reply);
    return reply;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
