// HTTP to upstream indexes (undici): project pages with PEP 691 negotiation and conditional
// revalidation, and file bodies as streams. Network failures, timeouts and 5xx answers become
// UpstreamUnavailable so callers can fall back to what they have cached.
import type { Readable } from 'node:stream';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { NORA_VERSION } from '../version.js';

export class UpstreamUnavailable extends Error {}

export interface PageResponse {
  status: 200 | 304 | 404;
  body?: string;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

const ACCEPT = 'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';
const MAX_PAGE = 64 * 1024 * 1024;

export class UpstreamClient {
  private readonly dispatcher: Dispatcher;

  constructor(private readonly timeoutMs: number) {
    this.dispatcher = new Agent({ headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connectTimeout: timeoutMs })
      .compose(interceptors.redirect({ maxRedirections: 5 }));
  }

  private async get(url: string, headers: Record<string, string>): Promise<Dispatcher.ResponseData> {
    try {
      return await request(url, { method: 'GET', headers: { 'user-agent': `nora/${NORA_VERSION}`, ...headers }, dispatcher: this.dispatcher });
    } catch (error) {
      throw new UpstreamUnavailable(`${url}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Fetches a project page; 404/410 answer `status: 404`. */
  async page(url: string, validators: { etag?: string; lastModified?: string } = {}): Promise<PageResponse> {
    const response = await this.get(url, {
      accept: ACCEPT,
      ...(validators.etag ? { 'if-none-match': validators.etag } : {}),
      ...(validators.lastModified ? { 'if-modified-since': validators.lastModified } : {}),
    });
    const header = (name: string) => { const v = response.headers[name]; return Array.isArray(v) ? v[0] : v; };
    if (response.statusCode === 304) { await response.body.dump(); return { status: 304 }; }
    if (response.statusCode === 404 || response.statusCode === 410) { await response.body.dump(); return { status: 404 }; }
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new UpstreamUnavailable(`${url} answered ${response.statusCode}`);
    }
    const length = Number(header('content-length'));
    if (length > MAX_PAGE) { await response.body.dump(); throw new UpstreamUnavailable(`${url}: page larger than ${MAX_PAGE} bytes`); }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_PAGE) { response.body.destroy(); throw new UpstreamUnavailable(`${url}: page larger than ${MAX_PAGE} bytes`); }
        chunks.push(chunk as Buffer);
      }
    } catch (error) {
      if (error instanceof UpstreamUnavailable) throw error;
      throw new UpstreamUnavailable(`${url}: ${(error as Error).message}`, { cause: error });
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const etag = header('etag');
    const lastModified = header('last-modified');
    return { status: 200, body, contentType: header('content-type') ?? '', ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  }

  /** Opens a file download; undefined on 404/410. */
  async file(url: string): Promise<{ body: Readable; size?: number } | undefined> {
    const response = await this.get(url, { accept: '*/*' });
    if (response.statusCode === 404 || response.statusCode === 410) { await response.body.dump(); return undefined; }
    if (response.statusCode !== 200) { await response.body.dump(); throw new UpstreamUnavailable(`${url} answered ${response.statusCode}`); }
    const length = Number(response.headers['content-length']);
    return { body: response.body, ...(Number.isSafeInteger(length) && length >= 0 ? { size: length } : {}) };
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
